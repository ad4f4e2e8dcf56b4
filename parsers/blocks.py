"""A fast line scanner that cuts a config into top-level blocks and keeps only the relevant ones.

Most of a 50,000-line core-router config (BGP tables, QoS, line vty...) has nothing to do with IPsec;
it is skipped here at line-scanning speed. Blocks are "header line + every indented line below it".
Exported documentation and some terminals print sub-mode lines flush-left, so a vendor may give a
vocabulary per block kind: a flush-left line whose first words are in it stays inside the block.
The scan loop has a compiled twin (parsers/_blocks.c, built by setup.py where a C compiler is found), used unless
IPSEC_PREFLIGHT_PURE_PYTHON=1; tests/test_blocks_compiled.py checks both give the same blocks.
"""
from __future__ import annotations

import os
from typing import Callable, Iterable, Iterator, TypeVar

V = TypeVar("V")
_CHUNK = 1 << 20  # texts above this are split a chunk at a time (lines_of)


class Line:
    """One line: its 1-based number and text stripped of surrounding whitespace. ``words`` is split once."""

    __slots__ = ("no", "text", "_words")

    def __init__(self, no: int, text: str):
        self.no, self.text, self._words = no, text, None

    @property
    def words(self) -> list[str]:
        if self._words is None:
            self._words = self.text.split()
        return self._words

    def __eq__(self, other) -> bool:
        return isinstance(other, Line) and (self.no, self.text) == (other.no, other.text)

    def __repr__(self) -> str:
        return f"Line({self.no}, {self.text!r})"


class Block:
    """A kept top-level line and the lines under it. ``words`` (the head's) is split at once: every kept
    block is named, looked up and dispatched by them. The scanner records children as (number, text) rows;
    their Line objects are made on first use of ``children``, so blocks dropped unread (most interfaces and
    access lists of a large export) never make them. ``texts``: the children's texts, without making them."""

    __slots__ = ("head", "words", "rows", "_children")

    def __init__(self, head: Line, children: list[Line] | None = None):
        self.head, self.words = head, head.words
        self.rows: list[tuple[int, str]] = [] if children is None else [(c.no, c.text) for c in children]
        self._children = children

    @property
    def children(self) -> list[Line]:
        if self._children is None:
            self._children = [Line(no, text) for no, text in self.rows]
        return self._children

    @children.setter
    def children(self, lines: list[Line]) -> None:
        self._children, self.rows = lines, [(c.no, c.text) for c in lines]

    def texts(self) -> list[str]:
        return [text for _, text in self.rows] if self._children is None else [c.text for c in self._children]

    def __eq__(self, other) -> bool:
        return isinstance(other, Block) and (self.head, self.children) == (other.head, other.children)

    def __repr__(self) -> str:
        return f"Block(head={self.head!r}, children={self.children!r})"


