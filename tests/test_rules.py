"""Every rule: at least one realistic failing pair and one passing pair (Cisco IOS device side).

Failing pairs are the base pairs of fixtures/pairs with one realistic edit on one side; the base pairs
themselves are the passing pairs (they must produce no finding at all)."""
import pytest

from analyzer.rules import all_rules
from conftest import codes, edit, load_pair


def _set(path: str, value):
    def mutate(conn: dict) -> None:
        node = conn
        *parents, last = path.split(".")
        for p in parents:
            node = node[int(p)] if p.isdigit() else node[p]
        node[last] = value
    return mutate


# (rule code, base pair, JSON edit or None, device text edits, expected severity)
FAILING = [
    ("InvalidSuppression", "ikev1-map", None, [("crypto map CMAP-WAN 10 ipsec-isakmp",
                                               "! ipsec-preflight: disable=NoSuchRule\ncrypto map CMAP-WAN 10 ipsec-isakmp")],
     "warning"),
    ("PeerMismatch", "ikev1-map", None, [("set peer 198.51.100.60", "set peer 198.51.100.66")], "error"),
    ("PeerMismatch", "ikev1-map", None, [("ip address 203.0.113.60 255.255.255.252",
                                          "ip address 203.0.113.64 255.255.255.252")], "error"),
    ("PeerMismatch", "ikev1-map", None, [("ip address 203.0.113.60 255.255.255.252",
                                          "ip address 192.168.1.60 255.255.255.0")], "warning"),
    ("NoTunnelOnDevice", "ikev1-map", None, [("crypto map CMAP-WAN 10 ipsec-isakmp", "! removed"),
                                             (" set peer 198.51.100.60\n", "")], "error"),
    ("IkePortsFiltered", "ikev1-map", None, [(" permit udp host 198.51.100.60 host 203.0.113.60 eq isakmp\n", "")],
     "error"),
    ("IkePortsFiltered", "ikev1-map", None, [(" permit esp host 198.51.100.60 host 203.0.113.60\n", "")], "error"),
    ("VpnTrafficNatted", "ikev1-map", None, [(" deny   ip 172.20.8.0 0.0.3.255 10.60.0.0 0.0.255.255\n", "")],
     "warning"),
    ("EncryptionAlgorithmMismatch", "ikev1-map", None, [("esp-aes 256 esp-sha256-hmac", "esp-aes esp-sha256-hmac")],
     "error"),
    ("PeerAddressUnverified", "ikev1-map", _set("IkeConfig.LocalId", "vpn.example.com"), [], "info"),
    ("PfsMismatch", "ikev1-map", None, [(" set pfs group14\n", "")], "error"),
    ("PfsMismatch", "ikev1-map", None, [(" set pfs group14\n", " set pfs group5\n")], "error"),
    ("PfsMismatch", "ikev2-map", None, [(" set ikev2-profile", " set pfs group14\n set ikev2-profile")], "error"),
    ("SecurityProtocolMismatch", "ikev1-map", None, [("TS-ALIYUN esp-aes 256", "TS-ALIYUN ah-sha256-hmac esp-aes 256")],
     "error"),
    ("EncapsulationModeMismatch", "ikev1-map", None, [(" mode tunnel", " mode transport require")], "error"),
    ("TrafficBasedLifetime", "ikev1-map", None, [("kilobytes disable", "kilobytes 102400")], "warning"),
    ("TrafficBasedLifetime", "ikev1-map", None, [(" set security-association lifetime kilobytes disable\n", "")],
     "info"),
    ("IkeVersionMismatch", "ikev1-map", _set("IkeConfig.IkeVersion", "ikev2"), [], "error"),
    ("NegotiationModeMismatch", "ikev1-map", _set("IkeConfig.IkeMode", "aggressive"), [], "error"),
    ("AlgorithmMismatch", "ikev1-map", None, [(" encr aes 256", " encr 3des")], "error"),
    ("AlgorithmMismatch", "ikev1-map", _set("IpsecConfig.IpsecAuthAlg", "sha1"), [], "error"),
    ("AuthenticationAlgorithmMismatch", "ikev1-map", None, [(" hash sha256", " hash sha")], "error"),
    ("AuthenticationAlgorithmMismatch", "ikev2-map", None, [(" integrity sha1", " integrity sha256")], "error"),
    ("DhGroupMismatch", "ikev1-map", None, [(" group 14", " group 5")], "error"),
    ("DhGroupMismatch", "ikev1-map", None, [(" group 14\n", "")], "error"),  # IOS default group 1
    ("ProposalMismatch", "ikev1-map", None, [(" authentication pre-share", " authentication rsa-sig")], "error"),
    ("ProposalMismatch", "ikev1-map", None,
     [(" group 14\n lifetime 86400\n", " group 2\n lifetime 86400\ncrypto isakmp policy 20\n encr aes 128\n"
                                     " hash sha256\n authentication pre-share\n group 14\n")], "error"),
    ("ProposalMismatch", "ikev1-map", None,
     [("TS-ALIYUN esp-aes 256 esp-sha256-hmac", "TS-ALIYUN esp-aes 256 esp-sha-hmac\n mode tunnel\n"
                                                 "crypto ipsec transform-set TS-B esp-aes esp-sha256-hmac"),
      ("set transform-set TS-ALIYUN", "set transform-set TS-ALIYUN TS-B")], "error"),
    ("PskMismatch", "ikev1-map", None, [("key hzDC-7q!Lm2#vR9k address", "key hzDC-7q!Lm2#vR9X address")], "error"),
    ("PskMismatch", "ikev1-map", None, [("key hzDC-7q!Lm2#vR9k address", "key 6 FLgBaJHXdYY_AVUZHgYbTgdGOPg address")],
     "info"),
    ("PskMismatch", "ikev1-map", None, [("crypto isakmp key hzDC-7q!Lm2#vR9k address 198.51.100.60\n", "")], "error"),
    ("PskMismatch", "ikev2-map", None, [("pre-shared-key remote gz-Branch-2026!x", "pre-shared-key remote other-key")],
     "error"),
    ("PeerIdMismatch", "ikev1-map", _set("IkeConfig.RemoteId", "203.0.113.99"), [], "error"),
    ("PeerIdMismatch", "ikev1-map", _set("IkeConfig.LocalId", "vpn.example.com"), [], "error"),  # FQDN + main
    ("PeerIdMismatch", "ikev2-map", None, [("identity local fqdn gz-branch.example.net",
                                            "identity local fqdn gz.example.net")], "error"),
    ("LifetimeMismatch", "ikev1-map", _set("IpsecConfig.IpsecLifetime", 86400), [], "warning"),
    ("LifetimeMismatch", "ikev1-map", None, [(" lifetime 86400", " lifetime 28800")], "warning"),
    ("DpdTimeout", "ikev1-map", None, [("crypto isakmp keepalive 10 3 on-demand\n", "")], "warning"),
    ("NatTMismatch", "ikev1-map", _set("EnableNatTraversal", False), [], "warning"),
    ("NatTMismatch", "ikev1-map", None, [("crypto isakmp keepalive", "no crypto ipsec nat-transparency "
                                          "udp-encapsulation\ncrypto isakmp keepalive"),
                                         ("ip address 203.0.113.60 255.255.255.252",
                                          "ip address 10.255.0.2 255.255.255.252")], "error"),
    ("TrafficSelectorMismatch", "ikev1-map", None, [("permit ip 172.20.8.0 0.0.3.255 10.60.0.0 0.0.255.255",
                                                     "permit ip 172.20.8.0 0.0.3.255 10.60.1.0 0.0.0.255")], "error"),
    ("TrafficSelectorMismatch", "ikev2-map", None, [("permit ip 192.168.50.0 0.0.0.255 10.90.1.0 0.0.0.255",
                                                     "permit ip 192.168.50.0 0.0.0.255 10.90.0.0 0.0.255.255")],
     "warning"),
    ("TrafficSelectorMismatch", "ikev1-map", _set("RemoteSubnet", "172.20.8.0/22,172.20.12.0/24"), [], "error"),
    ("TrafficSelectorMismatch", "ikev1-map", None, [("permit ip 172.20.8.0 0.0.3.255 10.60.0.0 0.0.255.255",
                                                     "permit ip 172.21.0.0 0.0.3.255 10.60.0.0 0.0.255.255")], "error"),
    ("MultiCidrPerSa", "ikev2-map", _set("LocalSubnet", "10.90.1.0/24,10.90.2.0/24"),
     [(" 10 permit ip 192.168.50.0 0.0.0.255 10.90.1.0 0.0.0.255",
       " 10 permit ip 192.168.50.0 0.0.0.255 10.90.1.0 0.0.0.255\n 20 permit ip 192.168.50.0 0.0.0.255 10.90.2.0 0.0.0.255")],
     "warning"),
    ("MultipleProposals", "ikev1-map", None,
     [(" lifetime 86400\n", " lifetime 86400\ncrypto isakmp policy 20\n encr 3des\n hash md5\n authentication pre-share\n"
                            " group 2\n")], "warning"),
    ("MultipleProposals", "ikev1-map", None,
     [("TS-ALIYUN esp-aes 256 esp-sha256-hmac", "TS-ALIYUN esp-aes 256 esp-sha256-hmac\n mode tunnel\n"
                                                 "crypto ipsec transform-set TS-OLD esp-3des esp-md5-hmac"),
      ("set transform-set TS-ALIYUN", "set transform-set TS-ALIYUN TS-OLD")], "warning"),
    ("BgpConfigMismatch", "ikev2-dual", None, [(" neighbor 169.254.30.1 remote-as 65010", " neighbor 169.254.30.1 remote-as 45104")],
     "error"),
    ("BgpConfigMismatch", "ikev2-dual", None, [("router bgp 65020", "router bgp 65021")], "error"),
    ("BgpConfigMismatch", "ikev2-dual", _set("TunnelOptionsSpecification.TunnelOptions.0.TunnelBgpConfig.TunnelCidr",
                                             "169.254.3.0/30"), [], "error"),
    ("BgpConfigMismatch", "ikev2-dual", None, [(" neighbor 169.254.31.1 remote-as 65010\n", "")], "warning"),
    ("MtuTooLarge", "ikev2-dual", None, [(" ip mtu 1399", " ip mtu 1500")], "warning"),
    ("MtuTooLarge", "ikev2-dual", None, [(" ip tcp adjust-mss 1359", " ip tcp adjust-mss 1460")], "warning"),
    ("HealthCheckTarget", "ikev1-map", _set("VcoHealthCheck.Dip", "172.30.0.1"), [], "warning"),
    ("DeviceConfigIncomplete", "ikev1-map", None, [("set transform-set TS-ALIYUN", "set transform-set TS-ALIYUM")],
     "error"),
    ("DeviceConfigIncomplete", "ikev2-dual", None, [("protection ipsec profile IPSEC-ALIYUN-T2",
                                                     "protection ipsec profile IPSEC-ALIYUN-T3")], "error"),
    ("UnparsedConfig", "ikev1-map", None, [(" hash sha256", " hash sha256\n frobnicate 7")], "info"),
]


