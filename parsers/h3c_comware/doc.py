"""What docs/vendors.md says of this vendor besides its defaults table (generated into the doc)."""

TITLE = 'H3C Comware (`h3c-comware`)'

DOC = """\
Detected by ` version 7.x`/` version 5.x`, `ike keychain`, `ike profile`, `ipsec transform-set`, ` ipsec apply
policy`, `acl advanced`, ` local-identity`, ` match remote identity`, `aes-cbc-*` spellings.

Understood (Comware 7): `ike proposal` (encryption-algorithm, authentication-algorithm, authentication-method,
dh, sa duration), `ike keychain` (`pre-shared-key address A [MASK|LEN] | hostname H key simple|cipher K`),
`ike profile` (keychain, exchange-mode, local-identity, match remote identity, proposal, dpd, sa duration),
global `ike dpd interval`, IKEv2 `ikev2 proposal|policy|keychain|profile`, `ipsec transform-set` (protocol, esp
algorithms, encapsulation-mode, pfs), `ipsec policy NAME SEQ isakmp` (transform-set, `security acl N
[aggregation]`, remote-address, local-address, ike-profile/ikev2-profile, sa duration), `ipsec sa
global-duration`, `ipsec profile` + `interface Tunnel` (`tunnel protection ipsec profile`; exact form
unverified), ACLs (`acl advanced` / `acl number`), ` ipsec apply policy` binding, `nat outbound ACL`.
Comware 5: `ike peer` (pre-shared-key, proposal, exchange-mode, remote-address, remote-name, nat traversal),
`ipsec proposal` (transform, `esp encryption-algorithm aes 128`), policy `ike-peer`/`proposal`/`pfs`,
interface `ipsec policy` binding.
"""
