"""The one atomic writer: the whole new file or the old one, durably, with the usual mode."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cmplanner.storage import files

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes and folder fsync")


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    previous = os.umask(0o022)

    def set_umask(mask: int) -> None:
        os.umask(mask)

    yield set_umask
    os.umask(previous)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of its own (tmp_path also holds the test's home folder)."""
    made = tmp_path / "exports"
    made.mkdir()
    return made


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_a_new_file_and_replaces_an_old_one(folder: Path) -> None:
    target = folder / "out.ics"
    files.write_atomic(target, b"first")
    assert target.read_bytes() == b"first"
    files.write_atomic(target, b"second, longer than the first")
    assert target.read_bytes() == b"second, longer than the first"
    files.write_atomic(target, b"")
    assert target.read_bytes() == b""
    assert sorted(p.name for p in folder.iterdir()) == ["out.ics"]


@posix_only
def test_a_new_file_gets_the_mode_the_umask_gives(
    folder: Path, umask: Callable[[int], None]
) -> None:
    umask(0o027)
    files.write_atomic(folder / "team.vcf", b"x")
    assert (folder / "team.vcf").stat().st_mode & 0o777 == 0o640
    umask(0o022)
    files.write_atomic(folder / "all.vcf", b"x")
    assert (folder / "all.vcf").stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600


@posix_only
def test_a_replaced_file_keeps_its_mode(folder: Path, umask: Callable[[int], None]) -> None:
    umask(0o022)
    for mode in (0o600, 0o664):
        kept = folder / f"kept-{mode:o}.csv"
        kept.write_bytes(b"old")
        kept.chmod(mode)
        files.write_atomic(kept, b"new")
        assert kept.read_bytes() == b"new"
        assert kept.stat().st_mode & 0o777 == mode


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failure_leaves_the_old_file_and_no_temporary_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = folder / "out.vcf"
    target.write_bytes(b"previous content")

    def broken(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, failing, broken)
    with pytest.raises(OSError, match="No space left"):
        files.write_atomic(target, b"new content " * 1000)
    monkeypatch.undo()
    assert target.read_bytes() == b"previous content"
    assert _leftovers(folder) == []


def test_an_interruption_leaves_no_temporary_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+C (or any BaseException) in the middle: the temporary file goes too."""
    target = folder / "out.pdf"

    def interrupted(_fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        files.write_atomic(target, b"%PDF")
    assert not target.exists()
    assert _leftovers(folder) == []


def test_a_folder_that_takes_no_file_is_said_before_anything_is_written(folder: Path) -> None:
    gone = folder / "gone"
    with pytest.raises(files.NoTempFile) as raised:
        files.write_atomic(gone / "out.ics", b"x")
    assert raised.value.errno == errno.ENOENT
    assert raised.value.filename == str(gone)
    assert raised.value.strerror
    assert list(folder.iterdir()) == []


@posix_only
def test_the_file_then_its_folder_are_fsynced(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[tuple[str, int]] = []
    real_fsync = os.fsync

    def recording(fd: int) -> None:
        info = os.fstat(fd)
        synced.append(("folder" if stat.S_ISDIR(info.st_mode) else "file", info.st_ino))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording)
    target = folder / "out.ics"
    files.write_atomic(target, b"BEGIN:VCALENDAR")
    # The data before the rename (the temporary file is the target now), the rename after.
    assert synced == [("file", target.stat().st_ino), ("folder", folder.stat().st_ino)]


@posix_only
def test_a_file_written_by_someone_else_is_synced_then_renamed_durably(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What backups and database creation do: SQLite writes the file, we sync and rename."""
    synced: list[str] = []
    real_fsync = os.fsync

    def recording(fd: int) -> None:
        synced.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording)
    made = folder / "backup.cmpbak.tmp"
    made.write_bytes(b"SQLite format 3\x00")
    files.sync(made)
    files.replace(made, folder / "backup.cmpbak")
    assert synced == ["file", "folder"]
    assert (folder / "backup.cmpbak").read_bytes() == b"SQLite format 3\x00"
    assert not made.exists()


def test_a_system_without_folder_fsync_still_writes(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows has no O_DIRECTORY: a folder cannot be opened, the rename stands as it is."""
    monkeypatch.delattr(os, "O_DIRECTORY", raising=False)
    files.write_atomic(folder / "out.csv", b"a;b\r\n")
    assert (folder / "out.csv").read_bytes() == b"a;b\r\n"
