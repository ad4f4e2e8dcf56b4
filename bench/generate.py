"""Generate a realistic benchmark set: device configs of all four vendors (branch routers of ~300 lines,
campus firewalls of ~5,000, core routers of ~50,000 with a small IPsec section) and the Alibaba side as
DescribeVpnConnections pages. Every device pairs with exactly one connection; one in five connections
carries a realistic mismatch (PFS group, lifetime, IKE hash) so the checks have work to report.

    python bench/generate.py OUT_DIR --devices 5000 [--campus 0.1] [--core 0] [--seed 1]
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "fixtures" / "pairs"
TEMPLATES = {"cisco-ios": "ikev1-map.cfg", "cisco-asa": "ikev1-map.asa.cfg", "huawei-vrp": "ikev1-map.huawei.cfg",
             "h3c-comware": "ikev1-map.h3c.cfg"}
PER_GATEWAY = 25  # connections per VPN gateway (one VPC, many branches)


def _addresses(i: int) -> dict[str, str]:
    gw = i // PER_GATEWAY
    return {"198.51.100.60": f"198.18.{gw // 250}.{gw % 250 + 1}",  # Alibaba gateway (benchmark range)
            # 62 devices per /24 from 198.19.0.0; past 15,872 devices the next /16s (198.20...) follow
            "203.0.113.61": f"198.{19 + i // 62 // 256}.{i // 62 % 256}.{(i % 62) * 4 + 2}",  # next hop
            "203.0.113.60": f"198.{19 + i // 62 // 256}.{i // 62 % 256}.{(i % 62) * 4 + 1}",  # device outside address
            "172.20.8.0": f"10.{128 + (i // 64) % 120}.{(i % 64) * 4}.0",  # branch LAN, /22-aligned
            "172.20.8.1": f"10.{128 + (i // 64) % 120}.{(i % 64) * 4}.1",
            "hzDC-7q!Lm2#vR9k": f"bench-Key-{i:06d}#x"}


def _filler(vendor: str, lines: int, rnd: random.Random) -> list[str]:
    """Vendor-plausible configuration that is not IPsec: access ports, VLANs, ACL lines, static routes."""
    out: list[str] = []
    n = 0
    while len(out) < lines:
        n += 1
        vlan = 100 + n % 3000
        host = f"10.{n // 65536 % 100}.{n // 256 % 256}.{n % 256}"
        kind = n % 4
        if vendor == "cisco-ios":
            out += [f"interface GigabitEthernet1/{n // 48}/{n % 48 + 1}", f" description access port {n}",
                    f" switchport access vlan {vlan}", " switchport mode access", " spanning-tree portfast", "!"] \
                if kind == 0 else [f"ip route {host} 255.255.255.255 Null0 tag {n}"] if kind == 1 else \
                [f"ip access-list extended USER-{n % 50}", f" permit tcp any host {host} eq {rnd.choice((22, 80, 443, 8080))}"] \
                if kind == 2 else [f"snmp-server host {host} version 2c public{n % 7}"]
        elif vendor == "cisco-asa":
            out += [f"access-list OUTSIDE-IN extended permit tcp any host {host} eq {rnd.choice(('https', 'www', 'ssh'))}"] \
                if kind != 3 else [f"object network SRV-{n}", f" host {host}", f" description server {n}"]
        else:  # Huawei VRP and H3C Comware share this shape
            out += [f"interface GigabitEthernet1/0/{n % 48 + 1}", f" description access port {n}",
                    f" port link-type access", f" port default vlan {vlan}", "#"] if kind == 0 else \
                [f"ip route-static {host} 255.255.255.255 NULL0 tag {n}"] if kind == 1 else \
                [f"acl number {3100 + n % 50}", f" rule {n % 1000 * 5} permit tcp destination {host} 0 "
                                                 f"destination-port eq {rnd.choice((22, 80, 443))}"] if kind == 2 else \
                [f"snmp-agent target-host trap address udp-domain {host} params securityname public{n % 7}"]
    return out[:lines]


def device_config(i: int, vendor: str, lines: int, rnd: random.Random) -> str:
    text = (PAIRS / TEMPLATES[vendor]).read_text()
    for old, new in _addresses(i).items():
        text = text.replace(old, new)
    body = text.splitlines()
    extra = max(0, lines - len(body))
    # filler goes before the IPsec blocks (as in real exports, where interfaces and ACLs come first)
    cut = next((k for k, l in enumerate(body) if l.startswith(("crypto", "ike ", "ipsec ", "acl "))), len(body))
    return "\n".join(body[:cut] + _filler(vendor, extra, rnd) + body[cut:]) + "\n"


def connection(i: int, rnd: random.Random) -> dict:
    conn = json.loads((PAIRS / "ikev1-map.json").read_text())
    for key in ("RequestId", "Status", "State"):
        conn.pop(key, None)
    text = json.dumps(conn)
    for old, new in _addresses(i).items():
        text = text.replace(old, new)
    conn = json.loads(text)
    gw = i // PER_GATEWAY
    conn.update(VpnConnectionId=f"vco-bench{i:08d}", Name=f"branch-{i:05d}", VpnGatewayId=f"vpn-bench{gw:06d}",
                CustomerGatewayId=f"cgw-bench{i:08d}")
    conn["VcoHealthCheck"]["Dip"] = _addresses(i)["172.20.8.1"]
    if i % 5 == 4:  # a realistic mismatch in one of five
        change = rnd.choice((("IpsecConfig", "IpsecPfs", "group5"), ("IkeConfig", "IkeLifetime", 28800),
                             ("IkeConfig", "IkeAuthAlg", "sha1")))
        conn[change[0]][change[1]] = change[2]
    return conn


def generate(out: Path, devices: int, campus: float = 0.1, core: int = 0, seed: int = 1) -> dict:
    rnd = random.Random(seed)
    vendors = list(TEMPLATES)
    (out / "alibaba").mkdir(parents=True, exist_ok=True)
    sizes = {"branch": 0, "campus": 0, "core": 0}
    lines_total = 0
    conns = []
    for i in range(devices):
        vendor = vendors[i % 4]
        kind = "core" if i < core else "campus" if rnd.random() < campus else "branch"
        target = {"branch": 300, "campus": 5_000, "core": 50_000}[kind]
        folder = out / "devices" / vendor / f"site{i // 500:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        text = device_config(i, vendor, target, rnd)
        (folder / f"{kind}-{i:06d}.cfg").write_text(text)
        lines_total += text.count("\n")
        sizes[kind] += 1
        conns.append(connection(i, rnd))
    for page in range(0, len(conns), 100):
        batch = conns[page:page + 100]
        doc = {"RequestId": f"BENCH-{page:08d}", "TotalCount": len(conns), "PageNumber": page // 100 + 1,
               "PageSize": 100, "VpnConnections": {"VpnConnection": batch}}
        (out / "alibaba" / f"describe-vpn-connections-{page // 100 + 1:04d}.json").write_text(json.dumps(doc))
    return {"devices": devices, "lines": lines_total, **sizes, "alibaba_pages": (len(conns) + 99) // 100}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--devices", type=int, default=5000)
    ap.add_argument("--campus", type=float, default=0.1, help="share of ~5,000-line campus configs")
    ap.add_argument("--core", type=int, default=0, help="number of ~50,000-line core configs")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    print(json.dumps(generate(a.out, a.devices, a.campus, a.core, a.seed)))


if __name__ == "__main__":
    main()
