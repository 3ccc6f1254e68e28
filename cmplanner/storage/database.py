"""Opening a CM Planner database safely.

A file is identified before anything writes to it or beside it: the SQLite header, our
application id, the Alembic revision and the tables are read without SQLite making a -wal or
-shm, so a garbage file, another program's database or one from a newer CM Planner is refused
and its folder left exactly as it was. An older database is backed up, then migrated; a new
one is built under a temporary name and put in place whole. Every connection runs with
foreign keys on, WAL and synchronous=FULL.

While a writer has the database open, nothing in the process but SQLite opens the file, and
`SQLiteLockGuard` (storage/lock.py) keeps SQLite's locks in force even if something does.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cmplanner.errors import (
    DatabaseLocked,
    DatabaseTooNew,
    NotACMPlannerDatabase,
    StorageError,
    explained,
)
from cmplanner.i18n import _
from cmplanner.storage import identity
from cmplanner.storage.backup import copy_into, create_backup, settle_backups
from cmplanner.storage.connection import (
    APPLICATION_ID,
    beside,
    file_size,
    folder_is_writable,
    make_engine,
    read_only_uri,
)
from cmplanner.storage.lock import LockHeld, ProcessLock, SQLiteLockGuard, is_live

# storage.upgrade (Alembic's machinery) is imported where a file is made or upgraded: opening
# an up-to-date database at start-up never loads it.

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

SQLITE_MAGIC = b"SQLite format 3\x00"
# Every schema revision this code knows, oldest first. Kept here so that opening a current
# database never imports Alembic (a third of a cold start); a test checks it against
# migrations/versions.
REVISIONS = (
    "0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011",
    "0012", "0013",
)  # fmt: skip
# The tables each revision adds, besides SQLite's own (sqlite_*); a name with a leading "-" is
# one the revision drops. A file without our application id is ours only if it has exactly
# the tables of its revision (`revision_tables`). Pinned from the migrations: a test builds
# every revision and compares, so a new migration adds its line here.
TABLE_CHANGES = {
    "0001": "affiliation alembic_version commitment community community_member contact"
    " contact_address contact_email contact_phone contact_tag event interaction invitation"
    " occurrence_exception organization setting tag task venue",
    "0002": "contact_search contact_search_config contact_search_content contact_search_data"
    " contact_search_docsize contact_search_idx",
    "0003": "",
    "0004": "",
    "0005": "",
    "0006": "contact_search_state",
    "0007": "budget_line event_partner event_team",
    "0008": "caldav_resource sent_message",
    "0009": "work_entry",
    "0010": "",
    "0011": "",
    "0012": "",
    "0013": "",
}


class FileState(enum.Enum):
    MISSING = "missing"  # no file: a new database will be created
    CURRENT = "current"
    OLDER = "older"  # a CM Planner database that needs migrating


@dataclass(frozen=True)
class FileInfo:
    state: FileState
    revision: str | None
    # 0 for a CM Planner file made before the id was written (see `inspect_file`).
    application_id: int = APPLICATION_ID


def head_revision() -> str:
    return REVISIONS[-1]


def known_revisions() -> set[str]:
    return set(REVISIONS)


def revision_tables(revision: str) -> frozenset[str]:
    """The tables of a database at `revision`, SQLite's own left out; KeyError if unknown."""
    if revision not in TABLE_CHANGES:
        raise KeyError(revision)
    tables: set[str] = set()
    for step in REVISIONS[: REVISIONS.index(revision) + 1]:
        for name in TABLE_CHANGES[step].split():
            if name.startswith("-"):
                tables.discard(name[1:])
            else:
                tables.add(name)
    return frozenset(tables)


def inspect_file(path: Path) -> FileInfo:
    """Tell what `path` holds without writing to it or beside it; raise if it is not ours or
    too new.

    Ours is a database with our application id, or, for a file older than the id (every
    version of CM Planner wrote it, so none is known), exactly the tables of its revision.
    """
    if not path.exists():
        return FileInfo(FileState.MISSING, None)
    if path.is_dir():
        raise NotACMPlannerDatabase(
            _("{path} is a folder, not a CM Planner database.").format(path=path)
        )
    if path.stat().st_size == 0:
        # CM Planner never leaves one (a new database is put in place whole): someone else's.
        raise NotACMPlannerDatabase(
            _("{path} is an empty file (zero bytes), not a CM Planner database.").format(path=path)
        )
    if not is_live(path):
        # A database this process has open was checked when it was opened, and reading its
        # header through a descriptor of our own would drop SQLite's locks when it closes
        # (see SQLiteLockGuard): only SQLite reads it then, just below.
        _check_header(path)
    marks = _read_marks(path)
    revision = marks.revision
    if marks.application_id != APPLICATION_ID and not _has_the_tables_of_its_revision(marks):
        revision = None  # another program's: its revision says nothing about us
    if revision is None:
        from cmplanner.storage import upgrade  # on use: off the start-up path

        if upgrade.interrupted_creation(path):
            return FileInfo(FileState.MISSING, None)  # made again, whole: storage/upgrade.py
        raise NotACMPlannerDatabase(
            _("{path} is an SQLite database but not a CM Planner database.").format(path=path)
        )
    if revision not in known_revisions():
        raise DatabaseTooNew(
            _(
                "{path} was written by a newer version of CM Planner (schema {revision}). "
                "Please update CM Planner to open it; the file was not changed."
            ).format(path=path, revision=revision)
        )
    state = FileState.CURRENT if revision == head_revision() else FileState.OLDER
    return FileInfo(state, revision, marks.application_id)


