"""Schema upgrades in one transaction, and the repair of an upgrade left half-applied.

Python's sqlite3 driver, in its default (legacy) mode, opens a transaction only before an
INSERT, UPDATE, DELETE or REPLACE: a CREATE, DROP or ALTER that comes first runs and commits
on its own, whatever SQLAlchemy's `begin()` says. Versions of CM Planner up to schema 0012
upgraded that way, so a kill or a full disk early in an upgrade left the first tables,
columns or triggers of the next revision behind while the file still said it was at the old
one; every later upgrade then failed on them ("table contact_search already exists").

Here the driver is taken out of that mode and the upgrade engine sends BEGIN IMMEDIATE itself:
every statement of an upgrade, from the first migration to the revision stamp, commits at once
or not at all. Before upgrading, the file's schema is compared with the schema its revision
should have: what an interrupted upgrade left behind (new tables and triggers, never any of the
user's rows; added columns still holding their default; a dropped index) is undone in the same
transaction, then the upgrade runs from the start.
"""

from __future__ import annotations

import errno
import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cmplanner.errors import StorageError
from cmplanner.i18n import _
from cmplanner.storage import files
from cmplanner.storage.connection import APPLICATION_ID, alembic_config, make_engine, read_only_uri

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

log = logging.getLogger(__name__)


