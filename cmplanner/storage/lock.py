"""The single-writer lock, and the guard that keeps SQLite's own locks from being dropped.

`ProcessLock` is an OS advisory lock on `<database>.lock`. The operating system drops it when
the process dies, so a crash never leaves a database locked. This is the few lines of
`fcntl`/`msvcrt` that the `filelock` package wraps; we call them directly because importing
`filelock` pulls in asyncio, a quarter of our cold start.

`SQLiteLockGuard` is explained on the class.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path


class LockHeld(Exception):
    """Another process holds the lock."""


class ProcessLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def is_locked(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock now or raise LockHeld; never waits."""
        if self._fd is not None:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
        except OSError as exc:
            os.close(fd)
            raise LockHeld(str(self.path)) from exc
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _unlock(fd)
        finally:
            os.close(fd)


class WritersLock:
    """Tells the files being written in a folder from those a killed process left behind.

    Each writer holds a shared lock on `<folder>/.writing.lock` for as long as its temporary
    files exist (`hold()`); whoever cleans takes it exclusively without waiting
    (`try_exclusive()`): getting it means no writer is alive, so every temporary file there
    is stale. The OS drops the locks of a killed process. Where there is no `flock`
    (Windows), writers hold nothing and the cleaner always proceeds: Windows refuses to
    delete a file that is open, which protects a live writer's files the same way."""

    NAME = ".writing.lock"

    def __init__(self, folder: Path) -> None:
        self.path = folder / self.NAME
        self._fd: int | None = None

    def hold(self) -> None:
        """Take the shared lock, waiting while someone cleans (a moment)."""
        self._take(shared=True, wait=True)

    def try_exclusive(self) -> bool:
        """Take the exclusive lock now, or return False (a writer is alive)."""
        return self._take(shared=False, wait=False)

    def _take(self, *, shared: bool, wait: bool) -> bool:
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        flags = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        try:
            fcntl.flock(fd, flags if wait else flags | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # which releases the lock

    def __enter__(self) -> WritersLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


# Where SQLite takes the two locks it holds for as long as a WAL database is open
# (sqlite's src/os.h and src/os_unix.c; the same since SQLite 3.22):
PENDING_BYTE = 0x40000000
SHARED_FIRST = PENDING_BYTE + 2  # a reader holds a read lock on these 510 bytes ...
SHARED_SIZE = 510  # ... and closing, or a checkpoint that deletes the WAL, needs all of them
SHM_DEAD_MAN_SWITCH = 128  # UNIX_SHM_BASE (120) + SQLITE_SHM_NLOCK (8), in `<database>-shm`

# The databases (device, inode) this process has open for writing: see `is_live`.
_live: set[tuple[int, int]] = set()
# What SQLite and CM Planner keep beside a database while it is open.
SIDE_FILES = ("-wal", "-shm", "-journal", ".lock")


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def is_live(path: Path) -> bool:
    """True if `path` is a database this process has open for writing, or one of the files
    beside it (SIDE_FILES). Nothing but SQLite may open those meanwhile, not even to read a
    header (any close() here drops SQLite's locks), and nothing may replace them."""
    path = Path(path)
    candidates = [path] + [
        path.with_name(path.name.removesuffix(suffix))
        for suffix in SIDE_FILES
        if path.name.endswith(suffix)
    ]
    return any((identity := _identity(c)) is not None and identity in _live for c in candidates)


class SQLiteLockGuard:
    """Open-file-description locks that repeat, where no stray close() can drop them, the two
    locks SQLite holds while the app has its database open.

    SQLite locks with POSIX advisory locks, and POSIX locks belong to the process: closing ANY
    descriptor the process has on the file drops all of them (sqlite.org/howtocorrupt.html,
    §2.2). Code we do not control does open our files: Qt's file dialog reads a file's first
    bytes to show its type, GTK's native dialog (the gtk3 platform theme, in our process) and
    thumbnailers too. From then on another process (the sqlite3 shell, a backup tool) opening
    the database believes it is alone: it rebuilds the -shm index and, when it closes,
    checkpoints and deletes the WAL the app is still appending to. The app's next saves go to a
    deleted file: other programs never see them and a crash loses them.

    Keeping every such dialog away from the file cannot be guaranteed (GTK, KDE or a future
    dialog choose for themselves), so the guard makes the drop harmless instead. Linux's OFD
    locks (F_OFD_SETLK) belong to the open file description, not to the process: they conflict
    with other processes' POSIX locks like SQLite's own, and only closing the guard's own
    descriptor releases them. The guard holds a read lock on the database's SHARED range (no
    one else can take the EXCLUSIVE lock that deleting the WAL needs) and on the -shm's
    dead-man-switch byte (no one else can believe the index is stale and rebuild it). These
    are read locks, as SQLite's own are: other processes still read the database while the app
    runs, as the command line does.

    Acquire it after a connection of ours has opened the database in WAL mode (so the -shm
    exists), and release it only once every connection of ours to the file is closed: closing
    the guard's descriptors is a close() like any other. Where OFD locks do not exist (macOS,
    BSD), `acquire` returns False and nothing is guarded; Windows locks belong to the handle,
    so there is nothing to guard against.
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.held = False
        self._fds: list[int] = []
        self._identity: tuple[int, int] | None = None

    def acquire(self) -> bool:
        """Take both locks now; False where the system cannot (nothing is guarded then).

        Either way, call `release()` when the database closes: even a guard that failed may
        have descriptors open, which must not be closed before SQLite's connections are; and
        the database counts as live (`is_live`) from here to there."""
        if self.held:
            return True
        if self._identity is None:
            self._identity = _identity(self.db_path)
            if self._identity is not None:
                _live.add(self._identity)
        if _OFD_SETLK is None:
            return False
        targets = (
            (self.db_path, SHARED_FIRST, SHARED_SIZE),
            (self.db_path.with_name(self.db_path.name + "-shm"), SHM_DEAD_MAN_SWITCH, 1),
        )
        try:
            for path, start, length in targets:
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
                self._fds.append(fd)
                _ofd_lock(fd, _READ_LOCK, start, length)
        except OSError:
            return False
        self.held = True
        return True

    def release(self) -> None:
        if self._identity is not None:
            _live.discard(self._identity)
            self._identity = None
        self.held = False
        fds, self._fds = self._fds, []
        for fd in fds:
            os.close(fd)  # which releases its OFD lock


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


if sys.platform == "linux":
    import fcntl

    _OFD_SETLK: int | None = fcntl.F_OFD_SETLK
    _READ_LOCK = fcntl.F_RDLCK
else:  # pragma: no cover - no OFD locks outside Linux
    _OFD_SETLK = None
    _READ_LOCK = 0


def _ofd_lock(fd: int, kind: int, start: int, length: int) -> None:
    """fcntl(F_OFD_SETLK) on bytes [start, start + length); never waits, raises OSError.
    `struct flock` is (short type, short whence, off_t start, off_t len, pid_t pid): Python
    has 64-bit off_t everywhere, and the pid must be 0 for an OFD lock."""
    assert _OFD_SETLK is not None
    fcntl.fcntl(fd, _OFD_SETLK, struct.pack("hhqqi", kind, os.SEEK_SET, start, length, 0))
