"""Truth of verdicts and fix texts (issue 10): severities that differ from the registry say why, IKEv2 narrowing is
rated the same whichever way the uncovered traffic is written (item 7c), fixes never propose an Alibaba value
Alibaba does not accept and never print an empty list (item 12), and CommitMismatch says it cannot fire on the
supported vendors (item 13)."""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from analyzer.checker import check
from analyzer.findings import Finding
from analyzer.fixes import alibaba_accepts
from analyzer.lint import lint
from analyzer.rules import REGISTRY, all_rules
from conftest import FIXTURES, ROOT, edit, load_pair
from parsers import alibaba
from parsers.registry import parse_device

PAIRS = FIXTURES / "pairs"
VPNGW = {"VpnGatewayId": "x", "InternetIp": "198.51.100.90"}


def _run(tmp_path: Path, conn: dict, cfg: str, name: str = "device.cfg", vpngw: dict | None = None):
    cpath = tmp_path / "connection.json"
    cpath.write_text(json.dumps(conn))
    lookups = alibaba.Lookups()
    if vpngw is not None:
        (tmp_path / "vpngw.json").write_text(json.dumps(vpngw))
        lookups.add_vpn_gateway(str(tmp_path / "vpngw.json"))
    return check(alibaba.load(str(cpath), lookups), parse_device(cfg, str(tmp_path / name)))


def _findings(results) -> list[Finding]:
    return [f for r in results for f in r.findings]


def _of(results, code: str) -> list[Finding]:
    return [f for f in _findings(results) if f.code == code]


# ------------------------------------------------------------------------------ severity vs registry severity

def _assert_explained(findings: list[Finding]) -> None:
    all_rules()
    for f in findings:
        registry = REGISTRY[f.code].severity
        if f.severity == registry:
            assert f.severity_reason is None, f"{f.code}: reason set on a finding at the registry severity"
        else:
            assert f.severity_reason, f"{f.code} is {f.severity} (registry {registry}) without a reason: {f.message}"
            assert f.message.endswith(f"({f.severity}, not {registry}: {f.severity_reason})"), f.message


def _every_input_finding(tmp_path: Path) -> list[Finding]:
    """Findings of every fixture pair (check), every device fixture (lint), the fixture audit (pairs and cross
    findings) and every input of tests/test_rules.py's failing table."""
    from analyzer.audit import run_audit, to_report
    from test_rules import FAILING

    out: list[Finding] = []
    devices = sorted(p for p in FIXTURES.rglob("*.cfg"))
    for json_file in sorted(PAIRS.glob("*.json")):
        if json_file.name in ("cgw.json", "vpngw.json"):
            continue
        conn = json.loads(json_file.read_text())
        for cfg in sorted(PAIRS.glob("*.cfg")):
            for vpngw in (None, VPNGW):
                out += _findings(_run(tmp_path, conn, cfg.read_text(), cfg.name, vpngw))
    example = FIXTURES / "example"
    out += _findings(_run(tmp_path, json.loads((example / "connection.json").read_text()),
                          (example / "branch-router.cfg").read_text()))
    for cfg in devices:
        out += lint(parse_device(cfg.read_text(errors="replace"), str(cfg))).findings
    report = to_report(run_audit([str(FIXTURES / "audit")], jobs=1), "test")
    out += list(report.all_findings())
    for code, base, jedit, dedits, _severity in FAILING:
        conn, cfg = load_pair(base)
        if jedit:
            jedit(conn)
        out += _findings(_run(tmp_path, conn, edit(cfg, *dedits), vpngw=VPNGW if base == "ikev2-map" else None))
    return out


def test_every_finding_rated_off_its_registry_severity_says_why(tmp_path):
    findings = _every_input_finding(tmp_path)
    assert len(findings) > 100
    _assert_explained(findings)
    # the sweep does meet findings rated differently (the check above is not vacuous)
    assert any(f.severity_reason for f in findings)


