"""Closing an event with the attendance completed, and the snapshot that undoes it all."""

from __future__ import annotations

import datetime as dt

import pytest

from cmplanner.errors import ValidationError
from cmplanner.model import EventCreate
from cmplanner.services import closing, contacts, events, guests, tasks
from cmplanner.services.contact_data import ContactData
from cmplanner.storage import Database

PARIS = "Europe/Paris"


def _people(db: Database, *names: str) -> list[int]:
    return [contacts.create_contact(db, ContactData(given_name=n))[0] for n in names]


def _event(db: Database, start: dt.datetime, rrule: str = "") -> int:
    read, _changes = events.create_event(
        db,
        EventCreate(
            title="Atelier",
            start_local=start,
            end_local=start + dt.timedelta(hours=2),
            timezone=PARIS,
            rrule=rrule,
            status="confirmed",
        ),
    )
    return read.id


def _rows(db: Database, event_id: int) -> list[tuple[object, ...]]:
    with db.read() as con:
        return con.execute(
            "SELECT id, contact_id, occurrence, rsvp, attended, checked_in_at FROM invitation"
            " WHERE event_id = ? ORDER BY id",
            (event_id,),
        ).fetchall()


def _state(db: Database, event_id: int) -> tuple[object, ...]:
    with db.read() as con:
        return (
            con.execute("SELECT status, sequence FROM event WHERE id = ?", (event_id,)).fetchone(),
            con.execute(
                "SELECT recurrence_id, status FROM occurrence_exception WHERE event_id = ?",
                (event_id,),
            ).fetchall(),
            _rows(db, event_id),
            con.execute("SELECT id, title FROM task ORDER BY id").fetchall(),
            con.execute("SELECT id, last_seen FROM contact ORDER BY id").fetchall(),
        )


@pytest.fixture
def single(empty_db: Database, frozen_clock: dt.datetime) -> tuple[Database, int, list[int]]:
    db = empty_db
    ana, bob, chloe, dan, eve = _people(db, "Ana", "Bob", "Chloé", "Dan", "Eve")
    event_id = _event(db, dt.datetime(2026, 11, 12, 18, 30))
    guests.add_guests(db, event_id, [ana, bob, chloe, dan, eve])
    rows = {r[1]: r[0] for r in _rows(db, event_id)}
    guests.set_rsvp(db, rows[ana], "accepted")
    guests.set_rsvp(db, rows[bob], "accepted")
    guests.set_rsvp(db, rows[chloe], "tentative")
    guests.set_rsvp(db, rows[dan], "declined")
    guests.check_in(db, rows[eve])  # came without answering
    return db, event_id, [rows[c] for c in (ana, bob, chloe, dan, eve)]


def test_the_plan_lists_expected_guests_and_the_follow_up(single) -> None:
    db, event_id, (ana, _bob, _chloe, _dan, eve) = single
    plan = closing.closing_plan(db, event_id)
    assert [g.name for g in plan.guests] == ["Ana", "Bob", "Chloé", "Eve"]  # not Dan (no)
    assert {g.invitation_id: g.attended for g in plan.guests}[eve] is True
    assert not plan.series and not plan.done and not plan.upcoming
    assert plan.follow_up == tuple(title for title, _days in events.FOLLOW_UP)
    assert plan.no_shows({ana, eve}) == 2  # Bob (yes) and Chloé (maybe)


def test_closing_with_attendance_records_who_came_and_who_did_not(single) -> None:
    db, event_id, (ana, bob, chloe, dan, eve) = single
    result = closing.close_with_attendance(db, event_id, came={ana, chloe})
    assert result.attended == 2 and result.no_shows == 1 and len(result.tasks) == 5
    attended = {r[0]: r[4] for r in _rows(db, event_id)}
    assert attended[ana] == 1 and attended[chloe] == 1
    assert attended[bob] == 0  # a no-show
    assert attended[eve] == 0  # her check-in was taken back: unticked
    assert attended[dan] is None
    details = events.event_details(db, event_id)
    assert details["status"] == "done"
    # Ticked here, they count as seen at the start of the event (19:30 in Paris = 17:30 UTC).
    with db.read() as con:
        seen = con.execute(
            "SELECT last_seen FROM contact WHERE id = (SELECT contact_id FROM invitation"
            " WHERE id = ?)",
            (ana,),
        ).fetchone()[0]
    assert seen.startswith("2026-11-12 17:30")
    assert closing.closing_plan(db, event_id).follow_up == ()  # never twice


