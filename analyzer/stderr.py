"""Messages on standard error that can never cost the report or the verdict.

Closed (`2>&-`): Python's ``print(file=None)`` would write to stdout, into the report, so nothing is written.
Refused (`2>/dev/full`, a broken pipe): the message is dropped and stderr goes to /dev/null, so no later flush
fails again at exit. Either way the report holds the notes and input errors too (every format carries them).
"""
from __future__ import annotations

import os
import sys


def say(text: str) -> None:
    stream = sys.stderr
    if stream is None:
        return
    try:
        print(text, file=stream, flush=True)
    except (OSError, ValueError):
        _to_null(stream)


def _to_null(stream) -> None:
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass
