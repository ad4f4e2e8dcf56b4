"""CI plumbing of the command line: API and Terraform inputs routed, formats, exit/quiet/statistics/colour options."""
import json
import shutil

import pytest
from typer.testing import CliRunner

from analyzer.cli import app
from conftest import FIXTURES

runner = CliRunner()
EX = FIXTURES / "example"
CONN, DEVICE = EX / "connection.json", EX / "branch-router.cfg"


def invoke(*args, **kw):
    return runner.invoke(app, [str(a) for a in args], **kw)


def codes(stdout: str) -> set[str]:
    doc = json.loads(stdout)
    return {f["code"] for p in doc["pairs"] for f in p["findings"]}


def example_tunnels(path=CONN):
    from parsers import alibaba

    return alibaba.load(str(path))


# --- the live API (analyzer.alibaba_api.fetch, monkeypatched: its own tests run the SDK) --------------------

@pytest.fixture
def api(monkeypatch):
    from analyzer import alibaba_api

    calls = []

    def fetch(connection_id, regions):
        calls.append((connection_id, list(regions)))
        return example_tunnels(), [], ["api:cn-hangzhou: 1 connection read"]

    monkeypatch.setattr(alibaba_api, "fetch", fetch)
    return calls


def test_check_connection_from_api_gives_the_findings_of_the_file(api):
    from_file = invoke("check", CONN, DEVICE, "--format", "json")
    r = invoke("check", "--connection", "vco-1", "--region", "cn-hangzhou", DEVICE, "--format", "json")
    assert api == [("vco-1", ["cn-hangzhou"])]
    assert r.exit_code == from_file.exit_code == 1
    assert codes(r.stdout) == codes(from_file.stdout) and "PfsMismatch" in codes(r.stdout)
    assert "note: api:cn-hangzhou: 1 connection read" in r.stderr


@pytest.mark.parametrize("exc", ["ApiUnavailable", "ApiError"])
def test_api_failure_is_a_clear_input_error(monkeypatch, exc):
    from analyzer import alibaba_api

    def fetch(connection_id, regions):
        raise getattr(alibaba_api, exc)("install it with: pip install 'ipsec-preflight[api]'")

    monkeypatch.setattr(alibaba_api, "fetch", fetch)
    r = invoke("check", "--connection", "vco-1", "--region", "cn-hangzhou", DEVICE)
    assert r.exit_code == 2 and r.stdout == ""
    assert "ipsec-preflight: install it with: pip install 'ipsec-preflight[api]'" in r.stderr
    assert "Traceback" not in r.stderr


def test_api_returning_nothing_is_not_a_pass(monkeypatch):
    from analyzer import alibaba_api

    monkeypatch.setattr(alibaba_api, "fetch", lambda c, r: ([], [], []))
    r = invoke("check", "--connection", "vco-gone", "--region", "cn-hangzhou", DEVICE)
    assert r.exit_code == 2 and "vco-gone" in r.stderr


@pytest.mark.parametrize("args,says", [
    (["--connection", "vco-1", "--region", "cn-hangzhou", CONN, DEVICE], "give only DEVICE.cfg"),
    (["--connection", "vco-1", DEVICE], "needs one --region"),
    (["--region", "cn-hangzhou", CONN, DEVICE], "--region goes with --connection"),
    ([CONN], "missing DEVICE.cfg"),
])
def test_check_api_usage_errors(api, args, says):
    r = invoke("check", *args)
    assert r.exit_code == 2 and says in r.stderr and api == []


def test_audit_from_api_reads_every_region_and_audits_with_the_files(api, tmp_path):
    shutil.copy(DEVICE, tmp_path / "branch.cfg")
    r = invoke("audit", tmp_path, "--from-api", "--region", "cn-hangzhou", "--region", "cn-shanghai",
               "--format", "json", "--no-config", "-j", "1")
    assert api == [(None, ["cn-hangzhou", "cn-shanghai"])]
    doc = json.loads(r.stdout)
    assert doc["audit"]["mode"] == "pair" and doc["audit"]["pairs"] == 1
    assert "PfsMismatch" in codes(r.stdout) and r.exit_code == 1