def _check_header(path: Path) -> None:
    """Refuse a file that is not SQLite, or an SQLite database of another application."""
    try:
        with path.open("rb") as f:
            header = f.read(100)
    except OSError as exc:
        raise StorageError(
            _("Cannot read {path}: {error}").format(path=path, error=exc.strerror)
        ) from exc
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise NotACMPlannerDatabase(
            _("{path} is not a CM Planner database (it is not an SQLite file).").format(path=path)
        )
    app_id = int.from_bytes(header[68:72], "big")
    if app_id not in (0, APPLICATION_ID):
        raise NotACMPlannerDatabase(
            _("{path} is an SQLite database of another application, not CM Planner.").format(
                path=path
            )
        )


@dataclass(frozen=True)
class _Marks:
    """What tells a CM Planner database from another SQLite file."""

    application_id: int
    revision: str | None
    tables: frozenset[str]


def _read_marks(path: Path) -> _Marks:
    try:
        con = sqlite3.connect(read_only_uri(path, inspecting=True), uri=True)
    except sqlite3.Error as exc:
        raise NotACMPlannerDatabase(
            _("{path} cannot be opened as a database: {error}").format(path=path, error=exc)
        ) from exc
    try:
        (application_id,) = con.execute("PRAGMA application_id").fetchone()
        tables = frozenset(
            str(name)
            for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not str(name).startswith("sqlite_")
        )
        revision = None
        if "alembic_version" in tables:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = str(row[0]) if row and row[0] is not None else None
    except sqlite3.DatabaseError as exc:
        if (exc.sqlite_errorcode & 0xFF) in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR):
            # No room for its shared-memory file, or a failing disk: not the file's fault.
            raise explained(exc, path) or StorageError(str(exc)) from exc
        raise _unreadable(path, exc) from exc
    finally:
        con.close()
    return _Marks(int(application_id), revision, tables)


def _has_the_tables_of_its_revision(marks: _Marks) -> bool:
    if marks.revision is None or marks.revision not in TABLE_CHANGES:
        return False
    return marks.tables == revision_tables(marks.revision)


def _unreadable(path: Path, exc: sqlite3.Error) -> StorageError:
    """The error to give for a database SQLite could not read."""
    if not folder_is_writable(path) and getattr(exc, "sqlite_errorname", "") in (
        "SQLITE_CANTOPEN",
        "SQLITE_READONLY_DIRECTORY",
    ):
        if file_size(beside(path, "-wal")):
            message = _(
                "{path} cannot be read: its folder is read-only, and SQLite needs to create "
                "{shm} there to read the changes waiting in {wal}. Copy the database with its "
                "-wal file to a folder you can write to."
            )
        else:
            message = _(
                "{path} cannot be read: its folder is read-only, and SQLite needs to create "
                "{shm} there to read it. Copy the database to a folder you can write to."
            )
        return StorageError(
            message.format(path=path, shm=beside(path, "-shm").name, wal=beside(path, "-wal").name)
        )
    return NotACMPlannerDatabase(
        _("{path} is damaged or not a database: {error}").format(path=path, error=exc)
    )


def _refuse_unwritable(path: Path, info: FileInfo) -> None:
    """Refuse, before anything is made beside it, a database a writer could not write: in a
    missing or read-only folder (SQLite writes its -wal and -shm there, we our lock), or
    read-only itself. The app's own data folder is made by `paths.data_dir()`; one the user
    named is never made for them."""
    folder = path.parent
    if info.state is FileState.MISSING and not folder.is_dir():
        if folder.exists():
            message = _("Cannot create a database at {path}: {folder} is not a folder.")
        else:
            message = _("Cannot create a database at {path}: the folder {folder} does not exist.")
        raise StorageError(message.format(path=path, folder=folder))
    if not folder_is_writable(path):
        raise StorageError(
            _(
                "Cannot write to {path}: its folder {folder} is read-only (SQLite keeps its "
                "-wal and -shm files beside the database). The database can still be read, "
                "with `cmplanner info` or `cmplanner contacts list` for instance."
            ).format(path=path, folder=folder)
        )
    if info.state is not FileState.MISSING and not os.access(path, os.W_OK):
        raise StorageError(
            _("Cannot write to {path}: it is read-only. Nothing was changed.").format(path=path)
        )


