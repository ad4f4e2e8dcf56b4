"""Issue 10, Cisco IOS / IOS-XE: verdicts that depend on the release and on IOS-specific behaviour.

Base pairs (fixtures/ios, written as `show running-config` exports them) agree on everything; each test applies
one realistic edit and checks the failing verdict, and keeps a clean counterpart clean. Vendor facts and their
sources are in parsers/cisco_ios/defaults.py.
"""
import json

import pytest

from conftest import FIXTURES, codes, edit, load_pair
from parsers.cisco_ios.defaults import DEFAULTS
from parsers.registry import parse_device

IOS = FIXTURES / "ios"
V1, V2 = "isr4451-17.12-ikev1-map", "c8000v-17.12-ikev2-map"
VPNGW = {"VpnGatewayId": "x", "InternetIp": "198.51.100.90"}


def base(name: str) -> tuple[dict, str]:
    return json.loads((IOS / f"{name}.json").read_text()), (IOS / f"{name}.cfg").read_text()


def check(run, name, conn, cfg):
    return codes(run(conn, cfg, vpngw=VPNGW if name == V2 else None))


def errors(found: dict) -> set[str]:
    return {c for c, sev in found.items() if "error" in sev}


def messages(results, code=None) -> list[str]:
    return [f.message for r in results for f in r.findings if code is None or f.code == code]


def lint(cfg: str, tmp_path) -> dict:
    from analyzer.lint import lint as run_lint

    out: dict = {}
    for f in run_lint(parse_device(cfg, str(tmp_path / "device.cfg"))).findings:
        out.setdefault(f.code, set()).add(f.severity)
    return out


@pytest.mark.parametrize("name", [V1, V2])
def test_base_pairs_are_clean(run, name):
    conn, cfg = base(name)
    assert check(run, name, conn, cfg) == {}


def test_release_is_read_from_the_version_line_and_show_version():
    from parsers.cisco_ios.parser import _Parser

    _, cfg = base(V1)
    assert _Parser(cfg, "x").release == (17, 12)
    pasted = "Cisco IOS XE Software, Version 17.12.01a\n" + cfg
    assert _Parser(pasted, "x").release == (17, 12, 1)
    assert _Parser(edit(cfg, ("version 17.12\n", "")), "x").release is None


# -- defect 1: the IKEv2 default proposal depends on the release ------------------------------------------

_NO_V2_PROPOSAL = [("crypto ikev2 proposal PROP-ALIYUN\n encryption aes-cbc-128\n integrity sha1\n group 14\n!\n", ""),
                   ("crypto ikev2 policy POL-ALIYUN\n proposal PROP-ALIYUN\n!\n", "")]


def _group(conn: dict, group: str) -> dict:
    conn["IkeConfig"]["IkePfs"] = group
    return conn


def test_xe17_builtin_ikev2_proposal_does_not_offer_aes128_sha1_group2(run):
    conn, cfg = base(V2)
    found = check(run, V2, _group(conn, "group2"), edit(cfg, *_NO_V2_PROPOSAL))
    assert {"DhGroupMismatch", "AlgorithmMismatch", "AuthenticationAlgorithmMismatch"} <= errors(found)


def test_ikev2_default_proposal_notes_its_release_and_source(tmp_path):
    _, cfg = base(V2)
    ep = parse_device(edit(cfg, *_NO_V2_PROPOSAL), str(tmp_path / "d.cfg")).endpoints[0]
    p = ep.ike.proposals[0]
    assert p.encryption == ["aes256"] and p.integrity == ["sha512", "sha384"]
    assert p.dh_groups == [19, 14, 21]  # group 5 is refused on 17.11+ routers (FN72510)
    assert p.src["encryption"].defaulted and p.src["encryption"].note.startswith("cisco-ios default (17 and later)")


