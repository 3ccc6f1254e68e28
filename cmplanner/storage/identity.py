"""A database's own identity: a random id written in it (the setting `database.id`, drawn by
migration 0013 or when a copy becomes a database of its own). Backups are found by it, not by
the file's path, so they follow a database that is moved or renamed; a backup, being a copy of
the database, carries the id and says whose it is."""

from __future__ import annotations

import sqlite3
from pathlib import Path

KEY = "database.id"


def new_id() -> str:
    import uuid  # only when a copy needs one: not on the way to the first window

    return uuid.uuid4().hex


def read_id(path: Path) -> str | None:
    """The id written in the database at `path`; None for one older than ids, or unreadable.

    Read through SQLite only (read-only), so it is safe on a database this process has open.
    A database with no write-ahead log beside it was closed cleanly and is read as it is
    (`immutable`): a read-only connection would leave an empty -wal and -shm behind."""
    path = Path(path).resolve()
    uri = f"{path.as_uri()}?mode=ro"
    if not path.with_name(path.name + "-wal").exists():
        uri += "&immutable=1"
    try:
        con = sqlite3.connect(uri, uri=True)
        try:
            return id_in(con)
        finally:
            con.close()
    except sqlite3.Error:
        return None


def id_in(con: sqlite3.Connection) -> str | None:
    """The id as an open connection to the database sees it."""
    try:
        row = con.execute("SELECT value FROM setting WHERE key = ?", (KEY,)).fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row and row[0] else None


def write_id(con: sqlite3.Connection, value: str) -> None:
    """Give the database this id (the caller holds the writer lock), committed at once."""
    with con:
        con.execute(
            "INSERT INTO setting (key, value, created_at, updated_at)"
            " VALUES (?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
            " updated_at = excluded.updated_at",
            (KEY, value),
        )
