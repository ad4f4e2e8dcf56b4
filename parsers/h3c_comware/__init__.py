"""H3C Comware 5 and 7: the vendor name and detection markers (package layout: docs/architecture.md)."""
from __future__ import annotations

VENDOR = "h3c-comware"

# what only this family writes, anchored at a line start (parsers.registry scores them)
MARKERS = [
    r"^ version [57]\.\d",
    r"^ike keychain ",
    r"^ike profile ",
    r"^ipsec transform-set ",
    r"^ ipsec apply policy ",
    r"^acl advanced ",
    r"^ local-identity ",
    r"^ match remote identity ",
    r"^ encryption-algorithm aes-cbc-",
    r"^ikev2 keychain ",
    r"^ protocol (esp|ah|ah-esp)",
    r"^ esp encryption-algorithm aes-cbc-",
    r"^ port link-mode route",
]

# A line that settles the family on its own (parsers.registry checks it before scoring): Comware 5 exports
# (` version 5.20, Release 2516P01`) otherwise score as Huawei VRP, whose `ike peer` / `ipsec proposal` /
# `acl number` syntax they share. Huawei prints its release as `V200R010C10SPC700`, never ", Release|ESS NNNN".
DECISIVE = r"^ ?version [57]\.\d+(?:\.\d+)?, (?:Release|ESS) \d{4}"
