"""`generate` for Cisco IOS and ASA: what the writers produce is read back by our own parsers and checked against
the connection it came from (the round trip, in-process), on every connection fixture and on hand-made variants.

The only error allowed back is PskMismatch: the writers put PSK_PLACEHOLDER where the key goes (never the key)."""
from __future__ import annotations

import copy
import json

import pytest

from analyzer.checker import check
from analyzer.generate import GenerateRefused, generate
from conftest import FIXTURES
from parsers import alibaba
from parsers.generation import PSK_PLACEHOLDER
from parsers.registry import detect_vendor, parse_device

VENDORS = ("cisco-ios", "cisco-asa")
STYLES = ("policy", "route")
CONNECTION_FILES = sorted(p for p in [*(FIXTURES / "alibaba").glob("*.json"), *(FIXTURES / "pairs").glob("*.json")]
                          if alibaba.has_connection(json.loads(p.read_text())))
BASE = json.loads((FIXTURES / "alibaba" / "describe-vpn-connection-single.json").read_text())
DUAL = json.loads((FIXTURES / "alibaba" / "describe-vpn-connection-dual.json").read_text())

# Fixture connections a writer refuses, with the Alibaba field it names (every other one must generate).
REFUSED = {
    # a tunnel interface negotiates 0.0.0.0/0; Alibaba takes IKEv1 selectors only when exact
    **{(name, v, "route"): "LocalSubnet" for v in VENDORS
       for name in ("aliyun-cli-describe-vpn-connection-single.json", "create-vpn-connection-request.json",
                    "describe-vpn-connection-single.json", "ikev1-map.asa.json", "ikev1-map.json")},
    ("describe-vpn-connections-page.json", "cisco-ios", "route"): "LocalSubnet",
    ("describe-vpn-connections-page.json", "cisco-asa", "route"): ("LocalSubnet", "LocalId"),
    ("terraform-show-alicloud_vpn_connection.json", "cisco-ios", "route"): "local_subnet",
    ("terraform-show-alicloud_vpn_connection.json", "cisco-asa", "route"): "local_subnet",
    # DownloadVpnConnectionConfig is written from the customer gateway's side: Alibaba's subnet is its RemoteSubnet
    ("download-vpn-connection-config.json", "cisco-ios", "route"): "VpnConnectionConfig.RemoteSubnet",
    ("download-vpn-connection-config.json", "cisco-asa", "route"): "VpnConnectionConfig.RemoteSubnet",
    # the ASA has no SHA-2 under IKEv1, and names LAN-to-LAN peers by address (no FQDN LocalId)
    ("ikev1-map.json", "cisco-asa", "policy"): "IkeAuthAlg",
    ("ikev1-map.json", "cisco-asa", "route"): "IkeAuthAlg",
    ("ikev2-map.json", "cisco-asa", "policy"): "LocalId",
    ("ikev2-map.json", "cisco-asa", "route"): "LocalId",
    ("describe-vpn-connections-page.json", "cisco-asa", "policy"): "LocalId",
    # a CreateVpnConnection request with BGP but no PeerAsn: the device's ASN is not in the input
    **{("create-vpn-connection-request-dual.json", v, s): "PeerAsn" for v in VENDORS for s in STYLES},
}


def connections(path) -> list[list]:
    """The tunnels of each connection in the file (`generate` writes one connection per run)."""
    groups: dict[str, list] = {}
    for t in alibaba.load(str(path)):
        groups.setdefault(t.connection_key, []).append(t)
    return list(groups.values())


def round_trip(tunnels: list, vendor: str, style: str, tmp_name: str = "generated.cfg"):
    """(generated text, findings of check(tunnels, parse(text)))."""
    text = generate(tunnels, vendor, style)
    device = parse_device(text, tmp_name)
    return text, [f for r in check(tunnels, device) for f in r.findings]


def errors(findings) -> list[str]:
    return [f"{f.code}: {f.message}" for f in findings if f.severity == "error" and f.code != "PskMismatch"]