def scan_py(text: str, keep: "Callable[[str], bool] | tuple[str, ...]",
            submode: Callable[[str], frozenset[str] | None] | None, comment: str = "!",
            closers: Iterable[str] = ("exit", "quit"), sections: bool = False,
            skip: tuple[str, ...] = (), skip_except: tuple[str, ...] = ()) -> list[Block]:
    """Return the kept blocks of ``text`` (the Python loop; ``scan`` is ``scan_c`` when parsers/_blocks.c is built).

    ``keep(line)`` decides on a top-level line; ``keep`` may instead be a tuple of prefixes, with ``skip`` the
    prefixes that are not kept even so, unless they start with one of ``skip_except``: then the test is a few
    ``str.startswith`` calls, no Python call.
    ``submode(line)`` returns the flush-left vocabulary of the block it opens (first word, or first two words
    joined by a space), or None (``submode`` None: never; a ``first_prefix`` lookup is asked only for lines
    starting with one of its prefixes).
    ``sections``: a flush-left comment line ends the block, and the lines one space in that follow it (until
    the next flush-left line) are top-level commands: Huawei VRP and H3C Comware print global one-line
    commands that way (`#` / ` sysname X` / ` ipsec sha2 compatible enable` / `#`).
    """
    # (A regex jumping between candidate heads was tried: slower than this loop on every real and
    # generated config but a 200 MB routes-only file, because most lines are tested once and dropped.)
    # Hot loop: most lines are indented children, so that test comes first; ``add`` is the current block's
    # rows.append (None outside a kept block), and a child is a (number, text) row: no Python call per line.
    closers = frozenset(closers)
    prefixes, keep = (keep, None) if isinstance(keep, tuple) else ((), keep)
    heads = getattr(submode, "prefixes", None)  # first_prefix's: lines opening no sub-mode skip the Python call
    blocks: list[Block] = []
    add_block, new = blocks.append, _new
    add = None
    vocab: frozenset[str] | None = None
    in_section = False  # after a flush-left comment, with ``sections``
    no = 0
    for raw in split_lines(text) if len(text) <= _CHUNK else lines_of(text):
        no += 1
        if raw[:1] in " \t":  # also the empty line
            if in_section and raw[:1] == " " and raw[1:2] != " " and (stripped := raw.strip()):
                if not stripped.startswith(comment) and stripped not in closers and (
                        keep(stripped) if keep else stripped.startswith(prefixes) and (
                            not stripped.startswith(skip) or stripped.startswith(skip_except))):
                    add_block(block := _block(no, stripped))
                    add, vocab = block.rows.append, None
                else:
                    add = None
                continue
            if add is not None:
                stripped = raw.strip()
                if stripped and not stripped.startswith(comment):
                    if stripped in closers:
                        vocab = None  # an explicit exit ends flush-left continuation too
                    else:
                        add((no, stripped))
            continue
        stripped = raw.rstrip()
        in_section = False
        if stripped.startswith(comment):
            vocab = None
            if sections:
                add, in_section = None, True
            continue
        if vocab is not None and add is not None:
            words = stripped.split(None, 2)
            if words and (words[0] in vocab or (len(words) > 1 and f"{words[0]} {words[1]}" in vocab)):
                add((no, stripped))
                continue
        if stripped in closers:
            vocab = None
            continue
        if keep(stripped) if keep else stripped.startswith(prefixes) and (
                not stripped.startswith(skip) or stripped.startswith(skip_except)):
            head = new(Line)  # _block(no, stripped), inlined: most kept lines take this path
            head.no, head.text, head._words = no, stripped, stripped.split()
            block = new(Block)
            block.head, block.words, block.rows, block._children = head, head._words, [], None
            add_block(block)
            add = block.rows.append
            vocab = None if submode is None or (heads and not stripped.startswith(heads)) else submode(stripped)
        else:
            add, vocab = None, None
    return blocks


def scan_c(text: str, keep: "Callable[[str], bool] | tuple[str, ...]",
           submode: Callable[[str], frozenset[str] | None] | None, comment: str = "!",
           closers: Iterable[str] = ("exit", "quit"), sections: bool = False, skip: tuple[str, ...] = (),
           skip_except: tuple[str, ...] = ()) -> list[Block]:
    """``scan_py`` in C (parsers/_blocks.c), same arguments, same result; arguments of a kind the C loop does
    not take (a str subclass, a prefix that is not a str...) go to ``scan_py``, which reads them as it always has."""
    closers = frozenset(closers)  # as scan_py: an iterator is read once
    heads = getattr(submode, "prefixes", None)
    if isinstance(keep, tuple):
        prefixes, keep_fn = keep, None
    else:
        prefixes, keep_fn = (), keep if keep else None
    if not (type(text) is str and type(comment) is str and _strs(prefixes) and _strs(skip) and _strs(skip_except)
            and (keep_fn is None or callable(keep_fn)) and all(type(c) is str for c in closers)
            and (not heads or _strs(heads)) and (submode is None or callable(submode))):
        return scan_py(text, keep, submode, comment, closers, sections, skip, skip_except)
    return _blocks.scan(text, tuple(prefixes), tuple(skip), tuple(skip_except), keep_fn, submode,
                        tuple(heads) if heads else None, comment, tuple(closers), sections, Line, Block)


def _strs(values) -> bool:
    return isinstance(values, tuple) and all(type(v) is str for v in values)


try:
    from parsers import _blocks
except ImportError:  # built without a compiler (setup.py's extension is optional): the Python loop
    _blocks = None
PURE_PYTHON = _blocks is None or os.environ.get("IPSEC_PREFLIGHT_PURE_PYTHON") == "1"
scan = scan_py if PURE_PYTHON else scan_c


