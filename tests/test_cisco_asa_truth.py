"""Issue 10, Cisco ASA: verdict truth on configs written the way `show running-config` exports them
(fixtures/asa/), each defect with a failing case and a clean counterpart, the defaults table, and the ASA fixer.

- item 8: BGP neighbours under `router bgp N` / ` address-family ipv4 unicast` (fixtures/asa/vti-bgp-ikev2.asa.cfg)
- item 9: twice-NAT position (`nat (...) 1 ...`, `after-auto`) and object NAT in a second `object network` block
  (fixtures/asa/ikev1-objnat.asa.cfg)
- item 10: `vpn-tunnel-protocol` judged against the IKE version the pair negotiates
- item 11: no SHA-2 under ASA IKEv1 (parser and fixer)
- item 12: ASA fix texts are never empty and never propose a value Alibaba does not accept
- review 10: `set ikev1 phase1-mode aggressive` read, every other unknown flat `crypto map ... set` line noted
  (`set inheritance data` as a warning); `inactive` ACL entries and NAT rules not in effect; `any` NAT interfaces;
  the BGP fix in ASA syntax; a `shutdown` BGP neighbour is no session
"""
import json
import re

import pytest

from analyzer.algorithms import ALIBABA_ENCRYPTION, ALIBABA_INTEGRITY
from conftest import FIXTURES, codes, edit
from parsers.registry import parse_device

ASA = FIXTURES / "asa"
VTI = (ASA / "vti-bgp-ikev2.asa.cfg").read_text()
OBJNAT = (ASA / "ikev1-objnat.asa.cfg").read_text()
DUAL = json.loads((FIXTURES / "pairs" / "ikev2-dual.json").read_text())
V1 = json.loads((FIXTURES / "pairs" / "ikev1-map.asa.json").read_text())

EXEMPT = ("nat (inside,outside) source static DC-LAN DC-LAN destination static ALIYUN-VPC ALIYUN-VPC no-proxy-arp "
          "route-lookup\n")


def _conn(base, **ike):
    conn = json.loads(json.dumps(base))
    conn.get("IkeConfig", {}).update(ike)
    for t in conn.get("TunnelOptionsSpecification", {}).get("TunnelOptions", []):
        t["TunnelIkeConfig"].update(ike)
    return conn


def _parse(text):
    return parse_device(text, "device.cfg")


# ---------------------------------------------------------------------------------------------- the fixtures

def test_asa_fixtures_are_clean_pairs(run):
    assert codes(run(_conn(DUAL), VTI)) == {}
    assert codes(run(_conn(V1), OBJNAT)) == {}
    for name in ("vti-bgp-ikev2.asa.cfg", "ikev1-objnat.asa.cfg"):
        text = (ASA / name).read_text()
        assert text.startswith(": Saved\n") and "\nASA Version 9." in text and "\n!\n" in text


# ---------------------------------------------------------------------------------------------- item 8: BGP

def test_bgp_neighbours_under_address_family_are_read(run):
    cfg = _parse(VTI)
    assert cfg.bgp_asn == 65020
    bgp = {ep.peer_address: ep.bgp for ep in cfg.endpoints}
    assert bgp["198.51.100.31"].peer_ip == "169.254.30.1" and bgp["198.51.100.31"].peer_asn == 65010
    assert bgp["198.51.100.32"].tunnel_cidr == "169.254.31.0/30"
    assert "BgpConfigMismatch" not in codes(run(_conn(DUAL), VTI))


def test_bgp_wrong_remote_as_under_address_family_is_reported(run):
    wrong = VTI.replace("neighbor 169.254.30.1 remote-as 65010", "neighbor 169.254.30.1 remote-as 65011")
    assert codes(run(_conn(DUAL), wrong)).get("BgpConfigMismatch") == {"error"}


def test_bgp_missing_neighbour_is_still_reported(run):
    missing = edit(VTI, ("  neighbor 169.254.31.1 remote-as 65010\n  neighbor 169.254.31.1 activate\n", ""))
    results = run(_conn(DUAL), missing)
    by_tunnel = {r.endpoint: {f.code for f in r.findings} for r in results}
    assert "BgpConfigMismatch" in by_tunnel["ali-t2 (ipsec profile IPSEC-ALIYUN) [ikev2]"]
    assert "BgpConfigMismatch" not in by_tunnel["ali-t1 (ipsec profile IPSEC-ALIYUN) [ikev2]"]


