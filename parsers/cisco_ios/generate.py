"""`generate` for Cisco IOS / IOS-XE: the device side of an Alibaba IPsec connection (issue 15, part 2).

policy style: ISAKMP policy or IKEv2 proposal/policy/keyring/profile, a transform set and a crypto map entry per
tunnel with its crypto ACL (Alibaba's subnets mirrored). route style (and any connection with BGP or in
destination-routing mode): an ipsec profile and a static VTI per tunnel, static routes or BGP over the tunnel.
Syntax as digested in shared/reference/vendor-syntax.md section 1 (its sources S1-S4: Cisco IOS Security Command
Reference and configuration guides) and seen in real IOS configs; each construct below names its row. What no
Cisco document confirmed is said in a `! review:` line or carried by parsers/cisco_ios/defaults.py as unverified."""
from __future__ import annotations

from analyzer.model import AlibabaTunnel
from parsers.cisco_generation import (ALIBABA_ASN_PLACEHOLDER, MASK_PLACEHOLDER, WAN_PLACEHOLDER, Tunnel, key_note,
                                      lifetime, refuse_flows, refuse_id, refuse_ike, refuse_route_ikev1, set_route,
                                      tunnels_of, wans)
from parsers.cisco_ios.defaults import WEAK_IKEV1, WEAK_IKEV2, WEAK_PFS
from parsers.cisco_ios.fixes import _ESP_AUTH, _ESP_ENC, _V1_ENC, _V1_HASH, _V2_ENC, acl_address
from parsers.generation import PSK_PLACEHOLDER

VENDOR = "cisco-ios"
_WEAK_ESP = {"des", "3des", "md5"}  # esp-des, esp-3des, esp-md5-hmac: FN72510's refused transforms


def render(tunnels: list[AlibabaTunnel], style: str) -> str:
    tuns = tunnels_of(tunnels, VENDOR)
    set_route(tuns, style)
    for t, src in zip(tuns, tunnels):
        _check(t, src)
    _check_shared(tuns, tunnels)
    connections = ", ".join(dict.fromkeys(t.connection_key for t in tunnels))
    out = ["!", f"! Cisco IOS / IOS-XE configuration for Alibaba Cloud IPsec connection {connections} "
                f"({len(tuns)} tunnel{'s' if len(tuns) > 1 else ''}), written by ipsec-preflight generate", "!"]
    notes = [key_note(tuns)] + [n for t in tuns for n in t.notes]
    out += _globals(tuns)
    out += _ike(tuns, notes)
    out += _ipsec(tuns, notes)
    out += _interfaces(tuns)
    out += _routing(tuns)
    return "\n".join([*out[:2], *[f"! review: {n}" for n in notes], *out[2:], "end", ""])


def _check(t: Tunnel, src: AlibabaTunnel) -> None:
    ident = t.present_id
    if t.version == "ikev1" and ident is not None and ident.type == "ip" and t.wan and ident.value != t.wan:
        raise refuse_id(src, "remote_id", ident, VENDOR,
                        f"with IKEv1 IOS presents the address it sends from (`self-identity address`), and Alibaba "
                        f"expects the customer gateway {t.wan}: set RemoteId to {t.wan}, or use IKEv2")
    refuse_flows(t, src, VENDOR)
    refuse_route_ikev1(t, src, VENDOR)


