"""`check CONNECTION DEVICE` pairs each tunnel of the file with the device endpoint whose peer is the tunnel's
IP (docs/architecture.md, "Pairing"); a page of several connections is never compared wholesale with the
device's only tunnel."""
import json

import pytest

from typer.testing import CliRunner

from analyzer.checker import check
from analyzer.cli import app
from conftest import FIXTURES
from parsers import alibaba
from parsers.registry import parse_device

PAGE = FIXTURES / "alibaba" / "describe-vpn-connections-page.json"
PAIRS = FIXTURES / "pairs"
runner = CliRunner()


def _device(path):
    return parse_device(path.read_text(), str(path))


def test_a_page_none_of_whose_connections_peers_with_the_device_says_so_once_per_tunnel():
    # today: every tunnel compared with the device's only crypto map - 41 errors, no peer matches
    results = check(alibaba.load(PAGE), _device(PAIRS / "ikev1-map.cfg"))
    assert len(results) == 4
    for r in results:
        assert r.endpoint is None
        (f,) = r.findings
        assert f.code == "UnpairedAlibabaTunnel" and f.severity == "error"
        assert "no connection of" in f.message and "pairs with" in f.message
    by_conn = {r.connection_name: r.findings[0].message for r in results}
    assert "the device's tunnels peer with 198.51.100.60" in by_conn["dc-shanghai-ikev1"]
    assert "give --vpn-gateway" in by_conn["branch-guangzhou-ikev2-multicidr"]  # FQDN ids, no gateway IP


def test_the_cli_exits_1_with_four_findings_not_41():
    r = runner.invoke(app, ["check", str(PAGE), str(PAIRS / "ikev1-map.cfg"), "--format", "json"])
    report = json.loads(r.stdout)
    assert r.exit_code == 1
    assert sum(len(p["findings"]) for p in report["pairs"]) == 4


def test_a_page_pairs_each_tunnel_with_its_own_endpoint(tmp_path):
    page = json.loads(PAGE.read_text())
    conns = page["VpnConnections"]["VpnConnection"]
    mine = json.loads((PAIRS / "ikev1-map.json").read_text())
    conns.insert(1, mine)  # the device's own connection, in the middle of the page
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page))
    results = check(alibaba.load(path), _device(PAIRS / "ikev1-map.cfg"))
    paired = [r for r in results if r.endpoint]
    assert [(r.connection, r.endpoint) for r in paired] == [(mine["VpnConnectionId"], "crypto map CMAP-WAN 10")]
    assert [f for f in paired[0].findings if f.severity == "error"] == []
    for r in results:
        if r.endpoint is None:  # another connection of the page: said once, as info
            assert [(f.code, f.severity) for f in r.findings] == [("PeerMismatch", "info")]


def test_a_single_connection_still_gets_a_genuine_peer_mismatch(tmp_path):
    conn = json.loads((PAIRS / "ikev1-map.json").read_text())
    conn["IkeConfig"]["LocalId"] = "198.51.100.61"
    path = tmp_path / "c.json"
    path.write_text(json.dumps(conn))
    (r,) = check(alibaba.load(path), _device(PAIRS / "ikev1-map.cfg"))
    assert r.endpoint == "crypto map CMAP-WAN 10"  # the device's only tunnel, compared
    assert any(f.code == "PeerMismatch" and f.severity == "error" and "198.51.100.61" in f.message
               for f in r.findings)
    assert not any(f.code == "UnpairedAlibabaTunnel" for f in r.findings)


def test_check_with_a_json_that_is_no_connection_is_an_input_error(tmp_path):
    path = tmp_path / "package.json"
    path.write_text('{"name": "net-configs", "version": "1.0.0"}')
    r = runner.invoke(app, ["check", str(path), str(PAIRS / "ikev1-map.cfg")])
    assert r.exit_code == 2
    assert f"{path}: no IPsec connection found: no connection fields" in r.stderr


REPO = FIXTURES / "repo"
REPO_PAGE = REPO / "alibaba" / "describe-vpn-connections.json"
SH_BRANCH = REPO / "configs" / "shanghai" / "sh-branch-ar01.cfg"


def test_connections_sharing_a_gateway_pair_with_the_device_as_audit_pairs_them():
    # today: the Shanghai router's only tunnel was paired with every connection of the shared gateway: 9 errors
    r = runner.invoke(app, ["check", str(REPO_PAGE), str(SH_BRANCH), "--format", "json"])
    pairs = json.loads(r.stdout)["pairs"]
    paired = [(p["connection_name"], p["endpoint"]) for p in pairs if p["endpoint"]]
    assert paired == [("sh-branch", "ipsec policy ALIYUN-MAP 10")]
    others = [f for p in pairs if not p["endpoint"] for f in p["findings"]]
    assert others and {(f["code"], f["severity"]) for f in others} == {("PeerMismatch", "info")}
    assert r.exit_code == 0