def _write_application_id(path: Path) -> None:
    """Mark as ours a CM Planner file made before the id was written (see `inspect_file`)."""
    try:
        with contextlib.closing(sqlite3.connect(path)) as con, con:
            con.execute(f"PRAGMA application_id={APPLICATION_ID}")
    except sqlite3.Error as exc:
        raise StorageError(
            _("Could not upgrade {path}: {error}").format(path=path, error=exc)
        ) from exc


class Database:
    """An open CM Planner database. Use `Database.open()`; close it with `close()`."""

    def __init__(self, path: Path, lock: ProcessLock | None, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._engine: Engine | None = None
        self._lock = lock
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        # A writer's own connection, open from `open()` to `close()`, and the guard over the
        # locks it holds (`_hold_locks`).
        self._anchor: sqlite3.Connection | None = None
        self._guard: SQLiteLockGuard | None = None
        # Lines for the user about what opening did (an interrupted upgrade undone).
        self.notices: list[str] = []

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, made on first use: SQLAlchemy stays out of a cold start."""
        if self._engine is None:
            self._engine = make_engine(self.path, read_only=self.read_only)
        return self._engine

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A plain `sqlite3` connection for fast read-only queries (listings, counts).

        One per thread, kept open: a search keystroke then costs its query, not a connect and
        a cold page cache. `dispose_engine()` closes them all (restore, erase, close)."""
        con: sqlite3.Connection | None = getattr(self._local, "reader", None)
        if con is None:
            if self.read_only:
                con = sqlite3.connect(read_only_uri(self.path), uri=True, check_same_thread=False)
            else:
                con = sqlite3.connect(self.path, check_same_thread=False)
            con.execute("PRAGMA busy_timeout=5000")
            con.execute("PRAGMA query_only=ON")
            self._local.reader = con
            with self._readers_lock:
                self._readers.append(con)
        yield con

    def _close_readers(self) -> None:
        with self._readers_lock:
            readers, self._readers = self._readers, []
        for con in readers:
            con.close()
        self._local = threading.local()

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, writer: bool = True, backup: bool = True) -> Database:
        """Open (creating or migrating as needed). `writer` takes the single-writer lock;
        a reader gets the file as it is, read-only, even at an older schema revision.

        Raises NotACMPlannerDatabase, DatabaseTooNew, DatabaseLocked or StorageError; in every
        such case the file is left untouched.
        """
        path = Path(path).expanduser().resolve()
        try:
            info = inspect_file(path)
        except NotACMPlannerDatabase as exc:
            if writer and path.is_file() and path.stat().st_size == 0:
                raise NotACMPlannerDatabase(
                    _(
                        "{path} is an empty file (zero bytes), not a CM Planner database. "
                        "Delete it, or choose another name, to create a new database."
                    ).format(path=path)
                ) from exc
            raise
        if not writer:
            # A reader never writes: no lock, no migration, a read-only connection.
            if info.state is FileState.MISSING:
                raise StorageError(_("There is no database at {path}.").format(path=path))
            return cls(path, None, read_only=True)
        _refuse_unwritable(path, info)
        lock = acquire_lock(path) if writer else None
        try:
            if info.state is FileState.MISSING and path.exists():
                info = inspect_file(path)  # made by another process before we had the lock
            if info.state is FileState.OLDER:
                from cmplanner.storage import upgrade  # on use: off the start-up path

                upgrade.check_upgradable(path)
            if info.state is FileState.OLDER and backup:
                create_backup(path, reason="before-migration")
            notice = None
            if info.state is not FileState.CURRENT:
                # A new file is made whole beside `path` and renamed into place; an older one
                # is upgraded, and given our application id, in one transaction.
                notice = _migrate(path, new=info.state is FileState.MISSING)
            elif info.application_id != APPLICATION_ID:
                _write_application_id(path)
            db = cls(path, lock)
            db.notices = [notice] if notice else []
            db._hold_locks()
            db._settle_backups()
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return db

    def _hold_locks(self) -> None:
        """Keep one connection open in WAL mode for as long as the database is, and guard the
        locks it holds against a stray close() elsewhere in the process (SQLiteLockGuard).

        The connection also means the process is never left with no connection to the file
        while it is open (after `dispose_engine()` for a restore, say), so SQLite never has
        to tell a fresh start from another process's index while the guard is held."""
        try:
            anchor = sqlite3.connect(self.path, check_same_thread=False)
            try:
                anchor.execute("PRAGMA busy_timeout=5000")
                anchor.execute("PRAGMA journal_mode=WAL")  # reads the schema: opens the -shm
            except BaseException:
                anchor.close()
                raise
        except sqlite3.Error as exc:
            raise StorageError(
                _("{path} cannot be opened as a database: {error}").format(
                    path=self.path, error=exc
                )
            ) from exc
        self._anchor = anchor
        self._guard = SQLiteLockGuard(self.path)
        self._guard.acquire()

    def _settle_backups(self) -> None:
        """Backups follow the database by its id (storage/backup.py): a copy gets its own,
        older backups join the id's folder, killed backups' temporary files go."""
        assert self._anchor is not None
        try:
            settle_backups(self.path, self._anchor)
        except (OSError, sqlite3.Error) as exc:  # tidying only: the backups stay found
            logging.getLogger(__name__).warning("Could not settle the backups: %s", exc)

    def close(self) -> None:
        self.dispose_engine()
        if self._anchor is not None:
            self._anchor.close()
            self._anchor = None
        if self._guard is not None:
            # Only now that none of our connections is open: closing the guard's descriptors
            # drops the process's POSIX locks on the file.
            held = self._guard.held
            self._guard.release()
            self._guard = None
            if held:
                _checkpoint_on_close(self.path)
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sessions --------------------------------------------------------------------------

    def dispose_engine(self) -> None:
        """Close every connection: the engine's pool and the readers of every thread."""
        self._close_readers()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A read session. Returned objects stay usable after it closes."""
        # imported on use, not at the top: keeps it off the start-up path
        from sqlmodel import Session

        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write session: committed when the block ends, rolled back on any exception."""
        # imported on use, not at the top: keeps it off the start-up path
        from sqlmodel import Session

        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    def revision(self) -> str | None:
        with self.read() as con:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None

    def pragma(self, name: str) -> Any:
        """A PRAGMA as the app's own (SQLAlchemy) connections see it."""
        with self.engine.connect() as con:
            row = con.exec_driver_sql(f"PRAGMA {name}").fetchone()
        return row[0] if row else None

    def checkpoint(self) -> None:
        with self.engine.connect() as con:
            con.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _checkpoint_on_close(path: Path) -> None:
    """Close the database as SQLite does when nothing else stops it: the last connection
    copies the WAL into the file and deletes the -wal and -shm. The guard kept our own
    connections from doing it while it was held; another process still reading keeps the
    WAL, which is as safe."""
    try:
        con = sqlite3.connect(path)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        pass  # the WAL stays: SQLite replays it on the next open


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def acquire_lock(path: Path) -> ProcessLock:
    lock = ProcessLock(lock_path(path))
    try:
        lock.acquire()
    except OSError as exc:  # a read-only folder, for instance
        raise StorageError(
            _("Cannot open {path} for writing: {error}").format(
                path=path, error=exc.strerror or exc
            )
        ) from exc
    except LockHeld as exc:
        raise DatabaseLocked(
            _(
                "{path} is open in another CM Planner window or command. "
                "Close it there first, then try again."
            ).format(path=path)
        ) from exc
    return lock


