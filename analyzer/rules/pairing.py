"""What could not be paired: an Alibaba tunnel no device negotiates with, a device tunnel no connection of the
input negotiates with. Nothing was compared for them, so saying nothing would be a silent pass; the message
says why no pair was found (the audit or `check` works out the reason, these rules only word it)."""
from __future__ import annotations

from dataclasses import dataclass, field

from analyzer.i18n import N_, _
from analyzer.model import AlibabaTunnel, Source
from analyzer.rules import Hit, audit_rule
from analyzer.rules.common import LIST_CAP, listed
from analyzer.rules.cross import AuditView

_NOTHING = N_("nothing in the input paired, so no connection was compared with a device")


@dataclass
class UnpairedDeviceSide:
    """A device tunnel (endpoint) that no Alibaba tunnel of the input pairs with."""
    device: str
    endpoint: str
    peer: str | None
    at: Source | None  # the peer line (or the entry's first line)
    candidates: list[str] = field(default_factory=list)  # several tunnels fit: ambiguous


@dataclass
class PairingView(AuditView):
    """The cross-rule view plus what stayed unpaired, with the reason found for each tunnel."""
    unpaired_tunnels: list[tuple[AlibabaTunnel, str]] = field(default_factory=list)
    unpaired_endpoints: list[UnpairedDeviceSide] = field(default_factory=list)
    unknown_gateways: int = 0  # tunnels whose gateway IP is not in the input (nothing can peer with them)
    nothing_paired: bool = False


def _raised(view) -> dict:
    return {"severity": "error", "severity_reason": _NOTHING} if getattr(view, "nothing_paired", False) else {}


def tunnel_label(t: AlibabaTunnel) -> str:
    name = t.connection_id or t.connection_name or _("connection")
    if t.connection_id and t.connection_name:
        name += f" ({t.connection_name})"
    return _("{connection}, {role} tunnel").format(connection=name, role=t.role) if t.role else name


def gateway_source(t: AlibabaTunnel) -> Source:
    """Where the tunnel's gateway IP comes from, or where it would be (the connection itself) when unknown."""
    src = t.endpoint.src.get("local_address")
    if src is not None and src.field:
        return src
    # the note stays in ASCII parentheses: json_lines and fingerprint cut " (...)" off a field path
    return Source(file=t.file, field="{} ({})".format(t.endpoint.ike.src["local_id"].field,
                                                      _("no gateway IP in the input")))


@audit_rule("UnpairedAlibabaTunnel", "warning", N_("Alibaba tunnel that no device pairs with"),
            N_("Not in the catalog: nothing was checked for this tunnel (if no device is configured for it at all, "
               "its negotiation gets NoResponse)."), alibaba_code=None)
def unpaired_alibaba_tunnel(view: AuditView):
    """An Alibaba tunnel of the input that no device config pairs with: nothing was checked for it.

    The message gives the reason: no device peers with the tunnel's gateway IP, the gateway IP is not in the
    input (FQDN identities and no DescribeVpnGateway response), several device tunnels fit, or a device line
    that could not be read may be the missing peer. An error when nothing in the input paired at all."""
    by_file: dict[str, list[tuple[AlibabaTunnel, str]]] = {}
    for t, why in getattr(view, "unpaired_tunnels", []):
        by_file.setdefault(t.file, []).append((t, why))
    for file, items in by_file.items():
        if len(items) > LIST_CAP:  # a region's whole page against a few devices: one finding, bounded
            yield Hit(_("{count} tunnels of {file} are not checked, no device tunnel pairs with them: {tunnels}"
                        ).format(count=f"{len(items):,}", file=file,
                      tunnels=listed([f"{tunnel_label(t)} ({why})" for t, why in items])),
                      alibaba=Source(file=file, field=None),
                      alibaba_value=_("{count} tunnels").format(count=f"{len(items):,}"),
                      related=sorted({t.connection_key for t, _ in items})[:2 * LIST_CAP], **_raised(view))
            continue
        for t, why in items:
            yield Hit(_("{tunnel}: not checked, no device tunnel pairs with it ({why})").format(tunnel=tunnel_label(t),
                                                                                               why=why),
                      alibaba=gateway_source(t), alibaba_value=t.endpoint.local_address, related=[t.connection_key],
                      **_raised(view))


@audit_rule("UnpairedDeviceTunnel", "warning", N_("Device tunnel that no Alibaba connection pairs with"),
            N_("Not in the catalog: nothing was checked for this device tunnel."), alibaba_code=None)
def unpaired_device_tunnel(view: AuditView):
    """A device tunnel (crypto map entry, IPsec policy, VTI) that no Alibaba tunnel of the input pairs with.

    Its peer is not the gateway IP of any connection given (it may lead elsewhere: then add the connection's
    JSON, or ignore the file), or it fits several connections (pair it in a pairing file). An error when
    nothing in the input paired at all."""
    unknown = getattr(view, "unknown_gateways", 0)
    by_device: dict[str, list[UnpairedDeviceSide]] = {}
    for side in getattr(view, "unpaired_endpoints", []):
        by_device.setdefault(side.device, []).append(side)
    for device, sides in by_device.items():
        if len(sides) > LIST_CAP:  # a hub with many tunnels elsewhere: one finding, bounded
            yield Hit(_("{count} tunnels of {device} are not checked, no Alibaba tunnel of the input pairs with "
                        "them: {tunnels}").format(count=f"{len(sides):,}", device=device, tunnels=listed(
                          [_("{tunnel} (peer {peer})").format(tunnel=s.endpoint, peer=s.peer) for s in sides])),
                      device=sides[0].at, **_raised(view))
            continue
        for side in sides:
            yield Hit(_("{tunnel}: not checked, {why}").format(tunnel=side.endpoint,
                                                               why=_device_reason(side, unknown)),
                      device=side.at, **_raised(view))


def _device_reason(side: UnpairedDeviceSide, unknown: int) -> str:
    if side.candidates:
        return _("its peer {peer} fits several Alibaba tunnels ({tunnels}); name the connection in a pairing file "
                 "([[pair]] device = ..., connection = ...)").format(peer=side.peer,
                                                                    tunnels=listed(side.candidates, ", "))
    why = _("no Alibaba tunnel of the input has the gateway IP {gateway}").format(gateway=side.peer)
    if unknown:
        why += _("; {count} tunnel(s) have no known gateway IP: add their VPN gateway's DescribeVpnGateway "
                 "response to the input").format(count=unknown)
    return why
