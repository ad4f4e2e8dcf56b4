"""H3C Comware defaults (Comware 7 unless noted), with their sources.

The parser still applies these values from its own code; moving it onto this table is the Huawei/H3C
verdict-truth issue. The table is what docs/vendors.md shows.
"""
from parsers.defaults import Default, Defaults

S16 = "HPE 5950 / 10500 (Comware 7) Security Configuration Guide, IKE proposal defaults"
S17 = "H3C S5830V2 (Comware 7) Security Configuration Manual, IKE profile DPD and priority"
S18 = "HPE HSR6800 Security Command Reference, `sa duration` (defaults to the global 3600 s / 1,843,200 KB)"
S20 = "HPE 3100 (Comware 5) Security Command Reference, `transform` (ESP; DES/MD5)"
S23 = "H3C MSR Series Command Reference, `sa duration`"

DEFAULTS = Defaults("h3c-comware", [
    Default("ike-proposal", "des-cbc, sha, pre-share (non-FIPS); group1 and 86400 s", label="a created `ike proposal`",
            source=f"{S16}; group1 and 86400 s unverified"),
    Default("ike-proposal.builtin", "the built-in default proposal (same values)", label="no `ike proposal` at all",
            source=S16),
    Default("transform-set", "protocol esp, tunnel mode; no default algorithms (an incomplete set is reported)",
            label="`ipsec transform-set`", source=f"unverified: {S16} / {S20} lineage"),
    Default("ipsec-proposal.cmw5", "ESP, DES, MD5, tunnel", label="Comware 5 `ipsec proposal`", source=S20),
    Default("sa.lifetime", "3600 s / 1,843,200 KB; the volume lifetime cannot be disabled (reported as info)",
            label="IPsec SA lifetime", source=f"{S18}; {S23}"),
    Default("dpd", "off unless the profile or a global `ike dpd` sets it", label="DPD", source=S17),
    Default("security-acl", "standard mode: one SA per ACL rule (`aggregation`: one SA)", label="`security acl`",
            source="unverified: shared/reference/device-samples.md section 3"),
])
