"""Migration 0009 (work_entry for the dashboard): an 0008 database upgrades, keeps its data,
and downgrades back."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from alembic import command

from cmplanner.storage import Database
from cmplanner.storage.database import alembic_config, inspect_file, make_engine

GOLDEN_V1 = Path(__file__).parent.parent / "golden" / "schema-0001.cmplanner"


def _to(path: Path, revision: str, *, down: bool = False) -> None:
    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            step = command.downgrade if down else command.upgrade
            step(alembic_config(connection), revision)
    finally:
        engine.dispose()


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as con:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master")}


def test_0008_database_upgrades_to_0009_and_back(tmp_path: Path) -> None:
    path = tmp_path / "old.cmplanner"
    shutil.copyfile(GOLDEN_V1, path)
    _to(path, "0008")
    assert inspect_file(path).revision == "0008"
    assert "work_entry" not in _tables(path)
    with sqlite3.connect(path) as con:
        contacts = con.execute("SELECT count(*) FROM contact").fetchone()[0]
    assert contacts == 64

    with Database.open(path) as db:  # opening migrates 0008 → 0009 (and on)
        assert db.revision() >= "0009"
        with db.read() as con:
            assert con.execute("SELECT count(*) FROM contact").fetchone()[0] == 64
            assert con.execute("SELECT count(*) FROM work_entry").fetchone()[0] == 0
    names = _tables(path)
    assert {"work_entry", "ix_work_entry_day", "ix_work_entry_community_id"} <= names

    _to(path, "0008", down=True)
    assert "work_entry" not in _tables(path)
    assert inspect_file(path).revision == "0008"


def test_work_entry_community_is_set_null_when_the_community_goes(empty_db: Database) -> None:
    with empty_db.engine.begin() as con:
        con.exec_driver_sql(
            "INSERT INTO community (created_at, updated_at, id, uid, name, objective,"
            " target_population, description) VALUES ('2026-01-01', '2026-01-01', 1, 'u',"
            " 'C', '', '', '')"
        )
        con.exec_driver_sql(
            "INSERT INTO work_entry (created_at, updated_at, day, minutes, in_person,"
            " community_id, notes) VALUES ('2026-01-01', '2026-01-01', '2026-01-02', 30, 0, 1, '')"
        )
        con.exec_driver_sql("DELETE FROM community WHERE id = 1")
        row = con.exec_driver_sql("SELECT community_id, minutes FROM work_entry").fetchone()
    assert tuple(row) == (None, 30)
