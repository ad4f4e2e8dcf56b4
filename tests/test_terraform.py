"""Terraform inputs (issue 14 §1-2): `terraform show -json PLAN` and HCL folders give the same findings as the
equivalent API JSON, never guess a value known only after apply, and point at the .tf file and line."""
import json
import re
import shutil

import pytest
from typer.testing import CliRunner

from analyzer.checker import check
from analyzer.cli import app
from conftest import FIXTURES
from parsers import alibaba
from parsers.common import InputError
from parsers.registry import parse_device

TF = FIXTURES / "terraform"
API_JSON = FIXTURES / "audit" / "alibaba" / "bj-dc-asa-dual.json"  # the connection both Terraform forms describe
ASA = FIXTURES / "audit" / "devices" / "other" / "bj-dc-asa01.cfg"  # its device: pairs, everything agrees
DEVICES = sorted(p for p in FIXTURES.rglob("*.cfg") if "terraform" not in p.parts)
KEYS = ("bj-T1-Key#5521", "bj-T2-Key#5521")
# where a gateway address came from is said differently per input ("from TunnelOptions[0].InternetIp" / "from
# alicloud_vpn_gateway.bj internet_ip"); everything else of a finding must be the same
_FROM = re.compile(r"\s*\(from [^()]*(?:\([^()]*\)[^()]*)*\)")


def device(path):
    return parse_device(path.read_text(), str(path))


def findings(source, dev):
    out = []
    for result in check(alibaba.load(str(source)), dev):
        out += [(result.role, f.code, f.severity, _FROM.sub("", f.message), f.alibaba.value if f.alibaba else None)
                for f in result.findings]
    return sorted(out)


def all_findings(source, dev):
    return [f for r in check(alibaba.load(str(source)), dev) for f in r.findings]


@pytest.mark.parametrize("cfg", DEVICES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_plan_and_hcl_give_the_findings_of_the_api_json_on_every_fixture_device(cfg):
    dev = device(cfg)
    expected = findings(API_JSON, dev)
    assert findings(TF / "plan-dual.json", dev) == expected
    assert findings(TF / "hcl", dev) == expected


def test_the_equivalence_compares_real_findings():
    # the fixture devices that do not match the connection give dozens of findings (else the test above proves little)
    assert sum(len(findings(API_JSON, device(cfg))) for cfg in DEVICES) > 100
    assert findings(TF / "plan-dual.json", device(ASA)) == []


def test_plan_addresses_come_from_the_plans_gateways_through_configuration_references():
    tunnels = alibaba.load(str(TF / "plan-dual.json"))
    assert [t.role for t in tunnels] == ["master", "slave"]
    assert [t.endpoint.local_address for t in tunnels] == ["198.51.100.21", "198.51.100.22"]
    # the customer gateway is created by the plan: its id is unknown, its ip_address is not
    assert {t.endpoint.peer_address for t in tunnels} == {"203.0.113.100"}
    assert tunnels[0].customer_gateway_id == "module.bj_vpn.alicloud_vpn_customer_gateway.asa"
    assert tunnels[0].gateway_ip_origin == "vpn-audit0gw0bj00001 internet_ip"
    assert [t.plan_action for t in tunnels] == ["create", "create"]
    assert all(t.unknown == [] for t in tunnels)


def _plan(tmp_path, edit):
    data = json.loads((TF / "plan-dual.json").read_text())
    edit(data["resource_changes"][1]["change"])
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data))
    return path


def test_a_value_known_after_apply_is_never_the_api_default(tmp_path):
    def unknown_enc(change):
        del change["after"]["tunnel_options_specification"][0]["tunnel_ike_config"][0]["ike_enc_alg"]
        change["after_unknown"]["tunnel_options_specification"][0]["tunnel_ike_config"] = [{"ike_enc_alg": True}]

    found = all_findings(_plan(tmp_path, unknown_enc), device(ASA))
    # the API default (aes = aes128) would be an IKE encryption mismatch against the ASA's aes-256
    assert [(f.code, f.severity, f.message) for f in found] == [
        ("KnownAfterApply", "info", "cannot verify until apply: tunnel_options_specification[0].tunnel_ike_config[0]."
                                    "ike_enc_alg")]
    tunnel = alibaba.load(str(tmp_path / "plan.json"))[0]
    src = tunnel.endpoint.ike.proposals[0].src["encryption"]
    assert not src.defaulted and "known after apply" in src.note


def test_plan_with_unknown_values_says_cannot_verify_and_fails_when_nothing_paired():
    found = all_findings(TF / "plan-unknown.json", device(ASA))
    by = sorted((f.severity, f.message) for f in found)
    assert ("error", "cannot verify until apply: vpn_gateway_id (alicloud_vpn_gateway.bj has no address known "
                     "before apply); the tunnel's gateway address is not known, so it was paired with no device "
                     "tunnel and nothing of it was compared (check again once the VPN gateway exists) (error, not "
                     "info: nothing of this tunnel was compared)") in by
    infos = {m for s, m in by if s == "info"}
    for i in (0, 1):
        for leaf in ("psk", "ike_version", "local_id"):
            assert f"cannot verify until apply: tunnel_options_specification[{i}].tunnel_ike_config[0].{leaf}" in infos
    # the gateway's address is not guessed: no PeerMismatch against "None", no Psk finding on a stand-in
    assert {f.code for f in found} == {"KnownAfterApply"}


