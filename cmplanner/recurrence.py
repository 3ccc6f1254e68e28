"""Occurrences of a recurring event, expanded in the event's *local* time.

A series "every Thursday at 19:00, Europe/Paris" stays at 19:00 across daylight-saving
changes because dateutil expands the RRULE on naive wall-clock times; each occurrence is
converted to UTC on its own date (never "start + 7 × 24 h" in UTC).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from cmplanner.timezones import local_to_utc


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


def occurrences(
    start_local: dt.datetime,
    end_local: dt.datetime,
    zone: str,
    rrule: str,
    exceptions: Iterable[Override] = (),
    after_utc: dt.datetime | None = None,
    before_utc: dt.datetime | None = None,
) -> Iterator[Occurrence]:
    """The occurrences that start in [after_utc, before_utc), in order. Without an RRULE,
    the event itself is the single occurrence. `before_utc` is required for endless rules."""
    from dateutil.rrule import rrulestr

    by_id = {e.recurrence_id: e for e in exceptions}
    duration = end_local - start_local
    if rrule:
        if before_utc is None:
            raise ValueError("an upper bound is needed to expand a recurrence")
        # Local bounds with a day of slack on each side; exact UTC bounds are checked below.
        lower = (after_utc.replace(tzinfo=None) - dt.timedelta(days=2)) if after_utc else None
        upper = before_utc.replace(tzinfo=None) + dt.timedelta(days=2)
        anchor = fast_forward(rrule, start_local, lower) if lower else start_local
        rule = rrulestr(rrule, dtstart=anchor)
        starts = rule.between(lower or start_local, upper, inc=True)
        # An occurrence moved into the window from outside it.
        seen = set(starts)
        starts += [o for o, e in by_id.items() if e.start_local and o not in seen]
    else:
        starts = [start_local]
    found: list[Occurrence] = []
    for original in starts:
        exception = by_id.get(original)
        if exception is not None and exception.cancelled:
            continue
        begin, end, moved = original, original + duration, False
        if exception is not None and exception.start_local is not None:
            begin = exception.start_local
            end = exception.end_local or begin + duration
            moved = True
        found.append(Occurrence(original, begin, end, local_to_utc(begin, zone), moved))
    found.sort(key=lambda o: o.start_utc)
    for occurrence in found:
        if after_utc is not None and occurrence.start_utc < after_utc:
            continue
        if before_utc is not None and occurrence.start_utc >= before_utc:
            continue
        yield occurrence


def fast_forward(rrule: str, start: dt.datetime, lower: dt.datetime) -> dt.datetime:
    """A later start for a DAILY or WEEKLY rule that yields the same occurrences from `lower`
    on, so a series begun years ago is not iterated from its first week. Whole periods are
    skipped in wall-clock time; rules with COUNT or BYSETPOS are left alone (skipping would
    change which occurrences they keep)."""
    parts = dict(p.split("=", 1) for p in rrule.upper().split(";") if "=" in p)
    if "COUNT" in parts or "BYSETPOS" in parts:
        return start
    days = {"DAILY": 1, "WEEKLY": 7}.get(parts.get("FREQ", ""))
    if days is None:
        return start
    period = days * max(1, int(parts.get("INTERVAL", "1") or 1))
    skip = (lower - start).days // period - 1
    if skip < 1:
        return start
    return start + dt.timedelta(days=skip * period)


def next_occurrence(
    start_local: dt.datetime,
    end_local: dt.datetime,
    zone: str,
    rrule: str,
    exceptions: Iterable[Override],
    after_utc: dt.datetime,
    horizon: dt.timedelta = dt.timedelta(days=800),
) -> Occurrence | None:
    return next(
        occurrences(
            start_local, end_local, zone, rrule, exceptions, after_utc, after_utc + horizon
        ),
        None,
    )
