"""Small helpers shared by rule modules (not a rule module itself)."""
from __future__ import annotations

import ipaddress

from analyzer.model import Endpoint, IkeProposal, IpsecProposal, Source


def ali_ike(ep: Endpoint) -> IkeProposal:
    return ep.ike.proposals[0]


def ali_esp(ep: Endpoint) -> IpsecProposal:
    return ep.ipsec.proposals[0]


def offered(proposals, attr: str) -> list:
    seen: list = []
    for p in proposals:
        for v in getattr(p, attr):
            if v not in seen:
                seen.append(v)
    return seen


def ike_matches(ali: IkeProposal, proposals: list[IkeProposal], version: str) -> list[IkeProposal]:
    """Device proposals that accept Alibaba's single IKE transform (enc + integrity + DH + PSK auth)."""
    out = []
    for p in proposals:
        if (ali.encryption[0] in p.encryption and ali.integrity[0] in p.integrity and ali.dh_groups[0] in p.dh_groups
                and p.auth_method == "pre-share"
                and (version != "ikev2" or not p.prf or ali.integrity[0] in p.prf)):
            out.append(p)
    return out


def esp_matches(ali: IpsecProposal, proposals: list[IpsecProposal]) -> list[IpsecProposal]:
    return [p for p in proposals if p.protocol == "esp" and p.mode == "tunnel"
            and ali.encryption[0] in p.encryption and ali.integrity[0] in p.integrity]


def first_src(proposals, attr: str) -> Source | None:
    for p in proposals:
        s = p.at(attr)
        if s is not None:
            return s
    return None


_PRIVATE = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")]


def is_private(ip: str | None) -> bool:
    """RFC 1918 or carrier-grade NAT space: an address that reaches the internet only through NAT.
    (Python's is_private also counts documentation ranges, which are routable in our fixtures.)"""
    try:
        addr = ipaddress.ip_address(ip) if ip else None
    except ValueError:
        return False
    return addr is not None and any(addr in n for n in _PRIVATE)


def unsupported_only(proposals, attr: str, allowed) -> tuple[list, object]:
    """(values offered, where) when the device offers values for ``attr`` but none that Alibaba supports."""
    have = offered(proposals, attr)
    if not have or any(v in allowed for v in have):
        return [], None
    return have, first_src(proposals, attr)
