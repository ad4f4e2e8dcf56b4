"""Traffic selectors (protected data flows) under the mirror rule, and multi-CIDR behaviour."""
from __future__ import annotations

from netaddr import IPSet

from analyzer.model import SelectorPair
from analyzer.rules import Hit, lint_of, rule
from analyzer.findings import Fix
from analyzer.fixes import with_device
from analyzer.i18n import N_, _
from analyzer.rules.common import LIST_CAP, Cidrs, Ranges, listed, span
from analyzer.rules.deviations import IKEV1_EXACT_SELECTORS, IKEV1_ONE_CIDR_PAIR

ANY = "0.0.0.0/0"


def _mirror(pairs: list[SelectorPair]) -> list[SelectorPair]:
    """Alibaba pairs seen from the device: device local = Alibaba remote, device remote = Alibaba local."""
    return [SelectorPair(local=p.remote, remote=p.local, source=p.source) for p in pairs]


def _key(p: SelectorPair) -> tuple:
    return span(p.local), span(p.remote)  # the address ranges: equal exactly when the CIDR texts are


def _contained(d: SelectorPair, a: SelectorPair) -> bool:
    return d.local in a.local and d.remote in a.remote


def _overlap(d: SelectorPair, a: SelectorPair) -> bool:
    return (d.local in a.local or a.local in d.local) and (d.remote in a.remote or a.remote in d.remote)


class _Flows:
    """The mirrored Alibaba flows, for questions about one device selector at a time. Alibaba's flows are
    LocalSubnet x RemoteSubnet (every pair), so "some flow contains / lies inside / overlaps d" splits into one
    question per side, answered on sorted CIDR lists and merged ranges (interval arithmetic) instead of a loop
    over every pair. Flows that are not such a product (never from the Alibaba loader) are asked pair by pair."""

    def __init__(self, want: list[SelectorPair]) -> None:
        self.want = want
        self.by_span = None  # span -> network, built on first use by _flow_of
        locs = {span(p.local): p.local for p in want}
        rems = {span(p.remote): p.remote for p in want}
        keys = {(span(p.local), span(p.remote)) for p in want}
        self.product = len(keys) == len(locs) * len(rems)
        if self.product:
            self.loc, self.rem = Cidrs(locs), Cidrs(rems)
            self.loc_r, self.rem_r = Ranges(locs), Ranges(rems)

    # ``k`` is the selector's _key (its two spans), computed once per selector by the caller
    def containing(self, d: SelectorPair, k) -> bool:
        """d lies inside one flow (the device is narrower)."""
        if not self.product:
            return any(_contained(d, a) for a in self.want)
        return self.loc.has_supernet_of(*k[0]) and self.rem.has_supernet_of(*k[1])

    def inside(self, d: SelectorPair, k) -> bool:
        """One flow lies inside d (the device is wider)."""
        if not self.product:
            return any(_contained(a, d) for a in self.want)
        return self.loc.has_subnet_of(*k[0]) and self.rem.has_subnet_of(*k[1])

    def overlapping(self, d: SelectorPair, k) -> bool:
        if not self.product:
            return any(_overlap(d, a) for a in self.want)
        return self.loc_r.meets(*k[0]) and self.rem_r.meets(*k[1])


def _uncovered(want: list[SelectorPair], have_keys: list[tuple]) -> list[SelectorPair]:
    """The flows no device selector overlaps. A flow (x, y) is covered when one selector meets x on the local
    side and y on the remote side: one bit per (local block, remote block), filled selector by selector with
    the blocks each one meets, so the work is the selectors plus what they meet, never flows x selectors."""
    loc = Cidrs(span(p.local) for p in want)
    rem = Cidrs(span(p.remote) for p in want)
    covered = [0] * len(loc.index)
    full, done = (1 << len(rem.index)) - 1, 0
    masks: dict[tuple, int] = {}  # remote side -> bit set of the remote blocks it meets
    seen: set[tuple] = set()
    for k in have_keys:
        if k in seen:
            continue
        seen.add(k)
        dl, dr = k
        mask = masks.get(dr)
        if mask is None:
            mask = masks[dr] = sum(1 << j for j in rem.meeting(*dr))
        if not mask:
            continue
        for i in loc.meeting(*dl):
            if covered[i] != full and covered[i] | mask == full:
                done += 1
            covered[i] |= mask
        if done == len(covered):  # every flow is covered: the rest of the selectors cannot change that
            return []
    return [a for a in want if not covered[loc.index[span(a.local)]] >> rem.index[span(a.remote)] & 1]


