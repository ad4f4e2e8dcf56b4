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
