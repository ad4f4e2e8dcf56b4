"""Issue 11 items 1-6, Huawei VRP (AR routers, USG firewalls): verdict truth on configs written the way
`display current-configuration` exports them (fixtures/huawei/), each defect with a failing case and a clean
counterpart, and the defaults read from parsers/huawei_vrp/defaults.py.

- item 1: `ipsec policy P N isakmp template T` built from `ipsec policy-template T N` (a responder)
- item 2: `ipsec policy P shared local-interface LoopBack0`: the loopback's address is the local one
- item 3: the built-in Default IKE proposal (USG lists, AR DES) and a peer without `ike-proposal`
- item 4: USG global `ike dpd type`
- item 5: DpdHashNotifyCompatibility only for IKEv1
- item 6: AlgorithmCompatibility for HMAC-SHA-2 without `ipsec authentication sha2 compatible enable`
"""
import json

import pytest

from analyzer.lint import lint
from conftest import CORPUS, FIXTURES, codes, edit
from parsers.huawei_vrp.defaults import AR_CMD, DEFAULTS, USG_DPD, USG_IKE
from parsers.registry import parse_device

HW = FIXTURES / "huawei"
AR_V1 = (HW / "ar-v200r010-ikev1-template.cfg").read_text()
AR_V2 = (HW / "ar-v200r010-ikev2-tunnel.cfg").read_text()
USG_V1 = (HW / "usg6500-ikev1-shared-loopback.cfg").read_text()
USG_V2 = (HW / "usg6500-ikev2-policy.cfg").read_text()
V1 = json.loads((FIXTURES / "pairs" / "ikev1-map.json").read_text())
DUAL = json.loads((FIXTURES / "pairs" / "ikev2-dual.json").read_text())
USG2 = json.loads((HW / "usg-ikev2.json").read_text())

USG_PEER_DEFAULT_ONLY = (" ike-proposal 10\n remote-address 198.51.100.60", " remote-address 198.51.100.60")


# About the Alibaba input, not the device: the single-tunnel JSON carries no gateway IP (see PeerAddressUnverified).
_INPUT_NOTES = {"PeerAddressUnverified"}


def verdict(results) -> dict[str, set[str]]:
    return {k: v for k, v in codes(results).items() if k not in _INPUT_NOTES}


def _parse(text):
    return parse_device(text, "device.cfg")


def _conn(base, ike=None, ipsec=None):
    conn = json.loads(json.dumps(base))
    conn["IkeConfig"].update(ike or {})
    conn["IpsecConfig"].update(ipsec or {})
    return conn


def _findings(results, code):
    return [f for r in results for f in r.findings if f.code == code]


# ---------------------------------------------------------------------------------------------- clean pairs

@pytest.mark.parametrize("cfg, conn", [(AR_V1, V1), (AR_V2, DUAL), (USG_V1, V1), (USG_V2, USG2)],
                         ids=["ar-ikev1-template", "ar-ikev2-tunnel", "usg-ikev1-shared", "usg-ikev2-policy"])
def test_huawei_fixtures_are_clean_pairs(run, cfg, conn):
    assert verdict(run(conn, cfg)) == {}
    assert lint(_parse(cfg)).findings == []
    ep = _parse(cfg).endpoints
    assert ep and all(e.ipsec.sha2_rfc4868 is True for e in ep)


def test_fixtures_are_written_as_exported():
    for text in (AR_V1, AR_V2):
        assert text.startswith("!Software Version V200R010") and "\n#\n" in text and text.endswith("return\n")
    for text in (USG_V1, USG_V2):
        assert "\n sysname USG" in text and "\nfirewall zone untrust\n" in text and text.endswith("return\n")
    assert {e.ike.version for t in (AR_V1, USG_V1) for e in _parse(t).endpoints} == {"ikev1"}
    assert {e.ike.version for t in (AR_V2, USG_V2) for e in _parse(t).endpoints} == {"ikev2"}
    assert {e.kind for e in _parse(AR_V2).endpoints} == {"route"}


