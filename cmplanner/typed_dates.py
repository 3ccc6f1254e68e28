"""Dates and times as people type them, in the locale's words: "12/03/2027", "12 mars",
"12 mars 2027", "march 12", "+7" (in seven days), "-1", "demain", "jeudi" (the next one),
"19h30", "7:30 pm", "19:30", "demain 19h30".

Pure functions: text in, a value out, or a ValidationError that says what was not understood.
Month and weekday names, the order of day and month, AM/PM, noon and midnight come from CLDR
through babel for the locale (English and French names are both understood whatever the
interface language); only the relative days ("tomorrow") come from the catalog.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from babel import Locale

from cmplanner.errors import ValidationError
from cmplanner.formats import day_text, time_text
from cmplanner.i18n import N_, _, in_every_language

# Relative days and the words around a date, in English and in every translation.
_RELATIVE_DAYS = (
    (N_("today"), 0),
    (N_("tomorrow"), 1),
    (N_("day after tomorrow"), 2),
    (N_("yesterday"), -1),
)
# Words that may surround a date or a time without changing it ("next Thursday", "le 12
# mars", "demain à 19h").
_FILLERS = (N_("next"), N_("on"), N_("the"), N_("at"))
_OTHER_LOCALES = ("en", "fr")  # names understood in any interface language

_SHIFT = re.compile(r"^([+-])\s*(\d{1,4})$")
_NUMERIC = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?$")
_NUMBER = re.compile(r"^(\d{1,4})(?:er|re|e|st|nd|rd|th)?$")
_TIME = re.compile(r"^(\d{1,2})(?:\s*[h:.]\s*(\d{2})?)?\s*(?:h)?$")
_TIME_MERIDIEM = re.compile(r"^(\d{1,2})(?:\s*[h:.]\s*(\d{2}))?\s*([a-z]+)$")
_DISTANCE_LIMIT = 183  # a date typed without a year is the nearest one, within half a year


def _plain(text: str) -> str:
    """Case, accents, abbreviation dots and curly apostrophes left out: "Févr." → "fevr",
    "p.m." → "pm"; dots between digits stay (12.03.2027, 19.30)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = re.sub(r"(?<=[a-z])\.", "", bare).replace(",", " ")
    return re.sub(r"\s+", " ", bare).strip()


def _words(text: str) -> list[str]:
    fillers = {_plain(word) for msgid in _FILLERS for word in in_every_language(msgid)}
    fillers |= {"le", "la", "@", "prochaine"}  # articles, and "next" of a feminine noun
    return [w for w in _plain(text).split(" ") if w and w not in fillers]


@functools.lru_cache(maxsize=8)
def _names(locale: str) -> tuple[dict[str, int], dict[str, int]]:
    """(month name → 1-12, weekday name → 0-6), the locale's first, then English and French."""
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    for name in (locale, *_OTHER_LOCALES):
        data = Locale.parse(name)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, word in data.months[context][width].items():
                    months.setdefault(_plain(word), number)
                for number, word in data.days[context][width].items():
                    weekdays.setdefault(_plain(word), number)
    return months, weekdays


def _lookup(word: str, names: dict[str, int]) -> int | None:
    """A full or abbreviated name, or the start (3 letters or more) of only one of them."""
    if word in names:
        return names[word]
    if len(word) < 3 or not word.isalpha():
        return None
    found = {number for name, number in names.items() if name.startswith(word)}
    return found.pop() if len(found) == 1 else None


@functools.lru_cache(maxsize=8)
def _day_first(locale: str) -> bool:
    pattern = str(Locale.parse(locale).date_formats["short"].pattern)
    return pattern.find("d") < pattern.find("M")


def _example(locale: str) -> str:
    return day_text(dt.date(2027, 3, 12), "short", locale)


def _year(typed: str | None, day: int, month: int, today: dt.date) -> int:
    if typed is None:
        # "12 mars" in December is next March; in May it is the one just gone.
        best = today.year
        for year in (today.year - 1, today.year, today.year + 1):
            try:
                distance = abs((dt.date(year, month, day) - today).days)
            except ValueError:
                continue
            if distance <= _DISTANCE_LIMIT:
                best = year
                break
        return best
    year = int(typed)
    if len(typed) == 2:
        year += 2000 if 2000 + year <= today.year + 20 else 1900
    return year


def _make(text: str, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("“{text}” is not a date that exists.").format(text=text.strip())
        ) from None


def _relative_day(word: str) -> int | None:
    for msgid, days in _RELATIVE_DAYS:
        if word in {_plain(w) for w in in_every_language(msgid)}:
            return days
    return None