def test_a_replaced_connection_says_the_tunnel_resets(tmp_path):
    found = all_findings(_plan(tmp_path, lambda c: c.update(actions=["delete", "create"])), device(ASA))
    assert {t.plan_action for t in alibaba.load(str(tmp_path / "plan.json"))} == {"replace"}
    assert [f.code for f in found] == ["PlanReplacesConnection"] * 2
    assert "torn down" in found[0].message


def test_a_plan_that_only_deletes_the_connection_holds_none(tmp_path):
    with pytest.raises(alibaba.NotAConnection, match="Terraform plan"):
        alibaba.load(str(_plan(tmp_path, lambda c: c.update(actions=["delete"]))))


@pytest.fixture
def hcl(tmp_path):
    root = tmp_path / "infra"
    shutil.copytree(TF / "hcl", root)
    return root


def _edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_hcl_findings_point_at_the_tf_file_and_line(hcl):
    module = hcl / "modules" / "ipsec" / "main.tf"
    _edit(module, 'ike_pfs      = "group14"', 'ike_pfs      = "group5"')
    line = module.read_text().splitlines().index('      ike_pfs      = "group5"') + 1
    found = [f for f in all_findings(hcl / "main.tf", device(ASA)) if f.code == "DhGroupMismatch"]
    assert found and found[0].alibaba.file.endswith("modules/ipsec/main.tf") and found[0].alibaba.line == line
    assert found[0].alibaba.field == ("module.bj_vpn.alicloud_vpn_connection.dual.tunnel_options_specification[0]."
                                      "tunnel_ike_config[0].ike_pfs")


def test_hcl_unresolved_expressions_are_cannot_verify_with_the_expression_but_never_a_keys(hcl):
    module = hcl / "modules" / "ipsec" / "main.tf"
    _edit(module, 'ike_enc_alg  = "aes256"', 'ike_enc_alg  = lookup(var.algs, "enc", "aes")')
    _edit(module, "psk          = var.psk_master", 'psk          = "${var.psk_master}-Tail-Secret"\n'
                                                   '      # psk comes from a secret store below\n')
    _edit(module, "psk          = var.psk_slave", "psk          = data.alicloud_kms_secret.vpn.secret_data")
    found = all_findings(hcl, device(ASA))
    messages = {f.message for f in found}
    assert ('cannot verify: tunnel_options_specification[0].tunnel_ike_config[0].ike_enc_alg (lookup(var.algs, '
            '"enc", "aes") is not a literal, var. or local. reference)') in messages
    assert ("cannot verify: tunnel_options_specification[1].tunnel_ike_config[0].psk (not a literal; the expression "
            "is not shown: it is the key)") in messages
    # a string built from a variable resolves: the key is compared (and differs), never shown
    assert any(f.code == "PskMismatch" for f in found)
    assert not any("Tail-Secret" in f.model_dump_json() or "kms" in f.message for f in found)


def test_hcl_variable_precedence_default_then_tfvars_then_auto_tfvars(hcl):
    _edit(hcl / "variables.tf", 'default     = "vpn-audit0gw0bj00001"', 'default     = "vpn-from-default"')
    assert alibaba.load(str(hcl))[0].vpn_gateway_id == "vpn-from-default"
    (hcl / "terraform.tfvars").write_text((hcl / "terraform.tfvars").read_text() + 'vpn_gateway_id = "vpn-tfvars"\n')
    assert alibaba.load(str(hcl))[0].vpn_gateway_id == "vpn-tfvars"
    (hcl / "b.auto.tfvars").write_text('vpn_gateway_id = "vpn-b"\n')
    (hcl / "a.auto.tfvars").write_text('vpn_gateway_id = "vpn-a"\n')
    assert alibaba.load(str(hcl))[0].vpn_gateway_id == "vpn-b"  # lexical order: the last file wins


def test_hcl_variable_without_value_is_not_defaulted(hcl):
    (hcl / "terraform.tfvars").write_text('psk_master = "bj-T1-Key#5521"\npsk_slave = "bj-T2-Key#5521"\n')
    tunnels = alibaba.load(str(hcl))
    assert "no value" in tunnels[0].endpoint.ike.src["remote_id"].note
    found = all_findings(hcl, device(ASA))
    assert any(f.message.startswith("cannot verify: tunnel_options_specification[0].tunnel_ike_config[0].remote_id "
                                    "(var.customer_ip has no value") for f in found)


