"""`.ipsec-preflight.toml` at the repository root: what the pre-commit hook compares device configs with.

    alibaba = ["alibaba/*.json"]         # connection JSON files (globs); none = device-only lint
    devices = ["configs/**/*.cfg"]       # optional: which committed files are device configs
    fail-on = "error"                    # error | warning | info
    disable = ["MtuTooLarge"]            # rule codes to skip everywhere

    [[pair]]                             # optional explicit pairing (otherwise by peer address)
    device = "configs/hz-*.cfg"
    connection = "vco-bp1..."            # connection id or name

    [[override]]                         # per-file settings, first match wins
    files = "configs/lab/*"
    fail-on = "warning"
    disable = ["LifetimeMismatch"]
"""
from __future__ import annotations

import fnmatch
import glob
import os
from dataclasses import dataclass, field

from analyzer.audit import Mapping, load_toml, mapping_from
from parsers.common import InputError

FILENAME = ".ipsec-preflight.toml"
_LEVELS = ("error", "warning", "info")
_KEYS = {"alibaba", "devices", "fail-on", "disable", "pair", "override"}


@dataclass
class Override:
    files: str
    fail_on: str | None = None
    disable: frozenset[str] = frozenset()


@dataclass
class ProjectConfig:
    root: str = "."
    alibaba: list[str] = field(default_factory=list)
    devices: list[str] = field(default_factory=list)
    fail_on: str = "error"
    disable: frozenset[str] = frozenset()
    mapping: Mapping = field(default_factory=Mapping)
    overrides: list[Override] = field(default_factory=list)

    def alibaba_files(self) -> list[str]:
        out: list[str] = []
        for pattern in self.alibaba:
            out += glob.glob(os.path.join(self.root, pattern), recursive=True)
        return sorted(set(out))

    def is_device(self, path: str) -> bool:
        return not self.devices or any(fnmatch.fnmatch(self._rel(path), g) for g in self.devices)

    def for_file(self, path: str) -> tuple[str, frozenset[str]]:
        """(fail-on level, disabled codes) for one device file."""
        rel = self._rel(path)
        for o in self.overrides:
            if fnmatch.fnmatch(rel, o.files):
                return o.fail_on or self.fail_on, self.disable | o.disable
        return self.fail_on, self.disable

    def _rel(self, path: str) -> str:
        return os.path.relpath(path, self.root).replace(os.sep, "/")


def _strings(value, where: str, path: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(path, f"{where}: expected a string or a list of strings")
    return value


def _level(value, where: str, path: str) -> str:
    if value not in _LEVELS:
        raise InputError(path, f"{where}: expected one of {', '.join(_LEVELS)}, got {value!r}")
    return value


def load(path: str) -> ProjectConfig:
    data = load_toml(path)
    unknown = set(data) - _KEYS
    if unknown:
        raise InputError(path, f"unknown setting(s): {', '.join(sorted(unknown))} (known: {', '.join(sorted(_KEYS))})")
    cfg = ProjectConfig(root=os.path.dirname(os.path.abspath(path)))
    cfg.alibaba = _strings(data.get("alibaba", []), "alibaba", path)
    cfg.devices = _strings(data.get("devices", []), "devices", path)
    cfg.fail_on = _level(data.get("fail-on", "error"), "fail-on", path)
    cfg.disable = frozenset(_strings(data.get("disable", []), "disable", path))
    cfg.mapping = mapping_from(data, path)
    for i, entry in enumerate(data.get("override", [])):
        if not isinstance(entry, dict) or not isinstance(entry.get("files"), str):
            raise InputError(path, f"override #{i + 1}: needs a string key 'files'")
        cfg.overrides.append(Override(
            files=entry["files"],
            fail_on=_level(entry["fail-on"], f"override #{i + 1} fail-on", path) if "fail-on" in entry else None,
            disable=frozenset(_strings(entry.get("disable", []), f"override #{i + 1} disable", path))))
    return cfg
