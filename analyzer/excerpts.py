"""Config excerpts for the HTML report, built only from lines the parser kept for display: every ``Source.text``
and ``Diagnostic.text`` of the device model (key material masked where the line was read, a line not understood
inside a key block masked whole: analyzer/redact.py), never from the raw file. Lines the parser did not keep
are left out of an excerpt (its line numbers show the gap)."""
from __future__ import annotations

from pydantic import BaseModel

from analyzer.redact import MASK


def _walk(obj, seen: set[int]):
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, BaseModel):
        yield obj
        for name in type(obj).model_fields:
            yield from _walk(getattr(obj, name, None), seen)
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _walk(v, seen)
    elif isinstance(obj, (list, tuple, set, frozenset)):
        for v in obj:
            yield from _walk(v, seen)


def _put(lines: dict[int, str], line: int | None, text: str | None) -> None:
    if line and text is not None and lines.get(line) != MASK:  # a line masked whole stays masked
        lines[line] = text


def from_device(dev) -> dict[int, str]:
    """Line number -> display text of every line of ``dev`` (a DeviceConfig) its model holds."""
    from analyzer.model import Diagnostic, Source

    lines: dict[int, str] = {}
    for obj in _walk(dev, set()):
        if isinstance(obj, (Source, Diagnostic)) and obj.file in (None, dev.file):
            _put(lines, obj.line, obj.text)
    return lines


def from_findings(report) -> dict[str, dict[int, str]]:
    """Device file -> line -> text of the findings' own device lines (when no model is at hand: audit, hook)."""
    out: dict[str, dict[int, str]] = {}
    for f in report.all_findings():
        d = f.device
        if d and d.file:
            _put(out.setdefault(d.file, {}), d.line, d.text)
    return out


def merged(*parts: dict[str, dict[int, str]]) -> dict[str, dict[int, str]]:
    out: dict[str, dict[int, str]] = {}
    for part in parts:
        for file, lines in part.items():
            into = out.setdefault(file, {})
            for n, text in lines.items():
                _put(into, n, text)
    return out
