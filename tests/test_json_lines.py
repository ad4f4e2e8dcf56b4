"""Line and column of Alibaba JSON fields (issue 13 item 2): analyzer.json_lines on the shapes parsers/alibaba.py
reads, written as the API, the aliyun CLI, SDK scripts and Terraform write them."""
import json

import pytest
from typer.testing import CliRunner

from analyzer.json_lines import annotate, position
from conftest import FIXTURES

# DescribeVpnConnection as the console's API explorer prints it (pretty, 2-space indent).
DESCRIBE = """{
  "RequestId": "6B1E9F20-4C1D-4E7A-9A53-2F0C6D8E1B44",
  "VpnConnectionId": "vco-bp1lines0shanghai01",
  "LocalSubnet": "10.40.0.0/16",
  "RemoteSubnet": "192.168.12.0/24",
  "EnableDpd": true,
  "IkeConfig": {
    "Psk": "Lines-Sh!q8Zt4wXe",
    "IkeVersion": "ikev1",
    "IkeEncAlg": "aes",
    "IkePfs": "group14"
  },
  "IpsecConfig": {"IpsecEncAlg": "aes", "IpsecPfs": "group14"}
}
"""


def test_pretty_printed_fields():
    assert position(DESCRIBE, "IkeConfig.IkePfs") == (11, 5)
    assert position(DESCRIBE, "EnableDpd") == (6, 3)
    assert position(DESCRIBE, "IpsecConfig.IpsecPfs") == (13, 41)
    assert position(DESCRIBE, "IkeConfig") == (7, 3)  # an object (BGP config source): its key


def test_minified_one_line_column_matters():
    text = json.dumps(json.loads(DESCRIBE), separators=(",", ":"))
    line, column = position(text, "IkeConfig.IkePfs")
    assert line == 1 and text[column - 1:].startswith('"IkePfs":"group14"')
    line, column = position(text, "IpsecConfig.IpsecPfs")
    assert line == 1 and text[column - 1:].startswith('"IpsecPfs"')


def test_absent_field_points_at_the_enclosing_object():
    assert position(DESCRIBE, "IkeConfig.IkeLifetime (absent: API default)") == (7, 3)
    assert position(DESCRIBE, "IpsecConfig.IpsecLifetime (absent: API default)") == (13, 3)
    assert position(DESCRIBE, "EnableNatTraversal (absent: API default)") == (1, 1)  # the connection itself
    # an enclosing object that is absent too: the nearest one that is there
    assert position(DESCRIBE, "VpnBgpConfig.LocalAsn (absent: API default)") == (1, 1)
    # the API prints an unset field as "": the loader defaults it, and its key is the place
    text = DESCRIBE.replace('"IkePfs": "group14"', '"IkePfs": ""')
    assert position(text, "IkeConfig.IkePfs (absent: API default)") == (11, 5)
    # analyzer/rules/pairing.py: where a tunnel's gateway IP would be when none is in the input
    assert position(DESCRIBE, "IkeConfig.LocalId (no gateway IP in the input)") == (7, 3)
    assert position(DESCRIBE, "IkeConfig.IkeVersion (no gateway IP in the input)") == (9, 5)


def test_unplaceable_fields_get_no_line():
    for field in ("IkeConfig.IkeLifetime",  # absent, without the defaulted suffix: no key to point at
                  "IkeConfig.Psk.Value", "IkeConfig[0]", "Tags.Tag[3].Key",
                  "VPN gateway InternetIp (--vpn-gateway)", "customer gateway cgw-1 IpAddress", ""):
        assert position(DESCRIBE, field) is None, field
    assert position('resource "alicloud_vpn_connection" "x" {\n  ike_config {}\n}\n', "ike_config") is None
    assert position(DESCRIBE[:120], "IkeConfig.IkePfs") is None  # a truncated file
    # nested deeper than json.loads goes (the loader rejected it): no line, and no RecursionError either
    hostile = '{"Tags": ' + "[" * 100_000 + "]" * 100_000 + ', "IkeConfig": {"IkePfs": "group2"}}'
    assert position(hostile, "IkeConfig.IkePfs") is None
    nested = '{"Tags": ' + "[" * 500 + "]" * 500 + ', "IkeConfig": {"IkePfs": "group2"}}'
    assert position(nested, "IkeConfig.IkePfs") == (1, 1026)  # as deep as json.loads reads: skipped


