"""`audit` on a repository laid out like a network team's (fixtures/repo: README, YAML, TOML, .gitignore,
configs in nested folders per site): plainly-not-config files are skipped and listed, settings and
filters apply, and what cannot be paired is a finding, never a silent pass."""
import json
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from analyzer.cli import app
from conftest import FIXTURES

REPO = FIXTURES / "repo"
PAIRS = FIXTURES / "pairs"
runner = CliRunner()


def audit(*args):
    return runner.invoke(app, ["audit", *[str(a) for a in args]])


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A copy of fixtures/repo as a git work tree, with the clutter a real one collects; cwd is its root."""
    root = tmp_path / "network-configs"
    shutil.copytree(REPO, root)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "reports").mkdir()
    (root / "reports" / "audit.html").write_text("<!doctype html><title>old report</title>")
    (root / "reports" / "hz-dc-edge01.cfg").write_text("not a config: a copy of a report, ignored by git\n")
    (root / "configs" / "hangzhou" / "core" / "hz-dc-edge01.cfg.bak").write_text("garbage, ignored by git\n")
    monkeypatch.chdir(root)
    return root


def test_a_config_repository_exits_with_the_verdict_of_its_configs(repo):
    # today: exit 2, README.md, .pre-commit-config.yaml and the settings TOML were "files not checked"
    r = audit(".")
    out = r.stdout
    assert r.exit_code == 1, out  # the configs' own errors, nothing else
    assert "files not checked" not in out
    assert "settings: .ipsec-preflight.toml" in out
    for line in ("not a device config: documentation: ./README.md, ./docs/runbook.md",
                 "not a device config: YAML: ./.pre-commit-config.yaml",
                 "not a device config: TOML: ./.ipsec-preflight.toml",
                 "excluded by `exclude` in .ipsec-preflight.toml: ./archive/gz-legacy-rtr01.cfg"):
        assert line in out
    # .gitignore is asked once for the whole walk: the ignored folder and backup file are left out
    assert "ignored by .gitignore: ./configs/hangzhou/core/hz-dc-edge01.cfg.bak, ./reports/" in out
    assert "connections: 6 (7 tunnels); pairs checked: 6" in out
    report = json.loads(audit(".", "--format", "json").stdout)
    assert report["errors"] == []
    assert {p["device"] for p in report["pairs"]} == {
        "./configs/beijing/bj-dc-asa01.cfg", "./configs/guangzhou/gz-nat-branch01.cfg",
        "./configs/hangzhou/core/hz-dc-edge01.cfg", "./configs/shanghai/sh-branch-ar01.cfg"}


def test_without_settings_the_archive_is_audited_and_its_cut_export_reported(repo):
    r = audit(".", "--no-config", "--format", "json")
    report = json.loads(r.stdout)
    archived = [p for p in report["pairs"] if p["device"].endswith("gz-legacy-rtr01.cfg")]
    assert any(f["code"] == "DeviceConfigIncomplete" and "set peer 198.51.100." in f["message"]
               for p in archived for f in p["findings"])
    assert r.exit_code == 1


def test_a_file_that_may_be_a_config_but_does_not_parse_still_fails_the_run(repo):
    (repo / "configs" / "shanghai" / "sh-branch-ar02.txt").write_text("2026-10-02 moved to the new uplink\n")
    r = audit(".")
    assert r.exit_code == 2
    assert "sh-branch-ar02.txt: no device vendor recognised" in r.stderr
    assert "--exclude GLOB" in r.stderr and "pass --vendor" not in r.stderr


def test_include_and_exclude_globs(repo):
    r = audit(".", "--include", "configs/hangzhou/**", "--include", "alibaba/*.json", "--format", "json")
    assert {p["device"] for p in json.loads(r.stdout)["pairs"]} == {"./configs/hangzhou/core/hz-dc-edge01.cfg"}
    r = audit(".", "--exclude", "beijing", "--exclude", "configs/guangzhou/*.cfg")
    assert "excluded by --exclude: ./configs/beijing/bj-dc-asa01.cfg, ./configs/guangzhou/gz-nat-branch01.cfg" in r.stdout


@pytest.mark.parametrize("name,content,what", [
    ("package.json", {"name": "net-configs", "private": True, "scripts": {"lint": "pre-commit run -a"}},
     "not a connection: no connection fields (IkeConfig, IpsecConfig, TunnelOptionsSpecification, LocalSubnet, "
     "RemoteSubnet)"),
    ("empty.json", {}, "not a connection: an empty JSON object"),
    ("last-audit.json", {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
                                 "runs": []}, "not a connection: a SARIF report"),
    ("alibaba/vpn-gateway.json", json.loads((PAIRS / "vpngw.json").read_text()),
     "not a connection: a VPN gateway description (its IP addresses are used)"),
])
def test_json_that_is_not_a_connection_is_skipped_not_a_phantom_tunnel(repo, name, content, what):
    # today each of these became a connection built from API defaults: 7-11 errors for a phantom tunnel
    path = repo / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(content))
    r = audit(".", "--no-config")  # no settings: nothing in them hides the file
    assert f"{what}: ./{name}" in r.stdout
    assert "connections: 6 (7 tunnels)" in r.stdout


def test_the_tools_own_sarif_report_left_in_the_folder_is_skipped(repo):
    sarif = audit(".", "--format", "sarif").stdout
    (repo / "audit-report.json").write_text(sarif)
    r = audit(".")
    assert "not a connection: a SARIF report: ./audit-report.json" in r.stdout and r.exit_code == 1


def _pair_folder(tmp_path, json_name, cfg_name, *edits):
    folder = tmp_path / "pair"
    folder.mkdir()
    shutil.copy(PAIRS / json_name, folder / json_name)
    text = (PAIRS / cfg_name).read_text()
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    (folder / cfg_name).write_text(text)
    return folder


def _sarif_rules(result) -> list[tuple[str, str]]:
    return [(r["ruleId"], r["level"]) for r in json.loads(result.stdout)["runs"][0]["results"]]


def test_a_peer_cut_short_is_not_a_silent_pass(tmp_path, monkeypatch):
    # today: exit 0, "pairs checked: 0", SARIF with 0 results, while `check` reported errors
    folder = _pair_folder(tmp_path, "ikev1-map.json", "ikev1-map.cfg", (" set peer 198.51.100.60", " set peer 198.51.100."))
    monkeypatch.chdir(tmp_path)
    r = audit("pair", "--format", "sarif")
    assert r.exit_code == 1
    assert ("UnpairedAlibabaTunnel", "error") in _sarif_rules(r)
    text = audit("pair").stdout
    assert "could not be read may be the missing peer: pair/ikev1-map.cfg:24 (set peer 198.51.100.)" in text
    assert "DeviceConfigIncomplete" in text  # the device was linted: its own errors are reported


def test_a_connection_without_gateway_ip_is_not_a_silent_pass(tmp_path, monkeypatch):
    # single tunnel with FQDN identities and no InternetIp: nothing can pair with it by address
    folder = _pair_folder(tmp_path, "ikev2-map.json", "ikev2-map.cfg")
    monkeypatch.chdir(tmp_path)
    r = audit("pair", "--format", "sarif")
    assert r.exit_code == 1
    assert sorted(_sarif_rules(r)) == [("UnpairedAlibabaTunnel", "error"), ("UnpairedDeviceTunnel", "error")]
    text = audit("pair").stdout
    assert "add the DescribeVpnGateway response of vpn-bp1pairs0gateway00001" in text
    assert "pair/ikev2-map.cfg:33: error UnpairedDeviceTunnel" in text
    # with the gateway's description in the folder, the pair is found and checked
    shutil.copy(PAIRS / "vpngw.json", folder / "vpngw.json")
    r = audit("pair")
    assert "pairs checked: 1" in r.stdout and "Unpaired" not in r.stdout and r.exit_code == 0


def test_an_unpaired_device_tunnel_is_a_warning_that_fail_on_counts(tmp_path, monkeypatch):
    folder = _pair_folder(tmp_path, "ikev1-map.json", "ikev1-map.cfg")
    other = (PAIRS / "ikev1-map.cfg").read_text().replace("198.51.100.60", "192.0.2.77")  # a tunnel elsewhere
    (folder / "branch-to-aws.cfg").write_text(other)
    monkeypatch.chdir(tmp_path)
    r = audit("pair", "--format", "sarif")
    assert r.exit_code == 0  # a warning: the device may well have tunnels to other clouds
    assert [(rule, level) for rule, level in _sarif_rules(r) if level != "note"] == [("UnpairedDeviceTunnel", "warning")]
    assert audit("pair", "--fail-on", "warning").exit_code == 1
    assert audit("pair", "--fail-on", "warning", "--disable", "UnpairedDeviceTunnel").exit_code == 0


def test_pairing_file_entries_that_match_nothing_are_reported(repo):
    pairing = repo / "pairing.toml"
    pairing.write_text('# explicit pairs\n[[pair]]\ndevice = "configs/guangzhou/*.cfg"\nconnection = "gz-branch-behind-nat"\n'
                       '\n[[pair]]\ndevice = "configs/chengdu/*.cfg"\nconnection = "vco-audit0hz0dc0001"\n'
                       '\n[[pair]]\ndevice = "configs/beijing/*.cfg"\nconnection = "vco-doesnotexist"\n')
    r = audit(".", "--pairing", pairing)
    assert r.exit_code == 2
    assert "pairing.toml:7: [[pair]] device = 'configs/chengdu/*.cfg': matches no file of the audit" in r.stderr
    assert "pairing.toml:11: [[pair]] connection = 'vco-doesnotexist': no Alibaba file of the audit holds" in r.stderr
    assert "gz-branch-behind-nat" not in r.stderr  # a connection name is as good as its id
    excluded = audit(".", "--pairing", pairing, "--exclude", "beijing").stderr
    assert "vco-doesnotexist" in excluded and "configs/beijing" not in excluded  # filtered out is not stale


def test_a_package_json_beside_a_config_is_no_phantom_connection(tmp_path, monkeypatch):
    # today: package.json and {} were two connections built from API defaults, and the device was "paired" mode
    folder = _pair_folder(tmp_path, "ikev1-map.json", "ikev1-map.cfg")
    (folder / "ikev1-map.json").unlink()
    (folder / "package.json").write_text('{"name": "net-configs", "private": true}')
    (folder / "empty.json").write_text("{}")
    monkeypatch.chdir(tmp_path)
    summary = json.loads(audit("pair", "--format", "json").stdout)["audit"]
    assert (summary["mode"], summary["connections"], summary["alibaba_files"]) == ("lint", 0, 0)


def test_settings_fail_on_and_per_file_overrides_decide_the_exit(tmp_path, monkeypatch):
    folder = _pair_folder(tmp_path, "ikev1-map.json", "ikev1-map.cfg")
    (folder / "branch-to-aws.cfg").write_text((PAIRS / "ikev1-map.cfg").read_text().replace("198.51.100.60",
                                                                                           "192.0.2.77"))
    settings = folder / ".ipsec-preflight.toml"
    settings.write_text('fail-on = "warning"\n')
    monkeypatch.chdir(folder)
    assert audit(".").exit_code == 1  # the unpaired tunnel to another cloud is a warning
    settings.write_text('fail-on = "warning"\n[[override]]\nfiles = "branch-to-*.cfg"\nfail-on = "error"\n')
    assert audit(".").exit_code == 0
    assert audit(".", "--fail-on", "warning").exit_code == 1  # the command line wins
    settings.write_text('fail-on = "warning"\n[[override]]\nfiles = "branch-to-*.cfg"\ndisable = ["UnpairedDeviceTunnel"]\n')
    r = audit(".")
    assert r.exit_code == 0 and "UnpairedDeviceTunnel" not in r.stdout
    assert audit(".", "--no-config", "--fail-on", "warning").exit_code == 1


def test_unpaired_reasons_quoting_device_lines_never_show_a_key(tmp_path, monkeypatch):
    key = "hzDC-7q!Lm2#vR9k"  # the fixture's pre-shared key, on a line whose address is cut short too
    folder = _pair_folder(tmp_path, "ikev1-map.json", "ikev1-map.cfg", (" set peer 198.51.100.60", " set peer 198.51.100."),
                          (f"key {key} address 198.51.100.60", f"key {key} address 198.51.100."))
    monkeypatch.chdir(tmp_path)
    for fmt in ("text", "json", "sarif", "html"):
        r = audit("pair", "--format", fmt)
        assert r.exit_code == 1 and "UnpairedAlibabaTunnel" in r.stdout
        assert key not in r.stdout + r.stderr


def test_skipped_files_are_in_the_json_and_html_reports_too(repo):
    doc = json.loads(audit(".", "--format", "json").stdout)
    skipped = {k["file"].removeprefix("./"): k["reason"] for k in doc["audit"]["skipped"]}
    assert skipped["README.md"].startswith("not a device config")
    assert ".ipsec-preflight.toml" in skipped and ".pre-commit-config.yaml" in skipped
    html = audit(".", "--format", "html").stdout
    assert "Files skipped" in html and ".pre-commit-config.yaml" in html


EMPTY_PAGE = {"RequestId": "A1", "TotalCount": 0, "PageNumber": 1, "PageSize": 10,
              "VpnConnections": {"VpnConnection": []}}
API_ERROR = {"RequestId": "B2", "Code": "InvalidRegionId.NotFound", "Message": "The specified region does not exist."}


@pytest.mark.parametrize("doc,said", [
    (EMPTY_PAGE, "an empty DescribeVpnConnections page (TotalCount 0): no connection listed"),
    (API_ERROR, "an Alibaba Cloud API error response, not a connection export (Code 'InvalidRegionId.NotFound'"),
])
def test_an_alibaba_file_without_connection_is_an_input_error_not_a_lint(repo, doc, said):
    # today: exit 0, "no Alibaba JSON given", SARIF with 0 results
    for f in (repo / "alibaba").iterdir():
        f.unlink()
    (repo / "alibaba" / "vpn.json").write_text(json.dumps(doc))
    for args in ((".",), ("alibaba/vpn.json", "configs/shanghai/sh-branch-ar01.cfg")):
        r = audit(*args)
        assert r.exit_code == 2, args
        assert f"alibaba/vpn.json: {said}" in r.stderr
        assert "no Alibaba JSON given" not in r.stdout
        assert "no connection loaded from the 1 Alibaba JSON file(s) given" in r.stdout


def test_a_json_named_as_alibaba_input_must_hold_connections(repo):
    (repo / "package.json").write_text('{"name": "net-configs", "private": true}')
    r = audit("package.json", "configs/shanghai/sh-branch-ar01.cfg", "--no-config")
    assert r.exit_code == 2
    assert "package.json: named as Alibaba input, but holds no IPsec connection" in r.stderr
    walked = audit(".", "--no-config")  # in a walked folder it is plainly something else: skipped
    assert "not a connection: no connection fields" in walked.stdout and walked.exit_code == 1


def test_include_keeps_the_settings_alibaba_files(repo):
    # today: every comparison silently became a lint ("no Alibaba JSON given")
    r = audit(".", "--include", "configs/**/*.cfg", "--format", "json")
    summary = json.loads(r.stdout)["audit"]
    assert summary["mode"] == "pair" and summary["connections"] == 6 and summary["alibaba_files"] == 2
    assert r.exit_code == 1


def test_a_truncated_page_is_noted_and_not_forced_on_a_device_of_another_site(repo):
    path = repo / "alibaba" / "describe-vpn-connections.json"
    page = json.loads(path.read_text())
    page["VpnConnections"]["VpnConnection"] = [c for c in page["VpnConnections"]["VpnConnection"]
                                               if c["VpnConnectionId"] != "vco-audit0sh0br0001"]
    path.write_text(json.dumps(page))  # TotalCount stays 5
    r = audit(".")
    note = "alibaba/describe-vpn-connections.json: page 1 of 1: 4 of 5 connections; pairing may pick a wrong connection"
    assert note in r.stderr and note in r.stdout
    sh = [line for line in r.stdout.splitlines() if "sh-branch-ar01.cfg" in line and "Mismatch" in line]
    assert sh == []  # today: PeerIdMismatch, PeerMismatch, PskMismatch, TrafficSelectorMismatch aimed at hz-dc
    doc = json.loads(audit(".", "--format", "json").stdout)  # the reports carry it too
    assert [n["message"].startswith(note.split(": ", 1)[1]) for n in doc["audit"]["notes"]] == [True]
    sarif = json.loads(audit(".", "--format", "sarif").stdout)
    texts = [n["message"]["text"] for n in sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]]
    assert any(t.startswith(note.split(": ", 1)[1]) for t in texts)


def test_an_empty_file_named_by_alibaba_is_said_to_be_one(repo):
    (repo / "alibaba" / "vpn.json").write_text("")
    r = audit(".")
    assert "alibaba/vpn.json: empty file; expected an Alibaba connection JSON" in r.stderr
    assert "no device vendor recognised" not in r.stderr + r.stdout and r.exit_code == 2


def test_an_unknown_gateway_is_said_unknown_not_none(tmp_path, monkeypatch):
    folder = _pair_folder(tmp_path, "ikev2-map.json", "ikev2-map.cfg")  # FQDN ids, no InternetIp
    monkeypatch.chdir(tmp_path)
    out = audit("pair").stdout
    assert "None" not in out
    assert "gateway unknown (no InternetIp, and LocalId is not an address)" in out
