"""Stable finding fingerprints (issue 13): the rule, the file and the normalized config object involved (what
a message names as the object for the few rules listed in analyzer.rule_meta), never a value, so that an alert
survives a changed value, a moved line, and another tunnel added to or removed from the device. CONTRACT (owned by the
reporters helper): ``of(finding, pair) -> str``; ``pair`` is the PairResult holding the finding, or None for an
audit cross finding. ``stamp(report)`` sets ``Finding.fingerprint`` on every finding of a report, numbering
findings whose inputs are equal in report order (two unparsed lines of one tunnel, say)."""
from __future__ import annotations

import hashlib
import re

from analyzer.rule_meta import LINE_IS_OBJECT, MESSAGE_IS_OBJECT, OBJECT_IN_MESSAGE
from analyzer.src_root import shown
from parsers.blocks import split_lines

VERSION = "v2"  # part of every key: a change of the inputs below is a new version, not a silent re-keying
_INDEX = re.compile(r"\[\d+\]")
# a tunnel's position in a dual-tunnel connection: kept when no TunnelId says which tunnel it is
_TUNNEL_INDEX = re.compile(r"(?<!TunnelOptions)(?<!TunnelOptionsSpecification)\[\d+\]")
# what the device parsers add to an endpoint's own object: the IKE version of an ASA entry offered for both,
# " [ikev1]"; the profile or policy bound to a tunnel interface, "Tunnel31 (ipsec profile X)"
_VERSION_SUFFIX = re.compile(r"\s*\[ikev[12]\]$", re.I)
_BOUND = re.compile(r"^(?P<head>\S+) \((?P<bound>.*)\)$")
# device lines that name an object (a block header with its name and sequence number): the whole line is the
# object; any other line is a command inside a block, whose words after the keywords are values
_HEADER = re.compile(r"^(?:crypto map|crypto dynamic-map|ipsec policy|ipsec policy-template|ipsec profile|"
                     r"crypto ipsec profile|interface|tunnel-group|crypto isakmp policy|crypto ikev[12] policy|"
                     r"crypto ikev2 (?:proposal|profile|policy|keyring)|ike proposal|ike profile|ike peer|"
                     r"ike keychain|ipsec proposal|ipsec transform-set|crypto ipsec transform-set|"
                     r"crypto ipsec ikev[12] (?:transform-set|ipsec-proposal)|access-list|acl)\b", re.I)
_KEYWORD = re.compile(r"^[a-z][a-z-]*$")


