"""The `audit` command (bulk audits): its typer declaration and the run, apart from cli.py so that the streaming
work on audit (issue 16) has one file; registered by cli.py, which it imports back for the shared helpers."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer

from analyzer import __version__
from analyzer.cli import (EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, Fmt, Level, _ci_options, _disable_option, _err, _fetch, _finish, _note,
                          _refuse_output_over_inputs, _usage)
from analyzer.cli_options import (Color, baseline_option, color_option, exit_zero_option, quiet_option,
                                  statistics_option, write_baseline_option)


class _Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal (never in pipes or CI logs)."""

    def __init__(self, streamed_to_terminal: bool = False) -> None:
        # off when the report itself streams to the same terminal: finding lines would land on the bar
        self.on = sys.stderr.isatty() and not streamed_to_terminal

    def __call__(self, done: int, total: int) -> None:
        if not self.on or total == 0:
            return
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} device configs")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def audit(
    paths: list[Path] = typer.Argument(..., metavar="PATH",
                                       help="Files or folders (walked recursively): Alibaba JSON and device "
                                            "configs, told apart by content."),
    fmt: Fmt = typer.Option(Fmt.text, "--format", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE",
                                          help="Write the report to this file."),
    pairing: Optional[Path] = typer.Option(None, "--pairing", metavar="FILE",
                                           help="TOML file of [[pair]] device = GLOB, "
                                                "connection = ID (overrides automatic pairing)."),
    fail_on: Optional[Level] = typer.Option(None, "--fail-on", help="Lowest severity that makes the exit code 1 "
                                                                     "(default: the settings' fail-on, else error)."),
    disable: list[str] = _disable_option(),
    jobs: int = typer.Option(0, "--jobs", "-j", metavar="N", help="Worker processes (0 = one per CPU core)."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Project settings (default: the "
                                          ".ipsec-preflight.toml found from the current folder up to the repository root)."),
    no_config: bool = typer.Option(False, "--no-config", help="Ignore any settings file."),
    include: list[str] = typer.Option([], "--include", metavar="GLOB", help="Audit only files matching (repeatable; "
                                      "git-style, relative to each folder given)."),
    exclude: list[str] = typer.Option([], "--exclude", metavar="GLOB", help="Leave out files matching (repeatable)."),
    from_api: bool = typer.Option(False, "--from-api", help="Also read every IPsec connection of each --region "
                                  "from the Alibaba API (needs pip install 'ipsec-preflight[api]' and credentials)."),
    region: list[str] = typer.Option([], "--region", metavar="REGION", help="Region read by --from-api (repeatable)."),
    exit_zero: bool = exit_zero_option(),
    quiet: bool = quiet_option(),
    statistics: bool = statistics_option(),
    color: Color = color_option(),
    baseline: Optional[Path] = baseline_option(),
    write_baseline: Optional[Path] = write_baseline_option(),
) -> None:
    """Audit many connections and device configs at once: pair them, check every pair, check across
    connections, and summarize per code, device and connection."""
    import functools
    import gc

    gc.set_threshold(700, 10, 10)  # the collector's defaults: fast_start raises them for short runs; audit is long

    from analyzer.audit import (Filters, apply_overrides, fails as audit_fails, find_settings, load_mapping,
                                load_settings, run_audit, to_report)
    from analyzer.findings import InputProblem
    from analyzer.reporters.audit_text import render
    from parsers.common import InputError

    if from_api != bool(region):
        _usage("--from-api needs at least one --region" if from_api else "--region goes with --from-api",
               "'--from-api' / '--region'")
    files, folders = [p for p in [*paths, pairing] if p is not None and not p.is_dir()], [p for p in paths if p.is_dir()]
    _refuse_output_over_inputs(output, files, folders)
    opts = _ci_options(fmt, output, exit_zero, quiet, statistics, color, baseline, write_baseline, files, folders)
    from analyzer.globs import BadGlob, check as check_glob

    for pattern in [*include, *exclude]:
        try:
            check_glob(pattern)
        except BadGlob as exc:
            raise typer.BadParameter(str(exc), param_hint="'--include' / '--exclude'")
    settings = find_settings(str(config) if config else None, no_config, [str(p) for p in paths])
    try:
        cfg = load_settings(settings)
        mapping = load_mapping(str(pairing)) if pairing is not None else cfg.mapping if cfg else None
        if cfg is not None and cfg.alibaba and not cfg.alibaba_files():  # else every comparison becomes a lint
            raise InputError(settings, f"alibaba = {cfg.alibaba}: no file matches")
    except InputError as exc:
        _err(f"ipsec-preflight: {exc}")
        raise typer.Exit(EXIT_INPUT)
    inputs = [str(p) for p in paths]
    if cfg is not None:  # the settings' connection files, when the paths given do not hold them already
        inputs += [f for f in cfg.alibaba_files() if not any(Path(f).resolve().is_relative_to(p.resolve()) for p in paths)]
    fetched, fetch_errors, api_notes = [], [], []
    if from_api:
        fetched, fetch_errors, api_notes = _fetch(None, region)
    if opts.baseline is None and opts.write_baseline is None and cfg is not None and cfg.baseline:
        opts.baseline = os.path.relpath(cfg.baseline)
    level = fail_on.value if fail_on else None
    text_options = {"skipped": None, "notes": (), "settings": os.path.relpath(settings) if settings else "none"}
    run = functools.partial(run_audit, inputs, mapping, frozenset(disable) | (cfg.disable if cfg else frozenset()),
                            jobs or None, None if quiet else _Progress(_streams_to_terminal(fmt, output, opts)), filters=Filters(cfg, include, exclude,
                                                                                          gitignore=True),
                            check_mapping=True, fetched=fetched, fetched_notes=api_notes if from_api else [],
                            excerpts=fmt is Fmt.html)
    fetch_problems = [InputProblem(file=e.file, line=e.line, message=e.message) for e in fetch_errors]
    if STREAM and fmt.value in STREAMED and opts.write_baseline is None:
        _streamed(run, fmt, output, opts, cfg, level, fetch_problems, text_options, ", ".join(map(str, paths)))
    result = run()
    result.problems += fetch_problems
    apply_overrides(result, cfg, level)
    for note in result.notes:  # on stderr in every format too (the reports carry them in audit.notes)
        _note(f"{note.file}: {note.message}")
    report = to_report(result, __version__)  # the API's notes are among the audit's own (report.audit.notes)
    if not result.outcomes and not result.tunnels and not report.errors:
        report.errors.append(InputProblem(file=", ".join(map(str, paths)), message=(
            f"no device config or connection found ({len(result.skipped)} file(s) skipped)")))
    # the exit code follows each file's fail-on level (settings overrides)
    text_options.update(skipped=result.skipped, notes=result.notes)
    _finish(report, fmt, fail_on or Level.error, output, text_renderer=functools.partial(render, **text_options),
            read=result.texts.get, opts=opts, fails=lambda r: audit_fails(r, cfg, level),
            inputs=inputs + [f"api:{r}" for r in region],
            excerpts={o.file: o.excerpt for o in result.outcomes if o.excerpt} or None)


