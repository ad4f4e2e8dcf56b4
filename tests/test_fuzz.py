"""Property-based fuzzing (hypothesis): any text, bytes or JSON gives a model or a clean, located InputError.

Deterministic by default (profile "ci"): derandomized, so every run and every machine tries the same
examples, and no example database (a failure cached on one machine must not change results on another).
A local campaign with random seeds and the failure database in tests/.cache/hypothesis:
IPSEC_PREFLIGHT_FUZZ_PROFILE=local IPSEC_PREFLIGHT_FUZZ_EXAMPLES=2000 (the number of examples per property,
60 by default, applies to both profiles). Failures found that way become explicit @example regressions.

Device configs are built from the lines of our fixtures (and the corpus when present), then
mutated the way real exports go wrong: truncated, cut mid-token, re-indented, duplicated blocks, junk bytes.
"""
from __future__ import annotations

import json
import os
import random
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis import example, given
from hypothesis.database import DirectoryBasedExampleDatabase

from conftest import CACHE, CORPUS, FIXTURES
from analyzer.checker import check
from analyzer.findings import Report
from analyzer.reporters import html, sarif, text as text_reporter
from analyzer.lint import lint
from parsers import alibaba
from parsers.common import InputError, read_text
from parsers.registry import VENDORS, detect_vendor, parse_device

