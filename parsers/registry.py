"""Which parser reads which input. Vendor modules are imported only when a file needs them."""
from __future__ import annotations

import functools
import gc
import importlib
import operator
import re

from parsers.common import InputError

# vendor -> package (parsers/<vendor>/): VENDOR and MARKERS in it, parse(text, file) -> DeviceConfig in its .parser
VENDORS = {"cisco-ios": "parsers.cisco_ios", "cisco-asa": "parsers.cisco_asa", "huawei-vrp": "parsers.huawei_vrp",
           "h3c-comware": "parsers.h3c_comware"}

# Syntax that only one family writes. Each marker is counted once; the family with most markers wins.
_MARKERS = {vendor: importlib.import_module(module).MARKERS for vendor, module in VENDORS.items()}
# One pass over the text: every marker is an alternative of one regex, named by an empty group at its end (so each
# alternative starts with a literal: the engine rejects it on one character compare instead of entering a group).
# Alternatives are nested by their first two literal characters, so a line is tried against a few, not 50 markers
# (a third of the instructions of named groups in front, measured on the bench's configs), and the regex starts with
# a literal newline, which the engine finds at memchr speed.
_ORDER = [(v, m.lstrip("^")) for v, ms in _MARKERS.items() for m in ms]
_META = frozenset(".^$*+?{}[]()|\\")


def _literal_lead(p: str) -> str | None:
    """The pattern text of ``p``'s first character when it is a literal (``\\[`` counts) matched once, else None."""
    lead = p[:2] if p[:1] == "\\" and p[1:2] and not p[1].isalnum() else p[:1] if p[:1] not in _META else ""
    return lead if lead and p[len(lead):len(lead) + 1] not in ("*", "+", "?", "{") else None


def _nested(alts: list[tuple[int, str]], depth: int) -> str:
    """``alts`` ([(marker index, pattern)], in order) as one alternation, alternatives with the same literal first
    character under one prefix, ``depth`` levels deep. Where a match is tried first matters only between
    alternatives that can match the same text: an alternative without a literal lead is a barrier no other moves
    across, and two with different literal leads never match the same text."""
    if depth == 0 or len(alts) == 1:
        return "|".join(f"{p}(?P<m{i}>)" for i, p in alts)
    groups: list[tuple[str | None, list[tuple[int, str]]]] = []
    open_groups: dict[str, list[tuple[int, str]]] = {}
    for i, p in alts:
        lead = _literal_lead(p)
        if lead is None:
            groups.append((None, [(i, p)]))
            open_groups.clear()
        elif lead in open_groups:
            open_groups[lead].append((i, p[len(lead):]))
        else:
            groups.append((lead, open_groups.setdefault(lead, [(i, p[len(lead):])])))
    return "|".join(_nested(members, 0) if lead is None else f"{lead}(?:{_nested(members, depth - 1)})"
                    for lead, members in groups)


def _grouped(depth: int = 2) -> re.Pattern:
    return re.compile("\n(?:" + _nested(list(enumerate(m for _, m in _ORDER)), depth) + ")", re.MULTILINE)


@functools.cache
def _markers() -> tuple[re.Pattern, dict[int, str]]:
    """The marker regex and, per regex group number, the family of its marker (the group that matched is read as
    m.lastindex, in C). Compiled on first use (~24 M instructions): an export that opens with its banner never
    needs it."""
    rx = _grouped()
    return rx, {number: _ORDER[int(name[1:])][0] for name, number in rx.groupindex.items()}


# vendor -> one regex whose match settles the family (a version banner only it prints)
_DECISIVE = [(v, re.compile(d, re.MULTILINE)) for v, module in VENDORS.items()
             if (d := getattr(importlib.import_module(module), "DECISIVE", None))]


def _at_newline(pattern: re.Pattern) -> tuple[re.Pattern, bool]:
    """``^x`` (MULTILINE) as ``\nx``, searched in the text with a newline in front: the same matches, but the
    engine jumps from newline to newline instead of trying every position. Only for one leading ``^`` and no
    ``$`` or ``|``; the flag says whether the text needs the newline in front."""
    p = pattern.pattern
    if p.startswith("^") and "^" not in p[1:] and "$" not in p and not _top_level_bar(p):
        return re.compile("\n" + p[1:]), True
    return pattern, False


def _top_level_bar(p: str) -> bool:
    depth, i = 0, 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 1
        elif c == "[":  # a class: skip to its closing bracket (none found: say yes, the pattern stays as is)
            i = p.find("]", i + 2)
            if i < 0:
                return True
        elif c in "()":
            depth += 1 if c == "(" else -1
        elif c == "|" and depth == 0:
            return True
        i += 1
    return False


_DECISIVE_FAST = [(v, *_at_newline(banner)) for v, banner in _DECISIVE]

