"""Huawei VRP (AR routers, USG firewalls): one package per vendor - ``parser`` (text -> model), ``defaults`` (what the device
applies when a line is absent, per release, with sources), ``fixes`` (fix intents -> commands) and the
detection markers below. Only this module is imported to detect a vendor; the rest loads on use."""
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


def parse(text: str, file: str):
    from parsers.huawei_vrp.parser import parse as _parse

    return _parse(text, file)
