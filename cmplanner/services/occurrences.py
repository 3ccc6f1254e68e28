"""Moving one occurrence on a calendar, and putting it back exactly; a series' exceptions.

A single event moves by its own start and end. One occurrence of a series moves through an
override row (RECURRENCE-ID); undoing that move must leave the series as it was — with no
override at all when there was none — so a snapshot of the row is taken before the move and
restored (or the row deleted) afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cmplanner import clock, model
from cmplanner.bus import Changes
from cmplanner.errors import ValidationError
from cmplanner.i18n import _
from cmplanner.services.events import bump_sequence, event_changed
from cmplanner.storage import Database
from cmplanner.storage.sql import get_or_raise
from cmplanner.timezones import local_to_utc

if TYPE_CHECKING:
    # The tables (and SQLAlchemy) load when a function here first runs, not when the
    # calendar view imports this module at start-up.
    from cmplanner.model import OccurrenceException


@dataclass(frozen=True)
class ExceptionSnapshot:
    """An override row's values, to put back after an undo."""

    cancelled: bool
    start_local: dt.datetime | None
    end_local: dt.datetime | None
    status: str
    notes: str
    title: str = ""  # its own title ("" = the series')


@dataclass(frozen=True)
class EventTimes:
    """A single event's local start and end (in its own zone)."""

    start_local: dt.datetime
    end_local: dt.datetime


@dataclass(frozen=True)
class SeriesException:
    """One date of a series that is skipped, or moved to another local time."""

    recurrence_id: dt.datetime  # the occurrence's usual local start
    cancelled: bool
    start_local: dt.datetime | None  # where it was moved to (None when skipped)
    end_local: dt.datetime | None
    notes: str

    @property
    def moved(self) -> bool:
        return not self.cancelled


def _row(session: object, event_id: int, recurrence_id: dt.datetime) -> OccurrenceException | None:
    # imported on use, not at the top: keeps it off the start-up path
    from sqlmodel import Session, select

    assert isinstance(session, Session)
    return session.exec(
        select(model.OccurrenceException).where(
            model.OccurrenceException.event_id == event_id,
            model.OccurrenceException.recurrence_id == recurrence_id,
        )
    ).first()


def exception_snapshot(
    db: Database, event_id: int, recurrence_id: dt.datetime
) -> ExceptionSnapshot | None:
    """The override of that occurrence as it is now; None when it has none."""
    with db.session() as session:
        row = _row(session, event_id, recurrence_id)
        if row is None:
            return None
        return ExceptionSnapshot(
            cancelled=row.cancelled,
            start_local=row.start_local,
            end_local=row.end_local,
            status=row.status,
            notes=row.notes,
            title=row.title,
        )


def restore_exception(
    db: Database,
    event_id: int,
    recurrence_id: dt.datetime,
    snapshot: ExceptionSnapshot | None,
) -> Changes:
    """Put the occurrence's override back as `snapshot` says; None deletes the override, so
    the occurrence follows the series again. The series' SEQUENCE goes up (calendars that
    hold it see the change)."""
    with db.transaction() as session:
        event = get_or_raise(session, model.Event, event_id)
        row = _row(session, event_id, recurrence_id)
        if snapshot is None:
            if row is not None:
                session.delete(row)
        else:
            if row is None:
                row = model.OccurrenceException(event_id=event_id, recurrence_id=recurrence_id)
            row.cancelled = snapshot.cancelled
            row.start_local = snapshot.start_local
            row.end_local = snapshot.end_local
            row.status = snapshot.status
            row.notes = snapshot.notes
            row.title = snapshot.title
            row.updated_at = clock.utc_now()
            session.add(row)
        bump_sequence(session, event)
    return event_changed(event_id)


def list_exceptions(db: Database, event_id: int) -> list[SeriesException]:
    """The series' skipped and moved occurrences, by their usual date. Override rows that
    only hold an occurrence's own status or notes (a closed date) are not exceptions."""
    # imported on use, not at the top: keeps it off the start-up path
    from sqlmodel import select

    with db.session() as session:
        get_or_raise(session, model.Event, event_id)
        rows = session.exec(
            select(model.OccurrenceException)
            .where(model.OccurrenceException.event_id == event_id)
            .order_by(model.OccurrenceException.recurrence_id)  # type: ignore[arg-type]
        ).all()
        return [
            SeriesException(
                recurrence_id=row.recurrence_id,
                cancelled=row.cancelled,
                start_local=None if row.cancelled else row.start_local,
                end_local=None if row.cancelled else row.end_local,
                notes=row.notes,
            )
            for row in rows
            if row.cancelled or row.start_local is not None
        ]


def restore_occurrence(db: Database, event_id: int, recurrence_id: dt.datetime) -> Changes:
    """Put one occurrence back where the series puts it: no longer skipped nor moved. Its own
    status, notes and title stay (the override row goes only when nothing else is left in
    it)."""
    current = exception_snapshot(db, event_id, recurrence_id)
    if current is None or (not current.cancelled and current.start_local is None):
        return Changes()
    kept: ExceptionSnapshot | None = None
    if current.status or current.notes or current.title:
        kept = ExceptionSnapshot(
            cancelled=False,
            start_local=None,
            end_local=None,
            status=current.status,
            notes=current.notes,
            title=current.title,
        )
    return restore_exception(db, event_id, recurrence_id, kept)


def event_times(db: Database, event_id: int) -> EventTimes:
    with db.session() as session:
        event = get_or_raise(session, model.Event, event_id)
        return EventTimes(event.start_local, event.end_local)


def set_event_times(
    db: Database, event_id: int, start_local: dt.datetime, end_local: dt.datetime
) -> Changes:
    """Move an event to new local times in its own zone (nothing else changes; its relative
    tasks follow since they store only their offset). The SEQUENCE goes up when the times
    really change."""
    if start_local.tzinfo is not None or end_local.tzinfo is not None:
        raise ValueError("set_event_times expects naive wall-clock times")
    if end_local < start_local:
        raise ValidationError(_("The occurrence ends before it starts."))
    with db.transaction() as session:
        event = get_or_raise(session, model.Event, event_id)
        if (event.start_local, event.end_local) == (start_local, end_local):
            return Changes()
        event.start_local = start_local
        event.end_local = end_local
        event.start_utc = local_to_utc(start_local, event.timezone)
        event.end_utc = local_to_utc(end_local, event.timezone)
        bump_sequence(session, event)
    return event_changed(event_id)
