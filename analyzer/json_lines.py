"""Line and column of the Alibaba JSON fields that findings point at (issue 13). CONTRACT (owned by the JSON-lines
helper): ``annotate(report, read)`` sets ``line``/``column`` on every ``AlibabaRef`` of the report that has a
``file`` and a ``field`` (a JSON path as parsers/alibaba.py writes it); ``read(file) -> str | None`` gives the
file's text (the commands pass the text they already read, so pipes work). Fields it cannot place are left
without a line.

Only the fields that end up in findings are placed, after the checks: the loader stays as fast as it was. Each
path is followed from the top of the document; the members of an object (or the items of a list) on the way are
indexed once per ``annotate`` call and every subtree off the path is skipped by the C decoder (``scan_once``), so
a page costs one or two ``json.loads`` of it whatever the number of findings (bench/run.py, figure 6), and no
Python recursion follows the document's depth. Lines are counted as SARIF and editors count them (LF, CRLF or a
lone CR); columns are 1-based, in characters (code points), a BOM not counted."""
from __future__ import annotations

import json
import re
from json.decoder import scanstring
from typing import Callable

from parsers.blocks import line_breaks

_WS = re.compile(r"[ \t\n\r]*")  # JSON's whitespace, as json.decoder skips it
_STEP = re.compile(r"\.?([^.\[\]\s]+)|\[(\d+)\]")
_SCAN = json.decoder.JSONDecoder().scan_once  # the decoder json.loads uses: the same document, the same values
_NOTE = re.compile(r" \([^()]*\)$")  # "a.b (absent: API default)": analyzer.checker's suffix of a defaulted field
_MAX_NESTED = 32  # wanted containers indexed along with their parent, nested at most this deep (no deep recursion)
_JOINED = re.compile(r" x |, ")  # selector sources name two fields ("LocalSubnet x RemoteSubnet"): the first is placed


def annotate(report, read: Callable[[str], str | None]) -> None:
    global _last
    if _last is None or _last.read is not read:  # the streaming audit calls it once per device, same ``read``
        _last = Annotator(read)
    _last.place(report.all_findings())


class Annotator:
    """``annotate`` in parts (the streaming audit report places each device's findings as they arrive): the
    files' indexes are kept for the next parts, a few files at a time (devices arrive in file order, and the
    connections they pair with sit on the same few pages)."""

    _KEEP = 4  # files indexed at once

    def __init__(self, read: Callable[[str], str | None]) -> None:
        self.read = read
        self.docs: dict[str, _Text | None] = {}  # in order of last use

    def _doc(self, file: str) -> "_Text | None":
        if file in self.docs:
            self.docs[file] = self.docs.pop(file)
        else:
            self.docs[file] = _open(self.read, file)
            while len(self.docs) > self._KEEP:
                del self.docs[next(iter(self.docs))]
        return self.docs[file]


    def place(self, findings) -> None:
        wanted: dict[str, list] = {}
        placed: dict[str, list[tuple[object, int]]] = {}
        for finding in findings:
            ref = finding.alibaba
            if ref is None or not ref.file or not ref.field or ref.line is not None:  # a .tf source has its line
                continue
            wanted.setdefault(ref.file, []).append((ref, finding.code == "KnownAfterApply"))
        docs = {}
        for file, refs in wanted.items():
            doc = docs[file] = self._doc(file)
            if doc is None:
                continue
            doc.want(ref.field for ref, _ in refs)
            for ref, unknown in refs:
                # a plan value known after apply may have no key in change.after: its block stands for it
                pos = doc.place(ref.field, nearest=unknown)
                if pos is not None:
                    placed.setdefault(file, []).append((ref, pos))
        for file, refs in placed.items():
            where = line_columns(docs[file].text, [pos for _, pos in refs])
            for ref, pos in refs:
                ref.line, ref.column = where[pos]


_last: "Annotator | None" = None  # the files' indexes, for the next call with the same ``read``


def position(text: str, field: str) -> tuple[int, int] | None:
    """(line, column) of ``field`` in the JSON ``text``, or None when it cannot be placed."""
    doc = _Text(text)
    doc.want([field])
    pos = doc.place(field)
    return None if pos is None else line_columns(text, [pos])[pos]


def _open(read, file: str) -> "_Text | None":
    try:
        text = read(file)
    except Exception:  # an unreadable file was reported where it was read; only its lines are lost here
        return None
    return _Text(text) if isinstance(text, str) else None


