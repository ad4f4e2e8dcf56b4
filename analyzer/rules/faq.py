"""FAQ conditions that are not a single API code: one value per parameter, BGP, MTU, health check."""
from __future__ import annotations

from netaddr import IPAddress, IPNetwork

from analyzer.i18n import N_, _
from analyzer.rules import Hit, lint_of, rule
from analyzer.rules.common import ali_ike, offered

_RESERVED = [IPNetwork(f"169.254.{i}.0/30") for i in range(7)] + [IPNetwork("169.254.169.252/30")]
_LINK_LOCAL = IPNetwork("169.254.0.0/16")
# Alibaba "Configure MTUs" (https://www.alibabacloud.com/help/en/vpn/sub-product-ipsec-vpn/support/set-mtu-values):
# maximum user MTU = min(public interface MTU, path MTU) - 101, 101 = the maximum encryption overhead; "for
# standard Ethernet networks, the default path MTU is 1,500 bytes" (the device cannot tell us the path MTU).
IPSEC_OVERHEAD = 101
DEFAULT_PATH_MTU = 1500
TCP_IP_HEADERS = 40  # IPv4 20 + TCP 20 bytes: the MSS that fits a user MTU


@rule("MultipleProposals", "warning", N_("Several values for one parameter"),
      N_("Alibaba IPsec-VPN FAQ: the device lists several values for one parameter (several encryption algorithms, "
         "transform sets, proposals): negotiation can flap between success and failure; pin to the Alibaba value."),
      alibaba_code=None)
def multiple_values(pair):
    """A match exists if one proposal matches, but Alibaba takes exactly one value per parameter."""
    ali, ep = pair.ali, pair.endpoint
    a = ali_ike(ali)
    for attr, label in _PARAMETERS:
        values = offered(ep.ike.proposals, attr)
        if len(values) > 1:
            yield Hit(_("the device offers {count} IKE {parameter} values ({values}) across {proposals} "
                        "proposal(s); pin the one Alibaba uses").format(
                          count=len(values), parameter=_(label), values=", ".join(map(str, values)),
                          proposals=len(ep.ike.proposals)),
                      device=ep.ike.at("proposals"), fix=pair.fixer.ike_proposal(
                          ep, a.encryption[0], a.integrity[0], a.dh_groups[0], a.lifetime_s or 86400, device=pair.device))
            break
    props = ep.ipsec.proposals
    if len(props) > 1 or any(len(p.encryption) > 1 or len(p.integrity) > 1 for p in props):
        e = ali.ipsec.proposals[0]
        yield Hit(_(_IPSEC_VALUES).format(count=len(props), values=_ipsec_values(props)),
                  device=ep.ipsec.at("proposals"), fix=pair.fixer.ipsec_proposal(ep, e.encryption[0], e.integrity[0],
                                                                                  device=pair.device, pfs=ali.ipsec.pfs_group))


@rule("BgpConfigMismatch", "error", N_("BGP over IPsec misconfigured"),
      N_("Alibaba IPsec-VPN FAQ: tunnel CIDR must be a /30 inside 169.254.0.0/16; the Alibaba BGP IP and the device "
         "BGP IP must be in that same /30 and differ; the ASNs must agree with what each side expects."),
      alibaba_code=None)
