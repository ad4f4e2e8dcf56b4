"""Issue 11 items 7-9, H3C Comware 5 and 7: detection, Comware 5 named DPD and name identities, the default
proposals, and the release-keyed defaults table.

Base pairs (fixtures/h3c, written as `display current-configuration` exports them, and the Comware 7 policy
pair fixtures/pairs/ikev1-map.h3c.cfg) agree on everything; each test applies one realistic edit and checks the
failing verdict, and keeps a clean counterpart clean. Vendor facts and their sources: parsers/h3c_comware/defaults.py.
"""
import json

import pytest

from conftest import FIXTURES, codes, edit
from parsers.h3c_comware.defaults import DEFAULTS
from parsers.registry import detect_vendor, parse_device

H3C = FIXTURES / "h3c"
CMW5_V1, CMW5_V1_ROUTE = "cmw5-ikev1-policy", "cmw5-ikev1-route"
CMW7_V1_ROUTE, CMW7_V2_ROUTE = "cmw7-ikev1-route", "cmw7-ikev2-route"
# info findings a clean pair may carry: Comware cannot disable the volume lifetime (its default applies), and a
# single-tunnel DescribeVpnConnection carries no gateway IPs (the addresses are compared with the ids instead)
ALLOWED_INFO = {"TrafficBasedLifetime", "PeerAddressUnverified"}


def base(name: str) -> tuple[dict, str]:
    if name == "cmw7-ikev1-policy":
        return (json.loads((FIXTURES / "pairs" / "ikev1-map.json").read_text()),
                (FIXTURES / "pairs" / "ikev1-map.h3c.cfg").read_text())
    return json.loads((H3C / f"{name}.json").read_text()), (H3C / f"{name}.cfg").read_text()


def not_info(found: dict) -> dict:
    return {c: s - {"info"} for c, s in found.items() if s - {"info"}}


def messages(results, code=None) -> list[str]:
    return [f.message for r in results for f in r.findings if code is None or f.code == code]


@pytest.mark.parametrize("name", [CMW5_V1, CMW5_V1_ROUTE, "cmw7-ikev1-policy", CMW7_V1_ROUTE, CMW7_V2_ROUTE])
def test_base_pairs_are_clean(run, name):
    conn, cfg = base(name)
    results = run(conn, cfg)
    assert results[0].vendor == "h3c-comware" and results[0].endpoint
    found = codes(results)
    assert not_info(found) == {}, messages(results)
    assert set(found) <= ALLOWED_INFO, messages(results)


def test_route_based_pairs_are_tunnel_interfaces():
    """Comware 7 `interface TunnelN mode ipsec` + `tunnel protection ipsec profile`; Comware 5 `tunnel-protocol ipsec
    ipv4` + `ipsec profile` (whose tunnel source/destination are the IKE addresses, HP A6600 Comware 5 guide)."""
    for name, version, peer in ((CMW7_V1_ROUTE, "ikev1", "198.51.100.90"), (CMW7_V2_ROUTE, "ikev2", "198.51.100.90"),
                                (CMW5_V1_ROUTE, "ikev1", "198.51.100.50")):
        dev = parse_device(base(name)[1], "r.cfg")
        (ep,) = dev.endpoints
        assert (ep.kind, ep.peer_address, ep.ike.version) == ("route", peer, version)
        assert [str(s) for s in ep.selectors] == ["0.0.0.0/0 <-> 0.0.0.0/0"]


# -- item 7: detection ---------------------------------------------------------------------------------
def test_comware5_export_is_detected_by_its_version_line():
    _, cfg = base(CMW5_V1)
    assert detect_vendor(cfg) == "h3c-comware"  # was huawei-vrp: `ike peer`, `ipsec proposal`, `acl number`
    # Huawei's own export still goes to Huawei (its release is printed `V200R...`, never `, Release NNNN`)
    huawei = (FIXTURES / "pairs" / "ikev1-map.huawei.cfg").read_text()
    assert detect_vendor(huawei) == "huawei-vrp"
    assert detect_vendor("[V200R010C10SPC700]\n#\n" + huawei) == "huawei-vrp"


