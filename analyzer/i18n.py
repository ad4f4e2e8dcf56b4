"""Output language (issue 15, part 3): gettext catalogs, English as written in the code, Chinese from
analyzer/locale/zh/LC_MESSAGES/<domain>.mo (compiled from the .po beside it by `python -m analyzer.i18n_build`).

Mark text with `_()` where it is built (`_("IPsec {label}: Alibaba uses {want}").format(...)`: named fields, never an
f-string, so a translation can move them) and with `N_()` where it is declared before the language is known (rule
titles); translate those with `_()` when shown. Codes, commands, field names and values are never marked.
English costs one global read per call; gettext and the catalogs load only for `zh`.
"""
from __future__ import annotations

import os

LANGUAGES = ("en", "zh")
DOMAINS = ("rules", "fixes", "reports")  # one catalog per area of the code, each owned by one team member
LANG_ENV = "IPSEC_PREFLIGHT_LANG"  # how `--lang` reaches audit's workers however they start
_LOCALE_DIR = os.path.join(os.path.dirname(__file__), "locale")

_gettext = None  # the active translation function; None = not chosen yet (read from the environment on first use)
_language = None


def language_from_env(environ=None) -> str:
    """`zh` when the locale says Chinese (LC_ALL, then LC_MESSAGES, then LANG, as gettext reads them), else `en`."""
    env = os.environ if environ is None else environ
    if env.get(LANG_ENV) in LANGUAGES:
        return env[LANG_ENV]
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def _catalog(lang: str):
    import gettext

    chain = gettext.NullTranslations()
    for domain in reversed(DOMAINS):
        path = os.path.join(_LOCALE_DIR, lang, "LC_MESSAGES", f"{domain}.mo")
        with open(path, "rb") as fh:
            t = gettext.GNUTranslations(fh)
        t.add_fallback(chain)
        chain = t
    return chain.gettext


def set_language(lang: str | None) -> str:
    """Choose the output language (None: from the environment); returns it."""
    global _gettext, _language
    lang = lang or language_from_env()
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: one of {', '.join(LANGUAGES)}")
    _gettext = str if lang == "en" else _catalog(lang)
    _language = lang
    os.environ[LANG_ENV] = lang
    return lang


def language() -> str:
    if _gettext is None:
        set_language(None)
    return _language


def _(message: str) -> str:
    """`message` in the output language."""
    if _gettext is None:
        set_language(None)
    return _gettext(message)


def N_(message: str) -> str:
    """Marks `message` for translation without translating it (translated later with `_()`, when shown)."""
    return message
