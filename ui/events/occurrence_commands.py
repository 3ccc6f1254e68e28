"""The calendar's undoable writes on one date of an event: move it, skip it, put it back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cmplanner.i18n import _
from cmplanner.services import events as event_service
from cmplanner.services import occurrences as occurrence_service
from cmplanner.services.event_dates import OccurrenceRead
from cmplanner.storage import Database
from ui.kit.display import day_month
from ui.kit.undo import SnapshotCommand


class MoveOccurrence(SnapshotCommand[Any]):
    """Move an occurrence to a new local start, keeping its length: a single event's start
    and end move; a series' occurrence is moved alone (an override). Undo puts back exactly
    what was there: the event's old times, or the override as it was (none at all when the
    occurrence followed the series)."""

    def __init__(self, db: Database, occurrence: OccurrenceRead, new_start: dt.datetime) -> None:
        self.occurrence = occurrence
        self.new_start = start = new_start.replace(tzinfo=None)
        self.new_end = end = start + (occurrence.end - occurrence.start)
        event_id, recurrence_id = occurrence.event_id, occurrence.recurrence_id
        text = _("Move {title}").format(title=occurrence.title)
        if recurrence_id is None:
            super().__init__(
                db,
                text,
                write=lambda: occurrence_service.set_event_times(db, event_id, start, end),
                snapshot=lambda: occurrence_service.event_times(db, event_id),
                restore=lambda was: occurrence_service.set_event_times(
                    db, event_id, was.start_local, was.end_local
                ),
            )
            return
        super().__init__(
            db,
            text,
            write=lambda: event_service.move_occurrence(db, event_id, recurrence_id, start, end),
            snapshot=lambda: occurrence_service.exception_snapshot(db, event_id, recurrence_id),
            restore=lambda was: occurrence_service.restore_exception(
                db, event_id, recurrence_id, was
            ),
        )


class SkipOccurrence(SnapshotCommand[Any]):
    """Skip one date of a series (an EXDATE). Undo puts its override back exactly as it
    was: none at all, or the move (status, notes) it had."""

    def __init__(self, db: Database, occurrence: OccurrenceRead) -> None:
        assert occurrence.recurrence_id is not None, "only a series' occurrence is skipped"
        event_id, recurrence_id = occurrence.event_id, occurrence.recurrence_id
        self.event_id, self.recurrence_id = event_id, recurrence_id
        super().__init__(
            db,
            _("Skip {title} on {date}").format(
                title=occurrence.title, date=day_month(recurrence_id.date())
            ),
            write=lambda: event_service.skip_occurrence(db, event_id, recurrence_id),
            snapshot=lambda: occurrence_service.exception_snapshot(db, event_id, recurrence_id),
            restore=lambda was: occurrence_service.restore_exception(
                db, event_id, recurrence_id, was
            ),
        )


class RestoreOccurrence(SnapshotCommand[Any]):
    """Put a skipped or moved date of a series back where the series puts it. Undo skips or
    moves it again exactly as before."""

    def __init__(self, db: Database, event_id: int, recurrence_id: dt.datetime, text: str) -> None:
        self.event_id, self.recurrence_id = event_id, recurrence_id
        super().__init__(
            db,
            text,
            write=lambda: occurrence_service.restore_occurrence(db, event_id, recurrence_id),
            snapshot=lambda: occurrence_service.exception_snapshot(db, event_id, recurrence_id),
            restore=lambda was: occurrence_service.restore_exception(
                db, event_id, recurrence_id, was
            ),
        )
