"""The recurrences a person can choose without knowing RFC 5545, to and from an RRULE value,
and the sentence that says one ("Every fourth Thursday of the month, until 30 June 2027").

A rule the form cannot show (yearly, several monthly days…) is not forced into it:
`from_rrule` answers None and the editor keeps the raw text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cmplanner.formats import day_name, day_text
from cmplanner.i18n import N_, _, ngettext
from cmplanner.timezones import utc_to_local

NONE = "none"
WEEKLY = "weekly"
MONTHLY_WEEKDAY = "monthly_weekday"  # the 1st-4th or last <weekday> of the month
MONTHLY_DAY = "monthly_day"  # day N of the month

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # Monday is 0, as in `datetime`
ORDINALS = (1, 2, 3, 4, -1)
_ORDINAL_WORDS = {1: N_("first"), 2: N_("second"), 3: N_("third"), 4: N_("fourth"), -1: N_("last")}


@dataclass(frozen=True)
class Repeat:
    pattern: str = NONE
    interval: int = 1  # every N weeks or months
    weekdays: tuple[int, ...] = ()  # WEEKLY: 0 = Monday
    ordinal: int = 1  # MONTHLY_WEEKDAY: 1-4, or -1 for the last
    weekday: int = 0  # MONTHLY_WEEKDAY
    month_day: int = 1  # MONTHLY_DAY: 1-31
    until: dt.date | None = None  # the last day an occurrence may fall on (inclusive)
    count: int | None = None  # or: this many occurrences


def to_rrule(repeat: Repeat) -> str:
    """The RRULE value (no "RRULE:" prefix); "" for a one-off event. UNTIL is the end of
    that day in the event's own zone (floating, as the stored local start)."""
    if repeat.pattern == NONE:
        return ""
    parts: list[str] = []
    if repeat.pattern == WEEKLY:
        parts.append("FREQ=WEEKLY")
    else:
        parts.append("FREQ=MONTHLY")
    if repeat.interval > 1:
        parts.append(f"INTERVAL={repeat.interval}")
    if repeat.pattern == WEEKLY:
        if repeat.weekdays:
            parts.append("BYDAY=" + ",".join(DAY_CODES[d] for d in sorted(set(repeat.weekdays))))
    elif repeat.pattern == MONTHLY_WEEKDAY:
        parts.append(f"BYDAY={repeat.ordinal}{DAY_CODES[repeat.weekday]}")
    elif repeat.pattern == MONTHLY_DAY:
        parts.append(f"BYMONTHDAY={repeat.month_day}")
    else:
        raise ValueError(f"unknown pattern {repeat.pattern!r}")
    if repeat.until is not None:
        parts.append(f"UNTIL={repeat.until:%Y%m%d}T235959")
    elif repeat.count is not None:
        parts.append(f"COUNT={repeat.count}")
    return ";".join(parts)


def _until(value: str, zone: str | None) -> dt.date | None:
    """UNTIL's last day: in the series' own zone for an UNTIL in UTC ("…Z": 1 June 03:00
    UTC is still 31 May in New York)."""
    try:
        if value.endswith("Z") and zone is not None:
            instant = dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
            return utc_to_local(instant, zone).date()
        return dt.datetime.strptime(value.rstrip("Z")[:8], "%Y%m%d").date()
    except ValueError:
        return None


