"""Occurrences of a recurring event, expanded in the event's *local* time.

A series "every Thursday at 19:00, Europe/Paris" stays at 19:00 across daylight-saving
changes because dateutil expands the RRULE on naive wall-clock times; each occurrence is
converted to UTC on its own date (never "start + 7 × 24 h" in UTC).

Expansion is bounded whatever the rule says, since rules also come from old versions and
other programs: a series gives at most MAX_OCCURRENCES dates in one window (`Expansion.cut`
says when there were more), dateutil looks at no more than MAX_STEPS dates to reach the
window, a rule no day matches is recognised once instead of being iterated to the year 9999,
and a rule that cannot be expanded gives its first date only (`Expansion.invalid` says why).
New rules are checked by `check_rule`: community events repeat at most once a day.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from cmplanner.i18n import _
from cmplanner.timezones import local_to_utc, utc_to_local

# The most dates one series gives in one window: a daily series over two years and more. A
# rule that gives more (an old rule every second) is cut there, and the caller says so.
MAX_OCCURRENCES = 1000
# The most dates dateutil is asked for to reach a window (a rule with COUNT cannot skip whole
# periods): about a tenth of a second.
MAX_STEPS = 50_000
# Community events (meetups, apéros, workshops) happen at most once a day: each date has its
# own guests, check-in and debrief. Finer frequencies are refused, and expanded (bounded) only
# when an old database holds them.
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_PERIOD_SECONDS = {
    "SECONDLY": 1,
    "MINUTELY": 60,
    "HOURLY": 3600,
    "DAILY": 86400,
    "WEEKLY": 7 * 86400,
}
# The most dates a new rule may count (COUNT): a daily series over 27 years; more is a typing
# slip, and other calendar programs refuse a COUNT past 2^31.
MAX_COUNT = 10_000
# An UNTIL further than this after the first date is a slip too (and dates near the year 9999
# overflow): a series that does not end has no UNTIL.
MAX_YEARS = 100
_DATE_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError)


@dataclass(frozen=True)
class Occurrence:
    recurrence_id: dt.datetime  # the original local start: identifies the occurrence
    start_local: dt.datetime
    end_local: dt.datetime
    start_utc: dt.datetime
    moved: bool = False


@dataclass(frozen=True)
class Override:
    """A skipped or moved occurrence (EXDATE / RECURRENCE-ID)."""

    recurrence_id: dt.datetime
    cancelled: bool
    start_local: dt.datetime | None = None
    end_local: dt.datetime | None = None


@dataclass(frozen=True)
class Expansion:
    """A series' occurrences in a window, in order, and whether that is all of them."""

    occurrences: tuple[Occurrence, ...]
    cut: bool = False  # more than the limit in the window: only the first ones are here
    invalid: str = ""  # why the rule cannot be expanded: only the event's first date is here


def rule_parts(rrule: str) -> dict[str, str]:
    """NAME → value of an RRULE value ("FREQ=WEEKLY;BYDAY=TH"), names in upper case."""
    return dict(p.split("=", 1) for p in rrule.upper().split(";") if "=" in p)