def bgp(pair):
    """Tunnel /30 rules and mirrored BGP addresses and AS numbers."""
    ali, ep = pair.ali, pair.endpoint
    b = ali.bgp
    if b is None:
        return
    src = b.source
    cidr = None
    try:
        cidr = IPNetwork(b.tunnel_cidr) if b.tunnel_cidr else None
    except Exception:
        pass
    if cidr is None or cidr.prefixlen != 30 or cidr not in _LINK_LOCAL or any(cidr == r for r in _RESERVED):
        yield Hit(_("TunnelCidr {cidr} must be a /30 inside 169.254.0.0/16, not 169.254.0-6.0/30 or "
                    "169.254.169.252/30").format(cidr=b.tunnel_cidr), alibaba=src, alibaba_value=b.tunnel_cidr,
                  extra=_about("tunnelcidr"))
        return
    if b.local_ip and IPAddress(b.local_ip) not in cidr:
        yield Hit(_("LocalBgpIp {address} is outside TunnelCidr {cidr}").format(address=b.local_ip, cidr=cidr),
                  alibaba=src, alibaba_value=b.local_ip, extra=_about("localbgpip,tunnelcidr"))
    d = ep.bgp
    if d is None:
        yield Hit(_("BGP is enabled on Alibaba but the device has no BGP neighbor over this tunnel"),
                  severity="warning", severity_reason=N_("the tunnel negotiates; only dynamic routing over it is "
                                                         "missing"), alibaba=src, alibaba_value=str(cidr),
                  device=ep.origin, extra=_about("no bgp neighbor"),
                  fix=pair.fixer.bgp_neighbor(ep, pair.device.bgp_asn, b.local_ip, b.local_asn))
        return
    if d.local_ip and (IPAddress(d.local_ip) not in cidr or d.local_ip == b.local_ip):
        yield Hit(_("the device's tunnel address {device} must be the other address of {cidr} (Alibaba uses "
                    "{alibaba})").format(device=d.local_ip, cidr=cidr, alibaba=b.local_ip),
                  alibaba=src, alibaba_value=b.local_ip, device=d.source, extra=_about("tunnel address"))
    if d.peer_ip and b.local_ip and d.peer_ip != b.local_ip:
        yield Hit(_("the device's BGP neighbor is {device}, Alibaba's BGP IP is {alibaba}").format(
                  device=d.peer_ip, alibaba=b.local_ip),
                  alibaba=src, alibaba_value=b.local_ip, device=d.source, extra=_about("bgp neighbor is"),
                  fix=pair.fixer.bgp_neighbor(ep, d.local_asn or pair.device.bgp_asn, b.local_ip, b.local_asn))
    if d.peer_asn and b.local_asn and d.peer_asn != b.local_asn:
        yield Hit(_("the device expects AS {device}, Alibaba's LocalAsn is {alibaba}").format(device=d.peer_asn,
                                                                                            alibaba=b.local_asn),
                  alibaba=src, alibaba_value=b.local_asn, device=d.source, extra=_about("expects as"))
    if d.local_asn and b.peer_asn and d.local_asn != b.peer_asn:
        yield Hit(_("the device runs AS {device}, Alibaba expects PeerAsn {alibaba}").format(device=d.local_asn,
                                                                                           alibaba=b.peer_asn),
                  alibaba=src, alibaba_value=b.peer_asn, device=d.source, extra=_about("runs as"))


@rule("MtuTooLarge", "warning", N_("Tunnel MTU or MSS too large"),
      N_("Alibaba IPsec-VPN FAQ and \"Configure MTUs\" (alibabacloud.com/help/en/vpn/sub-product-ipsec-vpn/support/"
         "set-mtu-values): the gateway carries fragments but does not fragment or reassemble; maximum user MTU = "
         "min(public interface MTU, path MTU) - 101 bytes (1399 with a 1500-byte path), TCP MSS = user MTU - 40; "
         "gateways created before 2021-04-01 have trouble above 1300."), alibaba_code=None, lint=True)
def mtu(pair):
    """Tunnel MTU (route-based) and TCP MSS above min(WAN MTU, path MTU) - 101; the WAN MTU is only an input."""
    ep = pair.endpoint
    if not ep.tcp_mss and not (ep.kind == "route" and ep.tunnel_mtu):
        return  # nothing set on the device to compare
    limit, basis = _user_mtu_limit(ep.wan_mtu, ep.src.get("wan_mtu"))
    mss_limit = limit - TCP_IP_HEADERS
    if ep.kind == "route":
        fix = pair.fixer.mtu(ep, limit, mss_limit)
    else:  # no tunnel interface: the MTU to change is not the WAN's, the TCP MSS is what fits the traffic
        fix = _("clamp the TCP MSS of the traffic to the VPC to {mss} or less on the device (keep the WAN interface "
                "MTU: it is an input to the limit, lowering it lowers the limit too)").format(mss=mss_limit)
    if ep.kind == "route" and ep.tunnel_mtu and ep.tunnel_mtu > limit:
        yield Hit(_("tunnel MTU {mtu} exceeds the user-MTU limit {limit} = {basis}; the gateway does not fragment or "
                    "reassemble, so larger packets are lost").format(mtu=ep.tunnel_mtu, limit=limit, basis=basis),
                  device=ep.at("tunnel_mtu"), fix=fix, extra=_about("tunnel mtu"))
    if ep.tcp_mss and ep.tcp_mss > mss_limit:
        yield Hit(_("TCP MSS {mss} exceeds {mss_limit} (user-MTU limit {limit} - {headers} bytes of IP and TCP "
                    "headers; {limit} = {basis})").format(mss=ep.tcp_mss, mss_limit=mss_limit, limit=limit,
                                                          headers=TCP_IP_HEADERS, basis=basis),
                  device=ep.at("tcp_mss"), fix=fix, extra=_about("tcp mss"))


