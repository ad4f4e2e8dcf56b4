"""Checks only an audit can make: across every connection of one customer gateway or one VPN gateway."""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from analyzer.algorithms import dh_name
from analyzer.i18n import N_, _
from analyzer.model import AlibabaTunnel, Source
from analyzer.rules import Hit, audit_rule
from analyzer.rules.common import LIST_CAP, Ranges, span


@dataclass
class PairedWith:
    device: str
    vendor: str
    endpoint: str
    kind: str  # policy | route | dynamic


@dataclass
class AuditView:
    tunnels: list  # AlibabaTunnel models, or their CrossTunnel records (what an audit's parent keeps)
    paired: dict[str, PairedWith] = field(default_factory=dict)  # tunnel key -> the device side it paired with


def tunnel_key(t: AlibabaTunnel) -> str:
    return f"{t.connection_id or t.connection_name or t.file}/{t.tunnel_id or '-'}"


class CrossTunnel(NamedTuple):
    """What the rules of this module read of one tunnel, as plain values (strings, numbers, tuples: marshal can
    store it, so an audit keeps it next to the pickled model and never unpickles the model for these rules).
    A Source is kept as the tuple of its field values (``_SOURCE_FIELDS``), rebuilt only for a finding."""
    file: str
    connection_key: str
    key: str  # tunnel_key
    customer_gateway: str | None  # customer_gateway_id, else the customer-gateway IP
    vpn_gateway: str | None  # vpn_gateway_id, else the gateway IP
    protected_flows: bool  # routing_mode == "protected-flows"
    ike: tuple  # _ike_signature
    ike_field: str  # the IkeConfig path _ike_source names
    remote_id: str  # str(endpoint.ike.remote_id)
    remote_id_src: tuple | None
    selectors: tuple  # (local first, local last, remote first, remote last, str(selector)) per selector, in order
    selectors_src: tuple | None


_SOURCE_FIELDS = tuple(Source.model_fields)


def _source_values(src: Source | None) -> tuple | None:
    return None if src is None else tuple(getattr(src, f) for f in _SOURCE_FIELDS)


def _source(values: tuple | None) -> Source | None:
    return None if values is None else Source(**dict(zip(_SOURCE_FIELDS, values)))


def cross_tunnel(t: "AlibabaTunnel | CrossTunnel") -> CrossTunnel:
    """The record of a tunnel (a record is returned as it is)."""
    if isinstance(t, CrossTunnel):
        return t
    ep = t.endpoint
    p = ep.ike.proposals[0]
    src = p.src.get("encryption") or p.src.get("integrity")
    sels = tuple((*span(s.local), *span(s.remote), str(s)) for s in ep.selectors)
    return CrossTunnel(t.file, t.connection_key, tunnel_key(t), t.customer_gateway_id or ep.peer_address,
                       t.vpn_gateway_id or ep.local_address, t.routing_mode == "protected-flows", _ike_signature(t),
                       src.field.rsplit(".", 1)[0] if src and src.field else "IkeConfig", str(ep.ike.remote_id),
                       _source_values(ep.ike.src.get("remote_id")), sels, _source_values(ep.src.get("selectors")))


def _ike_signature(t: AlibabaTunnel) -> tuple:
    ike = t.endpoint.ike
    p = ike.proposals[0]
    return (ike.version, ike.mode if ike.version == "ikev1" else "-", p.encryption[0], p.integrity[0],
            dh_name(p.dh_groups[0]), p.lifetime_s)


_SIG = (N_("version"), N_("mode"), N_("encryption"), N_("authentication"), N_("DH group"), N_("lifetime"))


def _by(tunnels, key):
    groups: dict = defaultdict(list)
    for t in tunnels:
        k = key(t)
        if k:
            groups[k].append(t)
    return groups


@audit_rule("CustomerGatewayInconsistent", "error", N_("Connections on one customer gateway disagree"),
            N_("Alibaba IPsec-VPN FAQ: several connections on one customer gateway must use the same IKE "
               "configuration (version, mode, enc, auth, DH, lifetime) and consistent LocalId/RemoteId."),
            alibaba_code="ProposalMismatch")
