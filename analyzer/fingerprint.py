"""Stable finding fingerprints (issue 13): the rule, the file and the normalized config object involved, never
the message or a value, so that an alert survives a changed value or a moved line. CONTRACT (owned by the
reporters helper): ``of(finding, pair) -> str``; ``pair`` is the PairResult holding the finding, or None for an
audit cross finding."""
from __future__ import annotations


def of(finding, pair) -> str:
    raise NotImplementedError("issue 13: analyzer/fingerprint.py")