def check_rule(rrule: str, start_local: dt.datetime) -> None:
    """Raise ValueError, with a reason a person can act on, for a rule CM Planner does not
    store: one dateutil cannot read, one that repeats more than once a day, a zero INTERVAL
    or COUNT, a COUNT or UNTIL no community means (over MAX_COUNT dates, MAX_YEARS years),
    one that gives no date at all."""
    parts = rule_parts(rrule)
    freq = parts.get("FREQ", "")
    if freq not in FREQUENCIES:
        raise ValueError(
            _(
                "events repeat at most once a day, so FREQ must be DAILY, WEEKLY, MONTHLY"
                " or YEARLY (not {freq})"
            ).format(freq=freq or "—")
        )
    rule, reason = _parse(rrule, start_local)
    if rule is None:
        raise ValueError(reason)
    gives_dates, reason = _probe(rrule, start_local)
    if reason:
        raise ValueError(reason)
    count = int(parts.get("COUNT", "1"))  # an integer: dateutil read it
    if count < 1:
        raise ValueError(_("{part} must be at least 1").format(part="COUNT"))
    if count > MAX_COUNT:
        # babel loads only when a rule is refused, not with every listing.
        from cmplanner.formats import count as count_text

        raise ValueError(
            _("{part} must be at most {limit}").format(part="COUNT", limit=count_text(MAX_COUNT))
        )
    until = rule._until  # as dateutil read it: it has no public name for it
    if until is not None and until - start_local > dt.timedelta(days=365.25 * MAX_YEARS):
        raise ValueError(
            _(
                "UNTIL is more than {years} years after the first date: leave it out for a"
                " series that does not end"
            ).format(years=MAX_YEARS)
        )
    for name in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        if "," in parts.get(name, ""):
            raise ValueError(
                _("events repeat at most once a day, so {part} takes a single time of day").format(
                    part=name
                )
            )
    if not gives_dates:
        raise ValueError(_("no day matches every part of the rule, so it gives no date"))
    if next(iter(_Starts(rule, rrule, start_local, start_local)), None) is None:
        raise ValueError(_("the rule ends before the event's first date"))


def _parse(rrule: str, start_local: dt.datetime) -> tuple[Any, str]:
    """The dateutil rule, or None and the reason it cannot be expanded (naming the part)."""
    from dateutil.rrule import rrule as Rule  # noqa: N812 - the class, beside its instances

    # imported on use, not at the top: keeps it off the start-up path
    from dateutil.rrule import rrulestr

    for part in filter(None, rrule.split(";")):
        if "=" not in part:
            return None, _("“{part}” is not of the form NAME=VALUE").format(part=part)
    try:
        rule = rrulestr(rrule, dtstart=start_local)
    except ValueError as exc:  # dateutil names the part: "invalid 'BYDAY': XX"
        return None, str(exc)
    except _DATE_ERRORS:  # an IndexError or a KeyError says nothing a person can act on
        return None, _culprit(rrule, start_local)
    if not isinstance(rule, Rule):
        return None, _("one rule is expected")
    # dateutil loops for ever on INTERVAL=0 and fails half-way on a negative one.
    if int(rule_parts(rrule).get("INTERVAL", "1")) < 1:  # an integer: dateutil read it
        return None, _("{part} must be at least 1").format(part="INTERVAL")
    return rule, ""


def _culprit(rrule: str, start_local: dt.datetime) -> str:
    """Which part of a rule dateutil fails on without saying where (BYDAY=99MO)."""
    # imported on use, not at the top: keeps it off the start-up path
    from dateutil.rrule import rrulestr

    freq = rule_parts(rrule).get("FREQ", "")
    for part in filter(None, rrule.split(";")):
        try:
            alone = rrulestr(f"FREQ={freq};{part}", dtstart=start_local)
            if not part.upper().startswith("INTERVAL="):  # dateutil loops for ever on 0
                _first_date_late(alone, start_local)
        except _DATE_ERRORS:
            return _("{part} cannot be read").format(part=part)
    return _("the rule cannot be read")


@functools.lru_cache(maxsize=512)
def _probe(rrule: str, start_local: dt.datetime) -> tuple[bool, str]:
    """Whether the rule, COUNT and UNTIL aside, gives any date at all; else why not, when
    dateutil fails on it. dateutil looks for a date no day matches (the 30th of February;
    every 7 days on Tuesdays from a Monday) up to the year 9999, seconds of work each time;
    days repeat every 400 years in the Gregorian calendar (146,097 days, whole weeks), so the
    rule is tried from its start moved to the last 400 to 800 years datetime knows, and what
    it finds there holds for its real start."""
    rule, reason = _parse(rrule, start_local)
    if rule is None:
        return False, reason
    try:
        return _first_date_late(rule, start_local) is not None, ""
    except ValueError as exc:
        return False, str(exc)
    except _DATE_ERRORS:
        return False, _culprit(rrule, start_local)


