"""A fast line scanner that cuts a config into top-level blocks and keeps only the relevant ones.

Most of a 50,000-line core-router config (BGP tables, QoS, line vty...) has nothing to do with IPsec;
it is skipped here at line-scanning speed. Blocks are "header line + every indented line below it".
Exported documentation and some terminals print sub-mode lines flush-left, so a vendor may give a
vocabulary per block kind: a flush-left line whose first words are in it stays inside the block.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator


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


@dataclass(slots=True)
class Block:
    head: Line
    children: list[Line] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        return self.head.words


def scan(text: str, keep: Callable[[str], bool], submode: Callable[[str], frozenset[str] | None],
         comment: str = "!", closers: Iterable[str] = ("exit", "quit"), sections: bool = False) -> list[Block]:
    """Return the kept blocks of ``text``.

    ``keep(line)`` decides on a top-level line; ``submode(line)`` returns the flush-left vocabulary of
    the block it opens (first word, or first two words joined by a space), or None.
    ``sections``: a flush-left comment line ends the block, and the lines one space in that follow it (until
    the next flush-left line) are top-level commands: Huawei VRP and H3C Comware print global one-line
    commands that way (`#` / ` sysname X` / ` ipsec sha2 compatible enable` / `#`).
    """
    # (A regex jumping between candidate heads was tried: slower than this loop on every real and
    # generated config but a 200 MB routes-only file, because most lines are tested once and dropped.)
    closers = frozenset(closers)
    blocks: list[Block] = []
    current: Block | None = None
    vocab: frozenset[str] | None = None
    in_section = False  # after a flush-left comment, with ``sections``
    for no, raw in enumerate(lines_of(text), 1):
        if in_section and raw.startswith(" ") and not raw.startswith("  ") and raw.strip():
            stripped = raw.strip()
            if not stripped.startswith(comment) and stripped not in closers and keep(stripped):
                current = Block(Line(no, stripped))
                blocks.append(current)
                vocab = None
            else:
                current = None
            continue
        if not raw or raw[0] in " \t":
            if current is not None:
                stripped = raw.strip()
                if stripped and not stripped.startswith(comment):
                    if stripped in closers:
                        vocab = None  # an explicit exit ends flush-left continuation too
                    else:
                        current.children.append(Line(no, stripped))
            continue
        stripped = raw.rstrip()
        in_section = False
        if stripped.startswith(comment):
            vocab = None
            if sections:
                current, in_section = None, True
            continue
        if vocab is not None and current is not None:
            words = stripped.split(None, 2)
            if words and (words[0] in vocab or (len(words) > 1 and f"{words[0]} {words[1]}" in vocab)):
                current.children.append(Line(no, stripped))
                continue
        if stripped in closers:
            vocab = None
            continue
        if keep(stripped):
            current = Block(Line(no, stripped))
            blocks.append(current)
            vocab = submode(stripped)
        else:
            current, vocab = None, None
    return blocks


def lines_of(text: str, chunk: int = 1 << 20) -> Iterator[str]:
    """The lines of ``text`` exactly as ``text.splitlines()`` gives them, but split a megabyte at a time so a
    huge export never holds a second full copy of itself as a list of lines."""
    if len(text) <= chunk:
        yield from text.splitlines()
        return
    start, end = 0, len(text)
    while start < end:
        cut = text.find("\n", min(start + chunk, end) - 1)  # cutting after a \n never splits a \r\n
        cut = end if cut < 0 else cut + 1
        yield from text[start:cut].splitlines()
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
    for b in blocks:
        name = name_of(b)
        names_of.append(name)
        if name is None:
            _add_words(refs, b)
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


def _words_of(b: Block):
    yield from b.words
    for c in b.children:
        yield from c.words


def _add_words(refs: set[str], b: Block) -> None:
    refs.update(b.words)
    for c in b.children:
        refs.update(c.words)
