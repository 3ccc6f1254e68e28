"""What the machine does wrong, said in one line: a read-only database file, a full disk (or
a file grown past the size allowed), each in a real process; and a command that fails
halfway leaves nothing behind (one transaction per command).

The disk is "full" through RLIMIT_FSIZE, which needs no privilege: a write past the limit
fails with EFBIG, as one on a full disk fails with ENOSPC. A read-only file is read-only for
root too: the child drops the capabilities that let root ignore permission bits."""

from __future__ import annotations

import ctypes
import datetime as dt
import errno
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from cmplanner.cli.main import main
from cmplanner.errors import DiskFull, explained
from tests.rows import file_dump

ADD = ["events", "add", "--title", "Atelier", "--start", "2027-01-14T19:00"]
ADD += ["--end", "2027-01-14T21:00", "--venue", "Lieu tout neuf", "--community", "Toute neuve"]
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def _without_root_overrides() -> None:
    """In the child, before exec: as root, drop what lets root write a read-only file."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _file_size_limit(limit: int) -> Callable[[], None]:
    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limited


def cmplanner(
    db: Path, home: Path, *argv: str, preexec: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cmplanner", "--db", str(db), *argv],
        env={**os.environ, "CMPLANNER_HOME": str(home), "CMPLANNER_LANG": "en"},
        preexec_fn=preexec,
        capture_output=True,
        text=True,
        timeout=120,
    )


def counts(db: Path) -> tuple[int, int, int]:
    con = sqlite3.connect(db)
    try:
        return tuple(  # type: ignore[return-value]
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("venue", "community", "event")
        )
    finally:
        con.close()


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("cmplanner: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and result.stdout == ""
    return result.stderr


CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve Martin\r\nN:Martin;Eve;;;\r\nEND:VCARD\r\n"
CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
    "UID:ro-1@test\r\nDTSTAMP:20261201T000000Z\r\nDTSTART:20270110T180000Z\r\n"
    "DTEND:20270110T190000Z\r\nSUMMARY:Atelier\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.mark.parametrize(
    "argv",
    [
        ADD,
        # The importers said "card 1 could not be written": no card was to blame.
        ["contacts", "import", "{tmp}/eve.vcf"],
        ["events", "import", "{tmp}/atelier.ics"],
    ],
)
def test_a_read_only_database_file(
    demo_path: Path, isolated_home: Path, tmp_path: Path, argv: list[str]
) -> None:
    (tmp_path / "eve.vcf").write_text(CARD)
    (tmp_path / "atelier.ics").write_text(CALENDAR)
    before = file_dump(demo_path)
    demo_path.chmod(0o444)
    argv = [a.format(tmp=tmp_path) for a in argv]
    result = cmplanner(demo_path, isolated_home, *argv, preexec=_without_root_overrides)
    err = one_line(result)
    assert f"Cannot write to {demo_path}: it is read-only. Nothing was changed." in err
    demo_path.chmod(0o644)
    assert file_dump(demo_path) == before


def test_a_full_disk(demo_path: Path, isolated_home: Path) -> None:
    """The write-ahead log already holds pages (another program reading, say): the command's
    own pages go past the size allowed."""
    keeper = sqlite3.connect(demo_path)
    try:
        keeper.execute("PRAGMA wal_autocheckpoint = 0")
        with keeper:
            keeper.execute("UPDATE contact SET notes = notes")  # pages rewritten, same rows
        before = file_dump(demo_path)
        wal = demo_path.with_name(demo_path.name + "-wal")
        limit = wal.stat().st_size + 1024  # not even one more page fits
        result = cmplanner(demo_path, isolated_home, *ADD, preexec=_file_size_limit(limit))
    finally:
        keeper.close()
    err = one_line(result)
    # SQLite calls it an I/O error; the file could not grow: the disk is full.
    assert err == (
        f"cmplanner: The disk is full: {demo_path} could not be written."
        " Free some space, then try again.\n"
    )
    assert file_dump(demo_path) == before


def test_an_export_on_a_full_disk(demo_path: Path, isolated_home: Path, tmp_path: Path) -> None:
    """Room for the database's shared-memory file (32 KiB), not for the PDF (some 80 KiB)."""
    out = tmp_path / "all.pdf"
    result = cmplanner(
        demo_path, isolated_home, "dashboard", "--pdf", str(out), preexec=_file_size_limit(40960)
    )
    err = one_line(result)
    assert err == (
        f"cmplanner: The disk is full: {out} could not be written."
        " Free some space, then try again.\n"
    )
    assert not out.exists() and not list(tmp_path.glob(".all.pdf.*"))