# ---------------------------------------------------------------------------------------------- item 1

def test_template_policy_is_built_from_the_template(run):
    (ep,) = _parse(AR_V1).endpoints
    assert ep.peer_address == "198.51.100.60" and ep.local_address == "203.0.113.60"
    assert ep.ipsec.pfs_group == 14 and [str(s) for s in ep.selectors] == ["172.20.8.0/22 <-> 10.60.0.0/16"]
    assert "ALIYUN-MAP" in ep.name and "ALIYUN-TPL" in ep.name


def test_mismatches_inside_a_template_are_found(run):
    cfg = edit(AR_V1, ("ipsec policy-template ALIYUN-TPL 10\n security acl 3000\n ike-peer ALIYUN\n proposal ALIYUN\n"
                       " pfs dh-group14", "ipsec policy-template ALIYUN-TPL 10\n security acl 3000\n ike-peer ALIYUN\n"
                       " proposal ALIYUN\n pfs dh-group5"))
    assert verdict(run(V1, cfg)) == {"PfsMismatch": {"error"}}
    cfg = edit(AR_V1, (" encryption-algorithm aes-256\n dh group14", " encryption-algorithm aes-128\n dh group14"))
    assert "AlgorithmMismatch" in verdict(run(V1, cfg))


def test_template_without_remote_address_accepts_any_peer(run):
    cfg = edit(AR_V1, (" remote-address 198.51.100.60\n", ""))
    (ep,) = _parse(cfg).endpoints
    assert ep.kind == "dynamic" and ep.peer_address is None
    found = verdict(run(V1, cfg))
    assert not {"DeviceConfigIncomplete", "NoTunnelOnDevice"} & set(found)
    assert found == {"PeerMismatch": {"info"}}  # true: a responder-only entry cannot initiate


def test_template_without_acl_says_the_subnets_were_not_compared(run):
    tpl = "ipsec policy-template ALIYUN-TPL 10\n"
    cfg = edit(AR_V1, (tpl + " security acl 3000\n", tpl))
    (hit,) = _findings(run(V1, cfg), "UnparsedConfig")
    assert hit.severity == "info" and "not compared" in hit.message


def test_undefined_template_is_named():
    cfg = edit(AR_V1, ("isakmp template ALIYUN-TPL", "isakmp template ALIYUN-TPL2"))
    d = _parse(cfg).diagnostics
    assert [x.severity for x in d if "ALIYUN-TPL2 is not defined" in x.message] == ["error"]


# ---------------------------------------------------------------------------------------------- item 2

def test_shared_local_interface_gives_the_loopback_address(run):
    cfg = _parse(USG_V1)
    (ep,) = cfg.endpoints
    assert ep.local_address == "203.0.113.60" and ep.ike.local_id.value == "203.0.113.60"
    assert "shared local-interface" in ep.src["local_address"].text
    assert not cfg.diagnostics


def test_without_shared_local_interface_the_uplink_address_is_used(run):
    cfg = edit(USG_V1, ("ipsec policy ALIYUN-MAP shared local-interface LoopBack0\n", ""))
    (ep,) = _parse(cfg).endpoints
    assert ep.local_address == "192.0.2.2"
    assert "PeerIdMismatch" in verdict(run(V1, cfg))


# ---------------------------------------------------------------------------------------------- item 3

