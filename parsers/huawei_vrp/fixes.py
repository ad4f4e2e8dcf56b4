"""Huawei VRP commands for the fix intents of ``analyzer.fixes``. New IKE proposals, IPsec proposals and ACLs
get a number/name no object of the device uses, and only this tunnel's peer/policy is pointed at them: an
`ike proposal N` may be referenced by several `ike peer`s (issue 18 item 17)."""
from __future__ import annotations

from analyzer.fixes import Fixer as _Base, advice, commands, free_name, free_number, in_use, taken
from analyzer.i18n import _
from parsers.vrp_common import (NO_FREE_RULE, nat_deny_rules, policy_header as _policy_line, proposal_lifetime,
                                 wildcard_addr)

_ENC = {"aes128": "aes-128", "aes192": "aes-192", "aes256": "aes-256", "3des": "3des", "des": "des"}
_AUTH = {"md5": "md5", "sha1": "sha1", "sha256": "sha2-256", "sha384": "sha2-384", "sha512": "sha2-512"}
# IKEv2 words, as AR exports print them (`integrity-algorithm hmac-sha1-96`, `prf hmac-sha1`); USG6000E `prf`
# reference lists hmac-md5 | hmac-sha1 | hmac-sha2-256 | hmac-sha2-384 | hmac-sha2-512.
_INTEG = {"md5": "hmac-md5-96", "sha1": "hmac-sha1-96", "sha256": "hmac-sha2-256", "sha384": "hmac-sha2-384",
          "sha512": "hmac-sha2-512"}
_PRF = {"md5": "hmac-md5", "sha1": "hmac-sha1", "sha256": "hmac-sha2-256", "sha384": "hmac-sha2-384",
        "sha512": "hmac-sha2-512"}


def _peer(ep) -> str:
    return ep.ike.origin.text if ep.ike.origin and ep.ike.origin.text else "ike peer <PEER>"


def policy_header(ep) -> str:
    """The view holding the IPsec values: `ipsec policy P N isakmp template T` enters no view (Huawei Efficient VPN
    example: the prompt stays `[RouterB]`), so a template-based entry is fixed under `ipsec policy-template T N`,
    which the parser records as the endpoint's IPsec origin."""
    own = ep.ipsec.origin.text if ep.ipsec and ep.ipsec.origin and ep.ipsec.origin.text else ""
    return own if own.startswith("ipsec policy-template ") else _policy_line(ep)


class Fixer(_Base):
    def ike_proposal(self, ep, enc, integ, dh, life, device=None):
        """IKEv1 reads `authentication-algorithm`; IKEv2 `integrity-algorithm` and `prf` (Huawei `ike proposal`
        reference: separate IKEv1 authentication, IKEv2 integrity and PRF algorithms)."""
        n = free_number(taken(device, "ike proposal "))
        lines = [f"ike proposal {n}", f" encryption-algorithm {_ENC.get(enc, enc)}"]
        if ep.ike.version != "ikev2":
            lines.append(f" authentication-algorithm {_AUTH.get(integ, integ)}")
        if ep.ike.version != "ikev1":
            lines += [f" integrity-algorithm {_INTEG.get(integ, integ)}", f" prf {_PRF.get(integ, integ)}"]
        lines += [f" dh group{dh}", " authentication-method pre-share", f" sa duration {life}", _peer(ep),
                  f" ike-proposal {n}"]
        return commands("\n".join(lines))

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
        return proposal_lifetime(self, ep, seconds, device, algs)

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
        number = free_number(in_use(device), start=3999, step=-1, top=3000)
        rules = "\n".join(f" rule {5 * i} permit ip source {wildcard_addr(p.local)} destination {wildcard_addr(p.remote)}"
                          for i, p in enumerate(pairs, 1))
        return commands(f"acl number {number}\n{rules}\n{policy_header(ep)}\n security acl {number}")

    def mtu(self, ep, mtu, mss):
        return commands(f"interface {ep.interface or '<INTERFACE>'}\n mtu {mtu}\n tcp adjust-mss {mss}")

    def nat_exempt(self, ep, acl, pairs, device=None):
        """Deny rules numbered before the ACL's first permit, with numbers no rule uses (a used one is replaced)."""
        rules = nat_deny_rules(device, acl, pairs)
        if rules is None:
            return advice(_(NO_FREE_RULE).format(acl=acl))  # vrp_common text; its zh is in fixes.po
        if acl and acl.isdigit():
            return commands(f"acl number {acl}\n{rules}")
        # One rule per flow: several addresses in one rule would exempt every source x destination combination.
        names = [f"no-nat-vpn-{i}" if len(pairs) > 1 else "no-nat-vpn" for i in range(1, len(pairs) + 1)]
        rules = "".join(f" rule name {n}\n  source-address {p.local.network} {p.local.prefixlen}\n"
                        f"  destination-address {p.remote.network} {p.remote.prefixlen}\n  action no-nat\n"
                        for n, p in zip(names, pairs))
        return commands("nat-policy\n" + rules.rstrip("\n"),
                        note=_("move the rule(s) {rules} above the source-NAT rule (nat-policy rules match in "
                               "order)").format(rules=", ".join(names)))

    def permit_ike(self, ep, acl, gateway):
        return advice(_("permit UDP 500/4500 and ESP from {gateway} in the security policy / ACL {acl}").format(
            gateway=gateway, acl=acl))

    def peer(self, ep, address):
        return commands(f"{_peer(ep)}\n remote-address {address}")

    def esp_tunnel(self, ep):
        return commands("ipsec proposal <NAME>\n transform esp\n encapsulation-mode tunnel")
