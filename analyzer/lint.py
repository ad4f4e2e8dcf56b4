"""Device-only lint: one device config against what Alibaba supports, without the connection JSON.
Runs the rules that have a device-only form (``Rule.lint``); the Alibaba-side fields stay empty."""
from __future__ import annotations

from analyzer.checker import apply_suppressions, finding_of, sort_findings
from analyzer.findings import Finding, PairResult
from analyzer.fixes import fixer_for
from analyzer.model import DeviceConfig
from analyzer.rules import LintTarget, all_rules


def lint(device: DeviceConfig, disabled: frozenset[str] = frozenset()) -> PairResult:
    fixer = fixer_for(device.vendor)
    findings: list[Finding] = []
    seen: set[tuple] = set()
    for r in all_rules():
        if r.lint is None or r.code in disabled:
            continue
        targets = [LintTarget(device, ep, fixer) for ep in device.endpoints] if r.needs_endpoint \
            else [LintTarget(device, None, fixer)]
        for t in targets:
            for hit in r.lint(t):
                f = finding_of(r, hit)
                f.alibaba = None  # nothing on the Alibaba side was read
                key = (f.code, f.message, f.device.line if f.device else None)
                if key not in seen:  # one line shared by several endpoints is reported once
                    seen.add(key)
                    findings.append(f)
    apply_suppressions(findings, device)
    sort_findings(findings)
    names = ", ".join(ep.name for ep in device.endpoints)
    return PairResult(connection=None, tunnel=None, alibaba_file=None, device=device.file, vendor=device.vendor,
                      endpoint=names or None, findings=findings)
