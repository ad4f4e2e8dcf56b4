"""Report writers that take an audit's pairs as they arrive (issue 16): the JSON report and the audit's text
layout here, SARIF in sarif.Writer. Each writes exactly what the format's buffered renderer gives for the same
report (tests/test_audit_stream.py compares them byte for byte); every write is whole lines, so the per-line
escaping of the buffered path (json_safe, colour) applies to each write alike."""
from __future__ import annotations

from analyzer.findings import Report
from analyzer.reporters.audit_text import pair_lines, summary_lines
from analyzer.reporters.terminal import safe_lines

_EMPTY_PAIRS = '"pairs": []'
_PAIR_INDENT = "    "  # a pair's depth in the report: {"pairs": [ ... ]}


class Filtered:
    """An output that passes every write through ``fn`` (a function of whole lines: json_safe, colourize)."""

    def __init__(self, out, fn) -> None:
        self.out, self.fn = out, fn

    def write(self, text: str) -> None:
        if text:
            self.out.write(self.fn(text))


class JsonWriter:
    """`Report.model_dump_json(indent=2)` + newline, the pairs written one by one."""

    def __init__(self, out, version: str) -> None:
        self.out, self.count = out, 0
        head = Report(version=version).model_dump_json(indent=2)
        self.head = head[:head.index(_EMPTY_PAIRS)] + '"pairs": ['  # what comes before the pairs: tool, version

    def pair(self, p) -> None:
        text = p.model_dump_json(indent=2)
        self.out.write((self.head if not self.count else ",") + "\n"
                       + "\n".join(_PAIR_INDENT + line for line in text.split("\n")))
        self.count += 1

    def finish(self, report: Report) -> None:
        """``report``: the rest of the document (errors, notes, audit summary, baseline); its pairs are empty."""
        doc = report.model_dump_json(indent=2)
        tail = doc[doc.index(_EMPTY_PAIRS) + len(_EMPTY_PAIRS):]
        self.out.write((self.head + "]" if not self.count else "\n  ]") + tail + "\n")


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
