"""Fixes an engineer can apply (issue 18 items 17-19, issue 11 item 12): the device block holds pasteable
commands only, the Alibaba-side alternative stands apart, a fix never rewrites an object other tunnels use,
and `fix-plan` merges a JSON report into one patch per device file.

fixtures/fixes/shared-*.cfg: one device per vendor family whose IKE proposal/policy 10 and transform set are
used by three peers (198.51.100.60/.70/.80); the tunnel to .60 is the one paired with fixtures/pairs/ikev1-map.json."""
import json
import re

from typer.testing import CliRunner

from analyzer.cli import app
from conftest import FIXTURES, deep, load_pair

SHARED = FIXTURES / "fixes"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def _conn(tmp_path, **changes):
    """The ikev1-map connection with Alibaba-side values changed ("IkeConfig.IkeAuthAlg": "sha1", ...)."""
    conn = deep(load_pair("ikev1-map")[0])
    for path, value in changes.items():
        section, key = path.split(".")
        conn[section][key] = value
    p = tmp_path / "connection.json"
    p.write_text(json.dumps(conn))
    return p


def _findings(tmp_path, device, **changes):
    res = invoke("check", _conn(tmp_path, **{k.replace("__", "."): v for k, v in changes.items()}), device,
                 "--format", "json")
    assert res.exit_code in (0, 1), res.output
    return {f["code"]: f for p in json.loads(res.stdout)["pairs"] for f in p["findings"]}


# --------------------------------------------------------------------------------------------- JSON shape

def test_json_fix_is_device_commands_and_alibaba_fields_apart(tmp_path):
    f = _findings(tmp_path, SHARED / "shared-ios.cfg", IkeConfig__IkeAuthAlg="sha1")["AuthenticationAlgorithmMismatch"]
    assert f["fix"] == {"device": ["crypto isakmp policy 20", " encryption aes 256", " hash sha",
                                   " authentication pre-share", " group 14", " lifetime 86400"],
                        "alibaba": {"IkeConfig.IkeAuthAlg": "sha256"}, "alibaba_required": False, "note": None}


def test_text_prints_the_alibaba_alternative_on_its_own_labelled_line(tmp_path):
    res = invoke("check", _conn(tmp_path, **{"IpsecConfig.IpsecPfs": "group5"}), SHARED / "shared-huawei.cfg")
    lines = res.stdout.splitlines()
    i = lines.index("            Fix:     ipsec policy ALIYUN-MAP 10 isakmp")
    assert lines[i + 1:i + 3] == ["                      pfs dh-group5",
                                  "            Or on Alibaba: IpsecConfig.IpsecPfs = group14"]


def test_no_message_or_fix_cites_an_internal_source_label(tmp_path):
    """Labels like "(S6)" or "FAQ 9" point at documents that are not shipped."""
    found = _findings(tmp_path, SHARED / "shared-ios.cfg", IkeConfig__IkeAuthAlg="sha1", IpsecConfig__IpsecPfs="group5")
    for f in found.values():
        text = " ".join([f["message"], json.dumps(f["fix"])])
        assert not re.search(r"\(S\d+\)|\bFAQ \d+", text), f["code"]


# ------------------------------------------------------------------- item 17: shared objects are never rewritten

def test_ios_shared_isakmp_policy_and_transform_set_get_new_numbers(tmp_path):
    found = _findings(tmp_path, SHARED / "shared-ios.cfg", IkeConfig__IkeAuthAlg="sha1", IpsecConfig__IpsecAuthAlg="sha1")
    ike = found["AuthenticationAlgorithmMismatch"]["fix"]["device"]
    assert ike[0] == "crypto isakmp policy 20" and "crypto isakmp policy 10" not in ike
    esp = found["AlgorithmMismatch"]["fix"]["device"]
    # TS-SHARED is used by three entries and ALIBABA already exists: a third name, set on entry 10 only
    assert esp == ["crypto ipsec transform-set ALIBABA-2 esp-aes 256 esp-sha-hmac", " mode tunnel",
                   "crypto map CMAP-WAN 10 ipsec-isakmp", " set transform-set ALIBABA-2"]


