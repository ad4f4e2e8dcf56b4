"""Every Alibaba JSON shape parses to the same normalized model."""
import json

import pytest

from conftest import FIXTURES
from parsers import alibaba
from parsers.common import InputError

A = FIXTURES / "alibaba"


def signature(t):
    e = t.endpoint
    ike, esp = e.ike.proposals[0], e.ipsec.proposals[0]
    return dict(
        gw=e.local_address, cgw=e.peer_address, version=e.ike.version, mode=e.ike.mode,
        ike=(ike.encryption, ike.integrity, ike.dh_groups, ike.lifetime_s),
        esp=(esp.encryption, esp.integrity, e.ipsec.pfs_group, e.ipsec.lifetime_s),
        ids=(str(e.ike.local_id), str(e.ike.remote_id)), psk=e.ike.psk.secret.get_secret_value(),
        selectors=sorted(str(s) for s in e.selectors), dpd=e.ike.dpd.enabled, natt=e.ike.nat_traversal,
        bgp=(e.bgp.tunnel_cidr, e.bgp.local_ip, e.bgp.local_asn) if e.bgp else None,
    )


def by_name(path, name):
    return [t for t in alibaba.load(A / path) if t.connection_name == name]


SINGLE = ["describe-vpn-connection-single.json", "describe-vpn-connections-page.json",
          "create-vpn-connection-request.json", "aliyun-cli-describe-vpn-connection-single.json",
          "terraform-show-alicloud_vpn_connection.json"]
DUAL = ["describe-vpn-connection-dual.json", "describe-vpn-connections-page.json",
        "create-vpn-connection-request-dual.json", "terraform-show-alicloud_vpn_connection.json"]


def test_single_tunnel_shapes_agree():
    sigs = [signature(t) for p in SINGLE for t in by_name(p, "dc-shanghai-ikev1")]
    assert len(sigs) == len(SINGLE)
    assert all(s == sigs[0] for s in sigs), sigs
    s = sigs[0]
    assert s["ike"] == (["aes128"], ["sha1"], [2], 86400) and s["esp"] == (["aes128"], ["sha1"], 2, 86400)
    assert s["selectors"] == ["172.16.10.0/24 <-> 10.20.0.0/16"] and s["gw"] == "198.51.100.10"


def test_download_config_is_swapped_back_to_the_alibaba_view():
    [t] = alibaba.load(A / "download-vpn-connection-config.json")
    [ref] = by_name("describe-vpn-connection-single.json", "dc-shanghai-ikev1")
    assert signature(t) == signature(ref)


def test_dual_tunnel_shapes_agree_per_tunnel():
    per_file = [[signature(t) for t in by_name(p, "dc-frankfurt-dual")] for p in DUAL]
    assert all(len(tunnels) == 2 for tunnels in per_file)
    # Terraform keeps enable_dpd at tunnel level too; bgp peer fields differ by shape (request has no PeerAsn)
    for tunnels in per_file[1:]:
        for a, b in zip(per_file[0], tunnels):
            assert {k: v for k, v in a.items() if k != "bgp"} == {k: v for k, v in b.items() if k != "bgp"}
    first, second = per_file[0]
    assert (first["gw"], second["gw"]) == ("198.51.100.21", "198.51.100.22")
    assert first["esp"] == (["aes256"], ["sha256"], 14, 3600)  # string lifetimes coerced
    assert first["bgp"] == ("169.254.20.0/30", "169.254.20.1", 65010)


def test_page_yields_every_connection_and_pfs_disabled():
    tunnels = alibaba.load(A / "describe-vpn-connections-page.json")
    assert [t.connection_name for t in tunnels] == ["dc-shanghai-ikev1", "branch-guangzhou-ikev2-multicidr",
                                                   "dc-frankfurt-dual", "dc-frankfurt-dual"]
    gz = tunnels[1].endpoint
    assert gz.ipsec.pfs_group is None and gz.ike.local_id.type == "fqdn" and len(gz.selectors) == 4


