"""A fix never takes the name of an object the device already defines, and `fix-plan` never lets two fixes
define one new object differently (review of the fixers, items 1-9).

fixtures/fix-safety/: ios-acl-on-interface.cfg has an ACL ALIBABA-VPN that only an interface access-group uses
(so the parser drops it from the model); asa-objects.cfg has network objects VPN-LOCAL (used by an ACL) and
VPN-REMOTE (used by nothing)."""
import json
import shutil

from typer.testing import CliRunner

from analyzer.cli import app
from conftest import FIXTURES, deep, edit, load_pair
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


# ------------------------------------------------------------------------------ 3: IOS IKEv2 profile name

_V2_BRANCH = """crypto ikev2 keyring KR-BRANCH
 peer BRANCH-B
  address 198.51.100.70
  pre-shared-key Sh-B7kq2Lm9x
 !
!
crypto ikev2 profile ALIBABA
 match identity remote address 198.51.100.70 255.255.255.255
 authentication remote pre-share
 authentication local pre-share
 keyring local KR-BRANCH
!
crypto ipsec transform-set TS-ALIYUN esp-aes 256 esp-sha256-hmac
 mode tunnel
!
crypto map CMAP-WAN 20 ipsec-isakmp
 description branch-b
 set peer 198.51.100.70
 set transform-set TS-ALIYUN
 set ikev2-profile ALIBABA
 match address VPN-ALIYUN
!
"""


def test_ios_ikev2_version_fix_adds_its_own_profile_never_an_existing_one(tmp_path):
    cfg = tmp_path / "ios.cfg"
    cfg.write_text(edit(load_pair("ikev1-map")[1], ("crypto ipsec transform-set TS-ALIYUN esp-aes 256 esp-sha256-hmac\n"
                                                    " mode tunnel\n!\n", _V2_BRANCH)))
    fix = next(f["fix"] for f in _fixes(tmp_path, cfg, _conn(tmp_path, IkeConfig__IkeVersion="ikev2"))
               if f["code"] == "IkeVersionMismatch")
    assert fix["device"][0] == "crypto ikev2 profile ALIBABA-2"
    assert fix["device"][-2:] == ["crypto map CMAP-WAN 10 ipsec-isakmp", " set ikev2-profile ALIBABA-2"]
    assert not any("<KEYRING>" in line or "keyring" in line for line in fix["device"])  # the key is inline


# ------------------------------------------------------------------------------ 4: VTI profile of two tunnels

def _vti_shared(tmp_path):
    """ikev2-vti.cfg with one `crypto ipsec profile` protecting both tunnel interfaces."""
    text = load_pair("ikev2-dual")[1]
    for t in ("T1", "T2"):
        text = text.replace(f"tunnel protection ipsec profile IPSEC-ALIYUN-{t}", "tunnel protection ipsec profile IPSEC-ALIYUN-T1")
    cfg = tmp_path / "vti.cfg"
    cfg.write_text(text)
    return cfg


def _dual(tmp_path, tunnel=0, **ipsec):
    conn = deep(load_pair("ikev2-dual")[0])
    conn["TunnelOptionsSpecification"]["TunnelOptions"][tunnel]["TunnelIpsecConfig"].update(ipsec)
    return _write(tmp_path / "dual.json", conn)


def test_ios_shared_vti_profile_is_copied_for_the_one_tunnel_that_differs(tmp_path):
    found = _fixes(tmp_path, _vti_shared(tmp_path), _dual(tmp_path, IpsecPfs="group5"))
    pfs = [f["fix"]["device"] for f in found if f["code"] == "PfsMismatch"]
    assert len(pfs) == 1, pfs
    lines = pfs[0]
    assert lines[0] == "crypto ipsec profile ALIBABA-VTI"
    assert " set pfs group5" in lines and " set pfs group14" not in lines
    assert {" set transform-set TS-ALIYUN", " set ikev2-profile IKEV2-ALIYUN-T1"} <= set(lines)  # the rest copied
    assert lines[-2:] == ["interface Tunnel31", " tunnel protection ipsec profile ALIBABA-VTI"]
    assert "crypto ipsec profile IPSEC-ALIYUN-T1" not in lines


def test_ios_vti_profile_of_one_tunnel_is_changed_in_place(tmp_path):
    found = _fixes(tmp_path, FIXTURES / "pairs" / "ikev2-vti.cfg", _dual(tmp_path, IpsecPfs="group5"))
    assert [f["fix"]["device"] for f in found if f["code"] == "PfsMismatch"] == [
        ["crypto ipsec profile IPSEC-ALIYUN-T1", " set pfs group5"]]


