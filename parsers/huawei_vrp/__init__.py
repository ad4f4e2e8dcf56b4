"""Huawei VRP (AR routers, USG firewalls): the vendor name and detection markers (package layout: docs/architecture.md)."""
from __future__ import annotations

VENDOR = "huawei-vrp"

# what only this family writes, anchored at a line start (parsers.registry scores them)
MARKERS = [
    r"^\[V\d{3}R\d{3}",
    r"^ sysname ",
    r"^sysname ",
    r"^ike peer ",
    r"^ipsec proposal ",
    r"^ transform (esp|ah|ah-esp)",
    r"^ ipsec policy \S+[ \t\r]*$",
    r"^acl number 3\d{3}",
    r"^ pre-shared-key (cipher|simple) ",
    r"^ ike-peer ",
    r"^ remote-address ",
    r"^ dh group\d+",
    r"^ (esp|ah) authentication-algorithm sha2-",
    r"^ encryption-algorithm aes-(128|192|256)",
]
