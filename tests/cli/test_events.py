"""`cmplanner events …`, as a person and a script use them (on a copy of the demo)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cmplanner.cli.main import main

PARIS = "Europe/Paris"
KEYS = {
    "id", "uid", "title", "kind", "status", "start", "end", "timezone", "all_day", "venue",
    "community", "counts",
}  # fmt: skip


@pytest.fixture
def book(demo_path: Path, frozen_clock: dt.datetime, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    # The computer's zone decides "today" and the default zone of a new event.
    monkeypatch.setattr("cmplanner.clock.local_zone_name", lambda: PARIS)
    return ["--db", str(demo_path)]


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def apero(found: list[dict[str, Any]]) -> list[str]:
    return [o["start"] for o in found if o["title"] == "Apéro du jeudi"]


def test_list_expands_the_weekly_series_in_local_time(
    book: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    found = run_json(capsys, *book, "events", "list", "--from", "2026-10-08", "--to", "2026-12-05")
    assert found and all(set(o) == KEYS for o in found)
    assert set(found[0]["counts"]) == {
        "invited", "accepted", "declined", "tentative", "waitlist", "attended"
    }  # fmt: skip
    assert apero(found) == [
        "2026-10-08T19:00:00+02:00",
        # 15 October was skipped in the demo
        "2026-10-22T19:00:00+02:00",
        "2026-10-29T19:00:00+01:00",  # after the October change: still 19:00
        "2026-11-05T19:00:00+01:00",
        "2026-11-12T19:00:00+01:00",
        "2026-11-19T19:00:00+01:00",
        "2026-11-26T19:00:00+01:00",
        "2026-12-04T19:00:00+01:00",  # moved from Thursday 3 to Friday 4
    ]
    starts = [dt.datetime.fromisoformat(o["start"]) for o in found]
    assert starts == sorted(starts)
    one = next(o for o in found if o["title"] == "Apéro du jeudi")
    assert one["timezone"] == PARIS and one["venue"] and one["community"]
    group = run_json(
        capsys, *book, "events", "list", "--from", "2026-10-01", "--to", "2026-12-31",
        "--community", one["community"],
    )  # fmt: skip
    assert group and {o["community"] for o in group} == {one["community"]}


def test_list_defaults_to_the_next_30_days_and_prints_for_people(
    book: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    found = run_json(capsys, *book, "events", "list")
    days = {dt.date.fromisoformat(o["start"][:10]) for o in found}
    assert found and min(days) >= dt.date(2026, 11, 19) and max(days) <= dt.date(2026, 12, 19)
    assert main([*book, "events", "list"]) == 0
    out = capsys.readouterr().out
    assert "Apéro du jeudi" in out and "2026-11-26 19:00" in out
    assert main([*book, "events", "list", "--from", "19/11/2026"]) == 2
    assert "not a date" in capsys.readouterr().err


def test_add_then_list_and_show(book: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    new = run_json(
        capsys, *book, "events", "add", "--title", "Jeux de société",
        "--start", "2027-03-18T19:00", "--end", "2027-03-18T22:00",
        "--rrule", "FREQ=MONTHLY;BYDAY=TH;BYSETPOS=-1",
        "--venue", "Le Dé à coudre", "--community", "Joueurs",
    )  # fmt: skip
    assert isinstance(new["id"], int) and new["timezone"] == PARIS
    assert new["start"] == "2027-03-18T19:00:00+01:00" and new["sequence"] == 0
    assert (new["venue"], new["community"]) == ("Le Dé à coudre", "Joueurs")
    found = run_json(
        capsys, *book, "events", "list", "--from", "2027-03-01", "--to", "2027-05-31",
        "--community", "Joueurs",
    )  # fmt: skip
    # The last Thursday of each month, at 19:00 local (summer time from 28 March).
    assert [o["start"] for o in found] == [
        "2027-03-25T19:00:00+01:00",
        "2027-04-29T19:00:00+02:00",
        "2027-05-27T19:00:00+02:00",
    ]
    # The same venue, named again (other case), is reused rather than duplicated.
    again = run_json(
        capsys, *book, "events", "add", "--title", "Tournoi", "--tz", "America/Montreal",
        "--start", "2027-01-09T10:00", "--end", "2027-01-09T18:00", "--venue", "le dé à coudre",
    )  # fmt: skip
    assert again["venue"] == "Le Dé à coudre" and again["start"].endswith("-05:00")
    # --start and --end are required: one line, exit code 2.
    assert main([*book, "events", "add", "--title", "Tournoi"]) == 2
    err = capsys.readouterr().err
    assert "--start" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--rrule", "FREQ=WEEKLY;BYDAY=JE"], "FREQ=WEEKLY;BYDAY=JE"),
        (["--tz", "Europe/Lyon"], "Unknown time zone"),
        (["--end", "2027-01-09T09:00"], "ends before it starts"),
        (["--end", "demain"], "not an ISO 8601"),
    ],
)
def test_add_refuses_bad_input_in_one_line(
    book: list[str], capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    argv = [*book, "events", "add", "--title", "Tournoi", "--start", "2027-01-09T10:00"]
    argv += ["--end", "2027-01-09T18:00", "--venue", "Nouveau lieu", *extra]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    # Nothing was created, not even the venue.
    found = run_json(capsys, *book, "events", "list", "--from", "2027-01-09", "--to", "2027-01-09")
    assert found == []


def test_show_has_guests_tasks_and_sequence(
    book: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    listed = run_json(capsys, *book, "events", "list", "--from", "2026-11-19", "--to", "2026-12-31")
    weekly = next(o for o in listed if o["title"] == "Apéro du jeudi")
    record = run_json(capsys, *book, "events", "show", str(weekly["id"]))
    assert record["sequence"] == 0 and record["rrule"] == "FREQ=WEEKLY;BYDAY=TH"
    assert record["guests"] and set(record["guests"][0]) >= {
        "contact_id", "name", "email", "role", "rsvp", "attendance",
    }  # fmt: skip
    shared = [g for g in record["guests"] if g["occurrence"] is None]
    assert len(shared) == 14 and {g["rsvp"] for g in shared} == {"accepted"}
    past = [g for g in record["guests"] if g["occurrence"]]
    assert {g["attendance"] for g in past} == {"present", "absent"}
    with_tasks = []
    for o in listed:
        shown = run_json(capsys, *book, "events", "show", str(o["id"]))
        if shown["tasks"]:
            with_tasks.append(shown)
    assert with_tasks
    task = with_tasks[0]["tasks"][0]
    assert set(task) == {"title", "due", "done", "assignee"}
    assert task["due"] is None or dt.date.fromisoformat(task["due"])
    assert main([*book, "events", "show", str(weekly["id"])]) == 0
    assert "Apéro du jeudi" in capsys.readouterr().out
    assert main([*book, "events", "show", "99999"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_skip_one_occurrence(book: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    window = ["events", "list", "--from", "2026-11-20", "--to", "2026-12-05"]
    weekly = next(o for o in run_json(capsys, *book, *window) if o["title"] == "Apéro du jeudi")
    ident = str(weekly["id"])
    assert main([*book, "events", "skip", ident, "--occurrence", "2026-11-26"]) == 0
    assert "skipped" in capsys.readouterr().out
    assert apero(run_json(capsys, *book, *window)) == ["2026-12-04T19:00:00+01:00"]
    assert run_json(capsys, *book, "events", "show", ident)["sequence"] == 1
    # A Wednesday: the series has no occurrence that day.
    assert main([*book, "events", "skip", ident, "--occurrence", "2026-12-09"]) == 2
    assert "no occurrence" in capsys.readouterr().err


def test_close_records_no_shows(book: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    listed = run_json(capsys, *book, "events", "list", "--from", "2026-11-19", "--to", "2026-12-31")
    single = next(o for o in listed if o["title"] != "Apéro du jeudi" and o["counts"]["accepted"])
    ident = str(single["id"])
    assert main([*book, "events", "close", ident]) == 0
    assert "closed" in capsys.readouterr().out
    record = run_json(capsys, *book, "events", "show", ident)
    assert record["status"] == "done" and record["sequence"] == 1
    # Those who said yes or maybe and were not checked in are the no-shows.
    expected = [g for g in record["guests"] if g["rsvp"] in ("accepted", "tentative")]
    assert expected and {g["attendance"] for g in expected} == {"absent"}
    others = [g for g in record["guests"] if g["rsvp"] not in ("accepted", "tentative")]
    assert {g["attendance"] for g in others} <= {None}
    weekly = next(o for o in listed if o["title"] == "Apéro du jeudi")
    assert main([*book, "events", "close", str(weekly["id"])]) == 2
    assert "series" in capsys.readouterr().err
    assert main([*book, "events", "close", str(weekly["id"]), "--occurrence", "2026-11-19"]) == 0
    capsys.readouterr()
    after = run_json(capsys, *book, "events", "list", "--from", "2026-11-19", "--to", "2026-11-19")
    assert [o["status"] for o in after if o["title"] == "Apéro du jeudi"] == ["done"]


def test_list_reads_without_sqlalchemy(demo_path: Path) -> None:
    """`events list` is a cold process each time: it reads through sqlite3, without the
    half second of SQLAlchemy/SQLModel imports (bench/events.py measures it against khal)."""
    code = (
        "import sys, io, contextlib\n"
        "from cmplanner.cli.main import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    assert main(['--db', {str(demo_path)!r}, 'events', 'list', '--from', '2026-10-01',"
        " '--to', '2026-12-31', '--json']) == 0\n"
        "assert out.getvalue().startswith('[')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'sqlmodel', 'alembic', 'pydantic'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
