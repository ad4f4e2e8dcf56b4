"""A line ends at \\n, \\r\\n or a lone \\r only, as devices write them and as `grep -n` and editors count them.

str.splitlines also breaks at \\v \\f \\x1c-\\x1e \\x85 \\u2028 \\u2029: one of those in a description or a comment
cut the line in two, the flush-left second half ended the block (`crypto map` lost `set peer`: "no IPsec tunnel
found", a false alarm) and every later line number was one off.
"""
import json

import pytest
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

from analyzer.cli import app
from conftest import FIXTURES
from parsers import blocks
from parsers.blocks import line_at, lines_of, scan_c, scan_py, split_lines
from parsers.cisco_asa import parser as asa_parser
from parsers.cisco_ios import parser as ios_parser
from parsers import vrp_common

EX = FIXTURES / "example"
INNER = ["\u2028", "\x0c", "\x85", "\x0b", "\x1c", "\x1d", "\x1e", "\u2029"]  # not line ends
SCANNERS = {"python": scan_py, "compiled": scan_c}


def _findings(tmp_path, text: str, name: str = "device.cfg", newline: str = "") -> list[dict]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline=newline)  # newline="": written exactly as given
    r = CliRunner().invoke(app, ["check", str(EX / "connection.json"), str(path), "--format", "json"])
    assert r.exit_code == 1, r.stdout
    doc = json.loads(r.stdout)
    assert doc["errors"] == []
    return [{"code": f["code"], "line": f["device"]["line"], "text": f["device"]["text"]}
            for p in doc["pairs"] for f in p["findings"]]


def _base() -> str:
    return (EX / "branch-router.cfg").read_text(encoding="utf-8")


def _insert_after(text: str, anchor: str, line: str) -> tuple[str, int]:
    """``text`` with ``line`` added after the line ``anchor``, and the number of the added line."""
    at = text.index(anchor + "\n") + len(anchor) + 1
    return text[:at] + line + "\n" + text[at:], text.count("\n", 0, at) + 1


PLACES = {  # where the character goes: a new line after an anchor line, or inside an existing line
    "crypto map description": lambda c: _insert_after(_base(), "crypto map ALIYUN-MAP 10 ipsec-isakmp",
                                                      f" description to Alibaba{c}Shanghai VPC"),
    "comment line": lambda c: _insert_after(_base(), "crypto isakmp policy 10", f"! moved{c}2026 by netops"),
    "interface description": lambda c: (_base().replace(" description WAN - ISP uplink",
                                                        f" description WAN{c}ISP uplink"), None),
}


@pytest.fixture(params=sorted(SCANNERS))
def scanner(request, monkeypatch):
    for module in (ios_parser, asa_parser, vrp_common):
        monkeypatch.setattr(module, "scan", SCANNERS[request.param])
    return request.param


@pytest.mark.parametrize("place", sorted(PLACES))
@pytest.mark.parametrize("char", INNER, ids=[f"U+{ord(c):04X}" for c in INNER])
def test_inner_character_keeps_findings_and_grep_line_numbers(tmp_path, scanner, place, char):
    if scanner == "compiled" and blocks._blocks is None:
        pytest.skip("parsers/_blocks.c not built")
    text, added = PLACES[place](char)
    before = _findings(tmp_path, _base(), "base.cfg")
    after = _findings(tmp_path, text)
    shifted = [dict(f, line=f["line"] + 1 if added and f["line"] and f["line"] >= added else f["line"])
               for f in before]
    assert after == shifted
    grep_n = text.split("\n")  # `grep -n`: line N is the text between the (N-1)th and Nth \n
    for f in after:
        if f["line"]:
            assert grep_n[f["line"] - 1].strip() == f["text"], f


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "lone-cr"])
def test_crlf_and_lone_cr_files_give_the_lf_findings(tmp_path, scanner, newline):
    if scanner == "compiled" and blocks._blocks is None:
        pytest.skip("parsers/_blocks.c not built")
    base = _findings(tmp_path, _base(), "base.cfg")
    assert base and all(f["line"] for f in base if f["text"])
    assert _findings(tmp_path, _base().replace("\n", newline)) == base