def test_usg_default_proposal_offers_every_listed_value(run):
    cfg = edit(USG_V1, USG_PEER_DEFAULT_ONLY)
    (ep,) = _parse(cfg).endpoints
    assert [p.name for p in ep.ike.proposals] == ["ike proposal 10", "ike proposal default"]
    assert ep.ike.proposals[1].encryption == ["aes256", "aes192", "aes128"]
    assert ep.ike.proposals[1].integrity == ["sha512", "sha384", "sha256"]
    for ike in ({"IkeAuthAlg": "sha512"}, {"IkeEncAlg": "aes128", "IkeAuthAlg": "sha384"}):
        found = verdict(run(_conn(V1, ike), cfg))
        assert not {"AlgorithmMismatch", "AuthenticationAlgorithmMismatch", "DhGroupMismatch"} & set(found)
    assert "AuthenticationAlgorithmMismatch" in verdict(run(_conn(V1, {"IkeAuthAlg": "sha1"}), cfg))


def test_ikev2_peers_use_integrity_algorithm_not_authentication_algorithm(run):
    cfg = edit(USG_V1, USG_PEER_DEFAULT_ONLY, (" undo version 2\n exchange-mode main\n", " undo version 1\n"))
    (ep,) = _parse(cfg).endpoints
    assert ep.ike.version == "ikev2" and [p.integrity for p in ep.ike.proposals] == [["sha256"], ["sha256"]]
    assert "AuthenticationAlgorithmMismatch" in verdict(run(_conn(V1, {"IkeVersion": "ikev2", "IkeAuthAlg": "sha512"}),
                                                            cfg))
    assert "AuthenticationAlgorithmMismatch" not in verdict(run(_conn(V1, {"IkeVersion": "ikev2"}), cfg))


def test_usg_builtin_default_without_the_exported_block(run):
    cfg = edit(USG_V1, USG_PEER_DEFAULT_ONLY)
    start, end = cfg.index("ike proposal default\n"), cfg.index("ike peer ALIYUN")
    cfg = cfg[:start] + "#\n" + cfg[end:]  # no created proposal, no exported Default: the built-in one
    (ep,) = _parse(cfg).endpoints
    (p,) = ep.ike.proposals
    assert p.integrity == ["sha512", "sha384", "sha256"] and p.dh_groups == [14]
    assert USG_IKE in p.src["integrity"].note
    found = verdict(run(_conn(V1, {"IkeAuthAlg": "sha384"}), cfg))
    assert not {"AlgorithmMismatch", "AuthenticationAlgorithmMismatch", "DhGroupMismatch"} & set(found)


def test_ar_peer_without_proposal_offers_configured_ones_then_des_default(run):
    cfg = edit(AR_V1, (" ike-proposal 10\n", ""))
    (ep,) = _parse(cfg).endpoints
    assert [p.encryption for p in ep.ike.proposals] == [["aes256"], ["des"]]
    found = verdict(run(V1, cfg))
    assert not {"AlgorithmMismatch", "AuthenticationAlgorithmMismatch", "DhGroupMismatch"} & set(found)
    alone = cfg[:cfg.index("ike proposal 10\n")] + cfg[cfg.index("ike peer ALIYUN"):]
    (hit,) = _findings(run(V1, alone), "AlgorithmMismatch")[:1]
    assert hit.severity == "error" and "des" in hit.message


def test_created_proposal_defaults_follow_the_release(run):
    no_dh = edit(AR_V1, (" encryption-algorithm aes-256\n dh group14\n", " encryption-algorithm aes-256\n"))
    (ep,) = _parse(no_dh).endpoints
    assert ep.ike.proposals[0].dh_groups == [2] and AR_CMD in ep.ike.proposals[0].src["dh_groups"].note
    (hit,) = _findings(run(V1, no_dh), "DhGroupMismatch")
    assert hit.severity == "error"
    unknown = edit(no_dh, ("!Software Version V200R010C10SPC700\n", ""))
    cfg = _parse(unknown)
    warned = [d for d in cfg.diagnostics if "depends on the release" in d.message]
    assert len(warned) == 1 and warned[0].severity == "warning" and "created `ike proposal` (AR)" in warned[0].message
    assert "depends on the release" in cfg.endpoints[0].ike.proposals[0].src["dh_groups"].note


