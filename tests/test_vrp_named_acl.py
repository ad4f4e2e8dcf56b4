"""Huawei VRP / H3C Comware ACLs named by a name and a number at once (Huawei `acl name VPN 3000`, H3C `acl number
3000 name VPN`, `acl advanced name VPN` with ` security acl name VPN`): the policy's ACL is found by either
reference and its flows are compared (a false "security acl ... is not defined" before)."""
import json

import pytest

from conftest import FIXTURES, codes, edit

PAIRS = FIXTURES / "pairs"
CONN = json.loads((PAIRS / "ikev1-map.json").read_text())
HUAWEI = (PAIRS / "ikev1-map.huawei.cfg").read_text()
H3C = (PAIRS / "ikev1-map.h3c.cfg").read_text()

FORMS = {
    "huawei name+number": edit(HUAWEI, ("acl number 3000\n", "acl name ALIYUN 3000\n")),
    "huawei number, referenced by name": edit(HUAWEI, ("acl number 3000\n", "acl name ALIYUN 3000\n"),
                                              (" security acl 3000", " security acl ALIYUN")),
    "h3c name, security acl name": edit(H3C, ("acl advanced 3000\n", "acl advanced name ALIYUN\n"),
                                        (" security acl 3000", " security acl name ALIYUN")),
    "h3c number+name": edit(H3C, ("acl advanced 3000\n", "acl number 3000 name ALIYUN\n")),
}


@pytest.mark.parametrize("form", FORMS)
def test_a_named_and_numbered_acl_is_found_and_compared(run, form):
    found = codes(run(CONN, FORMS[form]))
    assert "DeviceConfigIncomplete" not in found and "TrafficSelectorMismatch" not in found, found
    other = json.loads(json.dumps(CONN))
    other["RemoteSubnet"] = "172.31.0.0/22"  # the device protects 172.20.8.0/22: now a real mismatch
    assert "error" in codes(run(other, FORMS[form])).get("TrafficSelectorMismatch", set())
