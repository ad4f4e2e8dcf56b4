"""`generate` for Huawei VRP and H3C Comware (issue 15 part 2): the written config, read back by our own parser and
checked against the connection it came from, gives no error finding; the key is a placeholder; refusals name the
Alibaba field."""
import json

import pytest

from analyzer.checker import check
from analyzer.generate import generate
from conftest import FIXTURES
from parsers import alibaba
from parsers.common import InputError
from parsers.generation import PSK_PLACEHOLDER, GenerateRefused
from parsers.registry import detect_vendor, parse_device

VENDORS = ("huawei-vrp", "h3c-comware")
# every JSON of fixtures/; those that are not connections are left out where they fail to load
CONNECTIONS = sorted(FIXTURES.glob("*/*.json"))


def _connections():
    """(id, tunnels of one connection) for every fixture connection whose values are known (not a plan's unknowns)."""
    lookups = alibaba.Lookups()
    lookups.add_vpn_gateway(str(FIXTURES / "pairs" / "vpngw.json"))
    out = []
    for path in CONNECTIONS:
        try:
            tunnels = alibaba.load(str(path), lookups)
        except InputError:  # not a connection (a gateway description, a DiagnoseVpnConnections result)
            continue
        for key in dict.fromkeys(t.connection_key for t in tunnels):
            one = [t for t in tunnels if t.connection_key == key]
            if not any(t.unknown for t in one):
                out.append((f"{path.parent.name}/{path.name}:{key}", one))
    return out


CASES = _connections()


def _errors(tunnels, text):
    """Error findings, but the PskMismatch that names generate's key placeholder (the user pastes the key)."""
    dev = parse_device(text, "generated.cfg")
    results = check(tunnels, dev)
    return dev, [(f.code, f.message) for r in results for f in r.findings if f.severity == "error"
                 and not (f.code == "PskMismatch" and PSK_PLACEHOLDER in f.message)]


def test_fixture_connections_found():
    assert len(CASES) >= 12  # the fixtures hold single, dual, page, Terraform and download shapes


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("style", ("policy", "route"))
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_round_trip_has_no_error(vendor, style, case):
    _, tunnels = case
    try:
        text = generate(tunnels, vendor, style)
    except GenerateRefused as exc:
        # the fixtures hold only three refusable shapes: no gateway IP in the input (ikev2-map without
        # --vpn-gateway), IKEv1 protected flows asked in route style (a tunnel interface negotiates 0.0.0.0/0), and
        # BGP without the device's ASN (a CreateVpnConnection request without PeerAsn)
        unknown_gateway = exc.field == "InternetIp" and not tunnels[0].endpoint.local_address
        no_asn = exc.field.endswith(".PeerAsn") and not tunnels[0].endpoint.bgp.peer_asn
        ikev1_route = (style == "route" and tunnels[0].endpoint.ike.version == "ikev1"
                       and exc.field.rsplit(".", 1)[-1].lower() in ("localsubnet", "remotesubnet", "local_subnet",
                                                                      "remote_subnet"))
        assert (unknown_gateway or ikev1_route or no_asn) and exc.why, exc
        return
    assert detect_vendor(text) == vendor
    dev, errors = _errors(tunnels, text)
    assert dev.vendor == vendor
    assert errors == []
    assert [d for d in dev.diagnostics if d.severity == "error"] == []
    assert len({e.peer_address for e in dev.endpoints}) == len(tunnels)  # one device tunnel per Alibaba tunnel


@pytest.mark.parametrize("vendor", VENDORS)
def test_key_is_a_placeholder(vendor):
    tunnels = alibaba.load(str(FIXTURES / "pairs" / "ikev2-dual.json"))
    text = generate(tunnels, vendor, "route")
    key_lines = [line for line in text.splitlines() if PSK_PLACEHOLDER in line and not line.startswith("#")]
    assert len(key_lines) == 2
    # compared here, never shown: a failure names the tunnel, not its key
    leaked = [t.tunnel_id for t in tunnels if t.endpoint.ike.psk.secret.get_secret_value() in text]
    assert leaked == []


