"""`generate` for H3C Comware 7: the device side of an Alibaba connection, every tunnel.

Syntax as our parser reads it and as H3C/HPE document it for Comware 7: HPE 10500 / 5950 Security Configuration
Guides, "Configuring an IKE proposal" (techhub.hpe.com ... 5200-1910_security_cg/content/470793062.htm,
5200-4026_security_cg/content/499796234.htm: `encryption-algorithm { 3des-cbc | aes-cbc-128 | aes-cbc-192 |
aes-cbc-256 | des-cbc }`, `authentication-algorithm { md5 | sha | sha256 | sha384 | sha512 }`, which the HPE 5130 HI
guide (5998-8419b, 496254538.htm) gives from Release 1121 on); H3C MSR Series Command Reference (Comware 7 Security,
manualslib 1376858: `ike profile` `dpd`, `ipsec sa global-duration`; `sa duration time-based` 180-604800 s,
manualarchiveguide H3C-MSR-Series-Command-Reference p. 584); the IKEv2 objects (`ikev2 proposal|policy|keychain|
profile`) as in shared/reference/vendor-syntax.md section 4.3 - an H3C IKEv2 command reference page was not
retrieved (unverified, said in the output). No H3C document with SM4/SM3 in IKE or ESP was found: refused.
"""
from __future__ import annotations

from analyzer.algorithms import dh_name
from analyzer.fixes import alibaba_alg
from parsers.generation import PSK_PLACEHOLDER
from parsers.h3c_comware import VENDOR
from parsers.vrp_generation import (Plan, acl_rules, comment, customers, header, ike_lifetime, mask, plans, refuse,
                                    route_selectors, static_routes, bgp_section, wan_number, wan_section)

_ENC = {"des": "des-cbc", "3des": "3des-cbc", "aes128": "aes-cbc-128", "aes192": "aes-cbc-192", "aes256": "aes-cbc-256"}
_IKE_AUTH = {"md5": "md5", "sha1": "sha", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}
_V2_INTEG = {"md5": "md5", "sha1": "sha1", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}
_ESP_AUTH = {"md5": "md5", "sha1": "sha1", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}
_DH = (1, 2, 5, 14, 19, 20, 24)  # `dh` / `pfs dh-groupN` (vendor-syntax.md 4.2, 4.4)
_IKE_LIFE = (60, 604800, "Comware 7 `ike proposal` `sa duration`, range unverified")
_V2_LIFE = (120, 86400, "Comware 7 `ikev2 profile` `sa duration`, range unverified")
_ESP_LIFE = (180, 604800, "H3C MSR Command Reference `sa duration time-based` 180-604800 s")
# H3C's Comware 7 IPsec command reference lists `sm3` for AH ("available only for IKEv1", h3c.com/en/d_202012/
# 1370440_294551_0.htm); the SM4/SM3 keywords of `esp ...-algorithm` and `ike proposal` were not retrieved, and our
# parser does not read them: refused rather than written unverified
_SM_WHY = "the Comware 7 keyword for it was not found in an H3C document (SM3 is documented for AH only)"
_V2_NOTE = "IKEv2 objects: syntax as our parser reads it; no H3C IKEv2 command reference page retrieved (unverified)"


def render(tunnels: list, style: str) -> str:
    ps = plans(tunnels, VENDOR)
    asked = style
    if any(p.bgp for p in ps):
        style = "route"
    for p in ps:
        _check(p, style)
    out = header("H3C Comware 7", ps, style, asked)
    v2 = [p for p in ps if p.ali.ike.version == "ikev2"]
    if v2:
        out += comment(_V2_NOTE)
    if len({_ike_values(p) for p in v2}) > 1:  # H3C S6805 IPsec commands: `match local address (IKEv2 policy view)`
        where = ("both tunnels share the WAN address" if len(customers(ps)) == 1 else
                 "the tunnels leave from different WAN addresses, but no `match local address` is written (not in "
                 "the H3C documents cited here)")
        out += comment(f"Comware picks an `ikev2 policy` by local address, not by peer: {where}, so each peer is "
                       "offered both tunnels' IKEv2 proposals (give them equal IKE values on Alibaba to pin one)")
    if not all(p.ali.ike.nat_traversal for p in ps):
        out += comment("EnableNatTraversal = false on Alibaba: Comware 7 negotiates NAT traversal by itself "
                       "(no command turns it off; unverified)")
    for p in ps:
        out += comment(f"tunnel {p.number}: Alibaba {p.gateway} - IKE {p.ali.ike.version}, "
                       f"{p.ali.ike.proposals[0].encryption[0]}/{p.ali.ike.proposals[0].integrity[0]}/"
                       f"{dh_name(p.ali.ike.proposals[0].dh_groups[0])}")
        out += _esp_life(p)[1]
        out += (_ikev2(p) if p.ali.ike.version == "ikev2" else _ikev1(p)) + _transform_set(p)
    if style == "policy":
        for p in ps:
            out += _acl(ps, p) + _policy(ps, p)
        out += _wan(ps, True)
    else:
        for p in ps:
            out += [f"ipsec profile {_name(p)} isakmp", f" transform-set {_name(p)}", _profile_ref(p)] + _life(p)
            out.append("#")
        out += _wan(ps, False)
        for p in ps:
            out += _tunnel(ps, p)
        out += _routes(ps)
    return "\n".join(out + ["return", ""])