def customer_gateway_consistency(view: AuditView):
    """All connections that terminate on one customer gateway share one IKE configuration and identities."""
    groups = _by(map(cross_tunnel, view.tunnels), lambda t: t.customer_gateway)
    for cgw, tunnels in sorted(groups.items()):
        if len({t.connection_key for t in tunnels}) < 2:
            continue
        sigs = _by(tunnels, lambda t: t.ike)
        if len(sigs) > 1:
            differs = [_(name) for i, name in enumerate(_SIG) if len({s[i] for s in sigs}) > 1]
            detail = "; ".join(f"{', '.join(sorted({t.connection_key for t in ts}))}: "
                               f"{'/'.join(str(v) for v in sig)}" for sig, ts in sorted(sigs.items(), key=str))
            yield Hit(_("customer gateway {gateway} has connections with different IKE settings ({settings}): "
                        "{detail}. The device negotiates one IKE configuration with Alibaba, so some of these fail"
                        ).format(gateway=cgw, settings=", ".join(differs), detail=detail),
                      alibaba=_ike_source(sigs), alibaba_value=", ".join(differs),
                      fix=_("use one IkeConfig (version, mode, algorithms, DH group, lifetime) on every connection "
                            "of this customer gateway"),
                      related=sorted({t.connection_key for t in tunnels}))
        remote_ids = _by(tunnels, lambda t: t.remote_id)
        if len(remote_ids) > 1:
            yield Hit(_("customer gateway {gateway} is expected to present different identities (RemoteId {ids}) by "
                        "different connections; one device presents one").format(
                          gateway=cgw, ids=", ".join(sorted(remote_ids))),
                      alibaba=_source(tunnels[0].remote_id_src), alibaba_value=", ".join(sorted(remote_ids)),
                      fix=_("set the same IkeConfig.RemoteId on every connection of this customer gateway"),
                      related=sorted({t.connection_key for t in tunnels}))


def _ike_source(sigs: dict) -> Source:
    """Where the minority IKE configuration is written (the one to change, when one config dominates)."""
    t = min(sigs.values(), key=len)[0]
    return Source(file=t.file, field=t.ike_field)


def _overlaps(a: tuple, b: tuple) -> bool:
    """Two selectors of CrossTunnel.selectors meet on both sides."""
    return a[0] <= b[1] and b[0] <= a[1] and a[2] <= b[3] and b[2] <= a[3]


class _Flows:
    """One connection's protected flows as merged address ranges. Alibaba's flows are LocalSubnet x
    RemoteSubnet (every pair), so two connections overlap exactly when their local ranges meet and their
    remote ranges meet; flows that are not such a product (never from the Alibaba loader) are kept per pair."""

    def __init__(self, t: CrossTunnel) -> None:
        sels = t.selectors
        locs = {(s[0], s[1]) for s in sels}
        rems = {(s[2], s[3]) for s in sels}
        if len({s[:4] for s in sels}) == len(locs) * len(rems):
            self.boxes = [(Ranges(locs), Ranges(rems))] if sels else []
        else:
            self.boxes = [(Ranges([(s[0], s[1])]), Ranges([(s[2], s[3])])) for s in sels]
        self.key = tuple((tuple(lo.firsts), tuple(lo.lasts), tuple(re_.firsts), tuple(re_.lasts))
                         for lo, re_ in self.boxes)

    def meets(self, other: "_Flows") -> bool:
        return any(_ranges_meet(l1, l2) and _ranges_meet(r1, r2) for l1, r1 in self.boxes for l2, r2 in other.boxes)


def _ranges_meet(a: Ranges, b: Ranges) -> bool:
    if len(a.firsts) > len(b.firsts):
        a, b = b, a
    return any(b.meets(f, l) for f, l in zip(a.firsts, a.lasts))