def _date_or_none(text: str, locale: str, today: dt.date) -> dt.date | None:
    """The date `text` says, None when it says none; a ValidationError when it names a day
    that does not exist (31/02)."""
    plain = _plain(text)
    if not plain:
        return None
    shift = _SHIFT.match(plain.replace(" ", ""))
    if shift:
        days = int(shift.group(2))
        return today + dt.timedelta(days=days if shift.group(1) == "+" else -days)
    numeric = _NUMERIC.match(plain.replace(" ", ""))
    if numeric:
        first, second, third = numeric.groups()
        if len(first) == 4:  # ISO: 2027-03-12
            return _make(text, int(first), int(second), int(third or 0))
        if len(first) > 2:
            return None
        day, month = (first, second) if _day_first(locale) else (second, first)
        return _make(text, _year(third, int(day), int(month), today), int(month), int(day))

    words = _words(text)
    joined = " ".join(words)
    relative = _relative_day(joined)
    if relative is not None:
        return today + dt.timedelta(days=relative)
    months, weekdays = _names(locale)
    if len(words) == 1:
        weekday = _lookup(words[0], weekdays)
        if weekday is not None:  # the next one, never today
            return today + dt.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
        number = _NUMBER.match(words[0])
        if number and len(number.group(1)) <= 2:  # "12": the 12th of this month
            return _make(text, today.year, today.month, int(number.group(1)))
        return None
    if len(words) >= 3 and _lookup(words[0], weekdays) is not None:
        words = words[1:]  # "jeudi 12 mars": the weekday only names the date
    # One month name, the day (1 or 2 digits) before the year (2 or 4 digits), in either
    # order around the month: "12 mars 2027", "march 12 2027", "12 march", "march 12th".
    if not 2 <= len(words) <= 3:
        return None
    numbers = [_NUMBER.match(w) for w in words]
    names = [i for i, m in enumerate(numbers) if m is None]
    if len(names) != 1:
        return None
    month = _lookup(words[names[0]], months)
    values = [m.group(1) for m in numbers if m is not None]
    if month is None or len(values[0]) > 2 or (len(values) == 2 and len(values[1]) not in (2, 4)):
        return None
    day = int(values[0])
    year = _year(values[1] if len(values) == 2 else None, day, month, today)
    return _make(text, year, month, day)


def parse_date(text: str, locale: str, today: dt.date) -> dt.date:
    """The date typed in `text`, read as `locale` writes dates ("fr_FR": day first)."""
    found = _date_or_none(text, locale, today)
    if found is None:
        raise ValidationError(
            _(
                "“{text}” is not a date. Type it as {example}, 12 March, +7, tomorrow or Thursday."
            ).format(text=text.strip(), example=_example(locale))
        )
    return found


@functools.lru_cache(maxsize=8)
def _time_words(locale: str) -> tuple[dict[str, dt.time], dict[str, int]]:
    """(noon and midnight → their time, AM/PM marker → hours to add), from CLDR."""
    named: dict[str, dt.time] = {}
    markers: dict[str, int] = {}
    for name in (locale, *_OTHER_LOCALES):
        periods = Locale.parse(name).day_periods["format"]
        for key, when in (("noon", dt.time(12, 0)), ("midnight", dt.time(0, 0))):
            if key in periods["wide"]:
                named.setdefault(_plain(periods["wide"][key]), when)
        for key, hours in (("am", 0), ("pm", 12)):
            markers.setdefault(_plain(periods["abbreviated"][key]).replace(" ", ""), hours)
    return named, markers


def _time_or_none(text: str, locale: str) -> dt.time | None:
    words = _words(text)
    if not words:
        return None
    joined = " ".join(words)
    named, markers = _time_words(locale)
    if joined in named:
        return named[joined]
    meridiem = _TIME_MERIDIEM.match(joined.replace(" ", ""))
    if meridiem and meridiem.group(3) in markers:
        hour, minute = int(meridiem.group(1)), int(meridiem.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        return dt.time(hour % 12 + markers[meridiem.group(3)], minute)
    plain = _TIME.match(joined)
    if plain:
        hour, minute = int(plain.group(1)), int(plain.group(2) or 0)
        if hour > 23 or minute > 59:
            return None
        return dt.time(hour, minute)
    return None


def parse_time(text: str, locale: str) -> dt.time:
    """The time typed in `text`: "19h30", "19:30", "7:30 pm", "19h", "midi"."""
    found = _time_or_none(text, locale)
    if found is None:
        raise ValidationError(
            _("“{text}” is not a time. Type it as {example}, 19h30 or 7:30 pm.").format(
                text=text.strip(), example=time_text(dt.time(19, 30), locale)
            )
        )
    return found


def parse_date_time(text: str, locale: str, today: dt.date, current: dt.datetime) -> dt.datetime:
    """A date and a time typed together ("12/03/2027 19:30", "demain 19h30", "jeudi"): a
    date alone keeps `current`'s time, a time alone keeps its day."""
    time_only = _time_or_none(text, locale) if re.search(r"[h:]|[ap]\.?m", text, re.I) else None
    if time_only is not None:
        return dt.datetime.combine(current.date(), time_only)
    words = _plain(text).split(" ")
    # The time is usually last ("demain 19h30"), sometimes first ("19h30 demain").
    for cut in range(len(words) - 1, 0, -1):
        for date_words, time_words in ((words[:cut], words[cut:]), (words[-cut:], words[:-cut])):
            when = _time_or_none(" ".join(time_words), locale)
            if when is None:
                continue
            day = _date_or_none(" ".join(date_words), locale, today)
            if day is not None:
                return dt.datetime.combine(day, when)
    day = _date_or_none(text, locale, today)
    if day is not None:
        return dt.datetime.combine(day, current.time())
    raise ValidationError(
        _(
            "“{text}” is not a date and time. Type it as {example}, tomorrow 19:30 or "
            "Thursday 7:30 pm."
        ).format(
            text=text.strip(),
            example=f"{_example(locale)} {time_text(dt.time(19, 30), locale)}",
        )
    )
