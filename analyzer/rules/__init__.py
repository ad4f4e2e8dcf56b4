"""The rule registry. A rule is one small unit: code, severity, the catalog text it implements, a fix
hint and a check. Rules register themselves with ``@rule``; adding one means adding a function here or
in a sibling module listed in ``_MODULES`` - no central if-chain."""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable

from analyzer.findings import Severity

_MODULES = ("addressing", "ike", "ipsec", "compat", "selectors", "faq", "device", "cross", "pairing", "plan")


@dataclass(frozen=True)
class Deviation:
    """Where Alibaba documents stricter behaviour than the IKE/IPsec protocol: the rule reports an error that a
    protocol-conforming peer would not produce (tests/interop checks this is the only reason they disagree)."""
    name: str
    text: str  # what Alibaba requires, and what the protocol allows
    source: str  # Alibaba's document saying so


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity  # the usual severity; a check may raise or lower it for one finding
    title: str
    catalog: str  # the text of error-catalog.md this rule implements
    check: Callable[..., Iterable]
    alibaba_code: str | None = None
    needs_endpoint: bool = True
    doc: str = ""  # the first paragraph of the check's docstring: one line for `rules` and the table of docs/rules.md
    notes: str = ""  # the docstring's further paragraphs (limits, when the rule can fire), in docs/rules.md only
    # Device-only form for `ipsec-preflight lint`: checks one endpoint against what Alibaba supports
    # (no connection JSON). Called with a LintTarget; None = the rule needs the Alibaba side.
    lint: Callable[..., Iterable] | None = None
    scope: str = "pair"  # "pair": one tunnel vs one device; "audit": across all connections of an audit
    deviations: tuple[Deviation, ...] = ()


@dataclass
class Hit:
    """What a check yields; the engine turns it into a Finding with the rule's metadata."""
    message: str
    alibaba: object = None  # a Source (Alibaba field) or None
    alibaba_value: object = None
    device: object = None  # a Source (device line or default) or None
    fix: str | None = None
    severity: Severity | None = None
    # Required whenever ``severity`` differs from the rule's registry severity: why this finding is rated
    # differently (shown in the message and as Finding.severity_reason; tests/test_rules_truth.py checks it).
    severity_reason: str | None = None
    extra: dict = field(default_factory=dict)
    related: list = field(default_factory=list)  # audit rules: the connections/tunnels involved
    # The name of the rule's Deviation when the hit exists only because Alibaba is stricter than the protocol
    # (a protocol-conforming peer would negotiate through it); None for a failure the protocol also has.
    deviation: str | None = None


REGISTRY: dict[str, Rule] = {}


def _docs(fn: Callable) -> dict:
    """doc (first paragraph, joined into one line) and notes (the rest) of a check's docstring."""
    import inspect

    paras = [" ".join(p.split()) for p in inspect.cleandoc(fn.__doc__ or "").split("\n\n") if p.strip()]
    return {"doc": paras[0] if paras else "", "notes": "\n\n".join(paras[1:])}


def rule(code: str, severity: Severity, title: str, catalog: str, alibaba_code: str | None = "same",
         needs_endpoint: bool = True, lint: bool = False, deviations: tuple[Deviation, ...] = ()):
    """Register a check. ``lint=True``: the same check also works device-only (it reads only
    ``pair.endpoint``, ``pair.device`` and ``pair.fixer``)."""
    def register(fn: Callable) -> Callable:
        if code in REGISTRY:
            raise ValueError(f"duplicate rule code {code}")
        REGISTRY[code] = Rule(code=code, severity=severity, title=title, catalog=catalog, check=fn,
                              alibaba_code=code if alibaba_code == "same" else alibaba_code,
                              needs_endpoint=needs_endpoint, **_docs(fn), lint=fn if lint else None,
                              deviations=deviations)
        return fn
    return register


def audit_rule(code: str, severity: Severity, title: str, catalog: str, alibaba_code: str | None = None):
    """Register a cross-connection check; it gets an AuditView (every tunnel and what it paired with)."""
    def register(fn: Callable) -> Callable:
        if code in REGISTRY:
            raise ValueError(f"duplicate rule code {code}")
        REGISTRY[code] = Rule(code=code, severity=severity, title=title, catalog=catalog, check=fn,
                              alibaba_code=alibaba_code, needs_endpoint=False, **_docs(fn), scope="audit")
        return fn
    return register


def lint_of(code: str):
    """Attach a device-only check to an already registered rule (same code, metadata and docs)."""
    def register(fn: Callable) -> Callable:
        REGISTRY[code] = replace(REGISTRY[code], lint=fn)
        return fn
    return register


@dataclass
class LintTarget:
    """What a lint check sees: one device endpoint (None for device-wide checks), no Alibaba side."""
    device: object
    endpoint: object
    fixer: object
    ali = None
    tunnel = None


def all_rules() -> list[Rule]:
    for name in _MODULES:
        importlib.import_module(f"analyzer.rules.{name}")
    # module order, then definition order: the same whichever module a caller happened to import first
    return sorted(REGISTRY.values(), key=lambda r: _MODULES.index(r.check.__module__.rsplit(".", 1)[1]))
