"""A small world for the invitation tests: the CM's identity, a weekly Paris series and a
single event, guests with every role, one without e-mail, one on the waiting list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cmplanner.model import EventCreate
from cmplanner.services import contacts, events, guests, preferences
from cmplanner.services.contact_data import ContactData, Labelled
from cmplanner.storage import Database

ORGANIZER_NAME = "Zoé Lefèvre"
ORGANIZER_EMAIL = "zoe@cm.example"


@dataclass(frozen=True)
class World:
    series: int  # weekly on Thursday 19:00 Europe/Paris
    single: int  # one evening, capacity 4
    people: dict[str, int]  # by first name


def person(db: Database, given: str, family: str, email: str = "") -> int:
    emails = (Labelled(email),) if email else ()
    return contacts.create_contact(
        db, ContactData(given_name=given, family_name=family, emails=emails)
    )[0]


def identity(db: Database) -> None:
    preferences.put(db, preferences.IDENTITY_NAME, ORGANIZER_NAME)
    preferences.put(db, preferences.IDENTITY_EMAIL, ORGANIZER_EMAIL)


def build(db: Database, with_identity: bool = True) -> World:
    if with_identity:
        identity(db)
    series, _ = events.create_event(
        db,
        EventCreate(
            title="Apéro du jeudi",
            start_local=dt.datetime(2026, 12, 3, 19, 0),
            end_local=dt.datetime(2026, 12, 3, 21, 30),
            timezone="Europe/Paris",
            rrule="FREQ=WEEKLY;BYDAY=TH",
            objective="Accueillir les nouveaux",
        ),
    )
    single, _ = events.create_event(
        db,
        EventCreate(
            title="Atelier « premiers pas »",
            start_local=dt.datetime(2026, 12, 10, 18, 30),
            end_local=dt.datetime(2026, 12, 10, 20, 0),
            timezone="Europe/Paris",
            capacity=4,
        ),
    )
    people = {
        "Anaïs": person(db, "Anaïs", "Müller", "anais@example.org"),
        "Bob": person(db, "Bob", "Martin", "bob@example.org"),
        "Chloé": person(db, "Chloé", "Dubois", "chloe@example.org"),
        "Dan": person(db, "Dan", "Sans-Mail"),
        "Zoé": person(db, "Zoé", "Lefèvre", ORGANIZER_EMAIL),  # the CM herself
        "Ève": person(db, "Ève", "Presse", "eve@journal.example"),
        "Fred": person(db, "Fred", "Staff", "fred@example.org"),
    }
    guests.add_guests(db, series.id, [people["Anaïs"], people["Bob"], people["Dan"]])
    guests.add_guests(db, series.id, [people["Chloé"]], role="speaker")
    guests.add_guests(db, series.id, [people["Zoé"]])
    guests.add_guests(db, series.id, [people["Ève"]], role="press")
    guests.add_guests(db, series.id, [people["Fred"]], role="staff")
    # The single event is full after four: the fifth guest waits.
    guests.add_guests(
        db,
        single.id,
        [people[n] for n in ("Anaïs", "Bob", "Chloé", "Ève", "Fred")],
    )
    return World(series.id, single.id, people)
