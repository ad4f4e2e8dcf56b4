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

# The line an IOS / IOS-XE export opens with, after `Building configuration...`, `Current configuration : N bytes`
# and `!` comments (the CSR1000v 16.4 capture in ../shared/corpus, batfish's IOS 15.2 export): two numbers and
# nothing after them (Comware writes ` version 7.1.064, Release 0821P16`, VRP no version line). Decisive only as
# the export's first real line (parsers.registry). Unverified in a Cisco document.
OPENING = r"version \d+\.\d+[ \t\r]*$"
