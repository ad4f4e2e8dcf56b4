"""Fix texts. Rules ask for a fix by intent ("set PFS group 2 on this endpoint"); a vendor fixer turns
the intent into that vendor's commands. The base class words it vendor-neutrally, so a new vendor works
before its fixer exists. Fixers never see or print a pre-shared key."""
from __future__ import annotations

import importlib

from analyzer.algorithms import ALIBABA_DH_GROUPS, ALIBABA_ENCRYPTION, ALIBABA_INTEGRITY
from analyzer.model import Endpoint, Identity, SelectorPair

_FIXERS = {"cisco-ios": "parsers.cisco_ios.fixes", "cisco-asa": "parsers.cisco_asa.fixes",
           "huawei-vrp": "parsers.huawei_vrp.fixes", "h3c-comware": "parsers.h3c_comware.fixes"}  # vendor -> module with a `Fixer` class (imported lazily)


def alibaba_alg(name: str) -> str:
    return {"aes128": "aes"}.get(name, name)


def alibaba_group(group: int | None) -> str:
    return "disabled" if group is None else f"group{group}"


# --- Alibaba-side values a fix may propose: only what the API accepts ---------------------------------------
# shared/reference/alibaba/schema.md §2.2/§2.3/§8 (CreateVpnConnection / ModifyVpnConnectionAttribute texts);
# parsers/alibaba.py rejects anything else on input. SM (ShangMi) gateways add sm4/sm3 and take IKEv1 main mode
# only; a connection that already uses sm4 or sm3 is on an SM gateway, any other is not (no SM value proposed).
_STANDARD_ENC = tuple(a for a in ALIBABA_ENCRYPTION if a != "sm4")
_STANDARD_AUTH = tuple(a for a in ALIBABA_INTEGRITY if a != "sm3")
_GROUPS = ALIBABA_DH_GROUPS
_LIFETIME_MAX = 86400
_ID_MAX = 100


def sm_gateway(ali: Endpoint) -> bool:
    """The Alibaba tunnel uses a ShangMi algorithm, so it sits on an SM gateway."""
    algs = {v for p in ali.ike.proposals + ali.ipsec.proposals for v in (*p.encryption, *p.integrity)}
    return bool(algs & {"sm4", "sm3"})


def alibaba_accepts(field: str, value, sm: bool = False) -> str | None:
    """The text to write in Alibaba's ``field`` for the canonical ``value``, or None when Alibaba does not accept
    that value there (GCM ciphers, DH groups other than 1/2/5/14, lifetimes above 86400 s, ...)."""
    name = field.rsplit(".", 1)[-1]
    if name in ("IkeEncAlg", "IpsecEncAlg"):
        ok = value in _STANDARD_ENC or (sm and value == "sm4")
        return alibaba_alg(value) if ok else None
    if name in ("IkeAuthAlg", "IpsecAuthAlg"):
        return value if value in _STANDARD_AUTH or (sm and value == "sm3") else None
    if name in ("IkePfs", "IpsecPfs"):
        if value is None:
            return "disabled" if name == "IpsecPfs" else None
        return alibaba_group(value) if value in _GROUPS else None
    if name == "IkeVersion":
        return value if value == "ikev1" or (value == "ikev2" and not sm) else None
    if name == "IkeMode":
        return value if value == "main" or (value == "aggressive" and not sm) else None
    if name in ("IkeLifetime", "IpsecLifetime"):
        return str(value) if isinstance(value, int) and 0 <= value <= _LIFETIME_MAX else None
    if name in ("LocalId", "RemoteId"):  # an IP address or an FQDN, at most 100 characters, no spaces
        ok = (value is not None and value.type in ("ip", "fqdn") and value.value and len(value.value) <= _ID_MAX
              and not any(c.isspace() for c in value.value))
        return value.value if ok else None
    return None


