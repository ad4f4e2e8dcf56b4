"""`ipsec-preflight generate`: loading as `check` does, one connection per run, refusals and input errors as
located messages (exit 2, never a traceback), output to stdout or -o (never over an input), no key anywhere.

Tests of the command's own behaviour use a stand-in writer (what the writer returns or refuses is given);
those that need a vendor's real writer skip, naming the missing module, until it exists.
"""
from __future__ import annotations

import importlib.util
import json
import re

import pytest
from typer.testing import CliRunner

from analyzer.cli import app
from conftest import FIXTURES
from parsers.generation import PSK_PLACEHOLDER, STYLES, GenerateRefused
from parsers.registry import VENDORS

EXAMPLE = FIXTURES / "example" / "connection.json"
CANARY = "Zq7-canary-Kx93"


class Writer:
    """Stands in for analyzer.generate.generate: records the tunnels, returns a fixed text or raises."""

    def __init__(self, text: str = "! generated\n", refuse: GenerateRefused | None = None):
        self.text, self.refuse, self.calls = text, refuse, []

    def __call__(self, tunnels, vendor, style="policy"):
        self.calls.append(([t.connection_key for t in tunnels], vendor, style))
        if self.refuse:
            raise self.refuse
        return self.text


@pytest.fixture
def writer(monkeypatch):
    import analyzer.generate

    w = Writer()
    monkeypatch.setattr(analyzer.generate, "generate", w)
    return w


def _run(*args):
    return CliRunner().invoke(app, ["generate", *map(str, args)])


def _real_writer_or_skip(vendor: str) -> None:
    module = f"{VENDORS[vendor]}.generate"
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"no writer for {vendor} yet: module {module} is missing")


def test_writes_to_stdout_by_default(writer):
    r = _run(EXAMPLE, "--vendor", "huawei-vrp", "--style", "route")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "! generated\n"
    assert writer.calls == [(["vco-bp1example0shanghai01"], "huawei-vrp", "route")]


def test_writes_to_output_file_and_never_over_an_input(writer, tmp_path):
    out = tmp_path / "router.cfg"
    r = _run(EXAMPLE, "--vendor", "cisco-ios", "-o", out)
    assert r.exit_code == 0 and r.stdout == ""
    assert out.read_text() == "! generated\n"
    conn = tmp_path / "connection.json"
    conn.write_text(EXAMPLE.read_text())
    r = _run(conn, "--vendor", "cisco-ios", "-o", conn)
    assert r.exit_code == 2 and "is one of the input files" in r.stderr
    assert conn.read_text() == EXAMPLE.read_text()


def test_refusal_names_file_vendor_field_value_and_why(monkeypatch, writer):
    writer.refuse = GenerateRefused("IpsecConfig.IpsecEncAlg", "sm4", "cisco-ios", "no Cisco IOS cipher is SM4")
    r = _run(EXAMPLE, "--vendor", "cisco-ios")
    assert r.exit_code == 2
    assert r.stderr == (f"ipsec-preflight: {EXAMPLE}: cannot generate for cisco-ios: "
                        "IpsecConfig.IpsecEncAlg = sm4: no Cisco IOS cipher is SM4\n")
    assert r.stdout == ""


@pytest.mark.parametrize("argv,message", [
    (["--vendor", "auto"], "name the device family"),
    (["--vendor", "juniper"], "'--vendor'"),
    (["--vendor", "cisco-ios", "--style", "vti"], "expected one of policy, route, got 'vti'"),
])
def test_usage_errors_exit_2(argv, message, writer):
    r = _run(EXAMPLE, *argv)
    assert r.exit_code == 2 and message in r.stderr
    assert writer.calls == []


def _page(tmp_path):
    page = json.loads((FIXTURES / "alibaba" / "describe-vpn-connections-page.json").read_text())
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page))
    return path


