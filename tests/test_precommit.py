"""The pre-commit workflow: settings file (found from a subfolder), git-style globs, per-file overrides,
device-only mode, Alibaba-only changes, the summary line, and the real `pre-commit` tool driving the README's
snippet and settings file as written against a tagged copy of this project."""
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib

import pytest

import analyzer
from analyzer import project_config
from analyzer.hook import run_hook
from conftest import FIXTURES, ROOT, edit

AUDIT = FIXTURES / "audit"
CLEAN_SH = (AUDIT / "devices" / "other" / "sh-branch-ar01.cfg").read_text()


@pytest.fixture
def netrepo(tmp_path, monkeypatch):
    """A network team's repository: Alibaba exports, device configs and the settings file."""
    (tmp_path / ".git").mkdir()  # the repository root: the settings file is looked for up to here
    (tmp_path / "alibaba").mkdir()
    shutil.copy(AUDIT / "alibaba" / "describe-vpn-connections.json", tmp_path / "alibaba")
    (tmp_path / "configs").mkdir()
    (tmp_path / ".ipsec-preflight.toml").write_text('alibaba = ["alibaba/*.json"]\nfail-on = "error"\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_hook_rejects_an_error_and_passes_a_clean_config(netrepo, capsys):
    (netrepo / "configs" / "sh.cfg").write_text(CLEAN_SH)
    (netrepo / "notes.md").write_text("# change log\n")
    assert run_hook(["configs/sh.cfg", "notes.md"], None, "text") == 0
    (netrepo / "configs" / "sh.cfg").write_text(edit(CLEAN_SH, (" pfs dh-group14\n", " pfs dh-group5\n")))
    assert run_hook(["configs/sh.cfg"], None, "text") == 1
    out = capsys.readouterr().out
    assert "configs/sh.cfg:40: error PfsMismatch" in out and "[vco-audit0sh0br0001/-]" in out


def test_overrides_disable_and_fail_on_per_file(netrepo, capsys):
    bad = edit(CLEAN_SH, (" pfs dh-group14\n", " pfs dh-group5\n"))
    (netrepo / "configs" / "lab").mkdir()
    (netrepo / "configs" / "lab" / "sh.cfg").write_text(bad)
    (netrepo / ".ipsec-preflight.toml").write_text(
        'alibaba = ["alibaba/*.json"]\n[[override]]\nfiles = "configs/lab/*"\ndisable = ["PfsMismatch"]\n')
    assert run_hook(["configs/lab/sh.cfg"], None, "text") == 0
    # a stricter level for the lab: the NAT-T and lifetime advice are warnings, so warning-level fails
    lifetime = edit(CLEAN_SH, (" sa duration time-based 3600\n", " sa duration time-based 7200\n"))
    (netrepo / "configs" / "lab" / "sh.cfg").write_text(lifetime)
    assert run_hook(["configs/lab/sh.cfg"], None, "text") == 0
    (netrepo / ".ipsec-preflight.toml").write_text(
        'alibaba = ["alibaba/*.json"]\n[[override]]\nfiles = "configs/lab/*"\nfail-on = "warning"\n')
    assert run_hook(["configs/lab/sh.cfg"], None, "text") == 1
    assert "warning LifetimeMismatch" in capsys.readouterr().out


def test_inline_suppression_in_the_committed_file(netrepo, capsys):
    bad = edit(CLEAN_SH, ("ipsec policy ALIYUN-MAP 10 isakmp", "# ipsec-preflight: disable=PfsMismatch\n"
                                                              "ipsec policy ALIYUN-MAP 10 isakmp"),
               (" pfs dh-group14\n", " pfs dh-group5\n"))
    (netrepo / "configs" / "sh.cfg").write_text(bad)
    assert run_hook(["configs/sh.cfg"], None, "text") == 0
    assert "PfsMismatch [suppressed]" in capsys.readouterr().out


def test_without_alibaba_json_the_hook_lints(netrepo, capsys):
    (netrepo / ".ipsec-preflight.toml").unlink()
    (netrepo / "configs" / "sh.cfg").write_text(edit(CLEAN_SH, (" transform esp\n", " transform ah\n"))
                                                 if " transform esp\n" in CLEAN_SH else
                                                 CLEAN_SH.replace("ipsec proposal ALIYUN\n", "ipsec proposal ALIYUN\n transform ah\n"))
    assert run_hook(["configs/sh.cfg"], None, "text") == 1
    assert "SecurityProtocolMismatch" in capsys.readouterr().out


def test_bad_settings_are_located(netrepo, capsys):
    (netrepo / "configs" / "sh.cfg").write_text(CLEAN_SH)
    (netrepo / ".ipsec-preflight.toml").write_text('alibaba = ["alibaba/*.json"]\nfail_on = "error"\n')
    assert run_hook(["configs/sh.cfg"], None, "text") == 2
    assert "unknown setting(s): fail_on" in capsys.readouterr().err
    (netrepo / ".ipsec-preflight.toml").write_text('fail-on = "errors"\n')
    assert run_hook(["configs/sh.cfg"], None, "text") == 2



# --- issue 18: no silent pass -------------------------------------------------------------------------------

BAD_PFS = (" pfs dh-group14\n", " pfs dh-group5\n")
DESCRIBE = "alibaba/describe-vpn-connections.json"


def _settings(repo, text):
    (repo / ".ipsec-preflight.toml").write_text(text)


def _with_alibaba_pfs(repo, connection, group):
    """The Alibaba export with one connection's IPsec PFS group changed (as a console edit would)."""
    path = repo / DESCRIBE
    data = json.loads(path.read_text())
    conn = next(c for c in data["VpnConnections"]["VpnConnection"] if c["VpnConnectionId"] == connection)
    conn["IpsecConfig"]["IpsecPfs"] = group
    path.write_text(json.dumps(data, indent=2))


@pytest.mark.parametrize("rel", ["configs/sh.cfg", "configs/site/hq/sh.cfg"])
def test_double_star_device_glob_covers_zero_or_more_folders(netrepo, capsys, rel):
    # the README's `configs/**/*.cfg` missed configs/sh.cfg (fnmatch): the bad commit passed unchecked
    _settings(netrepo, 'alibaba = ["alibaba/**/*.json"]\ndevices = ["configs/**/*.cfg"]\n')
    (netrepo / rel).parent.mkdir(parents=True, exist_ok=True)
    (netrepo / rel).write_text(edit(CLEAN_SH, BAD_PFS))
    assert run_hook([rel], None, "text") == 1
    assert f"{rel}:40: error PfsMismatch" in capsys.readouterr().out


def test_override_glob_uses_the_same_semantics(netrepo, capsys):
    _settings(netrepo, 'alibaba = ["alibaba/*.json"]\ndevices = ["configs/**/*.cfg"]\n'
                       '[[override]]\nfiles = "configs/**/lab-*.cfg"\ndisable = ["PfsMismatch"]\n')
    (netrepo / "configs" / "lab-sh.cfg").write_text(edit(CLEAN_SH, BAD_PFS))
    assert run_hook(["configs/lab-sh.cfg"], None, "text") == 0
    assert "1 device config(s) checked against 1 connection(s)" in capsys.readouterr().out


def test_summary_line_on_a_pass_names_what_was_checked_and_ignored(netrepo, capsys):
    _settings(netrepo, 'alibaba = ["alibaba/*.json"]\ndevices = ["configs/**/*.cfg"]\n')
    (netrepo / "configs" / "sh.cfg").write_text(CLEAN_SH)
    (netrepo / "notes.md").write_text("# change log\n")
    assert run_hook(["configs/sh.cfg", "notes.md"], None, "text") == 0
    (last,) = capsys.readouterr().out.splitlines()
    assert last == ("ipsec-preflight: 1 device config(s) checked against 1 connection(s), 1 file(s) ignored "
                    "(not matched by `devices`: notes.md); 0 error(s), 0 warning(s), 0 info")


def test_a_commit_of_ignored_files_says_so(netrepo, capsys):
    (netrepo / "notes.md").write_text("# change log\n")
    (netrepo / "vendored").mkdir()
    (netrepo / "vendored" / "old.cfg").write_text(edit(CLEAN_SH, BAD_PFS))
    _settings(netrepo, 'alibaba = ["alibaba/*.json"]\nexclude = ["vendored/**"]\n')
    assert run_hook(["notes.md", "vendored/old.cfg"], None, "text") == 0
    out = capsys.readouterr().out
    assert out.startswith("ipsec-preflight: no device config checked, 2 file(s) ignored (")
    assert "not device configs: notes.md" in out and "excluded by the settings: vendored/old.cfg" in out


def test_binary_files_reach_the_hook_and_are_ignored_by_name(netrepo, capsys):
    # the hook gets every committed file (types: [file]); a drawing of the network is not a config error
    (netrepo / "topology.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    (netrepo / "configs" / "sh-utf16.cfg").write_bytes(edit(CLEAN_SH, BAD_PFS).encode("utf-16"))  # a Windows export
    assert run_hook(["topology.png", "configs/sh-utf16.cfg"], None, "text") == 1
    out = capsys.readouterr().out
    assert "configs/sh-utf16.cfg:40: error PfsMismatch" in out and "ignored (binary files: topology.png)" in out


def test_other_formats_keep_stdout_for_the_report_and_print_the_summary_on_stderr(netrepo, capsys):
    (netrepo / "configs" / "sh.cfg").write_text(CLEAN_SH)
    assert run_hook(["configs/sh.cfg"], None, "json") == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["pairs"][0]["device"] == "configs/sh.cfg"
    assert err.startswith("ipsec-preflight: 1 device config(s) checked against 1 connection(s)")


def test_a_file_named_by_devices_that_cannot_be_parsed_is_an_error(netrepo, capsys):
    _settings(netrepo, 'alibaba = ["alibaba/*.json"]\ndevices = ["configs/**/*.cfg"]\n')
    (netrepo / "configs" / "notes.cfg").write_text("just some words, no device syntax\n")
    assert run_hook(["configs/notes.cfg"], None, "text") == 2
    out = capsys.readouterr().out
    assert "configs/notes.cfg: input error:" in out and "1 input error(s)" in out


@pytest.mark.parametrize("devices", ['devices = ["configs/**/*.cfg"]\n', ""])
def test_an_alibaba_only_change_rechecks_the_devices_paired_with_it(netrepo, capsys, devices):
    shutil.copy(AUDIT / "alibaba" / "bj-dc-asa-dual.json", netrepo / "alibaba")
    _settings(netrepo, 'alibaba = ["alibaba/*.json"]\n' + devices)
    (netrepo / "configs" / "sh.cfg").write_text(CLEAN_SH)  # pairs with describe-vpn-connections.json
    (netrepo / "configs" / "bj.cfg").write_text((AUDIT / "devices" / "other" / "bj-dc-asa01.cfg").read_text())
    (netrepo / "configs" / "notes.txt").write_text("not a config\n")
    _with_alibaba_pfs(netrepo, "vco-audit0sh0br0001", "group5")
    assert run_hook([DESCRIBE], None, "text") == 1
    out = capsys.readouterr().out
    assert "configs/sh.cfg:40: error PfsMismatch" in out
    assert f"(configs/sh.cfg because {DESCRIBE} changed)" in out
    assert "bj.cfg" not in out  # pairs with the other JSON, which did not change


def test_an_alibaba_change_no_device_pairs_with_says_so(netrepo, capsys):
    _settings(netrepo, 'alibaba = ["alibaba/*.json"]\n')
    assert run_hook([DESCRIBE], None, "text") == 0
    assert f"{DESCRIBE} changed: no device config of the repository pairs with its connections" \
        in capsys.readouterr().out


def test_settings_are_found_from_a_subfolder(netrepo, capsys, monkeypatch):
    # `cd configs && ipsec-preflight hook sh.cfg` linted alone: no PFS comparison, a silent pass
    (netrepo / "configs" / "sh.cfg").write_text(edit(CLEAN_SH, BAD_PFS))
    monkeypatch.chdir(netrepo / "configs")
    assert run_hook(["sh.cfg"], None, "text") == 1
    out = capsys.readouterr().out
    assert "sh.cfg:40: error PfsMismatch" in out and "[vco-audit0sh0br0001/-]" in out


def test_find_stops_at_the_repository_root(tmp_path):
    (tmp_path / project_config.FILENAME).write_text("")  # above the repository: not its settings
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "a" / "b").mkdir(parents=True)
    assert project_config.find(str(repo / "a" / "b")) is None
    (repo / project_config.FILENAME).write_text("")
    assert project_config.find(str(repo / "a" / "b")) == str(repo / project_config.FILENAME)
    worktree = tmp_path / "wt"
    (worktree / "x").mkdir(parents=True)
    (worktree / ".git").write_text("gitdir: elsewhere\n")  # a worktree or submodule: .git is a file
    assert project_config.find(str(worktree / "x")) is None


def test_no_settings_file_is_named_in_the_summary(tmp_path, monkeypatch, capsys):
    (tmp_path / ".git").mkdir()
    (tmp_path / "sh.cfg").write_text(CLEAN_SH)
    monkeypatch.chdir(tmp_path)
    assert run_hook(["sh.cfg"], None, "text") == 0
    out = capsys.readouterr().out
    assert "1 linted only (the settings name no Alibaba JSON)" in out
    assert "no .ipsec-preflight.toml found from the files' folders up to the repository root" in out


def test_the_version_has_one_source():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "analyzer.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", analyzer.__version__)