def _truncated_page(tmp_path, drop="vco-audit0sh0br0001"):
    page = json.loads(REPO_PAGE.read_text())
    page["VpnConnections"]["VpnConnection"] = [c for c in page["VpnConnections"]["VpnConnection"]
                                               if c["VpnConnectionId"] != drop]
    path = tmp_path / "page1.json"
    path.write_text(json.dumps(page))  # TotalCount stays 5, 4 listed: one page of a paginated export
    return path


def test_a_truncated_page_is_said_and_its_nearest_connection_is_not_forced_on_the_device(tmp_path):
    # today: 4 errors (PskMismatch...) against hz-dc's connection, the nearest by flows, without a word
    path = _truncated_page(tmp_path)
    r = runner.invoke(app, ["check", str(path), str(SH_BRANCH), "--format", "json"])
    assert f"note: {path}: page 1 of 1: 4 of 5 connections; pairing may pick a wrong connection" in r.stderr
    pairs = json.loads(r.stdout)["pairs"]
    assert [p for p in pairs if p["endpoint"]] == []
    codes = {f["code"] for p in pairs for f in p["findings"]}
    assert codes == {"UnpairedAlibabaTunnel"}  # never PskMismatch / PeerIdMismatch against another site
    assert "may be on another page" in pairs[0]["findings"][0]["message"]


def test_a_truncated_page_still_pairs_the_device_whose_customer_gateway_is_listed(tmp_path):
    path = _truncated_page(tmp_path, drop="vco-audit0gz0old001")
    r = runner.invoke(app, ["check", str(path), str(SH_BRANCH), "--format", "json"])
    assert "4 of 5 connections" in r.stderr
    assert [p["connection_name"] for p in json.loads(r.stdout)["pairs"] if p["endpoint"]] == ["sh-branch"]


@pytest.mark.parametrize("option,name,said", [
    ("--vpn-gateway", "cgw.json", "not a VPN gateway description (InternetIp): it is a customer gateway"),
    ("--vpn-gateway", "ikev1-map.json", "not a VPN gateway description (InternetIp): it is an IPsec connection"),
    ("--customer-gateway", "vpngw.json", "not a customer gateway description (IpAddress)"),
    ("--customer-gateway", "cgw.json",  # a customer gateway, of another connection
     "customer gateway cgw-bp1pairs0gzbranch00001 is not the customer gateway of any connection of the input"),
])
def test_a_wrong_gateway_file_is_an_input_error_naming_it(option, name, said):
    # today: exit 0, "no findings", and the note still said "pass --vpn-gateway VPNGW.json"
    r = runner.invoke(app, ["check", str(PAIRS / "ikev1-map.json"), str(PAIRS / "ikev1-map.cfg"), option,
                            str(PAIRS / name)])
    assert r.exit_code == 2
    assert f"{PAIRS / name}: {said}" in r.stderr
    assert "no findings" not in r.stdout and "pass --vpn-gateway" not in r.stderr


def test_a_vpn_gateway_file_of_another_gateway_is_refused(tmp_path):
    other = json.loads((PAIRS / "vpngw.json").read_text()) | {"VpnGatewayId": "vpn-uf6another0gateway01"}
    path = tmp_path / "vpngw.json"
    path.write_text(json.dumps(other))
    r = runner.invoke(app, ["check", str(PAIRS / "ikev1-map.json"), str(PAIRS / "ikev1-map.cfg"),
                            "--vpn-gateway", str(path)])
    assert r.exit_code == 2 and "VPN gateway vpn-uf6another0gateway01 is not the VPN gateway of any" in r.stderr
    right = runner.invoke(app, ["check", str(PAIRS / "ikev1-map.json"), str(PAIRS / "ikev1-map.cfg"),
                                "--vpn-gateway", str(PAIRS / "vpngw.json")])
    assert right.exit_code == 1 and "pass --vpn-gateway" not in right.stderr


def test_two_json_files_are_said_to_be_both_json():
    r = runner.invoke(app, ["check", str(PAIRS / "ikev1-map.json"), str(PAIRS / "ikev1-map.json")])
    assert r.exit_code == 2 and "both files are JSON" in r.stderr and "--vendor" not in r.stderr