def test_release_is_read_from_the_header_forms():
    for head in ("[V200R010C10SPC700]\n", "!Software Version V200R010C10SPC700\n",
                 "Huawei Versatile Routing Platform Software\nVRP (R) software, Version 5.170 (AR2200 "
                 "V200R010C10SPC700)\n"):
        text = head + AR_V1.split("\n", 1)[1]
        assert not [d for d in _parse(text).diagnostics if "depends on the release" in d.message]


# ---------------------------------------------------------------------------------------------- item 4

def test_usg_global_dpd_type_applies_to_peers(run):
    (ep,) = _parse(USG_V1).endpoints
    assert ep.ike.dpd.enabled and ep.ike.dpd.mode == "periodic" and ep.ike.dpd.payload_order == "hash-notify"
    assert ep.ike.src["dpd"].defaulted and USG_DPD in ep.ike.src["dpd"].note
    off = edit(USG_V1, ("ike dpd type periodic\n", ""))
    assert verdict(run(V1, off)) == {"DpdTimeout": {"warning"}}
    # a peer's own `dpd type` keeps its own order (USG default hash-notify), not the global `ike dpd msg`
    own = edit(USG_V1, ("ike dpd type periodic\n", "ike dpd msg seq-notify-hash\n"),
               (" remote-address 198.51.100.60\n", " remote-address 198.51.100.60\n dpd type on-demand\n"))
    (ep,) = _parse(own).endpoints
    assert ep.ike.dpd.mode == "on-demand" and ep.ike.dpd.payload_order == "hash-notify"
    assert verdict(run(V1, own)) == {}


# ---------------------------------------------------------------------------------------------- item 5

def test_dpd_payload_order_is_ikev1_only(run):
    v1 = edit(AR_V1, (" dpd msg seq-hash-notify\n", ""))
    assert verdict(run(V1, v1)) == {"DpdHashNotifyCompatibility": {"warning"}}
    assert [f.code for f in lint(_parse(v1)).findings] == ["DpdHashNotifyCompatibility"]
    (ep,) = [e for e in _parse(AR_V2).endpoints if e.peer_address == "198.51.100.31"]
    assert ep.ike.dpd.enabled and ep.ike.dpd.payload_order is None  # `dpd msg` is IKEv1's (AR/USG reference)

    def notify_hash(dev):  # even a parser that sets an order for IKEv2 must not make the rule fire
        for e in dev.endpoints:
            e.ike.dpd.payload_order = "notify-hash"

    assert "DpdHashNotifyCompatibility" not in verdict(run(DUAL, AR_V2, mutate_device=notify_hash))
    dev = _parse(AR_V2)
    notify_hash(dev)
    assert "DpdHashNotifyCompatibility" not in {f.code for f in lint(dev).findings}


# ---------------------------------------------------------------------------------------------- item 6

@pytest.mark.parametrize("cfg, conn, line", [
    (AR_V1, V1, "ipsec authentication sha2 compatible enable\n"),
    (USG_V2, USG2, "ipsec sha2 compatible enable\n")], ids=["ar", "usg"])
def test_sha2_without_rfc4868_compatibility_fails_after_negotiation(run, cfg, conn, line):
    plain = edit(cfg, (line, ""))
    (hit,) = _findings(run(conn, plain), "AlgorithmCompatibility")
    assert hit.severity == "error" and "RFC 4868" in hit.message and "sha2 compatible enable" in str(hit.fix)
    assert "EDOC1100331435" in (hit.device.default or "")  # the default applied, with its document
    assert verdict(run(conn, plain)) == {"AlgorithmCompatibility": {"error"}}
    assert [f.code for f in lint(_parse(plain)).findings] == ["AlgorithmCompatibility"]
    sha1 = edit(plain, (" esp authentication-algorithm sha2-256", " esp authentication-algorithm sha1"))
    assert "AlgorithmCompatibility" not in verdict(run(_conn(conn, ipsec={"IpsecAuthAlg": "sha1"}), sha1))


