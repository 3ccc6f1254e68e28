"""Migration 0010 (a task can belong to one date of a series): a 0009 database upgrades with
its tasks kept (each for its whole event), and downgrades back."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from cmplanner.storage import Database
from cmplanner.storage.database import head_revision, inspect_file
from tests.storage.migrations import GOLDEN_V1, migrate_to


def _task_columns(path: Path) -> list[str]:
    with sqlite3.connect(path) as con:
        return [r[1] for r in con.execute("PRAGMA table_info(task)")]


def test_0009_database_upgrades_to_0010_and_back(tmp_path: Path) -> None:
    path = tmp_path / "old.cmplanner"
    shutil.copyfile(GOLDEN_V1, path)
    migrate_to(path, "0009")
    assert inspect_file(path).revision == "0009"
    assert "occurrence" not in _task_columns(path)
    with sqlite3.connect(path) as con:
        tasks = con.execute("SELECT id, title, due_offset_days FROM task ORDER BY id").fetchall()
    assert tasks

    migrate_to(path, "0010")
    with Database.open(path) as db:  # opening migrates on to the head
        assert db.revision() == head_revision()
        with db.read() as con:
            kept = con.execute(
                "SELECT id, title, due_offset_days, occurrence FROM task ORDER BY id"
            ).fetchall()
    assert [row[:3] for row in kept] == tasks
    assert all(row[3] is None for row in kept)  # each for its whole event

    migrate_to(path, "0009", down=True)
    assert "occurrence" not in _task_columns(path)
    assert inspect_file(path).revision == "0009"
