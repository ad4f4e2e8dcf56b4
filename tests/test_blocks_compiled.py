"""The compiled block scanner (parsers/_blocks.c, `blocks.scan_c`) gives what the Python loop (`blocks.scan_py`)
gives: the same blocks, heads (number, text, words) and rows, for the arguments every vendor parser passes, on
every fixture, corpus and generated config, on random config-like texts, and through the environment switch.

When the extension is not built these tests skip, saying so; IPSEC_PREFLIGHT_REQUIRE_COMPILED=1 makes that a failure.
"""
from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import FIXTURES, ROOT, device_config_files
from parsers import blocks
from parsers.blocks import first_prefix, scan_c, scan_py, split_lines

if blocks._blocks is None:
    if os.environ.get("IPSEC_PREFLIGHT_REQUIRE_COMPILED") == "1":
        pytest.fail("parsers._blocks is not built and IPSEC_PREFLIGHT_REQUIRE_COMPILED=1", pytrace=False)
    pytest.skip("parsers._blocks is not built (no C compiler at install): only the Python scanner runs",
                allow_module_level=True)

_LOCAL = os.environ.get("IPSEC_PREFLIGHT_FUZZ_PROFILE", "ci") == "local"  # as test_generate_roundtrip
PROPERTY = settings(derandomize=not _LOCAL, database=None, print_blob=True,
                    max_examples=int(os.environ.get("IPSEC_PREFLIGHT_FUZZ_EXAMPLES", "60")) * 5,
                    deadline=int(os.environ.get("IPSEC_PREFLIGHT_FUZZ_DEADLINE_MS", "20000")),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def dump(found: list[blocks.Block]) -> list[tuple]:
    """Everything a block holds, as the scanner left it (children not made: rows and _children as stored)."""
    return [(b.head.no, b.head.text, b.head._words, b.words is b.head._words, b.rows, b._children) for b in found]


def _parser_modules() -> list:
    """Every module of parsers/ that calls scan (imported by name), so a new vendor is covered too."""
    import importlib
    import pkgutil

    import parsers

    for info in pkgutil.walk_packages(parsers.__path__, "parsers."):
        if not info.name.endswith("_blocks"):
            importlib.import_module(info.name)
    return [m for name, m in sorted(sys.modules.items())
            if name.startswith("parsers.") and name != "parsers.blocks" and getattr(m, "scan", None) is blocks.scan]


def _differential(monkeypatch, paths: list[Path]) -> int:
    """Parse each file with every parser's scan calls answered by both scanners, compared; returns the calls."""
    from parsers.common import InputError, read_text
    from parsers.registry import parse_device

    calls = []

    def both(*args, **kwargs):
        py = scan_py(*args, **kwargs)
        assert dump(scan_c(*args, **kwargs)) == dump(py), f"scan_c differs from scan_py on {path}"
        calls.append(path)
        return py

    modules = _parser_modules()
    assert len(modules) >= 3, modules  # cisco_ios, cisco_asa, vrp_common today
    for m in modules:
        monkeypatch.setattr(m, "scan", both)
    for path in paths:
        try:
            parse_device(read_text(path), str(path))
        except InputError:
            pass  # a corpus file of another kind: the scanners were compared on whatever got scanned
    return len(calls)


def test_every_fixture_and_corpus_file_scans_alike(monkeypatch):
    files = device_config_files()
    assert _differential(monkeypatch, files) >= len(list(FIXTURES.rglob("*.cfg")))


def test_generated_bench_configs_scan_alike(monkeypatch, generated):
    assert len(generated) == 16
    assert _differential(monkeypatch, generated) == 16


def _show_all(paths: list[Path], pure: bool) -> dict:
    """The model of each file as `show` prints it, from a fresh interpreter with the environment switch."""
    env = {**os.environ, "IPSEC_PREFLIGHT_PURE_PYTHON": "1" if pure else "0", "PYTHONHASHSEED": "0"}
    script = (
        "import json, sys\n"
        "from parsers import blocks\n"
        "from parsers.common import InputError, read_text\n"
        "from parsers.registry import parse_device\n"
        "out = {'scan': blocks.scan.__name__}\n"
        "for p in sys.argv[1:]:\n"
        "    try:\n"
        "        out[p] = parse_device(read_text(p), p).model_dump(mode='json')\n"
        "    except InputError as exc:\n"
        "        out[p] = str(exc)\n"
        "print(json.dumps(out))\n")
    run = subprocess.run([sys.executable, "-c", script, *map(str, paths)], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True)
    return json.loads(run.stdout)


def test_environment_switch_selects_the_scanner_and_models_are_identical(generated):
    paths = device_config_files() + generated
    pure, compiled = _show_all(paths, pure=True), _show_all(paths, pure=False)
    assert (pure.pop("scan"), compiled.pop("scan")) == ("scan_py", "scan_c")
    assert len(pure) == len(paths)
    for p in pure:
        assert compiled[p] == pure[p], f"`show {p}` differs between the compiled and the pure scanner"


# -- random texts ---------------------------------------------------------------------------------------------------
# the str.splitlines boundaries: only \n, \r\n and \r end a line (split_lines); both scanners keep the rest inside it
SEPARATORS = ["\n", "\r\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
SPACES = [" ", "  ", "\t", " \t", "\xa0", "\u3000", "\x1f", "\u2003", ""]
WORDS = ["crypto", "isakmp", "policy", "10", "map", "OUT", "ipsec-isakmp", "encryption", "aes", "hash", "sha",
         "group", "14", "interface", "GigabitEthernet0/1", "ip", "address", "acl", "number", "3000", "rule", "5",
         "ike", "proposal", "sysname", "HQ", "exit", "quit", "return", "!", "#", "set", "peer", "é", "ü", "中文",
         "\U0001f600", "access-list", "object", "crypto map", "group 14", "set peer", "set\tpeer", "set \xa0peer",
         "crypto isakmp policy 1", "crypto map M 10", "ike proposal 1", "interface Loop0"]
PREFIXES = ("crypto ", "interface", "acl ", "ike ", "sysname", "access-list", "é", "中")
SKIP = ("crypto map", "interface Loop")
VOCAB = first_prefix({"crypto isakmp": frozenset({"encryption", "hash", "group 14", "group"}),
                      "crypto map": frozenset({"set peer", "match"}), "ike": frozenset({"é", "中文"})})


@st.composite
def config_texts(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 30))):
        lead = draw(st.sampled_from(["", "", " ", "  ", "\t", "\xa0", "\x1f", " \t "]))
        body = draw(st.lists(st.sampled_from(WORDS), max_size=5))
        gaps = draw(st.lists(st.sampled_from(SPACES), min_size=len(body), max_size=len(body)))
        line = lead + "".join(w + g for w, g in zip(body, gaps))
        lines.append(line + draw(st.sampled_from(["", "", " ", "\t", "\xa0"])))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(lines), max_size=len(lines)))
    text = "".join(line + sep for line, sep in zip(lines, seps))
    return text if draw(st.booleans()) else text.rstrip("".join(SEPARATORS))