@pytest.mark.parametrize("vendor", VENDORS)
def test_placeholder_is_not_read_as_a_key(vendor):
    """The placeholder is no key: PskMismatch names it, as an error (the config is not usable until the key is
    pasted), never "differs" and never "cannot verify" (which would let it pass)."""
    tunnels = alibaba.load(str(FIXTURES / "pairs" / "ikev1-map.json"), _vpngw())
    text = generate(tunnels, vendor, "policy")
    dev = parse_device(text, "generated.cfg")
    psk = [f for r in check(tunnels, dev) for f in r.findings if f.code == "PskMismatch"]
    assert psk and all(f.severity == "error" and PSK_PLACEHOLDER in f.message for f in psk)


def _vpngw():
    lookups = alibaba.Lookups()
    lookups.add_vpn_gateway(str(FIXTURES / "pairs" / "vpngw.json"))
    return lookups


# ------------------------------------------------------------------ parser misreads the round trip exposed (H3C)

_CMW7_TWO_V2 = """#
 version 7.1.064, Release 0605P15
#
interface GigabitEthernet1/0/1
 ip address 203.0.113.90 255.255.255.0
#
interface Tunnel1 mode ipsec
 ip address 169.254.20.2 255.255.255.252
 source GigabitEthernet1/0/1
 destination 198.51.100.90
 tunnel protection ipsec profile P1
#
interface Tunnel2 mode ipsec
 ip address 169.254.21.2 255.255.255.252
 source GigabitEthernet1/0/1
 destination 198.51.100.91
 tunnel protection ipsec profile P2
#
bgp 65020
 peer 169.254.20.1 as-number 45104
 peer 169.254.21.1 as-number 45104
 #
 address-family ipv4 unicast
  peer 169.254.20.1 enable
  peer 169.254.21.1 enable
#
ipsec transform-set TS
 protocol esp
 encapsulation-mode tunnel
 esp encryption-algorithm aes-cbc-256
 esp authentication-algorithm sha256
#
ipsec profile P1 isakmp
 transform-set TS
 ikev2-profile V1
#
ipsec profile P2 isakmp
 transform-set TS
 ikev2-profile V2
#
ikev2 proposal PR
 encryption aes-cbc-256
 integrity sha256
 prf sha256
 dh group14
#
ikev2 policy POL
 proposal PR
#
ikev2 profile V1
 match remote identity address 198.51.100.90 255.255.255.255
 sa duration 14400
#
ikev2 profile V2
 match remote identity address 198.51.100.91 255.255.255.255
 sa duration 86400
#
return
"""


def test_h3c_ikev2_profile_lifetime_is_its_own():
    """Each `ikev2 profile`'s `sa duration` is that profile's IKE SA lifetime; the proposals its policy shares are
    not rewritten by the last profile read."""
    dev = parse_device(_CMW7_TWO_V2, "cmw7.cfg")
    life = {ep.peer_address: {p.lifetime_s for p in ep.ike.proposals} for ep in dev.endpoints}
    assert life == {"198.51.100.90": {14400}, "198.51.100.91": {86400}}


def test_h3c_bgp_over_tunnel_is_read():
    """Comware 7 `bgp N` / ` peer A as-number M`: the neighbour inside a tunnel interface's subnet runs over it."""
    dev = parse_device(_CMW7_TWO_V2, "cmw7.cfg")
    bgp = {ep.peer_address: (ep.bgp.local_asn, ep.bgp.peer_asn, ep.bgp.peer_ip, ep.bgp.local_ip)
           for ep in dev.endpoints if ep.bgp}
    assert bgp == {"198.51.100.90": (65020, 45104, "169.254.20.1", "169.254.20.2"),
                   "198.51.100.91": (65020, 45104, "169.254.21.1", "169.254.21.2")}


# ------------------------------------------------------------------------------------------------ refusals

def _edited(path, **ike):
    """The fixture connection with IkeConfig/IpsecConfig values changed, loaded as `check` loads it."""
    conn = json.loads((FIXTURES / path).read_text())
    for key, value in ike.items():
        conn["IpsecConfig" if key.startswith("Ipsec") else "IkeConfig"][key] = value
    return alibaba.load("edited.json", _vpngw(), text=json.dumps(conn))