def _no_sa(flows: _Flows, have_keys: set, contained: list[tuple], wider: list[tuple]) -> dict[int, str]:
    """IKEv2 narrowing: the part of each flow that its narrower device selectors leave uncovered (that traffic
    gets no SA), as text naming CIDRs, keyed by id() of each narrower selector. ``contained`` and ``wider`` hold
    (selector, its _key). Each selector probes its flow's blocks (one probe per prefix length present), and a
    flow checks the wider selectors the same way: never selectors x flows."""
    by_flow: dict[tuple, list] = {}
    for d, k in contained:
        if flows.product:  # the tightest containing block on each side (_supernets yields the smallest first)
            i = next(iter(flows.loc._supernets(*k[0])), None)
            j = next(iter(flows.rem._supernets(*k[1])), None)
            fk = None if i is None or j is None else ((flows.loc.firsts[i], flows.loc.lasts[i]),
                                                      (flows.rem.firsts[j], flows.rem.lasts[j]))
        else:
            fk = next((_key(a) for a in flows.want if _contained(d, a)), None)
        if fk is not None and fk not in have_keys:  # an exact device selector covers the whole flow
            by_flow.setdefault(fk, []).append((d, k))
    wide_loc = Cidrs(k[0] for _, k in wider)
    wide_rem: dict[tuple, list] = {}
    for _d, k in wider:
        wide_rem.setdefault(k[0], []).append(k[1])
    out: dict[int, str] = {}
    for fk, ds in by_flow.items():
        if any(r[0] <= fk[1][0] and fk[1][1] <= r[1]
               for i in wide_loc._supernets(*fk[0]) for r in wide_rem[(wide_loc.firsts[i], wide_loc.lasts[i])]):
            continue  # a wider device selector covers the flow
        a = _flow_of(flows, fk)
        if all(k[0] == fk[0] for _, k in ds):
            rest = IPSet([a.remote]) - IPSet(d.remote for d, _ in ds)
            parts = [f"{a.local} <-> {c}" for c in rest.iter_cidrs()]
        elif all(k[1] == fk[1] for _, k in ds):
            rest = IPSet([a.local]) - IPSet(d.local for d, _ in ds)
            parts = [f"{c} <-> {a.remote}" for c in rest.iter_cidrs()]
        else:
            parts = [_("the rest of {flow} (outside its {count} narrower device selectors)").format(flow=a,
                                                                                                    count=len(ds))]
        if parts:
            text = listed(parts, ", ")
            for d, _k in ds:
                out[id(d)] = text
    return out


def _flow_of(flows: _Flows, fk: tuple) -> SelectorPair:
    if flows.by_span is None:
        flows.by_span = {span(p.local): p.local for p in flows.want} | {span(p.remote): p.remote for p in flows.want}
    return SelectorPair(local=flows.by_span[fk[0]], remote=flows.by_span[fk[1]])


# Why a finding of this error rule is a warning (the scheme: warning = negotiates, but may flap or leave some
# traffic without an SA).
_NARROWING = N_("IKEv2 narrowing: the tunnel negotiates; only traffic the device does not select has no SA")
_MISSING = _NARROWING
_WIDENED = N_("IKEv2 narrowing: Alibaba narrows the wider device selector to its flows, and the tunnel negotiates")
_EXTRA = N_("the matching selector pair negotiates; only the extra one stays down")
_PROTOCOL_V2 = N_("cannot verify: Alibaba does not document whether it accepts an IKEv2 selector narrowed to one "
                  "protocol")
