"""`ipsec-preflight explain`: codes, log lines and DiagnoseVpnConnections results mapped to Alibaba's table, and tied
to the findings of the two configs."""
import json
import re

import pytest
from typer.testing import CliRunner

from analyzer.catalog import CODES, PATTERNS, lookup
from analyzer.cli import app
from analyzer.explain import match_log
from conftest import FIXTURES, ROOT

runner = CliRunner()
EX = FIXTURES / "example"
DIAG = FIXTURES / "explain" / "diagnose-vpn-connections.json"
WITH_CONFIGS = ("--connection", EX / "connection.json", "--device", EX / "branch-router.cfg")
EXAMPLE_KEY = "Br12-Sh!q8Zt4wXe"  # the example device's pre-shared key

# The API codes of Alibaba's table, in its order (../shared/seeds/000_*.txt; ../shared/reference/error-catalog.md)
TABLE = ["PeerMismatch", "AlgorithmMismatch", "EncryptionAlgorithmMismatch", "AuthenticationAlgorithmMismatch",
         "DhGroupMismatch", "PskMismatch", "PeerIdMismatch", "DpdHashNotifyCompatibility", "DpdTimeout",
         "IkeVersionMismatch", "NegotiationModeMismatch", "NatTMismatch", "LifetimeMismatch",
         "SecurityProtocolMismatch",
         "EncapsulationModeMismatch", "AlgorithmCompatibility", "TrafficSelectorMismatch", "PfsMismatch",
         "CommitMismatch", "ProposalMismatch", "NegotiationFailed", "Phase1NegotiationTimeout",
         "Phase2NegotiationTimeout", "NoResponse", "ReceiveDeleteNotify", "NoExceptionFound"]


def invoke(*args, input=None):
    return runner.invoke(app, ["explain", *[str(a) for a in args]], input=input)


def test_catalog_holds_every_code_of_the_table_in_its_order():
    assert [c.code for c in CODES] == TABLE
    digest = ROOT.parent / "shared" / "reference" / "error-catalog.md"
    if digest.exists():
        in_digest = re.findall(r"^\| (\w+) \|", digest.read_text(encoding="utf-8"), re.M)
        assert [c for c in in_digest if c not in ("API",)] == TABLE


@pytest.mark.parametrize("code", TABLE)
def test_explain_every_code_any_case(code):
    r = invoke(code.lower())
    assert r.exit_code == 0, r.output
    entry = lookup(code)
    assert r.stdout.startswith(f"{code}: {entry.console}")
    assert entry.meaning in r.stdout
    for n, cause in enumerate(entry.causes, 1):
        assert f"    {n}. {cause}" in r.stdout  # numbered in the table's order


def test_a_code_that_is_also_a_rule_prints_the_rule_docs():
    out = invoke("PFSMISMATCH").stdout
    assert "Rule PfsMismatch: PFS mismatch (severity error" in out
    assert "What: PFS must be off on both sides" in out
    assert "Alibaba reports it as PfsMismatch: PFS mismatch - The DH group of phase 2 does not match." in out


def test_a_rule_code_names_the_alibaba_code_it_predicts():
    r = invoke("ikeportsfiltered")
    assert r.exit_code == 0
    assert "Rule IkePortsFiltered" in r.stdout and "Alibaba reports it as NoResponse: No response from peer" in r.stdout
    assert "cisco-asa" in r.stdout and "h3c-comware" in r.stdout  # where each vendor's fix commands come from


def test_unknown_code_exits_2_naming_close_matches():
    r = invoke("PfsMismach")
    assert r.exit_code == 2
    assert "unknown code 'PfsMismach'" in r.stderr and "did you mean PfsMismatch" in r.stderr
    assert r.stdout == ""


def _instances(keyword: str) -> str:
    """The keyword as a log writes it: placeholders filled, ASCII case and spacing changed."""
    text = keyword.replace("#", "2").replace("(*)", "(198.51.100.10)")
    return text


