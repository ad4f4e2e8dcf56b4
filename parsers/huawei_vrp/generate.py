"""`generate` for Huawei VRP (AR router syntax): the device side of an Alibaba connection, every tunnel.

Syntax as our parser reads it and as Huawei documents it: AR V200R010 CLI Configuration Guide - VPN ("Configuring an
IPSec Proposal", EDOC1100033725/317bfba8: `transform`, `esp ...-algorithm`, `encapsulation-mode`), AR500/510/530
V200R007 Command Reference `ike proposal` (EDOC1000097293/473b26bc: encryption, authentication, `dh`, `sa duration`,
IKEv2 `integrity-algorithm` / `prf`), AR V200R010 Command Reference, IPSec commands (EDOC1100207804/bbfcca36:
`ike peer` `version`, `exchange-mode`, `remote-address`, `local-id-type`, `dpd type`, `dpd msg`, `nat traversal`,
`ipsec policy`, `ipsec profile`, `security acl`, `pfs`, `sa duration`), the SHA-2 compatibility command from the
Efficient VPN example (EDOC1100331435, dc_cfg_ipsec_0053). SM4/SM3 in ESP: USG6000E `esp encryption-algorithm` /
`esp authentication-algorithm` (usg.zrnko.cz/resources/dc/dc_cfg_ipsec_0006.html, cli/esp_authentication-algorithm
.html); no Huawei IKE proposal page with SM4/SM3 was found, so an SM IKE phase is refused. Tunnel interface: USG6000E
"Configuring an IPSec Tunnel Interface" / "Configuring an IPSec Profile" (usg.zrnko.cz/resources/dc/dc_cfg_ipsec_0106
.html, dc_cfg_ipsec_0020.html: tunnel interfaces may borrow the physical interface's address, the peer is told apart by
its address; `destination` and `remote-address` must agree), as the AR export in fixtures/huawei writes it.
"""
from __future__ import annotations

from analyzer.algorithms import dh_name
from analyzer.fixes import alibaba_alg
from parsers.generation import PSK_PLACEHOLDER
from parsers.huawei_vrp import VENDOR
from parsers.huawei_vrp.fixes import _AUTH, _ENC, _INTEG, _PRF
from parsers.vrp_generation import (Plan, acl_rules, comment, customers, header, ike_lifetime, lifetime, mask, plans,
                                    refuse, route_selectors, static_routes, bgp_section, wan_number, wan_section)

# the keyword tables are the fixer's (one place for VRP's spelling); ESP also takes the SM algorithms
_IKE_ENC, _IKE_AUTH, _V2_INTEG, _V2_PRF = _ENC, _AUTH, _INTEG, _PRF
_ESP_ENC = {**_ENC, "sm4": "sm4"}
_ESP_AUTH = {**_AUTH, "sm3": "sm3"}
_DH = (1, 2, 5, 14, 19, 20, 21)  # `dh` / `pfs dh-groupN` values of the AR command reference
_SHA2 = ("sha256", "sha384", "sha512")
# ranges: AR command reference `sa duration` (IKE proposal 60-604800 s; IPsec time-based 30-604800 s) - unverified,
# the retrieved pages did not show the ranges
_IKE_LIFE = (60, 604800, "AR `ike proposal` `sa duration`, range unverified")
_ESP_LIFE = (30, 604800, "AR `sa duration time-based`, range unverified")


def _wan_name(ps: list[Plan], p: Plan) -> str:
    return f"GigabitEthernet0/0/{wan_number(ps, p)}"


def _group(ps: list[Plan], p: Plan) -> str:
    """One `ipsec policy` group per WAN interface (a group applies to the interface it leaves from)."""
    return "ALIYUN" if len(customers(ps)) == 1 else f"ALIYUN{wan_number(ps, p)}"


def render(tunnels: list, style: str) -> str:
    ps = plans(tunnels, VENDOR)
    asked = style
    if any(p.bgp for p in ps):
        style = "route"
    for p in ps:
        _check(p, style)
    out = header("Huawei VRP (AR router syntax)", ps, style, asked)
    if any(a in _SHA2 for p in ps for a in p.ali.ipsec.proposals[0].integrity):
        out += comment("ESP HMAC-SHA-2 in the RFC 4868 form Alibaba uses (AR; a USG firewall writes "
                       "`ipsec sha2 compatible enable`)")
        out += ["ipsec authentication sha2 compatible enable"]
    for p in ps:
        out += _proposals(p) + _peer(p)
    if style == "policy":
        for p in ps:
            out += _acl(ps, p) + _policy(ps, p)
        out += _wan(ps, True)
    else:
        for p in ps:
            out += _profile(p)
        out += _wan(ps, False)
        for p in ps:
            out += _tunnel(ps, p)
        out += _routes(ps)
    return "\n".join(out + ["return", ""])