def test_unknown_global_ipsec_line_is_reported_not_dropped(run):
    cfg = edit(AR_V1, ("ipsec authentication sha2 compatible enable\n", "ipsec authentication sha2 compatible enable\n"
                                                                           "ipsec sha2-frobnicate on\n"))
    (hit,) = _findings(run(V1, cfg), "UnparsedConfig")
    assert hit.severity == "info" and hit.device.text == "ipsec sha2-frobnicate on"


def test_alibaba_code_of_algorithm_compatibility():
    from analyzer.rules import all_rules

    (r,) = [r for r in all_rules() if r.code == "AlgorithmCompatibility"]
    assert r.alibaba_code == "AlgorithmCompatibility" and r.lint is not None


# ---------------------------------------------------------------------------------------------- export forms

def test_usg_cipher_key_without_keyword_is_not_read_as_plaintext(run):
    cfg = edit(USG_V1, (" pre-shared-key simple hzDC-7q!Lm2#vR9k", " pre-shared-key %^%#Xq1!;aZ#9v\\Q8|k2/Rs(d%^%#"))
    (ep,) = _parse(cfg).endpoints
    assert ep.ike.psk.form == "encrypted" and ep.ike.psk.secret is None
    assert verdict(run(V1, cfg)) == {"PskMismatch": {"info"}}


def test_every_default_cites_a_document_or_says_unverified():
    for row in DEFAULTS.rows:
        assert row.source and (row.verified or row.source.startswith("unverified:")), row.key
    assert DEFAULTS.value("usg.ike-proposal.builtin")[1] == ("sha512", "sha384", "sha256")
    assert DEFAULTS.value("ar.ike-proposal.builtin")[:3] == ("des", "sha1", 1)


def test_corpus_ar_config_reports_release_dependent_defaults():
    path = CORPUS / "huawei" / "saidvandeklundert-blog-ar1220f-ikev1-ipsec-policy-doc-extract.cfg"
    if not path.exists():
        pytest.skip("shared corpus not present")
    cfg = parse_device(path.read_text(), str(path))
    (ep,) = cfg.endpoints
    assert ep.peer_address == "172.31.255.10" and ep.ike.version == "ikev1"
    assert [d.severity for d in cfg.diagnostics if "depends on the release" in d.message] == ["warning"]


def test_global_one_liners_printed_one_space_in_after_a_separator_are_global(run):
    """VRP prints global one-line commands one space in after a `#` (`#` / ` sysname X` / `#`): such a line
    after a block is not that block's child, so the sha2 switch is seen wherever the export puts it."""
    moved = edit(AR_V1, ("ipsec authentication sha2 compatible enable\n", ""))
    head = next(l for l in moved.splitlines() if l.startswith("ike peer "))
    block_end = moved.index("\n#\n", moved.index(head)) + 3
    moved = moved[:block_end] + " ipsec authentication sha2 compatible enable\n#\n" + moved[block_end:]
    assert "AlgorithmCompatibility" not in verdict(run(V1, moved))


# ---------------------------------------------------------------------------------------------- review round 2
# Each defect on a config written as exported (fixtures/huawei/), with a clean counterpart.

AR_ZONES = (HW / "ar-v200r010-ikev1-zones.cfg").read_text()
AR_DIALER = (HW / "ar-v200r010-ikev2-dialer.cfg").read_text()
USG_NAT = (HW / "usg6555e-nat-policy-two-flows.cfg").read_text()
USG_NAT_CONN = json.loads((HW / "usg-two-flows.json").read_text())
NO_DH = (" encryption-algorithm aes-256\n dh group14\n", " encryption-algorithm aes-256\n")


def _platform(text):
    from parsers.huawei_vrp.parser import _Parser
    return _Parser.detect_platform(text)


