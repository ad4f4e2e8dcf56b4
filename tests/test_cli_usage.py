"""Bad usage is refused with a message that says what to do (issue 18, items 12-14): a forced vendor that
reads nothing of another vendor's file, unknown rule codes, swapped arguments, global options after the
command, help texts, -h and --version."""
import json
import re

import pytest
from typer.testing import CliRunner

import analyzer
from analyzer.cli import app
from conftest import FIXTURES, edit

runner = CliRunner()
PAIRS = FIXTURES / "pairs"
IOS, IOS_JSON = PAIRS / "ikev1-map.cfg", PAIRS / "ikev1-map.json"
HUAWEI = PAIRS / "ikev1-map.huawei.cfg"


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


# item 12: a forced vendor whose parser reads nothing of a file another vendor's markers recognise

@pytest.mark.parametrize("command", ["lint", "check", "show"])
def test_forced_vendor_reading_nothing_of_another_vendors_file_is_an_error(command):
    args = [IOS] if command != "check" else [IOS_JSON, IOS]
    r = invoke(command, *args, "--vendor", "huawei-vrp")
    assert r.exit_code == 2, r.output
    assert str(IOS) in r.output and "huawei-vrp" in r.output and "cisco-ios" in r.output


def test_forced_vendor_error_names_the_detected_vendor_for_huawei_read_as_cisco():
    r = invoke("lint", HUAWEI, "--vendor", "cisco-ios")
    assert r.exit_code == 2 and "huawei-vrp" in r.output


def test_forced_vendor_error_spares_the_other_files_of_a_lint_run():
    r = invoke("lint", HUAWEI, IOS, "--vendor", "huawei-vrp", "--format", "json")
    assert r.exit_code == 2
    doc = json.loads(r.stdout)
    assert [p["device"] for p in doc["pairs"]] == [str(HUAWEI)]  # the Huawei file was still linted
    assert [e["file"] for e in doc["errors"]] == [str(IOS)]


def test_forced_vendor_matching_the_file_is_not_refused(tmp_path):
    # a Cisco file without any crypto, forced to Cisco: nothing to refuse (the file is what the user said)
    plain = tmp_path / "plain.cfg"
    plain.write_text("hostname edge\n!\ninterface GigabitEthernet0/0\n ip address 203.0.113.60 255.255.255.0\n"
                     "!\nip route 0.0.0.0 0.0.0.0 203.0.113.1\n!\nline vty 0 4\n login local\n!\nend\n")
    # not refused as the wrong vendor; but nothing was linted, which is said and exits 2 (never a silent pass)
    r = invoke("lint", plain, "--vendor", "cisco-ios")
    assert r.exit_code == 2 and "nothing linted" in r.stderr and "refus" not in r.stderr
    assert invoke("lint", IOS, "--vendor", "cisco-ios").exit_code == 0


# item 13: --disable names rules of the registry

@pytest.mark.parametrize("given,unknown,close", [("NoSuchRule", "NoSuchRule", None),
                                                  ("PfsMismatch,NoSuchRule", "NoSuchRule", None),
                                                  ("PfsMismach", "PfsMismach", "PfsMismatch")])
def test_unknown_disable_code_is_a_usage_error(given, unknown, close):
    r = invoke("check", IOS_JSON, IOS, "--disable", given)
    assert r.exit_code == 2, r.output
    assert unknown in r.output and "DhGroupMismatch" in r.output  # the valid codes are listed
    if close:
        assert f"did you mean {close}" in r.output


@pytest.mark.parametrize("command,args", [("lint", [IOS]), ("audit", [IOS])])
def test_unknown_disable_code_is_refused_by_every_command(command, args):
    r = invoke(command, *args, "--disable", "NoSuchRule")
    assert r.exit_code == 2 and "NoSuchRule" in r.output