def _check(p: Plan, style: str) -> None:
    """Refuse what VRP does not offer (the Alibaba field and value named) and what no VRP config can make match."""
    ike, esp = p.ali.ike.proposals[0], p.ali.ipsec.proposals[0]
    for value, table, attr, name in ((ike.encryption[0], _IKE_ENC, "encryption", "IkeConfig.IkeEncAlg"),
                                     (ike.integrity[0], _IKE_AUTH, "integrity", "IkeConfig.IkeAuthAlg")):
        if value not in table:
            raise refuse(p, "ike-proposal", attr, name, alibaba_alg(value), VENDOR,
                         "no Huawei `ike proposal` document found that offers it (SM algorithms are documented "
                         "for ESP only)" if value.startswith("sm") else "Huawei `ike proposal` does not offer it")
    if ike.dh_groups[0] not in _DH:
        raise refuse(p, "ike-proposal", "dh_groups", "IkeConfig.IkePfs", f"group{ike.dh_groups[0]}", VENDOR,
                     "not a Huawei `dh` group")
    for value, table, attr, name in ((esp.encryption[0], _ESP_ENC, "encryption", "IpsecConfig.IpsecEncAlg"),
                                     (esp.integrity[0], _ESP_AUTH, "integrity", "IpsecConfig.IpsecAuthAlg")):
        if value not in table:
            raise refuse(p, "esp", attr, name, alibaba_alg(value), VENDOR, "Huawei `ipsec proposal` does not offer it")
    pfs = p.ali.ipsec.pfs_group
    if pfs is not None and pfs not in _DH:
        raise refuse(p, "ipsec", "pfs_group", "IpsecConfig.IpsecPfs", f"group{pfs}", VENDOR,
                     "not a Huawei `pfs dh-group` value")
    present = p.present
    if present is not None and present.type == "ip" and p.customer and present.value != p.customer:
        # VRP presents the address the tunnel leaves from (`local-id-type ip`): it must be the customer gateway IP
        raise refuse(p, "ike", "remote_id", "IkeConfig.RemoteId", present.value, VENDOR,
                     f"a VRP IP identity is the address the tunnel leaves from, and Alibaba expects the customer "
                     f"gateway {p.customer} there: set RemoteId to {p.customer} or to an FQDN")
    route_selectors(p, style, VENDOR)


def _name(p: Plan) -> str:
    return f"ALIYUN-T{p.number}"


def _proposals(p: Plan) -> list[str]:
    ike, esp = p.ali.ike.proposals[0], p.ali.ipsec.proposals[0]
    enc, integ, group = ike.encryption[0], ike.integrity[0], ike.dh_groups[0]
    life, note = ike_lifetime(p, *_IKE_LIFE[:2], VENDOR, _IKE_LIFE[2])
    out = comment(f"tunnel {p.number}: Alibaba {p.gateway} - IKE {p.ali.ike.version}, {enc}/{integ}/{dh_name(group)}")
    out += note
    out += [f"ike proposal {10 * p.number}", f" encryption-algorithm {_IKE_ENC[enc]}", f" dh group{group}",
            f" authentication-algorithm {_IKE_AUTH[integ]}", " authentication-method pre-share"]
    if p.ali.ike.version == "ikev2":  # IKEv2 authenticates with `integrity-algorithm`; Alibaba's PRF is its IkeAuthAlg
        out += [f" integrity-algorithm {_V2_INTEG[integ]}", f" prf {_V2_PRF[integ]}"]
    out += [f" sa duration {life}", "#", f"ipsec proposal {_name(p)}", " transform esp", " encapsulation-mode tunnel",
            f" esp authentication-algorithm {_ESP_AUTH[esp.integrity[0]]}",
            f" esp encryption-algorithm {_ESP_ENC[esp.encryption[0]]}"]
    return out + ["#"]