# ---------------------------------------------------------------------------------------------- item 9: NAT

PAT_FIRST = "nat (inside,outside) source dynamic any interface\n"


def test_twice_nat_line_1_goes_before_earlier_rules(run):
    # the PAT rule is first in the text, but the exemption is inserted at line 1 of section 1
    cfg = edit(OBJNAT, (EXEMPT, PAT_FIRST + EXEMPT.replace("nat (inside,outside) source", "nat (inside,outside) 1 source")))
    assert "VpnTrafficNatted" not in codes(run(_conn(V1), cfg))


def test_twice_nat_without_line_goes_last(run):
    cfg = edit(OBJNAT, (EXEMPT, PAT_FIRST + EXEMPT))
    assert codes(run(_conn(V1), cfg)).get("VpnTrafficNatted") == {"warning"}


def test_after_auto_puts_the_exemption_after_object_nat(run):
    cfg = edit(OBJNAT, (EXEMPT, EXEMPT.replace("nat (inside,outside) source", "nat (inside,outside) after-auto source")))
    assert codes(run(_conn(V1), cfg)).get("VpnTrafficNatted") == {"warning"}
    # after-auto 1 is section 3 too: still after the object NAT
    cfg = edit(OBJNAT, (EXEMPT, EXEMPT.replace("nat (inside,outside) source", "nat (inside,outside) after-auto 1 source")))
    assert codes(run(_conn(V1), cfg)).get("VpnTrafficNatted") == {"warning"}


def test_nat_table_order_is_section_1_then_object_nat_then_section_3():
    cfg = _parse(edit(OBJNAT, (EXEMPT, "nat (inside,outside) after-auto source dynamic any interface\n" + PAT_FIRST
                                + EXEMPT.replace(" source", " 1 source"))))
    lines = [r.source.text for r in cfg.nat_rules]
    assert lines[0].startswith("nat (inside,outside) 1 source static DC-LAN")
    assert lines[1] == PAT_FIRST.strip()
    assert lines[2] == "nat (inside,outside) dynamic interface"  # object NAT (section 2)
    assert lines[3].startswith("nat (inside,outside) after-auto")


def test_object_nat_in_a_second_object_block_is_merged(run):
    cfg = _parse(OBJNAT)
    (obj_rule,) = [r for r in cfg.nat_rules if r.source.text == "nat (inside,outside) dynamic interface"]
    assert [str(e.src) for e in cfg.acls[obj_rule.acl].entries] == ["172.20.0.0/16"]
    # without the twice-NAT exemption, the object PAT translates the VPN traffic
    assert codes(run(_conn(V1), edit(OBJNAT, (EXEMPT, "")))).get("VpnTrafficNatted") == {"warning"}


# ---------------------------------------------------------------------------------------------- item 10

def test_ikev2_only_group_policy_is_fine_for_an_ikev2_pair(run):
    assert "DeviceConfigIncomplete" not in codes(run(_conn(DUAL), VTI))
    # a crypto map offering both versions, the group policy allowing ikev2 only, Alibaba negotiating IKEv2
    both = edit(OBJNAT, ("crypto map outside_map 10 set ikev1 transform-set TS-ALIYUN\n",
                         "crypto map outside_map 10 set ikev1 transform-set TS-ALIYUN\n"
                         "crypto map outside_map 10 set ikev2 ipsec-proposal PROP-ALIYUN\n"),
                ("crypto ipsec security-association pmtu-aging", "crypto ipsec ikev2 ipsec-proposal PROP-ALIYUN\n"
                 " protocol esp encryption aes-256\n protocol esp integrity sha-1\n"
                 "crypto ipsec security-association pmtu-aging"),
                ("crypto ikev1 enable outside\n", "crypto ikev1 enable outside\ncrypto ikev2 enable outside\n"
                 "crypto ikev2 policy 10\n encryption aes-256\n integrity sha\n group 14\n prf sha\n"
                 " lifetime seconds 86400\n"),
                (" vpn-tunnel-protocol ikev1", " vpn-tunnel-protocol ikev2"),
                (" ikev1 pre-shared-key hzDC-7q!Lm2#vR9k", " ikev2 remote-authentication pre-shared-key hzDC-7q!Lm2#vR9k\n"
                 " ikev2 local-authentication pre-shared-key hzDC-7q!Lm2#vR9k"))
    found = codes(run(_conn(V1, IkeVersion="ikev2"), both))
    assert "DeviceConfigIncomplete" not in found
    assert found.get("IkeVersionMismatch") == {"warning"}  # both versions offered: said, not an error
    # the same device against an IKEv1 pair: the group policy refuses it
    found = codes(run(_conn(V1), both))
    assert found.get("DeviceConfigIncomplete") == {"error"}


