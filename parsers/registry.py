"""Which parser reads which input. Vendor modules are imported only when a file needs them."""
from __future__ import annotations

import importlib
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


def detect_vendor(text: str) -> str | None:
    """Best guess of the device family from the text alone; None when nothing is recognised."""
    # Exports open with version/hostname lines and end with the crypto and line sections: the first and
    # last 256 KB decide almost always; the rest (up to 2 MB, bounded work) only when they show nothing.
    # A clear lead (two markers more than any other family) in the first 16 KB settles it cheaply.
    # Every pattern starts at a newline: the text gets one in front so its first line counts too.
    # A decisive banner (the export's version line, near the top) wins over any score.
    for vendor, banner in _DECISIVE:
        if banner.search(text[:16_384]):
            return vendor
    scores = _scores(_ALL.finditer("\n" + text[:16_384]))
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


def _scores(matches) -> dict[str, int]:
    scores = dict.fromkeys(_MARKERS, 0)
    for i in {int(m.lastgroup[1:]) for m in matches}:
        scores[_ORDER[i][0]] += 1
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
    dev = importlib.import_module(f"{VENDORS[vendor]}.parser").parse(text, file)
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
