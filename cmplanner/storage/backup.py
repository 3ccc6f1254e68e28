"""Backups with SQLite's online backup API, thinned like Anki's: keep the recent ones, then
one a day, one a week and one a month. Restoring first backs up what it replaces.

A database's backups are kept in a folder named after its id (storage/identity.py), so they
follow the file when it is moved or renamed. Backups made before databases had ids are in a
folder named after the database's path; they are still found by that path, and move into the
id's folder the next time the database is opened for writing there.

A copy of a database carries the same id. The id's folder remembers where its database was
(`database-path.txt`); a file with the same id opened elsewhere while that one is still there
is a copy, and becomes a database of its own (a new id) when first opened for writing: two
files never share, and thin, the same backups.

A backup is written to `<name>.tmp` and renamed once complete. A process killed meanwhile leaves
that file (and SQLite's `-journal` beside it); the next backup, or the next opening of the
database for writing, removes them unless a live process is still writing there (WritersLock).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cmplanner import clock, paths
from cmplanner.errors import DiskFull, StorageError, disk_full, explained
from cmplanner.i18n import _
from cmplanner.storage import files, identity
from cmplanner.storage.connection import read_only_uri
from cmplanner.storage.lock import WritersLock

BACKUP_SUFFIX = ".cmpbak"
_NAME = re.compile(r"^(?P<stamp>\d{8}-\d{6})-(?P<reason>[a-z-]+)" + re.escape(BACKUP_SUFFIX) + "$")
_STAMP = "%Y%m%d-%H%M%S"
TEMPORARY_SUFFIX = ".tmp"
# A temporary backup, and what SQLite may have left beside it.
_TEMPORARY = re.compile(re.escape(BACKUP_SUFFIX + TEMPORARY_SUFFIX) + r"(-journal|-wal|-shm)?$")
OWNER_FILE = "database-path.txt"  # in an id's folder: where its database was last seen

KEEP_RECENT = 12  # every backup of the last 24 hours, up to this many
KEEP_DAILY = 7
KEEP_WEEKLY = 8
KEEP_MONTHLY = 12


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: dt.datetime  # aware UTC
    reason: str
    size: int


def backup_folder(db_path: Path) -> Path:
    """The folder where the database's next backup goes (created): its id's folder, or for a
    database older than ids (or a copy not yet opened for writing) the folder of its path."""
    db_path = Path(db_path).resolve()
    db_id = identity.read_id(db_path)
    folder = _id_folder(db_path, db_id, create=True) if db_id else None
    if folder is None:
        folder = _path_folder(db_path)
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def backup_folders(db_path: Path) -> list[Path]:
    """Every existing folder that holds the database's backups (its id's, its path's)."""
    db_path = Path(db_path).resolve()
    db_id = identity.read_id(db_path)
    found = [_id_folder(db_path, db_id, create=False) if db_id else None, _path_folder(db_path)]
    return [f for f in found if f is not None and f.is_dir()]


def _path_folder(db_path: Path) -> Path:
    """The folder of backups made before ids: the database's name plus a hash of its path."""
    # imported on use, not at the top: a command that only reads never looks for backups
    import hashlib

    digest = hashlib.sha1(str(db_path).encode()).hexdigest()[:8]
    return paths.backups_dir(create=False) / f"{db_path.stem}-{digest}"


def _id_folder(db_path: Path, db_id: str, *, create: bool) -> Path | None:
    """The folder of the database with this id; None if there is none yet (and not
    `create`), or if this file is a copy of the database that owns it (see the module)."""
    root = paths.backups_dir(create=create)
    existing = sorted(root.glob(f"*-{db_id}")) if root.is_dir() else []
    folder = existing[0] if existing else root / f"{db_path.stem}-{db_id}"
    owner = _owner(folder)
    if owner is not None and owner != db_path and _is_copy_of(db_path, owner, db_id):
        return None
    if not create:
        return folder if existing else None
    folder.mkdir(parents=True, exist_ok=True)
    if owner != db_path:
        _write_owner(folder, db_path)
    return folder


