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

# The line `display current-configuration` (and the saved vrpcfg.cfg) opens with; decisive only as the export's
# first real line (parsers.registry). The release form VxxxRyyy is Huawei's. Seen in public exports (CE12800
# V200R005C10, S-series V200R022/V200R023 captures, an S5720 vrpcfg.cfg); unverified in a Huawei document.
OPENING = r"!Software Version V\d{3}R\d{3}"
