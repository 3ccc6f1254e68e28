"""Dates and times typed on the keyboard, read in French and in English."""

from __future__ import annotations

import datetime as dt

import pytest

from cmplanner.errors import ValidationError
from cmplanner.i18n import set_language
from cmplanner.typed_dates import parse_date, parse_date_time, parse_time

TODAY = dt.date(2026, 11, 19)  # a Thursday
D = dt.date

# (interface language, CLDR locale): French, English as CM Planner shows it (day first), and
# English of the United States (month first).
LOCALES = [("fr", "fr_FR"), ("en", "en_GB")]

DATES = [
    ("12/03/2027", D(2027, 3, 12)),
    ("12/3/27", D(2027, 3, 12)),
    ("12.03.2027", D(2027, 3, 12)),
    ("12-03-2027", D(2027, 3, 12)),
    ("2027-03-12", D(2027, 3, 12)),
    ("12 mars", D(2027, 3, 12)),  # without a year: the nearest 12 March
    ("12 mars 2027", D(2027, 3, 12)),
    ("le 12 mars", D(2027, 3, 12)),
    ("jeudi 12 mars", D(2027, 3, 12)),
    ("1er mars", D(2027, 3, 1)),
    ("3 févr.", D(2027, 2, 3)),
    ("3 fevrier", D(2027, 2, 3)),
    ("march 12", D(2027, 3, 12)),
    ("March 12th, 2027", D(2027, 3, 12)),
    ("12 march 2027", D(2027, 3, 12)),
    ("Dec 24", D(2026, 12, 24)),
    ("2 juin", D(2026, 6, 2)),  # five months ago is nearer than seven months ahead
    ("+7", D(2026, 11, 26)),
    ("+ 7", D(2026, 11, 26)),
    ("-1", D(2026, 11, 18)),
    ("+0", TODAY),
    ("demain", D(2026, 11, 20)),
    ("tomorrow", D(2026, 11, 20)),
    ("aujourd’hui", TODAY),
    ("today", TODAY),
    ("hier", D(2026, 11, 18)),
    ("après-demain", D(2026, 11, 21)),
    ("jeudi", D(2026, 11, 26)),  # the next Thursday, not today
    ("Thursday", D(2026, 11, 26)),
    ("jeudi prochain", D(2026, 11, 26)),
    ("next thursday", D(2026, 11, 26)),
    ("ven.", D(2026, 11, 20)),
    ("mon", D(2026, 11, 23)),
    ("12", D(2026, 11, 12)),  # a day of this month
]


@pytest.mark.parametrize(("language", "locale"), LOCALES)
@pytest.mark.parametrize(("text", "expected"), DATES)
def test_dates_typed(language: str, locale: str, text: str, expected: dt.date) -> None:
    set_language(language)
    assert parse_date(text, locale, TODAY) == expected


def test_the_locale_says_whether_the_day_or_the_month_comes_first() -> None:
    assert parse_date("12/03/2027", "fr_FR", TODAY) == D(2027, 3, 12)
    assert parse_date("12/03/2027", "en_GB", TODAY) == D(2027, 3, 12)
    assert parse_date("12/03/2027", "en_US", TODAY) == D(2027, 12, 3)
    assert parse_date("3/12/27", "en_US", TODAY) == D(2027, 3, 12)


def test_a_year_typed_with_two_digits() -> None:
    assert parse_date("12/03/85", "fr_FR", TODAY) == D(1985, 3, 12)  # a birthday
    assert parse_date("12/03/46", "fr_FR", TODAY) == D(2046, 3, 12)


@pytest.mark.parametrize(("language", "locale"), LOCALES)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19h30", dt.time(19, 30)),
        ("19h", dt.time(19, 0)),
        ("19 h 30", dt.time(19, 30)),
        ("19:30", dt.time(19, 30)),
        ("19.30", dt.time(19, 30)),
        ("7:30 pm", dt.time(19, 30)),
        ("7:30 PM", dt.time(19, 30)),
        ("7:30 p.m.", dt.time(19, 30)),
        ("7pm", dt.time(19, 0)),
        ("12 am", dt.time(0, 0)),
        ("12:15 pm", dt.time(12, 15)),
        ("midi", dt.time(12, 0)),
        ("noon", dt.time(12, 0)),
        ("minuit", dt.time(0, 0)),
    ],
)
def test_times_typed(language: str, locale: str, text: str, expected: dt.time) -> None:
    set_language(language)
    assert parse_time(text, locale) == expected


@pytest.mark.parametrize(("language", "locale"), LOCALES)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("demain 19h30", dt.datetime(2026, 11, 20, 19, 30)),
        ("demain à 19h30", dt.datetime(2026, 11, 20, 19, 30)),
        ("tomorrow at 7:30 pm", dt.datetime(2026, 11, 20, 19, 30)),
        ("19h30 demain", dt.datetime(2026, 11, 20, 19, 30)),
        ("12/03/2027 19:30", dt.datetime(2027, 3, 12, 19, 30)),
        ("12 mars 2027 19h", dt.datetime(2027, 3, 12, 19, 0)),
        ("march 12 7 pm", dt.datetime(2027, 3, 12, 19, 0)),
        ("jeudi", dt.datetime(2026, 11, 26, 18, 0)),  # a day alone keeps the time
        ("+7", dt.datetime(2026, 11, 26, 18, 0)),
        ("20h", dt.datetime(2026, 12, 1, 20, 0)),  # a time alone keeps the day
        ("8:15 pm", dt.datetime(2026, 12, 1, 20, 15)),
    ],
)
def test_a_date_and_a_time_typed_together(
    language: str, locale: str, text: str, expected: dt.datetime
) -> None:
    set_language(language)
    current = dt.datetime(2026, 12, 1, 18, 0)
    assert parse_date_time(text, locale, TODAY, current) == expected


@pytest.mark.parametrize(
    ("language", "text", "message"),
    [
        ("fr", "zzz", "« zzz » n'est pas une date. Tapez par exemple 12/03/2027, 12 mars, +7"),
        ("en", "zzz", "“zzz” is not a date. Type it as 12/03/2027, 12 March, +7, tomorrow"),
        ("fr", "31/02/2027", "« 31/02/2027 » n'est pas une date qui existe."),
        ("en", "31/02/2027", "“31/02/2027” is not a date that exists."),
        ("en", "13/13/2027", "“13/13/2027” is not a date that exists."),
        ("en", "", "“” is not a date."),
        ("en", "jui 2", "“jui 2” is not a date."),  # juin or juillet?
        ("en", "12 mars 4", "“12 mars 4” is not a date."),
    ],
)
def test_what_is_not_a_date_says_so(language: str, text: str, message: str) -> None:
    set_language(language)
    locale = "fr_FR" if language == "fr" else "en_GB"
    with pytest.raises(ValidationError) as raised:
        parse_date(text, locale, TODAY)
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize("text", ["25h", "13pm", "19:75", "bla", ""])
def test_what_is_not_a_time_says_so(text: str) -> None:
    set_language("fr")
    with pytest.raises(ValidationError, match="n'est pas une heure"):
        parse_time(text, "fr_FR")


def test_what_is_not_a_date_and_time_says_so() -> None:
    set_language("en")
    with pytest.raises(ValidationError, match=r"is not a date and time\. Type it as 12/03/2027"):
        parse_date_time("nope 19h", "en_GB", TODAY, dt.datetime(2026, 12, 1, 18))
    with pytest.raises(ValidationError, match="“31/02” is not a date that exists"):
        parse_date_time("31/02 19h", "en_GB", TODAY, dt.datetime(2026, 12, 1, 18))
