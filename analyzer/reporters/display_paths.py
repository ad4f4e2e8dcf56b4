"""Short paths for reports that list hundreds of files: relative to the current folder when a file lies under it,
else to its git repository's root (shown as ``<root name>/...``), else to the folder all remaining files share
(named once in the report). Only the display changes; JSON and SARIF keep their own path rules."""
from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=4096)
def _git_root(folder: str) -> str | None:
    if os.path.exists(os.path.join(folder, ".git")):
        return folder
    parent = os.path.dirname(folder)
    return None if parent == folder else _git_root(parent)


@lru_cache(maxsize=65536)
def _relative(path: str, cwd: str) -> str:
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:  # another drive (Windows)
        return path
    if not rel.startswith(".."):
        return rel
    root = _git_root(os.path.dirname(path))
    if root and os.path.dirname(root) != root:
        return os.path.join(os.path.basename(root), os.path.relpath(path, root))
    return path


def display_path(path: str) -> str:
    """``path`` relative to the current folder, else to its git root; else as given."""
    return _relative(path, os.getcwd()) if os.path.isabs(path) else path


class Paths:
    """display_path, and for the absolute paths left over, their common folder (when it is not the file system
    root): ``/srv/exports/a/r1.cfg`` -> ``exports/a/r1.cfg`` with ``base`` = ``/srv/exports``."""

    def __init__(self, paths: Iterable[str | None]):
        rest = {p for p in {display_path(p) for p in paths if p} if os.path.isabs(p)}
        try:
            common = os.path.commonpath(rest) if rest else ""
        except ValueError:  # paths on several drives (Windows)
            common = ""
        if rest == {common}:  # a single file: its folder
            common = os.path.dirname(common)
        self.base = common if common and os.path.dirname(common) != common else None
        self._seen: dict[str, str] = {}

    def __call__(self, path: str | None) -> str:
        if not path:
            return ""
        if path not in self._seen:
            self._seen[path] = self._short(path)
        return self._seen[path]

    def _short(self, path: str) -> str:
        shown = display_path(path)
        if self.base and shown == self.base:  # an input folder that is the base itself
            return os.path.basename(self.base)
        if self.base and os.path.isabs(shown) and shown.startswith(self.base + os.sep):
            return os.path.join(os.path.basename(self.base), os.path.relpath(shown, self.base))
        return shown
