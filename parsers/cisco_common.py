"""Cisco syntax shared by IOS and ASA: addresses with wildcard/net masks, ports, type 7 keys."""
from __future__ import annotations

from netaddr import AddrFormatError, IPAddress, IPNetwork

from parsers.values import is_ipv4, is_uint  # is_ipv4 is also imported from here by the vendor parsers

# Cisco named ports that matter for IKE (IOS/ASA port keyword tables).
PORT_NAMES = {"isakmp": 500, "non500-isakmp": 4500, "bootps": 67, "domain": 53, "www": 80, "https": 443,
              "ssh": 22, "telnet": 23, "ntp": 123, "snmp": 161}

_XLAT = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"


def decode_type7(cipher: str) -> str | None:
    """Reverse a Cisco type 7 string (a fixed XOR table, not encryption). None if malformed."""
    try:
        seed = int(cipher[:2])
        raw = bytes.fromhex(cipher[2:])
    except ValueError:
        return None
    if not raw:
        return None
    return "".join(chr(b ^ ord(_XLAT[(seed + i) % len(_XLAT)])) for i, b in enumerate(raw))


def mask_to_prefix(mask: str, wildcard: bool) -> int | None:
    """Prefix length of a netmask or wildcard mask; None when the mask is not contiguous."""
    try:
        value = int(IPAddress(mask))
    except (AddrFormatError, ValueError):
        return None
    if wildcard:
        value ^= 0xFFFFFFFF
    prefix = bin(value).count("1")
    return prefix if value == (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF else None


def network(ip: str, mask: str | None = None, wildcard: bool = False) -> IPNetwork | None:
    """``ip`` + mask -> network, or None when either part is not a valid IPv4 value."""
    if is_ipv4(ip):  # the usual dotted quad: to an integer without netaddr's string parser
        a, b, c, d = ip.split(".")
        value = int(a) << 24 | int(b) << 16 | int(c) << 8 | int(d)
    else:
        try:
            value = int(IPAddress(ip, version=4))
        except (AddrFormatError, ValueError):
            return None
    if mask is None:
        return IPNetwork((value, 32), version=4)
    prefix = mask_to_prefix(mask, wildcard)
    # built from integers: parsing the text again (and .cidr) cost 5x as much, on every ACL line
    return None if prefix is None else IPNetwork((value & (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF, prefix),
                                                 version=4)


def parse_ports(words: list[str], i: int) -> tuple[list[tuple[int, int]] | None, int]:
    """Parse an optional port operator at ``words[i]``: (port ranges or None = any port, next index)."""
    if i >= len(words):
        return None, i
    op = words[i]

    def port(word: str) -> int | None:
        return int(word) if is_uint(word) else PORT_NAMES.get(word)

    if op == "eq":
        ranges, j = [], i + 1
        while j < len(words) and port(words[j]) is not None:
            ranges.append((port(words[j]), port(words[j])))
            j += 1
        return ranges or None, j
    if op == "range" and i + 2 < len(words):
        lo, hi = port(words[i + 1]), port(words[i + 2])
        return ([(lo, hi)] if lo is not None and hi is not None else None), i + 3
    if op in ("gt", "lt", "neq") and i + 1 < len(words):
        ref = port(words[i + 1])
        if ref is None:
            return None, i + 2
        ranges = {"gt": [(ref + 1, 65535)], "lt": [(0, ref - 1)], "neq": [(0, ref - 1), (ref + 1, 65535)]}[op]
        return ranges, i + 2
    return None, i


def ikev2_values(p, words: list[str], source, encryption: dict, hashes: dict) -> bool:
    """An `encryption|integrity|prf|group V...` line of an IKEv2 proposal (IOS) or policy (ASA), read into
    ``p`` with its source; False for any other line. The two vendors differ only in the keyword spellings."""
    key = words[0]
    if key == "encryption":
        p.encryption = [encryption.get(x, x) for x in words[1:]]
    elif key in ("integrity", "prf"):
        setattr(p, key, [hashes.get(x, x) for x in words[1:]])
    elif key == "group":
        p.dh_groups, key = [int(x) for x in words[1:] if is_uint(x)], "dh_groups"
    else:
        return False
    p.src[key] = source
    return True
