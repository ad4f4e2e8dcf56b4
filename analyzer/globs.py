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
import re


@functools.lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern:
    pattern = pattern.replace("\\", "/").removeprefix("./")
    anchored = "/" in pattern.rstrip("/")
    pattern = pattern.strip("/")
    out, i, n = [], 0, len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i) and (i == 0 or pattern[i - 1] == "/"):
            out.append("(?:[^/]+/)*")
            i += 3
        elif pattern.startswith("**", i) and (i == 0 or pattern[i - 1] == "/") and i + 2 == n:
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[" and "]" in pattern[i + 2:]:
            j = pattern.index("]", i + 2)  # a `]` right after `[` is a member, as in fnmatch
            body = pattern[i + 1:j]
            neg = body[:1] in ("!", "^")
            body = body[1:] if neg else body
            out.append("[" + ("^" if neg else "") + body.replace("\\", "\\\\").replace("/", "") + "]")
            i = j + 1
        else:
            out.append(re.escape(c))
            i += 1
    prefix = "" if anchored else "(?:.*/)?"
    # a match on a folder covers what is inside it
    return re.compile(prefix + "".join(out) + "(?:/.*)?", re.DOTALL)


def relative(path: str, root: str) -> str:
    """PATH relative to ROOT, with `/` separators (`..` segments kept when PATH is outside ROOT)."""
    return os.path.relpath(os.path.abspath(path), os.path.abspath(root)).replace(os.sep, "/")


def matches(rel_path: str, pattern: str) -> bool:
    """Whether REL_PATH (relative to the pattern's root, `/`-separated) matches PATTERN. A path outside the
    root (`../x`) matches nothing."""
    rel_path = rel_path.replace(os.sep, "/").removeprefix("./")
    if rel_path == ".." or rel_path.startswith("../"):
        return False
    return _compile(pattern).fullmatch(rel_path) is not None


def match_any(rel_path: str, patterns) -> bool:
    return any(matches(rel_path, p) for p in patterns)


def expand(root: str, pattern: str) -> list[str]:
    """The files under ROOT that PATTERN matches (sorted, as paths joined to ROOT); hidden folders such as
    `.git` are not entered unless the pattern names them."""
    rx = _compile(pattern)
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
            if rx.fullmatch(relative(full, root)):
                out.append(full)
    return sorted(out)
