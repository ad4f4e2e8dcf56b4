"""What the strongSwan interop suite (tests/interop) established about our rules, kept as plain tests that run
without namespaces: the documented deviations (Alibaba stricter than the protocol), that a rule tags exactly
the hits that exist only because of one (Hit.deviation: the interop suite excuses those and nothing else), and
that a real failure next to such a hit is still named by an untagged error."""
from __future__ import annotations

from dataclasses import replace

import pytest

from analyzer.rules import REGISTRY, all_rules
from analyzer.rules_doc import markdown
from interop.agreement import error_hits
from interop.scenario import Side, alibaba_json, ios_config, mirror
from parsers import alibaba
from parsers.registry import parse_device

V1 = Side(version="ikev1")
V1_FQDN = replace(V1, remote_id=("fqdn", "edge01.example.net"))
TWO = ("10.60.0.0/16", "10.62.0.0/16")


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


def _hits(ali: Side, dev: Side, tmp_path) -> set[tuple[str, str | None]]:
    (tmp_path / "c.json").write_text(alibaba_json(ali))
    return {(h.code, h.deviation) for h in error_hits(alibaba.load(str(tmp_path / "c.json")),
                                                     parse_device(ios_config(dev), "device.cfg"))}


# (name, alibaba side, device side, error hits as (code, deviation)): measured against strongSwan 5.9.8
CASES = [
    ("v1 narrower device flow: negotiates (intersection)", V1, replace(mirror(V1), remote_nets=("10.60.4.0/24",)),
     {("TrafficSelectorMismatch", "ikev1-exact-selectors")}),
    ("v1 wider device flow: negotiates", V1, replace(mirror(V1), remote_nets=("10.60.0.0/15",)),
     {("TrafficSelectorMismatch", "ikev1-exact-selectors")}),
    ("v1 disjoint flow: fails", V1, replace(mirror(V1), remote_nets=("10.61.0.0/16",)),
     {("TrafficSelectorMismatch", None)}),
    ("v1 two CIDRs mirrored: negotiates", replace(V1, local_nets=TWO), mirror(replace(V1, local_nets=TWO)),
     {("TrafficSelectorMismatch", "ikev1-one-cidr-pair")}),
    ("v1 two CIDRs, disjoint device flow: fails", replace(V1, local_nets=TWO),
     replace(mirror(replace(V1, local_nets=TWO)), remote_nets=("10.61.0.0/16",)),
     {("TrafficSelectorMismatch", "ikev1-one-cidr-pair"), ("TrafficSelectorMismatch", None)}),
    ("v1 main mode, device sends its FQDN: negotiates", V1_FQDN,
     replace(mirror(V1), local_id=("fqdn", "edge01.example.net")), {("PeerIdMismatch", "ikev1-main-mode-ip-ids")}),
    ("v1 main mode FQDN and another key: fails on the key", V1_FQDN,
     replace(mirror(V1), local_id=("fqdn", "edge01.example.net"), key=2),
     {("PeerIdMismatch", "ikev1-main-mode-ip-ids"), ("PskMismatch", None)}),
    ("v2 device presents its key as user-fqdn: fails", replace(Side(), remote_id=("fqdn", "edge01@example.net")),
     replace(mirror(Side()), local_id=("user-fqdn", "edge01@example.net")), {("PeerIdMismatch", None)}),
]


@pytest.mark.parametrize("name,ali,dev,expected", CASES, ids=[c[0] for c in CASES])
def test_a_hit_is_tagged_exactly_when_only_alibaba_refuses(tmp_path, name, ali, dev, expected):
    assert _hits(ali, dev, tmp_path) == expected


def test_a_clean_mirror_has_no_error_hit_pfs_read_from_the_ios_config(tmp_path):
    # the interop suite found no parser disagreement on clean mirrors; a lost `set pfs` would show here too
    for ali in (Side(pfs=14), replace(V1, pfs=5), replace(V1, mode="aggressive", pfs=None)):
        assert _hits(ali, mirror(ali), tmp_path) == set()
