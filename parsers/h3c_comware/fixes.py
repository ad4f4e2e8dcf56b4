"""H3C Comware 7 and Comware 5 commands for the fix intents of ``analyzer.fixes``.

Comware 7: H3C MSR Series Command Reference, Comware 7 Security, "IPsec commands" / "IKE commands"; H3C S7500E-XS
Command References R2418P05, 09-IPsec commands. Comware 5 (an endpoint read from `ike peer` / `ipsec proposal`):
R2511-HP MSR Router Series Security Configuration Guide (V5), IKE proposal (`encryption-algorithm { 3des-cbc |
aes-cbc [ key-length ] | des-cbc }`), HP A6600 (Comware 5) IPsec proposal (`transform`, `esp encryption-algorithm
{ 3des | aes [ key-length ] | des }`, `esp authentication-algorithm { md5 | sha1 }`), PFS in the IPsec policy,
`acl number`, `ike peer` (pre-shared-key, remote-address, id-type / local-name / remote-name, `dpd NAME` -> `ike
dpd NAME` with interval-time / time-out). New IKE proposals, transform sets and ACLs get a number/name no object
of the device uses, and only this tunnel's policy/profile is pointed at them: an IKE proposal or transform set
may be shared by several peers (issue 18 item 17)."""
from __future__ import annotations

from analyzer.fixes import SAME, Fixer as _Base, advice, commands, free_name, free_number, in_use, shared, taken
from analyzer.i18n import N_, _
from parsers.vrp_common import NO_FREE_RULE, nat_deny_rules, policy_header, proposal_lifetime, wildcard_addr

_ENC = {"aes128": "aes-cbc-128", "aes192": "aes-cbc-192", "aes256": "aes-cbc-256", "3des": "3des-cbc", "des": "des-cbc"}
_ENC5 = {"aes128": "aes-cbc 128", "aes192": "aes-cbc 192", "aes256": "aes-cbc 256", "3des": "3des-cbc", "des": "des-cbc"}
_ESP_ENC5 = {"aes128": "aes 128", "aes192": "aes 192", "aes256": "aes 256", "3des": "3des", "des": "des"}
_IKE_AUTH = {"sha1": "sha", "md5": "md5", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}
_ESP_AUTH = {"sha1": "sha1", "md5": "md5", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}
# `sa duration traffic-based` takes 2560-4294967295 KB and cannot be switched off; `undo` restores the global
# 1843200 KB (MSR Comware 7 Security Command Reference, "sa duration", "ipsec sa global-duration").
_MAX_KB = 4294967295
_DPD5 = "ALIBABA-DPD"  # a Comware 5 DPD detector name (1-15 characters)
# IKEv2 keychain (`peer` / `address` / `pre-shared-key plaintext`) and profile `identity local` forms are the ones
# the parser reads; an H3C IKEv2 command reference page with them was not retrieved: the fix says so.
_V2_NOTE = N_("IKEv2 keychain/identity syntax unverified against an H3C command reference")


def _profile(ep) -> str:
    return ep.ike.origin.text if ep.ike.origin and ep.ike.origin.text else "ike profile <PROFILE>"


def _cmw5(ep) -> bool:
    """A Comware 5 endpoint: its IKE settings come from an `ike peer`, its ESP ones from an `ipsec proposal`."""
    return _profile(ep).startswith("ike peer ") or any(p.name.startswith("ipsec proposal ") for p in ep.ipsec.proposals)


def _cmw5_algs_note(*integs: str) -> str | None:
    """Comware 5 documents list only md5/sha(1) integrity; a SHA-2 one depends on the release."""
    odd = [i for i in integs if i not in ("sha1", "md5")]
    return _("Comware 5 command references list only md5 and sha1 integrity: check that this release accepts "
             "{values} (unverified)").format(values=", ".join(odd)) if odd else None


def _transform_set(ep):
    """The endpoint's first transform set / Comware 5 IPsec proposal, or None."""
    return next((p for p in ep.ipsec.proposals if p.name.startswith(("ipsec transform-set ", "ipsec proposal "))), None)


