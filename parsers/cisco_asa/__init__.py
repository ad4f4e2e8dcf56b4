"""Cisco ASA: the vendor name and detection markers (package layout: docs/architecture.md)."""
from __future__ import annotations

VENDOR = "cisco-asa"

# what only this family writes, anchored at a line start (parsers.registry scores them)
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

# The line an ASA export opens with, after `: Saved` and the `:` comment lines (the ASA 9.0 export in
# ../shared/corpus, ciscoconfparse); IOS and the VRP family print no `ASA Version` line. Decisive only as the
# export's first real line (parsers.registry). Unverified in a Cisco document.
OPENING = r"ASA Version \d"