def test_an_event_refused_by_the_database_leaves_no_venue_nor_community(
    demo_path: Path, frozen_clock: dt.datetime
) -> None:
    """Six failed adds on a full disk made six venues and six communities: the event, its
    new venue and its new community are one transaction."""
    con = sqlite3.connect(demo_path)
    with con:
        con.execute(
            "CREATE TRIGGER no_more_events BEFORE INSERT ON event"
            " BEGIN SELECT RAISE(ABORT, 'no room for one more event'); END"
        )
    con.close()
    before = counts(demo_path)
    for _attempt in range(3):
        with pytest.raises(Exception, match="no room for one more event"):
            main(["--db", str(demo_path), *ADD])
    assert counts(demo_path) == before


def test_a_full_disk_is_said_as_such() -> None:
    """SQLite's own "database or disk is full" (SQLITE_FULL), and the system's ENOSPC and
    EFBIG, in one sentence that names the file."""
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (x)")
    con.execute("PRAGMA max_page_count = 2")
    with pytest.raises(sqlite3.OperationalError) as full:
        con.execute("INSERT INTO t VALUES (zeroblob(100000))")
    said = explained(full.value, "/data/my.cmplanner")
    assert isinstance(said, DiskFull)
    assert str(said) == (
        "The disk is full: /data/my.cmplanner could not be written."
        " Free some space, then try again."
    )
    for code in (errno.ENOSPC, errno.EFBIG):
        said = explained(OSError(code, os.strerror(code), "/data/out.pdf"))
        assert isinstance(said, DiskFull) and "/data/out.pdf could not be written" in str(said)
    # As SQLAlchemy hands it over; and a bug stays a bug (its traceback is wanted).
    from sqlalchemy.exc import OperationalError

    wrapped = OperationalError("INSERT …", {}, full.value)
    assert isinstance(explained(wrapped, "/data/my.cmplanner"), DiskFull)
    assert explained(RuntimeError("bug")) is None
    assert explained(KeyError("name")) is None


def test_a_backup_on_a_full_disk(demo_path: Path, isolated_home: Path) -> None:
    """The backup before an import, and `backup` itself: room for the database's own small
    files, not for a copy of it."""
    size = demo_path.stat().st_size
    for argv in (["backup"], ["events", "import", "{tmp}/atelier.ics"]):
        (isolated_home / "atelier.ics").write_text(CALENDAR)
        argv = [a.format(tmp=isolated_home) for a in argv]
        before = file_dump(demo_path)
        result = cmplanner(demo_path, isolated_home, *argv, preexec=_file_size_limit(size // 2))
        err = one_line(result)
        assert err.startswith("cmplanner: The disk is full: ") and ".cmpbak could not" in err
        assert file_dump(demo_path) == before
        assert not [p for p in isolated_home.rglob("*.cmpbak*")]


def test_an_io_error_on_a_full_file_system_is_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite reports a disk with no room for its shared-memory index or its log as an I/O
    error (SQLITE_IOERR_SHMSIZE, _WRITE): with no room left beside the file, it is a full
    disk; with room, a failing disk."""
    failed = sqlite3.OperationalError("disk I/O error")
    failed.sqlite_errorcode = 4874  # type: ignore[attr-defined]  # SQLITE_IOERR_SHMSIZE
    db = tmp_path / "my.cmplanner"
    said = explained(failed, db)
    assert not isinstance(said, DiskFull) and "disk I/O error" in str(said)
    real = os.statvfs(tmp_path)

    class Nearly:
        f_frsize, f_bavail = real.f_frsize, 8

    monkeypatch.setattr(os, "statvfs", lambda _path: Nearly)
    assert str(explained(failed, db)) == (
        f"The disk is full: {db} could not be written. Free some space, then try again."
    )
