"""Chinese output of the rules catalog (issue 15, part 3): with `--lang zh` every finding the rules write - title,
message, severity reason - is Chinese, while the values in it (addresses, algorithms, groups, lifetimes, AS numbers)
and everything that is not prose (codes, device lines, Alibaba values, commands) stay exactly as in English; and
switching back to English gives the English output unchanged.

The failing pairs are the base pairs of fixtures/pairs with several realistic edits each (tests/test_rules.py makes
one edit per case). DeviceConfigIncomplete and UnparsedConfig relay the device parser's own text (the fixes
catalog), so only their titles are checked here."""
import json
import re
from collections import Counter

import pytest

from analyzer import i18n
from analyzer.lint import lint
from conftest import edit, load_pair
from parsers.registry import parse_device
from test_rules import FAILING

CJK = re.compile(r"[\u4e00-\u9fff]")
# what a message quotes from the inputs: addresses, CIDRs, algorithms, DH groups, versions, and numbers of 3+ digits
# (lifetimes, AS numbers, MTUs, ports); prose numbers such as "phase 2" may be spelled out in Chinese
VALUE = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?\b|\b(?:group|modp|aes|sha|ikev)\d+\b|\b3des\b|\b\d{3,}\b")
PARSER_TEXT = {"DeviceConfigIncomplete", "UnparsedConfig"}
VPNGW = {"VpnGatewayId": "x", "InternetIp": "198.51.100.90"}

# (base pair, connection edit, device edits): each case makes several rules fire, one finding rated differently
CASES = {
    "ikev1-map": (
        {"IkeConfig": {"RemoteId": "203.0.113.99"}},
        [(" set pfs group14\n", " set pfs group5\n"), (" encr aes 256", " encr 3des"),
         (" lifetime 86400", " lifetime 28800"), ("crypto isakmp keepalive 10 3 on-demand\n", ""),
         (" set security-association lifetime kilobytes disable\n", ""),  # the IOS default: info, not warning
         (" permit esp host 198.51.100.60 host 203.0.113.60\n", ""),
         ("permit ip 172.20.8.0 0.0.3.255 10.60.0.0 0.0.255.255", "permit ip 172.20.8.0 0.0.3.255 10.60.1.0 0.0.0.255")]),
    "ikev2-map": (
        None,
        [(" set ikev2-profile", " set pfs group14\n set ikev2-profile"), (" integrity sha1", " integrity sha256"),
         ("pre-shared-key remote gz-Branch-2026!x", "pre-shared-key remote other-key"),
         ("permit ip 192.168.50.0 0.0.0.255 10.90.1.0 0.0.0.255",  # IKEv2 narrowing: warning, not error
          "permit ip 192.168.50.0 0.0.0.255 10.90.0.0 0.0.255.255")]),
    "ikev2-dual": (
        None,
        [(" neighbor 169.254.30.1 remote-as 65010", " neighbor 169.254.30.1 remote-as 45104"),
         (" neighbor 169.254.31.1 remote-as 65010\n", ""),  # no neighbor on one tunnel: warning, not error
         (" ip mtu 1399", " ip mtu 1500"), (" ip tcp adjust-mss 1359", " ip tcp adjust-mss 1460")]),
}


def _merge(node: dict, changes: dict) -> None:
    for k, v in changes.items():
        if isinstance(v, dict):
            _merge(node[k], v)
        else:
            node[k] = v


def _findings(run, base: str, lang: str, jedit=None, dedits=()) -> list:
    i18n.set_language(lang)
    conn, cfg = load_pair(base)
    if isinstance(jedit, dict):
        _merge(conn, jedit)
    elif jedit:
        jedit(conn)
    results = run(conn, edit(cfg, *dedits), vpngw=VPNGW if base == "ikev2-map" else None)
    return [f for r in results for f in r.findings]


def _neutral(f) -> tuple:
    """Everything of a finding that is not prose: it must not depend on the language."""
    ali, dev, fix = f.alibaba, f.device, f.fix
    return (f.code, f.severity, f.deviation, bool(f.severity_reason),
            ali and ((ali.field or "").split(" (")[0], ali.value, ali.line), dev and (dev.file, dev.line, dev.text),
            fix and (tuple(fix.device), tuple(sorted(fix.alibaba.items()))),
            tuple(sorted(VALUE.findall(f.message))))