def test_group_policy_excluding_the_negotiated_version_is_an_error(run):
    v1_only = VTI.replace(" vpn-tunnel-protocol ikev2", " vpn-tunnel-protocol ikev1")
    results = run(_conn(DUAL), v1_only)
    msgs = [f.message for r in results for f in r.findings if f.code == "DeviceConfigIncomplete"]
    assert msgs and all("does not allow ikev2" in m for m in msgs)
    v2_only = OBJNAT.replace(" vpn-tunnel-protocol ikev1", " vpn-tunnel-protocol ikev2")
    assert codes(run(_conn(V1), v2_only)).get("DeviceConfigIncomplete") == {"error"}


def test_group_policy_inherits_from_dfltgrppolicy(run):
    # no vpn-tunnel-protocol in the named policy: DfltGrpPolicy's applies
    cfg = edit(VTI, ("group-policy GP-ALIYUN attributes\n vpn-tunnel-protocol ikev2\n",
                     "group-policy DfltGrpPolicy attributes\n vpn-tunnel-protocol ikev1\n"))
    assert codes(run(_conn(DUAL), cfg)).get("DeviceConfigIncomplete") == {"error"}


# ---------------------------------------------------------------------------------------------- item 11

def test_ikev1_sha2_hash_is_not_valid_on_the_asa(run):
    cfg = _parse(OBJNAT.replace(" hash sha\n", " hash sha256\n"))
    (p,) = [p for ep in cfg.endpoints for p in ep.ike.proposals]
    assert p.integrity == ["sha1"] and p.src["integrity"].defaulted  # the ASA refuses the line: default sha
    (d,) = [d for d in cfg.diagnostics if "hash sha256" in d.message]
    assert d.severity == "error" and "not valid" in d.message and d.text == "hash sha256"
    found = codes(run(_conn(V1, IkeAuthAlg="sha256"), OBJNAT.replace(" hash sha\n", " hash sha256\n")))
    assert found.get("AuthenticationAlgorithmMismatch") == {"error"}


def test_ikev1_sha2_transform_is_not_offered_on_the_asa(run):
    text = OBJNAT.replace("esp-aes-256 esp-sha-hmac", "esp-aes-256 esp-sha256-hmac")
    cfg = _parse(text)
    (p,) = cfg.endpoints[0].ipsec.proposals
    assert "sha256" not in p.integrity
    assert any("esp-sha256-hmac" in d.message and d.severity == "error" for d in cfg.diagnostics)
    conn = _conn(V1)
    conn["IpsecConfig"]["IpsecAuthAlg"] = "sha256"
    assert "AlgorithmMismatch" in codes(run(conn, text))


def test_sha2_under_ikev2_stays_valid():
    cfg = _parse(VTI)
    ep = cfg.endpoints[0]
    assert ep.ike.proposals[0].integrity == ["sha256"] and ep.ike.proposals[0].prf == ["sha256"]
    assert ep.ipsec.proposals[0].integrity == ["sha256"]
    assert not [d for d in cfg.diagnostics if d.severity != "info"]


def _endpoint(text, version):
    return next(ep for ep in _parse(text).endpoints if ep.ike.version == version)


