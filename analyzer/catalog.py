"""Alibaba's IPsec-VPN error-code table as data, for `ipsec-preflight explain`.

Source: Alibaba Cloud, "Troubleshoot IPsec-VPN connections" (doc-detail/477862), read in the Indonesian edition
"Memecahkan Masalah Koneksi IPsec-VPN" (updated 2025-07-06; ../shared/seeds/000_b1fdbc7b150180ec.txt, digest in
../shared/reference/error-catalog.md), and the Chinese FAQ "IPsec-VPN连接常见问题" (../shared/seeds/002_*.txt).
Codes, log keywords and causes are in the table's order. Log keywords are the table's verbatim strings; three of
them the Indonesian page translated, so they are written here as patterns (English and Chinese wording, numbers
free) and flagged: their exact original wording is unverified.

A keyword is matched after both it and the log line are normalized (case, punctuation, `_`/`-`, whitespace):
``#`` stands for any number, ``*`` for any words. A keyword of ``PATTERNS`` (the translated ones) is matched by
its regular expression over the normalized line instead.

Prose (titles, meanings, causes, runtime causes) is marked with N_() and shown through _() by analyzer/explain.py;
log keywords, statuses and codes are matched as they stand and never translated."""
from __future__ import annotations

from dataclasses import dataclass, field

from analyzer.i18n import N_

SOURCE = N_("Alibaba Cloud, \"Troubleshoot IPsec-VPN connections\" (error-code table), https://www.alibabacloud.com/"
            "help/en/vpn/sub-product-ipsec-vpn/support/troubleshoot-ipsec-vpn-connection-issues (read in its "
            "Indonesian edition of 2025-07-06); Chinese FAQ \"IPsec-VPN连接常见问题\"")
UNVERIFIED_WORDING = N_("the table gives this log line in translation only: matched by its terms, exact wording "
                        "unverified")


@dataclass(frozen=True)
class Code:
    code: str  # the API code (DiagnoseVpnConnections FailedReasonCode)
    console: str  # the console's English title
    meaning: str  # the table's error message
    keywords: tuple[str, ...]  # log keywords, verbatim (see the module doc for the pattern syntax)
    causes: tuple[str, ...]  # likely causes and what to check, in the table's order
    related: tuple[str, ...] = ()  # our rule codes that predict this code besides those naming it (the causes)
    runtime: tuple[str, ...] = ()  # causes no comparison of the two configs can see
    translated: tuple[str, ...] = field(default=())  # keywords of ``keywords`` known only in translation


# The three keywords the Indonesian page gives in translation: shown in English, matched by their terms.
_KE_TYPE = "Received KE type 14, expected 2"
_KE_PAYLOAD = "message lacks KE payload"
_NO_ISAKMP_SA = "ignore information because ISAKMP-SA has not been established yet"
PATTERNS = {  # over the normalized line; ASCII look-arounds, not \b (a Chinese character is a word character)
    _KE_TYPE: r"(?<![a-z0-9])ke ?(?:type|类型)? ?\d+.{0,40}?(?:expected|expect|期望|预期)\D{0,4}\d+",
    _KE_PAYLOAD: r"(?:(?<![a-z0-9])(?:lacks?|lacking|missing|no)|缺少|缺失|没有) ?ke ?(?:payload|载荷)",
    _NO_ISAKMP_SA: r"(?<![a-z0-9])isakmp ?sa ?"
                   r"(?:has not been established|not (?:yet )?established|未建立|尚未建立|没有建立)",
}

_ALGS = ("EncryptionAlgorithmMismatch", "AuthenticationAlgorithmMismatch", "DhGroupMismatch", "AlgorithmMismatch",
         "ProposalMismatch", "MultipleProposals")
_REACH = ("PeerMismatch", "NoTunnelOnDevice", "IkePortsFiltered")
_NET = (N_("the device does not send or receive IPsec packets (UDP 500/4500 blocked on the path, a firewall in front)"),
        N_("the device restarted or failed unexpectedly"),
        N_("no route between the device and the Alibaba gateway IP (check with ping, mtr or traceroute)"))

