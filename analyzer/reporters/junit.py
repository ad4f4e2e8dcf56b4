"""JUnit XML for CI test-report views (GitLab `artifacts:reports:junit`, Jenkins, Azure DevOps): one test case
per pair (Alibaba tunnel vs device tunnel), a <failure> per error finding, warnings and info in the test case's
<system-out>; an input that could not be checked is a test case with an <error>, and a report that checked
nothing at all is one too. Shape: the Jenkins xUnit plugin's junit-10.xsd (several failures and a system-out per
test case). Deterministic: no timestamp, no host name, time 0."""
from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from analyzer.findings import Finding, Report
from analyzer.src_root import shown

# XML 1.0 cannot carry C0 controls other than tab/LF/CR, nor lone surrogates or U+FFFE/FFFF; C1 controls and
# bidi overrides would act in a viewer (as in analyzer.reporters.terminal): all shown as escapes.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
                      "\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else
                        f"\\u{ord(m.group()):04x}", text)


def _text(text: str) -> str:
    return escape(_clean(text))


def _attr(text: str) -> str:
    return quoteattr(_clean(text), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


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
    lines = [f"{f.code} ({f.severity}{', suppressed' if f.suppressed else ''}): {f.message}"]
    if where := _at(f):
        lines.append(f"  at {where}")
    if f.fix and f.fix.device:
        lines += ["  fix on the device:"] + [f"    {c}" for c in f.fix.device]
    if f.fix and f.fix.alibaba:
        lines.append("  or on Alibaba: " + ", ".join(f"{k} = {v}" for k, v in f.fix.alibaba.items()))
    if f.fix and f.fix.note:
        lines.append(f"  note: {f.fix.note}")
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


def _error_case(name: str, classname: str, message: str) -> list[str]:
    return [f"    <testcase name={_attr(name)} classname={_attr(classname)} time=\"0\">",
            f"      <error type=\"InputNotChecked\" message={_attr(message)}>{_text(message)}</error>",
            "    </testcase>"]


def render(report: Report) -> str:
    cases: list[str] = []
    tests = failures = errors = 0
    for p in report.pairs:
        side = " ".join(x for x in (p.connection, p.tunnel) if x) or (shown(p.alibaba_file) if p.alibaba_file
                                                                       else "lint")
        name = f"{side} <-> {p.endpoint or 'no device tunnel'}"
        lines, failed = _case(name, shown(p.device), p.findings)
        cases += lines
        tests += 1
        failures += failed
    if report.audit and report.audit.cross:
        lines, failed = _case("cross-connection rules", "audit", report.audit.cross)
        cases += lines
        tests += 1
        failures += failed
    for e in report.errors:
        cases += _error_case(f"{shown(e.file)}{f':{e.line}' if e.line else ''}", shown(e.file), e.message)
        tests += 1
        errors += 1
    if not tests:  # no silent pass: an empty suite would read as green
        cases += _error_case("nothing checked", "ipsec-preflight", "no tunnel pair, device or connection was checked")
        tests = errors = 1
    head = f"tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\""
    return "\n".join(['<?xml version="1.0" encoding="UTF-8"?>',
                      f"<testsuites name=\"ipsec-preflight\" {head} time=\"0\">",
                      f"  <testsuite name=\"ipsec-preflight\" {head} skipped=\"0\" time=\"0\">",
                      *cases, "  </testsuite>", "</testsuites>"]) + "\n"
