"""What docs/vendors.md says of this vendor besides its defaults table (generated into the doc)."""

TITLE = 'Huawei VRP (`huawei-vrp`)'

DOC = """\
Detected by `[V200R...]` headers, `sysname`, `ike peer`, `ipsec proposal`, ` transform esp`, ` ipsec policy X`,
`acl number 3xxx`, ` pre-shared-key simple|cipher`, ` ike-peer`, `sha2-256`.

Understood: `ike proposal` (encryption-algorithm old and new spellings incl. `aes 256`, authentication-algorithm,
integrity-algorithm, prf, dh, authentication-method, sa duration), `ike peer NAME [v1|v2]` (`version`/`undo
version`, exchange-mode incl. `auto`, pre-shared-key simple|cipher, ike-proposal, local-id-type/local-id,
remote-id(-type)/remote-name, remote-address, local-address, dpd type, dpd msg, nat traversal), global `ike dpd
msg`, `ike local-name`, `ipsec proposal` (transform, esp algorithms, encapsulation-mode), `ipsec policy NAME SEQ
isakmp` and `ipsec policy-template` (security acl, ike-peer, proposal, pfs, sa duration time-based|traffic-based
(`0` = off), tunnel local), `ipsec sa global-duration`, `ipsec profile` + `interface Tunnel` (`tunnel-protocol`,
`source`, `destination`, `ipsec profile`), advanced ACLs (`acl number` / `acl name`, `rule N permit ip source A
W destination B W`, `0` host masks, `destination-port`), the interface `ipsec policy` binding, `nat outbound ACL`,
`nat enable`, USG `nat-policy` (`rule name` form and the older interzone `policy N` form with `action no-nat`),
`bgp` peers inside the tunnel subnet.

Defaults are chosen by platform, detected from the text (USG: `sysname USG...`, `firewall zone`,
`security-policy`; old: `[V200R001-5` or `version 5.x`; otherwise AR V200R007+):

Because the AR default DPD payload order is notify-hash, an AR peer with `dpd type` and no
`dpd msg seq-hash-notify` is reported as `DpdHashNotifyCompatibility`.
"""
