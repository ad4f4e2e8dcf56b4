"""H3C Comware 7 commands for the fix intents of ``analyzer.fixes``."""
from __future__ import annotations

from analyzer.fixes import Fixer as _Base
from parsers.vrp_common import policy_header, wildcard_addr

_ENC = {"aes128": "aes-cbc-128", "aes192": "aes-cbc-192", "aes256": "aes-cbc-256", "3des": "3des-cbc", "des": "des-cbc"}
_IKE_AUTH = {"sha1": "sha", "md5": "md5", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}


def _profile(ep) -> str:
    return ep.ike.origin.text if ep.ike.origin and ep.ike.origin.text else "ike profile <PROFILE>"


class Fixer(_Base):
    def ike_proposal(self, ep, enc, integ, dh, life):
        if ep.ike.version == "ikev2":
            return (f"ikev2 proposal ALIBABA\n encryption {_ENC.get(enc, enc)}\n integrity {integ}\n dh group{dh}\n"
                    "ikev2 policy ALIBABA\n proposal ALIBABA")
        return (f"ike proposal 10\n encryption-algorithm {_ENC.get(enc, enc)}\n authentication-algorithm "
                f"{_IKE_AUTH.get(integ, integ)}\n dh group{dh}\n sa duration {life}\n{_profile(ep)}\n proposal 10")

    def ipsec_proposal(self, ep, enc, integ):
        return (f"ipsec transform-set ALIBABA\n protocol esp\n encapsulation-mode tunnel\n esp encryption-algorithm "
                f"{_ENC.get(enc, enc)}\n esp authentication-algorithm {integ}\n{policy_header(ep)}\n transform-set ALIBABA")

    def pfs(self, ep, group):
        return "ipsec transform-set <TRANSFORM-SET>\n " + ("undo pfs" if group is None else f"pfs dh-group{group}")

    def ipsec_lifetime(self, ep, seconds):
        return f"{policy_header(ep)}\n sa duration time-based {seconds}"

    def ike_lifetime(self, ep, seconds):
        return f"ike proposal <N>\n sa duration {seconds}"

    def no_volume_lifetime(self, ep):
        return f"{policy_header(ep)}\n undo sa duration traffic-based (Comware cannot disable it; keep it large)"

    def psk(self, ep):
        return (f"ike keychain <KEYCHAIN>\n pre-shared-key address {ep.peer_address} 255.255.255.255 key cipher "
                "<the Psk value of the Alibaba connection>")

    def local_id(self, ep, ident):
        kind = {"ip": "address"}.get(ident.type, ident.type)
        return f"{_profile(ep)}\n local-identity {kind} {ident.value}"

    def remote_id(self, ep, ident):
        if ident.type == "ip":
            return f"{_profile(ep)}\n match remote identity address {ident.value} 255.255.255.255"
        return f"{_profile(ep)}\n match remote identity fqdn {ident.value}"

    def mode(self, ep, mode):
        return f"{_profile(ep)}\n exchange-mode {mode}"

    def version(self, ep, version):
        kind = "ikev2-profile" if version == "ikev2" else "ike-profile"
        return f"{policy_header(ep)}\n {kind} <PROFILE>"

    def dpd(self, ep, enabled):
        return f"{_profile(ep)}\n " + ("dpd interval 10 retry 3 on-demand" if enabled else "undo dpd")

    def selectors(self, ep, pairs):
        rules = "\n".join(f" rule {5 * i} permit ip source {wildcard_addr(p.local)} destination {wildcard_addr(p.remote)}"
                          for i, p in enumerate(pairs, 1))
        return f"acl advanced 3999\n{rules}\n{policy_header(ep)}\n security acl 3999"

    def mtu(self, ep, mtu, mss):
        return f"interface {ep.interface or '<INTERFACE>'}\n mtu {mtu}\n tcp mss {mss}"

    def nat_exempt(self, ep, acl, pairs):
        rules = "\n".join(f" rule {i} deny ip source {wildcard_addr(p.local)} destination {wildcard_addr(p.remote)}"
                          for i, p in enumerate(pairs, 1))
        return f"acl advanced {acl}\n{rules}"

    def peer(self, ep, address):
        return f"{policy_header(ep)}\n remote-address {address}"

    def esp_tunnel(self, ep):
        return "ipsec transform-set <NAME>\n protocol esp\n encapsulation-mode tunnel"
