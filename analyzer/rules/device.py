"""What the parser could not understand or resolve: reported as findings, never silently dropped."""
from __future__ import annotations

from analyzer.i18n import N_, _
from analyzer.model import Source
from analyzer.rules import Hit, lint_of, rule


def _hit(d) -> Hit:
    from analyzer.fingerprint import message_words

    # the object is the parser's own words, before the severity reason is added in the output language
    return Hit(d.message, device=Source(file=d.file, line=d.line, text=d.text), severity=d.severity,
               severity_reason=_DIAG_REASON.get(d.severity), extra={"object": message_words(d.message)})


# DeviceConfigIncomplete is an error and UnparsedConfig info; a parser diagnostic rated otherwise says why.
_DIAG_REASON = {"warning": N_("rated by the device parser: the line or object was set aside and the rest checked, "
                              "not a reference the tunnel depends on")}


@rule("DeviceConfigIncomplete", "error", N_("Device configuration incomplete"),
      N_("Static hints: references to undefined objects, crypto maps applied nowhere, entries without peer or ACL."),
      alibaba_code=None, needs_endpoint=False)
def incomplete(pair):
    """Undefined references and incomplete entries on the device (errors and warnings from the parser)."""
    for d in pair.device.diagnostics:
        if d.severity != "info":
            yield _hit(d)
    if pair.endpoint is not None:
        for d in pair.endpoint.notes:
            if d.severity != "info":
                yield _hit(d)


@rule("UnparsedConfig", "info", N_("Line not understood"),
      N_("Transparency: a line inside an IPsec block that the parser does not understand is reported, not "
         "dropped."), alibaba_code=None, needs_endpoint=False)
def unparsed(pair):
    """Lines inside IPsec blocks that the parser does not understand, and informational notes."""
    for d in pair.device.diagnostics:
        if d.severity == "info":
            yield _hit(d)
    if pair.endpoint is not None:
        for d in pair.endpoint.notes:
            if d.severity == "info":
                yield _hit(d)


@rule("InvalidSuppression", "warning", N_("Inline suppression names no rule"),
      N_("Transparency: an `ipsec-preflight: disable=` comment whose code is not a rule code suppresses nothing "
         "(a typo would otherwise hide nothing and be trusted)."), alibaba_code=None, needs_endpoint=False, lint=True)
def invalid_suppression(pair):
    """Suppression comments must name existing rule codes (see `ipsec-preflight rules`)."""
    from analyzer.rules import REGISTRY

    for s in pair.device.suppressions:
        for code in s.codes:
            if code not in REGISTRY:
                yield Hit(_("suppression names {code!r}, which is not a rule code; it suppresses nothing").format(
                          code=code), device=Source(file=pair.device.file, line=s.line, text=s.text),
                          fix=_("use a code from `ipsec-preflight rules` (case-sensitive)"))


def _all_diagnostics(t):
    yield from t.device.diagnostics
    for ep in t.device.endpoints:
        yield from ep.notes


@lint_of("DeviceConfigIncomplete")
def lint_incomplete(t):
    for d in _all_diagnostics(t):
        if d.severity != "info":
            yield _hit(d)


@lint_of("UnparsedConfig")
def lint_unparsed(t):
    for d in _all_diagnostics(t):
        if d.severity == "info":
            yield _hit(d)
