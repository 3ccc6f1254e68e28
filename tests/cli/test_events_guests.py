"""`cmplanner events guest add`, `events attend` and what `events close` adds afterwards."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from cmplanner.cli.main import main
from cmplanner.model import Contact, Event
from cmplanner.storage import Database

PARIS = "Europe/Paris"


@pytest.fixture
def book(demo_path: Path, frozen_clock: dt.datetime, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr("cmplanner.clock.local_zone_name", lambda: PARIS)
    return ["--db", str(demo_path)]


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def newcomers(path: Path, *names: str) -> list[str]:
    """Contacts never seen anywhere yet."""
    with Database.open(path) as db, db.transaction() as session:
        rows = [Contact(given_name=name, family_name="Nouveau") for name in names]
        session.add_all(rows)
        session.flush()
        return [str(row.id) for row in rows]


def new_event(book: list[str], capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    created = run_json(capsys, *book, "events", "add", "--title", "Atelier vélo", *extra)
    return str(created["id"])


def test_guest_add_reports_the_waitlist(
    book: list[str], demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ident = new_event(book, capsys, "--start", "2026-11-25T18:00", "--end", "2026-11-25T20:00")
    with Database.open(demo_path) as db, db.transaction() as session:
        event = session.get(Event, int(ident))
        assert event is not None
        event.capacity = 2
        session.add(event)
    ana, bob, cleo = newcomers(demo_path, "Ana", "Bob", "Cléo")
    assert (
        main([*book, "events", "guest", "add", ident, ana, bob, cleo, "--role", "volunteer"]) == 0
    )
    out = capsys.readouterr().out
    assert "3 guests added" in out and "waitlist: Cléo Nouveau" in out
    guests = run_json(capsys, *book, "events", "show", ident)["guests"]
    assert {(g["name"], g["role"], g["waitlist_position"]) for g in guests} == {
        ("Ana Nouveau", "volunteer", None),
        ("Bob Nouveau", "volunteer", None),
        ("Cléo Nouveau", "volunteer", 1),
    }
    # Already on the list: nothing added. Unknown contact or role: an error.
    assert main([*book, "events", "guest", "add", ident, ana]) == 0
    assert "0 guests added" in capsys.readouterr().out
    assert main([*book, "events", "guest", "add", ident, "999999"]) == 2
    assert main([*book, "events", "guest", "add", ident, ana, "--role", "king"]) == 2


def test_attend_checks_in_and_updates_last_seen(
    book: list[str], demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Tonight, in progress (the frozen time is 18:30 in Paris).
    tonight = new_event(book, capsys, "--start", "2026-11-19T18:00", "--end", "2026-11-19T21:00")
    (dana,) = newcomers(demo_path, "Dana")
    assert main([*book, "events", "attend", tonight, dana]) == 2  # not invited
    assert "not on the guest list" in capsys.readouterr().err
    assert main([*book, "events", "guest", "add", tonight, dana]) == 0
    assert main([*book, "events", "attend", tonight, dana]) == 0
    assert "checked in" in capsys.readouterr().out
    guests = run_json(capsys, *book, "events", "show", tonight)["guests"]
    assert [g["attendance"] for g in guests] == ["present"]
    assert run_json(capsys, *book, "contacts", "show", dana)["last_seen"] == "2026-11-19"


def test_attend_one_occurrence_of_a_series_after_the_fact(
    book: list[str], demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    series = new_event(
        book, capsys, "--start", "2026-10-01T19:00", "--end", "2026-10-01T21:00",
        "--rrule", "FREQ=WEEKLY;BYDAY=TH",
    )  # fmt: skip
    (eli,) = newcomers(demo_path, "Éli")
    assert main([*book, "events", "guest", "add", series, eli]) == 0
    week = ["--occurrence", "2026-11-12"]
    assert main([*book, "events", "attend", series, eli, *week]) == 0
    capsys.readouterr()
    guests = run_json(capsys, *book, "events", "show", series)["guests"]
    own = [g for g in guests if g["occurrence"]]
    assert [(g["occurrence"], g["attendance"]) for g in own] == [
        ("2026-11-12T19:00:00+01:00", "present")
    ]
    assert run_json(capsys, *book, "contacts", "show", eli)["last_seen"] == "2026-11-12"
    assert main([*book, "events", "attend", series, eli, "--occurrence", "2026-11-11"]) == 2
    assert "no occurrence" in capsys.readouterr().err


def test_close_adds_the_follow_up_tasks(
    book: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    ident = new_event(book, capsys, "--start", "2026-11-18T18:00", "--end", "2026-11-18T20:00")
    assert main([*book, "events", "close", ident]) == 0
    out = capsys.readouterr().out
    assert f"Event {ident} is closed; 0 no-shows recorded." in out
    assert "5 follow-up tasks added" in out
    tasks = run_json(capsys, *book, "events", "show", ident)["tasks"]
    assert {t["title"]: t["due"] for t in tasks}["Remercier la salle"] == "2026-11-19"
    assert main([*book, "events", "close", ident]) == 0
    assert "follow-up" not in capsys.readouterr().out