def test_selector_source_points_at_the_first_of_its_fields():
    assert position(DESCRIBE, "LocalSubnet x RemoteSubnet") == (4, 3)
    assert position(DESCRIBE, "LocalSubnet, RemoteSubnet") == (4, 3)


# CreateVpnConnection parameters as an SDK script dumps them: sub-configs are JSON strings.
CREATE = """{
  "RegionId": "cn-shanghai",
  "VpnGatewayId": "vpn-bp1q8bgx4xnkm2ogj0a1b",
  "LocalSubnet": "172.16.10.0/24",
  "RemoteSubnet": "10.20.0.0/16",
  "IkeConfig": "{\\"Psk\\":\\"Wq7v!9sLk2@pZx4e\\",\\"RemoteId\\":\\"\\u00e9t\\u00e9-\\ud83d\\ude00\\",\\"IkeEncAlg\\":\\"aes\\"}",
  "IpsecConfig": " {\\"IpsecEncAlg\\":\\"aes\\", \\"IpsecPfs\\":\\"disabled\\"}"
}
"""


def test_json_string_field_is_placed_inside_the_string():
    assert json.loads(json.loads(CREATE)["IkeConfig"])["RemoteId"] == "\u00e9t\u00e9-\U0001F600"
    lines = CREATE.splitlines()
    line, column = position(CREATE, "IkeConfig.IkeEncAlg")  # after \\u escapes and a surrogate pair
    assert line == 6 and lines[5][column - 1:].startswith('\\"IkeEncAlg\\":\\"aes\\"')
    line, column = position(CREATE, "IpsecConfig.IpsecPfs")
    assert line == 7 and lines[6][column - 1:].startswith('\\"IpsecPfs\\"')
    assert position(CREATE, "IkeConfig.IkeLifetime (absent: API default)") == (6, 3)
    assert position(CREATE, "IkeConfig.IkeMode") is None


# `terraform show -json` state: resources of several types; blocks are lists of one object.
TERRAFORM = {"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {
    "resources": [
        {"address": "alicloud_vpn_gateway.gw", "type": "alicloud_vpn_gateway", "values": {"internet_ip": "47.1.1.1"}},
        {"address": "alicloud_vpn_customer_gateway.a", "type": "alicloud_vpn_customer_gateway",
         "values": {"ip_address": "203.0.113.25"}},
        {"address": "alicloud_vpn_connection.a", "type": "alicloud_vpn_connection",
         "values": {"ike_config": [{"ike_enc_alg": "aes"}]}},
        {"address": "alicloud_vpn_connection.b", "type": "alicloud_vpn_connection",
         "values": {"local_subnet": ["10.0.0.0/8"], "ike_config": [{"ike_version": "ikev2", "ike_enc_alg": "aes256"}],
                    "ipsec_config": [{"ipsec_pfs": "group14"}]}}],
    "child_modules": [{"address": "module.vpn", "resources": [
        {"address": "module.vpn.alicloud_vpn_connection.c", "type": "alicloud_vpn_connection",
         "values": {"ike_config": [{"ike_enc_alg": "des"}]}}]}]}}}


def test_terraform_state_paths():
    text = json.dumps(TERRAFORM, indent=2)
    lines = text.splitlines()
    root = "values.root_module"
    for field, key, value in ((f"{root}.resources[3].values.ike_config[0].ike_enc_alg", "ike_enc_alg", "aes256"),
                              (f"{root}.resources[2].values.ike_config[0].ike_enc_alg", "ike_enc_alg", "aes"),
                              (f"{root}.child_modules[0].resources[0].values.ike_config[0].ike_enc_alg",
                               "ike_enc_alg", "des"),
                              (f"{root}.resources[3].values.ipsec_config[0].ipsec_pfs", "ipsec_pfs", "group14")):
        line, column = position(text, field)
        assert lines[line - 1][column - 1:] == f'"{key}": "{value}"', field
    line, column = position(text, "values.root_module.resources[3].values.ike_config[0]")  # a list item: its value
    assert lines[line - 1][column - 1:] == "{"
    assert position(text, "values.root_module.resources[4].values.ike_config[0].ike_enc_alg") is None