def _overlap_classes(classes: list[_Flows]) -> list[int]:
    """For each class of identical flows, the bit set of the classes it overlaps (itself included when it
    holds flows). Boxes with one interval per side use four sorted prefix tables (interval arithmetic: a box
    meets u when it starts before u ends and ends after u starts, on both sides), so the work is one AND of
    bit sets per box instead of one test per pair of connections; other boxes are compared directly."""
    m = len(classes)
    simple = [i for i, c in enumerate(classes)
              if len(c.boxes) == 1 and len(c.boxes[0][0].firsts) == 1 and len(c.boxes[0][1].firsts) == 1]
    rest = [i for i in range(m) if not (len(classes[i].boxes) == 1 and len(classes[i].boxes[0][0].firsts) == 1
                                        and len(classes[i].boxes[0][1].firsts) == 1)]
    out = [0] * m
    if simple:
        box = {i: (classes[i].boxes[0][0].firsts[0], classes[i].boxes[0][0].lasts[0],
                   classes[i].boxes[0][1].firsts[0], classes[i].boxes[0][1].lasts[0]) for i in simple}

        def table(values: list[tuple[int, int]], descending: bool):
            """(sorted keys, bit set of the boxes up to each position) for "key <= x" or "key >= x" queries."""
            values.sort(reverse=descending)
            keys, sets, acc = [], [0], 0
            for v, i in values:
                acc |= 1 << i
                keys.append(-v if descending else v)
                sets.append(acc)
            return keys, sets

        lf = table([(box[i][0], i) for i in simple], False)  # local first <= u's local last
        ll = table([(box[i][1], i) for i in simple], True)   # local last >= u's local first
        rf = table([(box[i][2], i) for i in simple], False)
        rl = table([(box[i][3], i) for i in simple], True)
        for i in simple:
            f0, l0, f1, l1 = box[i]
            out[i] = (lf[1][bisect_right(lf[0], l0)] & ll[1][bisect_right(ll[0], -f0)]
                      & rf[1][bisect_right(rf[0], l1)] & rl[1][bisect_right(rl[0], -f1)])
    for i in rest:
        for j in range(m):
            if classes[i].meets(classes[j]):
                out[i] |= 1 << j
                out[j] |= 1 << i
    return out


def _first_clash(a: CrossTunnel, b: CrossTunnel, fb: _Flows):
    """The first (selector of a, selector of b) that overlap, in selector order, as the pairwise scan found it."""
    for x in a.selectors:
        if any(lo.meets(x[0], x[1]) and re_.meets(x[2], x[3]) for lo, re_ in fb.boxes):
            for y in b.selectors:
                if _overlaps(x, y):
                    return x, y
    return None


@audit_rule("OverlappingSelectors", "warning", N_("Connections of one VPN gateway overlap"),
            N_("Alibaba IPsec-VPN FAQ: if several connections on one VPN gateway have overlapping or containing "
               "selectors, the policy routes they create have equal priority and the order is not guaranteed, so "
               "return traffic may leave through another connection."))
