"""What a CI format says a run covered, shared by GitHub, JUnit and SARIF: tunnels compared (an Alibaba tunnel
with a device tunnel), devices linted alone, what was left out by a baseline. A run that compared or linted
no tunnel is said to have checked nothing, whatever it printed."""
from __future__ import annotations

from dataclasses import dataclass

from analyzer.i18n import N_, _

SEVERITY_WORDS = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}
LIST_SEPARATOR = N_(", ")  # between the parts of a sentence that lists counts


def severity_word(severity: str) -> str:
    """`error`, `warning`, `info` in the output language (the JSON and SARIF values stay English)."""
    return _(SEVERITY_WORDS[severity])


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
        parts = [_("{count} tunnel(s) compared").format(count=self.compared)]
        if self.unpaired:
            parts.append(_("{count} Alibaba tunnel(s) with no device tunnel").format(count=self.unpaired))
        if self.linted:
            parts.append(_("{count} device(s) linted alone").format(count=self.linted))
        if self.no_tunnel:
            parts.append(_("{count} device(s) with no IPsec tunnel").format(count=self.no_tunnel))
        return _(LIST_SEPARATOR).join(parts)


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
    text = _("{count} finding(s) left out by the baseline {file}").format(count=b.baselined, file=b.file)
    return text + (_(" ({count} of its entries no longer occur)").format(count=len(b.stale)) if b.stale else "")
