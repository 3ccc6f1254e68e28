"""Event titles are one line: a newline, CR, tab or other control character typed, pasted or
imported becomes a space — the same title whichever way it came in (services, CLI, .ics)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from cmplanner.cli.main import main
from cmplanner.interop.ics.write import import_file
from cmplanner.model import EventCreate
from cmplanner.services.events import create_event, event_details, one_line, update_event
from cmplanner.storage import Database

MESSY = "Apéro\r\ndu\tjeudi\x07 \n(Lyon)\u2028 "
CLEAN = "Apéro du jeudi (Lyon)"


def _data(title: str) -> EventCreate:
    return EventCreate(
        title=title,
        start_local=dt.datetime(2027, 1, 7, 19),
        end_local=dt.datetime(2027, 1, 7, 21),
        timezone="Europe/Paris",
    )


def test_one_line_turns_every_break_and_control_character_into_one_space() -> None:
    assert one_line(MESSY) == CLEAN
    assert one_line("a\x00b\x1bc\x7fd\x85e") == "a b c d e"
    assert one_line("  L’été « à Lyon »  ") == "L’été « à Lyon »"


def test_created_and_updated_titles_are_one_line(empty_db: Database) -> None:
    read, _changes = create_event(empty_db, _data(MESSY))
    assert read.title == CLEAN
    update_event(empty_db, read.id, _data("Second\nversion"))
    assert event_details(empty_db, read.id)["title"] == "Second version"


def test_a_title_of_only_line_breaks_is_no_title(empty_db: Database) -> None:
    from cmplanner.errors import ValidationError

    with pytest.raises(ValidationError, match="needs a title"):
        create_event(empty_db, _data("\n\t\r"))


def test_the_cli_and_an_ics_import_give_the_same_title(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "titles.cmplanner"
    argv = ["--db", str(db_path), "events", "add", "--title", MESSY, "--tz", "Europe/Paris"]
    argv += ["--start", "2027-01-07T19:00", "--end", "2027-01-07T21:00", "--json"]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["title"] == CLEAN

    ics = tmp_path / "messy.ics"
    summary = MESSY.replace("\r\n", "\\n").replace("\n", "\\n")
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tests//Titles//EN\r\n"
        "BEGIN:VEVENT\r\nUID:messy@tests.example\r\nDTSTAMP:20261201T120000Z\r\n"
        f"SUMMARY:{summary}\r\n"
        "DTSTART;TZID=Europe/Paris:20270114T190000\r\n"
        "DTEND;TZID=Europe/Paris:20270114T210000\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    with Database.open(db_path) as db:
        report = import_file(db, ics)
        (imported,) = report.created
        assert event_details(db, imported)["title"] == CLEAN