def test_ios15_builtin_ikev2_proposal_still_offers_group2(run):
    conn, cfg = base(V2)
    found = check(run, V2, _group(conn, "group2"), edit(cfg, *_NO_V2_PROPOSAL, ("version 17.12", "version 15.7")))
    assert errors(found) == set()  # aes-cbc-128, sha1 and group 2 are in the 15.x default (several values: a warning)


def test_configured_default_proposal_replaces_the_builtin_one(run):
    conn, cfg = base(V2)
    cfg = edit(cfg, ("crypto ikev2 proposal PROP-ALIYUN", "crypto ikev2 proposal default"),
               ("crypto ikev2 policy POL-ALIYUN\n proposal PROP-ALIYUN\n!\n", ""))
    assert check(run, V2, conn, cfg) == {}
    only_group = edit(cfg, (" encryption aes-cbc-128\n integrity sha1\n", ""))  # the other fields stay built-in
    assert {"AlgorithmMismatch", "AuthenticationAlgorithmMismatch"} <= errors(check(run, V2, conn, only_group))


def test_unknown_release_default_proposal_warns_and_is_not_a_silent_pass(run):
    conn, cfg = base(V2)
    results = run(_group(conn, "group2"), edit(cfg, *_NO_V2_PROPOSAL, ("version 17.12\n", "")), vpngw=VPNGW)
    assert "DhGroupMismatch" in errors(codes(results))
    warned = [m for m in messages(results, "DeviceConfigIncomplete") if "depends on the release" in m]
    assert warned and "crypto ikev2 policy" in warned[0] and "before 16" in warned[0] and "17 and later" in warned[0]
    notes = [f.device.default for r in results for f in r.findings if f.code == "DhGroupMismatch"]
    assert notes and notes[0].startswith("cisco-ios default depends on the release")


def test_xe16_default_proposal_is_undocumented_per_release_and_warns(run):
    conn, cfg = base(V2)
    results = run(conn, edit(cfg, *_NO_V2_PROPOSAL, ("version 17.12", "version 16.12")), vpngw=VPNGW)
    warned = [m for m in messages(results, "DeviceConfigIncomplete") if "depends on the release" in m]
    assert warned and "16.12" in warned[0]
    assert {"AlgorithmMismatch", "AuthenticationAlgorithmMismatch"} <= errors(codes(results))


# -- defect 2: FN72510, weak algorithms refused on IOS-XE 17.11+ -------------------------------------------

def _weak(conn: dict) -> dict:
    conn["IkeConfig"]["IkePfs"] = "group2"
    conn["IpsecConfig"]["IpsecPfs"] = "group2"
    return conn


_WEAK_DEVICE = [("authentication pre-share\n group 14", "authentication pre-share\n group 2"),
                (" set pfs group14", " set pfs group2")]


def test_fn72510_xe17_12_refuses_group2_and_pfs_group2(run, tmp_path):
    conn, cfg = base(V1)
    results = run(_weak(conn), edit(cfg, *_WEAK_DEVICE))
    found = codes(results)
    assert {"DhGroupMismatch", "PfsMismatch", "DeviceConfigIncomplete"} <= errors(found)
    fn = [m for m in messages(results, "DeviceConfigIncomplete") if "FN72510" in m]
    assert len(fn) == 2 and all("crypto engine compliance shield disable" in m and "reload" in m for m in fn)
    assert any("17.15" in m and "switches" in m for m in fn)
    assert "error" in lint(edit(cfg, *_WEAK_DEVICE), tmp_path).get("DeviceConfigIncomplete", set())


def test_fn72510_weak_transform_set_is_not_offered(run):
    conn, cfg = base(V1)
    conn["IpsecConfig"].update(IpsecEncAlg="3des", IpsecAuthAlg="md5")
    weak = edit(cfg, ("TS-ALIYUN esp-aes 256 esp-sha256-hmac", "TS-ALIYUN esp-3des esp-md5-hmac"))
    found = check(run, V1, conn, weak)
    assert {"EncryptionAlgorithmMismatch", "AlgorithmMismatch"} <= errors(found)