def upgrade_engine(path: Path | None) -> Engine:
    """An engine whose transactions hold DDL too: the driver's own transaction handling is
    off (`isolation_level = None`) and each transaction starts with an explicit BEGIN
    IMMEDIATE (the write lock at once: another process cannot slip a write in between).
    `path=None` is a private in-memory database."""
    # imported on use, not at the top: keeps it off the start-up path
    from sqlalchemy import create_engine, event

    engine = make_engine(path) if path is not None else create_engine("sqlite://")

    def autocommit_off(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        # SQLite's way to change a schema: foreign keys off while tables are rebuilt (a DROP
        # TABLE would otherwise delete, or cascade to, rows that point at it), checked before
        # the commit (`_check_foreign_keys`). Only possible outside a transaction, so here.
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")

    def begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    event.listen(engine, "connect", autocommit_off)
    event.listen(engine, "begin", begin)
    return engine


def upgrade_file(path: Path, target: str = "head") -> str | None:
    """Bring the database at `path` to `target` in one transaction. Returns the line to show
    the user when an interrupted earlier upgrade had to be undone first, else None.

    Raises StorageError (one line) if the upgrade fails; the file is then as it was."""
    try:
        undone = _upgrade(path, target, new=False)
    except StorageError:
        raise
    except Exception as exc:
        raise StorageError(
            _(
                "Could not upgrade {path} for this version of CM Planner: {error}. It was left "
                "as it was, at its old version: nothing was lost."
            ).format(path=path, error=_reason(exc))
        ) from exc
    _checkpoint(path)
    if undone is None:
        return None
    notice = _(
        "{path}: an earlier upgrade had been interrupted; what it left was undone and the "
        "upgrade was done again. No data was lost."
    ).format(path=path)
    log.warning("%s", notice)
    return notice


CREATING_SUFFIX = ".creating"
_JOURNALS = ("-wal", "-shm", "-journal")


def create_file(path: Path) -> str | None:
    """A new database at `path`, made whole beside it (`<name>.creating`) and renamed into
    place: a kill leaves at worst that file, which the next creation replaces, never a file at
    `path` that no open would accept. The caller holds the writer lock.

    `path` may hold what a creation interrupted by an older version left (our application
    id, no revision, no rows: `interrupted_creation`); it is replaced, and the returned line
    says so. Raises StorageError (one line); `path` is then as it was."""
    temp = path.with_name(path.name + CREATING_SUFFIX)
    leftover = _has_content(path)
    if leftover and not interrupted_creation(path, read_only=False):
        raise StorageError(
            _("Cannot create a database at {path}: {error}").format(
                path=path, error=_("a file with data is already there")
            )
        )
    try:
        _remove_with_journals(temp)
        _upgrade(temp, "head", new=True)
        _settle(temp)
        for suffix in _JOURNALS:  # the old file's WAL must not be replayed onto the new one
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        files.replace(temp, path)
        _remove_with_journals(temp)  # an empty -wal or -shm under the old name
    except Exception as exc:
        _remove_with_journals(temp)
        raise StorageError(
            _("Cannot create a database at {path}: {error}").format(path=path, error=_reason(exc))
        ) from exc
    if not leftover:
        return None
    notice = _(
        "{path}: its creation had been interrupted; it was created again (it held no data)."
    ).format(path=path)
    log.warning("%s", notice)
    return notice


def _upgrade(path: Path, target: str, *, new: bool) -> str | None:
    """The one transaction of an upgrade (or a creation, `new`): what was undone first (see
    `undo_interrupted_upgrade`), then the migrations, then a check of the links."""
    # imported on use, not at the top: keeps it off the start-up path
    from alembic import command

    engine = upgrade_engine(path)
    try:
        with engine.begin() as connection:
            broken_before = _foreign_key_violations(connection)
            undone = undo_interrupted_upgrade(connection, path)
            # A new file, or one made before the id was written, is marked as ours in the
            # same transaction (the id lives in the header page, journaled like the rest).
            connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
            command.upgrade(alembic_config(connection), target)
            if _foreign_key_violations(connection) - broken_before:
                raise StorageError(
                    _(
                        "Could not upgrade {path}: the upgrade would break links between "
                        "records. The file was not changed."
                    ).format(path=path)
                )
    finally:
        engine.dispose()
    return undone


def _has_content(path: Path) -> bool:
    return any(
        p.exists() and p.stat().st_size > 0 for p in (path, path.with_name(path.name + "-wal"))
    )


def interrupted_creation(path: Path, *, read_only: bool = True) -> bool:
    """What a creation killed under CM Planner up to schema 0012 left: our application id,
    no revision stamped yet, not one row in any table (nothing was written to it).
    `read_only=False` reads a file whose content is all in its WAL still (an empty main file):
    SQLite may then move the WAL into the file, which changes nothing it holds."""
    # imported on use, not at the top: keeps it off the start-up path
    import sqlite3

    try:
        if read_only:
            con = sqlite3.connect(read_only_uri(path, inspecting=True), uri=True)
        else:
            con = sqlite3.connect(path)
    except sqlite3.Error:
        return False
    try:
        con.execute("PRAGMA query_only=ON")
        if con.execute("PRAGMA application_id").fetchone() != (APPLICATION_ID,):
            return False
        tables = con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
            "'CREATE VIRTUAL%' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        ).fetchall()
        return not any(
            con.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone() for (name,) in tables
        )
    except sqlite3.Error:
        return False
    finally:
        con.close()


def _settle(path: Path) -> None:
    """Everything of the new file in the file itself, on disk, and nothing left in a WAL
    beside it (which would not follow it when it is renamed). It stays a WAL database."""
    # imported on use, not at the top: keeps it off the start-up path
    import sqlite3

    con = sqlite3.connect(path, isolation_level=None)
    try:
        busy = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    finally:
        con.close()
    wal = path.with_name(path.name + "-wal")
    if busy or (wal.exists() and wal.stat().st_size > 0):
        raise StorageError(_("the new database could not be written out"))
    files.sync(path)


def _remove_with_journals(path: Path) -> None:
    path.unlink(missing_ok=True)
    for suffix in _JOURNALS:
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _foreign_key_violations(connection: Connection) -> set[tuple[Any, ...]]:
    """The rows pointing at nothing (a file may hold some already: only new ones count)."""
    return {tuple(row) for row in connection.exec_driver_sql("PRAGMA foreign_key_check")}


def _checkpoint(path: Path) -> None:
    """Put the header (application id) and the new schema in the main file right away. The
    upgrade is committed already: if this fails (a full disk), SQLite replays the WAL on the
    next open."""
    # imported on use, not at the top: keeps it off the start-up path
    import sqlite3

    try:
        con = sqlite3.connect(path, isolation_level=None)
        try:
            con.execute("PRAGMA busy_timeout=5000")
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
    except sqlite3.Error as exc:
        log.info("Checkpoint after the upgrade of %s failed: %s", path, exc)


def _reason(exc: BaseException) -> str:
    """Why an upgrade failed, in the user's words when the disk is the cause."""
    # imported on use, not at the top: keeps it off the start-up path
    import sqlite3

    cause = getattr(exc, "orig", None) or exc
    code = getattr(cause, "sqlite_errorcode", None)
    if isinstance(cause, sqlite3.Error) and code is not None:
        if code & 0xFF == sqlite3.SQLITE_FULL:
            return _("the disk is full")
        if code & 0xFF == sqlite3.SQLITE_IOERR:
            return _("the disk could not be written (it may be full or failing)")
    if isinstance(cause, OSError) and cause.errno in (errno.ENOSPC, errno.EFBIG):
        return _("the disk is full")
    return _one_line(exc)


def _one_line(exc: BaseException) -> str:
    """The driver's own words for a database error, without SQLAlchemy's SQL dump and link."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc)
    return " ".join(text.split())


# --- an interrupted upgrade found on disk -------------------------------------------------


@dataclass(frozen=True)
class Schema:
    """The names a schema is made of: objects (name → type) and each table's columns."""

    objects: dict[str, str]
    columns: dict[str, tuple[str, ...]]
    sql: dict[str, str | None]


def read_schema(connection: Connection) -> Schema:
    rows = connection.exec_driver_sql(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    ).fetchall()
    objects = {name: kind for kind, name, _sql in rows}
    columns = {
        name: tuple(
            str(row[1])
            for row in connection.exec_driver_sql(f'PRAGMA table_info("{name}")').fetchall()
        )
        for kind, name, _sql in rows
        if kind == "table"
    }
    return Schema(objects, columns, {name: sql for _kind, name, sql in rows})


@functools.cache
def reference_schema(revision: str | None) -> Schema:
    """The schema a database at `revision` has, built by the migrations in memory."""
    if revision is None:
        return Schema({}, {}, {})
    # imported on use, not at the top: keeps it off the start-up path
    from alembic import command

    engine = upgrade_engine(None)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)
            return read_schema(connection)
    finally:
        engine.dispose()