def test_audit_region_without_from_api_is_refused(api, tmp_path):
    r = invoke("audit", tmp_path, "--region", "cn-hangzhou")
    assert r.exit_code == 2 and "--region goes with --from-api" in r.stderr


def test_check_without_connection_does_not_import_the_api_module(tmp_path):
    import subprocess
    import sys

    code = ("import sys; from analyzer.cli import main; sys.argv = ['x', 'check', %r, %r, '-o', %r]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "assert 'analyzer.alibaba_api' not in sys.modules, 'imported'\n"
            % (str(CONN), str(DEVICE), str(tmp_path / "out.txt")))
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


# --- Terraform sources reach parsers.alibaba.load by their path (its own tests read the HCL) ---------------

@pytest.fixture
def tf_load(monkeypatch):
    from parsers import alibaba

    real, calls = alibaba.load, []

    def load(path, lookups=None, errors=None, text=None):
        if str(path).endswith(".tf") or not str(path).endswith(".json"):
            calls.append((str(path), text))
            return example_tunnels()
        return real(path, lookups, errors=errors, text=text)

    monkeypatch.setattr(alibaba, "load", load)
    return calls


def test_check_a_terraform_folder_or_file(tf_load, tmp_path):
    (tmp_path / "main.tf").write_text('resource "alicloud_vpn_connection" "c" {}\n')
    for source in (tmp_path, tmp_path / "main.tf"):
        r = invoke("check", source, DEVICE, "--format", "json")
        assert r.exit_code == 1, r.stderr
        assert "PfsMismatch" in codes(r.stdout)
    assert tf_load == [(str(tmp_path), None), (str(tmp_path / "main.tf"), None)]


def test_audit_loads_terraform_once_per_folder(tf_load, tmp_path):
    infra = tmp_path / "infra"
    infra.mkdir()
    for name in ("main.tf", "variables.tf", "outputs.tf"):
        (infra / name).write_text("# terraform\n")
    (infra / "terraform.tfvars").write_text('region = "cn-hangzhou"\n')
    shutil.copy(DEVICE, tmp_path / "branch.cfg")
    r = invoke("audit", tmp_path, "--format", "json", "--no-config", "-j", "1")
    assert tf_load == [(str(infra), None)]
    doc = json.loads(r.stdout)
    assert doc["errors"] == [] and doc["audit"]["pairs"] == 1
    assert {"file": str(infra / "terraform.tfvars"), "reason": "not a device config: Terraform variables or settings (read with the "
            "folder's .tf files)"} in doc["audit"]["skipped"]


# --- every format through reporters.render, with Alibaba lines placed from the texts read -----------------

def test_annotate_gets_the_text_check_read(monkeypatch):
    from analyzer import json_lines

    seen = {}

    def annotate(report, read):
        seen["conn"] = read(str(CONN))
        seen["missing"] = read("nope.json")

    monkeypatch.setattr(json_lines, "annotate", annotate)
    invoke("check", CONN, DEVICE)
    assert seen == {"conn": CONN.read_text(), "missing": None}


def test_audit_passes_the_alibaba_texts_to_annotate(monkeypatch, tmp_path):
    from analyzer import json_lines

    seen = {}
    monkeypatch.setattr(json_lines, "annotate", lambda report, read: seen.setdefault("t", read(str(tmp_path / "c.json"))))
    shutil.copy(CONN, tmp_path / "c.json")
    shutil.copy(DEVICE, tmp_path / "d.cfg")
    invoke("audit", tmp_path, "--no-config", "-j", "1")
    assert seen["t"] == CONN.read_text()


# --- --exit-zero, --quiet, --statistics, colour, completion, the new formats -------------------------------

