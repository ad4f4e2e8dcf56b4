"""Who talks to whom: peer addresses, the registered customer-gateway IP, filters and NAT on the path."""
from __future__ import annotations

from netaddr import IPAddress

from analyzer.i18n import N_, _
from analyzer.model import AccessList, is_ipv4
from analyzer.rules import Hit, lint_of, rule
from analyzer.rules.common import is_private, listed


@rule("PeerMismatch", "error", N_("Peer address mismatch"),
      N_("Customer-gateway IP on the Alibaba side differs from the device's local/outside address used for the "
         "tunnel; or the device's peer address differs from the Alibaba gateway IP."), needs_endpoint=False)
def peer_mismatch(pair):
    """The device must peer with the Alibaba tunnel IP, from the address registered as the customer gateway."""
    ali, ep, t = pair.ali, pair.endpoint, pair.tunnel
    gw = ali.local_address
    gw_src = ali.src.get("local_address")
    if not pair.device.endpoints:
        return
    learnt = _(" (from {origin})").format(origin=t.gateway_ip_origin) \
        if _stand_in(ali, "local_address", "local_id") else ""
    if pair.match == "none" and gw is None and not (pair.sibling_matched or pair.other_matched):
        return  # nothing to compare with: PeerAddressUnverified says the tunnel was not checked
    shown = gw or _("an address not in the input")
    if pair.match == "none":
        peers = ", ".join(sorted({e.peer_address for e in pair.candidates if e.peer_address}))
        first = next((e for e in pair.candidates if e.peer_address), None)
        if pair.sibling_matched:  # e.g. the standby tunnel of a dual-tunnel connection is not configured
            which = _("{role} tunnel of the connection").format(role=t.role) if t.role \
                else _("this tunnel of the connection")
            yield Hit(_("the device has no tunnel to {gateway}{learnt} ({which}), while the connection's other "
                        "tunnel is configured: the redundancy is lost").format(gateway=shown, learnt=learnt,
                                                                               which=which), severity="warning",
                      severity_reason=N_("the connection's other tunnel pairs"), alibaba=gw_src, alibaba_value=gw,
                      fix=_("configure a second tunnel with peer {gateway}").format(gateway=gw) if gw else None)
        elif pair.other_matched:
            yield Hit(_("this connection (gateway {gateway}{learnt}) is not configured on this device; other "
                        "connections of the input are").format(gateway=shown, learnt=learnt), severity="info",
                      severity_reason=N_("this connection most likely lives on another device"),
                      alibaba=gw_src, alibaba_value=gw)
        else:
            yield Hit(_("no tunnel on the device peers with the Alibaba gateway {gateway}{learnt}; the device peers "
                        "with: {peers}").format(gateway=gw, learnt=learnt, peers=peers),
                      alibaba=gw_src, alibaba_value=gw, device=first.at("peer_address") if first else None,
                      fix=pair.fixer.peer(first, gw) if first else None)
        return
    if pair.match == "dynamic":
        yield Hit(_("only a dynamic (any-peer) entry can accept {gateway}: the device can answer but never "
                    "initiate; Alibaba must initiate the tunnel").format(gateway=gw or _("the Alibaba gateway")),
                  severity="info", severity_reason=N_("the dynamic entry answers Alibaba"),
                  device=ep.origin, alibaba=gw_src, alibaba_value=gw)
    elif gw is not None and ep.peer_address != gw:
        yield Hit(_("the device peers with {peer}, but the Alibaba tunnel IP is {gateway} (from {origin})").format(
                  peer=ep.peer_address, gateway=gw, origin=t.gateway_ip_origin),
                  alibaba=gw_src, alibaba_value=gw, device=ep.at("peer_address"), fix=pair.fixer.peer(ep, gw))
    cgw, local = ali.peer_address, ep.local_address
    if cgw and local and cgw != local:
        origin = t.customer_ip_origin or _("the connection")
        if is_private(local):
            yield Hit(_("the device sends from private address {local} while Alibaba expects the customer gateway "
                        "{customer_gateway} (from {origin}): this works only if a NAT device translates {local} to "
                        "{customer_gateway}, and then NAT-T must be on at both ends").format(
                          local=local, customer_gateway=cgw, origin=origin), severity="warning",
                      severity_reason=N_("a NAT in front of the device can make the addresses agree"),
                      alibaba=ali.src.get("peer_address"), alibaba_value=cgw, device=ep.at("local_address"))
        else:
            yield Hit(_("the device's tunnel source is {local}, but Alibaba's customer gateway is {customer_gateway} "
                        "(from {origin}): Alibaba will not recognise the peer").format(
                          local=local, customer_gateway=cgw, origin=origin),
                      alibaba=ali.src.get("peer_address"), alibaba_value=cgw, device=ep.at("local_address"),
                      fix=_("register {local} as the customer gateway IpAddress on Alibaba, or source the tunnel "
                            "from {customer_gateway} on the device").format(local=local, customer_gateway=cgw))


