"""A message about one occurrence of a series already in the database (METHOD:CANCEL, or a
REQUEST carrying only a RECURRENCE-ID), as Outlook, Google or Thunderbird send it when one
date is called off or moved: it applies to that occurrence, and leaves the rest of the
series (its other skipped and moved dates) alone. A moved occurrence keeps its own title
(the override's SUMMARY) through import, listing and export."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from cmplanner.cli.main import main
from cmplanner.interop.ics.export import export_file
from cmplanner.interop.ics.write import import_file
from cmplanner.services.events import event_details, occurrences_between
from cmplanner.storage import Database
from tests.interop.radicale_server import assert_radicale_accepts

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ics" / "import"
UID = "series-apero@tests.example"
TITLE = "Café, bar; apéro \\ tests"
MARCH = (dt.datetime(2026, 3, 1, tzinfo=dt.UTC), dt.datetime(2026, 4, 30, tzinfo=dt.UTC))


@pytest.fixture
def db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_database: Callable[[Path], Path]
) -> Database:
    monkeypatch.setattr("cmplanner.clock.local_zone_name", lambda: "Europe/Paris")
    database = Database.open(new_database(tmp_path / "occurrences.cmplanner"))
    import_file(database, FIXTURES / "meetups.ics")  # 5 March to 9 April, Thursdays 19:00
    yield database
    database.close()


def _message(tmp_path: Path, method: str, body: str, name: str = "message.ics") -> Path:
    path = tmp_path / name
    path.write_text(
        "BEGIN:VCALENDAR\r\nPRODID:-//Tests//Outlook-like//EN\r\nVERSION:2.0\r\n"
        f"METHOD:{method}\r\nBEGIN:VEVENT\r\nUID:{UID}\r\nDTSTAMP:20260310T080000Z\r\n"
        f"{body}END:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    return path


def _dates(db: Database) -> list[tuple[str, str]]:
    return [
        (o.start.strftime("%m-%d %H:%M"), o.title)
        for o in occurrences_between(db, *MARCH)
        if o.uid == UID
    ]


BEFORE = [
    ("03-05 19:00", TITLE),
    ("03-12 19:00", TITLE),
    # 19 March: EXDATE; 26 March moved to Friday 27, 20:00; 2 April cancelled
    ("03-27 20:00", TITLE),
    ("04-09 19:00", TITLE),
]


def test_a_cancel_for_one_date_cancels_that_occurrence_only(db: Database, tmp_path: Path) -> None:
    assert _dates(db) == BEFORE
    cancel = _message(
        tmp_path,
        "CANCEL",
        "SEQUENCE:2\r\nRECURRENCE-ID;TZID=Europe/Paris:20260312T190000\r\n"
        "DTSTART;TZID=Europe/Paris:20260312T190000\r\nSTATUS:CANCELLED\r\n",
    )
    report = import_file(db, cancel)
    (event_id,) = report.updated
    assert not report.created and not report.warnings
    assert _dates(db) == [d for d in BEFORE if not d[0].startswith("03-12")]
    assert event_details(db, event_id)["sequence"] == 2
    # The same message again changes nothing.
    assert import_file(db, cancel).unchanged == [event_id]


def test_a_cancel_without_status_still_cancels(db: Database, tmp_path: Path) -> None:
    cancel = _message(
        tmp_path, "CANCEL", "SEQUENCE:2\r\nRECURRENCE-ID;TZID=Europe/Paris:20260409T190000\r\n"
    )
    import_file(db, cancel)
    assert _dates(db) == BEFORE[:-1]


def test_a_request_moving_one_date_with_its_own_title(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    moved = _message(
        tmp_path,
        "REQUEST",
        "SEQUENCE:3\r\nRECURRENCE-ID:20260312T180000Z\r\nSUMMARY:Apéro spécial\\nprintemps\r\n"
        "DTSTART;TZID=Europe/Paris:20260313T200000\r\n"
        "DTEND;TZID=Europe/Paris:20260313T230000\r\n",
    )
    report = import_file(db, moved)
    (event_id,) = report.updated
    assert _dates(db) == [
        BEFORE[0],
        ("03-13 20:00", "Apéro spécial printemps"),
        *BEFORE[2:],
    ]
    # Listed with its own title…
    book = ["--db", str(db.path)]
    listing = ["events", "list", "--from", "2026-03-01", "--to", "2026-03-31", "--json"]
    assert main([*book, *listing]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [o["title"] for o in listed if o["start"].startswith("2026-03-13")] == [
        "Apéro spécial printemps"
    ]
    exceptions = event_details(db, event_id)["exceptions"]
    assert {"title": "Apéro spécial printemps", "skipped": False} in [
        {k: e[k] for k in ("title", "skipped")} for e in exceptions
    ]
    # …exported as the override's SUMMARY, read the same by another implementation…
    out = tmp_path / "out.ics"
    export_file(db, out, event_ids=[event_id])
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    found = recurring_ical_events.of(calendar).between(*MARCH)
    assert sorted((e["DTSTART"].dt.strftime("%m-%d %H:%M"), str(e["SUMMARY"])) for e in found) == (
        _dates(db)
    )
    assert_radicale_accepts(out)
    # …and imported back unchanged.
    assert import_file(db, out).unchanged == [event_id]
    assert _dates(db)[1] == ("03-13 20:00", "Apéro spécial printemps")


@pytest.mark.parametrize(
    ("body", "said"),
    [
        # Older than the series here: kept as it is.
        ("SEQUENCE:0\r\nRECURRENCE-ID;TZID=Europe/Paris:20260312T190000\r\n",
         "SEQUENCE 1 here, 0 in the file"),
        # A Wednesday: the series has no occurrence then.
        ("SEQUENCE:2\r\nRECURRENCE-ID;TZID=Europe/Paris:20260311T190000\r\n",
         "has no occurrence on 2026-03-11 19:00"),
    ],
)  # fmt: skip
def test_an_older_message_or_a_date_the_series_lacks_changes_nothing(
    db: Database, tmp_path: Path, body: str, said: str
) -> None:
    report = import_file(db, _message(tmp_path, "CANCEL", body))
    assert not report.updated
    assert said in report.warnings[0][1]
    assert _dates(db) == BEFORE


def test_an_unknown_series_is_still_ignored_with_a_warning(db: Database, tmp_path: Path) -> None:
    other = _message(tmp_path, "CANCEL", "RECURRENCE-ID:20260312T180000Z\r\n").read_text()
    path = tmp_path / "other.ics"
    path.write_text(other.replace(UID, "nobody@tests.example"), encoding="utf-8")
    report = import_file(db, path)
    assert "which is not in the file" in report.warnings[0][1]
    assert _dates(db) == BEFORE


def test_an_override_in_the_same_file_keeps_its_own_title(db: Database, tmp_path: Path) -> None:
    text = (FIXTURES / "meetups.ics").read_text(encoding="utf-8")
    text = text.replace(
        "RECURRENCE-ID;TZID=Europe/Paris:20260326T190000\nSUMMARY:Café\\, bar\\; apéro \\\\ tests",
        "RECURRENCE-ID;TZID=Europe/Paris:20260326T190000\nSUMMARY:Apéro du vendredi",
    ).replace("SEQUENCE:1", "SEQUENCE:4")
    assert "Apéro du vendredi" in text
    path = tmp_path / "meetups-renamed.ics"
    path.write_text(text, encoding="utf-8")
    import_file(db, path)
    assert ("03-27 20:00", "Apéro du vendredi") in _dates(db)


def test_undoing_a_move_keeps_the_occurrences_own_title(db: Database, tmp_path: Path) -> None:
    from cmplanner.services import events, occurrences

    moved = _message(
        tmp_path,
        "REQUEST",
        "SEQUENCE:3\r\nRECURRENCE-ID;TZID=Europe/Paris:20260312T190000\r\n"
        "SUMMARY:Apéro spécial\r\nDTSTART;TZID=Europe/Paris:20260312T190000\r\n",
    )
    (event_id,) = import_file(db, moved).updated
    assert _dates(db)[1] == ("03-12 19:00", "Apéro spécial")  # same time, own title
    original = dt.datetime(2026, 3, 12, 19)
    before = occurrences.exception_snapshot(db, event_id, original)
    events.move_occurrence(
        db, event_id, original, original.replace(hour=20), original.replace(hour=22)
    )
    assert _dates(db)[1] == ("03-12 20:00", "Apéro spécial")
    occurrences.restore_exception(db, event_id, original, before)  # the editor's undo
    assert _dates(db)[1] == ("03-12 19:00", "Apéro spécial")


def test_a_cancel_for_the_whole_event_cancels_it_and_keeps_the_rest(
    db: Database, tmp_path: Path
) -> None:
    # Outlook's CANCEL carries little: no SUMMARY, no DTEND. The event keeps them.
    cancel = _message(tmp_path, "CANCEL", "SEQUENCE:2\r\nDTSTART:20260305T180000Z\r\n")
    (event_id,) = import_file(db, cancel).updated
    details = event_details(db, event_id)
    assert (details["title"], details["status"], details["sequence"]) == (TITLE, "cancelled", 2)
    assert (details["start"], details["end"]) == (
        "2026-03-05T19:00:00+01:00",
        "2026-03-05T21:00:00+01:00",
    )
    assert details["rrule"] and len(details["exceptions"]) == 3  # the series as it was
    assert import_file(db, cancel).unchanged == [event_id]
    # A cancellation for an event that is not here creates nothing.
    other = tmp_path / "other.ics"
    other.write_text(cancel.read_text().replace(UID, "nobody@tests.example"), encoding="utf-8")
    report = import_file(db, other)
    assert not report.created and "nobody@tests.example" in report.warnings[0][1]