CODES: tuple[Code, ...] = (
    Code("PeerMismatch", N_("Peer mismatch"),
         N_("The received packet does not match the customer gateway information."),
         ("received UNSUPPORTED_CRITICAL_PAYLOAD error",),
         (N_("The customer gateway IP associated with the connection differs from the device's address: make them "
             "equal."),
          N_("The device has several IP addresses: the one it uses for the tunnel must be the one registered as the "
             "customer gateway IP.")),
         runtime=(N_("the device's public address changed (dynamic IP) or NAT in front of it rewrites it"),)),
    Code("AlgorithmMismatch", N_("Algorithm mismatch"),
         N_("The encryption algorithm, authentication algorithm or DH group does not match."),
         ("HASH mismatched", "parsed INFORMATIONAL_V1 request", "packet lacks expected payload",
          "authentication failure"),
         (N_("Encryption algorithm, authentication algorithm and DH group of the IKE and IPsec configurations differ "
             "between the connection and the device: make them equal."),
          N_("The device lists several encryption/authentication algorithms or DH groups: configure it to use the one "
             "value of the connection (Alibaba takes exactly one value per parameter).")),
         related=_ALGS),
    Code("EncryptionAlgorithmMismatch", N_("Encryption algorithm mismatch"),
         N_("The encryption algorithm of the IPsec-VPN connection does not match."),
         ("invalid encryption algorithm", "trns_id mismatched", "rejected enctype", "authentication failure"),
         (N_("The encryption algorithm of the IPsec configuration differs between the connection and the device."),
          N_("The device's IPsec configuration lists several encryption algorithms: configure it to use the "
             "connection's.")),
         related=("AlgorithmMismatch", "MultipleProposals")),
    Code("AuthenticationAlgorithmMismatch", N_("Authentication algorithm mismatch"),
         N_("The IKE authentication algorithm does not match."),
         ("authtype mismatched", "rejected hashtype", "authentication failure"),
         (N_("The authentication algorithm of the IKE configuration differs between the connection and the device."),
          N_("The device's IKE configuration lists several authentication algorithms: configure it to use the "
             "connection's.")),
         related=("AlgorithmMismatch", "MultipleProposals")),
    Code("DhGroupMismatch", N_("DH group mismatch"),
         N_("The DH group of IKE phase 1 does not match."),
         (_KE_TYPE,
          "failed to compute dh value", "rejected dh_group", "proposal mismatch, transform type:4"),
         (N_("The DH group of the IKE configuration differs between the connection and the device."),
          N_("The device's IKE configuration lists several DH groups: configure it to use the connection's."),
          N_("Several connections use this customer gateway: all must share one IKE configuration (version, "
             "negotiation mode, encryption, authentication, DH group, SA lifetime); each connection's LocalId must "
             "equal the device's RemoteId and its RemoteId the device's LocalId.")),
         related=("MultipleProposals", "CustomerGatewayInconsistent"),
         translated=(_KE_TYPE,)),
    Code("PskMismatch", N_("Pre-shared key mismatch"),
         N_("The pre-shared key does not match."),
         ("Decryption failed! mismatch of preshared secrets", "mismatch of preshared secrets",
          "invalid HASH_V1 payload length, decryption failed", "could not decrypt payloads",
          "authentication failure"),
         (N_("The pre-shared keys of the connection and the device differ (changing either triggers a new "
             "negotiation, and Alibaba checks the keys again)."),
          N_("The keys are equal but the IKE/IPsec encryption, authentication or DH group differ: a key mismatch is "
             "also reported then."),
          N_("The device lists several algorithms or DH groups: configure it to use the connection's single values.")),
         related=_ALGS),
    Code("PeerIdMismatch", N_("PeerID mismatch"),
         N_("LocalId or RemoteId does not match or is not compatible."),
         ("does not match peers id", "message lacks IDr payload", "Expecting IP address type in main mode, but FQDN",
          "Unknown peer id", "Parse PEERID failed", "received ID_I(*) does not match peers id",
          "invalid-id-information", "received INVALID_ID_INFORMATION error notify"),
         (N_("The connection's LocalId differs from the device's RemoteId, or its RemoteId from the device's LocalId "
             "(defaults: LocalId = the VPN gateway IP, or the connection's gateway IP on a transit router; RemoteId = "
             "the customer gateway IP)."),
          N_("IKEv1 in main mode takes IP-address identities only: an FQDN LocalId/RemoteId fails."),
          N_("The negotiation modes differ (main is recommended, with IP-address identities)."),
          N_("IKEv2 with correct identities: the IKE/IPsec encryption, authentication or DH group differ.")),
         related=("NegotiationModeMismatch",) + _ALGS),
    Code("DpdHashNotifyCompatibility", N_("DPD payload order incompatible"),
         N_("The DPD payload order is not compatible."),
         ("ignore information because the message has no hash payload",),
         (N_("DPD is on and the device does not send its DPD payloads in the hash-notify order (the default): set "
             "the order to hash-notify."),)),
    Code("DpdTimeout", N_("DPD timeout"),
         N_("DPD packets timed out."),
         ("DPD: remote seems to be dead",),
         (N_("DPD is not enabled on both the connection and the device (a DPD timeout triggers renegotiation)."),
          N_("Network or routing problems between the connection and the device.")),
         runtime=(N_("packet loss or an outage on the path between the two gateways"),)),
    Code("IkeVersionMismatch", N_("IKE version mismatch"),
         N_("The IKE version or negotiation mode does not match."),
         ("unknown ikev2 peer",),
         (N_("The IKE versions differ; a device that picks the version automatically or offers IKEv1 and IKEv2 "
             "should be pinned to the connection's version (IKEv2 recommended)."),
          N_("The negotiation modes differ.")),
         related=("NegotiationModeMismatch",)),
    Code("NegotiationModeMismatch", N_("Negotiation mode mismatch"),
         N_("The negotiation mode does not match."),
         ("in Identity not acceptable Aggressive mode", "not acceptable Identity Protection mode"),
         (N_("The negotiation modes differ (main recommended)."),
          N_("Both sides use main mode and negotiation still fails: in a few scenarios aggressive mode on both sides "
             "works.")),
         runtime=(N_("a scenario where main mode fails although both sides use it (the table's second step)"),)),
    Code("NatTMismatch", N_("NAT-T mismatch"),
         N_("NAT traversal does not match."),
         ("ignore the packet, received unexpecting payload type 130",),
         (N_("NAT traversal is enabled on one side only: use the same setting on both."),
          N_("The device sits behind a NAT gateway: enable NAT traversal on both sides."))),
    Code("LifetimeMismatch", N_("SA lifetime mismatch"),
         N_("The lifetime does not match."),
         ("long lifetime proposed",),
         (N_("The IKE or IPsec SA lifetime (seconds) differs; different values can negotiate, but equal values are "
             "recommended for stability across vendors."),)),
    Code("SecurityProtocolMismatch", N_("Security protocol mismatch"),
         N_("The security protocol does not match."),
         ("proto_id mismatched",),
         (N_("The device does not use ESP: Alibaba's VPN gateway supports ESP only, not AH."),)),
    Code("EncapsulationModeMismatch", N_("Encapsulation mode mismatch"),
         N_("The encapsulation mode does not match."),
         ("encmode mismatched",),
         (N_("The device does not use tunnel mode: Alibaba's VPN gateway supports tunnel mode only, not transport "
             "mode."),)),
    Code("AlgorithmCompatibility", N_("Algorithm incompatible"),
         N_("The algorithms are not compatible."),
         (),
         (N_("The IKE/IPsec authentication algorithms of the connection and the device do not interoperate: choose "
             "another authentication algorithm (the table suggests md5)."),)),
    Code("TrafficSelectorMismatch", N_("Protected data flows mismatch"),
         N_("The protected data flows do not match."),
         ("traffic selector mismatch", "traffic selector unacceptable", "can't find matching selector",
          "received Notify type TS_UNACCEPTABLE"),
         (N_("IKEv1 supports one CIDR block per side in the protected data flows; IKEv2 supports several (with several "
             "blocks and differing negotiation settings some blocks may be unreachable)."),
          N_("The connection's local CIDR blocks must equal the device's remote ones, and its remote CIDR blocks the "
             "device's local ones.")),
         related=("MultiCidrPerSa",)),
    Code("PfsMismatch", N_("PFS mismatch"),
         N_("The DH group of phase 2 does not match."),
         ("pfs group mismatched",
          _KE_PAYLOAD),
         (N_("The PFS settings of the IPsec configuration differ: IpsecPfs `disabled` on the connection means PFS "
             "off, so turn it off on the device; any other value means PFS on with that group, so turn it on with the "
             "same group (PFS on is recommended)."),),
         translated=(_KE_PAYLOAD,)),
    Code("CommitMismatch", N_("Commit bit mismatch"),
         N_("The commit bit does not match."),
         (),
         (N_("The commit bit is enabled on the device: disable it (Alibaba's VPN gateway does not support the commit "
             "feature)."),)),
    Code("ProposalMismatch", N_("Proposal mismatch"),
         N_("The proposal does not match."),
         ("no proposal chosen", "received NO_PROPOSAL_CHOSEN", "no suitable proposal found",
          "failed to get valid proposal", "none of my proposal matched",
          "no matching proposal found, sending NO_PROPOSAL_CHOSEN", "proposal mismatch",
          "couldn't find configuaration", "couldn't find configuration",
          "ignore the packet,expecting the packet encrypted"),
         (N_("The IKE versions differ (IKEv2 recommended)."),
          N_("The IKE configurations differ: version, negotiation mode, encryption, authentication, DH group, SA "
             "lifetime; or LocalId/RemoteId do not mirror each other."),
          N_("The IPsec configurations differ: encryption, authentication, DH group, SA lifetime, NAT traversal; or "
             "the protected data flows do not mirror each other."),
          N_("Several connections use this customer gateway with different IKE configurations or identities."),
          N_("Reset the connection to trigger a new negotiation.")),
         related=("IkeVersionMismatch", "NegotiationModeMismatch", "PeerIdMismatch", "LifetimeMismatch",
                  "PfsMismatch", "NatTMismatch", "TrafficSelectorMismatch", "CustomerGatewayInconsistent") + _ALGS),
    Code("NegotiationFailed", N_("Negotiation failed"),
         N_("The negotiation failed."),
         ("phase2 negotiation failed due to time up waiting for phase1",),
         (N_("Reset the connection to trigger a new negotiation; Alibaba checks the negotiation settings again."),),
         related=_REACH,  # phase 1 never completed: what keeps it from starting
         runtime=(N_("phase 1 never completed (see Phase1NegotiationTimeout and NoResponse)"),)),
    Code("Phase1NegotiationTimeout", N_("Phase 1 negotiation timeout"),
         N_("Phase 1 packets were rejected and the negotiation timed out."),
         ("phase1 negotiation failed due to time up",
          _NO_ISAKMP_SA),
         (N_("The device does not send or receive IPsec packets as expected."),
          N_("The customer gateway IP of the connection differs from the device's address."),
          N_("The device restarted or failed unexpectedly."),
          N_("The connection and the device cannot reach each other: ping, mtr or traceroute the VPN gateway IP from "
             "the device."),
          N_("The connection crosses borders: Alibaba's VPN gateway does not support cross-border IPsec-VPN (use "
             "CEN)."),
          N_("Reset the connection to trigger a new negotiation.")),
         related=_REACH, runtime=_NET + (N_("a cross-border path (not supported; use CEN)"),),
         translated=(_NO_ISAKMP_SA,)),
    Code("Phase2NegotiationTimeout", N_("Phase 2 negotiation timeout"),
         N_("Phase 2 packets were not accepted and the negotiation timed out."),
         (),
         (N_("The IPsec configurations differ: encryption, authentication, DH group, SA lifetime."),
          N_("NAT traversal is enabled on one side only."),
          N_("Change the IKE version of both sides (to IKEv1 or IKEv2).")),
         related=("EncryptionAlgorithmMismatch", "AlgorithmMismatch", "PfsMismatch", "LifetimeMismatch",
                  "NatTMismatch", "IkeVersionMismatch", "MultipleProposals")),
    Code("NoResponse", N_("No response from peer"),
         N_("The peer gateway does not respond."),
         ("sending retransmit # of request message ID #, seq #", "retransmission count exceeded the limit"),
         (N_("The device does not send or receive IPsec packets as expected."),
          N_("The customer gateway IP of the connection differs from the device's address."),
          N_("The device restarted or failed unexpectedly."),
          N_("The connection and the device cannot reach each other: ping, mtr or traceroute the VPN gateway IP from "
             "the device."),
          N_("The device's access control does not open UDP 500 and 4500 or does not permit the VPN gateway IP."),
          N_("Reset the connection to trigger a new negotiation.")),
         related=_REACH,
         runtime=_NET + (N_("an access list or firewall in front of the device filtering UDP 500/4500"),)),
    Code("ReceiveDeleteNotify", N_("Delete received from peer"),
         N_("A delete notification was received from the peer."),
         ("received DELETE IKE_SA",),
         (N_("The device sent a delete notification: troubleshoot it on the device."),),
         runtime=(N_("the device tore the SA down (operator action, its own DPD or lifetime, a crash)"),)),
    Code("NoExceptionFound", N_("No cause found"),
         N_("No cause of a negotiation failure was found."),
         (),
         (N_("The connection may not have started negotiating: reset it on Alibaba's side (toggle Effective "
             "Immediately, save, toggle back) or on the device, then refresh."),),
         runtime=(N_("the negotiation has not started yet"),)),
)