def _peer(p: Plan) -> list[str]:
    ike = p.ali.ike
    v2 = ike.version == "ikev2"
    out = [f"ike peer {_name(p)}", f" undo version {1 if v2 else 2}"]
    if not v2:
        out.append(f" exchange-mode {ike.mode}")
    out += [f" pre-shared-key cipher {PSK_PLACEHOLDER}", f" ike-proposal {10 * p.number}"]
    if p.present is not None and p.present.type != "ip":
        out += [" local-id-type fqdn", f" local-id {p.present.value}"]
    if p.expect is not None and not (p.expect.type == "ip" and p.expect.value == p.gateway):
        out += [f" remote-id-type {'ip' if p.expect.type == 'ip' else 'fqdn'}", f" remote-id {p.expect.value}"]
    out.append(f" remote-address {p.gateway}")
    if ike.dpd.enabled:  # Alibaba ignores DPD unless the hash payload comes first (IKEv1 only: `dpd msg`)
        out.append(" dpd type periodic")
        out += [] if v2 else [" dpd msg seq-hash-notify"]
    out.append(" nat traversal" if ike.nat_traversal else " undo nat traversal")
    if v2 and ike.mode == "aggressive":
        out = comment("IkeConfig.IkeMode = aggressive is not used by IKEv2 (IKEv2 has no exchange modes)") + out
    return out + ["#"]


def _sa(p: Plan) -> list[str]:
    ipsec = p.ali.ipsec
    out = [f" pfs dh-group{ipsec.pfs_group}"] if ipsec.pfs_group else []
    life = lifetime(p, "ipsec", "lifetime_s", "IpsecConfig.IpsecLifetime", ipsec.lifetime_s, *_ESP_LIFE[:2], VENDOR,
                    _ESP_LIFE[2])
    out += [f" sa duration time-based {life}"] if life else []
    # Alibaba has no volume-based lifetime; 0 turns VRP's off (the form the AR exports in fixtures/huawei print)
    return out + [" sa duration traffic-based 0"]


def _acl(ps: list[Plan], p: Plan) -> list[str]:
    out = []
    if p.destination_mode:
        out += comment("the connection routes by destination (0.0.0.0/0 both ways): this ACL sends every packet "
                       f"leaving {_wan_name(ps, p)} into the tunnel; --style route is the usual form for it")
    if len(p.flows) > 1:  # the MultiCidrPerSa finding
        out += comment(f"{len(p.flows)} CIDR pairs: Alibaba keys them all in one SA, VRP negotiates one SA per ACL "
                       "rule, so only one pair passes traffic; prefer --style route (IKEv2)")
    return out + [f"acl number {2999 + p.number}"] + acl_rules(p.flows) + ["#"]


def _policy(ps: list[Plan], p: Plan) -> list[str]:
    out = []
    if p.number > 1 and wan_number(ps, p) == wan_number(ps, ps[0]):
        out += comment(f"tunnel {p.number} protects the same flows as tunnel 1: the device uses the lower sequence "
                       "number first; review how your release fails over between the entries (unverified)")
    return out + [f"ipsec policy {_group(ps, p)} {10 * p.number} isakmp", f" security acl {2999 + p.number}",
                  f" ike-peer {_name(p)}", f" proposal {_name(p)}"] + _sa(p) + ["#"]


def _profile(p: Plan) -> list[str]:
    return [f"ipsec profile {_name(p)}", f" ike-peer {_name(p)}", f" proposal {_name(p)}"] + _sa(p) + ["#"]


def _wan(ps: list[Plan], policy: bool) -> list[str]:
    return wan_section(ps, _wan_name, (lambda ps_, p: f" ipsec policy {_group(ps_, p)}") if policy else None)


def _tunnel(ps: list[Plan], p: Plan) -> list[str]:
    out = [f"interface Tunnel0/0/{p.number}", f" description Alibaba tunnel {p.number} ({p.tunnel.role or 'single'})"]
    if p.bgp:
        out.append(f" ip address {p.bgp.device_ip} {mask(p.bgp.cidr)}")
    else:
        out.append(f" ip address unnumbered interface {_wan_name(ps, p)}")
    return out + [" tunnel-protocol ipsec", f" source {_wan_name(ps, p)}", f" destination {p.gateway}",
                  f" ipsec profile {_name(p)}", "#"]


def _routes(ps: list[Plan]) -> list[str]:
    bgp = [p for p in ps if p.bgp]
    return bgp_section(bgp, "ipv4-family unicast") if bgp else \
        static_routes(ps, lambda p: f"Tunnel0/0/{p.number}", mask)



