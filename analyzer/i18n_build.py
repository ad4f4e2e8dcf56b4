"""Maintainers' tool for the catalogs (needs Babel: pip install '.[test]').

    python -m analyzer.i18n_build extract   # add new marked messages to each domain's .po (empty msgstr)
    python -m analyzer.i18n_build compile   # write the .mo files the runtime reads

Each domain's .po holds the messages marked in that domain's files (FILES below); tests/test_i18n.py fails when a
message lacks a translation, a translation changes a {field}, or a .mo is older than its .po.
"""
from __future__ import annotations

import glob
import io
import os
import sys

from analyzer.i18n import DOMAINS, _LOCALE_DIR

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEYWORDS = {"_": None, "N_": None}

# which source files feed which catalog (globs relative to the repository root)
FILES = {
    "rules": ["analyzer/rules/*.py", "analyzer/checker.py", "analyzer/lint.py", "analyzer/findings.py"],
    "fixes": ["parsers/*.py", "parsers/*/*.py", "analyzer/fixes.py", "analyzer/fix_plan.py"],
    "reports": ["analyzer/reporters/*.py", "analyzer/explain.py", "analyzer/explain_cli.py", "analyzer/catalog.py",
                "analyzer/ci_output.py", "analyzer/baseline.py", "analyzer/audit.py", "analyzer/cli.py", "analyzer/generate_cli.py"],
}
assert set(FILES) == set(DOMAINS)


def files(domain: str) -> list[str]:
    return sorted({p for g in FILES[domain] for p in glob.glob(os.path.join(ROOT, g))})


def extracted(domain: str) -> dict[str, list[str]]:
    """msgid -> where it is marked ("file:line"), from the domain's source files."""
    from babel.messages.extract import extract_from_file

    out: dict[str, list[str]] = {}
    for path in files(domain):
        for lineno, message, _comments, _context in extract_from_file("python", path, keywords=KEYWORDS):
            if isinstance(message, str) and message:
                out.setdefault(message, []).append(f"{os.path.relpath(path, ROOT)}:{lineno}")
    return out


def po_path(domain: str, lang: str = "zh") -> str:
    return os.path.join(_LOCALE_DIR, lang, "LC_MESSAGES", f"{domain}.po")


def read(domain: str, lang: str = "zh"):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = po_path(domain, lang)
    if not os.path.exists(path):
        return Catalog(locale=lang, domain=domain)
    with open(path, "rb") as fh:
        return read_po(fh, locale=lang, domain=domain)


def mo_bytes(catalog) -> bytes:
    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def extract(lang: str = "zh") -> None:
    from babel.messages.pofile import write_po

    for domain in DOMAINS:
        catalog = read(domain, lang)
        new = [(m, w) for m, w in extracted(domain).items() if m not in catalog]
        if not new and os.path.exists(po_path(domain, lang)):
            continue  # untouched: another maintainer may be editing this catalog right now
        for msgid, where in new:
            catalog.add(msgid, "", locations=[tuple(w.rsplit(":", 1)) for w in where[:1]],
                        flags=("python-format",) if "{" in msgid else ())
        os.makedirs(os.path.dirname(po_path(domain, lang)), exist_ok=True)
        with open(po_path(domain, lang), "wb") as fh:
            write_po(fh, catalog, width=120, sort_output=True, omit_header=False, include_lineno=False)


def compile_all(lang: str = "zh") -> None:
    for domain in DOMAINS:
        with open(po_path(domain, lang)[:-3] + ".mo", "wb") as fh:
            fh.write(mo_bytes(read(domain, lang)))


if __name__ == "__main__":
    {"extract": extract, "compile": compile_all}[sys.argv[1] if len(sys.argv) > 1 else "extract"]()