def load_dict(tmp_path, data: dict, name: str = "connection.json") -> list:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return alibaba.load(str(path))


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("path", CONNECTION_FILES, ids=lambda p: p.name)
def test_fixture_round_trip(path, vendor, style):
    refused = REFUSED.get((path.name, vendor, style), ())
    seen = []
    for tunnels in connections(path):
        try:
            text, findings = round_trip(tunnels, vendor, style)
        except GenerateRefused as exc:
            seen.append(exc)
            continue
        assert detect_vendor(text) == vendor
        assert errors(findings) == []
    assert [str(e) for e in seen if not e.field.endswith(refused)] == []
    assert bool(seen) == bool(refused)


@pytest.mark.parametrize("vendor", VENDORS)
def test_placeholder_written_and_real_key_absent(vendor):
    raw = (FIXTURES / "alibaba" / "describe-vpn-connection-dual.json").read_text()
    keys = [o["TunnelIkeConfig"]["Psk"] for o in json.loads(raw)["TunnelOptionsSpecification"]["TunnelOptions"]]
    text = generate(alibaba.load(str(FIXTURES / "alibaba" / "describe-vpn-connection-dual.json")), vendor, "route")
    leaked = any(k in text for k in keys)
    assert not leaked, "a pre-shared key of the input is in the generated configuration"
    assert text.count(PSK_PLACEHOLDER) >= 2


@pytest.mark.parametrize("vendor", VENDORS)
def test_sm4_refused_naming_the_field(tmp_path, vendor):
    data = copy.deepcopy(BASE)
    data["IpsecConfig"]["IpsecEncAlg"] = "sm4"
    with pytest.raises(GenerateRefused) as exc:
        generate(load_dict(tmp_path, data), vendor, "policy")
    assert exc.value.field == "IpsecConfig.IpsecEncAlg" and exc.value.value == "sm4"
    assert "sm4" in str(exc.value)


def test_dual_tunnel_refusal_names_its_tunnel(tmp_path):
    data = copy.deepcopy(DUAL)
    data["TunnelOptionsSpecification"]["TunnelOptions"][1]["TunnelIkeConfig"]["IkeAuthAlg"] = "sm3"
    with pytest.raises(GenerateRefused) as exc:
        generate(load_dict(tmp_path, data), "cisco-ios", "route")
    assert exc.value.field == "TunnelOptionsSpecification.TunnelOptions[1].TunnelIkeConfig.IkeAuthAlg"


def test_asa_ikev1_sha256_refused(tmp_path):
    data = copy.deepcopy(BASE)
    data["IpsecConfig"]["IpsecAuthAlg"] = "sha256"
    with pytest.raises(GenerateRefused) as exc:
        generate(load_dict(tmp_path, data), "cisco-asa", "policy")
    assert exc.value.field == "IpsecConfig.IpsecAuthAlg" and exc.value.value == "sha256"


def _variant(**changes) -> dict:
    """BASE with IkeConfig / IpsecConfig / top-level keys changed (None removes a key)."""
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        where = data["IkeConfig"] if key.startswith("Ike") or key.endswith("Id") else \
            data["IpsecConfig"] if key.startswith("Ipsec") else data
        if value is None:
            where.pop(key, None)
        else:
            where[key] = value
    return data


