"""The command line end to end, through the installed entry point's code path (typer runner)."""
import json
import re

import pytest
from typer.testing import CliRunner

from analyzer.cli import app
from conftest import FIXTURES, ROOT

runner = CliRunner()
EX = FIXTURES / "example"
PAIRS = FIXTURES / "pairs"
KEYS = ["Br12-Sh!q8Zt4wXe", "hzDC-7q!Lm2#vR9k", "fra-T1#Kq93!vPz", "fra-T2#Wd47!mNc", "gz-Branch-2026!x"]


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_example_pair_reports_findings_with_lines_and_fixes():
    r = invoke("check", EX / "connection.json", EX / "branch-router.cfg", "--format", "json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["errors"] == [] and len(doc["pairs"]) == 1
    findings = doc["pairs"][0]["findings"]
    assert {"PfsMismatch", "EncryptionAlgorithmMismatch", "DhGroupMismatch", "VpnTrafficNatted"} <= {f["code"] for f in findings}
    for f in findings:
        assert set(f) >= {"code", "severity", "message", "alibaba", "device", "fix"}
    pfs = next(f for f in findings if f["code"] == "PfsMismatch")
    assert pfs["device"]["line"] == 50 and pfs["alibaba"]["field"] == "IpsecConfig.IpsecPfs" and pfs["alibaba"]["value"] == "group14" and pfs["alibaba"]["file"].endswith("fixtures/example/connection.json")
    assert pfs["fix"]["device"] == ["crypto map ALIYUN-MAP 10 ipsec-isakmp", " set pfs group14"]
    assert pfs["fix"]["alibaba"] == {"IpsecConfig.IpsecPfs": "disabled"}


@pytest.mark.parametrize("level,code", [("error", 1), ("warning", 1), ("info", 1)])
def test_fail_on_levels(level, code):
    r = invoke("check", EX / "connection.json", EX / "branch-router.cfg", "--fail-on", level)
    assert r.exit_code == code


def test_clean_pair_exits_zero_and_warning_only_pair_respects_fail_on():
    assert invoke("check", PAIRS / "ikev1-map.json", PAIRS / "ikev1-map.cfg").exit_code == 0
    r = invoke("check", PAIRS / "ikev2-map.json", PAIRS / "ikev2-map.cfg", "--fail-on", "info")
    assert r.exit_code == 1  # the gateway-IP-unknown note is info
    assert invoke("check", PAIRS / "ikev2-map.json", PAIRS / "ikev2-map.cfg").exit_code == 0


def test_disable_skips_a_rule():
    r = invoke("check", EX / "connection.json", EX / "branch-router.cfg", "--format", "json", "--disable", "PfsMismatch")
    assert "PfsMismatch" not in {f["code"] for f in json.loads(r.stdout)["pairs"][0]["findings"]}


def test_bad_input_exits_2_with_file_and_line(tmp_path):
    bad = tmp_path / "conn.json"
    bad.write_text('{"IkeConfig": {\n  "IkeEncAlg": "aes",\n}')
    r = invoke("check", bad, EX / "branch-router.cfg", "--format", "json")
    assert r.exit_code == 2
    err = json.loads(r.stdout)["errors"][0]
    assert err["file"] == str(bad) and err["line"] == 3
    assert "Traceback" not in r.output
    missing = invoke("check", tmp_path / "nope.json", EX / "branch-router.cfg")
    assert missing.exit_code == 2 and "nope.json" in missing.output


def test_unknown_vendor_text_is_a_clean_error(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("meeting notes\nnothing to see\n")
    r = invoke("check", EX / "connection.json", junk)
    assert r.exit_code == 2 and "cannot tell the device vendor" in r.output


def test_show_prints_models_without_keys():
    for f in (EX / "connection.json", EX / "branch-router.cfg", PAIRS / "ikev2-dual.json", PAIRS / "ikev2-vti.cfg"):
        r = invoke("show", f)
        assert r.exit_code == 0, r.output
        json.loads(r.stdout)
        assert not any(k in r.output for k in KEYS)


def test_no_output_format_ever_contains_a_psk(tmp_path):
    runs = []
    for conn, cfg in ((EX / "connection.json", EX / "branch-router.cfg"),
                      (PAIRS / "ikev2-dual.json", PAIRS / "ikev2-vti.cfg"),
                      (PAIRS / "ikev2-map.json", PAIRS / "ikev2-map.cfg")):
        for fmt in ("text", "json"):
            runs.append(invoke("check", conn, cfg, "--format", fmt))
    # wrong keys on the device side and a key mismatch finding must not leak either
    cfg = (PAIRS / "ikev1-map.cfg").read_text().replace("hzDC-7q!Lm2#vR9k", "Device-Only-Key-77")
    (tmp_path / "d.cfg").write_text(cfg)
    for fmt in ("text", "json"):
        runs.append(invoke("check", PAIRS / "ikev1-map.json", tmp_path / "d.cfg", "--format", fmt))
    runs.append(invoke("show", tmp_path / "d.cfg"))
    for r in runs:
        for key in KEYS + ["Device-Only-Key-77"]:
            assert key not in r.output


def test_rules_listing_and_generated_doc_in_sync():
    r = invoke("rules")
    assert r.exit_code == 0 and "PfsMismatch" in r.stdout
    generated = invoke("rules", "--markdown").stdout
    assert (ROOT / "docs" / "rules.md").read_text() == generated, "run: ipsec-preflight rules --markdown > docs/rules.md"
    assert len(re.findall(r"^## ", generated, re.M)) >= 25


def test_vendors_doc_is_generated_from_the_defaults_tables():
    """docs/vendors.md = each vendor package's prose + its defaults table (value, releases, default, source)."""
    import importlib

    from parsers.registry import VENDORS

    generated = invoke("vendors", "--markdown").stdout
    assert (ROOT / "docs" / "vendors.md").read_text() == generated, \
        "run: ipsec-preflight vendors --markdown > docs/vendors.md"
    for module in VENDORS.values():
        table = importlib.import_module(f"{module}.defaults").DEFAULTS
        assert table.rows and all(r.source for r in table.rows), f"{module}: every default names its source"
        for r in table.rows:
            assert f"| {r.label or r.key} | {r.releases} |" in generated
    listing = invoke("vendors")
    assert listing.exit_code == 0 and "cisco-ios" in listing.stdout and "h3c-comware" in listing.stdout
