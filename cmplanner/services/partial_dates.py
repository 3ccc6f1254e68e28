"""Birthdays and anniversaries: a full date, or a month and day without the year.

Stored as ISO 8601 text — "1985-04-12", or "--04-12" when the year is not known (vCard 4.0's
truncated form, RFC 6350 §4.3.1) — so the month is always the five characters from the end
("04-12"): `MONTH_SQL` filters on it. Read from what vCard 3.0 and 4.0, Apple, Google and
Outlook write; written back as each version wants it.
"""

from __future__ import annotations

import datetime as dt
import re

from cmplanner import clock
from cmplanner.i18n import _

# The month ("04") of a stored date, in SQL, for the column given.
MONTH_SQL = "substr({column}, -5, 2)"
# Apple writes a birthday without its year as 1604-MM-DD (a leap year) with this parameter.
APPLE_OMIT_YEAR = "X-APPLE-OMIT-YEAR"
_FULL = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$")
_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")
_NUMERIC = re.compile(r"^(\d{1,4})[/.\-\s](\d{1,2})(?:[/.\-\s](\d{1,4}))?$")
_LEAP_YEAR = 2000


def _iso(year: int | None, month: int, day: int) -> str | None:
    try:
        dt.date(year or _LEAP_YEAR, month, day)  # 29 February is a day without its year
    except ValueError:
        return None
    if year is None:
        return f"--{month:02d}-{day:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_partial_date(text: str, day_first: bool = True, omit_year: str = "") -> str | None:
    """The stored form of a date as written, or None when it is not one.

    ISO and vCard forms ("1985-04-12", "19850412", "1985-04-12T00:00:00Z", "--0412",
    "--04-12") are read as they are; "12/04/1985", "12.04" and "12/04" day first when
    `day_first`, else month first (a number above 12 settles it either way). `omit_year` is
    Apple's X-APPLE-OMIT-YEAR: that year means "no year"."""
    value = text.strip()
    if not value:
        return None
    m = _NO_YEAR.match(value)
    if m:
        return _iso(None, int(m.group(1)), int(m.group(2)))
    m = _FULL.match(value)
    if m:
        no_year = omit_year.strip() == m.group(1) or int(m.group(1)) == 0
        return _iso(None if no_year else int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _NUMERIC.match(value)
    if not m:
        return None
    first, second, third = m.group(1), m.group(2), m.group(3)
    if len(first) == 4:  # 1985/04/12
        if third is None:
            return None
        return _iso(int(first), int(second), int(third))
    a, b = int(first), int(second)
    day, month = (a, b) if day_first else (b, a)
    if month > 12 >= day:
        day, month = month, day
    year: int | None = None
    if third is not None:
        year = int(third)
        if len(third) <= 2:
            year += 1900 if year > clock.today().year % 100 else 2000
        if year == 0:
            year = None
    return _iso(year, month, day)


def month_number(value: str | int) -> int:
    """A month asked for: 1-12, or "this" (the current month); ValueError otherwise."""
    if isinstance(value, str) and value.strip().casefold() == "this":
        return clock.today().month
    month = int(value)
    if not 1 <= month <= 12:
        raise ValueError(value)
    return month


def vcard_date(value: str, version: str = "4.0") -> str:
    """A stored date as vCard writes it: 4.0 "19850412" / "--0412"; 3.0 "1985-04-12" /
    "--04-12" (the truncated form most 3.0 readers accept)."""
    if version != "4.0":
        return value
    if value.startswith("--"):
        return "--" + value[2:].replace("-", "")
    return value.replace("-", "")


def as_date(value: str) -> dt.date | None:
    """The full date, or None for a date without its year (or none)."""
    return None if not value or value.startswith("--") else dt.date.fromisoformat(value)


def format_partial_date(value: str, locale: str | None = None) -> str:
    """For people: "12 avril 1985", "12 avril" (no year); "" for none. In `locale` (a locale or
    a bare language), the app's by default (see `cmplanner.formats`)."""
    if not value:
        return ""
    # imported on use, not at the top: Babel loads only when a date is written for people
    from cmplanner.formats import day_text

    full = as_date(value)
    if full is not None:
        return day_text(full, "long", locale)
    return day_text(dt.date(_LEAP_YEAR, int(value[2:4]), int(value[5:7])), "MMMMd", locale)


def date_or_note(
    raw: str,
    which: str,
    notes: list[str],
    warnings: list[str],
    day_first: bool = True,
    omit_year: str = "",
) -> str:
    """An imported birthday or anniversary (`which`) in its stored form; one that is not a
    date goes to `notes` as written, with a warning (never dropped), and gives ""."""
    value = parse_partial_date(raw, day_first, omit_year)
    if value is not None:
        return value
    label = _("Birthday") if which == "birthday" else _("Anniversary")
    notes.append(_("{field} as written: {value}").format(field=label, value=raw.strip()))
    warnings.append(
        _("{field} “{value}” is not a date; it was kept in the notes.").format(
            field=label, value=raw.strip()
        )
    )
    return ""