ARGS = [
    lambda t: ((t, PREFIXES, VOCAB), {"skip": SKIP}),  # ASA's form: prefixes in C, a first_prefix vocabulary
    lambda t: ((t, PREFIXES, VOCAB), {"skip": SKIP, "skip_except": ("crypto map M", "interface Loop0")}),
    lambda t: ((t, lambda line: line.startswith(PREFIXES), lambda line: VOCAB(line)), {}),  # IOS's: callables
    lambda t: ((t, PREFIXES, None), {"comment": "#", "closers": ("return", "quit"), "sections": True}),  # VRP
    lambda t: ((t, PREFIXES, VOCAB), {"comment": "#", "closers": ["exit"], "sections": True, "skip": SKIP}),
    lambda t: ((t, (), None), {}),
    lambda t: ((t, ("",), VOCAB), {"comment": "", "closers": ()}),  # empty prefix and comment: str semantics
]


@PROPERTY
@given(config_texts(), st.integers(0, len(ARGS) - 1))
def test_random_config_texts_scan_alike(text, which):
    args, kwargs = ARGS[which](text)
    assert dump(scan_c(*args, **kwargs)) == dump(scan_py(*args, **kwargs))


def test_every_code_point_as_separator_and_whitespace():
    # split_lines / strip / split decide, not a table of ours: every code point that is not a line end sits
    # inside one long line (a code point the C loop wrongly took for a line end would shift every number)...
    points = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    ends = [c for c in points if len(split_lines(f"a{c}b")) == 2]
    assert ends == ["\n", "\r"]
    inner = "".join(c for c in points if c not in ends)
    text = f"crypto {inner}\n{inner}\n x\n#\n {inner}\n"
    for kwargs in [{}, {"comment": "#", "sections": True}]:
        assert dump(scan_c(text, ("crypto", " ", ""), None, **kwargs)) == dump(scan_py(text, ("crypto", " ", ""), None,
                                                                                      **kwargs))
    # ...and each line end, space and control character in every place a line can hold it
    special = sorted(set(ends) | {c for c in points if c.isspace() or ord(c) < 0x100} | {"\u200b", "\ufeff"})
    text = "".join(f"crypto a{c}b{c}\n{c}x{c}\n {c}crypto z\n#\n {c}y{c}\ncrypto{c}q\n{c}\n" for c in special)
    for args, kwargs in [((text, ("crypto",), None), {}),
                         ((text, ("crypto", " ", "y"), None), {"comment": "#", "sections": True})]:
        assert dump(scan_c(*args, **kwargs)) == dump(scan_py(*args, **kwargs))


