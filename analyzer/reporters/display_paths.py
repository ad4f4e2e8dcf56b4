"""Short paths for reports that list hundreds of files: relative to the current folder when a file lies under it
or in the same git repository (``../alibaba/x.json``); else from a marked prefix, ``[name]/...``, standing for
the file's git repository or for the folder all remaining files share, each prefix named once in the report.
The brackets keep a prefix apart from a local folder of the same name; a prefix that still clashes (a folder
literally named ``[name]`` here, two folders of one name) is not used: those paths stay absolute. Only the
display changes; JSON and SARIF keep their own path rules."""
from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache

from analyzer.i18n import N_


@lru_cache(maxsize=4096)
def _git_root(folder: str) -> str | None:
    if os.path.exists(os.path.join(folder, ".git")):
        return folder
    parent = os.path.dirname(folder)
    return None if parent == folder else _git_root(parent)


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


@lru_cache(maxsize=65536)
def _local(path: str, cwd: str) -> str | None:
    """``path`` relative to ``cwd`` when under it or in the same git repository; None otherwise."""
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:  # another drive (Windows)
        return None
    if not rel.startswith(".."):
        return rel
    root = _git_root(cwd)
    return rel if root and os.path.dirname(root) != root and _under(path, root) else None


def _label(folder: str) -> str:
    return f"[{os.path.basename(folder)}]"


def display_path(path: str) -> str:
    """One path on its own: relative to the current folder (or its repository), else ``[repository]/...``,
    else as given."""
    if not os.path.isabs(path):
        return path
    if (local := _local(path, os.getcwd())) is not None:
        return local
    root = _git_root(os.path.dirname(path))
    if root and os.path.dirname(root) != root:
        return os.path.join(_label(root), os.path.relpath(path, root))
    return path


class Paths:
    """Every path of one report shown short. ``prefixes``: each ``[name]`` used -> (its folder, what it is:
    "git repository" or "common folder", N_-marked: shown with _()), for the report to explain once; ``base``: the
    common folder, if any."""

    def __init__(self, paths: Iterable[str | None]):
        self._cwd = os.getcwd()
        roots, rest = set(), set()
        for p in {p for p in paths if p and os.path.isabs(p)}:
            if _local(p, self._cwd) is not None:
                continue
            root = _git_root(os.path.dirname(p))
            if root and os.path.dirname(root) != root:
                roots.add(root)
            else:
                rest.add(p)
        try:
            common = os.path.commonpath(rest) if rest else ""
        except ValueError:  # paths on several drives (Windows)
            common = ""
        if rest == {common}:  # a single file: its folder
            common = os.path.dirname(common)
        self.base = common if common and os.path.dirname(common) != common else None
        self.prefixes: dict[str, tuple[str, str]] = {}
        names = [_label(r) for r in roots] + ([_label(self.base)] if self.base else [])
        for folder, what in [(r, N_("git repository")) for r in sorted(roots)] + (
                [(self.base, N_("common folder"))] if self.base else []):
            label = _label(folder)
            if names.count(label) == 1 and not os.path.lexists(os.path.join(self._cwd, label)):
                self.prefixes[label] = (folder, what)
        self._folders = {folder: label for label, (folder, _) in self.prefixes.items()}
        self._seen: dict[str, str] = {}

    def __call__(self, path: str | None) -> str:
        if not path:
            return ""
        if path not in self._seen:
            self._seen[path] = self._short(path)
        return self._seen[path]

    def _short(self, path: str) -> str:
        if not os.path.isabs(path):
            return path
        if (local := _local(path, self._cwd)) is not None:
            return local
        root = _git_root(os.path.dirname(path)) if os.path.isabs(path) else None
        for folder in (root, self.base):
            if folder and folder in self._folders and _under(path, folder):
                rel = os.path.relpath(path, folder)
                return self._folders[folder] if rel == "." else os.path.join(self._folders[folder], rel)
        return path