def test_terraform_plan_paths_start_with_the_resource_address():
    """parsers/terraform_plan.py names a planned connection by its address; its values are change.after."""
    text = (FIXTURES / "terraform" / "plan-dual.json").read_text()
    lines = text.splitlines()
    conn = "module.bj_vpn.alicloud_vpn_connection.dual"
    doc = json.loads(text)
    after = [r for r in doc["resource_changes"] if r["address"] == conn][0]["change"]["after"]
    assert after["tunnel_options_specification"][1]["tunnel_ike_config"][0]["psk"].startswith("bj-T2")
    line, column = position(text, f"{conn}.tunnel_options_specification[1].tunnel_ike_config[0].ike_enc_alg")
    assert lines[line - 1][column - 1:] == '"ike_enc_alg": "aes256",'
    assert '"psk": "bj-T2' in "".join(lines[line - 6:line + 6])  # the second tunnel of change.after
    changes = next(i for i, l in enumerate(lines) if '"resource_changes"' in l)
    entry = next(i for i in range(changes, len(lines)) if f'"address": "{conn}"' in lines[i])
    start = next(i for i in range(entry, len(lines)) if '"after": {' in lines[i])
    end = next(i for i in range(start, len(lines)) if '"after_unknown"' in lines[i])
    assert start < line - 1 < end  # in resource_changes' change.after, not in planned_values or prior_state
    line, column = position(text, f"{conn}.ike_config.ike_pfs (absent: API default)")
    assert lines[line - 1][column - 1:] == '"ike_config": null,'
    assert position(text, "module.bj_vpn.alicloud_vpn_connection.du.local_subnet") is None  # a prefix is no address
    assert position(text, "module.bj_vpn.alicloud_vpn_connection.dual.nothing_here") is None


def test_dual_tunnel_second_tunnel():
    text = (FIXTURES / "pairs" / "ikev2-dual.json").read_text()
    lines = text.splitlines()
    first = position(text, "TunnelOptionsSpecification.TunnelOptions[0].TunnelIkeConfig.IkeEncAlg")
    second = position(text, "TunnelOptionsSpecification.TunnelOptions[1].TunnelIkeConfig.IkeEncAlg")
    assert first[0] < second[0]
    assert lines[second[0] - 1][second[1] - 1:].startswith('"IkeEncAlg": "aes256"')
    assert lines[second[0] - 1].strip().startswith('"Psk": "fra-T2')  # the second tunnel's line, not the first's
    assert lines[first[0] - 1].strip().startswith('"Psk": "fra-T1')


def test_crlf_lone_cr_and_bom():
    crlf = DESCRIBE.replace("\n", "\r\n")
    assert position(crlf, "IkeConfig.IkePfs") == (11, 5)
    assert position(crlf, "IpsecConfig.IpsecPfs") == (13, 41)
    assert position(DESCRIBE.replace("\n", "\r"), "IkeConfig.IkePfs") == (11, 5)  # classic Mac line ends
    bom = "\ufeff" + '{"EnableDpd": true, "IkeConfig": {"IkePfs": "group2"}}'
    assert position(bom, "IkeConfig.IkePfs") == (1, 35)  # the BOM is no column
    assert position(bom, "EnableDpd") == (1, 2)


