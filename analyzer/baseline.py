"""Baselines (issue 13 item 7): today's findings recorded by fingerprint, so that a later run reports only new
ones. Inline `!`/`#` suppressions vanish when a config is re-exported from the device; a baseline file does not.

The file (JSON, sorted, one entry per finding; `code`, `file` and `message` are for the people reading a diff):

    {"tool": "ipsec-preflight", "version": "...", "entries": [
        {"fingerprint": "...", "code": "PfsMismatch", "file": "configs/hz.cfg", "message": "..."}]}

Matching is by fingerprint only (analyzer/fingerprint.py: rule, files, connection, tunnel, object; never a
value or a line), so a changed value or a moved line keeps a finding baselined. An entry is stale (listed so
the file can shrink) when its file was checked in this run and the finding no longer occurs, or when its file
no longer exists; entries of files this run did not check (a `check` of one pair against a repository's
baseline) are left alone."""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field

from analyzer.i18n import _
from parsers.common import InputError

TOOL = "ipsec-preflight"


@dataclass(frozen=True, order=True)
class Entry:
    file: str
    code: str
    fingerprint: str
    message: str

    def as_dict(self) -> dict:
        return {"fingerprint": self.fingerprint, "code": self.code, "file": self.file, "message": self.message}


@dataclass
class Outcome:
    """What applying a baseline did: findings left out, and entries that no longer occur."""
    file: str
    baselined: int = 0
    stale: list[Entry] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"file": self.file, "baselined": self.baselined, "stale": [e.as_dict() for e in self.stale]}


def _shown(path: str) -> str:
    from analyzer.src_root import shown

    return shown(path)


def _findings(report):
    """(finding, file it belongs to, list holding it) for every finding of the report."""
    for p in report.pairs:
        for f in p.findings:
            yield f, f.device.file if f.device and f.device.file else p.device, p.findings
    if report.audit is not None:
        for f in report.audit.cross:
            where = f.device.file if f.device and f.device.file else f.alibaba.file if f.alibaba else None
            yield f, where or "(audit)", report.audit.cross


def entries(report) -> list[Entry]:
    """The report's reported findings (suppressed ones are not) as baseline entries, sorted."""
    out = []
    for f, where, _holder in _findings(report):
        if f.suppressed:
            continue
        if not f.fingerprint:
            raise ValueError(f"finding {f.code} has no fingerprint (analyzer.fingerprint.stamp not run)")
        out.append(Entry(_shown(where), f.code, f.fingerprint, f.message))
    return sorted(out)


def dumps(report, version: str) -> str:
    """The baseline file's text: stable for the same findings (sorted entries, fixed key order)."""
    doc = {"tool": TOOL, "version": version, "entries": [e.as_dict() for e in entries(report)]}
    return json.dumps(doc, indent=2, ensure_ascii=True) + "\n"


def load(path: str) -> list[Entry]:
    """The entries of a baseline file; anything else is an InputError naming the file (and line)."""
    from parsers.common import read_text

    text = read_text(path)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, _("not a baseline file: invalid JSON: {reason}").format(reason=exc.msg),
                         line=exc.lineno) from None
    except (RecursionError, ValueError):
        raise InputError(path, _("not a baseline file: invalid JSON")) from None
    if not isinstance(doc, dict) or doc.get("tool") != TOOL or not isinstance(doc.get("entries"), list):
        raise InputError(path, _("not a baseline file: expected {shape} (written by --write-baseline)").format(
            shape='{"tool": "ipsec-preflight", "entries": [...]}'))
    out = []
    for i, e in enumerate(doc["entries"]):
        if not isinstance(e, dict) or not all(isinstance(e.get(k), str) for k in ("fingerprint", "code", "file")):
            raise InputError(path, _("baseline entry #{number}: needs the strings fingerprint, code and file").format(
                number=i + 1))
        message = e.get("message")
        out.append(Entry(e["file"], e["code"], e["fingerprint"], message if isinstance(message, str) else ""))
    return out


def apply(report, baseline: list[Entry], path: str) -> Outcome:
    """Remove the baselined findings from the report (each entry matches one finding); list stale entries."""
    from analyzer.src_root import root

    left = Counter(e.fingerprint for e in baseline)
    checked = {_shown(p.device) for p in report.pairs} | {_shown(p.alibaba_file) for p in report.pairs
                                                           if p.alibaba_file}
    dropped: set[int] = set()
    holders = {}
    for f, _where, holder in _findings(report):
        if not f.suppressed and left[f.fingerprint] > 0:
            left[f.fingerprint] -= 1
            dropped.add(id(f))
            holders[id(holder)] = holder
    for p in report.pairs:  # each pair says how many of its findings were left out
        p.baselined += sum(1 for f in p.findings if id(f) in dropped)
    for holder in holders.values():  # in place: the lists are the report's own
        holder[:] = [f for f in holder if id(f) not in dropped]
    stale = []
    for e in sorted(baseline):
        if left[e.fingerprint] <= 0:
            continue
        gone = e.file != "(audit)" and not e.file.startswith("api:") and not os.path.exists(os.path.join(root(), e.file))
        if e.file in checked or gone:
            left[e.fingerprint] -= 1
            stale.append(e)
    return Outcome(path, len(dropped), stale)


def attach(report, outcome: Outcome):
    """``report`` (the same object) now carrying what the baseline did."""
    from analyzer.findings import BaselineSummary

    report.baseline = BaselineSummary(**outcome.as_dict())
    return report
