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
        "2025-11-30 04:12:01 ipsec:  " + "   ".join(text.lower().replace("_", " ").split(" ")) + ".",  # odd spacing
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


# --- after review R5 ---------------------------------------------------------------------------------------------

PAIRS = FIXTURES / "pairs"


def _example_variant(tmp_path, name: str, *edits: tuple[str, str]) -> str:
    """The example router export with lines replaced, as a user's edited export would read."""
    text = (EX / "branch-router.cfg").read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# the example pair with every finding that maps to an Alibaba code fixed but the default traffic lifetime (info)
_FIXED = ((" group 2\n", " group 14\n"),
          ("transform-set TS-ALIYUN esp-aes 256 esp-sha-hmac", "transform-set TS-ALIYUN esp-aes esp-sha-hmac"),
          (" set transform-set TS-ALIYUN\n", " set transform-set TS-ALIYUN\n set pfs group14\n"
                                             " set security-association lifetime seconds 86400\n"))


def _json(*args, input=None):
    r = invoke(*args, "--format", "json", input=input)
    return r, json.loads(r.stdout)["explain"]


@pytest.mark.parametrize("code", ["EncryptionAlgorithmMismatch", "Phase2NegotiationTimeout"])
def test_an_undefined_transform_set_means_not_compared_not_unexplained(tmp_path, code):
    cfg = _example_variant(tmp_path, "inc.cfg", *_FIXED, (" set transform-set TS-ALIYUN\n",
                                                         " set transform-set TS-MISSING\n"))
    r = invoke(code, "--connection", EX / "connection.json", "--device", cfg)
    assert "The configs do not explain" not in r.stdout
    assert "not compared: [DeviceConfigIncomplete] transform-set TS-MISSING is not defined at" in r.stdout
    assert "inc.cfg:53" in r.stdout
    assert r.exit_code == 1
    r = invoke("DeviceConfigIncomplete", "--connection", EX / "connection.json", "--device", cfg)
    assert r.exit_code == 0 and "Found: [DeviceConfigIncomplete] transform-set TS-MISSING" in r.stdout
    r, doc = _json(code, "--connection", EX / "connection.json", "--device", cfg)
    assert doc["configs"]["explained"] is None
    assert [(f["code"], f["device_line"]) for f in doc["configs"]["not_compared"]] == [("DeviceConfigIncomplete", 53)]


def test_no_matched_endpoint_means_not_compared():
    r = invoke("PfsMismatch", "--connection", EX / "connection.json", "--device", PAIRS / "ikev2-vti.cfg")
    assert r.exit_code == 1
    assert "The configs do not explain" not in r.stdout
    assert "not compared: [PeerMismatch] no tunnel on the device peers with" in r.stdout
    _, doc = _json("PfsMismatch", "--connection", EX / "connection.json", "--device", PAIRS / "ikev2-vti.cfg")
    assert doc["configs"]["explained"] is None
    # the same finding is a cause of NoResponse: explained by it, not listed twice
    r, doc = _json("NoResponse", "--connection", EX / "connection.json", "--device", PAIRS / "ikev2-vti.cfg")
    assert r.exit_code == 0 and doc["configs"]["explained"] is True
    assert [f["code"] for f in doc["configs"]["contributing"]] == ["PeerMismatch"]
    assert doc["configs"]["not_compared"] == []


def test_an_info_finding_alone_does_not_explain_a_code(tmp_path):
    cfg = _example_variant(tmp_path, "fixed.cfg", *_FIXED)
    r, doc = _json("LifetimeMismatch", "--connection", EX / "connection.json", "--device", cfg)
    assert doc["configs"]["explained"] is False
    assert [f["code"] for f in doc["configs"]["direct"]] == ["TrafficBasedLifetime"]  # still shown, as a note
    text = invoke("LifetimeMismatch", "--connection", EX / "connection.json", "--device", cfg).stdout
    assert "Note (info) for LifetimeMismatch: [TrafficBasedLifetime]" in text
    assert "The configs do not explain LifetimeMismatch" in text


