"""A recurrence rule whose UNTIL is in UTC ("…Z", as RFC 5545 wants it for a timed series and
as other programs write it) is accepted from the command line and the editor: it is stored
in the series' own local time, like every UNTIL CM Planner keeps, so the series stops at the
same instant — checked against recurring-ical-events on the exported file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from cmplanner.cli.main import main
from cmplanner.services.events import normalize_rrule
from tests.interop.radicale_server import assert_radicale_accepts


def test_normalize_turns_a_utc_until_into_the_series_local_time() -> None:
    start = dt.datetime(2027, 3, 4, 19)
    rule = "FREQ=WEEKLY;UNTIL=20270601T000000Z"
    assert normalize_rrule(rule, start, "Europe/Paris") == "FREQ=WEEKLY;UNTIL=20270601T020000"
    assert normalize_rrule(rule, start, "America/New_York") == ("FREQ=WEEKLY;UNTIL=20270531T200000")
    assert normalize_rrule(rule, start, "UTC") == "FREQ=WEEKLY;UNTIL=20270601T000000"
    # Local and date UNTILs, and rules without one, are kept as they are.
    assert normalize_rrule("FREQ=WEEKLY;UNTIL=20270601T235959", start, "Europe/Paris") == (
        "FREQ=WEEKLY;UNTIL=20270601T235959"
    )
    assert normalize_rrule("rrule:freq=weekly;byday=th", start, "Europe/Paris") == (
        "FREQ=WEEKLY;BYDAY=TH"
    )


@pytest.mark.parametrize(
    ("zone", "until", "last"),
    [
        # 3 June 2027, 19:00 in New York is 23:00 UTC: that Thursday is the last one.
        ("America/New_York", "20270603T230000Z", "2027-06-03T19:00:00-04:00"),
        # 1 June 00:00 UTC is 02:00 in Paris: the last Thursday is 27 May.
        ("Europe/Paris", "20270601T000000Z", "2027-05-27T19:00:00+02:00"),
    ],
)
def test_events_add_accepts_an_until_in_utc(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], zone: str, until: str, last: str
) -> None:
    book = ["--db", str(tmp_path / "until.cmplanner")]
    rule = f"FREQ=WEEKLY;BYDAY=TH;UNTIL={until}"
    argv = [*book, "events", "add", "--title", "Jeudis", "--tz", zone, "--rrule", rule]
    argv += ["--start", "2027-03-04T19:00", "--end", "2027-03-04T21:00", "--json"]
    assert main(argv) == 0
    event = json.loads(capsys.readouterr().out)
    assert "Z" not in event["rrule"]
    listing = [*book, "events", "list", "--from", "2027-03-01", "--to", "2027-07-01", "--json"]
    assert main(listing) == 0
    starts = [o["start"] for o in json.loads(capsys.readouterr().out)]
    assert starts[0] == "2027-03-04T19:00:00" + starts[0][19:] and starts[-1] == last
    # Another implementation stops the exported series at the same occurrence.
    out = tmp_path / "until.ics"
    assert main([*book, "events", "export", str(out)]) == 0
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    (rrule,) = [c["RRULE"] for c in calendar.walk("VEVENT")]
    assert rrule["UNTIL"][0].tzinfo is not None  # written in UTC, as RFC 5545 asks
    found = recurring_ical_events.of(calendar).between(dt.date(2027, 3, 1), dt.date(2027, 7, 1))
    theirs = sorted(e["DTSTART"].dt for e in found)
    assert len(theirs) == len(starts)
    assert theirs[-1] == dt.datetime.fromisoformat(last)
    assert_radicale_accepts(out)
