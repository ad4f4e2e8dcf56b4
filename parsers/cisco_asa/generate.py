"""`generate` for Cisco ASA (8.4+ / 9.x syntax): the device side of an Alibaba IPsec connection (issue 15, part 2).

policy style: `crypto ikev1|ikev2 policy`, a transform set / ipsec-proposal, a crypto map entry and crypto ACL per
tunnel, a LAN-to-LAN tunnel-group with the key. route style (and any connection with BGP or in destination-routing
mode): an ipsec profile and a VTI (ASA 9.7+, Cisco ASA Series VPN CLI Configuration Guide 9.7, "Virtual Tunnel
Interface") per tunnel, static routes or BGP. Syntax as digested in shared/reference/vendor-syntax.md section 2."""
from __future__ import annotations

import re

from analyzer.model import AlibabaTunnel
from parsers.cisco_asa.fixes import _ENC, _ESP_AUTH, _ESP_ENC, _P2_INTEG, _V2_HASH
from parsers.cisco_generation import (ALIBABA_ASN_PLACEHOLDER, MASK_PLACEHOLDER, WAN_PLACEHOLDER,
                                      Tunnel, key_note, lifetime, refuse_esp, refuse_id, refuse_ike,
                                      refuse_flows, refuse_route_ikev1, set_route, tunnels_of, wans)
from parsers.generation import PSK_PLACEHOLDER

VENDOR = "cisco-asa"
_MAX_LIFE = 2147483647
_SHA2 = ("sha256", "sha384", "sha512")
# ASA hostname: "up to 63 characters ... must start and end with a letter or digit, and have only letters, digits,
# or a hyphen" (Cisco ASA General Operations CLI Configuration Guide 9.x, "Set the Hostname, Domain Name ...")
_HOSTNAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_WEAK = {"des", "3des", "md5", 1, 2, 5}


def render(tunnels: list[AlibabaTunnel], style: str) -> str:
    tuns = tunnels_of(tunnels, VENDOR)
    set_route(tuns, style)
    for t, src in zip(tuns, tunnels):
        _check(t, src)
    fqdn = _identity(tuns, tunnels)
    connections = ", ".join(dict.fromkeys(t.connection_key for t in tunnels))
    notes = [key_note(tuns)] + [n for t in tuns for n in t.notes]
    if any(v in _WEAK for t in tuns for v in (t.ike_enc, t.ike_auth, t.dh, t.esp_enc, t.esp_auth, t.pfs)):
        notes.append("DES/3DES/MD5 and DH groups 1, 2, 5 are deprecated or removed in recent ASA 9.x releases "
                     "(which release drops which value: unverified): check that your release still accepts them")
    if any(not t.route for t in tuns):
        notes.append("if this ASA translates inside traffic (NAT), exempt the VPN flows first: `nat (inside,outside) "
                     "source static LOCAL LOCAL destination static ALIBABA ALIBABA no-proxy-arp route-lookup`")
    out = [f"! Cisco ASA configuration for Alibaba Cloud IPsec connection {connections} ({len(tuns)} "
           f"tunnel{'s' if len(tuns) > 1 else ''}), written by ipsec-preflight generate"]
    body = _identity_lines(fqdn) + _interfaces(tuns) + _ike(tuns, notes) + _ipsec(tuns, notes) + _groups(tuns) \
        + _tunnels(tuns) + _routing(tuns)
    return "\n".join(["!", *out, *[f"! review: {n}" for n in notes], "!", *body, ""])


