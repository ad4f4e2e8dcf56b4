"""Inline suppressions written in a device config as comments:

    ! ipsec-preflight: disable=LifetimeMismatch,PfsMismatch     (Cisco; covers the block that follows)
    # ipsec-preflight: disable=TrafficBasedLifetime              (Huawei/H3C)
    ! ipsec-preflight: disable-file=MultipleProposals            (the whole file)

The parser only records them; the checker decides what they cover."""
from __future__ import annotations

import re

from analyzer.model import Suppression

# The marker up to "="; the code list after it is checked without a regex that backtracks: the old single
# pattern ended in `([A-Za-z0-9_, ]+?)\s*$`, where a lazy group and `\s*` share the space, so a long comment
# that fails at its end (spaces, then one character the list does not allow) tried every split of the
# spaces: quadratic (152 s for a 100 KB comment). Same lines match, with the same codes.
_RE = re.compile(r"\s*[!#]+\s*ipsec-preflight\s*:\s*(disable-file|disable)\s*=")
_CODES = re.compile(r"[A-Za-z0-9_, ]+")
_MARK = "ipsec-preflight"


def find_suppressions(lines: list[str]) -> list[Suppression]:
    out: list[Suppression] = []
    for i, raw in enumerate(lines):
        if _MARK not in raw:  # cheap test first: most files have none
            continue
        m = _RE.match(raw)
        if not m:
            continue
        rest = raw[m.end():]
        body = rest.strip()
        if not (_CODES.fullmatch(body) if body else " " in rest):
            continue
        codes = [c.strip() for c in body.split(",") if c.strip()]
        if m.group(1) == "disable-file":
            out.append(Suppression(codes=codes, line=i + 1, text=raw.strip(), start=1, end=None))
        else:
            start, end = _block_after(lines, i)
            out.append(Suppression(codes=codes, line=i + 1, text=raw.strip(), start=start, end=end))
    return out


def _is_comment(line: str) -> bool:
    s = line.strip()
    return not s or s[0] in "!#"


def _block_after(lines: list[str], i: int) -> tuple[int, int]:
    """The next configuration line and, when it is a block header, its indented children (1-based)."""
    j = i + 1
    while j < len(lines) and _is_comment(lines[j]):
        j += 1
    if j >= len(lines):
        return i + 1, i + 1
    head_indent = len(lines[j]) - len(lines[j].lstrip())
    k = j + 1
    while k < len(lines):
        line = lines[k]
        if line.strip() and not _is_comment(line) and len(line) - len(line.lstrip()) <= head_indent:
            break
        k += 1
    return j + 1, k
