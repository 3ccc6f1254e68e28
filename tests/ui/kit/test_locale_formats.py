"""Dates, times and the first day of the week come from the locale: the language CM Planner
speaks, in the system's region for it. A 12-hour clock and weeks from Sunday in en_US, 24
hours and Monday first in en_GB and in French: in the calendar's month and week grids, the
date pickers, the time fields and the lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QWidget

from cmplanner.i18n import locale_name, set_language
from tests.ui.editors import event_editor
from ui.calendar.look import week_start
from ui.calendar.week_grid import time_width
from ui.kit.date_fields import DateEdit, DateTimeEdit
from ui.kit.display import format_time, format_value, hour_label
from ui.shell.main_window import MainWindow

THURSDAY = dt.date(2026, 11, 19)


def _system(
    monkeypatch: pytest.MonkeyPatch, lang: str, lc_time: str = "", lc_all: str = ""
) -> None:
    for variable, value in (("LANG", lang), ("LC_TIME", lc_time), ("LC_ALL", lc_all)):
        if value:
            monkeypatch.setenv(variable, value)
        else:
            monkeypatch.delenv(variable, raising=False)


@pytest.mark.parametrize(
    ("language", "lang", "lc_time", "lc_all", "expected"),
    [
        ("en", "en_US.UTF-8", "", "", "en_US"),
        ("en", "en_GB.UTF-8", "", "", "en_GB"),
        ("fr", "fr_FR.UTF-8", "", "", "fr_FR"),
        ("fr", "fr_CA.UTF-8", "", "", "fr_CA"),
        ("fr", "en_US.UTF-8", "", "", "fr_FR"),  # French on an American system: France's
        ("en", "C.UTF-8", "", "", "en_GB"),  # no region said
        ("en", "de_DE.UTF-8", "", "", "en_GB"),
        ("en", "en_GB.UTF-8", "en_US.UTF-8", "", "en_US"),  # LC_TIME beats LANG
        ("en", "en_US.UTF-8", "", "C", "en_GB"),  # and LC_ALL beats both
    ],
)
def test_the_locale_is_the_language_in_the_system_s_region(
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    lang: str,
    lc_time: str,
    lc_all: str,
    expected: str,
) -> None:
    _system(monkeypatch, lang, lc_time, lc_all)
    set_language(language)
    assert locale_name() == expected


LOCALES = [
    # language, LANG, 12-hour clock, the first day of the week
    ("en", "en_US.UTF-8", True, Qt.DayOfWeek.Sunday),
    ("en", "en_GB.UTF-8", False, Qt.DayOfWeek.Monday),
    ("fr", "fr_FR.UTF-8", False, Qt.DayOfWeek.Monday),
]


@pytest.fixture(params=LOCALES, ids=[lang for _l, lang, _t, _d in LOCALES])
def system_locale(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[bool, Qt.DayOfWeek]]:
    language, lang, twelve_hours, first_day = request.param
    _system(monkeypatch, lang)
    set_language(language)
    yield twelve_hours, first_day
    set_language("en")


def test_times_follow_the_locale_s_clock(system_locale: tuple[bool, Qt.DayOfWeek]) -> None:
    twelve_hours, _first = system_locale
    shown = format_time(19, 30)
    evening = format_value(dt.datetime(2026, 11, 19, 19, 30), "datetime")  # a list's cell
    if twelve_hours:
        assert shown.replace("\u202f", " ") == "7:30 PM"
        assert hour_label(22) == "10 PM"
        assert "7:30" in evening and "PM" in evening
    else:
        assert shown == "19:30"
        assert hour_label(22) == "22:00"
        assert "19:30" in evening and "PM" not in evening
    assert format_time(9, 5) in ("9:05\u202fAM", "09:05")


def test_date_pickers_and_time_fields_follow_the_locale(
    qtbot, frozen_clock: dt.datetime, system_locale: tuple[bool, Qt.DayOfWeek]
) -> None:
    twelve_hours, first_day = system_locale
    form = QWidget()
    qtbot.addWidget(form)
    day = DateEdit(form)
    when = DateTimeEdit(form)
    assert day.calendarWidget().firstDayOfWeek() == first_day
    assert when.calendarWidget().firstDayOfWeek() == first_day
    assert "yyyy" in day.displayFormat()
    assert ("ap" in when.displayFormat().lower()) == twelve_hours
    when.setDateTime(when.dateTime().fromString("2026-11-19T19:30:00", Qt.DateFormat.ISODate))
    assert ("PM" in when.text()) == twelve_hours
    assert ("19:30" in when.text()) == (not twelve_hours)


def test_the_calendar_s_weeks_start_on_the_locale_s_first_day(
    window: MainWindow, system_locale: tuple[bool, Qt.DayOfWeek]
) -> None:
    _twelve, first_day = system_locale
    first = dt.date(2026, 11, 15) if first_day == Qt.DayOfWeek.Sunday else dt.date(2026, 11, 16)
    assert week_start(THURSDAY) == first
    window.show_section("calendar")
    view = window.view("calendar")
    view.set_mode("month")
    locale = QLocale(locale_name())
    header = view.month_model.headerData(0, Qt.Orientation.Horizontal)
    assert header == locale.dayName(first_day.value, QLocale.FormatType.ShortFormat)
    view.set_mode("week")
    assert view.week_grid.first.isoweekday() == first_day.value


def test_the_week_grid_has_room_for_its_hours(system_locale: tuple[bool, Qt.DayOfWeek]) -> None:
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QApplication

    metrics = QFontMetrics(QApplication.font())
    assert time_width() >= metrics.horizontalAdvance(hour_label(22)) + 10


def test_the_event_editor_s_time_fields_follow_the_locale(
    window: MainWindow, system_locale: tuple[bool, Qt.DayOfWeek]
) -> None:
    twelve_hours, first_day = system_locale
    editor = event_editor(window)
    for edit in (editor.start, editor.end):
        assert ("ap" in edit.displayFormat().lower()) == twelve_hours
        assert edit.calendarWidget().firstDayOfWeek() == first_day
    editor.discard_and_close()
