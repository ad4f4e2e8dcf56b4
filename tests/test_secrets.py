"""Pre-shared keys never reach any output, by construction.

Every key syntax of every vendor (valid, typed, malformed, truncated, misspelt, quoted with spaces, in a
block the parser does not understand) goes through every command and format, and two things are asserted:
- a canary key appears nowhere: stdout, stderr, the --output file;
- the output for a tricky key (a common word, a JSON literal, the SARIF version, a vendor keyword, an IP,
  the hostname, markup characters) is byte-identical to the output for the canary. So nothing in the
  output depends on the key value: no masking of ordinary text that happens to equal the key (the old
  text-wide scrub turned `cisco-ios` into `<redacted>-ios`), no invalid JSON, no key decoded back out.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from analyzer.cli import app
from analyzer.redact import MASK, shown
from conftest import FIXTURES
from parsers.cisco_common import _XLAT

PAIRS = FIXTURES / "pairs"
CANARY = "Zq7-canary-Kx93"
# Keys chosen to break a text-wide scrub or a naive masker; each must give the canary's output exactly.
TRICKY = ["cisco", "false", "2.1.0", "address", "hostname", "key", "simple", "local", "10.99.88.77",
          "hz-dc-edge01", "a<b&c>d\\e'f", "error", "peer"]


def type7(plain: str, seed: int = 9) -> str:
    return f"{seed:02d}" + "".join(f"{ord(c) ^ ord(_XLAT[(seed + i) % len(_XLAT)]):02X}" for i, c in enumerate(plain))


# (id, device fixture, connection fixture, the fixture's key line(s), replacement with {K}; {T7} = type 7 of K)
IOS_V1 = "crypto isakmp key hzDC-7q!Lm2#vR9k address 198.51.100.60"
IOS_V2 = "  pre-shared-key local gz-Branch-2026!x\n  pre-shared-key remote gz-Branch-2026!x"
ASA = " ikev1 pre-shared-key hzDC-7q!Lm2#vR9k"
VRP = " pre-shared-key simple hzDC-7q!Lm2#vR9k"
H3C = " pre-shared-key address 198.51.100.60 255.255.255.255 key simple hzDC-7q!Lm2#vR9k"
V1 = ("ikev1-map.cfg", "ikev1-map.json", IOS_V1)
V2 = ("ikev2-map.cfg", "ikev2-map.json", IOS_V2)
ASA_F = ("ikev1-map.asa.cfg", "ikev1-map.asa.json", ASA)
VRP_F = ("ikev1-map.huawei.cfg", "ikev1-map.json", VRP)
H3C_F = ("ikev1-map.h3c.cfg", "ikev1-map.json", H3C)
SYNTAXES = [
    ("ios-isakmp-key", V1, "crypto isakmp key {K} address 198.51.100.60"),
    ("ios-isakmp-key-typed", V1, "crypto isakmp key 0 {K} address 198.51.100.60 255.255.255.255 no-xauth"),
    ("ios-isakmp-key-type7", V1, "crypto isakmp key 7 {T7} address 198.51.100.60"),
    ("ios-isakmp-key-no-address-word", V1, "crypto isakmp key {K} 198.51.100.60"),
    ("ios-isakmp-key-misspelt", V1, "crypto isakmp key {K} adress 198.51.100.60"),
    ("ios-isakmp-key-truncated", V1, "crypto isakmp key {K}"),
    ("ios-keyring", V1, "crypto keyring KR-ALI\n pre-shared-key address 198.51.100.60 key {K}"),
    ("ios-keyring-key-word-missing", V1, "crypto keyring KR-ALI\n pre-shared-key address 198.51.100.60 {K}"),
    ("ios-keyring-key-word-misspelt", V1, "crypto keyring KR-ALI\n pre-shared-key address 198.51.100.60 kye {K}"),
    ("ios-keyring-keyword-misspelt", V1, "crypto keyring KR-ALI\n pre-shard-key address 198.51.100.60 key {K}"),
    ("ios-keyring-stray-line", V1, "crypto keyring KR-ALI\n pre-shared-key address 198.51.100.60 key\n {K}"),
    ("ios-v2-one-key", V2, "  pre-shared-key {K}"),
    ("ios-v2-local-remote", V2, "  pre-shared-key local {K}\n  pre-shared-key remote {K}"),
    ("ios-v2-typed", V2, "  pre-shared-key local 0 {K}\n  pre-shared-key remote 0 {K}"),
    ("ios-v2-direction-misspelt", V2, "  pre-shared-key remot {K}"),
    ("ios-v2-stray-line", V2, "  pre-shared-key local\n  {K}"),
    ("ios-v2-profile-inline", V2, ""),  # keys in the profile instead: see _device_text
    ("asa-ikev1", ASA_F, " ikev1 pre-shared-key {K}"),
    ("asa-pre-8.4", ASA_F, " pre-shared-key {K}"),
    ("asa-misspelt", ASA_F, " ikev1 pre-shared-keys {K}"),
    ("vrp-simple", VRP_F, " pre-shared-key simple {K}"),
    ("vrp-bare", VRP_F, " pre-shared-key {K}"),
    ("vrp-quoted-spaces", VRP_F, ' pre-shared-key simple "{K} DC Tunnel#1"'),
    ("vrp-unquoted-spaces", VRP_F, " pre-shared-key simple {K} DC Tunnel#1"),
    ("vrp-cipher", VRP_F, " pre-shared-key cipher {K}"),
    ("vrp-qualifier-misspelt", VRP_F, " pre-shared-key simpel {K}"),
    ("vrp-keyword-misspelt", VRP_F, " pre-shard-key simple {K}"),
    ("h3c-keychain", H3C_F, " pre-shared-key address 198.51.100.60 255.255.255.255 key simple {K}"),
    ("h3c-keychain-quoted", H3C_F, ' pre-shared-key address 198.51.100.60 255.255.255.255 key simple "{K} DC Tunnel#1"'),
    ("h3c-keychain-key-word-missing", H3C_F, " pre-shared-key address 198.51.100.60 255.255.255.255 {K}"),
    ("h3c-keychain-no-qualifier", H3C_F, " pre-shared-key address 198.51.100.60 key {K}"),
]
SPACED = {"vrp-quoted-spaces", "h3c-keychain-quoted"}
# A key spelt like a word of the grammar around it (`key`, `address`, `local`...) turns a malformed or
# ambiguous line into another config (`pre-shared-key address IP {K}` with K = `key` is a keyring line
# with no key): those syntaxes are swept with the other tricky keys only.
GRAMMAR_WORDS = {"key", "address", "hostname", "simple", "local"}
UNAMBIGUOUS = {"ios-isakmp-key", "ios-isakmp-key-typed", "ios-keyring", "ios-v2-local-remote", "ios-v2-typed",
               "ios-v2-profile-inline", "asa-ikev1", "asa-pre-8.4", "vrp-simple", "vrp-quoted-spaces",
               "h3c-keychain", "h3c-keychain-quoted"}


def _device_text(syntax: str, fixture: tuple, template: str, key: str) -> str:
    text = (PAIRS / fixture[0]).read_text()
    if syntax == "ios-v2-profile-inline":
        text = text.replace(IOS_V2 + "\n", "")
        return text.replace(" authentication remote pre-share\n authentication local pre-share\n",
                            f" authentication remote pre-share key {key}\n authentication local pre-share key {key}\n")
    assert fixture[2] in text
    return text.replace(fixture[2], template.replace("{K}", key).replace("{T7}", type7(key)))


def _alibaba_key(syntax: str, key: str) -> str:
    return f"{key} DC Tunnel#1" if syntax in SPACED else key


def _write(folder, syntax, fixture, template, key):
    folder.mkdir(parents=True, exist_ok=True)
    dev, conn = folder / "device.cfg", folder / "connection.json"
    dev.write_text(_device_text(syntax, fixture, template, key))
    doc = json.loads((PAIRS / fixture[1]).read_text())
    raw = json.dumps(doc)
    assert raw.count('"Psk": "') == 1
    doc_text = re.sub(r'"Psk": "[^"]*"', lambda _: '"Psk": ' + json.dumps(_alibaba_key(syntax, key)), raw)
    conn.write_text(doc_text)
    (folder / ".ipsec-preflight.toml").write_text('alibaba = ["connection.json"]\n')
    return dev, conn


def _runs(folder, dev, conn, full: bool):
    """(label, argv) for every command and format; ``full`` adds the rest of the formats and --output."""
    out = folder / "report.out"
    runs = [("check-json", ["check", str(conn), str(dev), "--format", "json"]),
            ("check-sarif", ["check", str(conn), str(dev), "--format", "sarif"]),
            ("show-device", ["show", str(dev)]),
            ("lint-text", ["lint", str(dev)])]
    if full:
        runs += [("check-text", ["check", str(conn), str(dev)]),
                 ("check-html", ["check", str(conn), str(dev), "--format", "html"]),
                 ("check-output", ["check", str(conn), str(dev), "--format", "json", "--output", str(out)]),
                 ("show-json", ["show", str(conn)]),
                 ("lint-json", ["lint", str(dev), "--format", "json"]),
                 ("lint-sarif", ["lint", str(dev), "--format", "sarif"]),
                 ("audit-text", ["audit", str(folder / "device.cfg"), str(conn)]),
                 ("audit-json", ["audit", str(folder / "device.cfg"), str(conn), "--format", "json"]),
                 ("audit-html", ["audit", str(folder / "device.cfg"), str(conn), "--format", "html", "-o", str(out)]),
                 ("hook-text", ["hook", str(dev), "--config", str(folder / ".ipsec-preflight.toml")])]
    return runs, out


def _outputs(folder, syntax, fixture, template, key, full, monkeypatch) -> dict[str, str]:
    dev, conn = _write(folder, syntax, fixture, template, key)
    runs, out = _runs(folder, dev, conn, full)
    monkeypatch.chdir(folder)
    runner = CliRunner()
    result = {}
    for label, argv in runs:
        out.unlink(missing_ok=True)
        r = runner.invoke(app, argv)
        assert r.exception is None or isinstance(r.exception, SystemExit), (label, repr(r.exception))
        assert r.exit_code in (0, 1, 2), (label, r.exit_code, r.stderr)
        written = out.read_text() if out.exists() else ""
        result[label] = f"exit {r.exit_code}\n--stdout\n{r.stdout}\n--stderr\n{r.stderr}\n--file\n{written}"
        _assert_valid(label, r.stdout, written)
    return result


def _assert_valid(label: str, stdout: str, written: str) -> None:
    body = written or stdout
    if label.endswith(("json", "sarif", "output")) and not label.startswith("show"):
        doc = json.loads(body)
        if label.endswith("sarif"):
            assert doc["version"] == "2.1.0"
    elif label.startswith("show"):
        json.loads(stdout)
    elif label.endswith("html"):
        parser = HTMLParser()
        parser.feed(body)
        parser.close()
        assert body.rstrip().endswith("</html>")


@pytest.mark.parametrize("syntax,fixture,template", SYNTAXES, ids=[s[0] for s in SYNTAXES])
def test_no_key_in_any_output_and_output_independent_of_the_key(syntax, fixture, template, tmp_path, monkeypatch):
    folder = tmp_path / "repo"
    canary = _outputs(folder, syntax, fixture, template, CANARY, True, monkeypatch)
    for label, text in canary.items():
        assert CANARY not in text, f"{syntax}: the key leaked in {label}:\n{text}"
        assert type7(CANARY) not in text, f"{syntax}: the type 7 form of the key leaked in {label}"
    for key in TRICKY:
        if syntax in SPACED and any(c in key for c in "\"'\\"):
            continue
        if key in GRAMMAR_WORDS and syntax not in UNAMBIGUOUS:
            continue
        tricky = _outputs(folder, syntax, fixture, template, key, False, monkeypatch)
        for label, text in tricky.items():
            assert text == canary[label], f"{syntax}, key {key!r}: {label} differs from the canary's output"


def test_a_wrong_key_is_still_reported_without_showing_either_key(tmp_path, monkeypatch):
    """The masking must not hide the verdict: a different key on the device is PskMismatch."""
    folder = tmp_path / "repo"
    dev, conn = _write(folder, "ios-isakmp-key", V1, "crypto isakmp key {K} address 198.51.100.60", CANARY)
    conn.write_text(conn.read_text().replace(CANARY, "Other-Key-51x"))
    r = CliRunner().invoke(app, ["check", str(conn), str(dev), "--format", "json"])
    codes = {f["code"] for p in json.loads(r.stdout)["pairs"] for f in p["findings"]}
    assert "PskMismatch" in codes
    assert CANARY not in r.stdout + r.stderr and "Other-Key-51x" not in r.stdout + r.stderr


@pytest.mark.parametrize("syntax,line,key", [
    ("vrp-quoted-spaces", ' pre-shared-key simple "Hangzhou DC Tunnel#1"', "Hangzhou DC Tunnel#1"),
    ("h3c-keychain-quoted", ' pre-shared-key address 198.51.100.60 255.255.255.255 key simple "Hangzhou DC Tunnel#1"',
     "Hangzhou DC Tunnel#1"),
])
def test_quoted_key_with_spaces_is_read_without_its_quotes(syntax, line, key, tmp_path):
    """Huawei/H3C: a key with spaces is written in double quotes, which are not part of the key, so it
    matches the same key on the Alibaba side (no PskMismatch)."""
    from parsers.registry import parse_device

    fixture = VRP_F if syntax.startswith("vrp") else H3C_F
    text = (PAIRS / fixture[0]).read_text().replace(fixture[2], line)
    dev = parse_device(text, "device.cfg", "auto")
    ep = next(e for e in dev.endpoints if e.peer_address == "198.51.100.60")
    assert ep.ike.psk.secret.get_secret_value() == key
    assert ep.ike.psk.source.text.endswith("simple <redacted>")


@pytest.mark.parametrize("line,expected", [
    ("crypto isakmp key cisco123 address 198.51.100.60", "crypto isakmp key <redacted> address 198.51.100.60"),
    ("crypto isakmp key address-x address 198.51.100.60", "crypto isakmp key <redacted> address 198.51.100.60"),
    ("crypto isakmp key hostname hostname vpn.example", "crypto isakmp key <redacted> hostname vpn.example"),
    ("crypto isakmp key key address 198.51.100.60", "crypto isakmp key <redacted> address 198.51.100.60"),
    ("crypto isakmp key password address 198.51.100.60", "crypto isakmp key <redacted> address 198.51.100.60"),
    ("pre-shared-key address 198.51.100.60 SECRET", "pre-shared-key <redacted> <redacted> <redacted>"),
    ("pre-shared-key address 198.51.100.60 key SECRET", "pre-shared-key address 198.51.100.60 key <redacted>"),
    ("pre-shared-key address 198.51.100.60 255.255.255.255 key cipher $c$3$x==",
     "pre-shared-key address 198.51.100.60 255.255.255.255 key cipher <redacted>"),
    ('pre-shared-key simple "Hangzhou DC Tunnel#1"', "pre-shared-key simple <redacted>"),
    ("pre-shared-key simple Hangzhou DC Tunnel#1", "pre-shared-key <redacted> <redacted> <redacted> <redacted>"),
    ("authentication remote pre-share key K1", "authentication remote pre-share key <redacted>"),
    ("authentication remote pre-share kye K1", "authentication remote pre-share <redacted> <redacted>"),
    ("ikev1 pre-shared-key simple", "ikev1 pre-shared-key <redacted>"),
    ("ikev2 remote-authentication pre-shared-key *****", "ikev2 remote-authentication pre-shared-key <redacted>"),
    ("set peer 198.51.100.60", "set peer 198.51.100.60"),
])
def test_masking_follows_the_key_grammar(line, expected):
    assert shown(line) == expected
    assert shown(expected) == expected  # masking again changes nothing (the model re-validates display text)


def test_model_masks_display_text_whatever_the_caller():
    from analyzer.model import Diagnostic, Source

    assert Source(text="crypto isakmp key s3cr3t address 1.2.3.4").text == f"crypto isakmp key {MASK} address 1.2.3.4"
    assert Diagnostic(severity="info", message="m", text="ikev1 pre-shared-key s3cr3t").text.endswith(MASK)


# --- Found by an adversarial review (each leaked before its fix) ---------------------------------------------

@pytest.mark.parametrize("psk", [["Zq7-canary-Kx93"], {"value": "Zq7-canary-Kx93"}, True, 1.5e300,
                                 "Zq7-canary-Kx93\ud800"], ids=["list", "object", "bool", "float", "surrogate"])
def test_a_malformed_alibaba_psk_is_reported_without_its_value(psk, tmp_path, monkeypatch):
    folder = tmp_path / "repo"
    dev, conn = _write(folder, "ios-isakmp-key", V1, "crypto isakmp key {K} address 198.51.100.60", CANARY)
    conn.write_text(re.sub(r'"Psk": "[^"]*"', lambda _: '"Psk": ' + json.dumps(psk), conn.read_text()))
    monkeypatch.chdir(folder)
    runner = CliRunner()
    for argv in (["check", str(conn), str(dev), "--format", "json"], ["check", str(conn), str(dev)],
                 ["show", str(conn)], ["audit", str(folder / "device.cfg"), str(conn), "--format", "sarif"]):
        r = runner.invoke(app, argv)
        assert r.exit_code == 2, (argv, r.exit_code)
        assert "Psk" in r.stderr and CANARY not in r.stdout + r.stderr, (argv, r.stderr)


@pytest.mark.parametrize("fixture,line", [
    (V1, "crypto isakmp kye {K} address 198.51.100.60"),
    (V1, "crypto isakmp keys {K} address 198.51.100.60"),
    (V1, "crypto isakmp key: {K} address 198.51.100.60"),
    (V1, "crypto isakmp \"x key {K}\" address 198.51.100.60"),
    (V1, "crypto isakmp \"x key {K} address 198.51.100.60"),
    (V1, IOS_V1 + "\ncrypto isakmp profile P-ALI\n pre-shared-kye {K}"),
    (V1, IOS_V1 + "\ncrypto isakmp profile P-ALI\n preshared {K}"),
    (H3C_F, H3C + "\nike profile P2\n pre-shared-kye simple {K}"),
    (ASA_F, " ikev1 pre-shared-key 0 hostname {K}"),
    (VRP_F, " pre-shared-key simple no-xauth {K}"),
], ids=["kye", "keys", "key-colon", "quoted-keyword", "unclosed-quote", "ios-profile-kye", "ios-profile-preshared",
        "h3c-profile-kye", "asa-extra-words", "vrp-no-xauth"])
def test_misspelt_or_odd_key_lines_are_masked(fixture, line, tmp_path, monkeypatch):
    folder = tmp_path / "repo"
    dev, conn = _write(folder, "odd", fixture, line, CANARY)
    monkeypatch.chdir(folder)
    runner = CliRunner()
    for argv in (["show", str(dev)], ["lint", str(dev), "--format", "json"], ["check", str(conn), str(dev)]):
        r = runner.invoke(app, argv)
        assert r.exit_code in (0, 1, 2) and CANARY not in r.stdout + r.stderr, (argv, r.stdout + r.stderr)


def test_a_key_containing_a_quote_is_read_whole():
    from analyzer.redact import key_value

    assert key_value('pre-shared-key simple Ab"cd', 2) == 'Ab"cd'
    assert key_value('pre-shared-key simple "a  b"', 2) == "a  b"
    assert shown('pre-shared-key simple Ab"cd') == shown("pre-shared-key simple Abcd") == f"pre-shared-key simple {MASK}"


@pytest.mark.parametrize("line", ["crypto ipsec transform-set TS-PSK esp-aes 256 esp-sha-hmac",
                                  "crypto map VPN-PSK 10 ipsec-isakmp", "ipsec policy ALIYUN-SECRET 10 isakmp",
                                  "crypto ikev2 keyring KR-ALIYUN", " keychain KC-ALIYUN"])
def test_names_that_end_like_a_keyword_are_not_masked(line):
    assert shown(line) == line


def test_a_long_line_is_cut_once_and_keeps_its_real_length():
    from analyzer.model import Source

    line = "crypto map VPN 10 ipsec-isakmp " + "x" * 500
    assert Source(text=shown(line)).text.endswith(f"... ({len(line):,} characters)")


def _edit_distance_at_most_one(a: str, b: str) -> bool:
    """Reference: optimal-string-alignment distance by dynamic programming."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)] <= 1


def test_keyword_typo_matcher_agrees_with_edit_distance():
    import random

    from analyzer.redact import _one_edit

    rng = random.Random(7)
    for _ in range(5000):
        a = "".join(rng.choice("key-pa") for _ in range(rng.randint(0, 6)))
        b = "".join(rng.choice("key-pa") for _ in range(rng.randint(0, 6)))
        assert _one_edit(a, b) == _edit_distance_at_most_one(a, b), (a, b)
