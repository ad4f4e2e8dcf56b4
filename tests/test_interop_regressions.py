"""What the strongSwan interop suite (tests/interop) established about our rules, kept as plain tests that
run without namespaces: the documented deviations (Alibaba stricter than the protocol) and, for each rule a
real negotiation proved wrong, a regression test."""
from __future__ import annotations

from analyzer.rules import REGISTRY, all_rules
from analyzer.rules_doc import markdown


def test_each_alibaba_stricter_case_is_a_named_deviation_of_its_rule():
    all_rules()
    named = {code: {d.name for d in REGISTRY[code].deviations} for code in REGISTRY if REGISTRY[code].deviations}
    assert named == {"TrafficSelectorMismatch": {"ikev1-exact-selectors", "ikev1-one-cidr-pair"},
                     "PeerIdMismatch": {"ikev1-main-mode-ip-ids"}}


def test_docs_rules_md_lists_each_deviation_under_its_rule_with_alibabas_source():
    md = markdown()
    for r in all_rules():
        section = md.split(f"\n## {r.code}\n", 1)[1].split("\n## ", 1)[0]
        for d in r.deviations:
            line = next(line for line in section.splitlines() if line.startswith(f"- `{d.name}`"))
            assert "alibabacloud.com/help" in line and d.text in line
        assert ("Deviations from the protocol" in section) == bool(r.deviations)
