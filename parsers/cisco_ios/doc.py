"""What docs/vendors.md says of this vendor besides its defaults table (generated into the doc)."""

TITLE = 'Cisco IOS / IOS-XE (`cisco-ios`)'

DOC = """\
Detected by `crypto isakmp|ikev2|ipsec transform-set|map ... ipsec-isakmp`, `ip access-list extended` or
IOS interface names. Input: `show running-config` (the `Building configuration...` header is fine).

The release is read from the `version X.Y` line (or a pasted `Cisco IOS XE Software, Version 17.12.01a`
line, which wins). Release-dependent defaults (the IKEv2 default proposal, the default transform sets) come
from the table below; when the release is unknown, the device gets a warning naming the candidates and how
to pin the value, and only what every candidate offers is checked. From IOS-XE 17.11 weak algorithms are
refused (Cisco Field Notice FN72510: IKEv1 `group 1|2|5`, `hash md5`, `des|3des`; IKEv2 groups 1/2/5/24;
`esp-des|esp-3des|esp-md5-hmac|esp-null|esp-gmac|ah-md5-hmac`; `set pfs group1|2|5|24`) unless
`crypto engine compliance shield disable` is configured (effective after a reload): those values are reported
at their lines and not counted as offered. In aggressive mode IKEv1 offers only the first policy's DH group
(RFC 2409 section 5).

### Understood

| area | commands |
|---|---|
| IKEv1 | `crypto isakmp policy N` (`encryption`/`encr`, `hash`, `authentication`, `group`, `lifetime`), `crypto isakmp key [0\\|6\\|7] K address IP [MASK] \\| hostname H`, `crypto keyring` (`pre-shared-key address\\|hostname ... key`, `local-address`), `crypto isakmp profile` (`keyring`, `match identity address\\|host`, `self-identity address\\|fqdn\\|user-fqdn X` (`fqdn` = hostname.domain), `keepalive`, `initiate mode aggressive`, `local-address`), `crypto isakmp identity`, `crypto isakmp keepalive`, `crypto isakmp peer address` + `set aggressive-mode`, `no crypto isakmp` |
| IKEv2 | `crypto ikev2 proposal` (`encryption`, `integrity`, `prf`, `group`, lists), `crypto ikev2 policy` (`proposal`), `crypto ikev2 keyring` (`peer`, `address`, `identity`, `pre-shared-key [local\\|remote]`; sub-lines attach to the last `peer` whatever the indentation), `crypto ikev2 profile` (`match identity remote address\\|fqdn\\|email\\|key-id\\|any`, `identity local`, `authentication local\\|remote`, `keyring local`, `lifetime`, `dpd`), `authentication local\\|remote pre-share key K` (two keys, kept apart), global `crypto ikev2 dpd` |
| IPsec | `crypto ipsec transform-set` (ESP/AH transforms, `mode tunnel\\|transport [require]`: plain `transport` negotiates tunnel mode unless the selectors are the two peer addresses), global `crypto ipsec security-association lifetime seconds\\|kilobytes`, `crypto map NAME SEQ ipsec-isakmp [dynamic D]` (`set peer`, `set transform-set`, `set pfs`, `set security-association lifetime`, `set isakmp-profile`, `set ikev2-profile`, `match address`), `crypto dynamic-map`, `crypto map NAME local-address IF`, `crypto ipsec profile` |
| tunnels | `interface TunnelN` with `tunnel source/destination`, `tunnel mode ipsec ipv4`, `tunnel protection ipsec profile`, `ip mtu`, `ip tcp adjust-mss` (route-based: selectors 0.0.0.0/0) |
| ACLs | numbered (standard and extended) and named ACLs, `host`, `any`, wildcard masks, `eq/range/gt/lt/neq` ports incl. `isakmp`, `non500-isakmp` |
| NAT, filters, BGP | `ip nat inside source list ACL interface IF overload`, `ip access-group ACL in`, `router bgp` neighbors inside a tunnel interface subnet |

### Not understood, and how it is reported

- A line inside an IPsec block that the parser does not know is an `info` finding (`UnparsedConfig`) with its
  file and line - never silently dropped.
- References to undefined transform-sets, ACLs, ipsec/ikev2 profiles, crypto maps applied nowhere and entries
  without `set peer` or `match address` are `DeviceConfigIncomplete` findings (error or warning).
- ACL entries with `object-group` or non-contiguous wildcard masks are reported (warning) and ignored by the
  selector checks. NAT with route-maps is reported (info) and not evaluated.
- `crypto pki`, `crypto key`, `crypto gdoi`, `crypto ca` blocks are skipped as not site-to-site IKE; GDOI and
  `ipsec-manual` crypto map entries are reported as not checked.
"""