def test_exit_zero_with_findings_but_input_errors_still_exit_2(tmp_path):
    assert invoke("check", CONN, DEVICE).exit_code == 1
    assert invoke("check", CONN, DEVICE, "--exit-zero").exit_code == 0
    missing = invoke("check", CONN, tmp_path / "missing.cfg", "--exit-zero")
    assert missing.exit_code == 2
    assert "input errors still exit 2" in " ".join(invoke("check", "-h").stdout.split())


def test_quiet_prints_one_line_per_finding_and_no_notes():
    full = invoke("check", CONN, DEVICE, "--format", "json")
    n = sum(len(p["findings"]) for p in json.loads(full.stdout)["pairs"])
    r = invoke("check", CONN, DEVICE, "--quiet")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert len(lines) == n
    assert all(": error " in l or ": warning " in l or ": info " in l for l in lines)
    assert any(l.startswith(f"{DEVICE}:50: error PfsMismatch: ") for l in lines)
    assert "Summary" not in r.stdout and "note:" not in r.stderr and r.stderr == ""
    assert "note:" in invoke("check", CONN, DEVICE).stderr  # the notes it silences exist


def test_quiet_audit_and_hook_have_no_summary(tmp_path, monkeypatch):
    shutil.copy(CONN, tmp_path / "c.json")
    shutil.copy(DEVICE, tmp_path / "d.cfg")
    r = invoke("audit", tmp_path, "-q", "--no-config", "-j", "1")
    assert r.exit_code == 1 and "Audit summary" not in r.stdout and "PfsMismatch" in r.stdout
    (tmp_path / ".git").mkdir()
    (tmp_path / ".ipsec-preflight.toml").write_text('alibaba = ["c.json"]\n')
    monkeypatch.chdir(tmp_path)
    r = invoke("hook", "d.cfg", "-q")
    assert r.exit_code == 1 and "PfsMismatch" in r.stdout and "device config(s) checked" not in r.stdout + r.stderr
    assert "device config(s) checked" in invoke("hook", "d.cfg").stdout


def test_statistics_counts_per_code():
    doc = json.loads(invoke("check", CONN, DEVICE, "--format", "json").stdout)
    expected = {}
    for f in doc["pairs"][0]["findings"]:
        expected[f["code"]] = expected.get(f["code"], 0) + 1
    r = invoke("check", CONN, DEVICE, "--statistics")
    assert r.exit_code == 1
    rows = [l.split() for l in r.stdout.splitlines()]
    assert {row[1]: int(row[0]) for row in rows} == expected
    assert ["1", "PfsMismatch", "[error]", "PFS", "mismatch"] in rows
    j = invoke("check", CONN, DEVICE, "--statistics", "--format", "json")
    assert {row["code"]: row["count"] for row in json.loads(j.stdout)} == expected
    bad = invoke("check", CONN, DEVICE, "--statistics", "--format", "sarif")
    assert bad.exit_code == 2 and "--statistics" in bad.stderr


def test_colour_only_when_asked_or_on_a_terminal(tmp_path):
    esc = "\x1b["
    assert esc not in invoke("check", CONN, DEVICE).stdout  # auto, not a terminal
    always = invoke("check", CONN, DEVICE, "--color", "always").stdout
    assert f"\x1b[1;31mERROR\x1b[0m" in always
    assert esc not in invoke("check", CONN, DEVICE, "--color", "always", "--format", "json").stdout
    out = tmp_path / "report.txt"
    invoke("check", CONN, DEVICE, "--color", "always", "-o", out)
    assert esc not in out.read_text()
    assert esc not in invoke("check", CONN, DEVICE, "--color", "never").stdout


def _on_a_terminal(*args, env=None):
    """Run the tool with stdout on a pseudo-terminal; returns what it printed there."""
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", "from analyzer.cli import main; main()", *map(str, args)],
                            stdout=follower, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})})
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(leader)
    return b"".join(chunks).decode()


def test_auto_colour_on_a_terminal_respects_no_color():
    env = {"TERM": "xterm", "NO_COLOR": ""}
    assert "\x1b[1;31mERROR" in _on_a_terminal("check", CONN, DEVICE, env=env)
    assert "\x1b[" not in _on_a_terminal("check", CONN, DEVICE, env={**env, "NO_COLOR": "1"})
    assert "\x1b[" not in _on_a_terminal("check", CONN, DEVICE, "--color", "never", env=env)


