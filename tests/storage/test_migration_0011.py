"""Migration 0011 (reply stamps and delegation on invitations, a moved occurrence's own title,
event titles on one line): a 0010 database upgrades, keeps its data, and downgrades back."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from cmplanner.storage import Database
from cmplanner.storage.database import inspect_file
from tests.storage.migrations import GOLDEN_V1, migrate_to


def _columns(path: Path, table: str) -> set[str]:
    with sqlite3.connect(path) as con:
        return {r[1] for r in con.execute(f"PRAGMA table_info({table})")}


def test_0010_database_upgrades_to_0011_and_back(tmp_path: Path) -> None:
    path = tmp_path / "old.cmplanner"
    shutil.copyfile(GOLDEN_V1, path)
    migrate_to(path, "0010")
    assert inspect_file(path).revision == "0010"
    with sqlite3.connect(path) as con:
        con.execute("UPDATE event SET title = 'Apéro\r\ndu\tjeudi\x0b ' WHERE id = 1")
        con.execute("UPDATE event SET title = 'Atelier\n« premiers pas »' WHERE id = 4")
        invitations = con.execute("SELECT count(*) FROM invitation").fetchone()[0]
    assert "reply_stamp" not in _columns(path, "invitation")

    migrate_to(path, "0011")
    assert {"reply_stamp", "reply_sequence", "delegated_to"} <= _columns(path, "invitation")
    assert "title" in _columns(path, "occurrence_exception")
    with Database.open(path) as db, db.read() as con:
        titles = dict(con.execute("SELECT id, title FROM event WHERE id IN (1, 2, 4)"))
        assert titles == {
            1: "Apéro du jeudi",
            2: "Test de la version 3.2",
            4: "Atelier « premiers pas »",
        }
        rows = con.execute(
            "SELECT count(*), count(reply_stamp), sum(delegated_to = '') FROM invitation"
        ).fetchone()
        assert tuple(rows) == (invitations, 0, invitations)
        assert con.execute(
            "SELECT count(*) FROM occurrence_exception WHERE title != ''"
        ).fetchone() == (0,)

    migrate_to(path, "0010", down=True)
    assert "reply_stamp" not in _columns(path, "invitation")
    assert "title" not in _columns(path, "occurrence_exception")
    assert inspect_file(path).revision == "0010"