@pytest.mark.parametrize("extra", [("version 17.12", "version 17.9"),
                                   ("redundancy\n mode none\n", "redundancy\n mode none\n"
                                                               "crypto engine compliance shield disable\n"),
                                   ("version 17.12", "version 15.7")])
def test_fn72510_clean_counterparts(run, tmp_path, extra):
    conn, cfg = base(V1)
    cfg = edit(cfg, *_WEAK_DEVICE, extra)
    assert check(run, V1, _weak(conn), cfg) == {}
    assert lint(cfg, tmp_path).get("DeviceConfigIncomplete") is None


def test_fn72510_unknown_release_warns(run):
    conn, cfg = base(V1)
    results = run(_weak(conn), edit(cfg, *_WEAK_DEVICE, ("version 17.12\n", "")))
    assert errors(codes(results)) == set()
    warned = [m for m in messages(results, "DeviceConfigIncomplete") if "FN72510" in m]
    assert len(warned) == 2 and all("depends on the release" in m for m in warned)


# -- defect 4: global `crypto ikev2 dpd` ------------------------------------------------------------------

def test_global_ikev2_dpd_applies_to_profiles_without_their_own(run):
    conn, cfg = base(V2)
    assert check(run, V2, conn, cfg) == {}  # the base pair relies on the global line
    assert check(run, V2, conn, edit(cfg, ("crypto ikev2 dpd 10 3 on-demand\n", ""))) == {"DpdTimeout": {"warning"}}


def test_profile_dpd_wins_over_the_global_one(tmp_path):
    _, cfg = base(V2)
    cfg = edit(cfg, (" lifetime 28800\n", " lifetime 28800\n dpd 30 5 periodic\n"))
    dpd = parse_device(cfg, str(tmp_path / "d.cfg")).endpoints[0].ike.dpd
    assert (dpd.interval_s, dpd.retry_s, dpd.mode) == (30, 5, "periodic")


# -- defect 5: `mode transport` with subnet selectors negotiates tunnel -----------------------------------

def test_mode_transport_with_subnet_acl_negotiates_tunnel(run):
    conn, cfg = base(V1)
    assert check(run, V1, conn, edit(cfg, (" mode tunnel", " mode transport"))) == {"UnparsedConfig": {"info"}}


def test_mode_transport_require_is_transport(run):
    conn, cfg = base(V1)
    found = check(run, V1, conn, edit(cfg, (" mode tunnel", " mode transport require")))
    assert found.get("EncapsulationModeMismatch") == {"error"}


_HOSTS = (" 10 permit ip 172.20.8.0 0.0.3.255 10.60.0.0 0.0.255.255", " 10 permit ip host 203.0.113.60 host 198.51.100.60")


def _hosts(conn: dict) -> dict:
    conn.update(LocalSubnet="198.51.100.60/32", RemoteSubnet="203.0.113.60/32")
    return conn


def test_mode_transport_between_the_peer_addresses_falls_back_to_tunnel(run, tmp_path):
    """Review F5: without `require` IOS requests transport but accepts tunnel, which Alibaba answers: no error
    (the same host selectors with the transport-mode default transform set were already clean)."""
    conn, cfg = base(V1)
    cfg = edit(cfg, (" mode tunnel", " mode transport"), _HOSTS)
    results = run(_hosts(conn), cfg)
    assert errors(codes(results)) == set()
    ep = parse_device(cfg, str(tmp_path / "d.cfg")).endpoints[0]
    assert ep.ipsec.proposals[0].mode == "tunnel" and "not verified" in ep.ipsec.proposals[0].src["mode"].note
    note = [f for r in results for f in r.findings if f.code == "UnparsedConfig"]
    assert note and note[0].device.text.strip() == "mode transport" and "checked as tunnel" in note[0].message
    row = DEFAULTS.pick("ipsec.transport", (17, 12)).row
    assert "accepts tunnel" in row.what and row.source.startswith("unverified")