# Device selectors that contain or lie inside Alibaba's flows: (IKE version, narrower?) -> the message for one
# selector and for many (whole sentences: the comparison word moves in translation)
_CONTAINMENT = {
    ("ikev1", True): (
        N_("device selector {selector} is narrower than the Alibaba flows ({expected}); IKEv1 requires identical "
           "selectors"),
        N_("{count} device selectors are narrower than the Alibaba flows ({expected}): {selectors}; IKEv1 requires "
           "identical selectors")),
    ("ikev1", False): (
        N_("device selector {selector} is wider than the Alibaba flows ({expected}); IKEv1 requires identical "
           "selectors"),
        N_("{count} device selectors are wider than the Alibaba flows ({expected}): {selectors}; IKEv1 requires "
           "identical selectors")),
    ("ikev2", True): (
        N_("device selector {selector} is narrower than the Alibaba flows ({expected}); IKEv2 narrowing lets this "
           "negotiate, but an exact match is recommended{gap}"),
        N_("{count} device selectors are narrower than the Alibaba flows ({expected}): {selectors}; IKEv2 "
           "narrowing lets this negotiate, but an exact match is recommended{gap}")),
    ("ikev2", False): (
        N_("device selector {selector} is wider than the Alibaba flows ({expected}); IKEv2 narrowing lets this "
           "negotiate, but an exact match is recommended{gap}"),
        N_("{count} device selectors are wider than the Alibaba flows ({expected}): {selectors}; IKEv2 narrowing "
           "lets this negotiate, but an exact match is recommended{gap}")),
}
# ACL protocol words taken as every IP protocol. "0" as on the wire: RFC 7296 3.13.1 "A value of zero means that
# the protocol ID is not relevant to this Traffic Selector" (IKEv1 ID payload alike, RFC 2407 4.6.2: recollection,
# not retrieved here); that a device ACL's protocol number 0 means the same is unverified.
ANY_PROTOCOL = frozenset({"ip", "any", "0"})


def _protocol_limited(sels: list[SelectorPair]) -> list[SelectorPair]:
    return [d for d in sels if d.protocol.lower() not in ANY_PROTOCOL]


def _protocol_hits(version: str, odd: list[SelectorPair], any_keys: set, fix, **where) -> list:
    """Alibaba's flows are any-protocol CIDR pairs (it proposes protocol 0). IKEv1: quick-mode IDs carry the
    protocol and must match exactly, so a protocol-limited selector never negotiates (an error), unless an `ip`
    selector for the same addresses negotiates and this one is only an extra SA (a warning). IKEv2: RFC 7296
    section 2.9 lets a responder narrow a selector, protocol included; Alibaba does not say whether it does."""
    def one(d):
        if version == "ikev1" and _key(d) in any_keys:
            return Hit(_("IKEv1: device selector {selector} limited to protocol {protocol} repeats the addresses of an "
                         "ip selector as a separate SA that Alibaba (any protocol) never agrees to").format(
                           selector=d, protocol=d.protocol),
                       severity="warning", severity_reason=_EXTRA, device=d.source, fix=fix, **where)
        if version == "ikev1":
            return Hit(_("device selector {selector} is limited to protocol {protocol}: IKEv1 quick-mode IDs carry "
                         "the protocol and Alibaba proposes any protocol (0) for its flows, so the IDs differ and "
                         "phase 2 fails; protect the flow as ip").format(selector=d, protocol=d.protocol),
                       device=d.source, fix=fix, **where)
        return Hit(_("device selector {selector} is limited to protocol {protocol}, Alibaba's flows are any protocol: "
                     "IKEv2 allows narrowing a selector to one protocol (RFC 7296 section 2.9), but whether Alibaba "
                     "accepts it is not documented (cannot verify): at best only {protocol} traffic gets an SA, "
                     "otherwise negotiation fails with TS_UNACCEPTABLE").format(selector=d, protocol=d.protocol),
                   severity="warning", severity_reason=_PROTOCOL_V2, device=d.source, fix=fix, **where)

    def many(ds):
        sev = {"severity": "warning", "severity_reason": _PROTOCOL_V2} if version != "ikev1" else {}
        why = _("IKEv1 quick-mode IDs carry the protocol and Alibaba proposes any protocol (0)") if version == "ikev1" \
            else _("whether Alibaba accepts an IKEv2 selector narrowed to one protocol is not documented (cannot "
                   "verify)")
        return Hit(_("{count} device selectors are limited to one protocol ({selectors}): {why}").format(
                   count=len(ds), selectors=listed(f"{d} ({d.protocol})" for d in ds), why=why),
                   device=ds[0].source, fix=fix, **sev, **where)
    return _each(odd, one, many)


