"""Bulk audit: discovery, pairing (automatic, narrowed, ambiguous, unpaired, explicit), the cross-connection
rules, bad files that must not stop the audit, and the same result on one core or several."""
import json
import os
import shutil

import pytest

from analyzer.audit import Mapping, discover, load_mapping, run_audit, to_report
from conftest import FIXTURES

AUDIT = FIXTURES / "audit"


def _report(*paths, **kw):
    return to_report(run_audit([str(p) for p in paths], **kw), "test")


def _pairs(report):
    return {(os.path.basename(p.device), p.connection, p.endpoint) for p in report.pairs}


@pytest.fixture(scope="module")
def fixture_report():
    return _report(AUDIT)


def test_pairs_each_device_endpoint_with_its_tunnel(fixture_report):
    assert _pairs(fixture_report) == {
        ("hz-dc-edge01.cfg", "vco-audit0hz0dc0001", "crypto map CMAP-WAN 10"),
        ("hz-dc-edge01.cfg", "vco-audit0hz0dc0002", "crypto map CMAP-WAN 20"),
        ("sh-branch-ar01.cfg", "vco-audit0sh0br0001", "ipsec policy ALIYUN-MAP 10"),
        ("bj-dc-asa01.cfg", "vco-audit0bj0asa001", "crypto map outside_map 10 [ikev1]"),
        ("bj-dc-asa01.cfg", "vco-audit0bj0asa001", "crypto map outside_map 20 [ikev1]"),
        # behind NAT (192.168.1.2): three connections share gateway .60; the protected flows decide
        ("gz-nat-branch01.cfg", "vco-audit0gz0nat001", "crypto map CMAP-WAN 10"),
    }


def test_unpaired_on_both_sides_and_bad_files_listed(fixture_report):
    s = fixture_report.audit
    assert [t.connection for t in s.unpaired_tunnels] == ["vco-audit0gz0old001"]
    assert [(os.path.basename(e.device), e.peer) for e in s.unpaired_endpoints] == [("hz-dc-edge01.cfg", "192.0.2.200")]
    bad = {os.path.basename(e.file): e for e in fixture_report.errors}
    assert set(bad) == {"truncated-export.json", "change-notes.txt"}
    assert bad["truncated-export.json"].line  # located
    assert s.devices == 4 and s.alibaba_files == 3 and s.connections == 6 and s.tunnels == 7


def test_pair_findings_come_from_the_same_rules_as_check(fixture_report):
    test_vpc = next(p for p in fixture_report.pairs if p.connection == "vco-audit0hz0dc0002")
    assert {f.code for f in test_vpc.findings if f.severity != "info"} == {"AuthenticationAlgorithmMismatch",
                                                                          "DhGroupMismatch"}
    prod = next(p for p in fixture_report.pairs if p.connection == "vco-audit0hz0dc0001")
    assert [f for f in prod.findings if f.severity != "info"] == []


def _cross(report, code):
    return [f for f in report.audit.cross if f.code == code]


def test_customer_gateway_with_two_ike_configurations(fixture_report):
    (f,) = _cross(fixture_report, "CustomerGatewayInconsistent")
    assert f.severity == "error" and "authentication, DH group" in f.message
    assert f.related == ["vco-audit0hz0dc0001", "vco-audit0hz0dc0002"]


def test_overlapping_selectors_on_one_vpn_gateway(fixture_report):
    (f,) = _cross(fixture_report, "OverlappingSelectors")
    assert f.related == ["vco-audit0hz0dc0001", "vco-audit0sh0br0001"]
    assert "172.20.8.0/22" in f.message and "172.20.8.0/24" in f.message


def test_dual_tunnel_identical_flows_on_asa(fixture_report):
    (f,) = _cross(fixture_report, "DualTunnelAlternation")
    assert f.related == ["vco-audit0bj0asa001"] and "bj-dc-asa01.cfg" in f.message


def _copy_fixture(tmp_path):
    dst = tmp_path / "audit"
    shutil.copytree(AUDIT, dst)
    (dst / "alibaba" / "truncated-export.json").unlink()
    (dst / "devices" / "other" / "change-notes.txt").unlink()
    return dst


def _page(root):
    path = root / "alibaba" / "describe-vpn-connections.json"
    return path, json.loads(path.read_text())