_COMMON = dict(
    max_examples=int(os.environ.get("IPSEC_PREFLIGHT_FUZZ_EXAMPLES", "60")),
    # a hang detector, not a speed goal: one example normally takes milliseconds
    deadline=int(os.environ.get("IPSEC_PREFLIGHT_FUZZ_DEADLINE_MS", "20000")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
settings.register_profile("ci", derandomize=True, database=None, print_blob=True, **_COMMON)
settings.register_profile("local", derandomize=False, print_blob=True,
                          database=DirectoryBasedExampleDatabase(str(CACHE / "hypothesis")), **_COMMON)
FUZZ_PROFILE = os.environ.get("IPSEC_PREFLIGHT_FUZZ_PROFILE", "ci")
if FUZZ_PROFILE not in ("ci", "local"):
    raise ValueError(f"IPSEC_PREFLIGHT_FUZZ_PROFILE={FUZZ_PROFILE!r}: expected 'ci' (default) or 'local'")
FUZZ = settings.get_profile(FUZZ_PROFILE)

_VENDOR_FILES = {"cisco-ios": ["pairs/ikev1-map.cfg", "pairs/ikev2-map.cfg", "pairs/ikev2-vti.cfg",
                               "example/branch-router.cfg", "audit/devices/hz/hz-dc-edge01.cfg"],
                 "cisco-asa": ["pairs/ikev1-map.asa.cfg", "audit/devices/other/bj-dc-asa01.cfg"],
                 "huawei-vrp": ["pairs/ikev1-map.huawei.cfg", "audit/devices/other/sh-branch-ar01.cfg"],
                 "h3c-comware": ["pairs/ikev1-map.h3c.cfg", "audit/devices/other/gz-nat-branch01.cfg"]}
_CORPUS_DIRS = {"cisco-ios": "cisco_ios", "cisco-asa": "cisco_asa", "huawei-vrp": "huawei", "h3c-comware": "h3c"}


def _lines_of(vendor: str) -> list[str]:
    paths = [FIXTURES / f for f in _VENDOR_FILES[vendor]]
    if (CORPUS / _CORPUS_DIRS[vendor]).is_dir():
        paths += sorted((CORPUS / _CORPUS_DIRS[vendor]).glob("*.cfg"))[:6]
    return [line for p in paths for line in p.read_text(errors="replace").splitlines()]


VOCAB = {v: _lines_of(v) for v in VENDORS}
_JUNK = st.sampled_from(["\x00", "\xa0", "\ufffd", "\x1b[2J", "\t", "\r", "\u4e2d\u6587", "\u202e", " " * 300, "#", "!",
                         "quit", "exit", "return", "}", "{", "\\", "\"", "0x", "-1", "99999999999999999999"])


@st.composite
def mutated_config(draw, vendor: str) -> str:
    """A config assembled from real lines of this vendor, then broken in the ways exports break."""
    vocab = VOCAB[vendor]
    start = draw(st.integers(0, len(vocab) - 1))
    lines = list(vocab[start:start + draw(st.integers(1, 120))])
    lines += draw(st.lists(st.sampled_from(vocab), max_size=40))
    for _ in range(draw(st.integers(0, 12))):
        op = draw(st.sampled_from(["cut", "indent", "dup", "junk", "drop", "swap", "long", "text"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if not lines:
            lines.append(draw(st.sampled_from(vocab)))
        elif op == "cut":  # cut mid-token
            lines[i] = lines[i][:draw(st.integers(0, max(len(lines[i]) - 1, 0)))]
        elif op == "indent":
            lines[i] = " " * draw(st.integers(0, 6)) + lines[i].lstrip()
        elif op == "dup":  # duplicated block
            j = draw(st.integers(i, len(lines)))
            lines[j:j] = lines[i:j]
        elif op == "junk":
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + draw(_JUNK) + lines[i][pos:]
        elif op == "drop":
            del lines[i]
        elif op == "swap":
            words = lines[i].split(" ")
            draw(st.randoms(use_true_random=False)).shuffle(words)
            lines[i] = " ".join(words)
        elif op == "long":
            lines[i] = lines[i] + (" " + lines[i].strip()) * draw(st.integers(50, 2000))
        else:
            lines.insert(i, draw(st.text(max_size=80)))
    if draw(st.booleans()):  # truncated export
        text = "\n".join(lines)
        return text[:draw(st.integers(0, len(text)))]
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines)


_TUNNELS = alibaba.load(FIXTURES / "pairs" / "ikev1-map.json") + alibaba.load(FIXTURES / "pairs" / "ikev2-dual.json")


def _whole_pipeline(text: str, vendor: str) -> None:
    """Parse, check against real tunnels, lint and render: none of it may raise."""
    dev = parse_device(text, "fuzz.cfg", vendor)
    report = Report(version="fuzz", pairs=check(_TUNNELS, dev) + [lint(dev)])
    for f in report.all_findings():
        assert f.device is None or f.device.file == "fuzz.cfg"
    for reporter in (text_reporter, sarif, html):
        reporter.render(report)
    report.model_dump_json()


@pytest.mark.parametrize("vendor", list(VENDORS))
def test_mutated_configs_give_a_model(vendor):
    @FUZZ
    @given(mutated_config(vendor))
    def prop(text):
        _whole_pipeline(text, vendor)
    prop()


@pytest.mark.parametrize("vendor", list(VENDORS))
def test_arbitrary_text_gives_a_model(vendor):
    @FUZZ
    @given(st.text(max_size=2000))
    def prop(text):
        _whole_pipeline(text, vendor)
    prop()


@FUZZ
@given(st.one_of(st.text(max_size=3000), mutated_config("cisco-ios"), mutated_config("huawei-vrp"),
                 mutated_config("cisco-asa"), mutated_config("h3c-comware")))
def test_auto_detection_gives_a_model_or_a_located_error(text):
    try:
        dev = parse_device(text, "auto.cfg")
    except InputError as exc:
        assert exc.file == "auto.cfg" and str(exc).startswith("auto.cfg")
        assert detect_vendor(text) is None
    else:
        assert dev.vendor in VENDORS


_PREFIXES = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00", b"\x80\x81"]


@FUZZ
@given(st.sampled_from(_PREFIXES), st.binary(max_size=3000), st.sampled_from(list(VENDORS)))
def test_any_bytes_on_disk_give_a_model_or_a_located_error(tmp_path_factory, prefix, data, vendor):
    path = tmp_path_factory.mktemp("bytes") / "dev.cfg"
    path.write_bytes(prefix + data)
    try:
        text = read_text(path)
    except InputError as exc:
        assert exc.file == str(path)
        return
    _whole_pipeline(text, vendor)


@FUZZ
@given(st.sampled_from(list(VENDORS)), st.sampled_from(["utf-16", "gb18030", "latin-1", "cp1252", "shift_jis",
                                                       "utf-8-sig"]), st.data())
def test_real_configs_in_other_encodings(tmp_path_factory, vendor, encoding, data):
    text = data.draw(mutated_config(vendor)) + "\n description \u4e2d\u6587\u00e9\u00fc"
    path = tmp_path_factory.mktemp("enc") / "dev.cfg"
    path.write_bytes(text.encode(encoding, errors="replace"))
    try:
        decoded = read_text(path)
    except InputError as exc:
        assert exc.file == str(path)
        return
    _whole_pipeline(decoded, vendor)


# ---- the Alibaba loader -------------------------------------------------------------------------------

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=10 ** 20, max_value=10 ** 40),
                     st.floats(allow_nan=False), st.text(max_size=30),
                     st.sampled_from(["group2", "group14", "disabled", "aes", "sha256", "ikev2", "main",
                                      "10.0.0.0/8", "0.0.0.0/0", "1.2.3.4/33", "10.1.0.0/16,", "", "true", "86400"]))
JSON = st.recursive(_SCALARS, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=12), kids,
                                                                                         max_size=4), max_leaves=25)