VARIANTS = {
    "ikev2-fqdn-ids": _variant(IkeVersion="ikev2", LocalId="vpn.aliyun.example.com", RemoteId="branch.example.net"),
    "ikev1-aggressive-fqdn": _variant(IkeMode="aggressive", LocalId="vpn.aliyun.example.com",
                                      RemoteId="branch.example.net"),
    "pfs-off-dpd-off-natt-off": _variant(IpsecPfs="disabled", EnableDpd=False, EnableNatTraversal=False),
    "strong-ikev2": _variant(IkeVersion="ikev2", IkeEncAlg="aes256", IkeAuthAlg="sha512", IkePfs="group14",
                             IpsecEncAlg="aes192", IpsecAuthAlg="sha384", IpsecPfs="group5", IkeLifetime=28800,
                             IpsecLifetime=1800),
    "3des-md5-group1": _variant(IkeEncAlg="3des", IkeAuthAlg="md5", IkePfs="group1", IpsecEncAlg="des",
                                IpsecAuthAlg="md5", IpsecPfs="group1"),
    "several-cidrs-ikev2": _variant(IkeVersion="ikev2", LocalSubnet="172.16.10.0/24,172.16.11.0/24",
                                    RemoteSubnet="10.20.0.0/16,10.30.0.5/32"),
    "behind-nat": _variant(RemoteId="192.168.1.20"),
    "ikev2-aggressive": _variant(IkeVersion="ikev2", IkeMode="aggressive"),
}


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("name", VARIANTS)
def test_variant_round_trip(tmp_path, name, vendor, style):
    data = VARIANTS[name]
    tunnels = load_dict(tmp_path, data)
    try:
        text, findings = round_trip(tunnels, vendor, style)
    except GenerateRefused as exc:  # only what the platforms lack (see the refusal tests) may stop it
        assert (vendor, name) in {("cisco-asa", "ikev1-aggressive-fqdn"), ("cisco-asa", "ikev2-fqdn-ids")} or \
            (style == "route" and data["IkeConfig"]["IkeVersion"] == "ikev1"), exc
        return
    assert detect_vendor(text) == vendor
    assert errors(findings) == []


def test_ios_ikev1_aggressive_fqdn_written(tmp_path):
    text = generate(load_dict(tmp_path, VARIANTS["ikev1-aggressive-fqdn"]), "cisco-ios", "policy")
    assert " initiate mode aggressive" in text
    assert " match identity host vpn.aliyun.example.com" in text
    assert "hostname branch\nip domain name example.net" in text and " self-identity fqdn" in text


def test_ios_off_switches_written(tmp_path):
    text = generate(load_dict(tmp_path, VARIANTS["pfs-off-dpd-off-natt-off"]), "cisco-ios", "policy")
    assert "set pfs" not in text and "keepalive" not in text
    assert "no crypto ipsec nat-transparency udp-encapsulation" in text


def test_asa_off_switches_written(tmp_path):
    text = generate(load_dict(tmp_path, VARIANTS["pfs-off-dpd-off-natt-off"]), "cisco-asa", "policy")
    assert "set pfs" not in text and " isakmp keepalive disable" in text
    assert "crypto map MAP-ALIYUN-1 10 set nat-t-disable" in text


def test_ios_lifetime_outside_range_clamped_and_said(tmp_path):
    tunnels = load_dict(tmp_path, _variant(IpsecLifetime=60))
    text, findings = round_trip(tunnels, "cisco-ios", "policy")
    assert " set security-association lifetime seconds 120" in text
    assert "IPsec lifetime 60 s is outside the platform's range 120-86400 s" in text
    assert {f.code for f in findings if f.severity == "warning"} >= {"LifetimeMismatch"}


def test_dual_tunnel_two_customer_gateways_two_wan_interfaces(tmp_path):
    data = json.loads((FIXTURES / "alibaba" / "create-vpn-connection-request-dual.json").read_text())
    for option in data["TunnelOptionsSpecification"]:
        option["TunnelBgpConfig"]["PeerAsn"] = 65020  # the device's ASN (refused without it)
    tunnels = load_dict(tmp_path, data)
    for vendor in VENDORS:
        text, findings = round_trip(tunnels, vendor, "route")
        assert "203.0.113.40" in text and "203.0.113.41" in text
        assert errors(findings) == []
        assert not [f for f in findings if f.code == "PeerMismatch"]


def test_unknown_gateway_address_is_a_placeholder_and_said(tmp_path):
    text = generate(alibaba.load(str(FIXTURES / "pairs" / "ikev2-map.json")), "cisco-ios", "policy")
    assert " set peer REPLACE-WITH-ALIBABA-GATEWAY-IP" in text
    assert "! review: the Alibaba gateway address of tunnel 1 is not in the input" in text


