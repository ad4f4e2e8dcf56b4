"""Which parser reads which input. Vendor modules are imported only when a file needs them."""
from __future__ import annotations

import importlib
import re

from parsers.common import InputError

# vendor -> module exposing parse(text, file) -> DeviceConfig
VENDORS = {"cisco-ios": "parsers.cisco_ios", "cisco-asa": "parsers.cisco_asa", "huawei-vrp": "parsers.huawei_vrp",
           "h3c-comware": "parsers.h3c_comware"}

# Syntax that only one family writes. Each marker is counted once; the family with most markers wins.
_MARKERS = {
    "cisco-asa": [r"^: Saved", r"^ASA Version ", r"^ nameif ", r"^ security-level ", r"^crypto ikev1 ",
                  r"^crypto ipsec ikev[12] ", r"^tunnel-group \S+ type ipsec-l2l", r"^crypto map \S+ \d+ set ",
                  r"^crypto map \S+ interface ", r"^object-group network ", r"^webvpn", r"^tunnel-group ",
                  r"^group-policy \S+ (internal|attributes)", r"^ vpn-tunnel-protocol "],
    "cisco-ios": [r"^crypto isakmp policy ", r"^crypto ikev2 (proposal|profile|keyring) ", r"^crypto keyring ",
                  r"^crypto map \S+ \d+ ipsec-isakmp\s*$", r"^ip access-list extended ", r"^interface (Gigabit|TenGigabit|FastEthernet)Ethernet",
                  r"^ set peer ", r"^ tunnel protection ipsec profile ", r"^Building configuration", r"^ip route ",
                  r"^crypto ipsec transform-set ", r"^crypto gdoi ", r"^crypto map \S+ local-address "],
    "huawei-vrp": [r"^\[V\d{3}R\d{3}", r"^ sysname ", r"^sysname ", r"^ike peer ", r"^ipsec proposal ",
                   r"^ transform (esp|ah|ah-esp)", r"^ ipsec policy \S+\s*$", r"^acl number 3\d{3}",
                   r"^ pre-shared-key (cipher|simple) ", r"^ ike-peer ", r"^ remote-address ", r"^ dh group\d+",
                   r"^ (esp|ah) authentication-algorithm sha2-", r"^ encryption-algorithm aes-(128|192|256)"],
    "h3c-comware": [r"^ version [57]\.\d", r"^ike keychain ", r"^ike profile ", r"^ipsec transform-set ",
                    r"^ ipsec apply policy ", r"^acl advanced ", r"^ local-identity ", r"^ match remote identity ",
                    r"^ encryption-algorithm aes-cbc-", r"^ikev2 keychain ", r"^ protocol (esp|ah|ah-esp)",
                    r"^ esp encryption-algorithm aes-cbc-"],
}
# One pass over the text: every marker is an alternative of one line-anchored regex, named by its index.
_ORDER = [(v, m) for v, ms in _MARKERS.items() for m in ms]
_ALL = re.compile("^(?:" + "|".join(f"(?P<m{i}>{m.lstrip('^')})" for i, (_, m) in enumerate(_ORDER)) + ")",
                  re.MULTILINE)


def detect_vendor(text: str) -> str | None:
    """Best guess of the device family from the text alone; None when nothing is recognised."""
    # Exports open with version/hostname lines and end with the crypto and line sections: the first and
    # last 256 KB decide almost always; the rest (up to 2 MB, bounded work) only when they show nothing.
    # A clear lead (two markers more than any other family) in the first 16 KB settles it cheaply.
    scores = _scores(_ALL.finditer(text, 0, 16_384))
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] - ranked[1] < 2:
        if len(text) > 600_000:
            scores = _scores(m for part in (text[:262_144], text[-262_144:]) for m in _ALL.finditer(part))
            if max(scores.values()) == 0:
                scores = _scores(_ALL.finditer(text, 0, 2_000_000))
        else:
            scores = _scores(_ALL.finditer(text))
    best = max(scores, key=lambda v: scores[v])
    return best if scores[best] > 0 else None


def _scores(matches) -> dict[str, int]:
    scores = dict.fromkeys(_MARKERS, 0)
    for i in {int(m.lastgroup[1:]) for m in matches}:
        scores[_ORDER[i][0]] += 1
    return scores


def parse_device(text: str, file: str, vendor: str = "auto"):
    if vendor == "auto":
        detected = detect_vendor(text)
        if detected is None:
            raise InputError(file, "cannot tell the device vendor from the text; pass --vendor "
                                   f"({', '.join(VENDORS)})")
        vendor = detected
    if vendor not in VENDORS:
        raise InputError(file, f"unknown vendor {vendor!r} (supported: {', '.join(VENDORS)})")
    dev = importlib.import_module(VENDORS[vendor]).parse(text, file)
    if "ipsec-preflight" in text:  # inline suppressions are rare: skip the line scan otherwise
        from parsers.suppressions import find_suppressions
        dev.suppressions = find_suppressions(text.splitlines())
    return dev


def looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")
