"""Key material is masked where a config line is read, before any string that can be shown exists.

Every device line kept for display goes through :func:`shown` (the model's ``Source.text`` and
``Diagnostic.text`` validate through it too, so no parser can forget). The masking follows the key
syntaxes of the supported vendors and is defensive where the syntax is not met: after a word that names
key material (``key``, ``pre-shared-key``, ``password``, ``secret``... or a misspelling ending so), every
word is masked unless it fits the documented grammar around the key exactly:

- Cisco IOS   ``crypto isakmp key [0|6|7] KEY address IP [MASK] [no-xauth]`` / ``... hostname NAME``
- Cisco IOS   ``pre-shared-key address IP [MASK] key [0|6|7] KEY`` (keyring), ``pre-shared-key [local|remote] KEY``
- Cisco IOS   ``authentication remote|local pre-share key [0|6] KEY`` (IKEv2 profile)
- Cisco ASA   ``ikev1 pre-shared-key KEY``, ``ikev2 remote-authentication pre-shared-key KEY``
- Huawei VRP  ``pre-shared-key simple|cipher KEY``, a KEY with spaces written in double quotes
- H3C         ``pre-shared-key address IP [MASK] key simple|cipher KEY``

Lines a parser does not understand inside a block that holds keys are masked whole (:func:`masked_line`).
Nothing here searches finished output for known key values: that is how keys used to leak.
"""
from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

MASK = "<redacted>"
SHOWN_CHARS = 300  # characters of a config line kept for display
_CUT = re.compile(r"\.\.\. \([0-9,]+ characters\)\Z")

# space, a double-quoted string starting a word (Huawei/H3C keys with spaces), or any other word
_TOKEN = re.compile(r'\s+|"[^"]*"(?=\s|\Z)|\S+')
# Words naming key material, matched with one typing error (`kye`, `keys`, `pre-shard-key`, `key:`) so a
# misspelt line still has its key masked. Whole words only: a name like `TS-PSK` is not a keyword.
_KEYWORDS = ("key", "pre-shared-key", "key-string", "authentication-key", "password", "passwd", "secret",
             "pre-share", "pre-shared", "preshared-key")
_QUALIFIERS = frozenset({"0", "5", "6", "7", "8", "9", "simple", "cipher", "plaintext", "ciphertext", "local",
                         "remote", "ascii-text", "hex", "encrypted", "unencrypted"})
_TARGETS = frozenset({"address", "hostname", "ipv6"})


@lru_cache(maxsize=8192)  # the model re-validates what a parser just made: the second call is a hit
def shown(text: str) -> str:
    """The display form of a config line: cut to a bounded length, key material masked. Applying it
    again changes nothing (the model re-validates display text)."""
    if len(text) > SHOWN_CHARS and not (len(text) <= SHOWN_CHARS + 40 and _CUT.search(text)):
        text = text[:SHOWN_CHARS] + f"... ({len(text):,} characters)"
    for w in text.split():
        if not w.replace(".", "").isdigit() and is_keyword(w.strip('"')):  # numbers and addresses never are
            return _redact(text)
    return text


def masked_line(_text: str | None = None) -> str:
    """A line not understood inside a block that holds keys: nothing of it is shown."""
    return MASK


@lru_cache(maxsize=65536)  # config words repeat a lot: most lookups are cache hits
def is_keyword(word: str) -> bool:
    word = word.lower()
    return len(word) > 1 and any(abs(len(word) - len(k)) <= 1 and _one_edit(word, k) for k in _KEYWORDS)


def _one_edit(a: str, b: str) -> bool:
    """At most one insertion, deletion, replacement or swap of two neighbours turns ``a`` into ``b``."""
    if a == b:
        return True
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i]
        return a[i + 1:] == b[i + 1:] or (swapped and a[i + 2:] == b[i + 2:])
    return a[i:] == b[i + 1:]


@lru_cache(maxsize=4096)
def _redact(text: str) -> str:
    tokens = _TOKEN.findall(text)
    words = [i for i, t in enumerate(tokens) if not t[0].isspace()]
    keep = _kept_words([tokens[i] for i in words])
    out = list(tokens)
    for n, i in enumerate(words):
        if not keep[n] and tokens[i] != MASK:
            out[i] = MASK
    return "".join(out)


def clear_caches() -> None:
    """Empty the caches of config lines (``shown``, ``_redact``): a long audit's worker calls it every few devices,
    so they do not fill with every device's lines (their keys are raw lines; memory only, never output)."""
    shown.cache_clear()
    _redact.cache_clear()