def overlapping_selectors(view: AuditView):
    """Policy-based connections of one VPN gateway must protect non-overlapping flows."""
    groups = _by([t for t in map(cross_tunnel, view.tunnels) if t.protected_flows], lambda t: t.vpn_gateway)
    for gw, tunnels in sorted(groups.items()):
        per_conn: dict[str, CrossTunnel] = {}
        for t in tunnels:  # both tunnels of a dual-tunnel connection carry the same flows
            per_conn.setdefault(t.connection_key, t)
        names = sorted(per_conn)
        if len(names) < 2:
            continue
        # Connections with identical flows form one class; classes overlap or not as wholes.
        flows = {n: _Flows(per_conn[n]) for n in names}
        class_of: dict[tuple, int] = {}
        members: list[list[str]] = []
        for n in names:
            c = class_of.setdefault(flows[n].key, len(members))
            if c == len(members):
                members.append([])
            members[c].append(n)
        reps = [flows[ms[0]] for ms in members]
        meets = _overlap_classes(reps)
        # number of overlapping pairs of connections: k(k-1)/2 inside a class, k1*k2 across two classes
        sizes = [len(ms) for ms in members]
        weight_bits = [sum(1 << c for c, k in enumerate(sizes) if k >> j & 1) for j in range(max(sizes).bit_length())]
        total = 0
        for c, k in enumerate(sizes):
            partners = sum((meets[c] & w).bit_count() << j for j, w in enumerate(weight_bits))
            total += k * (partners - (k if meets[c] >> c & 1 else 0)) + (k * (k - 1) if meets[c] >> c & 1 else 0)
        total //= 2
        if not total:
            continue
        listed_pairs = []
        pos = {n: i for i, n in enumerate(names)}
        for a_name in names:
            c = class_of[flows[a_name].key]
            bits, found = meets[c], []
            while bits and len(found) < LIST_CAP:
                low = bits & -bits
                bits ^= low
                ms = members[low.bit_length() - 1]
                found.extend(m for m in ms[bisect_right(ms, a_name):][:LIST_CAP])
            found.sort(key=pos.__getitem__)
            listed_pairs.extend((a_name, b_name) for b_name in found[:LIST_CAP - len(listed_pairs)])
            if len(listed_pairs) >= LIST_CAP:
                break
        described = []
        for a_name, b_name in listed_pairs:
            a, b = per_conn[a_name], per_conn[b_name]
            x, y = _first_clash(a, b, flows[b_name]) or (a.selectors[0], b.selectors[0])
            same = x[:4] == y[:4]  # netaddr: networks are equal when their first and last addresses are
            described.append((a_name, b_name, a, x[4], y[4], same))
        if total <= LIST_CAP:
            for a_name, b_name, a, x, y, same in described:
                yield Hit(_("VPN gateway {gateway}: {clash}: their policy routes have equal priority, so return "
                            "traffic may leave through the wrong connection").format(
                              gateway=gw, clash=_clash(a_name, x, b_name, y, same)),
                          alibaba=_source(a.selectors_src), alibaba_value=x, fix=_(_DISJOINT),
                          related=[a_name, b_name])
            continue
        a, x = described[0][2], described[0][3]
        shown = "; ".join(_clash(an, xx, bn, yy, same) for an, bn, _a, xx, yy, same in described)
        yield Hit(_("VPN gateway {gateway}: {total} pairs of connections overlap, among them {shown} ... and {more} "
                    "more pairs: their policy routes have equal priority, so return traffic may leave through the "
                    "wrong connection").format(gateway=gw, total=f"{total:,}", shown=shown,
                                               more=f"{total - len(described):,}"),
                  alibaba=_source(a.selectors_src), alibaba_value=x, fix=_(_DISJOINT),
                  related=sorted({n for an, bn, *_rest in described for n in (an, bn)}))


_DISJOINT = N_("make the LocalSubnet/RemoteSubnet of these connections disjoint, or give their policy routes "
               "different priorities")


def _clash(a_name: str, x: str, b_name: str, y: str, same: bool) -> str:
    """Two connections whose flows meet, as a finding names them."""
    text = _("{a} ({a_flow}) and {b} ({b_flow}) protect the same flow") if same else \
        _("{a} ({a_flow}) and {b} ({b_flow}) overlap")
    return text.format(a=a_name, a_flow=x, b=b_name, b_flow=y)


# Device families that bring up one SA at a time when two peers carry identical selectors (Alibaba's FAQ names ASA).
ONE_SA_AT_A_TIME = {"cisco-asa"}


@audit_rule("DualTunnelAlternation", "warning", N_("Dual tunnels take turns on this device"),
            N_("Alibaba IPsec-VPN FAQ: some devices (Cisco ASA is the named example) establish only one tunnel at a "
               "time when both tunnels of a dual-tunnel connection carry identical selectors, and the two tunnels "
               "take turns."))
def dual_tunnel_alternation(view: AuditView):
    """A dual-tunnel connection with identical flows on both tunnels, paired with a policy-based ASA."""
    for conn, tunnels in sorted(_by(map(cross_tunnel, view.tunnels), lambda t: t.connection_key).items()):
        if len(tunnels) < 2:
            continue
        flows = {tuple(sorted(s[4] for s in t.selectors)) for t in tunnels}
        if len(flows) != 1:
            continue
        devices = [view.paired.get(t.key) for t in tunnels]
        hits = [d for d in devices if d and d.vendor in ONE_SA_AT_A_TIME and d.kind == "policy"]
        if hits:
            d = hits[0]
            yield Hit(_("{connection} has two tunnels with identical flows ({flows}) and pairs with {device} "
                        "({vendor}, {endpoint}), which establishes one of them at a time: the tunnels take turns "
                        "instead of standing by").format(
connection=conn, flows=", ".join(next(iter(flows))), device=d.device,
                                              vendor=d.vendor, endpoint=d.endpoint),
                      alibaba=_source(tunnels[0].selectors_src),
                      alibaba_value=", ".join(next(iter(flows))),
                      fix=_("use route-based tunnels (VTI) on the device, or a single-tunnel connection"),
                      related=[conn])