def test_hcl_single_tunnel_connection_with_the_deprecated_name_argument(tmp_path):
    (tmp_path / "vpn.tf").write_text('''
resource "alicloud_vpn_customer_gateway" "branch" {
  ip_address = "203.0.113.12"
}

resource "alicloud_vpn_connection" "branch" {
  name                = "sh-branch-12" # deprecated since 1.216.0, still accepted
  vpn_gateway_id      = "vpn-bp1example0gw0000001"
  customer_gateway_id = alicloud_vpn_customer_gateway.branch.id
  local_subnet        = ["10.40.0.0/16"]
  remote_subnet       = ["192.168.12.0/24"]
  ike_config {
    ike_version   = "ikev1"
    ike_enc_alg   = "aes"
    ike_auth_alg  = "sha1"
    ike_pfs       = "group14"
    ike_local_id  = "198.51.100.77"
    psk           = "Br12-Sh!q8Zt4wXe"
  }
  ipsec_config {
    ipsec_enc_alg  = "aes"
    ipsec_auth_alg = "sha1"
    ipsec_pfs      = "group14"
  }
}
''')
    (t,) = alibaba.load(str(tmp_path / "vpn.tf"))
    assert (t.connection_name, t.endpoint.local_address, t.endpoint.peer_address) == (
        "sh-branch-12", "198.51.100.77", "203.0.113.12")
    dev = device(FIXTURES / "example" / "branch-router.cfg")
    assert findings(tmp_path, dev) == findings(FIXTURES / "example" / "connection.json", dev)


def test_hcl_syntax_error_names_file_and_line_without_the_text(tmp_path):
    (tmp_path / "ok.tf").write_text('resource "alicloud_vpn_connection" "a" {\n  local_subnet = ["10.0.0.0/8"]\n}\n')
    (tmp_path / "bad.tf").write_text('variable "k" {\n  default = "Leaky-Key-1"\n  psk = = "Leaky-Key-2"\n}\n')
    with pytest.raises(InputError) as exc:
        alibaba.load(str(tmp_path))
    assert exc.value.file.endswith("bad.tf") and exc.value.line == 3
    assert "Leaky" not in str(exc.value)


def test_hcl_cyclic_locals_and_self_calling_modules_end(tmp_path):
    (tmp_path / "main.tf").write_text('''
locals {
  a = local.b
  b = local.a
}
module "me" {
  source = "./"
}
resource "alicloud_vpn_connection" "c" {
  vpn_gateway_id = "vpn-1"
  local_subnet   = ["10.0.0.0/8"]
  remote_subnet  = ["192.168.0.0/24"]
  ike_config {
    ike_pfs = local.a
    ike_local_id = "198.51.100.1"
  }
}
''')
    errors = []
    (t,) = alibaba.load(str(tmp_path), errors=errors)
    assert [e.message for e in errors] == ['module "me": ./ calls itself: not read']
    assert "cycle" in t.endpoint.ike.proposals[0].src["dh_groups"].note


def test_hcl_hostile_nesting_and_size_are_located_errors(tmp_path, monkeypatch):
    from parsers import terraform_hcl

    (tmp_path / "deep.tf").write_text('locals {\n  x = ' + "[" * 3000 + "]" * 3000 + "\n}\n"
                                      'resource "alicloud_vpn_connection" "c" {\n  local_subnet = local.x\n}\n')
    errors = []
    try:
        alibaba.load(str(tmp_path), errors=errors)
    except InputError as exc:  # a parser limit or ours: either way the file is named, no traceback
        assert exc.file.endswith("deep.tf") or exc.file == str(tmp_path)
    monkeypatch.setattr(terraform_hcl, "MAX_TF_BYTES", 100)
    with pytest.raises(InputError, match="larger than"):
        alibaba.load(str(tmp_path))


def test_hcl_folder_without_a_connection_is_not_a_connection(tmp_path):
    (tmp_path / "vpc.tf").write_text('resource "alicloud_vpc" "v" {\n  cidr_block = "10.0.0.0/8"\n}\n')
    with pytest.raises(alibaba.NotAConnection):
        alibaba.load(str(tmp_path))


def test_cli_checks_a_plan_and_an_hcl_folder_without_showing_a_key(hcl):
    runner = CliRunner()
    _edit(hcl / "terraform.tfvars", "bj-T1-Key#5521", "bj-T1-Other#Key")
    for source in (TF / "plan-dual.json", hcl, hcl / "main.tf", TF / "plan-unknown.json"):
        for fmt in ("text", "json"):
            r = runner.invoke(app, ["check", str(source), str(ASA), "--format", fmt])
            assert r.exit_code in (0, 1), r.output
            for key in KEYS + ("bj-T1-Other#Key",):
                assert key not in r.output
    r = runner.invoke(app, ["check", str(hcl), str(ASA)])
    assert "PskMismatch" in r.output and r.exit_code == 1


