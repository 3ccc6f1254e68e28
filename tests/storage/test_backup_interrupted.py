"""A backup killed halfway, or stopped by a full disk, leaves nothing behind for long: the
write cleans up after itself when it fails, and what a killed process left (`.cmpbak.tmp` and
SQLite's `-journal` beside it) goes at the next backup or the next opening for writing, unless
a live process is still writing it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from cmplanner.storage import Database
from cmplanner.storage.backup import BACKUP_SUFFIX, create_backup, list_backups

# A child process that backs up the database given as its argument.
BACKUP = """
import sys
from pathlib import Path
from cmplanner.errors import StorageError
from cmplanner.storage.backup import create_backup
try:
    create_backup(Path(sys.argv[1]))
except StorageError as exc:
    print(exc)
    sys.exit(3)
"""


def big_database(path: Path, megabytes: int) -> Path:
    """A real database made big enough that backing it up takes a moment."""
    with Database.open(path) as db, db.engine.begin() as con:
        for i in range(megabytes):
            con.exec_driver_sql(
                "INSERT INTO setting (key, value, created_at, updated_at) "
                "VALUES (?, hex(randomblob(524288)), CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                (f"ballast.{i}",),
            )
    return path


def temporaries(home: Path) -> list[str]:
    return sorted(p.name for p in (home / "backups").rglob(f"*{BACKUP_SUFFIX}.tmp*"))


def start_backup(path: Path, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", BACKUP, str(path)],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,  # type: ignore[call-overload]
    )


def when_writing(home: Path, child: subprocess.Popen[str], sig: int) -> list[str]:
    """Send `sig` to the child as soon as its backup's journal is on disk (mid-backup);
    return the temporary files there at that moment."""
    deadline = time.monotonic() + 60
    while not any(n.endswith("-journal") for n in temporaries(home)):
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the backup never started"
        time.sleep(0.0005)
    os.kill(child.pid, sig)
    return temporaries(home)


def test_a_killed_backups_files_go_at_the_next_backup_and_at_opening(
    tmp_path: Path, isolated_home: Path
) -> None:
    path = big_database(tmp_path / "big.cmplanner", 40)
    for cleaner in ("backup", "open"):
        child = start_backup(path)
        left = when_writing(isolated_home, child, signal.SIGKILL)
        child.wait()
        assert any(n.endswith(".tmp") for n in left) and temporaries(isolated_home)

        if cleaner == "backup":
            made = create_backup(path)
            assert made.stat().st_size > 20_000_000
        else:
            Database.open(path).close()

        assert temporaries(isolated_home) == [], cleaner
    assert len(list_backups(path)) == 1


def test_a_backup_being_written_by_a_live_process_is_left_alone(
    tmp_path: Path, isolated_home: Path
) -> None:
    path = big_database(tmp_path / "big.cmplanner", 40)
    child = start_backup(path)
    writing = when_writing(isolated_home, child, signal.SIGSTOP)  # alive, halfway
    try:
        # Another backup, by another process, in the same second: it never writes the same
        # file (it waited forever on the first one's lock), nor removes the live one's.
        second = start_backup(path)
        assert second.wait(timeout=60) == 0, second.communicate()
        Database.open(path).close()
        assert temporaries(isolated_home) == writing
    finally:
        os.kill(child.pid, signal.SIGCONT)
    assert child.wait(timeout=60) == 0
    assert temporaries(isolated_home) == []
    assert len(list_backups(path)) == 2


def limit_file_size(limit: int) -> None:
    """In the child: writing past `limit` bytes fails (EFBIG), as on a full disk."""
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_backup_stopped_by_a_full_disk_leaves_nothing_behind(
    tmp_path: Path, isolated_home: Path
) -> None:
    path = big_database(tmp_path / "big.cmplanner", 8)
    child = start_backup(path, preexec_fn=lambda: limit_file_size(1_000_000))
    out, err = child.communicate(timeout=60)
    assert child.returncode == 3, err
    assert out.startswith("The disk is full: "), out  # said as such, naming the backup
    assert temporaries(isolated_home) == []
    assert list_backups(path) == []
