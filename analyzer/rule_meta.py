"""Per-rule metadata for CI consumers, as data: the tags code scanning filters on, the `security-severity` of the
few rules whose findings are about exposure or weak crypto, and the rules whose device line is itself the object
a finding is about (used by fingerprints). The registry (analyzer/rules) stays the source of codes; a rule not
named here still gets its derived tags."""
from __future__ import annotations

# What a rule is about (GitHub code scanning shows tags as filters; GitLab ignores them).
_TOPIC = {
    "PeerMismatch": "addressing", "PeerAddressUnverified": "addressing", "NoTunnelOnDevice": "addressing",
    "IkePortsFiltered": "addressing", "VpnTrafficNatted": "addressing", "BgpConfigMismatch": "addressing",
    "MtuTooLarge": "addressing", "HealthCheckTarget": "addressing",
    "IkeVersionMismatch": "ike", "NegotiationModeMismatch": "ike", "PskMismatch": "ike", "PeerIdMismatch": "ike",
    "DpdTimeout": "ike", "DpdHashNotifyCompatibility": "ike", "NatTMismatch": "ike", "CommitMismatch": "ike",
    "AlgorithmMismatch": "crypto", "AuthenticationAlgorithmMismatch": "crypto", "DhGroupMismatch": "crypto",
    "ProposalMismatch": "crypto", "EncryptionAlgorithmMismatch": "crypto", "PfsMismatch": "crypto",
    "SecurityProtocolMismatch": "crypto", "EncapsulationModeMismatch": "crypto", "AlgorithmCompatibility": "crypto",
    "MultipleProposals": "crypto", "LifetimeMismatch": "lifetime", "TrafficBasedLifetime": "lifetime",
    "TrafficSelectorMismatch": "selectors", "MultiCidrPerSa": "selectors",
    "DeviceConfigIncomplete": "transparency", "UnparsedConfig": "transparency", "InvalidSuppression": "transparency",
    "CustomerGatewayInconsistent": "audit", "OverlappingSelectors": "audit", "DualTunnelAlternation": "audit",
    "UnpairedAlibabaTunnel": "audit", "UnpairedDeviceTunnel": "audit",
}

# Rules about exposure or weak crypto, not only a tunnel that stays down: score on GitHub's scale (over 9.0
# critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low; "SARIF support for code scanning", reportingDescriptor
# object, docs.github.com) and the one-line reason. Such rules are also tagged `security`, as GitHub requires.
SECURITY_SEVERITY: dict[str, tuple[str, str]] = {
    "VpnTrafficNatted": ("6.5", "traffic meant for the tunnel is source-NATed and leaves the outside interface "
                                "unencrypted"),
    "TrafficSelectorMismatch": ("4.3", "traffic outside the device's selectors has no SA: a policy-based device "
                                       "routes it in clear"),
    "NegotiationModeMismatch": ("3.1", "one side is configured for IKEv1 aggressive mode, which sends identities "
                                       "in clear and exposes a PSK-derived hash to offline guessing"),
}

# Rules whose finding is about one device line as such (the line not understood, the suppression comment, the
# dangling reference, the peer line of a device tunnel nothing pairs with, which no pair names): that line's masked
# text names the object, so fingerprints include it.
LINE_IS_OBJECT = frozenset({"UnparsedConfig", "InvalidSuppression", "DeviceConfigIncomplete", "UnpairedDeviceTunnel"})

# Rules that report several findings on one tunnel pair, each about a different object that only the message
# names (a port the ACL drops, which BGP setting differs): the words that tell them apart, never a value.
OBJECT_IN_MESSAGE = {
    "IkePortsFiltered": r"\bUDP (?:500|4500)\b|\bESP\b",
    "BgpConfigMismatch": r"TunnelCidr|LocalBgpIp|no BGP neighbor|tunnel address|BGP neighbor is|expects AS|runs AS",
    "MtuTooLarge": r"tunnel MTU|TCP MSS",
}
# Rules whose several findings on one line differ only in what the message says is wrong with it (a parser's
# notes: "has no `set peer`", "is not applied to any interface"): the message's words without names or values.
MESSAGE_IS_OBJECT = frozenset({"DeviceConfigIncomplete"})


def tags(rule) -> list[str]:
    """Tags of a registered rule: its topic, `alibaba-api` when it predicts an Alibaba error code, `lint` when it
    also runs device-only, `security` when it has a security-severity."""
    out = [_TOPIC.get(rule.code, rule.scope)]
    if rule.alibaba_code:
        out.append("alibaba-api")
    if rule.lint is not None:
        out.append("lint")
    if rule.code in SECURITY_SEVERITY:
        out.append("security")
    return out
