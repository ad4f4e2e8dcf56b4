"""Checks only an audit can make: across every connection of one customer gateway or one VPN gateway."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from analyzer.algorithms import dh_name
from analyzer.model import AlibabaTunnel, Source
from analyzer.rules import Hit, audit_rule


@dataclass
class PairedWith:
    device: str
    vendor: str
    endpoint: str
    kind: str  # policy | route | dynamic


@dataclass
class AuditView:
    tunnels: list[AlibabaTunnel]
    paired: dict[str, PairedWith] = field(default_factory=dict)  # tunnel key -> the device side it paired with


def tunnel_key(t: AlibabaTunnel) -> str:
    return f"{t.connection_id or t.connection_name or t.file}/{t.tunnel_id or '-'}"


def _ike_signature(t: AlibabaTunnel) -> tuple:
    ike = t.endpoint.ike
    p = ike.proposals[0]
    return (ike.version, ike.mode if ike.version == "ikev1" else "-", p.encryption[0], p.integrity[0],
            dh_name(p.dh_groups[0]), p.lifetime_s)


_SIG = ("version", "mode", "encryption", "authentication", "DH group", "lifetime")


def _by(tunnels, key):
    groups: dict = defaultdict(list)
    for t in tunnels:
        k = key(t)
        if k:
            groups[k].append(t)
    return groups


@audit_rule("CustomerGatewayInconsistent", "error", "Connections on one customer gateway disagree",
            "FAQ 13: several connections on one customer gateway must use the same IKE configuration (version, "
            "mode, enc, auth, DH, lifetime) and consistent LocalId/RemoteId.", alibaba_code="ProposalMismatch")
def customer_gateway_consistency(view: AuditView):
    """All connections that terminate on one customer gateway share one IKE configuration and identities."""
    groups = _by(view.tunnels, lambda t: t.customer_gateway_id or t.endpoint.peer_address)
    for cgw, tunnels in sorted(groups.items()):
        if len({t.connection_key for t in tunnels}) < 2:
            continue
        sigs = _by(tunnels, _ike_signature)
        if len(sigs) > 1:
            differs = [name for i, name in enumerate(_SIG) if len({s[i] for s in sigs}) > 1]
            detail = "; ".join(f"{', '.join(sorted({t.connection_key for t in ts}))}: "
                               f"{'/'.join(str(v) for v in sig)}" for sig, ts in sorted(sigs.items(), key=str))
            yield Hit(f"customer gateway {cgw} has connections with different IKE settings ({', '.join(differs)}): "
                      f"{detail}. The device negotiates one IKE configuration with Alibaba, so some of these fail",
                      alibaba=_ike_source(sigs), alibaba_value=", ".join(differs),
                      fix="use one IkeConfig (version, mode, algorithms, DH group, lifetime) on every connection of "
                          "this customer gateway",
                      related=sorted({t.connection_key for t in tunnels}))
        remote_ids = _by(tunnels, lambda t: str(t.endpoint.ike.remote_id))
        if len(remote_ids) > 1:
            yield Hit(f"customer gateway {cgw} is expected to present different identities (RemoteId "
                      f"{', '.join(sorted(remote_ids))}) by different connections; one device presents one",
                      alibaba=tunnels[0].endpoint.ike.src.get("remote_id"), alibaba_value=", ".join(sorted(remote_ids)),
                      fix="set the same IkeConfig.RemoteId on every connection of this customer gateway",
                      related=sorted({t.connection_key for t in tunnels}))


def _ike_source(sigs: dict) -> Source:
    """Where the minority IKE configuration is written (the one to change, when one config dominates)."""
    t = min(sigs.values(), key=len)[0]
    p = t.endpoint.ike.proposals[0]
    src = p.src.get("encryption") or p.src.get("integrity")
    field = src.field.rsplit(".", 1)[0] if src and src.field else "IkeConfig"
    return Source(file=t.file, field=field)


def _overlaps(a, b) -> bool:
    return a.first <= b.last and b.first <= a.last


@audit_rule("OverlappingSelectors", "warning", "Connections of one VPN gateway overlap",
            "FAQ 6: if several connections on one VPN gateway have overlapping or containing selectors, the policy "
            "routes they create have equal priority and the order is not guaranteed, so return traffic may leave "
            "through another connection.")
def overlapping_selectors(view: AuditView):
    """Policy-based connections of one VPN gateway must protect non-overlapping flows."""
    groups = _by([t for t in view.tunnels if t.routing_mode == "protected-flows"],
                 lambda t: t.vpn_gateway_id or t.endpoint.local_address)
    for gw, tunnels in sorted(groups.items()):
        per_conn: dict[str, AlibabaTunnel] = {}
        for t in tunnels:  # both tunnels of a dual-tunnel connection carry the same flows
            per_conn.setdefault(t.connection_key, t)
        names = sorted(per_conn)
        for i, a_name in enumerate(names):
            for b_name in names[i + 1:]:
                a, b = per_conn[a_name], per_conn[b_name]
                clash = [(x, y) for x in a.endpoint.selectors for y in b.endpoint.selectors
                         if _overlaps(x.local, y.local) and _overlaps(x.remote, y.remote)]
                if clash:
                    x, y = clash[0]
                    same = x.local == y.local and x.remote == y.remote
                    yield Hit(f"VPN gateway {gw}: {a_name} ({x}) and {b_name} ({y}) {'protect the same flow' if same else 'overlap'}"
                              ": their policy routes have equal priority, so return traffic may leave through the "
                              "wrong connection", alibaba=a.endpoint.src.get("selectors"), alibaba_value=str(x),
                              fix="make the LocalSubnet/RemoteSubnet of these connections disjoint, or give their "
                                  "policy routes different priorities",
                              related=[a_name, b_name])


# Device families that bring up one SA at a time when two peers carry identical selectors (FAQ 4 names ASA).
ONE_SA_AT_A_TIME = {"cisco-asa"}


@audit_rule("DualTunnelAlternation", "warning", "Dual tunnels take turns on this device",
            "FAQ 4: some devices (Cisco ASA is the named example) establish only one tunnel at a time when both "
            "tunnels of a dual-tunnel connection carry identical selectors, and the two tunnels take turns.")
def dual_tunnel_alternation(view: AuditView):
    """A dual-tunnel connection with identical flows on both tunnels, paired with a policy-based ASA."""
    for conn, tunnels in sorted(_by(view.tunnels, lambda t: t.connection_key).items()):
        if len(tunnels) < 2:
            continue
        flows = {tuple(sorted(str(s) for s in t.endpoint.selectors)) for t in tunnels}
        if len(flows) != 1:
            continue
        devices = [view.paired.get(tunnel_key(t)) for t in tunnels]
        hits = [d for d in devices if d and d.vendor in ONE_SA_AT_A_TIME and d.kind == "policy"]
        if hits:
            d = hits[0]
            yield Hit(f"{conn} has two tunnels with identical flows ({', '.join(next(iter(flows)))}) and pairs with "
                      f"{d.device} ({d.vendor}, {d.endpoint}), which establishes one of them at a time: the tunnels "
                      "take turns instead of standing by", alibaba=tunnels[0].endpoint.src.get("selectors"),
                      alibaba_value=", ".join(next(iter(flows))),
                      fix="use route-based tunnels (VTI) on the device, or a single-tunnel connection",
                      related=[conn])
