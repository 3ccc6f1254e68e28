"""An .ics event that ends before it starts is refused as `events add` and the editor refuse
it (it was given end = start without a word), naming its DTEND line; `--skip-invalid`
skips it and imports the rest. So is a date out of the calendar's range (it was a
traceback once shifted by a time zone)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmplanner.cli.main import main
from cmplanner.interop.ics.parse import IcsRefused, parse_bytes
from cmplanner.storage import Database
from tests.rows import file_dump

HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tests//Ends//EN\r\n"


def _event(uid: str, title: str, when: str) -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20270101T000000Z\r\nSUMMARY:{title}\r\n"
        f"{when}END:VEVENT\r\n"
    )


GOOD = _event("good", "Atelier", "DTSTART:20270510T170000Z\r\nDTEND:20270510T190000Z\r\n")
# Lines 11 to 17: its DTSTART is line 15, its DTEND line 16.
BACKWARDS = _event("bad", "Apéro", "DTSTART:20270512T190000Z\r\nDTEND:20270512T170000Z\r\n")


def _calendar(*events: str, head: str = HEAD) -> bytes:
    return (head + "".join(events) + "END:VCALENDAR\r\n").encode()


@pytest.mark.parametrize(
    ("when", "line", "reason"),
    [
        (
            "DTSTART:20270512T190000Z\r\nDTEND:20270512T170000Z\r\n",
            16,
            "“Apéro” ends (2027-05-12 19:00) before it starts (2027-05-12 21:00)",
        ),
        (
            "DTSTART;TZID=Europe/Paris:20270512T190000\r\nDURATION:-PT2H\r\n",
            16,
            "“Apéro” ends (2027-05-12 17:00) before it starts (2027-05-12 19:00)",
        ),
        (
            "DTSTART;VALUE=DATE:20270512\r\nDTEND;VALUE=DATE:20270510\r\n",
            16,
            "“Apéro” ends (2027-05-10 00:00) before it starts (2027-05-12 00:00)",
        ),
        (
            "DTSTART;VALUE=DATE:00010101\r\n",
            15,
            "0001-01-01 is out of the calendar's range (1000-01-01 to 9997-12-31)",
        ),
    ],
)
def test_an_event_that_ends_before_it_starts_is_refused(when: str, line: int, reason: str) -> None:
    data = _calendar(GOOD, _event("bad", "Apéro", when))
    with pytest.raises(IcsRefused) as refused:
        parse_bytes(data, zone="Europe/Paris")
    assert (refused.value.line, refused.value.reason) == (line, reason)
    assert str(refused.value) == f"The calendar was not imported: line {line}: {reason}."
    parsed = parse_bytes(data, zone="Europe/Paris", skip_invalid=True)
    assert [e.title for e in parsed.events] == ["Atelier"]
    assert [(s.line, s.reason) for s in parsed.skipped] == [(line, reason)]


def test_a_time_zone_that_would_leave_the_calendar() -> None:
    """The last evening Python holds, in UTC, read into the calendar's Tokyo time."""
    head = HEAD + "X-WR-TIMEZONE:Asia/Tokyo\r\n"
    data = _calendar(_event("z", "Fin", "DTSTART:99991231T230000Z\r\n"), head=head)
    with pytest.raises(IcsRefused, match="out of the calendar's range"):
        parse_bytes(data, zone="Europe/Paris")


def test_equal_start_and_end_are_kept() -> None:
    """A moment (DTEND = DTSTART), or an all-day event whose exclusive end is its start (some
    producers write it for one day): accepted, as before."""
    moment = _event("m", "Annonce", "DTSTART:20270512T190000Z\r\nDTEND:20270512T190000Z\r\n")
    day = _event("d", "Journée", "DTSTART;VALUE=DATE:20270512\r\nDTEND;VALUE=DATE:20270512\r\n")
    parsed = parse_bytes(_calendar(moment, day), zone="Europe/Paris")
    found = {e.title: (e.start_local, e.end_local) for e in parsed.events}
    assert found["Annonce"][0] == found["Annonce"][1]
    assert found["Journée"][0] == found["Journée"][1]


def test_a_moved_occurrence_that_ends_before_it_starts() -> None:
    series = _event(
        "s",
        "Jeudi",
        "DTSTART;TZID=Europe/Paris:20270506T190000\r\nDTEND;TZID=Europe/Paris:20270506T210000"
        "\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\n",
    )
    moved = _event(
        "s",
        "Jeudi",
        "RECURRENCE-ID;TZID=Europe/Paris:20270513T190000\r\n"
        "DTSTART;TZID=Europe/Paris:20270513T200000\r\nDTEND;TZID=Europe/Paris:20270513T180000\r\n",
    )
    data = _calendar(series, moved)
    with pytest.raises(IcsRefused, match=r"“Jeudi” ends .* before it starts"):
        parse_bytes(data, zone="Europe/Paris")
    parsed = parse_bytes(data, zone="Europe/Paris", skip_invalid=True)
    assert [e.title for e in parsed.events] == ["Jeudi"] and not parsed.events[0].overrides
    assert len(parsed.skipped) == 1


def test_events_import_refuses_it_and_skips_it_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cmplanner.clock.local_zone_name", lambda: "Europe/Paris")
    db = tmp_path / "agenda.cmplanner"
    Database.open(db).close()
    before = file_dump(db)
    source = tmp_path / "agenda.ics"
    source.write_bytes(_calendar(GOOD, BACKWARDS))
    assert main(["--db", str(db), "events", "import", str(source)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "cmplanner: The calendar was not imported: line 16: “Apéro” ends (2027-05-12 19:00)"
        " before it starts (2027-05-12 21:00)."
    )
    assert file_dump(db) == before
    assert main(["--db", str(db), "events", "import", str(source), "--skip-invalid"]) == 0
    _out, err = capsys.readouterr()
    assert "“Apéro” (line 11): line 16: “Apéro” ends" in err
    assert main(["--db", str(db), "events", "list", "--from", "2027-05-01", "--json"]) == 0
    assert '"Atelier"' in capsys.readouterr().out