def test_input_text_cannot_inject_colour_codes(tmp_path):
    conn = tmp_path / "c.json"
    conn.write_text(CONN.read_text().replace('"sh-branch-12"', '"x\\u001b[31m y"'))
    r = invoke("check", conn, DEVICE, "--color", "always")
    assert "\\x1b[31m y" in r.stdout and "x\x1b[31m" not in r.stdout


def test_shell_completion_offers_options_and_values():
    import os
    import subprocess
    import sys

    env = {**os.environ, "_IPSEC_PREFLIGHT_COMPLETE": "complete_bash", "COMP_WORDS": "ipsec-preflight check --format ",
           "COMP_CWORD": "3"}
    from pathlib import Path

    entry = Path(sys.executable).parent / "ipsec-preflight"  # the installed script: completion keys on its name
    r = subprocess.run([str(entry)], env=env, capture_output=True, text=True)
    assert {"github", "gitlab", "junit", "sarif"} <= set(r.stdout.split()), r.stdout + r.stderr
    # the script for bash, asked for by name (`--show-completion` detects the calling shell instead, which under a
    # test runner may be `sh`: "Shell sh not supported")
    show = subprocess.run([str(entry)], env={**os.environ, "_IPSEC_PREFLIGHT_COMPLETE": "source_bash"},
                          capture_output=True, text=True)
    assert "_IPSEC_PREFLIGHT_COMPLETE=complete_bash" in show.stdout and show.returncode == 0


@pytest.mark.parametrize("fmt,start", [("github", "::"), ("gitlab", "["), ("junit", "<?xml")])
def test_new_formats_through_check_audit_and_hook(tmp_path, monkeypatch, fmt, start):
    r = invoke("check", CONN, DEVICE, "--format", fmt)
    assert r.exit_code == 1 and r.stdout.lstrip().startswith(start), r.stdout[:200] + r.stderr
    shutil.copy(CONN, tmp_path / "c.json")
    shutil.copy(DEVICE, tmp_path / "d.cfg")
    a = invoke("audit", tmp_path, "--format", fmt, "--no-config", "-j", "1")
    assert a.exit_code == 1 and a.stdout.lstrip().startswith(start)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".ipsec-preflight.toml").write_text('alibaba = ["c.json"]\n')
    monkeypatch.chdir(tmp_path)
    h = invoke("hook", "d.cfg", "--format", fmt)
    assert h.exit_code == 1 and h.stdout.lstrip().startswith(start) and "PfsMismatch" in h.stdout


# --- Terraform through the real loader: root modules only, the hook re-checks through the caller -----------

