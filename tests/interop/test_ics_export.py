"""Calendar export (METHOD:PUBLISH): built with icalendar, checked by second implementations."""

from __future__ import annotations

import datetime as dt

import icalendar

from cmplanner.interop.ics_export import build_calendar, load_events, serialize, vevents
from cmplanner.storage import Database


def test_demo_database_exports_every_event_with_its_time_zone(demo_db: Database) -> None:
    events = load_events(demo_db)
    assert events
    data = serialize(build_calendar(events))
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["METHOD"] == "PUBLISH"
    uids = {str(c["UID"]) for c in calendar.walk("VEVENT")}
    assert uids == {e.uid for e in events}
    tzids = {tz["TZID"] for tz in calendar.walk("VTIMEZONE")}
    assert tzids == {e.tzid for e in events if not e.all_day}
    assert not list(calendar.walk("VEVENT")[0].get("ATTENDEE", []))
    assert all(len(vevents(e)) >= 1 for e in events)
    assert isinstance(events[0].created, dt.datetime)
