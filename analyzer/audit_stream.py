"""The audit report written as results arrive (issue 16): each device's pairs go through the steps the buffered
path runs on the whole report (settings overrides, Alibaba JSON lines, fingerprints, baseline, counts) and out
to the writer, and only a compact outcome is kept; the cross-connection findings and the summary come last.
Formats: text (also --quiet), JSON, SARIF, and --statistics of both; the others (HTML, CI formats) and
--write-baseline take the buffered path. tests/test_audit_stream.py checks both paths give the same bytes."""
from __future__ import annotations

import os
import stat
from collections import Counter

from analyzer import fingerprint, json_lines
from analyzer.audit import Overrides, Tally, reaches, report_errors, summary_of
from analyzer.findings import InputProblem, Report

STREAMED = ("text", "json", "sarif")


class _Baseline:
    """analyzer.baseline.apply, one pair at a time: each entry takes out one finding, in report order."""

    def __init__(self, path: str, entries) -> None:
        self.path, self.entries = path, entries
        self.left = Counter(e.fingerprint for e in entries)
        self.checked: set[str] = set()
        self.dropped = 0

    def _keep(self, findings) -> list:
        kept = []
        for f in findings:
            if not f.suppressed and self.left[f.fingerprint] > 0:
                self.left[f.fingerprint] -= 1
                self.dropped += 1
            else:
                kept.append(f)
        return kept

    def pair(self, p) -> None:
        from analyzer.baseline import _shown

        self.checked.add(_shown(p.device))
        if p.alibaba_file:
            self.checked.add(_shown(p.alibaba_file))
        kept = self._keep(p.findings)
        p.baselined += len(p.findings) - len(kept)
        p.findings = kept

    def cross(self, findings) -> list:
        return self._keep(findings)

    def outcome(self):
        from analyzer.baseline import Outcome
        from analyzer.src_root import root

        stale = []
        for e in sorted(self.entries):
            if self.left[e.fingerprint] <= 0:
                continue
            gone = e.file != "(audit)" and not e.file.startswith("api:") and not os.path.exists(os.path.join(root(), e.file))
            if e.file in self.checked or gone:
                self.left[e.fingerprint] -= 1
                stale.append(e)
        return Outcome(self.path, self.dropped, stale)


class _Stats:
    """What --statistics reads of each finding (ci_output.statistics), kept instead of the findings."""

    def __init__(self) -> None:
        self.rows: list = []

    def add(self, findings) -> None:
        from types import SimpleNamespace

        self.rows += [SimpleNamespace(code=f.code, severity=f.severity, title=f.title, suppressed=f.suppressed)
                      for f in findings]

    def all_findings(self):
        return iter(self.rows)


class _Only:
    """A report holding only some pairs, or only cross findings (quiet_text and json_lines.annotate of a part)."""

    def __init__(self, pairs=(), audit=None, cross=()) -> None:
        self.pairs, self.audit, self.cross = list(pairs), audit, cross

    def all_findings(self):
        for p in self.pairs:
            yield from p.findings
        yield from self.cross


