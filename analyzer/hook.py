"""The pre-commit hook: the committed device configs, checked as the repository's `.ipsec-preflight.toml`
says. Files in which no device vendor is recognised are not device configs and are passed over (unless
the settings list device globs, which makes them errors)."""
from __future__ import annotations

import os
import sys

from analyzer import __version__
from analyzer.findings import RANK, InputProblem, Report

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def _is_device_text(path: str) -> bool:
    from parsers.common import InputError, read_text
    from parsers.registry import detect_vendor

    try:
        return detect_vendor(read_text(path)) is not None
    except InputError:
        return True  # unreadable: let the audit report it with its reason


def run_hook(files: list[str], config: str | None, fmt: str) -> int:
    from analyzer import project_config
    from analyzer.audit import is_json_file, run_audit, to_report
    from analyzer.cli import _err
    from parsers.common import InputError

    path = config or project_config.FILENAME
    try:
        cfg = project_config.load(path) if os.path.exists(path) else project_config.ProjectConfig()
    except InputError as exc:
        _err(f"ipsec-preflight: {exc}")
        return EXIT_INPUT
    devices = []
    for f in files:
        if not os.path.isfile(f) or is_json_file(f) or not cfg.is_device(f):
            continue
        if cfg.devices or _is_device_text(f):
            devices.append(f)
    alibaba = cfg.alibaba_files()
    problems = []
    if cfg.alibaba and not alibaba:
        problems.append(InputProblem(file=path, message=f"alibaba = {cfg.alibaba}: no file matches"))
    if not devices:
        for p in problems:
            _err(f"ipsec-preflight: {p.file}: {p.message}")
        return EXIT_INPUT if problems else EXIT_OK
    result = run_audit(alibaba + devices, cfg.mapping, cfg.disable, jobs=None, lint_unpaired=True)
    report = to_report(result, __version__)
    report.errors = problems + report.errors
    failing = 0
    for p in report.pairs:
        level, disabled = cfg.for_file(p.device)
        p.findings = [f for f in p.findings if f.code not in disabled]
        failing += sum(1 for f in p.findings if not f.suppressed and RANK[f.severity] >= RANK[level])
    sys.stdout.write(_render(report, fmt, len(devices)))
    if report.errors:
        return EXIT_INPUT
    return EXIT_FINDINGS if failing else EXIT_OK


def _render(report: Report, fmt: str, n_devices: int) -> str:
    from analyzer.reporters.terminal import json_safe, safe_lines

    if fmt == "json":
        report.audit = None
        return json_safe(report.model_dump_json(indent=2) + "\n")
    if fmt == "sarif":
        from analyzer.reporters.sarif import render
        return json_safe(render(report))
    if fmt == "html":
        from analyzer.reporters.html import render
        return render(report)
    from analyzer.reporters.audit_text import finding_line

    out = []
    for p in report.pairs:
        context = f"  [{p.connection}/{p.tunnel or '-'}]" if p.alibaba_file else "  [lint]"
        for f in p.findings:
            out.append(finding_line(f, p.device, context))
            if f.fix and not f.suppressed:
                out.extend("    " + line for line in f.fix.removesuffix("\n").split("\n"))
    for e in report.errors:
        out.append(f"{e.file}{':' + str(e.line) if e.line else ''}: input error: {e.message}")
    counts = {"error": 0, "warning": 0, "info": 0}
    for p in report.pairs:
        for f in p.findings:
            if not f.suppressed:
                counts[f.severity] += 1
    out.append(f"ipsec-preflight: {n_devices} device config(s): {counts['error']} error(s), {counts['warning']} "
               f"warning(s), {counts['info']} info")
    return safe_lines(out)  # each line's control characters escaped (analyzer/reporters/terminal.py)