def _check(p: Plan, style: str) -> None:
    ike, esp = p.ali.ike.proposals[0], p.ali.ipsec.proposals[0]
    for value, table, where, attr, name in (
            (ike.encryption[0], _ENC, "ike-proposal", "encryption", "IkeConfig.IkeEncAlg"),
            (ike.integrity[0], _IKE_AUTH, "ike-proposal", "integrity", "IkeConfig.IkeAuthAlg"),
            (esp.encryption[0], _ENC, "esp", "encryption", "IpsecConfig.IpsecEncAlg"),
            (esp.integrity[0], _ESP_AUTH, "esp", "integrity", "IpsecConfig.IpsecAuthAlg")):
        if value not in table:
            raise refuse(p, where, attr, name, alibaba_alg(value), VENDOR,
                         _SM_WHY if value.startswith("sm") else "Comware 7 does not offer it")
    if ike.dh_groups[0] not in _DH:
        raise refuse(p, "ike-proposal", "dh_groups", "IkeConfig.IkePfs", f"group{ike.dh_groups[0]}", VENDOR,
                     "not a Comware `dh` group")
    pfs = p.ali.ipsec.pfs_group
    if pfs is not None and pfs not in _DH:
        raise refuse(p, "ipsec", "pfs_group", "IpsecConfig.IpsecPfs", f"group{pfs}", VENDOR,
                     "not a Comware `pfs dh-group` value")
    route_selectors(p, style, VENDOR)


def _ike_values(p: Plan) -> tuple:
    ike = p.ali.ike.proposals[0]
    return ike.encryption[0], ike.integrity[0], ike.dh_groups[0]


def _name(p: Plan) -> str:
    return f"ALIYUN-T{p.number}"


def _identities(p: Plan, local_word: str) -> list[str]:
    """What the device presents (Alibaba RemoteId) and what it expects (Alibaba LocalId)."""
    out = []
    if p.present is not None:
        kind = "address" if p.present.type == "ip" else "fqdn"
        out.append(f" {local_word} {kind} {p.present.value}")
    if p.expect is None:
        out.append(f" match remote identity address {p.gateway} 255.255.255.255")
    elif p.expect.type == "ip":
        out.append(f" match remote identity address {p.expect.value} 255.255.255.255")
    else:
        out.append(f" match remote identity fqdn {p.expect.value}")
    return out


def _dpd(p: Plan) -> list[str]:
    return [" dpd interval 10 retry 3 on-demand"] if p.ali.ike.dpd.enabled else []


def _ikev1(p: Plan) -> list[str]:
    ike = p.ali.ike.proposals[0]
    life, out = ike_lifetime(p, *_IKE_LIFE[:2], VENDOR, _IKE_LIFE[2])
    out += [f"ike proposal {10 * p.number}", f" encryption-algorithm {_ENC[ike.encryption[0]]}",
           f" dh group{ike.dh_groups[0]}", f" authentication-algorithm {_IKE_AUTH[ike.integrity[0]]}",
           " authentication-method pre-share", f" sa duration {life}", "#"]
    out += [f"ike keychain {_name(p)}",
            f" pre-shared-key address {p.gateway} 255.255.255.255 key simple {PSK_PLACEHOLDER}", "#"]
    out += [f"ike profile {_name(p)}", f" keychain {_name(p)}"]
    out += [" exchange-mode aggressive"] if p.ali.ike.mode == "aggressive" else []
    out += _identities(p, "local-identity") + [f" proposal {10 * p.number}"] + _dpd(p)
    return out + ["#"]


def _ikev2(p: Plan) -> list[str]:
    ike = p.ali.ike.proposals[0]
    integ = _V2_INTEG[ike.integrity[0]]
    life, out = ike_lifetime(p, *_V2_LIFE[:2], VENDOR, _V2_LIFE[2])
    if p.ali.ike.mode == "aggressive":
        out += comment("IkeConfig.IkeMode = aggressive is not used by IKEv2 (IKEv2 has no exchange modes)")
    out += [f"ikev2 proposal {_name(p)}", f" encryption {_ENC[ike.encryption[0]]}", f" integrity {integ}",
            f" prf {integ}", f" dh group{ike.dh_groups[0]}", "#",
            f"ikev2 policy {_name(p)}", f" proposal {_name(p)}", "#",
            f"ikev2 keychain {_name(p)}", f" peer {_name(p)}", f"  address {p.gateway} 32",
            f"  pre-shared-key plaintext {PSK_PLACEHOLDER}", "#",
            f"ikev2 profile {_name(p)}", " authentication-method local pre-share",
            " authentication-method remote pre-share", f" keychain {_name(p)}"]
    out += _identities(p, "identity local") + [f" sa duration {life}"] + _dpd(p)
    return out + ["#"]


