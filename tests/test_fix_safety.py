"""A fix never takes the name of an object the device already defines, and `fix-plan` never lets two fixes
define one new object differently (review of the fixers, items 1-9).

fixtures/fix-safety/: ios-acl-on-interface.cfg has an ACL ALIBABA-VPN that only an interface access-group uses
(so the parser drops it from the model); asa-objects.cfg has network objects VPN-LOCAL (used by an ACL) and
VPN-REMOTE (used by nothing)."""
import json
import shutil

from typer.testing import CliRunner

from analyzer.cli import app
from conftest import FIXTURES, deep, load_pair
from parsers.cisco_asa.parser import parse as parse_asa
from parsers.cisco_ios.parser import parse as parse_ios

HERE = FIXTURES / "fix-safety"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def _write(path, conn):
    path.write_text(json.dumps(conn))
    return path


def _conn(tmp_path, pair="ikev1-map", name="connection.json", **changes):
    conn = deep(load_pair(pair)[0])
    for path, value in changes.items():
        section, _, key = path.replace("__", ".").partition(".")
        if key:
            conn[section][key] = value
        else:
            conn[section] = value
    return _write(tmp_path / name, conn)


def _fixes(tmp_path, device, conn):
    res = invoke("check", conn, device, "--format", "json")
    assert res.exit_code in (0, 1), res.output
    return [f for p in json.loads(res.stdout)["pairs"] for f in p["findings"] if f.get("fix")]


# ------------------------------------------------------------------------------ 1: names in use, parsed or not

def test_names_in_use_hold_acls_the_parser_drops():
    cfg = parse_ios((HERE / "ios-acl-on-interface.cfg").read_text(), "ios.cfg")
    assert "ALIBABA-VPN" not in cfg.acls  # nothing IPsec uses it: not parsed...
    assert {"ALIBABA-VPN", "VPN-ALIYUN", "TS-ALIYUN", "CMAP-WAN", "10"} <= cfg.names_in_use  # ...but known
    assert "names_in_use" not in cfg.model_dump()


def test_ios_selector_fix_does_not_take_the_name_of_an_interface_acl(tmp_path):
    conn = _conn(tmp_path, LocalSubnet="10.61.0.0/16")
    fix = next(f["fix"] for f in _fixes(tmp_path, HERE / "ios-acl-on-interface.cfg", conn)
               if f["code"] == "TrafficSelectorMismatch")
    assert fix["device"][0] == "ip access-list extended ALIBABA-VPN-2"
    assert " match address ALIBABA-VPN-2" in fix["device"]


def test_asa_names_in_use_hold_unreferenced_objects():
    cfg = parse_asa((HERE / "asa-objects.cfg").read_text(), "asa.cfg")
    assert {"VPN-LOCAL", "VPN-REMOTE", "OUTSIDE-IN", "TS-ALIYUN", "198.51.100.60"} <= cfg.names_in_use


# ------------------------------------------------------------------------------ 2: ASA NAT exemption objects

def test_asa_nat_exemption_creates_new_objects_never_redefines_existing_ones(tmp_path):
    conn = tmp_path / "c.json"
    shutil.copy(FIXTURES / "pairs" / "ikev1-map.asa.json", conn)
    fix = next(f["fix"] for f in _fixes(tmp_path, HERE / "asa-objects.cfg", conn) if f["code"] == "VpnTrafficNatted")
    objects = [line for line in fix["device"] if line.startswith("object network")]
    assert objects == ["object network VPN-LOCAL-2", "object network VPN-REMOTE-2"]
    assert fix["device"][-1].startswith("nat (inside,outside) 1 source static VPN-LOCAL-2 VPN-LOCAL-2 "
                                        "destination static VPN-REMOTE-2 VPN-REMOTE-2")


# ------------------------------------------------------------------------------ 5: fix-plan, one name per object

def _audit_plan(tmp_path, device):
    """Two connections on one device (the Alibaba side of each wants a different ESP proposal), audited, then
    merged by fix-plan."""
    (tmp_path / "ali").mkdir()
    (tmp_path / "dev").mkdir()
    shutil.copy(device, tmp_path / "dev" / device.name)
    _conn(tmp_path / "ali", name="a.json", IpsecConfig__IpsecAuthAlg="sha1")
    _conn(tmp_path / "ali", name="b.json", VpnConnectionId="vco-bp1branchb0000000001", Name="branch-b",
          CustomerGatewayId="cgw-b", VpnGatewayId="vpn-b", LocalSubnet="10.70.0.0/16",
          IkeConfig__Psk="Sh-B7kq2Lm9x", IkeConfig__LocalId="198.51.100.70",
          IpsecConfig__IpsecEncAlg="aes128", IpsecConfig__IpsecAuthAlg="md5")
    report = tmp_path / "r.json"
    res = invoke("audit", tmp_path / "ali", tmp_path / "dev", "--format", "json", "--output", report)
    assert res.exit_code in (0, 1), res.output
    return invoke("fix-plan", report)


def test_fix_plan_renames_a_new_transform_set_two_tunnels_both_named(tmp_path):
    res = _audit_plan(tmp_path, FIXTURES / "fixes" / "shared-ios.cfg")
    lines = res.stdout.splitlines()
    sets = [line for line in lines if line.startswith("crypto ipsec transform-set ")]
    assert len(sets) == 2 and len({s.split()[3] for s in sets}) == 2, res.stdout  # two names, never one redefined
    first, second = (s.split()[3] for s in sets)
    i10, i20 = lines.index("crypto map CMAP-WAN 10 ipsec-isakmp"), lines.index("crypto map CMAP-WAN 20 ipsec-isakmp")
    assert f" set transform-set {first}" in lines[i10 + 1:i10 + 3]
    assert f" set transform-set {second}" in lines[i20 + 1:i20 + 4]
    assert any(f"this one is named {second}; check the device defines no {second}" in line for line in lines)
    assert res.exit_code == 0
    assert "Sh-B7kq2Lm9x" not in res.stdout and "hzDC-7q" not in res.stdout


def test_fix_plan_renames_a_new_huawei_proposal_instead_of_a_conflict(tmp_path):
    res = _audit_plan(tmp_path, FIXTURES / "fixes" / "shared-huawei.cfg")
    proposals = [line for line in res.stdout.splitlines() if line.startswith("ipsec proposal ")]
    assert len(proposals) == len(set(proposals)) == 2, res.stdout
    assert "CONFLICT" not in res.stdout and res.exit_code == 0