@pytest.mark.parametrize("base", ["ikev1-map", "ikev2-map", "ikev2-dual"])
def test_base_pairs_pass_every_rule(run, base):
    conn, cfg = load_pair(base)
    vpngw = {"VpnGatewayId": "x", "InternetIp": "198.51.100.90"} if base == "ikev2-map" else None
    results = run(conn, cfg, vpngw=vpngw)
    assert results and all(r.endpoint for r in results)
    assert codes(results) == {}


@pytest.mark.parametrize("code,base,jedit,dedits,severity", FAILING,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(FAILING)])
def test_rule_fires_on_failing_pair(run, code, base, jedit, dedits, severity):
    conn, cfg = load_pair(base)
    if jedit:
        jedit(conn)
    vpngw = {"VpnGatewayId": "x", "InternetIp": "198.51.100.90"} if base == "ikev2-map" else None
    found = codes(run(conn, edit(cfg, *dedits), vpngw=vpngw))
    assert code in found, f"{code} not reported; got {found}"
    assert severity in found[code]


def test_every_rule_has_a_failing_case():
    # Huawei-only: AlgorithmCompatibility fires on the Huawei pair (tests/test_huawei_truth.py); the Unpaired* rules
    # need an audit or a multi-connection file (tests/test_audit_repo.py, tests/test_check_pairing.py); the plan
    # rules need a Terraform plan or HCL input (tests/test_terraform.py)
    covered = {c[0] for c in FAILING} | {"DpdHashNotifyCompatibility", "CommitMismatch", "AlgorithmCompatibility",
                                         "KnownAfterApply", "PlanReplacesConnection"}
    assert {r.code for r in all_rules() if r.scope == "pair"} <= covered  # audit rules: tests/test_audit.py


