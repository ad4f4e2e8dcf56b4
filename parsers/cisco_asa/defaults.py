"""Cisco ASA defaults: what the ASA applies when a line is absent, per release, with the document of each row.

The parser reads every default from this table (``DEFAULTS.value`` / ``DEFAULTS.note``); docs/vendors.md is
generated from it. Releases are ASA releases as `ASA Version 9.12(4)` prints them, parsed to (9, 12, 4).
A row whose source starts with "unverified:" was not found in a vendor document; findings built on it say so.

Documents cited (titles; the links are in ../shared/reference/vendor-syntax.md, "Sources"):
- Cisco ASA Series CLI Configuration Guide (ASA 5500-X), IKE policy section: "New ASA configurations do not
  have a default IKEv1 or IKEv2 policy" (vendor-syntax S5).
- Cisco ASA 5500 Series Configuration Guide using the CLI, "Configuring IPsec and ISAKMP", IKE policy keyword
  table: IKEv1 `hash` "sha (default)" / md5; IKEv2 `prf` "sha (default)"; SHA-2 only under the IKEv2 keywords
  (vendor-syntax S5b; research for issue 10, Q11).
- Cisco ASA 5500 Series Configuration Guide (Cisco Firepower/ASA 5500 series), "Changing IPsec SA Lifetimes":
  28,800 s / 4,608,000 KB, and incomplete crypto map entries are ignored (vendor-syntax S6).
- Cisco Security Appliance Command Line Configuration Guide (ASA 8.0), ISAKMP policy table, group 2 default
  (vendor-syntax S8).
- Cisco ASDM 7.14 Book 3: Cisco ASA Series VPN ASDM Configuration Guide, "IKE" parameters: NAT-T enabled by
  default (vendor-syntax S9b).
- Cisco ASA Series VPN CLI Configuration Guide (9.17), "Connection Profiles, Group Policies, and Users": a
  connection without an assigned group policy uses DfltGrpPolicy.
- Cisco Defense Orchestrator (cdFMC) "Deciding Which Hash Algorithms to Use" and User Guide for Cisco Security
  Manager 4.4, "Configuring IKE and IPsec Policies": SHA-2 is offered for IKEv2 only; IKEv1 hash is SHA or MD5.
"""
from __future__ import annotations

from analyzer.i18n import N_
from parsers.defaults import Default, Defaults

_S5 = N_('Cisco ASA Series CLI Configuration Guide, IKE policy section: "New ASA configurations do not have a '
         'default IKEv1 or IKEv2 policy"')
_S6 = N_('Cisco ASA 5500 Series Configuration Guide, "Changing IPsec SA Lifetimes" (IPsec chapter)')
_S7 = N_("unverified: secondary source only (exam-prep question on ASA 8.4+ IKE policy defaults, exampost.net); "
         "not found in a Cisco document")
_S8 = N_("Cisco Security Appliance Command Line Configuration Guide (ASA 8.0), ISAKMP policy keyword table")
_S9B = N_('Cisco ASA Series VPN ASDM Configuration Guide 7.14, "IKE" parameters (NAT-T enabled by default)')
_GP = N_('Cisco ASA Series VPN CLI Configuration Guide 9.17, "Connection Profiles, Group Policies, and Users" (a '
         "connection without an assigned group policy uses DfltGrpPolicy)")