def test_a_page_of_several_connections_is_refused_listing_their_ids(writer, tmp_path):
    r = _run(_page(tmp_path), "--vendor", "h3c-comware")
    assert r.exit_code == 2
    assert re.search(r"page\.json: holds 3 connections \(vco-bp1x2y3z4a5b6c7d8e9f0, vco-bp1k9j8h7g6f5e4d3c2b1, "
                     r"vco-uf6a1b2c3d4e5f6g7h8i9\); .*--connection-id", r.stderr), r.stderr
    assert writer.calls == []


def test_connection_id_picks_one_connection_with_all_its_tunnels(writer, tmp_path):
    r = _run(_page(tmp_path), "--vendor", "h3c-comware", "--connection-id", "vco-uf6a1b2c3d4e5f6g7h8i9")
    assert r.exit_code == 0, r.stderr
    assert writer.calls == [(["vco-uf6a1b2c3d4e5f6g7h8i9"] * 2, "h3c-comware", "policy")]


def test_an_unknown_connection_id_lists_those_the_file_holds(writer, tmp_path):
    r = _run(_page(tmp_path), "--vendor", "h3c-comware", "--connection-id", "vco-nope")
    assert r.exit_code == 2
    assert "no connection vco-nope (the file holds: vco-bp1x2y3z4a5b6c7d8e9f0," in r.stderr
    assert writer.calls == []


def test_an_invalid_value_is_an_input_error_at_its_line(writer, tmp_path):
    conn = tmp_path / "connection.json"
    text = EXAMPLE.read_text().replace('"IpsecEncAlg": "aes"', '"IpsecEncAlg": "blowfish"')
    conn.write_text(text)
    line = text[:text.index("blowfish")].count("\n") + 1
    r = _run(conn, "--vendor", "cisco-asa")
    assert r.exit_code == 2
    assert r.stderr.startswith(f"ipsec-preflight: {conn}:{line}: IpsecConfig.IpsecEncAlg: unknown value"), r.stderr
    assert "Traceback" not in r.stderr and writer.calls == []


def test_broken_json_names_file_and_line(writer, tmp_path):
    conn = tmp_path / "connection.json"
    conn.write_text(EXAMPLE.read_text().replace('"IkeMode": "main",', '"IkeMode": "main"'))
    r = _run(conn, "--vendor", "cisco-asa")
    assert r.exit_code == 2
    assert re.match(rf"ipsec-preflight: {re.escape(str(conn))}:[0-9]+: invalid JSON", r.stderr), r.stderr


def test_a_device_config_given_as_the_connection_is_named_as_such(writer):
    r = _run(FIXTURES / "example" / "branch-router.cfg", "--vendor", "cisco-ios")
    assert r.exit_code == 2
    assert "branch-router.cfg: this is a device configuration: generate reads the Alibaba connection JSON" in r.stderr


def test_a_gateway_file_of_another_gateway_is_refused(writer):
    r = _run(FIXTURES / "pairs" / "ikev1-map.json", "--vendor", "cisco-ios",
             "--customer-gateway", FIXTURES / "pairs" / "cgw.json")
    assert r.exit_code == 2
    assert "cgw.json: customer gateway cgw-bp1pairs0gzbranch00001 is not the customer gateway of any" in r.stderr
    assert writer.calls == []


def test_every_input_error_is_said_on_its_own_line(writer, tmp_path):
    r = _run(tmp_path / "missing.json", "--vendor", "cisco-ios", "--vpn-gateway", FIXTURES / "pairs" / "cgw.json")
    assert r.exit_code == 2
    lines = r.stderr.splitlines()
    assert len(lines) == 2 and all(line.startswith("ipsec-preflight: ") for line in lines), r.stderr
    assert "cgw.json: not a VPN gateway description" in lines[0] and "missing.json: cannot read file" in lines[1]


