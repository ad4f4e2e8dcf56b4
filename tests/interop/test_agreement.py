"""Hand-written cases: our rules' error verdict against a real strongSwan negotiation of the same two
configurations (Alibaba JSON and an IOS config, each read by our parsers)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from interop.agreement import verdicts
from interop.scenario import Side, mirror

ALI_V2 = Side()
ALI_V1 = Side(version="ikev1", ike_enc="aes256", ike_auth="sha256", esp_enc="aes256", esp_auth="sha256")

# (name, alibaba side, device side, expected outcome: "established" or the notify)
CASES = [
    ("v2-mirror", ALI_V2, mirror(ALI_V2), "established"),
    ("v1-mirror", ALI_V1, mirror(ALI_V1), "established"),
    ("v2-ike-cipher", ALI_V2, replace(mirror(ALI_V2), ike_enc="aes256"), "NO_PROPOSAL_CHOSEN"),
    ("v1-ike-group", ALI_V1, replace(mirror(ALI_V1), ike_dh=5), "NO_PROPOSAL_CHOSEN"),
    ("v2-esp-hash", ALI_V2, replace(mirror(ALI_V2), esp_auth="sha256"), "NO_PROPOSAL_CHOSEN"),
    ("v2-pfs-off-on-device", ALI_V2, replace(mirror(ALI_V2), pfs=None), "NO_PROPOSAL_CHOSEN"),
    ("v1-pfs-group", ALI_V1, replace(mirror(ALI_V1), pfs=5), "NO_PROPOSAL_CHOSEN"),
    ("v2-psk", ALI_V2, replace(mirror(ALI_V2), key=2), "AUTHENTICATION_FAILED"),
    ("v1-psk", ALI_V1, replace(mirror(ALI_V1), key=2), "AUTHENTICATION_FAILED"),
    ("v2-fqdn-ids", replace(ALI_V2, local_id=("fqdn", "vpn.example.com"), remote_id=("fqdn", "edge01.example.net")),
     mirror(replace(ALI_V2, local_id=("fqdn", "vpn.example.com"), remote_id=("fqdn", "edge01.example.net"))),
     "established"),
    ("v2-remote-id", ALI_V2, replace(mirror(ALI_V2), local_id=("fqdn", "edge01.example.net")), "AUTHENTICATION_FAILED"),
    ("v2-disjoint-flows", ALI_V2, replace(mirror(ALI_V2), remote_nets=("10.61.0.0/16",)), "TS_UNACCEPTABLE"),
    ("v2-narrower-device", ALI_V2, replace(mirror(ALI_V2), remote_nets=("10.60.1.0/24",)), "established"),
    ("v1-disjoint-flows", ALI_V1, replace(mirror(ALI_V1), remote_nets=("10.61.0.0/16",)), "INVALID_ID_INFORMATION"),
]


@pytest.mark.parametrize("name,ali,dev,expected", CASES, ids=[c[0] for c in CASES])
def test_rules_agree_with_strongswan(lab, tmp_path, name, ali, dev, expected):
    v = verdicts(lab, ali, dev, tmp_path)
    got = "established" if v.outcome.established else v.outcome.notify
    assert got == expected or (expected == "INVALID_ID_INFORMATION" and got == "TS_UNACCEPTABLE"), \
        f"{name}: strongSwan {v.outcome}"
    problem = v.disagreement(deviations=set())
    assert problem is None, f"{name}: {problem}; findings: {[(f.code, f.message) for f in v.errors]}"


# Alibaba stricter than the protocol: strongSwan negotiates, our rule reports the error Alibaba documents,
# and the rule names the deviation (analyzer/rules/deviations.py).
STRICTER = [
    ("v1-narrower-device", ALI_V1, replace(mirror(ALI_V1), remote_nets=("10.60.4.0/24",)),
     "TrafficSelectorMismatch", "ikev1-exact-selectors"),
    ("v1-wider-device", ALI_V1, replace(mirror(ALI_V1), remote_nets=("10.60.0.0/15",)),
     "TrafficSelectorMismatch", "ikev1-exact-selectors"),
    ("v1-two-cidrs", replace(ALI_V1, local_nets=("10.60.0.0/16", "10.62.0.0/16")),
     mirror(replace(ALI_V1, local_nets=("10.60.0.0/16", "10.62.0.0/16"))), "TrafficSelectorMismatch",
     "ikev1-one-cidr-pair"),
    ("v1-main-fqdn", replace(ALI_V1, remote_id=("fqdn", "edge01.example.net")),
     replace(mirror(ALI_V1), local_id=("fqdn", "edge01.example.net")), "PeerIdMismatch", "ikev1-main-mode-ip-ids"),
]


@pytest.mark.parametrize("name,ali,dev,code,deviation", STRICTER, ids=[c[0] for c in STRICTER])
def test_alibaba_stricter_is_a_named_deviation(lab, tmp_path, name, ali, dev, code, deviation):
    v = verdicts(lab, ali, dev, tmp_path)
    assert v.outcome.established, f"{name}: strongSwan {v.outcome}"
    assert {f.code for f in v.errors} == {code}, f"{name}: {[(f.code, f.message) for f in v.errors]}"
    assert v.disagreement({deviation}) is None
    assert v.disagreement(set()) is not None  # without the named deviation it is a disagreement
