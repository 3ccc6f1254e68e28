"""What common producers write, read without a fuss: text after END:VCALENDAR, spaces in a
rule's lists ("BYDAY=MO, TU"), a broken VFREEBUSY or VTODO beside good events (components
CM Planner does not import never refuse a file), an unreadable extension line. And
`events import --skip-invalid`: the valid events of a calendar are imported, the others
listed with their line and reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmplanner.cli.main import main
from cmplanner.interop.ics.parse import IcsRefused, parse_bytes
from cmplanner.interop.ics.write import import_file
from cmplanner.services.events import event_details
from cmplanner.storage import Database

HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tests//Producers//EN\r\n"


def _event(uid: str, title: str, start: str = "20270510T170000Z", extra: str = "") -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20270101T000000Z\r\nSUMMARY:{title}\r\n"
        f"DTSTART:{start}\r\nDURATION:PT1H\r\n{extra}END:VEVENT\r\n"
    )


def _parse(text: str, **options: bool) -> list[str]:
    parsed = parse_bytes(text.encode(), zone="Europe/Paris", **options)  # type: ignore[arg-type]
    return [e.title for e in parsed.events]


def test_text_after_end_vcalendar_is_ignored_with_a_warning() -> None:
    text = HEAD + _event("a", "Atelier") + "END:VCALENDAR\r\n"
    text += "X-COMMENT:Cached from 2022-02-20 14:28:21 - new at most every 1800sec.\r\n"
    text += "-- \r\nSent from my phone\r\n"
    parsed = parse_bytes(text.encode(), zone="Europe/Paris")
    assert [e.title for e in parsed.events] == ["Atelier"]
    assert parsed.warnings == [("line 12", "text after END:VCALENDAR is ignored (3 lines)")]


def test_spaces_in_a_rules_lists_are_read() -> None:
    rule = "RRULE:FREQ=DAILY;UNTIL=20270722T080000Z;INTERVAL=1;BYDAY=MO, TU, WE, TH, FR"
    rule += "\r\n ;WKST=SU\r\n"  # folded, as Exchange writes it
    parsed = parse_bytes((HEAD + _event("d", "Daily", extra=rule) + "END:VCALENDAR\r\n").encode())
    assert parsed.events[0].rrule.startswith("FREQ=DAILY;UNTIL=")
    assert "BYDAY=MO,TU,WE,TH,FR" in parsed.events[0].rrule


def test_components_we_do_not_import_never_refuse_the_file() -> None:
    text = (
        HEAD + _event("a", "Premier") + "BEGIN:VFREEBUSY\r\nUID:fb\r\nDTSTART:2027XX01T000000Z\r\n"
        "FREEBUSY:garbage/more\r\nORGANIZER;CN=Sixt SE\r\nEND:VFREEBUSY\r\n"
        "BEGIN:VTODO\r\nUID:todo\r\nDUE:tomorrow\r\nEND:VTODO\r\n"
        "BEGIN:X-VENDOR-THING\r\nno colon here\r\nEND:X-VENDOR-THING\r\n"
        + _event("b", "Second", extra="BEGIN:VALARM\r\nTRIGGER:soon\r\nEND:VALARM\r\n")
        + "END:VCALENDAR\r\n"
    )
    assert _parse(text) == ["Premier", "Second"]


def test_an_unreadable_extension_line_is_ignored_with_a_warning() -> None:
    text = HEAD + _event("a", "Apple", extra="X-APPLE-RADIUS=49.91307046514149\r\n")
    parsed = parse_bytes((text + "END:VCALENDAR\r\n").encode())
    assert [e.title for e in parsed.events] == ["Apple"]
    assert parsed.warnings[0][0] == "line 10"
    assert "X-APPLE-RADIUS=49.91307046514149" in parsed.warnings[0][1]


MIXED = (
    HEAD
    + _event("ok1", "Bien formé")  # line 4
    + _event("bad-date", "Date cassée", start="INVALID-DATE")  # line 11, DTSTART line 15
    + "BEGIN:VEVENT\r\nUID:no-colon\r\nSUMMARY:Sans deux-points\r\n"  # line 18
    "LOCATION Salle 2\r\nDTSTART:20270521T180000Z\r\nEND:VEVENT\r\n"  # line 21
    + _event("ok2", "Aussi bien formé")  # line 24
    + "END:VCALENDAR\r\n"
)


def test_without_skip_invalid_a_bad_event_refuses_the_file() -> None:
    with pytest.raises(IcsRefused, match="line 21: “LOCATION Salle 2” has no “:”"):
        parse_bytes(MIXED.encode())
    with pytest.raises(IcsRefused, match="line 15: DTSTART"):
        parse_bytes(MIXED.replace("LOCATION ", "LOCATION:").encode())


def test_skip_invalid_keeps_the_good_events_and_lists_the_others() -> None:
    parsed = parse_bytes(MIXED.encode(), skip_invalid=True)
    assert [e.title for e in parsed.events] == ["Bien formé", "Aussi bien formé"]
    assert [(s.line, s.where) for s in parsed.skipped] == [
        (15, "“Date cassée” (line 11)"),
        (21, "“Sans deux-points” (line 18)"),
    ]
    assert "DTSTART" in parsed.skipped[0].reason
    assert "has no “:”" in parsed.skipped[1].reason


def test_events_import_skip_invalid_exits_0_and_lists_what_was_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixed.ics"
    path.write_text(MIXED, encoding="utf-8")
    book = ["--db", str(tmp_path / "c.cmplanner")]
    assert main([*book, "events", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "line 21:" in err and "--skip-invalid" in err
    assert main([*book, "events", "import", "--skip-invalid", str(path)]) == 0
    captured = capsys.readouterr()
    assert "Imported 2 events" in captured.out and "2 skipped" in captured.out
    assert "line 15: DTSTART" in captured.err
    assert "“Sans deux-points” (line 18): line 21:" in captured.err
    with Database.open(book[1]) as db, db.read() as con:
        titles = sorted(r[0] for r in con.execute("SELECT title FROM event"))
    assert titles == ["Aussi bien formé", "Bien formé"]


def test_events_import_skip_invalid_with_nothing_valid_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.ics"
    path.write_text(
        HEAD + _event("bad", "Cassé", start="INVALID") + "END:VCALENDAR\r\n", encoding="utf-8"
    )
    book = ["--db", str(tmp_path / "c.cmplanner")]
    assert main([*book, "events", "import", "--skip-invalid", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Nothing was imported" in err and "line 8: DTSTART" in err


def test_a_broken_time_zone_is_skipped_and_its_events_read_in_the_calendars_zone(
    tmp_path: Path,
) -> None:
    text = (
        HEAD + "BEGIN:VTIMEZONE\r\nTZID:Broken Zone\r\nBEGIN:STANDARD\r\n"
        "DTSTART:16010101T030000\r\nTZOFFSETFROM:+5744\r\nTZOFFSETTO:+0100\r\n"
        "END:STANDARD\r\nEND:VTIMEZONE\r\n"
        + _event("z", "Zoné", start="20270510T190000", extra="").replace(
            "DTSTART:", "DTSTART;TZID=Broken Zone:"
        )
        + "END:VCALENDAR\r\n"
    )
    with pytest.raises(IcsRefused):
        parse_bytes(text.encode(), zone="Europe/Paris")
    parsed = parse_bytes(text.encode(), zone="Europe/Paris", skip_invalid=True)
    assert [e.timezone for e in parsed.events] == ["Europe/Paris"]
    assert parsed.skipped[0].where == "VTIMEZONE (line 4)"
    path = tmp_path / "tz.ics"
    path.write_text(text, encoding="utf-8")
    with Database.open(tmp_path / "c.cmplanner") as db:
        report = import_file(db, path, skip_invalid=True)
        assert report.skipped and len(report.created) == 1
        assert json.dumps(event_details(db, report.created[0]))  # readable
