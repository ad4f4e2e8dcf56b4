"""Issue 11 item 10: a crypto ACL entry limited to one protocol (GRE over IPsec: `permit gre ...`) is not an
`ip` selector. Alibaba's flows are any-protocol CIDR pairs (it proposes protocol 0); IKEv1 quick-mode IDs
carry the protocol and must match exactly, so a `gre` selector is an error there. IKEv2 (RFC 7296 section 2.9)
lets a responder narrow, protocol included, but whether Alibaba accepts that is not documented: a warning that
says it cannot be verified. Every case below has its clean `ip` counterpart."""
import json

import pytest

from analyzer.lint import lint
from conftest import FIXTURES, edit, load_pair
from parsers.registry import parse_device

CONN, IOS = load_pair("ikev1-map")
ASA_CONN = json.loads((FIXTURES / "pairs" / "ikev1-map.asa.json").read_text())
ASA = (FIXTURES / "pairs" / "ikev1-map.asa.cfg").read_text()
HUAWEI = (FIXTURES / "pairs" / "ikev1-map.huawei.cfg").read_text()
H3C = (FIXTURES / "pairs" / "ikev1-map.h3c.cfg").read_text()
V2_CONN, IOS_V2 = load_pair("ikev2-map")

IOS_ACL = "permit ip 172.20.8.0 0.0.3.255 10.60.0.0 0.0.255.255"
VRP_RULE = "rule 5 permit ip source 172.20.8.0 0.0.3.255 destination 10.60.0.0 0.0.255.255"
ASA_ACE = "access-list VPN-ALIYUN extended permit ip object DC-LAN object ALIYUN-VPC"


def _numbered_host_acl(proto: str) -> str:
    """GRE over IPsec on a crypto map, the way IOS shows it: a numbered ACL between two hosts."""
    return edit(IOS, ("match address VPN-ALIYUN", "match address 101"),
                ("line vty 0 4", f"access-list 101 permit {proto} host 172.20.8.1 host 10.60.1.10\n!\nline vty 0 4"))


def _host_conn() -> dict:
    conn = json.loads(json.dumps(CONN))
    conn["LocalSubnet"], conn["RemoteSubnet"] = "10.60.1.10/32", "172.20.8.1/32"
    return conn


def _fix_text(fix) -> str:
    """A fix's command block and note as one text (a fix is a plain sentence or a Fix)."""
    if isinstance(fix, str):
        return fix
    return "\n".join(fix.device) + "\n" + (fix.note or "")


def _selector_findings(results):
    return [f for r in results for f in r.findings if f.code == "TrafficSelectorMismatch"]


# (id, connection, device config with a gre selector, the same config with ip)
IKEV1 = [
    ("ios-numbered-host", _host_conn(), _numbered_host_acl("gre"), _numbered_host_acl("ip")),
    ("ios-extended-named", CONN, edit(IOS, (IOS_ACL, IOS_ACL.replace("ip", "gre", 1))), IOS),
    ("ios-protocol-number", CONN, edit(IOS, (IOS_ACL, IOS_ACL.replace("ip", "47", 1))), IOS),
    ("asa-extended", ASA_CONN, edit(ASA, (ASA_ACE, ASA_ACE.replace("permit ip", "permit gre"))), ASA),
    ("huawei-rule", CONN, edit(HUAWEI, (VRP_RULE, VRP_RULE.replace("permit ip", "permit gre"))), HUAWEI),
    ("h3c-rule", CONN, edit(H3C, (VRP_RULE, VRP_RULE.replace("permit ip", "permit gre"))), H3C),
]


@pytest.mark.parametrize("conn,gre,_", [c[1:] for c in IKEV1], ids=[c[0] for c in IKEV1])
def test_ikev1_protocol_limited_selector_is_an_error(run, conn, gre, _):
    found = _selector_findings(run(conn, gre))
    assert [f.severity for f in found] == ["error"], [f.message for f in found]
    f = found[0]
    assert "gre" in f.message or "47" in f.message
    assert "IKEv1" in f.message and "any protocol" in f.message
    assert f.device is not None and f.device.line is not None  # points at the ACL entry
    fix = _fix_text(f.fix)
    assert " ip " in fix and " gre " not in fix and " 47 " not in fix, fix  # the fix protects the flows as ip


@pytest.mark.parametrize("conn,_,clean", [c[1:] for c in IKEV1], ids=[c[0] for c in IKEV1])
def test_ip_selector_still_passes(run, conn, _, clean):
    assert _selector_findings(run(conn, clean)) == []


def test_ikev2_protocol_limited_selector_is_a_cannot_verify_warning(run):
    acl = "10 permit ip 192.168.50.0 0.0.0.255 10.90.1.0 0.0.0.255"
    found = _selector_findings(run(V2_CONN, edit(IOS_V2, (acl, acl.replace("permit ip", "permit gre")))))
    assert [f.severity for f in found] == ["warning"], [f.message for f in found]
    assert "cannot verify" in found[0].message and "gre" in found[0].message
    assert _selector_findings(run(V2_CONN, IOS_V2)) == []


def test_ikev1_gre_next_to_an_exact_ip_selector_is_only_an_extra(run):
    """The `ip` line negotiates; the `gre` line for the same addresses is a second SA Alibaba never agrees to
    (and the `ip` line above it already selects GRE): a warning, not an error."""
    text = edit(IOS, (IOS_ACL, f"{IOS_ACL}\n {IOS_ACL.replace('ip', 'gre', 1)}"))
    found = _selector_findings(run(CONN, text))
    assert found and {f.severity for f in found} == {"warning"}, [(f.severity, f.message) for f in found]


@pytest.mark.parametrize("text,severity", [
    (edit(IOS, (IOS_ACL, IOS_ACL.replace("ip", "gre", 1))), "error"),
    (edit(IOS_V2, ("10 permit ip 192.168.50.0", "10 permit gre 192.168.50.0")), "warning"),
    (edit(HUAWEI, (VRP_RULE, VRP_RULE.replace("permit ip", "permit gre"))), "error"),
], ids=["ios-ikev1", "ios-ikev2", "huawei-ikev1"])
def test_lint_flags_protocol_limited_selector(text, severity):
    result = lint(parse_device(text, "edge.cfg"))
    found = [f for f in result.findings if f.code == "TrafficSelectorMismatch"]
    assert [f.severity for f in found] == [severity], [f.message for f in found]
    assert "gre" in found[0].message and found[0].alibaba is None


@pytest.mark.parametrize("text", [IOS, IOS_V2, HUAWEI, _numbered_host_acl("ip")])
def test_lint_leaves_ip_selectors_alone(text):
    result = lint(parse_device(text, "edge.cfg"))
    assert result.endpoint
    assert [f for f in result.findings if f.code == "TrafficSelectorMismatch"] == []


def test_many_protocol_limited_selectors_are_one_bounded_finding(run):
    """IKEv2, 12 GRE host pairs inside the flow: one warning naming the first ones, not twelve findings."""
    conn = json.loads(json.dumps(V2_CONN))
    acl = "10 permit ip 192.168.50.0 0.0.0.255 10.90.1.0 0.0.0.255"
    lines = "\n".join(f" {10 + i} permit gre host 192.168.50.{i} host 10.90.1.{i}" for i in range(1, 13))
    found = _selector_findings(run(conn, edit(IOS_V2, (acl, acl + "\n" + lines))))
    limited = [f for f in found if "limited to one protocol" in f.message]
    assert len(limited) == 1 and limited[0].severity == "warning"
    assert "12 device selectors" in limited[0].message and "cannot verify" in limited[0].message
