"""Cisco IOS / IOS-XE commands for the fix intents of ``analyzer.fixes``."""
from __future__ import annotations

from analyzer.fixes import Fixer as _Base, advice, commands, free_name, free_number, in_use, taken
from analyzer.i18n import _
from analyzer.model import Endpoint, Identity, SelectorPair
from netaddr import IPNetwork

from parsers.cisco_ios.defaults import WEAK_IKEV1, WEAK_IKEV2, WEAK_PFS

_V1_ENC = {"aes128": "aes", "aes192": "aes 192", "aes256": "aes 256", "3des": "3des", "des": "des"}
_V1_HASH = {"sha1": "sha", "md5": "md5", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}
_V2_ENC = {"aes128": "aes-cbc-128", "aes192": "aes-cbc-192", "aes256": "aes-cbc-256", "3des": "3des", "des": "des"}
_ESP_ENC = {"aes128": "esp-aes", "aes192": "esp-aes 192", "aes256": "esp-aes 256", "3des": "esp-3des", "des": "esp-des"}
_ESP_AUTH = {"md5": "esp-md5-hmac", "sha1": "esp-sha-hmac", "sha256": "esp-sha256-hmac", "sha384": "esp-sha384-hmac",
             "sha512": "esp-sha512-hmac"}


def _entry(ep: Endpoint) -> str:
    """The header line of the crypto map entry / ipsec profile the endpoint comes from."""
    return ep.origin.text if ep.origin and ep.origin.text else "crypto map <MAP> <SEQ> ipsec-isakmp"


def _shared_profile(ep: Endpoint, device) -> bool:
    """The endpoint is a VTI whose `crypto ipsec profile` another tunnel interface uses too."""
    head = _entry(ep)
    return head.startswith("crypto ipsec profile ") and device is not None and any(
        o is not ep and o.origin and o.origin.text == head for o in device.endpoints)


def _on_entry(ep: Endpoint, device, change: str) -> str:
    """``change`` (indented sub-lines) on the endpoint's crypto map entry / ipsec profile. A profile another tunnel
    uses is never changed in place: a copy under a free name (the settings the model holds) gets the change and
    only this tunnel interface is pointed at it."""
    if not _shared_profile(ep, device):
        return f"{_entry(ep)}\n{change}"
    changed = {" ".join(line.split()[:2]) for line in change.split("\n")}
    kept = [line for line in _profile_settings(ep) if " ".join(line.split()[:2]) not in changed]
    name = free_name(taken(device, "ipsec profile "), "ALIBABA-VTI")
    return "\n".join([f"crypto ipsec profile {name}", *kept, change,
                      f"interface {ep.name.split(' ')[0]}", f" tunnel protection ipsec profile {name}"])


def _profile_settings(ep: Endpoint) -> list[str]:
    """The `set` lines of the endpoint's ipsec profile as the model holds them (defaults left out)."""
    ipsec, out = ep.ipsec, []
    sets = [p.name.removeprefix("transform-set ") for p in ipsec.proposals if p.name.startswith("transform-set ")]
    if sets:
        out.append(" set transform-set " + " ".join(sets))
    if ipsec.pfs_group is not None:
        out.append(f" set pfs group{ipsec.pfs_group}")
    life = ipsec.at("lifetime_s")
    if ipsec.lifetime_s and life and not life.defaulted:
        out.append(f" set security-association lifetime seconds {ipsec.lifetime_s}")
    kb = ipsec.at("lifetime_kb")
    if ipsec.lifetime_kb is None and kb and not kb.defaulted:
        out.append(" set security-association lifetime kilobytes disable")
    elif ipsec.lifetime_kb and kb and not kb.defaulted:
        out.append(f" set security-association lifetime kilobytes {ipsec.lifetime_kb}")
    if _v2_profile(ep) != "crypto ikev2 profile <PROFILE>":
        out.append(" set ikev2-profile " + _v2_profile(ep).split()[-1])
    return out


def _v2_profile(ep: Endpoint) -> str:
    """`crypto ikev2 profile NAME` of the endpoint (its entry's `set ikev2-profile NAME`), or a placeholder."""
    src = ep.ike.src.get("version")
    words = (src.text or "").split() if src else []
    name = words[2] if words[:2] == ["set", "ikev2-profile"] and len(words) > 2 else "<PROFILE>"
    return f"crypto ikev2 profile {name}"


_KEY = "<the Psk value of the Alibaba connection>"
# Keys inline in the IKEv2 profile (`authentication local|remote pre-share key K`, Cisco FlexVPN/IKEv2 configuration
# guide) serve that profile's peer only and take precedence over its keyring: no keyring entry of another peer
# changes, and the model names the profile (not the keyring or its peer entries).
_INLINE_KEY = f" authentication local pre-share key {_KEY}\n authentication remote pre-share key {_KEY}"