def test_mode_transport_require_between_the_peer_addresses_is_an_error(run):
    conn, cfg = base(V1)
    cfg = edit(cfg, (" mode tunnel", " mode transport require"), _HOSTS)
    assert codes(run(_hosts(conn), cfg)).get("EncapsulationModeMismatch") == {"error"}


# -- defect 6: `self-identity fqdn` / `address` take no argument ------------------------------------------

def test_self_identity_fqdn_is_hostname_dot_domain_and_fails_main_mode(run):
    conn, cfg = base(V1)
    results = run(conn, edit(cfg, ("   self-identity address", "   self-identity fqdn")))
    found = codes(results)
    assert found.get("PeerIdMismatch") == {"error"}
    assert any("hz-dc-edge02.hzdc.org" in m or "hz-dc-edge02.hzdc.example.org" in m
               for m in messages(results, "PeerIdMismatch"))
    assert not any("fqdn:fqdn" in m or "ip:fqdn" in m for m in messages(results))


def test_self_identity_address_is_the_local_address(tmp_path):
    _, cfg = base(V1)
    ep = parse_device(cfg, str(tmp_path / "d.cfg")).endpoints[0]
    assert str(ep.ike.local_id) == "ip:203.0.113.60" and ep.ike.src["local_id"].line is not None


# -- defect 7: one default transform set on IOS-XE ----------------------------------------------------------

def _default_ts(conn):
    conn["IpsecConfig"].update(IpsecEncAlg="aes", IpsecAuthAlg="sha1")
    return conn


def test_xe_has_one_default_transform_set(run):
    conn, cfg = base(V1)
    assert check(run, V1, _default_ts(conn), edit(cfg, (" set transform-set TS-ALIYUN\n", ""))) == {}


def test_ios15_default_transform_sets_are_two_and_unverified(run, tmp_path):
    conn, cfg = base(V1)
    cfg = edit(cfg, (" set transform-set TS-ALIYUN\n", ""), ("version 17.12", "version 15.7"))
    assert check(run, V1, _default_ts(conn), cfg) == {"MultipleProposals": {"warning"}}
    ep = parse_device(cfg, str(tmp_path / "d.cfg")).endpoints[0]
    assert "not verified in a vendor document" in ep.ipsec.src["proposals"].note


def test_unknown_release_default_transform_sets_warn(run):
    conn, cfg = base(V1)
    results = run(_default_ts(conn), edit(cfg, (" set transform-set TS-ALIYUN\n", ""), ("version 17.12\n", "")))
    assert codes(results) == {"DeviceConfigIncomplete": {"warning"}}  # one set (every candidate has it), and a warning
    assert "default transform sets" in messages(results)[0] and "depends on the release" in messages(results)[0]


# -- defect 7a: `initiate mode aggressive` ---------------------------------------------------------------

def _aggressive(conn):
    conn["IkeConfig"]["IkeMode"] = "aggressive"
    return conn


def test_initiate_mode_aggressive_is_recognised(run):
    conn, cfg = base(V1)
    aggressive = edit(cfg, ("   keepalive 10 retry 3", "   keepalive 10 retry 3\n   initiate mode aggressive"))
    assert check(run, V1, _aggressive(conn), aggressive) == {}
    results = run(base(V1)[0], aggressive)  # Alibaba main, device aggressive
    fixes = [f.fix for r in results for f in r.findings if f.code == "NegotiationModeMismatch"]
    assert fixes and " no initiate mode" in fixes[0].device
    results = run(_aggressive(base(V1)[0]), cfg)  # Alibaba aggressive, device main: the fix prints the IOS form
    fixes = [f.fix for r in results for f in r.findings if f.code == "NegotiationModeMismatch"]
    assert fixes and " initiate mode aggressive" in fixes[0].device
    assert not any("initiate-mode" in line for line in fixes[0].device)


