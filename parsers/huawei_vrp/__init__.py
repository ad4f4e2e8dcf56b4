"""Huawei VRP (AR routers, USG firewalls). The vendor's package: ``parser`` (text -> model), ``defaults`` (what the device applies when a
line is absent, per release, with sources), ``fixes`` (fix intents -> commands), ``doc`` (its part of
docs/vendors.md) and, here, the detection markers: the registry imports only this module to detect a vendor."""
from __future__ import annotations

VENDOR = "huawei-vrp"

# Syntax that only this family writes (regexes anchored at a line start); see parsers.registry.
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
