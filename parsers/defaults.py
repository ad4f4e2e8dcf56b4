"""Vendor defaults as data: what a device applies when a line is absent, per software release, with the
document each row comes from. Each vendor package has a ``defaults.py`` holding a :class:`Defaults` table;
its parser looks values up here (never hard-codes them) and docs/vendors.md is generated from the tables.

A release-dependent default on a device whose release is unknown is never guessed silently: :meth:`pick`
returns no row, and the parser reports that the value depends on the release (naming the candidates).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from analyzer.i18n import N_, _
from analyzer.model import UNVERIFIED_DEFAULT

# Table rows are declared at import (N_-marked there, in each vendor's defaults.py); `note` translates the default
# (`what`) and its source when a finding shows them. docs/vendors.md and `vendors` print them in English.
_UNVERIFIED = N_("not verified in a vendor document")
assert _UNVERIFIED == UNVERIFIED_DEFAULT

Release = tuple[int, ...]


@dataclass(frozen=True)
class Default:
    key: str  # the id the parser looks up, e.g. "ikev2.proposal"
    what: str  # the value as the docs show it
    value: Any = None  # what the parser uses (None: documented only, e.g. a behaviour)
    since: Release | None = None  # first release the row applies to (inclusive); None = every earlier one
    until: Release | None = None  # first release it no longer applies to (exclusive); None = every later one
    source: str = ""  # document title and section; "unverified: ..." when no vendor document was found
    label: str = ""  # what the row describes, for the docs (defaults to the key)

    @property
    def releases(self) -> str:
        return self.releases_in(str)

    def releases_in(self, tr=_) -> str:
        """The release range in the output language (``tr``; ``releases`` is the English one, for the docs)."""
        if self.since is None and self.until is None:
            return tr(N_("all"))
        if self.since and self.until and len(self.since) == len(self.until) == 1 and self.until[0] == self.since[0] + 1:
            return f"{self.since[0]}.x"
        if self.since and self.until:
            return tr(N_("{since} up to {until} (excluded)")).format(since=_fmt(self.since), until=_fmt(self.until))
        if self.since:
            return tr(N_("{since} and later")).format(since=_fmt(self.since))
        return tr(N_("before {until}")).format(until=_fmt(self.until))

    @property
    def verified(self) -> bool:
        return not self.source.lower().startswith("unverified")

    def covers(self, release: Release) -> bool:
        return (self.since is None or release >= self.since) and (self.until is None or release < self.until)


@dataclass(frozen=True)
class Pick:
    """The row that applies, or, when the release is unknown and the rows differ, none and the candidates."""

    row: Default | None
    candidates: tuple[Default, ...]

    @property
    def release_dependent(self) -> bool:
        return self.row is None and len(self.candidates) > 1


class Defaults:
    def __init__(self, vendor: str, rows: list[Default]):
        self.vendor, self.rows = vendor, rows
        keys = [r.key for r in rows]
        for key in dict.fromkeys(keys):  # ranges of one key must not overlap: one answer per release
            same = sorted((r for r in rows if r.key == key), key=lambda r: r.since or ())
            for a, b in zip(same, same[1:]):
                if a.until is None or (b.since or ()) < a.until:
                    raise ValueError(f"{vendor} defaults: overlapping release ranges for {key}")

    def pick(self, key: str, release: Release | None) -> Pick:
        rows = tuple(r for r in self.rows if r.key == key)
        if not rows:
            raise KeyError(f"{self.vendor} defaults: no row {key!r}")
        if release is not None:
            hit = next((r for r in rows if r.covers(release)), None)
            return Pick(hit, rows)
        if len({repr(r.value) for r in rows}) == 1:
            return Pick(rows[-1], rows)
        return Pick(None, rows)

    def value(self, key: str, release: Release | None = None) -> Any:
        """The value of a key that does not depend on the release (or of the row for ``release``)."""
        p = self.pick(key, release)
        if p.row is None:
            raise KeyError(f"{self.vendor} defaults: {key!r} depends on the release")
        return p.row.value

    def note(self, key: str, release: Release | None = None) -> str:
        """Why a value applies, for a finding: the default and its source."""
        p = self.pick(key, release)
        if p.release_dependent:  # never name one candidate as if it applied
            return _("{vendor} default depends on the release: {candidates}").format(
                vendor=self.vendor, candidates=_("; ").join(
                    _("({releases}) {what} - {source}").format(releases=r.releases_in(), what=shown(r.what),
                                                               source=_src(r)) for r in p.candidates))
        row = p.row or p.candidates[-1]
        return _("{vendor} default ({releases}): {what} - {source}").format(
            vendor=self.vendor, releases=row.releases_in(), what=shown(row.what), source=_src(row))

    def markdown(self) -> str:
        lines = ["| value | releases | default | source |", "|---|---|---|---|"]
        for r in self.rows:
            lines.append(f"| {r.label or r.key} | {r.releases} | {_cell(r.what)} | {_cell(r.source)} |")
        return "\n".join(lines) + "\n"


_RELEASE = re.compile(r"(\d{1,3})(?:\.(\d{1,3}))?(?:[.(](\d{1,4}))?")


def parse_release(text: str | None) -> Release | None:
    """`15.4`, `16.12`, `17.12.1a`, ASA `9.16(4)`, VRP `V200R010C10SPC700` (V200 R010 -> (200, 10))."""
    if not text:
        return None
    vrp = re.match(r"V(\d{3})R(\d{3})", text)
    if vrp:
        return int(vrp.group(1)), int(vrp.group(2))
    m = _RELEASE.match(text)
    if not m:
        return None
    return tuple(int(g) for g in m.groups() if g is not None)


def shown(text: str) -> str:
    """A row's ``what`` (or ``source``) in the output language ("" stays "": gettext would give the catalog header)."""
    return _(text) if text else ""


def _src(row: Default) -> str:
    """The row's source in the output language; an unverified one says so, then what was found. A source is
    translated whole (its msgid is the row's English text) and keeps its "unverified:" prefix translated too."""
    source = shown(row.source)
    if row.verified:
        return source
    found = re.split("[:：]", source, maxsplit=1)[1].strip() if re.search("[:：]", source) else ""
    return _(_UNVERIFIED) + (_(" (found: {found})").format(found=found) if found else "")


def _fmt(release: Release) -> str:
    return ".".join(map(str, release))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
