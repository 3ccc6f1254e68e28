"""Commitments: promises to a contact, a community or an event; open, kept or dropped."""

from __future__ import annotations

import datetime as dt

import pytest

from cmplanner.errors import NotFound, ValidationError
from cmplanner.model import EventCreate
from cmplanner.services import commitments, communities, contacts, events
from cmplanner.services.communities import CommunityData
from cmplanner.services.contact_data import ContactData
from cmplanner.storage import Database


def _event(
    db: Database, community_id: int, day: dt.date, rrule: str = "", status: str = "planned"
) -> int:
    start = dt.datetime.combine(day, dt.time(19))
    read, _ = events.create_event(
        db,
        EventCreate(
            title=f"Apéro {day}",
            community_id=community_id,
            start_local=start,
            end_local=start + dt.timedelta(hours=3),
            rrule=rrule,
            status=status,
        ),
    )
    return read.id


def test_open_commitments_by_target_with_overdue(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    ana, _ = contacts.create_contact(empty_db, ContactData(given_name="Ana", family_name="Lopez"))
    community_id, _ = communities.create_community(empty_db, CommunityData(name="Apéros"))
    late, changes = commitments.add_commitment(
        empty_db, "Envoyer le compte rendu", due_date=dt.date(2026, 11, 10), contact_id=ana
    )
    assert ana in changes.contacts and late in changes.commitments
    soon, _ = commitments.add_commitment(
        empty_db, "Trouver un lieu", due_date=dt.date(2026, 12, 1), community_id=community_id
    )
    later, _ = commitments.add_commitment(empty_db, "Un atelier photo", community_id=community_id)
    (mine,) = commitments.open_commitments(empty_db, contact_id=ana)
    assert (mine.id, mine.contact, mine.overdue, mine.status_label) == (
        late,
        "Ana Lopez",
        True,
        "Open",
    )
    listed = commitments.open_commitments(empty_db, community_id=community_id)
    assert [(c.id, c.overdue, c.community) for c in listed] == [
        (soon, False, "Apéros"),
        (later, False, "Apéros"),
    ]
    assert [c.id for c in commitments.open_commitments(empty_db)] == [late, soon, later]

    commitments.set_status(empty_db, late, "kept")
    commitments.set_status(empty_db, soon, "dropped")
    assert [c.id for c in commitments.open_commitments(empty_db)] == [later]
    assert commitments.status_label("cancelled") == "Dropped"
    commitments.set_status(empty_db, soon, "open")
    assert soon in {c.id for c in commitments.open_commitments(empty_db)}


def test_a_commitment_is_made_to_someone(empty_db: Database) -> None:
    with pytest.raises(ValidationError):
        commitments.add_commitment(empty_db, "Des croissants")
    with pytest.raises(ValidationError):
        commitments.add_commitment(empty_db, "  ", contact_id=1)
    with pytest.raises(NotFound):
        commitments.add_commitment(empty_db, "Des croissants", community_id=999)
    ana, _ = contacts.create_contact(empty_db, ContactData(given_name="Ana"))
    promise, _ = commitments.add_commitment(empty_db, "Des croissants", contact_id=ana)
    with pytest.raises(ValidationError):
        commitments.set_status(empty_db, promise, "forgotten")
    with pytest.raises(NotFound):
        commitments.set_status(empty_db, 999, "kept")


def test_next_event_shows_the_community_and_event_promises(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    community_id, _ = communities.create_community(empty_db, CommunityData(name="Apéros"))
    other_id, _ = communities.create_community(empty_db, CommunityData(name="Ateliers"))
    past = _event(empty_db, community_id, dt.date(2026, 11, 5))
    cancelled = _event(empty_db, community_id, dt.date(2026, 11, 26), status="cancelled")
    upcoming = _event(empty_db, community_id, dt.date(2026, 12, 3))
    after = _event(empty_db, community_id, dt.date(2026, 12, 17))
    elsewhere = _event(empty_db, other_id, dt.date(2026, 11, 24))
    assert commitments.next_event_id(empty_db, community_id) == upcoming

    ids = {
        name: commitments.add_commitment(empty_db, name, **target)[0]  # type: ignore[arg-type]
        for name, target in (
            ("to the community", {"community_id": community_id}),
            ("at the next event", {"event_id": upcoming}),
            ("at the past event", {"event_id": past}),
            ("at the cancelled event", {"event_id": cancelled}),
            ("at a later event", {"event_id": after}),
            ("elsewhere", {"event_id": elsewhere}),
        )
    }
    shown = commitments.next_event_commitments(empty_db, community_id)
    assert {c.description for c in shown} == {"to the community", "at the next event"}
    # The next event shows the community's promises too; a later one only its own.
    shown = commitments.event_commitments(empty_db, upcoming)
    assert {c.description for c in shown} == {"to the community", "at the next event"}
    shown = commitments.event_commitments(empty_db, after)
    assert {c.description for c in shown} == {"at a later event"}
    with pytest.raises(NotFound):
        commitments.event_commitments(empty_db, 9999)
    commitments.set_status(empty_db, ids["at the next event"], "kept")
    assert [c.description for c in commitments.next_event_commitments(empty_db, community_id)] == [
        "to the community"
    ]


def test_a_series_next_occurrence_makes_it_the_next_event(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    community_id, _ = communities.create_community(empty_db, CommunityData(name="Jeudis"))
    single = _event(empty_db, community_id, dt.date(2026, 12, 3))
    # Weekly on Thursdays since October: its next occurrence (26 Nov) comes first.
    series = _event(empty_db, community_id, dt.date(2026, 10, 1), rrule="FREQ=WEEKLY;BYDAY=TH")
    assert commitments.next_event_id(empty_db, community_id) == series
    assert single != series
    empty, _ = communities.create_community(empty_db, CommunityData(name="Vide"))
    assert commitments.next_event_id(empty_db, empty) is None
    assert commitments.next_event_commitments(empty_db, empty) == []


def test_a_deleted_promise_comes_back_with_its_id(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    ana, _ = contacts.create_contact(empty_db, ContactData(given_name="Ana"))
    promise, _ = commitments.add_commitment(
        empty_db, "Envoyer les photos", due_date=dt.date(2026, 11, 30), contact_id=ana
    )
    before = commitments.open_commitments(empty_db, contact_id=ana)
    row, changes = commitments.delete_commitment(empty_db, promise)
    assert promise in changes.commitments and ana in changes.contacts
    assert commitments.open_commitments(empty_db, contact_id=ana) == []
    commitments.restore_commitment(empty_db, row)
    assert commitments.open_commitments(empty_db, contact_id=ana) == before
    assert commitments.get_status(empty_db, promise) == "open"
    with pytest.raises(NotFound):
        commitments.delete_commitment(empty_db, promise + 1)