def test_local_module_folders_are_named_for_the_audit_to_read_through_their_caller():
    from parsers.terraform_hcl import local_module_folders

    assert local_module_folders(TF / "hcl") == {str(TF / "hcl" / "modules" / "ipsec")}
    assert local_module_folders(TF / "hcl" / "modules" / "ipsec") == set()


def test_a_sensitive_variable_is_read_only_for_a_psk_so_a_typo_cannot_quote_a_key(hcl):
    module = hcl / "modules" / "ipsec" / "main.tf"
    _edit(module, 'ike_auth_alg = "sha1"', "ike_auth_alg = var.psk_master")  # a wrong variable: the key
    errors = []
    tunnels = alibaba.load(str(hcl), errors=errors)
    assert errors == [] and len(tunnels) == 2
    note = tunnels[0].endpoint.ike.proposals[0].src["integrity"].note
    assert note == "not known: var.psk_master is sensitive: it is read only for a psk"
    found = all_findings(hcl, device(ASA))
    assert not any(k in f.model_dump_json() for f in found for k in KEYS)
    assert not any(f.code == "PskMismatch" for f in found)  # the psk itself still resolves and matches


def test_plan_gateway_addresses_from_a_data_source_by_id(tmp_path):
    data = json.loads((TF / "plan-dual.json").read_text())
    data["prior_state"]["values"]["root_module"]["resources"] = [{
        "address": "data.alicloud_vpn_gateways.bj", "mode": "data", "type": "alicloud_vpn_gateways", "name": "bj",
        "values": {"ids": ["vpn-audit0gw0bj00001"], "gateways": [
            {"id": "vpn-audit0gw0bj00001", "internet_ip": "198.51.100.31",
             "disaster_recovery_internet_ip": "198.51.100.32"}]}}]
    data["resource_changes"] = data["resource_changes"][1:]  # no managed gateway: only the data source knows it
    data["planned_values"]["root_module"]["resources"] = []
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data))
    assert [t.endpoint.local_address for t in alibaba.load(str(path))] == ["198.51.100.31", "198.51.100.32"]


# --- review R4: credentials, audit of plans, unknown gateways and BGP values, count / for_each, remote modules,
# --- oversized values

TOKEN = "glpat-Zx81kQv3T9mNaP2wYb7c"
BRANCH = FIXTURES / "example"  # connection.json / branch-router.cfg: a single-tunnel pair


def _branch_tf(folder, extra="", conn_args=""):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vpn.tf").write_text(f'''
resource "alicloud_vpn_customer_gateway" "branch" {{
  ip_address = "203.0.113.12"
}}

