"""Rule codes given by a user (`--disable`, the settings file's `disable`) checked against the registry.
A code that names no rule is an error, never ignored: a typo would otherwise silently keep the rule on."""
from __future__ import annotations

import difflib


class UnknownRuleCode(ValueError):
    """A code names no rule; the message names it, the closest codes and every valid one."""


def valid_codes() -> list[str]:
    from analyzer.rules import all_rules  # loads every rule module: only when codes were actually given

    return [r.code for r in all_rules()]


def resolve_codes(codes: list[str], where: str) -> frozenset[str]:
    """The registry's spelling of each code; ``codes`` may hold comma lists and any case. ``where`` names the
    option or setting in the error message (e.g. "--disable", ".ipsec-preflight.toml: disable")."""
    given = [c.strip() for item in codes for c in item.split(",") if c.strip()]
    if not given:  # `--disable ""` is a mistake (an unset variable in a script), not "disable nothing"
        if codes:
            raise UnknownRuleCode(f"{where}: no rule code given ({', '.join(repr(c) for c in codes)})")
        return frozenset()
    known = valid_codes()
    by_lower = {c.lower(): c for c in known}
    resolved, unknown = set(), []
    for code in given:
        if code.lower() in by_lower:
            resolved.add(by_lower[code.lower()])
        elif code not in unknown:
            unknown.append(code)
    if unknown:
        raise UnknownRuleCode(f"{where}: {'; '.join(_unknown(c, by_lower) for c in unknown)}; valid codes: "
                              + ", ".join(sorted(known)))
    return frozenset(resolved)


def _unknown(code: str, by_lower: dict[str, str]) -> str:
    close = difflib.get_close_matches(code.lower(), list(by_lower), n=3, cutoff=0.75)
    hint = f" (did you mean {' or '.join(by_lower[c] for c in close)}?)" if close else ""
    return f"unknown rule code {code!r}{hint}"
