"""Standard streams that can never cost the report or the verdict.

``say``: a message on stderr. Closed (`2>&-`): Python's ``print(file=None)`` would write to stdout, into the report,
so nothing is written. Refused (`2>/dev/full`, a broken pipe): the message is dropped and stderr goes to /dev/null,
so no later flush fails again at exit. Either way the report holds the notes and input errors too (every format
carries them).
``to_null``: what Python still holds for a stream goes to /dev/null (a report the disk or a closed pipe refused:
the exit is not followed by a second write error).
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
        to_null(stream)


def to_null(stream) -> None:
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass
