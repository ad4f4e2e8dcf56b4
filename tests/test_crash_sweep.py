"""Never a crash (exit 3), always a located error (issue 12, item 4).

1. A systematic sweep over every fixture device config (fixtures/pairs, fixtures/example, fixtures/audit):
   cut each line at each character, and replace each word with a neighbouring keyword, numbers and
   non-ASCII digits ('²' passes str.isdigit() but not int(); int('٣') is 3). Each mutated config goes
   through parse + check + lint in-process; the only exception allowed out is InputError, and what comes
   out serializes as the JSON report (a model and findings, nothing else). Deterministic: the cases are
   enumerated, then thinned with a fixed stride when a file has more than the per-file budget.
2. Each reproduced trigger of the issue through the real CLI: exit code is not 3, the message names the
   file (and the line or JSON path), and in an audit the other files are still reported.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES
from analyzer.checker import check
from analyzer.findings import Report
from analyzer.lint import lint
from parsers import alibaba
from parsers.common import InputError
from parsers.registry import detect_vendor, parse_device

ROOT = FIXTURES.parent
BIN = str(Path(sys.executable).with_name("ipsec-preflight"))
DEVICE_FILES = sorted(p for d in ("pairs", "example", "audit") for p in (FIXTURES / d).rglob("*")
                      if p.is_file() and p.suffix != ".json" and detect_vendor(p.read_text()) is not None)
PER_FILE = int(os.environ.get("IPSEC_PREFLIGHT_SWEEP_CASES", "250"))  # per file and per kind (cuts, words)
_REPLACEMENTS = ["0", "4294967296", "99999999999999999999", "\u00b2", "\u0663", "1\u00b2", "-1"]


def _tunnels() -> list:
    out = []
    for p in sorted(FIXTURES.rglob("*.json")):
        try:
            out += alibaba.load(p)
        except InputError:
            pass  # gateway descriptions and the like
    return out


_ALL_TUNNELS = _tunnels()


def _thin(cases: list, budget: int) -> list:
    """Every case when they fit, else an evenly spaced subset (always the same one)."""
    if len(cases) <= budget:
        return cases
    step = len(cases) / budget
    return [cases[int(i * step)] for i in range(budget)]


def _cut_cases(lines: list[str]) -> list[tuple[int, str]]:
    return [(i, line[:k]) for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith(("!", "#"))
            for k in range(len(line))]


def _word_cases(lines: list[str]) -> list[tuple[int, str]]:
    cases = []
    for i, line in enumerate(lines):
        words = line.split()
        if not words or words[0].startswith(("!", "#")):
            continue
        indent = line[:len(line) - len(line.lstrip())]
        for j in range(len(words)):
            neighbours = {words[j - 1] if j else None, words[j + 1] if j + 1 < len(words) else None}
            for new in sorted(n for n in neighbours if n and n != words[j]) + _REPLACEMENTS:
                cases.append((i, indent + " ".join(words[:j] + [new] + words[j + 1:])))
            cases.append((i, indent + " ".join(words[:j] + [words[j][:-1]] + words[j + 1:])))  # truncated word
    return cases


def _exercise(text: str, vendor: str, name: str, tunnels: list) -> None:
    try:
        dev = parse_device(text, name, vendor)
    except InputError as exc:
        assert exc.file == name
        return
    report = Report(version="sweep", pairs=[lint(dev), *check(tunnels, dev)])
    json.loads(report.model_dump_json())


@pytest.mark.parametrize("path", DEVICE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
@pytest.mark.parametrize("kind", ["cut", "word"])
def test_sweep_device_config(path: Path, kind: str):
    text = path.read_text()
    vendor = detect_vendor(text)
    lines = text.splitlines()
    original = parse_device(text, str(path), vendor)
    peers = {ep.peer_address for ep in original.endpoints}
    tunnels = [t for t in _ALL_TUNNELS if t.endpoint.local_address in peers] or _ALL_TUNNELS[:1]
    cases = _thin(_cut_cases(lines) if kind == "cut" else _word_cases(lines), PER_FILE)
    failures = []
    for i, new in cases:
        mutated = "\n".join(lines[:i] + [new] + lines[i + 1:])
        try:
            _exercise(mutated, vendor, "sweep.cfg", tunnels)
        except Exception as exc:  # collect, so one run shows every distinct crash
            failures.append(f"line {i + 1} -> {new!r}: {type(exc).__name__}: {str(exc)[:160]}")
    assert not failures, f"{len(failures)} crash(es) in {path.name}:\n" + "\n".join(failures[:15])


# --- the reproduced triggers, through the real command line ------------------------------------------------

def _cli(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([BIN, *map(str, args)], capture_output=True, cwd=cwd, timeout=120,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def _device(tmp_path: Path, src: str, old: str, new: str, name: str) -> Path:
    text = (FIXTURES / src).read_text()
    assert old in text
    p = tmp_path / name
    p.write_text(text.replace(old, new, 1))
    return p


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


DEVICE_TRIGGERS = [  # (fixture, text in it, replacement, what the mutated line holds)
    ("pairs/ikev1-map.huawei.cfg", "exchange-mode main", "exchange-mode mai", "exchange-mode mai"),
    ("pairs/ikev1-map.cfg", "crypto map CMAP-WAN 10 ipsec-isakmp", "crypto map CMAP-WAN \u00b2 ipsec-isakmp", "\u00b2"),
    ("pairs/ikev1-map.cfg", "set peer 198.51.100.60", "set peer 198.51", "set peer 198.51"),
    ("pairs/ikev1-map.cfg", "set peer 198.51.100.60", "set peer 198.51.100.60/32", "set peer 198.51.100.60/32"),
]


def test_device_triggers_give_located_results(tmp_path):
    """lint, hook, audit and check over the four device triggers: each reported at its file and line."""
    folder = tmp_path / "devices"
    folder.mkdir()
    bad = {}
    for n, (src, old, new, needle) in enumerate(DEVICE_TRIGGERS):
        dev = _device(folder, src, old, new, f"bad{n}.cfg")
        bad[str(dev)] = _line_of(dev, needle)

    def assert_located(doc):
        for dev, line in bad.items():
            located = [f for p in doc["pairs"] for f in p["findings"]
                       if f["device"] and f["device"]["file"] == dev and f["device"]["line"] == line]
            located += [e for e in doc["errors"] if e["file"] == dev and e["line"] == line]
            assert located, f"nothing reported at {dev}:{line}"

    r = _cli("lint", "--format", "json", *bad)
    assert r.returncode in (0, 1, 2), r.stderr.decode()
    assert_located(json.loads(r.stdout))
    (folder / "conn.json").write_bytes((FIXTURES / "pairs" / "ikev1-map.json").read_bytes())
    r = _cli("audit", "--format", "json", folder)
    assert r.returncode in (0, 1, 2), r.stderr.decode()
    doc = json.loads(r.stdout)  # (a device with no tunnel left is not paired, so its notes are not shown)
    assert doc["audit"]["devices"] == len(bad) and not doc["errors"]
    r = _cli("hook", *bad, cwd=tmp_path)
    assert r.returncode in (0, 1, 2), r.stderr.decode()
    assert all(Path(dev).name in r.stdout.decode() for dev in bad)
    dev = next(d for d in bad if d.endswith("bad2.cfg"))  # set peer 198.51
    r = _cli("check", "--format", "json", folder / "conn.json", dev)
    assert r.returncode in (0, 1, 2), r.stderr.decode()
    assert any(f["device"] and f["device"]["line"] == bad[dev]
               for p in json.loads(r.stdout)["pairs"] for f in p["findings"])


def _connection(mutate) -> dict:
    doc = json.loads((FIXTURES / "pairs" / "ikev1-map.json").read_text())
    mutate(doc)
    return doc


def _set(doc: dict, path: str, value) -> None:
    *parents, last = path.split(".")
    node = doc
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value


JSON_TRIGGERS = {  # name -> (JSON text, what the error names)
    "integer-5000-digits": (lambda: json.dumps(_connection(lambda d: None)).replace(
        '"IkeLifetime": 86400', '"IkeLifetime": ' + "9" * 5000), "invalid JSON"),
    "integer-4000-digits": (lambda: json.dumps(_connection(lambda d: None)).replace(
        '"IkeLifetime": 86400', '"IkeLifetime": ' + "9" * 4000), "IkeLifetime"),
    "pfs-group-5000-digits": (lambda: json.dumps(_connection(
        lambda d: _set(d, "IkeConfig.IkePfs", "group" + "1" * 5000))), "IkePfs"),
    "health-dip-typo": (lambda: json.dumps(_connection(lambda d: _set(d, "VcoHealthCheck", {
        "Enable": "true", "Sip": "192.168.10.1", "Dip": "10.0.0.l"}))), "VcoHealthCheck.Dip"),
    "health-sip-typo": (lambda: json.dumps(_connection(lambda d: _set(d, "VcoHealthCheck", {
        "Enable": "true", "Sip": "192.168.10", "Dip": "10.0.0.1"}))), "VcoHealthCheck.Sip"),
    "bgp-local-ip-typo": (lambda: json.dumps(_connection(lambda d: _set(d, "VpnBgpConfig", {
        "EnableBgp": "true", "TunnelCidr": "169.254.30.0/30", "LocalBgpIp": "169.254.30.l", "LocalAsn": 45104,
        "PeerAsn": 65000, "PeerBgpIp": "169.254.30.2"}))), "VpnBgpConfig.LocalBgpIp"),
    "bgp-local-ip-prefix": (lambda: json.dumps(_connection(lambda d: _set(d, "VpnBgpConfig", {
        "EnableBgp": "true", "TunnelCidr": "169.254.30.0/30", "LocalBgpIp": "169.254.30.1/30", "LocalAsn": 45104,
        "PeerAsn": 65000, "PeerBgpIp": "169.254.30.2"}))), "VpnBgpConfig.LocalBgpIp"),
    "lone-surrogate-name": (lambda: json.dumps(_connection(lambda d: _set(d, "Name", "x"))).replace(
        '"Name": "x"', '"Name": "hz-\\ud800"'), "Name"),
}


@pytest.mark.parametrize("name", sorted(JSON_TRIGGERS))
def test_json_triggers_check(tmp_path, name):
    make, field = JSON_TRIGGERS[name]
    bad = tmp_path / "bad.json"
    bad.write_text(make())
    r = _cli("check", "--format", "json", bad, FIXTURES / "pairs" / "ikev1-map.cfg")
    assert r.returncode == 2, r.stderr.decode()
    assert f"{bad}" in r.stderr.decode() and field in r.stderr.decode(), r.stderr.decode()
    assert [e["file"] for e in json.loads(r.stdout)["errors"]] == [str(bad)]


def test_json_triggers_in_one_audit_and_show(tmp_path):
    """Every bad file is named with its JSON path, and the good pair is still checked."""
    for name, (make, _) in JSON_TRIGGERS.items():
        (tmp_path / f"{name}.json").write_text(make())
    for f in ("ikev1-map.json", "ikev1-map.cfg"):
        (tmp_path / f).write_bytes((FIXTURES / "pairs" / f).read_bytes())
    r = _cli("audit", "--format", "json", tmp_path)
    assert r.returncode == 2, r.stderr.decode()
    doc = json.loads(r.stdout)
    errors = {e["file"]: e["message"] for e in doc["errors"]}
    for name, (_, field) in JSON_TRIGGERS.items():
        message = errors.get(str(tmp_path / f"{name}.json"), "")
        assert field.split(".")[-1] in message or field in message, (name, message)
    assert [p["device"] for p in doc["pairs"]] == [str(tmp_path / "ikev1-map.cfg")]
    assert doc["pairs"][0]["connection"]
    r = _cli("show", tmp_path / "health-dip-typo.json")
    assert r.returncode == 2 and "VcoHealthCheck.Dip" in r.stderr.decode()


def test_one_bad_connection_of_a_page_keeps_the_others(tmp_path):
    page = json.loads((FIXTURES / "alibaba" / "describe-vpn-connections-page.json").read_text())
    conns = page["VpnConnections"]["VpnConnection"]
    assert len(conns) >= 2
    conns[0]["IkeConfig"]["IkePfs"] = "group" + "7" * 5000
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page))
    errors: list[InputError] = []
    tunnels = alibaba.load(path, errors=errors)
    assert len(errors) == 1 and "VpnConnection[0]" in str(errors[0]) and str(path) in str(errors[0])
    assert {t.connection_id for t in tunnels} == {c["VpnConnectionId"] for c in conns[1:]}
    with pytest.raises(InputError):  # without an error list (check), the first bad connection is raised
        alibaba.load(path)
    (tmp_path / "dev.cfg").write_bytes((FIXTURES / "pairs" / "ikev1-map.cfg").read_bytes())
    r = _cli("audit", "--format", "json", tmp_path)
    doc = json.loads(r.stdout)
    assert r.returncode == 2
    assert [e["file"] for e in doc["errors"]] == [str(path)]
    assert doc["audit"]["connections"] == len(conns) - 1
    r = _cli("check", "--format", "json", path, tmp_path / "dev.cfg")  # check, too, keeps the page's others
    doc = json.loads(r.stdout)
    assert r.returncode == 2 and len(doc["errors"]) == 1 and "VpnConnection[0]" in doc["errors"][0]["message"]
    assert {p["connection"] for p in doc["pairs"]} == {c["VpnConnectionId"] for c in conns[1:]}


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
@pytest.mark.parametrize("cmd", ["lint", "check", "audit", "show"])
def test_file_name_not_utf8(tmp_path, cmd):
    """JSON/SARIF on stdout and every format written with --output failed to encode the name (exit 3)."""
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    dev = tmp_path / "in" / os.fsdecode(b"dev-\xff.cfg")
    dev.write_bytes((FIXTURES / "pairs" / "ikev1-map.cfg").read_bytes())
    base = {"lint": ["lint", dev], "check": ["check", FIXTURES / "pairs" / "ikev1-map.json", dev],
            "audit": ["audit", tmp_path / "in"], "show": ["show", dev]}[cmd]
    # every format with lint; the report code is shared, so check and audit run two
    to_file = ("text", "json", "sarif", "html") if cmd == "lint" else ("text",)
    runs = [(base, None, "json")] if cmd == "show" else \
        [([*base, "--format", fmt], None, fmt) for fmt in (("json", "sarif") if cmd == "lint" else ("json",))] + \
        [([*base, "--format", fmt, "--output", tmp_path / "out" / f"r.{fmt}"], tmp_path / "out" / f"r.{fmt}", fmt)
         for fmt in to_file]
    for args, out, fmt in runs:
        r = _cli(*args)
        assert r.returncode in (0, 1), (args, r.stderr.decode())
        body = (out.read_bytes() if out else r.stdout).decode("utf-8")
        if fmt in ("json", "sarif"):
            json.loads(body)
        if fmt == "json":  # the name as reports show it: the byte that is not UTF-8 as \xff
            assert "dev-\\xff.cfg" in body.replace("\\\\", "\\"), (args, body[:300])


def test_audit_of_a_very_deep_folder(tmp_path):
    deep = tmp_path / "deep"
    levels = [deep]
    for _ in range(1100):
        levels.append(levels[-1] / "d")
    try:
        for d in levels:  # os.makedirs (and shutil.rmtree) recurse once per level: they cannot handle this tree
            d.mkdir()
        (levels[-1] / "dev.cfg").write_bytes((FIXTURES / "pairs" / "ikev1-map.cfg").read_bytes())
        (deep / "top.cfg").write_bytes((FIXTURES / "pairs" / "ikev1-map.huawei.cfg").read_bytes())
        r = _cli("audit", "--format", "json", deep)
        assert r.returncode in (0, 1), r.stderr.decode()
        devices = {p["device"] for p in json.loads(r.stdout)["pairs"]}
        assert devices == {str(levels[-1] / "dev.cfg"), str(deep / "top.cfg")}
    finally:  # pytest's own clean-up of tmp_path would hit the recursion limit
        for d in reversed(levels):
            for f in d.glob("*.cfg"):
                f.unlink()
            if d.exists():
                d.rmdir()


def test_audit_goes_on_after_an_unexpected_error(tmp_path, monkeypatch):
    """A bug in one file's checks is recorded for that file; the other files are still reported."""
    from analyzer import audit

    good, bad = tmp_path / "good.cfg", tmp_path / "bad.cfg"
    good.write_bytes((FIXTURES / "pairs" / "ikev1-map.cfg").read_bytes())
    bad.write_bytes((FIXTURES / "pairs" / "ikev1-map.huawei.cfg").read_bytes())
    real = audit.parse_device

    def flaky(text, file, vendor="auto"):
        if file.endswith("bad.cfg"):
            raise KeyError("boom")
        return real(text, file, vendor)

    monkeypatch.setattr(audit, "parse_device", flaky)
    result = audit.run_audit([str(tmp_path)], jobs=1)
    by_file = {o.file: o for o in result.outcomes}
    assert by_file[str(good)].error is None and by_file[str(good)].results
    error = by_file[str(bad)].error
    assert error.file == str(bad) and "internal error" in error.message and "KeyError" in error.message
    assert "boom" not in error.message  # the type and place of the bug, never its text (it may quote a key)
