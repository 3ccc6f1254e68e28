"""A contact's upcoming events: single events and the coming dates of the series they are on
the guest list of."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from cmplanner.model import EventCreate, Invitation
from cmplanner.services import contacts, events, guests
from cmplanner.services.contact_data import ContactData
from cmplanner.storage import Database

PARIS = "Europe/Paris"


def _event(db: Database, title: str, start: dt.datetime, rrule: str = "") -> int:
    read, _changes = events.create_event(
        db,
        EventCreate(
            title=title,
            start_local=start,
            end_local=start + dt.timedelta(hours=2),
            timezone=PARIS,
            rrule=rrule,
        ),
    )
    return read.id


def test_upcoming_events_include_the_next_dates_of_a_series(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    """Today is Thursday 19 November 2026, 18:30 in Paris: tonight's apéro is still to come."""
    db = empty_db
    lea, _changes = contacts.create_contact(db, ContactData(given_name="Léa"))
    apero = _event(db, "Apéro", dt.datetime(2026, 10, 1, 19), "FREQ=WEEKLY;BYDAY=TH")
    workshop = _event(db, "Atelier", dt.datetime(2026, 12, 2, 18))
    guests.add_guests(db, apero, [lea])
    guests.add_guests(db, workshop, [lea])
    events.skip_occurrence(db, apero, dt.datetime(2026, 11, 26, 19))
    events.move_occurrence(
        db,
        apero,
        dt.datetime(2026, 12, 3, 19),
        dt.datetime(2026, 12, 4, 20),
        dt.datetime(2026, 12, 4, 22),
    )

    upcoming = contacts.get_details(db, lea).upcoming

    assert [(a.title, a.start_local) for a in upcoming] == [
        ("Apéro", dt.datetime(2026, 11, 19, 19)),
        ("Atelier", dt.datetime(2026, 12, 2, 18)),
        ("Apéro", dt.datetime(2026, 12, 4, 20)),  # moved: at its new time
        ("Apéro", dt.datetime(2026, 12, 10, 19)),
    ]
    assert all(a.rsvp == "needs-action" for a in upcoming)


def test_a_date_answered_on_its_own_shows_that_answer_once(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    db = empty_db
    lea, _changes = contacts.create_contact(db, ContactData(given_name="Léa"))
    apero = _event(db, "Apéro", dt.datetime(2026, 10, 1, 19), "FREQ=WEEKLY;BYDAY=TH")
    guests.add_guests(db, apero, [lea])
    [shared] = guests.check_in_by_text(db, apero, "")
    next_week = dt.datetime(2026, 11, 26, 19)
    guests.check_in(db, shared.invitation_id, occurrence=next_week)  # her own row for that date
    with db.transaction() as session:
        own = session.exec(select(Invitation).where(Invitation.occurrence == next_week)).one()
        own.rsvp = "declined"
        own.attended = None
        session.add(own)

    upcoming = contacts.get_details(db, lea).upcoming

    assert [(a.start_local, a.rsvp) for a in upcoming] == [
        (dt.datetime(2026, 11, 19, 19), "needs-action"),
        (next_week, "declined"),
        (dt.datetime(2026, 12, 3, 19), "needs-action"),
    ]