# Cisco IOS cannot express these two; they are checked on the model a vendor parser would produce.
def test_dpd_payload_order_model_level(run):
    conn, cfg = load_pair("ikev1-map")

    def notify_hash(dev):
        dev.endpoints[0].ike.dpd.payload_order = "notify-hash"

    assert "DpdHashNotifyCompatibility" in codes(run(conn, cfg, mutate_device=notify_hash))

    def hash_notify(dev):
        dev.endpoints[0].ike.dpd.payload_order = "hash-notify"

    assert codes(run(conn, cfg, mutate_device=hash_notify)) == {}


def test_commit_bit_model_level(run):
    conn, cfg = load_pair("ikev1-map")

    def commit(dev):
        dev.endpoints[0].ike.commit_bit = True

    assert codes(run(conn, cfg, mutate_device=commit)) == {"CommitMismatch": {"error"}}


# Passing variants that a naive checker gets wrong.
def test_pfs_disabled_on_both_sides_is_a_match(run):
    conn, cfg = load_pair("ikev1-map")
    conn["IpsecConfig"]["IpsecPfs"] = "disabled"
    assert codes(run(conn, edit(cfg, (" set pfs group14\n", "")))) == {}


def test_one_matching_proposal_among_several_negotiates_but_warns(run):
    conn, cfg = load_pair("ikev1-map")
    cfg = edit(cfg, (" lifetime 86400\n", " lifetime 86400\ncrypto isakmp policy 20\n encr 3des\n hash md5\n"
                                          " authentication pre-share\n group 2\n"))
    assert codes(run(conn, cfg)) == {"MultipleProposals": {"warning"}}