def test_cross_rules_stay_quiet_when_connections_agree(tmp_path):
    root = _copy_fixture(tmp_path)
    path, page = _page(root)
    conns = page["VpnConnections"]["VpnConnection"]
    conns[1]["IkeConfig"].update(IkeAuthAlg="sha256", IkePfs="group14")  # same IKE config on the shared CGW
    conns[2]["LocalSubnet"] = "10.62.0.0/16"  # sh-branch gets its own VPC block: no overlap
    path.write_text(json.dumps(page))
    report = _report(root)
    assert report.errors == []
    assert {f.code for f in report.audit.cross if not f.code.startswith("Unpaired")} == {"DualTunnelAlternation"}
    # the same dual-tunnel connection towards a device family that holds both SAs (Huawei) is fine
    asa = root / "devices" / "other" / "bj-dc-asa01.cfg"
    asa.unlink()
    assert _cross(_report(root), "DualTunnelAlternation") == []


def test_ambiguous_peer_is_reported_not_guessed(tmp_path):
    root = _copy_fixture(tmp_path)
    gz = root / "devices" / "other" / "gz-nat-branch01.cfg"
    # LAN 172.20.8.0/24 fits both the hz-dc (/22) and the sh-branch (/24) connections on gateway .60
    gz.write_text(gz.read_text().replace("192.168.20.0 0.0.0.255", "172.20.8.0 0.0.0.255"))
    report = _report(root)
    (amb,) = report.audit.ambiguous
    assert amb.candidates == ["vco-audit0hz0dc0001/-", "vco-audit0sh0br0001/-"]
    assert not any(p.device.endswith("gz-nat-branch01.cfg") and p.alibaba_file for p in report.pairs)
    (f,) = [f for f in report.audit.cross if f.code == "UnpairedDeviceTunnel"
            and f.device.file.endswith("gz-nat-branch01.cfg")]
    assert "fits several Alibaba tunnels" in f.message and "pairing file" in f.message and f.device.line


def test_pairing_file_overrides(tmp_path):
    root = _copy_fixture(tmp_path)
    gz = root / "devices" / "other" / "gz-nat-branch01.cfg"
    gz.write_text(gz.read_text().replace("192.168.20.0 0.0.0.255", "172.20.8.0 0.0.0.255"))
    pairing = tmp_path / "pairing.toml"
    pairing.write_text('[[pair]]\ndevice = "audit/devices/other/gz-nat-*.cfg"\nconnection = "gz-branch-behind-nat"\n')
    report = _report(root, mapping=load_mapping(str(pairing)))
    assert report.audit.ambiguous == []
    gz_pairs = [p for p in report.pairs if p.device.endswith("gz-nat-branch01.cfg")]
    assert [(p.connection, p.endpoint) for p in gz_pairs] == [("vco-audit0gz0nat001", "crypto map CMAP-WAN 10")]
    # the selectors now disagree with that connection, and the check says so
    assert "TrafficSelectorMismatch" in {f.code for f in gz_pairs[0].findings}


def test_pairing_file_errors_are_located(tmp_path):
    from parsers.common import InputError
    bad = tmp_path / "p.toml"
    bad.write_text('[[pair]]\ndevice = "x.cfg"\n')
    with pytest.raises(InputError, match="needs string keys"):
        load_mapping(str(bad))
    assert Mapping([("*.cfg", "c")], str(tmp_path)).connection_for(str(tmp_path / "a.cfg")) == "c"


def test_parallel_equals_serial(tmp_path):
    root = _copy_fixture(tmp_path)
    many = root / "devices" / "many"
    many.mkdir()
    src = (root / "devices" / "other" / "sh-branch-ar01.cfg").read_text()
    for i in range(40):  # enough files for the worker pool
        (many / f"ar{i:02d}.cfg").write_text(src.replace("sh-branch-ar01", f"sh-branch-ar{i:02d}"))
    serial = _report(root, jobs=1).model_dump_json()
    parallel = _report(root, jobs=2).model_dump_json()
    assert serial == parallel
    assert json.loads(parallel)["audit"]["devices"] == 44


def test_device_only_folder_is_linted(tmp_path):
    report = _report(AUDIT / "devices")
    assert report.audit.mode == "lint" and report.audit.pairs == 0
    assert all(p.alibaba_file is None for p in report.pairs)
    assert len(report.pairs) == 4


def test_unreadable_file_is_reported(tmp_path, monkeypatch):
    root = _copy_fixture(tmp_path)
    locked = root / "devices" / "other" / "bj-dc-asa01.cfg"
    if os.geteuid() == 0:  # root reads any file: make the OS refuse it the way it refuses a normal user
        import builtins
        import pathlib

        import analyzer.audit
        real_open, real_read = builtins.open, pathlib.Path.read_bytes

        def deny_open(path, *a, **kw):
            if str(path) == str(locked):
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *a, **kw)

        monkeypatch.setattr(analyzer.audit, "open", deny_open, raising=False)
        def deny_read(self):
            if str(self) == str(locked):
                raise PermissionError(13, "Permission denied", str(self))
            return real_read(self)

        monkeypatch.setattr(pathlib.Path, "read_bytes", deny_read)
    else:
        locked.chmod(0)
    try:
        report = _report(root, jobs=1)
    finally:
        locked.chmod(0o644)
    assert any(e.file.endswith("bj-dc-asa01.cfg") and "Permission denied" in e.message for e in report.errors)
    assert report.audit.devices == 3


