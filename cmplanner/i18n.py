"""One gettext catalog for the core and the UI. English source strings, French translation."""

from __future__ import annotations

import contextlib
import functools
import gettext
import locale
import os
from typing import TYPE_CHECKING

from cmplanner.paths import resources_dir

if TYPE_CHECKING:
    from babel import Locale

DOMAIN = "cmplanner"
LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def locale_dir() -> str:
    return str(resources_dir() / "locale")


def system_language() -> str:
    """The system's language if we have it, else French (our users are francophone first)."""
    candidates = [os.environ.get(v, "") for v in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")]
    with contextlib.suppress(ValueError):
        candidates.append(locale.getlocale()[0] or "")
    for value in candidates:
        for part in value.split(":"):
            code = part.split("_")[0].split(".")[0].lower()
            if code in LANGUAGES:
                return code
    return DEFAULT_LANGUAGE


# The region a language is written for when the system's does not say (another language,
# or "C"): day-first dates, a 24-hour clock and weeks from Monday.
DEFAULT_REGIONS = {"fr": "FR", "en": "GB"}


def system_region(language: str) -> str | None:
    """The region of the system's locale for dates and times (LC_ALL, then LC_TIME, then
    LANG, as POSIX reads them) when it is written in `language`: "US" for en_US.UTF-8."""
    for variable in ("LC_ALL", "LC_TIME", "LANG"):
        value = os.environ.get(variable, "")
        if not value:
            continue
        code = value.split(".")[0].split("@")[0]
        lang, _sep, region = code.partition("_")
        if lang.lower() == language and region.isalpha() and len(region) == 2:
            return region.upper()
        return None
    return None


def locale_name(language: str | None = None) -> str:
    """The locale dates, times and the first day of the week follow: the language CM Planner
    speaks, in the system's region when it has one for it ("en_US": a 12-hour clock, weeks
    from Sunday; "en_GB", "fr_FR": 24 hours, Monday first)."""
    lang = language or _language
    region = system_region(lang) or DEFAULT_REGIONS.get(lang, "")
    return f"{lang}_{region}" if region else lang


def babel_locale(name: str | None = None) -> Locale:
    """The babel Locale text in the user's locale is written in (dates, times, lists):
    `name` ("en_US"), a bare language in the system's region for it ("en": as
    `locale_name("en")` says), or by default the app's (`locale_name()`). The one fallback: a
    locale babel does not know is read as its language alone, and an unknown language as
    French."""
    name = name or locale_name()
    return _parsed(name if "_" in name else locale_name(name))


@functools.lru_cache(maxsize=16)
def _parsed(name: str) -> Locale:
    # imported on use, not at the top: keeps it off the start-up path
    from babel import Locale, UnknownLocaleError

    for candidate in (name, name.split("_")[0], DEFAULT_LANGUAGE):
        with contextlib.suppress(UnknownLocaleError, ValueError):
            return Locale.parse(candidate)
    raise AssertionError(DEFAULT_LANGUAGE)  # babel always knows French


def set_language(language: str | None) -> str:
    """Switch the catalog; None or "" means the system's language. Returns the language used."""
    global _translation, _language
    lang = language or system_language()
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    _translation = gettext.translation(DOMAIN, locale_dir(), languages=[lang], fallback=True)
    _language = lang
    return lang


def current_language() -> str:
    return _language


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translation.pgettext(context, message)


def labelled(label: str, text: object) -> str:
    """ "label: text" in the language's typography (French puts a space before the colon)."""
    return _("{label}: {text}").format(label=label, text=text)


@functools.cache
def in_every_language(message: str) -> tuple[str, ...]:
    """`message` and its translation in each catalog: words understood whatever the
    interface language ("tomorrow", "demain")."""
    found = [message]
    for lang in LANGUAGES:
        translated = gettext.translation(DOMAIN, locale_dir(), languages=[lang], fallback=True)
        found.append(translated.gettext(message))
    return tuple(dict.fromkeys(found))


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for extraction; translate it later, where it is shown."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:  # noqa: N802 - the gettext convention
    """Mark a string and its context for extraction; translate it later with `pgettext`."""
    return context, message
