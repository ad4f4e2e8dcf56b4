"""Huawei VRP / H3C Comware: the outside interface's `mtu` (e.g. a PPPoE dialer at 1492) is an input to
Alibaba's user-MTU limit, min(WAN MTU, path MTU) - 101 (analyzer/rules/faq.py, MtuTooLarge)."""
from conftest import FIXTURES, edit
from parsers.registry import parse_device

HUAWEI = (FIXTURES / "pairs" / "ikev1-map.huawei.cfg").read_text()
H3C = (FIXTURES / "pairs" / "ikev1-map.h3c.cfg").read_text()


def _wan(text: str, anchor: str, extra: str):
    ep = parse_device(edit(text, (anchor, anchor + extra)), "x.cfg").endpoints[0]
    return ep


def test_huawei_wan_mtu_and_mss_clamp_are_read_from_the_policy_interface():
    ep = _wan(HUAWEI, " ipsec policy ALIYUN-MAP\n", " mtu 1492\n tcp adjust-mss 1400\n")
    assert (ep.wan_mtu, ep.tcp_mss) == (1492, 1400)
    assert ep.src["wan_mtu"].text.strip() == "mtu 1492"


def test_h3c_wan_mtu_is_read_from_the_policy_interface():
    ep = _wan(H3C, " ipsec apply policy ALIYUN-MAP\n", " mtu 1492\n")
    assert ep.wan_mtu == 1492


def test_without_an_mtu_line_the_wan_mtu_is_unknown():
    ep = parse_device(HUAWEI, "x.cfg").endpoints[0]
    assert ep.wan_mtu is None and ep.tcp_mss is None


def test_a_tunnel_mtu_finding_points_at_the_mtu_line(run):
    """SARIF annotations land on the line a finding names: the tunnel's `mtu` / `tcp mss` line, not its header."""
    import json

    conn = json.loads((FIXTURES / "h3c" / "cmw7-ikev2-route.json").read_text())
    cfg = edit((FIXTURES / "h3c" / "cmw7-ikev2-route.cfg").read_text(),
               (" tunnel protection ipsec profile ALIYUN-V2\n",
                " tunnel protection ipsec profile ALIYUN-V2\n mtu 1450\n tcp mss 1400\n"))
    hits = [f for r in run(conn, cfg) for f in r.findings if f.code == "MtuTooLarge"]
    assert sorted(f.device.text.strip() for f in hits) == ["mtu 1450", "tcp mss 1400"]
    assert sorted(f.device.line for f in hits) == [20, 21]