def test_terraform_customer_gateway_resource_gives_the_cgw_ip():
    [t] = by_name("terraform-show-alicloud_vpn_connection.json", "dc-shanghai-ikev1")
    assert t.endpoint.peer_address == "203.0.113.25" and "IpAddress" in t.customer_ip_origin


def test_absent_keys_take_api_defaults_and_are_marked(tmp_path):
    p = tmp_path / "c.json"
    p.write_text(json.dumps({"VpnConnectionId": "vco-x", "LocalSubnet": "10.0.0.0/8", "RemoteSubnet": "192.168.0.0/16",
                             "IkeConfig": {"Psk": "abcd1234", "LocalId": "198.51.100.1", "RemoteId": "203.0.113.1"}}))
    [t] = alibaba.load(p)
    ike = t.endpoint.ike
    assert (ike.version, ike.mode, ike.proposals[0].integrity, ike.proposals[0].dh_groups) == ("ikev1", "main", ["md5"], [2])
    assert ike.proposals[0].src["integrity"].defaulted and t.endpoint.ipsec.pfs_group == 2


@pytest.mark.parametrize("content,needle,line", [
    ('{"VpnConnectionId": "vco-x",\n "IkeConfig": {"IkeEncAlg": "aes"\n', "invalid JSON", 3),
    ('{"LocalSubnet": "10.0.0.0/8", "RemoteSubnet": "10.1.0.0/16", "IkeConfig": {"IkeEncAlg": "blowfish"}}',
     "IkeConfig.IkeEncAlg: unknown value 'blowfish'", None),
    ('{"LocalSubnet": "10.0.0.0/8", "RemoteSubnet": "x", "IkeConfig": {}}', "RemoteSubnet", None),
    ('{"LocalSubnet": "10.0.0.0/8", "RemoteSubnet": "10.1.0.0/16", "IpsecConfig": {"IpsecLifetime": "soon"}}',
     "IpsecConfig.IpsecLifetime: expected an integer", None),
    ('[1, 2]', "no IPsec connection found", None),
])
def test_bad_json_is_a_located_error(tmp_path, content, needle, line):
    p = tmp_path / "bad.json"
    p.write_text(content)
    with pytest.raises(InputError) as exc:
        alibaba.load(p)
    assert needle in str(exc.value) and str(p) in str(exc.value)
    assert exc.value.line == line


def test_diagnose_response_is_refused_with_a_reason():
    with pytest.raises(InputError, match="DiagnoseVpnConnections"):
        alibaba.load(A / "diagnose-vpn-connections-response.json")


_BAD_VALUES = [  # (dotted path in the dual-tunnel response, value, what the error says)
    ("TunnelOptionsSpecification.TunnelOptions.0.TunnelBgpConfig.LocalBgpIp", "169.254.20.1/30", "LocalBgpIp"),
    ("TunnelOptionsSpecification.TunnelOptions.0.TunnelBgpConfig.PeerBgpIp", "169.254.20", "PeerBgpIp"),
    ("TunnelOptionsSpecification.TunnelOptions.0.TunnelBgpConfig.TunnelCidr", "169.254.20.0/33", "TunnelCidr"),
    ("TunnelOptionsSpecification.TunnelOptions.0.TunnelBgpConfig.LocalAsn", "4510\u00b2", "LocalAsn"),
    ("TunnelOptionsSpecification.TunnelOptions.0.TunnelIkeConfig.IkeLifetime", "\u0668\u0666\u0664\u0660\u0660",
     "IkeLifetime"),
    ("TunnelOptionsSpecification.TunnelOptions.0.TunnelIkeConfig.IkeLifetime", 10 ** 4000, "IkeLifetime"),
    ("TunnelOptionsSpecification.TunnelOptions.0.TunnelIkeConfig.RemoteId", 10 ** 4000, "RemoteId"),
    ("TunnelOptionsSpecification.TunnelOptions.0.TunnelIpsecConfig.IpsecPfs", "group" + "9" * 5000, "IpsecPfs"),
    ("LocalSubnet", 10 ** 4000, "LocalSubnet"),
    ("Name", "hz-\ud800", "Name"),
]