def test_hyphenated_initiate_mode_is_not_ios_and_stays_main(run):
    conn, cfg = base(V1)
    results = run(_aggressive(conn), edit(cfg, ("   keepalive 10 retry 3",
                                                "   keepalive 10 retry 3\n   initiate-mode aggressive")))
    found = codes(results)
    assert found.get("NegotiationModeMismatch") == {"error"}
    assert any("initiate mode aggressive" in m for m in messages(results, "DeviceConfigIncomplete"))


# -- defect 7b: aggressive mode carries the first policy's DH group only -----------------------------------

_TWO_POLICIES = ("crypto isakmp profile ISAKMP-ALIYUN",
                 "crypto isakmp policy 20\n encr aes 256\n hash sha256\n authentication pre-share\n group 14\n!\n"
                 "crypto isakmp profile ISAKMP-ALIYUN")
_AGGR = ("   keepalive 10 retry 3", "   keepalive 10 retry 3\n   initiate mode aggressive")


def test_aggressive_mode_offers_only_the_first_policys_group(run):
    conn, cfg = base(V1)
    cfg = edit(cfg, ("authentication pre-share\n group 14", "authentication pre-share\n group 19"), _TWO_POLICIES,
               _AGGR)
    results = run(_aggressive(conn), cfg)
    assert codes(results).get("DhGroupMismatch") == {"error"}
    notes = [f.device.default for r in results for f in r.findings if f.code == "DhGroupMismatch"]
    assert notes and "RFC 2409 section 5" in notes[0]
    # main mode: the same two policies negotiate (several values: only the warning)
    assert errors(check(run, V1, base(V1)[0], edit(cfg, _AGGR[::-1]))) == set()


def test_aggressive_mode_with_alibabas_group_first_is_clean_of_dh_errors(run):
    conn, cfg = base(V1)
    cfg = edit(cfg, _TWO_POLICIES, _AGGR)  # policy 10 group 14, policy 20 group 14
    assert check(run, V1, _aggressive(conn), cfg) == {}


# -- the defaults table ----------------------------------------------------------------------------------

def test_every_default_names_a_source_and_unverified_rows_say_so():
    assert all(r.source for r in DEFAULTS.rows)
    assert DEFAULTS.pick("ikev2.proposal", None).release_dependent
    assert DEFAULTS.pick("ipsec.transform_sets", (17, 12)).row.value == [("aes128", "sha1")]
    assert "not verified" in DEFAULTS.note("ipsec.transform_sets", (15, 7))
    assert "| IKEv2 default proposal (no `crypto ikev2 policy`) | before 16 |" in DEFAULTS.markdown()


# -- review item A: `no crypto ikev2 proposal|policy default`, `no crypto ipsec transform-set default` ---------

def _xe_default_v2(conn: dict) -> dict:
    conn["IkeConfig"].update(IkeEncAlg="aes256", IkeAuthAlg="sha512", IkePfs="group14")
    return conn


_NO_LINE = "crypto ikev2 keyring IKEV2-KR"


@pytest.mark.parametrize("line", ["no crypto ikev2 proposal default", "no crypto ikev2 policy default"])
def test_disabled_ikev2_default_is_not_applied(run, line):
    conn, cfg = base(V2)
    cfg = edit(cfg, *_NO_V2_PROPOSAL)
    assert errors(check(run, V2, _xe_default_v2(conn), cfg)) == set()  # the built-in default matches
    results = run(_xe_default_v2(base(V2)[0]), edit(cfg, (_NO_LINE, f"{line}\n!\n{_NO_LINE}")), vpngw=VPNGW)
    assert {"ProposalMismatch", "DeviceConfigIncomplete"} <= errors(codes(results))
    assert any("no IKEv2 proposal is offered" in m and line in m for m in messages(results, "DeviceConfigIncomplete"))
    notes = [f for r in results for f in r.findings if f.code == "UnparsedConfig" and f.device.text == line]
    assert notes and "disabled" in notes[0].message and "not verified" in notes[0].message


