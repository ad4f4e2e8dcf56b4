"""What a CI format says a run covered, shared by GitHub, JUnit and SARIF: tunnels compared (an Alibaba tunnel
with a device tunnel), devices linted alone, what was left out by a baseline. A run that compared or linted
no tunnel is said to have checked nothing, whatever it printed."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Coverage:
    compared: int = 0  # Alibaba tunnels compared with a device tunnel
    unpaired: int = 0  # Alibaba tunnels with no device tunnel (nothing compared for them)
    linted: int = 0  # devices checked alone (lint, audit without JSON) that have an IPsec tunnel
    no_tunnel: int = 0  # devices with no IPsec tunnel at all

    @property
    def nothing(self) -> bool:
        return not (self.compared or self.linted)

    def sentence(self) -> str:
        parts = [f"{self.compared} tunnel(s) compared"]
        if self.unpaired:
            parts.append(f"{self.unpaired} Alibaba tunnel(s) with no device tunnel")
        if self.linted:
            parts.append(f"{self.linted} device(s) linted alone")
        if self.no_tunnel:
            parts.append(f"{self.no_tunnel} device(s) with no IPsec tunnel")
        return ", ".join(parts)


def coverage(report) -> Coverage:
    c = Coverage()
    for p in report.pairs:
        if p.alibaba_file is None:
            if p.endpoint:
                c.linted += 1
            else:
                c.no_tunnel += 1
        elif p.endpoint:
            c.compared += 1
        else:
            c.unpaired += 1
    return c


def baseline_sentence(report) -> str | None:
    """How many findings --baseline left out, and how many of its entries no longer occur; None without one."""
    b = report.baseline
    if b is None:
        return None
    text = f"{b.baselined} finding(s) left out by the baseline {b.file}"
    return text + (f" ({len(b.stale)} of its entries no longer occur)" if b.stale else "")
