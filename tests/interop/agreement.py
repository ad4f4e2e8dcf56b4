"""Our verdict (the rules) next to strongSwan's (the negotiation): do they agree, and does the code fit?"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analyzer.checker import check
from analyzer.findings import Finding
from analyzer.model import AlibabaTunnel, Endpoint
from analyzer.rules import all_rules
from interop.harness import Lab, Outcome
from parsers import alibaba
from parsers.registry import parse_device
from interop.scenario import Side, alibaba_json, ios_config

# Which rule codes fit which failure. Phase-1 proposal failures and phase-2 ones are kept apart: an ESP
# mismatch must not be "explained" by an IKE rule.
_IKE_PROPOSAL = {"AlgorithmMismatch", "AuthenticationAlgorithmMismatch", "DhGroupMismatch", "ProposalMismatch",
                 "IkeVersionMismatch", "NegotiationModeMismatch"}
_ESP_PROPOSAL = {"AlgorithmMismatch", "EncryptionAlgorithmMismatch", "PfsMismatch", "SecurityProtocolMismatch",
                 "EncapsulationModeMismatch", "AlgorithmCompatibility"}
_AUTH = {"PskMismatch", "PeerIdMismatch", "NegotiationModeMismatch", "IkeVersionMismatch"}
_TS = {"TrafficSelectorMismatch", "MultiCidrPerSa"}
FITS: dict[tuple[str | None, str], set[str]] = {
    ("NO_PROPOSAL_CHOSEN", "ike"): _IKE_PROPOSAL,
    ("NO_PROPOSAL_CHOSEN", "child"): _ESP_PROPOSAL,
    ("NO_PROPOSAL_CHOSEN", "rekey"): _ESP_PROPOSAL,
    ("INVALID_KE_PAYLOAD", "ike"): {"DhGroupMismatch"},
    ("INVALID_KE_PAYLOAD", "rekey"): {"PfsMismatch"},
    ("INVALID_KE_PAYLOAD", "child"): {"PfsMismatch"},
    ("AUTHENTICATION_FAILED", "ike"): _AUTH,
    ("INVALID_ID_INFORMATION", "ike"): _AUTH,
    ("TS_UNACCEPTABLE", "child"): _TS,
    ("INVALID_ID_INFORMATION", "child"): _TS,
}
# A version mismatch shows no notify at all: the IKEv1 and IKEv2 daemons ignore each other until the timeout.
FITS_SILENT = {"IkeVersionMismatch", "NegotiationModeMismatch"}


@dataclass
class Verdicts:
    tunnel: AlibabaTunnel
    endpoint: Endpoint
    errors: list[Finding]  # error-level findings of our rules, not suppressed
    outcome: Outcome

    def disagreement(self, deviations: set[str]) -> str | None:
        """None when the two verdicts agree (or disagree only where a rule names one of ``deviations``: Alibaba
        is stricter than the protocol there); else what is wrong, in one line without any key."""
        codes = sorted({f.code for f in self.errors})
        if self.outcome.established:
            if not codes:
                return None
            unexplained = [c for c in codes if not deviations & {d.name for d in rule_deviations(c)}]
            if unexplained:
                return f"rules say error {unexplained} but strongSwan established"
            return None
        if not codes:
            return f"strongSwan failed ({self.outcome}) but the rules report no error"
        fits = FITS.get((self.outcome.notify, self.outcome.phase), set())
        if self.outcome.notify is None:
            fits = FITS_SILENT
        if not fits & set(codes):
            return f"strongSwan failed ({self.outcome}) but the error codes {codes} do not fit it"
        return None


def rule_deviations(code: str) -> tuple:
    return next((r.deviations for r in all_rules() if r.code == code), ())


def verdicts(lab: Lab, ali: Side, dev: Side, tmp: Path) -> Verdicts:
    """Both sides through our parsers, then the rules and a real negotiation of the same two endpoints."""
    cpath, dpath = tmp / "connection.json", tmp / "device.cfg"
    cpath.write_text(alibaba_json(ali))
    dpath.write_text(ios_config(dev))
    tunnels = alibaba.load(str(cpath))
    device = parse_device(dpath.read_text(), str(dpath))
    results = check(tunnels, device)
    errors = [f for r in results for f in r.findings if f.severity == "error" and not f.suppressed]
    tunnel = tunnels[0]
    endpoint = next(e for e in device.endpoints if e.peer_address == tunnel.endpoint.local_address)
    # Alibaba negotiates one SA for all its CIDR pairs (rule MultiCidrPerSa); IOS one per ACL line
    outcome = lab.negotiate(tunnel.endpoint, endpoint, ali_per_pair=False, dev_per_pair=endpoint.per_pair_sas)
    return Verdicts(tunnel, endpoint, errors, outcome)