def test_disabled_default_proposal_with_a_configured_policy_stays_clean(run):
    conn, cfg = base(V2)
    found = check(run, V2, conn, edit(cfg, (_NO_LINE, f"no crypto ikev2 proposal default\n!\n{_NO_LINE}")))
    assert found == {"UnparsedConfig": {"info"}}  # the note at the line; PROP-ALIYUN is still offered


def test_disabled_default_transform_set_leaves_the_entry_without_one(run, tmp_path):
    conn, cfg = base(V1)
    no_ts = "no crypto ipsec transform-set default\n!\ncrypto map CMAP-WAN 10 ipsec-isakmp"
    cfg = edit(cfg, (" set transform-set TS-ALIYUN\n", ""), ("crypto map CMAP-WAN 10 ipsec-isakmp", no_ts))
    results = run(_default_ts(conn), cfg)
    assert "DeviceConfigIncomplete" in errors(codes(results))
    assert any("default transform set is disabled" in m for m in messages(results, "DeviceConfigIncomplete"))
    assert parse_device(cfg, str(tmp_path / "d.cfg")).endpoints[0].ipsec.proposals == []
    # counterpart: the entry names its own transform set
    kept = edit(base(V1)[1], ("crypto map CMAP-WAN 10 ipsec-isakmp", no_ts))
    assert check(run, V1, base(V1)[0], kept) == {"UnparsedConfig": {"info"}}


def test_disable_rows_are_labelled_unverified_and_other_no_crypto_lines_are_reported(run):
    for key in ("ikev2.proposal_disabled", "ikev2.policy_disabled", "ipsec.transform_set_disabled"):
        assert DEFAULTS.pick(key, (17, 12)).row.source.startswith("unverified: ")
    conn, cfg = base(V1)
    results = run(conn, edit(cfg, ("redundancy\n", "no crypto ipsec optional retry\n!\nredundancy\n")))
    assert codes(results) == {"UnparsedConfig": {"info"}}
    assert "not understood" in messages(results, "UnparsedConfig")[0]


# -- review item E: FN72510, a refused value beside usable ones is a warning ------------------------------

def test_fn72510_refused_group_in_a_list_is_a_warning(run, tmp_path):
    conn, cfg = base(V2)
    cfg = edit(cfg, (" group 14\n", " group 14 2\n"))
    results = run(conn, cfg, vpngw=VPNGW)
    assert codes(results) == {"DeviceConfigIncomplete": {"warning"}}
    assert "group 14 remains offered" in messages(results, "DeviceConfigIncomplete")[0]
    assert lint(cfg, tmp_path).get("DeviceConfigIncomplete") == {"warning"}
    # Alibaba needs the refused group: the specific rule still fires
    assert "DhGroupMismatch" in errors(check(run, V2, _group(base(V2)[0], "group2"), cfg))


_WEAK_TS = ("crypto map CMAP-WAN 10 ipsec-isakmp",
            "crypto ipsec transform-set TS-WEAK esp-3des esp-md5-hmac\n mode tunnel\n!\n"
            "crypto map CMAP-WAN 10 ipsec-isakmp")


def test_fn72510_refused_second_transform_set_is_a_warning(run, tmp_path):
    conn, cfg = base(V1)
    two = edit(cfg, _WEAK_TS, (" set transform-set TS-ALIYUN", " set transform-set TS-WEAK TS-ALIYUN"))
    results = run(conn, two)
    assert codes(results) == {"DeviceConfigIncomplete": {"warning"}}  # no MultipleProposals with an empty item
    assert lint(two, tmp_path).get("DeviceConfigIncomplete") == {"warning"}
    alone = edit(cfg, _WEAK_TS, (" set transform-set TS-ALIYUN", " set transform-set TS-WEAK"))
    assert "DeviceConfigIncomplete" in errors(check(run, V1, conn, alone))