def test_unicode_before_the_field_counts_characters():
    text = '{"Name": "上海-分支-\U0001F600", "IkeConfig": {"IkePfs": "group2"}}'
    line, column = position(text, "IkeConfig.IkePfs")
    assert line == 1 and text[column - 1:].startswith('"IkePfs"')
    assert column == 35  # characters (code points), not UTF-16 units nor UTF-8 bytes
    before = text[:column - 1]  # 34 characters: 35 UTF-16 units (the emoji is two), 45 UTF-8 bytes
    assert (len(before), len(before.encode("utf-16-le")) // 2, len(before.encode())) == (34, 35, 45)


def test_duplicate_keys_point_at_the_one_json_keeps():
    text = '{\n"IkeConfig": {"IkePfs": "group2", "IkeEncAlg": "des"},\n"IkeConfig": {"IkePfs": "group14"}\n}'
    assert json.loads(text)["IkeConfig"] == {"IkePfs": "group14"}
    assert position(text, "IkeConfig.IkePfs") == (3, 15)
    assert position(text, "IkeConfig.IkeEncAlg") is None  # only in the object json.loads dropped
    assert position(text, "IkeConfig.IkeEncAlg (absent: API default)") == (3, 1)


def test_page_of_many_connections():
    conn = json.loads(DESCRIBE)
    page = {"TotalCount": 1000, "PageNumber": 1, "PageSize": 1000, "VpnConnections": {"VpnConnection": [
        {**conn, "VpnConnectionId": f"vco-{i:04d}", "IkeConfig": {**conn["IkeConfig"], "IkePfs": f"group{i}"}}
        for i in range(1000)]}}
    text = json.dumps(page, indent=2)
    lines = text.splitlines()
    for i in (0, 1, 517, 999):
        line, column = position(text, f"VpnConnections.VpnConnection[{i}].IkeConfig.IkePfs")
        assert lines[line - 1][column - 1:] == f'"IkePfs": "group{i}"'
    minified = json.dumps(page, separators=(",", ":"))
    line, column = position(minified, "VpnConnections.VpnConnection[999].IkeConfig.IkePfs")
    assert line == 1 and minified[column - 1:].startswith('"IkePfs":"group999"')


def test_top_level_list_and_deep_terraform_modules():
    text = json.dumps([{"Name": "x"}, json.loads(DESCRIBE)], indent=1)
    line, column = position(text, "[1].IkeConfig.IkePfs")
    assert text.splitlines()[line - 1][column - 1:].startswith('"IkePfs"')
    depth = 400  # module nesting far past any real one; followed without recursion
    mod = {"resources": [{"type": "alicloud_vpn_connection", "values": {"ike_config": [{"ike_enc_alg": "aes"}]}}]}
    for _ in range(depth):
        mod = {"child_modules": [mod]}
    text = json.dumps({"format_version": "1.0", "values": {"root_module": mod}})
    field = "values.root_module" + ".child_modules[0]" * depth + ".resources[0].values.ike_config[0].ike_enc_alg"
    line, column = position(text, field)
    assert line == 1 and text[column - 1:].startswith('"ike_enc_alg": "aes"')


def _last(text: str, old: str, new: str) -> str:
    head, sep, tail = text.rpartition(old)
    assert sep, old
    return head + new + tail


def _report(tmp_path, connection: str, config: str):
    from analyzer.checker import check
    from analyzer.findings import Report
    from parsers import alibaba
    from parsers.registry import parse_device
    cpath = tmp_path / "connection.json"
    cpath.write_bytes(connection.encode())
    tunnels = alibaba.load(str(cpath))
    device = parse_device(config, str(tmp_path / "router.cfg"))
    report = Report(version="test", pairs=check(tunnels, device))
    return report


@pytest.mark.parametrize("name, config", [
    ("example/connection.json", "example/branch-router.cfg"),
    ("pairs/ikev2-dual.json", "pairs/ikev2-vti.cfg"),  # tunnel 2 edited below: its findings name TunnelOptions[1]
    ("alibaba/create-vpn-connection-request.json", "pairs/ikev1-map.cfg"),
    ("alibaba/terraform-show-alicloud_vpn_connection.json", "pairs/ikev1-map.cfg"),
    ("alibaba/describe-vpn-connections-page.json", "pairs/ikev1-map.cfg"),
])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_annotate_places_every_finding_of_a_real_check(tmp_path, name, config, newline):
    """The paths the loader writes, through the rules, end on the line of their own key (or of the enclosing
    object's key for a defaulted one); nothing is left unplaced that names a field of the file."""
    text = (FIXTURES / name).read_text()
    if name == "pairs/ikev2-dual.json":
        text = _last(text, '"IkePfs": "group14"', '"IkePfs": "group5"')
        text = _last(text, '"IpsecLifetime": "3600"', '"IpsecLifetime": "1800"')
    text = text.replace("\n", newline)
    report = _report(tmp_path, text, (FIXTURES / config).read_text())
    reads = []
    annotate(report, lambda f: reads.append(f) or text)
    refs = [f.alibaba for f in report.all_findings() if f.alibaba and f.alibaba.field]
    assert refs and len(set(reads)) == len(reads)  # read once per file
    lines = text.split(newline)
    for ref in refs:
        path, _, note = ref.field.split(" x ")[0].split(", ")[0].partition(" (")
        keys = [k for k in path.replace("[", ".[").split(".") if k and not k.startswith("[")]
        if " " in path:  # a note naming no place of this file ("VPN gateway InternetIp (--vpn-gateway)")
            assert ref.line is None, ref.field
            continue
        assert ref.line is not None, ref.field
        here = lines[ref.line - 1][ref.column - 1:]
        if note:  # where the value would be: its own key, or an enclosing object's key, or the connection's "{"
            assert here.startswith(tuple(f'"{k}"' for k in keys) + ("{",)), (ref.field, here)
        else:
            assert here.startswith((f'"{keys[-1]}"', f'\\"{keys[-1]}\\"')), (ref.field, here)


def test_annotate_keeps_a_terraform_source_line_and_survives_unreadable_files(tmp_path):
    from analyzer.findings import AlibabaRef, Finding, PairResult, Report
    refs = [AlibabaRef(file="main.tf", field="ike_config.ike_enc_alg", line=12),
            AlibabaRef(file="gone.json", field="IkeConfig.IkePfs"),
            AlibabaRef(file="boom.json", field="IkeConfig.IkePfs"),
            AlibabaRef(file="c.json", field="IkeConfig.IkePfs")]
    findings = [Finding(code="X", alibaba_code=None, severity="error", title="t", message="m", alibaba=r) for r in refs]
    report = Report(version="t", pairs=[PairResult(connection="c", tunnel=None, alibaba_file="c.json", device="d",
                                                   vendor="cisco-ios", endpoint=None, findings=findings)])

    def read(file):
        if file == "boom.json":
            raise OSError("gone")
        return {"c.json": DESCRIBE, "main.tf": "ike_config {}"}.get(file)
    annotate(report, read)
    assert [(r.line, r.column) for r in refs] == [(12, None), (None, None), (None, None), (11, 5)]


def test_check_json_gives_alibaba_lines():
    from analyzer.cli import app
    res = CliRunner().invoke(app, ["check", str(FIXTURES / "example" / "connection.json"),
                                   str(FIXTURES / "example" / "branch-router.cfg"), "--format", "json"])
    doc = json.loads(res.stdout)
    refs = [f["alibaba"] for p in doc["pairs"] for f in p["findings"] if f.get("alibaba")]
    pfs = [r for r in refs if r["field"] == "IkeConfig.IkePfs"]
    assert pfs and pfs[0]["line"] == 25 and pfs[0]["column"] == 5
    assert all(r["line"] for r in refs if r.get("file") and r.get("field"))


def test_text_reports_print_the_alibaba_line():
    from analyzer.cli import app
    conn = FIXTURES / "example" / "connection.json"
    res = CliRunner().invoke(app, ["check", str(conn), str(FIXTURES / "example" / "branch-router.cfg")])
    assert f"Alibaba: {conn}:25  IkeConfig.IkePfs = group14 (modp2048)" in [l.strip() for l in res.stdout.splitlines()]
    page = FIXTURES / "audit" / "alibaba" / "describe-vpn-connections.json"
    res = CliRunner().invoke(app, ["audit", str(FIXTURES / "audit")])
    line, _ = position(page.read_text(), "VpnConnections.VpnConnection[0].LocalSubnet")
    overlap = [l for l in res.stdout.splitlines() if " OverlappingSelectors: " in l]
    assert overlap and overlap[0].startswith(f"{page}:{line}: warning OverlappingSelectors: ")


def test_a_plan_value_known_after_apply_that_after_leaves_out_points_at_its_block(tmp_path):
    """after_unknown marks ipsec_pfs, change.after has no key for it: the finding is placed at the enclosing
    block's key in the plan, not left without a line (the text report then named the device file)."""
    from analyzer.cli import app
    data = json.loads((FIXTURES / "terraform" / "plan-dual.json").read_text())
    change = data["resource_changes"][1]["change"]
    del change["after"]["tunnel_options_specification"][0]["tunnel_ipsec_config"][0]["ipsec_pfs"]
    change["after_unknown"]["tunnel_options_specification"][0]["tunnel_ipsec_config"] = [{"ipsec_pfs": True}]
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data, indent=2))
    device = FIXTURES / "audit" / "devices" / "other" / "bj-dc-asa01.cfg"
    res = CliRunner().invoke(app, ["check", str(plan), str(device), "--format", "json"])
    refs = [f["alibaba"] for p in json.loads(res.stdout)["pairs"] for f in p["findings"]
            if f["code"] == "KnownAfterApply"]
    assert [r["field"].rsplit(".", 1)[1] for r in refs] == ["ipsec_pfs"]
    lines = plan.read_text().splitlines()
    assert refs[0]["line"] and lines[refs[0]["line"] - 1][refs[0]["column"] - 1:] == '"tunnel_ipsec_config": ['
    res = CliRunner().invoke(app, ["check", str(plan), str(device), "--quiet"])
    assert f"{plan}:{refs[0]['line']}: info KnownAfterApply: " in res.stdout
