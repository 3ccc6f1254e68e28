"""Opening a CM Planner database safely.

A file is identified before anything writes to it: the SQLite header, our application id and
the Alembic revision are read without modifying the file, so a garbage file or a database from
a newer CM Planner is refused and left byte-for-byte untouched. An older database is backed up,
then migrated. Every connection runs with foreign keys on, WAL and synchronous=FULL.

While a writer has the database open, nothing in the process but SQLite opens the file, and
`SQLiteLockGuard` (storage/lock.py) keeps SQLite's locks in force even if something does.
"""

from __future__ import annotations

import contextlib
import enum
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
)
from cmplanner.i18n import _
from cmplanner.storage.lock import LockHeld, ProcessLock, SQLiteLockGuard, is_live

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

SQLITE_MAGIC = b"SQLite format 3\x00"
# "CMPL": written in the SQLite header (PRAGMA application_id) so `file` and we can tell.
APPLICATION_ID = 0x434D504C
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Every schema revision this code knows, oldest first. Kept here so that opening a current
# database never imports Alembic (a third of a cold start); a test checks it against
# migrations/versions.
REVISIONS = (
    "0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011",
    "0012", "0013",
)  # fmt: skip


class FileState(enum.Enum):
    MISSING = "missing"  # no file, or an empty one: a new database will be created
    CURRENT = "current"
    OLDER = "older"  # a CM Planner database that needs migrating


@dataclass(frozen=True)
class FileInfo:
    state: FileState
    revision: str | None


def alembic_config(connection: Any = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return REVISIONS[-1]


def known_revisions() -> set[str]:
    return set(REVISIONS)


def _read_only_uri(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def inspect_file(path: Path) -> FileInfo:
    """Tell what `path` holds without writing to it; raise if it is not ours or too new."""
    if not path.exists() or path.stat().st_size == 0:
        return FileInfo(FileState.MISSING, None)
    if path.is_dir():
        raise NotACMPlannerDatabase(
            _("{path} is a folder, not a CM Planner database.").format(path=path)
        )
    if not is_live(path):
        # A database this process has open was checked when it was opened, and reading its
        # header through a descriptor of our own would drop SQLite's locks when it closes
        # (see SQLiteLockGuard): only SQLite reads it then, just below.
        _check_header(path)
    revision = _read_revision(path)
    if revision is None:
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
    return FileInfo(state, revision)


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


def _read_revision(path: Path) -> str | None:
    try:
        con = sqlite3.connect(_read_only_uri(path), uri=True)
    except sqlite3.Error as exc:
        raise NotACMPlannerDatabase(
            _("{path} cannot be opened as a database: {error}").format(path=path, error=exc)
        ) from exc
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if "no such table" in str(exc):
            return None
        raise NotACMPlannerDatabase(
            _("{path} is damaged or not a database: {error}").format(path=path, error=exc)
        ) from exc
    finally:
        con.close()
    return str(row[0]) if row else None


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
    from sqlalchemy import create_engine, event

    if read_only:
        engine = create_engine(
            f"sqlite:///{_read_only_uri(path)}&uri=true",
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
                con = sqlite3.connect(_read_only_uri(self.path), uri=True, check_same_thread=False)
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
        info = inspect_file(path)
        if not writer:
            # A reader never writes: no lock, no migration, a read-only connection.
            if info.state is FileState.MISSING:
                raise StorageError(_("There is no database at {path}.").format(path=path))
            return cls(path, None, read_only=True)
        if info.state is FileState.MISSING:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    _("Cannot create a database at {path}: {error}").format(
                        path=path, error=exc.strerror or exc
                    )
                ) from exc
        lock = acquire_lock(path) if writer else None
        try:
            if info.state is FileState.OLDER and backup:
                from cmplanner.storage.backup import create_backup

                create_backup(path, reason="before-migration")
            if info.state is not FileState.CURRENT:
                _migrate(path, new=info.state is FileState.MISSING)
            db = cls(path, lock)
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
        from cmplanner.storage.backup import settle_backups

        assert self._anchor is not None
        try:
            settle_backups(self.path, self._anchor)
        except (OSError, sqlite3.Error) as exc:  # tidying only: the backups stay found
            import logging

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
        from sqlmodel import Session

        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write session: committed when the block ends, rolled back on any exception."""
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


def _migrate(path: Path, *, new: bool) -> None:
    from alembic import command

    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            if new:
                connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
            command.upgrade(alembic_config(connection), "head")
        with engine.connect() as connection:
            # Put the header (application id) and schema in the main file right away.
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except Exception as exc:
        raise StorageError(
            _("Could not upgrade {path}: {error}").format(path=path, error=exc)
        ) from exc
    finally:
        engine.dispose()


def restore_into(db: Database, source: Path) -> Path:
    """Replace `db`'s content with the backup `source`; return the safety backup made first.

    The backup is checked before anything is touched: a file that is not a CM Planner
    database, or one from a newer version, is refused and the live database stays as it was.
    """
    from cmplanner.storage.backup import copy_into, create_backup

    source = Path(source).expanduser().resolve()
    if source == db.path:
        raise StorageError(_("Cannot restore a database onto itself."))
    info = inspect_file(source)
    if info.state is FileState.MISSING:
        raise StorageError(_("{path} is empty or missing.").format(path=source))
    from cmplanner.storage import identity

    live_id = identity.read_id(db.path)
    safety = create_backup(db.path, reason="before-restore")
    db.dispose_engine()
    copy_into(source, db.path)
    if info.state is FileState.OLDER:
        _migrate(db.path, new=False)
    if live_id is not None and db._anchor is not None and identity.id_in(db._anchor) != live_id:
        # Still the same database in the same place, its content replaced: it keeps its id,
        # and so its backups, the one just made before restoring among them.
        identity.write_id(db._anchor, live_id)
    return safety