def test_type7_key_is_compared_in_memory(run):
    from parsers.cisco_common import decode_type7
    conn, cfg = load_pair("ikev1-map")
    # type 7 encoding of the fixture key, computed by the inverse of the documented XOR table
    xlat = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"
    key = conn["IkeConfig"]["Psk"]
    enc = "05" + "".join(f"{ord(c) ^ ord(xlat[(5 + i) % len(xlat)]):02X}" for i, c in enumerate(key))
    assert decode_type7(enc) == key
    matching = edit(cfg, ("key hzDC-7q!Lm2#vR9k address", f"key 7 {enc} address"))
    assert codes(run(conn, matching)) == {}
    conn["IkeConfig"]["Psk"] = "another-Key-123"
    assert codes(run(conn, matching)) == {"PskMismatch": {"error"}}


def test_ikev1_containment_is_error_ikev2_containment_is_warning(run):
    conn, cfg = load_pair("ikev1-map")
    narrower = edit(cfg, ("permit ip 172.20.8.0 0.0.3.255 10.60.0.0 0.0.255.255",
                          "permit ip 172.20.8.0 0.0.3.255 10.60.1.0 0.0.0.255"))
    assert codes(run(conn, narrower))["TrafficSelectorMismatch"] == {"error"}
    conn2, cfg2 = load_pair("ikev2-map")
    wider = edit(cfg2, ("10.90.1.0 0.0.0.255", "10.90.0.0 0.0.255.255"))
    vpngw = {"VpnGatewayId": "x", "InternetIp": "198.51.100.90"}
    assert codes(run(conn2, wider, vpngw=vpngw))["TrafficSelectorMismatch"] == {"warning"}