def test_the_snapshot_undoes_the_whole_close(single) -> None:
    db, event_id, (ana, _bob, _chloe, _dan, _eve) = single
    before = _state(db, event_id)
    snapshot = closing.take_snapshot(db, event_id)
    closing.close_with_attendance(db, event_id, came={ana})
    assert _state(db, event_id) != before
    changes = closing.restore_snapshot(db, snapshot)
    assert _state(db, event_id) == before
    assert changes.events == {event_id} and len(changes.tasks) == 5


def test_a_task_added_by_hand_is_not_deleted_by_the_undo(single) -> None:
    db, event_id, _ids = single
    own, _changes = tasks.add_task(db, tasks.TaskData(title="Ranger", event_id=event_id))
    snapshot = closing.take_snapshot(db, event_id)
    closing.close_with_attendance(db, event_id, came=())
    assert len(tasks.list_tasks(db, event_id=event_id)) == 6
    closing.restore_snapshot(db, snapshot)
    assert [t.id for t in tasks.list_tasks(db, include_done=True)] == [own]


def test_a_series_closes_its_latest_past_occurrence_and_undo_removes_its_rows(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    db = empty_db
    ana, bob = _people(db, "Ana", "Bob")
    # Weekly on Thursdays from 22 October; now is Thursday 19 November 18:30 in Paris.
    event_id = _event(db, dt.datetime(2026, 10, 22, 19, 0), rrule="FREQ=WEEKLY;BYDAY=TH")
    guests.add_guests(db, event_id, [ana, bob])
    for row in _rows(db, event_id):
        guests.set_rsvp(db, int(row[0]), "accepted")  # type: ignore[call-overload]
    plan = closing.closing_plan(db, event_id)
    assert plan.series
    assert plan.occurrence == dt.datetime(2026, 11, 12, 19, 0)  # 19 Nov 19:00 has not started
    assert [o for o, _start in plan.occurrences][:2] == [
        dt.datetime(2026, 11, 12, 19, 0),
        dt.datetime(2026, 11, 5, 19, 0),
    ]
    before = _state(db, event_id)
    snapshot = closing.take_snapshot(db, event_id)
    ana_row = next(g.invitation_id for g in plan.guests if g.name == "Ana")
    result = closing.close_with_attendance(db, event_id, {ana_row}, plan.occurrence)
    assert result.no_shows == 1
    own = [r for r in _rows(db, event_id) if r[2] is not None]
    assert sorted((r[1], r[4]) for r in own) == [(ana, 1), (bob, 0)]
    again = closing.closing_plan(db, event_id, plan.occurrence)
    assert again.done and [g.attended for g in again.guests] == [True, False]
    # The series itself stays confirmed; the shared list is untouched.
    assert events.event_details(db, event_id)["status"] == "confirmed"
    closing.restore_snapshot(db, snapshot)
    assert _state(db, event_id) == before


def test_a_series_with_no_past_occurrence_cannot_be_closed(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    event_id = _event(empty_db, dt.datetime(2026, 12, 3, 19, 0), rrule="FREQ=WEEKLY;BYDAY=TH")
    with pytest.raises(ValidationError, match="No occurrence"):
        closing.closing_plan(empty_db, event_id)


def test_a_failed_close_leaves_nothing_written(single, monkeypatch) -> None:
    db, event_id, (ana, *_rest) = single
    before = _state(db, event_id)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ValidationError("disk full")

    monkeypatch.setattr(events, "close_event", broken)
    with pytest.raises(ValidationError):
        closing.close_with_attendance(db, event_id, came={ana})
    assert _state(db, event_id) == before


def test_the_debrief_template_gives_the_numbers(single) -> None:
    db, event_id, (_ana, *_rest) = single
    plan = closing.closing_plan(db, event_id)
    text = closing.debrief_template(plan, closing.CloseResult(1, 2, frozenset()))
    assert "What worked:" in text
    assert "1 came out of 3 expected, 2 no-shows" in text