def test_huawei_ike_proposal_shared_by_three_peers_is_copied_not_changed(tmp_path):
    found = _findings(tmp_path, SHARED / "shared-huawei.cfg", IkeConfig__IkeAuthAlg="sha1", IkeConfig__IkeLifetime=28800)
    new = ["ike proposal 20", " encryption-algorithm aes-256", " authentication-algorithm sha1", " dh group14",
           " authentication-method pre-share", " sa duration 28800", "ike peer ALIYUN-A", " ike-proposal 20"]
    assert found["AuthenticationAlgorithmMismatch"]["fix"]["device"] == new
    # the lifetime fix would otherwise set `sa duration` in proposal 10, changing peers B and C: the same new one
    assert found["LifetimeMismatch"]["fix"]["device"] == new


def test_huawei_unshared_ike_proposal_is_changed_in_place(tmp_path):
    found = _findings(tmp_path, FIXTURES / "pairs" / "ikev1-map.huawei.cfg", IkeConfig__IkeLifetime=28800)
    assert found["LifetimeMismatch"]["fix"]["device"] == ["ike proposal 10", " sa duration 28800"]


def test_h3c_pfs_on_a_shared_transform_set_moves_this_policy_to_a_new_set(tmp_path):
    found = _findings(tmp_path, SHARED / "shared-h3c.cfg", IpsecConfig__IpsecPfs="group5")
    fix = found["PfsMismatch"]["fix"]["device"]
    assert fix == ["ipsec transform-set ALIBABA", " protocol esp", " encapsulation-mode tunnel",
                   " esp encryption-algorithm aes-cbc-256", " esp authentication-algorithm sha256", " pfs dh-group5",
                   "ipsec policy ALIYUN-MAP 10 isakmp", " transform-set ALIBABA"]
    assert not any(line.startswith("ipsec transform-set TS-SHARED") for line in fix)


def test_h3c_new_transform_set_keeps_the_pfs_alibaba_uses(tmp_path):
    """Comware sets PFS in the transform set: an ESP fix's new set without `pfs` would turn PFS off."""
    found = _findings(tmp_path, SHARED / "shared-h3c.cfg", IpsecConfig__IpsecAuthAlg="sha1")
    assert " pfs dh-group14" in found["AlgorithmMismatch"]["fix"]["device"]


# ------------------------------------------------------------------ issue 11 item 12: H3C fixes are commands

def test_h3c_traffic_lifetime_fix_sets_the_maximum_never_undo(tmp_path):
    f = _findings(tmp_path, SHARED / "shared-h3c.cfg")["TrafficBasedLifetime"]
    assert f["fix"]["device"] == ["ipsec policy ALIYUN-MAP 10 isakmp", " sa duration traffic-based 4294967295"]
    assert "cannot disable" in f["fix"]["note"]


# Comware 7 views and the commands used in them (H3C MSR Comware 7 Security Command Reference).
_H3C_VIEWS = {"ike proposal": ("encryption-algorithm", "authentication-algorithm", "dh", "sa duration"),
              "ikev2 proposal": ("encryption", "integrity", "dh"), "ikev2 policy": ("proposal",),
              "ike profile": ("proposal", "local-identity", "match remote identity", "exchange-mode", "dpd interval",
                              "undo dpd interval"),
              "undo ike dpd interval": (),
              "ipsec transform-set": ("protocol", "encapsulation-mode", "esp encryption-algorithm",
                                      "esp authentication-algorithm", "pfs", "undo pfs"),
              "ipsec policy": ("transform-set", "sa duration", "security acl", "remote-address", "ike-profile",
                               "ikev2-profile"),
              "ike keychain": ("pre-shared-key address",), "acl advanced": ("rule",), "interface": ("mtu", "tcp mss")}