def _lines(keyword: str) -> list[str]:
    text = _instances(keyword)
    return [
        f"Nov 30 04:12:01 vpn-gw charon: 09[IKE] {text}",  # strongSwan/charon syslog
        f"2025-11-30 04:12:01 vco-bp1example0shanghai01 [PROTO_ERR]: isakmp.c:1187:ph1_main(): {text.upper()}",
        "2025-11-30 04:12:01  " + "   ".join(text.lower().replace("_", " ").split(" ")) + ".",  # odd spacing
    ]


_KEYWORDS = [(c.code, k) for c in CODES for k in c.keywords if k not in PATTERNS]


@pytest.mark.parametrize("code,keyword", _KEYWORDS, ids=[f"{c}:{k}" for c, k in _KEYWORDS])
def test_each_table_keyword_in_a_log_line_maps_to_its_code(code, keyword):
    shared = [c.code for c in CODES if keyword in c.keywords]
    for line in _lines(keyword):
        found, read, _ = match_log([line])
        codes = [h.code.code for h in found]
        assert code in codes, (line, codes)
        if len(shared) == 1 and keyword not in ("proposal mismatch",):
            assert codes[0] == code, (line, codes)  # a keyword of one code ranks that code first


@pytest.mark.parametrize("code,line", [
    ("DhGroupMismatch", "Nov 30 04:12:01 gw charon: 05[IKE] received KE type 14, expected 2"),
    ("DhGroupMismatch", "2025-11-30 04:12:01 vco-bp1 [PROTO_ERR]: Received KE type 5, expected 14"),
    ("DhGroupMismatch", "2025-11-30 04:12:01 vco-bp1 [PROTO_ERR]: 收到KE类型14，期望2"),
    ("PfsMismatch", "2025-11-30 04:12:01 vco-bp1 [PROTO_ERR]: message lacks KE payload"),
    ("PfsMismatch", "2025-11-30 04:12:01 vco-bp1 [PROTO_ERR]: 报文缺少KE载荷"),
    ("Phase1NegotiationTimeout", "2025-11-30 04:12:01 vco-bp1 [PROTO_ERR]: isakmp.c:2003:isakmp_info_recv(): "
                                 "ignore information because ISAKMP-SA has not been established yet."),
    ("Phase1NegotiationTimeout", "2025-11-30 04:12:01 vco-bp1 [PROTO_ERR]: ISAKMP-SA尚未建立，忽略该信息"),
])
def test_translated_keywords_match_in_english_and_chinese(code, line):
    found, _, _ = match_log([line])
    assert found and found[0].code.code == code


def test_shared_keyword_returns_every_candidate():
    found, _, _ = match_log(["Nov 30 04:12:01 gw charon: 09[IKE] authentication failure"])
    assert {h.code.code for h in found} == {"AlgorithmMismatch", "EncryptionAlgorithmMismatch",
                                            "AuthenticationAlgorithmMismatch", "PskMismatch"}


def test_the_longer_keyword_ranks_first():
    found, _, _ = match_log(["racoon: ERROR: proposal mismatch, transform type:4"])
    assert [h.code.code for h in found][:2] == ["DhGroupMismatch", "ProposalMismatch"]


def test_log_from_stdin_lists_codes_with_their_lines(tmp_path):
    log = ("Nov 30 04:12:01 vpn charon: 12[IKE] received NO_PROPOSAL_CHOSEN notify error\n"
           "Nov 30 04:12:02 vpn charon: 12[IKE] unrelated line\n"
           "Nov 30 04:12:03 vpn charon: 12[IKE] sending retransmit 3 of request message ID 0, seq 1\n")
    r = invoke("--log", "-", input=log)
    assert r.exit_code == 0, r.output
    assert "<stdin>:1: Nov 30 04:12:01 vpn charon: 12[IKE] received NO_PROPOSAL_CHOSEN notify error" in r.stdout
    assert "<stdin>:3:" in r.stdout and "NoResponse" in r.stdout and "<stdin>:2:" not in r.stdout
    doc = json.loads(invoke("--log", "-", "--format", "json", input=log).stdout)["explain"]
    assert {c["code"] for c in doc["codes"]} == {"ProposalMismatch", "NoResponse"} and doc["lines_read"] == 3


def test_log_without_any_keyword_says_so_and_exits_1(tmp_path):
    f = tmp_path / "quiet.log"
    f.write_text("Nov 30 04:12:01 vpn charon: 12[IKE] IKE_SA established\n")
    r = invoke("--log", f)
    assert r.exit_code == 1
    assert "holds a log keyword of Alibaba's table: no code found" in r.stdout