def test_a_gateway_ip_no_input_gives_is_refused_naming_the_option(writer, tmp_path):
    doc = json.loads(EXAMPLE.read_text())
    doc["IkeConfig"]["LocalId"] = "vpn.example.com"  # the only place the gateway IP was
    conn = tmp_path / "connection.json"
    conn.write_text(json.dumps(doc))
    r = _run(conn, "--vendor", "cisco-ios")
    assert r.exit_code == 2 and "the VPN gateway IP: not in the input: pass --vpn-gateway FILE" in r.stderr
    assert writer.calls == []
    gw = tmp_path / "vpngw.json"
    gw.write_text(json.dumps({"VpnGatewayId": doc["VpnGatewayId"], "InternetIp": "198.51.100.77"}))
    r = _run(conn, "--vendor", "cisco-ios", "--vpn-gateway", gw)
    assert r.exit_code == 0, r.stderr
    assert len(writer.calls) == 1


def test_terraform_values_known_after_apply_are_refused(writer):
    r = _run(FIXTURES / "terraform" / "plan-unknown.json", "--vendor", "cisco-asa")
    assert r.exit_code == 2
    assert "cannot generate for cisco-asa: module.bj_vpn.alicloud_vpn_connection.dual." in r.stderr
    assert "not known (Terraform: known after apply or unresolved)" in r.stderr
    assert writer.calls == []


@pytest.mark.parametrize("path,args", [
    ("alibaba/describe-vpn-connection-dual.json", []),
    ("alibaba/create-vpn-connection-request.json", []),
    ("alibaba/download-vpn-connection-config.json", []),
    ("alibaba/terraform-show-alicloud_vpn_connection.json", ["--connection-id", "vco-uf6a1b2c3d4e5f6g7h8i9"]),
    ("terraform/hcl", []),
    ("terraform/bgp/main.tf", []),
])
def test_shapes_check_reads_are_read_here_too(path, args, writer):
    r = _run(FIXTURES / path, "--vendor", "huawei-vrp", *args)
    assert r.exit_code == 0, r.stderr
    assert len(writer.calls) == 1


# --- no key in any output: the real writers -------------------------------------------------------------------

@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("vendor", list(VENDORS))
def test_generate_never_shows_the_key(vendor, style, tmp_path):
    _real_writer_or_skip(vendor)
    conn = tmp_path / "connection.json"
    conn.write_text(re.sub(r'"Psk": "[^"]*"', f'"Psk": "{CANARY}"', EXAMPLE.read_text()))
    out = tmp_path / "out.cfg"
    r = _run(conn, "--vendor", vendor, "--style", style, "-o", out)
    assert r.exit_code in (0, 2), r.stderr
    written = out.read_text() if out.exists() else ""
    assert CANARY not in r.stdout + r.stderr + written
    if r.exit_code == 0:
        assert PSK_PLACEHOLDER in written


@pytest.mark.parametrize("psk", [["Zq7-canary-Kx93"], {"value": "Zq7-canary-Kx93"}, "Zq7-canary-Kx93\ud800"],
                         ids=["list", "object", "surrogate"])
def test_a_malformed_key_is_reported_without_its_value(psk, writer, tmp_path):
    conn = tmp_path / "connection.json"
    conn.write_text(re.sub(r'"Psk": "[^"]*"', lambda _: '"Psk": ' + json.dumps(psk), EXAMPLE.read_text()))
    r = _run(conn, "--vendor", "cisco-ios")
    assert r.exit_code == 2 and "Psk" in r.stderr
    assert CANARY not in r.stdout + r.stderr


def test_messages_follow_lang(writer, tmp_path):
    """--lang zh: the command's own messages in Chinese (IDs, options and file names as they are)."""
    r = CliRunner().invoke(app, ["--lang", "zh", "generate", str(_page(tmp_path)), "--vendor", "cisco-ios"])
    assert r.exit_code == 2
    assert "choose it with" not in r.stderr and "--connection-id" in r.stderr and "vco-uf6a1b2c3d4e5f6g7h8i9" in r.stderr
