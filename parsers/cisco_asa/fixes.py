"""Cisco ASA commands for the fix intents of ``analyzer.fixes``."""
from __future__ import annotations

from analyzer.fixes import Fixer as _Base

_ENC = {"aes128": "aes", "aes192": "aes-192", "aes256": "aes-256", "3des": "3des", "des": "des"}
_HASH = {"sha1": "sha", "md5": "md5", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}
_ESP_ENC = {"aes128": "esp-aes", "aes192": "esp-aes-192", "aes256": "esp-aes-256", "3des": "esp-3des", "des": "esp-des"}
_ESP_AUTH = {"md5": "esp-md5-hmac", "sha1": "esp-sha-hmac", "sha256": "esp-sha256-hmac", "sha384": "esp-sha384-hmac",
             "sha512": "esp-sha512-hmac"}
_P2_INTEG = {"sha1": "sha-1", "sha256": "sha-256", "sha384": "sha-384", "sha512": "sha-512", "md5": "md5"}


def _entry(ep) -> str:
    """`crypto map NAME SEQ` of the endpoint (ASA writes every attribute on its own line)."""
    words = (ep.origin.text or "").split() if ep.origin else []
    return " ".join(words[:4]) if words[:2] == ["crypto", "map"] else "crypto map <MAP> <SEQ>"


def _group(ep) -> str:
    text = ep.ike.origin.text if ep.ike.origin and ep.ike.origin.text else ""
    return " ".join(text.split()[:2]) if text.startswith("tunnel-group") else f"tunnel-group {ep.peer_address}"


def _mask(net) -> str:
    return "any4" if net.prefixlen == 0 else f"{net.network} {net.netmask}"


class Fixer(_Base):
    def ike_proposal(self, ep, enc, integ, dh, life):
        if ep.ike.version == "ikev2":
            return (f"crypto ikev2 policy 10\n encryption {_ENC.get(enc, enc)}\n integrity {_HASH.get(integ, integ)}\n"
                    f" group {dh}\n prf {_HASH.get(integ, integ)}\n lifetime seconds {life}")
        return (f"crypto ikev1 policy 10\n authentication pre-share\n encryption {_ENC.get(enc, enc)}\n hash "
                f"{_HASH.get(integ, integ)}\n group {dh}\n lifetime {life}")

    def ipsec_proposal(self, ep, enc, integ):
        if ep.ike.version == "ikev2":
            return (f"crypto ipsec ikev2 ipsec-proposal ALIBABA\n protocol esp encryption {_ENC.get(enc, enc)}\n"
                    f" protocol esp integrity {_P2_INTEG.get(integ, integ)}\n{_entry(ep)} set ikev2 ipsec-proposal ALIBABA")
        return (f"crypto ipsec ikev1 transform-set ALIBABA {_ESP_ENC.get(enc, enc)} {_ESP_AUTH.get(integ, integ)}\n"
                f"{_entry(ep)} set ikev1 transform-set ALIBABA")

    def pfs(self, ep, group):
        return f"no {_entry(ep)} set pfs" if group is None else f"{_entry(ep)} set pfs group{group}"

    def ipsec_lifetime(self, ep, seconds):
        return f"{_entry(ep)} set security-association lifetime seconds {seconds}"

    def ike_lifetime(self, ep, seconds):
        return f"crypto {ep.ike.version} policy <N>\n lifetime {'seconds ' if ep.ike.version == 'ikev2' else ''}{seconds}"

    def no_volume_lifetime(self, ep):
        return f"{_entry(ep)} set security-association lifetime kilobytes unlimited"

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
            return f"crypto ikev2 enable {ep.interface or 'outside'}\n{_entry(ep)} set ikev2 ipsec-proposal <PROPOSAL>"
        return f"crypto ikev1 enable {ep.interface or 'outside'}\n{_entry(ep)} set ikev1 transform-set <TRANSFORM-SET>"

    def dpd(self, ep, enabled):
        setting = "isakmp keepalive threshold 10 retry 3" if enabled else "isakmp keepalive disable"
        return f"{_group(ep)} ipsec-attributes\n {setting}"

    def natt(self, ep, enabled):
        return f"no {_entry(ep)} set nat-t-disable" if enabled else f"{_entry(ep)} set nat-t-disable"

    def selectors(self, ep, pairs):
        lines = "\n".join(f"access-list ALIBABA-VPN extended permit ip {_mask(p.local)} {_mask(p.remote)}" for p in pairs)
        return f"{lines}\n{_entry(ep)} match address ALIBABA-VPN"

    def nat_exempt(self, ep, acl, pairs):
        out = []
        for i, p in enumerate(pairs, 1):
            out.append(f"object network VPN-LOCAL-{i}\n subnet {p.local.network} {p.local.netmask}\n"
                       f"object network VPN-REMOTE-{i}\n subnet {p.remote.network} {p.remote.netmask}\n"
                       f"nat (inside,{ep.interface or 'outside'}) 1 source static VPN-LOCAL-{i} VPN-LOCAL-{i} "
                       f"destination static VPN-REMOTE-{i} VPN-REMOTE-{i} no-proxy-arp route-lookup")
        return "\n".join(out)

    def peer(self, ep, address):
        return f"{_entry(ep)} set peer {address}\ntunnel-group {address} type ipsec-l2l"

    def esp_tunnel(self, ep):
        return "crypto ipsec ikev1 transform-set <NAME> mode tunnel"