def test_release_is_read_from_the_version_line():
    from parsers.h3c_comware.parser import _Parser

    assert _Parser(base(CMW5_V1)[1], "x").release == (5, 20)
    assert _Parser(base(CMW7_V1_ROUTE)[1], "x").release == (7, 1, 64)
    assert _Parser(edit(base(CMW7_V1_ROUTE)[1], (" version 7.1.064, Release 0605P15\n", "")), "x").release is None


# -- item 8: Comware 5 named DPD and name identities -----------------------------------------------------
def test_comware5_named_dpd_is_read(run):
    conn, cfg = base(CMW5_V1)
    assert "DpdTimeout" not in codes(run(conn, cfg))  # was a false DpdTimeout: `dpd ALIYUN-DPD` ignored
    ep = parse_device(cfg, "x.cfg").endpoints[0]
    assert ep.ike.dpd.enabled and ep.ike.dpd.interval_s == 10 and ep.ike.dpd.retry_s == 5
    assert ep.ike.src["dpd"].line is not None  # points at the `ike dpd ALIYUN-DPD` block


def test_comware5_without_dpd_or_with_undefined_dpd_is_reported(run):
    conn, cfg = base(CMW5_V1)
    no_dpd = edit(cfg, (" dpd ALIYUN-DPD\n nat", " nat"))
    assert "warning" in codes(run(conn, no_dpd))["DpdTimeout"]
    undefined = edit(cfg, ("ike dpd ALIYUN-DPD\n interval-time 10\n time-out 5\n", ""))
    results = run(conn, undefined)
    assert "DpdTimeout" in codes(results)
    assert any("ike dpd ALIYUN-DPD is not defined" in m for m in messages(results, "DeviceConfigIncomplete"))


def test_comware5_named_dpd_defaults_are_said_when_absent():
    cfg = edit(base(CMW5_V1)[1], (" interval-time 10\n time-out 5\n", ""))
    ep = parse_device(cfg, "x.cfg").endpoints[0]
    assert ep.ike.dpd.enabled
    assert "not verified" in ep.ike.src["dpd"].note  # interval-time / time-out defaults: no H3C text found


NAMED = [(" remote-address 198.51.100.70\n", " exchange-mode aggressive\n id-type name\n"
                                              " remote-address 198.51.100.70\n")]


def test_comware5_id_type_name_presents_the_ike_local_name(run):
    conn, cfg = base(CMW5_V1)
    named = edit(cfg, *NAMED, (" ike local-name sh-branch-msr30\n", " ike local-name sh-branch.example.net\n"))
    conn["IkeConfig"]["IkeMode"] = "aggressive"
    conn["IkeConfig"]["RemoteId"] = "sh-branch.example.net"
    assert "PeerIdMismatch" not in codes(run(conn, named))  # was: the device was taken to present its IP
    ep = parse_device(named, "x.cfg").endpoints[0]
    assert (ep.ike.local_id.type, ep.ike.local_id.value) == ("fqdn", "sh-branch.example.net")
    conn["IkeConfig"]["RemoteId"] = "203.0.113.70"  # Alibaba still expects the IP: a true mismatch
    assert "error" in codes(run(conn, named))["PeerIdMismatch"]


def test_comware5_peer_local_name_wins_over_the_global_one():
    cfg = edit(base(CMW5_V1)[1], *NAMED, (" nat traversal\n", " nat traversal\n local-name peer-name.example.net\n"))
    ident = parse_device(cfg, "x.cfg").endpoints[0].ike.local_id
    assert (ident.type, ident.value) == ("fqdn", "peer-name.example.net")


def test_comware5_id_type_name_without_any_local_name_uses_the_device_name_and_says_unverified():
    cfg = edit(base(CMW5_V1)[1], *NAMED, (" ike local-name sh-branch-msr30\n", ""))
    ep = parse_device(cfg, "x.cfg").endpoints[0]
    assert (ep.ike.local_id.type, ep.ike.local_id.value) == ("fqdn", "sh-branch-msr30")
    assert "not verified" in ep.ike.src["local_id"].note


def test_comware5_id_type_name_in_main_mode_is_an_error(run):
    conn, cfg = base(CMW5_V1)
    conn["IkeConfig"]["RemoteId"] = "sh-branch-msr30"
    named_main = edit(cfg, (" remote-address 198.51.100.70\n", " id-type name\n remote-address 198.51.100.70\n"))
    results = run(conn, named_main)
    assert any("main mode" in m for m in messages(results, "PeerIdMismatch"))


