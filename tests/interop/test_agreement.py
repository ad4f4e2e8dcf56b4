"""Hand-written cases: our rules' error verdict against a real strongSwan negotiation of the same tunnel (the
rules read the Alibaba JSON and an IOS config through our parsers; strongSwan runs what the scenario means).
Each deviation kind of interop.deviations appears alone here at least once, on IKEv1 and IKEv2 where both
apply, so a rule that breaks fails a named case whatever the property test happens to draw."""
from __future__ import annotations

from dataclasses import replace

import pytest

from interop.agreement import verdicts
from interop.deviations import DEVIATIONS, DISJOINT, NARROWER, OTHER, WIDER
from interop.scenario import Side, mirror

ALI_V2 = Side()
ALI_V1 = Side(version="ikev1", ike_enc="aes256", ike_auth="sha256", esp_enc="aes256", esp_auth="sha256")
ALI_V1_AGGR = replace(ALI_V1, mode="aggressive", pfs=None)
TWO = ("10.60.0.0/16", "10.62.0.0/16")


def _dev(ali: Side, **changes) -> Side:
    return replace(mirror(ali), **changes)


# A clean mirror must establish with no error finding at all (a parser bug that invents an error fails here).
CLEAN = [
    ("v2", ALI_V2), ("v1-main", ALI_V1), ("v1-aggressive", ALI_V1_AGGR), ("v2-pfs-off", replace(ALI_V2, pfs=None)),
    ("v1-pfs5", replace(ALI_V1, pfs=5)),
    ("v2-fqdn-ids", replace(ALI_V2, local_id=("fqdn", "vpn.example.com"), remote_id=("fqdn", "edge01.example.net"))),
    ("v2-two-cidrs", replace(ALI_V2, local_nets=TWO)),
]


@pytest.mark.parametrize("name,ali", CLEAN, ids=[c[0] for c in CLEAN])
def test_a_clean_mirror_establishes_with_no_error(lab, tmp_path, name, ali):
    v = verdicts(lab, ali, mirror(ali), tmp_path)
    assert v.outcome.established, f"{name}: strongSwan {v.outcome}"
    assert v.errors == [], f"{name}: {[(f.code, f.message) for f in v.errors]}"