class AuditStream:
    """Takes the outcomes run_audit hands over (``each``) and writes the report to ``out`` as they come."""

    def __init__(self, fmt: str, opts, out, version: str, cfg, fail_on: str | None, colour: bool,
                 text_options: dict, say) -> None:
        from analyzer import ci_output
        from analyzer.reporters.stream import AuditTextWriter, Filtered, JsonWriter, json_safe_quick as json_safe

        self.fmt, self.opts, self.version, self.cfg, self.fail_on, self.say = fmt, opts, version, cfg, fail_on, say
        self.overrides = Overrides(cfg, fail_on)
        self.tally = Tally()
        self.failing = False
        self.checked = 0  # pairs with an Alibaba side
        self.read = self.stamper = None  # set at the first outcome (they read the Alibaba inputs)
        self.baseline, self.baseline_error = self._load_baseline(opts.baseline)
        self.stats = _Stats() if opts.statistics else None
        self.spool = None
        if self.stats is not None:
            self.writer = None
            self.out = out
        elif fmt == "json":
            self.writer = JsonWriter(Filtered(out, json_safe), version)
        elif fmt == "sarif":
            import tempfile

            from analyzer.reporters.sarif import Writer

            self.spool = tempfile.TemporaryFile("w+", encoding="utf-8", prefix="ipsec-preflight-")
            self.writer = Writer(Filtered(out, json_safe), self.spool)
        else:
            text_out = Filtered(out, ci_output.colourize) if colour else out
            self.writer = _QuietWriter(text_out) if opts.quiet else AuditTextWriter(text_out, text_options)

    @staticmethod
    def _load_baseline(path):
        if path is None:
            return None, None
        from analyzer import baseline
        from parsers.common import InputError

        try:
            return _Baseline(path, baseline.load(path)), None
        except InputError as exc:
            return None, InputProblem(file=exc.file, line=exc.line, message=exc.message)
        except OSError as exc:
            return None, InputProblem(file=path, message=f"cannot read the baseline: {exc.strerror or exc}")

    def each(self, outcome, texts):
        """run_audit's ``each``: report this device's pairs now, keep a compact outcome."""
        if self.stamper is None:
            self.read, self.stamper = texts.get, fingerprint.Stamper(texts.get)
        self.overrides.outcome(outcome)
        for p in outcome.results:
            json_lines.annotate(_Only([p]), self.read)
            self.stamper.pair(p)
            if self.baseline is not None:
                self.baseline.pair(p)
            self.tally.pair(p)
            self.failing |= any(reaches(f, p.device, self.cfg, self.fail_on) for f in p.findings)
            self.checked += bool(p.alibaba_file)
            if self.stats is not None:
                self.stats.add(p.findings)
            else:
                self.writer.pair(p)
        self.stamper.forget_lines()
        kept = outcome.compact()
        # what the summary and the pairing rules read of a device besides the counts run_audit keeps
        return kept if kept.error or kept.links or kept.unreadable else None

    def finish(self, result, extra_errors, no_input: str | None) -> Report:
        """The cross findings and the summary, written; the report as the buffered path would hold it, without its
        pairs (errors, notes, baseline: what the exit code and stderr need). ``no_input``: the error to add when
        the audit found nothing (audit_cli's wording)."""
        if self.stamper is None:
            self.read, self.stamper = result.texts.get, fingerprint.Stamper(result.texts.get)
        result.problems += extra_errors
        cross = self.overrides.keep(result.cross, None)
        json_lines.annotate(_Only(cross=cross), self.read)
        self.stamper.cross(cross)
        report = Report(version=self.version, errors=report_errors(result), audit=summary_of(result, self.checked))
        if no_input and not result.devices_read and not result.tunnels and not report.errors:
            report.errors.append(InputProblem(file=no_input, message=(
                f"no device config or connection found ({len(result.skipped)} file(s) skipped)")))
        if self.baseline_error is not None:
            report.errors.append(self.baseline_error)
        if self.baseline is not None:
            cross = self.baseline.cross(cross)
            self._baselined(report, self.baseline.outcome())
        report.audit.cross = cross
        self.tally.cross(cross)
        # Counts per device and connection only where a writer reads them from the report (JSON: JsonWriter.finish
        # writes them from the tally; text: the summary lists those with an error or a warning)
        text = self.stats is None and self.fmt == "text" and not self.opts.quiet
        self.tally.into(report.audit, "worse" if text else "none")
        self.failing |= any(reaches(f, None, self.cfg, self.fail_on) for f in cross)
        self._write_end(report)
        return report

    def _baselined(self, report: Report, outcome) -> None:
        """ci_output.apply_baseline's messages and summary."""
        from analyzer.baseline import attach

        if outcome.stale and not self.opts.quiet:
            one = len(outcome.stale) == 1
            self.say(f"ipsec-preflight: {outcome.file}: {len(outcome.stale)} baseline "
                     f"{'entry no longer occurs' if one else 'entries no longer occur'} "
                     "(delete them, or rewrite the file with --write-baseline):")
            for e in outcome.stale:
                self.say(f"  {e.file}: {e.code}: {e.message}")
        attach(report, outcome)

    def _write_end(self, report: Report) -> None:
        from analyzer import ci_output
        from analyzer.reporters.stream import JsonWriter

        if self.stats is not None:
            shim = _StatsReport(self.stats, report.audit.cross)
            self.out.write(ci_output.statistics_json(shim) if self.fmt == "json" else ci_output.statistics_text(shim))
            return
        if isinstance(self.writer, JsonWriter):
            self.writer.finish(report, self.tally)
        else:
            self.writer.finish(report)
        if self.fmt == "text" and not self.opts.quiet and (line := ci_output.baselined_line(report)):
            self.writer.out.write(line + "\n")
        if self.spool is not None:
            self.spool.close()