def test_hostile_folder_completes(tmp_path):
    root = _copy_fixture(tmp_path)
    weird = root / "devices" / "weird"
    weird.mkdir()
    (weird / "empty.cfg").write_text("")
    (weird / "looks-like-a-file.cfg").mkdir()  # a folder named like a config
    (weird / "loop").symlink_to(weird)  # symlink loop
    (weird / "dangling.cfg").symlink_to(weird / "gone.cfg")
    (weird / "binary.cfg").write_bytes(b"\x00\x01\x02" * 100)
    os.mkfifo(weird / "pipe.cfg")  # reading it would block forever
    files, problems = discover([str(root)])
    assert any("loop" in p.message for p in problems)
    assert any("broken symbolic link" in p.message for p in problems)
    assert any(p.file.endswith("pipe.cfg") and "not a regular file" in p.message for p in problems)
    report = _report(root)
    msgs = {os.path.basename(e.file): e.message for e in report.errors}
    assert "binary" in msgs["binary.cfg"] and "empty.cfg" in msgs
    assert report.audit.devices == 4  # the real configs were all checked


def test_one_malformed_address_costs_only_its_connection(tmp_path):
    # the bad InternetIp was also taken as the VPN gateway's address, failing the gateway's other connections
    root = _copy_fixture(tmp_path)
    path, page = _page(root)
    page["VpnConnections"]["VpnConnection"][0]["InternetIp"] = "198.51.100."
    path.write_text(json.dumps(page))
    (root / "alibaba" / "vpn-gateway.json").write_text(json.dumps(
        {"VpnGatewayId": "vpn-audit0gw0old0001", "InternetIp": "198.51.100.9O", "Status": "active"}))
    report = _report(root)
    assert sorted((os.path.basename(e.file), e.message) for e in report.errors) == [
        ("describe-vpn-connections.json", "VpnConnections.VpnConnection[0].InternetIp: '198.51.100.' is not an IPv4 "
                                          "address"),
        ("vpn-gateway.json", "VPN gateway vpn-audit0gw0old0001 InternetIp: '198.51.100.9O' is not an IPv4 address; "
                             "the gateway's address stays unknown")]
    assert report.audit.connections == 5
    assert {p.connection for p in report.pairs if p.alibaba_file} == {
        "vco-audit0hz0dc0002", "vco-audit0sh0br0001", "vco-audit0bj0asa001", "vco-audit0gz0nat001"}


def test_many_unpaired_tunnels_of_one_file_are_one_bounded_finding(tmp_path):
    base = json.loads((FIXTURES / "pairs" / "ikev1-map.json").read_text())
    conns = [base]
    for i in range(15):  # a region's page: connections of other sites, no device of this audit peers with them
        c = json.loads(json.dumps(base))
        c["VpnConnectionId"], c["Name"] = f"vco-other{i:04d}", f"site-{i:02d}"
        c["IkeConfig"]["LocalId"] = f"198.51.100.{150 + i}"
        conns.append(c)
    (tmp_path / "page.json").write_text(json.dumps({"VpnConnections": {"VpnConnection": conns}}))
    shutil.copy(FIXTURES / "pairs" / "ikev1-map.cfg", tmp_path / "hz.cfg")
    report = _report(tmp_path)
    (f,) = _cross(report, "UnpairedAlibabaTunnel")
    assert f.severity == "warning" and f.message.startswith(f"15 tunnels of {tmp_path / 'page.json'} are not checked")
    assert "vco-other0000 (site-00)" in f.message and "... and 5 more" in f.message
    assert len(report.audit.unpaired_tunnels) == 15  # the summary still lists each one


def test_a_finding_about_the_alibaba_input_alone_names_that_file_not_the_device():
    # e.g. KnownAfterApply on a plan field the JSON cannot place: the grep-able line must not name the device config
    from analyzer.findings import AlibabaRef, Finding
    from analyzer.reporters.audit_text import finding_line

    f = Finding(code="KnownAfterApply", alibaba_code=None, severity="info", title="t", message="cannot verify",
                alibaba=AlibabaRef(file="plan.json", field="ipsec_config[0].ipsec_pfs"))
    assert finding_line(f, "configs/edge.cfg", "").startswith("plan.json: info KnownAfterApply")