def test_findings_point_at_lines_and_fields(run):
    conn, cfg = load_pair("ikev1-map")
    cfg = edit(cfg, (" group 14", " group 5"))
    results = run(conn, cfg)
    f = next(f for f in results[0].findings if f.code == "DhGroupMismatch")
    assert f.device.line == cfg.splitlines().index(" group 5") + 1
    assert f.device.text == "group 5"
    assert f.alibaba.field == "IkeConfig.IkePfs" and f.alibaba.value.startswith("group14")
    # a new ISAKMP policy (10 is taken, and offered to every peer), the Alibaba-side value apart
    assert f.fix.device == ["crypto isakmp policy 20", " encryption aes 256", " hash sha256",
                            " authentication pre-share", " group 14", " lifetime 86400"]
    assert f.fix.alibaba == {"IkeConfig.IkePfs": "group5"} and f.fix.note is None


def test_page_with_several_connections_pairs_each_with_its_own_endpoint(tmp_path):
    """A DescribeVpnConnections page checked against a device that configures one of its connections:
    the others are 'not on this device' (info), never compared with the wrong tunnel."""
    import json

    from analyzer.checker import check
    from parsers import alibaba
    from parsers.registry import parse_device
    from conftest import FIXTURES
    page = {"VpnConnections": {"VpnConnection": [json.loads((FIXTURES / "pairs" / "ikev1-map.json").read_text()),
                                                 json.loads((FIXTURES / "pairs" / "ikev2-map.json").read_text())]}}
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page))
    cfg_path = FIXTURES / "pairs" / "ikev1-map.cfg"
    results = check(alibaba.load(path), parse_device(cfg_path.read_text(), str(cfg_path)))
    assert [r.findings for r in results][0] == []
    assert [(f.code, f.severity) for f in results[1].findings] == [("PeerMismatch", "info")]
    assert results[1].endpoint is None


def test_dual_tunnel_with_only_the_master_configured_warns_about_the_standby(run):
    conn, cfg = load_pair("ikev2-dual")
    one = cfg[:cfg.index("interface Tunnel32")] + cfg[cfg.index("interface GigabitEthernet1"):]
    results = run(conn, one)
    assert codes([results[0]]) == {}
    assert codes([results[1]]) == {"PeerMismatch": {"warning"}}


# IKEv2 inline keys: `authentication remote pre-share key K1` (what the peer must present) and
# `authentication local pre-share key K2` (what this router sends) are two keys (RFC 7296 2.15, Cisco
# FlexVPN/IKEv2 configuration guide, IKEv2 profile). The last line used to overwrite the first.
_INLINE = (" authentication remote pre-share\n authentication local pre-share\n keyring local IKEV2-KR\n",
           " authentication remote pre-share key {remote}\n authentication local pre-share key {local}\n")


@pytest.mark.parametrize("remote,local,expected", [
    ("Wrong-Remote-1", "gz-Branch-2026!x", {"error"}),  # a wrong key expected from Alibaba: fails
    ("gz-Branch-2026!x", "Wrong-Local-2", {"error"}),
    ("gz-Branch-2026!x", "gz-Branch-2026!x", None),  # clean counterpart
])
def test_ikev2_inline_local_and_remote_keys_are_kept_apart(run, remote, local, expected):
    conn, cfg = load_pair("ikev2-map")
    cfg = edit(cfg, (_INLINE[0], _INLINE[1].format(remote=remote, local=local)))
    assert codes(run(conn, cfg)).get("PskMismatch") == expected