def test_disable_accepts_any_case_and_comma_lists(tmp_path):
    cfg = tmp_path / "edge.cfg"
    cfg.write_text(edit(IOS.read_text(), (" mode tunnel\n", " mode transport require\n"),
                        (" group 14\n", " group 19\n")))
    both = {f["code"] for f in json.loads(invoke("lint", cfg, "--format", "json").stdout)["pairs"][0]["findings"]}
    assert {"EncapsulationModeMismatch", "DhGroupMismatch"} <= both
    r = invoke("lint", cfg, "--format", "json", "--disable", "encapsulationmodemismatch,PFSMISMATCH")
    codes = {f["code"] for f in json.loads(r.stdout)["pairs"][0]["findings"]}
    assert "EncapsulationModeMismatch" not in codes and "DhGroupMismatch" in codes


def test_resolve_codes_for_other_callers():
    from analyzer.rule_codes import UnknownRuleCode, resolve_codes

    assert resolve_codes(["pfsmismatch", " LifetimeMismatch , DhGroupMismatch"], "x") == \
        {"PfsMismatch", "LifetimeMismatch", "DhGroupMismatch"}
    with pytest.raises(ValueError) as exc:
        resolve_codes(["DhGroupMismatch", "Nope"], ".ipsec-preflight.toml: disable")
    assert isinstance(exc.value, UnknownRuleCode)
    assert str(exc.value).startswith(".ipsec-preflight.toml: disable: unknown rule code 'Nope'")
    assert resolve_codes([], "x") == frozenset()


# item 14: sizes, option positions, help, swapped arguments, -h, --version

def test_global_option_is_accepted_after_the_command_too(tmp_path):
    big = tmp_path / "big.cfg"
    big.write_text(IOS.read_text() + "!\n" * 1000)
    for args in (["--max-file-size", "0.001", "lint", big], ["lint", big, "--max-file-size", "0.001"],
                 ["lint", "--max-file-size=0.001", big]):
        r = invoke(*args)
        assert r.exit_code == 2 and "larger than" in r.output, (args, r.output)
    assert invoke("lint", IOS, "--max-file-size", "5").exit_code == 0


def test_help_keeps_brackets_and_shows_readable_placeholders():
    r = invoke("audit", "--help")
    assert r.exit_code == 0
    text = " ".join(r.output.split())
    assert "[[pair]]" in text
    assert "<list[str]>" not in text  # list arguments keep typer's own <list[Path]> type column
    assert "--disable CODE" in text


@pytest.mark.parametrize("args", [["-h"], ["check", "-h"], ["audit", "-h"]])
def test_short_help_option(args):
    r = invoke(*args)
    assert r.exit_code == 0 and "Usage:" in r.output


def test_version():
    r = invoke("--version")
    assert r.exit_code == 0 and r.output.strip() == f"ipsec-preflight {analyzer.__version__}"


def test_swapped_check_arguments_get_a_hint():
    r = invoke("check", IOS, IOS_JSON)
    assert r.exit_code == 2
    assert "the arguments look swapped: check CONNECTION.json DEVICE.cfg" in r.output
    assert "hzDC-7q!Lm2#vR9k" not in r.output


def test_options_accept_a_value_like_a_command_name(tmp_path):
    # `--output lint` is a file named lint, not a command: global option handling must not reorder it
    out = tmp_path / "lint"
    r = invoke("check", IOS_JSON, IOS, "--output", out)
    assert r.exit_code == 0 and out.read_text().startswith("Connection")


@pytest.mark.parametrize("value", ["inf", "nan", "1e20"])
def test_max_file_size_out_of_range_is_a_usage_error_not_a_crash(value):
    r = runner.invoke(app, ["--max-file-size", value, "lint", str(FIXTURES / "pairs" / "ikev1-map.cfg")])
    assert r.exit_code == 2 and "--max-file-size" in r.output


@pytest.mark.parametrize("value", ["", ","])
def test_an_empty_disable_is_a_usage_error(value):
    r = runner.invoke(app, ["lint", "--disable", value, str(FIXTURES / "pairs" / "ikev1-map.cfg")])
    assert r.exit_code == 2 and "no rule code given" in r.output


def test_a_forced_vendor_that_differs_from_the_detected_one_is_said():
    r = runner.invoke(app, ["lint", "--vendor", "h3c-comware", str(FIXTURES / "pairs" / "ikev1-map.huawei.cfg")])
    assert "but the file reads as huawei-vrp" in r.output