def _owner(folder: Path) -> Path | None:
    try:
        text = (folder / OWNER_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return Path(text) if text else None


def _write_owner(folder: Path, db_path: Path) -> None:
    with contextlib.suppress(OSError):  # only a hint: the next backup writes it again
        files.write_atomic(folder / OWNER_FILE, (str(db_path) + "\n").encode("utf-8"))


def _is_copy_of(db_path: Path, owner: Path, db_id: str) -> bool:
    """True if `owner`, where the id's database was last seen, is still there and holds
    the same id: then `db_path` is a copy (a moved or renamed database left nothing there)."""
    try:
        if not owner.is_file() or owner.samefile(db_path):
            return False
    except OSError:
        return False
    return identity.read_id(owner) == db_id


def settle_backups(db_path: Path, con: sqlite3.Connection) -> None:
    """On opening a database for writing (`con` is the opener's own connection, the writer
    lock held): a copy gets an id of its own, backups made before ids move into the id's
    folder, and temporary files that killed backups left are removed. Does nothing, and
    creates nothing, for a database that has no backups."""
    db_path = Path(db_path).resolve()
    root = paths.backups_dir(create=False)
    if not root.is_dir():
        return
    db_id = identity.id_in(con)
    if db_id is None:
        old = _path_folder(db_path)
        if old.is_dir():
            clean_temporaries(old)
        return
    if any(root.glob(f"*-{db_id}")) and _id_folder(db_path, db_id, create=False) is None:
        db_id = identity.new_id()  # a copy: the original keeps the id and its backups
        identity.write_id(con, db_id)
    old = _path_folder(db_path)
    if old.is_dir():
        _adopt(old, db_path, db_id)
    folder = _id_folder(db_path, db_id, create=False)
    if folder is not None:
        clean_temporaries(folder)
        if _owner(folder) != db_path:
            _write_owner(folder, db_path)  # moved or renamed: remember where it is now


def _adopt(old: Path, db_path: Path, db_id: str) -> None:
    """Move the backups of a database's path folder into its id's folder."""
    clean_temporaries(old)
    backups = [e for e in old.iterdir() if _NAME.match(e.name)]
    if not backups:
        return
    folder = _id_folder(db_path, db_id, create=True)
    assert folder is not None  # not a copy: settle_backups gave a copy its own id
    for entry in backups:
        target = folder / entry.name
        if target.exists():
            continue  # two names from the same second: leave it where it is found anyway
        try:
            os.replace(entry, target)
        except OSError:
            continue  # still found by path where it is
    try:
        for leftover in old.iterdir():
            if leftover.name == WritersLock.NAME:
                leftover.unlink()
        old.rmdir()
    except OSError:
        pass  # something else is there: the folder stays


def clean_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files that killed backups left in `folder`, unless a live
    process is writing a backup there right now; return what was removed."""
    removed: list[Path] = []
    lock = WritersLock(folder)
    try:
        if not lock.try_exclusive():
            return removed  # a backup is being written: its files are not stale
    except OSError:
        return removed  # a folder we cannot write to: nothing to clean either
    try:
        for entry in folder.iterdir():
            if _TEMPORARY.search(entry.name):
                try:
                    entry.unlink()
                except OSError:
                    continue  # Windows: still open by a live writer
                removed.append(entry)
    finally:
        lock.release()
    return removed


def create_backup(db_path: Path, reason: str = "manual") -> Path:
    """Copy a consistent snapshot of `db_path` into its backup folder; return the new file."""
    if not re.fullmatch(r"[a-z-]+", reason):
        raise ValueError(f"bad backup reason {reason!r}")
    try:
        folder = backup_folder(db_path)
        clean_temporaries(folder)
        with WritersLock(folder) as lock:
            lock.hold()
            target = _claim_name(folder, reason)
            _write_snapshot(Path(db_path), target)
    except OSError as exc:  # the backups folder cannot be made or written to
        raise StorageError(
            _("Backup of {path} failed: {error}").format(path=db_path, error=exc.strerror or exc)
        ) from exc
    thin_backups(db_path)
    return target


def _claim_name(folder: Path, reason: str) -> Path:
    """A backup name nobody uses, its temporary file created: two backups in the same second,
    by two processes even, never write the same file."""
    stamp = clock.now_utc()
    while True:
        target = folder / f"{stamp.strftime(_STAMP)}-{reason}{BACKUP_SUFFIX}"
        if not target.exists():
            try:
                fd = os.open(target.with_name(target.name + TEMPORARY_SUFFIX), _EXCL, 0o644)
            except FileExistsError:
                pass
            else:
                os.close(fd)
                return target
        stamp += dt.timedelta(seconds=1)


_EXCL = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _write_snapshot(db_path: Path, target: Path) -> None:
    """The backup API into `<target>.tmp` (created empty by `_claim_name`), fsynced, renamed
    to `target`. On any failure (a full disk, say) nothing is left behind: neither the file
    nor what SQLite kept beside it."""
    tmp = target.with_name(target.name + TEMPORARY_SUFFIX)
    try:
        src = sqlite3.connect(read_only_uri(db_path), uri=True)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        files.sync(tmp)
        files.replace(tmp, target)
    except BaseException as exc:
        failed = isinstance(exc, (sqlite3.Error, OSError))
        full = failed and isinstance(explained(exc, tmp), DiskFull)  # before the file is gone
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
        if full:  # said as such, naming the backup
            raise disk_full(target) from exc
        if failed:
            raise StorageError(
                _("Backup of {path} failed: {error}").format(path=db_path, error=exc)
            ) from exc
        raise


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The database's backups, newest first."""
    found: list[tuple[BackupInfo, int]] = []
    for folder in backup_folders(db_path):
        for entry in folder.iterdir():
            match = _NAME.match(entry.name)
            if not match:
                continue
            created = dt.datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=dt.UTC)
            try:
                stat = entry.stat()
            except OSError:
                continue  # removed meanwhile (thinned by another process)
            found.append(
                (BackupInfo(entry, created, match["reason"], stat.st_size), stat.st_mtime_ns)
            )
    # Names tell the second; within one second, the file written last is the newest.
    found.sort(key=lambda pair: (pair[0].created, pair[1]), reverse=True)
    return [info for info, _mtime in found]


