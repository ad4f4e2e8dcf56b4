"""H3C Comware 5 and 7: one package per vendor - ``parser`` (text -> model), ``defaults`` (what the device
applies when a line is absent, per release, with sources), ``fixes`` (fix intents -> commands) and the
detection markers below. Only this module is imported to detect a vendor; the rest loads on use."""
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


def parse(text: str, file: str):
    from parsers.h3c_comware.parser import parse as _parse

    return _parse(text, file)