@rule("TrafficSelectorMismatch", "error", N_("Protected data flows mismatch"),
      N_("IKEv1: exactly one CIDR pair is supported and both sides must be identical (no containment). IKEv2: "
         "several CIDRs allowed; Alibaba accepts containment (narrowing) but exact match is recommended. Always: "
         "Alibaba local == device remote, Alibaba remote == device local."),
      deviations=(IKEV1_EXACT_SELECTORS, IKEV1_ONE_CIDR_PAIR))
def traffic_selectors(pair):
    """Compare the protected flows under the mirror rule; IKEv1 exact, IKEv2 containment tolerated (warning).

    IKEv2, where the device protects only part of Alibaba's flows - some of several CIDRs, or a narrower block of
    one wider CIDR - the tunnel still negotiates (Alibaba accepts narrowing) and the traffic the device does not
    select has no SA: a warning either way, naming that traffic, as for any "negotiates, but some traffic is not
    protected" finding. With no device selector meeting any Alibaba flow, negotiation fails: an error."""
    ali, ep, t = pair.ali, pair.endpoint, pair.tunnel
    version = ali.ike.version
    sel_src = ali.src.get("selectors")
    if version == "ikev1" and (len(t.local_subnets) > 1 or len(t.remote_subnets) > 1):
        yield Hit(_("IKEv1 with {local} local and {remote} remote CIDR blocks: Alibaba supports exactly one CIDR "
                    "pair with IKEv1 (several blocks need IKEv2)").format(local=len(t.local_subnets),
                                                                         remote=len(t.remote_subnets)),
                  alibaba=sel_src, alibaba_value=f"{listed(t.local_subnets, ',')} / "
                                                 f"{listed(t.remote_subnets, ',')}",
                  fix=_("set IkeConfig.IkeVersion = ikev2 on both sides, or create one connection per CIDR pair"),
                  deviation=IKEV1_ONE_CIDR_PAIR.name)
    if not ep.selectors:
        return
    want = _mirror(ali.selectors)
    have = ep.selectors
    want_keys = {_key(p) for p in want}
    have_keys = [_key(p) for p in have]
    odd = _protocol_limited(have)
    any_keys = {k for d, k in zip(have, have_keys) if d.protocol.lower() in ANY_PROTOCOL} if odd else set()
    if want_keys == set(have_keys):
        if odd:
            yield from _protocol_hits(version, odd, any_keys, pair.fixer.selectors(ep, want, device=pair.device),
                                      alibaba=sel_src, alibaba_value=listed(want))
        return
    fix = pair.fixer.selectors(ep, want, device=pair.device)
    flows = _Flows(want)
    exact, contained, containing, disjoint, extra = [], [], [], [], []
    narrow, wide = [], []  # (selector, key) of the narrower and wider ones, for the IKEv2 no-SA remainder
    for d, k in zip(have, have_keys):
        if k in want_keys:
            exact.append(d)
            continue
        extra.append(d)
        if flows.containing(d, k):
            contained.append(d)
            narrow.append((d, k))
        elif flows.inside(d, k):
            containing.append(d)
            wide.append((d, k))
        else:
            disjoint.append((d, k))
    missing = _uncovered(want, have_keys)
    expected = listed(want)
    if odd:  # a disjoint selector is already an error of its own, whatever its protocol
        off = {id(d) for d, _ in disjoint}
        yield from _protocol_hits(version, [d for d in odd if id(d) not in off], any_keys, fix, alibaba=sel_src,
                                  alibaba_value=expected)
    partial = [flows.overlapping(d, k) for d, k in disjoint]
    disjoint = [d for d, _ in disjoint]

    def stray(d, partly):
        text = _("device selector {selector} only partly overlaps the mirrored Alibaba flows ({expected})") if partly \
            else _("device selector {selector} is not among the mirrored Alibaba flows ({expected})")
        return Hit(text.format(selector=d, expected=expected),
                   alibaba=sel_src, alibaba_value=expected, device=d.source, fix=fix)

    def strays(ds, partly):
        text = _("{count} device selectors only partly overlap the mirrored Alibaba flows ({expected}): "
                 "{selectors}") if partly else \
            _("{count} device selectors are not among the mirrored Alibaba flows ({expected}): {selectors}")
        return Hit(text.format(count=len(ds), expected=expected, selectors=listed(ds)),
                   alibaba=sel_src, alibaba_value=expected, device=ds[0].source, fix=fix)

    if len(disjoint) <= LIST_CAP:
        for d, part in zip(disjoint, partial):
            yield stray(d, part)
    else:
        for ds, part in (([d for d, p in zip(disjoint, partial) if p], True),
                         ([d for d, p in zip(disjoint, partial) if not p], False)):
            if ds:
                yield strays(ds, part)
    # IKEv2: a flow the device leaves (partly) uncovered still negotiates - Alibaba narrows to what the device
    # protects - but that traffic has no SA. The same verdict whether the uncovered part is a CIDR of its own
    # (a missing flow) or the rest of a wider Alibaba CIDR (narrower device selectors): "negotiates, but some
    # traffic is not protected" is a warning, as MultiCidrPerSa and an IKEv1 extra selector are.
    negotiates = version == "ikev2" and bool(exact or contained or containing)
    no_sa = _no_sa(flows, set(have_keys), narrow, wide) if version == "ikev2" and narrow else {}

    def gap(ds) -> str:
        """What the narrower selectors ``ds`` leave without an SA, as the end of their message."""
        left = list(dict.fromkeys(no_sa[id(d)] for d in ds if id(d) in no_sa))
        return _("; traffic of {flows} has no SA").format(flows=listed(left, ", ")) if left else ""

    for ds, narrower in ((contained, True), (containing, False)):
        one, many = _CONTAINMENT[("ikev1" if version == "ikev1" else "ikev2", narrower)]
        if version == "ikev1":
            yield from _each(ds, lambda d: Hit(
                _(one).format(selector=d, expected=expected),
                alibaba=sel_src, alibaba_value=expected, device=d.source, fix=fix,
                deviation=IKEV1_EXACT_SELECTORS.name), lambda ds: Hit(
                _(many).format(count=len(ds), expected=expected, selectors=listed(ds)), alibaba=sel_src,
                alibaba_value=expected, device=ds[0].source, fix=fix, deviation=IKEV1_EXACT_SELECTORS.name))
        else:
            yield from _each(ds, lambda d: Hit(
                _(one).format(selector=d, expected=expected, gap=gap([d])), severity="warning",
                severity_reason=_NARROWING if narrower else _WIDENED, alibaba=sel_src,
                alibaba_value=expected, device=d.source, fix=fix), lambda ds: Hit(
                _(many).format(count=len(ds), expected=expected, selectors=listed(ds), gap=gap(ds)),
                severity="warning", severity_reason=_NARROWING if narrower else _WIDENED, alibaba=sel_src,
                alibaba_value=expected, device=ds[0].source, fix=fix))
    if version == "ikev1" and exact and len(have) > 1 and not disjoint:
        yield from _each(extra, lambda d: Hit(
            _("IKEv1 carries one CIDR pair; the extra device selector {selector} never comes up").format(selector=d),
            severity="warning", severity_reason=_EXTRA, device=d.source, fix=fix), lambda ds: Hit(
            _("IKEv1 carries one CIDR pair; {count} extra device selectors never come up: {selectors}").format(
                count=len(ds), selectors=listed(ds)),
            severity="warning", severity_reason=_EXTRA, device=ds[0].source, fix=fix))
    sev, why = ("warning", _MISSING) if negotiates else (None, None)
    more = _("; IKEv2 narrowing lets the tunnel come up without it") if negotiates else ""
    # IKEv1: a flow left out while another (or an overlapping narrower/wider selector) matches is an error only
    # because Alibaba wants identical flows / one CIDR pair; the protocol negotiates what meets
    only_v1 = None
    if version == "ikev1" and (exact or contained or containing):
        only_v1 = IKEV1_EXACT_SELECTORS.name if contained or containing else IKEV1_ONE_CIDR_PAIR.name
    yield from _each(missing, lambda a: Hit(
        _("Alibaba flow {flow} (mirrored) has no matching device selector: that traffic is not protected{more}"
          ).format(flow=a, more=more),
        severity=sev, severity_reason=why, alibaba=sel_src, alibaba_value=expected, device=ep.at("selectors"),
        fix=fix, deviation=only_v1), lambda ms: Hit(
        _("{count} Alibaba flows (mirrored) have no matching device selector: {flows}; that traffic is not "
          "protected{more}").format(count=len(ms), flows=listed(ms), more=more),
        severity=sev, severity_reason=why, alibaba=sel_src, alibaba_value=expected,
        device=ep.at("selectors"), fix=fix, deviation=only_v1))


