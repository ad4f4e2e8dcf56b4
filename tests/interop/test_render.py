"""The swanctl rendering of our model, checked without daemons (runs everywhere, also where the interop
negotiations skip)."""
from __future__ import annotations

from dataclasses import replace

from interop.harness import children, render
from interop.scenario import Side, alibaba_json, ios_config, mirror, protocol_stricter, psk
from parsers import alibaba
from parsers.registry import parse_device


def _endpoints(ali: Side, dev: Side, tmp_path):
    (tmp_path / "c.json").write_text(alibaba_json(ali))
    tunnel = alibaba.load(str(tmp_path / "c.json"))[0]
    return tunnel.endpoint, parse_device(ios_config(dev), "device.cfg").endpoints[0]


def test_both_sides_render_the_same_proposals_from_our_parsers(tmp_path):
    ali = Side(version="ikev1", ike_enc="aes256", ike_auth="sha256", ike_dh=14, esp_enc="3des", esp_auth="md5", pfs=5)
    a, d = _endpoints(ali, mirror(ali), tmp_path)
    ra, rd = render(a, "10.255.0.1", "10.255.0.2", False), render(d, "10.255.0.2", "10.255.0.1", True)
    for conf in (ra, rd):
        assert "version = 1" in conf and "proposals = aes256-sha256-modp2048" in conf
        assert "esp_proposals = 3des-md5-modp1536" in conf and "policies = no" in conf
    assert "local_ts = 10.60.0.0/16" in ra and "remote_ts = 10.60.0.0/16" in rd
    assert "id = 198.51.100.60" in ra and "id = 203.0.113.60" in rd


def test_pfs_off_renders_no_group_and_ikev2_fqdn_ids_are_typed(tmp_path):
    ali = Side(pfs=None, local_id=("fqdn", "vpn.example.com"), remote_id=("fqdn", "edge01.example.net"))
    a, d = _endpoints(ali, mirror(ali), tmp_path)
    rd = render(d, "10.255.0.2", "10.255.0.1", True)
    assert "esp_proposals = aes128-sha1\n" in rd and "version = 2" in rd
    assert "id = fqdn:edge01.example.net" in rd and "id = fqdn:vpn.example.com" in rd


def test_alibaba_keys_every_cidr_in_one_child_ios_one_per_acl_line(tmp_path):
    ali = Side(local_nets=("10.60.0.0/16", "10.62.0.0/16"))
    a, d = _endpoints(ali, mirror(ali), tmp_path)
    assert children(a, False) == [("net0", "10.60.0.0/16,10.62.0.0/16", "172.20.8.0/22")]
    assert [c[1:] for c in children(d, d.per_pair_sas)] == [("172.20.8.0/22", "10.60.0.0/16"),
                                                             ("172.20.8.0/22", "10.62.0.0/16")]


def test_the_key_is_only_in_the_secrets_section_and_never_in_a_side_repr(tmp_path):
    ali = Side()
    a, _ = _endpoints(ali, mirror(ali), tmp_path)
    conf = render(a, "10.255.0.1", "10.255.0.2", False)
    assert conf.count(psk(ali)) == 1 and conf.index(psk(ali)) > conf.index("secrets {")
    assert psk(ali) not in repr(ali) and psk(replace(ali, key=2)) != psk(ali)


def test_deviations_that_apply_are_named_from_the_two_sides():
    v1 = Side(version="ikev1")
    assert protocol_stricter(v1, mirror(v1)) == set()
    assert protocol_stricter(v1, replace(mirror(v1), remote_nets=("10.60.4.0/24",))) == {"ikev1-exact-selectors"}
    assert protocol_stricter(replace(v1, remote_id=("fqdn", "edge01.example.net")), mirror(v1)) == {"ikev1-main-mode-ip-ids"}
    assert protocol_stricter(Side(), replace(mirror(Side()), remote_nets=("10.60.4.0/24",))) == set()  # IKEv2
