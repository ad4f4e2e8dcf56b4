"""A finding's fingerprint does not depend on the output language (issue 15 part 3 with issue 13's baselines): a
baseline written by an English run must match the same findings in a Chinese run, and the other way round."""
import pytest

from analyzer import i18n
from analyzer.findings import Report
from analyzer.fingerprint import stamp
from conftest import edit, load_pair
from test_i18n_rules import CASES, _merge

# several findings of one rule on one tunnel, told apart only by what they are about (BGP setting, MTU/MSS, port)
EXTRA = {
    "ikev2-dual": [("router bgp 65020\n", "router bgp 65021\n"),  # runs AS
                   (" neighbor 169.254.30.1 remote-as 45104\n neighbor 169.254.30.1 timers",  # neighbor is
                    " neighbor 169.254.30.5 remote-as 45104\n neighbor 169.254.30.5 timers"),
                   (" ip address 169.254.30.2 255.255.255.252", " ip address 169.254.30.6 255.255.255.252")],
}


def _prints(run, base: str, lang: str) -> list[tuple[str, str]]:
    i18n.set_language(lang)
    jedit, dedits = CASES[base]
    conn, cfg = load_pair(base)
    if jedit:
        _merge(conn, jedit)
    report = Report(version="t", pairs=run(conn, edit(cfg, *dedits, *EXTRA.get(base, [])),
                                           vpngw={"VpnGatewayId": "x", "InternetIp": "198.51.100.90"}
                                           if base == "ikev2-map" else None))
    stamp(report)
    return sorted((f.code, f.fingerprint) for p in report.pairs for f in p.findings)


@pytest.mark.parametrize("base", sorted(CASES))
def test_fingerprints_are_the_same_in_english_and_chinese(run, base):
    english = _prints(run, base, "en")
    chinese = _prints(run, base, "zh")
    assert len({fp for _c, fp in english}) == len(english)  # still told apart
    assert chinese == english


@pytest.mark.parametrize("base", sorted(CASES))
def test_the_object_a_rule_names_is_what_the_english_message_said(run, base):
    """Baselines written before rules named the object (v0.3.0: read from the English message) still match."""
    import re

    from analyzer.rule_meta import OBJECT_IN_MESSAGE

    i18n.set_language("en")
    jedit, dedits = CASES[base]
    conn, cfg = load_pair(base)
    if jedit:
        _merge(conn, jedit)
    found = [f for p in run(conn, edit(cfg, *dedits, *EXTRA.get(base, []))) for f in p.findings
             if f.code in OBJECT_IN_MESSAGE]
    assert base != "ikev2-dual" or len(found) >= 4
    for f in found:
        said = ",".join(m.group().casefold() for m in re.finditer(OBJECT_IN_MESSAGE[f.code], f.message))
        assert f.object == said, f.message


def test_a_parser_warning_keeps_its_fingerprint_in_chinese(run):
    """DeviceConfigIncomplete findings differ only in the parser's words; a warning adds a translated reason."""
    conn, cfg = load_pair("ikev1-map")
    cfg = cfg + "crypto map UNUSED-MAP 10 ipsec-isakmp\n set peer 192.0.2.200\n match address NO-SUCH-ACL\n"
    prints = {}
    for lang in ("en", "zh"):
        i18n.set_language(lang)
        report = Report(version="t", pairs=run(conn, cfg))
        stamp(report)
        prints[lang] = sorted((f.code, f.severity, f.fingerprint) for p in report.pairs for f in p.findings
                              if f.code == "DeviceConfigIncomplete")
    assert prints["en"] and any(s == "warning" for _c, s, _f in prints["en"])
    assert prints["zh"] == prints["en"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_port_findings_keep_the_v030_object_when_names_hold_the_words(run, lang):
    """v0.3.0 read the object from the whole English message, ACL and interface names included: an ACL named
    OUTSIDE-IKE-ESP still gives that object, so baselines written then keep matching."""
    import re

    from analyzer.rule_meta import OBJECT_IN_MESSAGE

    conn, cfg = load_pair("ikev1-map")
    cfg = edit(cfg, (" permit esp host 198.51.100.60 host 203.0.113.60\n", "")).replace("WAN-IN", "OUTSIDE-IKE-ESP")
    i18n.set_language("en")
    english = [f for p in run(conn, cfg) for f in p.findings if f.code == "IkePortsFiltered"]
    i18n.set_language(lang)
    found = [f for p in run(conn, cfg) for f in p.findings if f.code == "IkePortsFiltered"]
    assert english and "OUTSIDE-IKE-ESP" in english[0].message
    for e, f in zip(english, found):
        said = ",".join(m.group().casefold() for m in re.finditer(OBJECT_IN_MESSAGE[e.code], e.message))
        assert f.object == said
