"""JUnit XML for CI test-report views (GitLab `artifacts:reports:junit`, Jenkins, Azure DevOps): one test case
per pair (Alibaba tunnel vs device tunnel), a <failure> per error finding, warnings and info in the test case's
<system-out>; an input that could not be checked is a test case with an <error>, and a report that checked
nothing at all is one too. Shape: the Jenkins xUnit plugin's junit-10.xsd (several failures and a system-out per
test case). Deterministic: no timestamp, no host name, time 0."""
from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from analyzer.findings import Finding, Report
from analyzer.i18n import _
from analyzer.reporters.ci_summary import baseline_sentence, coverage, severity_word
from analyzer.src_root import shown

# XML 1.0 cannot carry C0 controls other than tab/LF/CR, nor lone surrogates or U+FFFE/FFFF; C1 controls and
# bidi overrides would act in a viewer (as in analyzer.reporters.terminal): all shown as escapes.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
                      "\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else
                        f"\\u{ord(m.group()):04x}", text)


# A CI log that prints this file must not run a workflow command from it (analyzer.reporters.terminal): the `[`
# of a `##[` and a `:` starting a line become character references, the same text to an XML reader.
_LEGACY_COMMAND = re.compile(r"(?<=##)\[")
_LEADING_COMMAND = re.compile(r"(^|\n)([ \t]*):", re.M)


def _no_commands(xml: str) -> str:
    return _LEADING_COMMAND.sub(r"\1\2&#58;", _LEGACY_COMMAND.sub("&#91;", xml))


def _text(text: str) -> str:
    return _no_commands(escape(_clean(text)))


def _attr(text: str) -> str:
    return _no_commands(quoteattr(_clean(text), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}))


def _at(f: Finding) -> str:
    """The device line, else the Alibaba field's line, else the file named (as SARIF locates a result)."""
    d, a = f.device, f.alibaba
    field = f" ({a.field})" if a and a.field else ""
    if d and d.file and d.line:
        return f"{shown(d.file)}:{d.line}"
    if a and a.file and a.line:
        return f"{shown(a.file)}:{a.line}{field}"
    if d and d.file:
        return shown(d.file)
    return f"{shown(a.file)}{field}" if a and a.file else ""


def _detail(f: Finding) -> str:
    state = severity_word(f.severity) + (_(", suppressed") if f.suppressed else "")
    lines = [_("{code} ({state}): {message}").format(code=f.code, state=state, message=f.message)]
    if where := _at(f):
        lines.append(_("  at {where}").format(where=where))
    if f.fix and f.fix.device:
        lines += [_("  fix on the device:")] + [f"    {c}" for c in f.fix.device]
    if f.fix and f.fix.alibaba:
        lines.append(_("  or on Alibaba: {fields}").format(
            fields=", ".join(f"{k} = {v}" for k, v in f.fix.alibaba.items())))
    if f.fix and f.fix.note:
        lines.append(_("  note: {note}").format(note=f.fix.note))
    return "\n".join(lines)


def _case(name: str, classname: str, findings: list[Finding]) -> tuple[list[str], bool]:
    out = [f"    <testcase name={_attr(name)} classname={_attr(classname)} time=\"0\">"]
    failed = False
    for f in findings:
        if f.severity == "error" and not f.suppressed:
            failed = True
            out.append(f"      <failure type={_attr(f.code)} message={_attr(f.message)}>{_text(_detail(f))}</failure>")
    rest = [_detail(f) for f in findings if f.severity != "error" or f.suppressed]
    if rest:
        out.append(f"      <system-out>{_text(chr(10).join(rest))}</system-out>")
    out.append("    </testcase>")
    return out, failed


def _error_case(name: str, classname: str, message: str, kind: str = "InputNotChecked") -> list[str]:
    return [f"    <testcase name={_attr(name)} classname={_attr(classname)} time=\"0\">",
            f"      <error type={_attr(kind)} message={_attr(message)}>{_text(message)}</error>",
            "    </testcase>"]


def render(report: Report) -> str:
    cases: list[str] = []
    tests = failures = errors = 0
    for p in report.pairs:
        side = " ".join(x for x in (p.connection, p.tunnel) if x) or (shown(p.alibaba_file) if p.alibaba_file
                                                                       else "lint")
        name = f"{side} <-> " + (p.endpoint or _("no device tunnel"))
        lines, failed = _case(name, shown(p.device), p.findings)
        cases += lines
        tests += 1
        failures += failed
    if report.audit and report.audit.cross:
        lines, failed = _case(_("cross-connection rules"), "audit", report.audit.cross)
        cases += lines
        tests += 1
        failures += failed
    for e in report.errors:
        cases += _error_case(f"{shown(e.file)}{f':{e.line}' if e.line else ''}", shown(e.file), e.message)
        tests += 1
        errors += 1
    covered = coverage(report)
    if covered.nothing:  # no silent pass: a suite with no tunnel compared or linted would read as green
        cases += _error_case(_("nothing checked"), "ipsec-preflight",
                             _("no tunnel was checked: {coverage}").format(coverage=covered.sentence()),
                             kind="NothingChecked")
        tests += 1
        errors += 1
    head = f"tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\""
    return "\n".join(['<?xml version="1.0" encoding="UTF-8"?>',
                      f"<testsuites name=\"ipsec-preflight\" {head} time=\"0\">",
                      f"  <testsuite name=\"ipsec-preflight\" {head} skipped=\"0\" time=\"0\">",
                      *_properties(report, covered), *cases, *_suite_out(report), "  </testsuite>",
                      "</testsuites>"]) + "\n"


def _properties(report: Report, covered) -> list[str]:
    """What the run covered and what --baseline left out, as suite properties (junit-10.xsd: before the cases)."""
    props = [("coverage", covered.sentence())]
    if report.baseline is not None:
        props += [("baselined", str(report.baseline.baselined)), ("baseline", baseline_sentence(report))]
    return (["    <properties>"] + [f"      <property name={_attr(k)} value={_attr(v)}/>" for k, v in props]
            + ["    </properties>"])


def _suite_out(report: Report) -> list[str]:
    """The audit's input notes (a DescribeVpnConnections page of a longer list...) and the baseline, in the
    suite's system-out: said, not failing."""
    note = _("note: {where}: {message}")
    lines = [note.format(where=f"{shown(n.file)}{f':{n.line}' if n.line else ''}", message=n.message)
             for n in [*(report.audit.notes if report.audit else []), *report.notes]]
    if baselined := baseline_sentence(report):
        lines.append(baselined)
    return [f"    <system-out>{_text(chr(10).join(lines))}</system-out>"] if lines else []