# --- end to end with the real pre-commit tool ---------------------------------------------------------------

def _git(cwd, *args, check=True):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=check)


def _readme_block(lang: str) -> str:
    """The first LANG code block of the README's "Pre-commit hook" section, as written."""
    section = (ROOT / "README.md").read_text().split("### Pre-commit hook\n", 1)[1].split("\n### ", 1)[0]
    return re.search(rf"```{lang}\n(.*?)```", section, re.DOTALL).group(1)


def _tagged_copy_of_this_checkout(dst) -> None:
    """The files git tracks here, as they are in the working tree (uncommitted changes included), committed in
    a new repository and tagged v<__version__>: a fresh clone may have no tags, and the README names one."""
    if (ROOT / ".git").exists():
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                                capture_output=True, check=True).stdout.decode().split("\0")
        for rel in filter(None, listed):
            if (ROOT / rel).is_file():
                (dst / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / rel, dst / rel)
    else:
        shutil.copytree(ROOT, dst, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".venv", "__pycache__", "*.egg-info", ".cache", ".pytest_cache"))
    _git(dst, "init", "-q")
    _git(dst, "add", "-A")
    _git(dst, "commit", "-q", "-m", "snapshot")
    _git(dst, "tag", f"v{analyzer.__version__}")


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory):
    """(tagged copy of this project, PRE_COMMIT_HOME shared by the session: pre-commit builds its venv once)."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    pytest.importorskip("pre_commit")
    base = tmp_path_factory.mktemp("hook")
    (base / "ipsec-preflight").mkdir()
    _tagged_copy_of_this_checkout(base / "ipsec-preflight")
    return base / "ipsec-preflight", base / "pre-commit-home"


def _commit(repo, message, *files, cwd=None):
    _git(repo, "add", *files)
    done = _git(cwd or repo, "commit", "-m", message, check=False)
    return done.returncode, done.stdout + done.stderr


def test_readme_snippet_end_to_end(hook_repo, tmp_path, monkeypatch):
    hook_path, home = hook_repo
    snippet = _readme_block("yaml")
    assert re.search(r"rev: (\S+)", snippet).group(1) == f"v{analyzer.__version__}"  # the tag must exist
    config, n = re.subn(r"(- repo: )\S+", lambda m: m.group(1) + str(hook_path), snippet)
    assert n == 1
    repo = tmp_path / "network-configs"
    (repo / "alibaba").mkdir(parents=True)
    (repo / "configs").mkdir()
    _git(repo, "init", "-q")
    shutil.copy(AUDIT / "alibaba" / "describe-vpn-connections.json", repo / "alibaba")
    (repo / ".ipsec-preflight.toml").write_text(_readme_block("toml"))
    (repo / ".pre-commit-config.yaml").write_text(config)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "settings")
    monkeypatch.setenv("PRE_COMMIT_HOME", str(home))  # git runs the installed hook with our environment
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, check=True, capture_output=True)
    _end_to_end(repo)


def _end_to_end(repo):
    commits = lambda: _git(repo, "rev-list", "--count", "HEAD").stdout.strip()  # noqa: E731
    # a bad device config, in configs/ itself (`configs/**/*.cfg` must match it): rejected
    (repo / "configs" / "sh.cfg").write_text(edit(CLEAN_SH, BAD_PFS))
    code, out = _commit(repo, "wrong PFS", "configs/sh.cfg")
    assert code != 0 and "configs/sh.cfg:40: error PfsMismatch" in out, out
    assert commits() == "1"

    (repo / "configs" / "sh.cfg").write_text(CLEAN_SH)
    code, out = _commit(repo, "branch config", "configs/sh.cfg")
    assert code == 0 and "Passed" in out, out
    assert "ipsec-preflight: 1 device config(s) checked against 1 connection(s); 0 error(s)" in out, out

    # only the Alibaba export changes (PFS edited in the console): the paired device is re-checked
    _with_alibaba_pfs(repo, "vco-audit0sh0br0001", "group5")
    code, out = _commit(repo, "alibaba export", DESCRIBE)
    assert code != 0 and "configs/sh.cfg:40: error PfsMismatch" in out, out
    assert f"(configs/sh.cfg because {DESCRIBE} changed)" in out, out
    _with_alibaba_pfs(repo, "vco-audit0sh0br0001", "group14")
    _git(repo, "add", DESCRIBE)

    # committed from a subfolder: the settings file at the root still applies
    (repo / "configs" / "site").mkdir()
    (repo / "configs" / "site" / "sh2.cfg").write_text(edit(CLEAN_SH, BAD_PFS))
    code, out = _commit(repo, "from a subfolder", "configs/site/sh2.cfg", cwd=repo / "configs" / "site")
    assert code != 0 and "configs/site/sh2.cfg:40: error PfsMismatch" in out, out
    # `pre-commit run` from the subfolder, with a path relative to it
    run = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--files", "sh2.cfg"],
                         cwd=repo / "configs" / "site", capture_output=True, text=True)
    assert run.returncode != 0 and "configs/site/sh2.cfg:40: error PfsMismatch" in run.stdout, run.stdout + run.stderr
    _git(repo, "rm", "-q", "--cached", "configs/site/sh2.cfg")

    # only files that are not device configs: passes, and says so
    (repo / "notes.md").write_text("# change log\n")
    code, out = _commit(repo, "notes", "notes.md")
    assert code == 0, out
    assert "ipsec-preflight: no device config checked, 1 file(s) ignored (not matched by `devices`: notes.md)" \
        in out, out

    # a monorepo folder with its own settings: pre-commit runs from the root, the folder's settings apply
    _one_map_repo(repo / "network", git=False)
    (repo / "network" / "configs" / "hz.cfg").write_text(edit((PAIRS / "ikev1-map.cfg").read_text(), BAD_MAP_PFS))
    code, out = _commit(repo, "monorepo", "network")
    assert code != 0 and "network/configs/hz.cfg:28: error PfsMismatch" in out, out


def test_an_unknown_code_in_the_settings_is_an_error_not_ignored(netrepo, capsys):
    (netrepo / "configs" / "sh.cfg").write_text(edit(CLEAN_SH, (" pfs dh-group14\n", " pfs dh-group5\n")))
    (netrepo / ".ipsec-preflight.toml").write_text('alibaba = ["alibaba/*.json"]\ndisable = ["PfsMismatchh"]\n')
    assert run_hook(["configs/sh.cfg"], None, "text") == 2
    assert "PfsMismatchh" in capsys.readouterr().err
    (netrepo / ".ipsec-preflight.toml").write_text('alibaba = ["alibaba/*.json"]\ndisable = ["pfsmismatch"]\n')
    assert run_hook(["configs/sh.cfg"], None, "text") == 0


# --- review findings: what a commit concerns is reported, whatever else is committed -----------------------

REPO = FIXTURES / "repo"
PAIRS = FIXTURES / "pairs"
BAD_MAP_PFS = (" set pfs group14\n", " set pfs group5\n")


@pytest.fixture
def fixrepo(tmp_path, monkeypatch):
    """The example network repository (settings, .gitignore, two Alibaba exports, four sites) under git."""
    shutil.copytree(REPO, tmp_path, dirs_exist_ok=True)
    _git(tmp_path, "init", "-q")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _one_map_repo(root, json_text=None, git=True):
    if git:
        (root / ".git").mkdir(exist_ok=True)
    (root / "alibaba").mkdir(parents=True, exist_ok=True)
    (root / "configs").mkdir(exist_ok=True)
    (root / ".ipsec-preflight.toml").write_text('alibaba = ["alibaba/*.json"]\n')
    (root / "alibaba" / "vpn.json").write_text(json_text or (PAIRS / "ikev1-map.json").read_text())


@pytest.mark.parametrize("holds, what", [
    ('{"RequestId":"A1","TotalCount":0,"PageNumber":1,"PageSize":10,"VpnConnections":{"VpnConnection":[]}}',
     "an empty DescribeVpnConnections page"),
    ('{"RequestId":"A1","HostId":"vpc.aliyuncs.com","Code":"Forbidden.RAM","Message":"User not authorized"}',
     "API error response")])
def test_an_alibaba_file_of_the_settings_without_connections_is_an_input_error(tmp_path, monkeypatch, capsys,
                                                                               holds, what):
    _one_map_repo(tmp_path, holds)
    (tmp_path / "configs" / "hz.cfg").write_text(edit((PAIRS / "ikev1-map.cfg").read_text(), BAD_MAP_PFS))
    monkeypatch.chdir(tmp_path)
    assert run_hook(["configs/hz.cfg", "alibaba/vpn.json"], None, "text") == 2
    out = capsys.readouterr().out
    assert "alibaba/vpn.json: input error: " in out and what in out


def test_a_dropped_tunnel_of_a_dual_tunnel_connection_is_reported(fixrepo, capsys):
    asa = fixrepo / "configs" / "beijing" / "bj-dc-asa01.cfg"
    asa.write_text("".join(l for l in asa.read_text().splitlines(True) if "outside_map 20" not in l))
    run_hook(["configs/beijing/bj-dc-asa01.cfg"], None, "text")
    out = capsys.readouterr().out
    # located at the tunnel's line of the JSON (analyzer.json_lines, run by the hook before rendering)
    assert re.search(r"alibaba/bj-dc-asa-dual\.json:\d+: warning UnpairedAlibabaTunnel: .*slave tunnel", out)
    assert "vco-audit0sh0br0001" not in out  # connections no committed device touches stay out


def test_an_alibaba_change_that_unpairs_its_tunnels_fails(tmp_path, monkeypatch, capsys):
    moved = (PAIRS / "ikev1-map.json").read_text().replace('"LocalId": "198.51.100.60"', '"LocalId": "198.51.100.99"')
    _one_map_repo(tmp_path, moved)
    shutil.copy(PAIRS / "ikev1-map.cfg", tmp_path / "configs" / "hz.cfg")
    monkeypatch.chdir(tmp_path)
    assert run_hook(["alibaba/vpn.json"], None, "text") == 1
    assert re.search(r"alibaba/vpn\.json:\d+: error UnpairedAlibabaTunnel", capsys.readouterr().out)


def test_a_device_that_pairs_with_nothing_fails_whatever_else_is_committed(fixrepo, capsys):
    sh = fixrepo / "configs" / "shanghai" / "sh-branch-ar01.cfg"
    sh.write_text(edit(sh.read_text(), (" remote-address 198.51.100.60\n", " remote-address 198.51.100.66\n")))
    assert run_hook(["configs/shanghai/sh-branch-ar01.cfg"], None, "text") == 1
    alone = capsys.readouterr().out
    assert run_hook(["configs/shanghai/sh-branch-ar01.cfg", "configs/beijing/bj-dc-asa01.cfg"], None, "text") == 1
    both = capsys.readouterr().out
    for out in (alone, both):
        assert "configs/shanghai/sh-branch-ar01.cfg:31: error UnpairedDeviceTunnel" in out


def test_monorepo_settings_are_found_from_each_committed_file(tmp_path, monkeypatch, capsys):
    (tmp_path / ".git").mkdir()
    for team in ("network", "lab"):
        _one_map_repo(tmp_path / team, git=False)
        (tmp_path / team / "configs" / "hz.cfg").write_text(edit((PAIRS / "ikev1-map.cfg").read_text(), BAD_MAP_PFS))
    (tmp_path / "lab" / ".ipsec-preflight.toml").write_text('alibaba = ["alibaba/*.json"]\ndisable = ["PfsMismatch"]\n')
    monkeypatch.chdir(tmp_path)  # pre-commit runs from the repository root
    assert run_hook(["network/configs/hz.cfg"], None, "text") == 1
    assert "network/configs/hz.cfg:28: error PfsMismatch" in capsys.readouterr().out
    assert run_hook(["network/configs/hz.cfg", "lab/configs/hz.cfg"], None, "text") == 1
    out = capsys.readouterr().out
    assert "network/configs/hz.cfg:28: error PfsMismatch" in out and "lab/configs/hz.cfg:28" not in out
    for settings in ("network", "lab"):  # one summary line per settings file, naming it
        assert f"ipsec-preflight ({settings}/.ipsec-preflight.toml): 1 device config(s) checked" in out
    assert run_hook(["lab/configs/hz.cfg"], None, "text") == 0
    capsys.readouterr()
    assert run_hook(["network/configs/hz.cfg", "lab/configs/hz.cfg"], None, "json") == 2  # one document only
    out, err = capsys.readouterr()
    assert out == "" and "several settings files (network/.ipsec-preflight.toml, lab/" in err


def test_a_device_file_with_a_gbk_name_is_checked(tmp_path, monkeypatch, capsys):
    _one_map_repo(tmp_path)
    name = os.fsdecode(b"configs/\xba\xbc\xd6\xdd.cfg")
    with open(os.fsencode(tmp_path) + b"/" + os.fsencode(name), "w") as fh:
        fh.write(edit((PAIRS / "ikev1-map.cfg").read_text(), BAD_MAP_PFS))
    monkeypatch.chdir(tmp_path)
    assert run_hook([name], None, "text") == 1
    assert ":28: error PfsMismatch" in capsys.readouterr().out


def test_the_repository_walk_skips_what_git_ignores(fixrepo, capsys):
    sh = fixrepo / "configs" / "shanghai" / "sh-branch-ar01.cfg"
    (fixrepo / "configs" / "shanghai" / "sh-branch-ar01.cfg.bak").write_text(edit(sh.read_text(), BAD_PFS))
    js = fixrepo / DESCRIBE
    js.write_text(js.read_text().replace('"Name": "sh-branch"', '"Name": "sh-branch-renamed"'))
    run_hook([DESCRIBE], None, "text")
    out = capsys.readouterr().out
    assert "sh-branch-ar01.cfg because" in out and ".bak" not in out


def test_a_device_committed_with_its_json_is_not_said_to_pair_with_nothing(tmp_path, monkeypatch, capsys):
    _one_map_repo(tmp_path)
    shutil.copy(PAIRS / "ikev1-map.cfg", tmp_path / "configs" / "hz.cfg")
    monkeypatch.chdir(tmp_path)
    assert run_hook(["alibaba/vpn.json", "configs/hz.cfg"], None, "text") == 0
    assert capsys.readouterr().out == ("ipsec-preflight: 1 device config(s) checked against 1 connection(s); "
                                       "0 error(s), 0 warning(s), 0 info\n")


def test_a_utf16_export_without_bom_is_an_input_error_not_ignored(netrepo, capsys):
    (netrepo / "configs" / "sh.cfg").write_bytes(CLEAN_SH.encode("utf-16-le"))
    assert run_hook(["configs/sh.cfg"], None, "text") == 2
    out = capsys.readouterr().out
    assert "configs/sh.cfg: input error" in out and "ignored" not in out