# ------------------------------------------------------------------------------ 6: IOS IKEv2 names from the model

def test_dual_tunnel_psk_fixes_name_each_tunnels_profile(tmp_path):
    conn = deep(load_pair("ikev2-dual")[0])
    for t in conn["TunnelOptionsSpecification"]["TunnelOptions"]:
        t["TunnelIkeConfig"]["Psk"] = "wrong-" + t["TunnelId"]
        t["TunnelIkeConfig"]["IkeLifetime"] = "28800"
    report = tmp_path / "r.json"
    res = invoke("check", _write(tmp_path / "dual.json", conn), FIXTURES / "pairs" / "ikev2-vti.cfg",
                 "--format", "json", "--output", report)
    assert res.exit_code == 1, res.output
    plan = invoke("fix-plan", report).stdout
    lines = plan.splitlines()
    for t in ("T1", "T2"):
        i = lines.index(f"crypto ikev2 profile IKEV2-ALIYUN-{t}")
        assert lines[i + 1:i + 4] == [" authentication local pre-share key <the Psk value of the Alibaba connection>",
                                      " authentication remote pre-share key <the Psk value of the Alibaba connection>",
                                      " lifetime 28800"], plan
    assert "<PROFILE>" not in plan and "<KEYRING>" not in plan
    assert "wrong-" not in plan and "fra-T1#" not in plan


# ------------------------------------------------------------------------------ 7: per-tunnel Alibaba fields

def test_dual_tunnel_alternative_names_the_tunnels_own_field(tmp_path):
    found = _fixes(tmp_path, FIXTURES / "pairs" / "ikev2-vti.cfg", _dual(tmp_path, 1, IpsecPfs="group5"))
    fix = next(f["fix"] for f in found if f["code"] == "PfsMismatch")
    assert fix["alibaba"] == {"TunnelOptionsSpecification.TunnelOptions[1].TunnelIpsecConfig.IpsecPfs": "group14"}


def test_single_tunnel_alternative_keeps_the_connection_field(tmp_path):
    found = _fixes(tmp_path, FIXTURES / "pairs" / "ikev1-map.cfg", _conn(tmp_path, IpsecConfig__IpsecPfs="group5"))
    assert next(f["fix"] for f in found if f["code"] == "PfsMismatch")["alibaba"] == {"IpsecConfig.IpsecPfs": "group14"}


# ------------------------------------------------------------------------------ 8: ASA FQDN identity, mode

def test_asa_fqdn_identity_fix_sets_the_name_the_asa_presents(tmp_path):
    conn = tmp_path / "c.json"
    data = json.loads((FIXTURES / "pairs" / "ikev1-map.asa.json").read_text())
    data["IkeConfig"].update(IkeMode="aggressive", RemoteId="branch.example.com")
    found = _fixes(tmp_path, FIXTURES / "pairs" / "ikev1-map.asa.cfg", _write(conn, data))
    ident = next(f["fix"] for f in found if f["code"] == "PeerIdMismatch" and "presents" in f["message"])
    assert ident["device"] == ["hostname branch", "domain-name example.com", "crypto isakmp identity hostname"]
    assert "hostname.domain-name" in ident["note"] and "global" in ident["note"]
    for f in found:  # Alibaba is already in aggressive mode: no fix asks for it
        assert f["fix"]["alibaba"].get("IkeConfig.IkeMode") != "aggressive", f


# ------------------------------------------------------------------------------ 9: IOS numbered NAT ACL

def test_ios_numbered_nat_acl_gets_sequenced_deny_lines_before_its_permit(tmp_path):
    cfg = tmp_path / "ios.cfg"
    cfg.write_text(edit(load_pair("ikev1-map")[1],
                        ("ip nat inside source list NAT-OUT", "ip nat inside source list 110"),
                        ("ip access-list extended NAT-OUT\n deny   ip 172.20.8.0 0.0.3.255 10.60.0.0 0.0.255.255\n"
                         " permit ip 172.20.8.0 0.0.3.255 any\n", ""),
                        ("!\nend", "access-list 110 permit ip 172.20.8.0 0.0.3.255 any\n!\nend")))
    fix = next(f["fix"] for f in _fixes(tmp_path, cfg, _conn(tmp_path)) if f["code"] == "VpnTrafficNatted")
    assert fix["device"] == ["ip access-list extended 110", " 1 deny ip 172.20.8.0 0.0.3.255 10.60.0.0 0.0.255.255"]
    assert fix["note"] is None