def latest_backup(db_path: Path) -> BackupInfo | None:
    backups = list_backups(db_path)
    return backups[0] if backups else None


def backups_to_keep(backups: list[BackupInfo], now: dt.datetime) -> set[Path]:
    """Which backups survive thinning (input newest first)."""
    keep: set[Path] = set()
    recent = [b for b in backups if now - b.created <= dt.timedelta(days=1)]
    keep.update(b.path for b in recent[:KEEP_RECENT])
    for limit, bucket in (
        (KEEP_DAILY, lambda d: d.date()),
        (KEEP_WEEKLY, lambda d: d.isocalendar()[:2]),
        (KEEP_MONTHLY, lambda d: (d.year, d.month)),
    ):
        seen: list[object] = []
        for b in backups:  # newest first: the newest of each bucket is kept
            key = bucket(b.created)
            if key in seen:
                continue
            if len(seen) >= limit:
                break
            seen.append(key)
            keep.add(b.path)
    return keep


def thin_backups(db_path: Path) -> list[Path]:
    """Delete the backups that thinning does not keep; return them."""
    backups = list_backups(db_path)
    keep = backups_to_keep(backups, clock.now_utc())
    removed = [b.path for b in backups if b.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def backup_is_due(db_path: Path, every: dt.timedelta) -> bool:
    last = latest_backup(db_path)
    return last is None or clock.now_utc() - last.created >= every


def copy_into(source: Path, live_path: Path) -> None:
    """Replace the live database's content with `source`'s, through the backup API.

    The caller holds the writer lock and has no open engine on `live_path`.
    """
    try:
        src = sqlite3.connect(read_only_uri(Path(source)), uri=True)
        try:
            dst = sqlite3.connect(live_path)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=WAL")
                dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise StorageError(
            _("Restoring {source} failed: {error}").format(source=source, error=exc)
        ) from exc
