"""Huawei VRP defaults: what an AR router or USG firewall applies when a line is absent, with their sources.

The parser reads every default from this table (``DEFAULTS.pick/value/note``). Keys start with the platform
(`ar.` / `usg.`) where the platforms differ; AR rows are keyed by release, read from the export as V200R010 ->
(200, 10). USG rows hold for every USG release found (no USG document gave a release-dependent value).
Rows whose source starts with "unverified:" were not found in a vendor document; findings citing them say so.
"""
from __future__ import annotations

from analyzer.i18n import N_
from parsers.defaults import Default, Defaults

AR_CMD = N_("Huawei AR500/510/530 V200R007 Command Reference, `ike proposal` (Table 10-37 and the note on the IKE "
            "proposal Default), support.huawei.com/enterprise/en/doc/EDOC1000097293/473b26bc/ike-proposal")
USG_IKE = N_('Huawei USG6000E Command Reference, `ike proposal` (Table 1, "The created IKE proposal" / "Default"), '
             "usg.zrnko.cz/resources/dc/ike_proposal.html")
AR_DPD = N_('Huawei AR Command Reference `dpd msg` (EDOC1100064351/cea2bd84): "By default ... seq-notify-hash"')
USG_DPD = N_("Huawei USG6000E Command Reference `dpd msg` and `ike dpd msg` "
             '(usg.zrnko.cz/resources/dc/dpd_msg.html, ike_dpd_msg.html): "By default ... seq-hash-notify"; "This '
             'command applies only when an IKE peer uses IKEv1"; a peer without `dpd type` takes the global `ike '
             "dpd type` and `ike dpd msg`")
NO_PROPOSAL = N_('Huawei NetEngine 8000 (VRP V8) configuration guide "Configuring an IKE Proposal" '
                 '(dc_vrp_ipsec_cfg_all_0011): "If the negotiation initiating party does not specify any IKE '
                 'proposal on the IKE peer, all IKE proposals of the initiating party are sent"; USG6000E '
                 '"Configuring an IKE Proposal" (usg.zrnko.cz/resources/dc/dc_cfg_ipsec_0032.html): the Default '
                 "proposal has the lowest priority")
SHA2 = N_('Huawei AR configuration example "Efficient VPN" (EDOC1100331435, dc_cfg_ipsec_0053): "Enable SHA-2 to '
          'be compatible with RFC standard algorithm versions. ipsec authentication sha2 compatible enable"; '
          "Huawei Cloud VPN guide for an AR651 (vpn_03_0336) does the same before any sha2-256 proposal; USG "
          "spelling `ipsec sha2 compatible enable` from JD Cloud's USG6530 guide. unverified: the truncation "
          "length without it (96 bits, from the project issue) and the releases where it is the default")
S11 = N_("Huawei AR V200R010 CLI Configuration Guide - VPN, Configuring an IPSec Proposal (EDOC1100033725/317bfba8)")
AR_DPD_TYPE = N_('Huawei AR500/510/530 V200R007 Commands Reference `dpd type` (EDOC1000097293/20c4868b): "By '
                 'default, no DPD mode is configured"')
USG_PRF = N_('Huawei USG6000E Command Reference `prf` (usg.zrnko.cz/resources/cli/prf_ikev2.html): "By default, '
             'the HMAC-SHA2-256 PRF algorithm is used in IKEv2 negotiation"; `ike proposal` Table 1 '
             '(usg.zrnko.cz/resources/dc/ike_proposal.html): "IKEv2 pseudo-random function algorithm SHA2-256"')

_AR_OLD, _AR_NEW = (200, 6), (200, 7)  # V200R006 is covered by no document we found: reported as unknown