def test_algorithm_findings_lead_to_peer_id_mismatch_on_ikev2_only(tmp_path):
    # the example is IKEv1 with `group 2` (DhGroupMismatch): the table's cause 4 is for IKEv2
    _, doc = _json("PeerIdMismatch", *WITH_CONFIGS)
    assert "DhGroupMismatch" not in [f["code"] for f in doc["configs"]["contributing"]]
    vti = (PAIRS / "ikev2-vti.cfg").read_text(encoding="utf-8")
    cfg = tmp_path / "vti-enc.cfg"
    cfg.write_text(vti.replace(" encryption aes-cbc-256", " encryption aes-cbc-128", 1), encoding="utf-8")
    _, doc = _json("PeerIdMismatch", "--connection", PAIRS / "ikev2-dual.json", "--device", cfg)
    assert "AlgorithmMismatch" in [f["code"] for f in doc["configs"]["contributing"]], doc["configs"]  # IKE encryption


def test_a_tunnel_id_not_in_the_connection_file_is_said_so(tmp_path):
    vti = (PAIRS / "ikev2-vti.cfg").read_text(encoding="utf-8").splitlines(keepends=True)
    assert vti[56] == " set pfs group14\n"
    vti[56] = " set pfs group2\n"  # tunnel 2's IPsec profile
    cfg = tmp_path / "vti2.cfg"
    cfg.write_text("".join(vti), encoding="utf-8")
    diag = tmp_path / "d2.json"
    diag.write_text(json.dumps({"VpnConnections": [
        {"VpnConnectionId": "vco-gw8pairs0dualvti00001", "TunnelId": "tun-pairs0fra0slave002",
         "FailedReasonCode": "PfsMismatch"},
        {"VpnConnectionId": "vco-gw8pairs0dualvti00001", "TunnelId": "tun-typo000000000001",
         "FailedReasonCode": "PfsMismatch"}]}))
    r, doc = _json(diag, "--connection", PAIRS / "ikev2-dual.json", "--device", cfg)
    slave, typo = doc["entries"]
    assert [f["code"] for f in slave["configs"]["direct"]] == ["PfsMismatch"]
    assert typo["configs"]["explained"] is None and typo["configs"]["direct"] == []
    assert "tunnel tun-typo000000000001 is not in the connection file" in typo["configs"]["note"]


@pytest.mark.parametrize("line,secret", [
    ("2025-11-30 03:30:05 charon: no proposal chosen key=Hunter2-E", "Hunter2-E"),
    ("2025-11-30 03:30:05 racoon: no proposal chosen key: Hunter2-F", "Hunter2-F"),
    ("2025-11-30 03:30:06 IKE authentication failure 预共享密钥：Hunter2-G", "Hunter2-G"),
    ("2025-11-30 03:30:06 IKE authentication failure 密钥: Hunter2-H", "Hunter2-H"),
    ("2025-11-30 03:30:06 IKE authentication failure 预共享密钥 Hunter2-I", "Hunter2-I"),
    ("2025-11-30 03:30:08 ipsec: proposal mismatch sharedkey: Hunter2-J", "Hunter2-J"),
    ("2025-11-30 03:30:09 pluto: proposal mismatch leftpsk=Hunter2-K", "Hunter2-K"),
])
def test_bare_key_and_chinese_key_words_are_masked(line, secret):
    from analyzer.explain import mask_log_line

    assert secret not in mask_log_line(line)
    for fmt in ("text", "json"):
        r = invoke("--log", "-", "--format", fmt, input=line + "\n")
        assert r.exit_code == 0, r.output
        assert "Hunter2" not in r.stdout + r.stderr