def _each(items: list, one, many) -> list:
    """One finding per item when there are few; past LIST_CAP, one finding that lists the first ones and
    counts the rest (same verdict, bounded report)."""
    if len(items) <= LIST_CAP:
        return [one(x) for x in items]
    return [many(items)]


@rule("MultiCidrPerSa", "warning", N_("Several CIDR pairs, one SA per pair on the device"),
      N_("Alibaba IPsec-VPN FAQ: in protected-data-flow mode with several CIDRs, Alibaba negotiates ONE SA for all of "
         "them, while Cisco/H3C/Huawei policy-based configs negotiate one SA per CIDR pair, so only one pair passes "
         "traffic."), alibaba_code=None)
def multi_cidr(pair):
    """Several CIDR pairs on a policy-based device that builds one SA per pair: only one pair passes."""
    ali, ep = pair.ali, pair.endpoint
    if pair.tunnel.routing_mode != "protected-flows" or len(ali.selectors) < 2:
        return
    if ep.kind == "route" or not ep.per_pair_sas or len(ep.selectors) < 2:
        return
    yield Hit(_("Alibaba negotiates one SA for all {pairs} CIDR pairs, the device one SA per pair ({selectors} "
                "selectors): only one pair will pass traffic").format(pairs=len(ali.selectors),
                                                                      selectors=len(ep.selectors)),
              alibaba=ali.src.get("selectors"),
              alibaba_value=_("{count} CIDR pairs").format(count=len(ali.selectors)),
              device=ep.at("selectors"),
              fix=_("create one IPsec connection per CIDR pair on Alibaba, or switch both sides to route-based "
                    "(LocalSubnet = RemoteSubnet = 0.0.0.0/0 and a tunnel interface on the device)"))