# (name, deviation kind, alibaba side, device side, expected outcome: "established" or the notify). Measured
# with strongSwan 5.9: a version or mode charon has no config for is refused (NO_PROPOSAL_CHOSEN /
# AUTHENTICATION_FAILED), an IKE group no proposal holds is NO_PROPOSAL_CHOSEN, not INVALID_KE_PAYLOAD.
CASES = [
    ("v2-ike-cipher", "ike-cipher", ALI_V2, _dev(ALI_V2, ike_enc="aes256"), "NO_PROPOSAL_CHOSEN"),
    ("v1-ike-cipher", "ike-cipher", ALI_V1, _dev(ALI_V1, ike_enc="3des"), "NO_PROPOSAL_CHOSEN"),
    ("v2-ike-hash", "ike-hash", ALI_V2, _dev(ALI_V2, ike_auth="sha256"), "NO_PROPOSAL_CHOSEN"),
    ("v1-ike-hash", "ike-hash", ALI_V1, _dev(ALI_V1, ike_auth="sha1"), "NO_PROPOSAL_CHOSEN"),
    ("v2-ike-group", "ike-group", ALI_V2, _dev(ALI_V2, ike_dh=5), "NO_PROPOSAL_CHOSEN"),
    ("v1-ike-group", "ike-group", ALI_V1, _dev(ALI_V1, ike_dh=5), "NO_PROPOSAL_CHOSEN"),
    ("v2-esp-cipher", "esp-cipher", ALI_V2, _dev(ALI_V2, esp_enc="3des"), "NO_PROPOSAL_CHOSEN"),
    ("v1-esp-cipher", "esp-cipher", ALI_V1, _dev(ALI_V1, esp_enc="aes128"), "NO_PROPOSAL_CHOSEN"),
    ("v2-esp-hash", "esp-hash", ALI_V2, _dev(ALI_V2, esp_auth="sha256"), "NO_PROPOSAL_CHOSEN"),
    ("v1-esp-hash", "esp-hash", ALI_V1, _dev(ALI_V1, esp_auth="sha512"), "NO_PROPOSAL_CHOSEN"),
    ("v2-pfs-group", "pfs-group", ALI_V2, _dev(ALI_V2, pfs=5), "NO_PROPOSAL_CHOSEN"),
    ("v1-pfs-group", "pfs-group", ALI_V1, _dev(ALI_V1, pfs=5), "NO_PROPOSAL_CHOSEN"),
    ("v2-pfs-off-on-device", "pfs-off", ALI_V2, _dev(ALI_V2, pfs=None), "NO_PROPOSAL_CHOSEN"),
    ("v1-pfs-off-on-device", "pfs-off", ALI_V1, _dev(ALI_V1, pfs=None), "NO_PROPOSAL_CHOSEN"),
    ("v2-pfs-on-device-only", "pfs-on", replace(ALI_V2, pfs=None), _dev(replace(ALI_V2, pfs=None), pfs=14),
     "NO_PROPOSAL_CHOSEN"),
    ("v1-pfs-on-device-only", "pfs-on", ALI_V1_AGGR, _dev(ALI_V1_AGGR, pfs=2), "NO_PROPOSAL_CHOSEN"),
    ("v2-device-v1", "version", ALI_V2, _dev(ALI_V2, version="ikev1"), "NO_PROPOSAL_CHOSEN"),
    ("v1-device-v2", "version", ALI_V1, _dev(ALI_V1, version="ikev2"), "NO_PROPOSAL_CHOSEN"),
    ("v1-main-device-aggressive", "mode", ALI_V1, _dev(ALI_V1, mode="aggressive"), "AUTHENTICATION_FAILED"),
    ("v1-aggressive-device-main", "mode", ALI_V1_AGGR, _dev(ALI_V1_AGGR, mode="main"), "AUTHENTICATION_FAILED"),
    ("v2-remote-id", "identity", ALI_V2, _dev(ALI_V2, local_id=("fqdn", "edge01.example.net")),
     "AUTHENTICATION_FAILED"),
    ("v1-aggressive-remote-id", "identity", ALI_V1_AGGR, _dev(ALI_V1_AGGR, local_id=("fqdn", "edge01.example.net")),
     "INVALID_ID_INFORMATION"),
    ("v2-user-fqdn-id", "identity-type", replace(ALI_V2, remote_id=("fqdn", "edge01@example.net")),
     _dev(ALI_V2, local_id=("user-fqdn", "edge01@example.net")), "AUTHENTICATION_FAILED"),
    ("v2-key-id", "identity-type", replace(ALI_V2, remote_id=("fqdn", "edge01")),
     _dev(ALI_V2, local_id=("key-id", "edge01")), "AUTHENTICATION_FAILED"),
    ("v2-psk", "psk", ALI_V2, _dev(ALI_V2, key=2), "AUTHENTICATION_FAILED"),
    ("v1-psk", "psk", ALI_V1, _dev(ALI_V1, key=2), "AUTHENTICATION_FAILED"),
    ("v1-aggressive-psk", "psk", ALI_V1_AGGR, _dev(ALI_V1_AGGR, key=2), "AUTHENTICATION_FAILED"),
    ("v2-narrower-device", "flows-narrower", ALI_V2, _dev(ALI_V2, remote_nets=(NARROWER,)), "established"),
    ("v2-wider-device", "flows-wider", ALI_V2, _dev(ALI_V2, remote_nets=(WIDER,)), "established"),
    ("v2-disjoint-flows", "flows-disjoint", ALI_V2, _dev(ALI_V2, remote_nets=(DISJOINT,)), "TS_UNACCEPTABLE"),
    ("v1-disjoint-flows", "flows-disjoint", ALI_V1, _dev(ALI_V1, remote_nets=(DISJOINT,)), "INVALID_ID_INFORMATION"),
    ("v2-several-device-flows", "flows-several", ALI_V2, _dev(ALI_V2, remote_nets=("10.60.0.0/16", OTHER)),
     "TS_UNACCEPTABLE"),
    ("v2-fewer-device-flows", "flows-fewer", replace(ALI_V2, local_nets=TWO),
     _dev(replace(ALI_V2, local_nets=TWO), remote_nets=TWO[:1]), "established"),
    ("v2-device-more-cidrs", "device-more-cidrs", ALI_V2,
     _dev(ALI_V2, local_nets=("172.20.8.0/22", "172.20.16.0/22")), "TS_UNACCEPTABLE"),
    ("v2-extra-offers", "extra-offers", ALI_V2, _dev(ALI_V2, ike_extra="aes256", esp_extra="3des"), "established"),
    ("v1-extra-offers", "extra-offers", ALI_V1, _dev(ALI_V1, ike_extra="3des", esp_extra="aes128"), "established"),
    ("v2-lifetimes", "lifetimes", ALI_V2, _dev(ALI_V2, ike_life=43200, esp_life=7200), "established"),
    ("v1-lifetimes", "lifetimes", ALI_V1, _dev(ALI_V1, ike_life=43200, esp_life=7200), "established"),
]
# Alternatives a notify may legitimately take: IKEv1 reports a refused quick-mode ID as INVALID_ID_INFORMATION,
# strongSwan's IKEv2 as TS_UNACCEPTABLE.
_SAME = {"INVALID_ID_INFORMATION": {"TS_UNACCEPTABLE"}, "TS_UNACCEPTABLE": {"INVALID_ID_INFORMATION"}}


