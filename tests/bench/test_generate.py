"""The scale-data generator, run small: right counts, valid data, a database the app opens."""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from cmplanner.storage import Database
from cmplanner.storage.database import FileState, inspect_file

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "generate.py"
CONTACTS = 500


@functools.cache
def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "small.cmplanner"
    result = run("--contacts", str(CONTACTS), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "invitation" in result.stdout  # the counts are printed
    return out


def count(con: sqlite3.Connection, sql: str) -> int:
    return int(con.execute(sql).fetchone()[0])


def test_counts_match_the_requested_size(generated: Path) -> None:
    sizes = load_generator().Sizes.for_contacts(CONTACTS)
    con = sqlite3.connect(generated)
    try:
        assert count(con, "SELECT count(*) FROM contact") == sizes.contacts
        assert count(con, "SELECT count(*) FROM organization") == sizes.organizations
        assert count(con, "SELECT count(*) FROM community") == sizes.communities
        assert count(con, "SELECT count(*) FROM event") == sizes.events
        assert count(con, "SELECT count(*) FROM event WHERE rrule LIKE 'FREQ=WEEKLY;%'") == (
            sizes.series
        )
        assert count(con, "SELECT count(*) FROM invitation") == sizes.invitations
        assert count(con, "SELECT count(*) FROM task") == sizes.tasks
        assert count(con, "SELECT count(*) FROM commitment") == sizes.commitments
        assert count(con, "SELECT count(*) FROM interaction") == sizes.interactions
        # Every contact: one or two e-mails, a phone, an address with a city.
        per_contact = con.execute(
            "SELECT min(n), max(n) FROM (SELECT count(*) AS n FROM contact_email "
            "GROUP BY contact_id)"
        ).fetchone()
        assert per_contact == (1, 2)
        assert count(con, "SELECT count(DISTINCT contact_id) FROM contact_email") == CONTACTS
        assert count(con, "SELECT count(DISTINCT contact_id) FROM contact_phone") == CONTACTS
        assert (
            count(con, "SELECT count(DISTINCT contact_id) FROM contact_address WHERE city != ''")
            == CONTACTS
        )
        assert count(con, "SELECT count(*) FROM affiliation") > 0
        assert count(con, "SELECT count(*) FROM community_member") > 0
        # Past and future events, some at a venue; RSVPs and attendance recorded.
        anchor = load_generator().DEFAULT_ANCHOR.isoformat()
        assert count(con, f"SELECT count(*) FROM event WHERE start_utc < '{anchor}'") > 0
        assert count(con, f"SELECT count(*) FROM event WHERE start_utc > '{anchor}'") > 0
        assert count(con, "SELECT count(*) FROM event WHERE venue_id IS NOT NULL") > 0
        assert count(con, "SELECT count(DISTINCT rsvp) FROM invitation") == 4
        assert count(con, "SELECT count(*) FROM invitation WHERE attended = 1") > 0
    finally:
        con.close()


def test_rows_read_back_through_the_orm(generated: Path) -> None:
    """The raw inserts use the ORM's own text formats."""
    from sqlmodel import select

    from cmplanner.model import Event, Invitation

    with Database.open(generated, writer=False) as db, db.session() as session:
        event = session.exec(select(Event).where(Event.rrule != "")).first()
        assert event is not None
        assert event.start_utc.tzinfo is not None and event.start_local.tzinfo is None
        assert event.rrule.startswith("FREQ=WEEKLY;")
        attended = session.exec(select(Invitation).where(Invitation.attended == True)).first()  # noqa: E712
        assert attended is not None and isinstance(attended.checked_in_at, dt.datetime)


def test_database_opens_and_foreign_keys_hold(generated: Path, tmp_path: Path) -> None:
    assert inspect_file(generated).state is FileState.CURRENT
    with Database.open(generated) as db:
        assert db.pragma("integrity_check") == "ok"
        with db.engine.connect() as con:
            assert con.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            generated_triggers = con.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
            ).fetchall()
    # The load sets triggers aside: they must all be back, unchanged.
    with Database.open(tmp_path / "fresh.cmplanner") as fresh, fresh.engine.connect() as con:
        fresh_triggers = con.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        ).fetchall()
    assert generated_triggers == fresh_triggers


def test_same_seed_same_database(generated: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.cmplanner"
    result = run("--contacts", str(CONTACTS), "--out", str(again))
    assert result.returncode == 0, result.stderr
    assert again.read_bytes() == generated.read_bytes()


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "existing.cmplanner"
    out.write_bytes(b"precious")
    result = run("--contacts", "20", "--out", str(out))
    assert result.returncode == 1
    assert "--force" in result.stderr
    assert out.read_bytes() == b"precious"
    assert run("--contacts", "20", "--out", str(out), "--force").returncode == 0
    assert inspect_file(out).state is FileState.CURRENT