@pytest.mark.parametrize("path,value,needle", _BAD_VALUES, ids=[f"{p.split('.')[-1]}-{i}" for i, (p, _, _)
                                                                   in enumerate(_BAD_VALUES)])
def test_a_bad_value_is_an_input_error_naming_file_and_field(tmp_path, path, value, needle):
    doc = json.loads((A / "describe-vpn-connection-dual.json").read_text())
    *parents, last = [int(k) if k.isdigit() else k for k in path.split(".")]
    node = doc
    for k in parents:
        node = node[k]
    node[last] = value
    f = tmp_path / "conn.json"
    f.write_text(json.dumps(doc))  # 4,001 digits: under Python's 4,300-digit limit, so json reads it as an int
    with pytest.raises(InputError) as exc:
        alibaba.load(f)
    assert str(exc.value).startswith(f"{f}: ") and needle in str(exc.value)
    assert len(str(exc.value)) < 400  # a huge value is cut in the message
    str(exc.value).encode("utf-8")  # and printable


def _sarif_report():
    return {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
            "runs": [{"tool": {"driver": {"name": "ipsec-preflight"}}, "results": []}]}


@pytest.mark.parametrize("doc,what", [
    ({"name": "net-configs", "version": "1.0.0", "scripts": {"lint": "pre-commit run"}}, "no connection fields"),
    ({}, "an empty JSON object"),
    ([], "an empty JSON list"),
    ([{"Name": "x"}], "no connection fields"),
    (_sarif_report(), "a SARIF report"),
    ({"tool": "ipsec-preflight", "version": "0.2.0", "pairs": [], "errors": []}, "an ipsec-preflight report"),
    ({"VpnGatewayId": "vpn-x", "InternetIp": "198.51.100.90", "Spec": "200"}, "a VPN gateway description"),
])
def test_json_without_connection_fields_is_not_a_connection(tmp_path, doc, what):
    # today any JSON object became a phantom connection built from API defaults (7-11 errors on any device)
    p = tmp_path / "x.json"
    p.write_text(json.dumps(doc))
    with pytest.raises(alibaba.NotAConnection) as exc:
        alibaba.load(p)
    assert exc.value.what.startswith(what) and str(p) in str(exc.value)
    assert not alibaba.has_connection(doc)


def test_a_page_entry_that_is_not_a_connection_is_an_error_and_the_rest_load(tmp_path):
    page = json.loads((A / "describe-vpn-connections-page.json").read_text())
    page["VpnConnections"]["VpnConnection"].insert(1, {"Tag": {"Tag": []}})
    p = tmp_path / "page.json"
    p.write_text(json.dumps(page))
    errors = []
    tunnels = alibaba.load(p, errors=errors)
    assert len(tunnels) == 4
    assert [e.message for e in errors] == ["VpnConnections.VpnConnection[1]: not a connection (none of IkeConfig, "
                                           "IpsecConfig, TunnelOptionsSpecification, LocalSubnet, RemoteSubnet)"]


def test_a_malformed_address_in_one_connection_spares_the_others_of_its_gateway(tmp_path):
    # the bad InternetIp used to be taken as the VPN gateway's address and then failed every connection on it
    page = json.loads((FIXTURES / "audit" / "alibaba" / "describe-vpn-connections.json").read_text())
    conns = page["VpnConnections"]["VpnConnection"]
    conns[0]["InternetIp"] = "198.51.100."
    p = tmp_path / "page.json"
    p.write_text(json.dumps(page))
    lookups = alibaba.Lookups()
    lookups.absorb(page, str(p))
    errors = []
    tunnels = alibaba.load(p, lookups, errors=errors)
    assert [e.message for e in errors] == ["VpnConnections.VpnConnection[0].InternetIp: '198.51.100.' is not an IPv4 "
                                           "address"]
    assert len(tunnels) == len(conns) - 1 and lookups.problems == []


