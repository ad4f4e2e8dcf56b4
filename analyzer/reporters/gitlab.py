"""GitLab Code Quality JSON: an array of issues with description, check_name, fingerprint, severity,
location.path (relative to the repository root) and location.lines.begin, the fields GitLab reads ("Code
Quality", "Implement a custom tool", docs.gitlab.com/ee/ci/testing/code_quality.html; its parser validates each
issue against app/validators/json_schemas/codeclimate.json and keys issues by fingerprint, so fingerprints are
unique per report). Input files that could not be checked are issues too (`blocker`): a report that checked
nothing is not an empty, clean one. Suppressed findings are left out (GitLab has no suppression state)."""
from __future__ import annotations

import hashlib
import json

from analyzer import fingerprint
from analyzer.findings import Finding, Report
from analyzer.reporters.terminal import json_safe
from analyzer.src_root import first_file, is_file, shown

SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def _issue(check: str, description: str, fp: str, severity: str, file: str | None, line: int | None,
           categories: list[str]) -> dict:
    return {"type": "issue", "check_name": check, "description": description, "categories": categories,
            "fingerprint": fp, "severity": severity,
            "location": {"path": shown(file) if file else "(audit)", "lines": {"begin": line or 1}}}


def _finding(f: Finding, fallback: str | None, context: str) -> dict:
    d, a = f.device, f.alibaba
    if d and d.file and d.line:
        file, line = d.file, d.line
    elif a and a.file and a.line and is_file(a.file):
        file, line = a.file, a.line
    else:
        file, line = first_file(d.file if d else None, a.file if a else None, fallback), 1
    text = f.message + (f" [{context}]" if context else "")
    return _issue(f.code, text, f.fingerprint, SEVERITY[f.severity], file, line,
                  ["Bug Risk"] if f.severity != "info" else ["Clarity"])


def _input(kind: str, message: str, file: str, line: int | None, severity: str) -> dict:
    fp = hashlib.sha256(f"{fingerprint.VERSION}\x1f{kind}\x1f{shown(file)}\x1f{message}".encode(
        "utf-8", "surrogatepass")).hexdigest()
    return _issue(kind, message, fp, severity, file, line, ["Bug Risk"])


def _unique(issues: list[dict]) -> None:
    """GitLab keys issues by fingerprint: equal ones (one file named twice on the command line, `lint X ./X`)
    are numbered in report order."""
    seen: dict[str, int] = {}
    for issue in issues:
        fp = issue["fingerprint"]
        n = seen.get(fp, 0)
        seen[fp] = n + 1
        if n:
            issue["fingerprint"] = hashlib.sha256(f"{fp}\x1f#{n}".encode()).hexdigest()


def render(report: Report) -> str:
    fingerprint.ensure(report)
    issues = []
    for p in report.pairs:
        context = " ".join(x for x in (p.connection, p.tunnel) if x)
        issues += [_finding(f, first_file(f.alibaba.file if f.alibaba else None, p.alibaba_file, p.device), context)
                   for f in p.findings if not f.suppressed]
    if report.audit:
        issues += [_finding(f, f.alibaba.file if f.alibaba else None, ", ".join(f.related))
                   for f in report.audit.cross if not f.suppressed]
        issues += [_input("InputNote", n.message, n.file, n.line, "info") for n in report.audit.notes]
    issues += [_input("InputNotChecked", e.message, e.file, e.line, "blocker") for e in report.errors]
    _unique(issues)
    return json_safe(json.dumps(issues, indent=2, ensure_ascii=False)) + "\n"