def _h3c_fixes(path=SHARED / "shared-h3c.cfg"):
    from analyzer.model import Identity, SelectorPair
    from parsers.registry import parse_device

    dev = parse_device(path.read_text(), path.name)
    ep = dev.endpoints[0]
    fx = __import__("parsers.h3c_comware.fixes", fromlist=["Fixer"]).Fixer()
    pairs = [SelectorPair(local="172.20.8.0/22", remote="10.60.0.0/16")]
    return [fx.ike_proposal(ep, "aes128", "sha256", 14, 86400, device=dev), fx.ipsec_proposal(ep, "aes256", "sha1", device=dev),
            fx.pfs(ep, 14, device=dev), fx.pfs(ep, None, device=dev), fx.ipsec_lifetime(ep, 3600),
            fx.ike_lifetime(ep, 28800, device=dev), fx.no_volume_lifetime(ep), fx.psk(ep),
            fx.local_id(ep, Identity(type="ip", value="203.0.113.60")), fx.remote_id(ep, Identity(type="fqdn", value="a.example")),
            fx.mode(ep, "main"), fx.dpd(ep, True), fx.dpd(ep, False), fx.selectors(ep, pairs, device=dev),
            fx.mtu(ep, 1399, 1359), fx.nat_exempt(ep, "3001", pairs, device=dev), fx.peer(ep, "198.51.100.60"),
            fx.esp_tunnel(ep)]


def test_every_h3c_fix_line_is_a_comware_command_in_its_view():
    for fix in _h3c_fixes():
        view = None
        assert fix.device, fix
        for line in fix.device:
            if not line.startswith(" "):
                view = next((v for v in _H3C_VIEWS if line.startswith(v + " ") or line == v), None)
                assert view, f"not a Comware view command: {line!r}"
            else:
                assert line.strip().startswith(_H3C_VIEWS[view]), f"{line!r} is not a command of the {view} view"
            assert "(" not in line and ";" not in line, f"prose in the command block: {line!r}"


# Comware 5 views (R2511-HP MSR Security Configuration Guide V5; HP A6600 Comware 5 IPsec; `acl number`).
_CMW5_VIEWS = {"ike proposal": ("encryption-algorithm", "authentication-algorithm", "dh", "sa duration"),
               "ike peer": ("proposal", "pre-shared-key simple", "id-type", "local-name", "remote-name",
                            "exchange-mode", "dpd", "undo dpd", "remote-address"),
               "ike dpd": ("interval-time", "time-out"),
               "ipsec proposal": ("transform esp", "encapsulation-mode", "esp encryption-algorithm",
                                  "esp authentication-algorithm"),
               "ipsec policy": ("proposal", "pfs", "undo pfs", "sa duration", "security acl"),
               "acl number": ("rule",), "interface": ("mtu", "tcp mss")}


def test_every_comware5_fix_line_is_a_comware5_command_in_its_view():
    """A Comware 5 export (` version 5.20`, `ike peer`) gets Comware 5 commands, not Comware 7 ones."""
    fixes = _h3c_fixes(FIXTURES / "h3c" / "cmw5-ikev1-policy.cfg")
    for fix in fixes:
        view = None
        for line in fix.device:
            if not line.startswith(" "):
                view = next((v for v in _CMW5_VIEWS if line.startswith(v + " ")), None)
                assert view, f"not a Comware 5 view command: {line!r}"
            else:
                assert line.strip().startswith(_CMW5_VIEWS[view]), f"{line!r} is not a command of the {view} view"
    text = "\n".join(line for fix in fixes for line in fix.device)
    for cmw7 in ("acl advanced", "transform-set", "local-identity", "match remote identity", "ike keychain",
                 "aes-cbc-", "protocol esp", "ike profile"):
        assert cmw7 not in text, cmw7
    assert " encryption-algorithm aes-cbc 128" in text and " esp encryption-algorithm aes 256" in text


def test_comware5_pfs_is_set_in_the_policy(tmp_path):
    """Comware 5 keeps PFS in the IPsec policy (was: a Comware 7 transform set with `pfs`)."""
    conn = json.loads((FIXTURES / "h3c" / "cmw5-ikev1-policy.json").read_text())
    conn["IpsecConfig"]["IpsecPfs"] = "group2"
    p = tmp_path / "c5.json"
    p.write_text(json.dumps(conn))
    res = invoke("check", p, FIXTURES / "h3c" / "cmw5-ikev1-policy.cfg", "--format", "json")
    found = {x["code"]: x for pr in json.loads(res.stdout)["pairs"] for x in pr["findings"]}
    assert found["PfsMismatch"]["fix"]["device"] == ["ipsec policy ALIYUN-MAP 10 isakmp", " pfs dh-group2"]


