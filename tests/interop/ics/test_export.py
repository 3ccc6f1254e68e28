"""Calendar export (METHOD:PUBLISH): built with icalendar, checked by second implementations
(Radicale's item check, vobject, recurring-ical-events) and by the raw bytes."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject

from cmplanner import clock
from cmplanner.errors import NotFound
from cmplanner.interop.ics.export import (
    ExportEvent,
    NothingToExport,
    build_calendar,
    day_range,
    export_file,
    load_events,
    serialize,
    vevents,
)
from cmplanner.model import Community, EventCreate, OccurrenceException, VenueCreate
from cmplanner.services import preferences
from cmplanner.services.event_records import create_venue
from cmplanner.services.events import create_event, move_occurrence, skip_occurrence, update_event
from cmplanner.storage import Database

ROOT = Path(__file__).resolve().parents[3]
PARIS = ZoneInfo("Europe/Paris")
HOSTILE = "Café, bar; apéro \\ tests\nATTENDEE:mailto:x@y"
HOSTILE_STORED = "Café, bar; apéro \\ tests ATTENDEE:mailto:x@y"  # titles are one line
LONG_TITLE = (
    "Rencontre des bénévoles de l'été : écoute, échanges, dégustation de crêpes "
    "à l'ancienne 🎉🥞 et présentation des ateliers de la rentrée à Besançon ✨"
)


@dataclass
class Sample:
    db: Database
    weekly: int  # Thursdays 19:00 Paris across both DST changes of 2027, one skipped, one moved
    single: int  # a one-off at a venue with an address, access notes, GEO; online link
    all_day: int  # a three-day all-day event (its first and last days stored)
    hostile: int  # title with , ; \ and a line that looks like an ATTENDEE
    far: int  # an event in 2040, in New York
    endless: int  # a daily series without end, in Tokyo


def _event(db: Database, **fields: object) -> int:
    values: dict[str, object] = {
        "title": "Event",
        "start_local": dt.datetime(2027, 1, 14, 19),
        "end_local": dt.datetime(2027, 1, 14, 21),
        "timezone": "Europe/Paris",
    }
    values.update(fields)
    read, _changes = create_event(db, EventCreate.model_validate(values))
    return read.id


@pytest.fixture
def sample(empty_db: Database, frozen_clock: dt.datetime) -> Sample:
    db = empty_db
    preferences.put(db, preferences.IDENTITY_NAME, "Alex Morin")
    preferences.put(db, preferences.IDENTITY_EMAIL, "alex@example.org")
    venue, _ = create_venue(
        db,
        VenueCreate(
            name="Brasserie Georges",
            street="30 cours de Verdun",
            postal_code="69002",
            city="Lyon",
            country="France",
            access_notes="Entrée par la terrasse, accessible en fauteuil.",
            latitude=45.7487,
            longitude=4.8269,
        ),
    )
    with db.transaction() as session:
        group = Community(name="Apéros du jeudi")
        session.add(group)
        session.flush()
        community_id = group.id
    weekly = _event(
        db,
        title="Apéro du jeudi",
        kind="apero",
        status="confirmed",
        start_local=dt.datetime(2027, 3, 4, 19),
        end_local=dt.datetime(2027, 3, 4, 21, 30),
        rrule="FREQ=WEEKLY;BYDAY=TH;UNTIL=20271118T235959",
        venue_id=venue,
        community_id=community_id,
    )
    skip_occurrence(db, weekly, dt.datetime(2027, 4, 1, 19))
    move_occurrence(
        db,
        weekly,
        dt.datetime(2027, 10, 28, 19),
        dt.datetime(2027, 10, 29, 20, 30),
        dt.datetime(2027, 10, 29, 23),
    )
    single = _event(
        db,
        title=LONG_TITLE,
        kind="product_test",
        status="idea",
        objective="Tester le nouveau formulaire d'inscription.",
        description="Apportez votre téléphone.",
        online_url="https://visio.example.org/abc",
        venue_id=venue,
        community_id=community_id,
        start_local=dt.datetime(2027, 5, 6, 18),
        end_local=dt.datetime(2027, 5, 6, 20),
    )
    all_day = _event(
        db,
        title="Festival",
        all_day=True,
        start_local=dt.datetime(2027, 6, 11),
        end_local=dt.datetime(2027, 6, 13),  # the last day, as the editor's "Ends" shows it
        timezone="Pacific/Auckland",
    )
    hostile = _event(db, title=HOSTILE, status="cancelled")
    far = _event(
        db,
        title="Dans longtemps",
        timezone="America/New_York",
        start_local=dt.datetime(2040, 7, 4, 18),
        end_local=dt.datetime(2040, 7, 4, 20),
    )
    endless = _event(
        db,
        title="Stand-up",
        timezone="Asia/Tokyo",
        start_local=dt.datetime(2026, 12, 1, 9),
        end_local=dt.datetime(2026, 12, 1, 9, 15),
        rrule="FREQ=DAILY",
    )
    return Sample(db, weekly, single, all_day, hostile, far, endless)


def _export(db: Database, **filters: object) -> bytes:
    return serialize(build_calendar(load_events(db, **filters)))  # type: ignore[arg-type]


def _one(sample: Sample, event_id: int) -> ExportEvent:
    (event,) = load_events(sample.db, event_ids=[event_id])
    return event


def _by_uid(data: bytes) -> dict[str, list[icalendar.Event]]:
    found: dict[str, list[icalendar.Event]] = {}
    for component in icalendar.Calendar.from_ical(data).walk("VEVENT"):
        found.setdefault(str(component["UID"]), []).append(component)
    return found


def _radicale_ok(path: Path) -> tuple[bool, str]:
    done = subprocess.run(
        [sys.executable, "-m", "radicale", "--verify-item", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode == 0, done.stdout + done.stderr


def _split_per_uid(data: bytes) -> Iterator[tuple[str, bytes]]:
    """What a CalDAV server stores for each event of an uploaded calendar: one resource per
    UID, with the VTIMEZONEs it uses (Radicale's item check takes one UID at a time)."""
    calendar = icalendar.Calendar.from_ical(data)
    zones = {str(tz["TZID"]): tz for tz in calendar.walk("VTIMEZONE")}
    for uid, components in _by_uid(data).items():
        item = icalendar.Calendar()
        for name in ("PRODID", "VERSION", "CALSCALE", "METHOD"):
            item.add(name, calendar[name])
        used = set(re.findall(rb"TZID=([^:;]+)", b"".join(c.to_ical() for c in components)))
        for tzid in sorted(used):
            item.add_component(zones[tzid.decode()])
        for component in components:
            item.add_component(component)
        yield uid, item.to_ical()


# --- second implementations -------------------------------------------------------------------


def test_every_exported_event_passes_radicale_and_vobject(sample: Sample, tmp_path: Path) -> None:
    data = _export(sample.db)
    items = dict(_split_per_uid(data))
    assert len(items) == 6
    for n, (uid, item) in enumerate(sorted(items.items())):
        path = tmp_path / f"item{n}.ics"
        path.write_bytes(item)
        ok, log = _radicale_ok(path)
        assert ok, f"{uid}: {log[-3000:]}"
    # A single event's export ("add to my calendar") is itself one item.
    path = tmp_path / "single.ics"
    path.write_bytes(_export(sample.db, event_ids=[sample.weekly]))
    ok, log = _radicale_ok(path)
    assert ok, log[-3000:]
    parsed = list(vobject.readComponents(data.decode("utf-8")))
    assert len(parsed) == 1
    assert len(parsed[0].vevent_list) == 6 + 1  # the moved Thursday is an override
    assert {str(v.uid.value) for v in parsed[0].vevent_list} == set(items)


def test_the_demo_database_export_passes_radicale_item_by_item(
    demo_db: Database, tmp_path: Path
) -> None:
    data = _export(demo_db)
    for n, (uid, item) in enumerate(_split_per_uid(data)):
        path = tmp_path / f"demo{n}.ics"
        path.write_bytes(item)
        ok, log = _radicale_ok(path)
        assert ok, f"{uid}: {log[-3000:]}"
    vobject.readOne(data.decode("utf-8"))


# --- bytes ------------------------------------------------------------------------------------


def test_lines_are_crlf_folded_at_75_octets_never_inside_a_character(sample: Sample) -> None:
    data = _export(sample.db)
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # a split multi-byte character would not decode
    folded = [line for line in lines if line.startswith(b" ")]
    assert folded, "the long title and description should have been folded"
    # Unfolded, the title is whole, accents and emoji included.
    assert _one(sample, sample.single).title == LONG_TITLE
    summaries = [str(c["SUMMARY"]) for c in icalendar.Calendar.from_ical(data).walk("VEVENT")]
    assert LONG_TITLE in summaries


def test_a_hostile_title_stays_one_escaped_summary_without_attendee(sample: Sample) -> None:
    data = _export(sample.db, event_ids=[sample.hostile])
    unfolded = data.replace(b"\r\n ", b"")
    assert (
        b"SUMMARY:Caf\xc3\xa9\\, bar\\; ap\xc3\xa9ro \\\\ tests ATTENDEE:mailto:x@y\r\n" in unfolded
    )
    assert not any(line.startswith(b"ATTENDEE") for line in unfolded.split(b"\r\n"))
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(event["SUMMARY"]) == HOSTILE_STORED
    assert "ATTENDEE" not in event
    card = vobject.readOne(data.decode("utf-8"))
    assert card.vevent.summary.value == HOSTILE_STORED
    assert "attendee" not in card.vevent.contents
    assert str(event["STATUS"]) == "CANCELLED"


# --- recurrence and time zones ----------------------------------------------------------------


def test_a_weekly_paris_series_stays_at_19_00_across_both_dst_changes(sample: Sample) -> None:
    data = _export(sample.db, event_ids=[sample.weekly])
    calendar = icalendar.Calendar.from_ical(data)
    found = recurring_ical_events.of(calendar).between(dt.date(2027, 3, 1), dt.date(2027, 12, 1))
    starts = sorted(o["DTSTART"].dt.astimezone(PARIS) for o in found)
    local = [s.replace(tzinfo=None) for s in starts]
    assert dt.datetime(2027, 4, 1, 19) not in local  # skipped
    assert dt.datetime(2027, 10, 28, 19) not in local  # moved…
    assert dt.datetime(2027, 10, 29, 20, 30) in local  # …here
    assert local[-1] == dt.datetime(2027, 11, 18, 19)  # UNTIL is inclusive, as in the app
    thursdays = [s for s in starts if s.replace(tzinfo=None) != dt.datetime(2027, 10, 29, 20, 30)]
    assert {(s.hour, s.minute) for s in thursdays} == {(19, 0)}
    # Both sides of 28 March and 31 October 2027: the same wall time, a different UTC hour.
    utc_hours = {
        s.date(): s.astimezone(dt.UTC).hour
        for s in thursdays
        if s.date() in {dt.date(2027, 3, 25), dt.date(2027, 4, 8), dt.date(2027, 11, 4)}
    }
    assert utc_hours == {
        dt.date(2027, 3, 25): 18,
        dt.date(2027, 4, 8): 17,
        dt.date(2027, 11, 4): 18,
    }
    assert len(starts) == 38 - 1  # 38 Thursdays from 4 March to 18 November, one skipped
    # vobject reads the same series, with the VTIMEZONE of the file.
    card = vobject.readOne(data.decode("utf-8"))
    master = next(v for v in card.vevent_list if "recurrence_id" not in v.contents)
    rule = master.getrruleset()
    summer = next(d for d in rule if d.date() == dt.date(2027, 7, 1))
    assert (summer.hour, summer.utcoffset()) == (19, dt.timedelta(hours=2))


def test_moved_occurrence_and_own_status_are_recurrence_id_overrides(sample: Sample) -> None:
    with sample.db.transaction() as session:
        session.add(
            OccurrenceException(
                event_id=sample.weekly,
                recurrence_id=dt.datetime(2027, 5, 13, 19),
                status="cancelled",
            )
        )
    components = vevents(_one(sample, sample.weekly))
    master, *overrides = components
    assert str(master["RRULE"].to_ical(), "ascii") == "FREQ=WEEKLY;UNTIL=20271118T225959Z;BYDAY=TH"
    exdates = [d.dt for d in master["EXDATE"].dts]
    assert exdates == [dt.datetime(2027, 4, 1, 19, tzinfo=PARIS)]
    by_id = {o["RECURRENCE-ID"].dt: o for o in overrides}
    moved = by_id[dt.datetime(2027, 10, 28, 19, tzinfo=PARIS)]
    assert moved["DTSTART"].dt == dt.datetime(2027, 10, 29, 20, 30, tzinfo=PARIS)
    assert moved["DTEND"].dt == dt.datetime(2027, 10, 29, 23, tzinfo=PARIS)
    assert str(moved["STATUS"]) == "CONFIRMED"
    cancelled = by_id[dt.datetime(2027, 5, 13, 19, tzinfo=PARIS)]
    assert cancelled["DTSTART"].dt == dt.datetime(2027, 5, 13, 19, tzinfo=PARIS)
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert {str(o["UID"]) for o in components} == {str(master["UID"])}
    assert {int(o["SEQUENCE"]) for o in components} == {2}  # skipped and moved: two changes


def test_vtimezone_for_every_tzid_covers_2040_and_an_endless_series(sample: Sample) -> None:
    data = _export(sample.db)
    calendar = icalendar.Calendar.from_ical(data)
    zones = {str(tz["TZID"]): tz for tz in calendar.walk("VTIMEZONE")}
    used = set(re.findall(r"TZID=([^:;]+)", data.decode()))
    assert used == set(zones) == {"Europe/Paris", "America/New_York", "Asia/Tokyo"}
    assert "Pacific/Auckland" not in zones  # all-day: dates need no zone
    assert all(re.fullmatch(r"[A-Za-z]+/[A-Za-z_]+", tzid) for tzid in zones)  # never UTC+02:00
    # The 2040 event, read through the file's own VTIMEZONE (not the system's zoneinfo).
    new_york = zones["America/New_York"].to_tz(lookup_tzid=False)
    assert new_york.utcoffset(dt.datetime(2040, 7, 4, 18)) == dt.timedelta(hours=-4)
    assert new_york.utcoffset(dt.datetime(2040, 12, 4, 18)) == dt.timedelta(hours=-5)
    card = vobject.readOne(data.decode("utf-8"))
    far = next(v for v in card.vevent_list if v.summary.value == "Dans longtemps")
    assert far.dtstart.value.utcoffset() == dt.timedelta(hours=-4)
    # The weekly Paris series ends in 2027, but the single export has one zone per year spanned.
    paris = zones["Europe/Paris"].to_tz(lookup_tzid=False)
    assert paris.utcoffset(dt.datetime(2027, 7, 1, 19)) == dt.timedelta(hours=2)
    # A daily series without end (2026 on): covered ten years past today (frozen in 2026).
    horizon = str(zones["Asia/Tokyo"]["COMMENT"])
    assert "2037-01-01" in horizon
    paris_alone = icalendar.Calendar.from_ical(_export(sample.db, event_ids=[sample.weekly]))
    (tz,) = paris_alone.walk("VTIMEZONE")
    assert "2027-01-01 to 2028-01-01" in str(tz["COMMENT"])


def test_all_day_bytes_do_not_depend_on_the_machine_time_zone(
    sample: Sample, tmp_path: Path
) -> None:
    sample.db.close()
    script = textwrap.dedent(
        f"""
        import os, sys, time
        time.tzset()
        sys.path.insert(0, {str(ROOT)!r})
        from cmplanner.storage import Database
        from cmplanner.interop.ics.export import build_calendar, load_events, serialize
        db = Database.open({str(sample.db.path)!r}, writer=False)
        events = load_events(db, event_ids=[{sample.all_day}])
        sys.stdout.buffer.write(serialize(build_calendar(events)))
        """
    )
    outputs = []
    for zone in ("Pacific/Auckland", "America/Los_Angeles", "UTC"):
        env = {**os.environ, "TZ": zone}
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, env=env, timeout=60, check=True
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    unfolded = outputs[0].replace(b"\r\n ", b"")
    assert b"DTSTART;VALUE=DATE:20270611\r\n" in unfolded
    assert b"DTEND;VALUE=DATE:20270614\r\n" in unfolded  # exclusive: the day after the 13th
    assert b"VTIMEZONE" not in unfolded


def test_an_all_day_event_ending_the_day_it_starts_lasts_one_day(sample: Sample) -> None:
    event_id = _event(
        sample.db,
        title="Journée",
        all_day=True,
        start_local=dt.datetime(2027, 9, 1),
        end_local=dt.datetime(2027, 9, 1),
    )
    (master,) = vevents(_one(sample, event_id))
    assert (master["DTSTART"].dt, master["DTEND"].dt) == (dt.date(2027, 9, 1), dt.date(2027, 9, 2))


# --- fields -----------------------------------------------------------------------------------


def test_fields_location_geo_description_categories_status_stamps(sample: Sample) -> None:
    (event,) = vevents(_one(sample, sample.single))
    assert str(event["LOCATION"]) == ("Brasserie Georges, 30 cours de Verdun, 69002 Lyon, France")
    assert (event["GEO"].latitude, event["GEO"].longitude) == (45.7487, 4.8269)
    text = str(event["DESCRIPTION"])
    assert text.startswith("Objective: Tester le nouveau formulaire d'inscription.")
    for part in (
        "Apportez votre téléphone.",
        "Access: Entrée par la terrasse, accessible en fauteuil.",
        "Online: https://visio.example.org/abc",
        "Community: Apéros du jeudi",
        "Organizer: Alex Morin <alex@example.org>",
    ):
        assert part in text
    assert "<" not in text.replace("<alex@example.org>", "")  # plain text, no HTML
    assert str(event["URL"]) == "https://visio.example.org/abc"
    assert event.categories == ["Product test"]
    assert str(event["X-CMPLANNER-KIND"]) == "product_test"
    assert str(event["STATUS"]) == "TENTATIVE"  # an idea
    assert "ORGANIZER" not in event and "ATTENDEE" not in event
    raw = event.to_ical()
    for name in (b"DTSTAMP", b"CREATED", b"LAST-MODIFIED"):
        assert re.search(name + rb":\d{8}T\d{6}Z\r\n", raw), name


def test_description_labels_follow_the_language(sample: Sample) -> None:
    from cmplanner.i18n import set_language

    set_language("fr")
    try:
        (event,) = vevents(_one(sample, sample.single))
    finally:
        set_language("en")
    text = str(event["DESCRIPTION"])
    assert "Objectif : Tester" in text
    assert "Organisé par Alex Morin <alex@example.org>" in text
    assert event.categories == ["Test produit"]
    assert str(event["X-CMPLANNER-KIND"]) == "product_test"


def test_uids_are_stable_and_a_significant_change_bumps_sequence(sample: Sample) -> None:
    first = _export(sample.db)
    assert _export(sample.db) == first  # nothing changed: the same bytes
    event = _one(sample, sample.single)
    update_event(
        sample.db,
        sample.single,
        EventCreate(
            title=event.title,
            kind=event.kind,
            start_local=dt.datetime(2027, 5, 7, 18),
            end_local=dt.datetime(2027, 5, 7, 20),
            timezone="Europe/Paris",
        ),
    )
    after = _by_uid(_export(sample.db))
    before = _by_uid(first)
    assert set(after) == set(before)
    assert int(after[event.uid][0]["SEQUENCE"]) == int(before[event.uid][0]["SEQUENCE"]) + 1


# --- choosing what to export ------------------------------------------------------------------


def test_a_date_range_keeps_events_with_an_occurrence_in_it_series_whole(sample: Sample) -> None:
    zone = "Europe/Paris"
    start, end = day_range(dt.date(2027, 5, 6), dt.date(2027, 5, 6), zone)
    ids = {e.id for e in load_events(sample.db, start=start, end=end)}
    assert ids == {sample.weekly, sample.single, sample.endless}
    whole = _by_uid(_export(sample.db, start=start, end=end))
    weekly = _one(sample, sample.weekly)
    assert len(whole[weekly.uid]) == 2  # the master with its EXDATE and the moved override
    # The festival spans the 12th: an all-day event overlapping the range is kept.
    start, end = day_range(dt.date(2027, 6, 12), None, zone)
    ids = {
        e.id
        for e in load_events(sample.db, start=start, end=dt.datetime(2027, 6, 13, tzinfo=dt.UTC))
    }
    assert sample.all_day in ids and sample.single not in ids
    # Its last day (the 13th, Auckland) counts whole; the next day is after it.
    for day, kept in ((dt.date(2027, 6, 13), True), (dt.date(2027, 6, 14), False)):
        start, end = day_range(day, day, "Pacific/Auckland")
        assert (sample.all_day in {e.id for e in load_events(sample.db, start=start, end=end)}) == (
            kept
        )
    # After the weekly series' UNTIL: only the endless one and the far one.
    start, end = day_range(dt.date(2028, 1, 1), None, zone)
    assert {e.id for e in load_events(sample.db, start=start, end=end)} == {
        sample.endless,
        sample.far,
    }
    with pytest.raises(Exception, match="before"):
        day_range(dt.date(2027, 2, 1), dt.date(2027, 1, 1), zone)


def test_a_community_and_one_event(sample: Sample) -> None:
    ids = {e.id for e in load_events(sample.db, community="APÉROS du jeudi")}
    assert ids == {sample.weekly, sample.single}
    with pytest.raises(NotFound, match="Nope"):
        load_events(sample.db, community="Nope")
    with pytest.raises(NotFound, match="9999"):
        load_events(sample.db, event_ids=[sample.single, 9999])
    assert [e.id for e in load_events(sample.db, event_ids=[sample.hostile])] == [sample.hostile]


def test_export_file_is_atomic_and_refuses_to_write_nothing(sample: Sample, tmp_path: Path) -> None:
    target = tmp_path / "out.ics"
    target.write_bytes(b"previous")
    target.chmod(0o640)
    assert export_file(sample.db, target, community="Apéros du jeudi") == 2
    assert target.stat().st_mode & 0o777 == 0o640  # a replaced file keeps its mode
    fresh = tmp_path / "fresh.ics"
    export_file(sample.db, fresh, event_ids=[sample.single])
    assert fresh.stat().st_mode & 0o777 == 0o644  # not the temp file's private 0600
    fresh.unlink()
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    before = target.read_bytes()
    start, end = day_range(dt.date(2020, 1, 1), dt.date(2020, 1, 2), "Europe/Paris")
    with pytest.raises(NothingToExport):
        export_file(sample.db, target, start=start, end=end)
    assert target.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_guests_are_read_for_invitations_but_never_published(demo_db: Database) -> None:
    events = load_events(demo_db)
    with_guests = [e for e in events if e.guests]
    assert with_guests
    assert all(g.name for e in with_guests for g in e.guests)
    data = serialize(build_calendar(events))
    assert b"ATTENDEE" not in data and b"ORGANIZER" not in data
    assert all(not e.guests for e in load_events(demo_db, guests=False))


def test_the_export_path_does_not_import_the_orm(demo_path: Path, tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from cmplanner.storage import Database
        from cmplanner.interop.ics.export import export_file
        db = Database.open({str(demo_path)!r}, writer=False)
        print(export_file(db, {str(tmp_path / "x.ics")!r}))
        print(sorted(m for m in ("sqlalchemy", "sqlmodel", "alembic") if m in sys.modules))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    count, modules = done.stdout.split("\n")[:2]
    assert int(count) > 0
    assert modules == "[]"


def test_clock_horizon_is_ten_years(sample: Sample) -> None:
    clock.freeze(dt.datetime(2031, 6, 1, tzinfo=dt.UTC))
    try:
        calendar = icalendar.Calendar.from_ical(_export(sample.db, event_ids=[sample.endless]))
    finally:
        clock.freeze(dt.datetime(2026, 11, 19, 17, 30, tzinfo=dt.UTC))
    (tz,) = calendar.walk("VTIMEZONE")
    assert "2026-01-01 to 2042-01-01" in str(tz["COMMENT"])


def test_utc_zones_are_written_in_utc_without_a_vtimezone(sample: Sample, tmp_path: Path) -> None:
    ids = [
        _event(sample.db, title=zone, timezone=zone)
        for zone in ("UTC", "GMT", "Etc/UTC", "Europe/London")
    ]
    data = _export(sample.db, event_ids=ids)
    unfolded = data.replace(b"\r\n ", b"")
    assert unfolded.count(b"DTSTART:20270114T190000Z\r\n") == 3  # UTC 19:00 as stored
    assert b"DTSTART;TZID=Europe/London:20270114T190000\r\n" in unfolded
    zones = [str(tz["TZID"]) for tz in icalendar.Calendar.from_ical(data).walk("VTIMEZONE")]
    assert zones == ["Europe/London"]
    for uid, item in _split_per_uid(data):
        path = tmp_path / f"{uid}.ics"
        path.write_bytes(item)
        ok, log = _radicale_ok(path)
        assert ok, log[-3000:]


def test_times_next_to_a_dst_change_read_back_through_the_file_vtimezone(sample: Sample) -> None:
    # icalendar writes the spring onset as 03:00 (the first wall time that exists); the times
    # a user can enter on both sides of both changes read back right through the file's rules.
    ids = [
        _event(
            sample.db,
            title=f"{day:%m-%d} {hour}:{minute:02}",
            start_local=dt.datetime.combine(day, dt.time(hour, minute)),
            end_local=dt.datetime.combine(day, dt.time(hour, minute)) + dt.timedelta(hours=1),
        )
        for day in (dt.date(2027, 3, 28), dt.date(2027, 10, 31))
        for hour, minute in ((1, 30), (3, 0), (3, 30), (12, 0))
    ]
    card = vobject.readOne(_export(sample.db, event_ids=ids).decode("utf-8"))
    for vevent in card.vevent_list:
        start = vevent.dtstart.value
        expected = start.replace(tzinfo=PARIS).utcoffset()  # the system's zoneinfo
        assert start.utcoffset() == expected, vevent.summary.value


def test_an_all_day_series_ends_on_a_date(sample: Sample) -> None:
    event_id = _event(
        sample.db,
        title="Marché",
        all_day=True,
        start_local=dt.datetime(2027, 6, 5),
        end_local=dt.datetime(2027, 6, 6),
        rrule="FREQ=WEEKLY;UNTIL=20270626T235959",
    )
    data = _export(sample.db, event_ids=[event_id])
    assert b"RRULE:FREQ=WEEKLY;UNTIL=20270626\r\n" in data
    found = recurring_ical_events.of(icalendar.Calendar.from_ical(data)).between(
        dt.date(2027, 6, 1), dt.date(2027, 8, 1)
    )
    starts = sorted(o["DTSTART"].dt for o in found)
    assert starts == [dt.date(2027, 6, d) for d in (5, 12, 19, 26)]


def test_many_event_ids_at_once(sample: Sample) -> None:
    from cmplanner.services.events import event_from

    with sample.db.transaction() as session:
        rows = [
            event_from(
                EventCreate(
                    title=f"n°{n}",
                    start_local=dt.datetime(2027, 2, 1, 18) + dt.timedelta(days=n),
                    end_local=dt.datetime(2027, 2, 1, 19) + dt.timedelta(days=n),
                    timezone="Europe/Paris",
                )
            )
            for n in range(1200)
        ]
        session.add_all(rows)
        session.flush()
        ids = [r.id for r in rows]
    chosen = [*ids[::2], sample.weekly]
    events = load_events(sample.db, event_ids=chosen)
    assert sorted(e.id for e in events) == sorted(chosen)
    with pytest.raises(NotFound):
        load_events(sample.db, event_ids=[*chosen, 10**6])
