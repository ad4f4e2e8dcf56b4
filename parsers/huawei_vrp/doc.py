"""What docs/vendors.md says of this vendor besides its defaults table (generated into the doc)."""

TITLE = 'Huawei VRP (`huawei-vrp`)'

DOC = """\
Detected by `[V200R...]` headers, `sysname`, `ike peer`, `ipsec proposal`, ` transform esp`, ` ipsec policy X`,
`acl number 3xxx`, ` pre-shared-key simple|cipher`, ` ike-peer`, `sha2-256`.

Understood: `ike proposal N` and the exported `ike proposal default` (encryption-algorithm, authentication-algorithm
(IKEv1) and integrity-algorithm (IKEv2), each with one or several values, old `aes 256` spelling, prf, dh,
authentication-method, sa duration), `ike peer NAME [v1|v2]` (`version`/`undo version`, exchange-mode incl. `auto`,
pre-shared-key simple|cipher or a bare `%^%#...%^%#` cipher text, ike-proposal, local-id-type/local-id,
remote-id(-type)/remote-name, remote-address, local-address, dpd type, dpd msg, nat traversal), global `ike dpd
type` and `ike dpd msg`, `ike local-name`, `ipsec authentication sha2 compatible enable` (USG: `ipsec sha2
compatible enable`), `ipsec proposal` (transform, esp algorithms, encapsulation-mode), `ipsec policy NAME SEQ
isakmp`, `ipsec policy-template NAME SEQ` with `ipsec policy NAME SEQ isakmp template T` (a responder: any peer, or
the peer's remote-address), `ipsec policy NAME shared local-interface X` (X's address is the local one), the
policy lines (security acl, ike-peer, proposal, pfs, sa duration time-based|traffic-based (`0` = off), tunnel
local), `ipsec sa global-duration`, `ipsec profile` + `interface Tunnel` (`tunnel-protocol`, `source`,
`destination`, `ipsec profile`), advanced ACLs (`acl number` / `acl name`, `rule N permit ip source A W destination
B W`, `0` host masks, `destination-port`), the interface `ipsec policy` binding, `nat outbound ACL`, `nat enable`,
USG `nat-policy` (`rule name` form and the older interzone `policy N` form with `action no-nat`), `bgp` peers
inside the tunnel subnet.

Defaults come from the table below, by platform (USG: `sysname USG...`, `firewall zone`, `security-policy`;
otherwise AR) and, on AR, by release, read from `[V200R010...]`, `!Software Version V200R010...` or a pasted
`display version`. When the release is unknown and the rows differ, the newest row is checked, its source note
says the value depends on the release, and a `DeviceConfigIncomplete` warning names the default. Rows marked
unverified are cited as such in every finding that relies on them.

A peer without `ike-proposal` offers every configured `ike proposal`, then the built-in Default. The DPD
payload order (`dpd msg`) is an IKEv1 matter: an IKEv2 peer gets none, and `DpdHashNotifyCompatibility` never
fires for IKEv2. ESP/AH HMAC-SHA-2 without the sha2 compatible command is reported as `AlgorithmCompatibility`.
"""
