"""Small helpers shared by rule modules (not a rule module itself)."""
from __future__ import annotations

import ipaddress
from bisect import bisect_left, bisect_right
from functools import lru_cache

from analyzer.i18n import _
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


def offered_text(proposals, have: list, render=str) -> str:
    """The device's values for one parameter, as a finding shows them; never empty. No value at all happens
    with AES-GCM (an AEAD cipher carries its own integrity, so a GCM-only proposal lists no integrity)."""
    if have:
        return ", ".join(render(v) for v in have)
    if any("gcm" in e for p in proposals for e in p.encryption):
        gcm = ", ".join(dict.fromkeys(e for p in proposals for e in p.encryption if "gcm" in e))
        return _("none (its proposals use {gcm}, which carries its own integrity; Alibaba offers no GCM cipher)"
                 ).format(gcm=gcm)
    return _("none")


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


@lru_cache(maxsize=4096)  # asked per pair and per rule about the same few addresses; parsing one costs ~10 us
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


# -- bounded output and interval arithmetic over address ranges (shared by selectors and cross) ----------

LIST_CAP = 10  # items one finding lists by name; the rest are counted ("... and N more")


def listed(items, sep: str = "; ", cap: int = LIST_CAP) -> str:
    """The first ``cap`` items joined, then "... and N more": a finding's text stays bounded however many
    selectors or CIDRs the inputs hold. Identical to a plain join when there are ``cap`` items or fewer."""
    items = items if isinstance(items, (list, tuple)) else list(items)
    shown = sep.join(str(x) for x in items[:cap])
    return shown if len(items) <= cap else _("{shown} ... and {more} more").format(shown=shown, more=len(items) - cap)


_V6 = 1 << 130  # IPv6 addresses are shifted past every IPv4 one, so the two families never meet


def span(net) -> tuple[int, int]:
    """A netaddr network as an integer interval [first, last] (IPv4 and IPv6 kept apart)."""
    off = _V6 if net.version == 6 else 0
    return net.first + off, net.last + off


class Ranges:
    """A set of addresses as sorted, merged [first, last] intervals: membership and intersection tests by
    bisection, whatever the number of CIDRs it was built from."""

    __slots__ = ("firsts", "lasts")

    def __init__(self, spans) -> None:
        self.firsts: list[int] = []
        self.lasts: list[int] = []
        for f, l in sorted(spans):
            if self.lasts and f <= self.lasts[-1] + 1:
                self.lasts[-1] = max(self.lasts[-1], l)
            else:
                self.firsts.append(f)
                self.lasts.append(l)

    def meets(self, first: int, last: int) -> bool:
        """Some address of [first, last] is in the set."""
        i = bisect_right(self.firsts, last) - 1
        return i >= 0 and self.lasts[i] >= first

    def __bool__(self) -> bool:
        return bool(self.firsts)


class Cidrs:
    """A list of CIDR blocks (given as spans) for the per-block questions a merged set cannot answer: is a block
    inside one of them, does one of them lie inside a block, which of them meet a block. CIDR blocks are nested
    or disjoint, so each question costs a bisection and at most one probe per prefix length."""

    def __init__(self, spans) -> None:
        ordered = sorted(set(spans))
        self.index = {sp: i for i, sp in enumerate(ordered)}
        self.firsts = [f for f, _ in ordered]
        self.lasts = [l for _, l in ordered]
        self.sizes = sorted({l - f + 1 for f, l in ordered})  # block sizes present: usually one or two

    def _supernets(self, first: int, last: int):
        """Positions of the blocks that contain the CIDR block [first, last] (itself included)."""
        off = _V6 if first >= _V6 else 0
        need = last - first + 1
        for size in self.sizes:
            if size >= need:
                f = (first - off) // size * size + off
                i = self.index.get((f, f + size - 1))
                if i is not None:
                    yield i

    def has_supernet_of(self, first: int, last: int) -> bool:
        off = _V6 if first >= _V6 else 0
        need, index = last - first + 1, self.index
        for size in self.sizes:
            if size >= need:
                f = (first - off) // size * size + off
                if (f, f + size - 1) in index:
                    return True
        return False

    def has_subnet_of(self, first: int, last: int) -> bool:
        """Some block of the list lies inside [first, last] (a CIDR block)."""
        i = bisect_left(self.firsts, first)
        while i < len(self.firsts) and self.firsts[i] == first:
            if self.lasts[i] <= last:
                return True
            i += 1
        return i < len(self.firsts) and self.firsts[i] <= last  # starts inside a CIDR block: nested in it

    def meeting(self, first: int, last: int) -> set[int]:
        """Positions of the blocks that share an address with the CIDR block [first, last]."""
        out = set(self._supernets(first, last))
        i = bisect_left(self.firsts, first)
        j = bisect_right(self.firsts, last)
        out.update(range(i, j))
        return out
