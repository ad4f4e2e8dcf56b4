"""Chinese fix prose and vendor-default descriptions (issue 15, part 3): under `--lang zh` every note and advice a
fixer writes, every default description and the fix-plan comments are Chinese, while the device command lines, the
Alibaba fields and every `backticked` token stay exactly as in English."""
from __future__ import annotations

import json
import re

import pytest
from netaddr import IPNetwork
from typer.testing import CliRunner

from analyzer import i18n
from analyzer.cli import app
from analyzer.fix_plan import plans, render
from analyzer.findings import Report
from analyzer.fixes import Fixer, fixer_for, with_device
from analyzer.model import Identity, SelectorPair
from conftest import FIXTURES
from parsers.cisco_asa.defaults import DEFAULTS as ASA
from parsers.cisco_ios.defaults import DEFAULTS as IOS
from parsers.h3c_comware.defaults import DEFAULTS as H3C
from parsers.huawei_vrp.defaults import DEFAULTS as VRP
from parsers.registry import parse_device

CJK = re.compile(r"[\u4e00-\u9fff]")
TICKED = re.compile(r"`[^`]+`")
EXAMPLE = (FIXTURES / "example" / "connection.json", FIXTURES / "example" / "branch-router.cfg")


def _flows(n: int) -> list[SelectorPair]:
    return [SelectorPair(local=IPNetwork(f"192.168.{i}.0/24"), remote=IPNetwork(f"10.{i}.0.0/16")) for i in range(1, n + 1)]


# Every fix intent, with values that reach the branches writing a note or an advice (weak or SM algorithms, SHA-2
# under ASA IKEv1, FQDN/DN identities, more than nine NAT-exempt flows, a named ACL, no flows...).
INTENTS = [
    ("ike_proposal", ("3des", "md5", 2, 86400)), ("ike_proposal", ("aes256", "sha256", 14, 86400)),
    ("ike_proposal", ("sm4", "sm3", 14, 86400)), ("ipsec_proposal", ("aes128", "sha256")),
    ("ipsec_proposal", ("sm4", "sm3")), ("ipsec_proposal", ("3des", "md5")), ("pfs", (None,)), ("pfs", (14,)),
    ("pfs", (2,)), ("ipsec_lifetime", (86400,)), ("ike_lifetime", (86400,)), ("no_volume_lifetime", ()),
    ("psk", ()), ("local_id", (Identity(type="ip", value="203.0.113.12"),)),
    ("local_id", (Identity(type="fqdn", value="branch.example.com"),)),
    ("local_id", (Identity(type="dn", value="CN=branch"),)), ("remote_id", (Identity(type="ip", value="198.51.100.77"),)),
    ("remote_id", (Identity(type="fqdn", value="vpn.example.com"),)), ("mode", ("aggressive",)), ("mode", ("main",)),
    ("version", ("ikev1",)), ("version", ("ikev2",)), ("dpd", (True,)), ("dpd", (False,)), ("natt", (True,)),
    ("natt", (False,)), ("selectors", (_flows(2),)), ("selectors", ([],)), ("mtu", (1400, 1360)),
    ("nat_exempt", ("NAT-LAN", _flows(2))), ("nat_exempt", ("NAT-LAN", _flows(11))), ("nat_exempt", ("3001", _flows(1))),
    ("permit_ike", ("WAN-IN", "198.51.100.77")), ("peer", ("198.51.100.77",)),
    ("bgp_neighbor", (None, "169.254.10.1", 45104)), ("esp_tunnel", ()),
]
DEVICES = {"cisco-ios": ["ios/isr4451-17.12-ikev1-map.cfg", "ios/c8000v-17.12-ikev2-map.cfg"],
           "cisco-asa": ["asa/ikev1-objnat.asa.cfg", "asa/vti-bgp-ikev2.asa.cfg"],
           "huawei-vrp": ["huawei/ar-v200r010-ikev1-template.cfg", "huawei/usg6555e-nat-policy-two-flows.cfg"],
           "h3c-comware": ["h3c/cmw5-ikev1-policy.cfg", "h3c/cmw7-ikev1-route.cfg", "h3c/cmw7-ikev2-route.cfg"]}


def _fixes(fixer, device, lang: str) -> list:
    i18n.set_language(lang)
    out = []
    for ep in device.endpoints:
        for name, args in INTENTS:
            method = getattr(fixer, name, None)
            out.append(None if method is None else with_device(method, ep, *args, device=device))
    return out


