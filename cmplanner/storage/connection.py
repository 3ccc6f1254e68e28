"""How CM Planner connects to a database file: its application id, the URI that reads it
without making files beside it, an engine whose connections run with our pragmas, and
Alembic's configuration. Opening (database.py), upgrading (upgrade.py) and backups
(backup.py) all use these.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cmplanner.storage.lock import is_live

if TYPE_CHECKING:
    from sqlalchemy import Engine

# "CMPL": written in the SQLite header (PRAGMA application_id) so `file` and we can tell.
APPLICATION_ID = 0x434D504C
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Any = None) -> Any:
    # imported on use, not at the top: keeps it off the start-up path
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def folder_is_writable(path: Path) -> bool:
    return os.access(path.parent, os.W_OK)


def read_only_uri(path: Path, *, inspecting: bool = False) -> str:
    """The URI to read `path` through, SQLite making nothing beside it that it can avoid.

    SQLite must see a -wal or -journal with content (changes not yet in the file), and a
    reader must see a writer's changes while it reads: read-only mode then, which makes the
    -wal and -shm a WAL database needs. Where no journal holds anything and either no one has
    the database open in WAL mode (no -shm) while `inspecting` reads for an instant or we could
    not write the file anyway (a read-only file: left beside it, read-only too, the -wal and
    -shm would later keep even a writable file read-only), or SQLite could not make the -shm
    anyway (a read-only folder), the file holds everything and is read as immutable: nothing
    is made beside it.
    """
    resolved = path.resolve()
    uri = f"{resolved.as_uri()}?mode=ro"
    if is_live(resolved) or any(file_size(beside(resolved, s)) for s in ("-wal", "-journal")):
        return uri
    if not folder_is_writable(resolved):
        return uri + "&immutable=1"
    if not beside(resolved, "-shm").exists() and (inspecting or not os.access(resolved, os.W_OK)):
        return uri + "&immutable=1"
    return uri


def _configure_connection(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def _configure_reader(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA busy_timeout=5000")


def make_engine(path: Path, read_only: bool = False) -> Engine:
    # imported on use, not at the top: keeps it off the start-up path
    from sqlalchemy import create_engine, event

    if read_only:
        engine = create_engine(
            f"sqlite:///{read_only_uri(path)}&uri=true",
            connect_args={"check_same_thread": False},
        )
        event.listen(engine, "connect", _configure_reader)
        return engine
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False},
    )
    event.listen(engine, "connect", _configure_connection)
    return engine