def test_mismatched_values_of_a_psk_mismatch_are_masked(tmp_path):
    diag = tmp_path / "v.json"
    diag.write_text(json.dumps({"VpnConnections": [{"FailedReasonCode": "PskMismatch",
                                                    "MismatchLocalParam": "Sekret-LOCAL-1",
                                                    "MismatchRemoteParam": "Sekret-REMOTE-2"}]}))
    for fmt in ("text", "json"):
        r = invoke(diag, "--format", fmt)
        assert r.exit_code == 0, r.output
        assert "Sekret" not in r.stdout + r.stderr


@pytest.mark.parametrize("line", [
    '{"level":"warn","msg":"NO_PROPOSAL_CHOSEN","psk":"Hunter2-J1"}',  # a structured (JSON) log line
    "NO_PROPOSAL_CHOSEN {'psk': 'Hunter2-J2'}",  # a Python dict printed by automation
    "NO_PROPOSAL_CHOSEN psk => 'Hunter2-J3'",  # Perl/Ruby hash style
    'NO_PROPOSAL_CHOSEN "Psk": "Hunter2-J4"',
])
def test_json_and_dict_style_keys_in_log_lines_are_masked(line):
    for fmt in ("text", "json"):
        r = invoke("--log", "-", "--format", fmt, input=line + "\n")
        assert "Hunter2" not in r.stdout + r.stderr, r.stdout


@pytest.mark.parametrize("code", ["", "PSK_MISMATCH", "Psk Mismatch", "SomethingNew"])
def test_mismatched_values_are_masked_unless_the_code_is_known_and_not_about_the_key(tmp_path, code):
    diag = tmp_path / "v.json"
    diag.write_text(json.dumps({"VpnConnections": [{"FailedReasonCode": code, "FailedReason": "Pre-shared key mismatch",
                                                    "MismatchLocalParam": "Sekret-LOCAL-1",
                                                    "MismatchRemoteParam": "Sekret-REMOTE-2"}]}))
    for fmt in ("text", "json"):
        r = invoke(diag, "--format", fmt)
        assert "Sekret" not in r.stdout + r.stderr, r.stdout


def test_pam_and_sshd_authentication_failures_are_not_ike(tmp_path):
    log = ("Nov 30 03:20:11 gw sshd[2211]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 "
           "tty=ssh ruser= rhost=203.0.113.50  user=root\n"
           "Nov 30 03:20:13 gw sshd[2211]: Failed password for root from 203.0.113.50 port 51234 ssh2\n"
           "Nov 30 03:25:01 gw charon: 09[IKE] initiating IKE_SA aliyun[1] to 47.100.1.2\n"
           "Nov 30 03:25:05 gw sudo: pam_unix(sudo:auth): authentication failure; logname=ops uid=1000 euid=0 "
           "tty=/dev/pts/0 ruser=ops rhost=  user=ops\n"
           "Nov 30 03:26:01 gw login[881]: FAILED LOGIN (1) on '/dev/tty1' FOR 'root', Authentication failure\n"
           "Nov 30 03:27:01 gw app: authentication failure for user admin\n")
    found, _, _ = match_log(log.split("\n"))
    assert found == []
    found, _, _ = match_log(["Nov 30 03:25:05 gw charon: 09[IKE] authentication failure"])
    assert "PskMismatch" in [h.code.code for h in found]


def test_stdin_log_obeys_the_size_limit_and_refuses_binary():
    r = runner.invoke(app, ["--max-file-size", "0.01", "explain", "--log", "-"],
                      input="charon: received NO_PROPOSAL_CHOSEN\n" * 1000)
    assert r.exit_code == 2 and "<stdin>" in r.stderr and "0.01 MB limit" in r.stderr
    assert r.stdout == ""
    r = runner.invoke(app, ["--max-file-size", "64", "explain", "--log", "-"],
                      input="charon: received NO_PROPOSAL_CHOSEN\n" * 1000)
    assert r.exit_code == 0
    r = invoke("--log", "-", input="\x7fELF\x02\x01\x01\x00\x00\x00 received NO_PROPOSAL_CHOSEN\n")
    assert r.exit_code == 2 and "<stdin>" in r.stderr and "binary" in r.stderr