def test_every_severity_override_in_the_rule_sources_carries_a_reason():
    """Static form of the check above, for branches no fixture reaches: a Hit(...) that sets ``severity`` sets
    ``severity_reason`` too (the checker prints the reason only when the severity really differs)."""
    missing = []
    for path in sorted((ROOT / "analyzer" / "rules").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Hit":
                kw = {k.arg for k in node.keywords}
                if "severity" in kw and "severity_reason" not in kw:
                    missing.append(f"{path.name}:{node.lineno}")
    assert not missing, f"Hit(severity=...) without severity_reason at {missing}"


def test_severity_reason_is_in_the_json_report(tmp_path):
    conn, cfg = load_pair("ikev2-dual")
    one = cfg[:cfg.index("interface Tunnel32")] + cfg[cfg.index("interface GigabitEthernet1"):]
    (f,) = _findings(_run(tmp_path, conn, one))
    assert (f.code, f.severity) == ("PeerMismatch", "warning")
    data = json.loads(f.model_dump_json())
    assert data["severity_reason"] == "the connection's other tunnel pairs"
    assert data["message"].endswith("(warning, not error: the connection's other tunnel pairs)")


# ------------------------------------------------------------------------------ item 7c: IKEv2 narrowing

def _ikev2(tmp_path, local_subnet: str, cfg_edits=()):
    conn, cfg = load_pair("ikev2-map")
    conn["LocalSubnet"] = local_subnet
    return _run(tmp_path, conn, edit(cfg, *cfg_edits), vpngw=VPNGW)


def test_ikev2_device_covers_one_of_several_cidrs_negotiates_and_names_the_rest(tmp_path):
    # Alibaba 10.90.1.0/24 + 10.90.2.0/24, the device (IOS, one ACL line) protects 10.90.1.0/24 only
    (f,) = _of(_ikev2(tmp_path, "10.90.1.0/24,10.90.2.0/24"), "TrafficSelectorMismatch")
    assert f.severity == "warning" and f.severity_reason
    assert "192.168.50.0/24 <-> 10.90.2.0/24" in f.message and "not protected" in f.message
    assert "10.90.1.0/24" not in f.message.split("(warning")[0].replace(f.alibaba.value, "")


def test_ikev2_device_narrower_than_one_wider_cidr_is_the_same_verdict_and_names_the_rest(tmp_path):
    # the same containment written as one wider CIDR: 10.90.0.0/22 of which the device protects 10.90.1.0/24
    (f,) = _of(_ikev2(tmp_path, "10.90.0.0/22"), "TrafficSelectorMismatch")
    assert f.severity == "warning" and f.severity_reason
    assert "traffic of 192.168.50.0/24 <-> 10.90.0.0/24, 192.168.50.0/24 <-> 10.90.2.0/23 has no SA" in f.message


def test_ikev2_both_forms_get_one_severity_and_reason(tmp_path):
    (a,) = _of(_ikev2(tmp_path, "10.90.1.0/24,10.90.2.0/24"), "TrafficSelectorMismatch")
    (b,) = _of(_ikev2(tmp_path, "10.90.0.0/22"), "TrafficSelectorMismatch")
    assert (a.severity, a.severity_reason) == (b.severity, b.severity_reason)


def test_ikev2_device_covering_every_cidr_is_clean(tmp_path):
    both = [(" 10 permit ip 192.168.50.0 0.0.0.255 10.90.1.0 0.0.0.255",
             " 10 permit ip 192.168.50.0 0.0.0.255 10.90.1.0 0.0.0.255\n"
             " 20 permit ip 192.168.50.0 0.0.0.255 10.90.2.0 0.0.0.255")]
    found = _findings(_ikev2(tmp_path, "10.90.1.0/24,10.90.2.0/24", both))
    assert [f.code for f in found] == ["MultiCidrPerSa"]  # FAQ 5 (one SA per pair on IOS), not a selector issue
    assert _findings(_ikev2(tmp_path, "10.90.1.0/24")) == []


def test_ikev2_wider_device_selector_leaves_no_gap_to_name(tmp_path):
    # Alibaba 10.90.0.0/22; the device selects 10.90.0.0/21 (wider) and 10.90.1.0/24 (narrower): the wider one
    # covers the whole flow, so the narrower one leaves no traffic without an SA
    lines = [(" 10 permit ip 192.168.50.0 0.0.0.255 10.90.1.0 0.0.0.255",
              " 10 permit ip 192.168.50.0 0.0.0.255 10.90.0.0 0.0.7.255\n"
              " 20 permit ip 192.168.50.0 0.0.0.255 10.90.1.0 0.0.0.255")]
    found = _of(_ikev2(tmp_path, "10.90.0.0/22", lines), "TrafficSelectorMismatch")
    assert sorted(f.message.split(" is ")[1].split(" the")[0] for f in found) == ["narrower than", "wider than"]
    assert all(f.severity == "warning" and "traffic of" not in f.message for f in found)


def test_ikev2_nothing_in_common_still_fails(tmp_path):
    # no device selector meets any Alibaba flow: TS_UNACCEPTABLE, an error however many CIDRs
    found = _of(_ikev2(tmp_path, "10.91.1.0/24,10.91.2.0/24"), "TrafficSelectorMismatch")
    assert {f.severity for f in found} == {"error"}
    assert all(f.severity_reason is None for f in found)


def test_ikev1_missing_cidr_stays_an_error(tmp_path):
    conn, cfg = load_pair("ikev1-map")
    conn["LocalSubnet"] = "10.60.0.0/16,10.61.0.0/16"
    found = _of(_run(tmp_path, conn, cfg), "TrafficSelectorMismatch")
    assert "error" in {f.severity for f in found}


# ------------------------------------------------------------------------------ item 12: fix texts

_ACCEPTED = {  # shared/reference/alibaba/schema.md §2.2, §2.3 and §8 (no SM gateway in these inputs)
    "IkeEncAlg": {"aes", "aes192", "aes256", "des", "3des"}, "IpsecEncAlg": {"aes", "aes192", "aes256", "des", "3des"},
    "IkeAuthAlg": {"md5", "sha1", "sha256", "sha384", "sha512"},
    "IpsecAuthAlg": {"md5", "sha1", "sha256", "sha384", "sha512"},
    "IkePfs": {"group1", "group2", "group5", "group14"},
    "IpsecPfs": {"disabled", "group1", "group2", "group5", "group14"},
    "IkeVersion": {"ikev1", "ikev2"}, "IkeMode": {"main", "aggressive"},
}


def _assert_fixes_propose_only_accepted_values(findings: list[Finding]) -> None:
    for f in findings:
        assert not re.search(r"offers\s*($|[(;,.])", f.message), f"empty list in: {f.message}"
        for fld, value in (f.fix.alibaba.items() if f.fix else ()):
            name = fld.split(".")[-1]
            if name in _ACCEPTED:
                assert value in _ACCEPTED[name], f"{f.code} proposes {fld} = {value}: {f.fix}"
            elif name in ("IkeLifetime", "IpsecLifetime"):
                assert 0 <= int(value) <= 86400, f.fix
            elif name in ("LocalId", "RemoteId"):
                assert len(value) <= 100, f.fix


_GCM_IKEV2 = [(" encryption aes-cbc-128\n integrity sha1\n", " encryption aes-gcm-256\n prf sha384\n"),
              ("esp-aes esp-sha-hmac", "esp-gcm 256")]


def test_gcm_only_ios_device_gets_device_fixes_and_never_an_empty_list(tmp_path):
    conn, cfg = load_pair("ikev2-map")
    found = _findings(_run(tmp_path, conn, edit(cfg, *_GCM_IKEV2), vpngw=VPNGW))
    _assert_fixes_propose_only_accepted_values(found)
    by = {(f.code, f.message.split(":")[0]): f for f in found}
    enc = by[("AlgorithmMismatch", "IKE encryption")]
    assert not enc.fix.alibaba and "change the device" in enc.fix.note
    integ = by[("AuthenticationAlgorithmMismatch", "IKE authentication (hash/integrity)")]
    assert "the device offers none (its proposals use aes256-gcm" in integ.message
    assert not integ.fix.alibaba and "change the device" in integ.fix.note
    esp_integ = by[("AlgorithmMismatch", "IPsec integrity")]
    assert "offers none (its proposals use aes256-gcm" in esp_integ.message and "change the device" in esp_integ.fix.note
    esp_enc = by[("EncryptionAlgorithmMismatch", "IPsec encryption")]
    assert not esp_enc.fix.alibaba and "change the device" in esp_enc.fix.note


@pytest.mark.parametrize("vendor_file,edits", [
    ("ikev1-map.h3c.cfg", [(" esp encryption-algorithm aes-cbc-256", " esp encryption-algorithm aes-gcm-256"),
                           (" esp authentication-algorithm sha256\n", "")]),
    ("ikev1-map.huawei.cfg", [(" esp encryption-algorithm aes-256", " esp encryption-algorithm aes-gcm-256")]),
])
def test_gcm_transform_on_vrp_and_comware_is_never_proposed_to_alibaba(tmp_path, vendor_file, edits):
    conn, _ = load_pair("ikev1-map")
    found = _findings(_run(tmp_path, conn, edit((PAIRS / vendor_file).read_text(), *edits), vendor_file))
    assert any(f.code == "EncryptionAlgorithmMismatch" for f in found)
    _assert_fixes_propose_only_accepted_values(found)
    assert all("gcm" not in value for f in found if f.fix for value in f.fix.alibaba.values())


def test_dh_groups_alibaba_lacks_send_the_fix_to_the_device(tmp_path):
    conn, cfg = load_pair("ikev2-map")
    cfg = edit(cfg, (" group 14", " group 19"), (" set transform-set", " set pfs group19\n set transform-set"))
    found = _findings(_run(tmp_path, conn, cfg, vpngw=VPNGW))
    _assert_fixes_propose_only_accepted_values(found)
    dh = next(f for f in found if f.code == "DhGroupMismatch")
    pfs = next(f for f in found if f.code == "PfsMismatch")
    assert dh.fix.note == "Alibaba's IkePfs cannot be set to the device's group19 (ecp256): change the device"
    assert pfs.fix.note == "Alibaba's IpsecPfs cannot be set to the device's group19 (ecp256): change the device"
    assert not dh.fix.alibaba and not pfs.fix.alibaba and dh.fix.device and pfs.fix.device


def test_ikev1_sha384_is_an_alibaba_value_and_is_proposed(tmp_path):
    # Alibaba's IkeAuthAlg takes sha384 whatever the IKE version (schema.md §2.2), so mirroring it is valid
    conn, cfg = load_pair("ikev1-map")
    (f,) = _findings(_run(tmp_path, conn, edit(cfg, (" hash sha256", " hash sha384"))))
    assert f.code == "AuthenticationAlgorithmMismatch"
    assert f.fix.alibaba == {"IkeConfig.IkeAuthAlg": "sha384"}


def test_alternative_value_comes_from_the_proposal_that_would_match(tmp_path):
    # two policies: 3des/sha256/group14 and aes256/sha256/group5: only group5 with aes256 makes a match
    conn, cfg = load_pair("ikev1-map")
    cfg = edit(cfg, (" group 14", " group 5"),
               (" lifetime 86400\n", " lifetime 86400\ncrypto isakmp policy 20\n encr 3des\n hash sha256\n"
                                     " authentication pre-share\n group 19\n"))
    f = next(f for f in _findings(_run(tmp_path, conn, cfg)) if f.code == "DhGroupMismatch")
    assert f.fix.alibaba == {"IkeConfig.IkePfs": "group5"}


def test_lifetimes_and_modes_alibaba_cannot_take(tmp_path):
    conn, cfg = load_pair("ikev1-map")
    conn["IkeConfig"]["IkeLifetime"] = 3600
    f = next(f for f in _findings(_run(tmp_path, conn, edit(cfg, (" lifetime 86400", " lifetime 172800"))))
             if f.code == "LifetimeMismatch")
    assert f.fix.note == "Alibaba's IkeLifetime cannot be set to the device's 172800 s: change the device"
    assert "IkeConfig.IkeLifetime" not in f.fix.alibaba


def test_identity_alibaba_cannot_take_is_fixed_on_the_device(tmp_path):
    conn, cfg = load_pair("ikev2-map")
    cfg = edit(cfg, ("identity local fqdn gz-branch.example.net", "identity local email ops@gz-branch.example.net"))
    found = _findings(_run(tmp_path, conn, cfg, vpngw=VPNGW))
    f = next(f for f in found if f.code == "PeerIdMismatch")
    _assert_fixes_propose_only_accepted_values(found)
    assert "IkeConfig.RemoteId" not in f.fix.alibaba and "change the device" in f.fix.note


def test_accepted_value_tables_agree_with_the_alibaba_parser():
    from analyzer.algorithms import ALIBABA_DH_GROUPS
    from parsers.alibaba import _AUTH, _ENC

    assert {alibaba_accepts("IkeEncAlg", v, sm=True) for v in _ENC.values()} == set(_ENC) - {"aes128"}
    assert {alibaba_accepts("IkeAuthAlg", v, sm=True) for v in _AUTH.values()} == set(_AUTH)
    assert alibaba_accepts("IkeEncAlg", "sm4") is None and alibaba_accepts("IkeAuthAlg", "sm3") is None  # SM only
    assert [g for g in range(1, 33) if alibaba_accepts("IkePfs", g)] == list(ALIBABA_DH_GROUPS)
    for v in ("aes128-gcm", "aes256-gcm", "aes-gcm-256", "null"):
        assert alibaba_accepts("IpsecEncAlg", v) is None
    assert alibaba_accepts("IpsecPfs", None) == "disabled" and alibaba_accepts("IkePfs", None) is None
    assert alibaba_accepts("IkeMode", "any") is None and alibaba_accepts("IkeVersion", "any") is None


def test_no_fix_in_any_fixture_input_proposes_a_value_alibaba_rejects(tmp_path):
    _assert_fixes_propose_only_accepted_values(_every_input_finding(tmp_path))


# ------------------------------------------------------------------------------ item 13: CommitMismatch

def test_commit_bit_is_documented_as_not_expressible_and_no_parser_sets_it():
    all_rules()
    r = REGISTRY["CommitMismatch"]
    assert "not expressible" in r.doc and "Huawei" in r.notes and "IOS-XE" in r.notes
    rules_md = (ROOT / "docs" / "rules.md").read_text()
    assert "Not expressible for the supported vendors" in rules_md
    for cfg in sorted(FIXTURES.rglob("*.cfg")):
        dev = parse_device(cfg.read_text(errors="replace"), str(cfg))
        assert not any(ep.ike.commit_bit for ep in dev.endpoints), cfg


def test_a_dh_fix_with_nothing_to_mirror_does_not_talk_about_gcm(tmp_path):
    """FN72510 drops a refused `group 2` (IOS-XE 17.12): the device offers no group; the fix must not append
    the AES-GCM advice meant for GCM-only proposals (it did)."""
    conn = json.loads((FIXTURES / "ios" / "isr4451-17.12-ikev1-map.json").read_text())
    cfg = edit((FIXTURES / "ios" / "isr4451-17.12-ikev1-map.cfg").read_text(), (" group 14\n", " group 2\n"))
    [dh] = _of(_run(tmp_path, conn, cfg), "DhGroupMismatch")
    assert " group 14" in dh.fix.device and "GCM" not in (dh.fix.note or "")