def _check(t: Tunnel, src: AlibabaTunnel) -> None:
    """What the ASA cannot express: SHA-2 under IKEv1 (vendor-syntax 2.2/2.4; parsers/cisco_asa/defaults.py rows
    ikev1.hash.keywords, ikev1.esp.auth.keywords), and identities other than the addresses it names peers by."""
    if t.version == "ikev1" and t.ike_auth in _SHA2:
        raise refuse_ike(src, "integrity", t.ike_auth, VENDOR,
                         "the ASA offers IKEv1 hash md5 or sha only (SHA-2 needs IKEv2): use IkeVersion ikev2 or "
                         "IkeAuthAlg sha1")
    if t.version == "ikev1" and t.esp_auth in _SHA2:
        raise refuse_esp(src, "integrity", t.esp_auth, VENDOR,
                         "an ASA IKEv1 transform set offers esp-md5-hmac or esp-sha-hmac only (SHA-2 needs an IKEv2 "
                         "ipsec-proposal): use IkeVersion ikev2 or IpsecAuthAlg sha1")
    expect, present, gateway = t.expect_id, t.present_id, src.endpoint.local_address
    if expect is not None and (expect.type != "ip" or (gateway and expect.value != gateway)):
        raise refuse_id(src, "local_id", expect, VENDOR,
                        "a LAN-to-LAN tunnel-group is named by the peer's address and the ASA identifies the peer by "
                        f"it: LocalId must be the gateway address {gateway or '(InternetIp)'}")
    if present is not None and present.type == "ip" and t.wan and present.value != t.wan:
        raise refuse_id(src, "remote_id", present, VENDOR,
                        f"the ASA presents the address it sends from (`crypto isakmp identity address`), and Alibaba "
                        f"expects the customer gateway {t.wan}: set RemoteId to {t.wan}")
    refuse_flows(t, src, VENDOR)
    refuse_route_ikev1(t, src, VENDOR)


def _identity(tuns: list[Tunnel], tunnels: list[AlibabaTunnel]) -> str | None:
    """The FQDN the ASA presents (`crypto isakmp identity` is global: one kind for every tunnel), or None."""
    kinds = {t.present_id.type if t.present_id else "ip" for t in tuns}
    fqdns = {t.present_id.value for t in tuns if t.present_id is not None and t.present_id.type == "fqdn"}
    if len(kinds) > 1 or len(fqdns) > 1:
        t, src = next((t, s) for t, s in zip(tuns, tunnels) if t.present_id is not None and t.present_id.type == "fqdn")
        raise refuse_id(src, "remote_id", t.present_id, VENDOR,
                        "`crypto isakmp identity` is global on the ASA: every tunnel presents the same identity")
    if not fqdns:
        return None
    fqdn = fqdns.pop()
    host, _, domain = fqdn.partition(".")
    if not _HOSTNAME.fullmatch(host) or not domain:
        t, src = next((t, s) for t, s in zip(tuns, tunnels) if t.present_id is not None)
        why = (f"{host!r} is not a valid ASA hostname" if domain else
               "without a domain part the ASA would append its default domain name (default.domain.invalid)")
        raise refuse_id(src, "remote_id", t.present_id, VENDOR, f"the ASA presents hostname.domain-name, and {why}")
    return fqdn


def _identity_lines(fqdn: str | None) -> list[str]:
    if fqdn is None:
        return ["crypto isakmp identity address", "!"]
    host, _, domain = fqdn.partition(".")  # _identity: both parts present
    # `crypto isakmp identity hostname` presents hostname.domain-name (Cisco ASA command reference; that it is the
    # FQDN as written here is unverified on a device)
    return ["! the ASA presents hostname.domain-name as its FQDN identity (RemoteId): this renames the ASA",
            f"hostname {host}", f"domain-name {domain}", "crypto isakmp identity hostname", "!"]


def _nameif(tuns: list[Tunnel], t: Tunnel) -> str:
    i = wans(tuns).index(t.wan)
    return "outside" if i == 0 else f"outside{i + 1}"


def _interfaces(tuns: list[Tunnel]) -> list[str]:
    out = []
    for i, wan in enumerate(wans(tuns)):
        out += [f"interface GigabitEthernet0/{i}", " description WAN towards Alibaba Cloud (the interface name is a "
                "placeholder: use your own)", f" nameif {'outside' if i == 0 else f'outside{i + 1}'}",
                " security-level 0", f" ip address {wan or WAN_PLACEHOLDER} {MASK_PLACEHOLDER}", "!"]
    return out