def test_each_deviation_kind_has_a_hand_case():
    assert {c[1] for c in CASES} == set(DEVIATIONS)


@pytest.mark.parametrize("name,kind,ali,dev,expected", CASES, ids=[c[0] for c in CASES])
def test_each_deviation_alone_agrees_with_strongswan(lab, tmp_path, name, kind, ali, dev, expected):
    v = verdicts(lab, ali, dev, tmp_path)
    got = "established" if v.outcome.established else v.outcome.notify
    assert got == expected or got in _SAME.get(expected, ()), f"{name}: strongSwan {v.outcome}"
    if name == "v2-pfs-group":  # IKEv2 keys the first CHILD_SA without a KE payload: only the rekey fails
        assert v.outcome.phase == "rekey", f"{name}: strongSwan {v.outcome}"
    problem = v.disagreement(deviations=set())
    assert problem is None, f"{name}: {problem}; errors: {[(h.code, h.deviation) for h in v.hits]}"


# Alibaba stricter than the protocol: strongSwan negotiates, our rule reports the error Alibaba documents and
# tags the finding with the deviation (analyzer/rules/deviations.py).
STRICTER = [
    ("v1-narrower-device", ALI_V1, _dev(ALI_V1, remote_nets=(NARROWER,)),
     "TrafficSelectorMismatch", "ikev1-exact-selectors"),
    ("v1-wider-device", ALI_V1, _dev(ALI_V1, remote_nets=(WIDER,)), "TrafficSelectorMismatch", "ikev1-exact-selectors"),
    ("v1-two-cidrs", replace(ALI_V1, local_nets=TWO), mirror(replace(ALI_V1, local_nets=TWO)),
     "TrafficSelectorMismatch", "ikev1-one-cidr-pair"),
    ("v1-main-fqdn", replace(ALI_V1, remote_id=("fqdn", "edge01.example.net")),
     _dev(ALI_V1, local_id=("fqdn", "edge01.example.net")), "PeerIdMismatch", "ikev1-main-mode-ip-ids"),
]


@pytest.mark.parametrize("name,ali,dev,code,deviation", STRICTER, ids=[c[0] for c in STRICTER])
def test_alibaba_stricter_is_a_tagged_deviation(lab, tmp_path, name, ali, dev, code, deviation):
    v = verdicts(lab, ali, dev, tmp_path)
    assert v.outcome.established, f"{name}: strongSwan {v.outcome}"
    assert {(h.code, h.deviation) for h in v.hits} == {(code, deviation)}, f"{name}: {v.hits}"
    assert v.disagreement({deviation}) is None
    assert v.disagreement(set()) is not None  # without the named deviation it is a disagreement


# A real failure next to an Alibaba-stricter error: the tagged error never explains the failure.
MIXED = [
    ("v1-main-fqdn+psk", replace(ALI_V1, remote_id=("fqdn", "edge01.example.net")),
     _dev(ALI_V1, local_id=("fqdn", "edge01.example.net"), key=2), "PskMismatch"),
    ("v1-two-cidrs+disjoint", replace(ALI_V1, local_nets=TWO),
     _dev(replace(ALI_V1, local_nets=TWO), remote_nets=(DISJOINT,)), "TrafficSelectorMismatch"),
]


@pytest.mark.parametrize("name,ali,dev,code", MIXED, ids=[c[0] for c in MIXED])
def test_a_real_failure_is_named_by_an_untagged_error(lab, tmp_path, name, ali, dev, code):
    v = verdicts(lab, ali, dev, tmp_path)
    assert not v.outcome.established, f"{name}: strongSwan {v.outcome}"
    assert code in {h.code for h in v.hits if h.deviation is None}, f"{name}: {v.hits}"
    assert v.disagreement({h.deviation for h in v.hits if h.deviation}) is None
