"""Huawei VRP defaults, by platform (AR V200R007+, USG, old VRP5), with their sources.

The parser still applies these values from its own code; moving it onto this table (as the Cisco parsers
do) is the Huawei/H3C verdict-truth issue. Until then the table documents them: docs/vendors.md shows it.
"""
from parsers.defaults import Default, Defaults

S10 = "Huawei AR500/510/530 V200R007 Command Reference, `ike proposal` (default values table)"
S11 = "Huawei AR V200R010 CLI Configuration Guide - VPN, Configuring an IPSec Proposal"
S12 = "Huawei USG product documentation, `ike proposal` and IPsec proposal configuration"
S13B = "Huawei NE8000 (VRP V8) Command Reference, `sa duration` / `ipsec sa global-duration`"
S14 = "Huawei VRP V200R001 user manual, IKE chapter (DES-CBC only)"
S15 = "Huawei AR V200R010 Command Reference, IPSec configuration commands"
DPD = "Huawei AR command reference `dpd msg` (EDOC1100064351); Huawei USG command reference `dpd msg`"

DEFAULTS = Defaults("huawei-vrp", [
    Default("ike-proposal.created", "AES-256, SHA2-256, group2, 86400 s", label="a created `ike proposal` (AR V200R007+)",
            source=S10),
    Default("ike-proposal.created.usg", "AES-256, SHA2-256, DH14, 86400 s", label="a created `ike proposal` (USG)",
            source=S12),
    Default("ike-proposal.created.vrp5", "DES, SHA1, group1", label="a created `ike proposal` (old VRP5)",
            source=f"unverified: {S14} states DES-CBC only; SHA1/group1 assumed"),
    Default("ike-proposal.builtin", "built-in Default: DES, SHA1, group1",
            label="peer without `ike-proposal` (AR V200R007+, old VRP5)", source=S10),
    Default("ike-proposal.builtin.usg", "built-in Default: AES-256, SHA2-512, DH14",
            label="peer without `ike-proposal` (USG)", source=S12),
    Default("ipsec-proposal.esp", "ESP AES-256 / SHA2-256", label="`ipsec proposal` ESP algorithms (AR, USG)",
            source=f"{S12}; unverified on AR ({S11} was cut off before the algorithm defaults)"),
    Default("ipsec-proposal.esp.vrp5", "ESP DES / MD5", label="`ipsec proposal` ESP algorithms (old VRP5)",
            source="unverified: no VRP5 document found"),
    Default("dpd.msg", "seq-notify-hash", label="DPD payload order, `dpd msg` (AR, old VRP5)", source=DPD),
    Default("dpd.msg.usg", "seq-hash-notify", label="DPD payload order, `dpd msg` (USG)", source=DPD),
    Default("sa.lifetime", "3600 s / 1,843,200 KB", label="IPsec SA lifetime (all platforms)",
            source=f"{S13B}; the KB value unverified on AR"),
    Default("ike.version", "IKEv1 and IKEv2 both enabled (recorded as `any`)",
            label="IKE version without `version` lines", source=f"unverified: {S15} lists the commands, not the default"),
    Default("nat-traversal", "on (AR, USG); off (old VRP5)", label="NAT traversal",
            source="unverified: shared/reference/vendor-syntax.md section 3.3"),
])