@pytest.mark.parametrize("text", ["", "\n", "a", "a\n", "a\n\n", "\na", "a\r\nb", "a\rb\r", "a\r\r\nb\n\r",
                                  "a\n\rb", " x \t\n\xa0y\r\n\r\n", "é\r中\n\U0001f600"])
def test_split_lines_is_splitlines_where_they_agree(text):
    assert split_lines(text) == text.splitlines()


def test_split_lines_keeps_other_splitlines_boundaries_in_the_line():
    text = "".join(f"a{c}b\n" for c in INNER) + "end\r\nlast\r"
    assert split_lines(text) == [f"a{c}b" for c in INNER] + ["end", "last"]
    assert list(lines_of(text * 50, chunk=64)) == split_lines(text * 50)  # chunked the same, \r\n never cut


@settings(derandomize=True, database=None, max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \t\r\n\x0b\x0c\x1c\x85\u2028!"), max_size=400), st.integers(1, 40))
def test_chunked_split_equals_split_lines_and_splitlines_on_line_ends(text, chunk):
    assert list(lines_of(text, chunk)) == split_lines(text)
    # split_lines is splitlines with the other boundaries taken as ordinary characters
    marked = "".join("\n" if c in "\r\n" else "x" if c in INNER else c for c in text.replace("\r\n", "\n"))
    assert [len(line) for line in split_lines(text)] == [len(line) for line in marked.splitlines()]


@pytest.mark.parametrize("char", INNER, ids=[f"U+{ord(c):04X}" for c in INNER])
def test_both_scanners_keep_the_character_inside_its_line(char):
    if blocks._blocks is None:
        pytest.skip("parsers/_blocks.c not built")
    text = f"crypto map M 10\n description a{char}b\n set peer 1\n!{char}x\ncrypto isakmp policy 1{char}\n hash sha\n"
    expect = [("crypto map M 10", [(2, f"description a{char}b"), (3, "set peer 1")]),
              ("crypto isakmp policy 1", [(6, "hash sha")])]  # a trailing space-like char is stripped as today
    for scan in (scan_py, scan_c):
        got = [(b.head.text, b.rows) for b in scan(text, ("crypto ",), None)]
        assert got == expect, scan.__name__


@pytest.mark.parametrize("text", ["a\nb\r\nc\rd\x85e\u2028f\n", "\r\n\r\n\rx", "x"])
def test_line_at_numbers_as_split_lines(text):
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n" or (c == "\r" and text[i + 1:i + 2] != "\n")]
    lines = split_lines(text)
    for no, start in enumerate(starts[:len(lines)], 1):
        assert line_at(text, start) == no and text[start:].startswith(lines[no - 1])


@pytest.mark.parametrize("char", ["\u2028", "\x0c", "\x85"], ids=["U+2028", "U+000C", "U+0085"])
def test_inline_suppression_numbered_and_scoped_as_the_file(char):
    from parsers.registry import parse_device
    text = _base().replace("crypto map ALIYUN-MAP 10 ipsec-isakmp\n", f"! note{char}x\n! ipsec-preflight: disable="
                           f"PfsMismatch\ncrypto map ALIYUN-MAP 10 ipsec-isakmp\n description a{char}b\n", 1)
    dev = parse_device(text, "device.cfg", "cisco-ios")
    (s,) = dev.suppressions
    grep_n = text.split("\n")
    assert grep_n[s.line - 1] == "! ipsec-preflight: disable=PfsMismatch"
    assert grep_n[s.start - 1] == "crypto map ALIYUN-MAP 10 ipsec-isakmp"
    # the block it covers: the map with our description and its other children, up to the next command
    assert s.end - s.start == 6 and grep_n[s.end - 2] == " match address ALIYUN-VPC"
    assert grep_n[s.end].startswith("interface ")
