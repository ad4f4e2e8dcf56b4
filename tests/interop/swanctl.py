"""A scenario side (interop.scenario.Side: what the test means the side to do) as a swanctl connection.

Rendered from the Side, never from what our parsers read out of the generated configs: a parser bug must
make the rules and the negotiation disagree, not confirm itself on both sides."""
from __future__ import annotations

from dataclasses import dataclass
from ipaddress import ip_address

from interop.scenario import Side, psk

# canonical names -> strongSwan proposal keywords
_ENC = {"des": "des", "3des": "3des", "aes128": "aes128", "aes192": "aes192", "aes256": "aes256"}
_INTEG = {"md5": "md5", "sha1": "sha1", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}
_DH = {1: "modp768", 2: "modp1024", 5: "modp1536", 14: "modp2048", 15: "modp3072", 16: "modp4096",
       19: "ecp256", 20: "ecp384", 21: "ecp521"}
_ID_PREFIX = {"ip": "", "fqdn": "fqdn:", "user-fqdn": "email:", "key-id": "keyid:"}


@dataclass(frozen=True)
class Conn:
    """One side's swanctl.conf, the CHILD_SAs it initiates and whether it asks for PFS."""
    text: str
    children: tuple[str, ...]
    pfs: bool


def children(s: Side, per_pair: bool) -> list[tuple[str, str, str]]:
    """(name, local_ts, remote_ts) per CHILD_SA: one per CIDR pair when the side keys each pair separately
    (an IOS crypto-map ACL line each), else one child holding every subnet (Alibaba)."""
    if per_pair:
        pairs = [(lo, re_) for lo in s.local_nets for re_ in s.remote_nets]
        return [(f"net{i}", lo, re_) for i, (lo, re_) in enumerate(pairs)]
    return [("net0", ",".join(s.local_nets), ",".join(s.remote_nets))]


def identity(i: tuple[str, str], alibaba: bool) -> str:
    """swanctl id. Alibaba's LocalId/RemoteId is an IP address or an FQDN (any other text is taken as an FQDN);
    the device's carries its own type (IOS `identity local email|key-id|fqdn|address`)."""
    kind, value = i
    if alibaba:
        try:
            ip_address(value)
            kind = "ip"
        except ValueError:
            kind = "fqdn"
    return _ID_PREFIX[kind] + value


def render(s: Side, local_ip: str, peer_ip: str, per_pair: bool, alibaba: bool) -> Conn:
    """swanctl.conf for one side; the key is written to this file only (a private 0700 directory)."""
    ike = [s.ike_extra, s.ike_enc] if s.ike_extra else [s.ike_enc]  # IOS: policy 5 / the first cipher first
    ike_props = ",".join(f"{_ENC[e]}-{_INTEG[s.ike_auth]}-{_DH[s.ike_dh]}" for e in ike)
    esp = [s.esp_extra, s.esp_enc] if s.esp_extra else [s.esp_enc]
    group = f"-{_DH[s.pfs]}" if s.pfs else ""
    esp_props = ",".join(f"{_ENC[e]}-{_INTEG[s.esp_auth]}{group}" for e in esp)
    kids = children(s, per_pair)
    lines = ["connections {", " peer {", f"  version = {1 if s.version == 'ikev1' else 2}",
             f"  local_addrs = {local_ip}", f"  remote_addrs = {peer_ip}", f"  proposals = {ike_props}",
             f"  aggressive = {'yes' if s.version == 'ikev1' and s.mode == 'aggressive' else 'no'}",
             f"  rekey_time = {s.ike_life}s", "  reauth_time = 0", "  dpd_delay = 0", "  keyingtries = 1",
             "  encap = no", "  mobike = no", "  fragmentation = yes",
             f"  local {{ auth = psk\n   id = {identity(s.local_id, alibaba)} }}",
             f"  remote {{ auth = psk\n   id = {identity(s.remote_id, alibaba)} }}", "  children {"]
    for name, lts, rts in kids:
        lines += [f"   {name} {{", f"    local_ts = {lts}", f"    remote_ts = {rts}",
                  f"    esp_proposals = {esp_props}", "    mode = tunnel", "    policies = no",
                  f"    rekey_time = {s.esp_life}s", "    start_action = none", "    close_action = none",
                  "    dpd_action = none", "   }"]
    # one key, no ids: it serves whatever identities are presented (identity checks are the peer config's)
    lines += ["  }", " }", "}", "secrets {", " ike-peer {", f'  secret = "{psk(s)}"', " }", "}"]
    return Conn("\n".join(lines) + "\n", tuple(k[0] for k in kids), s.pfs is not None)