def test_a_log_truncated_by_copytruncate_is_read_after_its_leading_nuls(tmp_path):
    f = tmp_path / "charon.log"
    f.write_bytes(b"\x00" * 5000 + b"Nov 30 04:12:01 vpn charon: 12[IKE] received NO_PROPOSAL_CHOSEN notify\n")
    r = invoke("--log", f)
    assert r.exit_code == 0, r.output
    assert "charon.log:1: Nov 30 04:12:01" in r.stdout
    r = invoke("--log", "-", input="\x00" * 300 + "charon: received NO_PROPOSAL_CHOSEN\n")
    assert r.exit_code == 0 and "<stdin>:1:" in r.stdout


def test_line_numbers_count_newlines_only(tmp_path):
    f = tmp_path / "cr.log"
    f.write_bytes(b"a\r\r\nb\r\r\nx\x0cy\nNov 30 charon: received NO_PROPOSAL_CHOSEN\r\n")
    r = invoke("--log", f)
    assert "cr.log:4: Nov 30 charon: received NO_PROPOSAL_CHOSEN" in r.stdout
    r = invoke("--log", "-", input="a\u2028b\nNov 30 charon: received NO_PROPOSAL_CHOSEN\n")
    assert "<stdin>:2:" in r.stdout


def test_a_diagnosis_that_explains_nothing_exits_1(tmp_path):
    diag = tmp_path / "unk.json"
    diag.write_text(json.dumps({"VpnConnections": [{"VpnConnectionId": "vco-1", "Severity": "Warn",
                                                    "FailedReasonCode": "TunnelBandwidthExceeded"}]}))
    r = invoke(diag)
    assert r.exit_code == 1 and "not in Alibaba's table" in r.stdout


@pytest.mark.parametrize("field,value", [("FailedReasonCode", ["PfsMismatch"]), ("SourceLog", {"a": 1}),
                                         ("TunnelId", 12), ("FailedTime", "yesterday")])
def test_a_wrongly_typed_diagnosis_field_is_a_located_input_error(tmp_path, field, value):
    item = {"VpnConnectionId": "vco-1", "FailedReasonCode": "PfsMismatch", field: value}
    diag = tmp_path / "bad.json"
    diag.write_text(json.dumps({"VpnConnections": [{"VpnConnectionId": "vco-0", "FailedReasonCode": "NoResponse"},
                                                   item]}, indent=1))
    r = invoke(diag)
    assert r.exit_code == 2, r.output
    assert re.search(rf"Input error: .*bad\.json: VpnConnections\[1\]\.{field}: expected .*, got ", r.stdout)
    assert "Connection vco-0: NoResponse" in r.stdout  # the other entry is still explained
    assert "vco-1" not in r.stdout and "{'a'" not in r.stdout and "['PfsMismatch']" not in r.stdout
    assert "Traceback" not in r.output


@pytest.mark.parametrize("line,code", [
    ("Nov 30 04:12:01 gw charon: 05[IKE] received TS_UNACCEPTABLE notify, no CHILD_SA built",
     "TrafficSelectorMismatch"),
    ("Nov 30 04:12:01 gw charon: 05[IKE] received DELETE for IKE_SA aliyun[3]", "ReceiveDeleteNotify"),
    ("Nov 30 04:12:01 gw charon: 05[IKE] retransmit 1 of request with message ID 0", "NoResponse"),
    ("Nov 30 04:12:01 gw charon: 05[IKE] peer didn't accept DH group MODP_2048, it requested MODP_1024 "
     "(received INVALID_KE_PAYLOAD notify)", "DhGroupMismatch"),
    ("Nov 30 04:12:01 gw charon: 05[CFG] no acceptable proposal found", "ProposalMismatch"),
    ("Nov 30 2025 04:12:01 HUAWEI %%01IKE/4/IKE_NEGO_FAIL: phase2 proposal or pfs mismatch", "PfsMismatch"),
    ("2025-11-30 04:12:01 IPsec连接 错误码：PfsMismatch", "PfsMismatch"),
    ("2025-11-30 04:12:01 tunnel down, reason pskmismatch", "PskMismatch"),
])
def test_real_wording_outside_the_table_is_matched_as_ours(line, code):
    found, _, _ = match_log([line])
    assert found and found[0].code.code == code, [h.code.code for h in found]
    r = invoke("--log", "-", input=line + "\n")
    assert "(not in Alibaba's table:" in r.stdout