def _stored_revision(connection: Connection) -> str | None:
    has_table = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if not has_table:
        return None
    row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None


def check_upgradable(path: Path) -> None:
    """Refuse, reading only, a file whose schema differs from its revision's in a way no
    interrupted upgrade explains (see `undo_interrupted_upgrade`): called before the backup
    and the upgrade, so such a file is left exactly as it was."""
    engine = make_engine(path, read_only=True)
    try:
        with engine.connect() as connection:
            expected = reference_schema(_stored_revision(connection))
            found = read_schema(connection)
            if found.objects != expected.objects or found.columns != expected.columns:
                _check_undoable(connection, path, found, expected)
    finally:
        engine.dispose()


def undo_interrupted_upgrade(connection: Connection, path: Path) -> str | None:
    """Inside the upgrade's transaction: give the file back the exact schema of the revision
    it says it is at, undoing what an interrupted upgrade (or creation) committed beyond it.

    Returns None when there was nothing to undo, else the revision.
    Raises StorageError, before anything is changed, when the difference is not one an
    interrupted upgrade leaves (a table with rows, a missing table or column): that file was
    changed by something else, and is left to the user and their backups."""
    revision = _stored_revision(connection)
    expected = reference_schema(revision)
    found = read_schema(connection)
    if found.objects == expected.objects and found.columns == expected.columns:
        return None
    _check_undoable(connection, path, found, expected)
    extra = [name for name in found.objects if name not in expected.objects]
    kinds = ("trigger", "view", "virtual", "table", "index")
    for kind in kinds:
        current = read_schema(connection)
        for name in extra:
            if name in current.objects and _kind(current, name) == kind:
                keyword = "TABLE" if kind == "virtual" else kind.upper()
                connection.exec_driver_sql(f'DROP {keyword} IF EXISTS "{name}"')
    current = read_schema(connection)
    for table, columns in expected.columns.items():
        for column in current.columns.get(table, ()):
            if column not in columns:
                connection.exec_driver_sql(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    for name, kind in expected.objects.items():
        if name not in current.objects and kind in ("index", "trigger", "view"):
            connection.exec_driver_sql(str(expected.sql[name]))
    done = read_schema(connection)
    if done.objects != expected.objects or done.columns != expected.columns:
        raise _not_undoable(path, revision)
    return revision or "-"


def _kind(schema: Schema, name: str) -> str:
    kind = schema.objects[name]
    if kind == "table" and (schema.sql[name] or "").upper().startswith("CREATE VIRTUAL"):
        return "virtual"
    return kind


def _check_undoable(connection: Connection, path: Path, found: Schema, expected: Schema) -> None:
    """Refuse, before changing anything, what no interrupted upgrade can have left: only new,
    empty tables, new columns holding nothing but their default, and indexes or triggers
    added or dropped. A virtual table's own shadow tables are judged with it."""
    revision = _stored_revision(connection)
    for name, kind in expected.objects.items():
        if kind == "table" and (name not in found.objects or found.objects[name] != kind):
            raise _not_undoable(path, revision)
        if kind == "table" and any(c not in found.columns[name] for c in expected.columns[name]):
            raise _not_undoable(path, revision)
    extra = {name for name in found.objects if name not in expected.objects}
    virtual = {name for name in extra if _kind(found, name) == "virtual"}
    shadows = {name for name in extra if any(name.startswith(f"{v}_") for v in virtual)}
    for name in extra - shadows:
        if found.objects[name] == "table" and _has_rows(connection, name):
            raise _not_undoable(path, revision)
    for table, columns in expected.columns.items():
        info = connection.exec_driver_sql(f'PRAGMA table_info("{table}")').fetchall()
        for row in info:
            column, default = str(row[1]), row[4]
            if column in columns:
                continue
            kept = f"IS NOT {default}" if default is not None else "IS NOT NULL"
            held = connection.exec_driver_sql(
                f'SELECT 1 FROM "{table}" WHERE "{column}" {kept} LIMIT 1'
            ).fetchone()
            if held:
                raise _not_undoable(path, revision)


def _has_rows(connection: Connection, table: str) -> bool:
    # imported on use, not at the top: keeps it off the start-up path
    from sqlalchemy.exc import DBAPIError

    try:
        return connection.exec_driver_sql(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is not None
    except DBAPIError:  # a virtual table whose module this SQLite lacks: not one of ours
        return True


def _not_undoable(path: Path, revision: str | None) -> StorageError:
    return StorageError(
        _(
            "{path} does not have the tables of schema {revision}: it was changed by another "
            "program. Restore one of its backups; the file was not changed."
        ).format(path=path, revision=revision or "-")
    )