@pytest.fixture
def tf_repo(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    shutil.copytree(FIXTURES / "terraform" / "hcl", tmp_path / "infra")
    (tmp_path / "configs").mkdir()
    shutil.copy(FIXTURES / "audit" / "devices" / "other" / "bj-dc-asa01.cfg", tmp_path / "configs" / "bj.cfg")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_audit_reads_a_child_module_through_its_caller_only(tf_repo):
    r = invoke("audit", ".", "--format", "json", "--no-config", "-j", "1")
    doc = json.loads(r.stdout)
    assert doc["errors"] == [], doc["errors"]
    assert doc["audit"]["connections"] == 1 and doc["audit"]["pairs"] == 2
    assert not any(f["code"] == "KnownAfterApply" for p in doc["pairs"] for f in p["findings"])


@pytest.mark.parametrize("committed", ["infra/modules/ipsec/main.tf", "infra/terraform.tfvars", "infra/main.tf"])
def test_hook_checks_a_committed_terraform_file_with_the_repository_devices(tf_repo, committed):
    r = invoke("hook", committed, "--format", "json")
    assert r.exit_code == 0, r.stdout + r.stderr
    doc = json.loads(r.stdout)
    assert doc["errors"] == []
    assert {p["device"] for p in doc["pairs"]} == {"configs/bj.cfg"} and all(p["alibaba_file"] for p in doc["pairs"])
    assert "1 device config(s) checked against 1 connection(s)" in r.stderr


def test_check_and_show_read_a_terraform_folder_with_the_real_loader(tf_repo):
    r = invoke("check", "infra", "configs/bj.cfg", "--format", "json")
    doc = json.loads(r.stdout)
    assert r.exit_code == 0 and doc["errors"] == [] and len(doc["pairs"]) == 2
    assert all(p["alibaba_file"].endswith(".tf") for p in doc["pairs"])
    shown = invoke("show", "infra/main.tf")
    assert shown.exit_code == 0 and json.loads(shown.stdout)[0]["connection_name"] == "bj-dc-asa-dual"


def test_terraform_for_other_resources_is_skipped_not_an_error(tmp_path):
    (tmp_path / "net").mkdir()
    (tmp_path / "net" / "main.tf").write_text('resource "alicloud_vpc" "v" {\n  cidr_block = "10.0.0.0/8"\n}\n')
    shutil.copy(DEVICE, tmp_path / "d.cfg")
    doc = json.loads(invoke("audit", tmp_path, "--format", "json", "--no-config", "-j", "1").stdout)
    assert doc["errors"] == []
    assert [s["reason"].split(":")[0] for s in doc["audit"]["skipped"]] == ["Terraform without an IPsec connection"]


# --- what the HTML page is given by the commands ------------------------------------------------------------

HUAWEI_KEY, HUAWEI_ODD, IOS_KEY = "%^%#Zq8+cIpHeRtExT99%^%#", "Xk7-oddKeyWord-Qp2", "hzDC-7q!Lm2#vR9k"


def _huawei_with_key_block(tmp_path):
    """The pair fixture with a cipher key, an aggressive mode finding two lines from it, and a line the parser
    does not understand inside the key block (masked whole)."""
    text = (FIXTURES / "pairs" / "ikev1-map.huawei.cfg").read_text()
    text = text.replace(" exchange-mode main\n pre-shared-key simple hzDC-7q!Lm2#vR9k\n",
                        f" exchange-mode aggressive\n pre-shared-key cipher {HUAWEI_KEY}\n"
                        f" frobnicate {HUAWEI_ODD}\n")
    dev = tmp_path / "hz.cfg"
    dev.write_text(text)
    return dev


def test_html_of_check_has_excerpts_inputs_and_run_time_but_no_key(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764475506")  # 2025-11-30 04:05:06 UTC
    dev = _huawei_with_key_block(tmp_path)
    out = tmp_path / "r.html"
    r = invoke("check", FIXTURES / "pairs" / "ikev1-map.json", dev, "--format", "html", "-o", out)
    assert r.exit_code in (0, 1), r.stderr
    page = out.read_text()
    assert "<div class=ex>" in page and "exchange-mode aggressive</mark>" in page  # the finding's line
    assert "pre-shared-key cipher &lt;redacted&gt;" in page  # the key line, masked as the parser read it
    assert HUAWEI_KEY not in page and HUAWEI_ODD not in page and "Zq8" not in page
    assert "Inputs: <code>" in page and "ikev1-map.json</code>" in page
    assert "run 2025-11-30 04:05:06 UTC" in page


def test_html_excerpt_of_an_ios_keyring_shows_no_key(tmp_path):
    dev = tmp_path / "isr.cfg"
    text = (FIXTURES / "ios" / "isr4451-17.12-ikev1-map.cfg").read_text()
    dev.write_text(text.replace("crypto isakmp policy 10\n encr aes 256\n", "crypto isakmp policy 10\n encr des\n"))
    out = tmp_path / "r.html"
    r = invoke("lint", dev, "--format", "html", "-o", out)
    assert r.exit_code in (0, 1), r.stderr
    page = out.read_text()
    assert "<div class=ex>" in page and "encr des</mark>" in page
    assert "pre-shared-key address 198.51.100.60 key &lt;redacted&gt;" in page
    assert IOS_KEY not in page and "hzDC" not in page


def test_html_of_audit_has_inputs_and_excerpts_without_keys(tmp_path):
    _huawei_with_key_block(tmp_path)
    shutil.copy(FIXTURES / "pairs" / "ikev1-map.json", tmp_path / "conn.json")
    out = tmp_path.parent / f"{tmp_path.name}-audit.html"
    r = invoke("audit", tmp_path, "--no-config", "-j", "1", "--format", "html", "-o", out)
    assert r.exit_code in (0, 1), r.stderr
    page = out.read_text()
    assert "Inputs: <code>" in page and "<div class=ex>" in page and "run " in page
    assert HUAWEI_KEY not in page and HUAWEI_ODD not in page


def test_check_of_a_terraform_plan_names_the_plan_action_per_pair():
    asa = FIXTURES / "audit" / "devices" / "other" / "bj-dc-asa01.cfg"
    r = invoke("check", FIXTURES / "terraform" / "plan-dual.json", asa)
    assert r.stdout.count("[Terraform plan: create]") == 2, r.stdout  # one per tunnel pair
    doc = json.loads(invoke("check", FIXTURES / "terraform" / "plan-dual.json", asa, "--format", "json").stdout)
    assert [p["plan_action"] for p in doc["pairs"]] == ["create", "create"]
    plain = json.loads(invoke("check", CONN, DEVICE, "--format", "json").stdout)
    assert [p["plan_action"] for p in plain["pairs"]] == [None]


def test_audit_summary_counts_alibaba_inputs_not_json_files(tmp_path):
    """A Terraform folder is one Alibaba input, not a JSON file."""
    shutil.copytree(FIXTURES / "terraform" / "hcl", tmp_path / "tf")
    shutil.copy(FIXTURES / "audit" / "devices" / "other" / "bj-dc-asa01.cfg", tmp_path / "asa.cfg")
    r = invoke("audit", tmp_path, "--no-config", "-j", "1")
    assert "1 Alibaba input(s)" in r.stdout and "Alibaba JSON)" not in r.stdout, r.stdout


def test_check_notes_reach_json_and_html_as_well_as_stderr(tmp_path):
    pair = (FIXTURES / "pairs" / "ikev1-map.json", FIXTURES / "pairs" / "ikev1-map.huawei.cfg")
    r = invoke("check", *pair, "--format", "json")
    assert "gateway IP unknown; compared with LocalId" in r.stderr
    notes = json.loads(r.stdout)["notes"]
    assert any(n["file"].endswith("ikev1-map.json") and "gateway IP unknown; compared with LocalId" in n["message"]
               for n in notes), notes
    out = tmp_path / "r.html"
    invoke("check", *pair, "--format", "html", "-o", out)
    page = out.read_text()
    assert "Notes on the inputs (2)" in page and "compared with LocalId 198.51.100.60 instead" in page


def test_hook_notes_reach_json_and_html(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    shutil.copy(FIXTURES / "audit" / "devices" / "other" / "sh-branch-ar01.cfg", tmp_path / "sh.cfg")
    (tmp_path / "notes.md").write_text("# change log\n")
    (tmp_path / ".ipsec-preflight.toml").write_text("fail-on = \"error\"\n")
    monkeypatch.chdir(tmp_path)
    r = invoke("hook", "sh.cfg", "notes.md", "--format", "json")
    assert "1 linted only" in r.stderr and "1 file(s) ignored" in r.stderr  # the summary line stays
    notes = {(n["file"], n["message"]) for n in json.loads(r.stdout)["notes"]}
    assert ("sh.cfg", "linted only (the settings name no Alibaba JSON)") in notes
    assert any(f == "notes.md" and m.startswith("ignored: ") for f, m in notes), notes
    r = invoke("hook", "sh.cfg", "notes.md", "--format", "html")
    assert "linted only (the settings name no Alibaba JSON)" in r.stdout and "Inputs: <code>sh.cfg</code>" in r.stdout
