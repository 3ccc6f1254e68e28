"""Events and series: local time across daylight-saving changes, skipped and moved
occurrences, SEQUENCE, validation, closing an event."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from cmplanner.errors import ValidationError
from cmplanner.model import Contact, EventCreate, Invitation
from cmplanner.services.event_dates import occurrences_between
from cmplanner.services.events import (
    close_event,
    create_event,
    event_details,
    move_occurrence,
    skip_occurrence,
    update_event,
)
from cmplanner.storage import Database

PARIS = "Europe/Paris"
UTC = dt.UTC


def weekly(db: Database, **extra: object) -> int:
    """Every Thursday at 19:00 in Paris, from 5 March 2026 (winter time)."""
    data = EventCreate(
        title="Apéro du jeudi",
        start_local=dt.datetime(2026, 3, 5, 19),
        end_local=dt.datetime(2026, 3, 5, 21),
        timezone=PARIS,
        rrule="FREQ=WEEKLY;BYDAY=TH",
        **extra,  # type: ignore[arg-type]
    )
    read, _ = create_event(db, data)
    return read.id


def between(db: Database, first: dt.date, last: dt.date) -> list[dt.datetime]:
    found = occurrences_between(
        db,
        dt.datetime.combine(first, dt.time(), UTC),
        dt.datetime.combine(last, dt.time(), UTC),
    )
    return [o.start for o in found]


def test_weekly_series_stays_at_19h_local_across_both_changes(empty_db: Database) -> None:
    weekly(empty_db)
    starts = between(empty_db, dt.date(2026, 3, 1), dt.date(2026, 11, 15))
    assert len(starts) == 37  # 5 March … 12 November
    assert {s.hour for s in starts} == {19} and {s.minute for s in starts} == {0}
    assert all(s.weekday() == 3 for s in starts)
    offsets = {s.date(): s.utcoffset() for s in starts}
    # Winter time (UTC+1) until 29 March, summer time (UTC+2) until 25 October.
    assert offsets[dt.date(2026, 3, 26)] == dt.timedelta(hours=1)
    assert offsets[dt.date(2026, 4, 2)] == dt.timedelta(hours=2)
    assert offsets[dt.date(2026, 10, 22)] == dt.timedelta(hours=2)
    assert offsets[dt.date(2026, 10, 29)] == dt.timedelta(hours=1)
    # So the UTC hour is not constant: the series was never expanded by adding 7 × 24 h.
    assert {s.astimezone(UTC).hour for s in starts} == {17, 18}


def test_skip_and_move_one_occurrence_bump_the_sequence(empty_db: Database) -> None:
    event_id = weekly(empty_db)
    skip_occurrence(empty_db, event_id, dt.datetime(2026, 3, 19, 19))
    move_occurrence(
        empty_db,
        event_id,
        dt.datetime(2026, 3, 26, 19),
        dt.datetime(2026, 3, 27, 20),
        dt.datetime(2026, 3, 27, 22),
    )
    found = occurrences_between(
        empty_db, dt.datetime(2026, 3, 1, tzinfo=UTC), dt.datetime(2026, 4, 5, tzinfo=UTC)
    )
    assert [o.start.isoformat() for o in found] == [
        "2026-03-05T19:00:00+01:00",
        "2026-03-12T19:00:00+01:00",
        "2026-03-27T20:00:00+01:00",  # moved to the Friday
        "2026-04-02T19:00:00+02:00",
    ]
    assert found[2].recurrence_id == dt.datetime(2026, 3, 26, 19)
    assert found[2].end.hour == 22
    assert event_details(empty_db, event_id)["sequence"] == 2
    with pytest.raises(ValidationError, match="no occurrence"):
        skip_occurrence(empty_db, event_id, dt.datetime(2026, 3, 20, 19))  # a Friday


def test_update_bumps_sequence_only_for_significant_changes(empty_db: Database) -> None:
    data = EventCreate(
        title="Concert",
        start_local=dt.datetime(2026, 6, 20, 20),
        end_local=dt.datetime(2026, 6, 20, 23),
        timezone=PARIS,
    )
    read, _ = create_event(empty_db, data)
    update_event(empty_db, read.id, data.model_copy(update={"title": "Concert d'été"}))
    assert event_details(empty_db, read.id)["sequence"] == 0
    later = data.model_copy(
        update={
            "start_local": dt.datetime(2026, 6, 21, 20),
            "end_local": dt.datetime(2026, 6, 21, 23),
            "timezone": "America/Montreal",
        }
    )
    update_event(empty_db, read.id, later)
    details = event_details(empty_db, read.id)
    assert details["sequence"] == 1
    assert details["start"] == "2026-06-21T20:00:00-04:00"
    # The UTC columns followed: the event is found at its new instant.
    found = occurrences_between(
        empty_db, dt.datetime(2026, 6, 22, 0, tzinfo=UTC), dt.datetime(2026, 6, 22, 1, tzinfo=UTC)
    )
    assert [o.event_id for o in found] == [read.id]
    update_event(empty_db, read.id, later.model_copy(update={"status": "confirmed"}))
    assert event_details(empty_db, read.id)["sequence"] == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end_local": dt.datetime(2026, 6, 20, 19)}, "ends before it starts"),
        ({"timezone": "Europe/Lyon"}, "Unknown time zone"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=JE"}, "FREQ=WEEKLY;BYDAY=JE"),
        ({"rrule": "BYDAY=TH"}, "recurrence rule"),
    ],
)
def test_invalid_events_are_refused_with_a_clear_message(
    empty_db: Database, change: dict[str, object], message: str
) -> None:
    data = EventCreate(
        title="Concert",
        start_local=dt.datetime(2026, 6, 20, 20),
        end_local=dt.datetime(2026, 6, 20, 23),
        timezone=PARIS,
    )
    with pytest.raises(ValidationError, match=message):
        create_event(empty_db, data.model_copy(update=change))


def guests(db: Database, event_id: int, *rows: tuple[str, bool | None]) -> list[int]:
    ids = []
    with db.transaction() as session:
        for n, (rsvp, attended) in enumerate(rows):
            contact = Contact(given_name=f"Guest{n}", family_name="Test")
            session.add(contact)
            session.flush()
            assert contact.id is not None
            ids.append(contact.id)
            session.add(
                Invitation(event_id=event_id, contact_id=contact.id, rsvp=rsvp, attended=attended)
            )
    return ids


def test_close_marks_done_and_records_no_shows(empty_db: Database) -> None:
    read, _ = create_event(
        empty_db,
        EventCreate(
            title="Atelier",
            start_local=dt.datetime(2026, 11, 4, 14),
            end_local=dt.datetime(2026, 11, 4, 17),
            timezone=PARIS,
        ),
    )
    came, missing, declined = guests(
        empty_db, read.id, ("accepted", True), ("accepted", None), ("declined", None)
    )
    changes = close_event(empty_db, read.id)
    assert len(changes.invitations) == 1
    details = event_details(empty_db, read.id)
    assert details["status"] == "done" and details["sequence"] == 1
    attendance = {g["contact_id"]: g["attendance"] for g in details["guests"]}
    assert attendance == {came: "present", missing: "absent", declined: None}
    found = occurrences_between(
        empty_db, dt.datetime(2026, 11, 4, tzinfo=UTC), dt.datetime(2026, 11, 5, tzinfo=UTC)
    )
    assert found[0].counts == {
        "invited": 3, "accepted": 2, "declined": 1, "tentative": 0, "waitlist": 0, "attended": 1,
    }  # fmt: skip


def test_a_series_is_closed_one_occurrence_at_a_time(empty_db: Database) -> None:
    event_id = weekly(empty_db)
    regular, newcomer = guests(empty_db, event_id, ("accepted", None), ("accepted", None))
    evening = dt.datetime(2026, 3, 12, 19)
    with empty_db.transaction() as session:
        session.add(
            Invitation(
                event_id=event_id,
                contact_id=regular,
                occurrence=evening,
                rsvp="accepted",
                attended=True,
            )
        )
    with pytest.raises(ValidationError, match="series"):
        close_event(empty_db, event_id)
    close_event(empty_db, event_id, evening)
    with empty_db.session() as session:
        own = session.exec(select(Invitation).where(Invitation.occurrence == evening)).all()
    assert {(i.contact_id, i.attended) for i in own} == {(regular, True), (newcomer, False)}
    found = occurrences_between(
        empty_db, dt.datetime(2026, 3, 5, tzinfo=UTC), dt.datetime(2026, 3, 20, tzinfo=UTC)
    )
    assert [(o.status, o.counts["attended"]) for o in found] == [
        ("planned", 0),
        ("done", 1),
        ("planned", 0),
    ]
    # The shared list is untouched: the next Thursday still has both guests to come.
    assert found[2].counts["accepted"] == 2


@pytest.mark.parametrize(
    ("start", "zone"),
    [
        (dt.datetime(9999, 12, 31, 20), "Asia/Tokyo"),  # the export ran into the year 10000
        (dt.datetime(1, 1, 1, 0, 30), PARIS),  # UTC is the year 0
        (dt.datetime(999, 12, 31, 12), PARIS),  # a three-digit year, written back as such
    ],
)
def test_an_event_outside_the_calendar_is_refused_everywhere(
    empty_db: Database, start: dt.datetime, zone: str
) -> None:
    """The editor, the command line and the demo make events through event_from."""
    data = EventCreate(title="Hors du temps", start_local=start, end_local=start, timezone=zone)
    with pytest.raises(ValidationError, match="out of the calendar's range"):
        create_event(empty_db, data)
    with pytest.raises(ValidationError, match="out of the calendar's range"):
        update_event(empty_db, weekly(empty_db), data)


def test_a_new_venue_and_community_are_made_with_their_event_or_not_at_all(
    empty_db: Database,
) -> None:
    """By name, as a person would write it; in the event's transaction."""
    data = EventCreate(
        title="Atelier",
        start_local=dt.datetime(2027, 1, 14, 19),
        end_local=dt.datetime(2027, 1, 14, 21),
        timezone=PARIS,
    )
    first, changes = create_event(empty_db, data, venue="Le  Local\r\n", community="Vélo Lyon")
    assert changes.venues and changes.communities
    again, changes = create_event(empty_db, data, venue="le local", community="velo lyon")
    assert not changes.venues and not changes.communities
    one, other = event_details(empty_db, first.id), event_details(empty_db, again.id)
    assert (one["venue"], one["community"]) == ("Le Local", "Vélo Lyon")
    assert (other["venue"], other["community"]) == ("Le Local", "Vélo Lyon")
    with empty_db.transaction() as session:
        session.connection().exec_driver_sql(
            "CREATE TRIGGER full BEFORE INSERT ON event BEGIN SELECT RAISE(ABORT, 'full'); END"
        )
    with pytest.raises(Exception, match="full"):
        create_event(empty_db, data, venue="Ailleurs", community="Autres")
    with empty_db.read() as con:
        assert con.execute("SELECT count(*) FROM venue").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM community").fetchone()[0] == 1
