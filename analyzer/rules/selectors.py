"""Traffic selectors (protected data flows) under the mirror rule, and multi-CIDR behaviour."""
from __future__ import annotations

from analyzer.model import SelectorPair
from analyzer.rules import Hit, lint_of, rule

ANY = "0.0.0.0/0"


def _mirror(pairs: list[SelectorPair]) -> list[SelectorPair]:
    """Alibaba pairs seen from the device: device local = Alibaba remote, device remote = Alibaba local."""
    return [SelectorPair(local=p.remote, remote=p.local, source=p.source) for p in pairs]


def _key(p: SelectorPair) -> tuple[str, str]:
    return str(p.local.cidr), str(p.remote.cidr)


def _contained(d: SelectorPair, a: SelectorPair) -> bool:
    return d.local in a.local and d.remote in a.remote


def _overlap(d: SelectorPair, a: SelectorPair) -> bool:
    return (d.local in a.local or a.local in d.local) and (d.remote in a.remote or a.remote in d.remote)


@rule("TrafficSelectorMismatch", "error", "Protected data flows mismatch",
      "IKEv1: exactly one CIDR pair is supported and both sides must be identical (no containment). IKEv2: several "
      "CIDRs allowed; Alibaba accepts containment (narrowing) but exact match is recommended. Always: Alibaba "
      "local == device remote, Alibaba remote == device local.")
def traffic_selectors(pair):
    """Compare the protected flows under the mirror rule; IKEv1 exact, IKEv2 containment tolerated (warning)."""
    ali, ep, t = pair.ali, pair.endpoint, pair.tunnel
    version = ali.ike.version
    sel_src = ali.src.get("selectors")
    if version == "ikev1" and (len(t.local_subnets) > 1 or len(t.remote_subnets) > 1):
        yield Hit(f"IKEv1 with {len(t.local_subnets)} local and {len(t.remote_subnets)} remote CIDR blocks: "
                  "Alibaba supports exactly one CIDR pair with IKEv1 (several blocks need IKEv2)",
                  alibaba=sel_src, alibaba_value=f"{','.join(map(str, t.local_subnets))} / "
                                                 f"{','.join(map(str, t.remote_subnets))}",
                  fix="set IkeConfig.IkeVersion = ikev2 on both sides, or create one connection per CIDR pair")
    if not ep.selectors:
        return
    want = _mirror(ali.selectors)
    have = ep.selectors
    fix = pair.fixer.selectors(ep, want)
    if {_key(p) for p in want} == {_key(p) for p in have}:
        return
    for d in have:
        if d.protocol not in ("ip", "any", "0"):
            yield Hit(f"device selector {d} is limited to protocol {d.protocol}; Alibaba protects all protocols",
                      severity="warning", device=d.source, fix=fix)
    exact = [d for d in have if any(_key(d) == _key(a) for a in want)]
    contained = [d for d in have if d not in exact and any(_contained(d, a) for a in want)]
    containing = [d for d in have if d not in exact and d not in contained and any(_contained(a, d) for a in want)]
    disjoint = [d for d in have if d not in exact and d not in contained and d not in containing]
    missing = [a for a in want if not any(_overlap(d, a) for d in have)]
    expected = "; ".join(str(p) for p in want)
    for d in disjoint:
        partial = any(_overlap(d, a) for a in want)
        yield Hit(f"device selector {d} {'only partly overlaps' if partial else 'is not among'} the mirrored Alibaba "
                  f"flows ({expected})", alibaba=sel_src, alibaba_value=expected, device=d.source, fix=fix)
    for d in contained + containing:
        how = "narrower than" if d in contained else "wider than"
        if version == "ikev1":
            yield Hit(f"device selector {d} is {how} the Alibaba flows ({expected}); IKEv1 requires identical "
                      "selectors", alibaba=sel_src, alibaba_value=expected, device=d.source, fix=fix)
        else:
            yield Hit(f"device selector {d} is {how} the Alibaba flows ({expected}); IKEv2 narrowing lets this "
                      "negotiate, but an exact match is recommended", severity="warning", alibaba=sel_src,
                      alibaba_value=expected, device=d.source, fix=fix)
    if version == "ikev1" and exact and len(have) > 1 and not disjoint:
        extra = [d for d in have if d not in exact]
        for d in extra:
            yield Hit(f"IKEv1 carries one CIDR pair; the extra device selector {d} never comes up",
                      severity="warning", device=d.source, fix=fix)
    for a in missing:
        yield Hit(f"Alibaba flow {a} (mirrored) has no matching device selector: that traffic is not protected",
                  alibaba=sel_src, alibaba_value=expected, device=ep.at("selectors"), fix=fix)


@rule("MultiCidrPerSa", "warning", "Several CIDR pairs, one SA per pair on the device",
      "FAQ 5: in protected-data-flow mode with several CIDRs, Alibaba negotiates ONE SA for all of them, while "
      "Cisco/H3C/Huawei policy-based configs negotiate one SA per CIDR pair, so only one pair passes traffic.",
      alibaba_code=None)
def multi_cidr(pair):
    """Several CIDR pairs on a policy-based device that builds one SA per pair: only one pair passes."""
    ali, ep = pair.ali, pair.endpoint
    if pair.tunnel.routing_mode != "protected-flows" or len(ali.selectors) < 2:
        return
    if ep.kind == "route" or not ep.per_pair_sas or len(ep.selectors) < 2:
        return
    yield Hit(f"Alibaba negotiates one SA for all {len(ali.selectors)} CIDR pairs, the device one SA per pair "
              f"({len(ep.selectors)} selectors): only one pair will pass traffic",
              alibaba=ali.src.get("selectors"), alibaba_value=f"{len(ali.selectors)} CIDR pairs",
              device=ep.at("selectors"),
              fix="create one IPsec connection per CIDR pair on Alibaba, or switch both sides to route-based "
                  "(LocalSubnet = RemoteSubnet = 0.0.0.0/0 and a tunnel interface on the device)")


@lint_of("TrafficSelectorMismatch")
def lint_selectors(t):
    """IKEv1 carries one CIDR pair per connection on Alibaba: several selector pairs to one IKEv1 peer fail."""
    ep = t.endpoint
    if ep.ike.version == "ikev1" and len(ep.selectors) > 1:
        yield Hit(f"IKEv1 peer {ep.peer_address} with {len(ep.selectors)} selector pairs "
                  f"({'; '.join(str(s) for s in ep.selectors)}): Alibaba supports exactly one CIDR pair with IKEv1",
                  device=ep.at("selectors"),
                  fix=f"{t.fixer.version(ep, 'ikev2')} (and IkeVersion = ikev2 on Alibaba), or one connection per CIDR pair")
