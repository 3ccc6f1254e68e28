"""Dates, times and money as text in the user's locale: the order of day and month, the
names, a 12- or 24-hour clock, the currency's sign and the digits' grouping, from CLDR
through babel.

Every function writes in the app's locale (`i18n.locale_name()`: the language CM Planner
speaks, in the system's region for it) unless given `locale`: a locale ("en_US") or a bare
language ("en", read in the system's region for it). `i18n.babel_locale` is the one fallback
rule for a locale babel does not know.

    day_text(day)                  « jeudi 3 décembre 2026 », "Thursday, December 3, 2026"
    day_text(day, "MMMEd")         « jeu. 3 déc. », "Thu, Dec 3" (en_US), "Thu 3 Dec" (en_GB)
    time_text(moment)              « 19:30 », "7:30 PM" (en_US), "19:30" (en_GB)
    time_text(moment, printed=True)   « 19 h 30 » on paper (French typography)
    times_text(start, end)         "7:00 – 9:30 PM", "19:00–21:30": the locale's own interval
    month_text(day)                « nov. 26 », "Nov 26"
    day_name(3)                    « jeudi », "Thursday"
    month_names("fr")              « janvier » … « décembre », as they stand alone
    zone_text(moment, "Europe/Paris")  « heure normale d’Europe centrale (Europe/Paris) »
    money_text(123450)             « 1 234,50 € », "€1,234.50" (in the interface's language)
    amount_text(123450)            « 1 234,50 », "1,234.50": the number alone, to edit
    count(100000)                  « 100 000 », "100,000"
    decimal_text(2.46)             « 2,5 », "2.5": one decimal at most
    percent_text(0.42)             « 42 % », "42%"
    megabytes(10_500_000)          « 10,5 Mo », "10.5 MB"

Numbers and money are written in the interface's language (`current_language()`), not its
region.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any, cast

from babel import Locale
from babel.dates import (
    format_date,
    format_interval,
    format_time,
    get_day_names,
    get_month_names,
    get_timezone_name,
    match_skeleton,
    tokenize_pattern,
    untokenize_pattern,
)
from babel.numbers import format_currency, format_decimal, format_percent

from cmplanner.i18n import _, babel_locale, current_language

DEFAULT_CURRENCY = "EUR"
WIDTHS = ("full", "long", "medium", "short")

# A time on paper where print differs from the locale's short form: French typography writes
# « 19 h 30 » (as the printed documents always have), where CLDR's fr_FR says "19:30".
_PRINTED_TIME = {"fr": "H 'h' mm"}

# Fields whose width a skeleton decides: the month's and the weekday's (numeric or a name,
# short or wide) and the year's (two digits or all).
_FAMILIES = {"M": "M", "L": "M", "E": "E", "c": "E", "y": "y"}


def day_text(day: dt.date, width: str = "full", locale: str | None = None) -> str:
    """A date: one of CLDR's four widths ("full" « jeudi 3 décembre 2026 », "long"
    « 3 décembre 2026 », "medium" « 3 déc. 2026 », "short" « 03/12/2026 »), or a skeleton, the
    fields wanted ("yMMMEd", "MMMMd"), put in the locale's order with its punctuation."""
    loc = babel_locale(locale)
    if width in WIDTHS:
        return str(format_date(day, width, locale=loc))
    return str(format_date(day, _skeleton_pattern(width, loc), locale=loc))


def month_text(day: dt.date, *, year: bool = True, locale: str | None = None) -> str:
    """The month of `day`, abbreviated, with the year's two digits: « nov. 26 », "Nov 26";
    or without the year: « nov. », "Nov"."""
    return day_text(day, "yyMMM" if year else "MMM", locale)


def time_text(
    moment: dt.time | dt.datetime, locale: str | None = None, *, printed: bool = False
) -> str:
    """A time of day on the locale's clock: "7:30 PM" (en_US), "19:30" (en_GB, fr). `printed`:
    as a printed page writes it, « 19 h 30 » in French."""
    loc = babel_locale(locale)
    pattern = _PRINTED_TIME.get(loc.language) if printed else None
    return str(format_time(moment, pattern or "short", locale=loc))


def times_text(
    start: dt.datetime, end: dt.datetime, locale: str | None = None, *, printed: bool = False
) -> str:
    """From one time to another on the same day, as the locale writes an interval: the
    period once when both share it, "7:00 – 9:30 PM" (en_US); "19:00–21:30" (en_GB);
    `printed` in French « 19 h 00 – 21 h 30 »."""
    loc = babel_locale(locale)
    if printed and loc.language in _PRINTED_TIME:
        return f"{time_text(start, locale, printed=True)} – {time_text(end, locale, printed=True)}"
    skeleton = "hm" if twelve_hours(locale) else "Hm"
    return str(format_interval(start, end, skeleton, locale=loc))