NO_V2_PROPOSAL = [("ikev2 policy POL-V2\n proposal P-V2\n", ""),
                  ("ikev2 proposal P-V2\n encryption aes-cbc-256\n integrity sha256\n prf sha256\n dh group14\n", "")]


# -- item 9: default proposals ----------------------------------------------------------------------------
def test_comware_default_ike_proposal_is_the_fallback():
    """H3C: "If all user-defined IKE proposals are found mismatching, the two peers use their default IKE
    proposals": the model keeps it apart from the configured ones (no false MultipleProposals)."""
    ep = parse_device(base("cmw7-ikev1-policy")[1], "x.cfg").endpoints[0]
    assert [p.name for p in ep.ike.proposals] == ["ike proposal 10"]
    fb = ep.ike.fallback
    assert (fb.encryption, fb.integrity, fb.dh_groups, fb.lifetime_s) == (["des"], ["sha1"], [1], 86400)
    assert fb.src["dh_groups"].defaulted and "5950" in fb.src["dh_groups"].note
    no_proposal = edit(base("cmw7-ikev1-policy")[1], (" proposal 10\n", ""),
                       ("ike proposal 10\n encryption-algorithm aes-cbc-256\n dh group14\n authentication-algorithm "
                        "sha256\n sa duration 86400\n", ""))
    ep = parse_device(no_proposal, "x.cfg").endpoints[0]
    assert [p.name for p in ep.ike.proposals] == ["ike proposal default"] and ep.ike.fallback is None


def test_comware_falls_back_to_its_default_ike_proposal(run):
    conn, cfg = base("cmw7-ikev1-policy")
    conn["IkeConfig"].update(IkeEncAlg="des", IkeAuthAlg="sha1", IkePfs="group1")
    assert not {"ProposalMismatch", "AlgorithmMismatch", "DhGroupMismatch", "AuthenticationAlgorithmMismatch"} & set(
        codes(run(conn, cfg)))


def test_a_mismatch_the_default_proposal_does_not_cover_is_still_an_error(run):
    conn, cfg = base("cmw7-ikev1-policy")
    conn["IkeConfig"].update(IkePfs="group2")
    assert "error" in codes(run(conn, cfg))["DhGroupMismatch"]


def test_comware7_ikev2_profile_without_proposal_says_cannot_verify():
    cfg = edit(base(CMW7_V2_ROUTE)[1], *NO_V2_PROPOSAL)
    dev = parse_device(cfg, "x.cfg")
    notes = [d.message for d in dev.diagnostics]
    assert any("default IKEv2 proposal" in m and "cannot verify" in m for m in notes), notes
    src = dev.endpoints[0].ike.src["proposals"]
    assert src.defaulted and "cannot verify" in src.note


def test_comware7_ikev2_default_proposal_is_not_an_error(run):
    conn, cfg = base(CMW7_V2_ROUTE)
    cfg = edit(cfg, *NO_V2_PROPOSAL)
    assert "error" not in codes(run(conn, cfg)).get("ProposalMismatch", set())


def test_comware5_ikev2_is_reported_as_unverified():
    """Comware 5 IKEv2 exists only on late releases (HP MSR R2511 V5 guide, "Configuring IKEv2"); its syntax was
    not retrieved, so a Comware 5 export with IKEv2 is parsed with the Comware 7 syntax and says so."""
    cfg = edit(base(CMW7_V2_ROUTE)[1], (" version 7.1.064, Release 0605P15", " version 5.20, Release 2511"))
    dev = parse_device(cfg, "x.cfg")
    assert dev.vendor == "h3c-comware"
    assert any("IKEv2 on Comware 5" in d.message and d.severity == "warning" for d in dev.diagnostics)


# -- defaults table wired into the parser -------------------------------------------------------------------
def test_defaults_table_rows_are_keyed_by_release():
    assert DEFAULTS.pick("ipsec.lifetime", (5, 20)).row.value == DEFAULTS.pick("ipsec.lifetime", (7, 1)).row.value
    assert DEFAULTS.pick("dpd.named", (5, 20)).row is not None
    assert DEFAULTS.pick("dpd.named", (7, 1)).row is None  # Comware 7 has no named DPD detector
    assert DEFAULTS.pick("ikev2.default_proposal", None).release_dependent