class _Stdout:
    """Standard output of a streamed report. A reader that goes away (`| head -1`) does not stop the audit or hide
    its input errors: the rest of the report is dropped, stderr and the exit code stay what they would be (as when
    the report was written at the end)."""

    def __init__(self) -> None:
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return sys.stdout.write(text)
            except BrokenPipeError:
                self._gone()
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                sys.stdout.flush()
            except BrokenPipeError:
                self._gone()

    def _gone(self) -> None:
        from analyzer.streams import to_null

        self.gone = True
        to_null(sys.stdout)


def _streams_to_terminal(fmt: Fmt, output: Optional[Path], opts) -> bool:
    return STREAM and fmt.value in STREAMED and opts.write_baseline is None and output is None and sys.stdout.isatty()


STREAM = True  # text, JSON and SARIF reports are written as devices are checked (tests turn it off to compare)
STREAMED = ("text", "json", "sarif")  # audit_stream.STREAMED (not imported here: cold start of other commands)


def _streamed(run, fmt: Fmt, output: Optional[Path], opts, cfg, level: Optional[str], fetch_problems: list,
              text_options: dict, paths_label: str) -> None:
    """The audit with its report written as results arrive (analyzer.audit_stream); exits as _finish does. Falls
    back to the buffered path (returns) when -o FILE cannot be opened: that path says so in its own words."""
    from analyzer import ci_output
    from analyzer.audit_stream import AtomicOutput, AuditStream, WriteFailed

    sink = _Stdout()
    if output is not None:
        try:
            sink = AtomicOutput(output)
        except OSError:
            return
    colour = fmt is Fmt.text and ci_output.use_colour(opts.color, output is not None)
    try:
        stream = AuditStream(fmt.value, opts, sink, __version__, cfg, level, colour, text_options, _err)

        def each(outcome, texts):
            return stream.each(outcome, texts)

        result = run(each=each)
        for note in result.notes:  # on stderr in every format too (the reports carry them in audit.notes)
            _note(f"{note.file}: {note.message}")
        text_options.update(skipped=result.skipped, notes=result.notes)
        report = stream.finish(result, fetch_problems, paths_label)
        if output is not None:
            sink.commit()
    except WriteFailed as exc:
        sink.abandon()
        _err(f"ipsec-preflight: {output}: cannot write the report: {exc}"
             + ("; the previous file is unchanged" if os.path.isfile(output) else ""))
        raise typer.Exit(EXIT_INPUT)
    except BaseException:
        if output is not None:
            sink.abandon()
        raise
    for err in report.errors:
        where = f"{err.file}:{err.line}" if err.line else err.file
        _err(f"ipsec-preflight: {where}: {err.message}")
    if report.errors:
        raise typer.Exit(EXIT_INPUT)
    raise typer.Exit(EXIT_FINDINGS if stream.failing and not opts.exit_zero else EXIT_OK)
