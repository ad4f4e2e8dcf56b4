"""Huawei VRP commands for the fix intents of ``analyzer.fixes``. New IKE proposals, IPsec proposals and ACLs
get a number/name no object of the device uses, and only this tunnel's peer/policy is pointed at them: an
`ike proposal N` may be referenced by several `ike peer`s (issue 18 item 17)."""
from __future__ import annotations

from analyzer.fixes import Fixer as _Base, advice, commands, free_name, free_number, free_rule_ids, shared, taken
from parsers.vrp_common import policy_header, wildcard_addr

_ENC = {"aes128": "aes-128", "aes192": "aes-192", "aes256": "aes-256", "3des": "3des", "des": "des"}
_AUTH = {"md5": "md5", "sha1": "sha1", "sha256": "sha2-256", "sha384": "sha2-384", "sha512": "sha2-512"}


def _peer(ep) -> str:
    return ep.ike.origin.text if ep.ike.origin and ep.ike.origin.text else "ike peer <PEER>"


class Fixer(_Base):
    def ike_proposal(self, ep, enc, integ, dh, life, device=None):
        n = free_number(taken(device, "ike proposal "))
        return commands(f"ike proposal {n}\n encryption-algorithm {_ENC.get(enc, enc)}\n authentication-algorithm "
                        f"{_AUTH.get(integ, integ)}\n dh group{dh}\n authentication-method pre-share\n"
                        f" sa duration {life}\n{_peer(ep)}\n ike-proposal {n}")

    def ipsec_proposal(self, ep, enc, integ, device=None, pfs=None):
        name = free_name(taken(device, "ipsec proposal "))
        return commands(f"ipsec proposal {name}\n transform esp\n encapsulation-mode tunnel\n esp encryption-algorithm "
                        f"{_ENC.get(enc, enc)}\n esp authentication-algorithm {_AUTH.get(integ, integ)}\n"
                        f"{policy_header(ep)}\n proposal {name}")

    def pfs(self, ep, group, device=None, esp=None):
        return commands(f"{policy_header(ep)}\n " + ("undo pfs" if group is None else f"pfs dh-group{group}"))

    def ipsec_lifetime(self, ep, seconds):
        return commands(f"{policy_header(ep)}\n sa duration time-based {seconds}")

    def ike_lifetime(self, ep, seconds, device=None, algs=None):
        """The proposal's `sa duration` when only this tunnel uses it, else a new proposal (Alibaba's algorithms)."""
        p = next((p for p in ep.ike.proposals if p.name.startswith("ike proposal ") and p.origin), None)
        if p and not shared(device, ep, p.name):
            return commands(f"{p.origin.text}\n sa duration {seconds}")
        algs = algs or (p.encryption[0] if p and p.encryption else "aes128",
                        p.integrity[0] if p and p.integrity else "sha256", p.dh_groups[0] if p and p.dh_groups else 14)
        return self.ike_proposal(ep, *algs, seconds, device=device)

    def no_volume_lifetime(self, ep):
        return commands(f"{policy_header(ep)}\n sa duration traffic-based 0")

    def psk(self, ep):
        return commands(f"{_peer(ep)}\n pre-shared-key cipher <the Psk value of the Alibaba connection>")

    def local_id(self, ep, ident):
        if ident.type == "ip":
            return commands(f"{_peer(ep)}\n local-id-type ip")
        return commands(f"{_peer(ep)}\n local-id-type fqdn\n local-id {ident.value}")

    def remote_id(self, ep, ident):
        return commands(f"{_peer(ep)}\n remote-id {ident.value}")

    def mode(self, ep, mode):
        return commands(f"{_peer(ep)}\n exchange-mode {mode}")

    def version(self, ep, version):
        return commands(f"{_peer(ep)}\n undo version {2 if version == 'ikev1' else 1}")

    def dpd(self, ep, enabled):
        if not enabled:
            return commands(f"{_peer(ep)}\n undo dpd type")
        return commands(f"{_peer(ep)}\n dpd type periodic\n dpd msg seq-hash-notify")

    def natt(self, ep, enabled):
        return commands(f"{_peer(ep)}\n {'nat traversal' if enabled else 'undo nat traversal'}")

    def selectors(self, ep, pairs, device=None):
        """A new ACL (a number no ACL of the device has): the old one may be another policy's too."""
        number = free_number(set(device.acls) if device else set(), start=3999, step=-1, top=3000)
        rules = "\n".join(f" rule {5 * i} permit ip source {wildcard_addr(p.local)} destination {wildcard_addr(p.remote)}"
                          for i, p in enumerate(pairs, 1))
        return commands(f"acl number {number}\n{rules}\n{policy_header(ep)}\n security acl {number}")

    def mtu(self, ep, mtu, mss):
        return commands(f"interface {ep.interface or '<INTERFACE>'}\n mtu {mtu}\n tcp adjust-mss {mss}")

    def nat_exempt(self, ep, acl, pairs, device=None):
        """Deny rules numbered before the ACL's first permit, with numbers no rule uses (a used one is replaced)."""
        ids = free_rule_ids(device, acl, len(pairs))
        if ids is None:
            return advice(f"ACL {acl} has no free rule number before its first permit: renumber it (`step`) and "
                          "add a deny rule for each VPN flow before the permits")
        rules = "\n".join(f" rule {i} deny ip source {wildcard_addr(p.local)} destination {wildcard_addr(p.remote)}"
                          for i, p in zip(ids, pairs))
        if acl and acl.isdigit():
            return commands(f"acl number {acl}\n{rules}")
        return commands("nat-policy\n rule name no-nat-vpn\n  source-address " + " ".join(
            f"{p.local.network} {p.local.prefixlen}" for p in pairs[:1]) + "\n  destination-address " + " ".join(
            f"{p.remote.network} {p.remote.prefixlen}" for p in pairs[:1]) + "\n  action no-nat",
            note="move the rule no-nat-vpn above the source-NAT rule (nat-policy rules match in order)")

    def permit_ike(self, ep, acl, gateway):
        return advice(f"permit UDP 500/4500 and ESP from {gateway} in the security policy / ACL {acl}")

    def peer(self, ep, address):
        return commands(f"{_peer(ep)}\n remote-address {address}")

    def esp_tunnel(self, ep):
        return commands("ipsec proposal <NAME>\n transform esp\n encapsulation-mode tunnel")