def test_unknown_release_names_a_release_dependent_default():
    cfg = edit(base(CMW7_V2_ROUTE)[1], (" version 7.1.064, Release 0605P15\n", ""), *NO_V2_PROPOSAL)
    dev = parse_device(cfg, "x.cfg")
    assert any("depends on the release" in d.message and "unknown" in d.message for d in dev.diagnostics)


def test_defaults_come_from_the_table(monkeypatch):
    """The parser reads the table (no hard-coded copy): changing a row changes the model."""
    from parsers.defaults import Default, Defaults
    import parsers.h3c_comware.parser as parser

    rows = [r if r.key != "ipsec.lifetime" else Default(r.key, r.what, {"s": 1234, "kb": 99}, r.since, r.until,
                                                                        r.source, r.label) for r in DEFAULTS.rows]
    monkeypatch.setattr(parser, "DEFAULTS", Defaults("h3c-comware", rows))
    cfg = edit(base(CMW5_V1)[1], (" sa duration time-based 3600\n", ""))
    ep = parse_device(cfg, "x.cfg").endpoints[0]
    assert (ep.ipsec.lifetime_s, ep.ipsec.lifetime_kb) == (1234, 99)


# -- global one-line commands Comware prints one space in, after a `#` ----------------------------------------
def test_comware7_global_ike_identity_is_the_profile_identity(run):
    """HP 5920 / H3C command references, `ike identity`: used by every profile without `local-identity`."""
    conn, cfg = base(CMW7_V1_ROUTE)
    conn["IkeConfig"].update(IkeMode="aggressive", RemoteId="cd-branch.example.net")
    fqdn = edit(cfg, (" local-identity address 203.0.113.90\n", " exchange-mode aggressive\n"),
                ("#\n ip route-static", "#\n ike identity fqdn cd-branch.example.net\n#\n ip route-static"))
    assert "PeerIdMismatch" not in codes(run(conn, fqdn))  # was: taken to present its address
    ep = parse_device(fqdn, "x.cfg").endpoints[0]
    assert (ep.ike.local_id.type, ep.ike.local_id.value) == ("fqdn", "cd-branch.example.net")
    assert ep.ike.src["local_id"].text == "ike identity fqdn cd-branch.example.net"
    bare = edit(fqdn, ("ike identity fqdn cd-branch.example.net", "ike identity fqdn"))
    assert parse_device(bare, "x.cfg").endpoints[0].ike.local_id.value == "cd-branch-msr26"  # the sysname


def test_one_space_global_lines_are_not_read_as_block_children():
    cfg = edit(base(CMW5_V1)[1], ("ike dpd ALIYUN-DPD\n interval-time 10\n time-out 5\n#\n",
                                  "ike dpd ALIYUN-DPD\n interval-time 10\n time-out 5\n#\n ike identity address 9.9.9.9\n#\n"))
    dev = parse_device(cfg, "x.cfg")
    assert not [d for d in dev.diagnostics if "ike identity" in (d.text or "")]


def test_unknown_ike_and_ipsec_blocks_are_reported_not_dropped():
    cfg = edit(base(CMW7_V1_ROUTE)[1], ("ike keychain KC-VTI", "ike frobnicate 5\n#\nipsec policy-template DYN 1\n"
                                                              " transform-set TS-VTI\n#\nike keychain KC-VTI"))
    notes = {d.text: d.message for d in parse_device(cfg, "x.cfg").diagnostics}
    assert "not understood" in notes["ike frobnicate 5"]
    assert "not referenced" in notes["ipsec policy-template DYN 1"]  # a template no policy uses


def test_global_dpd_applies_to_its_own_ike_version(run):
    """`ike dpd` (system view) is the IKEv1 default, `ikev2 dpd` the IKEv2 one (HPE 12900E command references)."""
    conn, cfg = base(CMW7_V2_ROUTE)
    v1_global = edit(cfg, (" dpd interval 10 retry 3 on-demand\n", ""),
                     ("#\n ip route-static", "#\nike dpd interval 10 retry 3 on-demand\n#\n ip route-static"))
    assert "warning" in codes(run(conn, v1_global))["DpdTimeout"]  # was: taken as the IKEv2 profile's DPD
    v2_global = v1_global.replace("ike dpd interval 10 retry 3 on-demand", "ikev2 dpd interval 10 retry 3 on-demand")
    assert "DpdTimeout" not in codes(run(conn, v2_global))
    ep = parse_device(v2_global, "x.cfg").endpoints[0]
    assert (ep.ike.dpd.interval_s, ep.ike.dpd.retry_s, ep.ike.dpd.mode) == (10, 3, "on-demand")


