"""Which parser reads which input. Vendor modules are imported only when a file needs them."""
from __future__ import annotations

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
# One pass over the text: every marker is an alternative of one regex, named by its index. Alternatives
# are grouped by their first character, so a line is tried against a dozen groups, not 50 markers
# (3.5x faster, measured), and the regex starts with a literal newline, which the engine finds at memchr speed.
_ORDER = [(v, m.lstrip("^")) for v, ms in _MARKERS.items() for m in ms]


def _grouped() -> re.Pattern:
    groups: dict[str, list[str]] = {}
    for i, (_, m) in enumerate(_ORDER):
        lead = m[:2] if m.startswith("\\") else m[:1]
        groups.setdefault(lead, []).append(f"(?P<m{i}>{m[len(lead):]})")
    return re.compile("\n(?:" + "|".join(f"{lead}(?:{'|'.join(alts)})" for lead, alts in groups.items()) + ")",
                      re.MULTILINE)


_ALL = _grouped()
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


def detect_vendor(text: str) -> str | None:
    """Best guess of the device family from the text alone; None when nothing is recognised."""
    # Exports open with version/hostname lines and end with the crypto and line sections: the first and
    # last 256 KB decide almost always; the rest (up to 2 MB, bounded work) only when they show nothing.
    # A clear lead (two markers more than any other family) in the first 16 KB settles it cheaply.
    # Every pattern starts at a newline: the text gets one in front so its first line counts too.
    # A decisive banner (the export's version line, near the top) wins over any score.
    head = "\n" + text[:16_384]
    for vendor, banner, at_newline in _DECISIVE_FAST:
        if banner.search(head if at_newline else head[1:]):
            return vendor
    scores = _scores(_ALL.finditer(head))
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] - ranked[1] < 2 and len(text) > 16_384:
        if len(text) > 600_000:
            scores = _scores(m for part in (text[:262_144], text[-262_144:]) for m in _ALL.finditer("\n" + part))
            if max(scores.values()) == 0:
                scores = _scores(_ALL.finditer("\n" + text[:2_000_000]))
        else:
            scores = _scores(_ALL.finditer("\n" + text))
    best = max(scores, key=lambda v: scores[v])
    return best if scores[best] > 0 else None


# regex group number -> the family of its marker: the group that matched is read as m.lastindex, in C (map)
_FAMILY_OF_GROUP = {number: _ORDER[int(name[1:])][0] for name, number in _ALL.groupindex.items()}
_LASTINDEX = operator.attrgetter("lastindex")


def _scores(matches) -> dict[str, int]:
    scores = dict.fromkeys(_MARKERS, 0)
    for number in set(map(_LASTINDEX, matches)):  # each marker counts once
        scores[_FAMILY_OF_GROUP[number]] += 1
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
        from parsers.suppressions import find_suppressions
        dev.suppressions = find_suppressions(text.splitlines())
    return dev


def looks_like_json(text: str) -> bool:
    """JSON is the Alibaba side. A Huawei export opens with `[V200R010C10SPC700]` (or a `[~HUAWEI]` prompt):
    a `[` counts as JSON only when what follows can start a JSON value."""
    head = text[:4096].lstrip("\ufeff \t\r\n")
    if head[:1] != "[":
        return head[:1] == "{"
    rest = head[1:].lstrip(" \t\r\n")
    return rest[:1] in ("", "{", "[", "]", '"', "-") or rest[:1].isdigit() or rest.startswith(("true", "false", "null"))
