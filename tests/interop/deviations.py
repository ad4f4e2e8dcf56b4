"""The ways a device may differ from the Alibaba tunnel it mirrors, by name: each a function
(draw, alibaba side, device side) -> (alibaba side, device side); ``draw`` is hypothesis' ``data.draw``.
tests/interop/test_agreement.py has each kind alone as a hand case."""
from __future__ import annotations

from dataclasses import replace

from hypothesis import strategies as st

from interop.scenario import CIPHERS, DEV_IP, GROUPS, HASHES, Side

NARROWER, WIDER, DISJOINT, OTHER = "10.60.4.0/24", "10.60.0.0/15", "10.61.0.0/16", "10.63.0.0/16"


def _other(draw, values, current):
    return draw(st.sampled_from([v for v in values if v != current]))


def _ids(draw, ali: Side, dev: Side):
    """The device presents another identity of the same type (IKEv1 IOS: address <-> hostname.domain)."""
    if ali.version == "ikev1":
        return ali, replace(dev, local_id=("ip", DEV_IP) if dev.local_id[0] == "fqdn"
                            else ("fqdn", "edge01.example.net"))
    return ali, replace(dev, local_id=("fqdn", "other.example.net"))


def _id_type(draw, ali: Side, dev: Side):
    """IKEv2: the device presents Alibaba's RemoteId text under another ID type (IOS `identity local email` /
    `key-id`); Alibaba reads its LocalId/RemoteId as an address or an FQDN."""
    kind = draw(st.sampled_from(["user-fqdn", "key-id"]))
    value = "edge01@example.net" if kind == "user-fqdn" else "edge01"
    return replace(ali, remote_id=("fqdn", value)), replace(dev, local_id=(kind, value))


DEVIATIONS = {
    "ike-cipher": lambda draw, a, d: (a, replace(d, ike_enc=_other(draw, CIPHERS, d.ike_enc))),
    "ike-hash": lambda draw, a, d: (a, replace(d, ike_auth=_other(draw, HASHES, d.ike_auth))),
    "ike-group": lambda draw, a, d: (a, replace(d, ike_dh=_other(draw, GROUPS, d.ike_dh))),
    "esp-cipher": lambda draw, a, d: (a, replace(d, esp_enc=_other(draw, CIPHERS, d.esp_enc))),
    "esp-hash": lambda draw, a, d: (a, replace(d, esp_auth=_other(draw, HASHES, d.esp_auth))),
    "pfs-group": lambda draw, a, d: (a, replace(d, pfs=_other(draw, GROUPS, d.pfs))),
    "pfs-off": lambda draw, a, d: (a, replace(d, pfs=None)),
    "pfs-on": lambda draw, a, d: (a, replace(d, pfs=draw(st.sampled_from(GROUPS)))),
    "version": lambda draw, a, d: (a, replace(d, version="ikev2" if d.version == "ikev1" else "ikev1")),
    "mode": lambda draw, a, d: (a, replace(d, mode="main" if d.mode == "aggressive" else "aggressive")),
    "identity": _ids,
    "identity-type": _id_type,
    "psk": lambda draw, a, d: (a, replace(d, key=2)),
    "flows-narrower": lambda draw, a, d: (a, replace(d, remote_nets=(NARROWER,))),
    "flows-wider": lambda draw, a, d: (a, replace(d, remote_nets=(WIDER,))),
    "flows-disjoint": lambda draw, a, d: (a, replace(d, remote_nets=(DISJOINT,))),
    "flows-several": lambda draw, a, d: (a, replace(d, remote_nets=d.remote_nets + (OTHER,))),
    "flows-fewer": lambda draw, a, d: (a, replace(d, remote_nets=d.remote_nets[:1])),
    "device-more-cidrs": lambda draw, a, d: (a, replace(d, local_nets=d.local_nets + ("172.20.16.0/22",))),
    "extra-offers": lambda draw, a, d: (a, replace(d, ike_extra=_other(draw, CIPHERS, d.ike_enc),
                                                    esp_extra=_other(draw, CIPHERS, d.esp_enc))),
    "lifetimes": lambda draw, a, d: (a, replace(d, ike_life=d.ike_life // 2, esp_life=d.esp_life * 2)),
}


def applies(name: str, ali: Side, dev: Side) -> bool:
    """Whether the deviation changes something for this pair of sides."""
    if name == "mode":
        return ali.version == "ikev1" and dev.version == "ikev1"
    if name == "identity-type":
        return ali.version == "ikev2" and dev.version == "ikev2"
    if name == "pfs-group":
        return dev.pfs is not None
    if name == "pfs-off":
        return dev.pfs is not None
    if name == "pfs-on":
        return dev.pfs is None
    if name == "flows-fewer":
        return len(dev.remote_nets) > 1
    if name.startswith("flows-") and name != "flows-several":  # a second device flow kept: it would stay exact
        return len(dev.remote_nets) == 1
    return True
