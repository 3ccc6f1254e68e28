"""How values look on screen: dates, numbers and labels through the current language."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime

from cmplanner.i18n import locale_name
from cmplanner.model.enums import kind_label


def app_locale() -> QLocale:
    """The QLocale of the language CM Planner speaks (not necessarily the system's), in the
    system's region for it (cmplanner.i18n.locale_name): its dates, clock and first day of
    the week."""
    return QLocale(locale_name())


def format_time(hour: int, minute: int = 0, locale: QLocale | None = None) -> str:
    """A time of day as the locale writes it: "19:30" (fr, en_GB), "7:30 PM" (en_US)."""
    locale = locale or app_locale()
    return locale.toString(QTime(hour % 24, minute), QLocale.FormatType.ShortFormat)


def hour_label(hour: int, locale: QLocale | None = None) -> str:
    """An hour of a day's grid: "09:00" on a 24-hour clock, "9 AM" on a 12-hour one."""
    locale = locale or app_locale()
    if "a" in locale.timeFormat(QLocale.FormatType.ShortFormat).lower():
        return locale.toString(QTime(hour % 24, 0), "h AP")
    return format_time(hour, 0, locale)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _as_datetime(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def date_format() -> str:
    """The short date pattern of the app's language, with a 4-digit year (for date edits)."""
    pattern = app_locale().dateFormat(QLocale.FormatType.ShortFormat)
    return pattern if "yyyy" in pattern else pattern.replace("yy", "yyyy")


def format_date(value: dt.date, locale: QLocale | None = None) -> str:
    locale = locale or app_locale()
    return locale.toString(
        QDate(value.year, value.month, value.day), QLocale.FormatType.ShortFormat
    )


def format_datetime(value: dt.datetime, locale: QLocale | None = None) -> str:
    """A wall-clock time as written; an aware instant in the computer's time zone."""
    locale = locale or app_locale()
    if value.tzinfo is not None:
        value = value.astimezone()
    qdt = QDateTime(
        QDate(value.year, value.month, value.day), QTime(value.hour, value.minute, value.second)
    )
    return locale.toString(qdt, QLocale.FormatType.ShortFormat)


def format_value(value: Any, kind: str, locale: QLocale | None = None) -> str:
    """The text of one cell of a listing column of `kind`."""
    if value is None or value == "":
        return ""
    if kind == "date":
        date = _as_date(value)
        return format_date(date, locale) if date else str(value)
    if kind in ("datetime", "instant"):
        # "datetime" is a wall-clock time shown as written; "instant" is UTC, shown locally.
        when = _as_datetime(value)
        if when is not None and kind == "instant" and when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        return format_datetime(when, locale) if when else str(value)
    if kind == "int":
        return (locale or app_locale()).toString(int(value))
    if kind == "bool":
        return "✓" if value else ""
    if kind in ("enum", "kind"):
        return kind_label(str(value))
    return str(value)


def format_int(n: int) -> str:
    return app_locale().toString(n)


def day_month(day: dt.date) -> str:
    """The day and month as the locale writes short dates, without the year ("26/11")."""
    pattern = app_locale().dateFormat(app_locale().FormatType.ShortFormat)
    pattern = re.sub(r"[^dM]*y+[^dM]*", "", pattern) or "d/M"
    return app_locale().toString(QDate(day.year, day.month, day.day), pattern)
