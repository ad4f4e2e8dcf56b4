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

Defaults come from the table below, by platform (a `V200R`/`V300R019+` release means AR, `V500R`/`V600R` USG;
else USG by `security-policy`, `sysname USG...` or ` set priority` in a `firewall zone`; otherwise AR, with a
`DeviceConfigIncomplete` warning naming the platform-dependent defaults when a `firewall zone`, which both
platforms have, is the only hint) and, on AR, by release, read from `[V200R010...]`, `!Software Version
V200R010...` or a pasted `display version`. When the release is unknown and the rows differ, the newest row is checked, its source note
says the value depends on the release, and a `DeviceConfigIncomplete` warning names the default. Rows marked
unverified are cited as such in every finding that relies on them.

The IKEv2 PRF is read from `prf` (default HMAC-SHA2-256 on a created proposal), never from
`authentication-algorithm`. An `ipsec policy NAME SEQ isakmp` without `security acl` is a `DeviceConfigIncomplete`
error (no traffic protected). A WAN whose address is negotiated (`ip address ppp-negotiate` / `dhcp-alloc`) gets a
note: the customer gateway IP and the local identity cannot be verified. Fixes for a template-based policy are
written under `ipsec policy-template T SEQ` (`ipsec policy P SEQ isakmp template T` enters no view).

A peer without `ike-proposal` offers every configured `ike proposal`, then the built-in Default. The DPD
payload order (`dpd msg`) is an IKEv1 matter: an IKEv2 peer gets none, and `DpdHashNotifyCompatibility` never
fires for IKEv2. ESP/AH HMAC-SHA-2 without the sha2 compatible command is reported as `AlgorithmCompatibility`.
"""
