"""What the Huawei VRP and H3C Comware `generate` writers share: one plan per Alibaba tunnel (addresses, identities,
flows, BGP), the refusals every vendor makes, and the small text helpers both syntaxes use (`#` comments, wildcard
ACL rules, dotted masks).

Mirror rule (analyzer/rules/ike.py PeerIdMismatch): Alibaba's LocalId is what the device must expect from its peer,
Alibaba's RemoteId what the device must present; Alibaba's LocalSubnet is the device's remote side.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from netaddr import IPNetwork

from analyzer.model import AlibabaTunnel, Identity
from parsers.generation import GenerateRefused
from parsers.generation_checks import bgp_auth_note, defaulted_note, refuse_ikev1_pairs, refuse_no_peer_asn, refuse_subnets
from parsers.vrp_common import wildcard_addr

# Alibaba's default LocalAsn when the input names none (shared/reference/alibaba/schema.md section 4; the
# round-trip strategy uses the same value)
ALIBABA_DEFAULT_ASN = 45104
_LINK_LOCAL = IPNetwork("169.254.0.0/16")
_RESERVED = [IPNetwork(f"169.254.{i}.0/30") for i in range(7)] + [IPNetwork("169.254.169.252/30")]


def mask(net: IPNetwork) -> str:
    return str(net.netmask)


def acl_rules(flows: list[tuple[IPNetwork, IPNetwork]]) -> list[str]:
    """` rule N permit ip source A W destination B W` lines, numbered in steps of 5 (the VRP/Comware default step)."""
    return [f" rule {5 * i} permit ip source {wildcard_addr(lo)} destination {wildcard_addr(re)}"
            for i, (lo, re) in enumerate(flows, 1)]


def comment(*lines: str) -> list[str]:
    """Flush-left `#` lines: both exports print `#` between blocks, so a comment never splits a block."""
    return [f"# {line}" if line else "#" for line in lines]


@dataclass
class Bgp:
    cidr: IPNetwork
    alibaba_ip: str
    device_ip: str
    alibaba_asn: int
    device_asn: int  # Alibaba's PeerAsn (a connection without it is refused)


@dataclass
class Plan:
    """One tunnel as the device must see it."""

    number: int  # 1, 2: used in object names
    tunnel: AlibabaTunnel
    gateway: str  # the Alibaba tunnel IP: the device's peer
    customer: str | None  # the address the device's WAN interface must hold (None: not in the input)
    expect: Identity | None  # what the device expects the peer to present (Alibaba LocalId)
    present: Identity | None  # what the device must present (Alibaba RemoteId)
    flows: list[tuple[IPNetwork, IPNetwork]] = field(default_factory=list)  # (device local, device remote)
    bgp: Bgp | None = None
    nat_public: str | None = None  # behind NAT: the customer gateway IP the NAT in front translates to

    @property
    def ali(self):
        return self.tunnel.endpoint

    @property
    def destination_mode(self) -> bool:
        return self.tunnel.routing_mode == "destination"

    def path(self, where: str, attr: str, fallback: str) -> str:
        """The Alibaba JSON path of a value (`TunnelOptionsSpecification...TunnelIkeConfig.IkeEncAlg`), for refusals."""
        ep = self.ali
        src = {"ike": ep.ike.src, "ipsec": ep.ipsec.src, "ike-proposal": ep.ike.proposals[0].src,
               "esp": ep.ipsec.proposals[0].src, "endpoint": ep.src}[where].get(attr)
        # the selectors' source names both subnet fields ("LocalSubnet, RemoteSubnet"): the first one is named
        return src.field.split(", ")[0] if src is not None and src.field else fallback


def refuse(plan: Plan, where: str, attr: str, fallback: str, value, vendor: str, why: str) -> GenerateRefused:
    return GenerateRefused(plan.path(where, attr, fallback), str(value), vendor, why)


def plans(tunnels: list[AlibabaTunnel], vendor: str) -> list[Plan]:
    """Every tunnel's plan, refusing what no device configuration can make pass the check."""
    if not tunnels:
        raise GenerateRefused("connection", "no tunnel", vendor, "the input holds no IPsec connection")
    if len({t.connection_key for t in tunnels}) > 1:
        raise GenerateRefused("connection", ", ".join(dict.fromkeys(t.connection_key for t in tunnels)), vendor,
                              "the input holds several connections: generate one at a time")
    return [_plan(i, t, vendor) for i, t in enumerate(tunnels, 1)]