@pytest.mark.parametrize("integ", ALIBABA_INTEGRITY)
def test_fixer_never_writes_sha2_under_ikev1(integ):
    from parsers.cisco_asa.fixes import Fixer

    ep = _endpoint(OBJNAT, "ikev1")
    fix = Fixer()
    for f in (fix.ike_proposal(ep, "aes256", integ, 14, 86400), fix.ipsec_proposal(ep, "aes256", integ)):
        text = "\n".join(f.device)
        assert text.strip()
        assert not re.search(r"^ hash sha(256|384|512)", text, re.M), text
        assert not re.search(r"esp-sha(256|384|512)-hmac", text), text
        if integ in ("sha256", "sha384", "sha512", "sm3"):  # SHA-1 on both sides (the Alibaba value)
            assert list(f.alibaba.values()) == ["sha1"], f
        if integ in ("sha256", "sha384", "sha512"):  # or both sides on IKEv2
            assert "IKEv2" in f.note, f
    v2 = _endpoint(VTI, "ikev2")
    if integ in ("sha256", "sha384", "sha512"):
        assert f" integrity {integ}" in fix.ike_proposal(v2, "aes256", integ, 14, 86400).device
        assert f" protocol esp integrity sha-{integ[3:]}" in fix.ipsec_proposal(v2, "aes256", integ).device


def test_check_fix_for_an_ikev1_sha256_connection_advises_ikev2_or_sha1(run):
    results = run(_conn(V1, IkeAuthAlg="sha256"), OBJNAT)
    (fix,) = [f.fix for r in results for f in r.findings if f.code == "AuthenticationAlgorithmMismatch"]
    assert " hash sha" in fix.device and " hash sha256" not in fix.device
    assert fix.alibaba == {"IkeConfig.IkeAuthAlg": "sha1"} and "IkeConfig.IkeVersion = ikev2" in fix.note


# ---------------------------------------------------------------------------------------------- item 12

_ALIBABA_OK = {"IkeEncAlg": {"aes" if v == "aes128" else v for v in ALIBABA_ENCRYPTION},
               "IpsecEncAlg": {"aes" if v == "aes128" else v for v in ALIBABA_ENCRYPTION},
               "IkeAuthAlg": set(ALIBABA_INTEGRITY), "IpsecAuthAlg": set(ALIBABA_INTEGRITY),
               "IkeVersion": {"ikev1", "ikev2"}}


def _fix_texts(ep):
    from analyzer.model import Identity, SelectorPair
    from parsers.cisco_asa.fixes import Fixer

    fix = Fixer()
    pairs = [SelectorPair(local="172.20.8.0/22", remote="10.60.0.0/16")]
    for enc in ALIBABA_ENCRYPTION:
        for integ in ALIBABA_INTEGRITY:
            yield fix.ike_proposal(ep, enc, integ, 14, 86400)
            yield fix.ipsec_proposal(ep, enc, integ)
    for group in (None, 2, 14):
        yield fix.pfs(ep, group)
    yield from (fix.ipsec_lifetime(ep, 3600), fix.ike_lifetime(ep, 86400), fix.no_volume_lifetime(ep), fix.psk(ep),
                fix.local_id(ep, Identity(type="ip", value="203.0.113.60")),
                fix.local_id(ep, Identity(type="fqdn", value="hz.example.org")), fix.version(ep, "ikev1"),
                fix.version(ep, "ikev2"), fix.dpd(ep, True), fix.dpd(ep, False), fix.natt(ep, True),
                fix.natt(ep, False), fix.selectors(ep, pairs), fix.selectors(ep, []),
                fix.nat_exempt(ep, "acl", pairs), fix.nat_exempt(ep, None, []), fix.peer(ep, "198.51.100.60"),
                fix.esp_tunnel(ep), fix.mode(ep, "main"), fix.remote_id(ep, Identity(type="ip", value="1.2.3.4")),
                fix.mtu(ep, 1400, 1360), fix.permit_ike(ep, "OUTSIDE-IN", "198.51.100.60"),
                fix.mode(ep, "aggressive"), fix.bgp_neighbor(ep, None, "169.254.31.1", 65010))


@pytest.mark.parametrize("text,version", [(OBJNAT, "ikev1"), (VTI, "ikev2")], ids=["ikev1", "ikev2"])
def test_asa_fix_texts_are_never_empty_and_propose_only_alibaba_values(text, version):
    for fix in _fix_texts(_endpoint(text, version)):
        assert fix.device or fix.note, "empty fix"
        for field, value in fix.alibaba.items():
            field = field.rsplit(".", 1)[-1]
            assert value in _ALIBABA_OK[field], f"{field} = {value} is not accepted by Alibaba: {fix}"
        commands = "\n".join(fix.device)
        assert "sm4" not in commands and " integrity sm3" not in commands and "hash sm3" not in commands


