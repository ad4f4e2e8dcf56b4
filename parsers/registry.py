"""Which parser reads which input. Vendor modules are imported only when a file needs them."""
from __future__ import annotations

import importlib
import re

from parsers.common import InputError

# vendor -> module exposing parse(text, file) -> DeviceConfig
VENDORS = {"cisco-ios": "parsers.cisco_ios"}

_IOS_MARKERS = re.compile(r"^(crypto isakmp |crypto ikev2 |crypto ipsec transform-set |crypto map \S+ \d+ ipsec-isakmp|"
                          r"ip access-list extended |interface (Gigabit|TenGigabit|FastEthernet|Ethernet|Tunnel|Loopback))",
                          re.MULTILINE)


def detect_vendor(text: str) -> str | None:
    """Best guess of the device family from the text alone; None when nothing is recognised."""
    if _IOS_MARKERS.search(text):
        return "cisco-ios"
    return None


def parse_device(text: str, file: str, vendor: str = "auto"):
    if vendor == "auto":
        detected = detect_vendor(text)
        if detected is None:
            raise InputError(file, "cannot tell the device vendor from the text; pass --vendor "
                                   f"({', '.join(VENDORS)})")
        vendor = detected
    if vendor not in VENDORS:
        raise InputError(file, f"unknown vendor {vendor!r} (supported: {', '.join(VENDORS)})")
    return importlib.import_module(VENDORS[vendor]).parse(text, file)


def looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")
