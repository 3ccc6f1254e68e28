"""The writer lock is held per process and dies with it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cmplanner.storage.lock import LockHeld, ProcessLock


def test_second_holder_is_refused_until_release(tmp_path: Path) -> None:
    first, second = ProcessLock(tmp_path / "x.lock"), ProcessLock(tmp_path / "x.lock")
    first.acquire()
    with pytest.raises(LockHeld):
        second.acquire()
    first.release()
    second.acquire()
    assert second.is_locked
    second.release()


def test_lock_of_a_killed_process_is_free(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from cmplanner.storage.lock import ProcessLock\n"
        f"ProcessLock(Path({str(path)!r})).acquire()\n"
        "print('locked', flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "locked"
        with pytest.raises(LockHeld):
            ProcessLock(path).acquire()
    finally:
        child.kill()
        child.wait()
    lock = ProcessLock(path)
    lock.acquire()  # the OS released the dead process's lock
    lock.release()