def test_chinese_console_status_gives_the_faq_causes():
    r = invoke("--log", "-", input="2025-11-30 04:12:01 IPsec连接状态：第一阶段协商失败\n")
    assert r.exit_code == 0
    assert "UDP 500 and 4500" in r.stdout and "Phase1NegotiationTimeout" in r.stdout


@pytest.mark.parametrize("line,secret", [
    ("Nov 30 04:12:01 gw charon: 09[CFG] psk=Sup3r-S3cret! authentication failure", "Sup3r-S3cret!"),
    ("Nov 30 04:12:01 gw racoon: PSK: hunter2Xq mismatch of preshared secrets", "hunter2Xq"),
    ("2025-11-30 ike-peer alibaba pre-shared-key simple Abc123Sec authentication failure", "Abc123Sec"),
    ("conn x: secret \"Top Secret 9\" - could not decrypt payloads", "Top Secret 9"),
])
def test_key_material_in_a_pasted_log_is_never_echoed(line, secret):
    for fmt in ("text", "json"):
        r = invoke("--log", "-", "--format", fmt, input=line + "\n")
        assert r.exit_code == 0
        assert secret not in r.stdout and secret not in r.stderr
        assert secret.split()[0] not in r.stdout


def test_tie_in_points_at_the_device_line_on_the_example_pair():
    r = invoke("pfsmismatch", *WITH_CONFIGS)
    assert r.exit_code == 0, r.output
    assert "Alibaba reports PfsMismatch: [PfsMismatch] Alibaba requires PFS group14" in r.stdout
    assert "branch-router.cfg:50  crypto map ALIYUN-MAP 10 ipsec-isakmp" in r.stdout
    assert EXAMPLE_KEY not in r.stdout


def test_tie_in_says_plainly_when_the_configs_do_not_explain_a_code():
    r = invoke("ReceiveDeleteNotify", *WITH_CONFIGS)
    assert r.exit_code == 0
    assert "The configs do not explain ReceiveDeleteNotify" in r.stdout
    assert "Causes that remain (runtime, not in the configs): the device tore the SA down" in r.stdout


def test_tie_in_of_a_log_names_contributing_findings():
    r = invoke("--log", "-", *WITH_CONFIGS, input="charon: 07[IKE] received NO_PROPOSAL_CHOSEN notify error\n")
    assert r.exit_code == 0
    assert "Can also produce ProposalMismatch: [DhGroupMismatch]" in r.stdout
    assert "branch-router.cfg:44" in r.stdout  # the IKE policy's `group 2`


def test_diagnose_response_one_entry_per_connection_tied_to_findings():
    r = invoke(DIAG, *WITH_CONFIGS, "--format", "json")
    assert r.exit_code == 0, r.output
    entries = json.loads(r.stdout)["explain"]["entries"]
    assert [e["code"] for e in entries] == ["PfsMismatch", "NoResponse", "TunnelBandwidthExceeded", None]
    pfs, nores, unknown, normal = entries
    assert pfs["mismatch_alibaba"] == "group14" and pfs["mismatch_peer"] == "disabled"
    assert pfs["log_codes"] == ["PfsMismatch"] and pfs["failed_time"] == "2025-11-30 03:30:00 UTC"
    assert [(f["code"], f["device_line"]) for f in pfs["configs"]["direct"]] == [("PfsMismatch", 50)]
    assert ("IkePortsFiltered", 90) in [(f["code"], f["device_line"]) for f in nores["configs"]["direct"]]
    assert unknown["known"] is False and unknown["configs"]["explained"] is None
    assert "is not in the connection file" in unknown["configs"]["note"]
    assert normal["severity"] == "Normal" and normal["failed_time"] is None
    text = invoke(DIAG).stdout
    assert "TunnelBandwidthExceeded is not in Alibaba's table of error codes" in text
    assert "no failure reported" in text