class _StatsReport:
    def __init__(self, stats: _Stats, cross) -> None:
        self.stats, self.cross = stats, cross

    def all_findings(self):
        yield from self.stats.all_findings()
        yield from self.cross


class _QuietWriter:
    """ci_output.quiet_text, a pair at a time."""

    def __init__(self, out) -> None:
        self.out = out

    def pair(self, p) -> None:
        from analyzer import ci_output

        self.out.write(ci_output.quiet_text(_Only([p])))

    def finish(self, report: Report) -> None:
        from analyzer import ci_output

        self.out.write(ci_output.quiet_text(_Only(audit=report.audit)))


class WriteFailed(Exception):
    """The report could not be written (-o FILE): the audit stops, FILE is left as it was."""

    def __init__(self, exc: OSError) -> None:
        super().__init__(exc.strerror or str(exc))


class AtomicOutput:
    """`-o FILE` written as the report streams: into a temporary file in the same folder, renamed over FILE
    once whole (cli._write_atomically's rules: the previous file stays on any failure, a symbolic link is
    written through, a non-regular file such as /dev/null is written directly, an existing file's mode kept).
    The temporary file is made at the first write, after the audit has listed its inputs (FILE may be in an
    audited folder); whether it can be made is tried at once (OSError: the caller takes the buffered path)."""

    def __init__(self, output) -> None:
        self.target = os.path.realpath(output)
        try:
            self.st = os.stat(self.target)
        except FileNotFoundError:
            self.st = None
        self.tmp = self.fh = None
        self.direct = self.st is not None and not stat.S_ISREG(self.st.st_mode)
        if not self.direct:
            self._open()
            self.fh.close()
            os.unlink(self.tmp)
            self.tmp = self.fh = None

    def _open(self) -> None:
        import secrets

        if self.direct:
            self.fh = open(self.target, "w", encoding="utf-8")
            return
        folder, name = os.path.split(self.target)
        while self.tmp is None:
            candidate = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
            try:  # mode 0o666 less the umask, as a new file would get; an existing file's mode is kept
                fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
            except FileExistsError:
                continue
            self.tmp = candidate
        self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
        if self.st is not None:
            os.fchmod(self.fh.fileno(), stat.S_IMODE(self.st.st_mode))

    def write(self, text: str) -> None:
        try:
            if self.fh is None:
                self._open()
            self.fh.write(text)
        except OSError as exc:
            raise WriteFailed(exc) from None

    def commit(self) -> None:
        try:
            if self.fh is None:
                self._open()
            self.fh.flush()
            if self.tmp is not None:
                os.fsync(self.fh.fileno())
            self.fh.close()
            if self.tmp is not None:
                os.replace(self.tmp, self.target)
                self.tmp = None
        except OSError as exc:
            raise WriteFailed(exc) from None

    def abandon(self) -> None:
        try:
            if self.fh is not None:
                self.fh.close()
        except OSError:
            pass
        if self.tmp is not None:
            try:
                os.unlink(self.tmp)
            except OSError:
                pass
