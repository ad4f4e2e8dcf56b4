"""The pre-commit hook: the committed files checked as the repository's `.ipsec-preflight.toml` says.

Each committed file is a device config (checked), an Alibaba JSON file named by the settings (the device
configs of the repository that pair with its connections are re-checked), or ignored for a stated reason.
One summary line always says which was which, also when the hook passes."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

from analyzer import __version__
from analyzer.findings import RANK, InputProblem, PairResult, Report

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
_SKIP_DIRS = {"__pycache__", "venv", "node_modules"}  # and every hidden folder (.git, .venv, ...)
_NAMES_SHOWN = 5  # ignored files named per reason in the summary line


@dataclass
class Plan:
    """The commit's files sorted out (paths relative to the current folder)."""
    devices: list[str] = field(default_factory=list)
    alibaba_changed: list[str] = field(default_factory=list)
    ignored: dict[str, list[str]] = field(default_factory=dict)  # reason -> files
    problems: list[InputProblem] = field(default_factory=list)


def _not_a_device(path: str, walking: bool = False) -> str | None:
    """Why PATH is not a device config, or None when a device vendor is recognised in it. A file that
    cannot be read counts as a device config (the audit then reports why), except when WALKING the
    repository for candidates: there only a recognised vendor makes one."""
    from parsers.common import InputError, read_text
    from parsers.registry import detect_vendor

    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
        # read_text's binary test: NUL bytes without a UTF-16 byte-order mark
        if b"\0" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "binary files"
        text = read_text(path)
    except (OSError, InputError):
        return "unreadable" if walking else None
    return None if detect_vendor(text) is not None else "not device configs"


def _is_json(path: str) -> bool:
    from analyzer.audit import is_json_file

    try:
        return is_json_file(path)
    except OSError:
        return False  # unreadable: reported with its reason where the file is read


def plan(files: list[str], cfg, settings: str | None) -> Plan:
    """Each committed file: a device config, a changed Alibaba file, an input problem, or ignored and why."""
    out = Plan()
    for f in files:
        if not os.path.exists(f):
            out.problems.append(InputProblem(file=f, message="no such file"))
        elif os.path.isdir(f):
            out.problems.append(InputProblem(file=f, message="a folder: the hook takes files (`audit` walks folders)"))
        elif cfg.excluded(f):
            out.ignored.setdefault("excluded by the settings", []).append(f)
        elif cfg.is_alibaba(f):
            out.alibaba_changed.append(f)
        elif _is_json(f):
            why = "JSON not named by `alibaba`" if settings else "JSON, and no settings file names Alibaba files"
            out.ignored.setdefault(why, []).append(f)
        elif cfg.devices:
            if cfg.is_device(f):
                out.devices.append(f)  # named a device config: a file we cannot parse is an error, not ignored
            else:
                out.ignored.setdefault("not matched by `devices`", []).append(f)
        elif (why := _not_a_device(f)) is None:
            out.devices.append(f)
        else:
            out.ignored.setdefault(why, []).append(f)
    return out