def _plan(number: int, t: AlibabaTunnel, vendor: str) -> Plan:
    ep = t.endpoint
    if t.unknown:
        raise GenerateRefused(t.unknown[0], "known after apply", vendor,
                              "the value is not known yet (Terraform plan): generate from the applied connection")
    if not ep.local_address:
        raise GenerateRefused(ep.src["local_address"].field or "InternetIp", "not in the input", vendor,
                              "the Alibaba gateway IP (the device's peer address) is unknown: pass --vpn-gateway "
                              "VPNGW.json or set LocalId to the gateway IP")
    plan = Plan(number, t, ep.local_address, ep.peer_address, ep.ike.local_id, ep.ike.remote_id)
    from analyzer.rules.common import is_private  # the checker's own test (RFC 1918 + CGN): the verdicts agree

    present = ep.ike.remote_id
    if present is not None and present.type == "ip" and present.value != plan.customer and is_private(present.value):
        # behind NAT: the device holds the private address it presents; the NAT in front maps it to the customer
        # gateway IP (analyzer/rules/addressing.py PeerMismatch: a warning), and NAT-T must be on (NatTMismatch)
        if not ep.ike.nat_traversal:
            raise refuse(plan, "ike", "nat_traversal", "EnableNatTraversal", "false", vendor,
                         f"RemoteId {present.value} is a private address (the device sits behind NAT), which needs "
                         "NAT traversal on both sides")
        plan.nat_public, plan.customer = plan.customer, present.value
    plan.flows = [(s.remote, s.local) for s in ep.selectors]
    refuse_ikev1_pairs(t, vendor)
    v1 = ep.ike.version == "ikev1"
    if v1 and ep.ike.mode == "main":  # analyzer/rules/ike.py PeerIdMismatch: IKEv1 main mode takes IP identities only
        for attr, ident in (("local_id", ep.ike.local_id), ("remote_id", ep.ike.remote_id)):
            if ident is not None and ident.type not in ("ip", "any"):
                raise refuse(plan, "ike", attr, f"IkeConfig.{'LocalId' if attr == 'local_id' else 'RemoteId'}",
                             ident.value, vendor, "IKEv1 main mode carries IP-address identities only: use "
                                                  "aggressive mode or IKEv2")
    if ep.bgp is not None:
        plan.bgp = _bgp(plan, vendor)
    return plan


def _bgp(plan: Plan, vendor: str) -> Bgp:
    refuse_no_peer_asn(plan.tunnel, vendor)
    b = plan.ali.bgp
    where = b.source.field if b.source and b.source.field else "BgpConfig"
    try:
        cidr = IPNetwork(b.tunnel_cidr) if b.tunnel_cidr else None
    except Exception:
        cidr = None
    if cidr is None or cidr.prefixlen != 30 or cidr not in _LINK_LOCAL or any(cidr == r for r in _RESERVED):
        raise GenerateRefused(f"{where}.TunnelCidr", str(b.tunnel_cidr), vendor,
                              "BGP needs a /30 inside 169.254.0.0/16 (not 169.254.0-6.0/30 or 169.254.169.252/30)")
    hosts = [str(h) for h in list(cidr)[1:3]]
    if b.local_ip not in hosts:
        raise GenerateRefused(f"{where}.LocalBgpIp", str(b.local_ip), vendor,
                              f"Alibaba's BGP IP must be a host address of TunnelCidr {cidr}")
    device_ip = b.peer_ip if b.peer_ip in hosts and b.peer_ip != b.local_ip else \
        next(h for h in hosts if h != b.local_ip)
    return Bgp(cidr, b.local_ip, device_ip, b.local_asn or ALIBABA_DEFAULT_ASN, b.peer_asn)


def lifetime(plan: Plan, where: str, attr: str, fallback: str, value: int | None, low: int, high: int, vendor: str,
             cite: str) -> int | None:
    """The seconds to write, None when Alibaba's value is 0 (the checks compare no lifetime then; the device default
    applies); a value outside the vendor's range is refused."""
    if not value:
        return None
    if not low <= value <= high:
        raise refuse(plan, where, attr, fallback, value, vendor, f"outside the device's range {low}-{high} s ({cite})")
    return value


def route_selectors(p: Plan, style: str, vendor: str) -> None:
    """A tunnel interface negotiates 0.0.0.0/0 both ways: with IKEv1 (identical flows required) only a connection
    that routes by destination can use one. An ACL needs both subnets (an empty one protects nothing)."""
    if style == "policy":
        refuse_subnets(p.tunnel, vendor)
    if style == "route" and not p.destination_mode and p.ali.ike.version == "ikev1":
        raise refuse(p, "endpoint", "selectors", "LocalSubnet", ",".join(map(str, p.tunnel.local_subnets)), vendor,
                     "a tunnel interface negotiates 0.0.0.0/0 both ways and IKEv1 needs identical flows: use --style "
                     "policy, IKEv2, or LocalSubnet = RemoteSubnet = 0.0.0.0/0")


