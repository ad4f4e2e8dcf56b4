"""Cisco IOS / IOS-XE defaults: what the device applies when a line is absent, per software release.

Releases are read from the export's `version X.Y` line (classic IOS and IOS-XE 3.x print 12.x/15.x, IOS-XE
16.x/17.x print 16.x/17.x) or a pasted `show version` (`Cisco IOS XE Software, Version 17.12.01a`).
Rows whose source starts with "unverified:" were not found in a vendor document; findings say so.
"""
from __future__ import annotations

from analyzer.i18n import N_
from parsers.defaults import Default, Defaults

_FN72510 = N_('Cisco Field Notice FN72510 (rev 1.5), "Weak Cryptographic Algorithms Are Not Allowed by Default for '
              'IPsec Configuration in Certain Cisco IOS XE Software Releases", Problem Description and '
              "Workaround/Solution tables")
_DISABLED = N_('unverified: FlexVPN and IKEv2 Configuration Guide, "IKEv2 Smart Defaults" (the defaults "can be '
               'modified ... and disabled with the no form"; recollection, the section was not retrieved); read as '
               "disabling, the safe direction: an assumed default that is gone would be a silent pass")

# The algorithms FN72510 lists as refused by default (table "Problem Description", rev 1.5), in model names.
WEAK_IKEV1 = {"encryption": {"des", "3des"}, "integrity": {"md5"}, "dh_groups": {1, 2, 5}}
WEAK_IKEV2 = {"encryption": {"des", "3des"}, "integrity": {"md5"}, "dh_groups": {1, 2, 5, 24}}
WEAK_TRANSFORMS = ("ah-md5-hmac", "esp-gmac", "esp-des", "esp-3des", "esp-null", "esp-md5-hmac")
WEAK_PFS = {1, 2, 5, 24}

_V2_OLD = {"encryption": ["aes256", "aes192", "aes128"], "integrity": ["sha512", "sha384", "sha256", "sha1", "md5"],
           "prf": ["sha512", "sha384", "sha256", "sha1", "md5"], "dh_groups": [5, 2]}
_V2_XE = {"encryption": ["aes256"], "integrity": ["sha512", "sha384"], "prf": ["sha512", "sha384"],
          "dh_groups": [19, 14, 21, 5]}
_TS_OLD = [("aes128", "sha1"), ("3des", "sha1")]
_TS_XE = [("aes128", "sha1")]
_SUITE = {"encryption": ["des"], "integrity": ["sha1"], "dh_groups": [1], "auth_method": "rsa-sig",
          "lifetime_s": 86400}

