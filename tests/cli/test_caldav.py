"""`cmplanner events publish [--community C]` against a real Radicale server."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from cmplanner.cli.main import main
from cmplanner.model import EventCreate
from cmplanner.services import caldav_settings
from cmplanner.services.communities import CommunityData, create_community
from cmplanner.services.event_records import delete_event
from cmplanner.services.events import create_event
from cmplanner.storage import Database
from tests.interop import radicale_server, test_caldav_publish
from tests.interop.radicale_server import PASSWORD, USER, free_port
from tests.interop.test_caldav_publish import MemoryKeyring

radicale = radicale_server.radicale
caldav_calendar = radicale_server.caldav_calendar
memory_keyring = test_caldav_publish.memory_keyring


@pytest.fixture
def database(
    tmp_path: Path,
    caldav_calendar: str,
    memory_keyring: MemoryKeyring,
    new_database: Callable[[Path], Path],
) -> Path:
    """A database with two communities' events, set to publish to the test calendar."""
    path = new_database(tmp_path / "cli.cmplanner")
    with Database.open(path) as db:
        apero, _ = create_community(db, CommunityData(name="Apéros"))
        dojo, _ = create_community(db, CommunityData(name="Dojo"))
        for day, title, community in [(3, "Apéro", apero), (4, "Kata", dojo), (5, "Kata 2", dojo)]:
            start = dt.datetime(2026, 12, day, 19)
            create_event(
                db,
                EventCreate(
                    title=title,
                    start_local=start,
                    end_local=start + dt.timedelta(hours=2),
                    timezone="Europe/Paris",
                    community_id=community,
                ),
            )
        caldav_settings.save(db, caldav_calendar, USER)
    caldav_settings.set_password(USER, PASSWORD)
    return path


def counts(output: str) -> dict[str, int]:
    found = {}
    for line in output.splitlines():
        label, _, number = line.partition(":")
        if number.strip().isdigit():
            found[label.strip()] = int(number)
    return found


def test_publish_prints_what_it_did(
    database: Path, caldav_calendar: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(database), "events", "publish", "--community", "Dojo"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"Published to {caldav_calendar}"
    assert counts(out) == {"Created": 2, "Updated": 0, "Unchanged": 0, "Deleted": 0}

    assert main(["--db", str(database), "events", "publish"]) == 0
    assert counts(capsys.readouterr().out) == {
        "Created": 1,
        "Updated": 0,
        "Unchanged": 2,
        "Deleted": 0,
    }

    with Database.open(database) as db:
        delete_event(db, 2)
    assert main(["--db", str(database), "events", "publish", "--community", "Apéros"]) == 0
    assert counts(capsys.readouterr().out) == {
        "Created": 0,
        "Updated": 0,
        "Unchanged": 1,
        "Deleted": 1,
    }


def test_publish_in_french(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "fr", "--db", str(database), "events", "publish"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Publié sur ")
    assert counts(out) == {"Créés": 3, "Mis à jour": 0, "Inchangés": 0, "Supprimés": 0}


def test_publish_errors_exit_2_with_the_url(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    down = f"http://127.0.0.1:{free_port()}/cm/team/"
    with Database.open(database) as db:
        caldav_settings.save(db, down, USER)
    assert main(["--db", str(database), "events", "publish"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"cmplanner: Cannot reach the CalDAV server at {down}")

    assert main(["--db", str(database), "events", "publish", "--community", "Nope"]) == 2
    assert "Nope" in capsys.readouterr().err