# Log wording that is not in Alibaba's table but that devices and strongSwan really write (our addition, shown as
# such): keyword -> (codes, why that code). Matched like the table's keywords; a code named in a line (`错误码：
# PfsMismatch`, `pskmismatch`) also counts (explain.py).
OUR_KEYWORDS: dict[str, tuple[tuple[str, ...], str]] = {
    # strongSwan ikev2/tasks/child_create.c: DBG1 "received %N notify, no CHILD_SA built" (RFC 7296 TS_UNACCEPTABLE)
    "received TS_UNACCEPTABLE notify": (("TrafficSelectorMismatch",), N_("strongSwan: the peer refused our traffic "
                                                                        "selectors")),
    # strongSwan ikev2/tasks/ike_delete.c, ikev1/tasks/isakmp_delete.c: "received DELETE for IKE_SA %s[%d]"
    "received DELETE for IKE_SA": (("ReceiveDeleteNotify",), N_("strongSwan: the peer deleted the IKE SA")),
    # strongSwan sa/ikev2/task_manager.c: "retransmit %d of request with message ID %d"
    "retransmit # of request with message ID #": (("NoResponse",), N_("strongSwan: a request went unanswered and is "
                                                                      "sent again")),
    # strongSwan ikev2/tasks/ike_init.c sends / handles INVALID_KE_PAYLOAD ("peer didn't accept DH group %N, it
    # requested %N"): the KE payload's group is not the one the responder chose (RFC 7296 1.2)
    "INVALID_KE_PAYLOAD": (("DhGroupMismatch",), N_("the two sides start with different DH groups (recovered by a "
                                                     "retry when the group is in both lists)")),
    # strongSwan ike_init.c / child_create.c: DBG1 "no acceptable proposal found" (then NO_PROPOSAL_CHOSEN)
    "no acceptable proposal found": (("ProposalMismatch",), N_("strongSwan: no proposal of the peer matches ours")),
    # Huawei, hwIPSecNegoFail ReasonCode 2 ("IPSec Fault Cause Reference", support.huawei.com EDOC1100086053)
    "phase2 proposal or pfs mismatch": (("PfsMismatch", "ProposalMismatch"), N_("Huawei: the IPsec proposal or the "
                                                                              "PFS group differs")),
}
OURS = N_("not in Alibaba's table")  # how a match on OUR_KEYWORDS or on a code name is marked

