"""Canonical algorithm names shared by every parser and rule.

Encryption: des, 3des, aes128, aes192, aes256, aes128-gcm, aes192-gcm, aes256-gcm, null, sm4.
Integrity/PRF: md5, sha1, sha256, sha384, sha512, sm3, null.
DH groups are IANA group numbers (ints); ``dh_name`` gives the RFC name for display.
"""
from __future__ import annotations

_MODP = {1: "modp768", 2: "modp1024", 5: "modp1536", 14: "modp2048", 15: "modp3072", 16: "modp4096",
         17: "modp6144", 18: "modp8192", 19: "ecp256", 20: "ecp384", 21: "ecp521", 24: "modp2048s256"}

# What an Alibaba VPN gateway can be configured with (schema.md §8; SM gateways add sm4/sm3).
ALIBABA_ENCRYPTION = ("aes128", "aes192", "aes256", "des", "3des", "sm4")
ALIBABA_INTEGRITY = ("md5", "sha1", "sha256", "sha384", "sha512", "sm3")
ALIBABA_DH_GROUPS = (1, 2, 5, 14)


def dh_name(group: int | None) -> str:
    if group is None:
        return "off"
    return f"group{group} ({_MODP.get(group, 'unknown')})"