def _stand_in(ali, attr: str, identity: str) -> bool:
    """True when the address ``attr`` was taken from the IKE identity (LocalId / RemoteId) for want of the
    gateway's own IP (the single-tunnel API response carries none)."""
    src, id_src = ali.src.get(attr), ali.ike.src.get(identity)
    return bool(src and id_src and src.field and src.field == id_src.field)


def stand_ins(tunnel) -> list[str]:
    """What stood in for the gateways' own IPs in this tunnel, as notes for the user ("gateway IP unknown;
    compared with LocalId 1.2.3.4 instead"); empty when the input gave the real addresses."""
    ali, notes = tunnel.endpoint, []
    if _stand_in(ali, "local_address", "local_id"):
        notes.append(_("gateway IP unknown; compared with LocalId {address} instead ({field}); pass --vpn-gateway "
                       "VPNGW.json to use its InternetIp").format(address=ali.local_address,
                                                                   field=ali.src["local_address"].field))
    if _stand_in(ali, "peer_address", "remote_id"):
        notes.append(_("customer gateway IP unknown; compared with RemoteId {address} instead ({field}); pass "
                       "--customer-gateway CGW.json to use its IpAddress").format(address=ali.peer_address,
                                                                                  field=ali.src["peer_address"].field))
    elif ali.peer_address is None:
        notes.append(_("customer gateway IP unknown (not in the input, and RemoteId is not an IP): the device's "
                       "tunnel source address was not compared; pass --customer-gateway CGW.json "
                       "(DescribeCustomerGateway)"))
    return notes


@rule("PeerAddressUnverified", "info", N_("Peer address cannot be verified"),
      N_("Not an Alibaba error: the input lacks the VPN gateway's IP (e.g. a single-tunnel DescribeVpnConnection "
         "response without --vpn-gateway, and LocalId is not an IP), so the tunnel was paired with the device's "
         "only tunnel without comparing the address."), alibaba_code=None, needs_endpoint=False)
def peer_unverified(pair):
    """Says when the Alibaba gateway IP is unknown and the device's only tunnel was compared without checking
    its peer address (pass --vpn-gateway to check it).

    When LocalId / RemoteId stand in for the gateways' IPs, or the customer gateway IP is unknown, `check` says
    so in a note on stderr; a PeerMismatch finding names the stand-in in its message."""
    ali, ep = pair.ali, pair.endpoint
    if (ali.local_address is None and pair.match == "none" and pair.device.endpoints
            and not (pair.sibling_matched or pair.other_matched)):
        from analyzer.rules.pairing import gateway_source  # pairing imports the rules registry

        peers = ", ".join(sorted({e.peer_address for e in pair.candidates if e.peer_address})) \
            or _("no fixed address")
        yield Hit(_("the Alibaba gateway address is not known (no InternetIp in the input, and LocalId is not an "
                    "address), so this tunnel was paired with none of the device's tunnels (peers: {peers}) and "
                    "nothing of it was compared; pass --vpn-gateway VPNGW.json (DescribeVpnGateway), or set the "
                    "gateway's address as LocalId").format(peers=peers), alibaba=gateway_source(pair.tunnel),
                  severity="error", severity_reason=N_("nothing of this tunnel was compared"))
    elif ali.local_address is None and pair.match == "only":
        yield Hit(_("gateway IP unknown (not in the input, and LocalId is not an IP): paired with the device's only "
                    "tunnel (peer {peer}) without comparing the address; pass --vpn-gateway VPNGW.json "
                    "(DescribeVpnGateway)").format(peer=ep.peer_address), device=ep.at("peer_address"))


@rule("NoTunnelOnDevice", "error", N_("No site-to-site IPsec on the device"),
      N_("Static hints only: wrong peer address (NoResponse / Phase1NegotiationTimeout)."), alibaba_code="NoResponse",
      needs_endpoint=False)
def no_tunnel(pair):
    """The device config holds no IKE site-to-site tunnel at all, so nothing answers Alibaba."""
    if not pair.device.endpoints:
        yield Hit(_("no IKE site-to-site tunnel (crypto map entry with a peer, or tunnel protection) was found in "
                    "{file}; Alibaba's negotiation will get no response").format(file=pair.device.file),
                  alibaba=pair.ali.src.get("local_address"), alibaba_value=pair.ali.local_address,
                  fix=_("configure a tunnel to the Alibaba gateway (crypto map entry or VTI)"))


def _first_match(acl: AccessList, proto: str, src: str, dst: str | None, port: int | None):
    for e in acl.entries:
        if e.protocol not in ("ip", proto):
            continue
        if IPAddress(src) not in e.src:
            continue
        if is_ipv4(dst) and IPAddress(dst) not in e.dst:
            continue
        if e.protocol != "ip" and e.dst_ports is not None and port is not None:
            if not any(lo <= port <= hi for lo, hi in e.dst_ports):
                continue
        return e
    return None  # implicit deny


def _first_ip_match(acl: AccessList, sel, ranges: dict):
    """``_first_match(acl, "ip", str(sel.local.ip), str(sel.remote.ip), None)`` on integers: the same entry,
    without two address texts written and parsed again per selector and entry (50,000 selectors: 5 s -> 0.2 s).
    ``ranges`` keeps each access list's entry ranges for the caller's loop."""
    cached = ranges.get(acl.name)
    if cached is None:
        cached = ranges[acl.name] = [(e, e.src.version, e.src.first, e.src.last, e.dst.version, e.dst.first,
                                      e.dst.last) for e in acl.entries if e.protocol == "ip"]
    src, dst = sel.local, sel.remote
    sv, dv, sver, d4 = src.value, dst.value, src.version, dst.version == 4
    for e, ev, ef, el, dver, df, dl in cached:
        if ev != sver or not ef <= sv <= el:
            continue
        if d4 and (dver != 4 or not df <= dv <= dl):
            continue
        return e
    return None


_PORT_REASON = {500: N_("IKE always starts on UDP 500: the tunnel never comes up"),  # why an error, not the warning
                4500: N_("behind NAT, IKE and ESP move to UDP 4500: the tunnel never comes up"),
                None: N_("with no NAT in the path, the traffic rides in ESP: the tunnel carries none")}


_DENIES = N_("inbound access-list {acl} on {interface} denies {traffic} from {gateway}: {what} packets are dropped")
_NOT_PERMITTED = N_("inbound access-list {acl} on {interface} does not permit {traffic} from {gateway}: {what} packets "
                    "are dropped")
_ESP = N_("ESP (IP protocol 50)")


def _port_object(english: str, port: int | None, severity: str) -> dict:
    """Hit.extra naming the filtered traffic in the words of the English message (with the reason an error adds,
    as v0.3.0 read them from it), whatever the output language: fingerprints hash it (rule_meta.OBJECT_IN_MESSAGE)."""
    import re

    from analyzer.rule_meta import OBJECT_IN_MESSAGE

    said = english + (f" (error, not warning: {_PORT_REASON[port]})" if severity == "error" else "")
    return {"object": ",".join(m.group().casefold() for m in re.finditer(OBJECT_IN_MESSAGE["IkePortsFiltered"], said))}


@rule("IkePortsFiltered", "warning", N_("UDP 500/4500 filtered on the device"),
      N_("Device ACL/firewall on the tunnel interface not permitting UDP 500/4500 or the Alibaba gateway IP "
         "(NoResponse / Phase1NegotiationTimeout)."), alibaba_code="NoResponse")
def ike_ports_filtered(pair):
    """The inbound access list of the tunnel's outside interface must permit IKE (UDP 500, 4500) from Alibaba."""
    yield from _ike_ports(pair, pair.ali.local_address, pair.ali.src.get("local_address"))


@lint_of("IkePortsFiltered")
def lint_ike_ports(t):
    yield from _ike_ports(t, t.endpoint.peer_address, None)


def _ike_ports(pair, gw, gw_src):
    ep = pair.endpoint
    itf = pair.device.interfaces.get(ep.interface or "")
    if not is_ipv4(gw) or itf is None or not itf.acl_in:  # a peer given by host name: no address to test
        return
    acl = pair.device.acls.get(itf.acl_in)
    if acl is None or not acl.entries:
        return
    natted = is_private(ep.local_address)
    # UDP 500 always; with a NAT in the path IKE moves to UDP 4500 and ESP rides inside it, otherwise ESP
    # (IP protocol 50) must pass. Alibaba asks for 500 and 4500 open in both directions in any case.
    needs = [("udp", 500, "error", "IKE"), ("udp", 4500, "error" if natted else "warning", "IKE NAT-T"),
             ("esp", None, "warning" if natted else "error", "ESP")]
    for proto, port, severity, what in needs:
        hit = _first_match(acl, proto, gw, ep.local_address, port)
        if hit is None or hit.action == "deny":
            template = _DENIES if hit else _NOT_PERMITTED
            fields = {"acl": acl.name, "interface": itf.name, "gateway": gw, "what": what}
            english = template.format(traffic=f"UDP {port}" if port else _ESP, **fields)
            yield Hit(_(template).format(traffic=f"UDP {port}" if port else _(_ESP), **fields),
                      severity=severity, extra=_port_object(english, port, severity),
                      severity_reason=_PORT_REASON.get(port) if severity == "error" else None,
                      device=hit.source if hit else acl.source, alibaba=gw_src,
                      alibaba_value=gw, fix=pair.fixer.permit_ike(ep, acl.name, gw))


@rule("VpnTrafficNatted", "warning", N_("Source NAT catches VPN traffic"),
      N_("Alibaba IPsec-VPN FAQ: `nat enable` / source NAT matching the VPN traffic rewrites the source and breaks "
         "the tunnel's selectors; VPN traffic needs a no-NAT rule ordered before source NAT (Cisco: NAT exemption)."),
      alibaba_code=None, lint=True)
def vpn_traffic_natted(pair):
    """Source NAT on the tunnel's outside interface must exempt traffic that should enter the tunnel."""
    ep, dev = pair.endpoint, pair.device
    if ep.kind == "route" or not ep.selectors:
        return  # traffic routed into a tunnel interface does not cross the outside NAT
    by_rule: dict[int, list] = {}
    ranges: dict = {}
    for sel in ep.selectors:  # NAT rules apply in order: the first rule matching the traffic decides
        for i, nat in enumerate(dev.nat_rules):
            if nat.interface and ep.interface and nat.interface != ep.interface:
                continue
            if nat.acl is None:
                matched = True
            else:
                acl = dev.acls.get(nat.acl)
                entry = _first_ip_match(acl, sel, ranges) if acl else None
                matched = entry is not None and entry.action == "permit"
            if matched:
                if not nat.exempt:
                    by_rule.setdefault(i, []).append(sel)
                break
    for i, caught in by_rule.items():
        nat = dev.nat_rules[i]
        which = _("all traffic") if nat.acl is None else _("access-list {acl}").format(acl=nat.acl)

        yield Hit(_("source NAT ({which}) also translates VPN traffic {flows}: after NAT it no longer matches the "
                    "tunnel's selectors, so it leaves unencrypted or is dropped (one-way traffic)").format(
                      which=which, flows=listed(caught, ", ")),
                  device=nat.source, fix=pair.fixer.nat_exempt(ep, nat.acl, caught, device=dev))
