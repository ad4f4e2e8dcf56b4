"""What the Cisco IOS and ASA writers of `generate` share: each Alibaba tunnel read into the values the device side
must hold (mirrored), the refusals both platforms share, and the address/lifetime helpers.

Never reads the pre-shared key (the model holds it as a SecretStr): only whether Alibaba has one."""
from __future__ import annotations

from dataclasses import dataclass, field

from netaddr import IPNetwork

from analyzer.model import AlibabaTunnel, Identity
from analyzer.rules.common import is_private
from parsers.generation import PSK_PLACEHOLDER, GenerateRefused
from parsers.generation_checks import (bgp_auth_note, defaulted_note, refuse_ikev1_pairs, refuse_no_peer_asn,
                                       refuse_subnets)

GATEWAY_PLACEHOLDER = "REPLACE-WITH-ALIBABA-GATEWAY-IP"
WAN_PLACEHOLDER = "REPLACE-WITH-CUSTOMER-GATEWAY-IP"
MASK_PLACEHOLDER = "REPLACE-WITH-WAN-NETMASK"
# Alibaba's default LocalAsn when the input names none (shared/reference/alibaba/schema.md section 4), as the
# Huawei/H3C writers use (parsers/vrp_generation.py): a literal the device accepts, never a placeholder it rejects
ALIBABA_ASN_PLACEHOLDER = 45104
_SHORT = {"encryption": "IkeConfig.IkeEncAlg", "integrity": "IkeConfig.IkeAuthAlg", "dh_groups": "IkeConfig.IkePfs",
          "lifetime_s": "IkeConfig.IkeLifetime", "version": "IkeConfig.IkeVersion", "mode": "IkeConfig.IkeMode",
          "local_id": "IkeConfig.LocalId", "remote_id": "IkeConfig.RemoteId"}
_SHORT_ESP = {"encryption": "IpsecConfig.IpsecEncAlg", "integrity": "IpsecConfig.IpsecAuthAlg",
              "pfs_group": "IpsecConfig.IpsecPfs", "lifetime_s": "IpsecConfig.IpsecLifetime"}
_ALI_NAME = {"aes128": "aes"}  # canonical -> Alibaba API spelling (the rest are spelt alike)


@dataclass
class Bgp:
    device_ip: str  # the tunnel interface address (the /30's other host)
    alibaba_ip: str  # Alibaba's LocalBgpIp: the device's neighbor
    mask: str
    alibaba_asn: int | None
    device_asn: int | None


@dataclass
class Tunnel:
    """One Alibaba tunnel as the device must mirror it (device point of view)."""
    n: int
    label: str  # "tunnel 1 (master)"
    peer: str  # Alibaba gateway IP, or a placeholder
    wan: str | None  # the device's WAN address (customer gateway IP, or RemoteId behind NAT); None: not known
    version: str
    mode: str
    ike_enc: str
    ike_auth: str
    dh: int
    ike_life: int
    esp_enc: str
    esp_auth: str
    pfs: int | None
    esp_life: int
    dpd: bool
    natt: bool
    expect_id: Identity | None  # Alibaba LocalId: what the device expects from Alibaba
    present_id: Identity | None  # Alibaba RemoteId: what the device presents
    local_nets: list[IPNetwork]  # device side (Alibaba RemoteSubnet)
    remote_nets: list[IPNetwork]  # Alibaba side (Alibaba LocalSubnet)
    has_psk: bool
    bgp: Bgp | None = None
    route: bool = False  # written as a tunnel interface (set by set_route)
    notes: list[str] = field(default_factory=list)

    @property
    def destination_mode(self) -> bool:
        return all([str(n) for n in nets] == ["0.0.0.0/0"] for nets in (self.local_nets, self.remote_nets))


def ali_value(value) -> str:
    if isinstance(value, int):
        return f"group{value}"
    return _ALI_NAME.get(value, str(value))


def field_of(src: dict, attr: str, short: dict) -> str:
    """The Alibaba JSON path of a value (names the tunnel of a dual-tunnel connection), else its short name."""
    s = src.get(attr)
    return s.field if s is not None and s.field else short.get(attr, attr)


def refuse_ike(t: AlibabaTunnel, attr: str, value, vendor: str, why: str) -> GenerateRefused:
    return GenerateRefused(field_of(t.endpoint.ike.proposals[0].src or t.endpoint.ike.src, attr, _SHORT),
                           ali_value(value), vendor, why)


def refuse_esp(t: AlibabaTunnel, attr: str, value, vendor: str, why: str) -> GenerateRefused:
    src = t.endpoint.ipsec.src if attr == "pfs_group" else t.endpoint.ipsec.proposals[0].src
    return GenerateRefused(field_of(src, attr, _SHORT_ESP), ali_value(value), vendor, why)