DEFAULTS = Defaults("cisco-asa", [
    Default("ike.policy", N_("none: a tunnel without a `crypto ikev1|ikev2 policy` has no phase-1 proposal"), None,
            source=_S5, label=N_("IKE policy when none is configured")),
    Default("ikev1.authentication", N_("pre-share"), "pre-share", source=_S7,
            label=N_("`crypto ikev1 policy` authentication")),
    Default("ikev1.encryption", N_("3des"), "3des", source=_S7, label=N_("`crypto ikev1 policy` encryption")),
    Default("ikev1.hash", N_("sha (SHA-1)"), "sha1", source=N_("Cisco ASA 5500 Series Configuration Guide using the "
                                                           'CLI, "Configuring IPsec and ISAKMP", IKE policy '
                                                           'keyword table (IKEv1 `hash`: "sha (default)", md5)'),
            label=N_("`crypto ikev1 policy` hash")),
    Default("ikev1.group", N_("2"), 2, until=(9, 13), source=_S8, label=N_("`crypto ikev1 policy` group")),
    Default("ikev1.group", N_("14"), 14, since=(9, 13),
            source=N_("unverified: recollection of the ASA 9.13(1) release notes (DH groups 2, 5 and 24 deprecated "
                      "for IKEv1; the default group of a new ikev1 policy becomes 14); not found in a Cisco "
                      "document"),
            label=N_("`crypto ikev1 policy` group")),
    Default("ikev1.lifetime", N_("86400 s"), 86400, source=_S7, label=N_("`crypto ikev1 policy` lifetime")),
    Default("ikev1.hash.keywords", N_("md5, sha (no SHA-2 under IKEv1)"), ("md5", "sha"),
            source=N_('Cisco ASA 5500 Series Configuration Guide using the CLI, "Configuring IPsec and ISAKMP", '
                      'IKE policy keyword table; Cisco Defense Orchestrator "Deciding Which Hash Algorithms to '
                      'Use" (SHA-2 options are available for IKEv2 configurations); User Guide for Cisco Security '
                      'Manager 4.4, "Configuring IKE and IPsec Policies" (hash SHA or MD5)'),
            label=N_("`crypto ikev1 policy` hash keywords the ASA accepts")),
    Default("ikev1.esp.auth.keywords", N_("esp-md5-hmac, esp-sha-hmac, esp-none (no SHA-2 under IKEv1)"),
            ("esp-md5-hmac", "esp-sha-hmac", "esp-none"),
            source=N_("unverified: ASA 9.x `crypto ipsec ikev1 transform-set` keyword list from recollection and "
                      "public ASA configs (none uses esp-sha256-hmac); consistent with Cisco Defense Orchestrator "
                      '"Deciding Which Hash Algorithms to Use" (SHA-2 for IKEv2 only)'),
            label=N_("`crypto ipsec ikev1 transform-set` ESP integrity keywords")),
    Default("ikev2.prf", N_("sha (SHA-1)"), ["sha1"], source=N_("Cisco ASA 5500 Series Configuration Guide using the "
                                                            'CLI, "Configuring IPsec and ISAKMP", IKE policy '
                                                            'keyword table (IKEv2 `prf`: "sha (default)")'),
            label=N_("`crypto ikev2 policy` prf")),
    Default("ikev2.lifetime", N_("86400 s"), 86400, source=N_("unverified: no Cisco document found"),
            label=N_("`crypto ikev2 policy` lifetime seconds")),
    Default("ike.mode", N_("main mode (LAN-to-LAN)"), "main",
            source=N_("unverified: the ASA initiates LAN-to-LAN IKEv1 in main mode unless `crypto map ... set "
                      "ikev1 phase1-mode aggressive`; not retrieved from a Cisco document"),
            label=N_("IKEv1 exchange mode")),
    Default("ipsec.mode", N_("tunnel"), "tunnel",
            source=N_("unverified: transform sets and ipsec-proposals use tunnel mode unless `... mode transport`; "
                      "not retrieved from a Cisco document"),
            label=N_("IPsec encapsulation mode")),
    Default("ipsec.lifetime_s", N_("28800 s"), 28800, source=_S6, label=N_("IPsec SA lifetime (time)")),
    Default("ipsec.lifetime_kb", N_("4,608,000 KB"), 4608000, source=_S6, label=N_("IPsec SA lifetime (volume)")),
    Default("ipsec.pfs", N_("off (no `set pfs`)"), None,
            source=N_("unverified: no `crypto map ... set pfs` means no PFS (vendor-syntax.md 2.5 cites no "
                      "document)"),
            label=N_("PFS without `set pfs`")),
    Default("ipsec.pfs.bare", N_("group2 (`set pfs` without a group)"), 2,
            source=N_("unverified: no Cisco document found"), label=N_("PFS group of a bare `set pfs`")),
    Default("ike.nat_traversal", N_("on"), True, source=_S9B, label=N_("NAT traversal")),
    Default("ike.keepalive", N_("isakmp keepalive threshold 10 retry 2"), (10, 2),
            source=N_("unverified: no Cisco document found (public configs show `threshold 10 retry 3`)"),
            label=N_("ISAKMP keepalive (DPD)")),
    Default("ike.identity", N_("auto: the address with pre-shared keys"), "auto",
            source=N_("unverified: `crypto isakmp identity auto` default not retrieved from a Cisco document"),
            label=N_("`crypto isakmp identity`")),
    Default("ike.remote_id", N_("the peer's address (the tunnel-group is named by it)"), "ip",
            source=N_("unverified: LAN-to-LAN tunnel-groups named by the peer address identify the peer by address"),
            label=N_("identity expected from the peer")),
    Default("group_policy", N_("DfltGrpPolicy (no `default-group-policy`)"), "DfltGrpPolicy", source=_GP,
            label=N_("group policy of a tunnel-group")),
    Default("group_policy.protocols", N_("DfltGrpPolicy `vpn-tunnel-protocol ikev1 ikev2 l2tp-ipsec ...`"),
            ("ikev1", "ikev2", "l2tp-ipsec"),
            source=N_("unverified: recollection of `show run all group-policy DfltGrpPolicy` on ASA 9.x"),
            label=N_("tunnel protocols allowed by DfltGrpPolicy")),
])
