"""Every row of a database as stored, to check that an undo put back exactly what was there."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from cmplanner.storage import Database

# The search index is rebuilt by triggers; its shadow tables are not the user's data.
_NOT_DATA = ("contact_search", "sqlite_")


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, as stored (in a stable order)."""
    out = {}
    with db.read() as con:
        tables = [
            r[0]
            for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not r[0].startswith(_NOT_DATA)
        ]
        for table in tables:
            out[table] = sorted(
                (tuple(r) for r in con.execute(f'SELECT * FROM "{table}"')), key=repr
            )
    return out


def file_dump(path: Path) -> str:
    """The whole database file as SQL, read-only: schema, every row, the search index. Two
    dumps are equal when nothing was written."""
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()
