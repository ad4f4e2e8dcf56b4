"""Huawei VRP commands for the fix intents of ``analyzer.fixes``."""
from __future__ import annotations

from analyzer.fixes import Fixer as _Base
from parsers.vrp_common import policy_header, wildcard_addr

_ENC = {"aes128": "aes-128", "aes192": "aes-192", "aes256": "aes-256", "3des": "3des", "des": "des"}
_AUTH = {"md5": "md5", "sha1": "sha1", "sha256": "sha2-256", "sha384": "sha2-384", "sha512": "sha2-512"}


def _peer(ep) -> str:
    return ep.ike.origin.text if ep.ike.origin and ep.ike.origin.text else "ike peer <PEER>"


class Fixer(_Base):
    def ike_proposal(self, ep, enc, integ, dh, life):
        return (f"ike proposal 10\n encryption-algorithm {_ENC.get(enc, enc)}\n authentication-algorithm "
                f"{_AUTH.get(integ, integ)}\n dh group{dh}\n authentication-method pre-share\n sa duration {life}\n"
                f"{_peer(ep)}\n ike-proposal 10")

    def ipsec_proposal(self, ep, enc, integ):
        return (f"ipsec proposal ALIBABA\n transform esp\n encapsulation-mode tunnel\n esp encryption-algorithm "
                f"{_ENC.get(enc, enc)}\n esp authentication-algorithm {_AUTH.get(integ, integ)}\n{policy_header(ep)}\n"
                " proposal ALIBABA")

    def pfs(self, ep, group):
        return f"{policy_header(ep)}\n " + ("undo pfs" if group is None else f"pfs dh-group{group}")

    def ipsec_lifetime(self, ep, seconds):
        return f"{policy_header(ep)}\n sa duration time-based {seconds}"

    def ike_lifetime(self, ep, seconds):
        return f"ike proposal <N>\n sa duration {seconds}"

    def no_volume_lifetime(self, ep):
        return f"{policy_header(ep)}\n sa duration traffic-based 0"

    def psk(self, ep):
        return f"{_peer(ep)}\n pre-shared-key cipher <the Psk value of the Alibaba connection>"

    def local_id(self, ep, ident):
        if ident.type == "ip":
            return f"{_peer(ep)}\n local-id-type ip"
        return f"{_peer(ep)}\n local-id-type fqdn\n local-id {ident.value}"

    def remote_id(self, ep, ident):
        return f"{_peer(ep)}\n remote-id {ident.value}"

    def mode(self, ep, mode):
        return f"{_peer(ep)}\n exchange-mode {mode}"

    def version(self, ep, version):
        return f"{_peer(ep)}\n undo version {2 if version == 'ikev1' else 1}"

    def dpd(self, ep, enabled):
        if not enabled:
            return f"{_peer(ep)}\n undo dpd type"
        return f"{_peer(ep)}\n dpd type periodic\n dpd msg seq-hash-notify"

    def natt(self, ep, enabled):
        return f"{_peer(ep)}\n {'nat traversal' if enabled else 'undo nat traversal'}"

    def selectors(self, ep, pairs):
        rules = "\n".join(f" rule {5 * i} permit ip source {wildcard_addr(p.local)} destination {wildcard_addr(p.remote)}"
                          for i, p in enumerate(pairs, 1))
        return f"acl number 3999\n{rules}\n{policy_header(ep)}\n security acl 3999"

    def mtu(self, ep, mtu, mss):
        return f"interface {ep.interface or '<INTERFACE>'}\n mtu {mtu}\n tcp adjust-mss {mss}"

    def nat_exempt(self, ep, acl, pairs):
        rules = "\n".join(f" rule {i} deny ip source {wildcard_addr(p.local)} destination {wildcard_addr(p.remote)}"
                          for i, p in enumerate(pairs, 1))
        if acl and acl.isdigit():
            return f"acl number {acl}\n{rules}"
        return ("nat-policy\n rule name no-nat-vpn\n  source-address " + " ".join(
            f"{p.local.network} {p.local.prefixlen}" for p in pairs[:1]) + "\n  destination-address " + " ".join(
            f"{p.remote.network} {p.remote.prefixlen}" for p in pairs[:1]) + "\n  action no-nat\n"
            " (move the rule above the source-NAT rule)")

    def permit_ike(self, ep, acl, gateway):
        return f"permit UDP 500/4500 and ESP from {gateway} in the security policy / ACL {acl}"

    def peer(self, ep, address):
        return f"{_peer(ep)}\n remote-address {address}"

    def esp_tunnel(self, ep):
        return "ipsec proposal <NAME>\n transform esp\n encapsulation-mode tunnel"