def test_comware7_ikev2_psk_and_lifetime_fixes_use_the_ikev2_views():
    from parsers.registry import parse_device

    fx = __import__("parsers.h3c_comware.fixes", fromlist=["Fixer"]).Fixer()
    dev = parse_device((FIXTURES / "h3c" / "cmw7-ikev2-route.cfg").read_text(), "v2.cfg")
    ep = dev.endpoints[0]
    psk = fx.psk(ep)
    assert psk.device[0].startswith("ikev2 keychain ") and "  pre-shared-key plaintext" in "\n".join(psk.device)
    assert not any("key simple" in line for line in psk.device)  # was the IKEv1 `ike keychain` form
    life = fx.ike_lifetime(ep, 28800, device=dev)
    assert life.device == ["ikev2 profile V2-ALIYUN", " sa duration 28800"]  # was a proposal with no duration


def test_comware7_dpd_off_fix_names_the_global_dpd_it_falls_back_to():
    """H3C `dpd`: "If DPD is not configured in IKE profile view, the DPD settings in system view apply"; the undo
    form is `undo dpd interval`."""
    from parsers.registry import parse_device

    fx = __import__("parsers.h3c_comware.fixes", fromlist=["Fixer"]).Fixer()
    cfg = (SHARED / "shared-h3c.cfg").read_text()
    ep = parse_device(cfg, "x.cfg").endpoints[0]
    fix = fx.dpd(ep, False)
    assert fix.device == ["undo ike dpd interval"] and "every profile" in fix.note  # was ` undo dpd` in the profile
    own = cfg.replace("ike dpd interval 10 retry 3 on-demand\n", "")
    own = own.replace(" keychain ", " dpd interval 10 retry 3 on-demand\n keychain ", 1)
    ep = parse_device(own, "x.cfg").endpoints[0]
    assert fx.dpd(ep, False).device[1:] == [" undo dpd interval"]


# -------------------------------------------------------------------------------------------- item 19: fix-plan

def test_fix_plan_merges_one_patch_per_device_file_in_a_safe_order(tmp_path):
    conn = _conn(tmp_path, **{"IkeConfig.IkeAuthAlg": "sha1", "IpsecConfig.IpsecAuthAlg": "sha1",
                              "IpsecConfig.IpsecPfs": "group5", "IkeConfig.IkeLifetime": 28800})
    reports = []
    for name in ("shared-ios.cfg", "shared-h3c.cfg"):
        res = invoke("check", conn, SHARED / name, "--format", "json")
        reports.append(tmp_path / f"{name}.json")
        reports[-1].write_text(res.stdout)
    res = invoke("fix-plan", *reports)
    assert res.exit_code == 0, res.output
    ios, h3c = res.stdout.split("\n\n")[:2]
    assert ios.splitlines() == [
        f"! ipsec-preflight fix plan for {SHARED / 'shared-ios.cfg'} (cisco-ios)",
        "! note (PfsMismatch [vco-bp1pairs0ikev1map0001]): IOS-XE 17.11+ refuses pfs group5 by default (Cisco Field "
        "Notice FN72510): it needs `crypto engine compliance shield disable` and a reload; prefer a strong value on "
        "both sides",
        "! fixes AlgorithmMismatch [vco-bp1pairs0ikev1map0001]",
        "crypto ipsec transform-set ALIBABA-2 esp-aes 256 esp-sha-hmac", " mode tunnel",
        "! fixes AuthenticationAlgorithmMismatch [vco-bp1pairs0ikev1map0001], LifetimeMismatch [vco-bp1pairs0ikev1map0001]",
        "crypto isakmp policy 20", " encryption aes 256", " hash sha", " authentication pre-share", " group 14",
        " lifetime 28800",
        "! fixes AlgorithmMismatch [vco-bp1pairs0ikev1map0001], PfsMismatch [vco-bp1pairs0ikev1map0001]",
        "crypto map CMAP-WAN 10 ipsec-isakmp", " set transform-set ALIBABA-2", " set pfs group5"]
    h3c = h3c.splitlines()
    assert h3c[0].startswith("# ipsec-preflight fix plan for") and all(
        line.startswith(("#", " ")) or not line.startswith("!") for line in h3c)
    # the transform set two fixes need is defined once, before the policy that points at it
    assert h3c.count("ipsec transform-set ALIBABA") == 1 and h3c.count("ipsec policy ALIYUN-MAP 10 isakmp") == 1
    assert h3c.index("ipsec transform-set ALIBABA") < h3c.index("ipsec policy ALIYUN-MAP 10 isakmp")


