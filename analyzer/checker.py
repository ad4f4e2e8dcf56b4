"""Pair each Alibaba tunnel with the device endpoint it will negotiate with, run every rule, and turn
rule hits into findings. Knows nothing of vendor syntax (fix texts come from the vendor's fixer)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from analyzer.findings import AlibabaRef, DeviceRef, Finding, PairResult
from analyzer.fixes import Fixer, fixer_for
from analyzer.i18n import N_, _
from analyzer.model import AlibabaTunnel, DeviceConfig, Endpoint, Source
from analyzer.rules import Hit, Rule, all_rules
from analyzer.rules.common import is_private


@dataclass
class Pair:
    """One Alibaba tunnel and the device side it is compared with."""
    tunnel: AlibabaTunnel
    device: DeviceConfig
    endpoint: Endpoint | None
    match: str  # "peer" (device peers with the Alibaba IP), "only" (sole endpoint), "dynamic", "none"
    fixer: Fixer
    candidates: list[Endpoint] = field(default_factory=list)
    # Set when several tunnels are checked at once: did another tunnel of this connection, or of any
    # connection in the file, find its endpoint? (An unpaired standby tunnel is not an unrelated connection.)
    sibling_matched: bool = False
    other_matched: bool = False

    @property
    def ali(self) -> Endpoint:
        return self.tunnel.endpoint


def pair_endpoint(tunnel: AlibabaTunnel, device: DeviceConfig, taken: frozenset[int] = frozenset()) -> Pair:
    """The device endpoint this tunnel negotiates with. ``taken`` holds endpoints (by id) that other
    tunnels of the same input already matched by peer address; they are never used as a fallback."""
    gateway = tunnel.endpoint.local_address
    fixer = fixer_for(device.vendor)
    static = [e for e in device.endpoints if e.kind != "dynamic"]
    dynamic = [e for e in device.endpoints if e.kind == "dynamic"]
    exact = [e for e in static if gateway and e.peer_address == gateway]
    if exact:  # a device may offer both IKE versions to one peer (ASA): prefer Alibaba's
        exact.sort(key=lambda e: e.ike.version != tunnel.endpoint.ike.version)
        return Pair(tunnel, device, exact[0], "peer", fixer, device.endpoints)
    free = [e for e in static if id(e) not in taken]
    if dynamic and (gateway is None or not static):
        return Pair(tunnel, device, dynamic[0], "dynamic", fixer, device.endpoints)
    if len(static) == 1 and free:
        return Pair(tunnel, device, static[0], "only", fixer, device.endpoints)
    return Pair(tunnel, device, None, "none", fixer, device.endpoints)


def _device_ref(src: Source | None) -> DeviceRef | None:
    if src is None:
        return None
    if src.defaulted or src.line is None:
        return DeviceRef(file=src.file, line=src.line, text=src.text, default=src.note or _("vendor default"))
    return DeviceRef(file=src.file, line=src.line, text=src.text)


_SEVERITY = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}


def finding_of(r: Rule, hit: Hit) -> Finding:
    """The finding of one hit, in the output language: the rule's title and the hit's severity reason are fixed
    texts (marked N_ where they are declared) translated here; the rule wrote the message already translated."""
    ali = None
    if hit.alibaba is not None or hit.alibaba_value is not None:
        field_path = hit.alibaba.field if isinstance(hit.alibaba, Source) else hit.alibaba
        if isinstance(hit.alibaba, Source) and hit.alibaba.defaulted:
            # ASCII parentheses around the note: json_lines and fingerprint cut " (...)" off a field path
            field_path = "{} ({})".format(field_path, _("absent: API default"))
        src = hit.alibaba if isinstance(hit.alibaba, Source) else None
        ali = AlibabaRef(file=src.file if src else None, field=field_path, line=src.line if src else None,
                         value=None if hit.alibaba_value is None else str(hit.alibaba_value))
    severity = hit.severity or r.severity
    reason, message = None, hit.message
    if severity != r.severity and hit.severity_reason:  # a rated-differently finding says why, in its text too
        reason = _(hit.severity_reason)
        message = _("{message} ({severity}, not {registry}: {reason})").format(
            message=message, severity=_(_SEVERITY[severity]), registry=_(_SEVERITY[r.severity]), reason=reason)
    return Finding(code=r.code, alibaba_code=r.alibaba_code, severity=severity, severity_reason=reason,
                   title=_(r.title), message=message, alibaba=ali, device=_device_ref(hit.device), fix=hit.fix,
                   deviation=hit.deviation, object=hit.extra.get("object"),
                   related=list(hit.related))


_ORDER = {"error": 0, "warning": 1, "info": 2}


def sort_findings(findings: list[Finding]) -> None:
    """Deterministic order: severity, code, device line, then message (output is diffed in CI)."""
    findings.sort(key=lambda f: (_ORDER[f.severity], f.code, f.device.line if f.device and f.device.line else 0,
                                 f.message))


def apply_suppressions(findings: list[Finding], device: DeviceConfig) -> None:
    """Mark (never drop) findings covered by an inline suppression comment in the device config."""
    for s in device.suppressions:
        for f in findings:
            if f.code not in s.codes or f.code == "InvalidSuppression":
                continue
            if s.end is None:
                f.suppressed = True
            elif f.device and f.device.file == device.file and f.device.line and s.start <= f.device.line <= s.end:
                f.suppressed = True


def check_pair(pair: Pair, rules: list[Rule] | None = None, disabled: frozenset[str] = frozenset()) -> PairResult:
    findings: list[Finding] = []
    for r in rules or all_rules():
        if r.scope != "pair" or r.code in disabled or (r.needs_endpoint and pair.endpoint is None):
            continue
        for hit in r.check(pair):
            if r.code != "KnownAfterApply" and pair.tunnel.unknown and _on_unknown(hit, pair.tunnel.unknown):
                continue  # it compared a stand-in; KnownAfterApply says "cannot verify" for the field
            findings.append(finding_of(r, hit))
    apply_suppressions(findings, pair.device)
    sort_findings(findings)
    t = pair.tunnel
    return PairResult(connection=t.connection_id, connection_name=t.connection_name, tunnel=t.tunnel_id,
                      role=t.role, alibaba_file=t.file, device=pair.device.file, vendor=pair.device.vendor,
                      endpoint=pair.endpoint.name if pair.endpoint else None, findings=findings,
                      plan_action=_plan_action(t))


def _plan_action(t) -> str | None:
    """What a Terraform plan does to the connection (shown per pair); "no-op" and non-plan inputs: None."""
    return t.plan_action if t.plan_action != "no-op" else None


def _on_unknown(hit: Hit, unknown: list[str]) -> bool:
    """Whether the hit reads an Alibaba field whose value is not known (Terraform plan / unresolved HCL); a
    field may name several ("a.local_subnet, a.remote_subnet") or carry a note ("a.internet_ip (not known...)")."""
    field = hit.alibaba.field if isinstance(hit.alibaba, Source) else hit.alibaba
    if not isinstance(field, str):
        return False
    parts = [p for p in re.split(r", | x ", field) if p]
    return any(p == u or p.startswith((u + ".", u + "[", u + " ")) for p in parts for u in unknown)


def narrow(ep: Endpoint, found: list[AlibabaTunnel], partial: frozenset[str] = frozenset()) -> list[AlibabaTunnel]:
    """The tunnels (all on the gateway ``ep`` peers with) this endpoint negotiates with. Several connections share
    one VPN gateway: narrow by the customer-gateway IP (unless the device sits behind NAT), then by the protected
    flows. ``partial``: files that hold one page of a longer connection list; their tunnel is taken only when
    its customer-gateway IP is the device's public address (the right connection may be on another page)."""
    public = bool(ep.local_address) and not is_private(ep.local_address)
    if len(found) > 1 and public:
        found = [t for t in found if t.endpoint.peer_address == ep.local_address] or found
    if len(found) > 1 and ep.selectors:
        found = [t for t in found if _flows_meet(ep, t)] or found
    if public and partial:
        found = [t for t in found if t.file not in partial or t.endpoint.peer_address in (None, ep.local_address)]
    return found


