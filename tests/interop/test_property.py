"""Property: for an Alibaba tunnel and a device that mirrors it with 0-2 deviations, our rules' error verdict
agrees with a real strongSwan negotiation, the error code fits the failure, and where they disagree the only
reason is a deviation the rule documents (Alibaba stricter than the protocol).

Derandomized: CI runs the same examples every time. IPSEC_PREFLIGHT_INTEROP_EXAMPLES raises the count locally."""
from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings, strategies as st

from interop.agreement import verdicts
from interop.scenario import CIPHERS, GROUPS, HASHES, Side, mirror, protocol_stricter

EXAMPLES = int(os.environ.get("IPSEC_PREFLIGHT_INTEROP_EXAMPLES", "100"))
OTHER_NETS = {"narrower": ("10.60.4.0/24",), "wider": ("10.60.0.0/15",), "disjoint": ("10.61.0.0/16",)}


def _other(draw, values, current):
    return draw(st.sampled_from([v for v in values if v != current]))


@st.composite
def alibaba_sides(draw) -> Side:
    version = draw(st.sampled_from(["ikev1", "ikev2"]))
    side = Side(version=version, ike_enc=draw(st.sampled_from(CIPHERS)), ike_auth=draw(st.sampled_from(HASHES)),
                ike_dh=draw(st.sampled_from(GROUPS)), esp_enc=draw(st.sampled_from(CIPHERS)),
                esp_auth=draw(st.sampled_from(HASHES)), pfs=draw(st.sampled_from((None,) + GROUPS)),
                ike_life=draw(st.sampled_from((28800, 86400))), esp_life=draw(st.sampled_from((3600, 28800))))
    if version == "ikev1":
        side = replace(side, mode=draw(st.sampled_from(["main", "aggressive"])))
    ids = draw(st.sampled_from(["ip", "fqdn", "fqdn-device-only"]))
    if ids == "fqdn":
        side = replace(side, local_id=("fqdn", "vpn.aliyun.example.com"), remote_id=("fqdn", "edge01.example.net"))
    elif ids == "fqdn-device-only":  # the device sends hostname.domain and expects Alibaba's address
        side = replace(side, remote_id=("fqdn", "edge01.example.net"))
    if draw(st.booleans()):
        side = replace(side, local_nets=("10.60.0.0/16", "10.62.0.0/16"))
    return side


@st.composite
def deviated(draw, ali: Side) -> tuple[Side, Side, list[str]]:
    """(alibaba, device, names of the deviations applied)."""
    dev = mirror(ali)
    names = draw(st.lists(st.sampled_from(sorted(_DEVIATIONS)), max_size=2, unique=True))
    for name in names:
        ali, dev = _DEVIATIONS[name](draw, ali, dev)
    return ali, dev, names


def _ids(draw, ali: Side, dev: Side):
    if ali.version == "ikev1":  # IOS IKEv1: its own identity switches between address and hostname.domain
        return ali, replace(dev, local_id=("ip", dev.local_id[1]) if dev.local_id[0] == "fqdn"
                            else ("fqdn", "edge01.example.net"))
    return ali, replace(dev, local_id=("fqdn", "other.example.net"))


_DEVIATIONS = {
    "ike-cipher": lambda draw, a, d: (a, replace(d, ike_enc=_other(draw, CIPHERS, d.ike_enc))),
    "ike-hash": lambda draw, a, d: (a, replace(d, ike_auth=_other(draw, HASHES, d.ike_auth))),
    "ike-group": lambda draw, a, d: (a, replace(d, ike_dh=_other(draw, GROUPS, d.ike_dh))),
    "esp-cipher": lambda draw, a, d: (a, replace(d, esp_enc=_other(draw, CIPHERS, d.esp_enc))),
    "esp-hash": lambda draw, a, d: (a, replace(d, esp_auth=_other(draw, HASHES, d.esp_auth))),
    "pfs": lambda draw, a, d: (a, replace(d, pfs=_other(draw, (None,) + GROUPS, d.pfs))),
    "version": lambda draw, a, d: (a, replace(d, version="ikev2" if d.version == "ikev1" else "ikev1")),
    "mode": lambda draw, a, d: (a, replace(d, mode="main" if d.mode == "aggressive" else "aggressive")),
    "identity": _ids,
    "psk": lambda draw, a, d: (a, replace(d, key=2)),
    "flows": lambda draw, a, d: (a, replace(d, remote_nets=OTHER_NETS[draw(st.sampled_from(sorted(OTHER_NETS)))])),
    "flows-fewer": lambda draw, a, d: (a, replace(d, remote_nets=d.remote_nets[:1])),
    "extra-offers": lambda draw, a, d: (a, replace(d, ike_extra=_other(draw, CIPHERS, d.ike_enc),
                                                    esp_extra=_other(draw, CIPHERS, d.esp_enc))),
    "lifetimes": lambda draw, a, d: (a, replace(d, ike_life=d.ike_life // 2, esp_life=d.esp_life * 2)),
}


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_rules_agree_with_negotiation(lab, data):
    ali = data.draw(alibaba_sides(), label="alibaba")
    ali, dev, names = data.draw(deviated(ali), label="deviations")
    with tempfile.TemporaryDirectory(prefix="ippf-interop-case-") as tmp:
        v = verdicts(lab, ali, dev, Path(tmp))
    allowed = protocol_stricter(ali, dev)
    problem = v.disagreement(allowed)
    # --hypothesis-show-statistics: how the examples split (the closing note of issue 17 quotes it)
    event(f"strongSwan: {'established' if v.outcome.established else v.outcome.notify or 'no notify'}")
    event(f"rules: {'error' if v.errors else 'no error'}")
    if v.outcome.established and v.errors:
        event(f"disagreement explained by {sorted(allowed)}")
    # the message names settings and codes only: the two keys are test values, but no key is ever printed
    assert problem is None, (f"deviations {names}, Alibaba-stricter cases {sorted(allowed)}: {problem}; "
                             f"errors: {[f.code for f in v.errors]}")