resource "alicloud_vpn_connection" "branch" {{
{conn_args}  name                = "sh-branch-12"
  vpn_gateway_id      = "vpn-bp1example0gw0000001"
  customer_gateway_id = alicloud_vpn_customer_gateway.branch.id
  local_subnet        = ["10.40.0.0/16"]
  remote_subnet       = ["192.168.12.0/24"]
  ike_config {{
    ike_version  = "ikev1"
    ike_enc_alg  = "aes"
    ike_auth_alg = "sha1"
    ike_pfs      = "group14"
    ike_local_id = "198.51.100.77"
    psk          = "Br12-Sh!q8Zt4wXe"
  }}
  ipsec_config {{
    ipsec_enc_alg  = "aes"
    ipsec_auth_alg = "sha1"
    ipsec_pfs      = "group14"
  }}
}}
{extra}''')
    return folder


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "gitlab"])
def test_a_remote_module_source_is_named_without_its_credentials(tmp_path, fmt):
    root = _branch_tf(tmp_path / "infra")
    (root / "mods.tf").write_text(f'module "dc_vpn" {{\n  source = "git::https://oauth2:{TOKEN}@gitlab.example.com/'
                                  'netops/alicloud-vpn.git//connection?ref=v1.4.0&sshkey=c2VjcmV0"\n}\n')
    r = CliRunner().invoke(app, ["check", str(root), str(BRANCH / "branch-router.cfg"), "--format", fmt])
    assert r.exit_code == 2  # a VPN module that is not read: the input is incomplete
    out = r.output + (r.stderr if r.stderr_bytes is not None else "")
    assert TOKEN not in out and "oauth2" not in out and "c2VjcmV0" not in out
    if fmt == "text":
        assert "git::https://gitlab.example.com/netops/alicloud-vpn.git//connection is not a local folder" in out


def test_safe_source_keeps_scheme_host_and_path_only():
    from parsers.terraform_hcl import safe_source

    assert safe_source("git::ssh://git@github.com/o/r.git?sshkey=AAAA") == "git::ssh://github.com/o/r.git"
    assert safe_source("https://u:p@dl.example.com/m.zip?access_token=x") == "https://dl.example.com/m.zip"
    assert safe_source("git@github.com:o/r.git") == "github.com:o/r.git"
    assert safe_source("app.terraform.io/corp/site-tunnel/alicloud") == "app.terraform.io/corp/site-tunnel/alicloud"


def test_an_unresolved_expression_is_quoted_without_url_credentials(hcl):
    module = hcl / "modules" / "ipsec" / "main.tf"
    _edit(module, 'ike_enc_alg  = "aes256"', f'ike_enc_alg  = file("https://bot:{TOKEN}@x.example.com/a?token=zz9")')
    found = all_findings(hcl, device(ASA))
    text = " ".join(f.model_dump_json() for f in found)
    assert "x.example.com/a?token=***" in text and TOKEN not in text and "zz9" not in text


@pytest.mark.parametrize("plan", ["plan-dual.json", "plan-unknown.json"])
def test_audit_of_a_plan_reads_its_gateways_without_a_false_input_error(tmp_path, plan):
    shutil.copy(TF / plan, tmp_path / plan)
    shutil.copy(ASA, tmp_path / "bj-dc-asa01.cfg")
    r = CliRunner().invoke(app, ["audit", str(tmp_path), "--format", "json"])
    assert r.exit_code == (0 if plan == "plan-dual.json" else 1), r.output
    report = json.loads(r.stdout)
    assert report["errors"] == []
    assert "is not an IPv4 address" not in r.output


def test_plan_gateway_trees_are_not_gateway_descriptions():
    lookups = alibaba.Lookups()
    lookups.absorb(json.loads((TF / "plan-unknown.json").read_text()), "plan.json")
    assert lookups.problems == [] and lookups.cgw_ip == {} and lookups.vpngw_ips == {}


def _no_none(found):
    return not any("None" in (f.message + (f.fix or "")) for f in found)


def test_hcl_without_a_gateway_address_is_not_compared_and_says_so(hcl):
    module = hcl / "modules" / "ipsec" / "main.tf"
    _edit(module, "      local_id     = var.gateway_ips[0]\n", "")
    _edit(module, "      local_id     = var.gateway_ips[1]\n", "")
    found = all_findings(hcl, device(ASA))
    assert [(f.code, f.severity) for f in found] == [("PeerAddressUnverified", "error")] * 2
    assert "nothing of it was compared" in found[0].message and _no_none(found)


def test_hcl_gateway_address_from_a_data_source_is_cannot_verify_and_an_error(hcl):
    _edit(hcl / "main.tf", 'gateway_ips      = ["198.51.100.21", "198.51.100.22"]',
          "gateway_ips      = data.alicloud_vpn_gateways.bj.gateways[*].internet_ip")
    found = all_findings(hcl, device(ASA))
    assert [(f.code, f.severity) for f in found] == [("KnownAfterApply", "error")] * 2
    assert "local_id (data.alicloud_vpn_gateways.bj" in found[0].message and _no_none(found)


def test_api_json_without_gateway_address_or_local_id_is_not_compared(tmp_path):
    data = json.loads(API_JSON.read_text())
    for tunnel in data["TunnelOptionsSpecification"]["TunnelOptions"]:
        del tunnel["InternetIp"], tunnel["TunnelIkeConfig"]["LocalId"]
    (tmp_path / "conn.json").write_text(json.dumps(data))
    found = all_findings(tmp_path / "conn.json", device(ASA))
    assert {(f.code, f.severity) for f in found} == {("PeerAddressUnverified", "error")} and _no_none(found)


BGP = TF / "bgp"  # the Terraform form of fixtures/pairs/ikev2-dual.json
VTI = FIXTURES / "pairs" / "ikev2-vti.cfg"


@pytest.fixture
def bgp(tmp_path):
    shutil.copytree(BGP, tmp_path / "bgp")
    return tmp_path / "bgp"


def test_bgp_fixture_agrees_with_its_device():
    assert all_findings(BGP, device(VTI)) == []
    assert findings(BGP, device(VTI)) == findings(FIXTURES / "pairs" / "ikev2-dual.json", device(VTI))


def test_an_unresolved_bgp_value_is_cannot_verify_not_a_false_error(bgp):
    _edit(bgp / "main.tf", 'tunnel_cidr  = "169.254.30.0/30"', "tunnel_cidr  = cidrsubnet(local.bgp_block, 6, 0)")
    found = all_findings(bgp, device(VTI))
    assert [(f.code, f.severity) for f in found] == [("KnownAfterApply", "info")]
    assert found[0].message.startswith("cannot verify: tunnel_options_specification[0].tunnel_bgp_config[0]."
                                       "tunnel_cidr (cidrsubnet(")


def test_a_wrong_bgp_value_is_found_and_an_unresolved_one_is_named(bgp):
    _edit(bgp / "main.tf", 'local_bgp_ip = "169.254.31.1"', 'local_bgp_ip = "169.254.31.2"')
    assert "BgpConfigMismatch" in {f.code for f in all_findings(bgp, device(VTI))}
    _edit(bgp / "main.tf", 'local_bgp_ip = "169.254.31.2"', 'local_bgp_ip = cidrhost("169.254.31.0/30", 2)')
    found = all_findings(bgp, device(VTI))
    assert [f.code for f in found] == ["KnownAfterApply"] and "local_bgp_ip" in found[0].message


def test_plan_bgp_values_known_after_apply_are_named(tmp_path):
    data = json.loads((TF / "plan-dual.json").read_text())
    change = data["resource_changes"][1]["change"]
    change["after"]["enable_tunnels_bgp"] = True
    for i, tunnel in enumerate(change["after"]["tunnel_options_specification"]):
        tunnel["tunnel_bgp_config"] = [{"local_asn": 65010, "local_bgp_ip": f"169.254.3{i}.1",
                                        "tunnel_cidr": f"169.254.3{i}.0/30"}]
        change["after_unknown"]["tunnel_options_specification"][i]["tunnel_bgp_config"] = [
            {"peer_asn": True, "peer_bgp_ip": True}]  # Computed in the provider: known after apply on create
    (tmp_path / "plan.json").write_text(json.dumps(data))
    found = all_findings(tmp_path / "plan.json", device(ASA))
    messages = {f.message for f in found if f.code == "KnownAfterApply"}
    assert ("cannot verify until apply: tunnel_options_specification[0].tunnel_bgp_config[0].peer_asn"
            in messages)
    assert "BgpConfigMismatch" not in {f.code for f in found}  # the ASA runs no BGP: nothing compared on stand-ins


def test_count_zero_is_not_checked_and_says_so(tmp_path):
    root = _branch_tf(tmp_path / "a", extra='variable "enable_legacy" {\n  default = false\n}\n',
                      conn_args="  count = var.enable_legacy ? 1 : 0\n")
    with pytest.raises(alibaba.NotAConnection, match=r"vpn.tf:7: alicloud_vpn_connection.branch: count = 0"):
        alibaba.load(str(root))


def test_count_that_does_not_resolve_is_an_error_naming_the_resource(tmp_path):
    root = _branch_tf(tmp_path / "a", conn_args="  count = length(data.alicloud_zones.z.ids)\n")
    errors = []
    assert alibaba.load(str(root), errors=errors) == []
    assert [e.message.split(" (")[0] for e in errors] == [
        "alicloud_vpn_connection.branch: cannot verify: count = length(data.alicloud_zones.z.ids)"]


def test_count_n_reads_each_instance(tmp_path):
    root = _branch_tf(tmp_path / "a", conn_args="  count = 2\n")
    _edit(root / "vpn.tf", 'name                = "sh-branch-12"', 'name                = "sh-${count.index}"')
    assert [t.connection_name for t in alibaba.load(str(root))] == ["sh-0", "sh-1"]


def test_module_count_zero_and_for_each_over_sites(hcl):
    _edit(hcl / "main.tf", 'source = "./modules/ipsec"', 'count  = 0\n  source = "./modules/ipsec"')
    with pytest.raises(alibaba.NotAConnection, match=r"module.bj_vpn: count = 0: not created"):
        alibaba.load(str(hcl))
    _edit(hcl / "main.tf", "count  = 0", "for_each = var.sites")
    _edit(hcl / "main.tf", 'remote_subnets   = ["192.168.70.0/24"]', "remote_subnets   = [each.value.remote]")
    (hcl / "sites.tf").write_text('variable "sites" {\n  default = {\n    tj = { remote = "192.168.71.0/24" }\n'
                                  '    bj = { remote = "192.168.70.0/24" }\n  }\n}\n')
    tunnels = alibaba.load(str(hcl))
    assert [(t.endpoint.selectors[0].source.field.split(".alicloud")[0], [str(n) for n in t.remote_subnets])
            for t in tunnels][::2] == [
        ('module.bj_vpn["bj"]', ["192.168.70.0/24"]), ('module.bj_vpn["tj"]', ["192.168.71.0/24"])]


def test_resource_for_each_that_does_not_resolve_is_an_error(tmp_path):
    root = _branch_tf(tmp_path / "a", conn_args="  for_each = data.alicloud_vpn_gateways.all.ids\n")
    errors = []
    assert alibaba.load(str(root), errors=errors) == []
    assert "alicloud_vpn_connection.branch: cannot verify: for_each = data.alicloud_vpn_gateways.all.ids" in \
        errors[0].message


def test_remote_modules_are_named_and_no_connection_beside_them_is_an_error(tmp_path):
    root = tmp_path / "infra"
    root.mkdir()
    (root / "main.tf").write_text('module "bj" {\n  source  = "git::https://git.example.com/netops/tf-ipsec.git'
                                  '//conn?ref=v2"\n}\nmodule "sh" {\n  source  = "app.terraform.io/corp/site/alicloud"'
                                  '\n  version = "1.2.0"\n}\n')
    errors = []
    assert alibaba.load(str(root), errors=errors) == []
    assert any('it may be in the remote module(s) "bj"' in e.message and '"sh" (app.terraform.io/corp/site/alicloud)'
               in e.message for e in errors)
    r = CliRunner().invoke(app, ["audit", str(tmp_path)])
    assert r.exit_code == 2 and "may be in the remote module" in r.output


def test_a_remote_module_beside_a_connection_is_a_note(tmp_path):
    root = _branch_tf(tmp_path / "a", extra='module "vpc" {\n  source = "alibaba/vpc/alicloud"\n}\n')
    lookups, errors = alibaba.Lookups(), []
    assert len(alibaba.load(str(root), lookups, errors=errors)) == 1 and errors == []
    assert [n.message for n in lookups.notes] == ['module "vpc": source alibaba/vpc/alicloud is not a local folder: '
                                                  "its resources are not read (only ./ and ../ sources are)"]


@pytest.mark.parametrize("grow", ['"${local.a%d}${local.a%d}"', "[local.a%d, local.a%d]"])
def test_values_that_double_through_locals_are_capped(tmp_path, grow):
    lines = ['  a0 = "xxxxxxxx"' if grow.startswith('"') else '  a0 = ["10.0.0.0/8"]']
    lines += [f"  a{i} = " + grow % (i - 1, i - 1) for i in range(1, 41)]
    root = _branch_tf(tmp_path / "a", extra="locals {\n" + "\n".join(lines) + "\n}\n")
    _edit(root / "vpn.tf", 'remote_subnet       = ["192.168.12.0/24"]', "remote_subnet       = local.a40")
    (t,) = alibaba.load(str(root))
    assert t.remote_subnets == [] and "remote_subnet" in t.unknown[0]
    found = all_findings(root, device(BRANCH / "branch-router.cfg"))
    assert any(f.code == "KnownAfterApply" and "value too large" in f.message for f in found)


def test_plan_whose_tunnels_are_known_after_apply_is_not_checked_as_a_single_tunnel(tmp_path):
    def tunnels_after_apply(change):
        del change["after"]["tunnel_options_specification"]
        change["after_unknown"]["tunnel_options_specification"] = True
        change["after_unknown"].update(ike_config=True, ipsec_config=True)

    found = all_findings(_plan(tmp_path, tunnels_after_apply), device(ASA))
    errors = [f.message for f in found if f.severity == "error"]
    assert errors == ["cannot verify until apply: tunnel_options_specification (the connection's tunnels, one or two, "
                      "and their addresses); the tunnel's gateway address is not known, so it was paired with no "
                      "device tunnel and nothing of it was compared (check again once the VPN gateway exists) (error, "
                      "not info: nothing of this tunnel was compared)"]
    assert {f.code for f in found} == {"KnownAfterApply"}


def test_an_override_file_merges_into_the_connection_it_overrides(tmp_path):
    root = _branch_tf(tmp_path / "a")
    (root / "vpn_override.tf").write_text('resource "alicloud_vpn_connection" "branch" {\n'
                                          '  name = "sh-branch-12-ovr"\n  ipsec_config {\n'
                                          '    ipsec_pfs = "group5"\n  }\n}\n')
    (t,) = alibaba.load(str(root))  # one connection, not a second one built from the override alone
    assert t.connection_name == "sh-branch-12-ovr"
    # nested blocks of a type are replaced whole: the original ipsec_config's algorithms are gone
    assert (t.endpoint.ipsec.pfs_group, t.endpoint.ipsec.proposals[0].encryption[0]) == (5, "aes128")
    assert t.endpoint.ipsec.src["pfs_group"].file.endswith("vpn_override.tf")
    assert t.endpoint.ipsec.proposals[0].src["integrity"].defaulted  # absent from the override block: API default


def test_a_create_before_destroy_replace_is_not_described_as_delete_first(tmp_path):
    found = all_findings(_plan(tmp_path, lambda c: c.update(actions=["create", "delete"])), device(ASA))
    assert [f.code for f in found] == ["PlanReplacesConnection"] * 2
    assert "create_before_destroy: the new one is created, then the old one deleted" in found[0].message
    assert "delete, then create" not in found[0].message


def test_an_unresolved_subnet_says_why_and_where(tmp_path):
    root = _branch_tf(tmp_path / "a")
    _edit(root / "vpn.tf", 'remote_subnet       = ["192.168.12.0/24"]',
          "remote_subnet       = data.alicloud_vpcs.v.vpcs[0].cidr_block")
    (f,) = [f for f in all_findings(root, device(BRANCH / "branch-router.cfg")) if f.code == "KnownAfterApply"]
    assert f.message == ("cannot verify: remote_subnet (data.alicloud_vpcs.v.vpcs[0].cidr_block is not a literal, "
                         "var. or local. reference)")
    assert f.alibaba.file.endswith("vpn.tf") and f.alibaba.line == 11


def test_audit_names_each_for_each_instance_and_the_one_no_device_pairs_with(tmp_path):
    infra = tmp_path / "infra"
    shutil.copytree(TF / "hcl", infra)
    shutil.copy(ASA, tmp_path / "bj-dc-asa01.cfg")
    _edit(infra / "main.tf", 'source = "./modules/ipsec"', 'for_each = var.sites\n  source   = "./modules/ipsec"')
    _edit(infra / "main.tf", "customer_ip      = var.customer_ip", "customer_ip      = each.value.ip")
    (infra / "sites.tf").write_text('variable "sites" {\n  default = {\n    bj = { ip = "203.0.113.100" }\n'
                                    '    tj = { ip = "203.0.113.101" }\n  }\n}\n')
    r = CliRunner().invoke(app, ["audit", str(tmp_path), "--format", "json"])
    report = json.loads(r.stdout)
    assert report["audit"]["connections"] == 2 and report["audit"]["tunnels"] == 4
    unpaired = [(u["connection"], u["role"], u["customer_gateway"]) for u in report["audit"]["unpaired_tunnels"]]
    assert unpaired == [('module.bj_vpn["tj"].alicloud_vpn_connection.dual', role, "203.0.113.101")
                        for role in ("master", "slave")]


_IPSEC_FIELDS = ("ipsec_enc_alg", "ipsec_auth_alg", "ipsec_pfs", "ipsec_lifetime")


@pytest.mark.parametrize("after", [[{}], [], None], ids=["empty-object", "empty-list", "absent"])
def test_a_block_whose_every_value_is_known_after_apply_is_not_defaulted(tmp_path, after):
    def unknown_block(change):
        tunnel = change["after"]["tunnel_options_specification"][0]
        if after is None:
            del tunnel["tunnel_ipsec_config"]
        else:
            tunnel["tunnel_ipsec_config"] = after
        change["after_unknown"]["tunnel_options_specification"][0]["tunnel_ipsec_config"] = [
            {k: True for k in _IPSEC_FIELDS}]

    found = all_findings(_plan(tmp_path, unknown_block), device(ASA))
    # API defaults (aes128 / md5 / group2 / 86400 s) would be four mismatches against the ASA
    assert sorted(f.message for f in found) == [
        f"cannot verify until apply: tunnel_options_specification[0].tunnel_ipsec_config[0].{k}"
        for k in sorted(_IPSEC_FIELDS)]
    src = alibaba.load(str(tmp_path / "plan.json"))[0].endpoint.ipsec.proposals[0].src["encryption"]
    assert not src.defaulted and "known after apply" in src.note


def test_hcl_block_whose_every_argument_is_an_unset_variable_is_not_defaulted(hcl):
    module = hcl / "modules" / "ipsec" / "main.tf"
    for old, var in (('ipsec_enc_alg  = "aes256"', "x_enc"), ('ipsec_auth_alg = "sha1"', "x_auth"),
                     ('ipsec_pfs      = "group14"', "x_pfs"), ("ipsec_lifetime = var.ipsec_lifetime", "x_life")):
        _edit(module, old, old.split("=")[0] + f"= var.{var}")
    (module.parent / "variables.tf").write_text((module.parent / "variables.tf").read_text() + "".join(
        f'variable "{v}" {{}}\n' for v in ("x_enc", "x_auth", "x_pfs", "x_life")))
    found = all_findings(hcl, device(ASA))
    master = [f for f in found if "tunnel_options_specification[0]" in f.message]
    assert {f.code for f in found} == {"KnownAfterApply"}
    assert sorted(f.message.split(" (")[0] for f in master) == [
        f"cannot verify: tunnel_options_specification[0].tunnel_ipsec_config[0].{k}" for k in sorted(_IPSEC_FIELDS)]


@pytest.mark.parametrize("ignored, named", [("[psk, tunnel_options_specification]", "lists psk, "
                                             "tunnel_options_specification"), ("all", "ignores all changes"),
                                            ("[tags, vpn_connection_name]", None)])
def test_hcl_lifecycle_ignore_changes_is_said_by_name(hcl, ignored, named):
    """Terraform no longer enforces an ignored argument once the connection exists: the deployed value may differ
    from the file, so the report says which (still compared: a create deploys them); tags alone say nothing."""
    module = hcl / "modules" / "ipsec" / "main.tf"
    _edit(module, "  remote_subnet       = var.remote_subnets\n",
          "  remote_subnet       = var.remote_subnets\n  lifecycle {\n    ignore_changes = %s\n  }\n" % ignored)
    lookups, errors = alibaba.Lookups(), []
    tunnels = alibaba.load(str(hcl / "main.tf"), lookups, errors=errors)
    assert tunnels and not errors
    notes = [n for n in lookups.notes if "ignore_changes" in n.message]
    if named is None:
        assert not notes
        return
    assert len(notes) == 1 and named in notes[0].message and "deployed values may differ" in notes[0].message
    assert notes[0].file.endswith("modules/ipsec/main.tf") and notes[0].line == 13
    assert "module.bj_vpn.alicloud_vpn_connection.dual" in notes[0].message
    out = CliRunner().invoke(app, ["check", str(hcl / "main.tf"), str(ASA), "--format", "json"])
    assert named in out.stderr and all(k not in out.output + out.stderr for k in KEYS)