_ALI_FILES = sorted((FIXTURES / "alibaba").glob("*.json")) + sorted((FIXTURES / "pairs").glob("*.json"))
_ALI_DOCS = [json.loads(p.read_text()) for p in _ALI_FILES]


def _paths(o, here=()):
    yield here
    if isinstance(o, dict):
        for k, v in o.items():
            yield from _paths(v, here + (k,))
    elif isinstance(o, list):
        for i, v in enumerate(o):
            yield from _paths(v, here + (i,))


@st.composite
def mutated_connection(draw):
    """A real connection document with values replaced (wrong types, nulls, huge numbers), keys removed or added."""
    doc = json.loads(json.dumps(draw(st.sampled_from(_ALI_DOCS))))
    paths = [p for p in _paths(doc) if p]
    for _ in range(draw(st.integers(1, 8))):
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = doc
        try:
            for k in path[:-1]:
                parent = parent[k]
            op = draw(st.sampled_from(["replace", "delete", "add", "nest"]))
            if op == "replace":
                parent[path[-1]] = draw(JSON)
            elif op == "delete":
                del parent[path[-1]]
            elif op == "add" and isinstance(parent, dict):
                parent[draw(st.text(max_size=20))] = draw(JSON)
            elif op == "nest":
                parent[path[-1]] = [parent[path[-1]]] if draw(st.booleans()) else {"x": parent[path[-1]]}
        except (KeyError, IndexError, TypeError):
            continue  # the path went away with an earlier mutation
    return doc


def _load_or_located_error(path: Path) -> None:
    try:
        tunnels = alibaba.load(path)
    except InputError as exc:
        assert exc.file == str(path) and str(exc).startswith(str(path))
        return
    assert tunnels
    dev = parse_device((FIXTURES / "pairs" / "ikev1-map.cfg").read_text(), "dev.cfg", "cisco-ios")
    check(tunnels, dev)  # every loaded model must also go through the rules


@FUZZ
@given(mutated_connection())
def test_mutated_connection_json_gives_tunnels_or_a_located_error(tmp_path_factory, doc):
    path = tmp_path_factory.mktemp("ali") / "conn.json"
    path.write_text(json.dumps(doc))
    _load_or_located_error(path)


@FUZZ
@given(JSON)
def test_arbitrary_json_gives_tunnels_or_a_located_error(tmp_path_factory, doc):
    path = tmp_path_factory.mktemp("ali") / "any.json"
    path.write_text(json.dumps(doc))
    _load_or_located_error(path)


@FUZZ
@given(st.sampled_from(_ALI_FILES), st.integers(0, 1_000_000), st.binary(max_size=20), st.booleans())
# Found by fuzzing (a random seed, about one run in ten): a corrupted TunnelBgpConfig.LocalBgpIp,
# "169.254.x0.1", was loaded as is and crashed the BGP rule with netaddr's AddrFormatError.
@example(FIXTURES / "alibaba" / "describe-vpn-connection-dual.json", 1685, b"x", True)
def test_truncated_or_corrupted_json_text(tmp_path_factory, src, cut, junk, corrupt):
    raw = src.read_bytes()
    cut = cut % (len(raw) + 1)
    path = tmp_path_factory.mktemp("ali") / "cut.json"
    path.write_bytes(raw[:cut] + junk + raw[cut + len(junk):] if corrupt else raw[:cut])
    _load_or_located_error(path)