def steps(field: str) -> list[str | int] | None:
    """``a.b[0].c`` -> ["a", "b", 0, "c"]; None for anything else (a note such as "VPN gateway InternetIp
    (--vpn-gateway)", which names no place in this file)."""
    out: list[str | int] = []
    end = 0
    for m in _STEP.finditer(field):
        dotted = m.group(0).startswith(".")
        if m.start() != end or (m.group(1) is not None and dotted != bool(out)):
            return None
        out.append(m.group(1) if m.group(1) is not None else int(m.group(2)))
        end = m.end()
    return out if out and end == len(field) else None


class _Text:
    """A JSON text being followed: the file's, or a JSON document held in one of its string values
    (CreateVpnConnection's IkeConfig), which maps its positions back to the file's."""

    def __init__(self, text: str, parent: "_Text | None" = None, literal: int = 0):
        self.text, self.parent, self.literal = text, parent, literal
        self.start = _WS.match(text, 1 if text.startswith("\ufeff") else 0).end()
        self._members: dict[int, dict[str, tuple[int, int]]] = {}  # object position -> its members
        self._items: dict[int, list[int]] = {}  # list position -> its items' positions
        self._ends: dict[int, int] = {}  # container position -> position after it
        self._inner: dict[int, _Text | None] = {}
        self._addresses: dict[str, int] | None = None  # Terraform plan: resource address -> resource_changes index
        # Containers some path goes through (as step tuples): indexed while their parent is, so each byte of the
        # text is scanned once (not once per level of the path)
        self._wanted: set[tuple] = set()

    def want(self, fields) -> None:
        for field in fields:
            path, _ = self._path(field)
            self._wanted.update(tuple(path[:k]) for k in range(1, len(path or ())))

    def place(self, field: str, nearest: bool = False) -> int | None:
        """Position in the file's text of ``field``'s key (of a list item: its value). A field with a note
        ("(absent: API default)", "(no gateway IP in the input)") names where the value would be: its key when
        the file has it (an empty string is absent too), else the nearest enclosing object that is there; so
        does ``nearest`` (a value known after apply), an object that is a block's only item giving the block's key."""
        path, note = self._path(field)
        try:
            reached = self._follow(path) if path is not None else []
        except (ValueError, IndexError, StopIteration, RecursionError):  # not the JSON the loader read
            return None
        if not reached or (len(reached) < len(path) + 1 and not (note or nearest)):
            return None
        doc, pos = reached[-1]
        if nearest and len(reached) < len(path) + 1 and len(reached) > 2 and self._only_item(doc, pos):
            doc, pos = reached[-2]  # ipsec_config[0] -> "ipsec_config"
        return doc.raw(pos)

    @staticmethod
    def _only_item(doc: "_Text", pos: int) -> bool:
        """Whether pos is an object that is the only item of its list (a Terraform block: ``"x": [{...}]``)."""
        end, i = doc._ends.get(pos), pos - 1
        while i >= 0 and doc.text[i] in " \t\n\r":  # no copy of the text: a page may hold thousands
            i -= 1
        return (end is not None and doc.text.startswith("{", pos) and i >= 0 and doc.text[i] == "["
                and doc.text.startswith("]", _WS.match(doc.text, end).end()))

    def _path(self, field: str) -> tuple[list[str | int] | None, bool]:
        note = _NOTE.search(field)
        field = _JOINED.split(field[:note.start()] if note else field)[0]
        try:
            return steps(self._addressed(field) or field), bool(note)
        except (ValueError, IndexError, StopIteration, RecursionError):
            return None, bool(note)

    def _addressed(self, field: str) -> str | None:
        """A Terraform plan path (parsers/terraform_plan.py) starts with the resource's address
        (``module.vpn.alicloud_vpn_connection.dual.ike_config[0]...``): the JSON path of its ``change.after``."""
        if self._addresses is None:
            self._addresses = {}
            plan = self.text.startswith("{", self.start) and '"resource_changes"' in self.text  # else: no index yet
            root = self.members(self.start) if plan else {}
            changes = root.get("resource_changes")
            if changes and self.text.startswith("[", changes[1]):
                for i, item in enumerate(self.items(changes[1])):
                    address = self.members(item).get("address") if self.text.startswith("{", item) else None
                    if address and self.text.startswith('"', address[1]):
                        self._addresses.setdefault(scanstring(self.text, address[1] + 1)[0], i)
        for address, i in self._addresses.items():
            if field.startswith(address) and field[len(address):len(address) + 1] in ("", ".", "["):
                return f"resource_changes[{i}].change.after{field[len(address):]}"
        return None

    def _follow(self, path: list[str | int]) -> list[tuple["_Text", int]]:
        doc, value, prefix = self, self.start, ()
        reached = [(doc, value)]
        for step in path:
            if doc.text.startswith('"', value):  # a JSON-encoded string: the path goes on inside it
                inner = doc.inner(value)
                if inner is None:
                    break
                doc, value, prefix = inner, inner.start, ()
            if isinstance(step, str):
                members = doc.members(value, prefix) if doc.text.startswith("{", value) else None
                if members is None or step not in members:
                    break
                key, value = members[step]
                reached.append((doc, key))
            else:
                items = doc.items(value, prefix) if doc.text.startswith("[", value) else None
                if items is None or step >= len(items):
                    break
                value = items[step]
                reached.append((doc, value))
            prefix += (step,)
        return reached

    def members(self, pos: int, prefix: tuple = ()) -> dict[str, tuple[int, int]]:
        """key -> (key position, value position) of the object at ``pos``; a repeated key keeps its last
        occurrence, as json.loads does."""
        if pos not in self._members:
            self._index(pos, prefix, 0)
        return self._members[pos]

    def items(self, pos: int, prefix: tuple = ()) -> list[int]:
        if pos not in self._items:
            self._index(pos, prefix, 0)
        return self._items[pos]

    def _index(self, pos: int, prefix: tuple, depth: int) -> int:
        """Index the object or list at ``pos`` (a wanted child container with it, down to a bounded depth;
        deeper ones are indexed when the path reaches them); the position after it."""
        if pos in self._ends:
            return self._ends[pos]
        text = self.text
        is_object = text.startswith("{", pos)
        members: dict[str, tuple[int, int]] = {}
        items: list[int] = []
        close = "}" if is_object else "]"
        i = _WS.match(text, pos + 1).end()
        end = i + 1
        if not text.startswith(close, i):
            while True:
                if is_object:
                    if not text.startswith('"', i):
                        raise ValueError("key expected")
                    key, j = scanstring(text, i + 1)
                    j = _WS.match(text, j).end()
                    if not text.startswith(":", j):
                        raise ValueError("':' expected")
                    value = _WS.match(text, j + 1).end()
                    members[key] = (i, value)
                    child = prefix + (key,)
                else:
                    value = i
                    child = prefix + (len(items),)
                    items.append(value)
                if child in self._wanted and depth < _MAX_NESTED and text.startswith(("{", "["), value):
                    end = self._index(value, child, depth + 1)
                else:
                    end = _SCAN(text, value)[1]  # skipped in C
                end = _WS.match(text, end).end()
                if text.startswith(close, end):
                    break
                if not text.startswith(",", end):
                    raise ValueError("',' expected")
                i = _WS.match(text, end + 1).end()
            end += 1
        if is_object:
            self._members[pos] = members
        else:
            self._items[pos] = items
        self._ends[pos] = end
        return end

    def inner(self, pos: int) -> "_Text | None":
        if pos not in self._inner:
            value, _ = scanstring(self.text, pos + 1)
            self._inner[pos] = _Text(value, self, pos) if value.lstrip(" \t\n\r").startswith(("{", "[")) else None
        return self._inner[pos]

    def raw(self, pos: int) -> int:
        doc = self
        while doc.parent is not None:
            pos = _raw_offset(doc.parent.text, doc.literal, pos)
            doc = doc.parent
        return pos