def _flows_meet(ep: Endpoint, t: AlibabaTunnel) -> bool:
    """Some device selector lies inside the mirrored Alibaba flows (device local in Alibaba remote...)."""
    return any(d.local in a.remote and d.remote in a.local for d in ep.selectors for a in t.endpoint.selectors)


def check(tunnels: list[AlibabaTunnel], device: DeviceConfig, disabled: frozenset[str] = frozenset(),
          partial: frozenset[str] = frozenset()) -> list[PairResult]:
    """Every tunnel against the device. An endpoint that several tunnels peer with (connections sharing a VPN
    gateway) keeps only those the audit's tie-break (``narrow``) gives it; the others are unpaired here."""
    rules = all_rules()
    first = [pair_endpoint(t, device) for t in tunnels]
    untied = _tie_break(first, partial)
    if _none_of_many_pairs(first):
        return [_unpaired(p, disabled, partial) for p in first]
    taken = frozenset(id(p.endpoint) for p in first if p.match == "peer")
    pairs = [p if p.match == "peer" or id(p) in untied else pair_endpoint(p.tunnel, device, taken) for p in first]
    matched = {p.tunnel.connection_key for p in pairs if p.match == "peer"}
    for p in pairs:
        p.sibling_matched = p.tunnel.connection_key in matched
        p.other_matched = bool(matched)
    return [check_pair(p, rules, disabled) for p in pairs]


def _tie_break(pairs: list[Pair], partial: frozenset[str]) -> set[int]:
    """Unpair the tunnels ``narrow`` does not give their endpoint; their ids (they take no fallback endpoint)."""
    untied: set[int] = set()
    by_endpoint: dict[int, list[Pair]] = {}
    for p in pairs:
        if p.match == "peer":
            by_endpoint.setdefault(id(p.endpoint), []).append(p)
    for group in by_endpoint.values():
        kept = narrow(group[0].endpoint, [p.tunnel for p in group], partial)
        for p in group:
            if not any(t is p.tunnel for t in kept):
                p.endpoint, p.match = None, "none"
                untied.add(id(p))
    return untied


def _none_of_many_pairs(pairs: list[Pair]) -> bool:
    """A file of several connections none of which peers with this device: comparing each with the device's
    only tunnel (the single-connection fallback) would report every setting of every connection as wrong."""
    return (len({p.tunnel.connection_key for p in pairs}) > 1 and bool(pairs[0].device.endpoints)
            and not any(p.match in ("peer", "dynamic") for p in pairs))


def _unpaired(pair: Pair, disabled: frozenset[str], partial: frozenset[str] = frozenset()) -> PairResult:
    """The result of a tunnel compared with nothing: one finding saying so, and why."""
    from analyzer.rules import REGISTRY
    from analyzer.rules.pairing import gateway_source

    t, device = pair.tunnel, pair.device
    gw = t.endpoint.local_address
    peers = ", ".join(sorted({e.peer_address for e in device.endpoints if e.peer_address})) or _("no fixed address")
    if gw is None:
        why = _("its gateway IP is not in the input (no InternetIp, and LocalId is not an address): give "
                "--vpn-gateway VPNGW.json (the DescribeVpnGateway response) to pair it")
    else:
        why = _("its gateway IP is {gateway} (from {origin}), the device's tunnels peer with {peers}").format(
            gateway=gw, origin=t.gateway_ip_origin, peers=peers)
    if t.file in partial:
        why += _("; the file lists only part of the connections (see the note) and this one's customer gateway is "
                 "not the device's address: the device's connection may be on another page")
    findings = []
    code = "UnpairedAlibabaTunnel"
    if code not in disabled:
        hit = Hit(_("no connection of {alibaba_file} pairs with {device_file}, so none was compared with it; this "
                    "tunnel is not checked: {why}").format(alibaba_file=t.file, device_file=device.file, why=why),
                  alibaba=gateway_source(t), alibaba_value=gw, severity="error",
                  severity_reason=N_("check was given this device for this file and nothing of the file pairs with "
                                     "it"))
        findings.append(finding_of(REGISTRY[code], hit))
    return PairResult(connection=t.connection_id, connection_name=t.connection_name, tunnel=t.tunnel_id,
                      role=t.role, alibaba_file=t.file, device=device.file, vendor=device.vendor, endpoint=None,
                      findings=findings, plan_action=_plan_action(t))
