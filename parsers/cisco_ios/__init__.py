"""Cisco IOS / IOS-XE: the vendor name and detection markers (package layout: docs/architecture.md)."""
from __future__ import annotations

VENDOR = "cisco-ios"

# what only this family writes, anchored at a line start (parsers.registry scores them)
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
