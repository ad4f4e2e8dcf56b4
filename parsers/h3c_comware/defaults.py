"""H3C Comware 5 and 7 defaults: what the device applies when a line is absent, per software release.

The release is read from the export's ` version 7.1.064, Release 0605P15` / ` version 5.20, Release 2516P01`
line (Comware 5 = 5.x, Comware 7 = 7.x). Rows whose source starts with "unverified:" were not found in a
vendor document; findings relying on them say so. The parser takes every value from here.
"""
from __future__ import annotations

from analyzer.i18n import N_
from parsers.defaults import Default, Defaults

CMW5, CMW7 = (5,), (7,)
_V5 = dict(since=CMW5, until=(6,))
_V7 = dict(since=CMW7)  # Comware 7 and later (Comware 9 keeps its syntax)

S_C5_PROP = N_("H3C SecPath F1000-E User Manual (Comware 5), IKE configuration task list "
               "(azmanual.top/manuals/795551, p. 701) and HP VPN Firewall Appliances VPN Configuration Guide "
               "(Comware 5): the default IKE proposal has the lowest preference: pre-shared key, SHA, DES-CBC, "
               "Group1, 86400 seconds")
S_C5_IPSEC = N_('HP 12500 Configuration Guide (Comware 5), IPsec proposal: "By default, ESP uses the DES '
                'encryption algorithm and the MD5 authentication algorithm in non-FIPS mode", tunnel mode; HPE '
                "3100 (Comware 5) Security Command Reference, `transform`")
S_LIFE = N_("HPE HSR6800 Security Command Reference, `sa duration` (defaults to the global 3600 s / 1,843,200 KB); "
            "H3C MSR Series Command Reference, `sa duration`")
S_C7_DPD = N_('H3C MSR Series Command Reference (Comware 7), `dpd` / `ike dpd`: "IKE DPD is disabled"; profile DPD '
              "wins over the system-view `ike dpd` (manualslib.com/manual/1376858, p. 612); H3C S5830V2 Security "
              "Configuration Manual, IKE profile DPD; HPE FlexNetwork 12900E Security Command Reference "
              '(5200-4950), IKEv2 profile `dpd`: "IKEv2 DPD is disabled. The global IKEv2 DPD settings are used" '
              "(`ikev2 dpd`)")
S_C5_DPD = N_('H3C SecPath F1000-E User Manual (Comware 5), IKE peer: `dpd dpd-name`, "No DPD is applied to an IKE '
              'peer by default" (azmanual.top/manuals/795507, p. 171); HPE FlexNetwork HSR6800 Security Command '
              "Reference (Comware 5), `ike dpd dpd-name` creates a DPD detector, two retransmissions by default")
S_C5_ID = N_('HP High-End Firewalls VPN Command Reference R3721 (Comware 5), `id-type`: "By default, the ID type '
             'is IP address. In main mode, only the ID type of IP address can be used"; related `local-name`, `ike '
             "local-name`")
S_C7_ID = N_('H3C S6300 Security Configuration Guide (Comware 7), `ike identity`: "By default, the IP address of '
             "the interface to which the IPsec policy or IPsec policy template is applied is used as the IKE "
             'identity"; HP 5920 / H3C SOHO-IE4300 command references, `ike identity`: fqdn / user-fqdn without a '
             "name use the `sysname`; the profile's `local-identity` takes precedence")
S_C5_V2 = N_('R2511-HP MSR Router Series Security Configuration Guide (V5), "Configuring IKEv2" (manualshelf.com, '
             "page 236): IKEv2 exists on late Comware 5 MSR releases only")