# Connection statuses of the Chinese FAQ (IPsec-VPN连接常见问题): console status -> the causes the FAQ
# lists and the codes they lead to. A pasted console or log line may carry only the status.
STATUSES: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (("第一阶段协商失败", "phase 1 negotiation failed", "phase1 negotiation failed"),
     (N_("the device is not working as expected"), N_("the device has no IPsec-VPN configuration yet"),
      N_("the device's access control does not permit UDP 500 and 4500 or the VPN gateway IP in both directions"),
      N_("the device's vendor negotiates only when traffic arrives")),
     ("Phase1NegotiationTimeout", "NoResponse", "PeerMismatch")),
    (("第二阶段协商失败", "phase 2 negotiation failed", "phase2 negotiation failed"),
     (N_("the VPN gateway is overdue (renew it)"),
      N_("the peer gateway device is at fault (ask its vendor)"),
      N_("the access control policy applied on the peer gateway device changed: it must permit the traffic between "
         "the data center and the VPC"),
      N_("the device's IPsec-VPN configuration was deleted or changed and no longer matches the connection"),
      N_("a parameter of the device has several values (e.g. IKE encryption aes and aes192)"),
      N_("the connection was changed and no longer matches the device"),
      N_("an IPv4 gateway or network ACL newly configured on the VPC blocks the traffic"),
      N_("the device's public address changed (several or dynamic addresses)")),
     ("Phase2NegotiationTimeout", "ProposalMismatch", "PfsMismatch")),
)

BY_CODE = {c.code.lower(): c for c in CODES}


def lookup(code: str) -> Code | None:
    """The table's entry for an API code, any case, or None."""
    return BY_CODE.get(code.strip().lower())
