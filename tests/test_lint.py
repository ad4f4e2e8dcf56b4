"""Device-only lint: each device-side condition Alibaba does not support, on realistic configs, with a
clean base config that must produce nothing."""
import pytest

from analyzer.lint import lint
from conftest import FIXTURES, edit
from parsers.registry import parse_device

BASE = (FIXTURES / "pairs" / "ikev1-map.cfg").read_text()
IKEV2 = (FIXTURES / "pairs" / "ikev2-map.cfg").read_text()
HUAWEI = (FIXTURES / "pairs" / "ikev1-map.huawei.cfg").read_text()


def _lint(text: str, name="edge.cfg"):
    return lint(parse_device(text, name))


def _codes(result) -> dict[str, str]:
    return {f.code: f.severity for f in result.findings}


@pytest.mark.parametrize("name", ["ikev1-map.cfg", "ikev1-map.asa.cfg", "ikev1-map.huawei.cfg", "ikev2-map.cfg",
                                  "ikev2-vti.cfg"])
def test_clean_configs_have_no_lint_findings(name):
    result = _lint((FIXTURES / "pairs" / name).read_text(), name)
    assert result.findings == []
    assert result.endpoint  # the tunnels were found, so "no findings" means something


CASES = [
    ("SecurityProtocolMismatch", "error", BASE, [("TS-ALIYUN esp-aes 256 esp-sha256-hmac", "TS-ALIYUN ah-sha256-hmac")]),
    ("EncapsulationModeMismatch", "error", BASE, [(" mode tunnel\n", " mode transport require\n")]),
    ("TrafficBasedLifetime", "warning", BASE, [("lifetime kilobytes disable", "lifetime kilobytes 4608000")]),
    ("MultipleProposals", "warning", BASE, [("crypto isakmp key", "crypto isakmp policy 20\n encr aes\n hash sha\n"
                                             " authentication pre-share\n group 2\ncrypto isakmp key")]),
    ("TrafficSelectorMismatch", "error", BASE, [(" permit ip 172.20.8.0 0.0.3.255 10.60.0.0 0.0.255.255\nip access-list extended WAN-IN",
                                                 " permit ip 172.20.8.0 0.0.3.255 10.60.0.0 0.0.255.255\n"
                                                 " permit ip 172.20.12.0 0.0.3.255 10.60.0.0 0.0.255.255\nip access-list extended WAN-IN")]),
    ("VpnTrafficNatted", "warning", BASE, [(" deny   ip 172.20.8.0 0.0.3.255 10.60.0.0 0.0.255.255\n", "")]),
    ("IkePortsFiltered", "error", BASE, [(" permit udp host 198.51.100.60 host 203.0.113.60 eq isakmp\n", "")]),
    ("AlgorithmMismatch", "error", IKEV2, [(" encryption aes-cbc-128\n", " encryption aes-gcm-256\n")]),
    ("EncryptionAlgorithmMismatch", "error", BASE, [("esp-aes 256 esp-sha256-hmac", "esp-gcm 256")]),
    ("DhGroupMismatch", "error", BASE, [(" group 14\n", " group 19\n")]),
    ("PfsMismatch", "error", BASE, [(" set pfs group14\n", " set pfs group19\n")]),
    ("PeerIdMismatch", "error", HUAWEI, [(" undo version 2\n", " undo version 2\n local-id-type fqdn\n")]),
    ("DpdHashNotifyCompatibility", "warning", HUAWEI, [(" dpd msg seq-hash-notify\n", "")]),
]


@pytest.mark.parametrize("code,severity,base,edits", CASES, ids=[c[0] for c in CASES])
def test_lint_flags(code, severity, base, edits):
    result = _lint(edit(base, *edits))
    found = _codes(result)
    assert found.get(code) == severity, found
    f = next(f for f in result.findings if f.code == code)
    assert f.alibaba is None  # lint never claims an Alibaba value
    assert f.device is not None and f.device.file == "edge.cfg"


def test_rules_without_device_only_form_stay_out():
    # a PSK or a lifetime cannot be judged without the connection: lint must not invent them
    result = _lint(edit(BASE, (" lifetime 86400\n", " lifetime 28800\n")))
    assert result.findings == []


def test_lint_cli_exit_codes(tmp_path):
    from typer.testing import CliRunner

    from analyzer.cli import app

    good = tmp_path / "good.cfg"
    good.write_text(BASE)
    bad = tmp_path / "bad.cfg"
    bad.write_text(edit(BASE, (" mode tunnel\n", " mode transport require\n")))
    runner = CliRunner()
    assert runner.invoke(app, ["lint", str(good)]).exit_code == 0
    res = runner.invoke(app, ["lint", str(good), str(bad), "--format", "json"])
    assert res.exit_code == 1
    assert '"EncapsulationModeMismatch"' in res.stdout
    res = runner.invoke(app, ["lint", str(good), str(tmp_path / "missing.cfg")])
    assert res.exit_code == 2 and "missing.cfg" in res.output
    assert "hzDC-7q!Lm2#vR9k" not in res.output
