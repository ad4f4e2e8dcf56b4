"""One glob semantics for every path pattern the tool reads (settings file, `--pairing`, `--include`,
`--exclude`), git's: patterns are relative to a root folder and use `/`;

- `*` and `?` match within one path segment, `[abc]` a character class;
- `**/` matches zero or more folders (`configs/**/*.cfg` matches `configs/x.cfg` and `configs/a/b/x.cfg`),
  a trailing `/**` everything inside;
- a pattern without `/` matches a name at any depth (`*.md` matches `docs/x.md`), as in `.gitignore`;
- a pattern that matches a folder matches every file inside it (`configs/lab/*` covers `configs/lab/a/x.cfg`).
"""
from __future__ import annotations

import functools
import os


MAX_PATTERN = 1024  # characters; a longer glob is refused (it is a mistake, and matching work grows with it)


class BadGlob(ValueError):
    pass


# Matching is done segment by segment with dynamic programming, never with a backtracking regex: a pattern like
# `*a*a*a*a*a*b` (or ten stars in a row) made `re` take minutes on one file name.

@functools.lru_cache(maxsize=256)
def _compile(pattern: str) -> tuple[tuple, ...]:
    """The pattern as segments; `**` is kept as the string "**", other segments as token tuples."""
    if len(pattern) > MAX_PATTERN:
        raise BadGlob(f"glob longer than {MAX_PATTERN} characters")
    pattern = pattern.replace("\\", "/").removeprefix("./")
    anchored = "/" in pattern.rstrip("/")
    segs = [seg for seg in pattern.strip("/").split("/") if seg]
    out: list = [] if anchored else ["**"]
    for seg in segs:
        if seg == "**" or (seg.startswith("**") and set(seg) == {"*"}):
            if out[-1:] != ["**"]:
                out.append("**")
        else:
            out.append(_tokens(seg))
    if len(out) > 1 and out[-1] == "**":  # a trailing `/**` is what is inside: `/*` plus the folder cover
        out[-1] = ("*",)
    return tuple(out)


def _tokens(seg: str) -> tuple:
    """("*",), ("?",), ("[", members, negated) or a literal character per element; `**` inside a name is `*`."""
    out: list = []
    i = 0
    while i < len(seg):
        c = seg[i]
        if c == "*":
            if out[-1:] != ["*"]:
                out.append("*")
            i += 1
        elif c == "?":
            out.append("?")
            i += 1
        elif c == "[" and "]" in seg[i + 2:]:
            j = seg.index("]", i + 2)  # a `]` right after `[` is a member, as in fnmatch
            body = seg[i + 1:j]
            neg = body[:1] in ("!", "^")
            out.append(("[", _members(body[1:] if neg else body), neg))
            i = j + 1
        else:
            out.append(c)
            i += 1
    return tuple(out)


def _members(body: str) -> tuple:
    ranges = []
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            ranges.append((body[i], body[i + 2]))
            i += 3
        else:
            ranges.append((body[i], body[i]))
            i += 1
    return tuple(ranges)


def _one(tok, ch: str) -> bool:
    if tok == "?":
        return True
    if isinstance(tok, tuple):
        hit = any(lo <= ch <= hi for lo, hi in tok[1])
        return hit != tok[2]
    return tok == ch


def _segment(name: str, toks: tuple) -> bool:
    """Wildcard match of one name: O(len(name) * len(toks)) whatever the pattern."""
    row = [True] + [False] * len(name)  # row[k]: toks[:t] matches name[:k]
    for tok in toks:
        if tok == "*":
            new = row[:]
            for k in range(1, len(name) + 1):
                new[k] = new[k - 1] or row[k]
        else:
            new = [False] + [row[k - 1] and _one(tok, name[k - 1]) for k in range(1, len(name) + 1)]
        row = new
    return row[len(name)]


def _path(parts: list[str], segs: tuple) -> bool:
    """Segments against the pattern; `**` takes zero or more parts; parts left over are inside a matched folder."""
    reach = {0}  # pattern positions reachable after the parts consumed so far
    for part in parts:
        reach = _close(reach, segs)
        if len(segs) in reach:
            return True  # the pattern matched a folder above this part
        nxt = set()
        for j in reach:
            if j < len(segs):
                if segs[j] == "**":
                    nxt.add(j)
                elif _segment(part, segs[j]):
                    nxt.add(j + 1)
        if not nxt:
            return False
        reach = nxt
    return len(segs) in _close(reach, segs)


def _close(reach: set, segs: tuple) -> set:
    out = set(reach)
    for j in sorted(reach):
        while j < len(segs) and segs[j] == "**":
            j += 1
            out.add(j)
    return out


def check(pattern: str) -> None:
    """Raise BadGlob for a pattern the tool refuses (too long), so settings and options are refused when read."""
    _compile(pattern)


def relative(path: str, root: str) -> str:
    """PATH relative to ROOT, with `/` separators (`..` segments kept when PATH is outside ROOT)."""
    return os.path.relpath(os.path.abspath(path), os.path.abspath(root)).replace(os.sep, "/")


def matches(rel_path: str, pattern: str) -> bool:
    """Whether REL_PATH (relative to the pattern's root, `/`-separated) matches PATTERN. A path outside the
    root (`../x`) matches nothing."""
    rel_path = rel_path.replace(os.sep, "/").removeprefix("./")
    if rel_path == ".." or rel_path.startswith("../"):
        return False
    return _path(rel_path.split("/"), _compile(pattern))


def match_any(rel_path: str, patterns) -> bool:
    return any(matches(rel_path, p) for p in patterns)


def expand(root: str, pattern: str) -> list[str]:
    """The files under ROOT that PATTERN matches (sorted, as paths joined to ROOT); hidden folders such as
    `.git` are not entered unless the pattern names them."""
    segs = _compile(pattern)
    out = []
    # walk only below the pattern's literal leading folders (`alibaba/*.json` reads `alibaba/` alone)
    fixed = []
    if "/" in pattern.strip("/"):
        for part in pattern.replace("\\", "/").removeprefix("./").strip("/").split("/")[:-1]:
            if any(ch in part for ch in "*?["):
                break
            fixed.append(part)
    start = os.path.join(root, *fixed)
    if not os.path.isdir(start):
        return []
    for folder, dirs, files in os.walk(start):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") or f"{d}" in pattern)
        for name in files:
            full = os.path.join(folder, name)
            if _path(relative(full, root).split("/"), segs):
                out.append(full)
    return sorted(out)
