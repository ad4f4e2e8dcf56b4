"""The swanctl rendering of a scenario side and the scenario's own bookkeeping, checked without daemons (runs
everywhere, also where the interop negotiations skip)."""
from __future__ import annotations

from dataclasses import replace

from interop.harness import Lab
from interop.scenario import Side, ios_config, mirror, protocol_stricter, psk
from interop.swanctl import children, render


def test_both_sides_render_the_scenarios_proposals():
    ali = Side(version="ikev1", ike_enc="aes256", ike_auth="sha256", ike_dh=14, esp_enc="3des", esp_auth="md5", pfs=5)
    ra = render(ali, "10.255.0.1", "10.255.0.2", per_pair=False, alibaba=True)
    rd = render(mirror(ali), "10.255.0.2", "10.255.0.1", per_pair=True, alibaba=False)
    for conn in (ra, rd):
        assert "version = 1" in conn.text and "proposals = aes256-sha256-modp2048" in conn.text
        assert "esp_proposals = 3des-md5-modp1536" in conn.text and "policies = no" in conn.text and conn.pfs
    assert "local_ts = 10.60.0.0/16" in ra.text and "remote_ts = 10.60.0.0/16" in rd.text
    assert "id = 198.51.100.60" in ra.text and "id = 203.0.113.60" in rd.text


def test_pfs_off_renders_no_group_and_ids_are_typed():
    ali = Side(pfs=None, local_id=("fqdn", "vpn.example.com"), remote_id=("fqdn", "edge01@example.net"))
    dev = replace(mirror(ali), local_id=("user-fqdn", "edge01@example.net"))
    ra = render(ali, "10.255.0.1", "10.255.0.2", per_pair=False, alibaba=True)
    rd = render(dev, "10.255.0.2", "10.255.0.1", per_pair=True, alibaba=False)
    assert "esp_proposals = aes128-sha1\n" in rd.text and "version = 2" in rd.text and not rd.pfs
    # Alibaba reads an id that is not an address as an FQDN; the device sends its own type
    assert "id = fqdn:edge01@example.net" in ra.text and "id = email:edge01@example.net" in rd.text
    assert "identity local email edge01@example.net" in ios_config(dev)
    assert "id = keyid:edge01" in render(replace(dev, local_id=("key-id", "edge01")), "a", "b", True, False).text


def test_the_device_offers_its_extra_cipher_first_as_ios_tries_it():
    dev = replace(mirror(Side()), ike_extra="aes256", esp_extra="3des")
    text = render(dev, "10.255.0.2", "10.255.0.1", per_pair=True, alibaba=False).text
    assert "proposals = aes256-sha1-modp2048,aes128-sha1-modp2048" in text
    assert "esp_proposals = 3des-sha1-modp2048,aes128-sha1-modp2048" in text


def test_alibaba_keys_every_cidr_in_one_child_ios_one_per_acl_line():
    ali = Side(local_nets=("10.60.0.0/16", "10.62.0.0/16"))
    assert children(ali, False) == [("net0", "10.60.0.0/16,10.62.0.0/16", "172.20.8.0/22")]
    assert [c[1:] for c in children(mirror(ali), True)] == [("172.20.8.0/22", "10.60.0.0/16"),
                                                             ("172.20.8.0/22", "10.62.0.0/16")]
    assert render(mirror(ali), "a", "b", per_pair=True, alibaba=False).children == ("net0", "net1")


def test_the_key_is_only_in_the_secrets_section_and_never_in_a_side_repr():
    ali = Side()
    text = render(ali, "10.255.0.1", "10.255.0.2", per_pair=False, alibaba=True).text
    assert text.count(psk(ali)) == 1 and text.index(psk(ali)) > text.index("secrets {")
    assert psk(ali) not in repr(ali) and psk(replace(ali, key=2)) != psk(ali)


def test_a_notify_charon_sent_in_short_form_names_the_failure():
    lab = object.__new__(Lab)  # no daemons: only the log reading
    lab._logs = lambda: "[ENC] generating CREATE_CHILD_SA response 2 [ N(TS_UNACCEPT) ]\n"
    assert lab._failed("child", "alibaba->device").notify == "TS_UNACCEPTABLE"
    lab._logs = lambda: "[ENC] generating IKE_SA_INIT response 0 [ N(NO_PROP) ]\n"
    assert lab._failed("ike", "alibaba->device").notify == "NO_PROPOSAL_CHOSEN"


def test_deviations_that_apply_are_named_from_the_two_sides():
    v1 = Side(version="ikev1")
    assert protocol_stricter(v1, mirror(v1)) == set()
    assert protocol_stricter(v1, replace(mirror(v1), remote_nets=("10.60.4.0/24",))) == {"ikev1-exact-selectors"}
    assert protocol_stricter(replace(v1, remote_id=("fqdn", "edge01.example.net")), mirror(v1)) == {"ikev1-main-mode-ip-ids"}
    assert protocol_stricter(Side(), replace(mirror(Side()), remote_nets=("10.60.4.0/24",))) == set()  # IKEv2
