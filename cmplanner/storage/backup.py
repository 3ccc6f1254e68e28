"""Backups with SQLite's online backup API, thinned like Anki's: keep the recent ones, then
one a day, one a week and one a month. Restoring first backs up what it replaces."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cmplanner import clock, paths
from cmplanner.errors import DiskFull, StorageError, disk_full, explained
from cmplanner.i18n import _
from cmplanner.storage.database import read_only_uri

BACKUP_SUFFIX = ".cmpbak"
_NAME = re.compile(r"^(?P<stamp>\d{8}-\d{6})-(?P<reason>[a-z-]+)" + re.escape(BACKUP_SUFFIX) + "$")
_STAMP = "%Y%m%d-%H%M%S"

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
    """One folder per database, named after it plus a hash of its full path."""
    db_path = Path(db_path).resolve()
    digest = hashlib.sha1(str(db_path).encode()).hexdigest()[:8]
    folder = paths.backups_dir() / f"{db_path.stem}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def create_backup(db_path: Path, reason: str = "manual") -> Path:
    """Copy a consistent snapshot of `db_path` into its backup folder; return the new file."""
    if not re.fullmatch(r"[a-z-]+", reason):
        raise ValueError(f"bad backup reason {reason!r}")
    folder = backup_folder(db_path)
    stamp = clock.now_utc()
    target = folder / f"{stamp.strftime(_STAMP)}-{reason}{BACKUP_SUFFIX}"
    n = 1
    while target.exists():  # two backups in the same second
        stamp += dt.timedelta(seconds=1)
        target = folder / f"{stamp.strftime(_STAMP)}-{reason}{BACKUP_SUFFIX}"
        n += 1
    tmp = target.with_name(target.name + ".tmp")
    try:
        src = sqlite3.connect(read_only_uri(Path(db_path)), uri=True)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        _fsync(tmp)
        os.replace(tmp, target)
    except (sqlite3.Error, OSError) as exc:
        full = isinstance(explained(exc, tmp), DiskFull)  # before the file is gone
        tmp.unlink(missing_ok=True)
        if full:  # said as such, naming the backup
            raise disk_full(target) from exc
        raise StorageError(
            _("Backup of {path} failed: {error}").format(path=db_path, error=exc)
        ) from exc
    thin_backups(db_path)
    return target


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The database's backups, newest first."""
    found: list[BackupInfo] = []
    for entry in backup_folder(db_path).iterdir():
        match = _NAME.match(entry.name)
        if not match:
            continue
        created = dt.datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=dt.UTC)
        found.append(BackupInfo(entry, created, match["reason"], entry.stat().st_size))
    # Names tell the second; within one second, the file written last is the newest.
    found.sort(key=lambda b: (b.created, b.path.stat().st_mtime_ns), reverse=True)
    return found


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
