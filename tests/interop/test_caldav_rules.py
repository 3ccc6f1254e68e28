"""CalDAV publishing of a rule an old version stored that repeats more than once a day: the
event is not sent (colleagues' calendar programs would expand it without end), the others are,
and the report names it with the reason; against a real Radicale server."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from cmplanner.cli.main import main
from cmplanner.interop.caldav import publish
from cmplanner.model import EventCreate
from cmplanner.services import caldav_settings
from cmplanner.services.events import create_event
from cmplanner.storage import Database
from tests.interop import radicale_server, test_caldav_publish
from tests.interop.radicale_server import PASSWORD, USER
from tests.interop.test_caldav_publish import MemoryKeyring, account, server_objects, summary
from tests.time_limit import time_limit

radicale = radicale_server.radicale
caldav_calendar = radicale_server.caldav_calendar
memory_keyring = test_caldav_publish.memory_keyring

HELD_BACK = (
    "“Every second” is not published, its recurrence rule “FREQ=SECONDLY” is not valid:"
    " events repeat at most once a day, so FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY"
    " (not SECONDLY). Edit the event to correct it."
)


def _old_rules(path: Path) -> None:
    """A weekly series, and one an old version stored as every second."""
    with Database.open(path) as db:
        for title in ("Weekly", "Every second"):
            start = dt.datetime(2026, 12, 3, 19)
            data = EventCreate(
                title=title,
                start_local=start,
                end_local=start + dt.timedelta(hours=2),
                timezone="Europe/Paris",
                rrule="FREQ=WEEKLY",
            )
            create_event(db, data)
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE event SET rrule = 'FREQ=SECONDLY' WHERE title = 'Every second'")
    con.close()


def test_publish_holds_back_a_rule_every_second_and_says_so(
    tmp_path: Path, caldav_calendar: str
) -> None:
    path = tmp_path / "old.cmplanner"
    _old_rules(path)
    with Database.open(path) as db, time_limit(30):
        report = publish(db, account(caldav_calendar))
        assert (report.created, report.updated, report.deleted) == (1, 0, 0)
        assert report.held_back == (HELD_BACK,)
        assert [summary(c) for c in server_objects(caldav_calendar).values()] == ["Weekly"]
        again = publish(db, account(caldav_calendar))  # nothing deleted, nothing sent
        assert (again.created, again.unchanged, again.deleted) == (0, 1, 0)
        assert again.held_back == (HELD_BACK,)


def test_events_publish_says_on_stderr_which_event_it_held_back(
    tmp_path: Path,
    caldav_calendar: str,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "old.cmplanner"
    _old_rules(path)
    with Database.open(path) as db:
        caldav_settings.save(db, caldav_calendar, USER)
    caldav_settings.set_password(USER, PASSWORD)
    with time_limit(30):
        assert main(["--db", str(path), "events", "publish"]) == 0
    captured = capsys.readouterr()
    assert "Created: 1" in captured.out
    assert captured.err == HELD_BACK + "\n"