def _check_shared(tuns: list[Tunnel], tunnels: list[AlibabaTunnel]) -> None:
    """IKEv1 settings IOS holds once for every peer: the FQDN it presents (hostname.domain) and, in aggressive
    mode, the DH group of its first isakmp policy (RFC 2409 section 5: the group cannot be negotiated; that IOS
    takes the first policy's is parsers/cisco_ios/defaults.py row isakmp.aggressive_dh, unverified)."""
    fqdn = aggressive = None
    for t, src in zip(tuns, tunnels):
        if t.version != "ikev1":
            continue
        ident = t.present_id
        if ident is not None and ident.type == "fqdn":
            if fqdn is not None and ident.value.lower() != fqdn:
                raise refuse_id(src, "remote_id", ident, VENDOR, "with IKEv1 IOS presents one FQDN (hostname.domain) "
                                f"to every peer, and another tunnel presents {fqdn}")
            fqdn = ident.value.lower()
        if t.mode == "aggressive":
            if aggressive is not None and t.dh != aggressive:
                raise refuse_ike(src, "dh_groups", t.dh, VENDOR,
                                 "IOS proposes one DH group in IKEv1 aggressive mode (its first isakmp policy's, "
                                 f"unverified), and another aggressive-mode tunnel uses group{aggressive}")
            aggressive = t.dh


def _globals(tuns: list[Tunnel]) -> list[str]:
    out = []
    fqdn = next((t.present_id.value for t in tuns if t.version == "ikev1" and t.present_id is not None
                 and t.present_id.type == "fqdn"), None)
    if fqdn:  # IKEv1 `self-identity fqdn` presents hostname.domain (defaults.py row isakmp.self_identity_fqdn)
        host, _, domain = fqdn.partition(".")
        out += ["! IKEv1 presents hostname.domain as its FQDN identity (RemoteId): this renames the router",
                f"hostname {host}"] + ([f"ip domain name {domain}"] if domain else []) + ["!"]
    if any(_weak(t) for t in tuns):  # Cisco Field Notice FN72510 (parsers/cisco_ios/defaults.py crypto.weak_refused)
        out += ["! IOS-XE 17.11+ refuses DES/3DES/MD5/DH groups 1, 2, 5 by default (Cisco Field Notice FN72510);",
                "! this keeps them (IOS-XE 17.7.1+, effective after a reload; delete it on older releases).",
                "! Better: stronger values on both sides.",
                "crypto engine compliance shield disable", "!"]
    if not any(t.natt for t in tuns):  # global on IOS (vendor-syntax 1.1, NAT-T)
        out += ["no crypto ipsec nat-transparency udp-encapsulation", "!"]
    elif not all(t.natt for t in tuns):
        out += ["! NAT traversal is global on IOS: left on, although Alibaba turns it off for "
                + ", ".join(t.label for t in tuns if not t.natt), "!"]
    return out


def _weak(t: Tunnel) -> bool:
    weak = WEAK_IKEV2 if t.version == "ikev2" else WEAK_IKEV1
    return (t.ike_enc in weak["encryption"] or t.ike_auth in weak["integrity"] or t.dh in weak["dh_groups"]
            or t.esp_enc in _WEAK_ESP or t.esp_auth in _WEAK_ESP or t.pfs in WEAK_PFS)


