"""Migration 0010 (birthday, anniversary, name prefix and suffix, formatted name, department):
an 0009 database upgrades with its contacts intact, the new fields empty, and downgrades."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from cmplanner.storage import Database
from cmplanner.storage.database import inspect_file
from tests.storage.test_migration_0009 import GOLDEN_V1, _to

NEW = {
    "contact": {"name_prefix", "name_suffix", "formatted_name", "birthday", "anniversary"},
    "affiliation": {"department"},
}


def _columns(path: Path, table: str) -> set[str]:
    with sqlite3.connect(path) as con:
        return {r[1] for r in con.execute(f"PRAGMA table_info({table})")}


def test_0009_database_upgrades_to_0010_and_back(tmp_path: Path) -> None:
    path = tmp_path / "old.cmplanner"
    shutil.copyfile(GOLDEN_V1, path)
    _to(path, "0009")
    assert inspect_file(path).revision == "0009"
    for table, columns in NEW.items():
        assert not columns & _columns(path, table)

    with Database.open(path) as db:  # opening migrates 0009 → 0010
        assert db.revision() == "0010"
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

    _to(path, "0009", down=True)
    assert inspect_file(path).revision == "0009"
    for table, columns in NEW.items():
        assert not columns & _columns(path, table)