class Fixer(_Base):
    def ike_proposal(self, ep, enc, integ, dh, life, device=None):
        if ep.ike.version == "ikev2":
            name = free_name(taken(device, "ikev2 proposal "))
            return commands(f"ikev2 proposal {name}\n encryption {_ENC.get(enc, enc)}\n integrity {integ}\n"
                            f" dh group{dh}\nikev2 policy {name}\n proposal {name}")
        n = free_number(taken(device, "ike proposal "))
        cmw5 = _cmw5(ep)
        return commands(f"ike proposal {n}\n encryption-algorithm {(_ENC5 if cmw5 else _ENC).get(enc, enc)}\n "
                        f"authentication-algorithm {_IKE_AUTH.get(integ, integ)}\n dh group{dh}\n sa duration {life}\n"
                        f"{_profile(ep)}\n proposal {n}", note=_cmw5_algs_note(integ) if cmw5 else None)

    def _new_transform_set(self, ep, enc, integ, device, pfs: int | None = None):
        if _cmw5(ep):  # an `ipsec proposal`; PFS is set in the policy
            name = free_name(taken(device, "ipsec proposal "))
            return commands(f"ipsec proposal {name}\n transform esp\n encapsulation-mode tunnel\n esp "
                            f"encryption-algorithm {_ESP_ENC5.get(enc, enc)}\n esp authentication-algorithm "
                            f"{_ESP_AUTH.get(integ, integ)}\n{policy_header(ep)}\n proposal {name}" +
                            (f"\n pfs dh-group{pfs}" if pfs else ""), note=_cmw5_algs_note(integ))
        name = free_name(taken(device, "ipsec transform-set "))
        return commands(f"ipsec transform-set {name}\n protocol esp\n encapsulation-mode tunnel\n esp "
                        f"encryption-algorithm {_ENC.get(enc, enc)}\n esp authentication-algorithm "
                        f"{_ESP_AUTH.get(integ, integ)}" + (f"\n pfs dh-group{pfs}" if pfs else "") +
                        f"\n{policy_header(ep)}\n transform-set {name}")

    def ipsec_proposal(self, ep, enc, integ, device=None, pfs=SAME):
        """A new transform set; it carries the PFS group too (Comware 7 sets PFS in the transform set)."""
        return self._new_transform_set(ep, enc, integ, device, pfs=ep.ipsec.pfs_group if pfs == SAME else pfs)

    def pfs(self, ep, group, device=None, esp=None):
        """Comware 5: in the policy. Comware 7: in the transform set; a shared one is replaced, for this policy
        only, by a new one with Alibaba's ESP values (``esp``, else the old set's) and the group."""
        if _cmw5(ep):
            return commands(f"{policy_header(ep)}\n " + ("undo pfs" if group is None else f"pfs dh-group{group}"))
        ts = _transform_set(ep)
        if ts and shared(device, ep, ts.name) and (esp or (ts.encryption and ts.integrity)):
            enc, integ = esp or (ts.encryption[0], ts.integrity[0])
            return self._new_transform_set(ep, enc, integ, device, pfs=group)
        head = ts.origin.text if ts and ts.origin and ts.origin.text else "ipsec transform-set <TRANSFORM-SET>"
        note = (_("{name} is used by other tunnels too: this changes their PFS as well").format(name=ts.name)
                if ts and shared(device, ep, ts.name) else None)
        return commands(f"{head}\n " + ("undo pfs" if group is None else f"pfs dh-group{group}"), note=note)

    def ipsec_lifetime(self, ep, seconds):
        return commands(f"{policy_header(ep)}\n sa duration time-based {seconds}")

    def ike_lifetime(self, ep, seconds, device=None, algs=None):
        """IKEv2: the profile's `sa duration`. IKEv1: the proposal's when only this tunnel uses it, else a new
        proposal (Alibaba's algorithms)."""
        if ep.ike.version == "ikev2":
            return commands(f"{_profile(ep)}\n sa duration {seconds}")
        return proposal_lifetime(self, ep, seconds, device, algs)

    def no_volume_lifetime(self, ep):
        return commands(f"{policy_header(ep)}\n sa duration traffic-based {_MAX_KB}",
                        note=_("Comware cannot disable the traffic-based lifetime (2560-4294967295 KB; undo restores "
                               "the 1843200 KB default): the maximum makes the time-based lifetime expire first"))

    def psk(self, ep):
        secret = "<the Psk value of the Alibaba connection>"
        if _cmw5(ep):
            return commands(f"{_profile(ep)}\n pre-shared-key simple {secret}")
        if ep.ike.version == "ikev2":
            return commands(f"ikev2 keychain <KEYCHAIN>\n peer ALIBABA\n  address {ep.peer_address} 255.255.255.255\n"
                            f"  pre-shared-key plaintext {secret}\n{_profile(ep)}\n keychain <KEYCHAIN>",
                            note=_("<KEYCHAIN>: the IKEv2 keychain the profile uses, or a new one. {caveat}").format(
                                caveat=_(_V2_NOTE)))
        return commands(f"ike keychain <KEYCHAIN>\n pre-shared-key address {ep.peer_address} 255.255.255.255 key simple "
                        f"{secret}", note=_("<KEYCHAIN>: the IKE keychain the profile uses"))

    def local_id(self, ep, ident):
        if _cmw5(ep):
            if ident.type == "ip":
                return commands(f"{_profile(ep)}\n id-type ip", note=_("Comware 5 presents its local address as the "
                                "IP identity: the tunnel must leave from {address}").format(address=ident.value))
            kind = "name" if ident.type == "fqdn" else "user-fqdn"
            return commands(f"{_profile(ep)}\n id-type {kind}\n local-name {ident.value}",
                            note=_("Comware 5 sends a name identity in aggressive mode only (`id-type`: \"In main "
                                   "mode, only the ID type of IP address can be used\")"))
        kind = {"ip": "address"}.get(ident.type, ident.type)
        if ep.ike.version == "ikev2":  # IKEv2 profile view: `identity local` (_V2_NOTE)
            return commands(f"{_profile(ep)}\n identity local {kind} {ident.value}", note=_(_V2_NOTE))
        return commands(f"{_profile(ep)}\n local-identity {kind} {ident.value}")

    def remote_id(self, ep, ident):
        if _cmw5(ep):
            if ident.type == "ip":
                return commands(f"{_profile(ep)}\n id-type ip", note=_("Comware 5 expects the peer's address "
                                "(`remote-address`) as its IP identity: Alibaba must present {address} from "
                                "there").format(address=ident.value))
            return commands(f"{_profile(ep)}\n id-type name\n remote-name {ident.value}")
        if ident.type == "ip":
            return commands(f"{_profile(ep)}\n match remote identity address {ident.value} 255.255.255.255")
        return commands(f"{_profile(ep)}\n match remote identity fqdn {ident.value}")

    def mode(self, ep, mode):
        return commands(f"{_profile(ep)}\n exchange-mode {mode}")

    def version(self, ep, version):
        if _cmw5(ep):
            return advice(_("Comware 5 `ike peer` negotiates IKEv1; IKEv2 exists on late Comware 5 releases only: "
                            "use {version} on Alibaba's side or upgrade to Comware 7").format(version=ep.ike.version or "ikev1"))
        kind = "ikev2-profile" if version == "ikev2" else "ike-profile"
        return commands(f"{policy_header(ep)}\n {kind} <PROFILE>")

    def dpd(self, ep, enabled):
        """Comware 7 `dpd interval ...` / `undo dpd interval` in the profile; a profile without DPD uses the
        system-view `ike dpd` (H3C MSR Series Command Reference, `dpd`: \"If DPD is not configured in IKE profile
        view, the DPD settings in system view apply\"). Comware 5: a named `ike dpd` detector applied by the peer."""
        if _cmw5(ep):
            if enabled:
                return commands(f"ike dpd {_DPD5}\n interval-time 10\n time-out 5\n{_profile(ep)}\n dpd {_DPD5}")
            return commands(f"{_profile(ep)}\n undo dpd")
        if enabled:
            return commands(f"{_profile(ep)}\n dpd interval 10 retry 3 on-demand")
        at = ep.ike.src.get("dpd")
        words = (at.text or "").split() if at and not at.defaulted else []
        if words[1:3] == ["dpd", "interval"]:  # the system-view `ike dpd` / `ikev2 dpd` is what is in force
            return commands(f"undo {words[0]} dpd interval", note=_("`{command}` is the system-view DPD: every "
                            "profile without its own `dpd` loses DPD too").format(command=" ".join(words[:2])))
        return commands(f"{_profile(ep)}\n undo dpd interval",
                        note=_("if a system-view `ike dpd` / `ikev2 dpd` is configured, the profile falls back to it: "
                               "remove it as well (`undo ike dpd interval`), which affects every profile without "
                               "`dpd`"))

    def selectors(self, ep, pairs, device=None):
        """A new ACL (a number no ACL of the device has): the old one may be another policy's too. A tunnel
        interface's IPsec profile has no `security acl`: it protects whatever is routed into the tunnel."""
        if ep.kind == "route":
            return advice(_("{interface} protects everything routed into it (selectors 0.0.0.0/0 both ways; its "
                            "IPsec profile takes no `security acl`): route only {remote} into the tunnel and use "
                            "0.0.0.0/0 LocalSubnet/RemoteSubnet on Alibaba, or use an `ipsec policy` with a "
                            "`security acl`").format(interface=ep.interface or _("the tunnel interface"),
                                                     remote=", ".join(str(p.remote) for p in pairs)))
        number = free_number(in_use(device), start=3999, step=-1, top=3000)
        rules = "\n".join(f" rule {5 * i} permit ip source {wildcard_addr(p.local)} destination {wildcard_addr(p.remote)}"
                          for i, p in enumerate(pairs, 1))
        head = "acl number" if _cmw5(ep) else "acl advanced"
        return commands(f"{head} {number}\n{rules}\n{policy_header(ep)}\n security acl {number}")

    def mtu(self, ep, mtu, mss):
        return commands(f"interface {ep.interface or '<INTERFACE>'}\n mtu {mtu}\n tcp mss {mss}")

    def nat_exempt(self, ep, acl, pairs, device=None):
        """Deny rules numbered before the ACL's first permit, with numbers no rule uses (a used one is replaced)."""
        rules = nat_deny_rules(device, acl, pairs)
        if rules is None:
            return advice(_(NO_FREE_RULE).format(acl=acl))  # vrp_common text; its zh is in fixes.po
        numbered = (acl or "").isdigit()
        if _cmw5(ep):
            head, note = ((f"acl number {acl}", None) if numbered else
                          (f"acl name {acl}", _("Comware 5 named-ACL view command unverified")))
        else:
            head, note = (f"acl advanced {acl}" if numbered else f"acl advanced name {acl}"), None
        return commands(f"{head}\n{rules}", note=note)

    def peer(self, ep, address):
        if _cmw5(ep):  # Comware 5 keeps the peer address in the `ike peer`
            return commands(f"{_profile(ep)}\n remote-address {address}")
        return commands(f"{policy_header(ep)}\n remote-address {address}")

    def esp_tunnel(self, ep):
        ts = _transform_set(ep)
        head = ts.origin.text if ts and ts.origin and ts.origin.text else "ipsec transform-set <TRANSFORM-SET>"
        if ts and ts.name.startswith("ipsec proposal "):
            return commands(f"{head}\n transform esp\n encapsulation-mode tunnel")
        return commands(f"{head}\n protocol esp\n encapsulation-mode tunnel")
