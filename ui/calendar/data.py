"""What the calendar shows of the database: the occurrences of a range (of one community when
asked), fetched on the worker (asked with a key by the view: only the latest range is shown)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cmplanner.services import events as event_service
from cmplanner.services.event_dates import OccurrenceRead, occurrences_between
from cmplanner.storage import Database
from ui.calendar.keys import OccurrenceKey, occurrence_key


@dataclass(frozen=True)
class CalendarData:
    """What the worker hands the view: the occurrences and which ones still need confirming."""

    occurrences: list[OccurrenceRead]
    unconfirmed: frozenset[OccurrenceKey] = frozenset()
    notes: tuple[str, ...] = ()  # a series with more dates than are shown…


def fetch(
    db: Database, first: dt.date, last: dt.date, community: str | None = None
) -> CalendarData:
    """Runs on the worker: occurrences whose local start day lies in [first, last] (of one
    community when asked), and the upcoming ones not confirmed yet (the setting's N days)."""
    start = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(), dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=2), dt.time(), dt.UTC)
    found = occurrences_between(db, start, end, community)
    shown = [o for o in found if first <= o.start.date() <= last]
    soon = frozenset(occurrence_key(o) for o in event_service.unconfirmed_soon(db))
    return CalendarData(shown, soon, found.notes)
