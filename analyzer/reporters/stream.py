"""Report writers that take an audit's pairs as they arrive (issue 16): the JSON report and the audit's text
layout here, SARIF in sarif.Writer. Each writes exactly what the format's buffered renderer gives for the same
report (tests/test_audit_stream.py compares them byte for byte); every write is whole lines, so the per-line
escaping of the buffered path (json_safe, colour) applies to each write alike."""
from __future__ import annotations

from pydantic_core import to_json

from analyzer.findings import Report
from analyzer.reporters.audit_text import pair_lines, summary_lines
from analyzer.reporters.terminal import json_safe, safe_lines

_EMPTY_PAIRS = '"pairs": []'
_PAIR_INDENT = "    "  # a pair's depth in the report: {"pairs": [ ... ]}
_FIELD_INDENT = "    "  # an audit summary field's depth: {"audit": {"by_device": ...}}
_COUNTED = ("by_device", "by_connection")  # summary fields JsonWriter.finish writes from an audit.Tally, in order


class Filtered:
    """An output that passes every write through ``fn`` (a function of whole lines: json_safe, colourize)."""

    def __init__(self, out, fn) -> None:
        self.out, self.fn = out, fn

    def write(self, text: str) -> None:
        if text:
            self.out.write(self.fn(text))


def json_safe_quick(text: str) -> str:
    """terminal.json_safe, without its regex for text that cannot hold what it escapes: every character it
    escapes is DEL or above, or the `[` of `##[` (most of a report is ASCII: this is most writes)."""
    if text.isascii() and "\x7f" not in text and "##[" not in text:
        return text
    return json_safe(text)


class JsonWriter:
    """`Report.model_dump_json(indent=2)` + newline, the pairs written one by one."""

    def __init__(self, out, version: str) -> None:
        self.out, self.count = out, 0
        head = Report(version=version).model_dump_json(indent=2)
        self.head = head[:head.index(_EMPTY_PAIRS)] + '"pairs": ['  # what comes before the pairs: tool, version

    def pair(self, p) -> None:
        text = p.model_dump_json(indent=2)
        self.out.write((self.head if not self.count else ",") + "\n"
                       + _PAIR_INDENT + text.replace("\n", "\n" + _PAIR_INDENT))  # JSON text: no newline in a value
        self.count += 1

    def finish(self, report: Report, tally=None) -> None:
        """``report``: the rest of the document (errors, notes, audit summary, baseline); its pairs are empty.
        ``tally``: an audit.Tally whose counts per device and connection are written here, a few at a time, in
        place of the summary's (empty) ``by_device`` and ``by_connection``: as Counts objects and as one text,
        they were the largest thing an audit's parent held at the end."""
        doc = report.model_dump_json(indent=2)
        tail = doc[doc.index(_EMPTY_PAIRS) + len(_EMPTY_PAIRS):]
        first = (self.head + "]" if not self.count else "\n  ]")
        if tally is None:
            self.out.write(first + tail + "\n")
            return
        for name in _COUNTED:
            empty = f'\n{_FIELD_INDENT}"{name}": {{}}'
            before, tail = tail.split(empty, 1)  # a name in a string value would be escaped: \"by_device\"
            self.out.write(first + before + empty[:-1])
            first = ""
            self._counts(tally.entries(name))
        self.out.write(tail + "\n")

    def _counts(self, entries) -> None:
        """``"name": {"error": n, ...}`` entries as pydantic indents them, whole lines at a time; closes the
        object (`{}` when there is none)."""
        inner, chunk, n = _FIELD_INDENT + "  ", [], 0
        for name, error, warning, info, suppressed in entries:
            chunk.append(f'{"," if n else ""}\n{inner}{to_json(name).decode()}: {{\n{inner}  "error": {error},\n'
                         f'{inner}  "warning": {warning},\n{inner}  "info": {info},\n{inner}  '
                         f'"suppressed": {suppressed}\n{inner}}}')
            n += 1
            if len(chunk) == 500:
                self.out.write("".join(chunk))
                chunk = []
        self.out.write("".join(chunk) + (f"\n{_FIELD_INDENT}}}" if n else "}"))


class AuditTextWriter:
    """The audit's text layout (audit_text.render): each pair's findings, then the cross findings and summary."""

    def __init__(self, out, summary_options: dict) -> None:
        """``summary_options``: audit_text.summary_lines' keywords, read when the summary is written (the caller
        may fill them in meanwhile: skipped files and notes are known once the audit is done)."""
        self.out, self.options, self.started = out, summary_options, False

    def pair(self, p) -> None:
        lines = pair_lines(p)
        if lines:
            self.out.write(safe_lines(lines))
            self.started = True

    def finish(self, report: Report) -> None:
        lines = summary_lines(report, **self.options)
        while not self.started and lines and not lines[0]:  # render drops the leading blank lines
            del lines[0]
        if lines:
            self.out.write(safe_lines(lines))
