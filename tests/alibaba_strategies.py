"""Hypothesis strategies for random VALID Alibaba IPsec connections, in the JSON shapes parsers/alibaba.py reads.

`cases()` draws a `Case`: a DescribeVpnConnection document (single tunnel, or dual tunnel with
TunnelOptionsSpecification), plus the VPN-gateway and customer-gateway descriptions `check` takes with
--vpn-gateway / --customer-gateway when the connection does not carry an address itself (an FQDN LocalId or
RemoteId, or an identity left to its default). Every value is one Alibaba accepts (shared/reference/alibaba/schema.md
§2.2, §2.3, §3, §8, the CreateVpnConnection parameter texts; analyzer/algorithms.py): nothing here is meant to be
refused by the loader. Which of those values a vendor lacks is the round-trip test's table, not this module's.
"""
from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

from analyzer.algorithms import ALIBABA_DH_GROUPS, ALIBABA_ENCRYPTION, ALIBABA_INTEGRITY

# The API spells AES-128 "aes" (schema.md §8); analyzer/algorithms.py uses canonical names.
ENC_VALUES = tuple("aes" if e == "aes128" else e for e in ALIBABA_ENCRYPTION)
AUTH_VALUES = ALIBABA_INTEGRITY
DH_VALUES = tuple(f"group{g}" for g in ALIBABA_DH_GROUPS)
PFS_VALUES = ("disabled",) + DH_VALUES
LIFETIME_MAX = 86400  # IkeLifetime / IpsecLifetime: 0-86400 s (CreateVpnConnection; schema.md §2.2, §2.3)
ALIBABA_ASN = 45104  # LocalAsn default; a customer gateway may not use it (schema.md §4)


@dataclass
class Case:
    """One drawn connection and the gateway descriptions a user would pass with it."""
    connection: dict
    vpn_gateway: dict | None = None  # DescribeVpnGateway (InternetIp, DisasterRecoveryInternetIp)
    customer_gateways: dict | None = None  # DescribeCustomerGateways page (one entry per CustomerGatewayId)
    psks: list[str] = field(default_factory=list)  # every key in the document: none may show in any output

    def __repr__(self) -> str:
        """Hypothesis prints a failing example with this: the keys are masked (no key in a test failure)."""
        shown = json.dumps(self.connection)
        for key in self.psks:
            shown = shown.replace(json.dumps(key)[1:-1], "<redacted>")
        return (f"Case(connection={shown}, vpn_gateway={json.dumps(self.vpn_gateway)}, "
                f"customer_gateways={json.dumps(self.customer_gateways)})")

    def _repr_pretty_(self, printer, cycle) -> None:  # hypothesis' pretty printer would show the fields
        printer.text(repr(self))

    def write(self, folder: Path) -> dict[str, Path]:
        """The files, as `check` reads them: {"connection": ..., "vpn_gateway": ..., "customer_gateway": ...}."""
        out = {"connection": folder / "connection.json"}
        out["connection"].write_text(json.dumps(self.connection, indent=2))
        if self.vpn_gateway:
            out["vpn_gateway"] = folder / "vpngw.json"
            out["vpn_gateway"].write_text(json.dumps(self.vpn_gateway, indent=2))
        if self.customer_gateways:
            out["customer_gateway"] = folder / "cgw.json"
            out["customer_gateway"].write_text(json.dumps(self.customer_gateways, indent=2))
        return out

    def cli_args(self, files: dict[str, Path]) -> list[str]:
        """The gateway options of `check` / `generate` for these files."""
        args = []
        if "vpn_gateway" in files:
            args += ["--vpn-gateway", str(files["vpn_gateway"])]
        if "customer_gateway" in files:
            args += ["--customer-gateway", str(files["customer_gateway"])]
        return args

    def load(self, folder: Path) -> list:
        """The AlibabaTunnel objects, read the way `check` reads these files."""
        from parsers import alibaba

        files = self.write(folder)
        lookups = alibaba.Lookups()
        if "vpn_gateway" in files:
            lookups.add_vpn_gateway(str(files["vpn_gateway"]))
        if "customer_gateway" in files:
            lookups.add_customer_gateway(str(files["customer_gateway"]))
        return alibaba.load(str(files["connection"]), lookups)

    def values(self, key: str) -> set[str]:
        """Every value of `key` (e.g. "IkeEncAlg") anywhere in the connection, as text (refusal checks)."""
        found: set[str] = set()

        def walk(node):
            if isinstance(node, dict):
                for k, v in node.items():
                    if k == key and not isinstance(v, (dict, list)):
                        found.add(str(v))
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)
        walk(self.connection)
        return found


_ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"
# printable ASCII the console accepts in a key, without spaces
_PSK_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%+-.:=@^_~"


def _resource_id(prefix: str):
    return st.text(_ID_CHARS, min_size=18, max_size=18).map(lambda s: f"{prefix}-{s}")


# "K%" and "%" never occur in a generated config: a shrunk key ("K%000000000000%") still cannot match by chance
psks = st.text(_PSK_CHARS, min_size=10, max_size=30).map(lambda s: f"K%{s}%")


@st.composite
def public_ips(draw, block: str) -> str:
    """A public address: a documentation block (198.51.100.0/24 for Alibaba, 203.0.113.0/24 for customers)
    or an address from Alibaba's public ranges (47.x) / a carrier's (116.x, 121.x)."""
    first = draw(st.sampled_from([block, "47", "116", "121"]))
    if first == block:
        return f"{block}.{draw(st.integers(1, 254))}"
    return f"{first}.{draw(st.integers(0, 255))}.{draw(st.integers(0, 255))}.{draw(st.integers(1, 254))}"


_HOSTS = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)  # a DNS label (RFC 1123)
fqdns = st.builds(lambda host, zone: f"{host}.{zone}", _HOSTS,
                  st.sampled_from(["example.com", "vpn.example.net", "corp.example.org", "aliyun.example.cn"]))

# common values, the edges of the vendors' ranges (0: Alibaba's lowest), anything in range
lifetimes = st.one_of(st.sampled_from([86400, 28800, 14400, 3600, 1800, 0, 60, 120, 180]),
                      st.integers(600, LIFETIME_MAX), st.integers(0, LIFETIME_MAX))