def test_asa_fqdn_identity_is_hostname_dot_domain_name():
    """`crypto isakmp identity hostname` presents hostname.domain-name (the ASA writer relies on it)."""
    text = ("hostname branch\ndomain-name example.net\ncrypto isakmp identity hostname\n"
            "interface GigabitEthernet0/0\n nameif outside\n security-level 0\n ip address 203.0.113.25 255.255.255.0\n"
            "crypto ikev2 policy 10\n encryption aes-256\n integrity sha256\n group 14\n prf sha256\n"
            "crypto ikev2 enable outside\ncrypto ipsec ikev2 ipsec-proposal P\n protocol esp encryption aes-256\n"
            " protocol esp integrity sha-256\naccess-list A extended permit ip 10.20.0.0 255.255.0.0 "
            "172.16.10.0 255.255.255.0\ncrypto map M 10 match address A\ncrypto map M 10 set peer 198.51.100.10\n"
            "crypto map M 10 set ikev2 ipsec-proposal P\ncrypto map M interface outside\n"
            "tunnel-group 198.51.100.10 type ipsec-l2l\n")
    ep = parse_device(text, "asa.cfg", "cisco-asa").endpoints[0]
    assert str(ep.ike.local_id) == "fqdn:branch.example.net"


def test_asa_presents_fqdn_remote_id(tmp_path):
    tunnels = load_dict(tmp_path, _variant(IkeVersion="ikev2", RemoteId="branch.example.net"))
    text, findings = round_trip(tunnels, "cisco-asa", "policy")
    assert "hostname branch\ndomain-name example.net\ncrypto isakmp identity hostname" in text
    assert errors(findings) == []


def _dual(**ike_changes_per_tunnel) -> dict:
    """DUAL with each tunnel's TunnelIkeConfig changed: t1={...}, t2={...}."""
    data = copy.deepcopy(DUAL)
    options = data["TunnelOptionsSpecification"]["TunnelOptions"]
    for i, key in enumerate(("t1", "t2")):
        options[i]["TunnelIkeConfig"].update(ike_changes_per_tunnel.get(key, {}))
    return data


def test_ios_aggressive_tunnels_in_two_dh_groups_refused(tmp_path):
    aggressive = {"IkeVersion": "ikev1", "IkeMode": "aggressive"}
    data = _dual(t1={**aggressive, "IkePfs": "group14"}, t2={**aggressive, "IkePfs": "group5"})
    with pytest.raises(GenerateRefused) as exc:
        generate(load_dict(tmp_path, data), "cisco-ios", "route")
    assert exc.value.field.endswith("TunnelOptions[1].TunnelIkeConfig.IkePfs") and exc.value.value == "group5"


def test_ios_aggressive_tunnel_policy_offered_first(tmp_path):
    """A main-mode tunnel's isakmp policy must not come before the aggressive one's (its KE group is the first's)."""
    data = _dual(t1={"IkeVersion": "ikev1", "IkePfs": "group14"},
                 t2={"IkeVersion": "ikev1", "IkeMode": "aggressive", "IkePfs": "group5"})
    text, findings = round_trip(load_dict(tmp_path, data), "cisco-ios", "route")
    assert text.index(" group 5") < text.index(" group 14")
    assert errors(findings) == []


def test_ios_ikev1_tunnels_presenting_two_fqdns_refused(tmp_path):
    v1 = {"IkeVersion": "ikev1", "IkeMode": "aggressive"}
    data = _dual(t1={**v1, "RemoteId": "a.example.net"}, t2={**v1, "RemoteId": "b.example.net"})
    with pytest.raises(GenerateRefused) as exc:
        generate(load_dict(tmp_path, data), "cisco-ios", "route")
    assert exc.value.field.endswith("TunnelOptions[1].TunnelIkeConfig.RemoteId")


def test_asa_fqdn_without_domain_refused(tmp_path):
    with pytest.raises(GenerateRefused) as exc:
        generate(load_dict(tmp_path, _variant(IkeVersion="ikev2", RemoteId="branch")), "cisco-asa", "policy")
    assert exc.value.field == "IkeConfig.RemoteId" and "default.domain.invalid" in exc.value.why
