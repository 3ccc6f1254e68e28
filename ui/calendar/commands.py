"""The calendar's undoable writes on one date of an event: move it, skip it, put it back."""

from __future__ import annotations

import datetime as dt

from cmplanner.i18n import _
from cmplanner.services import events as event_service
from cmplanner.services import occurrences as occurrence_service
from cmplanner.services.events import OccurrenceRead
from cmplanner.storage import Database
from ui.calendar.look import day_month
from ui.kit.commands import ServiceCommand


class MoveOccurrence(ServiceCommand):
    """Move an occurrence to a new local start, keeping its length: a single event's start
    and end move; a series' occurrence is moved alone (an override). Undo puts back exactly
    what was there: the event's old times, or the override as it was (none at all when the
    occurrence followed the series)."""

    def __init__(self, db: Database, occurrence: OccurrenceRead, new_start: dt.datetime) -> None:
        super().__init__(db, _("Move {title}").format(title=occurrence.title))
        self.occurrence = occurrence
        self.new_start = new_start.replace(tzinfo=None)
        self.new_end = self.new_start + (occurrence.end - occurrence.start)
        self._times: occurrence_service.EventTimes | None = None
        self._override: occurrence_service.ExceptionSnapshot | None = None

    def apply(self) -> None:
        o = self.occurrence
        if o.recurrence_id is None:
            self._times = occurrence_service.event_times(self.db, o.event_id)
            occurrence_service.set_event_times(self.db, o.event_id, self.new_start, self.new_end)
        else:
            self._override = occurrence_service.exception_snapshot(
                self.db, o.event_id, o.recurrence_id
            )
            event_service.move_occurrence(
                self.db, o.event_id, o.recurrence_id, self.new_start, self.new_end
            )

    def revert(self) -> None:
        o = self.occurrence
        if o.recurrence_id is None:
            assert self._times is not None
            occurrence_service.set_event_times(
                self.db, o.event_id, self._times.start_local, self._times.end_local
            )
        else:
            occurrence_service.restore_exception(
                self.db, o.event_id, o.recurrence_id, self._override
            )


class SkipOccurrence(ServiceCommand):
    """Skip one date of a series (an EXDATE). Undo puts its override back exactly as it
    was: none at all, or the move (status, notes) it had."""

    def __init__(self, db: Database, occurrence: OccurrenceRead) -> None:
        assert occurrence.recurrence_id is not None, "only a series' occurrence is skipped"
        super().__init__(
            db,
            _("Skip {title} on {date}").format(
                title=occurrence.title, date=day_month(occurrence.recurrence_id.date())
            ),
        )
        self.event_id = occurrence.event_id
        self.recurrence_id: dt.datetime = occurrence.recurrence_id
        self._override: occurrence_service.ExceptionSnapshot | None = None

    def apply(self) -> None:
        self._override = occurrence_service.exception_snapshot(
            self.db, self.event_id, self.recurrence_id
        )
        event_service.skip_occurrence(self.db, self.event_id, self.recurrence_id)

    def revert(self) -> None:
        occurrence_service.restore_exception(
            self.db, self.event_id, self.recurrence_id, self._override
        )


class RestoreOccurrence(ServiceCommand):
    """Put a skipped or moved date of a series back where the series puts it. Undo skips or
    moves it again exactly as before."""

    def __init__(self, db: Database, event_id: int, recurrence_id: dt.datetime, text: str) -> None:
        super().__init__(db, text)
        self.event_id, self.recurrence_id = event_id, recurrence_id
        self._override: occurrence_service.ExceptionSnapshot | None = None

    def apply(self) -> None:
        self._override = occurrence_service.exception_snapshot(
            self.db, self.event_id, self.recurrence_id
        )
        occurrence_service.restore_occurrence(self.db, self.event_id, self.recurrence_id)

    def revert(self) -> None:
        occurrence_service.restore_exception(
            self.db, self.event_id, self.recurrence_id, self._override
        )
