"""Where Alibaba documents stricter behaviour than the IKE/IPsec protocol. A rule that reports such a case
names the deviation (``@rule(..., deviations=...)``); docs/rules.md lists them, and the strongSwan interop
suite (tests/interop) checks that they are the only cases where our error verdict and a protocol-conforming
negotiation disagree."""
from __future__ import annotations

from analyzer.i18n import N_
from analyzer.rules import Deviation

_TROUBLESHOOT = ("Alibaba Cloud, \"Troubleshoot IPsec-VPN connections\" (error-code table), "
                 "https://www.alibabacloud.com/help/en/vpn/sub-product-ipsec-vpn/support/"
                 "troubleshoot-ipsec-vpn-connection-issues (read in its Indonesian edition, same path under /help/id/)")

IKEV1_EXACT_SELECTORS = Deviation(
    "ikev1-exact-selectors",
    N_("IKEv1: Alibaba requires the device's flows to equal its own (mirrored); a device whose flows are narrower "
       "or wider is an error. IKEv1 (RFC 2409) defines no narrowing and does not forbid a responder to accept "
       "overlapping quick-mode IDs: strongSwan 5.9 settles on the intersection and the tunnel comes up "
       "(measured by tests/interop)."),
    _TROUBLESHOOT + ", TrafficSelectorMismatch: the local CIDR blocks must equal the peer's remote CIDR blocks")
IKEV1_ONE_CIDR_PAIR = Deviation(
    "ikev1-one-cidr-pair",
    N_("IKEv1: Alibaba supports exactly one local and one remote CIDR block; several need IKEv2. The protocol has "
       "no such limit (one quick mode per pair; strongSwan negotiates the pairs it can, measured by tests/interop)."),
    _TROUBLESHOOT + ", TrafficSelectorMismatch: \"if the IKE version is ikev1, the protected data flows support "
    "only one CIDR block\"")
IKEV1_MAIN_MODE_IP_IDS = Deviation(
    "ikev1-main-mode-ip-ids",
    N_("IKEv1 main mode with pre-shared keys: Alibaba accepts IP-address identities only (an FQDN LocalId/RemoteId "
       "needs aggressive mode). RFC 2409 section 5.4 only ties the main-mode key lookup to the peer's IP address; "
       "the identity payload may be an FQDN, and strongSwan accepts it (measured by tests/interop)."),
    _TROUBLESHOOT + ", PeerIdMismatch: \"if the IKE version and negotiation mode are ikev1 and main, LocalId "
    "and RemoteId support only IP addresses\"")