def _raw_offset(text: str, literal: int, decoded: int) -> int:
    """Position in ``text`` of the ``decoded``-th character of the string literal opening at ``literal``."""
    i, n = literal + 1, 0
    while n < decoded:
        escape = text.find("\\", i)
        if escape < 0 or escape - i >= decoded - n:  # plain characters up to the target
            return i + decoded - n
        n += escape - i
        i = escape
        if text.startswith("u", i + 1):
            high = 0xD800 <= int(text[i + 2:i + 6], 16) <= 0xDBFF
            low = text.startswith("\\u", i + 6) and 0xDC00 <= int(text[i + 8:i + 12], 16) <= 0xDFFF
            i += 12 if high and low else 6  # json joins a surrogate pair into one character
        else:
            i += 2
        n += 1
    return i


def line_columns(text: str, positions: list[int]) -> dict[int, tuple[int, int]]:
    """(line, column) of each position, 1-based, in one pass over the text up to the last one."""
    out: dict[int, tuple[int, int]] = {}
    line, line_start, prev = 1, 1 if text.startswith("\ufeff") else 0, 0
    for pos in sorted(set(positions)):
        breaks = line_breaks(text, prev, pos)
        if breaks:
            line += breaks
            line_start = max(text.rfind("\n", prev, pos), text.rfind("\r", prev, pos)) + 1
        out[pos] = (line, pos - line_start + 1)
        prev = pos
    return out