# -- review 2: policies without `security acl`, `tcp mss`, policy templates, `nat outbound name` ---------------
NO_ACL_C7 = (" security acl 3000\n remote-address 198.51.100.60", " remote-address 198.51.100.60")
NO_ACL_C5 = (" security acl 3000\n pfs dh-group14", " pfs dh-group14")


@pytest.mark.parametrize("name, cut", [("cmw7-ikev1-policy", NO_ACL_C7), (CMW5_V1, NO_ACL_C5)])
def test_policy_without_security_acl_is_an_error(run, name, cut):
    """Like a Cisco crypto map entry without `match address`: nothing is protected, selectors not compared."""
    conn, cfg = base(name)
    results = run(conn, edit(cfg, cut))
    assert "error" in codes(results)["DeviceConfigIncomplete"]  # was a silent pass
    assert any("has no `security acl`" in m for m in messages(results, "DeviceConfigIncomplete"))
    assert "DeviceConfigIncomplete" not in codes(run(conn, cfg))  # the clean export: no such finding


def test_comware_tcp_mss_on_the_wan_interface_is_checked(run):
    """H3C interface command `tcp mss N` (HPE 5920/5900 L3 IP Services Command Reference; HSR6800 Comware 5)."""
    conn, cfg = base(CMW5_V1)
    big = edit(cfg, (" ip address 203.0.113.70 255.255.255.252\n", " ip address 203.0.113.70 255.255.255.252\n"
                                                                      " tcp mss 1460\n"))
    assert "warning" in codes(run(conn, big))["MtuTooLarge"]  # was a silent pass: only `tcp adjust-mss` was read
    small = big.replace(" tcp mss 1460\n", " tcp mss 1300\n")
    assert "MtuTooLarge" not in codes(run(conn, small))
    assert parse_device(small, "x.cfg").interfaces["GigabitEthernet0/0"].tcp_mss == 1300


def test_comware_tcp_mss_on_the_tunnel_interface_is_checked(run):
    conn, cfg = base(CMW7_V1_ROUTE)
    big = edit(cfg, (" source 203.0.113.90\n", " source 203.0.113.90\n tcp mss 1420\n"))
    results = run(conn, big)
    assert any("TCP MSS 1420" in m for m in messages(results, "MtuTooLarge")), messages(results)
    assert "MtuTooLarge" not in codes(run(conn, big.replace("tcp mss 1420", "tcp mss 1350")))


TEMPLATE = [("ipsec policy ALIYUN-MAP 10 isakmp\n", "ipsec policy-template TPL 1\n"),
            (" remote-address 198.51.100.60\n", ""),
            ("#\nike dpd interval", "#\nipsec policy ALIYUN-MAP 10 isakmp template TPL\n#\nike dpd interval")]


def test_comware7_policy_template_is_a_responder_that_is_checked(run):
    """S5830V2 Security Configuration Guide, IKE-based IPsec policy: a policy referencing a template responds only;
    the remote address "is optional on the responder"."""
    conn, cfg = base("cmw7-ikev1-policy")
    tpl = edit(cfg, *TEMPLATE)
    results = run(conn, tpl)
    assert "error" not in {s for v in codes(results).values() for s in v}, messages(results)  # were 4 false errors
    (ep,) = parse_device(tpl, "x.cfg").endpoints
    assert (ep.kind, ep.peer_address) == ("dynamic", None)
    assert [str(s) for s in ep.selectors] == ["172.20.8.0/22 <-> 10.60.0.0/16"]
    assert ep.origin.text == "ipsec policy-template TPL 1"  # fixes edit the template, which holds the values
    conn["IpsecConfig"]["IpsecPfs"] = "group5"  # still compared: a true mismatch is found
    assert "error" in codes(run(conn, tpl))["PfsMismatch"]


def test_comware7_policy_template_with_remote_address_peers_with_it():
    conn, cfg = base("cmw7-ikev1-policy")
    tpl = edit(cfg, *TEMPLATE[:1], TEMPLATE[2])
    (ep,) = parse_device(tpl, "x.cfg").endpoints
    assert (ep.kind, ep.peer_address) == ("policy", "198.51.100.60")


