"""Baselines through the real command line: --write-baseline, --baseline, `baseline = "..."` in the settings."""
import json
import os
import shutil

import pytest
from typer.testing import CliRunner

from analyzer.cli import app
from conftest import FIXTURES

runner = CliRunner()
EX = FIXTURES / "example"
KEY = "Br12-Sh!q8Zt4wXe"  # the example's pre-shared key (connection.json and the device)


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git-like work tree holding the example pair; commands run from its root (fingerprints name files
    relative to it)."""
    (tmp_path / ".git").mkdir()
    shutil.copy(EX / "connection.json", tmp_path / "connection.json")
    shutil.copy(EX / "branch-router.cfg", tmp_path / "branch.cfg")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*extra):
    return invoke("check", "connection.json", "branch.cfg", *extra)


def codes(stdout: str) -> list[str]:
    return sorted(f["code"] for p in json.loads(stdout)["pairs"] for f in p["findings"])


def test_write_then_baseline_reports_nothing_and_exits_zero(repo):
    before = check("--format", "json")
    assert before.exit_code == 1 and "PfsMismatch" in codes(before.stdout)
    w = check("--write-baseline", "base.json", "--fail-on", "info")
    assert w.exit_code == 0, w.stderr  # what it recorded is not reported any more
    assert f"baseline written to base.json: {len(codes(before.stdout))} finding(s)" in w.stderr
    r = check("--baseline", "base.json", "--format", "json", "--fail-on", "info")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert codes(r.stdout) == []
    assert doc["baseline"] == {"file": "base.json", "baselined": len(codes(before.stdout)), "stale": []}
    text = check("--baseline", "base.json")
    assert "Baseline base.json: 8 finding(s) recorded there not reported" in text.stdout


def test_the_file_is_sorted_stable_and_holds_no_key(repo):
    check("--write-baseline", "base.json")
    first = (repo / "base.json").read_text()
    check("--write-baseline", "base.json")
    assert (repo / "base.json").read_text() == first
    doc = json.loads(first)
    assert doc["tool"] == "ipsec-preflight" and doc["version"]
    entries = doc["entries"]
    assert entries and all(list(e) == ["fingerprint", "code", "file", "message"] for e in entries)
    assert [(e["file"], e["code"], e["fingerprint"]) for e in entries] == \
        sorted((e["file"], e["code"], e["fingerprint"]) for e in entries)
    assert {e["file"] for e in entries} <= {"branch.cfg", "connection.json"}
    assert KEY not in first


def test_changed_values_and_moved_lines_stay_baselined_new_findings_do_not(repo):
    check("--write-baseline", "base.json")
    conn = repo / "connection.json"
    conn.write_text(conn.read_text().replace('"IpsecPfs": "group14"', '"IpsecPfs": "group5"'))
    dev = repo / "branch.cfg"
    dev.write_text("!\n! re-exported\n!\n" + dev.read_text())
    r = check("--baseline", "base.json", "--format", "json", "--fail-on", "info")
    assert codes(r.stdout) == [] and r.exit_code == 0  # PfsMismatch now says group5: same fingerprint
    dev.write_text(dev.read_text().replace(" hash sha\n", " hash md5\n", 1))
    r = check("--baseline", "base.json", "--format", "json")
    assert codes(r.stdout) == ["AuthenticationAlgorithmMismatch"] and r.exit_code == 1


def test_stale_entries_are_listed_on_stderr_and_in_the_json(repo):
    check("--write-baseline", "base.json")
    dev = repo / "branch.cfg"
    dev.write_text(dev.read_text().replace(" group 2\n", " group 14\n", 1))  # fixes DhGroupMismatch
    r = check("--baseline", "base.json", "--format", "json")
    stale = json.loads(r.stdout)["baseline"]["stale"]
    assert [(e["code"], e["file"]) for e in stale] == [("DhGroupMismatch", "branch.cfg")]
    assert "base.json: 1 baseline entry no longer occurs" in r.stderr
    assert "branch.cfg: DhGroupMismatch: IKE DH group" in r.stderr
    q = check("--baseline", "base.json", "--quiet")
    assert "no longer" not in q.stderr


def test_entries_of_files_not_checked_are_not_stale_unless_the_file_is_gone(repo):
    other = repo / "other.cfg"
    shutil.copy(repo / "branch.cfg", other)
    w = invoke("audit", ".", "--write-baseline", "base.json", "--no-config", "-j", "1")
    assert w.exit_code == 0, w.stdout + w.stderr
    files = {e["file"] for e in json.loads((repo / "base.json").read_text())["entries"]}
    assert "other.cfg" in files and "branch.cfg" in files
    r = check("--baseline", "base.json", "--format", "json")  # other.cfg is not part of this run
    assert json.loads(r.stdout)["baseline"]["stale"] == [] and codes(r.stdout) == []
    other.unlink()
    r = check("--baseline", "base.json", "--format", "json")
    assert {e["file"] for e in json.loads(r.stdout)["baseline"]["stale"]} == {"other.cfg"}


@pytest.mark.parametrize("text,says", [
    ('{"tool": "ipsec-preflight", "entries": [\n', "base.json:2: not a baseline file: invalid JSON"),
    ('{"version": "1", "runs": []}', "base.json: not a baseline file"),
    ('{"tool": "ipsec-preflight", "entries": [{"code": "X"}]}', "base.json: baseline entry #1: needs"),
])
def test_a_malformed_baseline_is_an_input_error_and_everything_is_reported(repo, text, says):
    (repo / "base.json").write_text(text)
    r = check("--baseline", "base.json", "--format", "json")
    assert r.exit_code == 2 and says in r.stderr
    assert "PfsMismatch" in codes(r.stdout)  # the rest of the work goes on
    assert "Traceback" not in r.stderr


def test_no_baseline_is_written_from_a_run_with_input_errors(repo):
    (repo / "broken.cfg").write_text("interface Gi0\n ip address 10.0.0.1\n")
    r = invoke("audit", ".", "--write-baseline", "base.json", "--no-config", "-j", "1")
    assert r.exit_code == 2 and "baseline not written: the run has input errors" in r.stderr
    assert not (repo / "base.json").exists()


def test_write_baseline_never_replaces_an_input_or_another_file(repo):
    before = (repo / "connection.json").read_text()
    r = check("--write-baseline", "connection.json")
    assert r.exit_code == 2 and (repo / "connection.json").read_text() == before
    (repo / "notes.txt").write_text("mine\n")
    r = check("--write-baseline", "notes.txt")
    assert r.exit_code == 2 and "not a baseline file" in r.stderr and (repo / "notes.txt").read_text() == "mine\n"


def test_settings_baseline_is_relative_to_the_settings_file(repo, monkeypatch):
    (repo / "ci").mkdir()
    w = invoke("audit", ".", "--write-baseline", "ci/base.json", "--no-config", "-j", "1")
    assert w.exit_code == 0, w.stderr
    (repo / ".ipsec-preflight.toml").write_text('baseline = "ci/base.json"\n')
    r = invoke("audit", ".", "--format", "json", "-j", "1", "--fail-on", "info")
    doc = json.loads(r.stdout)
    assert r.exit_code == 0 and doc["baseline"]["file"] == os.path.join("ci", "base.json")
    assert doc["audit"]["totals"] == {"error": 0, "warning": 0, "info": 0, "suppressed": 0}
    monkeypatch.chdir(repo / "ci")  # found from the settings' folder, not the current one
    r = invoke("audit", "..", "--format", "json", "-j", "1", "--config", repo / ".ipsec-preflight.toml")
    assert r.exit_code == 0 and json.loads(r.stdout)["baseline"]["baselined"] > 0
    bad = repo / ".ipsec-preflight.toml"
    bad.write_text("baseline = 5\n")
    monkeypatch.chdir(repo)
    r = invoke("audit", ".", "-j", "1")
    assert r.exit_code == 2 and "baseline: expected the path of a baseline file" in r.stderr


def test_hook_uses_the_settings_baseline(repo):
    settings = repo / ".ipsec-preflight.toml"
    settings.write_text('alibaba = ["connection.json"]\n')
    assert invoke("hook", "branch.cfg").exit_code == 1
    w = invoke("audit", ".", "--write-baseline", "base.json", "-j", "1")
    assert w.exit_code == 0, w.stderr
    settings.write_text('alibaba = ["connection.json"]\nbaseline = "base.json"\n')
    r = invoke("hook", "branch.cfg")
    assert r.exit_code == 0, r.stdout
    assert "baselined (base.json)" in r.stdout
    dev = repo / "branch.cfg"
    dev.write_text(dev.read_text().replace(" hash sha\n", " hash md5\n", 1))
    r = invoke("hook", "branch.cfg")
    assert r.exit_code == 1 and "AuthenticationAlgorithmMismatch" in r.stdout and "PfsMismatch" not in r.stdout
    (repo / "base.json").unlink()  # named by the settings but missing: an input error, not a silent full report
    r = invoke("hook", "branch.cfg")
    assert r.exit_code == 2 and "base.json" in r.stdout


def test_baseline_and_write_baseline_together_is_a_usage_error(repo):
    check("--write-baseline", "base.json")
    r = check("--write-baseline", "new.json", "--baseline", "base.json")
    assert r.exit_code == 2 and "--baseline" in r.stderr and not (repo / "new.json").exists()


def test_html_with_a_baseline_says_how_many_were_baselined_and_lists_stale_entries(repo):
    check("--write-baseline", "base.json")
    r = check("--baseline", "base.json", "--format", "html", "-o", "b.html")
    assert r.exit_code == 0, r.stderr
    page = (repo / "b.html").read_text()
    assert "<b class=muted>8</b>baselined (not shown)" in page
    assert "No new findings (8 baselined)" in page and "No findings." not in page
    assert "base.json" in page
    dev = repo / "branch.cfg"
    dev.write_text(dev.read_text().replace(" group 2\n", " group 14\n", 1))  # fixes DhGroupMismatch
    check("--baseline", "base.json", "--format", "html", "-o", "b.html")
    page = (repo / "b.html").read_text()
    assert "Baseline entries that no longer occur (delete them, or rewrite with --write-baseline) (1)" in page
    assert "branch.cfg: DhGroupMismatch" in page and "<b class=muted>7</b>baselined (not shown)" in page


def test_text_of_a_pair_whose_findings_were_all_baselined_does_not_say_they_agree(repo):
    check("--write-baseline", "base.json")
    r = check("--baseline", "base.json")
    assert "no new findings: 8 baselined" in r.stdout
    assert "the configurations agree" not in r.stdout


def test_report_carries_the_baseline_summary_without_a_subclass(repo):
    from analyzer import baseline
    from analyzer.findings import BaselineSummary, Report

    assert not hasattr(baseline, "ReportWithBaseline")
    assert Report.model_fields["baseline"].default is None
    r = check("--baseline", "base.json", "--format", "json")  # missing file: an input error, no summary
    assert r.exit_code == 2 and json.loads(r.stdout)["baseline"] is None
    assert BaselineSummary(file="b", baselined=0).stale == []


_COMWARE_TWO_TUNNELS = """#
 version 7.1.064, Release 0605P15