@pytest.mark.parametrize("vendor", sorted(DEVICES))
def test_zh_fix_notes_are_chinese_and_commands_identical(vendor):
    notes = 0
    for path in DEVICES[vendor]:
        device = parse_device((FIXTURES / path).read_text(), path)
        assert device.endpoints, path
        for fixer in (fixer_for(vendor), Fixer()):  # the vendor's commands, then the vendor-neutral advice
            for en, zh in zip(_fixes(fixer, device, "en"), _fixes(fixer, device, "zh"), strict=True):
                if en is None:
                    continue
                assert zh.device == en.device and zh.alibaba == en.alibaba, (path, en.device)
                assert zh.alibaba_required == en.alibaba_required
                assert (zh.note is None) == (en.note is None)
                if en.note:
                    notes += 1
                    assert CJK.search(zh.note) and zh.note != en.note, en.note
                    assert sorted(TICKED.findall(zh.note)) == sorted(TICKED.findall(en.note)), (en.note, zh.note)
    assert notes >= 20  # the sweep reached the notes and advice it is meant to check


@pytest.mark.parametrize("table", [IOS, ASA, VRP, H3C], ids=lambda t: t.vendor)
def test_zh_default_descriptions_are_chinese_for_every_row(table):
    for key in dict.fromkeys(r.key for r in table.rows):
        for release in (None, *(r.since for r in table.rows if r.key == key and r.since)):
            i18n.set_language("en")
            en = table.note(key, release)
            i18n.set_language("zh")
            zh = table.note(key, release)
            assert CJK.search(zh) and "default (" not in zh and "not verified" not in zh, zh
            assert zh.startswith(table.vendor + " "), zh  # the vendor name is not translated
            assert sorted(TICKED.findall(zh)) == sorted(TICKED.findall(en)), (en, zh)


def test_the_example_pfs_default_reads_the_same_in_english_and_is_translated_in_chinese():
    assert IOS.note("ipsec.pfs") == (
        "cisco-ios default (all): off (no `set pfs`) - not verified in a vendor document (found: Cisco IOS Security "
        "Command Reference, `set pfs` (not retrieved))")
    i18n.set_language("zh")
    assert IOS.note("ipsec.pfs") == (
        "cisco-ios 默认值（所有版本）：关闭（未配置 `set pfs`）；来源：未经厂商文档验证（所查资料：Cisco IOS Security "
        "Command Reference，`set pfs`（未查到原文））")


def test_zh_release_dependent_default_names_each_range_in_chinese():
    i18n.set_language("zh")
    note = IOS.note("ikev2.proposal", None)
    assert note.startswith("cisco-ios 默认值取决于软件版本：")
    assert "（16 之前）" in note and "（16.x）" in note and "（17 及以后）" in note
    assert "；" in note and "before" not in note and "later" not in note


def _check_json(lang: str) -> dict:
    res = CliRunner().invoke(app, ["--lang", lang, "check", *map(str, EXAMPLE), "--format", "json"])
    assert res.exit_code == 1, res.output
    return json.loads(res.stdout)


def test_example_pair_in_zh_keeps_commands_and_translates_defaults():
    en, zh = _check_json("en"), _check_json("zh")
    en_f = [f for p in en["pairs"] for f in p["findings"]]
    zh_f = [f for p in zh["pairs"] for f in p["findings"]]
    assert [f["code"] for f in zh_f] == [f["code"] for f in en_f]
    defaults = 0
    for e, z in zip(en_f, zh_f):
        assert (z["fix"] or {}).get("device") == (e["fix"] or {}).get("device"), e["code"]
        assert (z["fix"] or {}).get("alibaba") == (e["fix"] or {}).get("alibaba"), e["code"]
        if (e.get("device") or {}).get("default"):
            defaults += 1
            assert CJK.search(z["device"]["default"]) and "default (" not in z["device"]["default"], z["device"]
    assert defaults >= 3  # PFS, DPD and the two lifetimes of the example come from IOS defaults


def test_zh_fix_plan_comments_are_chinese_and_commands_identical():
    def plan(lang):
        i18n.set_language(lang)
        return render(plans([Report.model_validate(_check_json(lang))])[0])
    en, zh = plan("en"), plan("zh")
    assert [line for line in zh if not line.startswith("!")] == [line for line in en if not line.startswith("!")]
    comments = [line for line in zh if line.startswith("!")]
    assert comments and all(CJK.search(line) for line in comments), comments


def test_fixes_catalog_keeps_backticked_tokens_and_fields():
    from analyzer.i18n_build import read

    bad = [m.id for m in read("fixes") if m.id and m.string and sorted(TICKED.findall(m.id)) != sorted(TICKED.findall(m.string))]
    assert not bad, "translations that change a `backticked` token (word order may change):\n" + "\n".join(bad)