def test_ar_with_firewall_zones_keeps_the_ar_defaults(run):
    """An AR's `firewall zone` must not turn it into a USG: the AR created-proposal default is group2."""
    assert verdict(run(V1, AR_ZONES)) == {}
    assert verdict(run(V1, edit(AR_ZONES, NO_DH))) == {"DhGroupMismatch": {"error"}}
    assert _platform(AR_ZONES) == ("ar", True)


def test_platform_evidence():
    assert _platform(USG_V1) == ("usg", True)  # `sysname USG...`, `security-policy`
    usg_zone_only = "firewall zone trust\n set priority 85\n add interface GigabitEthernet1/0/3\n#\n"
    assert _platform(usg_zone_only) == ("usg", True)
    assert _platform("!Software Version V300R019C10SPC300\n#\nfirewall zone trust\n priority 14\n#\n") == ("ar", True)
    assert _platform("!Software Version V500R005C20SPC300\n#\n sysname FW-HZ\n#\n") == ("usg", True)


def test_zone_without_other_evidence_says_the_platform_is_unknown(run):
    cfg = edit(AR_ZONES, ("!Software Version V200R010C10SPC700\n", ""))
    (d,) = [x for x in _parse(cfg).diagnostics if "platform unknown" in x.message]
    assert d.severity == "warning" and d.text.startswith("firewall zone")
    assert "DPD payload order" in d.message and "created `ike proposal`" in d.message
    assert "platform unknown" in " ".join(f.message for f in _findings(run(V1, cfg), "DeviceConfigIncomplete"))
    assert not [x for x in _parse(AR_ZONES).diagnostics if "platform unknown" in x.message]


def test_isakmp_policy_without_acl_is_reported(run):
    cfg = edit(AR_ZONES, (" security acl 3000\n", ""))
    (hit,) = _findings(run(V1, cfg), "DeviceConfigIncomplete")
    assert hit.severity == "error" and "no `security acl`" in hit.message
    assert not _findings(run(V1, AR_ZONES), "DeviceConfigIncomplete")


def _dual(**ike):
    conn = json.loads(json.dumps(DUAL))
    for t in conn["TunnelOptionsSpecification"]["TunnelOptions"]:
        t["TunnelIkeConfig"].update(ike)
    return conn


def test_ikev2_prf_is_read_from_prf_not_authentication_algorithm(run):
    """AR V200R007 `ike proposal` Table 10-37: a created proposal's IKEv2 PRF defaults to HMAC-SHA-256."""
    no_prf = edit(AR_V2, ("\n authentication-algorithm sha2-256\n", "\n authentication-algorithm sha1\n"),
                  (" prf hmac-sha2-256\n", ""))
    assert verdict(run(DUAL, no_prf)) == {}  # IKEv1's authentication-algorithm sha1 is not the IKEv2 PRF
    (p,) = {p.name: p for e in _parse(no_prf).endpoints for p in e.ike.proposals}.values()
    assert p.prf == ["sha256"] and p.src["prf"].defaulted and AR_CMD in p.src["prf"].note
    sha1 = edit(no_prf, (" integrity-algorithm hmac-sha2-256\n", " integrity-algorithm hmac-sha1-96\n"))
    assert verdict(run(_dual(IkeAuthAlg="sha1"), sha1)) == {"ProposalMismatch": {"error"}}  # PRF still SHA2-256
    fixed = edit(sha1, (" integrity-algorithm hmac-sha1-96\n", " integrity-algorithm hmac-sha1-96\n prf hmac-sha1\n"))
    assert verdict(run(_dual(IkeAuthAlg="sha1"), fixed)) == {}


def test_prf_defaults_cite_their_documents():
    assert DEFAULTS.value("ar.ike-proposal.builtin.prf") == "sha1"
    assert DEFAULTS.value("usg.ike-proposal.created.prf") == "sha256"
    assert DEFAULTS.pick("ar.ike-proposal.created.prf", (200, 10)).row.value == "sha256"