def acl_address(net: IPNetwork) -> str:
    """An IOS extended-ACL address: any, host A, or network and wildcard mask."""
    if net.prefixlen == 0:
        return "any"
    if net.prefixlen == 32:
        return f"host {net.ip}"
    return f"{net.network} {net.hostmask}"


def _weak(values: list) -> str | None:
    """The note of a fix that writes an algorithm Cisco Field Notice FN72510 lists as refused by default."""
    if not values:
        return None
    shown = ", ".join(f"group {v}" if isinstance(v, int) else str(v) for v in values)
    return _("IOS-XE 17.11+ refuses {values} by default (Cisco Field Notice FN72510): it needs "
             "`crypto engine compliance shield disable` and a reload; prefer a strong value on both sides").format(
                 values=shown)


def _algs(ep) -> tuple:
    """(encryption, integrity, DH group) of the endpoint's first IKE proposal."""
    p = ep.ike.proposals[0] if ep.ike.proposals else None
    return (p.encryption[0] if p and p.encryption else "aes256", p.integrity[0] if p and p.integrity else "sha256",
            p.dh_groups[0] if p and p.dh_groups else 14)


class Fixer(_Base):
    def ike_proposal(self, ep, enc, integ, dh, life, device=None):
        """A new policy/proposal with a number or name no other object uses: IOS offers every ISAKMP policy to
        every peer, and an IKEv2 proposal may be listed by several policies, so rewriting one changes the
        other tunnels' negotiation (issue 18 item 17)."""
        if ep.ike.version == "ikev2":
            weak = [v for v, a in ((enc, "encryption"), (integ, "integrity"), (dh, "dh_groups")) if v in WEAK_IKEV2[a]]
            name = free_name(taken(device, "ikev2 proposal "))
            return commands(f"crypto ikev2 proposal {name}\n encryption {_V2_ENC.get(enc, enc)}\n integrity {integ}\n"
                            f" group {dh}\ncrypto ikev2 policy {name}\n proposal {name}", note=_weak(weak))
        weak = [v for v, a in ((enc, "encryption"), (integ, "integrity"), (dh, "dh_groups")) if v in WEAK_IKEV1[a]]
        number = free_number(taken(device, "isakmp policy "))
        return commands(f"crypto isakmp policy {number}\n encryption {_V1_ENC.get(enc, enc)}\n hash "
                        f"{_V1_HASH.get(integ, integ)}\n authentication pre-share\n group {dh}\n lifetime {life}",
                        note=_weak(weak))

    def ipsec_proposal(self, ep, enc, integ, device=None, pfs=None):
        words = [_ESP_ENC.get(enc, enc), _ESP_AUTH.get(integ, integ)]
        name = free_name(taken(device, "transform-set "))
        return commands(f"crypto ipsec transform-set {name} {words[0]} {words[1]}\n mode tunnel\n"
                        + _on_entry(ep, device, f" set transform-set {name}"),
                        note=_weak([w for w in words if w in ("esp-des", "esp-3des", "esp-md5-hmac", "esp-null")]))

    def pfs(self, ep, group, device=None, esp=None):
        return commands(_on_entry(ep, device, " no set pfs" if group is None else f" set pfs group{group}"),
                        note=_weak([f"pfs group{group}"] if group in WEAK_PFS else []))

    def ipsec_lifetime(self, ep, seconds, device=None):
        return commands(_on_entry(ep, device, f" set security-association lifetime seconds {seconds}"))

    def ike_lifetime(self, ep, seconds, device=None, algs=None):
        if ep.ike.version == "ikev2":
            return commands(f"{_v2_profile(ep)}\n lifetime {seconds}")
        # ISAKMP policies are global: a new one (Alibaba's algorithms), never a changed shared one
        return self.ike_proposal(ep, *(algs or _algs(ep)), seconds, device=device)

    def no_volume_lifetime(self, ep, device=None):
        return commands(_on_entry(ep, device, " set security-association lifetime kilobytes disable"))

    def psk(self, ep):
        if ep.ike.version == "ikev2":
            return commands(f"{_v2_profile(ep)}\n{_INLINE_KEY}")
        return commands(f"crypto isakmp key {_KEY} address {ep.peer_address}")

    def local_id(self, ep, ident: Identity):
        if ep.ike.version == "ikev2":
            kind = {"ip": "address", "user-fqdn": "email"}.get(ident.type, ident.type)
            return commands(f"{_v2_profile(ep)}\n identity local {kind} {ident.value}")
        if ident.type == "ip":
            return commands("crypto isakmp identity address")
        if ident.type == "user-fqdn":
            return commands(f"crypto isakmp profile <PROFILE>\n self-identity user-fqdn {ident.value}")
        if ident.type == "fqdn" and ident.value:
            # IOS `self-identity fqdn` takes no argument: it presents hostname.domain
            host, _dot, domain = ident.value.partition(".")
            return commands(f"hostname {host}\n" + (f"ip domain name {domain}\n" if domain else "no ip domain name\n")
                            + "crypto isakmp profile <PROFILE>\n self-identity fqdn",
                            note=_("IOS presents hostname.domain as its FQDN identity: these commands rename the "
                                   "router"))
        return advice(_("IKEv1 identity {type} {value} has no IOS `self-identity` form: use an address or FQDN").format(
            type=ident.type, value=ident.value))

    def remote_id(self, ep, ident: Identity):
        if ep.ike.version == "ikev2":
            if ident.type == "ip":
                return commands(f"{_v2_profile(ep)}\n match identity remote address {ident.value} 255.255.255.255")
            return commands(f"{_v2_profile(ep)}\n match identity remote fqdn {ident.value}")
        if ident.type == "ip":
            return commands(f"crypto isakmp profile <PROFILE>\n match identity address {ident.value} 255.255.255.255")
        return commands(f"crypto isakmp profile <PROFILE>\n match identity host {ident.value}")

    def mode(self, ep, mode):
        if mode == "aggressive":
            return commands("crypto isakmp profile <PROFILE>\n initiate mode aggressive")
        return commands("crypto isakmp profile <PROFILE>\n no initiate mode")

    def version(self, ep, version, device=None):
        """IKEv2: a new profile (a name no object has: an existing one may serve other entries) for this peer only,
        with the key inline (no keyring to name)."""
        if version == "ikev2":
            name = free_name(taken(device, "ikev2 profile "))
            return commands(f"crypto ikev2 profile {name}\n match identity remote address {ep.peer_address} "
                            f"255.255.255.255\n{_INLINE_KEY}\n{_entry(ep)}\n set ikev2-profile {name}")
        return commands(f"{_entry(ep)}\n no set ikev2-profile")

    def dpd(self, ep, enabled):
        if ep.ike.version == "ikev2":
            return commands(f"{_v2_profile(ep)}\n " + ("dpd 10 3 on-demand" if enabled else "no dpd"))
        return commands("crypto isakmp keepalive 10 3" if enabled else "no crypto isakmp keepalive")

    def natt(self, ep, enabled):
        return commands("crypto ipsec nat-transparency udp-encapsulation" if enabled
                        else "no crypto ipsec nat-transparency udp-encapsulation")

    def selectors(self, ep, pairs: list[SelectorPair], device=None):
        """A new ACL (a name no ACL of the device has): the old one may be another entry's too."""
        name = free_name(in_use(device), "ALIBABA-VPN")
        lines = [f" permit ip {acl_address(p.local)} {acl_address(p.remote)}" for p in pairs]
        return commands(f"ip access-list extended {name}\n" + "\n".join(lines) + f"\n{_entry(ep)}\n match address {name}")

    def mtu(self, ep, mtu, mss):
        itf = ep.interface or "<TUNNEL-OR-OUTSIDE-INTERFACE>"
        if ep.kind == "route":
            itf = ep.name.split(" ")[0]
        return commands(f"interface {itf}\n ip mtu {mtu}\n ip tcp adjust-mss {mss}")

    def nat_exempt(self, ep, acl, pairs, device=None):
        """Deny lines with sequence numbers 1, 2, ... before the ACL's permits. A numbered ACL takes them too when
        opened as `ip access-list extended <number>` (Cisco "IP Access List Entry Sequence Numbering": entries get
        10, 20, ... by default; a sequence number already in use is refused as a duplicate)."""
        lines = [f" {i} deny ip {acl_address(p.local)} {acl_address(p.remote)}" for i, p in enumerate(pairs, 1)]
        note = None
        if len(pairs) > 9:
            note = _("the first entries of access-list {acl} are numbered 10, 20, ...: run `ip access-list resequence "
                     "{acl} 100 10` first so that sequence numbers 1-{count} are free").format(
                         acl=acl, count=len(pairs))
        return commands(f"ip access-list extended {acl}\n" + "\n".join(lines), note=note)

    def permit_ike(self, ep, acl, gateway):
        return commands(f"ip access-list extended {acl}\n 1 permit udp host {gateway} any eq isakmp\n"
                f" 2 permit udp host {gateway} any eq non500-isakmp\n 3 permit esp host {gateway} any")

    def peer(self, ep, address):
        return commands(f"{_entry(ep)}\n set peer {address}" if ep.kind != "route" else
                        f"interface {ep.name.split(' ')[0]}\n tunnel destination {address}")

    def esp_tunnel(self, ep):
        return commands("crypto ipsec transform-set ALIBABA esp-aes esp-sha-hmac\n mode tunnel")
