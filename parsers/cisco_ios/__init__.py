"""Cisco IOS / IOS-XE. The vendor's package: ``parser`` (text -> model), ``defaults`` (what the device applies when a
line is absent, per release, with sources), ``fixes`` (fix intents -> commands), ``doc`` (its part of
docs/vendors.md) and, here, the detection markers: the registry imports only this module to detect a vendor."""
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