def _ike(tuns: list[Tunnel], notes: list[str]) -> list[str]:
    out, seen = [], {}
    for t in tuns:  # vendor-syntax 2.2 / 2.3: global policies, offered to every peer
        life = lifetime(t.ike_life, 120, _MAX_LIFE, f"{t.label}: IKE lifetime", notes)
        key = (t.version, t.ike_enc, t.ike_auth, t.dh, life)
        if key in seen:
            continue
        seen[key] = number = 10 * (len(seen) + 1)
        if t.version == "ikev1":
            out += [f"crypto ikev1 policy {number}", " authentication pre-share", f" encryption {_ENC[t.ike_enc]}",
                    f" hash {_V2_HASH[t.ike_auth]}", f" group {t.dh}", f" lifetime {life}"]
        else:  # PRF set: the ASA's default is sha (defaults.py ikev2.prf), Alibaba's follows IkeAuthAlg
            out += [f"crypto ikev2 policy {number}", f" encryption {_ENC[t.ike_enc]}",
                    f" integrity {_V2_HASH[t.ike_auth]}", f" group {t.dh}", f" prf {_V2_HASH[t.ike_auth]}",
                    f" lifetime seconds {life}"]
    for version in ("ikev1", "ikev2"):
        for nameif in dict.fromkeys(_nameif(tuns, t) for t in tuns if t.version == version):
            out += [f"crypto {version} enable {nameif}"]
    return out + ["!"]


def _ipsec(tuns: list[Tunnel], notes: list[str]) -> list[str]:
    out = []
    for t in tuns:  # vendor-syntax 2.4
        if t.version == "ikev1":
            out += [f"crypto ipsec ikev1 transform-set TS-ALIYUN-{t.n} {_ESP_ENC[t.esp_enc]} {_ESP_AUTH[t.esp_auth]}"]
        else:
            out += [f"crypto ipsec ikev2 ipsec-proposal PROP-ALIYUN-{t.n}",
                    f" protocol esp encryption {_ENC[t.esp_enc]}", f" protocol esp integrity {_P2_INTEG[t.esp_auth]}"]
    out += ["!"]
    for t in tuns:
        life = lifetime(t.esp_life, 120, _MAX_LIFE, f"{t.label}: IPsec lifetime", notes)
        phase2 = (f"set ikev1 transform-set TS-ALIYUN-{t.n}" if t.version == "ikev1" else
                  f"set ikev2 ipsec-proposal PROP-ALIYUN-{t.n}")
        sets = [phase2] + ([f"set pfs group{t.pfs}"] if t.pfs is not None else []) + [
            f"set security-association lifetime seconds {life}",
            "set security-association lifetime kilobytes unlimited"]  # Alibaba has no volume lifetime
        if t.version == "ikev1" and t.mode == "aggressive":
            sets += ["set ikev1 phase1-mode aggressive"]
        if not t.natt:
            sets += ["set nat-t-disable"]
        if t.route:  # vendor-syntax 2.6; phase1-mode / nat-t-disable in a profile: unverified in a Cisco document
            if (t.version == "ikev1" and t.mode == "aggressive") or not t.natt:
                notes.append(f"{t.label}: `set ikev1 phase1-mode` / `set nat-t-disable` in an ipsec profile is "
                             "unverified in a Cisco document (they are crypto map settings)")
            out += [f"crypto ipsec profile IPSEC-ALIYUN-{t.n}", *[f" {s}" for s in sets], "!"]
        else:  # vendor-syntax 2.5: one line per attribute
            entry = f"crypto map MAP-ALIYUN-{wans(tuns).index(t.wan) + 1} {10 * t.n}"
            out += [f"access-list ACL-ALIYUN-{t.n} extended permit ip {_addr(lo)} {_addr(re)}"
                    for lo in t.local_nets for re in t.remote_nets]
            out += [f"{entry} match address ACL-ALIYUN-{t.n}", f"{entry} set peer {t.peer}",
                    *[f"{entry} {s}" for s in sets], "!"]
    for i, wan in enumerate(wans(tuns), 1):
        if any(not t.route and t.wan == wan for t in tuns):
            nameif = "outside" if i == 1 else f"outside{i}"
            out += [f"crypto map MAP-ALIYUN-{i} interface {nameif}", "!"]
    return out