def _migrate(path: Path, *, new: bool) -> str | None:
    """Upgrade the file in one transaction, or create it whole (storage/upgrade.py). Returns
    the line to show the user when what an interrupted upgrade left had to be undone."""
    from cmplanner.storage import upgrade  # on use: off the start-up path

    return upgrade.create_file(path) if new else upgrade.upgrade_file(path)


def restore_into(db: Database, source: Path) -> Path:
    """Replace `db`'s content with the backup `source`; return the safety backup made first.

    The backup is checked before anything is touched: a file that is not a CM Planner
    database, or one from a newer version, is refused and the live database stays as it was.
    """
    from cmplanner.storage import upgrade  # on use: off the start-up path

    source = Path(source).expanduser().resolve()
    if source == db.path:
        raise StorageError(_("Cannot restore a database onto itself."))
    info = inspect_file(source)
    if info.state is FileState.MISSING:
        raise StorageError(_("{path} is empty or missing.").format(path=source))
    if info.state is FileState.OLDER:
        upgrade.check_upgradable(
            source
        )  # one it could not upgrade is refused before anything changes
    live_id = identity.read_id(db.path)
    safety = create_backup(db.path, reason="before-restore")
    db.dispose_engine()
    copy_into(source, db.path)
    if info.state is FileState.OLDER:
        _migrate(db.path, new=False)
    elif info.application_id != APPLICATION_ID:
        _write_application_id(db.path)
    if live_id is not None and db._anchor is not None and identity.id_in(db._anchor) != live_id:
        # Still the same database in the same place, its content replaced: it keeps its id,
        # and so its backups, the one just made before restoring among them.
        identity.write_id(db._anchor, live_id)
    return safety