S_C7_PROP = N_('HPE FlexFabric 5950 Security Configuration Guide (Comware 7), "Configuring an IKE proposal" '
               "(support.hpe.com/techhub/eginfolib/networking/docs/switches/5950/5200-4026_security_cg/"
               "content/499796234.htm): "
               'a default IKE proposal exists, non-FIPS DES-CBC; "If all user-defined IKE proposals are '
               'found mismatching, the two peers use their default IKE proposals"; HPE 10500 Security '
               "Configuration Guide (5200-1910, 470793062.htm): pre-share, HMAC-SHA1; group1 and 86400 s on "
               "Comware 7 unverified (Comware 5 documents give them)")

_IKE = {"encryption": ["des"], "integrity": ["sha1"], "dh_groups": [1], "lifetime_s": 86400}

DEFAULTS = Defaults("h3c-comware", [
    Default("ike.proposal", N_("des-cbc, sha, pre-share, group1, 86400 s"), _IKE, **_V5,
            label=N_("`ike proposal N` value not configured"), source=S_C5_PROP),
    Default("ike.proposal", N_("des-cbc, sha, pre-share (non-FIPS); group1, 86400 s"), _IKE, **_V7,
            label=N_("`ike proposal N` value not configured"),
            source=S_C7_PROP),
    Default("ike.default_proposal", N_("a built-in proposal of the lowest priority, used when no configured one "
                                       "matches (and when none is configured): des-cbc, sha, pre-share, group1, "
                                       "86400 s"), _IKE, **_V5,
            label=N_("default IKE proposal (fallback)"), source=S_C5_PROP),
    Default("ike.default_proposal", N_("a built-in proposal used when all configured ones mismatch (and when none "
                                       "is configured): des-cbc, sha, pre-share (non-FIPS); group1, 86400 s"),
            _IKE, **_V7,
            label=N_("default IKE proposal (fallback)"),
            source=S_C7_PROP),
    Default("ikev2.default_proposal", N_("not documented for Comware 5 (IKEv2 exists on late releases only)"),
            "undocumented", **_V5, label=N_("default IKEv2 proposal (no `ikev2 proposal` / `ikev2 policy`)"),
            source=N_('unverified: R2511-HP MSR Router Series Security Configuration Guide (V5), "Configuring '
                      'IKEv2" (manualshelf.com, page 236): IKEv2 exists on late Comware 5 MSR releases only; its '
                      'default proposal was not found; reported as "cannot verify"')),
    Default("ikev2.default_proposal", N_("a default IKEv2 proposal applies; its algorithms were not found in an "
                                         'H3C document (reported as "cannot verify", IKE algorithms not checked)'),
            "contents unknown", **_V7,
            label=N_("default IKEv2 proposal (no `ikev2 proposal` / `ikev2 policy`)"),
            source=N_("unverified: H3C Comware 7 IKEv2 command reference, `ikev2 proposal` (not retrieved)")),
    Default("ikev2.support", N_("late releases only (HP MSR R2511); syntax and defaults not retrieved: parsed as "
                                "Comware 7 and reported"),
            "late-only", **_V5, label=N_("IKEv2 availability"), source=S_C5_V2),
    Default("ikev2.support", N_("`ikev2 proposal|policy|keychain|profile`"), "yes", **_V7,
            label=N_("IKEv2 availability"),
            source=N_("H3C S6805/S6850 Security Command Reference (Comware 7), IPsec commands `ikev2-profile`")),
    Default("ikev2.lifetime", N_("86400 s"), 86400, label=N_("IKEv2 SA lifetime (`sa duration` not set)"),
            source=N_("unverified: H3C Comware 7 IKEv2 command reference, `sa duration` (IKEv2 profile view)")),
    Default("ipsec.proposal_cmw5", N_("ESP, DES, MD5, tunnel"), {"encryption": ["des"], "integrity": ["md5"]},
            label=N_("Comware 5 `ipsec proposal`"), source=S_C5_IPSEC),
    Default("transform-set", N_("protocol esp, tunnel mode; no default algorithms (an incomplete set is reported)"),
            {"protocol": "esp", "mode": "tunnel"}, label=N_("`ipsec transform-set`"),
            source=N_('unverified: HP 12500 Configuration Guide (Comware 5), IPsec proposal: "By default, ESP uses '
                      'the DES encryption algorithm and the MD5 authentication algorithm in non-FIPS mode", tunnel '
                      "mode; HPE 3100 (Comware 5) Security Command Reference, `transform` lineage (ESP, tunnel); "
                      "algorithms not documented")),
    Default("ipsec.lifetime", N_("3600 s / 1,843,200 KB; the volume lifetime cannot be disabled (reported as info)"),
            {"s": 3600, "kb": 1843200}, label=N_("IPsec SA lifetime"), source=S_LIFE),
    Default("ike.mode", N_("main"), "main", label=N_("IKEv1 exchange mode"), source=N_("unverified: Comware "
                                                                               "`exchange-mode` command references "
                                                                               "(default main mode; not re-checked)")),
    Default("dpd", N_("off unless the peer applies a named `ike dpd` detector"), False, **_V5, label=N_("DPD"),
            source=S_C5_DPD),
    Default("dpd", N_("off unless the profile or the system-view `ike dpd` (IKEv1) / `ikev2 dpd` (IKEv2) sets it"),
            False, **_V7, label=N_("DPD"),
            source=S_C7_DPD),
    Default("dpd.named", N_("`ike dpd NAME`: interval-time 10 s, time-out 5 s when not set"),
            {"interval_s": 10, "retry_s": 5}, **_V5, label=N_("Comware 5 DPD detector timers"),
            source=N_("unverified: the detector and its `interval-time` / `time-out` commands are in H3C SecPath "
                      'F1000-E User Manual (Comware 5), IKE peer: `dpd dpd-name`, "No DPD is applied to an IKE '
                      'peer by default" (azmanual.top/manuals/795507, p. 171); HPE FlexNetwork HSR6800 Security '
                      "Command Reference (Comware 5), `ike dpd dpd-name` creates a DPD detector, two "
                      "retransmissions by default; their default values were not found")),
    Default("local_id", N_("the local address (`id-type ip`); `id-type name` presents the peer `local-name`, else "
                           "the global `ike local-name`"),
            "address", **_V5, label=N_("IKEv1 local identity"), source=S_C5_ID),
    Default("local_id", N_("the address of the interface the IPsec policy is applied to (global `ike identity` and "
                           "profile `local-identity` override it; `fqdn` / `user-fqdn` without a name is the "
                           "sysname)"),
            "address", **_V7,
            label=N_("IKEv1/IKEv2 local identity"), source=S_C7_ID),
    Default("local_name", N_("the device name (`sysname`) when `id-type name` has no `local-name` / `ike "
                             "local-name`"),
            "sysname", **_V5, label=N_("Comware 5 `ike local-name`"),
            source=N_("unverified: HPE HSR6800 / R3721 command references list `ike local-name` (the value shown "
                      "is by analogy with Comware 7 `ike identity fqdn`, whose default is the sysname)")),
    Default("pfs", N_("off unless `pfs dh-groupN` is set (Comware 7: in the transform-set; Comware 5: in the "
                      "policy)"),
            None, label=N_("PFS"), source=N_("unverified: H3C `pfs` command references (default: no PFS; not "
                                         "re-checked)")),
    Default("remote_id", N_("the peer is identified by its address (no `match remote identity` / `remote-name`)"),
            "address", label=N_("peer identity expected"),
            source=N_("unverified: no H3C statement retrieved; the profile-less policy matches the remote address")),
    Default("nat_traversal", N_("negotiated automatically (treated as on)"), True, label=N_("NAT traversal"),
            source=N_("unverified: no H3C statement found")),
    Default("security-acl", N_("standard mode: one SA per ACL rule (`aggregation`: one SA)"),
            None, label=N_("`security acl`"),
            source=N_("unverified: shared/reference/device-samples.md section 3")),
])
