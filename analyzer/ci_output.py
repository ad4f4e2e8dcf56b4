"""What check, lint, audit and hook do between the findings and the printed report (issue 13 items 6, 7):
Alibaba JSON lines and fingerprints set, the baseline applied or written, then the body rendered as asked
(--quiet, --statistics, colour on a terminal). Exit codes stay with the commands."""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from typing import Callable, Optional

from analyzer.findings import InputProblem
from analyzer.i18n import _


@dataclass
class Options:
    exit_zero: bool = False  # exit 0 with findings; input errors still exit 2
    quiet: bool = False  # the findings only: no headers, summary or notes
    statistics: bool = False  # counts per code instead of the findings
    color: str = "auto"  # auto | always | never
    baseline: Optional[str] = None  # findings recorded there are not reported
    write_baseline: Optional[str] = None  # record this run's findings there


def prepare(report, read: Optional[Callable[[str], Optional[str]]] = None) -> None:
    """Set what every format shows: the line and column of Alibaba JSON fields, finding fingerprints."""
    from analyzer import fingerprint, json_lines

    read = read or (lambda file: None)
    json_lines.annotate(report, read)
    fingerprint.stamp(report, read)


def apply_baseline(report, opts: Options, version: str, say: Callable[[str], None], write) -> object:
    """Write (--write-baseline) or apply (--baseline) a baseline; returns the report to render (carrying what
    the baseline did). A baseline that cannot be read is an input error of the report (the run goes on, every
    finding reported). ``write(path, text)`` writes a file atomically; ``say`` prints a message on stderr."""
    path = opts.write_baseline or opts.baseline
    if path is None:
        return report
    from analyzer import baseline  # only now: its models stay off the start of a run without a baseline
    from parsers.common import InputError

    if opts.write_baseline:
        if report.errors:  # a partial run would record a partial baseline: the next run would call the rest new
            say(_("ipsec-preflight: {path}: baseline not written: the run has input errors (fix them first)")
                .format(path=path))
            return report
        written = baseline.entries(report)
        try:
            write(path, baseline.dumps(report, version))
        except OSError as exc:
            report.errors.append(InputProblem(file=path, message=_("cannot write the baseline: {reason}").format(
                reason=exc.strerror or exc)))
            return report
        if not opts.quiet:
            say(_("ipsec-preflight: baseline written to {path}: {count} finding(s)").format(path=path,
                                                                                        count=len(written)))
        entries = written
    else:
        try:
            entries = baseline.load(path)
        except InputError as exc:
            report.errors.append(InputProblem(file=exc.file, line=exc.line, message=exc.message))
            return report
        except OSError as exc:
            report.errors.append(InputProblem(file=path, message=_("cannot read the baseline: {reason}").format(
                reason=exc.strerror or exc)))
            return report
    outcome = baseline.apply(report, entries, path)
    if report.audit is not None:
        from analyzer.audit import recount

        recount(report)
    if outcome.stale and not opts.quiet:
        one = _("ipsec-preflight: {path}: {count} baseline entry no longer occurs (delete them, or rewrite the file "
                "with --write-baseline):")
        more = _("ipsec-preflight: {path}: {count} baseline entries no longer occur (delete them, or rewrite the file "
                 "with --write-baseline):")
        say((one if len(outcome.stale) == 1 else more).format(path=path, count=len(outcome.stale)))
        for e in outcome.stale:
            say(f"  {e.file}: {e.code}: {e.message}")
    return baseline.attach(report, outcome)


def baselined_line(report) -> str | None:
    """Said under a text report: findings left out by the baseline (a "no findings" above may count on it)."""
    from analyzer.reporters.terminal import safe

    done = report.baseline
    if done is None:
        return None
    return safe(_("Baseline {file}: {count} finding(s) recorded there not reported").format(
        file=done.file, count=done.baselined)
                + (_("; {count} of its entries no longer occur (listed on stderr)").format(count=len(done.stale))
                   if done.stale else ""))


# --- --statistics -------------------------------------------------------------------------------------------

def statistics(report) -> list[dict]:
    """Reported findings counted per code (suppressed ones are not): most frequent first, like ruff's."""
    rows: dict[str, dict] = {}
    rank = {"info": 1, "warning": 2, "error": 3}
    for f in report.all_findings():
        if f.suppressed:
            continue
        row = rows.setdefault(f.code, {"code": f.code, "count": 0, "severity": f.severity, "title": f.title})
        row["count"] += 1
        if rank[f.severity] > rank[row["severity"]]:  # a code whose severity was raised for one finding
            row["severity"] = f.severity
    return sorted(rows.values(), key=lambda r: (-r["count"], r["code"]))


def statistics_text(report) -> str:
    from analyzer.reporters.terminal import safe_lines

    rows = statistics(report)
    if not rows:
        return ""
    width = max(len(str(r["count"])) for r in rows)
    code_width = max(len(r["code"]) for r in rows)
    return safe_lines(f"{r['count']:>{width}}  {r['code']:<{code_width}}  [{r['severity']}] {_(r['title'])}"
                      for r in rows)


def statistics_json(report) -> str:
    import json

    from analyzer.reporters.terminal import json_safe

    return json_safe(json.dumps(statistics(report), indent=2) + "\n")


# --- --quiet ------------------------------------------------------------------------------------------------

