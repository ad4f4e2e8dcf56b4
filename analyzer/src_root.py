"""The base every CI format names files against: ``%SRCROOT%``, the git work tree holding the current folder,
else the current folder. GitHub code scanning, GitHub annotations and GitLab Code Quality all resolve a relative
path against the repository root, so a path relative to the folder the tool was started in (a subfolder of
the repository) would point at the wrong file. Fingerprints use the same relative paths, so an alert does not
depend on where the checkout lives or which folder the command ran in."""
from __future__ import annotations

import functools
import os
from pathlib import Path, PurePath
from urllib.parse import quote


@functools.lru_cache(maxsize=None)
def _root_of(cwd: str) -> Path:
    here = Path(cwd)
    for folder in (here, *here.parents):
        if (folder / ".git").exists():  # a folder, or a file in a linked work tree / submodule
            return folder
    return here


def root() -> Path:
    """The git work-tree root of the current folder, else the current folder (absolute)."""
    return _root_of(os.path.abspath(os.curdir))


def relative(path: str) -> str | None:
    """``path`` relative to ``root()`` as a POSIX path, or None when it lies outside (or on another drive)."""
    base = root()
    try:
        rel = PurePath(os.path.relpath(os.path.abspath(path), base))
    except ValueError:
        return None
    if rel.parts[:1] == ("..",) or rel.is_absolute():
        return None
    return rel.as_posix()


def shown(path: str) -> str:
    """The name CI formats print: relative to the root, else the absolute POSIX path."""
    rel = relative(path)
    return rel if rel is not None else PurePath(os.path.abspath(path)).as_posix()


def root_uri() -> str:
    """``file:///.../`` of the root, with the trailing slash SARIF requires of a base URI."""
    return file_uri(str(root())).rstrip("/") + "/"


def file_uri(path: str) -> str:
    p = PurePath(os.path.abspath(path)).as_posix()
    return "file://" + quote(p if p.startswith("/") else "/" + p)
