"""A generated config keeps `generate`'s key placeholder until the user pastes the key: `check` says exactly that,
as an error (a config not yet usable must not pass), and nothing else about the key."""
import json

from analyzer.checker import check
from analyzer.generate import generate
from conftest import FIXTURES
from parsers import alibaba
from parsers.generation import PSK_PLACEHOLDER
from parsers.registry import parse_device

EXAMPLE = FIXTURES / "example" / "connection.json"


def _psk_findings(text: str):
    tunnels = alibaba.load(str(EXAMPLE))
    dev = parse_device(text, "generated.cfg")
    return [f for r in check(tunnels, dev) for f in r.findings if f.code == "PskMismatch"]


def test_the_placeholder_is_named_and_is_an_error():
    text = generate(alibaba.load(str(EXAMPLE)), "cisco-ios")
    found = _psk_findings(text)
    assert len(found) == 1 and found[0].severity == "error"
    assert PSK_PLACEHOLDER in found[0].message and "paste" in found[0].message


def test_once_the_key_is_pasted_the_key_matches():
    key = json.loads(EXAMPLE.read_text())["IkeConfig"]["Psk"]
    text = generate(alibaba.load(str(EXAMPLE)), "cisco-ios").replace(PSK_PLACEHOLDER, key)
    assert _psk_findings(text) == []
    other = generate(alibaba.load(str(EXAMPLE)), "cisco-ios").replace(PSK_PLACEHOLDER, "Another-Key#1")
    found = _psk_findings(other)
    assert len(found) == 1 and "placeholder" not in found[0].message


def test_lint_flags_the_placeholder_on_every_vendor(tmp_path):
    from typer.testing import CliRunner

    from analyzer.cli import app

    for vendor in ("cisco-ios", "cisco-asa", "huawei-vrp", "h3c-comware"):
        cfg = tmp_path / f"{vendor}.cfg"
        cfg.write_text(generate(alibaba.load(str(EXAMPLE)), vendor))
        out = CliRunner().invoke(app, ["lint", str(cfg)])
        assert out.exit_code == 1 and "PskMismatch" in out.output and PSK_PLACEHOLDER in out.output, vendor


def test_no_psk_in_the_alibaba_input_still_flags_the_placeholder(tmp_path):
    """CreateVpnConnection without Psk has Alibaba generate a key: the placeholder can never match it."""
    data = json.loads(EXAMPLE.read_text())
    del data["IkeConfig"]["Psk"]
    path = tmp_path / "nopsk.json"
    path.write_text(json.dumps(data))
    for vendor in ("cisco-ios", "huawei-vrp"):
        text = generate(alibaba.load(str(EXAMPLE)), vendor)
        found = [f for r in check(alibaba.load(str(path)), parse_device(text, "g.cfg")) for f in r.findings
                 if f.code == "PskMismatch"]
        assert len(found) == 1 and found[0].severity == "error" and PSK_PLACEHOLDER in found[0].message