def test_dialer_wan_names_what_cannot_be_verified(run):
    v2 = _conn(V1, ike={"IkeVersion": "ikev2", "RemoteId": "192.0.2.77"})
    (ep,) = _parse(AR_DIALER).endpoints
    assert ep.local_address is None and ep.ike.local_id is None
    (hit,) = [f for f in _findings(run(v2, AR_DIALER), "UnparsedConfig") if "cannot be verified" in f.message]
    assert "customer gateway IP" in hit.message and "local identity" in hit.message
    assert "ppp-negotiate" in hit.device.text and "Dialer1" in hit.message
    static = [f for f in _findings(run(V1, AR_ZONES), "UnparsedConfig") if "cannot be verified" in f.message]
    assert static == []


def _fix(results, code):
    (f,) = _findings(results, code)
    return f.fix.device


def test_fixes_of_a_template_policy_go_into_the_template_view(run):
    """`ipsec policy P N isakmp template T` enters no view: values live in `ipsec policy-template T N`."""
    assert _fix(run(_conn(V1, ipsec={"IpsecPfs": "group2"}), AR_V1), "PfsMismatch") == [
        "ipsec policy-template ALIYUN-TPL 10", " pfs dh-group2"]
    cfg = edit(AR_V1, (" sa duration time-based 3600\n", ""))
    fix = _fix(run(_conn(V1, ipsec={"IpsecLifetime": 7200}), cfg), "LifetimeMismatch")
    assert fix[0] == "ipsec policy-template ALIYUN-TPL 10"
    # a policy without a template keeps its own view
    assert _fix(run(_conn(V1, ipsec={"IpsecPfs": "group2"}), AR_ZONES), "PfsMismatch")[0] == \
        "ipsec policy ALIYUN-MAP 10 isakmp"


def test_ikev2_proposal_fix_sets_integrity_and_prf_and_clears_the_error(run):
    conn = _conn(USG2, ike={"IkeAuthAlg": "sha1"})
    fix = _fix(run(conn, USG_V2), "AuthenticationAlgorithmMismatch")
    assert " integrity-algorithm hmac-sha1-96" in fix and " prf hmac-sha1" in fix
    assert not any(l.startswith(" authentication-algorithm") for l in fix)  # IKEv1's, ignored by IKEv2
    n = fix[0].split()[-1]
    peer_at = fix.index(next(l for l in fix if l.startswith("ike peer ")))
    text = USG_V2.replace("\nike peer ", "\n" + "\n".join(fix[:peer_at]) + "\n#\nike peer ", 1)
    text = "\n".join(f" ike-proposal {n}" if l.startswith(" ike-proposal ") else l for l in text.splitlines()) + "\n"
    assert "AuthenticationAlgorithmMismatch" not in verdict(run(conn, text))
    v1_fix = _fix(run(_conn(V1, ike={"IkeAuthAlg": "sha1"}), AR_ZONES), "AuthenticationAlgorithmMismatch")
    assert " authentication-algorithm sha1" in v1_fix and not any("prf" in l for l in v1_fix)


def test_usg_no_nat_fix_covers_every_flow(run):
    fix = _fix(run(USG_NAT_CONN, USG_NAT), "VpnTrafficNatted")
    assert fix.count("  action no-nat") == 2
    assert "  destination-address 10.80.0.0 16" in fix and "  destination-address 10.81.0.0 16" in fix


def test_sa_lifetime_and_dpd_rows_cite_their_platform():
    life = next(r for r in DEFAULTS.rows if r.key == "sa.lifetime")
    assert life.source.startswith("unverified:") and "unverified" in life.what
    assert "EDOC1000097293" in next(r for r in DEFAULTS.rows if r.key == "ar.dpd").source
    assert next(r for r in DEFAULTS.rows if r.key == "usg.dpd").source == USG_DPD
