"""H3C Comware 7 commands for the fix intents of ``analyzer.fixes``.

Every line is a Comware 7 command (H3C MSR Series Command Reference, Comware 7 Security, "IPsec commands" /
"IKE commands"; H3C S7500E-XS Command References R2418P05, 09-IPsec commands). New IKE proposals, transform
sets and ACLs get a number/name no object of the device uses, and only this tunnel's policy/profile is pointed
at them: an IKE proposal or transform set may be shared by several peers (issue 18 item 17)."""
from __future__ import annotations

from analyzer.fixes import SAME, Fixer as _Base, advice, commands, free_name, free_number, free_rule_ids, shared, taken
from parsers.vrp_common import policy_header, wildcard_addr

_ENC = {"aes128": "aes-cbc-128", "aes192": "aes-cbc-192", "aes256": "aes-cbc-256", "3des": "3des-cbc", "des": "des-cbc"}
_IKE_AUTH = {"sha1": "sha", "md5": "md5", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}
_ESP_AUTH = {"sha1": "sha1", "md5": "md5", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}
# `sa duration traffic-based` takes 2560-4294967295 KB and cannot be switched off; `undo` restores the global
# 1843200 KB (MSR Comware 7 Security Command Reference, "sa duration", "ipsec sa global-duration").
_MAX_KB = 4294967295


def _profile(ep) -> str:
    return ep.ike.origin.text if ep.ike.origin and ep.ike.origin.text else "ike profile <PROFILE>"


def _transform_set(ep):
    """The endpoint's first transform set (model name `ipsec transform-set NAME`), or None."""
    return next((p for p in ep.ipsec.proposals if p.name.startswith("ipsec transform-set ")), None)


class Fixer(_Base):
    def ike_proposal(self, ep, enc, integ, dh, life, device=None):
        if ep.ike.version == "ikev2":
            name = free_name(taken(device, "ikev2 proposal "))
            return commands(f"ikev2 proposal {name}\n encryption {_ENC.get(enc, enc)}\n integrity {integ}\n"
                            f" dh group{dh}\nikev2 policy {name}\n proposal {name}")
        n = free_number(taken(device, "ike proposal "))
        return commands(f"ike proposal {n}\n encryption-algorithm {_ENC.get(enc, enc)}\n authentication-algorithm "
                        f"{_IKE_AUTH.get(integ, integ)}\n dh group{dh}\n sa duration {life}\n{_profile(ep)}\n proposal {n}")

    def _new_transform_set(self, ep, enc, integ, device, pfs: int | None = None):
        name = free_name(taken(device, "ipsec transform-set "))
        return commands(f"ipsec transform-set {name}\n protocol esp\n encapsulation-mode tunnel\n esp "
                        f"encryption-algorithm {_ENC.get(enc, enc)}\n esp authentication-algorithm "
                        f"{_ESP_AUTH.get(integ, integ)}" + (f"\n pfs dh-group{pfs}" if pfs else "") +
                        f"\n{policy_header(ep)}\n transform-set {name}")

    def ipsec_proposal(self, ep, enc, integ, device=None, pfs=SAME):
        """A new transform set; it carries the PFS group too (Comware sets PFS in the transform set)."""
        return self._new_transform_set(ep, enc, integ, device, pfs=ep.ipsec.pfs_group if pfs == SAME else pfs)

    def pfs(self, ep, group, device=None, esp=None):
        """PFS lives in the transform set: a shared one is replaced, for this policy only, by a new one with
        Alibaba's ESP values (``esp``, else the old set's) and the group, rather than changed."""
        ts = _transform_set(ep)
        if ts and shared(device, ep, ts.name) and (esp or (ts.encryption and ts.integrity)):
            enc, integ = esp or (ts.encryption[0], ts.integrity[0])
            return self._new_transform_set(ep, enc, integ, device, pfs=group)
        head = ts.origin.text if ts and ts.origin and ts.origin.text else "ipsec transform-set <TRANSFORM-SET>"
        note = (f"{ts.name} is used by other tunnels too: this changes their PFS as well"
                if ts and shared(device, ep, ts.name) else None)
        return commands(f"{head}\n " + ("undo pfs" if group is None else f"pfs dh-group{group}"), note=note)

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
        return commands(f"{policy_header(ep)}\n sa duration traffic-based {_MAX_KB}",
                        note="Comware cannot disable the traffic-based lifetime (2560-4294967295 KB; undo restores "
                             "the 1843200 KB default): the maximum makes the time-based lifetime expire first")

    def psk(self, ep):
        return commands(f"ike keychain <KEYCHAIN>\n pre-shared-key address {ep.peer_address} 255.255.255.255 key simple "
                        "<the Psk value of the Alibaba connection>")

    def local_id(self, ep, ident):
        kind = {"ip": "address"}.get(ident.type, ident.type)
        return commands(f"{_profile(ep)}\n local-identity {kind} {ident.value}")

    def remote_id(self, ep, ident):
        if ident.type == "ip":
            return commands(f"{_profile(ep)}\n match remote identity address {ident.value} 255.255.255.255")
        return commands(f"{_profile(ep)}\n match remote identity fqdn {ident.value}")

    def mode(self, ep, mode):
        return commands(f"{_profile(ep)}\n exchange-mode {mode}")

    def version(self, ep, version):
        kind = "ikev2-profile" if version == "ikev2" else "ike-profile"
        return commands(f"{policy_header(ep)}\n {kind} <PROFILE>")

    def dpd(self, ep, enabled):
        return commands(f"{_profile(ep)}\n " + ("dpd interval 10 retry 3 on-demand" if enabled else "undo dpd"))

    def selectors(self, ep, pairs, device=None):
        """A new ACL (a number no ACL of the device has): the old one may be another policy's too."""
        number = free_number(set(device.acls) if device else set(), start=3999, step=-1, top=3000)
        rules = "\n".join(f" rule {5 * i} permit ip source {wildcard_addr(p.local)} destination {wildcard_addr(p.remote)}"
                          for i, p in enumerate(pairs, 1))
        return commands(f"acl advanced {number}\n{rules}\n{policy_header(ep)}\n security acl {number}")

    def mtu(self, ep, mtu, mss):
        return commands(f"interface {ep.interface or '<INTERFACE>'}\n mtu {mtu}\n tcp mss {mss}")

    def nat_exempt(self, ep, acl, pairs, device=None):
        """Deny rules numbered before the ACL's first permit, with numbers no rule uses (a used one is replaced)."""
        ids = free_rule_ids(device, acl, len(pairs))
        if ids is None:
            return advice(f"ACL {acl} has no free rule number before its first permit: renumber it (`step`) and "
                          "add a deny rule for each VPN flow before the permits")
        rules = "\n".join(f" rule {i} deny ip source {wildcard_addr(p.local)} destination {wildcard_addr(p.remote)}"
                          for i, p in zip(ids, pairs))
        return commands(f"acl advanced {acl}\n{rules}")

    def peer(self, ep, address):
        return commands(f"{policy_header(ep)}\n remote-address {address}")

    def esp_tunnel(self, ep):
        ts = _transform_set(ep)
        head = ts.origin.text if ts and ts.origin and ts.origin.text else "ipsec transform-set <TRANSFORM-SET>"
        return commands(f"{head}\n protocol esp\n encapsulation-mode tunnel")
