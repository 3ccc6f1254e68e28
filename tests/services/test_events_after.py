"""After the event (follow-up tasks, debrief), conflicts in the editor, and occurrences
still to confirm a few days ahead."""

from __future__ import annotations

import datetime as dt

import pytest

from cmplanner import clock
from cmplanner.model import Contact, EventCreate, EventTeamMember, Venue
from cmplanner.services import preferences, tasks
from cmplanner.services.events import (
    CONFIRM_DAYS_KEY,
    FOLLOW_UP,
    close_event,
    conflicts,
    create_event,
    event_details,
    set_debrief,
    skip_occurrence,
    unconfirmed_soon,
)
from cmplanner.storage import Database

PARIS = "Europe/Paris"


def event(db: Database, title: str, start: dt.datetime, hours: int = 2, **extra: object) -> int:
    data = EventCreate(
        title=title,
        start_local=start,
        end_local=start + dt.timedelta(hours=hours),
        timezone=PARIS,
        **extra,  # type: ignore[arg-type]
    )
    read, _ = create_event(db, data)
    return read.id


def venue(db: Database, name: str) -> int:
    with db.transaction() as session:
        row = Venue(name=name)
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def person(db: Database, given: str, *on_team_of: int) -> int:
    with db.transaction() as session:
        contact = Contact(given_name=given)
        session.add(contact)
        session.flush()
        assert contact.id is not None
        for event_id in on_team_of:
            session.add(EventTeamMember(event_id=event_id, contact_id=contact.id, role="accueil"))
        return contact.id


def test_closing_adds_the_follow_up_tasks_once(empty_db: Database) -> None:
    event_id = event(empty_db, "Atelier", dt.datetime(2026, 11, 4, 14), kind="workshop")
    tasks.apply_template(empty_db, event_id)  # already has "Partager les photos" at J+3
    before = len(event_details(empty_db, event_id)["tasks"])
    changes = close_event(empty_db, event_id)
    listed = event_details(empty_db, event_id)["tasks"]
    titles = [t["title"] for t in listed]
    assert all(titles.count(title) == 1 for title, _offset in FOLLOW_UP)
    assert len(changes.tasks) == len(listed) - before == len(FOLLOW_UP) - 2
    due = {t["title"]: t["due"] for t in listed}
    assert due["Remercier la salle"] == "2026-11-05"
    assert due["Envoyer un questionnaire aux participants"] == "2026-11-06"
    assert due["Écrire un mot aux absents"] == "2026-11-06"
    # Relative to the event: moving it moves them.
    assert all(
        t.due_offset_days is not None
        for t in tasks.list_tasks(empty_db, event_id=event_id)
        if t.title == "Remercier la salle"
    )
    # Closing again adds nothing.
    assert not close_event(empty_db, event_id).tasks
    assert len(event_details(empty_db, event_id)["tasks"]) == len(listed)


def test_closing_an_occurrence_dates_its_follow_up_from_that_day(empty_db: Database) -> None:
    series = event(empty_db, "Apéro", dt.datetime(2026, 3, 5, 19), rrule="FREQ=WEEKLY;BYDAY=TH")
    close_event(empty_db, series, dt.datetime(2026, 3, 12, 19))
    close_event(empty_db, series, dt.datetime(2026, 3, 19, 19))
    found = tasks.list_tasks(empty_db, event_id=series)
    assert len(found) == 2 * len(FOLLOW_UP)
    thanks = sorted(t.due for t in found if t.title == "Remercier la salle")
    assert thanks == [dt.date(2026, 3, 13), dt.date(2026, 3, 20)]


def test_debrief_note(empty_db: Database) -> None:
    event_id = event(empty_db, "Concert", dt.datetime(2026, 11, 4, 20))
    set_debrief(empty_db, event_id, "  40 personnes, bonne ambiance.\n")
    details = event_details(empty_db, event_id)
    assert details["debrief"] == "40 personnes, bonne ambiance."
    assert details["sequence"] == 0  # not something calendars need to hear about