@st.composite
def subnets(draw, most: int = 3) -> tuple[list[str], list[str]]:
    """(LocalSubnet, RemoteSubnet) lists: 1 to `most` private CIDRs each, no two overlapping (within or between
    sides)."""
    taken: list[ipaddress.IPv4Network] = []
    sides = []
    for _ in range(2):
        side = []
        for _ in range(draw(st.integers(1, most))):
            space = ipaddress.ip_network(draw(st.sampled_from(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"])))
            prefix = draw(st.integers(max(space.prefixlen, 16), 29))
            count = 2 ** (prefix - space.prefixlen)
            net = ipaddress.ip_network(f"{space.network_address + draw(st.integers(0, count - 1)) * 2 ** (32 - prefix)}"
                                       f"/{prefix}")
            if not any(net.overlaps(t) for t in taken):
                taken.append(net)
                side.append(str(net))
        if not side:  # every draw collided: take a block nothing else can use (192.0.2.0/24 is never drawn)
            net = ipaddress.ip_network(f"192.0.2.{len(sides) * 128}/25")
            taken.append(net)
            side.append(str(net))
        sides.append(side)
    return sides[0], sides[1]


@st.composite
def tunnel_cidrs(draw, count: int) -> list[ipaddress.IPv4Network]:
    """`count` distinct /30s inside 169.254.0.0/16, outside 169.254.0.0-169.254.6.255 and 169.254.169.252/30
    (schema.md §3: TunnelCidr)."""
    out: list[ipaddress.IPv4Network] = []
    while len(out) < count:
        third, fourth = draw(st.integers(7, 255)), draw(st.integers(0, 63)) * 4
        net = ipaddress.ip_network(f"169.254.{third}.{fourth}/30")
        if str(net) != "169.254.169.252/30" and net not in out:
            out.append(net)
    return out


@st.composite
def bgp_addresses(draw, cidr: ipaddress.IPv4Network) -> tuple[str, str]:
    """(LocalBgpIp, PeerBgpIp): the two hosts of the /30, Alibaba's either one."""
    hosts = [str(h) for h in cidr.hosts()]
    if draw(st.booleans()):
        hosts.reverse()
    return hosts[0], hosts[1]


# A ShangMi (SM, national-standard) gateway offers sm4/sm3 only, and IKEv1 main mode only (schema.md §2.2;
# GM/T 0022 IPsec is IKEv1-based); a standard gateway never offers them. So SM is drawn per gateway, not per field.
STANDARD_ENC = tuple(e for e in ENC_VALUES if e != "sm4")
STANDARD_AUTH = tuple(a for a in AUTH_VALUES if a != "sm3")


@st.composite
def ike_configs(draw, sm: bool = False, fqdn_ids: bool = False) -> dict:
    """IkeConfig (single tunnel) or TunnelIkeConfig (dual) without the identities. With an FQDN identity, IKEv1
    takes aggressive mode: main mode carries IP-address identities only (PeerIdMismatch, RFC 2409 section 5.1),
    and Alibaba's docs recommend aggressive for FQDNs (schema.md §2.2)."""
    if sm:
        version, mode, enc, auth = "ikev1", "main", "sm4", "sm3"
    else:
        enc, auth = draw(st.sampled_from(STANDARD_ENC)), draw(st.sampled_from(STANDARD_AUTH))
        version = draw(st.sampled_from(["ikev1", "ikev2"]))
        # IkeMode is stored for IKEv2 too (schema.md §2.2), where it means nothing
        mode = "aggressive" if fqdn_ids and version == "ikev1" else draw(st.sampled_from(["main", "main",
                                                                                           "aggressive"]))
    return {"Psk": draw(psks), "IkeVersion": version, "IkeMode": mode, "IkeEncAlg": enc, "IkeAuthAlg": auth,
            "IkePfs": draw(st.sampled_from(DH_VALUES)), "IkeLifetime": draw(lifetimes)}


@st.composite
def ipsec_configs(draw, sm: bool = False) -> dict:
    return {"IpsecEncAlg": "sm4" if sm else draw(st.sampled_from(STANDARD_ENC)),
            "IpsecAuthAlg": "sm3" if sm else draw(st.sampled_from(STANDARD_AUTH)),
            "IpsecPfs": draw(st.sampled_from(PFS_VALUES)), "IpsecLifetime": draw(lifetimes)}


@st.composite
def private_ips(draw) -> str:
    """The address a device behind NAT presents as its RemoteId (RFC 1918)."""
    space = ipaddress.ip_network(draw(st.sampled_from(["192.168.0.0/16", "10.0.0.0/8"])))
    return str(space.network_address + draw(st.integers(1, space.num_addresses - 2)))


@st.composite
def identities(draw, address: str, fqdn: bool, nat: bool = False) -> tuple[str | None, bool]:
    """(the identity to write, whether the address must come from a gateway description): the address itself,
    absent (Alibaba's default: that address), an FQDN when `fqdn`, a private address when `nat` (the device sits
    behind NAT and presents its own address; the customer gateway is the NAT's public one)."""
    kind = draw(st.sampled_from(["ip", "ip", "absent"] + (["fqdn"] if fqdn else []) + (["nat"] if nat else [])))
    if kind == "ip":
        return address, False
    if kind == "absent":
        return None, True
    if kind == "nat":
        return draw(private_ips()), True
    return draw(fqdns), True


def _with_ids(draw, ike: dict, local_address: str, remote_address: str, fqdn: bool) -> tuple[bool, bool]:
    """LocalId / RemoteId into `ike`; which addresses must then come from a gateway description."""
    local_id, need_local = draw(identities(local_address, fqdn))
    remote_id, need_remote = draw(identities(remote_address, fqdn, nat=True))
    ike.update({k: v for k, v in (("LocalId", local_id), ("RemoteId", remote_id)) if v is not None})
    return need_local, need_remote


_RFC1918 = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")]


def _behind_nat(ike: dict) -> bool:
    """A private RemoteId: NAT-T must be on for the tunnel to pass the NAT (NatTMismatch otherwise)."""
    try:
        rid = ipaddress.ip_address(ike.get("RemoteId", ""))
    except ValueError:
        return False
    return any(rid in n for n in _RFC1918)


def _fqdn_ok(ike: dict) -> bool:
    return not (ike["IkeVersion"] == "ikev1" and ike["IkeMode"] == "main")


def _as_text(value, as_string: bool):
    """The SDK types tunnel-level numbers and booleans as strings ("86400", "true"): both forms are real."""
    if not as_string:
        return value
    return str(value).lower() if isinstance(value, bool) else str(value)


@st.composite
def cases(draw, dual: bool | None = None, bgp: bool | None = None) -> Case:
    """A random valid connection; `dual` / `bgp` pin the shape (None: drawn)."""
    dual = draw(st.booleans()) if dual is None else dual
    sm = draw(st.integers(0, 7)) == 0  # one gateway in eight is a ShangMi one
    bgp = draw(st.booleans()) if bgp is None else bgp
    gw_id = draw(_resource_id("vpn"))
    conn: dict = {"RequestId": "7C2A4E61-1D3B-4A90-B5C7-8E9F00112233", "VpnConnectionId": draw(_resource_id("vco")),
                  "Name": draw(st.sampled_from(["", "hz-dc", "branch 07 (backup)", "杭州-数据中心"])),
                  "VpnGatewayId": gw_id, "LocalSubnet": "", "RemoteSubnet": "", "EffectImmediately": False,
                  "Status": "ike_sa_not_established", "State": "active", "NetworkType": "public",
                  "AttachType": "VPNGW"}
    gw_ips = draw(st.lists(public_ips("198.51.100"), min_size=2, max_size=2, unique=True))
    cgw_ip = draw(public_ips("203.0.113"))
    # a dual-tunnel connection may name a customer gateway per tunnel (two device uplinks)
    cgw_ips = [cgw_ip, draw(public_ips("203.0.113").filter(lambda ip: ip != cgw_ip)) if dual and
               draw(st.integers(0, 3)) == 0 else cgw_ip]
    cgw_ids = [draw(_resource_id("cgw"))]
    cgw_ids.append(cgw_ids[0] if cgw_ips[1] == cgw_ip else draw(_resource_id("cgw").filter(lambda i: i != cgw_ids[0])))
    gw = _Gateways(gw_ips, cgw_ips, cgw_ids, draw(st.integers(1, 4294967295).filter(lambda a: a != ALIBABA_ASN)),
                   draw(tunnel_cidrs(2 if dual else 1)) if bgp else [])
    need_vpngw, need_cgw = (_dual_tunnel if dual else _single_tunnel)(draw, conn, gw, sm)
    # IKEv1 carries exactly one CIDR pair on Alibaba (TrafficSelectorMismatch; several blocks need IKEv2)
    ikes = [o["TunnelIkeConfig"] for o in conn["TunnelOptionsSpecification"]["TunnelOptions"]] if dual \
        else [conn["IkeConfig"]]
    most = 1 if any(ike["IkeVersion"] == "ikev1" for ike in ikes) else 3
    destination = draw(st.sampled_from([True, True, False] if bgp else [False, False, False, True]))
    local, remote = (["0.0.0.0/0"], ["0.0.0.0/0"]) if destination else draw(subnets(most))
    conn["LocalSubnet"], conn["RemoteSubnet"] = ",".join(local), ",".join(remote)
    # The descriptions a user passes when the connection lacks an address; sometimes given anyway (harmless).
    vpngw = {"RequestId": "9A0B1C2D-3E4F-4051-8293-A4B5C6D7E8F9", "VpnGatewayId": gw_id, "Name": "vpngw",
             "InternetIp": gw_ips[0], "DisasterRecoveryInternetIp": gw_ips[1] if dual else "",
             "Status": "active", "IpsecVpn": "enable"} if need_vpngw or draw(st.booleans()) else None
    gateways = [{"CustomerGatewayId": i, "Name": "branch", "IpAddress": ip, "Asn": gw.peer_asn}
                for i, ip in dict(zip(cgw_ids, cgw_ips)).items()]
    cgws = {"RequestId": "1B2C3D4E-5F60-4718-9A0B-C1D2E3F40516", "TotalCount": len(gateways), "PageNumber": 1,
            "PageSize": 10, "CustomerGateways": {"CustomerGateway": gateways}} if need_cgw or draw(st.booleans()) \
        else None
    return Case(connection=conn, vpn_gateway=vpngw, customer_gateways=cgws, psks=[ike["Psk"] for ike in ikes])


@dataclass
class _Gateways:
    """The addresses and BGP numbering drawn for one connection."""
    gw_ips: list[str]  # Alibaba's: InternetIp, DisasterRecoveryInternetIp
    cgw_ips: list[str]  # the customer gateway of each tunnel
    cgw_ids: list[str]
    peer_asn: int
    cidrs: list  # one TunnelCidr per tunnel when BGP is on


def _single_tunnel(draw, conn: dict, gw: _Gateways, sm: bool) -> tuple[bool, bool]:
    """IkeConfig, IpsecConfig, VpnBgpConfig, DPD and NAT-T at the top (schema.md §2.1); which gateway files the
    connection then needs (vpn, cgw)."""
    ike = draw(ike_configs(sm, fqdn := draw(st.booleans())))
    need = _with_ids(draw, ike, gw.gw_ips[0], gw.cgw_ips[0], fqdn and _fqdn_ok(ike))
    conn.update({"CustomerGatewayId": gw.cgw_ids[0], "EnableDpd": draw(st.booleans()),
                 "EnableNatTraversal": _behind_nat(ike) or draw(st.booleans()), "EnableTunnelsBgp": False,
                 "IkeConfig": ike, "IpsecConfig": draw(ipsec_configs(sm))})
    if gw.cidrs:
        lip, pip = draw(bgp_addresses(gw.cidrs[0]))
        conn["VpnBgpConfig"] = {"EnableBgp": "true", "Status": "success", "LocalAsn": ALIBABA_ASN,
                                "PeerAsn": gw.peer_asn, "TunnelCidr": str(gw.cidrs[0]), "LocalBgpIp": lip,
                                "PeerBgpIp": pip, "AuthKey": ""}
    else:
        conn["VpnBgpConfig"] = {"EnableBgp": "false", "Status": "", "LocalAsn": ALIBABA_ASN, "PeerAsn": 0,
                                "TunnelCidr": "", "LocalBgpIp": "", "PeerBgpIp": "", "AuthKey": ""}
    return need


def _dual_tunnel(draw, conn: dict, gw: _Gateways, sm: bool) -> tuple[bool, bool]:
    """TunnelOptionsSpecification.TunnelOptions, master and slave (schema.md §5); which gateway files the
    connection then needs (vpn, cgw)."""
    strings = draw(st.booleans())  # the SDK's string-typed numbers, or plain JSON ones
    options, need_cgw = [], False
    for index, role in enumerate(("master", "slave")):
        ike = draw(ike_configs(sm, fqdn := draw(st.booleans())))
        # the tunnel's own InternetIp is in the document: LocalId may be left out without a gateway file
        need_cgw |= _with_ids(draw, ike, gw.gw_ips[index], gw.cgw_ips[index], fqdn and _fqdn_ok(ike))[1]
        ike["IkeLifetime"] = _as_text(ike["IkeLifetime"], strings)
        ipsec = draw(ipsec_configs(sm))
        ipsec["IpsecLifetime"] = _as_text(ipsec["IpsecLifetime"], strings)
        option = {"TunnelId": draw(_resource_id("tun")), "TunnelIndex": index + 1, "Role": role,
                  "CustomerGatewayId": gw.cgw_ids[index], "InternetIp": gw.gw_ips[index], "State": "active",
                  "EnableDpd": _as_text(draw(st.booleans()), True),
                  "EnableNatTraversal": _as_text(_behind_nat(ike) or draw(st.booleans()), True),
                  "TunnelIkeConfig": ike, "TunnelIpsecConfig": ipsec}
        if gw.cidrs:
            lip, pip = draw(bgp_addresses(gw.cidrs[index]))
            option["TunnelBgpConfig"] = {"BgpStatus": "success", "LocalAsn": str(ALIBABA_ASN), "LocalBgpIp": lip,
                                         "PeerAsn": str(gw.peer_asn), "PeerBgpIp": pip,
                                         "TunnelCidr": str(gw.cidrs[index])}
        options.append(option)
    conn.update({"CustomerGatewayId": "", "EnableTunnelsBgp": bool(gw.cidrs),
                 "TunnelOptionsSpecification": {"TunnelOptions": options}})
    return False, need_cgw
