"""The pre-commit workflow: settings file, per-file overrides, device-only mode, and the real `pre-commit`
tool installing this project as a hook in a temporary git repository (one commit rejected, one accepted)."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from analyzer.hook import run_hook
from conftest import FIXTURES, ROOT, edit

AUDIT = FIXTURES / "audit"
CLEAN_SH = (AUDIT / "devices" / "other" / "sh-branch-ar01.cfg").read_text()


@pytest.fixture
def netrepo(tmp_path, monkeypatch):
    """A network team's repository: Alibaba exports, device configs and the settings file."""
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
    assert "configs/sh.cfg:38: error PfsMismatch" in out and "[vco-audit0sh0br0001/-]" in out


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


# --- end to end with the real pre-commit tool ---------------------------------------------------------------

def _git(cwd, *args, check=True):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=check)


def _snapshot_of_this_checkout(dst):
    """This working tree (uncommitted changes included) as a git repository pre-commit can install from."""
    ignore = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", ".cache", ".pytest_cache", "build")
    shutil.copytree(ROOT, dst, ignore=ignore)
    _git(dst, "init", "-q")
    _git(dst, "add", "-A")
    _git(dst, "commit", "-q", "-m", "snapshot")
    return _git(dst, "rev-parse", "HEAD").stdout.strip()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_end_to_end(tmp_path):
    pytest.importorskip("pre_commit")
    hook_repo = tmp_path / "ipsec-preflight"
    rev = _snapshot_of_this_checkout(hook_repo)
    repo = tmp_path / "network-configs"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "alibaba").mkdir()
    shutil.copy(AUDIT / "alibaba" / "describe-vpn-connections.json", repo / "alibaba")
    (repo / ".ipsec-preflight.toml").write_text('alibaba = ["alibaba/*.json"]\nfail-on = "error"\n')
    (repo / ".pre-commit-config.yaml").write_text(json.dumps(
        {"repos": [{"repo": str(hook_repo), "rev": rev, "hooks": [{"id": "ipsec-preflight"}]}]}))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "settings")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env, check=True, capture_output=True)

    (repo / "sh-branch-ar01.cfg").write_text(edit(CLEAN_SH, (" pfs dh-group14\n", " pfs dh-group5\n")))
    _git(repo, "add", "sh-branch-ar01.cfg")
    rejected = _git(repo, "commit", "-m", "wrong PFS", check=False)
    # git runs the hook with PATH; make sure our interpreter's pre-commit is the one found
    assert rejected.returncode != 0, rejected.stdout + rejected.stderr
    out = rejected.stdout + rejected.stderr
    assert "sh-branch-ar01.cfg:38: error PfsMismatch" in out, out
    assert _git(repo, "log", "--oneline").stdout.count("\n") == 1  # nothing was committed

    (repo / "sh-branch-ar01.cfg").write_text(CLEAN_SH)
    _git(repo, "add", "sh-branch-ar01.cfg")
    accepted = _git(repo, "commit", "-m", "branch config", check=False)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "ipsec-preflight" in accepted.stdout + accepted.stderr and "Passed" in accepted.stdout + accepted.stderr