def day_name(weekday: int) -> str:
    """The weekday's name (Monday is 0), in the language CM Planner speaks."""
    return str(get_day_names("wide", locale=babel_locale())[weekday])


def month_names(language: str) -> list[str]:
    """January to December in `language`, as they stand alone ("avril")."""
    names = get_month_names("wide", context="stand-alone", locale=language)
    return [str(names[n]) for n in range(1, 13)]


def zone_text(moment: dt.datetime, zone_name: str) -> str:
    """The zone's long name at `moment` and its id: "Central European Standard Time
    (Europe/Paris)"; the id alone where the locale has no name for it."""
    try:
        name = str(get_timezone_name(moment, "long", locale=babel_locale()))
    except (LookupError, ValueError):
        return zone_name
    return f"{name} ({zone_name})"


def money_text(cents: int, locale: str | None = None, currency: str = DEFAULT_CURRENCY) -> str:
    """An amount with its currency: « 12,50 € » in French, "€12.50" in English. Amounts are
    written in the interface's language (`locale`: a language or a locale), not its region."""
    return str(format_currency(_units(cents), currency, locale=locale or current_language()))


def amount_text(cents: int, locale: str | None = None) -> str:
    """The amount as a number to edit, without the currency: « 1 234,50 »."""
    return str(
        format_decimal(_units(cents), format="#,##0.00", locale=locale or current_language())
    )


def _units(cents: int) -> Decimal:
    return Decimal(cents) / 100


def count(n: int) -> str:
    """A count as the current language writes it ("100,000", « 100 000 »)."""
    return str(format_decimal(n, locale=current_language()))


def decimal_text(value: float) -> str:
    """A number with one decimal at most: "2.5", « 2,5 », "3"."""
    return str(format_decimal(round(value, 1), "#,##0.#", locale=current_language()))


def megabytes(size: int) -> str:
    """A size in bytes as "10.5 MB" ("10,5 Mo"), in the current language."""
    number = format_decimal(round(size / 1_000_000, 1), "#,##0.#", locale=current_language())
    return _("{n} MB").format(n=number)


def percent_text(value: float | None, target: float | None = None) -> str:
    """« 42 % », "42%" in the interface language; "—" when there is nothing to measure.
    Against a `target`, a value that rounds to it but misses it (or passes it) keeps one
    decimal, so "30 %" never reads as below a 30 % target: « 29,8 % »."""
    if value is None:
        return "—"
    language = current_language()
    near = target is not None and value != target and round(value * 100) == round(target * 100)
    pattern = Locale.parse(language).percent_formats[None].pattern  # "#,##0 %", "#,##0%"
    if near:
        pattern = pattern.replace("0", "0.0", 1) if "0." not in pattern else pattern
    return str(format_percent(value, pattern, locale=language))


def twelve_hours(locale: str | None = None) -> bool:
    """True when the locale's clock runs twice to 12 with AM and PM (en_US), False on 24 hours."""
    pattern = str(babel_locale(locale).time_formats["short"].pattern)
    return any(char in "hK" for char, _width in _fields(pattern))


@functools.lru_cache(maxsize=64)
def _skeleton_pattern(skeleton: str, loc: Locale) -> str:
    """The locale's pattern for the fields of `skeleton`, with the widths the skeleton asks
    for: babel's nearest skeleton keeps its own ("yMMMMEEEEd" would read "Thu, Dec 3, 2026"
    in en_US, where the skeleton wants "Thursday, December 3, 2026")."""
    options = loc.datetime_skeletons
    matched = match_skeleton(skeleton, options)
    if matched is None:  # no pattern with these fields: the skeleton itself
        return skeleton
    wanted = {_FAMILIES[c]: (c, width) for c, width in _fields(skeleton) if c in _FAMILIES}
    tokens: list[tuple[str, Any]] = []
    for kind, value in tokenize_pattern(str(options[matched].pattern)):
        if kind == "field":
            char, width = cast("tuple[str, int]", value)
            want = wanted.get(_FAMILIES.get(char, ""))
            # A name stays a name and a number a number ("MMM" never becomes "M").
            if want is not None and (char == "y" or _is_name(char, width) == _is_name(*want)):
                value = (char, want[1])
        tokens.append((kind, value))
    return str(untokenize_pattern(tokens))


def _fields(pattern: str) -> list[tuple[str, int]]:
    """The fields of a pattern or skeleton, as (letter, width): "d MMM y" → d 1, M 3, y 1."""
    return [
        cast("tuple[str, int]", value)
        for kind, value in tokenize_pattern(pattern)
        if kind == "field"
    ]


def _is_name(char: str, width: int) -> bool:
    """A month or weekday field that is a name ("MMM", "E"), not a number ("MM", "c")."""
    return char == "E" or width >= 3
