"""Fix texts. Rules ask for a fix by intent ("set PFS group 2 on this endpoint"); a vendor fixer turns
the intent into that vendor's commands. The base class words it vendor-neutrally, so a new vendor works
before its fixer exists. Fixers never see or print a pre-shared key."""
from __future__ import annotations

import importlib

from analyzer.model import Endpoint, Identity, SelectorPair

_FIXERS = {"cisco-ios": "parsers.cisco_ios.fixes", "cisco-asa": "parsers.cisco_asa.fixes",
           "huawei-vrp": "parsers.huawei_vrp.fixes", "h3c-comware": "parsers.h3c_comware.fixes"}  # vendor -> module with a `Fixer` class (imported lazily)


def alibaba_alg(name: str) -> str:
    return {"aes128": "aes"}.get(name, name)


def alibaba_group(group: int | None) -> str:
    return "disabled" if group is None else f"group{group}"


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

    def esp_tunnel(self, ep: Endpoint) -> str:
        return "use ESP in tunnel mode"


_cache: dict[str, Fixer] = {}


def fixer_for(vendor: str) -> Fixer:
    if vendor not in _cache:
        module = _FIXERS.get(vendor)
        _cache[vendor] = importlib.import_module(module).Fixer() if module else Fixer()
    return _cache[vendor]