def _ike(tuns: list[Tunnel], notes: list[str]) -> list[str]:
    out: list[str] = []
    # aggressive-mode tunnels first: their KE payload is in the first policy's group (_check_shared)
    v1 = sorted((t for t in tuns if t.version == "ikev1"), key=lambda t: t.mode != "aggressive")
    v2 = [t for t in tuns if t.version == "ikev2"]
    policies: dict[tuple, int] = {}
    for t in v1:  # vendor-syntax 1.1: `crypto isakmp policy` (global: offered to every peer)
        life = lifetime(t.ike_life, 60, 86400, f"{t.label}: IKE lifetime", notes)
        key = (t.ike_enc, t.ike_auth, t.dh, life)
        if key not in policies:
            policies[key] = 10 * (len(policies) + 1)
            out += [f"crypto isakmp policy {policies[key]}", f" encryption {_V1_ENC[t.ike_enc]}",
                    f" hash {_V1_HASH[t.ike_auth]}", " authentication pre-share", f" group {t.dh}",
                    f" lifetime {life}", "!"]
    for t in v1:  # keyring + isakmp profile per tunnel: its key, identities, DPD, mode
        out += [f"crypto keyring KR-ALIYUN-{t.n}", f" pre-shared-key address {t.peer} key {PSK_PLACEHOLDER}"]
        if t.expect_id is not None and t.expect_id.type == "fqdn":  # aggressive mode looks the key up by identity
            out += [f" pre-shared-key hostname {t.expect_id.value} key {PSK_PLACEHOLDER}"]
        out += ["!", f"crypto isakmp profile ISAKMP-ALIYUN-{t.n}", f" keyring KR-ALIYUN-{t.n}", _v1_match(t),
                " self-identity " + ("fqdn" if t.present_id is not None and t.present_id.type == "fqdn" else "address")]
        if t.dpd:
            out += [" keepalive 10 retry 3"]
        if t.mode == "aggressive":
            out += [" initiate mode aggressive"]
        out += ["!"]
    proposals: dict[tuple, str] = {}
    for t in v2:  # vendor-syntax 1.2: proposal, policy, keyring, profile (FlexVPN)
        key = (t.ike_enc, t.ike_auth, t.dh)
        if key not in proposals:
            proposals[key] = f"PROP-ALIYUN-{len(proposals) + 1}"
            out += [f"crypto ikev2 proposal {proposals[key]}", f" encryption {_V2_ENC[t.ike_enc]}",
                    f" integrity {t.ike_auth}", f" group {t.dh}", "!"]
    if v2:
        out += ["crypto ikev2 policy POL-ALIYUN", *[f" proposal {p}" for p in proposals.values()], "!",
                "crypto ikev2 keyring KR-ALIYUN"]
        for t in v2:
            out += [f" peer ALIYUN-{t.n}", f"  address {t.peer}", f"  pre-shared-key {PSK_PLACEHOLDER}", " !"]
        out += ["!"]
    for t in v2:
        life = lifetime(t.ike_life, 120, 86400, f"{t.label}: IKE lifetime", notes)
        out += [f"crypto ikev2 profile IKEV2-ALIYUN-{t.n}", _v2_match(t)]
        if t.present_id is not None:
            kind = "address" if t.present_id.type == "ip" else "fqdn"
            out += [f" identity local {kind} {t.present_id.value}"]
        out += [" authentication remote pre-share", " authentication local pre-share", " keyring local KR-ALIYUN",
                f" lifetime {life}"]
        if t.dpd:
            out += [" dpd 10 3 on-demand"]
        out += ["!"]
    return out


def _v1_match(t: Tunnel) -> str:
    ident = t.expect_id
    if ident is not None and ident.type == "fqdn":
        return f" match identity host {ident.value}"
    return f" match identity address {ident.value if ident is not None else t.peer} 255.255.255.255"


def _v2_match(t: Tunnel) -> str:
    ident = t.expect_id
    if ident is not None and ident.type == "fqdn":
        return f" match identity remote fqdn {ident.value}"
    return f" match identity remote address {ident.value if ident is not None else t.peer} 255.255.255.255"


def _ipsec(tuns: list[Tunnel], notes: list[str]) -> list[str]:
    out = []
    for t in tuns:  # vendor-syntax 1.3 (transform set), 1.5 (crypto map entry), 1.6 (ipsec profile)
        out += [f"crypto ipsec transform-set TS-ALIYUN-{t.n} {_ESP_ENC[t.esp_enc]} {_ESP_AUTH[t.esp_auth]}",
                " mode tunnel", "!"]
    for t in tuns:
        life = lifetime(t.esp_life, 120, 86400, f"{t.label}: IPsec lifetime", notes)
        if t.route:
            out += [f"crypto ipsec profile IPSEC-ALIYUN-{t.n}"]
        else:
            out += [f"ip access-list extended ACL-ALIYUN-{t.n}",
                    *[f" permit ip {acl_address(lo)} {acl_address(re)}" for lo in t.local_nets for re in t.remote_nets],
                    "!", f"crypto map MAP-ALIYUN-{_wan_index(tuns, t)} {10 * t.n} ipsec-isakmp",
                    f" description Alibaba {t.label}", f" set peer {t.peer}"]
        out += [f" set transform-set TS-ALIYUN-{t.n}"]
        if t.pfs is not None:
            out += [f" set pfs group{t.pfs}"]
        # Alibaba has no volume lifetime: `kilobytes disable` (vendor-syntax 1.4; 15.x+/IOS-XE, unverified before)
        out += [f" set security-association lifetime seconds {life}",
                " set security-association lifetime kilobytes disable",
                f" set ikev2-profile IKEV2-ALIYUN-{t.n}" if t.version == "ikev2" else
                f" set isakmp-profile ISAKMP-ALIYUN-{t.n}"]
        if not t.route:
            out += [f" match address ACL-ALIYUN-{t.n}"]
        out += ["!"]
    mapped = [t for t in tuns if not t.route]
    if len(mapped) > 1 and len({tuple(map(str, t.remote_nets)) for t in mapped}) == 1:
        notes.append("the tunnels' crypto map entries select the same traffic: IOS sends it through the entry with "
                     "the lowest number (tunnel 1); the other answers Alibaba's standby tunnel (unverified on a "
                     "device)")
    return out


