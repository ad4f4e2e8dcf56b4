"""What docs/vendors.md says of this vendor besides its defaults table (generated into the doc)."""

TITLE = 'H3C Comware (`h3c-comware`)'

DOC = """\
Detected by the export's version line (` version 7.1.064, Release 0605P15` / ` version 5.20, Release 2516P01`),
which settles the family on its own (Comware 5 otherwise shares Huawei's `ike peer` / `ipsec proposal` /
`acl number` syntax); without it by `ike keychain`, `ike profile`, `ipsec transform-set`, ` ipsec apply policy`,
`acl advanced`, ` local-identity`, ` match remote identity`, ` port link-mode route`, `aes-cbc-*` spellings.
The same line gives the release that picks the rows below; without it, a default that differs between
Comware 5 and 7 is reported by name as depending on the release.

Understood (Comware 7): `ike proposal` (encryption-algorithm, authentication-algorithm, authentication-method,
dh, sa duration), `ike keychain` (`pre-shared-key address A [MASK|LEN] | hostname H key simple|cipher K`),
`ike profile` (keychain, exchange-mode, local-identity, match remote identity, proposal, dpd, sa duration),
global `ike dpd interval`, IKEv2 `ikev2 proposal|policy|keychain|profile`, `ipsec transform-set` (protocol, esp
algorithms, encapsulation-mode, pfs), `ipsec policy NAME SEQ isakmp` (transform-set, `security acl N
[aggregation]`, remote-address, local-address, ike-profile/ikev2-profile, sa duration), `ipsec sa
global-duration`, `ipsec policy-template T N` + `ipsec policy P N isakmp template T` (a responder: any peer
unless the template sets `remote-address`; without `security acl` it accepts the initiator's flows, said as
info), `ipsec profile NAME isakmp` + `interface TunnelN mode ipsec` (source, destination,
`tunnel protection ipsec profile`), ACLs (`acl advanced` / `acl number`), ` ipsec apply policy` binding,
`nat outbound [ACL | name ACL-NAME]` (no ACL: every packet), interface `tcp mss N`. An `ipsec policy ... isakmp`
without `security acl` protects nothing: an error, selectors not compared.
Comware 5: `ike peer` (pre-shared-key, proposal, exchange-mode, remote-address, remote-name, nat traversal,
`dpd NAME` -> `ike dpd NAME` with interval-time / time-out, `id-type ip|name|user-fqdn` with the peer's
`local-name` or the global ` ike local-name`), `ipsec proposal` (transform, `esp encryption-algorithm aes 128`),
policy `ike-peer`/`proposal`/`pfs`, interface `ipsec policy` binding, `ipsec profile NAME` (ike-peer, proposal,
pfs) on an IPsec tunnel interface (`tunnel-protocol ipsec ipv4`, source, destination, ` ipsec profile NAME`; the
tunnel's source and destination are the IKE addresses per the HP A6600 Comware 5 guide, the interface command
itself unverified). IKEv2 on Comware 5 (late releases only)
is read with the Comware 7 syntax and reported as unverified. Fixes for a Comware 5 endpoint (read from `ike peer` /
`ipsec proposal`) use Comware 5 commands: `acl number`, `encryption-algorithm aes-cbc 128`, `ipsec proposal`
with `transform esp` and `esp encryption-algorithm aes 128`, PFS in the policy, `pre-shared-key simple`,
`id-type` / `local-name` / `remote-name` and `dpd NAME` in the `ike peer`.

Default proposals: when no configured IKE proposal matches, Comware uses its built-in default proposal (kept
as the endpoint's fallback proposal, not counted as a configured value). An IKEv2 profile with no `ikev2
proposal` / `ikev2 policy` uses a default IKEv2 proposal whose algorithms no H3C document we found lists: the
tool says "cannot verify" and does not check IKE algorithms for it. No H3C equivalent of Huawei's `ipsec
authentication sha2 compatible enable` (HMAC-SHA-256 truncated to 96 bits) was found.
"""