def _words(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _field(path: str | None, keep_tunnel: bool = False) -> str:
    """The Alibaba field path without array positions (the connection and tunnel ids say which one) and
    without the loader's "(absent: API default)" note: set or absent, it is the same field. ``keep_tunnel``:
    no TunnelId says which tunnel, so its TunnelOptions position stays."""
    if not path:
        return ""
    index = _TUNNEL_INDEX if keep_tunnel else _INDEX
    return ", ".join(index.sub("[]", p.split(" (", 1)[0]) for p in path.split(", "))


def endpoint_object(name: str | None) -> str:
    """The device object a pair's endpoint is: the tunnel interface of a route-based tunnel (not the profile
    bound to it), else the crypto map / ipsec policy entry; never the IKE version offered."""
    name = _VERSION_SUFFIX.sub("", " ".join((name or "").split()))
    m = _BOUND.match(name)
    if m:
        name = m["head"] if m["head"].casefold().startswith("tunnel") else m["bound"]
    return name.casefold()


def line_object(text: str | None) -> str:
    """The object a device line is about, without values: a block header whole ("ipsec policy MAP 10
    isakmp"), else the command's leading keywords ("sa duration time-based" of "sa duration time-based 3600")."""
    words = _words(text).split()
    if not words or _HEADER.match(" ".join(words)):
        return " ".join(words)
    keys = []
    for w in words:
        if not _KEYWORD.match(w):
            break
        keys.append(w)
    return " ".join(keys[:3])


def _lines_of(read):
    """file -> its lines, from ``read`` (the text the command read) else the file read again; each file once."""
    cache: dict[str, list[str] | None] = {}

    def lines(path: str) -> list[str] | None:
        if path not in cache:
            text = read(path)
            if text is None:
                try:
                    with open(path, encoding="utf-8", errors="replace") as fh:
                        text = fh.read()
                except (OSError, ValueError):
                    pass
            cache[path] = split_lines(text) if text is not None else None  # numbered as the parser did
        return cache[path]
    return lines


def _block_header(path: str | None, line: int | None, lines_of) -> str:
    """The block a sub-mode device line sits in ("ipsec transform-set ts1" for its indented "esp ..."): the
    nearest line above it starting in column 0 (IOS/ASA, VRP and Comware indent sub-mode commands); "" for a
    top-level line or a file that cannot be read again (its key then stays without it)."""
    lines = lines_of(path) if path and line else None
    if not lines or line > len(lines) or not lines[line - 1][:1].isspace():
        return ""
    for above in reversed(lines[:line - 1]):
        if above.strip() and not above[:1].isspace() and above.strip()[0] not in "#!":
            return _words(above)  # hashed only, never shown
    return ""


def message_words(message: str) -> str:
    """A message without its names and values: the words before any parenthesis (a severity reason) that hold
    no digit and no capital letter ("crypto map has no `set peer`: the entry is incomplete and never used")."""
    head = message.split(" (", 1)[0]
    return " ".join(w for w in head.split() if not any(c.isdigit() or c.isupper() for c in w))


def key(finding, pair, read=lambda file: None, lines_of=None, shown_of=None) -> str:
    """What a fingerprint hashes (never a value, a message or a line number). A pair's object is its
    connection, its tunnel (id, else master/slave role) and the device object it was compared with; a lint
    result lists every tunnel of the device, so there each finding's own device line and the block holding it
    name the object. ``read``: file -> the text the command read (None: read the file again); ``shown_of``:
    src_root.shown, or a memo of it."""
    name = shown_of or shown
    dev = finding.device
    ali = finding.alibaba
    device_file = (dev.file if dev and dev.file else None) or (pair.device if pair else None)
    ali_file = (ali.file if ali and ali.file else None) or (pair.alibaba_file if pair else None)
    linted = pair is not None and pair.alibaba_file is None
    tunnel = ((pair.tunnel or (f"role:{pair.role}" if pair.role else "")) if pair else "")
    parts = [VERSION, finding.code,
             name(device_file) if device_file else "", name(ali_file) if ali_file else "",
             (pair.connection or "") if pair else "", tunnel,
             endpoint_object(pair.endpoint) if pair and not linted else "",
             _field(ali.field if ali else None, keep_tunnel=not (pair and pair.tunnel)),
             ",".join(sorted(finding.related))]
    if finding.code in LINE_IS_OBJECT and dev and dev.text:
        parts.append(_words(dev.text))
    elif linted and dev and dev.text:
        parts.append(line_object(dev.text))
        if header := _block_header(dev.file, dev.line, lines_of or _lines_of(read)):
            parts.append(header)
    if finding.code in MESSAGE_IS_OBJECT:
        parts.append(finding.object if finding.object is not None else message_words(finding.message))
    if finding.code in OBJECT_IN_MESSAGE and finding.object is not None:  # the rule said it, language-free
        parts.append(finding.object)
    elif finding.code in OBJECT_IN_MESSAGE:
        parts.append(",".join(m.group().casefold() for m in re.finditer(OBJECT_IN_MESSAGE[finding.code],
                                                                        finding.message)))
    return "\x1f".join(parts)


def of(finding, pair, occurrence: int = 0, read=lambda file: None) -> str:
    """The fingerprint of ``finding``; ``occurrence``: how many earlier findings of the report had the same key."""
    return _hashed(key(finding, pair, read), occurrence)


def _hashed(key_text: str, occurrence: int) -> str:
    text = key_text + (f"\x1f#{occurrence}" if occurrence else "")
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def stamp(report, read=lambda file: None) -> None:
    """Set ``fingerprint`` on every finding of ``report`` (pairs, then audit cross findings); ``read`` as key's."""
    stamper = Stamper(read)
    for p in report.pairs:
        stamper.pair(p)
    if report.audit:
        stamper.cross(report.audit.cross)


class Stamper:
    """``stamp`` in parts, in report order (the streaming audit report stamps each device's pairs as they arrive):
    occurrences are counted across parts, by a short digest of each key (memory stays small)."""

    _SHOWN_KEPT = 1024  # file names whose shown form is kept (the Alibaba files, the last devices)

    def __init__(self, read=lambda file: None) -> None:
        self.seen: dict[bytes, int] = {}
        self.read = read
        self.lines_of = _lines_of(read)
        self._shown: dict[str, str] = {}

    def _shown_of(self, path: str) -> str:
        """src_root.shown, remembered: each finding names its device and Alibaba files, the same few again and
        again, and working out a path relative to the root costs more than the rest of the key."""
        done = self._shown.get(path)
        if done is None:
            if len(self._shown) >= self._SHOWN_KEPT:
                self._shown.clear()
            done = self._shown[path] = shown(path)
        return done

    def _one(self, f, pair) -> None:
        k = key(f, pair, lines_of=self.lines_of, shown_of=self._shown_of)
        digest = hashlib.blake2b(k.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        n = self.seen.get(digest, 0)
        self.seen[digest] = n + 1
        f.fingerprint = _hashed(k, n)

    def pair(self, p) -> None:
        for f in p.findings:
            self._one(f, p)

    def cross(self, findings) -> None:
        for f in findings:
            self._one(f, None)

    def forget_lines(self) -> None:
        """Drop the device lines read for block headers (a streaming caller, once a device is done)."""
        self.lines_of = _lines_of(self.read)


def ensure(report) -> None:
    """Stamp the report unless every finding already carries a fingerprint (the commands stamp before rendering;
    a reporter called directly still gets them)."""
    if any(f.fingerprint is None for f in report.all_findings()):
        stamp(report)
