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