# vendor -> the line its export opens with (OPENING in its package, with where the form was seen), decisive only
# there: before it only blank lines, comment lines, the prompt line that ran the command
# (`<AR1>display current-configuration`, `[~CE1]...`) and IOS's header. Only there, so the same words in another
# export's `banner motd` or in a pasted note never decide (then the markers score).
_OPENING = {v: re.compile(o) for v, module in VENDORS.items()
            if (o := getattr(importlib.import_module(module), "OPENING", None))}
_PREAMBLE = re.compile(r"[ \t\r]*$|[!#:<\[]|Building configuration\.\.\.|Current configuration : \d+ bytes")


def _opening_vendor(text: str) -> str | None:
    for line in text[:4096].split("\n", 32)[:32]:
        found = [v for v, opening in _OPENING.items() if opening.match(line)]
        if found or not _PREAMBLE.match(line):
            return found[0] if len(found) == 1 else None
    return None


def _banner_vendor(head: str, text: str) -> str | None:
    """The family a decisive banner names, or None: no banner, or banners of two families (a banner that another
    family's export carries is no evidence)."""
    found = {v for v, banner, at_newline in _DECISIVE_FAST if banner.search(head if at_newline else head[1:])}
    if (opening := _opening_vendor(text)) is not None:
        found.add(opening)
    return found.pop() if len(found) == 1 else None


def detect_vendor(text: str) -> str | None:
    """Best guess of the device family from the text alone; None when nothing is recognised."""
    # Exports open with version/hostname lines and end with the crypto and line sections: the first and
    # last 256 KB decide almost always; the rest (up to 2 MB, bounded work) only when they show nothing.
    # A clear lead (two markers more than any other family) in the first 16 KB settles it cheaply.
    # Every pattern starts at a newline: the text gets one in front so its first line counts too.
    # A decisive banner (Comware's version line near the top, or the line an export opens with) wins over any
    # score, unless banners of two families are found.
    head = "\n" + text[:16_384]
    if (vendor := _banner_vendor(head, text)) is not None:
        return vendor
    markers = _markers()[0]
    scores = _scores(markers.finditer(head))
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] - ranked[1] < 2 and len(text) > 16_384:
        if len(text) > 600_000:
            scores = _scores(m for part in (text[:262_144], text[-262_144:]) for m in markers.finditer("\n" + part))
            if max(scores.values()) == 0:
                scores = _scores(markers.finditer("\n" + text[:2_000_000]))
        else:
            scores = _scores(markers.finditer("\n" + text))
    best = max(scores, key=lambda v: scores[v])
    return best if scores[best] > 0 else None


_LASTINDEX = operator.attrgetter("lastindex")


def _scores(matches) -> dict[str, int]:
    scores = dict.fromkeys(_MARKERS, 0)
    family = _markers()[1]
    for number in set(map(_LASTINDEX, matches)):  # each marker counts once
        scores[family[number]] += 1
    return scores


def parse_device(text: str, file: str, vendor: str = "auto"):
    from parsers.values import display_path
    file = display_path(file)  # the name as reports show it: bytes that are not UTF-8 become \xNN
    if vendor == "auto":
        detected = detect_vendor(text)
        if detected is None:
            raise InputError(file, "cannot tell the device vendor from the text; pass --vendor "
                                   f"({', '.join(VENDORS)})")
        vendor = detected
    if vendor not in VENDORS:
        raise InputError(file, f"unknown vendor {vendor!r} (supported: {', '.join(VENDORS)})")
    parse = importlib.import_module(f"{VENDORS[vendor]}.parser").parse
    # A parse allocates a few objects per line (lines, blocks) that reference counting frees; the cycle
    # collector's passes over them found nothing and cost ~10 % of the parse (measured on bench/generate.py's
    # set): paused for the parse, and any cycle made meanwhile is collected once it is back on.
    collecting = gc.isenabled()
    gc.disable()
    try:
        dev = parse(text, file)
    finally:
        if collecting:
            gc.enable()
    if "ipsec-preflight" in text:  # inline suppressions are rare: skip the line scan otherwise
        from parsers.blocks import split_lines
        from parsers.suppressions import find_suppressions
        dev.suppressions = find_suppressions(split_lines(text))  # numbered as the scanner numbers them
    return dev


def looks_like_json(text: str) -> bool:
    """JSON is the Alibaba side. A Huawei export opens with `[V200R010C10SPC700]` (or a `[~HUAWEI]` prompt):
    a `[` counts as JSON only when what follows can start a JSON value."""
    head = text[:4096].lstrip("\ufeff \t\r\n")
    if head[:1] != "[":
        return head[:1] == "{"
    rest = head[1:].lstrip(" \t\r\n")
    return rest[:1] in ("", "{", "[", "]", '"', "-") or rest[:1].isdigit() or rest.startswith(("true", "false", "null"))
