"""`generate`: the device side of an Alibaba IPsec connection, in one vendor's syntax (issue 15, part 2).

Contract (lead, session 3): `generate(tunnels, vendor, style)` returns the whole device-side configuration for every
tunnel of the connection; each vendor's writer is `parsers.<package>.generate.render(tunnels, style)`. A value the
vendor does not offer raises `GenerateRefused` naming the Alibaba field. The pre-shared key is never written: the
writers put PSK_PLACEHOLDER where it goes.
"""
from __future__ import annotations

import importlib

from parsers.generation import STYLES, GenerateRefused  # noqa: F401  (re-exported: the CLI catches it)
from parsers.registry import VENDORS


def generate(tunnels: list, vendor: str, style: str = "policy") -> str:
    """Device configuration text for `tunnels` (AlibabaTunnel objects of one connection)."""
    if vendor not in VENDORS:
        raise ValueError(f"unknown vendor {vendor!r}")
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}")
    writer = importlib.import_module(f"{VENDORS[vendor]}.generate")
    return writer.render(tunnels, style)