def test_a_malformed_gateway_address_is_a_located_problem_not_a_value(tmp_path):
    gw = json.loads((FIXTURES / "pairs" / "vpngw.json").read_text())
    gw["InternetIp"] = "198.51.100"
    p = tmp_path / "vpngw.json"
    p.write_text(json.dumps(gw))
    lookups = alibaba.Lookups()
    with pytest.raises(InputError, match=r"VPN gateway vpn-bp1pairs0gateway00001 InternetIp: '198.51.100' is not"):
        lookups.add_vpn_gateway(str(p))
    assert lookups.vpngw_ips == {}  # never used as an address


EMPTY_PAGE = {"RequestId": "A1", "TotalCount": 0, "PageNumber": 1, "PageSize": 10,
              "VpnConnections": {"VpnConnection": []}}
API_ERROR = {"RequestId": "B2", "HostId": "vpc.cn-shanghai.aliyuncs.com", "Code": "Forbidden.RAM",
             "Message": "User not authorized to operate on the specified resource."}


@pytest.mark.parametrize("doc,said", [
    (EMPTY_PAGE, "an empty DescribeVpnConnections page (TotalCount 0)"),
    (API_ERROR, "an Alibaba Cloud API error response, not a connection export (Code 'Forbidden.RAM'"),
])
def test_a_document_meant_as_a_connection_export_is_an_input_error_not_a_skip(tmp_path, doc, said):
    path = tmp_path / "vpn.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError) as exc:
        alibaba.load(path)
    assert not isinstance(exc.value, alibaba.NotAConnection)  # NotAConnection is what a folder walk skips
    assert said in exc.value.message
    assert alibaba.meant_as_connection({"name": "net-configs", "private": True}) is None


def test_a_page_holding_fewer_connections_than_its_total_is_noted():
    page = json.loads((A / "describe-vpn-connections-page.json").read_text())
    listed = len(page["VpnConnections"]["VpnConnection"])
    assert alibaba.page_note(page) is None  # the fixture holds its whole TotalCount
    page.update(TotalCount=listed + 13, PageNumber=1, PageSize=listed)
    note = alibaba.page_note(page)
    assert note.startswith(f"page 1 of {-(-(listed + 13) // listed)}: {listed} of {listed + 13} connections; "
                           "pairing may pick a wrong connection")


@pytest.mark.parametrize("name,adder,said", [
    ("cgw.json", "add_vpn_gateway", "not a VPN gateway description (InternetIp): it is a customer gateway"),
    ("vpngw.json", "add_customer_gateway", "not a customer gateway description (IpAddress): it is a VPN gateway"),
    ("ikev1-map.json", "add_vpn_gateway", "not a VPN gateway description (InternetIp): it is an IPsec connection"),
])
def test_a_gateway_file_of_the_wrong_kind_is_an_input_error(name, adder, said):
    with pytest.raises(InputError) as exc:
        getattr(alibaba.Lookups(), adder)(str(FIXTURES / "pairs" / name))
    assert said in exc.value.message and name in exc.value.file
    assert alibaba.Lookups().add_vpn_gateway(str(FIXTURES / "pairs" / "vpngw.json")) == {"vpn-bp1pairs0gateway00001"}


def test_a_gateway_file_is_refused_only_when_the_connections_name_other_gateways():
    (t,) = alibaba.load(FIXTURES / "pairs" / "ikev1-map.json")
    assert "is not the VPN gateway of any connection" in alibaba.unrelated_gateway("vpn", {"vpn-other"}, [t])
    assert alibaba.unrelated_gateway("vpn", {t.vpn_gateway_id}, [t]) is None
    anonymous = t.model_copy(update={"vpn_gateway_id": None})  # DownloadVpnConnectionConfig names no gateway
    assert alibaba.unrelated_gateway("vpn", {"vpn-other"}, [anonymous]) is None