IKE_DEFAULT_S = 86400  # the IKE SA lifetime both vendors apply without `sa duration` (defaults.py rows of each)


def ike_lifetime(plan: Plan, low: int, high: int, vendor: str, cite: str) -> tuple[int, list[str]]:
    """The IKE SA lifetime to write and a comment: Alibaba's 0 s is no value a device takes, so the device default is
    written (left out, it would be a default whose value the parser may only know per release)."""
    ike = plan.ali.ike.proposals[0]
    value = lifetime(plan, "ike-proposal", "lifetime_s", "IkeConfig.IkeLifetime", ike.lifetime_s, low, high, vendor,
                     cite)
    if value:
        return value, []
    return IKE_DEFAULT_S, comment(f"IkeConfig.IkeLifetime = 0: written as the device default, {IKE_DEFAULT_S} s")


def header(vendor_title: str, plans_: list[Plan], style: str, asked: str) -> list[str]:
    t = plans_[0].tunnel
    lines = [f"ipsec-preflight generate: {vendor_title}, connection {t.connection_id or t.connection_name or t.file}, "
             f"{len(plans_)} tunnel(s), {style} style",
             "Review before pasting: interface names and masks, routes, and the pre-shared key placeholder",
             "(REPLACE-WITH-PRE-SHARED-KEY: paste the connection's Psk; this file never holds it)."]
    lines += [n for p in plans_ for n in (defaulted_note(p.tunnel, f"tunnel {p.number}"),
                                          bgp_auth_note(p.tunnel, f"tunnel {p.number}")) if n]
    if asked != style:
        lines.append(f"--style {asked} was asked: this connection runs BGP (BgpConfig.EnableBgp), which needs a "
                     "tunnel interface, so it is written in route style")
    return comment(*lines)


def customers(ps: list[Plan]) -> list[str | None]:
    """The distinct addresses the device must hold, in tunnel order: a dual-tunnel connection may register two
    customer gateways, so the device gets one WAN interface per address."""
    return list(dict.fromkeys(p.customer for p in ps))


def wan_number(ps: list[Plan], p: Plan) -> int:
    return customers(ps).index(p.customer) + 1


def wan_section(ps: list[Plan], wan_name, policy_line) -> list[str]:
    """The WAN interface(s), one per customer-gateway address; ``wan_name(ps, p)`` names one, ``policy_line(ps, p)``
    is the line that applies the IPsec policy group there (None: route style)."""
    out = []
    for customer in customers(ps):
        p = next(q for q in ps if q.customer == customer)
        name = wan_name(ps, p)
        out += comment(f"{name}: a placeholder for the interface that holds the customer gateway IP (mask: review)")
        if not customer:
            out += comment("the customer gateway IP is not in the input: give this interface its public address")
        if p.nat_public:
            out += comment(f"behind NAT: the device presents {customer} (RemoteId); the NAT in front must translate "
                           f"it to the customer gateway IP {p.nat_public} and pass UDP 500/4500")
        out += [f"interface {name}", " description WAN to Alibaba Cloud VPN"]
        out += [f" ip address {customer} 255.255.255.0"] if customer else []
        out += [policy_line(ps, p)] if policy_line else []
        out.append("#")
    return out


def static_routes(ps: list[Plan], tunnel, prefix) -> list[str]:
    """Static routes to the VPC over each tunnel interface (``tunnel(p)``: its name; ``prefix(net)``: how the route
    writes a prefix); tunnel 2 stands by at preference 70 (the default static preference is 60)."""
    out = []
    for p in ps:
        pref = "" if p.number == 1 else " preference 70"
        if p.destination_mode:
            out += comment(f"route your VPC CIDRs to {tunnel(p)}{pref} (the connection routes by destination, "
                           "0.0.0.0/0, so it names none)")
        for _, remote in dict.fromkeys(p.flows):
            out.append(f"ip route-static {remote.network} {prefix(remote)} {tunnel(p)}{pref}")
    return out + ["#"] if out else []


def bgp_section(ps: list[Plan], family: str) -> list[str]:
    """`bgp` with one peer per tunnel (``family``: the IPv4 unicast view's name on this vendor)."""
    device_asn = ps[0].bgp.device_asn  # plans() refuses a connection without PeerAsn
    nets = dict.fromkeys(local for p in ps for local, _ in p.flows if local.prefixlen)
    out = [] if nets else comment(f"advertise your on-premises networks under {family} (`network A MASK`)")
    out += [f"bgp {device_asn}"] + [f" peer {p.bgp.alibaba_ip} as-number {p.bgp.alibaba_asn}" for p in ps]
    out += [" #", f" {family}"] + [f"  peer {p.bgp.alibaba_ip} enable" for p in ps]
    return out + [f"  network {n.network} {mask(n)}" for n in nets] + ["#"]