def _first_date_late(rule: Any, start_local: dt.datetime) -> dt.datetime | None:
    """The rule's first date, COUNT and UNTIL aside, from its start moved to the last 400 to
    800 years datetime knows (see `_probe`); raises what dateutil raises."""
    cycles = (dt.MAXYEAR - 800 - start_local.year) // 400 + 1
    moved = start_local.replace(year=start_local.year + 400 * cycles) if cycles > 0 else start_local
    found: dt.datetime | None = next(
        iter(rule.replace(dtstart=moved, count=None, until=None)), None
    )
    return found


class _Starts:
    """A readable rule's local starts from `lower` on, in order: whole periods before `lower`
    skipped, no more than MAX_STEPS looked at (then `cut` is set). An error dateutil raises
    half-way (near the year 9999) ends it. Use only on a rule `_probe` finds dates for:
    dateutil then never looks long for the next one."""

    def __init__(self, rule: Any, rrule: str, start_local: dt.datetime, lower: dt.datetime):
        anchor = fast_forward(rrule, start_local, lower)
        self._rule = rule if anchor == start_local else rule.replace(dtstart=anchor)
        self._lower = lower
        self.cut = False

    def __iter__(self) -> Iterator[dt.datetime]:
        try:
            for steps, start in enumerate(self._rule, 1):
                if steps > MAX_STEPS:
                    self.cut = True
                    return
                if start >= self._lower:
                    yield start
        except _DATE_ERRORS:
            return


def expand(
    start_local: dt.datetime,
    end_local: dt.datetime,
    zone: str,
    rrule: str,
    exceptions: Iterable[Override] = (),
    after_utc: dt.datetime | None = None,
    before_utc: dt.datetime | None = None,
    limit: int = MAX_OCCURRENCES,
) -> Expansion:
    """The occurrences that start in [after_utc, before_utc), in order, at most `limit` of
    the series' usual dates (moved ones are rows of the database: all are given). Without an
    RRULE, the event itself is the single occurrence. `before_utc` is required for rules."""
    duration = end_local - start_local

    def inside(o: Occurrence) -> bool:
        return (after_utc is None or o.start_utc >= after_utc) and (
            before_utc is None or o.start_utc < before_utc
        )

    def plain(begin: dt.datetime) -> Occurrence:
        return Occurrence(begin, begin, begin + duration, local_to_utc(begin, zone))

    if not rrule:
        return Expansion(tuple(o for o in [plain(start_local)] if inside(o)))
    if before_utc is None:
        raise ValueError("an upper bound is needed to expand a recurrence")
    rule, reason = _parse(rrule, start_local)
    gives_dates, reason = _probe(rrule, start_local) if rule is not None else (False, reason)
    if reason:
        return Expansion(tuple(o for o in [plain(start_local)] if inside(o)), invalid=reason)
    by_id = {e.recurrence_id: e for e in exceptions}
    found: list[Occurrence] = []
    cut = False
    if gives_dates:
        # Local bounds with slack for the zone's offset changes; exact UTC bounds below. A
        # day's slack would be 86,400 dates of an old rule every second.
        sub_daily = rule_parts(rrule).get("FREQ") in ("SECONDLY", "MINUTELY", "HOURLY")
        slack = dt.timedelta(hours=3) if sub_daily else dt.timedelta(days=2)
        lower = utc_to_local(after_utc, zone) - slack if after_utc else start_local
        upper = utc_to_local(before_utc, zone) + slack
        starts = _Starts(rule, rrule, start_local, lower)
        for original in starts:
            if original > upper:
                break
            exception = by_id.get(original)
            if exception is not None and (exception.cancelled or exception.start_local):
                continue  # skipped, or moved: those are added below
            occurrence = plain(original)
            if not inside(occurrence):
                continue
            if len(found) == limit:
                cut = True
                break
            found.append(occurrence)
        cut = cut or starts.cut
    for original, exception in by_id.items():
        if exception.cancelled or exception.start_local is None:
            continue
        begin = exception.start_local
        end = exception.end_local or begin + duration
        occurrence = Occurrence(original, begin, end, local_to_utc(begin, zone), True)
        if inside(occurrence):
            found.append(occurrence)
    found.sort(key=lambda o: o.start_utc)
    return Expansion(tuple(found), cut)


