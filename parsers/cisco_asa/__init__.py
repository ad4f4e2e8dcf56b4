"""Cisco ASA. The vendor's package: ``parser`` (text -> model), ``defaults`` (what the device applies when a
line is absent, per release, with sources), ``fixes`` (fix intents -> commands), ``doc`` (its part of
docs/vendors.md) and, here, the detection markers: the registry imports only this module to detect a vendor."""
from __future__ import annotations

VENDOR = "cisco-asa"

# Syntax that only this family writes (regexes anchored at a line start); see parsers.registry.
MARKERS = [
    r"^: Saved",
    r"^ASA Version ",
    r"^ nameif ",
    r"^ security-level ",
    r"^crypto ikev1 ",
    r"^crypto ipsec ikev[12] ",
    r"^tunnel-group \S+ type ipsec-l2l",
    r"^crypto map \S+ \d+ set ",
    r"^crypto map \S+ interface ",
    r"^object-group network ",
    r"^webvpn",
    r"^tunnel-group ",
    r"^group-policy \S+ (internal|attributes)",
    r"^ vpn-tunnel-protocol ",
]
