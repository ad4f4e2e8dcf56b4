"""Issue 18 item 15: when the tunnel's addresses could not be compared with the gateways' real IPs, the output
says so: a finding titled "Peer address cannot be verified" (never "Peer address mismatch") when the gateway
IP is missing, and a note naming the stand-in (LocalId / RemoteId) whenever one was used."""
import json

from typer.testing import CliRunner

from analyzer.cli import app
from conftest import FIXTURES, edit, load_pair

PAIRS = FIXTURES / "pairs"
VPNGW = json.loads((PAIRS / "vpngw.json").read_text())


def _unverified(results):
    found = [f for r in results for f in r.findings if f.code == "PeerAddressUnverified"]
    assert all(f.title == "Peer address cannot be verified" and f.severity == "info" for f in found)
    return found


def _check(*args):
    return CliRunner().invoke(app, ["check", *map(str, args)])


def test_gateway_ip_missing_is_unverified_not_a_mismatch(run):
    conn, cfg = load_pair("ikev2-map")  # single-tunnel API shape, LocalId is an FQDN: no gateway IP at all
    results = run(conn, cfg)
    assert not [f for r in results for f in r.findings if f.code == "PeerMismatch"]
    (f,) = _unverified(results)
    assert "gateway IP unknown" in f.message and "198.51.100.90" in f.message and "--vpn-gateway" in f.message
    assert f.device is not None and f.device.text.strip() == "set peer 198.51.100.90"


def test_known_gateway_ip_is_not_unverified(run):
    conn, cfg = load_pair("ikev2-map")
    assert _unverified(run(conn, cfg, vpngw=VPNGW)) == []


def test_localid_and_remoteid_stand_ins_are_said_when_the_addresses_agree():
    r = _check(PAIRS / "ikev1-map.json", PAIRS / "ikev1-map.cfg")
    assert r.exit_code == 0, r.output
    assert ("note: " in r.stderr and "gateway IP unknown; compared with LocalId 198.51.100.60 instead "
            "(IkeConfig.LocalId)" in r.stderr)
    assert "customer gateway IP unknown; compared with RemoteId 203.0.113.60 instead (IkeConfig.RemoteId)" in r.stderr


def test_a_missing_customer_gateway_ip_is_said():
    r = _check(PAIRS / "ikev2-map.json", PAIRS / "ikev2-map.cfg", "--vpn-gateway", PAIRS / "vpngw.json")
    assert r.exit_code == 0, r.output
    assert "customer gateway IP unknown (not in the input, and RemoteId is not an IP)" in r.stderr
    assert "LocalId" not in r.stderr  # the gateway IP came from --vpn-gateway


def test_dual_tunnel_notes_each_tunnels_remoteid():
    r = _check(PAIRS / "ikev2-dual.json", PAIRS / "ikev2-vti.cfg")
    assert r.stderr.count("compared with RemoteId 203.0.113.70 instead") == 2, r.stderr
    assert "LocalId" not in r.stderr  # the dual-tunnel shape carries each tunnel's InternetIp


def test_real_addresses_leave_no_note():
    r = _check(PAIRS / "ikev2-map.json", PAIRS / "ikev2-map.cfg", "--vpn-gateway", PAIRS / "vpngw.json",
               "--customer-gateway", PAIRS / "cgw.json")
    assert r.exit_code == 0 and "note:" not in r.stderr, r.output
    assert "PeerAddressUnverified" not in r.stdout


def test_localid_fallback_mismatch_is_an_error_naming_the_fallback(run):
    conn, cfg = load_pair("ikev1-map")
    results = run(conn, edit(cfg, ("set peer 198.51.100.60", "set peer 198.51.100.66")))
    (f,) = [f for r in results for f in r.findings if f.code == "PeerMismatch"]
    assert f.severity == "error" and "IkeConfig.LocalId" in f.message
    assert _unverified(results) == []
