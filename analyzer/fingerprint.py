"""Stable finding fingerprints (issue 13): the rule, the file and the normalized config object involved, never
the message or a value, so that an alert survives a changed value or a moved line. CONTRACT (owned by the
reporters helper): ``of(finding, pair) -> str``; ``pair`` is the PairResult holding the finding, or None for an
audit cross finding. ``stamp(report)`` sets ``Finding.fingerprint`` on every finding of a report, numbering
findings whose inputs are equal in report order (two unparsed lines of one tunnel, say)."""
from __future__ import annotations

import hashlib
import re

from analyzer.rule_meta import LINE_IS_OBJECT
from analyzer.src_root import shown

VERSION = "v1"  # part of every key: a change of the inputs below is a new version, not a silent re-keying
_INDEX = re.compile(r"\[\d+\]")


def _words(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _field(path: str | None) -> str:
    """The Alibaba field path without array positions (the connection and tunnel ids say which one) and
    without the loader's "(absent: API default)" note: set or absent, it is the same field."""
    if not path:
        return ""
    return ", ".join(_INDEX.sub("[]", p.split(" (", 1)[0]) for p in path.split(", "))


def key(finding, pair) -> str:
    """What a fingerprint hashes (never a value, a message or a line number)."""
    dev = finding.device
    ali = finding.alibaba
    device_file = (dev.file if dev and dev.file else None) or (pair.device if pair else None)
    ali_file = (ali.file if ali and ali.file else None) or (pair.alibaba_file if pair else None)
    parts = [VERSION, finding.code,
             shown(device_file) if device_file else "", shown(ali_file) if ali_file else "",
             (pair.connection or "") if pair else "", (pair.tunnel or "") if pair else "",
             _words(pair.endpoint) if pair else "", _field(ali.field if ali else None),
             ",".join(sorted(finding.related))]
    if finding.code in LINE_IS_OBJECT and dev and dev.text:
        parts.append(_words(dev.text))
    return "\x1f".join(parts)


def of(finding, pair, occurrence: int = 0) -> str:
    """The fingerprint of ``finding``; ``occurrence``: how many earlier findings of the report had the same key."""
    text = key(finding, pair) + (f"\x1f#{occurrence}" if occurrence else "")
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def stamp(report) -> None:
    """Set ``fingerprint`` on every finding of ``report`` (pairs, then audit cross findings)."""
    seen: dict[str, int] = {}

    def one(f, pair):
        k = key(f, pair)
        n = seen.get(k, 0)
        seen[k] = n + 1
        f.fingerprint = of(f, pair, n)

    for p in report.pairs:
        for f in p.findings:
            one(f, p)
    if report.audit:
        for f in report.audit.cross:
            one(f, None)


def ensure(report) -> None:
    """Stamp the report unless every finding already carries a fingerprint (the commands stamp before rendering;
    a reporter called directly still gets them)."""
    if any(f.fingerprint is None for f in report.all_findings()):
        stamp(report)