def test_fix_plan_names_conflicting_fixes_and_exits_1(tmp_path):
    from analyzer.findings import Finding, PairResult, Report

    def finding(code, device):
        return Finding(code=code, alibaba_code=None, severity="error", title=code, message="m", fix={"device": device})

    report = Report(version="t", pairs=[PairResult(
        connection="vco-x", tunnel=None, alibaba_file="c.json", device="edge.cfg", vendor="cisco-ios", endpoint="e",
        findings=[finding("A", ["crypto map M 10 ipsec-isakmp", " set transform-set X"]),
                  finding("B", ["crypto map M 10 ipsec-isakmp", " set transform-set Y"])])])
    path = tmp_path / "r.json"
    path.write_text(report.model_dump_json())
    res = invoke("fix-plan", path)
    assert res.exit_code == 1
    assert "! CONFLICT, keep one of: crypto map M 10 ipsec-isakmp: 'set transform-set X' and 'set transform-set Y'" \
        in res.stdout.splitlines()


def test_fix_plan_lists_findings_without_commands_and_rejects_a_non_report(tmp_path):
    from analyzer.findings import Finding, PairResult, Report

    only_alibaba = Finding(code="PeerIdMismatch", alibaba_code=None, severity="error", title="t", message="m",
                           fix={"alibaba": {"IkeConfig.RemoteId": "203.0.113.60"}})
    report = Report(version="t", pairs=[PairResult(connection="vco-x", tunnel="t1", alibaba_file="c.json",
                                                   device="hz.cfg", vendor="huawei-vrp", endpoint="e",
                                                   findings=[only_alibaba])])
    good, bad = tmp_path / "r.json", tmp_path / "package.json"
    good.write_text(report.model_dump_json())
    bad.write_text('{"name": "x", "pairs": "not a list"}')
    res = invoke("fix-plan", bad, good)
    assert res.exit_code == 2 and "not a JSON report of ipsec-preflight" in res.stderr
    assert res.stdout.splitlines() == [
        "# ipsec-preflight fix plan for hz.cfg (huawei-vrp)", "# no device command to apply",
        "# no device command: PeerIdMismatch [vco-x/t1]: on Alibaba IkeConfig.RemoteId = 203.0.113.60"]


def test_fix_plan_output_dir_writes_one_file_per_device(tmp_path):
    res = invoke("check", _conn(tmp_path, **{"IpsecConfig.IpsecPfs": "group5"}), SHARED / "shared-huawei.cfg",
                 "--format", "json")
    (tmp_path / "r.json").write_text(res.stdout)
    out = tmp_path / "plans"
    assert invoke("fix-plan", tmp_path / "r.json", "--output-dir", out).exit_code == 0
    (written,) = out.iterdir()
    assert written.name.endswith("fixtures__fixes__shared-huawei.cfg.fix")
    assert "ipsec policy ALIYUN-MAP 10 isakmp\n pfs dh-group5\n" in written.read_text()


