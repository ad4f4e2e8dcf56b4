"""Cisco ASA commands for the fix intents of ``analyzer.fixes``.

The values given are Alibaba's (encryption aes128/192/256, des, 3des, sm4; integrity md5, sha1, sha256/384/512,
sm3). The ASA offers SHA-2 under IKEv2 only (``parsers.cisco_asa.defaults``: `ikev1.hash.keywords`,
`ikev1.esp.auth.keywords`), so an IKEv1 fix never writes `hash sha256` or `esp-sha256-hmac`: it advises IKEv2
or sha1 on both sides. A value the ASA has no keyword for (sm4, sm3) is never printed as a command either; the
advice names a value both sides accept. No fix text is empty."""
from __future__ import annotations

from analyzer.fixes import Fixer as _Base, advice, commands, free_name, free_number, in_use, taken
from analyzer.findings import Fix
from analyzer.i18n import _

_ENC = {"aes128": "aes", "aes192": "aes-192", "aes256": "aes-256", "3des": "3des", "des": "des"}
_V1_HASH = {"sha1": "sha", "md5": "md5"}  # crypto ikev1 policy: hash md5 | sha
_V2_HASH = {"sha1": "sha", "md5": "md5", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}
_ESP_ENC = {"aes128": "esp-aes", "aes192": "esp-aes-192", "aes256": "esp-aes-256", "3des": "esp-3des", "des": "esp-des"}
_ESP_AUTH = {"md5": "esp-md5-hmac", "sha1": "esp-sha-hmac"}  # IKEv1 transform sets: no SHA-2
_P2_INTEG = {"sha1": "sha-1", "sha256": "sha-256", "sha384": "sha-384", "sha512": "sha-512", "md5": "md5"}
_SHA2 = ("sha256", "sha384", "sha512")


def _enc(enc: str | None) -> str:
    return _ENC.get(enc or "", "aes-256")


def _unsupported(enc: str | None, integ: str | None, field_enc: str, field_integ: str, ikev1: bool) -> Fix:
    """For Alibaba values the ASA has no keyword for (SM4/SM3 gateways): the Alibaba values both accept (SHA-1
    under IKEv1, where the ASA has no SHA-2)."""
    alibaba, why = {}, []
    if (enc or "") not in _ENC:
        alibaba[field_enc] = "aes256"
        why.append(_("the ASA has no {value} encryption").format(value=enc) if enc
                   else _("the ASA has no such encryption"))
    if (integ or "") not in _V2_HASH:
        alibaba[field_integ] = "sha1" if ikev1 else "sha256"
        why.append(_("the ASA has no {value} integrity").format(value=integ) if integ
                   else _("the ASA has no such integrity"))
    return Fix(alibaba=alibaba, alibaba_required=bool(alibaba), note=_("; ").join(why) if why else None)


def _entry(ep) -> str:
    """`crypto map NAME SEQ` of the endpoint (ASA writes every attribute on its own line)."""
    words = (ep.origin.text or "").split() if ep.origin else []
    return " ".join(words[:4]) if words[:2] == ["crypto", "map"] else "crypto map <MAP> <SEQ>"


def _set(ep, command: str, no: bool = False) -> str:
    """``command`` (e.g. `set pfs group14`) on the endpoint's crypto map entry, or inside its `crypto ipsec
    profile` for a route-based (VTI) tunnel."""
    text = (ep.origin.text or "") if ep.origin else ""
    if text.startswith("crypto ipsec profile"):
        return f"{' '.join(text.split()[:4])}\n {'no ' if no else ''}{command}"
    return f"{'no ' if no else ''}{_entry(ep)} {command}"


def _group(ep) -> str:
    text = ep.ike.origin.text if ep.ike.origin and ep.ike.origin.text else ""
    return " ".join(text.split()[:2]) if text.startswith("tunnel-group") else f"tunnel-group {ep.peer_address}"


def _outside(ep) -> str:
    """The interface IKE is enabled on: the crypto map's, or `outside` for a VTI (ep.interface is the tunnel)."""
    return "outside" if ep.kind == "route" else (ep.interface or "outside")


def _mask(net) -> str:
    return "any4" if net.prefixlen == 0 else f"{net.network} {net.netmask}"


