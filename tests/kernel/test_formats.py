"""Dates and times as text in the user's locale (cmplanner.formats): a 12-hour clock and the
month first in en_US, 24 hours and the day first in en_GB and in French; the system's region
decides, for the language CM Planner speaks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from cmplanner.formats import day_text, month_text, time_text, times_text, twelve_hours
from cmplanner.i18n import babel_locale, set_language
from cmplanner.services.named_records import Usage

THURSDAY = dt.date(2026, 11, 19)
EVENING = dt.datetime(2026, 11, 19, 19, 30)
NNBSP, THIN = "\u202f", "\u2009"  # CLDR's spaces: before "PM", around an interval's dash


@pytest.mark.parametrize(
    ("locale", "full", "time", "twelve"),
    [
        ("en_US", "Thursday, November 19, 2026", f"7:30{NNBSP}PM", True),
        ("en_GB", "Thursday, 19 November 2026", "19:30", False),
        ("fr_FR", "jeudi 19 novembre 2026", "19:30", False),
        ("fr_CA", "jeudi 19 novembre 2026", "19 h 30", False),
    ],
)
def test_a_locale_s_day_and_clock(locale: str, full: str, time: str, twelve: bool) -> None:
    assert day_text(THURSDAY, locale=locale) == full
    assert day_text(THURSDAY, "full", locale) == full
    assert time_text(EVENING, locale) == time
    assert time_text(EVENING.time(), locale) == time
    assert twelve_hours(locale) is twelve


def test_the_four_widths_and_skeletons_in_the_locale_s_order() -> None:
    widths = [day_text(THURSDAY, width, "en_US") for width in ("long", "medium", "short")]
    assert widths == ["November 19, 2026", "Nov 19, 2026", "11/19/26"]
    widths = [day_text(THURSDAY, width, "en_GB") for width in ("long", "medium", "short")]
    assert widths == ["19 November 2026", "19 Nov 2026", "19/11/2026"]
    widths = [day_text(THURSDAY, width, "fr_FR") for width in ("long", "medium", "short")]
    assert widths == ["19 novembre 2026", "19 nov. 2026", "19/11/2026"]
    # A skeleton names the fields; the locale puts them in its order, with its punctuation.
    assert day_text(THURSDAY, "MMMEd", "en_US") == "Thu, Nov 19"
    assert day_text(THURSDAY, "MMMEd", "en_GB") == "Thu 19 Nov"
    assert day_text(THURSDAY, "MMMEd", "fr_FR") == "jeu. 19 nov."
    assert day_text(THURSDAY, "yMMMEd", "fr_FR") == "jeu. 19 nov. 2026"
    # …in the widths it asks for, where babel's nearest skeleton would abbreviate them.
    assert day_text(THURSDAY, "yMMMMEEEEd", "en_US") == "Thursday, November 19, 2026"
    assert day_text(THURSDAY, "yMMMMEEEEd", "en_GB") == "Thursday, 19 November 2026"
    assert day_text(THURSDAY, "yMMMMEEEEd", "fr_FR") == "jeudi 19 novembre 2026"
    assert day_text(THURSDAY, "MMMMd", "en_US") == "November 19"
    assert day_text(THURSDAY, "MMMMd", "en_GB") == "19 November"


def test_months_keep_two_digits_of_the_year() -> None:
    assert month_text(THURSDAY, locale="en_US") == "Nov 26"
    assert month_text(THURSDAY, locale="fr_FR") == "nov. 26"
    assert month_text(THURSDAY, year=False, locale="fr_FR") == "nov."


def test_printed_french_writes_hours_with_an_h() -> None:
    """French typography on paper (« 19 h 30 »); the screen and mails keep CLDR's 19:30."""
    assert time_text(EVENING, "fr_FR", printed=True) == "19 h 30"
    assert time_text(dt.time(9, 5), "fr_FR", printed=True) == "9 h 05"
    assert time_text(EVENING, "en_GB", printed=True) == "19:30"  # English prints as it reads
    assert time_text(EVENING, "en_US", printed=True) == f"7:30{NNBSP}PM"


def test_an_interval_says_the_period_once_on_a_12_hour_clock() -> None:
    start, end = dt.datetime(2026, 11, 19, 19, 0), dt.datetime(2026, 11, 19, 21, 30)
    morning = dt.datetime(2026, 11, 19, 11, 0)
    assert times_text(start, end, "en_US") == f"7:00{THIN}–{THIN}9:30{NNBSP}PM"
    assert times_text(morning, end, "en_US") == f"11:00{NNBSP}AM{THIN}–{THIN}9:30{NNBSP}PM"
    assert times_text(start, end, "en_GB") == "19:00–21:30"
    assert times_text(start, end, "fr_FR", printed=True) == "19 h 00 – 21 h 30"


@pytest.mark.parametrize(
    ("language", "system", "time", "full"),
    [
        ("en", "en_US", f"7:30{NNBSP}PM", "Thursday, November 19, 2026"),
        ("en", "en_GB", "19:30", "Thursday, 19 November 2026"),
        ("fr", "fr_FR", "19:30", "jeudi 19 novembre 2026"),
        ("fr", "en_US", "19:30", "jeudi 19 novembre 2026"),  # French on an American system
        ("en", "C", "19:30", "Thursday, 19 November 2026"),  # no region said: en_GB
    ],
)
def test_the_system_s_region_decides_for_the_app_s_language(
    region: Callable[[str], None], language: str, system: str, time: str, full: str
) -> None:
    region(system)
    set_language(language)
    assert time_text(EVENING) == time
    assert day_text(THURSDAY) == full
    assert time_text(EVENING, language) == time  # a bare language: in the system's region


def test_lc_time_beats_lang(monkeypatch: pytest.MonkeyPatch, region: Callable[[str], None]) -> None:
    region("en_GB")
    monkeypatch.setenv("LC_TIME", "en_US.UTF-8")
    assert time_text(EVENING) == f"7:30{NNBSP}PM"


def test_one_fallback_for_a_locale_babel_does_not_know() -> None:
    assert str(babel_locale("fr_XK")) == "fr"  # a region it does not know: the language alone
    assert str(babel_locale("xx_YY")) == "fr"  # a language it does not know: French
    assert day_text(THURSDAY, locale="xx") == "jeudi 19 novembre 2026"


def test_lists_follow_the_region_too(region: Callable[[str], None]) -> None:
    usage = Usage(contacts=12, events=3, promises=2)
    region("en_US")
    assert usage.what() == "12 contacts, 3 events, and 2 promises"
    region("en_GB")
    assert usage.what() == "12 contacts, 3 events and 2 promises"