def test_nat_exemption_on_vrp_and_comware_never_reuses_a_rule_number(tmp_path):
    """`rule 5 deny ...` on an ACL that has a rule 5 replaces it: the deny rules take free numbers before the
    first permit (rule 10 here), so the existing exemption (rule 5) stays."""
    from conftest import edit

    for name in ("ikev1-map.h3c.cfg", "ikev1-map.huawei.cfg"):
        cfg = edit((FIXTURES / "pairs" / name).read_text(),
                   (" rule 5 deny ip source 172.20.8.0 0.0.3.255 destination 10.60.0.0 0.0.255.255",
                    " rule 5 deny ip source 172.20.8.0 0.0.3.255 destination 10.99.0.0 0.0.255.255"))
        device = tmp_path / name
        device.write_text(cfg)
        fix = _findings(tmp_path, device)["VpnTrafficNatted"]["fix"]["device"]
        assert fix[1:] == [" rule 0 deny ip source 172.20.8.0 0.0.3.255 destination 10.60.0.0 0.0.255.255"], name
        assert fix[0] in ("acl advanced 3001", "acl number 3001")


def test_transport_mode_on_a_shared_transform_set_gets_a_new_set_for_this_entry_only(tmp_path):
    from conftest import edit

    device = tmp_path / "transport.cfg"
    device.write_text(edit((SHARED / "shared-ios.cfg").read_text(),
                           ("esp-sha256-hmac\n mode tunnel", "esp-sha256-hmac\n mode transport require")))
    fix = _findings(tmp_path, device)["EncapsulationModeMismatch"]["fix"]["device"]
    assert fix == ["crypto ipsec transform-set ALIBABA-2 esp-aes 256 esp-sha256-hmac", " mode tunnel",
                   "crypto map CMAP-WAN 10 ipsec-isakmp", " set transform-set ALIBABA-2"]


def test_alibaba_values_a_fix_needs_as_well_are_marked_and_planned(tmp_path):
    """ASA IKEv1 has no SHA-2: the fix is SHA-1 on both sides, so the Alibaba value is required, not an
    alternative ("And on Alibaba" in text, a comment in the plan)."""
    conn = _conn(tmp_path, **{"IkeConfig.IkeAuthAlg": "sha256"})
    device = FIXTURES / "asa" / "ikev1-objnat.asa.cfg"
    res = invoke("check", conn, device, "--format", "json")
    (f,) = [f for p in json.loads(res.stdout)["pairs"] for f in p["findings"]
            if f["code"] == "AuthenticationAlgorithmMismatch"]
    assert f["fix"]["alibaba"] == {"IkeConfig.IkeAuthAlg": "sha1"} and f["fix"]["alibaba_required"] is True
    assert "            And on Alibaba: IkeConfig.IkeAuthAlg = sha1" in invoke("check", conn, device).stdout.splitlines()
    (tmp_path / "r.json").write_text(res.stdout)
    plan = invoke("fix-plan", tmp_path / "r.json").stdout.splitlines()
    assert any(line.startswith("! set on Alibaba as well: AuthenticationAlgorithmMismatch [")
               and line.endswith(": IkeConfig.IkeAuthAlg = sha1") for line in plan)


def test_a_huge_command_block_is_cut_on_a_line_boundary_and_says_so():
    from analyzer.findings import Fix

    fix = Fix(device=[f" rule {i} permit ip source 10.{i // 256}.{i % 256}.0 0.0.0.255" for i in range(1000)])
    assert sum(len(line) + 1 for line in fix.device) <= 4_100
    assert fix.device[-1].startswith("<... ") and fix.device[-1].endswith(" more command lines left out: output size cap>")
    assert all(line.startswith(" rule ") for line in fix.device[:-1])


def test_comware7_route_based_selector_fix_adds_no_security_acl_to_an_ipsec_profile():
    from analyzer.model import SelectorPair
    from parsers.registry import parse_device

    fx = __import__("parsers.h3c_comware.fixes", fromlist=["Fixer"]).Fixer()
    dev = parse_device((FIXTURES / "h3c" / "cmw7-ikev1-route.cfg").read_text(), "r.cfg")
    fix = fx.selectors(dev.endpoints[0], [SelectorPair(local="192.168.90.0/24", remote="10.90.0.0/16")], device=dev)
    assert not fix.device and "routed into" in fix.note  # was `ipsec profile ... isakmp` / ` security acl 3999`
