"""Refusals and notes every vendor's `generate` writer makes alike (Cisco IOS/ASA, Huawei VRP, H3C Comware), so the
four name the same Alibaba field in the same words."""
from __future__ import annotations

from analyzer.model import AlibabaTunnel
from parsers.generation import GenerateRefused


def _subnet_fields(t: AlibabaTunnel) -> tuple[str, str]:
    """The JSON names of Alibaba's (local, remote) subnets: the selectors' source names both, local first."""
    src = t.endpoint.src.get("selectors")
    names = [n.strip() for n in src.field.split(",")] if src is not None and src.field else []
    return (names[0], names[1]) if len(names) == 2 else ("LocalSubnet", "RemoteSubnet")


def refuse_subnets(t: AlibabaTunnel, vendor: str) -> None:
    """An empty LocalSubnet/RemoteSubnet leaves a crypto ACL with no rule: nothing would be protected."""
    local, remote = _subnet_fields(t)
    for name, nets in ((local, t.local_subnets), (remote, t.remote_subnets)):
        if not nets:
            raise GenerateRefused(name, "(empty)", vendor, "the connection names no subnet there, so the device "
                                                           "would have nothing to protect: set it in Alibaba")


def refuse_ikev1_pairs(t: AlibabaTunnel, vendor: str) -> None:
    """Alibaba keys only one IKEv1 CIDR pair (the checker's TrafficSelectorMismatch otherwise)."""
    if t.endpoint.ike.version == "ikev1" and (len(t.local_subnets) > 1 or len(t.remote_subnets) > 1):
        raise GenerateRefused(_subnet_fields(t)[0],
                              f"{','.join(map(str, t.local_subnets))} / {','.join(map(str, t.remote_subnets))}",
                              vendor, "Alibaba carries exactly one CIDR pair with IKEv1: use IKEv2 or one connection "
                                      "per CIDR pair")


def refuse_no_peer_asn(t: AlibabaTunnel, vendor: str) -> None:
    """Alibaba peers with the ASN it holds for the device (PeerAsn); a made-up one would never bring BGP up."""
    b = t.endpoint.bgp
    if b is not None and not b.peer_asn:
        where = b.source.field if b.source is not None and b.source.field else "BgpConfig"
        raise GenerateRefused(f"{where}.PeerAsn", "not in the input" if b.peer_asn is None else str(b.peer_asn), vendor,
                              "Alibaba peers with the device's ASN it holds (PeerAsn, the customer gateway's Asn) and "
                              "the input gives none; a made-up ASN would never bring BGP up: generate from a "
                              "connection that names it")


def defaulted_fields(t: AlibabaTunnel) -> list[str]:
    """The IKE/IPsec fields absent from the input that the loader filled with Alibaba's API defaults."""
    ep = t.endpoint
    srcs = (ep.ike.src, ep.ike.proposals[0].src, ep.ipsec.src, ep.ipsec.proposals[0].src)
    return list(dict.fromkeys(s.field for src in srcs for s in src.values()
                              if s is not None and s.defaulted and s.field))


def bgp_auth_note(t: AlibabaTunnel, label: str) -> str | None:
    """Alibaba's BGP session is MD5-authenticated (AuthKey): the device needs the same key, which this file never
    holds (a secret, like the Psk), and `check` does not compare BGP keys: said where the reader looks."""
    bgp = t.endpoint.bgp
    if bgp is None or not bgp.auth_key:
        return None
    return (f"{label}: Alibaba's BGP configuration carries an AuthKey (MD5): configure the same key on this BGP "
            "neighbor/peer (not written here: it is a secret; without it the BGP session does not come up)")


def defaulted_note(t: AlibabaTunnel, label: str) -> str | None:
    fields = defaulted_fields(t)
    if not fields:
        return None
    return f"{label}: {', '.join(fields)} not in the input: written with Alibaba's default (review them in the console)"
