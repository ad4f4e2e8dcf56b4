"""The base every CI format names files against: ``%SRCROOT%``, the git work tree holding the current folder,
else the current folder. GitHub code scanning, GitHub annotations and GitLab Code Quality all resolve a relative
path against the repository root, so a path relative to the folder the tool was started in (a subfolder of
the repository) would point at the wrong file. Fingerprints use the same relative paths, so an alert does not
depend on where the checkout lives or which folder the command ran in."""
from __future__ import annotations

import functools
import os
import re
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


PSEUDO_PREFIXES = ("api:", "(audit)")  # names of inputs that are no file: a live API answer, the audit as a whole


def is_file(path: str) -> bool:
    """False for the pseudo-names of inputs that are not files (``api:REGION/Action``): CI formats must not
    point at them as repository files."""
    return not path.startswith(PSEUDO_PREFIXES)


def first_file(*paths: str | None) -> str | None:
    """The first of ``paths`` that is a file, else the first pseudo-name, else None: a finding on a live API
    answer points at the device file when it has one."""
    given = [p for p in paths if p]
    return next((p for p in given if is_file(p)), given[0] if given else None)


def _inside(path: str, base: str) -> str | None:
    try:
        rel = PurePath(os.path.relpath(path, base))
    except ValueError:  # another drive
        return None
    if rel.parts[:1] == ("..",) or rel.is_absolute():
        return None
    return rel.as_posix()


def relative(path: str) -> str | None:
    """``path`` relative to ``root()`` as a POSIX path, or None when it lies outside (or on another drive). A
    path reached through a symlink (the checkout or the argument) is compared by its real path too."""
    if not is_file(path):
        return None
    base = str(root())
    rel = _inside(os.path.abspath(path), base)
    return rel if rel is not None else _inside(os.path.realpath(path), os.path.realpath(base))


def shown(path: str) -> str:
    """The name CI formats print: relative to the root, else the absolute POSIX path; a pseudo-name as it is."""
    if not is_file(path):
        return path
    rel = relative(path)
    return rel if rel is not None else PurePath(os.path.abspath(path)).as_posix()


def root_uri() -> str:
    """``file:///.../`` of the root, with the trailing slash SARIF requires of a base URI."""
    return file_uri(str(root())).rstrip("/") + "/"


_SHOWN_BYTE = re.compile(r"\\x([89a-fA-F][0-9a-fA-F])")


def _name_bytes(path: str) -> bytes:
    """The file name's bytes. Readers show a byte that is not UTF-8 as the text ``\\xNN``
    (parsers.values.display_path): when no file has the shown name but one has those bytes, that one it is."""
    raw = os.fsencode(path)
    if _SHOWN_BYTE.search(path) and not os.path.lexists(raw):
        real = _SHOWN_BYTE.sub(lambda m: os.fsdecode(bytes([int(m.group(1), 16)])), path)
        if os.path.lexists(os.fsencode(real)):
            return os.fsencode(real)
    return raw


def uri_quote(path: str, base: str = "") -> str:
    """``path`` (relative to ``base``) for a URI: the file name's real bytes percent-encoded, not the text a
    reader shows for a name that is not UTF-8."""
    if os.name == "nt":
        return quote(path.encode("utf-8", "surrogatepass"))
    full = _name_bytes(os.path.join(base, path))
    return quote(full[len(os.fsencode(os.path.join(base, ""))):] if base else full)


def file_uri(path: str) -> str:
    p = PurePath(os.path.abspath(path)).as_posix()
    return "file://" + uri_quote(p if p.startswith("/") else "/" + p)