SCENARIOS = {  # text, scan arguments, the kept blocks' (head, rows' texts) as both scanners must give them
    "closer ends the flush-left vocabulary": (
        "crypto isakmp policy 1\nencryption aes\nexit\nhash sha\n group 14\n", ((PREFIXES, VOCAB), {}),
        [("crypto isakmp policy 1", ["encryption aes"])]),
    "indented closer ends it too": (
        "crypto isakmp policy 1\n exit\nhash sha\n", ((PREFIXES, VOCAB), {}), [("crypto isakmp policy 1", [])]),
    "section line not kept drops the lines under it": (
        "#\n sysname HQ\n  child of sysname\n undo x\n  child of undo\n#\n", ((PREFIXES, None),
                                                                             {"comment": "#", "sections": True}),
        [("sysname HQ", ["child of sysname"])]),
    "two spaces in a section is a child": (
        "#\n sysname HQ\n  two in\n\t tab in\n", ((PREFIXES, None), {"comment": "#", "sections": True}),
        [("sysname HQ", ["two in", "tab in"])]),
    "comment without sections keeps the block open": (
        "crypto map M 10\n!\n set peer 1\n", ((PREFIXES, None), {}), [("crypto map M 10", ["set peer 1"])]),
    "skip prefixes": (
        "crypto map M 10\n set peer 1\ncrypto isakmp policy 1\n hash sha\n", ((PREFIXES, None), {"skip": SKIP}),
        [("crypto isakmp policy 1", ["hash sha"])]),
    "skip exceptions": (
        "crypto map M 10\n set peer 1\ncrypto map N 10\n set peer 2\ninterface Loop0\n",
        ((PREFIXES, None), {"skip": SKIP, "skip_except": ("crypto map N", "interface")}),
        [("crypto map N 10", ["set peer 2"]), ("interface Loop0", [])]),
    "\\r\\n is one line end, \\r\\r two": (
        "crypto map M 10\r\n set peer 1\r\r set peer 2\n", ((PREFIXES, None), {}),
        [("crypto map M 10", ["set peer 1", "set peer 2"])]),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenarios(name):
    text, (args, kwargs), expected = SCENARIOS[name]
    found = scan_c(text, *args, **kwargs)
    assert [(b.head.text, [t for _, t in b.rows]) for b in found] == expected
    assert dump(found) == dump(scan_py(text, *args, **kwargs))


def test_flush_left_vocabulary_of_two_words_apart_by_any_whitespace():
    text = "crypto map M 1\nset\tpeer 192.0.2.1\nset \u3000 peer 192.0.2.2\nset\x1fpeer\nmatch address A\nset x\n"
    found = scan_c(text, PREFIXES, VOCAB)
    assert [r[1] for r in found[0].rows] == ["set\tpeer 192.0.2.1", "set \u3000 peer 192.0.2.2", "set\x1fpeer",
                                            "match address A"]
    assert dump(found) == dump(scan_py(text, PREFIXES, VOCAB))


def test_arguments_the_c_loop_does_not_take_go_to_the_python_loop():
    class Text(str):
        pass

    text = "crypto map M 1\n set peer 192.0.2.1\nexit\n"
    assert dump(scan_c(Text(text), ("crypto",), None)) == dump(scan_py(text, ("crypto",), None))
    assert dump(scan_c(text, ("crypto",), None, closers=iter(["exit"]))) == dump(scan_py(text, ("crypto",), None))
    for bad in [(text, (1, "crypto"), None), (text, ["crypto"], None), (text, 5, None)]:
        with pytest.raises(TypeError) as py:
            scan_py(*bad)
        with pytest.raises(TypeError) as c:
            scan_c(*bad)
        assert str(c.value) == str(py.value)


def test_callback_errors_propagate():
    def keep(line):
        raise ValueError(f"no {line}")

    with pytest.raises(ValueError, match="no crypto map M 1"):
        scan_c("crypto map M 1\n", keep, None)
    with pytest.raises(ZeroDivisionError):
        scan_c("crypto map M 1\n", ("crypto",), lambda line: 1 / 0)
    with pytest.raises(TypeError):  # a vocabulary that is no container, as scan_py's `in`
        scan_c("crypto map M 1\nset peer\n", ("crypto",), lambda line: 5)


def test_scan_leaves_no_object_behind():
    # a reference leaked per block, per line or per callback would show as allocated blocks growing with the runs
    texts = [(FIXTURES / "pairs" / name).read_text() for name in ("ikev1-map.asa.cfg", "ikev1-map.huawei.cfg")]
    runs = [arg(t + "crypto isakmp policy 1\nencryption aes\ngroup 14\n") for t in texts for arg in ARGS]
    for _ in range(20):
        for args, kwargs in runs:
            scan_c(*args, **kwargs)
    gc.collect()
    before = sys.getallocatedblocks()
    for _ in range(500):
        for args, kwargs in runs:
            scan_c(*args, **kwargs)
    gc.collect()
    assert sys.getallocatedblocks() - before < 200
