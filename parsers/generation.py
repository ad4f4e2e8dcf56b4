"""What every vendor's `generate.render` shares (contract for issue 15, part 2): the refusal, the styles, the PSK
placeholder. Kept in parsers/ so vendor packages do not import the CLI layer."""
from __future__ import annotations

STYLES = ("policy", "route")  # policy: crypto map / ipsec policy on the WAN interface; route: tunnel interface

# never the real key: the user pastes theirs; a literal no vendor accepts unchanged by accident
PSK_PLACEHOLDER = "REPLACE-WITH-PRE-SHARED-KEY"


class GenerateRefused(Exception):
    """An Alibaba value the chosen vendor does not offer: generation stops rather than writing a near miss."""

    def __init__(self, field: str, value: str, vendor: str, why: str):
        self.field, self.value, self.vendor, self.why = field, value, vendor, why
        super().__init__(f"{field} = {value}: {why}")
