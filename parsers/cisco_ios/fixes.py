"""Cisco IOS / IOS-XE commands for the fix intents of ``analyzer.fixes``."""
from __future__ import annotations

from analyzer.fixes import Fixer as _Base, advice, commands, free_name, free_number, taken
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


def _acl_addr(net: IPNetwork) -> str:
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
    return (f"IOS-XE 17.11+ refuses {shown} by default (Cisco Field Notice FN72510): it needs "
            "`crypto engine compliance shield disable` and a reload; prefer a strong value on both sides")


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
        return commands(f"crypto ipsec transform-set {name} {words[0]} {words[1]}\n mode tunnel\n{_entry(ep)}\n"
                        f" set transform-set {name}",
                        note=_weak([w for w in words if w in ("esp-des", "esp-3des", "esp-md5-hmac", "esp-null")]))

    def pfs(self, ep, group, device=None, esp=None):
        return commands(f"{_entry(ep)}\n " + ("no set pfs" if group is None else f"set pfs group{group}"),
                        note=_weak([f"pfs group{group}"] if group in WEAK_PFS else []))

    def ipsec_lifetime(self, ep, seconds):
        return commands(f"{_entry(ep)}\n set security-association lifetime seconds {seconds}")

    def ike_lifetime(self, ep, seconds, device=None, algs=None):
        if ep.ike.version == "ikev2":
            return commands(f"crypto ikev2 profile <PROFILE>\n lifetime {seconds}")
        # ISAKMP policies are global: a new one (Alibaba's algorithms), never a changed shared one
        return self.ike_proposal(ep, *(algs or _algs(ep)), seconds, device=device)

    def no_volume_lifetime(self, ep):
        return commands(f"{_entry(ep)}\n set security-association lifetime kilobytes disable")

    def psk(self, ep):
        if ep.ike.version == "ikev2":
            return commands(f"crypto ikev2 keyring <KEYRING>\n peer ALIBABA\n  address {ep.peer_address}\n"
                            "  pre-shared-key <the Psk value of the Alibaba connection>")
        return commands(f"crypto isakmp key <the Psk value of the Alibaba connection> address {ep.peer_address}")

    def local_id(self, ep, ident: Identity):
        if ep.ike.version == "ikev2":
            kind = {"ip": "address", "user-fqdn": "email"}.get(ident.type, ident.type)
            return commands(f"crypto ikev2 profile <PROFILE>\n identity local {kind} {ident.value}")
        if ident.type == "ip":
            return commands("crypto isakmp identity address")
        if ident.type == "user-fqdn":
            return commands(f"crypto isakmp profile <PROFILE>\n self-identity user-fqdn {ident.value}")
        if ident.type == "fqdn" and ident.value:
            # IOS `self-identity fqdn` takes no argument: it presents hostname.domain
            host, _, domain = ident.value.partition(".")
            return commands(f"hostname {host}\n" + (f"ip domain name {domain}\n" if domain else "no ip domain name\n")
                            + "crypto isakmp profile <PROFILE>\n self-identity fqdn",
                            note="IOS presents hostname.domain as its FQDN identity: these commands rename the router")
        return advice(f"IKEv1 identity {ident.type} {ident.value} has no IOS `self-identity` form: use an address or FQDN")

    def remote_id(self, ep, ident: Identity):
        if ep.ike.version == "ikev2":
            if ident.type == "ip":
                return commands(f"crypto ikev2 profile <PROFILE>\n match identity remote address {ident.value} 255.255.255.255")
            return commands(f"crypto ikev2 profile <PROFILE>\n match identity remote fqdn {ident.value}")
        if ident.type == "ip":
            return commands(f"crypto isakmp profile <PROFILE>\n match identity address {ident.value} 255.255.255.255")
        return commands(f"crypto isakmp profile <PROFILE>\n match identity host {ident.value}")

    def mode(self, ep, mode):
        if mode == "aggressive":
            return commands("crypto isakmp profile <PROFILE>\n initiate mode aggressive")
        return commands("crypto isakmp profile <PROFILE>\n no initiate mode")

    def version(self, ep, version):
        if version == "ikev2":
            return commands(f"crypto ikev2 profile ALIBABA\n match identity remote address {ep.peer_address} 255.255.255.255\n"
                    f" authentication local pre-share\n authentication remote pre-share\n keyring local <KEYRING>\n"
                    f"{_entry(ep)}\n set ikev2-profile ALIBABA")
        return commands(f"{_entry(ep)}\n no set ikev2-profile")

    def dpd(self, ep, enabled):
        if ep.ike.version == "ikev2":
            return commands("crypto ikev2 profile <PROFILE>\n " + ("dpd 10 3 on-demand" if enabled else "no dpd"))
        return commands("crypto isakmp keepalive 10 3" if enabled else "no crypto isakmp keepalive")

    def natt(self, ep, enabled):
        return commands("crypto ipsec nat-transparency udp-encapsulation" if enabled
                        else "no crypto ipsec nat-transparency udp-encapsulation")

    def selectors(self, ep, pairs: list[SelectorPair], device=None):
        """A new ACL (a name no ACL of the device has): the old one may be another entry's too."""
        name = free_name(set(device.acls) if device else set(), "ALIBABA-VPN")
        lines = [f" permit ip {_acl_addr(p.local)} {_acl_addr(p.remote)}" for p in pairs]
        return commands(f"ip access-list extended {name}\n" + "\n".join(lines) + f"\n{_entry(ep)}\n match address {name}")

    def mtu(self, ep, mtu, mss):
        itf = ep.interface or "<TUNNEL-OR-OUTSIDE-INTERFACE>"
        if ep.kind == "route":
            itf = ep.name.split(" ")[0]
        return commands(f"interface {itf}\n ip mtu {mtu}\n ip tcp adjust-mss {mss}")

    def nat_exempt(self, ep, acl, pairs, device=None):
        if acl and not acl.isdigit():  # named ACL: low sequence numbers put the deny before the permits
            lines = [f" {i} deny ip {_acl_addr(p.local)} {_acl_addr(p.remote)}" for i, p in enumerate(pairs, 1)]
            return commands(f"ip access-list extended {acl}\n" + "\n".join(lines))
        lines = [f"access-list {acl} deny ip {_acl_addr(p.local)} {_acl_addr(p.remote)}" for p in pairs]
        return commands("\n".join(lines), note=f"a numbered ACL appends: rebuild access-list {acl} with these lines "
                        "before its permit lines")

    def permit_ike(self, ep, acl, gateway):
        return commands(f"ip access-list extended {acl}\n 1 permit udp host {gateway} any eq isakmp\n"
                f" 2 permit udp host {gateway} any eq non500-isakmp\n 3 permit esp host {gateway} any")

    def peer(self, ep, address):
        return commands(f"{_entry(ep)}\n set peer {address}" if ep.kind != "route" else
                        f"interface {ep.name.split(' ')[0]}\n tunnel destination {address}")

    def esp_tunnel(self, ep):
        return commands("crypto ipsec transform-set ALIBABA esp-aes esp-sha-hmac\n mode tunnel")
