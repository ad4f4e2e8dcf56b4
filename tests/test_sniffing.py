"""Telling JSON (the Alibaba side) from a device export by content. A real Huawei export opens with a
`[V200R010C10SPC700]` line, which used to be taken for a JSON array: `hook` then skipped the file
silently (exit 0 on a config with a PFS error) and `audit`/`show` called it invalid JSON."""
import json
import shutil

from typer.testing import CliRunner

from analyzer.cli import app
from analyzer.hook import run_hook
from conftest import FIXTURES, edit

HUAWEI = "[V200R010C10SPC700]\n#\n" + edit((FIXTURES / "pairs" / "ikev1-map.huawei.cfg").read_text(),
                                           (" pfs dh-group14\n", " pfs dh-group5\n"))


def test_huawei_export_with_its_version_header_is_a_device_config(tmp_path, monkeypatch, capsys):
    (tmp_path / "ali").mkdir()
    shutil.copy(FIXTURES / "pairs" / "ikev1-map.json", tmp_path / "ali" / "conn.json")
    (tmp_path / "hz-ar01.cfg").write_text(HUAWEI)
    (tmp_path / ".ipsec-preflight.toml").write_text('alibaba = ["ali/*.json"]\n')
    monkeypatch.chdir(tmp_path)
    assert run_hook(["hz-ar01.cfg"], None, "text") == 1  # was 0: the file was skipped as JSON
    assert "PfsMismatch" in capsys.readouterr().out
    runner = CliRunner()
    shown = runner.invoke(app, ["show", "hz-ar01.cfg"])
    assert shown.exit_code == 0 and json.loads(shown.stdout)["vendor"] == "huawei-vrp"
    audit = runner.invoke(app, ["audit", "hz-ar01.cfg", "ali", "--format", "json"])
    codes = {f["code"] for p in json.loads(audit.stdout)["pairs"] for f in p["findings"]}
    assert audit.exit_code == 1 and "PfsMismatch" in codes


def test_json_still_recognised():
    from parsers.registry import looks_like_json

    for text in ('{"VpnConnectionId": "vco-1"}', '\ufeff [ {"a": 1} ]', "[]", "[\n  1]", '["x"]', "["):
        assert looks_like_json(text), text
    for text in ("[V200R010C10SPC700]\n#", "[~HUAWEI]", "!\nversion 17.12\n", "#\n sysname AR"):
        assert not looks_like_json(text), text


def test_comware_version_banner_settles_the_family():
    """Issue 11 item 7: a Comware 5 export shares Huawei's `ike peer` / `ipsec proposal` / `acl number` syntax and
    scored as Huawei; its ` version 5.20, Release 2516P01` banner now decides (Huawei prints `V200R...`)."""
    from parsers.registry import detect_vendor

    cmw5 = (FIXTURES / "h3c" / "cmw5-ikev1-policy.cfg").read_text()
    assert detect_vendor(cmw5) == "h3c-comware"
    assert detect_vendor(cmw5.replace(" version 5.20, Release 2516P01", " version 7.1.064, Release 0605P15")) == \
        "h3c-comware"
    # a Cisco export saying `version 15.2` (no ", Release NNNN") and a Huawei export are not taken for Comware
    assert detect_vendor((FIXTURES / "pairs" / "ikev1-map.cfg").read_text()) == "cisco-ios"
    assert detect_vendor((FIXTURES / "pairs" / "ikev1-map.huawei.cfg").read_text()) == "huawei-vrp"