# ---------------------------------------------------------------------------------------------- defaults table

def test_every_asa_default_has_a_source_and_the_table_renders():
    from parsers.cisco_asa.defaults import DEFAULTS

    assert DEFAULTS.vendor == "cisco-asa" and DEFAULTS.rows
    for row in DEFAULTS.rows:
        assert row.source and row.what and row.label, row
    md = DEFAULTS.markdown()
    assert "`crypto ikev1 policy` group" in md and "9.13 and later" in md and "before 9.13" in md


def test_defaulted_values_cite_the_table():
    from parsers.cisco_asa.defaults import DEFAULTS

    text = edit(OBJNAT, (" lifetime 86400\n", ""), ("crypto map outside_map 10 set pfs group14\n", ""),
                ("crypto map outside_map 10 set security-association lifetime seconds 3600\n", ""))
    ep = _parse(text).endpoints[0]
    release = (9, 12, 4)
    assert ep.ike.proposals[0].lifetime_s == DEFAULTS.value("ikev1.lifetime")
    src = ep.ike.proposals[0].src["lifetime_s"]
    assert src.defaulted and src.note == DEFAULTS.note("ikev1.lifetime", release)
    assert "not verified in a vendor document" in src.note  # the only source is a secondary one: said
    assert ep.ipsec.lifetime_s == DEFAULTS.value("ipsec.lifetime_s") == 28800
    assert ep.ipsec.src["lifetime_s"].note == DEFAULTS.note("ipsec.lifetime_s", release)
    assert ep.ipsec.pfs_group is None and ep.ipsec.src["pfs_group"].defaulted
    assert ep.ike.src["nat_traversal"].defaulted and "ASDM" in ep.ike.src["nat_traversal"].note


@pytest.mark.parametrize("version,group", [("9.12(4)", 2), ("9.16(4)", 14)])
def test_release_dependent_default_follows_asa_version(version, group):
    text = edit(OBJNAT, ("ASA Version 9.12(4)", f"ASA Version {version}"), (" group 14\n", ""))
    cfg = _parse(text)
    assert cfg.endpoints[0].ike.proposals[0].dh_groups == [group]
    assert not [d for d in cfg.diagnostics if "depends on the release" in d.message]


def test_release_dependent_default_without_asa_version_is_a_warning(run):
    text = edit(OBJNAT, ("ASA Version 9.12(4)\n", ""), (" group 14\n", ""))
    cfg = _parse(text)
    (d,) = [d for d in cfg.diagnostics if "depends on the release" in d.message]
    assert d.severity == "warning" and "ASA Version" in d.message and "2 (before 9.13)" in d.message
    assert cfg.endpoints[0].ike.proposals[0].src["dh_groups"].defaulted
    assert codes(run(_conn(V1), text)).get("DeviceConfigIncomplete") == {"warning"}
    # release-independent defaults on the same export raise no such warning
    text = edit(OBJNAT, ("ASA Version 9.12(4)\n", ""), (" lifetime 86400\n", ""))
    assert not [d for d in _parse(text).diagnostics if "depends on the release" in d.message]


def test_parser_hard_codes_no_default_value():
    src = (FIXTURES.parent / "parsers" / "cisco_asa" / "parser.py").read_text()
    for literal in ("86400", "28800", "4608000", '"3des"]', "interval_s=10"):
        assert literal not in src, literal


# ---------------------------------------------------------------------------------------------- review 10
# B: `crypto map ... set ikev1 phase1-mode aggressive`, and no flat `set` line dropped without a trace

PEER_LINE = "crypto map outside_map 10 set peer 198.51.100.60\n"
AGGRESSIVE = "crypto map outside_map 10 set ikev1 phase1-mode aggressive\n"


def _findings(results, code):
    return [f for r in results for f in r.findings if f.code == code]


@pytest.mark.parametrize("line", [AGGRESSIVE, "crypto map outside_map 10 set phase1-mode aggressive\n"],
                         ids=["8.4+", "pre-8.4"])
