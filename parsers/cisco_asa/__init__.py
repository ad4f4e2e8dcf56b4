"""Cisco ASA: one package per vendor - ``parser`` (text -> model), ``defaults`` (what the device
applies when a line is absent, per release, with sources), ``fixes`` (fix intents -> commands) and the
detection markers below. Only this module is imported to detect a vendor; the rest loads on use."""
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


def parse(text: str, file: str):
    from parsers.cisco_asa.parser import parse as _parse

    return _parse(text, file)