def _kept_words(words: list[str]) -> list[bool]:
    """Which words may be shown: all before the first key keyword; after it, only what fits the grammar
    around a key (qualifiers, a target address/hostname, the words after the key). The key is the word
    at its place in that grammar whatever it says (`key key address IP`: the second `key` is the key), so
    what is shown never depends on the key's value."""
    keep = [True] * len(words)
    i = next((n for n, w in enumerate(words) if is_keyword(w) or _quoted_keyword(w)), None)
    if i is None:
        return keep
    if _quoted_keyword(words[i]):  # `"x key K" ...`: a keyword hidden in quotes: nothing from there is shown
        keep[i:] = [False] * (len(words) - i)
        return keep
    while True:
        j = i + 1
        if words[i].lower() in ("pre-share", "pre-shared") and j + 1 < len(words) and words[j].lower() == "key":
            i = j  # the IKEv2 method word: `authentication remote pre-share key K` has no other reading
            continue
        target = _target(words, j)
        if target is not None:  # `pre-shared-key address IP [MASK] key ...`: go on at that `key`
            i = target
            continue
        isakmp_key = words[i].lower() == "key" and i > 0 and words[i - 1].lower() == "isakmp"
        key = _key_place(words, j, isakmp_key)
        if key is None:  # no reading fits: the key may be any of these words
            keep[j:] = [False] * (len(words) - j)
        else:
            keep[key] = False
        return keep


def _quoted_keyword(word: str) -> bool:
    return word.startswith('"') and any(is_keyword(w) for w in word.strip('"').split())


def _key_place(words: list[str], j: int, isakmp_key: bool) -> int | None:
    """Where the key is among ``words[j:]``: after as few qualifiers as make the rest of the line fit
    (`key simple address IP`: the key is `simple`; `pre-shared-key simple K`: the key is K). Only Cisco's
    `crypto isakmp key K address IP` has words after the key; everywhere else the key ends the line."""
    while j < len(words):
        rest = words[j + 1:]
        if not rest or (isakmp_key and _fits_after_key(rest)):
            return j
        if words[j].lower() not in _QUALIFIERS:
            return None
        j += 1
    return None


def _target(words: list[str], j: int) -> int | None:
    """`address IP [MASK|LEN] key` / `hostname NAME key` / `ipv6 ADDR key` starting at ``j``: the index of
    the following key keyword, or None when the words there do not fit that form exactly."""
    if j >= len(words) or words[j].lower() not in _TARGETS:
        return None
    k = j + 1
    if words[j].lower() == "ipv6" and k < len(words) and words[k].lower() == "address":  # H3C `ipv6 address X`
        k += 1
    if k >= len(words) or is_keyword(words[k]):
        return None
    if words[j].lower() != "hostname" and not _is_address(words[k]):
        return None
    k += 1
    if k < len(words) and _is_mask(words[k]):
        k += 1
    if k < len(words) and words[k].lower() == "key" and k + 1 < len(words):
        return k
    return None


def _fits_after_key(rest: list[str]) -> bool:
    """What may follow `crypto isakmp key K`: `address IP [MASK] [no-xauth]`, `hostname NAME`, `ipv6 ADDR`."""
    if rest[-1].lower() == "no-xauth":
        rest = rest[:-1]
        if not rest:
            return True
    head = rest[0].lower()
    if head in ("address", "ipv6") and 2 <= len(rest) <= 3:
        return _is_address(rest[1]) and (len(rest) == 2 or _is_mask(rest[2]))
    if head == "hostname" and len(rest) == 2:
        return not is_keyword(rest[1]) and '"' not in rest[1]
    return False


def _is_address(word: str) -> bool:
    try:
        ipaddress.ip_interface(word)
    except ValueError:
        return False
    return True


def _is_mask(word: str) -> bool:
    if word.isascii() and word.isdigit():
        return int(word) <= 128
    try:
        ipaddress.IPv4Address(word)
    except ValueError:
        return False
    return True


def key_value(text: str, skip: int) -> str | None:
    """The key written on a config line after its first ``skip`` words, as the device stores it: a
    double-quoted key (Huawei/H3C syntax for keys with spaces) without its quotes, spaces kept; any other
    key is the whole word, quotes inside it included."""
    words = [t for t in _TOKEN.findall(text) if not t[0].isspace()]
    if skip >= len(words):
        return None
    token = words[skip]
    return token[1:-1] if len(token) > 1 and token.startswith('"') and token.endswith('"') else token