#
interface GigabitEthernet0/0
 port link-mode route
 ip address 203.0.113.90 255.255.255.252
#
interface Tunnel1 mode ipsec
 ip address 169.254.20.2 255.255.255.252
 source GigabitEthernet0/0
 destination 198.51.100.90
 tunnel protection ipsec profile P1
#
interface Tunnel2 mode ipsec
 ip address 169.254.21.2 255.255.255.252
 source GigabitEthernet0/0
 destination 198.51.100.91
 tunnel protection ipsec profile P2
#
ipsec transform-set TS1
 esp encryption-algorithm {one}
 esp authentication-algorithm sha256
 pfs dh-group14
#
ipsec transform-set TS2
 esp encryption-algorithm {two}
 esp authentication-algorithm sha256
 pfs dh-group14
#
ipsec profile P1 isakmp
 transform-set TS1
 sa duration time-based 3600
#
ipsec profile P2 isakmp
 transform-set TS2
 sa duration time-based 3600
#
return
"""


def test_lint_baseline_does_not_hide_the_same_finding_moved_to_another_block(repo):
    dev = repo / "dev.cfg"
    dev.write_text(_COMWARE_TWO_TUNNELS.format(one="aes-ctr-128", two="aes-cbc-256"))
    assert invoke("lint", "dev.cfg", "--write-baseline", "bl.json").exit_code == 0 and (repo / "bl.json").exists()
    dev.write_text(_COMWARE_TWO_TUNNELS.format(one="aes-cbc-256", two="aes-ctr-128"))  # TS2 is now the bad one
    r = invoke("lint", "dev.cfg", "--baseline", "bl.json", "--format", "json")
    assert r.exit_code == 1 and "EncryptionAlgorithmMismatch" in codes(r.stdout)
    assert "no longer occur" in r.stderr or json.loads(r.stdout)["baseline"]["stale"]


def test_a_report_written_over_the_baseline_it_applies_is_refused(repo):
    check("--write-baseline", "base.json")
    before = (repo / "base.json").read_text()
    r = check("--baseline", "base.json", "-o", "base.json")
    assert r.exit_code == 2 and "base.json" in r.stderr and (repo / "base.json").read_text() == before


def test_a_check_that_compared_no_tunnel_exits_2_whatever_the_baseline_or_exit_zero(repo):
    (repo / "none.cfg").write_text("hostname r1\n!\ninterface GigabitEthernet0/0\n ip address 10.0.0.1 255.255.255.0\n!\nend\n")
    r = invoke("check", "connection.json", "none.cfg", "--exit-zero")
    assert r.exit_code == 2 and "no device tunnel" in r.stderr
    assert invoke("check", "connection.json", "none.cfg", "--write-baseline", "nb.json").exit_code == 2
    r = invoke("check", "connection.json", "none.cfg", "--format", "sarif", "--exit-zero")
    assert r.exit_code == 2
    assert json.loads(r.stdout)["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_lint_of_devices_without_any_tunnel_exits_2_nothing_linted(repo):
    (repo / "none.cfg").write_text("hostname r1\n!\ninterface GigabitEthernet0/0\n ip address 10.0.0.1 255.255.255.0\n!\nend\n")
    r = invoke("lint", "none.cfg", "--format", "sarif")
    assert r.exit_code == 2 and "no IPsec tunnel found in none.cfg: nothing linted" in r.stderr
    assert json.loads(r.stdout)["runs"][0]["invocations"][0]["executionSuccessful"] is False
    assert invoke("lint", "none.cfg", "branch.cfg").exit_code != 2  # one device with a tunnel: linted