def _block(no: int, text: str) -> Block:
    """``Block(Line(no, text))`` without running either ``__init__`` (the scanner makes one per kept line)."""
    head = _new(Line)
    head.no, head.text, head._words = no, text, text.split()
    block = _new(Block)
    block.head, block.words, block.rows, block._children = head, head._words, [], None
    return block


_new = object.__new__


def first_prefix(table: "dict[str, V]") -> "Callable[[str], V | None]":
    """``lambda line: table[p]`` for the first ``p`` of ``table`` (in its order) that ``line`` starts with, else
    None; the prefixes are grouped by their first characters, so a line is tried against a few, not all."""
    k = min(map(len, table), default=0)
    groups: dict[str, list[tuple[str, V]]] = {}
    for prefix, value in table.items():
        groups.setdefault(prefix[:k], []).append((prefix, value))

    def lookup(line: str):
        for prefix, value in groups.get(line[:k], ()):
            if line.startswith(prefix):
                return value
        return None

    lookup.prefixes = tuple(table)  # scan calls lookup only for a line starting with one of them
    return lookup


def split_lines(text: str) -> list[str]:
    """``text.splitlines()`` with only \\n, \\r\\n and a lone \\r as line ends: what devices and editors count
    (`grep -n`, every editor's line numbers). str.splitlines also breaks at \\v \\f \\x1c-\\x1e \\x85 \\u2028
    \\u2029; one of those in a description or banner would cut a line in two, end its block and shift every
    later line number. Like splitlines: no empty last line after a final line end, [] for ""."""
    if "\r" in text:  # rare (Windows or terminal exports): one copy with \n only
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines[-1]:  # the final line end (or ""): splitlines gives no empty line after it
        lines.pop()
    return lines


def line_breaks(text: str, start: int, end: int) -> int:
    """The line ends in ``text[start:end]`` as split_lines counts them (\n, \r\n, a lone \r)."""
    return text.count("\n", start, end) + text.count("\r", start, end) - text.count("\r\n", start, end)


def line_at(text: str, pos: int) -> int:
    """The 1-based number, as split_lines counts, of the line holding ``text[pos]`` (a regex match's start)."""
    return line_breaks(text, 0, pos) + 1


def lines_of(text: str, chunk: int = _CHUNK) -> Iterator[str]:
    """The lines of ``text`` exactly as ``split_lines(text)`` gives them, but split a megabyte at a time so a
    huge export never holds a second full copy of itself as a list of lines."""
    if len(text) <= chunk:
        yield from split_lines(text)
        return
    start, end = 0, len(text)
    while start < end:
        cut = text.find("\n", min(start + chunk, end) - 1)  # cutting after a \n never splits a \r\n
        cut = end if cut < 0 else cut + 1
        yield from split_lines(text[start:cut])
        start = cut


def drop_unreferenced(blocks: list[Block], name_of: Callable[[Block], "str | None"],
                      names: "set[str] | None" = None) -> list[Block]:
    """The blocks without the named objects (access lists, network objects) that no other kept block
    names. Exports can hold thousands of ACL lines and objects that no tunnel, NAT rule or interface
    uses; parsing them into networks was most of the time on large files. ``name_of`` gives the name of
    a droppable block (None = always kept). Order is kept. ``names``, when given, receives every droppable
    name seen, dropped or not (a fix must not reuse the name of an ACL the device uses elsewhere)."""
    refs: set[str] = set()
    names_of: list[str | None] = []
    pending: dict[str, list[Block]] = {}
    add_refs = refs.update
    for b in blocks:
        name = name_of(b)
        names_of.append(name)
        if name is None:
            add_refs(b.words)
            add_refs(_joined(b).split())
        else:
            pending.setdefault(name, []).append(b)
    if names is not None:
        names.update(pending)
    todo = [n for n in pending if n in refs]
    while todo:  # a kept object may name others (object groups, nested groups): follow them
        for b in pending.pop(todo.pop(), []):
            for word in _words_of(b):
                if word not in refs:
                    refs.add(word)
                    if word in pending:
                        todo.append(word)
    return [b for b, name in zip(blocks, names_of) if name is None or name in refs]


def _words_of(b: Block) -> list[str]:
    return b.words + _joined(b).split()


def _joined(b: Block) -> str:
    """The children's texts in one string: one split gives all their words, with no Line made."""
    return "\n".join(b.texts())