def test_comware7_policy_template_without_acl_or_undefined_is_said(run):
    conn, cfg = base("cmw7-ikev1-policy")
    no_acl = edit(cfg, *TEMPLATE, (" security acl 3000\n", ""))
    (ep,) = parse_device(no_acl, "x.cfg").endpoints
    assert any(n.severity == "info" and "accepts the flows Alibaba proposes" in n.message for n in ep.notes)
    undefined = edit(cfg, *TEMPLATE[1:], ("ipsec policy ALIYUN-MAP 10 isakmp\n", "ipsec policy-template OTHER 1\n"))
    notes = [d for d in parse_device(undefined, "x.cfg").diagnostics if "TPL is not defined" in d.message]
    assert notes and notes[0].severity == "error"


def test_comware7_nat_outbound_name_reads_the_named_acl(run):
    """Comware 7 `nat outbound [ ipv4-acl-number | name ipv4-acl-name ]` (H3C NAT command references)."""
    conn, cfg = base("cmw7-ikev1-policy")
    named = edit(cfg, (" nat outbound 3001\n", " nat outbound name NAT-OUT\n"),
                 ("acl advanced 3001\n rule 5 deny ip source 172.20.8.0 0.0.3.255 destination 10.60.0.0 0.0.255.255\n",
                  "acl advanced name NAT-OUT\n"))
    dev = parse_device(named, "x.cfg")
    assert [r.acl for r in dev.nat_rules] == ["NAT-OUT"]  # was "name"
    f = codes(run(conn, named))
    assert "warning" in f["VpnTrafficNatted"]  # was a silent pass
    exempt = named.replace("acl advanced name NAT-OUT\n", "acl advanced name NAT-OUT\n rule 5 deny ip source "
                           "172.20.8.0 0.0.3.255 destination 10.60.0.0 0.0.255.255\n")
    assert "VpnTrafficNatted" not in codes(run(conn, exempt))


def test_comware_nat_outbound_without_acl_translates_everything():
    cfg = edit(base("cmw7-ikev1-policy")[1], (" nat outbound 3001\n", " nat outbound address-group 1\n"))
    assert [r.acl for r in parse_device(cfg, "x.cfg").nat_rules] == [None]  # was an ACL named "address-group"


def test_comware5_policy_template_with_an_ike_peer_is_read(run):
    """Comware 5 has the same template form (H3C SecPath F1000-E manual, "Configuring an IPsec Policy Template")."""
    conn, cfg = base(CMW5_V1)
    tpl = edit(cfg, ("ipsec policy ALIYUN-MAP 10 isakmp\n", "ipsec policy-template TPL 1\n"),
               (" remote-address 198.51.100.70\n", ""),
               ("#\ninterface GigabitEthernet0/0", "#\nipsec policy ALIYUN-MAP 10 isakmp template TPL\n"
                                                 "#\ninterface GigabitEthernet0/0"))
    (ep,) = parse_device(tpl, "x.cfg").endpoints
    assert (ep.kind, ep.ike.psk.form) == ("dynamic", "plain")
    assert "error" not in {s for v in codes(run(conn, tpl)).values() for s in v}


def test_comware7_template_for_any_peer_takes_its_only_key_or_says_it_cannot_compare(run):
    conn, cfg = base("cmw7-ikev1-policy")
    anyone = edit(cfg, *TEMPLATE, (" match remote identity address 198.51.100.60 255.255.255.255\n", ""),
                  (" pre-shared-key address 198.51.100.60 255.255.255.255", " pre-shared-key address 0.0.0.0 0.0.0.0"))
    (ep,) = parse_device(anyone, "x.cfg").endpoints
    assert ep.ike.psk.form == "plain"  # the 0.0.0.0/0 key answers any initiator
    assert "PskMismatch" not in codes(run(conn, anyone))
    two = edit(anyone, (" pre-shared-key address 0.0.0.0 0.0.0.0", " pre-shared-key address 198.51.100.0 24 key "
                        "simple other-key-1\n pre-shared-key address 0.0.0.0 0.0.0.0"))
    results = run(conn, two)
    assert codes(results).get("PskMismatch") == {"info"}, messages(results)  # not compared, never a false error