@pytest.mark.parametrize("base", sorted(CASES))
def test_findings_are_chinese_and_keep_every_value(run, base):
    jedit, dedits = CASES[base]
    en = _findings(run, base, "en", jedit, dedits)
    zh = _findings(run, base, "zh", jedit, dedits)
    assert len(en) >= 4 and any(f.severity_reason for f in en), "the case lost its findings"

    assert Counter(map(_neutral, zh)) == Counter(map(_neutral, en))
    for f in zh:
        assert CJK.search(f.title), f.title
        if f.code not in PARSER_TEXT:
            assert CJK.search(f.message), f"{f.code}: {f.message}"
        if f.severity_reason:  # translated, and named at the end of the message with Chinese severity words
            assert CJK.search(f.severity_reason)
            assert f.message.endswith(f"，而非{_ZH_SEVERITY[_registry(f.code)]}：{f.severity_reason}）"), f.message


_ZH_SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


def _registry(code: str) -> str:
    from analyzer.rules import REGISTRY
    return REGISTRY[code].severity


def test_values_read_the_same_in_both_languages(run):
    """The values a message quotes are byte-identical: spot checks on one finding per kind of value."""
    jedit, dedits = CASES["ikev1-map"]
    zh = {f.code: f.message for f in _findings(run, "ikev1-map", "zh", jedit, dedits)}
    assert "group14 (modp2048)" in zh["PfsMismatch"] and "group5 (modp1536)" in zh["PfsMismatch"]
    assert "86400" in zh["LifetimeMismatch"] and "28800" in zh["LifetimeMismatch"]
    assert "172.20.8.0/22 <-> 10.60.1.0/24" in zh["TrafficSelectorMismatch"]
    assert "WAN-IN" in zh["IkePortsFiltered"] and "ESP" in zh["IkePortsFiltered"]


def test_english_is_unchanged_after_chinese(run):
    jedit, dedits = CASES["ikev1-map"]
    before = [f.model_dump_json() for f in _findings(run, "ikev1-map", "en", jedit, dedits)]
    _findings(run, "ikev1-map", "zh", jedit, dedits)
    after = [f.model_dump_json() for f in _findings(run, "ikev1-map", "en", jedit, dedits)]
    assert after == before
    assert not any(CJK.search(json.loads(d)["message"]) for d in after)
    pfs = next(json.loads(d) for d in after if json.loads(d)["code"] == "PfsMismatch")
    assert (pfs["title"], pfs["message"]) == ("PFS mismatch", "PFS group: Alibaba group14 (modp2048), device group5 "
                                                               "(modp1536)")


@pytest.mark.parametrize("code,base,jedit,dedits,severity", FAILING,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(FAILING)])
def test_every_failing_case_of_the_rule_tests_reads_chinese(run, code, base, jedit, dedits, severity):
    found = [f for f in _findings(run, base, "zh", jedit, dedits) if f.code == code]
    assert found, f"{code} not reported"
    for f in found:
        assert CJK.search(f.title), f.title
        assert code in PARSER_TEXT or CJK.search(f.message), f.message
        assert not f.fix or not f.fix.note or CJK.search(f.fix.note), f.fix.note


def test_lint_findings_are_chinese():
    i18n.set_language("zh")
    _conn, cfg = load_pair("ikev1-map")
    cfg = edit(cfg, (" group 14", " group 19"), ("esp-aes 256 esp-sha256-hmac", "esp-gcm 256"),
               (" set pfs group14", " set pfs group19"))  # values Alibaba does not offer
    found = lint(parse_device(cfg, "hz-dc-edge01.cfg")).findings
    assert {"DhGroupMismatch", "EncryptionAlgorithmMismatch", "PfsMismatch"} <= {f.code for f in found}
    for f in found:
        assert CJK.search(f.title) and (f.code in PARSER_TEXT or CJK.search(f.message)), f.message
    pfs = next(f.message for f in found if f.code == "PfsMismatch")
    assert "group19 (ecp256)" in pfs and "group14" in pfs


def test_every_rule_text_has_a_translation():
    """Titles and catalog summaries are marked N_ where rules are declared and translated where shown; a rule's
    docstring (its one-line `doc`, shown by `rules`, `explain` and SARIF) is added to rules.po by hand, as Babel does
    not extract docstrings: a changed docstring must get its translation there too."""
    from analyzer.rules import all_rules

    i18n.set_language("zh")
    untranslated = [f"{r.code}.{what}: {text!r}" for r in all_rules()
                    for what, text in (("title", r.title), ("catalog", r.catalog), ("doc", r.doc))
                    if not CJK.search(i18n._(text))]
    untranslated += [f"deviation {d.name}: {d.text!r}" for r in all_rules() for d in r.deviations
                     if not CJK.search(i18n._(d.text))]
    assert not untranslated, "add to analyzer/locale/zh/LC_MESSAGES/rules.po, then compile:\n" + "\n".join(untranslated)