def alibaba_alternative(field: str, values: list, sm: bool = False, render=str) -> str:
    """The "(or set FIELD = V on Alibaba)" line of a fix, with V the first of ``values`` (the device's, in its
    order of preference) that Alibaba accepts; when it accepts none of them, a line saying to change the device
    instead. Empty when there is no device value to mirror."""
    if not values:
        return ""
    for v in values:
        text = alibaba_accepts(field, v, sm)
        if text is not None:
            return f"\n(or set {field} = {text} on Alibaba)"
    shown = ", ".join(render(v) for v in values)
    return f"\n(Alibaba's {field.rsplit('.', 1)[-1]} cannot be set to the device's {shown}: change the device)"


class Fixer:
    def ike_proposal(self, ep: Endpoint, enc: str, integ: str, dh: int, life: int) -> str:
        return f"add an IKE ({ep.ike.version}) proposal with encryption {enc}, integrity {integ}, DH group {dh}, lifetime {life} s"

    def ipsec_proposal(self, ep: Endpoint, enc: str, integ: str) -> str:
        return f"use one ESP tunnel-mode proposal with encryption {enc} and integrity {integ}"

    def pfs(self, ep: Endpoint, group: int | None) -> str:
        return "disable PFS" if group is None else f"enable PFS with DH group {group}"

    def ipsec_lifetime(self, ep: Endpoint, seconds: int) -> str:
        return f"set the IPsec SA lifetime to {seconds} s"

    def ike_lifetime(self, ep: Endpoint, seconds: int) -> str:
        return f"set the IKE SA lifetime to {seconds} s"

    def no_volume_lifetime(self, ep: Endpoint) -> str:
        return "remove the traffic-based (kilobytes) SA lifetime"

    def psk(self, ep: Endpoint) -> str:
        return f"set the pre-shared key for peer {ep.peer_address} to the value of Alibaba's Psk"

    def local_id(self, ep: Endpoint, ident: Identity) -> str:
        return f"set the local IKE identity to {ident}"

    def remote_id(self, ep: Endpoint, ident: Identity) -> str:
        return f"expect the peer IKE identity {ident}"

    def mode(self, ep: Endpoint, mode: str) -> str:
        return f"use IKEv1 {mode} mode towards {ep.peer_address}"

    def version(self, ep: Endpoint, version: str) -> str:
        return f"use {version} for the tunnel to {ep.peer_address}"

    def dpd(self, ep: Endpoint, enabled: bool) -> str:
        return "enable DPD" if enabled else "disable DPD"

    def natt(self, ep: Endpoint, enabled: bool) -> str:
        return "enable NAT traversal" if enabled else "disable NAT traversal"

    def selectors(self, ep: Endpoint, pairs: list[SelectorPair]) -> str:
        return "protect exactly: " + "; ".join(str(p) for p in pairs)

    def mtu(self, ep: Endpoint, mtu: int, mss: int) -> str:
        return f"set the tunnel MTU to {mtu} and the TCP MSS to {mss}"

    def nat_exempt(self, ep: Endpoint, acl: str | None, pairs: list[SelectorPair]) -> str:
        return "exempt VPN traffic from source NAT: " + "; ".join(str(p) for p in pairs)

    def permit_ike(self, ep: Endpoint, acl: str, gateway: str) -> str:
        return f"permit UDP 500 and 4500 (and ESP) from {gateway} in access-list {acl}"

    def peer(self, ep: Endpoint, address: str) -> str:
        return f"set the peer address to {address}"

    def bgp_neighbor(self, ep: Endpoint, local_asn, neighbor: str, remote_asn) -> str:
        return f"router bgp {local_asn or '<ASN>'}\n neighbor {neighbor} remote-as {remote_asn}"

    def esp_tunnel(self, ep: Endpoint) -> str:
        return "use ESP in tunnel mode"


_cache: dict[str, Fixer] = {}


def fixer_for(vendor: str) -> Fixer:
    if vendor not in _cache:
        module = _FIXERS.get(vendor)
        _cache[vendor] = importlib.import_module(module).Fixer() if module else Fixer()
    return _cache[vendor]
