"""Migration 0012 (birthday, anniversary, name prefix and suffix, formatted name, department):
an 0011 database upgrades with its contacts intact, the new fields empty, and downgrades."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from cmplanner.storage import Database
from cmplanner.storage.database import head_revision, inspect_file
from tests.storage.migrations import GOLDEN_V1, migrate_to

NEW = {
    "contact": {"name_prefix", "name_suffix", "formatted_name", "birthday", "anniversary"},
    "affiliation": {"department"},
}


def _columns(path: Path, table: str) -> set[str]:
    with sqlite3.connect(path) as con:
        return {r[1] for r in con.execute(f"PRAGMA table_info({table})")}


def test_0011_database_upgrades_to_0012_and_back(tmp_path: Path) -> None:
    path = tmp_path / "old.cmplanner"
    shutil.copyfile(GOLDEN_V1, path)
    migrate_to(path, "0011")
    assert inspect_file(path).revision == "0011"
    for table, columns in NEW.items():
        assert not columns & _columns(path, table)

    with Database.open(path) as db:  # opening migrates 0011 → 0012 (and on, to the head)
        assert db.revision() == head_revision()
        with db.read() as con:
            assert con.execute("SELECT count(*) FROM contact").fetchone()[0] == 64
            assert con.execute(
                "SELECT DISTINCT name_prefix || name_suffix || formatted_name || birthday"
                " || anniversary FROM contact"
            ).fetchall() == [("",)]
            assert con.execute("SELECT DISTINCT department FROM affiliation").fetchall() in (
                [],
                [("",)],
            )
    for table, columns in NEW.items():
        assert columns <= _columns(path, table)

    migrate_to(path, "0011", down=True)
    assert inspect_file(path).revision == "0011"
    for table, columns in NEW.items():
        assert not columns & _columns(path, table)
