"""Cisco ASA commands for the fix intents of ``analyzer.fixes``.

The values given are Alibaba's (encryption aes128/192/256, des, 3des, sm4; integrity md5, sha1, sha256/384/512,
sm3). The ASA offers SHA-2 under IKEv2 only (``parsers.cisco_asa.defaults``: `ikev1.hash.keywords`,
`ikev1.esp.auth.keywords`), so an IKEv1 fix never writes `hash sha256` or `esp-sha256-hmac`: it advises IKEv2
or sha1 on both sides. A value the ASA has no keyword for (sm4, sm3) is never printed as a command either; the
advice names a value both sides accept. No fix text is empty."""
from __future__ import annotations

from analyzer.fixes import Fixer as _Base

_ENC = {"aes128": "aes", "aes192": "aes-192", "aes256": "aes-256", "3des": "3des", "des": "des"}
_V1_HASH = {"sha1": "sha", "md5": "md5"}  # crypto ikev1 policy: hash md5 | sha
_V2_HASH = {"sha1": "sha", "md5": "md5", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}
_ESP_ENC = {"aes128": "esp-aes", "aes192": "esp-aes-192", "aes256": "esp-aes-256", "3des": "esp-3des", "des": "esp-des"}
_ESP_AUTH = {"md5": "esp-md5-hmac", "sha1": "esp-sha-hmac"}  # IKEv1 transform sets: no SHA-2
_P2_INTEG = {"sha1": "sha-1", "sha256": "sha-256", "sha384": "sha-384", "sha512": "sha-512", "md5": "md5"}
_SHA2 = ("sha256", "sha384", "sha512")


def _enc(enc: str | None) -> str:
    return _ENC.get(enc or "", "aes-256")