@pytest.mark.parametrize("vendor, values, field, value", [
    ("huawei-vrp", {"IkeEncAlg": "sm4", "IkeAuthAlg": "sm3", "IpsecEncAlg": "sm4", "IpsecAuthAlg": "sm3"},
     "IkeConfig.IkeEncAlg", "sm4"),
    ("h3c-comware", {"IpsecEncAlg": "sm4"}, "IpsecConfig.IpsecEncAlg", "sm4"),
    ("h3c-comware", {"IpsecAuthAlg": "sm3"}, "IpsecConfig.IpsecAuthAlg", "sm3"),
    ("huawei-vrp", {"IkeLifetime": 30}, "IkeConfig.IkeLifetime", "30"),
    ("huawei-vrp", {"RemoteId": "branch.example.com"}, "IkeConfig.RemoteId", "branch.example.com"),
    ("h3c-comware", {"LocalId": "vpn.example.net"}, "IkeConfig.LocalId", "vpn.example.net"),
])
def test_refusal_names_the_alibaba_field(vendor, values, field, value):
    tunnels = _edited("pairs/ikev1-map.json", **values)
    with pytest.raises(GenerateRefused) as exc:
        generate(tunnels, vendor, "policy")
    assert (exc.value.field, exc.value.value, exc.value.vendor) == (field, value, vendor)
    assert field in str(exc.value) and exc.value.why


def test_ikev1_route_style_with_protected_flows_is_refused():
    """A tunnel interface negotiates 0.0.0.0/0 both ways; IKEv1 needs Alibaba's flows exactly."""
    tunnels = alibaba.load(str(FIXTURES / "pairs" / "ikev1-map.json"), _vpngw())
    for vendor in VENDORS:
        with pytest.raises(GenerateRefused, match="LocalSubnet"):
            generate(tunnels, vendor, "route")
        assert "ipsec policy ALIYUN 10 isakmp" in generate(tunnels, vendor, "policy")


def test_unknown_gateway_ip_is_refused():
    tunnels = alibaba.load(str(FIXTURES / "pairs" / "ikev2-map.json"))  # no InternetIp, no --vpn-gateway
    with pytest.raises(GenerateRefused, match="InternetIp"):
        generate(tunnels, "huawei-vrp", "policy")


# ------------------------------------------------------------------------------------------------ shapes

@pytest.mark.parametrize("vendor, neighbour", [("huawei-vrp", " peer 169.254.30.1 as-number 65010"),
                                               ("h3c-comware", " peer 169.254.30.1 as-number 65010")])
def test_bgp_connection_is_written_route_style(vendor, neighbour):
    tunnels = alibaba.load(str(FIXTURES / "pairs" / "ikev2-dual.json"))
    text = generate(tunnels, vendor, "policy")
    assert "--style policy was asked: this connection runs BGP" in text
    assert "bgp 65020" in text and neighbour in text
    dev = parse_device(text, "generated.cfg")
    assert {(ep.kind, ep.bgp.local_ip, ep.bgp.peer_asn) for ep in dev.endpoints} == {
        ("route", "169.254.30.2", 65010), ("route", "169.254.31.2", 65010)}


@pytest.mark.parametrize("vendor", VENDORS)
def test_two_customer_gateways_get_two_wan_interfaces(vendor):
    """A dual-tunnel connection whose tunnels name two customer gateways: each tunnel leaves from its own address."""
    tunnels = alibaba.load(str(FIXTURES / "alibaba" / "describe-vpn-connection-dual.json"))
    assert len({t.endpoint.peer_address for t in tunnels}) == 2
    dev = parse_device(generate(tunnels, vendor, "route"), "generated.cfg")
    assert {(ep.peer_address, ep.local_address) for ep in dev.endpoints} == {
        (t.endpoint.local_address, t.endpoint.peer_address) for t in tunnels}


@pytest.mark.parametrize("vendor", VENDORS)
def test_identities_mirror_alibaba(vendor):
    """Alibaba's LocalId is what the device expects, its RemoteId what the device presents (aggressive mode: FQDN)."""
    tunnels = _edited("pairs/ikev1-map.json", IkeMode="aggressive", LocalId="ali.example.com",
                      RemoteId="branch.example.com")
    dev, errors = _errors(tunnels, generate(tunnels, vendor, "policy"))
    assert errors == []
    ep = dev.endpoints[0]
    assert (ep.ike.mode, str(ep.ike.remote_id), str(ep.ike.local_id)) == (
        "aggressive", "fqdn:ali.example.com", "fqdn:branch.example.com")