def test_log_lines_are_not_masked_where_no_secret_follows():
    from analyzer.explain import mask_log_line

    line = "racoon: ERROR: Decryption failed! mismatch of preshared secrets."
    assert mask_log_line(line) == line
    assert "Hunter" not in mask_log_line("racoon: mismatch of preshared secrets: secret Hunter9")


def test_the_faq_second_phase_status_lists_its_causes_apart():
    from analyzer.catalog import STATUSES

    causes = next(s[1] for s in STATUSES if "第二阶段协商失败" in s[0])
    assert any("peer gateway device" in c and "fault" in c for c in causes)
    assert any("access control" in c for c in causes)
    assert any("overdue" in c and "IPv4 gateway" not in c for c in causes)
    assert any("IPv4 gateway" in c and "overdue" not in c for c in causes)


def test_a_lower_case_code_of_a_diagnosis_is_the_tables_code(tmp_path):
    diag = tmp_path / "lower.json"
    diag.write_text(json.dumps({"VpnConnections": [{"VpnConnectionId": "vco-1", "FailedReasonCode": "pfsmismatch",
                                                    "SourceLog": "2025-11-30 03:30:00 vco-1 [PROTO_ERR]: pfs group "
                                                                 "mismatched: my:14 peer:0"}]}))
    r = invoke(diag)
    assert r.exit_code == 0, r.output
    assert "Connection vco-1: PfsMismatch" in r.stdout and "The log line points at" not in r.stdout


def test_an_unparsed_line_in_the_crypto_map_means_not_compared(tmp_path):
    cfg = _example_variant(tmp_path, "unp.cfg", *_FIXED, (" set transform-set TS-ALIYUN\n",
                                                         " set transform-set TS-ALIYUN\n set bogus-option 7\n"))
    r, doc = _json("PfsMismatch", "--connection", EX / "connection.json", "--device", cfg)
    assert r.exit_code == 1 and doc["configs"]["explained"] is None
    assert [(f["code"], f["device_line"]) for f in doc["configs"]["not_compared"]] == [("UnparsedConfig", 54)]


def test_a_value_known_only_after_apply_means_not_compared_naming_the_field(tmp_path):
    # the plan of the audit fixture agrees with its ASA; the IKE DH group of tunnel 1 is known after apply only
    data = json.loads((FIXTURES / "terraform" / "plan-dual.json").read_text())
    change = data["resource_changes"][1]["change"]
    del change["after"]["tunnel_options_specification"][0]["tunnel_ike_config"][0]["ike_pfs"]
    change["after_unknown"]["tunnel_options_specification"][0]["tunnel_ike_config"] = [{"ike_pfs": True}]
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data))
    asa = FIXTURES / "audit" / "devices" / "other" / "bj-dc-asa01.cfg"
    r = invoke("DhGroupMismatch", "--connection", plan, "--device", asa)
    assert "The configs do not explain" not in r.stdout
    assert ("not compared: [KnownAfterApply] cannot verify until apply: "
            "tunnel_options_specification[0].tunnel_ike_config[0].ike_pfs at Alibaba ") in r.stdout
    assert r.exit_code == 1
    r, doc = _json("DhGroupMismatch", "--connection", plan, "--device", asa)
    assert doc["configs"]["explained"] is None
    assert [f["code"] for f in doc["configs"]["not_compared"]] == ["KnownAfterApply"]
    r = invoke("KnownAfterApply", "--connection", plan, "--device", asa)
    assert "Note (info) for KnownAfterApply: [KnownAfterApply]" in r.stdout