def _unsupported(enc: str | None, integ: str | None, field_enc: str, field_integ: str) -> str:
    """Advice for Alibaba values the ASA has no keyword for (SM4/SM3 gateways), naming values both accept."""
    out = []
    if (enc or "") not in _ENC:
        out.append(f"set {field_enc} = aes256 on Alibaba (the ASA has no {enc or 'such'} encryption)")
    if (integ or "") not in _V2_HASH:
        out.append(f"set {field_integ} = sha256 on Alibaba (the ASA has no {integ or 'such'} integrity)")
    return "\n".join(out)


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
    def ike_proposal(self, ep, enc, integ, dh, life):
        other = _unsupported(enc, integ, "IkeConfig.IkeEncAlg", "IkeConfig.IkeAuthAlg")
        integ = integ if integ in _V2_HASH else "sha256"
        life = life or 86400
        v2 = (f"crypto ikev2 policy 10\n encryption {_enc(enc)}\n integrity {_V2_HASH[integ]}\n"
              f" group {dh}\n prf {_V2_HASH[integ]}\n lifetime seconds {life}")
        if ep.ike.version == "ikev2":
            return f"{other}\n{v2}" if other else v2
        if integ in _V1_HASH:
            v1 = (f"crypto ikev1 policy 10\n authentication pre-share\n encryption {_enc(enc)}\n hash "
                  f"{_V1_HASH[integ]}\n group {dh}\n lifetime {life}")
            return f"{other}\n{v1}" if other else v1
        # IKEv1 with SHA-2: the ASA's ikev1 policy has no `hash sha256` (hash md5 | sha only)
        return (f"the ASA offers no {integ} under IKEv1 (`crypto ikev1 policy` hash is md5 or sha). Either move "
                f"the tunnel to IKEv2 (set IkeConfig.IkeVersion = ikev2 on Alibaba):\n{v2}\n"
                f"{self.version(ep, 'ikev2')}\n"
                f"or use SHA-1 on both sides (set IkeConfig.IkeAuthAlg = sha1 on Alibaba):\n"
                f"crypto ikev1 policy 10\n authentication pre-share\n encryption {_enc(enc)}\n hash sha\n"
                f" group {dh}\n lifetime {life}")

    def ipsec_proposal(self, ep, enc, integ):
        other = _unsupported(enc, integ, "IpsecConfig.IpsecEncAlg", "IpsecConfig.IpsecAuthAlg")
        integ = integ if integ in _P2_INTEG else "sha256"
        v2 = (f"crypto ipsec ikev2 ipsec-proposal ALIBABA\n protocol esp encryption {_enc(enc)}\n"
              f" protocol esp integrity {_P2_INTEG[integ]}\n{_set(ep, 'set ikev2 ipsec-proposal ALIBABA')}")
        if ep.ike.version == "ikev2":
            return f"{other}\n{v2}" if other else v2
        esp_enc = _ESP_ENC.get(enc or "", "esp-aes-256")
        if integ in _ESP_AUTH:
            v1 = (f"crypto ipsec ikev1 transform-set ALIBABA {esp_enc} {_ESP_AUTH[integ]}\n"
                  f"{_set(ep, 'set ikev1 transform-set ALIBABA')}")
            return f"{other}\n{v1}" if other else v1
        # IKEv1 transform sets have no SHA-2 on the ASA (esp-md5-hmac | esp-sha-hmac | esp-none)
        return (f"the ASA offers no ESP {integ} under IKEv1 (transform-set integrity is esp-md5-hmac, esp-sha-hmac "
                f"or esp-none). Either move the tunnel to IKEv2 (set IkeConfig.IkeVersion = ikev2 on Alibaba):\n"
                f"{v2}\nor use SHA-1 on both sides (set IpsecConfig.IpsecAuthAlg = sha1 on Alibaba):\n"
                f"crypto ipsec ikev1 transform-set ALIBABA {esp_enc} esp-sha-hmac\n"
                f"{_set(ep, 'set ikev1 transform-set ALIBABA')}")

    def pfs(self, ep, group):
        return _set(ep, "set pfs", no=True) if group is None else _set(ep, f"set pfs group{group}")

    def ipsec_lifetime(self, ep, seconds):
        return _set(ep, f"set security-association lifetime seconds {seconds}")

    def ike_lifetime(self, ep, seconds):
        return f"crypto {ep.ike.version} policy <N>\n lifetime {'seconds ' if ep.ike.version == 'ikev2' else ''}{seconds}"

    def no_volume_lifetime(self, ep):
        return _set(ep, "set security-association lifetime kilobytes unlimited")

    def psk(self, ep):
        key = "<the Psk value of the Alibaba connection>"
        if ep.ike.version == "ikev2":
            return (f"{_group(ep)} ipsec-attributes\n ikev2 local-authentication pre-shared-key {key}\n"
                    f" ikev2 remote-authentication pre-shared-key {key}")
        return f"{_group(ep)} ipsec-attributes\n ikev1 pre-shared-key {key}"

    def local_id(self, ep, ident):
        return "crypto isakmp identity address" if ident.type == "ip" else "crypto isakmp identity hostname"

    def version(self, ep, version):
        if version == "ikev2":
            return f"crypto ikev2 enable {_outside(ep)}\n{_set(ep, 'set ikev2 ipsec-proposal <PROPOSAL>')}"
        return f"crypto ikev1 enable {_outside(ep)}\n{_set(ep, 'set ikev1 transform-set <TRANSFORM-SET>')}"

    def dpd(self, ep, enabled):
        setting = "isakmp keepalive threshold 10 retry 3" if enabled else "isakmp keepalive disable"
        return f"{_group(ep)} ipsec-attributes\n {setting}"

    def natt(self, ep, enabled):
        return _set(ep, "set nat-t-disable", no=True) if enabled else _set(ep, "set nat-t-disable")

    def selectors(self, ep, pairs):
        if not pairs:
            return f"{_entry(ep)} match address <ACL protecting the Alibaba LocalSubnet/RemoteSubnet flows>"
        lines = "\n".join(f"access-list ALIBABA-VPN extended permit ip {_mask(p.local)} {_mask(p.remote)}" for p in pairs)
        return f"{lines}\n{_entry(ep)} match address ALIBABA-VPN"

    def nat_exempt(self, ep, acl, pairs):
        if not pairs:
            return (f"nat (inside,{ep.interface or 'outside'}) 1 source static <LOCAL-OBJ> <LOCAL-OBJ> destination "
                    "static <ALIBABA-OBJ> <ALIBABA-OBJ> no-proxy-arp route-lookup")
        out = []
        for i, p in enumerate(pairs, 1):
            out.append(f"object network VPN-LOCAL-{i}\n subnet {p.local.network} {p.local.netmask}\n"
                       f"object network VPN-REMOTE-{i}\n subnet {p.remote.network} {p.remote.netmask}\n"
                       f"nat (inside,{ep.interface or 'outside'}) 1 source static VPN-LOCAL-{i} VPN-LOCAL-{i} "
                       f"destination static VPN-REMOTE-{i} VPN-REMOTE-{i} no-proxy-arp route-lookup")
        return "\n".join(out)

    def peer(self, ep, address):
        if ep.kind == "route":
            src = ep.selectors[0].source if ep.selectors else None  # the `interface TunnelN` line
            head = src.text if src and (src.text or "").startswith("interface ") else "interface <TUNNEL>"
            return f"{head}\n tunnel destination {address}\ntunnel-group {address} type ipsec-l2l"
        return f"{_entry(ep)} set peer {address}\ntunnel-group {address} type ipsec-l2l"

    def mode(self, ep, mode):
        """IKEv1 exchange mode of the crypto map entry (main is the default: removing the aggressive line)."""
        if mode == "aggressive":
            return _set(ep, "set ikev1 phase1-mode aggressive")
        return _set(ep, "set ikev1 phase1-mode aggressive", no=True)

    def bgp_neighbor(self, ep, local_asn, neighbor, remote_asn):
        """The ASA writes BGP neighbours under ` address-family ipv4 unicast`, each activated there (Cisco ASA
        General Operations CLI Configuration Guide, "BGP"; research for issue 10, Q8)."""
        return (f"router bgp {local_asn or '<ASN>'}\n address-family ipv4 unicast\n"
                f"  neighbor {neighbor} remote-as {remote_asn}\n  neighbor {neighbor} activate")

    def esp_tunnel(self, ep):
        return "crypto ipsec ikev1 transform-set <NAME> mode tunnel"