def test_the_shipped_diagnose_sample_is_explained():
    r = invoke(FIXTURES / "alibaba" / "diagnose-vpn-connections-response.json")
    assert r.exit_code == 0
    assert r.stdout.count(": Phase1NegotiationTimeout (") == 2
    assert "ping, mtr or traceroute" in r.stdout


def test_a_connection_json_is_not_a_diagnosis():
    r = invoke(EX / "connection.json")
    assert r.exit_code == 2
    assert "not a DiagnoseVpnConnections response" in r.stderr and "connection.json" in r.stderr


def test_usage_errors_exit_2(tmp_path):
    assert invoke().exit_code == 2
    assert invoke("PfsMismatch", "--log", "-", input="x\n").exit_code == 2
    r = invoke("PfsMismatch", "--connection", EX / "connection.json")
    assert r.exit_code == 2 and "--connection and --device go together" in r.stderr
    bad = tmp_path / "broken.cfg"
    bad.write_text("hostname x\n")
    r = invoke("PfsMismatch", "--connection", EX / "connection.json", "--device", bad)
    assert r.exit_code == 2 and "broken.cfg" in r.stdout  # the input error is named; the code is still explained
    assert "PfsMismatch: PFS mismatch" in r.stdout


def test_fix_per_vendor_comes_from_each_vendor_fixer():
    r = invoke("PfsMismatch")
    assert "    cisco-ios:\n      crypto map SAMPLE-MAP 10 ipsec-isakmp\n       set pfs group14\n" in r.stdout
    assert "    cisco-asa:\n      crypto map outside_map 10 set pfs group14\n" in r.stdout
    assert "    huawei-vrp:\n      ipsec policy SAMPLE-MAP 10 isakmp\n       pfs dh-group14\n" in r.stdout
    assert "    h3c-comware:\n      ipsec transform-set SAMPLE\n       pfs dh-group14\n" in r.stdout


def test_every_fix_intent_works_for_every_vendor_and_never_shows_the_sample_key():
    from analyzer.explain_samples import INTENTS, example_fixes
    from analyzer.rules import all_rules

    assert set(INTENTS) <= {r.code for r in all_rules()}
    for code in INTENTS:
        fixes = example_fixes(code)
        assert set(fixes) == {"cisco-ios", "cisco-asa", "huawei-vrp", "h3c-comware"}
        for vendor, fix in fixes.items():
            assert fix["device"] or fix["note"], (code, vendor)
            assert "None" not in " ".join(fix["device"]), (code, vendor)  # a missing object name, printed
            assert "sample-dummy-key" not in json.dumps(fix), (code, vendor)


def test_a_rule_without_fixer_intent_says_so():
    r = invoke("UnparsedConfig")
    assert r.exit_code == 0
    assert "Fix per vendor: none written by a fixer for this rule" in r.stdout
    assert "Alibaba reports no code for it (advisory)" in r.stdout


def test_a_specific_keyword_outranks_a_shared_one_whatever_the_table_order():
    found, _, _ = match_log(["Nov 30 04:12:01 gw charon: 09[IKE] authentication failure",
                             "Nov 30 04:12:02 gw charon: 09[IKE] no matching proposal found, sending "
                             "NO_PROPOSAL_CHOSEN"])
    assert found[0].code.code == "ProposalMismatch"  # last but one in the table; AlgorithmMismatch is second
    assert found[0].lines[0].number == 2


def test_tie_in_keeps_an_info_finding_apart_from_the_errors():
    out = invoke("LifetimeMismatch", *WITH_CONFIGS).stdout
    assert ("Alibaba reports LifetimeMismatch: [LifetimeMismatch] IPsec SA lifetime: Alibaba 86400 s, device 3600 s"
            in out)
    assert "Note (info) for LifetimeMismatch: [TrafficBasedLifetime]" in out
    out = out.replace(str(FIXTURES.parent) + "/", "")
    assert "Note: fixtures/example/connection.json: connection vco-bp1example0shanghai01: gateway IP unknown" in out


def test_related_codes_of_the_catalog_are_rule_codes():
    from analyzer.rules import all_rules

    codes = {r.code for r in all_rules()}
    for c in CODES:
        assert set(c.related) <= codes, (c.code, set(c.related) - codes)
        assert set(c.translated) <= set(c.keywords) and set(c.translated) <= set(PATTERNS)
