"""Calendar import (.ics): time zones, series and their exceptions, guests, venues, re-import
by UID, exact unescaping, and malformed files refused by line with nothing written."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from cmplanner.interop.ics.parse import IcsRefused, parse_bytes
from cmplanner.interop.ics.plan import parse_options, plan_import
from cmplanner.interop.ics.write import apply_import, import_file
from cmplanner.services.contact_data import ContactData, Labelled
from cmplanner.services.contacts import create_contact
from cmplanner.services.event_dates import occurrences_between
from cmplanner.storage import Database

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ics" / "import"


@pytest.fixture
def db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_database: Callable[[Path], Path]
) -> Database:
    monkeypatch.setattr("cmplanner.clock.local_zone_name", lambda: "Europe/Paris")
    database = Database.open(new_database(tmp_path / "cal.cmplanner"))
    yield database
    database.close()


def _import(db: Database, name: str) -> object:
    return import_file(db, FIXTURES / name)


def _events(db: Database) -> dict[str, dict[str, object]]:
    with db.read() as con:
        con.row_factory = None
        cols = [
            "id", "uid", "title", "kind", "status", "start_local", "end_local", "timezone",
            "all_day", "rrule", "description", "sequence", "venue_id", "start_utc",
        ]  # fmt: skip
        rows = con.execute(f"SELECT {', '.join(cols)} FROM event").fetchall()
    return {r[1]: dict(zip(cols, r, strict=True)) for r in rows}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_text_is_unescaped_exactly(db: Database) -> None:
    _import(db, "meetups.ics")
    event = _events(db)["series-apero@tests.example"]
    assert event["title"] == "Café, bar; apéro \\ tests"
    assert event["description"] == "Premier étage.\nApportez vos idées."


def test_series_with_exdate_moved_and_cancelled_occurrences(db: Database) -> None:
    report = _import(db, "meetups.ics")
    assert len(report.created) == 3  # type: ignore[attr-defined]
    event = _events(db)["series-apero@tests.example"]
    assert event["timezone"] == "Europe/Paris"
    # UNTIL in local time; the parts in the file's order.
    assert event["rrule"] == "FREQ=WEEKLY;BYDAY=TH;UNTIL=20260409T190000"
    assert (event["kind"], event["status"]) == ("apero", "confirmed")
    with db.read() as con:
        rows = con.execute(
            "SELECT recurrence_id, cancelled, start_local FROM occurrence_exception"
            " WHERE event_id = ? ORDER BY recurrence_id",
            (event["id"],),
        ).fetchall()
    assert rows == [
        ("2026-03-19 19:00:00.000000", 1, None),  # EXDATE
        ("2026-03-26 19:00:00.000000", 0, "2026-03-27 20:00:00.000000"),  # moved
        ("2026-04-02 19:00:00.000000", 1, None),  # STATUS:CANCELLED override
    ]
    found = occurrences_between(
        db, dt.datetime(2026, 3, 1, tzinfo=dt.UTC), dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    )
    series = [o for o in found if o.uid == "series-apero@tests.example"]
    starts = [o.start.replace(tzinfo=None) for o in series]
    assert starts == [
        dt.datetime(2026, 3, 5, 19),
        dt.datetime(2026, 3, 12, 19),
        dt.datetime(2026, 3, 27, 20),
        dt.datetime(2026, 4, 9, 19),
    ]


def test_a_series_crossing_daylight_saving_stays_at_19_local(db: Database) -> None:
    _import(db, "meetups.ics")
    found = occurrences_between(
        db, dt.datetime(2026, 3, 1, tzinfo=dt.UTC), dt.datetime(2026, 4, 15, tzinfo=dt.UTC)
    )
    normal = [o for o in found if o.uid == "series-apero@tests.example" and o.start.hour == 19]
    offsets = {o.start.utcoffset() for o in normal}
    assert {o.start.hour for o in normal} == {19}
    assert offsets == {dt.timedelta(hours=1), dt.timedelta(hours=2)}  # before and after DST


def test_all_day_dtend_is_exclusive_and_utc_goes_to_the_local_zone(db: Database) -> None:
    _import(db, "meetups.ics")
    events = _events(db)
    salon = events["salon@tests.example"]
    assert salon["all_day"] == 1
    assert (salon["start_local"], salon["end_local"]) == (
        "2026-09-12 00:00:00.000000",
        "2026-09-13 00:00:00.000000",  # DTEND 14 (exclusive): the last day is the 13th
    )
    assert salon["kind"] == "workshop"  # "Conférence" is no kind, "Workshop" is
    call = events["call@tests.example"]
    assert (call["timezone"], call["start_local"]) == ("Europe/Paris", "2026-06-10 10:00:00.000000")
    assert call["start_utc"] == "2026-06-10 08:00:00.000000"
    assert call["status"] == "planned"


def test_location_becomes_a_venue_reused_on_the_next_import(db: Database) -> None:
    report = _import(db, "meetups.ics")
    assert report.venues_created == ["Le Comptoir"]  # type: ignore[attr-defined]
    with db.read() as con:
        venue = con.execute(
            "SELECT name, street, postal_code, city, latitude, longitude FROM venue"
        ).fetchall()
    assert venue == [("Le Comptoir", "12 rue Oberkampf", "75011", "Paris", 48.8655, 2.377)]


def test_attendees_become_guests_matched_by_email(db: Database) -> None:
    create_contact(
        db,
        ContactData(
            given_name="Alice", family_name="Durand", emails=(Labelled("alice@tests.example"),)
        ),
    )
    report = _import(db, "meetups.ics")
    assert report.contacts_created == ["Bruno Nouveau <bruno@tests.example>"]  # type: ignore[attr-defined]
    event = _events(db)["series-apero@tests.example"]
    with db.read() as con:
        guests = con.execute(
            "SELECT c.given_name, c.family_name, i.rsvp, i.occurrence FROM invitation i"
            " JOIN contact c ON c.id = i.contact_id WHERE i.event_id = ? ORDER BY i.id",
            (event["id"],),
        ).fetchall()
        contacts = con.execute("SELECT count(*) FROM contact").fetchone()[0]
    assert guests == [
        ("Alice", "Durand", "accepted", None),
        ("Bruno", "Nouveau", "tentative", None),
        # her answer for the moved date, on her own row for that occurrence
        ("Alice", "Durand", "declined", "2026-03-26 19:00:00.000000"),
    ]
    assert contacts == 2  # the room (CUTYPE=ROOM) is no guest


def test_windows_tzid_is_mapped_to_iana(db: Database) -> None:
    report = _import(db, "windows_tz.ics")
    assert report.warnings == []  # type: ignore[attr-defined]
    event = next(iter(_events(db).values()))
    assert event["timezone"] == "Europe/Berlin"
    assert event["start_local"] == "2026-07-01 18:30:00.000000"
    assert event["start_utc"] == "2026-07-01 16:30:00.000000"


def test_custom_vtimezone_is_mapped_through_its_rules(db: Database) -> None:
    _import(db, "custom_tz.ics")
    event = next(iter(_events(db).values()))
    assert event["timezone"] == "America/New_York"
    assert event["start_utc"] == "2026-05-20 22:00:00.000000"


def test_unknown_tzid_is_a_warning_naming_the_event(db: Database) -> None:
    report = _import(db, "unknown_tz.ics")
    (where, warning), *_rest = report.warnings  # type: ignore[attr-defined]
    assert "Atelier martien" in where and "line 4" in where
    assert "Mars/Olympus Mons" in warning and "Europe/Paris" in warning
    event = next(iter(_events(db).values()))
    assert (event["timezone"], event["start_local"]) == (
        "Europe/Paris",
        "2026-05-20 18:00:00.000000",
    )


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [("malformed.ics", 13, "SUMMARY Il manque"), ("bad_date.ics", 8, "DTSTART")],
)
def test_malformed_file_refused_with_its_line_and_nothing_written(
    db: Database, name: str, line: int, words: str
) -> None:
    _import(db, "meetups.ics")
    db.checkpoint()
    before = _digest(db.path)
    with pytest.raises(IcsRefused) as refused:
        _import(db, name)
    assert f"line {line}" in str(refused.value) and words in str(refused.value)
    db.checkpoint()
    assert _digest(db.path) == before


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VCALENDAR\r\n", 4),
        ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n", 1),
        # (an unreadable X- line is ignored: tests/interop/ics/test_skip_invalid.py)
        ('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nCALSCALE;PARAM"=1:v\r\nEND:VCALENDAR\r\n', 3),
        # folded lines count as the physical line they start on
        ("BEGIN:VCALENDAR\r\nDESCRIPTION:long\r\n  folded\r\nBAD LINE\r\nEND:VCALENDAR\r\n", 4),
    ],
)
def test_line_check_names_the_physical_line(text: str, line: int) -> None:
    with pytest.raises(IcsRefused, match=f"line {line}:"):
        parse_bytes(text.encode(), zone="Europe/Paris")


def test_a_megabyte_value_icalendar_cannot_read_is_quoted_short() -> None:
    """icalendar's message quotes the value: a line of a million characters was repeated
    whole in the one line of the refusal."""
    data = (FIXTURES / "custom_tz.ics").read_bytes()
    data = data.replace(b"TZOFFSETFROM:", b"TZOFFSETFROM:" + b"x" * 1_000_000, 1)
    with pytest.raises(IcsRefused) as refused:
        parse_bytes(data, zone="Europe/Paris")
    message = str(refused.value)
    assert message.startswith("The calendar was not imported: line 8: Expected UTC offset")
    assert len(message) < 300 and len(message.splitlines()) == 1


def test_a_line_folded_a_million_times_is_read_at_once() -> None:
    """Each continuation was added to a copy of the line so far (the square of the line's
    length): 17 s for this calendar, and a reply or import of a long line folded every
    character outlived the property test's 30 s. Ten times the folds must cost about ten
    times the time, not a hundred (a ratio: the machine's speed and load cancel out)."""
    import time

    calendar = (FIXTURES / "meetups.ics").read_bytes()

    def seconds(folds: int) -> float:
        data = calendar.replace(
            b"END:VCALENDAR", b"X-LONG:a" + b"\r\n x" * folds + b"\r\nEND:VCALENDAR"
        )
        start = time.perf_counter()
        parsed = parse_bytes(data, zone="Europe/Paris")
        assert len(parsed.events) == 3
        return time.perf_counter() - start

    small = min(seconds(100_000) for _ in range(3))
    big = seconds(1_000_000)
    assert big < 40 * small, f"{big:.2f} s for 10× the folds of {small:.2f} s"


def test_empty_and_binary_files_are_refused() -> None:
    with pytest.raises(IcsRefused, match="empty"):
        parse_bytes(b"  \r\n", zone="UTC")
    with pytest.raises(IcsRefused, match="binary"):
        parse_bytes(b"\x00\x01BEGIN:VCALENDAR", zone="UTC")


def test_reimport_updates_by_uid_without_duplicates(db: Database) -> None:
    _import(db, "meetups.ics")
    again = _import(db, "meetups.ics")
    assert len(again.unchanged) == 3 and not again.created and not again.updated  # type: ignore[attr-defined]
    text = (FIXTURES / "meetups.ics").read_bytes().decode()
    changed = text.replace("SEQUENCE:1\r\nSUMMARY:Café", "SEQUENCE:2\r\nSUMMARY:Apéro renommé", 1)
    db_ = db
    parsed = parse_bytes(changed.encode(), zone="Europe/Paris", **parse_options(db_))
    report = apply_import(db_, plan_import(db_, parsed))
    assert len(report.updated) == 1 and not report.created
    events = _events(db)
    assert len(events) == 3
    assert events["series-apero@tests.example"]["title"] == "Apéro renommé, bar; apéro \\ tests"
    assert events["series-apero@tests.example"]["sequence"] == 2
    with db.read() as con:
        assert con.execute("SELECT count(*) FROM invitation").fetchone()[0] == 3
        assert con.execute("SELECT count(*) FROM venue").fetchone()[0] == 1


def test_an_older_sequence_does_not_overwrite_a_newer_local_copy(db: Database) -> None:
    _import(db, "meetups.ics")
    with db.transaction() as session:
        from sqlmodel import select

        from cmplanner.model import Event

        event = session.exec(select(Event).where(Event.uid == "series-apero@tests.example")).one()
        event.title = "Changé ici"
        event.sequence = 5
        session.add(event)
    text = (FIXTURES / "meetups.ics").read_bytes().decode().replace("Premier", "Second")
    parsed = parse_bytes(text.encode(), zone="Europe/Paris")
    plan = plan_import(db, parsed)
    report = apply_import(db, plan)
    assert len(report.kept) == 1
    assert any("SEQUENCE 5 here, 1 in the file" in w for _where, w in report.warnings)
    assert _events(db)["series-apero@tests.example"]["title"] == "Changé ici"


def test_reimport_restores_an_occurrence_the_file_no_longer_skips(db: Database) -> None:
    _import(db, "meetups.ics")
    text = (FIXTURES / "meetups.ics").read_bytes().decode()
    text = text.replace("EXDATE;TZID=Europe/Paris:20260319T190000\r\n", "")
    report = apply_import(db, plan_import(db, parse_bytes(text.encode(), zone="Europe/Paris")))
    assert len(report.updated) == 1
    with db.read() as con:
        skipped = con.execute(
            "SELECT recurrence_id FROM occurrence_exception WHERE cancelled = 1"
        ).fetchall()
    assert skipped == [("2026-04-02 19:00:00.000000",)]


def test_a_backup_is_made_before_writing(db: Database) -> None:
    report = _import(db, "meetups.ics")
    assert report.backup is not None and report.backup.exists()  # type: ignore[attr-defined]


def test_ten_thousand_events_import_quickly(db: Database, tmp_path: Path) -> None:
    import importlib.util
    import time

    spec = importlib.util.spec_from_file_location(
        "ics_import_bench", Path(__file__).resolve().parents[3] / "bench" / "ics_import.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    generate_calendar = bench.generate_calendar
    path = tmp_path / "big.ics"
    generate_calendar(path, 2000)
    started = time.perf_counter()
    report = import_file(db, path)
    elapsed = time.perf_counter() - started
    assert len(report.created) == 2000
    assert elapsed < 10  # about 0.5 s here; a per-row ORM path would take far longer


def _calendar(*event_lines: str) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//EN", "BEGIN:VEVENT"]
    lines += [*event_lines, "END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(lines) + "\r\n").encode()


def test_a_bad_value_is_named_by_its_own_line_and_unread_ones_do_not_block() -> None:
    good = ("UID:u1", "SUMMARY:Apéro", "DTSTART;TZID=Europe/Paris:20260305T190000")
    # The second EXDATE (line 10) is the broken one, not the first.
    with pytest.raises(IcsRefused, match="line 10: EXDATE"):
        parse_bytes(
            _calendar(*good, "RRULE:FREQ=DAILY;COUNT=5", "EXDATE:20260306T190000", "EXDATE:x"),
            zone="Europe/Paris",
        )
    # An empty EXDATE (as some producers write it) is no date at all.
    (event,) = parse_bytes(
        _calendar(*good, "RRULE:FREQ=DAILY;COUNT=5", "EXDATE:20260306T190000", "EXDATE:"),
        zone="Europe/Paris",
    ).events
    assert [o.recurrence_id.day for o in event.overrides] == [6]
    with pytest.raises(IcsRefused, match="line 8: DTEND"):
        parse_bytes(_calendar(*good, "DTEND;TZID=Europe/Paris:2026-03-05"), zone="Europe/Paris")
    # A property the import does not use is not read, so its value cannot refuse the file;
    # an alarm's own properties stay the alarm's.
    extra = (
        "DTSTAMP:not a date", "BEGIN:VALARM", "TRIGGER:-PT15M", "SUMMARY:Rappel", "END:VALARM",
        "DTEND;TZID=Europe/Paris:20260305T210000",
    )  # fmt: skip
    parsed = parse_bytes(_calendar(*good, *extra), zone="Europe/Paris")
    (event,) = parsed.events
    assert event.title == "Apéro" and event.end_local == dt.datetime(2026, 3, 5, 21)


def test_a_file_with_several_calendars_reads_each_with_its_own_zone() -> None:
    def one(uid: str, zone: str) -> str:
        return (
            f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nX-WR-TIMEZONE:{zone}\r\n"
            f"BEGIN:VEVENT\r\nUID:{uid}\r\nSUMMARY:{uid}\r\nDTSTART:20260305T180000Z\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n"
        )

    parsed = parse_bytes((one("a", "Asia/Tokyo") + one("b", "America/New_York")).encode())
    found = {e.uid: (e.timezone, e.start_local) for e in parsed.events}
    assert found == {
        "a": ("Asia/Tokyo", dt.datetime(2026, 3, 6, 3)),
        "b": ("America/New_York", dt.datetime(2026, 3, 5, 13)),
    }
