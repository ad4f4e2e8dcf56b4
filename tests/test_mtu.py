"""Issue 11 item 11: MtuTooLarge uses Alibaba's formula, maximum user MTU = min(public interface MTU, path MTU)
- 101 (Alibaba "Configure MTUs"). The WAN interface MTU is an input to the limit, never the value compared:
route-based, the tunnel interface MTU and the TCP MSS are compared; policy-based (no tunnel interface), the
TCP MSS only. An unknown WAN MTU or path MTU is named as the 1500-byte assumption in the message."""
import json

from analyzer.lint import lint
from conftest import FIXTURES, edit, load_pair
from parsers.registry import parse_device

CONN, IOS = load_pair("ikev1-map")
DUAL, VTI = load_pair("ikev2-dual")
VPNGW = json.loads((FIXTURES / "pairs" / "vpngw.json").read_text())
ASA = (FIXTURES / "pairs" / "ikev1-map.asa.cfg").read_text()

WAN = " ip address 203.0.113.60 255.255.255.252\n"
# A PPPoE uplink the way IOS exports it: the physical port joins a dial pool, the Dialer carries the address,
# the crypto map and the MTU (1500 - 8 bytes of PPPoE header).
PPPOE_MAP = edit(IOS, ("interface GigabitEthernet0/1\n description uplink to carrier\n ip address 203.0.113.60 "
                       "255.255.255.252\n ip access-group WAN-IN in\n ip nat outside\n duplex auto\n speed auto\n"
                       " crypto map CMAP-WAN\n",
                       "interface GigabitEthernet0/1\n description uplink to carrier (PPPoE)\n no ip address\n"
                       " duplex auto\n speed auto\n pppoe enable group global\n pppoe-client dial-pool-number 1\n!\n"
                       "interface Dialer1\n ip address 203.0.113.60 255.255.255.252\n ip access-group WAN-IN in\n"
                       " ip mtu 1492\n ip nat outside\n encapsulation ppp\n ip tcp adjust-mss 1452\n dialer pool 1\n"
                       " crypto map CMAP-WAN\n"),
                 ("interface GigabitEthernet0/1 overload", "interface Dialer1 overload"))
PPPOE_VTI = edit(VTI, ("tunnel source GigabitEthernet1", "tunnel source Dialer1"),
                 ("tunnel source GigabitEthernet1", "tunnel source Dialer1"),
                 ("interface GigabitEthernet1\n description internet\n ip address 203.0.113.70 255.255.255.240\n"
                  " negotiation auto\n",
                  "interface GigabitEthernet1\n description internet (PPPoE)\n no ip address\n negotiation auto\n"
                  " pppoe enable group global\n pppoe-client dial-pool-number 1\n!\n"
                  "interface Dialer1\n ip address 203.0.113.70 255.255.255.240\n ip mtu 1492\n encapsulation ppp\n"
                  " dialer pool 1\n"))


def _mtu(results):
    return [f for r in results for f in r.findings if f.code == "MtuTooLarge"]


def _run_vti(run, text):
    return run(DUAL, text, vpngw=VPNGW)


def test_wan_ip_mtu_1500_is_an_input_not_a_violation(run):
    """The defect: `ip mtu 1500` on the crypto-map interface got "exceeds 1399". 1500 is the WAN MTU."""
    text = edit(IOS, (WAN, WAN + " ip mtu 1500\n"))
    (ep,) = parse_device(text, "edge.cfg").endpoints
    assert (ep.wan_mtu, ep.tunnel_mtu) == (1500, None)
    assert ep.at("wan_mtu").text == "ip mtu 1500"
    assert _mtu(run(CONN, text)) == []


def test_policy_based_mss_over_the_wan_derived_limit(run):
    """PPPoE at 1492: user MTU limit 1391, MSS limit 1351; the usual PPPoE clamp 1452 is too large."""
    (ep,) = parse_device(PPPOE_MAP, "edge.cfg").endpoints
    assert (ep.interface, ep.wan_mtu, ep.tunnel_mtu, ep.tcp_mss) == ("Dialer1", 1492, None, 1452)
    (f,) = _mtu(run(CONN, PPPOE_MAP))
    assert f.severity == "warning"
    assert "1452" in f.message and "1351" in f.message and "1492" in f.message
    assert "exceeds 1399" not in f.message


def test_policy_based_mss_within_the_limit_passes(run):
    assert _mtu(run(CONN, edit(PPPOE_MAP, ("adjust-mss 1452", "adjust-mss 1351")))) == []


def test_layer2_mtu_is_the_wan_mtu_when_no_ip_mtu(run):
    text = edit(PPPOE_MAP, (" ip mtu 1492\n", " mtu 1492\n"))
    (ep,) = parse_device(text, "edge.cfg").endpoints
    assert ep.wan_mtu == 1492
    (f,) = _mtu(run(CONN, text))
    assert "1351" in f.message


