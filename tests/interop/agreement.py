"""Our verdict (the rules) next to strongSwan's (the negotiation): do they agree, and does each code fit?

The rules read the two configs through our parsers; strongSwan negotiates what the scenario means (interop.swanctl
renders each side from the scenario, not from the parsers' output), so a parser bug shows as a disagreement."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analyzer.checker import check, pair_endpoint
from analyzer.findings import Finding
from analyzer.model import AlibabaTunnel, Source
from analyzer.rules import all_rules
from interop.harness import LAB_ALI_IP, LAB_DEV_IP, Lab, Outcome
from interop.scenario import Side, alibaba_json, ios_config
from interop.swanctl import render
from parsers import alibaba
from parsers.registry import parse_device

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

# The negotiation step a rule's error stands for: an error of a step that strongSwan passed is a false alarm.
_ORDER = {"ike": 0, "timeout": 0, "child": 1, "rekey": 2}
_IKE_STEP = _IKE_PROPOSAL | _AUTH
_CHILD_STEP = (_ESP_PROPOSAL | _TS) - {"AlgorithmMismatch", "PfsMismatch"}


@dataclass(frozen=True)
class ErrorHit:
    """One error-level rule hit: its code, the deviation it stands for (None: a protocol failure too) and the
    negotiation step it predicts a failure at (None: not known)."""
    code: str
    deviation: str | None
    step: str | None


def step_of(code: str, alibaba_field: str | None, version: str) -> str | None:
    if code == "AlgorithmMismatch":  # IKE encryption, or ESP integrity: the Alibaba field it compared tells
        return "ike" if (alibaba_field or "").startswith("IkeConfig") else "child"
    if code == "PfsMismatch":  # IKEv2 keys the first CHILD_SA from the IKE SA: PFS fails at the first rekey
        return "rekey" if version == "ikev2" else "child"
    return "ike" if code in _IKE_STEP else "child" if code in _CHILD_STEP else None


@dataclass
class Verdicts:
    tunnel: AlibabaTunnel
    errors: list[Finding]  # error-level findings of our rules, not suppressed (the CLI's pipeline)
    hits: list[ErrorHit]  # the same errors as rule hits, with the deviation each stands for
    outcome: Outcome

    def disagreement(self, deviations: set[str]) -> str | None:
        """None when the two verdicts agree; else what is wrong, in one line without any key. ``deviations``:
        the Alibaba-stricter cases the scenario holds. An error tagged with one of them is excused when
        strongSwan establishes, and never counts as the reason of a failure."""
        tags = sorted({h.deviation for h in self.hits if h.deviation})
        stray = [t for t in tags if t not in deviations]
        if stray:
            return f"rules excuse errors by {stray}, which this scenario does not hold"
        real = sorted({h.code for h in self.hits if not h.deviation})
        if self.outcome.established:
            return f"rules say error {real} but strongSwan established" if real else None
        if not real:
            why = f"only errors tagged {tags} (Alibaba-stricter)" if tags else "no error"
            return f"strongSwan failed ({self.outcome}) but the rules report {why}"
        fits = FITS_SILENT if self.outcome.notify is None else FITS.get((self.outcome.notify, self.outcome.phase),
                                                                        set())
        if not fits & set(real):
            return f"strongSwan failed ({self.outcome}) but the error codes {real} do not fit it"
        # every code, not one: an error at a step strongSwan got through is a false alarm next to the real one
        reached = _ORDER.get(self.outcome.phase or "ike", 0)
        passed = sorted({h.code for h in self.hits if not h.deviation and h.code not in fits and h.step
                         and _ORDER[h.step] < reached})
        if passed:
            return f"strongSwan failed later ({self.outcome}) than the errors {passed} say"
        return None


def error_hits(tunnels, device) -> list[ErrorHit]:
    """The rules run on the one tunnel/endpoint pair, kept as hits (a Finding does not carry the deviation)."""
    pair = pair_endpoint(tunnels[0], device)
    out = []
    for r in all_rules():
        if r.scope != "pair" or (r.needs_endpoint and pair.endpoint is None):
            continue
        for hit in r.check(pair):
            if (hit.severity or r.severity) == "error":
                field = hit.alibaba.field if isinstance(hit.alibaba, Source) else hit.alibaba
                out.append(ErrorHit(r.code, hit.deviation,
                                    step_of(r.code, field if isinstance(field, str) else None,
                                            pair.ali.ike.version)))
    return out


def verdicts(lab: Lab, ali: Side, dev: Side, tmp: Path) -> Verdicts:
    """Both configs through our parsers and the rules; the two sides as the scenario means them through a
    real negotiation."""
    cpath, dpath = tmp / "connection.json", tmp / "device.cfg"
    cpath.write_text(alibaba_json(ali))
    dpath.write_text(ios_config(dev))
    tunnels = alibaba.load(str(cpath))
    device = parse_device(dpath.read_text(), str(dpath))
    results = check(tunnels, device)
    errors = [f for r in results for f in r.findings if f.severity == "error" and not f.suppressed]
    hits = error_hits(tunnels, device)
    # the hits are the pipeline's errors (nothing suppressed in generated configs): the same codes
    assert sorted({h.code for h in hits}) == sorted({f.code for f in errors}), \
        f"rule hits {sorted({h.code for h in hits})} vs findings {sorted({f.code for f in errors})}"
    # Alibaba negotiates one SA for all its CIDR pairs (rule MultiCidrPerSa); IOS one per crypto-ACL line
    outcome = lab.negotiate(render(ali, LAB_ALI_IP, LAB_DEV_IP, per_pair=False, alibaba=True),
                            render(dev, LAB_DEV_IP, LAB_ALI_IP, per_pair=True, alibaba=False))
    return Verdicts(tunnels[0], errors, hits, outcome)