class Fixer(_Base):
    def ike_proposal(self, ep, enc, integ, dh, life, device=None):
        """A new policy with a free number: ASA policies are global (offered to every peer), so rewriting one
        changes the other tunnels' negotiation (issue 18 item 17)."""
        v1 = ep.ike.version != "ikev2"
        other = _unsupported(enc, integ, "IkeConfig.IkeEncAlg", "IkeConfig.IkeAuthAlg", v1)
        integ = integ if integ in _V2_HASH else "sha1" if v1 else "sha256"
        life = life or 86400
        v2 = (f"crypto ikev2 policy {free_number(taken(device, 'ikev2 policy '))}\n encryption {_enc(enc)}\n"
              f" integrity {_V2_HASH[integ]}\n group {dh}\n prf {_V2_HASH[integ]}\n lifetime seconds {life}")
        if ep.ike.version == "ikev2":
            return commands(v2) + other
        v1 = (f"crypto ikev1 policy {free_number(taken(device, 'ikev1 policy '))}\n authentication pre-share\n"
              f" encryption {_enc(enc)}\n hash {_V1_HASH.get(integ, 'sha')}\n group {dh}\n lifetime {life}")
        if integ in _V1_HASH:
            return commands(v1) + other
        # IKEv1 with SHA-2: the ASA's ikev1 policy has no `hash sha256` (hash md5 | sha only)
        return commands(v1, alibaba={"IkeConfig.IkeAuthAlg": "sha1"}, required=True,
                        note=_("the ASA offers no {integ} under IKEv1 (`crypto ikev1 policy` hash is md5 or sha): use "
                               "SHA-1 on both sides (these commands and the Alibaba value), or move both sides to "
                               "IKEv2 (IkeConfig.IkeVersion = ikev2 and an ikev2 policy)").format(integ=integ)) + other

    def ipsec_proposal(self, ep, enc, integ, device=None, pfs=None):
        v1 = ep.ike.version != "ikev2"
        other = _unsupported(enc, integ, "IpsecConfig.IpsecEncAlg", "IpsecConfig.IpsecAuthAlg", v1)
        integ = integ if integ in _P2_INTEG else "sha1" if v1 else "sha256"
        if ep.ike.version == "ikev2":
            name = free_name(taken(device, "ipsec-proposal "))
            return commands(f"crypto ipsec ikev2 ipsec-proposal {name}\n protocol esp encryption {_enc(enc)}\n"
                            f" protocol esp integrity {_P2_INTEG[integ]}\n"
                            f"{_set(ep, f'set ikev2 ipsec-proposal {name}')}") + other
        esp_enc = _ESP_ENC.get(enc or "", "esp-aes-256")
        name = free_name(taken(device, "transform-set "))
        v1 = (f"crypto ipsec ikev1 transform-set {name} {esp_enc} {_ESP_AUTH.get(integ, 'esp-sha-hmac')}\n"
              f"{_set(ep, f'set ikev1 transform-set {name}')}")
        if integ in _ESP_AUTH:
            return commands(v1) + other
        # IKEv1 transform sets have no SHA-2 on the ASA (esp-md5-hmac | esp-sha-hmac | esp-none)
        return commands(v1, alibaba={"IpsecConfig.IpsecAuthAlg": "sha1"}, required=True,
                        note=_("the ASA offers no ESP {integ} under IKEv1 (transform-set integrity is esp-md5-hmac, "
                               "esp-sha-hmac or esp-none): use SHA-1 on both sides (these commands and the Alibaba "
                               "value), or move both sides to IKEv2 (IkeConfig.IkeVersion = ikev2)").format(
                                   integ=integ)) + other

    def pfs(self, ep, group, device=None, esp=None):
        return commands(_set(ep, "set pfs", no=True) if group is None else _set(ep, f"set pfs group{group}"))

    def ipsec_lifetime(self, ep, seconds):
        return commands(_set(ep, f"set security-association lifetime seconds {seconds}"))

    def ike_lifetime(self, ep, seconds, device=None, algs=None):
        """A new policy (Alibaba's algorithms): the old one is offered to every peer."""
        p = ep.ike.proposals[0] if ep.ike.proposals else None
        algs = algs or (p.encryption[0] if p and p.encryption else "aes256",
                        p.integrity[0] if p and p.integrity else "sha256", p.dh_groups[0] if p and p.dh_groups else 14)
        return self.ike_proposal(ep, *algs, seconds, device=device)

    def no_volume_lifetime(self, ep):
        return commands(_set(ep, "set security-association lifetime kilobytes unlimited"))

    def psk(self, ep):
        key = "<the Psk value of the Alibaba connection>"
        if ep.ike.version == "ikev2":
            return commands(f"{_group(ep)} ipsec-attributes\n ikev2 local-authentication pre-shared-key {key}\n"
                            f" ikev2 remote-authentication pre-shared-key {key}")
        return commands(f"{_group(ep)} ipsec-attributes\n ikev1 pre-shared-key {key}")

    def local_id(self, ep, ident):
        """`crypto isakmp identity` is global (every tunnel of the ASA). `hostname` makes the ASA present its own
        hostname.domain-name, so an FQDN identity needs those two set to the FQDN Alibaba expects."""
        shared = _("`crypto isakmp identity` is global: every tunnel of this ASA then presents it")
        if ident.type == "ip":
            return commands("crypto isakmp identity address", note=shared)
        host, _dot, domain = (ident.value or "").partition(".")
        if ident.type != "fqdn" or not host or not domain:
            return advice(_("the ASA cannot present the {type} identity {value} (`crypto isakmp identity` is address, "
                            "hostname, key-id or auto): use its address or an FQDN on both sides").format(
                                type=ident.type, value=ident.value))
        return commands(f"hostname {host}\ndomain-name {domain}\ncrypto isakmp identity hostname",
                        note=_("with `crypto isakmp identity hostname` the ASA presents hostname.domain-name "
                               "(unverified in a Cisco document): these commands rename the ASA to {name}; "
                               "{shared}").format(
                                   name=ident.value, shared=shared))

    def version(self, ep, version):
        if version == "ikev2":
            return commands(f"crypto ikev2 enable {_outside(ep)}\n{_set(ep, 'set ikev2 ipsec-proposal <PROPOSAL>')}")
        return commands(f"crypto ikev1 enable {_outside(ep)}\n{_set(ep, 'set ikev1 transform-set <TRANSFORM-SET>')}")

    def dpd(self, ep, enabled):
        setting = "isakmp keepalive threshold 10 retry 3" if enabled else "isakmp keepalive disable"
        return commands(f"{_group(ep)} ipsec-attributes\n {setting}")

    def natt(self, ep, enabled):
        return commands(_set(ep, "set nat-t-disable", no=True) if enabled else _set(ep, "set nat-t-disable"))

    def selectors(self, ep, pairs, device=None):
        """A new ACL (a name no ACL of the device has): the old one may be another entry's too."""
        if not pairs:
            return advice(_("point `{entry} match address` at an ACL protecting the Alibaba LocalSubnet/RemoteSubnet "
                            "flows").format(entry=_entry(ep)))
        name = free_name(in_use(device), "ALIBABA-VPN")
        lines = "\n".join(f"access-list {name} extended permit ip {_mask(p.local)} {_mask(p.remote)}" for p in pairs)
        return commands(f"{lines}\n{_entry(ep)} match address {name}")

    def nat_exempt(self, ep, acl, pairs, device=None):
        if not pairs:
            return commands(f"nat (inside,{ep.interface or 'outside'}) 1 source static <LOCAL-OBJ> <LOCAL-OBJ> "
                            "destination static <ALIBABA-OBJ> <ALIBABA-OBJ> no-proxy-arp route-lookup")
        out, names = [], in_use(device)
        for p in pairs:  # new objects with free names: `object network X` of an existing X would redefine it
            local = free_name(names, "VPN-LOCAL")
            names.add(local)
            remote = free_name(names, "VPN-REMOTE")
            names.add(remote)
            out.append(f"object network {local}\n subnet {p.local.network} {p.local.netmask}\n"
                       f"object network {remote}\n subnet {p.remote.network} {p.remote.netmask}\n"
                       f"nat (inside,{ep.interface or 'outside'}) 1 source static {local} {local} "
                       f"destination static {remote} {remote} no-proxy-arp route-lookup")
        return commands("\n".join(out))

    def peer(self, ep, address):
        if ep.kind == "route":
            src = ep.selectors[0].source if ep.selectors else None  # the `interface TunnelN` line
            head = src.text if src and (src.text or "").startswith("interface ") else "interface <TUNNEL>"
            return commands(f"{head}\n tunnel destination {address}\ntunnel-group {address} type ipsec-l2l")
        return commands(f"{_entry(ep)} set peer {address}\ntunnel-group {address} type ipsec-l2l")

    def mode(self, ep, mode):
        """IKEv1 exchange mode of the crypto map entry (main is the default: removing the aggressive line)."""
        if mode == "aggressive":
            return commands(_set(ep, "set ikev1 phase1-mode aggressive"))
        return commands(_set(ep, "set ikev1 phase1-mode aggressive", no=True))

    def bgp_neighbor(self, ep, local_asn, neighbor, remote_asn):
        """The ASA writes BGP neighbours under ` address-family ipv4 unicast`, each activated there (Cisco ASA
        General Operations CLI Configuration Guide, "BGP"; research for issue 10, Q8)."""
        return commands(f"router bgp {local_asn or '<ASN>'}\n address-family ipv4 unicast\n"
                        f"  neighbor {neighbor} remote-as {remote_asn}\n  neighbor {neighbor} activate")

    def esp_tunnel(self, ep):
        return commands("crypto ipsec ikev1 transform-set <NAME> mode tunnel")
