"""H3C Comware 5 and 7. The vendor's package: ``parser`` (text -> model), ``defaults`` (what the device applies when a
line is absent, per release, with sources), ``fixes`` (fix intents -> commands), ``doc`` (its part of
docs/vendors.md) and, here, the detection markers: the registry imports only this module to detect a vendor."""
from __future__ import annotations

VENDOR = "h3c-comware"

# Syntax that only this family writes (regexes anchored at a line start); see parsers.registry.
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
]
