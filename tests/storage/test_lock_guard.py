"""A stray descriptor on the live database (a file dialog reading its type) must not cost the
app its SQLite locks: another program opening the database afterwards must neither delete the
WAL the app writes to nor rebuild its index, or the app's next saves are seen by no one and
lost in a crash. Played with real processes: POSIX locks only ever stop another process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cmplanner.errors import DatabaseLocked
from cmplanner.storage import Database, inspect_file, lock
from cmplanner.storage.lock import SHARED_FIRST, SHARED_SIZE, SHM_DEAD_MAN_SWITCH, is_live

# The app, in a child process so that the test can kill it: it saves a contact, then does
# what Qt's and GTK's file dialogs do to every file of the folder they show (open, read the
# first bytes to tell the type, close), then saves a second contact when told to.
APP = """
import sys
from pathlib import Path
from cmplanner.services.contact_data import ContactData
from cmplanner.services.contacts import create_contact
from cmplanner.storage import Database

path = Path(sys.argv[1])
db = Database.open(path)
create_contact(db, ContactData(given_name="Anna", family_name="Before"))
for suffix in ("", "-wal", "-shm"):
    with open(str(path) + suffix, "rb") as sniffed:
        sniffed.read(4096)
print("dialog closed", flush=True)
sys.stdin.readline()
create_contact(db, ContactData(given_name="Zelda", family_name="Lockwood"))
print("saved", flush=True)
sys.stdin.readline()
"""

# Another program that opens the database read-write, reads it and closes it: the sqlite3
# shell, a backup script, DB Browser for SQLite.
OTHER_PROGRAM = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
print(con.execute("SELECT count(*) FROM contact").fetchone()[0])
con.close()
"""


def cli(path: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "cmplanner", "--db", str(path), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "CMPLANNER_LANG": "en"},
        timeout=120,
        check=True,
    )
    return result.stdout


@pytest.fixture
def app(empty_db: Database) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    path = empty_db.path
    empty_db.close()
    child = subprocess.Popen(
        [sys.executable, "-c", APP, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    yield path, child
    child.kill()
    child.wait()


def tell(child: subprocess.Popen[str], expected: str | None = None) -> None:
    assert child.stdin is not None and child.stdout is not None
    if expected is None:
        child.stdin.write("\n")
        child.stdin.flush()
        return
    assert child.stdout.readline().strip() == expected


def test_a_save_after_a_stray_descriptor_and_another_program_reaches_the_disk(
    app: tuple[Path, subprocess.Popen[str]],
) -> None:
    path, child = app
    tell(child, "dialog closed")
    other = subprocess.run(
        [sys.executable, "-c", OTHER_PROGRAM, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert other.stdout.strip() == "1"
    # The other program left the app's write-ahead log and its index where they were.
    assert path.with_name(path.name + "-wal").exists()
    assert path.with_name(path.name + "-shm").exists()

    tell(child)
    tell(child, "saved")
    assert "Zelda Lockwood" in cli(path, "contacts", "list", "--search", "Lockwood")

    child.kill()  # a crash: no clean close, no checkpoint
    child.wait()
    listed = cli(path, "contacts", "list")
    assert "Zelda Lockwood" in listed and "Anna Before" in listed


PROBE = """
import fcntl, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDWR)
start, length = int(sys.argv[2]), int(sys.argv[3])
request = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, start, length, 0)
answer = fcntl.fcntl(fd, fcntl.F_GETLK, request)
print("free" if struct.unpack("hhqqi", answer[:28])[0] == fcntl.F_UNLCK else "locked")
"""


def probe(path: Path, start: int, length: int) -> str:
    """Whether another process could write-lock these bytes: "free" or "locked"."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(path), str(start), str(length)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def dead_man_switch(db: Database) -> str:
    """What another process opening the database finds on the -shm's dead-man-switch byte:
    "free" makes it believe it is alone and rebuild the index."""
    return probe(db.path.with_name(db.path.name + "-shm"), SHM_DEAD_MAN_SWITCH, 1)


def shared_range(db: Database) -> str:
    """ "free" lets another process take the EXCLUSIVE lock, checkpoint and delete the WAL."""
    return probe(db.path, SHARED_FIRST, SHARED_SIZE)


def test_the_guard_keeps_other_processes_from_the_dead_man_switch(empty_db: Database) -> None:
    with open(empty_db.path.with_name(empty_db.path.name + "-shm"), "rb"):
        pass  # drops every POSIX lock the process has on the file
    assert dead_man_switch(empty_db) == "locked"
    with open(empty_db.path, "rb"):
        pass
    assert shared_range(empty_db) == "locked"


def test_a_guard_the_system_refuses_drops_nothing_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without OFD locks (an old kernel, a file system without them) the app runs as before:
    the guard's own descriptors stay open until the database closes, since closing them
    early would drop the very locks it was meant to keep."""

    def refused(*_args: object) -> None:
        raise OSError(22, "Invalid argument")

    monkeypatch.setattr(lock, "_ofd_lock", refused)
    with Database.open(tmp_path / "a.cmplanner") as db:
        assert is_live(db.path)  # the header is still read through SQLite only
        # SQLite's own locks, still there
        assert shared_range(db) == "locked"
        assert dead_man_switch(db) == "locked"


def test_the_open_database_is_never_read_through_a_descriptor_of_ours(
    empty_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inspecting the database the process has open (opening it a second time, a reader
    beside the writer) reads it through SQLite only, never with open()."""
    assert is_live(empty_db.path)

    def no_open(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the live database was opened outside SQLite")

    monkeypatch.setattr(Path, "open", no_open)
    assert inspect_file(empty_db.path).revision is not None
    with pytest.raises(DatabaseLocked):
        Database.open(empty_db.path)
    with Database.open(empty_db.path, writer=False) as reader:
        assert reader.revision() == inspect_file(empty_db.path).revision


def test_closing_lets_go_of_everything(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "a.cmplanner"
    db = Database.open(path)
    beside = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", ".lock")]
    assert is_live(path) and all(is_live(side) for side in beside)
    db.close()
    assert not is_live(path) and not any(is_live(side) for side in beside)
    # The last connection checkpointed: no -wal or -shm left, the lock free again.
    assert sorted(p.name for p in folder.iterdir()) == ["a.cmplanner", "a.cmplanner.lock"]
    Database.open(path).close()