@pytest.mark.parametrize("vendor", VENDORS)
def test_pfs_off_dpd_off_and_lifetimes(vendor):
    tunnels = _edited("pairs/ikev1-map.json", IpsecPfs="disabled", IkeLifetime=28800, IpsecLifetime=7200)
    tunnels[0].endpoint.ike.dpd.enabled = False
    dev, errors = _errors(tunnels, generate(tunnels, vendor, "policy"))
    assert errors == []
    ep = dev.endpoints[0]
    assert (ep.ipsec.pfs_group, ep.ike.dpd.enabled, ep.ipsec.lifetime_s) == (None, False, 7200)
    assert {p.lifetime_s for p in ep.ike.proposals} == {28800}


def test_h3c_several_flows_share_one_sa():
    """Alibaba negotiates one SA for all its CIDR pairs: Comware's `security acl N aggregation` does the same, so
    MultiCidrPerSa has nothing to say; VRP (one SA per ACL rule) keeps the warning and the output says why."""
    tunnels = alibaba.load(str(FIXTURES / "huawei" / "usg-two-flows.json"), _vpngw())
    assert len(tunnels[0].endpoint.selectors) > 1
    codes = {}
    for vendor in VENDORS:
        text = generate(tunnels, vendor, "policy")
        dev = parse_device(text, "generated.cfg")
        codes[vendor] = {f.code for r in check(tunnels, dev) for f in r.findings if f.severity == "warning"}
        if vendor == "h3c-comware":
            assert " security acl 3000 aggregation" in text and not dev.endpoints[0].per_pair_sas
        else:
            assert "Alibaba keys them all in one SA" in text
    assert codes == {"huawei-vrp": {"MultiCidrPerSa"}, "h3c-comware": set()}


@pytest.mark.parametrize("vendor", VENDORS)
def test_lifetime_zero_writes_the_device_default(vendor):
    """Alibaba's 0 s lifetime is no value a device takes: the IKE default is written, so no release-dependent
    default is left for the parser to warn about."""
    tunnels = _edited("pairs/ikev1-map.json", IkeLifetime=0, IpsecLifetime=0)
    text = generate(tunnels, vendor, "policy")
    dev, errors = _errors(tunnels, text)
    assert errors == [] and dev.diagnostics == []
    assert " sa duration 86400" in text and "IkeLifetime = 0" in text


@pytest.mark.parametrize("vendor", VENDORS)
def test_private_remote_id_means_the_device_is_behind_nat(vendor):
    """A private RemoteId is the address the device holds behind a NAT: its WAN interface gets it, the NAT is named
    in a comment, and PeerMismatch says "works through a NAT" (a warning); without NAT-T the writer refuses."""
    tunnels = _edited("pairs/ikev1-map.json", RemoteId="192.168.10.2")
    tunnels[0].endpoint.peer_address = "203.0.113.60"  # the customer gateway IP (DescribeCustomerGateway)
    text = generate(tunnels, vendor, "policy")
    dev, errors = _errors(tunnels, text)
    assert errors == []
    assert dev.endpoints[0].local_address == "192.168.10.2" and "behind NAT" in text
    tunnels[0].endpoint.ike.nat_traversal = False
    with pytest.raises(GenerateRefused) as exc:
        generate(tunnels, vendor, "policy")
    assert exc.value.field.endswith("EnableNatTraversal")


def test_public_remote_id_other_than_the_customer_gateway():
    """Comware presents any address it is told (`local-identity address`); VRP presents the address the tunnel leaves
    from, so it refuses a public RemoteId that is not the customer gateway IP."""
    tunnels = _edited("pairs/ikev1-map.json", RemoteId="198.18.7.9")
    tunnels[0].endpoint.peer_address = "203.0.113.60"
    dev, errors = _errors(tunnels, generate(tunnels, "h3c-comware", "policy"))
    assert errors == [] and str(dev.endpoints[0].ike.local_id) == "ip:198.18.7.9"
    with pytest.raises(GenerateRefused) as exc:
        generate(tunnels, "huawei-vrp", "policy")
    assert (exc.value.field, exc.value.value) == ("IkeConfig.RemoteId", "198.18.7.9")