def refuse_id(t: AlibabaTunnel, attr: str, ident: Identity, vendor: str, why: str) -> GenerateRefused:
    return GenerateRefused(field_of(t.endpoint.ike.src, attr, _SHORT), ident.value or ident.type, vendor, why)


def tunnels_of(tunnels: list[AlibabaTunnel], vendor: str) -> list[Tunnel]:
    """Every tunnel, checked for what no Cisco platform offers (the writers add their own refusals)."""
    if not tunnels:
        raise GenerateRefused("TunnelOptionsSpecification", "none", vendor, "the input holds no tunnel")
    out = []
    several = len(tunnels) > 1
    for n, t in enumerate(tunnels, 1):
        if t.unknown:  # a Terraform value known only after apply: the model holds a stand-in, never written
            raise GenerateRefused(t.unknown[0], "known after apply", vendor,
                                  "the value is not known before `terraform apply`; generate from the applied "
                                  "connection (DescribeVpnConnection) instead")
        out.append(_tunnel(n, t, vendor, several))
    return out


def _tunnel(n: int, t: AlibabaTunnel, vendor: str, several: bool) -> Tunnel:
    ep = t.endpoint
    ike, esp = ep.ike.proposals[0], ep.ipsec.proposals[0]
    for attr, value in (("encryption", ike.encryption[0]), ("integrity", ike.integrity[0])):
        if value in ("sm3", "sm4"):
            raise refuse_ike(t, attr, value, vendor, "Cisco offers no SM3/SM4 (ShangMi) algorithms")
    for attr, value in (("encryption", esp.encryption[0]), ("integrity", esp.integrity[0])):
        if value in ("sm3", "sm4"):
            raise refuse_esp(t, attr, value, vendor, "Cisco offers no SM3/SM4 (ShangMi) algorithms")
    role = f" ({t.role})" if t.role else ""
    peer = ep.local_address or (f"{GATEWAY_PLACEHOLDER}-{n}" if several else GATEWAY_PLACEHOLDER)
    tun = Tunnel(n=n, label=f"tunnel {n}{role}", peer=peer, wan=None, version=ep.ike.version, mode=ep.ike.mode,
                 ike_enc=ike.encryption[0], ike_auth=ike.integrity[0], dh=ike.dh_groups[0],
                 ike_life=ike.lifetime_s or 86400, esp_enc=esp.encryption[0], esp_auth=esp.integrity[0],
                 pfs=ep.ipsec.pfs_group, esp_life=ep.ipsec.lifetime_s or 86400, dpd=ep.ike.dpd.enabled,
                 natt=ep.ike.nat_traversal, expect_id=ep.ike.local_id, present_id=ep.ike.remote_id,
                 local_nets=list(t.remote_subnets), remote_nets=list(t.local_subnets),
                 has_psk=ep.ike.psk.form != "missing")
    if ep.local_address is None:
        tun.notes.append(f"the Alibaba gateway address of {tun.label} is not in the input: replace {peer} "
                         "(DescribeVpnGateway InternetIp)")
    tun.wan = _wan(tun, t, ep.peer_address)
    if tun.wan is None:
        tun.notes.append(f"the customer gateway address of {tun.label} is not in the input (and RemoteId is not an "
                         f"address): replace {WAN_PLACEHOLDER} with the WAN address Alibaba knows the device by")
    for value, what in ((ike.lifetime_s, "IkeConfig.IkeLifetime = 0: written as the device default, 86400 s"),
                        (ep.ipsec.lifetime_s, "IpsecConfig.IpsecLifetime = 0: written as 86400 s")):
        if not value:  # Alibaba's 0 is no value a device takes (the check compares no lifetime then)
            tun.notes.append(f"{tun.label}: {what}")
    for note in (defaulted_note(t, tun.label), bgp_auth_note(t, tun.label)):
        if note:
            tun.notes.append(note)
    if ep.ike.version == "ikev2" and ep.ike.mode == "aggressive":
        tun.notes.append("IkeConfig.IkeMode = aggressive does not apply to IKEv2 (IKEv2 has no exchange modes): "
                         "nothing to configure for it")
    tun.bgp = _bgp(t, vendor)
    return tun


def _wan(tun: Tunnel, t: AlibabaTunnel, cgw: str | None) -> str | None:
    """The device's WAN address: the customer gateway IP; the RemoteId address instead when it is private and
    differs (the device sits behind NAT and presents its own address)."""
    ident = tun.present_id
    if ident is not None and ident.type == "ip" and cgw and ident.value != cgw and is_private(ident.value):
        tun.notes.append(f"RemoteId {ident.value} is a private address and the customer gateway is {cgw}: the "
                         f"device is written behind NAT with {ident.value} (NAT-T must be on at both ends)")
        return ident.value
    return cgw or (ident.value if ident is not None and ident.type == "ip" else None)


