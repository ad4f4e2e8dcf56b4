"""Bounded work on hostile inputs (issue 12, item 5): each input that used to take minutes or tens of GB runs
through the real CLI and must give the same verdicts (finding codes and severities) with a bounded report.
No timing assertions here (project rule): bench/run.py measures time and memory of the same inputs
(``python bench/run.py --only 5``); the subprocess timeouts below are only hang guards.

The generators build on the real fixtures so the inputs look like real exports; bench/run.py imports them."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "fixtures" / "pairs"
ALIBABA = ROOT / "fixtures" / "alibaba"


# ---------------------------------------------------------------------------------------------- generators
# Each returns the arguments of one CLI run (after the command) and writes its inputs into ``folder``.

def cidr_grid(folder: Path, n: int = 100) -> list[str]:
    """An IKEv2 connection with n LocalSubnet x n RemoteSubnet CIDRs (a 3.8 KB JSON at n=100) against the IOS
    device of the fixture, whose one ACL line is one of the n*n pairs."""
    conn = json.loads((PAIRS / "ikev2-map.json").read_text())
    conn["LocalSubnet"] = ",".join(["10.90.1.0/24"] + [f"10.91.{i}.0/24" for i in range(n - 1)])
    conn["RemoteSubnet"] = ",".join(["192.168.50.0/24"] + [f"192.168.{100 + i % 150}.{i // 150 * 4}/30"
                                                          for i in range(n - 1)])
    (folder / "grid.json").write_text(json.dumps(conn, indent=2))
    (folder / "grid.cfg").write_text((PAIRS / "ikev2-map.cfg").read_text())
    return ["check", str(folder / "grid.json"), str(folder / "grid.cfg")]


def asa_object_groups(folder: Path, hosts: int = 45) -> list[str]:
    """The ASA fixture with its crypto ACL written over two object-groups of ``hosts`` hosts each."""
    cfg = (PAIRS / "ikev1-map.asa.cfg").read_text()
    groups = ("object-group network DC-HOSTS\n" + "".join(f" network-object host 172.20.8.{i + 1}\n"
                                                           for i in range(hosts))
              + "object-group network VPC-HOSTS\n" + "".join(f" network-object host 10.60.0.{i + 1}\n"
                                                             for i in range(hosts)))
    old = "access-list VPN-ALIYUN extended permit ip object DC-LAN object ALIYUN-VPC\n"
    assert old in cfg
    cfg = cfg.replace(old, groups + "access-list VPN-ALIYUN extended permit ip object-group DC-HOSTS "
                                    "object-group VPC-HOSTS\n")
    (folder / "groups.asa.cfg").write_text(cfg)
    return ["check", str(PAIRS / "ikev1-map.json"), str(folder / "groups.asa.cfg")]


def long_crypto_acl(folder: Path, lines: int = 50_000) -> list[str]:
    """The IOS fixture whose crypto ACL has ``lines`` permit lines (one host pair each) after the real one."""
    cfg = (PAIRS / "ikev1-map.cfg").read_text()
    old = " permit ip 172.20.8.0 0.0.3.255 10.60.0.0 0.0.255.255\n"
    assert old in cfg
    extra = "".join(f" permit ip host 172.21.{i // 250 % 250}.{i % 250 + 1} host 10.61.{i // 250 % 250}."
                    f"{i % 250 + 1}\n" for i in range(lines - 1))
    (folder / "acl.cfg").write_text(cfg.replace(old, old + extra))
    return ["check", str(PAIRS / "ikev1-map.json"), str(folder / "acl.cfg")]


def long_transform_set(folder: Path, size: int = 2_000_000) -> list[str]:
    """The IOS fixture whose transform-set line is ``size`` bytes long: its words, then words it does not know."""
    cfg = (PAIRS / "ikev1-map.cfg").read_text()
    old = "crypto ipsec transform-set TS-ALIYUN esp-aes 256 esp-sha256-hmac\n"
    assert old in cfg
    words = " esp-aes 256 esp-sha256-hmac esp-3des esp-md5-hmac esp-aes-xyz 1x"
    (folder / "ts.cfg").write_text(cfg.replace(old, old[:-1] + words * (size // len(words)) + "\n"))
    return ["check", str(PAIRS / "ikev1-map.json"), str(folder / "ts.cfg")]


def long_suppression(folder: Path, size: int = 100_000) -> list[str]:
    """The IOS fixture with a 100 KB suppression comment: codes separated by runs of spaces, then a character
    the code list does not allow (so no match, after every split of the spaces was tried)."""
    cfg = (PAIRS / "ikev1-map.cfg").read_text()
    comment = "! ipsec-preflight: disable=LifetimeMismatch" + " " * size + "!\n"
    (folder / "supp.cfg").write_text(comment + cfg)
    return ["check", str(PAIRS / "ikev1-map.json"), str(folder / "supp.cfg")]


def blank_tail(folder: Path, size: int = 191_000) -> list[str]:
    """The Huawei fixture followed by ``size`` bytes of blank lines (spaces and CRLF, as an editor pads)."""
    cfg = (PAIRS / "ikev1-map.huawei.cfg").read_text()
    (folder / "blank.huawei.cfg").write_text(cfg + " \r\n" * (size // 3))
    return ["check", str(PAIRS / "ikev1-map.json"), str(folder / "blank.huawei.cfg")]


def overlapping_connections(folder: Path, n: int = 3_000) -> list[str]:
    """An audit: one DescribeVpnConnections page of ``n`` connections on one VPN gateway, all protecting
    overlapping flows, plus the IOS fixture's device."""
    page = json.loads((ALIBABA / "describe-vpn-connections-page.json").read_text())
    base = json.loads((PAIRS / "ikev1-map.json").read_text())
    conns = []
    for i in range(n):
        c = json.loads(json.dumps(base))
        c.pop("RequestId", None)
        c["VpnConnectionId"] = f"vco-bp1overlap{i:010d}"
        c["Name"] = f"branch-{i:05d}"
        c["CustomerGatewayId"] = f"cgw-bp1overlap{i:010d}"
        c["IkeConfig"]["RemoteId"] = f"198.19.{i // 250}.{i % 250 + 1}"
        c["RemoteSubnet"] = "172.20.8.0/22" if i == 0 else f"172.{16 + i % 4}.0.0/{14 + i % 3}"
        conns.append(c)
    page["TotalCount"] = page["PageSize"] = n
    page["VpnConnections"]["VpnConnection"] = conns
    audit = folder / "overlap"
    audit.mkdir(exist_ok=True)
    (audit / "connections.json").write_text(json.dumps(page))
    (audit / "hz-dc.cfg").write_text((PAIRS / "ikev1-map.cfg").read_text())
    return ["audit", str(audit), "--jobs", "1"]


GENERATORS = {"cidr-grid-100x100": cidr_grid, "asa-object-groups-45x45": asa_object_groups,
              "crypto-acl-50000-lines": long_crypto_acl, "transform-set-2MB": long_transform_set,
              "suppression-comment-100KB": long_suppression, "huawei-blank-tail-191KB": blank_tail,
              "overlapping-connections-3000": overlapping_connections}