_WEAK_POLICY = ("crypto isakmp policy 10", "crypto isakmp policy 5\n encr 3des\n hash md5\n authentication pre-share\n"
                " group 2\n!\ncrypto isakmp policy 10")


def test_fn72510_refused_extra_isakmp_policy_is_a_warning(run, tmp_path):
    conn, cfg = base(V1)
    cfg = edit(cfg, _WEAK_POLICY)
    found = check(run, V1, conn, cfg)
    assert found == {"DeviceConfigIncomplete": {"warning"}}
    assert lint(cfg, tmp_path).get("DeviceConfigIncomplete") == {"warning"}
    conn["IkeConfig"].update(IkeEncAlg="3des")  # Alibaba needs the refused policy's value
    assert "AlgorithmMismatch" in errors(check(run, V1, conn, cfg))


# -- review item G: the IKEv1 FQDN identity fix is IOS syntax ---------------------------------------------

def test_ikev1_fqdn_identity_fix_sets_hostname_and_domain(run):
    conn, cfg = _aggressive(base(V1)[0]), edit(base(V1)[1], _AGGR)  # an FQDN identity needs aggressive mode
    conn["IkeConfig"]["RemoteId"] = "vpn-hz.corp.example.org"
    fixes = [f.fix for r in run(conn, cfg) for f in r.findings if f.code == "PeerIdMismatch"]
    fix = next(f for f in fixes if " self-identity fqdn" in f.device)
    assert fix.device[:2] == ["hostname vpn-hz", "ip domain name corp.example.org"]
    assert fix.device[-1] == " self-identity fqdn" and "rename the router" in fix.note
    # the fix applied: the device presents vpn-hz.corp.example.org and the pair is clean
    fixed = edit(cfg, ("hostname hz-dc-edge02", "hostname vpn-hz"), ("hzdc.example.org", "corp.example.org"),
                 ("   self-identity address", "   self-identity fqdn"))
    assert check(run, V1, conn, fixed) == {}


# -- review item H: crypto map `set` lines ----------------------------------------------------------------

def test_per_host_sa_level_is_reported(run):
    conn, cfg = base(V1)
    assert check(run, V1, conn, cfg) == {}
    results = run(conn, edit(cfg, (" set pfs group14", " set pfs group14\n set security-association level per-host")))
    assert codes(results) == {"DeviceConfigIncomplete": {"warning"}}
    found = [f for r in results for f in r.findings]
    assert found[0].device.text.strip() == "set security-association level per-host" and "IKEv1" in found[0].message


@pytest.mark.parametrize("line", [" set security-association idle-time 600", " set security-association replay disable",
                                  " set security-association lifetime seconds forever"])
def test_unknown_crypto_map_set_lines_are_not_silently_ignored(run, line):
    conn, cfg = base(V1)
    results = run(conn, edit(cfg, (" set pfs group14", f" set pfs group14\n{line}")))
    assert codes(results) == {"UnparsedConfig": {"info"}}
    assert "not understood" in messages(results)[0]


def test_a_crypto_acl_with_no_readable_permit_is_an_error_not_a_pass(run):
    """Every permit line of the crypto ACL uses object-groups (not read): the flows were not compared, so the
    tunnel cannot look clean (was: one set-aside warning and exit 0 against completely different flows)."""
    conn, cfg = load_pair("ikev1-map")
    cfg = edit(cfg, ("ip access-list extended VPN-ALIYUN\n permit ip 172.20.8.0 0.0.3.255 10.60.0.0 0.0.255.255",
                     "ip access-list extended VPN-ALIYUN\n permit ip object-group LAN object-group ALIYUN"))
    found = codes(run(conn, cfg))
    assert "error" in found.get("DeviceConfigIncomplete", set()), found
