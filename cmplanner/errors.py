"""Errors a user can understand. Anything else is a bug and gets a traceback in the log."""

import errno
import os
from pathlib import Path

from cmplanner.i18n import _


class CMPlannerError(Exception):
    """Base of every error whose message is meant for the user."""


class ValidationError(CMPlannerError):
    """Bad input: the message says what was wrong and where."""


class StorageError(CMPlannerError):
    """The database could not be opened, migrated, backed up or restored."""


class NotACMPlannerDatabase(StorageError):
    """The file exists but is not a CM Planner database (nothing was written to it)."""


class DatabaseTooNew(StorageError):
    """The database was written by a newer CM Planner (nothing was written to it)."""


class DatabaseLocked(StorageError):
    """Another CM Planner process has this database open."""


class NotFound(CMPlannerError):
    """A record that was asked for does not exist."""


class ExportFailed(CMPlannerError):
    """The file could not be written; an existing file was left untouched."""


class DiskFull(StorageError):
    """The disk (or the file size allowed) is full: nothing more could be written."""


def explained(exc: BaseException, where: object = None) -> CMPlannerError | None:
    """The user's words for an error the machine or a value caused rather than a bug: a full
    disk, a read-only, busy or damaged file, a file that cannot be used, a date or a number
    beyond what CM Planner handles. `where` is the database (or file) being used, when the
    error does not say. None for anything else: a bug, whose traceback is wanted."""
    # imported on use, not at the top: keeps it off the start-up path
    import sqlite3

    full = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
    for cause in _causes(exc):
        if isinstance(cause, OSError) and cause.errno is not None:
            place = cause.filename if cause.filename is not None else where
            if cause.errno in full:
                return DiskFull(_disk_full(place))
            if place is None:
                return None
            return StorageError(
                _("Cannot use {path}: {error}").format(path=place, error=cause.strerror or cause)
            )
        if isinstance(cause, OverflowError):
            return ValidationError(
                _("A date or a number is beyond what CM Planner can handle ({error}).").format(
                    error=cause
                )
            )
        code = getattr(cause, "sqlite_errorcode", None)
        if not isinstance(cause, sqlite3.Error) or code is None:
            continue
        named = str(where) if where is not None else _("the database")
        primary = code & 0xFF
        if primary == sqlite3.SQLITE_FULL:
            return DiskFull(_disk_full(where))
        if primary == sqlite3.SQLITE_IOERR:
            if _no_room(where):
                # SQLite says a full disk is an I/O error when its shared-memory index or
                # its log cannot grow (an extended code, not SQLITE_FULL).
                return DiskFull(_disk_full(where))
            return StorageError(
                _(
                    "Could not read or write {path}: disk I/O error (the disk may be full or"
                    " failing). Nothing was changed."
                ).format(path=named)
            )
        if primary == sqlite3.SQLITE_READONLY:
            return StorageError(
                _("Cannot write to {path}: it is read-only. Nothing was changed.").format(
                    path=named
                )
            )
        if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            return StorageError(
                _(
                    "{path} is busy: another program is writing to it. Try again in a moment;"
                    " nothing was changed."
                ).format(path=named)
            )
        if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            return StorageError(_("{path} is damaged: {error}").format(path=named, error=cause))
        if primary in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
            return StorageError(_("Cannot open {path}: {error}").format(path=named, error=cause))
    return None


ROOM = 1 << 20  # less free space than this beside the database: the disk is full


def _no_room(where: object) -> bool:
    """Whether a write error on the database `where` is for want of room: its folder's file
    system has (nearly) no space left, or this process may only write files up to a size
    (RLIMIT_FSIZE, set by whoever started it) — SQLite cannot tell that from a failing disk."""
    if where is None:
        return False
    try:
        room = os.statvfs(Path(str(where)).parent)
    except (OSError, AttributeError):  # no statvfs on Windows
        return False
    if room.f_bavail * room.f_frsize < ROOM:
        return True
    try:
        # imported on use, not at the top: keeps it off the start-up path
        import resource
    except ImportError:
        return False
    return resource.getrlimit(resource.RLIMIT_FSIZE)[0] != resource.RLIM_INFINITY


def disk_full(where: object) -> DiskFull:
    """The error for `where` (a file, or None) that could not be written: no room left."""
    return DiskFull(_disk_full(where))


def _disk_full(where: object) -> str:
    if where is None:
        return _("The disk is full: nothing more can be written. Free some space, then try again.")
    return _(
        "The disk is full: {path} could not be written. Free some space, then try again."
    ).format(path=where)


def _causes(exc: BaseException) -> list[BaseException]:
    """The error, then what it says it comes from (SQLAlchemy's `orig`, `raise … from`)."""
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and not any(current is seen for seen in found):
        found.append(current)
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return found
