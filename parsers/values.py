"""The few validators every value read from an input goes through.

Each either returns a clean value or raises :class:`BadValue` (a ``ValueError``) with a short reason. The
device parsers already turn a ``ValueError`` inside a block into a located "malformed line" diagnostic;
the Alibaba loader turns it into an :class:`~parsers.common.InputError` naming the file and JSON path.
Callers that only need a yes/no use the ``is_*`` forms.

Why not ``str.isdigit()`` + ``int()``: ``"²".isdigit()`` is True but ``int("²")`` fails, ``int("٣")`` is 3
(no device accepts either), and ``int()`` of a 5,000-digit string raises (Python's digit limit).
"""
from __future__ import annotations

import re
from typing import Any

from netaddr import AddrFormatError, IPAddress, IPNetwork

from analyzer.i18n import _
from analyzer.model import is_ipv4  # what an address is belongs to the model contract (rules use it too)

MAX_DIGITS = 12  # the largest number any supported syntax holds (kilobyte lifetimes, ASNs) has 10
_UINT_RE = re.compile(r"[0-9]{1,%d}" % MAX_DIGITS)


class BadValue(ValueError):
    """A value that is not what its place in the syntax requires; the message says what was expected."""


def quoted(value: Any, limit: int = 60) -> str:
    """A value for an error message: repr'd, cut, never failing (huge ints, lone surrogates)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return _("<an integer of about {digits} digits>").format(digits=f"{int(value.bit_length() * 0.30103) + 1:,}")
    try:
        text = repr(value)
    except ValueError:
        text = f"<{type(value).__name__}>"
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[:limit] + _("... ({count} characters)").format(count=f"{len(text):,}")


def is_uint(word: Any) -> bool:
    """ASCII decimal digits only, at most MAX_DIGITS of them."""
    return isinstance(word, str) and _UINT_RE.fullmatch(word) is not None


def uint(word: Any, lo: int | None = None, hi: int | None = None) -> int:
    """A non-negative integer written in ASCII digits (an int is taken as is), within [lo, hi] when given."""
    if isinstance(word, bool):
        raise BadValue(_("expected an integer, got {value}").format(value=quoted(word)))
    if isinstance(word, int):
        value = word
        if value.bit_length() > 40:
            raise BadValue(_("expected an integer of at most {digits} digits, got {value}").format(
                digits=MAX_DIGITS, value=quoted(word)))
    else:
        text = str(word).strip() if isinstance(word, str) else None
        if text is None or not is_uint(text):
            raise BadValue(_("expected an integer of at most {digits} ASCII digits, got {value}").format(
                digits=MAX_DIGITS, value=quoted(word)))
        value = int(text)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise BadValue(_("{value} is out of range ({lo}..{hi})").format(
            value=value, lo=lo if lo is not None else "-", hi=hi if hi is not None else "-"))
    return value


def ipv4(text: Any) -> str:
    if not is_ipv4(text):
        raise BadValue(_("{value} is not an IPv4 address").format(value=quoted(text)))
    return text


_HOST_RE = re.compile(r"(?=[A-Za-z0-9.-]*[A-Za-z])[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?")


def is_peer(text: Any) -> bool:
    """A tunnel peer as devices accept it: an IPv4 address or a host name (resolved by the device)."""
    return is_ipv4(text) or (isinstance(text, str) and len(text) <= 253 and _HOST_RE.fullmatch(text) is not None)


def ipv4_network(text: Any) -> IPNetwork:
    """``a.b.c.d`` or ``a.b.c.d/len`` (len 0..32) -> network (host bits kept, as the input wrote it)."""
    if isinstance(text, str):
        ip, slash, prefix = text.partition("/")
        if is_ipv4(ip) and (not slash or (is_uint(prefix) and len(prefix) <= 2 and int(prefix) <= 32)):
            try:
                return IPNetwork(text)
            except (AddrFormatError, ValueError):
                pass
    raise BadValue(_("{value} is not an IPv4 CIDR block").format(value=quoted(text)))


def ip_in(ip: Any, net: IPNetwork | None) -> bool:
    """``ip in net`` for an address that may not be one (then False)."""
    return net is not None and is_ipv4(ip) and IPAddress(ip) in net


def choice(value: Any, table: dict, what: str = "value") -> Any:
    """``table[value]`` (case-insensitive for strings), or BadValue listing what is accepted."""
    key = value.strip().lower() if isinstance(value, str) else value
    try:
        return table[key]
    except (KeyError, TypeError):
        raise BadValue(_("unknown {what} {value} (expected one of {accepted})").format(
            what=what, value=quoted(value), accepted=", ".join(sorted(map(str, table))))) from None


def clean_text(value: str) -> str:
    """A string that encodes to UTF-8: lone surrogates (from JSON escapes or undecodable file names,
    see os.fsdecode) become \\xNN / \\udNNN escapes instead of failing every writer later."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogateescape" if _only_escapes(value) else "backslashreplace") \
            .decode("utf-8", "backslashreplace")


def _only_escapes(value: str) -> bool:
    return all(not ("\ud800" <= ch <= "\udfff") or "\udc80" <= ch <= "\udcff" for ch in value)


def display_path(path: Any) -> str:
    """A file name as shown in reports: bytes that are not UTF-8 appear as \\xNN."""
    return clean_text(str(path))