def _repository_devices(cfg) -> list[str]:
    """Every device config of the repository: the `devices` globs, or (unset) each file under the settings'
    folder in which a device vendor is recognised. Excluded and JSON files are left out."""
    named = cfg.device_files()
    if named is not None:
        return named
    out = []
    for folder, dirs, names in os.walk(cfg.root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(names):
            full = os.path.join(folder, name)
            if os.path.isfile(full) and not cfg.excluded(full) and not cfg.is_alibaba(full) \
                    and not _is_json(full) and _not_a_device(full, walking=True) is None:
                out.append(full)
    return out


def _here(path: str) -> str:
    return os.path.relpath(path)


def run_hook(files: list[str], config: str | None, fmt: str) -> int:
    from analyzer import project_config
    from analyzer.audit import AuditResult, run_audit, to_report
    from analyzer.cli import _err
    from parsers.common import InputError

    settings = config or project_config.find(".")
    try:
        cfg = project_config.load(settings) if settings else project_config.ProjectConfig(root=os.getcwd())
    except InputError as exc:
        _err(f"ipsec-preflight: {exc}")
        return EXIT_INPUT
    work = plan(files, cfg, settings)
    alibaba = [_here(f) for f in cfg.alibaba_files()]
    if cfg.alibaba and not alibaba:
        work.problems.append(InputProblem(file=_here(settings), message=f"alibaba = {cfg.alibaba}: no file matches"))
    committed = {os.path.normpath(f) for f in work.devices}
    extra: list[str] = []
    if work.alibaba_changed and alibaba:
        extra = [d for d in map(_here, _repository_devices(cfg)) if os.path.normpath(d) not in committed]
    if work.devices or work.alibaba_changed:
        result = run_audit(alibaba + work.devices + extra, cfg.mapping, cfg.disable, jobs=None, lint_unpaired=True)
    else:
        result = AuditResult([], [], [], [], 0, not cfg.alibaba)
    because = _keep_relevant(result, committed, {os.path.normpath(f) for f in work.alibaba_changed})
    report = to_report(result, __version__)
    report.errors = work.problems + report.errors
    _attach_unpaired(report)
    failing = 0
    for p in report.pairs:
        level, disabled = cfg.for_file(p.device)
        p.findings = [f for f in p.findings if f.code not in disabled]
        failing += sum(1 for f in p.findings if not f.suppressed and RANK[f.severity] >= RANK[level])
    line = summary(report, work, because, settings, bool(cfg.alibaba))
    sys.stdout.write(_render(report, fmt, line))
    if fmt != "text":
        _err(line)  # stdout holds the report document; the line is still shown
    if report.errors:
        return EXIT_INPUT
    return EXIT_FINDINGS if failing else EXIT_OK


def _attach_unpaired(report: Report) -> None:
    """A checked device's tunnel that no connection pairs with is a finding of that device (the audit keeps it
    among the cross-connection findings, which the hook does not print); Alibaba tunnels left unpaired are
    not: a commit checks a few devices, not every connection."""
    if report.audit is None:
        return
    by_file: dict[str, PairResult] = {}
    for p in report.pairs:
        by_file.setdefault(os.path.normpath(p.device), p)
    for f in report.audit.cross:
        where = f.device.file if f.code == "UnpairedDeviceTunnel" and f.device else None
        target = by_file.get(os.path.normpath(where)) if where else None
        if target is not None:
            target.findings.append(f)


def _keep_relevant(result, committed: set[str], changed: set[str]) -> dict[str, list[str]]:
    """Keep the committed devices and those re-checked because a changed Alibaba file pairs with them (or
    could not be read, so whether it pairs is unknown); returns {changed JSON: [devices re-checked]}."""
    because: dict[str, list[str]] = {f: [] for f in sorted(changed)}
    kept = []
    for o in result.outcomes:
        if os.path.normpath(o.file) in committed:
            kept.append(o)
            continue
        hits = sorted({os.path.normpath(r.alibaba_file) for r in o.results if r.alibaba_file} & changed)
        if hits or o.error:
            kept.append(o)
        for h in hits:
            because[h].append(o.file)
    result.outcomes = kept
    return because


def _names(files: list[str]) -> str:
    shown = ", ".join(files[:_NAMES_SHOWN])
    return shown + (f" and {len(files) - _NAMES_SHOWN} more" if len(files) > _NAMES_SHOWN else "")


def summary(report: Report, work: Plan, because: dict[str, list[str]], settings: str | None,
            compares: bool) -> str:
    """One line: what was checked against what, what was linted alone, what was ignored and why."""
    compared: dict[str, set[str]] = {}
    linted: set[str] = set()
    for p in report.pairs:
        if p.alibaba_file:
            compared.setdefault(p.device, set()).add(p.connection or "?")
        else:
            linted.add(p.device)
    linted -= set(compared)
    parts = []
    if compared:
        conns = set().union(*compared.values())
        part = f"{len(compared)} device config(s) checked against {len(conns)} connection(s)"
        rechecked = [f"{_names(devs)} because {j} changed" for j, devs in because.items() if devs]
        parts.append(part + (f" ({'; '.join(rechecked)})" if rechecked else ""))
    if linted:
        why = "no connection pairs" if compares else "the settings name no Alibaba JSON"
        parts.append(f"{len(linted)} linted only ({why})")
    for j, devs in because.items():
        if not devs:
            parts.append(f"{j} changed: no device config of the repository pairs with its connections")
    if report.errors:
        parts.append(f"{len(report.errors)} input error(s)")
    if not compared and not linted:
        parts.insert(0, "no device config checked")
    ignored = sum(len(v) for v in work.ignored.values())
    if ignored:
        reasons = "; ".join(f"{why}: {_names(fs)}" for why, fs in work.ignored.items())
        parts.append(f"{ignored} file(s) ignored ({reasons})")
    if not settings:
        parts.append("no .ipsec-preflight.toml found from here up to the repository root")
    counts = {"error": 0, "warning": 0, "info": 0}
    for p in report.pairs:
        for f in p.findings:
            if not f.suppressed:
                counts[f.severity] += 1
    return (f"ipsec-preflight: {', '.join(parts)}; {counts['error']} error(s), {counts['warning']} warning(s), "
            f"{counts['info']} info")


def _render(report: Report, fmt: str, summary_line: str) -> str:
    from analyzer.reporters.terminal import json_safe

    if fmt == "text":
        return _render_text(report, str(summary_line))
    if fmt == "json":
        report.audit = None
        return json_safe(report.model_dump_json(indent=2) + "\n")
    if fmt == "sarif":
        from analyzer.reporters.sarif import render
        return json_safe(render(report))
    from analyzer.reporters.html import render
    return render(report)


def _render_text(report: Report, summary_line: str) -> str:
    from analyzer.reporters.audit_text import finding_line, fix_block
    from analyzer.reporters.terminal import safe_lines

    out = []
    for p in report.pairs:
        context = f"  [{p.connection}/{p.tunnel or '-'}]" if p.alibaba_file else "  [lint]"
        for f in p.findings:
            out.append(finding_line(f, p.device, context))
            out.extend(fix_block(f))
    for e in report.errors:
        out.append(f"{e.file}{':' + str(e.line) if e.line else ''}: input error: {e.message}")
    out.append(summary_line)
    return safe_lines(out)  # each line's control characters escaped (analyzer/reporters/terminal.py)