def _addr(net) -> str:
    if net.prefixlen == 0:
        return "any4"
    if net.prefixlen == 32:
        return f"host {net.ip}"
    return f"{net.network} {net.netmask}"


def _groups(tuns: list[Tunnel]) -> list[str]:
    out = ["group-policy GP-ALIYUN internal", "group-policy GP-ALIYUN attributes",
           " vpn-tunnel-protocol " + " ".join(dict.fromkeys(t.version for t in tuns)), "!"]
    for t in tuns:  # vendor-syntax 2.7
        out += [f"tunnel-group {t.peer} type ipsec-l2l", f"tunnel-group {t.peer} general-attributes",
                " default-group-policy GP-ALIYUN", f"tunnel-group {t.peer} ipsec-attributes"]
        if t.version == "ikev1":
            out += [f" ikev1 pre-shared-key {PSK_PLACEHOLDER}"]
        else:
            out += [f" ikev2 remote-authentication pre-shared-key {PSK_PLACEHOLDER}",
                    f" ikev2 local-authentication pre-shared-key {PSK_PLACEHOLDER}"]
        out += [" isakmp keepalive threshold 10 retry 3" if t.dpd else " isakmp keepalive disable", "!"]
    return out


def _tunnel_address(t: Tunnel) -> tuple[str, str, str]:
    """(device address, mask, next hop) of the VTI: the BGP /30, else a link-local /30 of our choosing (Alibaba's
    side has no address in a route without BGP)."""
    if t.bgp:
        return t.bgp.device_ip, t.bgp.mask, t.bgp.alibaba_ip
    return f"169.254.{100 + t.n}.1", "255.255.255.252", f"169.254.{100 + t.n}.2"


def _tunnels(tuns: list[Tunnel]) -> list[str]:
    out = []
    for t in (t for t in tuns if t.route):  # vendor-syntax 2.6 (ASA 9.7+)
        address, mask, _ = _tunnel_address(t)
        if not t.bgp:
            out += [f"! tunnel {t.n}: {address}/30 is any unused link-local /30 (Alibaba's side needs no address "
                    "without BGP)"]
        out += [f"interface Tunnel{t.n}", f" description Alibaba {t.label}", f" nameif aliyun-{t.n}",
                f" ip address {address} {mask}", f" tunnel source interface {_nameif(tuns, t)}",
                f" tunnel destination {t.peer}", " tunnel mode ipsec ipv4",
                f" tunnel protection ipsec profile IPSEC-ALIYUN-{t.n}", "!"]
    return out


def _routing(tuns: list[Tunnel]) -> list[str]:
    out = []
    bgp = [t for t in tuns if t.bgp]
    if bgp:  # neighbours under ` address-family ipv4 unicast` (parsers/cisco_asa/fixes.py bgp_neighbor)
        asn = bgp[0].bgp.device_asn  # never None: tunnels_of refuses a connection without PeerAsn
        out += [f"router bgp {asn}", " address-family ipv4 unicast"]
        for t in bgp:
            out += [f"  neighbor {t.bgp.alibaba_ip} remote-as {t.bgp.alibaba_asn or ALIBABA_ASN_PLACEHOLDER}",
                    f"  neighbor {t.bgp.alibaba_ip} activate"]
        nets = {str(n): n for t in bgp for n in t.local_nets if n.prefixlen}
        out += [f"  network {n.network} mask {n.netmask}" for n in nets.values()] or \
            ["  ! announce your on-premises networks here (`network A.B.C.D mask M`)"]
        out += [" exit-address-family", "!"]
    for t in (t for t in tuns if t.route and not t.bgp):
        _, _, hop = _tunnel_address(t)
        distance = "" if t.n == 1 else " 10"  # a standby tunnel's routes float behind the master's
        for net in t.remote_nets:
            out += [f"route aliyun-{t.n} {net.network} {net.netmask} {hop}{distance}" if net.prefixlen else
                    f"! route aliyun-{t.n} <VPC CIDR> <MASK> {hop}{distance}   (destination-routing mode: route "
                    "your VPC's CIDR blocks into the tunnel)"]
    return out + (["!"] if out and out[-1] != "!" else [])