def test_ip_mtu_below_layer2_mtu_wins():
    text = edit(PPPOE_MAP, (" ip mtu 1492\n", " mtu 1500\n ip mtu 1492\n"))
    (ep,) = parse_device(text, "edge.cfg").endpoints
    assert ep.wan_mtu == 1492


def test_route_based_tunnel_mtu_over_a_pppoe_limit(run):
    """The defect: a PPPoE dialer at 1492 with tunnel MTU 1399 passed; the limit is 1492 - 101 = 1391."""
    eps = parse_device(PPPOE_VTI, "edge.cfg").endpoints
    assert {(e.wan_mtu, e.tunnel_mtu) for e in eps} == {(1492, 1399)}
    found = _mtu(_run_vti(run, PPPOE_VTI))
    assert found and {f.severity for f in found} == {"warning"}
    tunnel = [f for f in found if "MTU 1399" in f.message]
    assert tunnel and all("1391" in f.message for f in tunnel)


def test_route_based_within_the_pppoe_limit_passes(run):
    text = PPPOE_VTI.replace(" ip mtu 1399\n ip tcp adjust-mss 1359", " ip mtu 1391\n ip tcp adjust-mss 1351")
    assert _mtu(_run_vti(run, text)) == []


def test_unknown_wan_mtu_names_the_1500_assumption(run):
    text = VTI.replace(" ip mtu 1399", " ip mtu 1450")
    eps = parse_device(text, "edge.cfg").endpoints
    assert {e.wan_mtu for e in eps} == {None}
    found = [f for f in _mtu(_run_vti(run, text)) if "1450" in f.message]
    assert found
    for f in found:
        assert "1399" in f.message and "1500" in f.message and "assumed" in f.message


def test_clean_route_based_pair_passes(run):
    assert _mtu(_run_vti(run, VTI)) == []


def test_jumbo_wan_mtu_still_limited_by_the_path(run):
    """A 9000-byte WAN interface does not raise the limit: the Internet path MTU (unknown, 1500) does."""
    text = VTI.replace(" negotiation auto\n!\ninterface GigabitEthernet2", " mtu 9000\n negotiation auto\n!\n"
                       "interface GigabitEthernet2", 1)
    assert {e.wan_mtu for e in parse_device(text, "edge.cfg").endpoints} == {9000}
    assert _mtu(_run_vti(run, text)) == []
    found = _mtu(_run_vti(run, text.replace(" ip mtu 1399", " ip mtu 1400")))
    assert found and all("1399" in f.message and "path" in f.message for f in found)


def test_asa_global_mtu_line_is_the_wan_mtu():
    text = edit(ASA, ("access-list VPN-ALIYUN", "mtu outside 1492\nmtu inside 1500\naccess-list VPN-ALIYUN"))
    (ep,) = parse_device(text, "edge.cfg").endpoints
    assert (ep.wan_mtu, ep.tunnel_mtu) == (1492, None)
    assert ep.at("wan_mtu").text == "mtu outside 1492"


def test_lint_applies_the_same_limit():
    """Device-only: the formula needs no Alibaba input, so `lint` reports the PPPoE tunnel MTU too."""
    found = [f for f in lint(parse_device(PPPOE_VTI, "edge.cfg")).findings if f.code == "MtuTooLarge"]
    assert found and all(f.severity == "warning" and f.alibaba is None for f in found)
    assert any("tunnel MTU 1399" in f.message and "1391" in f.message for f in found)
    assert [f for f in lint(parse_device(VTI, "edge.cfg")).findings if f.code == "MtuTooLarge"] == []


def test_asa_vti_takes_the_wan_mtu_of_its_tunnel_source():
    text = (FIXTURES / "asa" / "vti-bgp-ikev2.asa.cfg").read_text().replace("mtu outside 1500", "mtu outside 1492")
    eps = parse_device(text, "edge.cfg").endpoints
    assert eps and {(e.kind, e.wan_mtu) for e in eps} == {("route", 1492)}


def test_ios_tunnel_source_given_as_an_address_finds_its_interface():
    """`tunnel source 203.0.113.70`: the WAN MTU is that of the interface holding the address (kept here by
    its NAT line; an interface no kept block names is not parsed, and the message then assumes 1500)."""
    text = VTI.replace("tunnel source GigabitEthernet1", "tunnel source 203.0.113.70").replace(
        " ip address 203.0.113.70 255.255.255.240\n",
        " ip address 203.0.113.70 255.255.255.240\n ip mtu 1492\n ip nat outside\n")
    assert {e.wan_mtu for e in parse_device(text, "edge.cfg").endpoints} == {1492}
