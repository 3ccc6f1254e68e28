"""Backups: made with the backup API, listed, thinned, restored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlmodel import select

from cmplanner import clock
from cmplanner.errors import NotACMPlannerDatabase
from cmplanner.model import Contact
from cmplanner.services.browse import CONTACTS
from cmplanner.storage import Database
from cmplanner.storage.backup import (
    BackupInfo,
    backup_is_due,
    backups_to_keep,
    create_backup,
    list_backups,
)
from cmplanner.storage.database import restore_into


def test_backup_and_restore_round_trip(demo_db: Database) -> None:
    before = len(CONTACTS.ids(demo_db))
    backup = create_backup(demo_db.path)
    with demo_db.transaction() as session:
        for contact in session.exec(select(Contact).limit(10)):
            session.delete(contact)
    assert len(CONTACTS.ids(demo_db)) == before - 10

    safety = restore_into(demo_db, backup)

    assert len(CONTACTS.ids(demo_db)) == before
    # What was replaced is itself kept as a backup.
    with Database.open(safety, writer=False) as old:
        assert len(CONTACTS.ids(old)) == before - 10
    assert {b.reason for b in list_backups(demo_db.path)} == {"manual", "before-restore"}


def test_backup_of_a_live_database_includes_uncheckpointed_writes(empty_db: Database) -> None:
    with empty_db.transaction() as session:
        session.add(Contact(given_name="Zoé", family_name="Nguyen"))
    backup = create_backup(empty_db.path)
    with Database.open(backup, writer=False) as copy:
        assert len(CONTACTS.ids(copy, text="zoe")) == 1


def test_restoring_garbage_changes_nothing(demo_db: Database, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.cmpbak"
    garbage.write_text("not a database")
    before = len(CONTACTS.ids(demo_db))
    with pytest.raises(NotACMPlannerDatabase):
        restore_into(demo_db, garbage)
    assert len(CONTACTS.ids(demo_db)) == before
    assert list_backups(demo_db.path) == []


def _fake(created: dt.datetime) -> BackupInfo:
    return BackupInfo(Path(created.isoformat()), created, "scheduled", 1)


def test_thinning_keeps_recent_daily_weekly_monthly() -> None:
    now = dt.datetime(2026, 11, 21, 12, tzinfo=dt.UTC)
    # One backup every 6 hours for a year, newest first.
    backups = [_fake(now - dt.timedelta(hours=6 * i)) for i in range(4 * 365)]
    keep = backups_to_keep(backups, now)
    kept = sorted((b.created for b in backups if b.path in keep), reverse=True)
    assert kept[0] == now  # the newest survives
    assert len(kept) < 40  # thinned from 1,460
    # Every one of the last 24 hours is kept.
    assert all(now - b.created > dt.timedelta(days=1) or b.path in keep for b in backups)
    # Something from about 10 months ago survives (monthly), but not every day of it.
    assert any(dt.timedelta(days=290) < now - k < dt.timedelta(days=320) for k in kept)
    old_days = {k.date() for k in kept if now - k > dt.timedelta(days=60)}
    assert len(old_days) <= 12


def test_thinning_runs_after_each_backup(demo_db: Database, frozen_clock: dt.datetime) -> None:
    for days in range(40):
        clock.freeze(frozen_clock + dt.timedelta(days=days))
        create_backup(demo_db.path, reason="scheduled")
    assert len(list_backups(demo_db.path)) <= 7 + 8  # daily + weekly at most


def test_backup_is_due(demo_db: Database, frozen_clock: dt.datetime) -> None:
    assert backup_is_due(demo_db.path, dt.timedelta(minutes=30))
    create_backup(demo_db.path, reason="scheduled")
    assert not backup_is_due(demo_db.path, dt.timedelta(minutes=30))
    clock.freeze(frozen_clock + dt.timedelta(minutes=31))
    assert backup_is_due(demo_db.path, dt.timedelta(minutes=30))