DEFAULTS = Defaults("huawei-vrp", [
    Default("ar.ike-proposal.created", N_("DES-CBC, SHA1, group1, 86400 s"), ("des", "sha1", 1, 86400), until=_AR_OLD,
            source=N_("unverified: Huawei VRP V200R001 user manual, IKE chapter (DES-CBC only; SHA1/group1 assumed)"),
            label=N_("a created `ike proposal` (AR)")),
    Default("ar.ike-proposal.created", N_("AES-CBC-256, SHA2-256, group2, 86400 s"), ("aes256", "sha256", 2, 86400),
            since=_AR_NEW, source=AR_CMD, label=N_("a created `ike proposal` (AR)")),
    Default("ar.ike-proposal.builtin", N_("Default: DES-CBC, SHA1, group1, 86400 s"), ("des", "sha1", 1, 86400),
            source=AR_CMD, label=N_("the built-in IKE proposal Default (AR)")),
    Default("usg.ike-proposal.created", N_("AES-256, SHA2-256, DH14, 86400 s"), ("aes256", "sha256", 14, 86400),
            source=USG_IKE, label=N_("a created `ike proposal` (USG)")),
    Default("usg.ike-proposal.builtin", N_("Default: AES-256/192/128, SHA2-512/384/256, DH14, 86400 s"),
            (("aes256", "aes192", "aes128"), ("sha512", "sha384", "sha256"), 14, 86400), source=USG_IKE,
            label=N_("the built-in IKE proposal Default (USG)")),
    Default("peer.no-proposal", N_("a peer without `ike-proposal` offers every configured `ike proposal`, then "
                                   "Default"),
            source=NO_PROPOSAL, label=N_("`ike peer` without `ike-proposal`")),
    Default("ar.esp", N_("ESP DES / MD5"), ("des", "md5"), until=_AR_OLD,
            source=N_("unverified: no VRP V200R001-R005 document found"),
            label=N_("`ipsec proposal` ESP algorithms (AR)")),
    Default("ar.esp", N_("ESP AES-256 / SHA2-256"), ("aes256", "sha256"), since=_AR_NEW,
            source=N_("unverified: Huawei AR V200R010 CLI Configuration Guide - VPN, Configuring an IPSec Proposal "
                      "(EDOC1100033725/317bfba8) was cut off before the algorithm defaults"),
            label=N_("`ipsec proposal` ESP algorithms (AR)")),
    Default("usg.esp", N_("ESP AES-256 / SHA2-256"), ("aes256", "sha256"),
            source=N_('Huawei USG6000E Command Reference, `esp authentication-algorithm` ("By default ... '
                      'SHA2-256"), usg.zrnko.cz/resources/cli/esp_authentication-algorithm.html; the AES-256 '
                      "encryption default unverified"),
            label=N_("`ipsec proposal` ESP algorithms (USG)")),
    Default("ipsec-proposal.transform", N_("transform esp, encapsulation-mode tunnel"), ("esp", "tunnel"), source=S11,
            label=N_("`ipsec proposal` protocol and mode")),
    Default("ar.dpd.msg", N_("seq-notify-hash"), "notify-hash", source=AR_DPD, label=N_("DPD payload order (AR)")),
    Default("usg.dpd.msg", N_("seq-hash-notify"), "hash-notify", source=USG_DPD, label=N_("DPD payload order (USG)")),
    Default("ar.dpd", N_("off until `dpd type` is set on the peer"), False, source=AR_DPD_TYPE, label=N_("DPD (AR)")),
    Default("usg.dpd", N_("off until `dpd type` (peer) or global `ike dpd type` is set; `dpd msg` applies to IKEv1 "
                          "only"),
            False, source=USG_DPD, label=N_("DPD (USG)")),
    Default("sa.lifetime", N_("3600 s / 1,843,200 KB (unverified on AR and USG)"), (3600, 1843200),
            label=N_("IPsec SA lifetime"),
            source=N_("unverified: no AR or USG document found; Huawei NE8000 (VRP V8) Command Reference, `sa "
                      "duration` / `ipsec sa global-duration` (a VRP V8 router) gives these values")),
    # IKEv2 PRF (`prf`), read apart from `authentication-algorithm` (IKEv1) and `integrity-algorithm` (IKEv2).
    Default("ar.ike-proposal.created.prf", N_("PRF HMAC-SHA1 (as the authentication algorithm)"), "sha1", until=_AR_OLD,
            source=N_("unverified: no VRP document before V200R007 gives the PRF default"),
            label=N_("IKEv2 PRF of a created `ike proposal` (AR)")),
    Default("ar.ike-proposal.created.prf", N_("PRF HMAC-SHA2-256"), "sha256", since=_AR_NEW,
            source=N_("Huawei AR500/510/530 V200R007 Command Reference, `ike proposal` (Table 10-37 and the note "
                      "on the IKE proposal Default), "
                      'support.huawei.com/enterprise/en/doc/EDOC1000097293/473b26bc/ike-proposal: "PRF (supported '
                      'by only IKEv2) HMAC-SHA-256"'),
            label=N_("IKEv2 PRF of a created `ike proposal` (AR)")),
    Default("ar.ike-proposal.builtin.prf", N_("PRF HMAC-SHA1"), "sha1",
            source=N_("Huawei AR500/510/530 V200R007 Command Reference, `ike proposal` (Table 10-37 and the note "
                      "on the IKE proposal Default), "
                      "support.huawei.com/enterprise/en/doc/EDOC1000097293/473b26bc/ike-proposal: the Default "
                      'proposal uses "HMAC-SHA-1 algorithm used to generate a pseudo random number"'),
            label=N_("IKEv2 PRF of the built-in IKE proposal Default (AR)")),
    Default("usg.ike-proposal.created.prf", N_("PRF HMAC-SHA2-256"), "sha256", source=USG_PRF,
            label=N_("IKEv2 PRF of a created `ike proposal` (USG)")),
    Default("usg.ike-proposal.builtin.prf", N_("PRF HMAC-SHA2-256"), "sha256", source=USG_PRF,
            label=N_("IKEv2 PRF of the built-in IKE proposal Default (USG)")),
    Default("ipsec.sha2-compatible", N_("off: ESP/AH HMAC-SHA-2 is not the RFC 4868 form until `ipsec "
                                        "authentication sha2 compatible enable` (USG: `ipsec sha2 compatible "
                                        "enable`)"), False, source=SHA2,
            label=N_("HMAC-SHA-2 compatibility (RFC 4868)")),
    Default("ike.version", N_("IKEv1 and IKEv2 both enabled (recorded as `any`)"), "any",
            label=N_("IKE version without `version` lines"),
            source=N_("unverified: Huawei AR V200R010 Command Reference lists `version`, not its default")),
    Default("ike.mode", N_("exchange-mode main"), "main", label=N_("IKEv1 exchange mode"),
            source=N_("unverified: Huawei AR command reference `exchange-mode` (not retrieved)")),
    Default("nat-traversal", N_("on (V200R008+ `ike peer` syntax); off for the old `ike peer NAME v1|v2` form"), True,
            label=N_("NAT traversal"), source=N_("unverified: shared/reference/vendor-syntax.md section 3.3")),
    Default("local-id", N_("local-id-type ip: the local address"), "ip", label=N_("local identity"),
            source=N_("unverified: Huawei AR command reference `local-id-type` (not retrieved)")),
    Default("remote-id", N_("the peer is identified by its remote-address"), "ip", label=N_("remote identity"),
            source=N_("unverified: Huawei AR command reference `remote-id-type` (not retrieved)")),
    Default("pfs", N_("PFS off without `pfs dh-groupN`"), None, label=N_("PFS"),
            source=N_("unverified: Huawei AR command reference `pfs` (not retrieved)")),
])