def _transform_set(p: Plan) -> list[str]:
    esp, pfs = p.ali.ipsec.proposals[0], p.ali.ipsec.pfs_group
    out = [f"ipsec transform-set {_name(p)}", " protocol esp", " encapsulation-mode tunnel",
           f" esp encryption-algorithm {_ENC[esp.encryption[0]]}",
           f" esp authentication-algorithm {_ESP_AUTH[esp.integrity[0]]}"]
    out += [f" pfs dh-group{pfs}"] if pfs else []  # Comware 7 sets PFS in the transform set
    return out + ["#"]


def _profile_ref(p: Plan) -> str:
    return f" {'ikev2-profile' if p.ali.ike.version == 'ikev2' else 'ike-profile'} {_name(p)}"


def _esp_life(p: Plan) -> tuple[int | None, list[str]]:
    """The IPsec SA lifetime to write (None: Alibaba's 0, the device default applies) and a comment when it is
    clamped into the device's range (a lifetime that differs is a LifetimeMismatch warning, not a failed
    negotiation: the IOS/ASA writers clamp alike)."""
    value = p.ali.ipsec.lifetime_s
    if not value:
        return None, []
    low, high, cite = _ESP_LIFE
    fitted = min(max(value, low), high)
    if fitted == value:
        return value, []
    name = p.path("ipsec", "lifetime_s", "IpsecConfig.IpsecLifetime")
    return fitted, comment(f"{name} {value} s is outside the device's range {low}-{high} s: {fitted} s written "
                           f"({cite})")


def _life(p: Plan) -> list[str]:
    life = _esp_life(p)[0]
    # no traffic-based line: Comware cannot switch it off (2560-4294967295 KB), the 1843200 KB default stays
    return [f" sa duration time-based {life}"] if life else []


def _wan_name(ps: list[Plan], p: Plan) -> str:
    return f"GigabitEthernet1/0/{wan_number(ps, p)}"


def _group(ps: list[Plan], p: Plan) -> str:
    return "ALIYUN" if len(customers(ps)) == 1 else f"ALIYUN{wan_number(ps, p)}"


def _acl(ps: list[Plan], p: Plan) -> list[str]:
    out = []
    if p.destination_mode:
        out += comment("the connection routes by destination (0.0.0.0/0 both ways): this ACL sends every packet "
                       f"leaving {_wan_name(ps, p)} into the tunnel; --style route is the usual form for it")
    return out + [f"acl advanced {2999 + p.number}"] + acl_rules(p.flows) + ["#"]


def _policy(ps: list[Plan], p: Plan) -> list[str]:
    out = []
    if p.number > 1 and wan_number(ps, p) == wan_number(ps, ps[0]):
        out += comment(f"tunnel {p.number} protects the same flows as tunnel 1: the device uses the lower sequence "
                       "number first; review how your release fails over between the entries (unverified)")
    # Alibaba keys all its CIDR pairs in one SA; `aggregation` protects every rule of the ACL with one tunnel too
    # (H3C SecPath F1000-E User Manual, IPsec "Protection modes": standard = one tunnel per ACL rule)
    acl = f" security acl {2999 + p.number}" + (" aggregation" if len(p.flows) > 1 else "")
    return out + [f"ipsec policy {_group(ps, p)} {10 * p.number} isakmp", f" transform-set {_name(p)}", acl,
                  f" remote-address {p.gateway}", _profile_ref(p)] + _life(p) + ["#"]


def _wan(ps: list[Plan], policy: bool) -> list[str]:
    return wan_section(ps, _wan_name, (lambda ps_, p: f" ipsec apply policy {_group(ps_, p)}") if policy else None)


def _tunnel(ps: list[Plan], p: Plan) -> list[str]:
    out = [f"interface Tunnel{p.number} mode ipsec",
           f" description Alibaba tunnel {p.number} ({p.tunnel.role or 'single'})"]
    if p.bgp:
        out.append(f" ip address {p.bgp.device_ip} {mask(p.bgp.cidr)}")
    else:
        out.append(f" ip address unnumbered interface {_wan_name(ps, p)}")
    return out + [f" source {_wan_name(ps, p)}", f" destination {p.gateway}",
                  f" tunnel protection ipsec profile {_name(p)}", "#"]


def _routes(ps: list[Plan]) -> list[str]:
    bgp = [p for p in ps if p.bgp]
    return bgp_section(bgp, "address-family ipv4 unicast") if bgp else \
        static_routes(ps, lambda p: f"Tunnel{p.number}", lambda net: str(net.prefixlen))


