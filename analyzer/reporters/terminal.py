"""Output safety: no character from an input reaches a terminal as a control.

A connection `Name`, a device line or a file name may hold an escape sequence (ESC [ 2 K erases a line,
ESC ] 0 ; title BEL retitles the terminal), a carriage return or backspaces (overwrite what was printed,
e.g. to fake "Summary: 0 error(s)"), a newline (adds a line of its own), or a bidi override (U+202E
reverses what follows on screen). Every such character is shown as a visible escape instead: \\x1b, \\r,
\\u202e. Tabs are kept (they only move the cursor forward); so is every other printable character, and a
backslash is not doubled, so legitimate output is unchanged.

Text formats escape each line they print, after building it and before joining the lines: the line
structure is the renderer's, so a newline inside a value cannot start a line of its own (a final pass over
the finished text could not tell an injected newline from a real one). JSON and SARIF writers escape C0
controls already; `json_safe` escapes what they leave raw (C1 controls, DEL, bidi and line separators)
as \\uXXXX, which is lossless: outside strings a JSON document is ASCII."""
from __future__ import annotations

import re

# C0 except tab, DEL and C1, the Arabic letter mark, LRM/RLM, line/paragraph separators, the bidi
# embeddings/overrides (U+202A-E) and isolates (U+2066-9), and lone surrogates (not encodable to UTF-8).
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _show(m: re.Match) -> str:
    ch = m.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# A CI runner reads workflow commands from every line a step prints (stdout and stderr): GitHub's runner takes
# a line whose first non-blank characters are `::` as a command, and the legacy `##[command]` anywhere in a line
# (actions/runner src/Runner.Common/ActionCommand.cs: TryParseV2, and TryParse with its "##[" prefix). A value from
# an input could otherwise stop annotation processing (`##[stop-commands]`) or forge an annotation.
_LEGACY_COMMAND = re.compile(r"##\[")
_LEADING_COMMAND = re.compile(r"^(\s*)::")


def no_commands(text: str) -> str:
    """``text`` with neither a legacy `##[` nor a leading `::` left: `##\\[`, `\\::`; the rest unchanged."""
    return _LEADING_COMMAND.sub(r"\1\\::", _LEGACY_COMMAND.sub(r"##\\[", text))


def safe(text: str) -> str:
    """One line for a terminal: every control character from the table above as a visible escape, and no
    workflow command a CI runner would act on."""
    return no_commands(_UNSAFE.sub(_show, text))


def safe_lines(lines) -> str:
    """The text of a report: each line made safe, joined by newlines, with a final newline."""
    return "".join(safe(line) + "\n" for line in lines)


def safe_block(text: str) -> list[str]:
    """A multi-line value of our own making (a fix: several commands): split on newlines, each line safe."""
    return [safe(line) for line in text.split("\n")]


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|(?<=##)\\[")


def json_safe(doc: str) -> str:
    """A JSON document with the characters JSON encoders leave raw (C1 controls, DEL, bidi controls, line
    separators) written as \\uXXXX escapes: they can only occur inside strings, so the data is the same. So is
    the `[` of a `##[` (a CI runner's legacy workflow command, see above; a JSON line never starts with `::`)."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", doc)


# HTML: the same characters as for a terminal except the whitespace a page uses (newline in a <pre> fix);
# a browser would apply a bidi override, and a report printed with `cat` would reach a terminal.
_HTML_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def html_text_safe(text: str) -> str:
    """Text for an HTML page (before HTML escaping): controls shown as visible escapes, newlines kept."""
    return _HTML_UNSAFE.sub(_show, text)
