"""Line and column of the Alibaba JSON fields that findings point at (issue 13). CONTRACT (owned by the JSON-lines
helper): ``annotate(report, read)`` sets ``line``/``column`` on every ``AlibabaRef`` of the report that has a
``file`` and a ``field`` (a JSON path as parsers/alibaba.py writes it); ``read(file) -> str | None`` gives the
file's text (the commands pass the text they already read, so pipes work). Fields it cannot place are left
without a line."""
from __future__ import annotations


def annotate(report, read) -> None:
    return None  # stub until the helper lands it