def _about(what: str) -> dict:
    """Hit.extra naming what a finding is about, in the words the English message has (fingerprints hash them, in
    any output language: analyzer.rule_meta.OBJECT_IN_MESSAGE)."""
    return {"object": what}


def _user_mtu_limit(wan_mtu: int | None, wan_src) -> tuple[int, str]:
    """Alibaba's maximum user MTU and how it was reached, naming each assumed input."""
    at = _(" (line {line})").format(line=wan_src.line) if wan_src is not None and wan_src.line else ""
    wan = (f"WAN MTU {wan_mtu}{at}" if wan_mtu else  # not set, or the outside interface was not found
           _("WAN MTU not known (no `mtu` line found for the outside interface): {mtu} assumed").format(
               mtu=DEFAULT_PATH_MTU))
    path = _("path MTU unknown: {mtu} assumed").format(mtu=DEFAULT_PATH_MTU)
    limit = min(wan_mtu or DEFAULT_PATH_MTU, DEFAULT_PATH_MTU) - IPSEC_OVERHEAD
    return limit, _("min({wan}, {path}) - {overhead} bytes of IPsec overhead").format(wan=wan, path=path,
                                                                                      overhead=IPSEC_OVERHEAD)


@rule("HealthCheckTarget", "warning", N_("Health check cannot succeed"),
      N_("Alibaba IPsec-VPN FAQ: the health-check target must be reachable through the tunnel and reply on the same "
         "path; a failing health check resets the tunnel."), alibaba_code=None, needs_endpoint=False)
def health_check(pair):
    """Health-check source must be a VPC address and destination an on-premises address in the flows."""
    t = pair.tunnel
    hc = t.health_check
    if hc is None or t.routing_mode != "protected-flows":
        return
    src = t.endpoint.src.get("selectors")
    if hc.dest_ip and not any(IPAddress(hc.dest_ip) in n for n in t.remote_subnets):
        yield Hit(_("health check destination {address} is outside RemoteSubnet ({subnets}): probes never cross "
                    "the tunnel and the check resets it").format(address=hc.dest_ip,
                                                                 subnets=", ".join(map(str, t.remote_subnets))),
                  alibaba=src, alibaba_value=hc.dest_ip)
    if hc.source_ip and not any(IPAddress(hc.source_ip) in n for n in t.local_subnets):
        yield Hit(_("health check source {address} is outside LocalSubnet ({subnets})").format(
                  address=hc.source_ip, subnets=", ".join(map(str, t.local_subnets))),
                  alibaba=src, alibaba_value=hc.source_ip)


@lint_of("MultipleProposals")
def lint_multiple_values(t):
    ep = t.endpoint
    for attr, label in _PARAMETERS:
        values = offered(ep.ike.proposals, attr)
        if len(values) > 1:
            yield Hit(_("the device offers {count} IKE {parameter} values ({values}); Alibaba takes exactly one per "
                        "parameter: pin the one the connection uses").format(
                          count=len(values), parameter=_(label), values=", ".join(map(str, values))),
                      device=ep.ike.at("proposals"))
            break
    props = ep.ipsec.proposals
    if len(props) > 1 or any(len(p.encryption) > 1 or len(p.integrity) > 1 for p in props):
        yield Hit(_(_IPSEC_VALUES).format(count=len(props), values=_ipsec_values(props)),
                  device=ep.ipsec.at("proposals"))


_PARAMETERS = (("encryption", N_("encryption")), ("integrity", N_("integrity")), ("dh_groups", N_("DH groups")))
_IPSEC_VALUES = N_("the device offers {count} IPsec proposal(s) with several values ({values}); pin the one Alibaba "
                   "uses")


def _ipsec_values(props) -> str:
    # a transform set whose every value the device refuses (FN72510) has nothing left to show
    return "; ".join("/".join(p.encryption + p.integrity) or _("{proposal}: nothing usable").format(proposal=p.name)
                     for p in props)