def test_phase1_mode_aggressive_is_read(run, line):
    text = edit(OBJNAT, (PEER_LINE, PEER_LINE + line))
    ep = _endpoint(text, "ikev1")
    assert ep.ike.mode == "aggressive" and not ep.ike.src["mode"].defaulted
    assert ep.ike.src["mode"].text == line.strip()
    (f,) = _findings(run(_conn(V1), text), "NegotiationModeMismatch")  # Alibaba main mode
    assert f.severity == "error" and f.fix.device == ["no crypto map outside_map 10 set ikev1 phase1-mode aggressive"]
    assert "NegotiationModeMismatch" not in codes(run(_conn(V1, IkeMode="aggressive"), text))


def test_phase1_mode_default_is_main_from_the_table(run):
    from parsers.cisco_asa.defaults import DEFAULTS

    ep = _endpoint(OBJNAT, "ikev1")
    assert ep.ike.mode == DEFAULTS.value("ike.mode") == "main" and ep.ike.src["mode"].defaulted
    assert "NegotiationModeMismatch" not in codes(run(_conn(V1), OBJNAT))
    (f,) = _findings(run(_conn(V1, IkeMode="aggressive"), OBJNAT), "NegotiationModeMismatch")
    assert f.fix.device == ["crypto map outside_map 10 set ikev1 phase1-mode aggressive"]  # a command, not prose


@pytest.mark.parametrize("attr", ["set reverse-route", "set connection-type answer-only",
                                  "set security-association replay disable", "set tfc-packets",
                                  "set trustpoint TP", "set ikev1 nat-t-disable", "set frobnicate 7"])
def test_every_unknown_crypto_map_set_line_is_noted(run, attr):
    line = f"crypto map outside_map 10 {attr}"
    text = edit(OBJNAT, (PEER_LINE, PEER_LINE + line + "\n"))
    (f,) = [f for f in _findings(run(_conn(V1), text), "UnparsedConfig") if f.device.text == line]
    assert f.severity == "info" and "not understood" in f.message
    assert f.device.file.endswith("device.cfg") and text.splitlines()[f.device.line - 1] == line


def test_set_inheritance_data_is_a_specific_warning(run):
    text = edit(OBJNAT, (PEER_LINE, PEER_LINE + "crypto map outside_map 10 set inheritance data\n"))
    (f,) = _findings(run(_conn(V1), text), "DeviceConfigIncomplete")
    assert f.severity == "warning" and "per host pair" in f.message and "/32 host selectors" in f.message
    assert "unverified" in f.message and f.device.text == "crypto map outside_map 10 set inheritance data"
    # the default `rule` changes nothing
    text = edit(OBJNAT, (PEER_LINE, PEER_LINE + "crypto map outside_map 10 set inheritance rule\n"))
    assert codes(run(_conn(V1), text)).keys() <= {"UnverifiedDefault"}


# D: `inactive` access-list entries and NAT rules are not in effect

ACL_LINE = "access-list VPN-ALIYUN extended permit ip object DC-LAN object ALIYUN-VPC"


def test_inactive_crypto_acl_entry_selects_no_traffic(run):
    text = edit(OBJNAT, (ACL_LINE, ACL_LINE + " inactive"))
    assert _endpoint(text, "ikev1").selectors == []
    results = run(_conn(V1), text)
    assert codes(results).get("DeviceConfigIncomplete") == {"error"}
    (info,) = [f for f in _findings(results, "UnparsedConfig") if "inactive" in f.message]
    assert info.severity == "info" and info.device.text == ACL_LINE + " inactive"
    assert text.splitlines()[info.device.line - 1] == ACL_LINE + " inactive"
    # an inactive entry next to an active one: only the active one is a selector
    text = edit(OBJNAT, (ACL_LINE, ACL_LINE + "\naccess-list VPN-ALIYUN extended permit ip object INSIDE-NET "
                                              "object ALIYUN-VPC inactive"))
    assert [str(s.local) for s in _endpoint(text, "ikev1").selectors] == ["172.20.8.0/22"]
    assert "DeviceConfigIncomplete" not in codes(run(_conn(V1), text))


