"""The pre-commit hook: the committed files checked as the `.ipsec-preflight.toml` nearest to each says.

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
_ALIBABA = "alibaba"  # vendor of the results that carry an Alibaba file's own findings (no device compared)


@dataclass
class Plan:
    """The commit's files sorted out (paths relative to the current folder)."""
    devices: list[str] = field(default_factory=list)
    alibaba_changed: list[str] = field(default_factory=list)
    ignored: dict[str, list[str]] = field(default_factory=dict)  # reason -> files
    problems: list[InputProblem] = field(default_factory=list)


def _is_terraform(path: str) -> bool:
    """A Terraform source or variables file: the Alibaba side, read per root module."""
    return path.lower().endswith((".tf", ".tfvars"))


def _terraform_inputs(files: list[str], top: str) -> tuple[list[str], set[str]]:
    """For the committed Terraform files: one .tf file of each root module using them (audit reads its folder;
    a child module alone has no values), and the folders whose connections they change."""
    from analyzer.audit import is_terraform_file, terraform_callers, terraform_tree

    inputs: list[str] = []
    folders: set[str] = set()
    for folder in dict.fromkeys(os.path.dirname(f) or "." for f in files if _is_terraform(f)):
        for root in terraform_callers(folder, top):
            tf = sorted(n for n in os.listdir(root) if is_terraform_file(n)) if os.path.isdir(root) else []
            if tf:
                inputs.append(_here(os.path.join(root, tf[0])))
                folders |= terraform_tree(root)
    return list(dict.fromkeys(inputs)), folders


def _not_a_device(path: str, walking: bool = False) -> str | None:
    """Why PATH is not a device config, or None when a device vendor is recognised in it. A file that
    cannot be read counts as a device config (the audit then reports why), except when WALKING the
    repository for candidates: there only a recognised vendor makes one."""
    from parsers.common import InputError, read_text
    from parsers.registry import detect_vendor

    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
        # read_text's binary test: NUL bytes without a UTF-16 byte-order mark; UTF-16 text without one
        # (NUL at every other byte) goes to the audit, which reports it as check does, not ignored
        if b"\0" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "binary files" if walking or not _looks_utf16(head) else None
        text = read_text(path)
    except (OSError, InputError):
        return "unreadable" if walking else None
    return None if detect_vendor(text) is not None else "not device configs"


def _looks_utf16(head: bytes) -> bool:
    """Mostly-ASCII UTF-16 text: NUL in (nearly) every odd or every even byte position."""
    half = len(head) // 2
    return half >= 8 and any(head[i::2].count(0) >= 0.9 * half for i in (0, 1))


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
        elif cfg.is_alibaba(f) or _is_terraform(f):  # Terraform sources are the Alibaba side, named or not
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


def _git_ignores(cfg):
    """A test `path -> bool` for what .gitignore leaves out under the settings' folder (audit's one
    `git ls-files` call); nothing is ignored outside a git work tree."""
    from analyzer import globs
    from analyzer.audit import git_ignored

    found = git_ignored(cfg.root)
    if found is None:
        return lambda path: False
    files, folders = found
    return lambda path: (rel := globs.relative(path, cfg.root)) in files or any(rel.startswith(d) for d in folders)


