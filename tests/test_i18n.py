"""Catalog completeness (issue 15, part 3): every marked message has a Chinese translation that keeps its {fields},
and each compiled .mo is what its .po compiles to (so the runtime never falls back to English silently)."""
from __future__ import annotations

import re
import string

import pytest

pytest.importorskip("babel")

from analyzer import i18n  # noqa: E402
from analyzer.i18n_build import extracted, mo_bytes, po_path, read  # noqa: E402

FIELD = re.compile(r"\{[^{}]*\}")


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("domain", i18n.DOMAINS)
def test_every_marked_message_is_translated(domain):
    catalog = read(domain)
    missing = [f"{where[0]}: {msgid!r}" for msgid, where in extracted(domain).items()
               if msgid not in catalog or not catalog[msgid].string]
    assert not missing, f"{len(missing)} message(s) of domain {domain!r} lack a zh translation " \
                        f"(run python -m analyzer.i18n_build extract, translate, compile):\n" + "\n".join(missing[:40])


@pytest.mark.parametrize("domain", i18n.DOMAINS)
def test_translations_keep_the_fields(domain):
    bad = []
    for m in read(domain):
        if m.id and m.string and "{" in m.id and _fields(m.id) != _fields(m.string):
            bad.append(f"{m.id!r} -> {m.string!r}")
    assert not bad, "translations whose {fields} differ from the English:\n" + "\n".join(bad)


@pytest.mark.parametrize("domain", i18n.DOMAINS)
def test_compiled_catalog_is_current(domain):
    with open(po_path(domain)[:-3] + ".mo", "rb") as fh:
        assert fh.read() == mo_bytes(read(domain)), f"{domain}.mo is stale: python -m analyzer.i18n_build compile"


def test_language_from_environment():
    assert i18n.language_from_env({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert i18n.language_from_env({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert i18n.language_from_env({"LANG": "en_US.UTF-8"}) == "en"
    assert i18n.language_from_env({}) == "en"
