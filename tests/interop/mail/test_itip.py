"""Invitations as iTIP (RFC 5546): REQUEST and CANCEL calendars, read back by icalendar,
vobject and Radicale."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
import vobject

from cmplanner.errors import ValidationError
from cmplanner.interop.mail import itip
from cmplanner.model import EventCreate
from cmplanner.services import events, guests, preferences
from cmplanner.storage import Database
from tests.interop import itip_world
from tests.interop.itip_world import ORGANIZER_EMAIL, ORGANIZER_NAME, World
from tests.interop.radicale_server import assert_radicale_accepts


@pytest.fixture
def world(empty_db: Database, frozen_clock: dt.datetime) -> World:
    return itip_world.build(empty_db)


def _guest(db: Database, event_id: int, first_name: str) -> itip.Recipient:
    chosen = itip.recipients(db, event_id, itip.organizer(db))
    return next(g for g in chosen.to if g.name.startswith(first_name))


def _request(db: Database, event_id: int, first_name: str) -> icalendar.Calendar:
    who = itip.organizer(db)
    data = itip.serialize(
        itip.request_calendar(itip.load_event(db, event_id), who, _guest(db, event_id, first_name))
    )
    return icalendar.Calendar.from_ical(data)


def test_request_lists_the_organizer_and_that_guest_only(empty_db: Database, world: World) -> None:
    calendar = _request(empty_db, world.series, "Anaïs")
    assert calendar["METHOD"] == "REQUEST"
    vevent = calendar.walk("VEVENT")[0]
    organizer = vevent["ORGANIZER"]
    assert str(organizer) == f"mailto:{ORGANIZER_EMAIL}"
    assert organizer.params["CN"] == ORGANIZER_NAME
    attendees = vevent.get("ATTENDEE")
    attendee = attendees if not isinstance(attendees, list) else attendees[0]
    assert not isinstance(attendees, list), "one attendee: the recipient"
    assert str(attendee) == "mailto:anais@example.org"
    assert dict(attendee.params) == {
        "CN": "Anaïs Müller",
        "CUTYPE": "INDIVIDUAL",
        "ROLE": "REQ-PARTICIPANT",
        "PARTSTAT": "NEEDS-ACTION",
        "RSVP": "TRUE",
    }
    assert str(vevent["DTSTART"].to_ical().decode()) == "20261203T190000"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
    assert {tz["TZID"] for tz in calendar.walk("VTIMEZONE")} == {"Europe/Paris"}


@pytest.mark.parametrize(
    ("first_name", "role"),
    [
        ("Bob", "REQ-PARTICIPANT"),
        ("Chloé", "REQ-PARTICIPANT"),  # speaker: expected, not CHAIR
        ("Ève", "OPT-PARTICIPANT"),  # press
        ("Fred", "NON-PARTICIPANT"),  # staff
    ],
)
def test_guest_roles_become_attendee_roles(
    empty_db: Database, world: World, first_name: str, role: str
) -> None:
    vevent = _request(empty_db, world.series, first_name).walk("VEVENT")[0]
    assert vevent["ATTENDEE"].params["ROLE"] == role
    assert vevent["ATTENDEE"].params["RSVP"] == "TRUE"


def test_recipients_skip_no_email_waitlist_and_the_organizer(
    empty_db: Database, world: World
) -> None:
    who = itip.organizer(empty_db)
    series = itip.recipients(empty_db, world.series, who)
    names = sorted(g.name for g in series.to)
    assert names == [
        "Anaïs Müller",
        "Bob Martin",
        "Chloé Dubois",
        "Fred Staff",
        "Ève Presse",
    ]
    assert series.without_email == 1  # Dan
    assert series.waitlisted == 0
    single = itip.recipients(empty_db, world.single, who)
    assert len(single.to) == 4 and single.waitlisted == 1
    # The organizer is never an attendee, in any guest's message.
    for guest in series.to:
        calendar = itip.request_calendar(itip.load_event(empty_db, world.series), who, guest)
        for vevent in calendar.walk("VEVENT"):
            attendees = vevent.get("ATTENDEE")
            attendees = attendees if isinstance(attendees, list) else [attendees]
            assert f"mailto:{ORGANIZER_EMAIL}" not in [str(a) for a in attendees]


def test_missing_identity_says_where_to_set_it(empty_db: Database) -> None:
    with pytest.raises(ValidationError, match="Preferences"):
        itip.organizer(empty_db)
    preferences.put(empty_db, preferences.IDENTITY_NAME, "Zoé")
    preferences.put(empty_db, preferences.IDENTITY_EMAIL, "not an address")
    with pytest.raises(ValidationError, match="not valid"):
        itip.organizer(empty_db)


def test_request_reads_back_with_vobject_and_radicale(
    empty_db: Database, world: World, tmp_path: Path
) -> None:
    # A moved occurrence travels as a RECURRENCE-ID override, addressed the same way.
    events.move_occurrence(
        empty_db,
        world.series,
        dt.datetime(2026, 12, 17, 19, 0),
        dt.datetime(2026, 12, 18, 19, 0),
        dt.datetime(2026, 12, 18, 21, 30),
    )
    calendar = _request(empty_db, world.series, "Chloé")
    data = calendar.to_ical()
    path = tmp_path / "request.ics"
    path.write_bytes(data)
    assert_radicale_accepts(path)
    parsed = vobject.readOne(data.decode())
    assert parsed.method.value == "REQUEST"
    vevents = parsed.vevent_list
    assert len(vevents) == 2
    for vevent in vevents:
        assert vevent.organizer.value == f"mailto:{ORGANIZER_EMAIL}"
        assert [a.value for a in vevent.attendee_list] == ["mailto:chloe@example.org"]
        assert vevent.attendee.params["PARTSTAT"] == ["NEEDS-ACTION"]
    override = next(v for v in vevents if hasattr(v, "recurrence_id"))
    assert override.recurrence_id.value == dt.datetime(
        2026, 12, 17, 19, 0, tzinfo=override.recurrence_id.value.tzinfo
    )
    assert override.dtstart.value.day == 18


def test_time_change_bumps_sequence_and_the_request_carries_it(
    empty_db: Database, world: World
) -> None:
    before = _request(empty_db, world.single, "Bob").walk("VEVENT")[0]
    assert before["SEQUENCE"] == 0
    event = itip.load_event(empty_db, world.single)
    events.update_event(
        empty_db,
        world.single,
        EventCreate(
            title=event.title,
            start_local=dt.datetime(2026, 12, 10, 19, 0),
            end_local=dt.datetime(2026, 12, 10, 20, 30),
            timezone="Europe/Paris",
            capacity=4,
        ),
    )
    after = _request(empty_db, world.single, "Bob").walk("VEVENT")[0]
    assert after["SEQUENCE"] == 1
    assert after["UID"] == before["UID"]
    assert after["DTSTART"].dt.hour == 19


def test_cancel_one_occurrence_in_the_events_time_zone(
    empty_db: Database, world: World, tmp_path: Path
) -> None:
    uid = itip.load_event(empty_db, world.series).uid
    original, changes = itip.cancel_occurrence(empty_db, world.series, dt.date(2026, 12, 17))
    assert original == dt.datetime(2026, 12, 17, 19, 0)
    assert changes.events == {world.series}
    event = itip.load_event(empty_db, world.series)
    assert event.sequence == 1 and original in event.skipped
    # Cancelling it again changes nothing: the SEQUENCE stays.
    itip.cancel_occurrence(empty_db, world.series, dt.date(2026, 12, 17))
    assert itip.load_event(empty_db, world.series).sequence == 1

    who = itip.organizer(empty_db)
    data = itip.serialize(
        itip.cancel_calendar(event, who, _guest(empty_db, world.series, "Bob"), original)
    )
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["METHOD"] == "CANCEL"
    (vevent,) = calendar.walk("VEVENT")
    assert vevent["UID"] == uid
    assert vevent["SEQUENCE"] == 1
    assert vevent["STATUS"] == "CANCELLED"
    assert "RRULE" not in vevent and "EXDATE" not in vevent
    assert vevent["RECURRENCE-ID"].params["TZID"] == "Europe/Paris"
    assert vevent["RECURRENCE-ID"].to_ical() == b"20261217T190000"
    assert str(vevent["ATTENDEE"]) == "mailto:bob@example.org"
    path = tmp_path / "cancel.ics"
    path.write_bytes(data)
    assert_radicale_accepts(path)
    assert vobject.readOne(data.decode()).vevent.status.value == "CANCELLED"


def test_cancel_the_whole_event(empty_db: Database, world: World) -> None:
    itip.cancel_event(empty_db, world.single)
    event = itip.load_event(empty_db, world.single)
    assert (event.status, event.sequence) == ("cancelled", 1)
    itip.cancel_event(empty_db, world.single)  # already cancelled: no new SEQUENCE
    assert itip.load_event(empty_db, world.single).sequence == 1
    calendar = itip.cancel_calendar(
        event, itip.organizer(empty_db), _guest(empty_db, world.single, "Anaïs")
    )
    (vevent,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "CANCEL"
    assert (vevent["STATUS"], vevent["SEQUENCE"]) == ("CANCELLED", 1)
    assert "RECURRENCE-ID" not in vevent


def test_a_title_cannot_smuggle_an_attendee(empty_db: Database, world: World) -> None:
    event = itip.load_event(empty_db, world.single)
    events.update_event(
        empty_db,
        world.single,
        EventCreate(
            title="Café, bar; apéro \\ tests\nATTENDEE:mailto:x@y",
            start_local=event.start_local,
            end_local=event.end_local,
            timezone="Europe/Paris",
            capacity=4,
        ),
    )
    data = itip.serialize(
        itip.request_calendar(
            itip.load_event(empty_db, world.single),
            itip.organizer(empty_db),
            _guest(empty_db, world.single, "Bob"),
        )
    )
    parsed = vobject.readOne(data.decode())
    assert [a.value for a in parsed.vevent.attendee_list] == ["mailto:bob@example.org"]
    # Titles are one line: the line that looked like an ATTENDEE is part of the title.
    assert parsed.vevent.summary.value == "Café, bar; apéro \\ tests ATTENDEE:mailto:x@y"


def test_cancel_one_day_of_an_all_day_series(
    empty_db: Database, world: World, tmp_path: Path
) -> None:
    read, _ = events.create_event(
        empty_db,
        EventCreate(
            title="Salon",
            start_local=dt.datetime(2026, 12, 5),
            end_local=dt.datetime(2026, 12, 6),
            timezone="Europe/Paris",
            all_day=True,
            rrule="FREQ=MONTHLY;BYMONTHDAY=5",
        ),
    )
    guests.add_guests(empty_db, read.id, [world.people["Bob"]])
    original, _changes = itip.cancel_occurrence(empty_db, read.id, dt.date(2027, 1, 5))
    calendar = itip.cancel_calendar(
        itip.load_event(empty_db, read.id),
        itip.organizer(empty_db),
        _guest(empty_db, read.id, "Bob"),
        original,
    )
    (vevent,) = calendar.walk("VEVENT")
    assert vevent["RECURRENCE-ID"].to_ical() == b"20270105"
    assert vevent["DTSTART"].dt == dt.date(2027, 1, 5)
    assert vevent["DTEND"].dt == dt.date(2027, 1, 6)
    path = tmp_path / "cancel.ics"
    path.write_bytes(itip.serialize(calendar))
    assert_radicale_accepts(path)
