"""A series expands in the time its DTSTART is written in (RFC 5545 §3.3.10), as other
implementations compute it — checked against recurring-ical-events on the same file:

- in UTC ("…Z"): at the same UTC time every week, across a daylight-saving change;
- floating (no TZID, no Z): at the same wall-clock time;
- with a TZID: at the same local time in that zone (its UTC time moves with the clocks).

A UTC series is stored in the zone "UTC" and written back in UTC: it round-trips."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from cmplanner.interop.ics.export import export_file
from cmplanner.interop.ics.write import import_file
from cmplanner.services.events import event_details, occurrences_between
from cmplanner.storage import Database
from tests.interop.radicale_server import assert_radicale_accepts

# 28 March 2027: Europe/Paris moves from UTC+1 to UTC+2 in the middle of these weeks.
WINDOW = (dt.datetime(2027, 3, 1, tzinfo=dt.UTC), dt.datetime(2027, 5, 1, tzinfo=dt.UTC))


def _calendar(dtstart: str, extra: str = "") -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tests//Zones//EN\r\n"
        "BEGIN:VEVENT\r\nUID:series@tests.example\r\nDTSTAMP:20270101T000000Z\r\n"
        f"SUMMARY:Standup\r\n{dtstart}\r\nDURATION:PT30M\r\n"
        "RRULE:FREQ=WEEKLY;COUNT=5\r\n"
        f"{extra}END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


@pytest.fixture
def db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_database: Callable[[Path], Path]
) -> Database:
    monkeypatch.setattr("cmplanner.clock.local_zone_name", lambda: "Europe/Paris")
    database = Database.open(new_database(tmp_path / "zones.cmplanner"))
    yield database
    database.close()


def _import(db: Database, tmp_path: Path, data: bytes) -> int:
    path = tmp_path / "series.ics"
    path.write_bytes(data)
    report = import_file(db, path)
    (event_id,) = report.created or report.updated or report.unchanged
    return event_id


def _ours(db: Database) -> list[dt.datetime]:
    return [o.start for o in occurrences_between(db, *WINDOW)]


def _theirs(data: bytes) -> list[dt.datetime]:
    calendar = icalendar.Calendar.from_ical(data)
    found = recurring_ical_events.of(calendar).between(*WINDOW)
    return sorted(e["DTSTART"].dt for e in found)


def test_a_utc_series_keeps_its_utc_time_across_daylight_saving(
    db: Database, tmp_path: Path
) -> None:
    data = _calendar("DTSTART:20270315T180000Z")
    event_id = _import(db, tmp_path, data)
    ours = _ours(db)
    assert [o.astimezone(dt.UTC) for o in ours] == _theirs(data)
    assert {o.astimezone(dt.UTC).time() for o in ours} == {dt.time(18, 0)}
    assert len(ours) == 5
    details = event_details(db, event_id)
    assert details["timezone"] == "UTC" and details["start"] == "2027-03-15T18:00:00+00:00"


def test_a_floating_series_keeps_its_wall_clock_time(db: Database, tmp_path: Path) -> None:
    data = _calendar("DTSTART:20270315T180000")
    _import(db, tmp_path, data)
    ours = [o.replace(tzinfo=None) for o in _ours(db)]
    assert ours == _theirs(data)
    assert {o.time() for o in ours} == {dt.time(18, 0)}


def test_a_series_with_a_tzid_keeps_its_local_time(db: Database, tmp_path: Path) -> None:
    data = _calendar("DTSTART;TZID=Europe/Paris:20270315T180000")
    _import(db, tmp_path, data)
    ours = _ours(db)
    assert [o.astimezone(dt.UTC) for o in ours] == [t.astimezone(dt.UTC) for t in _theirs(data)]
    assert {o.time() for o in ours} == {dt.time(18, 0)}
    assert {o.astimezone(dt.UTC).hour for o in ours} == {16, 17}  # the clocks changed


def test_a_utc_series_round_trips_in_utc_with_its_exceptions(db: Database, tmp_path: Path) -> None:
    data = _calendar(
        "DTSTART:20270315T180000Z",
        "EXDATE:20270322T180000Z\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\n"
        "UID:series@tests.example\r\nDTSTAMP:20270101T000000Z\r\n"
        "RECURRENCE-ID:20270405T180000Z\r\nSUMMARY:Standup\r\n"
        "DTSTART:20270406T170000Z\r\nDURATION:PT30M\r\n",
    )
    event_id = _import(db, tmp_path, data)
    ours = [o.astimezone(dt.UTC) for o in _ours(db)]
    assert ours == _theirs(data) and len(ours) == 4
    out = tmp_path / "out.ics"
    export_file(db, out, event_ids=[event_id])
    written = out.read_bytes()
    assert b"DTSTART:20270315T180000Z" in written and b"BEGIN:VTIMEZONE" not in written
    assert _theirs(written) == ours
    assert_radicale_accepts(out)
    # Read back: the same event, unchanged.
    assert import_file(db, out).unchanged == [event_id]
    assert event_details(db, event_id)["timezone"] == "UTC"