def test_inactive_nat_exemption_does_not_count(run):
    text = edit(OBJNAT, (EXEMPT, EXEMPT.strip() + " inactive\n"))
    results = run(_conn(V1), text)
    assert codes(results).get("VpnTrafficNatted") == {"warning"}  # the object PAT now catches the VPN traffic
    (info,) = [f for f in _findings(results, "UnparsedConfig") if "inactive" in f.message]
    assert info.severity == "info" and info.device.text == EXEMPT.strip() + " inactive"
    # with a description after it, still inactive; an inactive PAT rule before the exemption is no translation
    text = edit(OBJNAT, (EXEMPT, EXEMPT.strip() + " inactive description old rule\n"))
    assert codes(run(_conn(V1), text)).get("VpnTrafficNatted") == {"warning"}
    text = edit(OBJNAT, (EXEMPT, "nat (inside,outside) 1 source dynamic any interface inactive\n" + EXEMPT))
    assert "VpnTrafficNatted" not in codes(run(_conn(V1), text))


# N: `any` as a NAT interface matches every interface on that side

@pytest.mark.parametrize("ifcs", ["(inside,any)", "(any,any)", "(any,outside)", ""])
def test_nat_exemption_with_any_interface_covers_outside(run, ifcs):
    text = edit(OBJNAT, (EXEMPT, EXEMPT.replace("(inside,outside) ", f"{ifcs} " if ifcs else "")))
    assert "VpnTrafficNatted" not in codes(run(_conn(V1), text))


def test_nat_exemption_on_another_interface_does_not_cover_outside(run):
    text = edit(OBJNAT, (EXEMPT, EXEMPT.replace("(inside,outside)", "(inside,dmz)")))
    assert codes(run(_conn(V1), text)).get("VpnTrafficNatted") == {"warning"}


def test_nat_with_any_mapped_interface_translates_on_outside(run):
    # a PAT rule on (inside,any) placed first catches the VPN traffic leaving outside
    text = edit(OBJNAT, (EXEMPT, "nat (inside,any) 1 source dynamic any interface\n" + EXEMPT))
    assert codes(run(_conn(V1), text)).get("VpnTrafficNatted") == {"warning"}


# G: the ASA BGP fix is ASA syntax (address-family, activate) with the configured ASN

def test_asa_bgp_fix_is_asa_syntax():
    from parsers.cisco_asa.fixes import Fixer

    ep = _endpoint(VTI, "ikev2")
    assert Fixer().bgp_neighbor(ep, 65020, "169.254.31.1", 65010).device == [
        "router bgp 65020", " address-family ipv4 unicast", "  neighbor 169.254.31.1 remote-as 65010",
        "  neighbor 169.254.31.1 activate"]
    assert Fixer().bgp_neighbor(ep, None, "169.254.31.1", 65010).device[0] == "router bgp <ASN>"


def test_check_bgp_fix_on_the_asa_uses_address_family_and_the_asn(run):
    wrong = VTI.replace("neighbor 169.254.31.1 remote-as 65010\n  neighbor 169.254.31.1 activate",
                        "neighbor 169.254.31.5 remote-as 65010\n  neighbor 169.254.31.5 activate")
    (f,) = _findings(run(_conn(DUAL), wrong), "BgpConfigMismatch")
    assert f.fix.device == ["router bgp 65020", " address-family ipv4 unicast",
                            "  neighbor 169.254.31.1 remote-as 65010", "  neighbor 169.254.31.1 activate"]


# I: a `shutdown` BGP neighbour is no BGP session

def test_bgp_neighbour_shutdown_is_not_a_session(run):
    shut = edit(VTI, ("  neighbor 169.254.30.1 activate\n",
                      "  neighbor 169.254.30.1 activate\n  neighbor 169.254.30.1 shutdown\n"))
    by_tunnel = {r.endpoint: r.findings for r in run(_conn(DUAL), shut)}
    t1 = by_tunnel["ali-t1 (ipsec profile IPSEC-ALIYUN) [ikev2]"]
    assert "BgpConfigMismatch" in {f.code for f in t1}
    (note,) = [f for f in t1 if f.code == "DeviceConfigIncomplete"]
    assert "shutdown" in note.message and note.device.text == "neighbor 169.254.30.1 shutdown"
    assert not {f.code for f in by_tunnel["ali-t2 (ipsec profile IPSEC-ALIYUN) [ikev2]"]} - {"UnverifiedDefault"}
    assert "BgpConfigMismatch" not in codes(run(_conn(DUAL), VTI))