def _bgp(t: AlibabaTunnel, vendor: str) -> Bgp | None:
    b = t.endpoint.bgp
    if b is None:
        return None
    refuse_no_peer_asn(t, vendor)
    src = b.source.field if b.source is not None and b.source.field else "BgpConfig"
    try:
        cidr = IPNetwork(b.tunnel_cidr) if b.tunnel_cidr else None
    except Exception:  # the loader validated it; a stand-in never reaches here (unknown fields are refused)
        cidr = None
    if cidr is None or cidr.prefixlen != 30:
        raise GenerateRefused(f"{src}.TunnelCidr", str(b.tunnel_cidr), vendor,
                              "BGP over the tunnel needs the tunnel /30 (TunnelCidr) to address the tunnel interface")
    hosts = [str(h) for h in cidr.iter_hosts()]
    alibaba_ip = b.local_ip if b.local_ip in hosts else hosts[0]
    other = next(h for h in hosts if h != alibaba_ip)
    device_ip = b.peer_ip if b.peer_ip in hosts and b.peer_ip != alibaba_ip else other
    return Bgp(device_ip=device_ip, alibaba_ip=alibaba_ip, mask=str(cidr.netmask), alibaba_asn=b.local_asn,
               device_asn=b.peer_asn)


def lifetime(value: int, low: int, high: int, what: str, notes: list[str]) -> int:
    """``value`` within the platform's range; a clamped value is said in a note (a lifetime that differs is a
    LifetimeMismatch warning, not a failed negotiation)."""
    fitted = min(max(value, low), high)
    if fitted != value:
        notes.append(f"{what} {value} s is outside the platform's range {low}-{high} s: {fitted} s written")
    return fitted


def wans(tuns: list[Tunnel]) -> list[str | None]:
    """The distinct WAN addresses, in tunnel order (a dual-tunnel connection may name two customer gateways)."""
    return list(dict.fromkeys(t.wan for t in tuns))


def set_route(tuns: list[Tunnel], style: str) -> None:
    """Which tunnels are written as tunnel interfaces (all in `route` style; in `policy` style those with BGP or
    in destination-routing mode, said in a note)."""
    for t in tuns:
        t.route = style == "route" or t.bgp is not None or t.destination_mode
        if style == "policy" and t.bgp is not None:
            t.notes.append(f"{t.label}: BGP runs over a tunnel interface: written in route style although `policy` "
                           "was asked for (a crypto map carries no BGP session)")
        elif style == "policy" and t.route:
            t.notes.append(f"{t.label}: LocalSubnet = RemoteSubnet = 0.0.0.0/0 is Alibaba's destination-routing "
                           "mode: written in route style although `policy` was asked for (a crypto map for "
                           "0.0.0.0/0 would encrypt every packet leaving the WAN interface)")


def refuse_flows(t: Tunnel, tunnel: AlibabaTunnel, vendor: str) -> None:
    """What no crypto ACL can carry: an empty subnet (nothing to protect), several IKEv1 CIDR pairs."""
    refuse_ikev1_pairs(tunnel, vendor)
    if not t.route:
        refuse_subnets(tunnel, vendor)


def refuse_route_ikev1(t: Tunnel, tunnel: AlibabaTunnel, vendor: str) -> None:
    """A tunnel interface negotiates 0.0.0.0/0; Alibaba takes IKEv1 selectors only when they match exactly."""
    if t.route and t.version == "ikev1" and not t.destination_mode:
        src = tunnel.endpoint.src.get("selectors")
        raise GenerateRefused(src.field.split(",")[0] if src is not None and src.field else "LocalSubnet",
                              ",".join(map(str, tunnel.local_subnets)), vendor,
                              "route style negotiates 0.0.0.0/0 selectors and Alibaba requires IKEv1 selectors to "
                              "match its subnets exactly: use --style policy, IKEv2, or LocalSubnet = RemoteSubnet "
                              "= 0.0.0.0/0")


def key_note(tuns: list[Tunnel]) -> str:
    missing = [t.label for t in tuns if not t.has_psk]
    text = (f"{PSK_PLACEHOLDER} stands for each tunnel's pre-shared key (IkeConfig.Psk): paste the key from the "
            "Alibaba console; the generator never writes it")
    if missing:
        text += f". The input carries no Psk for {', '.join(missing)} (Alibaba generates one on create)"
    return text


