"""The demo database: everything the issue promises, relative to today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlmodel import col, func, select

from cmplanner.model import (
    Commitment,
    Community,
    Contact,
    ContactEmail,
    Event,
    Interaction,
    Invitation,
    OccurrenceException,
    Task,
)
from cmplanner.services.stats import record_counts
from cmplanner.storage import Database


def test_demo_has_the_promised_volume(demo_db: Database) -> None:
    counts = record_counts(demo_db)
    assert counts["communities"] >= 3
    assert counts["contacts"] >= 60
    assert counts["organizations"] >= 15
    assert counts["events"] >= 12
    assert counts["interactions"] > 0
    with demo_db.session() as s:
        for community in s.exec(select(Community)):
            assert community.objective and community.pace_days


def test_demo_has_a_weekly_recurring_apero_with_attendance(demo_db: Database) -> None:
    with demo_db.session() as s:
        weekly = s.exec(select(Event).where(Event.rrule == "FREQ=WEEKLY;BYDAY=TH")).one()
        assert weekly.kind == "apero"
        attended = s.exec(
            select(func.count())
            .select_from(Invitation)
            .where(Invitation.event_id == weekly.id, col(Invitation.occurrence).is_not(None))
            .where(Invitation.attended == True)  # noqa: E712
        ).one()
        assert attended > 10
        exceptions = s.exec(
            select(OccurrenceException).where(OccurrenceException.event_id == weekly.id)
        ).all()
        assert {e.cancelled for e in exceptions} == {True, False}


def test_an_upcoming_event_has_three_guests_with_email(
    demo_db: Database, frozen_clock: dt.datetime
) -> None:
    with demo_db.session() as s:
        upcoming = s.exec(
            select(Event).where(Event.start_utc > frozen_clock, Event.rrule == "")
        ).all()
        best = 0
        for event in upcoming:
            n = s.exec(
                select(func.count(func.distinct(Invitation.contact_id)))
                .join(ContactEmail, ContactEmail.contact_id == Invitation.contact_id)
                .where(Invitation.event_id == event.id)
            ).one()
            best = max(best, n)
        assert best >= 3


def test_demo_has_dated_checklists_open_commitments_and_drifting_contacts(
    demo_db: Database, frozen_clock: dt.datetime
) -> None:
    with demo_db.session() as s:
        relative = s.exec(select(Task).where(col(Task.due_offset_days).is_not(None))).all()
        assert {t.due_offset_days for t in relative} >= {-21, -7, -1, 1, 3, 7} - {-7} | {-2}
        assert s.exec(select(Commitment).where(Commitment.status == "open")).all()
        drifting = [
            c
            for c in s.exec(select(Contact).where(col(Contact.cadence_days).is_not(None)))
            if c.last_seen is None
            or frozen_clock - c.last_seen > dt.timedelta(days=c.cadence_days or 0)
        ]
        assert len(drifting) >= 2
        assert s.exec(select(Interaction).where(Interaction.in_person == True)).all()  # noqa: E712


def test_demo_is_deterministic(demo_template: Path, tmp_path: Path) -> None:
    from cmplanner import clock
    from cmplanner.demo import create_demo_database
    from tests.conftest import FROZEN_NOW

    other = tmp_path / "again.cmplanner"
    clock.freeze(FROZEN_NOW)
    try:
        create_demo_database(other)
    finally:
        clock.freeze(None)

    def names(path: Path) -> list[tuple[str, str]]:
        with Database.open(path, writer=False) as db, db.session() as s:
            return [(c.given_name, c.family_name) for c in s.exec(select(Contact))]

    assert names(other) == names(demo_template)


def test_demo_guests_are_as_the_app_writes_them(demo_db: Database) -> None:
    with demo_db.session() as s:
        rows = s.exec(select(Invitation, Event).join(Event)).all()
    answered = [i for i, _e in rows if i.rsvp != "needs-action" and i.occurrence is None]
    assert answered and all(i.reply_stamp is not None for i in answered)
    assert all(i.attended for i, _e in rows if i.checked_in_at is not None)
    # Online events have no door: who came is known, no check-in time.
    online = [i for i, e in rows if not e.in_person and i.attended]
    assert online and all(i.checked_in_at is None for i in online)
    # No-shows are the guests who said yes or maybe, as closing an event records them.
    assert {i.rsvp for i, _e in rows if i.attended is False} <= {"accepted", "tentative"}
