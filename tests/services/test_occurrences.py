"""Moving one occurrence and putting it back exactly: no leftover override row, the exact
previous times of a single event."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from cmplanner.errors import NotFound, ValidationError
from cmplanner.model import EventCreate, OccurrenceException
from cmplanner.services.event_dates import occurrences_between
from cmplanner.services.events import (
    create_event,
    move_occurrence,
    move_occurrence_in,
    skip_occurrence,
    skip_occurrence_in,
)
from cmplanner.services.occurrences import (
    SeriesException,
    event_times,
    exception_snapshot,
    list_exceptions,
    restore_exception,
    restore_occurrence,
    set_event_times,
)
from cmplanner.storage import Database

PARIS = "Europe/Paris"
THURSDAY = dt.datetime(2026, 11, 26, 19)


def weekly(db: Database) -> int:
    read, _ = create_event(
        db,
        EventCreate(
            title="Apéro du jeudi",
            start_local=dt.datetime(2026, 11, 5, 19),
            end_local=dt.datetime(2026, 11, 5, 21),
            timezone=PARIS,
            rrule="FREQ=WEEKLY;BYDAY=TH",
        ),
    )
    return read.id


def exception_rows(db: Database, event_id: int) -> list[tuple]:
    with db.read() as con:
        return con.execute(
            "SELECT recurrence_id, cancelled, start_local, end_local, status"
            " FROM occurrence_exception WHERE event_id = ?",
            (event_id,),
        ).fetchall()


def starts(db: Database) -> list[dt.datetime]:
    found = occurrences_between(
        db,
        dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 31, tzinfo=dt.UTC),
    )
    return [o.start.replace(tzinfo=None) for o in found]


def test_undoing_a_move_deletes_the_override_it_created(empty_db: Database) -> None:
    event_id = weekly(empty_db)
    before = starts(empty_db)
    assert exception_snapshot(empty_db, event_id, THURSDAY) is None
    friday = THURSDAY + dt.timedelta(days=1)
    move_occurrence(empty_db, event_id, THURSDAY, friday, friday + dt.timedelta(hours=2))
    assert len(exception_rows(empty_db, event_id)) == 1
    assert dt.datetime(2026, 11, 27, 19) in starts(empty_db)
    changes = restore_exception(empty_db, event_id, THURSDAY, None)
    assert changes.events == {event_id}
    assert exception_rows(empty_db, event_id) == []
    assert starts(empty_db) == before


def test_undoing_a_second_move_puts_the_first_one_back(empty_db: Database) -> None:
    event_id = weekly(empty_db)
    friday = THURSDAY + dt.timedelta(days=1)
    move_occurrence(empty_db, event_id, THURSDAY, friday, friday + dt.timedelta(hours=2))
    with empty_db.transaction() as session:  # a per-occurrence status must survive too
        row = session.exec(select(OccurrenceException)).one()
        row.status = "confirmed"
        row.notes = "Salle du haut"
        session.add(row)
    snapshot = exception_snapshot(empty_db, event_id, THURSDAY)
    assert snapshot is not None and snapshot.start_local == friday
    saturday = friday + dt.timedelta(days=1)
    move_occurrence(empty_db, event_id, THURSDAY, saturday, saturday + dt.timedelta(hours=2))
    restore_exception(empty_db, event_id, THURSDAY, snapshot)
    [row] = exception_rows(empty_db, event_id)
    assert row[1] == 0 and row[4] == "confirmed"
    assert [dt.datetime.fromisoformat(v) for v in row[2:4]] == [friday, friday.replace(hour=21)]
    assert exception_snapshot(empty_db, event_id, THURSDAY) == snapshot


def test_restoring_a_skipped_occurrence(empty_db: Database) -> None:
    event_id = weekly(empty_db)
    skip_occurrence(empty_db, event_id, THURSDAY)
    snapshot = exception_snapshot(empty_db, event_id, THURSDAY)
    assert snapshot is not None and snapshot.cancelled
    assert THURSDAY not in starts(empty_db)
    restore_exception(empty_db, event_id, THURSDAY, None)
    assert THURSDAY in starts(empty_db)
    restore_exception(empty_db, event_id, THURSDAY, snapshot)
    assert THURSDAY not in starts(empty_db)


def test_single_event_times_move_and_come_back_exactly(empty_db: Database) -> None:
    read, _ = create_event(
        empty_db,
        EventCreate(
            title="Atelier",
            start_local=dt.datetime(2026, 3, 28, 10, 7),  # winter time, the eve of the change
            end_local=dt.datetime(2026, 3, 28, 12, 7),
            timezone=PARIS,
        ),
    )
    old = event_times(empty_db, read.id)
    set_event_times(
        empty_db, read.id, dt.datetime(2026, 3, 30, 14, 15), dt.datetime(2026, 3, 30, 16, 15)
    )
    [moved] = occurrences_between(
        empty_db, dt.datetime(2026, 3, 1, tzinfo=dt.UTC), dt.datetime(2026, 4, 30, tzinfo=dt.UTC)
    )
    assert moved.start.isoformat() == "2026-03-30T14:15:00+02:00"  # summer time now
    set_event_times(empty_db, read.id, old.start_local, old.end_local)
    assert event_times(empty_db, read.id) == old
    [back] = occurrences_between(
        empty_db, dt.datetime(2026, 3, 1, tzinfo=dt.UTC), dt.datetime(2026, 4, 30, tzinfo=dt.UTC)
    )
    assert back.start.isoformat() == "2026-03-28T10:07:00+01:00"


def test_bad_moves_are_refused(empty_db: Database) -> None:
    event_id = weekly(empty_db)
    with pytest.raises(ValidationError):
        set_event_times(empty_db, event_id, dt.datetime(2026, 3, 2, 10), dt.datetime(2026, 3, 2, 9))
    with pytest.raises(NotFound):
        set_event_times(empty_db, 999, dt.datetime(2026, 3, 2, 10), dt.datetime(2026, 3, 2, 11))
    with pytest.raises(NotFound):
        restore_exception(empty_db, 999, THURSDAY, None)


def test_list_exceptions_gives_skipped_and_moved_dates_in_order(empty_db: Database) -> None:
    event_id = weekly(empty_db)
    assert list_exceptions(empty_db, event_id) == []
    later = THURSDAY + dt.timedelta(weeks=2)
    friday = later + dt.timedelta(days=1)
    move_occurrence(empty_db, event_id, later, friday, friday + dt.timedelta(hours=2))
    skip_occurrence(empty_db, event_id, THURSDAY)
    closed = THURSDAY - dt.timedelta(weeks=1)
    with empty_db.transaction() as session:  # a closed date: its own status, not an exception
        session.add(OccurrenceException(event_id=event_id, recurrence_id=closed, status="done"))
    assert list_exceptions(empty_db, event_id) == [
        SeriesException(THURSDAY, cancelled=True, start_local=None, end_local=None, notes=""),
        SeriesException(
            later,
            cancelled=False,
            start_local=friday,
            end_local=friday + dt.timedelta(hours=2),
            notes="",
        ),
    ]
    assert [e.moved for e in list_exceptions(empty_db, event_id)] == [False, True]
    with pytest.raises(NotFound):
        list_exceptions(empty_db, 999)


def test_restore_occurrence_keeps_a_status_and_undoes_exactly(empty_db: Database) -> None:
    event_id = weekly(empty_db)
    friday = THURSDAY + dt.timedelta(days=1)
    move_occurrence(empty_db, event_id, THURSDAY, friday, friday + dt.timedelta(hours=2))
    before = exception_snapshot(empty_db, event_id, THURSDAY)
    restore_occurrence(empty_db, event_id, THURSDAY)
    assert exception_rows(empty_db, event_id) == []  # nothing else in it: the row goes
    assert THURSDAY in starts(empty_db) and friday not in starts(empty_db)
    restore_exception(empty_db, event_id, THURSDAY, before)
    assert friday in starts(empty_db)

    skip_occurrence(empty_db, event_id, THURSDAY)
    with empty_db.transaction() as session:
        row = session.exec(select(OccurrenceException)).one()
        row.status, row.notes = "confirmed", "Salle du haut"
        session.add(row)
    restore_occurrence(empty_db, event_id, THURSDAY)
    [row] = exception_rows(empty_db, event_id)
    assert row[1:] == (0, None, None, "confirmed")
    assert list_exceptions(empty_db, event_id) == []
    assert restore_occurrence(empty_db, event_id, THURSDAY).events == frozenset()


def test_a_move_can_say_why_and_a_later_move_keeps_the_reason(empty_db: Database) -> None:
    event_id = weekly(empty_db)
    friday = THURSDAY + dt.timedelta(days=1)
    move_occurrence(
        empty_db, event_id, THURSDAY, friday, friday + dt.timedelta(hours=2), notes="Privatisée"
    )
    saturday = friday + dt.timedelta(days=1)
    move_occurrence(empty_db, event_id, THURSDAY, saturday, saturday + dt.timedelta(hours=2))
    (moved,) = list_exceptions(empty_db, event_id)
    assert moved.notes == "Privatisée" and moved.start_local == saturday


def test_dates_written_with_the_series_keep_its_sequence(empty_db: Database) -> None:
    event_id = weekly(empty_db)
    friday = THURSDAY + dt.timedelta(days=1)
    later = THURSDAY + dt.timedelta(weeks=1)
    with empty_db.transaction() as session:
        skip_occurrence_in(session, event_id, later, keep_sequence=True)
        move_occurrence_in(
            session, event_id, THURSDAY, friday, friday + dt.timedelta(hours=2), keep_sequence=True
        )
    assert len(list_exceptions(empty_db, event_id)) == 2
    assert sequence(empty_db, event_id) == 0
    skip_occurrence(empty_db, event_id, THURSDAY + dt.timedelta(weeks=2))
    assert sequence(empty_db, event_id) == 1


def sequence(db: Database, event_id: int) -> int:
    with db.read() as con:
        (value,) = con.execute("SELECT sequence FROM event WHERE id = ?", (event_id,)).fetchone()
    return int(value)