def occurrences(
    start_local: dt.datetime,
    end_local: dt.datetime,
    zone: str,
    rrule: str,
    exceptions: Iterable[Override] = (),
    after_utc: dt.datetime | None = None,
    before_utc: dt.datetime | None = None,
) -> Iterator[Occurrence]:
    """`expand`'s occurrences, for callers that have no one to tell that a series was cut."""
    found = expand(start_local, end_local, zone, rrule, exceptions, after_utc, before_utc)
    return iter(found.occurrences)


def fast_forward(rrule: str, start: dt.datetime, lower: dt.datetime) -> dt.datetime:
    """A later start that yields the same occurrences from `lower` on, so a series begun
    years ago is not iterated from its first date. Whole periods are skipped in wall-clock
    time (whole 400-year cycles of the calendar for monthly and yearly rules); rules with
    COUNT or BYSETPOS are left alone (skipping would change which occurrences they keep)."""
    parts = rule_parts(rrule)
    if "COUNT" in parts or "BYSETPOS" in parts or lower <= start:
        return start
    freq = parts.get("FREQ", "")
    try:
        interval = max(1, int(parts.get("INTERVAL", "1") or 1))
    except ValueError:
        return start
    seconds = _PERIOD_SECONDS.get(freq)
    if seconds is not None:
        period = seconds * interval
        skip = int((lower - start).total_seconds()) // period - 1
        return start + dt.timedelta(seconds=skip * period) if skip >= 1 else start
    if freq not in ("MONTHLY", "YEARLY"):
        return start
    months = interval * (12 if freq == "YEARLY" else 1)
    cycle = 400 * months // math.gcd(4800, months)  # years: whole 400-year cycles and periods
    skip = (lower.year - start.year) // cycle - 1
    return start.replace(year=start.year + skip * cycle) if skip >= 1 else start


def next_occurrence(
    start_local: dt.datetime,
    end_local: dt.datetime,
    zone: str,
    rrule: str,
    exceptions: Iterable[Override],
    after_utc: dt.datetime,
    horizon: dt.timedelta = dt.timedelta(days=800),
) -> Occurrence | None:
    found = expand(
        start_local, end_local, zone, rrule, exceptions, after_utc, after_utc + horizon, limit=1
    )
    return next(iter(found.occurrences), None)


# -- one date of a series -------------------------------------------------------------------


def _readable_starts(rrule: str, start_local: dt.datetime, lower: dt.datetime) -> _Starts | None:
    rule, _reason = _parse(rrule, start_local)
    if rule is None or not _probe(rrule, start_local)[0]:
        return None
    return _Starts(rule, rrule, start_local, lower)


def first_start(
    rrule: str, start_local: dt.datetime, lower: dt.datetime, upper: dt.datetime
) -> dt.datetime | None:
    """The series' first usual local start in [lower, upper), if any."""
    starts = _readable_starts(rrule, start_local, lower)
    found = next(iter(starts), None) if starts is not None else None
    return found if found is not None and found < upper else None


def is_occurrence(rrule: str, start_local: dt.datetime, when: dt.datetime) -> bool:
    """Whether `when` (a local start) is one of the series' usual dates."""
    return first_start(rrule, start_local, when, when + dt.timedelta(microseconds=1)) == when


def dates_around(
    rrule: str,
    start_local: dt.datetime,
    when: dt.datetime,
    horizon: dt.timedelta = dt.timedelta(days=800),
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The series' usual dates just before and just after `when` (within `horizon`)."""
    before = None
    starts = _readable_starts(rrule, start_local, max(start_local, when - horizon))
    for found in starts or ():
        if found >= when:
            break
        before = found
    return before, first_start(
        rrule, start_local, when + dt.timedelta(microseconds=1), when + horizon
    )


def last_start(rrule: str, start_local: dt.datetime) -> dt.datetime | None:
    """The last usual local start of a series with COUNT; None when it has no end, or more
    dates than CM Planner looks at."""
    starts = _readable_starts(rrule, start_local, start_local)
    if starts is None or "COUNT" not in rule_parts(rrule):
        return None
    last = None
    for last in starts:  # noqa: B007 - the last one is wanted
        pass
    return None if starts.cut else last