DEFAULTS = Defaults("cisco-ios", [
    Default("isakmp.policy", N_("encryption des, hash sha, authentication rsa-sig, group 1, lifetime 86400"),
            _SUITE, source=N_("unverified: Cisco IOS Security Configuration Guide, IKE policy parameters table "
                              "(`show crypto isakmp policy` default protection suite); not re-checked for IOS-XE 17"),
            label=N_("`crypto isakmp policy N` value not configured")),
    Default("isakmp.no_policy", N_("default protection suite: des, sha, rsa-sig, group 1, 86400 s (IOS-XE adds "
                                   "hidden default policies 65507.. such as aes/sha/group 5, list not complete)"),
            _SUITE,
            source=N_("unverified: IOS default protection suite; IOS-XE hidden policies partly seen in Cisco pyATS "
                      "Genie parser golden outputs (captured from IOS-XE devices) ShowCryptoIsakmpDefaultPolicy"),
            label=N_("no `crypto isakmp policy` at all")),
    Default("isakmp.mode", N_("main mode (aggressive only with `initiate mode aggressive` in an isakmp profile)"),
            "main", source=N_("unverified: Cisco IOS Security Command Reference, `initiate mode` (not retrieved); "
                              "the two-word syntax is confirmed by real IOS/IOS-XE configs"),
            label=N_("IKEv1 exchange mode")),
    Default("isakmp.aggressive_dh", N_("aggressive mode sends one KE payload, in the group of the first "
                                       "(highest-priority) isakmp policy; policies with another group cannot be "
                                       "used when IOS initiates"),
            None, source=N_('RFC 2409 section 5 ("the group in which the Diffie-Hellman exchange is performed '
                            "cannot be negotiated\"); that IOS uses the first policy's group is unverified"),
            label=N_("IKEv1 aggressive mode DH group")),
    Default("isakmp.identity", N_("address of the local interface (`crypto isakmp identity address`)"), "address",
            source=N_("unverified: Cisco IOS Security Command Reference, `crypto isakmp identity` (not retrieved)"),
            label=N_("IKEv1 local identity")),
    Default("isakmp.self_identity_fqdn", N_("`self-identity fqdn` (no argument) = hostname.domain, as `crypto "
                                            "isakmp identity hostname`; `self-identity address` (no argument) = "
                                            "the local address"), None,
            source=N_("unverified: Cisco IOS Security Command Reference, `self-identity` (not retrieved); "
                      "confirmed by real IOS configs"), label=N_("isakmp profile `self-identity`")),
    Default("isakmp.peer_identity", N_("the peer is identified by its address"), "address",
            source=N_("unverified: IOS behaviour without `match identity` (no Cisco text retrieved)"),
            label=N_("IKEv1 expected peer identity")),
    Default("isakmp.keepalive", N_("off (no `crypto isakmp keepalive`)"), False,
            source=N_("unverified: Cisco IOS Security Command Reference, `crypto isakmp keepalive` (not retrieved)"),
            label=N_("IKEv1 DPD")),
    Default("nat_traversal", N_("on (`crypto ipsec nat-transparency udp-encapsulation`)"), True,
            source=N_("unverified: Cisco IOS Security Command Reference, `crypto ipsec nat-transparency` (not "
                      "retrieved)"), label=N_("NAT traversal")),
    Default("ikev2.proposal", N_("AES-CBC-256/192/128; SHA512/384/256/SHA1/MD5 (PRF the same); DH groups 5, 2"),
            _V2_OLD, until=(16,), source=N_("unverified: third-party `show crypto ikev2 proposal` output on IOS "
                                            "15.x (the IKEv2 Smart Defaults section of the FlexVPN and IKEv2 "
                                            "Configuration Guide was not retrieved)"),
            label=N_("IKEv2 default proposal (no `crypto ikev2 policy`)")),
    Default("ikev2.proposal", N_("not documented per release: the 15.x list or the IOS-XE 17 list"), None,
            since=(16,), until=(17,), source=N_("unverified: the IOS-XE 16.x release in which the default proposal "
                                                "changed was not found in a Cisco document"),
            label=N_("IKEv2 default proposal (no `crypto ikev2 policy`)")),
    Default("ikev2.proposal", N_("AES-CBC-256; SHA512/384 (PRF the same); DH groups 19, 14, 21, 5 (newer releases "
                                 "drop group 5; on 17.11+ routers FN72510 refuses it)"), _V2_XE, since=(17,),
            source=N_("Cisco pyATS Genie parser golden outputs (captured from IOS-XE devices), "
                      "ShowCryptoIkev2Proposal golden_output (2022) and golden_output_1"),
            label=N_("IKEv2 default proposal (no `crypto ikev2 policy`)")),
    Default("ikev2.policy", N_("default policy: match fvrf any, match address local any, proposal default; a "
                               "configured `crypto ikev2 proposal default` replaces the built-in fields it sets"), None,
            source=N_("Cisco pyATS Genie parser golden outputs (captured from IOS-XE devices), "
                      "ShowCryptoIkev2Policy golden_output; the replacement seen in third-party lab output "
                      "(unverified in Cisco text)"), label=N_("IKEv2 default policy")),
    Default("ikev2.proposal_disabled", N_("`no crypto ikev2 proposal default`: the built-in default proposal is "
                                          "gone; the default policy, or a policy naming ` proposal default`, then "
                                          "offers nothing"), None,
            source=N_('unverified: FlexVPN and IKEv2 Configuration Guide, "IKEv2 Smart Defaults" (the defaults '
                      '"can be modified ... and disabled with the no form"; recollection, the section was not '
                      "retrieved); read as disabling, the safe direction: an assumed default that is gone would be "
                      "a silent pass; a third-party lab note reads the no form as restoring the built-in values "
                      "instead"),
            label=N_("`no crypto ikev2 proposal default`")),
    Default("ikev2.policy_disabled", N_("`no crypto ikev2 policy default`: the built-in default policy is gone; "
                                        "without a configured `crypto ikev2 policy` no IKEv2 proposal is offered"),
            None, source=_DISABLED,
            label=N_("`no crypto ikev2 policy default`")),
    Default("ikev2.lifetime", N_("86400 s"), 86400,
            source=N_("unverified: Cisco IOS Security Command Reference, `lifetime (IKEv2 profile)` (not retrieved)"),
            label=N_("IKEv2 SA lifetime")),
    Default("ikev2.dpd", N_("off, unless a global `crypto ikev2 dpd INTERVAL RETRY on-demand|periodic` applies to "
                            "profiles without their own `dpd`"), False,
            source=N_("unverified: global/profile precedence from the FlexVPN configuration guide (not retrieved); "
                      "the global syntax is confirmed by Cisco pyATS SDK `configure_ikev2_dpd`"),
            label=N_("IKEv2 DPD")),
    Default("ipsec.transform_sets", N_("two crypto-map default sets: esp-aes esp-sha-hmac and esp-3des esp-sha-hmac"),
            _TS_OLD, until=(16,), source=N_("unverified: `#$!default_transform_set_1/0` seen in third-party IOS "
                                            "15.x output only"),
            label=N_("default transform sets (no `set transform-set`)")),
    Default("ipsec.transform_sets", N_("one: `default` = esp-aes esp-sha-hmac (transport, falls back to tunnel)"),
            _TS_XE, since=(16,), source=N_("Cisco pyATS Genie parser golden outputs (captured from IOS-XE "
                                           "devices), ShowCryptoIpsecProfile golden_output, _1, _2 (2022-2026)"),
            label=N_("default transform sets (no `set transform-set`)")),
    Default("ipsec.transform_set_disabled", N_("`no crypto ipsec transform-set default`: no default transform set; "
                                               "a crypto map entry or ipsec profile without `set transform-set` "
                                               "has none (incomplete)"), None,
            source=N_('unverified: FlexVPN and IKEv2 Configuration Guide, "IKEv2 Smart Defaults" (the defaults '
                      '"can be modified ... and disabled with the no form"; recollection, the section was not '
                      "retrieved); read as disabling, the safe direction: an assumed default that is gone would be "
                      "a silent pass; whether it also removes the 15.x `#$!default_transform_set_0/1` pair is not "
                      "known"),
            label=N_("`no crypto ipsec transform-set default`")),
    Default("ipsec.profile_disabled", N_("`no crypto ipsec profile default`: no built-in ipsec profile `default`; "
                                         "`tunnel protection ipsec profile default` then names an undefined profile"),
            None, source=_DISABLED,
            label=N_("`no crypto ipsec profile default`")),
    Default("ipsec.mode", N_("tunnel"), "tunnel",
            source=N_("unverified: Cisco IOS Security Command Reference, `mode (IPsec)` (not retrieved)"),
            label=N_("transform-set mode")),
    Default("ipsec.transport", N_("`mode transport` (no `require`) requests transport only for traffic between the "
                                  "two peer addresses and accepts tunnel, so against a tunnel-only peer tunnel "
                                  "mode is negotiated (checked as tunnel); `mode transport require` accepts "
                                  "transport only"), None,
            source=N_('unverified: Cisco IOS Security Command Reference, `mode (IPsec)` (recollection: "the router '
                      'will request transport mode but will accept either transport or tunnel mode"); syntax '
                      "confirmed by Cisco pyATS SDK `configure_ipsec_transform_set`"),
            label=N_("transform-set `mode transport`")),
    Default("ipsec.pfs", N_("off (no `set pfs`)"), None,
            source=N_("unverified: Cisco IOS Security Command Reference, `set pfs` (not retrieved)"), label=N_("PFS")),
    Default("ipsec.pfs_bare", N_("group1 (a `set pfs` without a group)"), 1,
            source=N_('Cisco IOS 12.2 Security Command Reference, `set pfs`: "If no group is specified with this '
                      'command, group1 is used as the default"'), label=N_("`set pfs` without a group")),
    Default("ipsec.lifetime_s", N_("3600 s"), 3600,
            source=N_("Cisco IOS Security Command Reference, `crypto ipsec security-association lifetime`; Cisco "
                      "pyATS Genie parser golden outputs (captured from IOS-XE devices) ShowCryptoIpsecProfile "
                      "(`4608000 kilobytes/3600 seconds`)"), label=N_("IPsec SA lifetime (time)")),
    Default("ipsec.lifetime_kb", N_("4,608,000 KB"), 4608000,
            source=N_("Cisco IOS Security Command Reference, `crypto ipsec security-association lifetime`; Cisco "
                      "pyATS Genie parser golden outputs (captured from IOS-XE devices) ShowCryptoIpsecProfile "
                      "(`4608000 kilobytes/3600 seconds`)"), label=N_("IPsec SA lifetime (volume)")),
    Default("crypto.weak_refused", N_("accepted (IOS-XE 17.6.1-17.10 only warn `weaker encryption algorithm is "
                                      "deprecated`)"),
            False, until=(17, 11), source=_FN72510, label=N_("weak algorithms (FN72510)")),
    Default("crypto.weak_refused", N_("refused unless `crypto engine compliance shield disable` (then reload): "
                                      "IKEv1 des/3des, md5, group 1/2/5; IKEv2 des/3des, md5, group 1/2/5/24; "
                                      "esp-des, esp-3des, esp-null, esp-gmac, esp-md5-hmac, ah-md5-hmac; set pfs "
                                      "group1/2/5/24. Routers (ASR1000, ISR4000, ISR1100, Catalyst 8000) from "
                                      "17.11.1a; SP access 17.12.1, WLC 17.13.1, IoT routers 17.14.1, Catalyst "
                                      "9000 switches 17.15.1"),
            True, since=(17, 11), source=_FN72510, label=N_("weak algorithms (FN72510)")),
])