def test_fix_plan_renumbers_a_second_new_isakmp_policy_and_only_its_number():
    from analyzer.fix_plan import DevicePlan, render

    plan = DevicePlan("r.cfg", "huawei-vrp")
    for label, enc in (("AlgorithmMismatch [vco-a]", "aes-256"), ("AlgorithmMismatch [vco-b]", "aes-128")):
        plan.add(label, ["ike proposal 10", f" encryption-algorithm {enc}", " sa duration 10",
                         "ike peer ALIYUN-" + label[-2], " ike-proposal 10"])
    lines = render(plan)
    i = lines.index("ike proposal 11")
    assert lines[i + 1:i + 3] == [" encryption-algorithm aes-128", " sa duration 10"]
    assert lines[lines.index("ike peer ALIYUN-b") + 1] == " ike-proposal 11"
    assert lines[lines.index("ike peer ALIYUN-a") + 1] == " ike-proposal 10"
    assert not plan.conflicts


def test_fix_plan_gives_a_second_acl_line_a_free_sequence_number():
    from analyzer.fix_plan import DevicePlan

    plan = DevicePlan("r.cfg", "cisco-ios")
    plan.add("VpnTrafficNatted [vco-a]", ["ip access-list extended 110", " 1 deny ip 172.20.8.0 0.0.3.255 10.60.0.0 0.0.255.255"])
    plan.add("VpnTrafficNatted [vco-b]", ["ip access-list extended 110", " 1 deny ip 172.20.8.0 0.0.3.255 10.70.0.0 0.0.255.255"])
    plan.check_conflicts()
    assert plan.blocks["ip access-list extended 110"].lines == [" 1 deny ip 172.20.8.0 0.0.3.255 10.60.0.0 0.0.255.255",
                                                               " 2 deny ip 172.20.8.0 0.0.3.255 10.70.0.0 0.0.255.255"]
    assert not plan.conflicts


def test_fix_plan_reports_two_vrp_rules_of_one_number_as_a_conflict():
    from analyzer.fix_plan import DevicePlan

    plan = DevicePlan("r.cfg", "huawei-vrp")
    plan.add("VpnTrafficNatted [vco-a]", ["acl number 3000", " rule 0 deny ip destination 10.60.0.0 0.0.255.255"])
    plan.add("VpnTrafficNatted [vco-b]", ["acl number 3000", " rule 0 deny ip destination 10.70.0.0 0.0.255.255"])
    plan.check_conflicts()
    assert len(plan.conflicts) == 1 and plan.conflicts[0].startswith("acl number 3000: 'rule 0 deny")


def test_huawei_selector_fix_does_not_take_the_number_of_an_acl_the_parser_drops(run):
    """acl 3999 filters packets on an interface (no IPsec or NAT line names it, so the parser drops it): a fix
    that defined `acl number 3999` would rewrite that filter."""
    cfg = (FIXTURES / "pairs" / "ikev1-map.huawei.cfg").read_text().replace(
        "acl number 3000", "acl number 3999\n rule 5 permit tcp destination-port eq 22\n#\nacl number 3000", 1)
    cfg = cfg.replace("rule 5 permit ip source 172.20.8.0 0.0.3.255", "rule 5 permit ip source 172.20.9.0 0.0.0.255", 1)
    conn = json.loads((FIXTURES / "pairs" / "ikev1-map.json").read_text())
    fixes = [f.fix for r in run(conn, cfg) for f in r.findings if f.code == "TrafficSelectorMismatch" and f.fix]
    lines = [line for fx in fixes for line in fx.device]
    assert any(line.startswith("acl number ") for line in lines), lines
    assert "acl number 3999" not in lines


def test_fix_plan_refuses_json_that_is_not_its_report_and_repeats_input_errors(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    sarif = invoke("check", FIXTURES / "example" / "connection.json", FIXTURES / "example" / "branch-router.cfg",
                   "--format", "sarif")
    (tmp_path / "r.sarif").write_text(sarif.stdout)
    for name in ("package.json", "r.sarif"):
        res = invoke("fix-plan", tmp_path / name)
        assert res.exit_code == 2 and "not a JSON report of ipsec-preflight" in res.output
    report = json.loads(invoke("check", FIXTURES / "example" / "connection.json",
                               FIXTURES / "example" / "branch-router.cfg", "--format", "json").stdout)
    report["errors"] = [{"file": "configs/other.cfg", "line": 3, "message": "cannot read"}]
    (tmp_path / "r.json").write_text(json.dumps(report))
    res = invoke("fix-plan", tmp_path / "r.json")
    assert res.exit_code == 2 and "plan is partial" in res.output and "configs/other.cfg:3" in res.output
