"""`check CONNECTION DEVICE` pairs each tunnel of the file with the device endpoint whose peer is the tunnel's
IP (docs/architecture.md, "Pairing"); a page of several connections is never compared wholesale with the
device's only tunnel."""
import json

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