def test_corrupted_bgp_ip_regression_still_corrupts_the_address():
    """The @example above must keep hitting the BGP address if the fixture changes."""
    raw = (FIXTURES / "alibaba" / "describe-vpn-connection-dual.json").read_bytes()
    assert raw[1685 - 8:1685 - 8 + len(b"169.254.20.1")] == b"169.254.20.1"


@pytest.mark.parametrize("depth", [50, 2_000, 200_000])
def test_deeply_nested_json_is_a_located_error(tmp_path, depth):
    path = tmp_path / "deep.json"
    path.write_text('{"VpnConnections": ' + "[" * depth + "]" * depth + "}")
    _load_or_located_error(path)
    path.write_text("{\"a\":" * depth + "1" + "}" * depth)
    _load_or_located_error(path)


# ---- bounded work: long lines and hostile repetitions never hang ----------------------------------------

@contextmanager
def _watchdog(seconds: int):
    """Fail (instead of hanging CI) when the body runs away; a hang detector, not a speed target."""
    def _boom(*_):
        raise AssertionError(f"still running after {seconds} s: unbounded work (catastrophic regex?)")
    old = signal.signal(signal.SIGALRM, _boom)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("vendor", list(VENDORS))
def test_hostile_long_lines_finish(vendor):
    rng = random.Random(vendor)
    lines = VOCAB[vendor]
    hostile = []
    for line in rng.sample(lines, min(40, len(lines))):
        words = line.split() or ["x"]
        # ~200 KB per line: a regex with nested quantifiers over these goes exponential or quadratic
        hostile.append(line + " " + " ".join(words * (200_000 // (len(line) + 1) + 1)))
        hostile.append(line.rstrip() + " " * 200_000 + "!")
        hostile.append(line.rstrip() + "." * 100_000 + "1" * 100_000)
    with _watchdog(120):
        for h in hostile:
            _whole_pipeline(h, vendor)
            _whole_pipeline(h + "\n" + "\n".join(lines[:60]), vendor)
        detect_vendor("\n".join(hostile))


@FUZZ
@given(st.text(alphabet=st.sampled_from("ab \t\r\n\x0b\x0c\x1c\x85\u2028!"), max_size=400), st.integers(1, 40))
def test_chunked_line_split_equals_split_lines(text, chunk):
    from parsers.blocks import lines_of, split_lines
    assert list(lines_of(text, chunk)) == split_lines(text)


def test_whitespace_only_flush_left_line_in_a_sub_mode():
    """Found by fuzzing: a no-break space alone on a line after a sub-mode head crashed the scanner."""
    for vendor in VENDORS:
        parse_device("crypto isakmp policy 1\n\xa0\nike proposal 1\n\xa0\n", "nbsp.cfg", vendor)


@FUZZ
@given(st.one_of(*(mutated_config(v) for v in VENDORS)), st.sampled_from(["\n", "\r\n"]))
def test_grouped_marker_regex_counts_what_each_marker_alone_finds(text, newline):
    """Vendor detection runs all markers as one grouped regex; each marker searched alone is the reference."""
    import re
    from parsers.registry import _MARKERS, _markers, _scores
    text = text.replace("\r\n", "\n").replace("\n", newline)
    reference = {v: sum(1 for m in ms if re.search(m, text, re.MULTILINE)) for v, ms in _MARKERS.items()}
    assert _scores(_markers()[0].finditer("\n" + text)) == reference


@pytest.mark.parametrize("bad", [" 98.51.100.31", "999.1.1.1", "1.2.3"])
def test_gateway_ip_that_is_not_an_address_is_a_located_error(tmp_path, bad):
    """Found by fuzzing: a corrupted gateway IP reached the rules and crashed the UDP 500/4500 check."""
    doc = json.loads((FIXTURES / "pairs" / "ikev2-dual.json").read_text())
    *parents, key = next(p for p in _paths(doc) if p and p[-1] == "InternetIp")
    parent = doc
    for k in parents:
        parent = parent[k]
    parent[key] = bad
    path = tmp_path / "conn.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError) as exc:
        alibaba.load(path)
    assert str(exc.value).startswith(str(path)) and "is not an IPv4 address" in str(exc.value)