def _repository_devices(cfg) -> list[str]:
    """Every device config of the repository: the `devices` globs, or (unset) each file under the settings'
    folder in which a device vendor is recognised. Excluded, git-ignored and JSON files are left out."""
    ignored = _git_ignores(cfg)
    named = cfg.device_files()
    if named is not None:
        return [f for f in named if not ignored(f)]
    out = []
    for folder, dirs, names in os.walk(cfg.root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(names):
            full = os.path.join(folder, name)
            if os.path.isfile(full) and not cfg.excluded(full) and not cfg.is_alibaba(full) and not ignored(full) \
                    and not _is_json(full) and _not_a_device(full, walking=True) is None:
                out.append(full)
    return out


def _here(path: str) -> str:
    return os.path.relpath(path)


def _display(path: str) -> str:
    """A path as the audit names files (bytes that are not UTF-8 as \\xNN), normalised for comparison."""
    from parsers.values import display_path

    return os.path.normpath(display_path(path))


def _groups(files: list[str], config: str | None) -> dict[str | None, list[str]]:
    """The committed files by the settings file that governs each: --config for all, else the nearest
    `.ipsec-preflight.toml` from the file's own folder up to the repository root (pre-commit runs from the
    root, the settings may sit in a subfolder of a monorepo). None: no settings file for those files."""
    from analyzer import project_config

    if config:
        return {config: list(files)}
    out: dict[str | None, list[str]] = {}
    for f in files:
        settings = project_config.find(os.path.dirname(os.path.abspath(f)))
        out.setdefault(settings and _here(settings), []).append(f)
    return out


def run_hook(files: list[str], config: str | None, fmt: str, opts=None) -> int:
    """Each group of committed files checked with its own settings file; the worst exit code wins.
    ``opts``: analyzer.ci_output.Options (--exit-zero, --quiet, --statistics, --color, --baseline)."""
    from analyzer.cli import _err

    groups = _groups(files, config)
    if len(groups) > 1 and fmt != "text":  # one report document per run on stdout
        names = ", ".join(g or "(none)" for g in groups)
        _err(f"ipsec-preflight: the committed files fall under several settings files ({names}); --format {fmt} "
             "writes one report: run the hook per folder with --config, or use --format text")
        return EXIT_INPUT
    if not groups:
        return _run_group([], config, fmt, opts=opts)
    return max(_run_group(group, settings, fmt, len(groups) > 1, opts) for settings, group in groups.items())


def _run_group(files: list[str], settings: str | None, fmt: str, name_settings: bool = False, opts=None) -> int:
    """The hook over FILES with one settings file (NAME_SETTINGS: say which in the summary line)."""
    import dataclasses

    from analyzer import ci_output, project_config
    from analyzer.audit import AuditResult, run_audit, to_report
    from analyzer.cli import _err
    from parsers.common import InputError

    try:
        cfg = project_config.load(settings) if settings else project_config.ProjectConfig(root=os.getcwd())
    except InputError as exc:
        _err(f"ipsec-preflight: {exc}")
        return EXIT_INPUT
    work = plan(files, cfg, settings)
    alibaba = [_here(f) for f in cfg.alibaba_files()]
    if cfg.alibaba and not alibaba:
        work.problems.append(InputProblem(file=_here(settings), message=f"alibaba = {cfg.alibaba}: no file matches"))
    terraform, tf_folders = _terraform_inputs(work.alibaba_changed, cfg.root)
    alibaba += [f for f in terraform if _display(f) not in {_display(a) for a in alibaba}]
    committed = {_display(f) for f in work.devices}
    extra: list[str] = []
    if work.alibaba_changed and alibaba:
        extra = [d for d in map(_here, _repository_devices(cfg)) if _display(d) not in committed]
    if work.devices or work.alibaba_changed:
        result = run_audit(alibaba + work.devices + extra, cfg.mapping, cfg.disable, jobs=None, lint_unpaired=True)
    else:
        result = AuditResult([], [], [], [], 0, not cfg.alibaba)
    changed = _changed_inputs(work.alibaba_changed, result.tunnels, tf_folders)
    because = _keep_relevant(result, committed, changed)
    report = to_report(result, __version__)
    # a settings-named Alibaba file without connections is an input problem of run_audit (files named to it)
    report.errors = work.problems + report.errors
    ci_output.prepare(report, result.texts.get)  # before the unpaired findings move: stamped as `audit` does
    _attach_unpaired(report, changed, compared=not result.lint_only)
    if report.audit is not None:  # what the commit concerns is attached to its files; the rest is not its own
        report.audit.cross = []
    for p in report.pairs:
        p.findings = [f for f in p.findings if f.code not in cfg.for_file(p.device)[1]]
    opts = dataclasses.replace(opts or ci_output.Options())
    if opts.baseline is None and cfg.baseline:
        opts.baseline = _here(cfg.baseline)
    report = ci_output.apply_baseline(report, opts, __version__, _err, None)
    failing = sum(1 for p in report.pairs for f in p.findings
                  if not f.suppressed and RANK[f.severity] >= RANK[cfg.for_file(p.device)[0]])
    line = summary(report, work, because, settings, bool(cfg.alibaba))
    report.notes += result.notes + notes(report, work, settings, bool(cfg.alibaba))
    if report.baseline is not None and report.baseline.baselined:
        line += f"; {report.baseline.baselined} baselined ({opts.baseline})"
    if name_settings:
        line = line.replace("ipsec-preflight: ", f"ipsec-preflight ({settings or 'no settings file'}): ", 1)
    sys.stdout.write(_render(report, fmt, line, opts, files))
    if opts.quiet or opts.statistics:  # the text report that lists them is not printed: input errors still are
        for e in report.errors:
            _err(f"ipsec-preflight: {e.file}{':' + str(e.line) if e.line else ''}: {e.message}")
    if fmt != "text" and not opts.quiet:
        _err(line)  # stdout holds the report document; the line is still shown
    if report.errors:
        return EXIT_INPUT
    return EXIT_FINDINGS if failing and not opts.exit_zero else EXIT_OK


def _changed_inputs(files: list[str], tunnels, tf_folders: set[str]) -> set[str]:
    """The changed Alibaba inputs as tunnels name their file: committed Terraform files stand for the tunnels
    read from the modules they belong to (a variables.tf changes the connection of main.tf); kept as they are
    when those hold none."""
    out = {_display(f) for f in files if not _is_terraform(f)}
    tf = [f for f in files if _is_terraform(f)]
    read = {_display(t.file) for t in tunnels
            if t.file and os.path.normpath(os.path.abspath(os.path.dirname(t.file))) in tf_folders}
    return out | (read or {_display(f) for f in tf}) if tf else out


_DEVICE_NOTHING = "no tunnel of this device pairs with a connection of the settings' Alibaba files"


def _attach_unpaired(report: Report, changed: set[str], compared: bool) -> None:
    """The audit's pairing findings the commit concerns, as findings of the files they belong to (the audit
    keeps them among the cross-connection findings, which the hook does not print otherwise):
    - a checked device's tunnel that no connection pairs with; an error when no tunnel of that device pairs,
      decided per device so the verdict does not depend on what else is in the commit;
    - an Alibaba tunnel that pairs with nothing, when a checked device pairs with its connection's other
      tunnel or its file is part of the commit. Other connections' tunnels stay out: a commit checks a few
      devices, not every connection."""
    if report.audit is None:
        return
    by_file: dict[str, PairResult] = {}
    for p in report.pairs:
        by_file.setdefault(os.path.normpath(p.device), p)
    lone = set(by_file) - {os.path.normpath(p.device) for p in report.pairs if p.alibaba_file} if compared else set()
    touched = {p.connection or p.connection_name or p.alibaba_file for p in report.pairs if p.alibaba_file}
    alibaba: dict[str, PairResult] = {}
    for f in report.audit.cross:
        if f.code == "UnpairedDeviceTunnel" and f.device and f.device.file:
            where = os.path.normpath(f.device.file)
            if where not in by_file:
                continue
            if where in lone and f.severity != "error":
                f.severity, f.severity_reason = "error", _DEVICE_NOTHING
                f.message += f" (error, not warning: {_DEVICE_NOTHING})"
            by_file[where].findings.append(f)
        elif f.code == "UnpairedAlibabaTunnel" and f.alibaba and f.alibaba.file:
            if os.path.normpath(f.alibaba.file) in changed or touched & set(f.related):
                target = alibaba.setdefault(f.alibaba.file, PairResult(
                    connection=None, tunnel=None, alibaba_file=f.alibaba.file, device=f.alibaba.file,
                    vendor=_ALIBABA, endpoint=None, findings=[]))
                target.findings.append(f)
    report.pairs += alibaba.values()


def _keep_relevant(result, committed: set[str], changed: set[str]) -> dict[str, list[str]]:
    """Keep the committed devices and those re-checked because a changed Alibaba file pairs with them (or
    could not be read, so whether it pairs is unknown); returns {changed JSON: [devices re-checked]}."""
    because: dict[str, list[str]] = {f: [] for f in sorted(changed)}
    kept = []
    for o in result.outcomes:
        if _display(o.file) in committed:
            kept.append(o)
            continue
        hits = sorted({_display(r.alibaba_file) for r in o.results if r.alibaba_file} & changed)
        if hits or o.error:
            kept.append(o)
        for h in hits:
            because[h].append(o.file)
    result.outcomes = kept
    return because


def notes(report: Report, work: Plan, settings: str | None, compares: bool) -> list[InputProblem]:
    """What the summary line says per file, for the formats that carry notes (HTML, JSON): the devices only
    linted, the files ignored and why, the missing settings file."""
    compared = {p.device for p in report.pairs if p.alibaba_file and p.vendor != _ALIBABA}
    linted = sorted({p.device for p in report.pairs if not p.alibaba_file and p.vendor != _ALIBABA} - compared)
    why = "no connection pairs" if compares else "the settings name no Alibaba JSON"
    out = [InputProblem(file=d, message=f"linted only ({why})") for d in linted]
    out += [InputProblem(file=f, message=f"ignored: {reason}") for reason, fs in work.ignored.items() for f in fs]
    if not settings:
        out.append(InputProblem(file=".", message="no .ipsec-preflight.toml found from the files' folders up to "
                                                  "the repository root"))
    return out


def _names(files: list[str]) -> str:
    shown = ", ".join(files[:_NAMES_SHOWN])
    return shown + (f" and {len(files) - _NAMES_SHOWN} more" if len(files) > _NAMES_SHOWN else "")


def summary(report: Report, work: Plan, because: dict[str, list[str]], settings: str | None,
            compares: bool) -> str:
    """One line: what was checked against what, what was linted alone, what was ignored and why."""
    compared: dict[str, set[str]] = {}
    linted: set[str] = set()
    for p in report.pairs:
        if p.vendor == _ALIBABA:
            continue  # an Alibaba file's own findings: no device was checked for them
        if p.alibaba_file:
            compared.setdefault(p.device, set()).add(p.connection or "?")
        else:
            linted.add(p.device)
    paired_files = {_display(p.alibaba_file) for p in report.pairs if p.alibaba_file and p.vendor != _ALIBABA}
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
        if not devs and j not in paired_files:  # committed devices that pair with it count too
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
        parts.append("no .ipsec-preflight.toml found from the files' folders up to the repository root")
    counts = {"error": 0, "warning": 0, "info": 0}
    for p in report.pairs:
        for f in p.findings:
            if not f.suppressed:
                counts[f.severity] += 1
    return (f"ipsec-preflight: {', '.join(parts)}; {counts['error']} error(s), {counts['warning']} warning(s), "
            f"{counts['info']} info")


def _render(report: Report, fmt: str, summary_line: str, opts=None, files=()) -> str:
    from analyzer import ci_output

    opts = opts or ci_output.Options()
    html = None
    if fmt == "html":
        from analyzer.cli import _STARTED
        from analyzer.excerpts import from_findings

        html = ci_output.html_options(files, _STARTED, from_findings(report))

    if fmt == "json":
        report.audit = None
    if fmt == "text" and not opts.quiet and not opts.statistics:
        text = _render_text(report, str(summary_line))
        return ci_output.colourize(text) if ci_output.use_colour(opts.color, False) else text
    return ci_output.body(report, fmt, opts, html=html)


def _render_text(report: Report, summary_line: str) -> str:
    from analyzer.reporters.audit_text import finding_line, fix_block
    from analyzer.reporters.terminal import safe_lines

    out = []
    for p in report.pairs:
        context = "  [lint]" if not p.alibaba_file else "  [not paired]" if p.vendor == _ALIBABA else \
            f"  [{p.connection}/{p.tunnel or '-'}]"
        for f in p.findings:
            out.append(finding_line(f, p.device, context))
            out.extend(fix_block(f))
    for e in report.errors:
        out.append(f"{e.file}{':' + str(e.line) if e.line else ''}: input error: {e.message}")
    out.append(summary_line)
    return safe_lines(out)  # each line's control characters escaped (analyzer/reporters/terminal.py)
