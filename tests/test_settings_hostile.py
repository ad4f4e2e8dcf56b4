"""Settings, globs and Alibaba JSON written wrong or hostile: a located input error (exit 2), never a crash,
a hang or a silent lint."""
import json

import pytest
from typer.testing import CliRunner

from analyzer import globs
from analyzer.cli import app
from analyzer.hook import run_hook
from conftest import FIXTURES

runner = CliRunner()
PAIRS = FIXTURES / "pairs"


@pytest.mark.parametrize("pattern", ["**********x", "*a*a*a*a*a*a*a*a*a*a*a*a*b", "**/**/**/**/**/**/**/**/x"])
def test_a_glob_of_many_stars_is_matched_in_bounded_time(pattern):
    # with one regex per pattern, ten stars took over a minute on one 42-character name
    assert not globs.matches("hz-dc-edge01-running-config-2026-11-30-" + "a" * 200 + ".cfg", pattern)


def test_a_glob_over_the_length_limit_is_refused():
    with pytest.raises(globs.BadGlob):
        globs.check("*a" * 600)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "hz.cfg").write_text((PAIRS / "ikev1-map.cfg").read_text())
    (tmp_path / "alibaba").mkdir()
    (tmp_path / "alibaba" / "vpn.json").write_text((PAIRS / "ikev1-map.json").read_text())
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("settings, says", [
    ("override = 5\n", "override: expected an array of tables"),
    ("pair = 5\n", "pair: expected an array of tables"),
    ('[[override]]\nfiles = "x"\nfail_on = "warning"\n', "override #1: unknown key(s) fail_on"),
    ('[[pair]]\ndevice = "x"\nconnection = "y"\nconection = "z"\n', "pair #1: unknown key(s) conection"),
    ('exclude = ["' + "*a" * 600 + '"]\n', "exclude: glob longer than 1024 characters"),
])
def test_bad_settings_are_located_input_errors(repo, capsys, settings, says):
    (repo / ".ipsec-preflight.toml").write_text(settings)
    assert run_hook(["configs/hz.cfg"], None, "text") == 2
    assert says in capsys.readouterr().err
    r = runner.invoke(app, ["audit", "configs"])
    assert r.exit_code == 2 and says in r.output


def test_audit_with_settings_alibaba_matching_nothing_is_an_input_error_not_a_lint(repo):
    (repo / ".ipsec-preflight.toml").write_text('alibaba = ["alibaba/*.jsn"]\n')
    r = runner.invoke(app, ["audit", "configs"])
    assert r.exit_code == 2 and "no file matches" in r.output


def test_page_counters_written_as_strings_are_read(tmp_path):
    conn = json.loads((PAIRS / "ikev1-map.json").read_text())
    page = {"TotalCount": "5", "PageNumber": "1", "PageSize": "10", "VpnConnections": {"VpnConnection": [conn]}}
    (tmp_path / "page.json").write_text(json.dumps(page))
    r = runner.invoke(app, ["check", str(tmp_path / "page.json"), str(PAIRS / "ikev1-map.cfg")])
    assert "1 of 5 connections" in r.output


@pytest.mark.parametrize("value", ["QQpskQQ", 5])
def test_an_ike_config_that_is_not_an_object_is_an_input_error(tmp_path, value):
    conn = json.loads((PAIRS / "ikev1-map.json").read_text())
    conn["IkeConfig"] = value
    (tmp_path / "c.json").write_text(json.dumps(conn))
    r = runner.invoke(app, ["check", str(tmp_path / "c.json"), str(PAIRS / "ikev1-map.cfg")])
    assert r.exit_code == 2 and "IkeConfig: expected an object" in r.output and "QQpskQQ" not in r.output
