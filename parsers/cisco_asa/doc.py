"""What docs/vendors.md says of this vendor besides its defaults table (generated into the doc)."""

TITLE = 'Cisco ASA (`cisco-asa`)'

DOC = """\
Detected by `: Saved`, `ASA Version`, `nameif`, `security-level`, `crypto ikev1`, `crypto ipsec ikev1|ikev2`,
`tunnel-group ... type ipsec-l2l`, flat `crypto map NAME SEQ set ...` lines, `webvpn`, `group-policy`.

Understood: `crypto ikev1 policy` / pre-8.4 `crypto isakmp policy`, `crypto ikev2 policy` (lists, prf,
`lifetime seconds|none`), `crypto ipsec ikev1 transform-set` (and `... mode transport`) / pre-8.4
`crypto ipsec transform-set`, `crypto ipsec ikev2 ipsec-proposal` (`protocol esp encryption|integrity`), flat
crypto map lines (`match address`, `set peer` (several), `set ikev1 transform-set`, `set ikev2 ipsec-proposal`,
`set pfs`, `set security-association lifetime seconds|kilobytes`, `set nat-t-disable`), `crypto map NAME
interface IF`, `crypto dynamic-map`, `crypto ikev1|ikev2|isakmp enable IF`, `tunnel-group X type ipsec-l2l` +
`general-attributes` (`default-group-policy`) + `ipsec-attributes` (`ikev1 pre-shared-key`, pre-8.4
`pre-shared-key`, `ikev2 local|remote-authentication pre-shared-key`, `isakmp keepalive threshold|disable`),
`group-policy ... vpn-tunnel-protocol`, extended ACLs with `object`/`object-group network` (nested groups),
`host`, `any|any4`, netmasks; NAT in the ASA's evaluation order: section 1 twice NAT (`nat (in,out) [N] source
static A A destination static B B` = exemption; `N` inserts at that line), section 2 object NAT (static before
dynamic; a second `object network X` block holding only the `nat` line, as running-configs print it, is merged
with the first), section 3 `nat ... after-auto [N]`; VTI (`crypto ipsec profile` + `interface Tunnel`), with
BGP neighbours under `router bgp N` / ` address-family ipv4 unicast`.

Under IKEv1 the ASA offers only `hash md5|sha` and ESP `esp-md5-hmac|esp-sha-hmac|esp-none`: a SHA-2 keyword
there is reported as not valid on the ASA and is not taken as offered (SHA-2 is for IKEv2 policies and
ipsec-proposals), and fixes never write it under IKEv1.

A crypto map entry with both an IKEv1 transform-set and an IKEv2 proposal produces one endpoint per version;
the checker pairs the one Alibaba uses and warns that both are offered (`IkeVersionMismatch`, warning).

Reported: a crypto map entry without `set peer` or `match address` (the ASA ignores it: Cisco ASA 5500
Series Configuration Guide, crypto maps), crypto maps not applied, a version not enabled on the interface
(`crypto ikev1 enable`), a group-policy (or DfltGrpPolicy) whose `vpn-tunnel-protocol` excludes the version
the pair negotiates, a peer without an `ipsec-l2l` tunnel-group, masked
`*****` keys (PSK "cannot verify"). Interface `access-group` ACLs are not used for the UDP 500/4500 check: on
the ASA they do not filter traffic to the box itself.
"""