def test_conflicts_at_the_same_venue_series_expanded(empty_db: Database) -> None:
    hall = venue(empty_db, "La Halle")
    other_hall = venue(empty_db, "Le Local")
    series = event(
        empty_db,
        "Apéro du jeudi",
        dt.datetime(2026, 3, 5, 19),
        rrule="FREQ=WEEKLY;BYDAY=TH",
        venue_id=hall,
    )
    # A concert on a Thursday evening after the March change, same hall, overlapping.
    concert = event(empty_db, "Concert", dt.datetime(2026, 4, 2, 20), venue_id=hall)
    found = conflicts(empty_db, concert)
    assert [(c.reason, c.event_id, c.start.isoformat()) for c in found] == [
        ("venue", series, "2026-04-02T19:00:00+02:00")
    ]
    assert "Apéro du jeudi" in found[0].message and "La Halle" in found[0].message
    # Seen from the series: the concert, once.
    assert [c.event_id for c in conflicts(empty_db, series)] == [concert]
    # A draft right after the apéro, or elsewhere, or on a skipped Thursday: no conflict.
    after = EventCreate(
        title="Après",
        start_local=dt.datetime(2026, 4, 2, 21),
        end_local=dt.datetime(2026, 4, 2, 23),
        timezone=PARIS,
        venue_id=hall,
    )
    elsewhere = after.model_copy(
        update={"start_local": dt.datetime(2026, 4, 2, 19), "venue_id": other_hall}
    )
    assert [c.event_id for c in conflicts(empty_db, after)] == [concert]
    assert conflicts(empty_db, elsewhere) == []
    skip_occurrence(empty_db, series, dt.datetime(2026, 4, 2, 19))
    assert conflicts(empty_db, concert) == []


def test_conflicts_with_a_core_team_member(empty_db: Database) -> None:
    workshop = event(empty_db, "Atelier", dt.datetime(2026, 5, 6, 14), hours=3)
    lea = person(empty_db, "Léa", workshop)
    tom = person(empty_db, "Tom")
    draft = EventCreate(
        title="Interview",
        start_local=dt.datetime(2026, 5, 6, 16),
        end_local=dt.datetime(2026, 5, 6, 17),
        timezone=PARIS,
    )
    found = conflicts(empty_db, draft, team=[lea, tom])
    assert [(c.reason, c.event_id, c.contact_id) for c in found] == [("team", workshop, lea)]
    assert found[0].message.startswith("Léa ") and "Atelier" in found[0].message
    assert conflicts(empty_db, draft, team=[tom]) == []
    # A saved event uses its own team.
    interview = event(empty_db, "Interview", dt.datetime(2026, 5, 6, 16))
    person(empty_db, "Léo")  # on no team
    with empty_db.transaction() as session:
        session.add(EventTeamMember(event_id=interview, contact_id=lea))
    assert [c.event_id for c in conflicts(empty_db, interview)] == [workshop]
    # A cancelled event conflicts with nothing.
    cancelled = draft.model_copy(update={"status": "cancelled"})
    assert conflicts(empty_db, cancelled, team=[lea]) == []


def test_occurrences_still_to_confirm(empty_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cmplanner.clock.local_zone_name", lambda: PARIS)
    clock.freeze(dt.datetime(2026, 11, 19, 12, tzinfo=dt.UTC))
    try:
        series = event(
            empty_db, "Apéro", dt.datetime(2026, 11, 5, 19), rrule="FREQ=WEEKLY;BYDAY=TH"
        )
        event(empty_db, "Confirmé", dt.datetime(2026, 11, 21, 10), status="confirmed")
        event(empty_db, "Plus tard", dt.datetime(2026, 12, 10, 10))
        found = unconfirmed_soon(empty_db)
        assert [(o.event_id, o.start.date()) for o in found] == [
            (series, dt.date(2026, 11, 19)),
            (series, dt.date(2026, 11, 26)),
        ]
        preferences.put(empty_db, CONFIRM_DAYS_KEY, "3")
        assert [o.start.date() for o in unconfirmed_soon(empty_db)] == [dt.date(2026, 11, 19)]
        preferences.put(empty_db, CONFIRM_DAYS_KEY, "30")
        titles = [o.title for o in unconfirmed_soon(empty_db)]
        assert "Plus tard" in titles and "Confirmé" not in titles
    finally:
        clock.freeze(None)
