"""`.ipsec-preflight.toml`, found by walking up from a committed file's folder to the repository root: what the
pre-commit hook compares device configs with. Every path pattern is relative to the settings file's folder
and uses one glob semantics, git's (analyzer/globs.py: `**/` = zero or more folders).

    alibaba = ["alibaba/*.json"]         # connection JSON files (globs); none = device-only lint
    devices = ["configs/**/*.cfg"]       # optional: which files are device configs
    exclude = ["vendor/**"]              # optional: files never checked
    fail-on = "error"                    # error | warning | info
    disable = ["MtuTooLarge"]            # rule codes to skip everywhere
    baseline = ".ipsec-preflight-baseline.json"  # optional: findings recorded there are not reported

    [[pair]]                             # optional explicit pairing (otherwise by peer address)
    device = "configs/hz-*.cfg"
    connection = "vco-bp1..."            # connection id or name

    [[override]]                         # per-file settings, first match wins
    files = "configs/lab/*"
    fail-on = "warning"
    disable = ["LifetimeMismatch"]
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from analyzer import globs
from analyzer.audit import Mapping, load_toml, mapping_from
from parsers.common import InputError

FILENAME = ".ipsec-preflight.toml"
_LEVELS = ("error", "warning", "info")
_KEYS = {"alibaba", "devices", "exclude", "fail-on", "disable", "pair", "override", "baseline"}


def find(start: str = ".") -> str | None:
    """The settings file in START or the nearest folder above it, stopping at the repository root (the
    folder holding `.git`, a folder or, in worktrees and submodules, a file) or the filesystem root."""
    folder = os.path.abspath(start)
    while True:
        candidate = os.path.join(folder, FILENAME)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if os.path.exists(os.path.join(folder, ".git")) or parent == folder:
            return None
        folder = parent


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
    exclude: list[str] = field(default_factory=list)
    fail_on: str = "error"
    disable: frozenset[str] = frozenset()
    mapping: Mapping = field(default_factory=Mapping)
    overrides: list[Override] = field(default_factory=list)
    baseline: str | None = None  # path of the baseline file (analyzer/baseline.py), resolved from the settings' folder

    def rel(self, path: str) -> str:
        """PATH relative to the settings' folder, `/`-separated: what every pattern is matched against."""
        return globs.relative(path, self.root)

    def alibaba_files(self) -> list[str]:
        out: list[str] = []
        for pattern in self.alibaba:
            out += globs.expand(self.root, pattern)
        return sorted(f for f in set(out) if not self.excluded(f))

    def is_alibaba(self, path: str) -> bool:
        return globs.match_any(self.rel(path), self.alibaba)

    def is_device(self, path: str) -> bool:
        return not self.devices or globs.match_any(self.rel(path), self.devices)

    def excluded(self, path: str) -> bool:
        return globs.match_any(self.rel(path), self.exclude)

    def device_files(self) -> list[str] | None:
        """The files the `devices` globs name (excluded ones left out); None when `devices` is unset."""
        if not self.devices:
            return None
        out: set[str] = set()
        for pattern in self.devices:
            out.update(globs.expand(self.root, pattern))
        return sorted(f for f in out if not self.excluded(f))

    def for_file(self, path: str) -> tuple[str, frozenset[str]]:
        """(fail-on level, disabled codes) for one device file."""
        rel = self.rel(path)
        for o in self.overrides:
            if globs.matches(rel, o.files):
                return o.fail_on or self.fail_on, self.disable | o.disable
        return self.fail_on, self.disable


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


def _codes(value, where: str, path: str) -> frozenset[str]:
    """Rule codes of a `disable` list: an unknown code is an error naming the valid ones, never ignored."""
    codes = _strings(value, where, path)
    if not codes:
        return frozenset()
    from analyzer.rule_codes import UnknownRuleCode, resolve_codes

    try:
        return resolve_codes(codes, where)
    except UnknownRuleCode as exc:
        raise InputError(path, str(exc)) from None


_OVERRIDE_KEYS = {"files", "fail-on", "disable"}


def _tables(data: dict, key: str, path: str) -> list[dict]:
    """`[[key]]` tables: anything else (`override = 5`) is an error, not a crash."""
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InputError(path, f"{key}: expected an array of tables ([[{key}]])")
    return value


def _known(entry: dict, keys: set[str], where: str, path: str) -> None:
    unknown = set(entry) - keys
    if unknown:  # a typo such as fail_on would otherwise be dropped without a word
        raise InputError(path, f"{where}: unknown key(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(keys))})")


def _globs(value, where: str, path: str) -> list[str]:
    from analyzer.globs import BadGlob, check

    patterns = _strings(value, where, path)
    for p in patterns:
        try:
            check(p)
        except BadGlob as exc:
            raise InputError(path, f"{where}: {exc}") from None
    return patterns


def load(path: str) -> ProjectConfig:
    data = load_toml(path)
    unknown = set(data) - _KEYS
    if unknown:
        raise InputError(path, f"unknown setting(s): {', '.join(sorted(unknown))} (known: {', '.join(sorted(_KEYS))})")
    cfg = ProjectConfig(root=os.path.dirname(os.path.abspath(path)))
    cfg.alibaba = _globs(data.get("alibaba", []), "alibaba", path)
    cfg.devices = _globs(data.get("devices", []), "devices", path)
    cfg.exclude = _globs(data.get("exclude", []), "exclude", path)
    cfg.fail_on = _level(data.get("fail-on", "error"), "fail-on", path)
    cfg.disable = _codes(data.get("disable", []), "disable", path)
    cfg.mapping = mapping_from(data, path)
    if "baseline" in data:
        if not isinstance(data["baseline"], str) or not data["baseline"].strip():
            raise InputError(path, "baseline: expected the path of a baseline file (relative to this file's folder)")
        cfg.baseline = os.path.join(cfg.root, data["baseline"])
    _globs([d for d, _ in cfg.mapping.rules], "pair device", path)
    for i, entry in enumerate(_tables(data, "override", path)):
        if not isinstance(entry.get("files"), str):
            raise InputError(path, f"override #{i + 1}: needs a string key 'files'")
        _known(entry, _OVERRIDE_KEYS, f"override #{i + 1}", path)
        _globs(entry["files"], f"override #{i + 1} files", path)
        cfg.overrides.append(Override(
            files=entry["files"],
            fail_on=_level(entry["fail-on"], f"override #{i + 1} fail-on", path) if "fail-on" in entry else None,
            disable=_codes(entry.get("disable", []), f"override #{i + 1} disable", path)))
    return cfg