def quiet_text(report) -> str:
    """One grep-able line per reported finding (file:line: severity code: message [pair]); fixes are in the
    full report."""
    from analyzer.reporters.audit_text import finding_line
    from analyzer.reporters.terminal import safe_lines

    out = []
    for p in report.pairs:
        context = f"  [{p.connection}/{p.tunnel or '-'}]" if p.alibaba_file and p.connection else ""
        for f in p.findings:
            if not f.suppressed:
                out.append(finding_line(f, p.device, context))
    for f in report.audit.cross if report.audit is not None else []:
        if not f.suppressed:
            where = f.device.file if f.device and f.device.file else f.alibaba.file if f.alibaba and f.alibaba.file \
                else "(audit)"
            out.append(finding_line(f, where, ""))
    return safe_lines(out) if out else ""


# --- colour -------------------------------------------------------------------------------------------------

def use_colour(choice: str, to_file: bool, stream=None) -> bool:
    """Colour only for text written to a terminal: never into --output files; `auto` also not into pipes,
    with NO_COLOR set (https://no-color.org: any non-empty value) or TERM=dumb; `always` forces it on stdout."""
    if to_file or choice == "never":
        return False
    if choice == "always":
        return True
    stream = stream or sys.stdout
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


_RESET = "\x1b[0m"
_SGR = {"error": "\x1b[1;31m", "warning": "\x1b[33m", "info": "\x1b[36m", "dim": "\x1b[2m", "bold": "\x1b[1m"}
_LABEL_SEVERITY = {"ERROR": "error", "WARN ": "warning", "INFO ": "info"}
# the text reporters' own layout: `  ERROR  Code: ...` (check, lint) and `file:line: error Code: ...` (audit,
# hook, --quiet). Applied to finished lines, whose input characters are escaped already: only ours are added.
_CHECK_LINE = re.compile(r"^(  )(ERROR|WARN |INFO )(  \S+:)")
_GREP_LINE = re.compile(r"^(\S[^\n]*?: )(error|warning|info)( [A-Za-z][\w.]*(?: \[suppressed\])?:)")
_HEADINGS = re.compile(r"^(Summary:|Audit summary|Connection |Device |input error:)")


def _headings() -> re.Pattern:
    """_HEADINGS, plus the text report's headings in the output language (analyzer/reporters/text.py)."""
    from analyzer.i18n import language
    from analyzer.reporters.text import headings, input_error_heading

    if language() == "en":
        return _HEADINGS
    words = [re.escape(h.rstrip()) for h in headings()]
    return re.compile(rf"^({'|'.join(words)}|{re.escape(input_error_heading().rstrip())}|{_HEADINGS.pattern[2:-1]})")


def colourize(text: str) -> str:
    headings = _headings()
    errors = ("input error:", _("input error: {where}: {message}").split("{")[0].rstrip())
    out = []
    for line in text.split("\n"):
        if m := _CHECK_LINE.match(line):
            sev = _LABEL_SEVERITY[m.group(2)]
            line = f"{m.group(1)}{_SGR[sev]}{m.group(2)}{_RESET}{_SGR['bold']}{m.group(3)}{_RESET}" + line[m.end():]
        elif m := _GREP_LINE.match(line):
            sev = m.group(2)
            line = f"{_SGR['bold']}{m.group(1)}{_RESET}{_SGR[sev]}{sev}{_RESET}{m.group(3)}" + line[m.end():]
        elif m := headings.match(line):
            colour = _SGR["error"] if m.group(1) in errors else _SGR["bold"]
            line = f"{colour}{m.group(1)}{_RESET}" + line[m.end():]
        out.append(line)
    return "\n".join(out)


# --- the body -----------------------------------------------------------------------------------------------

def run_time(started: float, now: float | None = None):
    """(when the run started, how long it took) for the HTML page: with SOURCE_DATE_EPOCH set
    (https://reproducible-builds.org/specs/source-date-epoch/) that time and no duration, so that two runs
    write the same page; ``started``: time.time() at the start of the run."""
    import time
    from datetime import datetime, timezone

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc), None
    return datetime.fromtimestamp(started, timezone.utc), (time.time() if now is None else now) - started


def html_options(inputs=(), started: float | None = None, excerpts=None) -> dict:
    """What the HTML page shows beside the findings: the inputs, the run's time, config excerpts."""
    run_at, duration = run_time(started) if started is not None else (None, None)
    return {"inputs": [str(x) for x in inputs], "run_at": run_at, "duration_s": duration, "excerpts": excerpts}


def body(report, fmt: str, opts: Options, text_renderer=None, to_file: bool = False, html=None) -> str:
    """The report as printed: --statistics (text or JSON), --quiet text, else the format's reporter; text
    coloured when it goes to a terminal. ``html``: html_options() for --format html."""
    from analyzer.reporters import render

    if opts.statistics:
        return statistics_json(report) if fmt == "json" else statistics_text(report)
    if fmt == "text" and opts.quiet:
        text = quiet_text(report)
    else:
        text = render(report, fmt, text_renderer=text_renderer, **((html or {}) if fmt == "html" else {}))
        if fmt == "text" and (line := baselined_line(report)):
            text += line + "\n"
    if fmt == "text" and use_colour(opts.color, to_file):
        text = colourize(text)
    return text