@lint_of("TrafficSelectorMismatch")
def lint_selectors(t):
    """IKEv1 carries one CIDR pair per connection on Alibaba: several selector pairs to one IKEv1 peer fail.
    Alibaba's flows are any protocol: a selector limited to one protocol fails (IKEv1) or cannot be verified."""
    ep = t.endpoint
    odd = _protocol_limited(ep.selectors)
    if odd:
        any_keys = {_key(d) for d in ep.selectors if d.protocol.lower() in ANY_PROTOCOL}
        as_ip = list({_key(d): SelectorPair(local=d.local, remote=d.remote, source=d.source)
                      for d in ep.selectors}.values())
        yield from _protocol_hits(ep.ike.version, odd, any_keys, t.fixer.selectors(ep, as_ip, device=t.device))
    if ep.ike.version == "ikev1" and len(ep.selectors) > 1:
        yield Hit(_("IKEv1 peer {peer} with {count} selector pairs ({selectors}): Alibaba supports exactly one CIDR "
                    "pair with IKEv1").format(peer=ep.peer_address, count=len(ep.selectors),
                                              selectors=listed(ep.selectors)),
                  device=ep.at("selectors"),
                  fix=with_device(t.fixer.version, ep, "ikev2", device=t.device) + Fix(
                      alibaba={"IkeConfig.IkeVersion": "ikev2"}, alibaba_required=True,
                      note=_("IKEv2 on both sides (the commands and the Alibaba value), or one connection per CIDR "
                             "pair")))
