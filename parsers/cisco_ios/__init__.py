"""Cisco IOS / IOS-XE: one package per vendor - ``parser`` (text -> model), ``defaults`` (what the device
applies when a line is absent, per release, with sources), ``fixes`` (fix intents -> commands) and the
detection markers below. Only this module is imported to detect a vendor; the rest loads on use."""
from __future__ import annotations

VENDOR = "cisco-ios"

# Syntax that only this family writes (regexes anchored at a line start); see parsers.registry.
MARKERS = [
    r"^crypto isakmp policy ",
    r"^crypto ikev2 (proposal|profile|keyring) ",
    r"^crypto keyring ",
    r"^crypto map \S+ \d+ ipsec-isakmp[ \t\r]*$",
    r"^ip access-list extended ",
    r"^interface (Gigabit|TenGigabit|FastEthernet)Ethernet",
    r"^ set peer ",
    r"^ tunnel protection ipsec profile ",
    r"^Building configuration",
    r"^ip route ",
    r"^crypto ipsec transform-set ",
    r"^crypto gdoi ",
    r"^crypto map \S+ local-address ",
]


def parse(text: str, file: str):
    from parsers.cisco_ios.parser import parse as _parse

    return _parse(text, file)