def from_rrule(rule: str, start: dt.date | None = None, zone: str | None = None) -> Repeat | None:
    """The form for an RRULE value, or None when the form cannot show it. `start` fills in
    what the rule leaves to the first occurrence (a weekly rule without BYDAY…); `zone` is
    the series' zone, the one an UNTIL in UTC is read in."""
    text = "".join(rule.split()).upper()
    if text.startswith("RRULE:"):
        text = text[len("RRULE:") :]
    if not text:
        return Repeat()
    fields: dict[str, str] = {}
    for part in text.split(";"):
        if not part:
            continue
        key, sep, value = part.partition("=")
        if not sep or key in fields:
            return None
        fields[key] = value
    freq = fields.pop("FREQ", "")
    if fields.get("WKST", "MO") == "MO":
        fields.pop("WKST", None)
    try:
        interval = int(fields.pop("INTERVAL", "1"))
        count = int(fields.pop("COUNT")) if "COUNT" in fields else None
    except ValueError:
        return None
    until = None
    if "UNTIL" in fields:
        until = _until(fields.pop("UNTIL"), zone)
        if until is None:
            return None
    if interval < 1 or (count is not None and count < 1) or (until and count):
        return None
    ends = {"interval": interval, "until": until, "count": count}
    byday = fields.pop("BYDAY", "")
    if freq == "WEEKLY" and not fields:
        codes = [c for c in byday.split(",") if c] if byday else []
        if any(c not in DAY_CODES for c in codes):
            return None
        days = tuple(sorted({DAY_CODES.index(c) for c in codes}))
        if not days and start is not None:
            days = (start.weekday(),)
        return Repeat(WEEKLY, weekdays=days, **ends)  # type: ignore[arg-type]
    if freq != "MONTHLY":
        return None
    setpos = fields.pop("BYSETPOS", "")
    monthday = fields.pop("BYMONTHDAY", "")
    if fields:
        return None
    if byday and not monthday:
        code = byday
        if setpos:  # BYDAY=TH;BYSETPOS=4 says what BYDAY=4TH says
            if not setpos.lstrip("-").isdigit() or not code.isalpha():
                return None
            code = setpos + code
        number, day = code[:-2], code[-2:]
        if day not in DAY_CODES or number.lstrip("+") not in ("1", "2", "3", "4", "-1"):
            return None
        return Repeat(
            MONTHLY_WEEKDAY,
            ordinal=int(number),
            weekday=DAY_CODES.index(day),
            **ends,  # type: ignore[arg-type]
        )
    if setpos or byday:
        return None
    if not monthday:
        if start is None:
            return None
        monthday = str(start.day)
    if not monthday.isdigit() or not 1 <= int(monthday) <= 31:
        return None
    return Repeat(MONTHLY_DAY, month_day=int(monthday), **ends)  # type: ignore[arg-type]


def long_date(day: dt.date) -> str:
    """« 30 juin 2027 », "June 30, 2027" (en_US), "30 June 2027" (en_GB)."""
    return day_text(day, "long")


def ordinal_word(ordinal: int) -> str:
    return _(_ORDINAL_WORDS[ordinal])


def _days(weekdays: tuple[int, ...]) -> str:
    names = [day_name(d) for d in weekdays]
    if len(names) <= 1:
        return "".join(names)
    return _("{days} and {last}").format(days=", ".join(names[:-1]), last=names[-1])


def summary(repeat: Repeat) -> str:
    """One sentence: "Every fourth Thursday of the month, until 30 June 2027"."""
    n = repeat.interval
    if repeat.pattern == NONE:
        return _("Does not repeat")
    if repeat.pattern == WEEKLY:
        text = ngettext("Every {days}", "Every {n} weeks on {days}", n)
        sentence = text.format(n=n, days=_days(repeat.weekdays))
    elif repeat.pattern == MONTHLY_WEEKDAY:
        text = ngettext(
            "Every {ordinal} {day} of the month", "Every {n} months on the {ordinal} {day}", n
        )
        sentence = text.format(
            n=n, ordinal=ordinal_word(repeat.ordinal), day=day_name(repeat.weekday)
        )
    else:
        text = ngettext("Every month on day {day}", "Every {n} months on day {day}", n)
        sentence = text.format(n=n, day=repeat.month_day)
    if repeat.until is not None:
        return _("{rule}, until {date}").format(rule=sentence, date=long_date(repeat.until))
    if repeat.count is not None:
        text = ngettext("{rule}, once", "{rule}, {count} times", repeat.count)
        return text.format(rule=sentence, count=repeat.count)
    return sentence