def _wan_index(tuns: list[Tunnel], t: Tunnel) -> int:
    return wans(tuns).index(t.wan) + 1


def _interfaces(tuns: list[Tunnel]) -> list[str]:
    out = []
    for i, wan in enumerate(wans(tuns), 1):
        out += [f"interface GigabitEthernet{i}", " description WAN towards Alibaba Cloud (the interface name is a "
                "placeholder: use your own)", f" ip address {wan or WAN_PLACEHOLDER} {MASK_PLACEHOLDER}"]
        if any(not t.route and t.wan == wan for t in tuns):
            out += [f" crypto map MAP-ALIYUN-{i}"]
        out += ["!"]
    for t in (t for t in tuns if t.route):  # vendor-syntax 1.6: static VTI
        out += [f"interface Tunnel{t.n}", f" description Alibaba {t.label}"]
        if t.bgp:
            out += [f" ip address {t.bgp.device_ip} {t.bgp.mask}"]
        else:
            out += [f" ip unnumbered GigabitEthernet{_wan_index(tuns, t)}"]
        # Alibaba "Configure MTUs": user MTU <= 1500 - 101, MSS = MTU - 40 (analyzer/rules/faq.py)
        out += [" ip mtu 1399", " ip tcp adjust-mss 1359", f" tunnel source GigabitEthernet{_wan_index(tuns, t)}",
                " tunnel mode ipsec ipv4", f" tunnel destination {t.peer}",
                f" tunnel protection ipsec profile IPSEC-ALIYUN-{t.n}", "!"]
    return out


def _routing(tuns: list[Tunnel]) -> list[str]:
    out = []
    bgp = [t for t in tuns if t.bgp]
    if bgp:
        asn = bgp[0].bgp.device_asn  # never None: tunnels_of refuses a connection without PeerAsn
        out += [f"router bgp {asn}"]
        for t in bgp:
            out += [f" neighbor {t.bgp.alibaba_ip} remote-as {t.bgp.alibaba_asn or ALIBABA_ASN_PLACEHOLDER}"]
        nets = {str(n): n for t in bgp for n in t.local_nets if n.prefixlen}
        out += [f" network {n.network} mask {n.netmask}" for n in nets.values()] or \
            [" ! announce your on-premises networks here (`network A.B.C.D mask M`)"]
        out += ["!"]
    for t in (t for t in tuns if t.route and not t.bgp):
        distance = "" if t.n == 1 else " 10"  # a standby tunnel's routes float behind the master's
        for net in t.remote_nets:
            if net.prefixlen:
                out += [f"ip route {net.network} {net.netmask} Tunnel{t.n}{distance}"]
            else:
                out += [f"! ip route <VPC CIDR> <MASK> Tunnel{t.n}{distance}   (destination-routing mode: route "
                        "your VPC's CIDR blocks into the tunnel)"]
    return out + (["!"] if out and out[-1] != "!" else [])
