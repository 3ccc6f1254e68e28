"""A schema upgrade is one transaction: killed or out of disk space at any point, the file is
still the old revision with every row, or the new one; an upgrade that an older CM Planner left
half-applied is undone and done again, with one line to say so."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from cmplanner.storage import Database
from cmplanner.storage.backup import list_backups
from cmplanner.storage.database import head_revision
from tests.faults import open_for_writing, run_cli
from tests.storage.migrations import (
    GOLDEN_V1,
    assert_old_or_new,
    assert_opens_and_writes,
    crash_copies,
    golden_chain,
    half_applied_files,
    schema_names,
    schema_sql,
    stamped_revision,
    stamps,
    user_rows,
)


@pytest.fixture(scope="module")
def golden_at(tmp_path_factory: pytest.TempPathFactory) -> dict[str | None, Path]:
    return golden_chain(tmp_path_factory.mktemp("golden"))


def copy_golden(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "old.cmplanner"
    shutil.copyfile(GOLDEN_V1, path)
    return path


# --- every point of an upgrade, in this process ---------------------------------------------


def test_every_state_of_an_upgrade_is_the_old_file_or_the_new_one(
    tmp_path: Path, golden_at: dict[str | None, Path]
) -> None:
    """The file as a kill -9 would leave it before each statement of the upgrade."""
    path = copy_golden(tmp_path)
    with crash_copies(path, tmp_path / "states") as copies, Database.open(path):
        pass
    revisions = [assert_old_or_new(copy, golden_at) for copy in copies]
    assert revisions[0] == "0001" and revisions[-1] == head_revision()


def test_every_state_of_a_creation_is_no_database_or_a_whole_one(
    tmp_path: Path, golden_at: dict[str | None, Path]
) -> None:
    path = tmp_path / "new.cmplanner"
    with crash_copies(path, tmp_path / "states") as copies, Database.open(path):
        pass
    assert len(copies) > 1
    for copy in copies:
        if stamped_revision(copy) is None:
            assert schema_names(copy) == set()
        else:
            assert schema_sql(copy) == schema_sql(golden_at[None])


# --- files left half-applied by CM Planner up to schema 0012 -------------------------------


@pytest.mark.parametrize(
    ("revision", "which"),
    [
        (None, -1),  # a new database: some tables created, no revision stamped
        ("0001", 0),  # the search table alone (the "contact_search already exists")
        ("0001", -1),  # the search table and all its triggers
        ("0002", -1),  # a table being rebuilt (_new_contact_tag)
        ("0004", 1),  # an index dropped, its successor not yet made
        ("0009", -1),  # a column added
        ("0011", -1),  # several columns added to several tables
    ],
)
def test_an_upgrade_left_half_applied_is_undone_then_done(
    tmp_path: Path, golden_at: dict[str | None, Path], revision: str | None, which: int
) -> None:
    source = golden_at[revision] if revision else tmp_path / "none.cmplanner"
    path = half_applied_files(source, revision, tmp_path / "half")[which]
    with Database.open(path) as db:
        assert db.revision() == head_revision()
        assert len(db.notices) == 1 and "interrupted" in db.notices[0]
    clean = golden_at[head_revision() if revision else None]
    assert schema_sql(path) == schema_sql(clean)
    if revision:
        assert user_rows(path, GOLDEN_V1, skip=stamps) == user_rows(clean, GOLDEN_V1, skip=stamps)
        assert_opens_and_writes(path)
    with Database.open(path) as db:
        assert db.notices == []  # said once


def test_the_command_line_says_it_in_one_line(
    tmp_path: Path, golden_at: dict[str | None, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from cmplanner.cli.main import main

    path = half_applied_files(GOLDEN_V1, "0001", tmp_path / "half")[-1]
    assert main(["--db", str(path), "contacts", "list", "--json"]) == 0
    out, err = capsys.readouterr()
    assert '"Beno' in out
    assert err.count("\n") == 1 and "an earlier upgrade had been interrupted" in err


def test_restore_works_on_a_database_left_half_upgraded(
    tmp_path: Path, golden_at: dict[str | None, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's dead end: every writer, restore included, failed on such a file."""
    from cmplanner.cli.main import main

    path = half_applied_files(GOLDEN_V1, "0001", tmp_path / "half")[-1]
    backup = copy_golden(tmp_path / "backup")
    assert main(["--db", str(path), "restore", str(backup)]) == 0
    assert "Restored" in capsys.readouterr().out
    assert assert_old_or_new(path, golden_at) == head_revision()


def test_a_file_changed_by_another_program_is_not_touched(tmp_path: Path) -> None:
    """Extra tables holding rows are not an interrupted upgrade: refused, file unchanged."""
    from cmplanner.errors import StorageError

    path = copy_golden(tmp_path)
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE their_notes (body TEXT)")
        con.execute("INSERT INTO their_notes VALUES ('keep me')")
    con.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="changed by another program"):
        Database.open(path)
    assert path.read_bytes() == before


def test_restoring_a_backup_that_cannot_be_upgraded_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Refused before the live database is replaced (it was replaced, then the upgrade of the
    copy failed), and before a safety backup is made."""
    from cmplanner.cli.main import main

    live = tmp_path / "live.cmplanner"
    Database.open(live).close()
    source = copy_golden(tmp_path / "elsewhere")
    with sqlite3.connect(source) as con:
        con.execute("CREATE TABLE their_notes (body TEXT)")
        con.execute("INSERT INTO their_notes VALUES ('keep me')")
    con.close()
    before = live.read_bytes()
    assert main(["--db", str(live), "restore", str(source)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(source) in err
    assert live.read_bytes() == before
    assert list_backups(live) == []


# --- real processes: kill -9 and a full disk -------------------------------------------------


@pytest.fixture(scope="module")
def upgrade_statements(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The SQL statements, in order, of a writer opening (backing up, upgrading) the golden
    file in a child process: what the kill points below count."""
    folder = tmp_path_factory.mktemp("count")
    path = copy_golden(folder)
    run = open_for_writing(path)
    assert run.returncode == 0, run.stderr
    return run.statements


def test_kill_9_at_many_points_of_the_upgrade(
    tmp_path: Path, golden_at: dict[str | None, Path], upgrade_statements: list[str]
) -> None:
    path = copy_golden(tmp_path)
    numbered = list(enumerate(upgrade_statements, start=1))  # kill points count from 1
    backup = upgrade_statements.index("PRAGMA journal_mode=DELETE") + 2
    begin = max(n for n, sql in numbered if sql == "BEGIN IMMEDIATE")  # the upgrade's
    search = next(n for n, sql in numbered[begin:] if sql.startswith("CREATE VIRTUAL"))
    commit = next(n for n, sql in numbered[begin:] if sql == "COMMIT")
    # While the backup is written; just after the search table is made (where older versions
    # committed it on its own: "table contact_search already exists" ever after); just before
    # the upgrade's COMMIT; just after it, before the checkpoint.
    points = [backup, search + 1, commit, commit + 1]
    for point in points:
        shutil.copyfile(GOLDEN_V1, path)
        run = open_for_writing(path, kill_at=point)
        assert run.killed, (point, run.stderr)
        revision = assert_old_or_new(path, golden_at)
        for backup in list_backups(path):  # a backup is whole, or not there at all
            assert user_rows(backup.path, GOLDEN_V1) == user_rows(GOLDEN_V1, GOLDEN_V1)
        if revision == "0001" or point == points[-1]:
            assert_opens_and_writes(path)
        for sibling in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            sibling.unlink(missing_ok=True)


# 16 KiB: the upgrade's transaction fails early. 320 KB: it commits (its WAL fits), then the
# checkpoint into the main file (470 KB after the upgrade) fails; SQLite replays the WAL later.
@pytest.mark.parametrize("limit", [16_384, 320_000])
def test_a_full_disk_during_the_upgrade(
    tmp_path: Path, golden_at: dict[str | None, Path], upgrade_statements: list[str], limit: int
) -> None:
    """The disk fills up once the backup is made: no file may grow past `limit` bytes."""
    path = copy_golden(tmp_path)
    after_backup = upgrade_statements.index("PRAGMA journal_mode=DELETE") + 2
    run = open_for_writing(path, file_limit=limit, limit_at=after_backup)
    revision = assert_old_or_new(path, golden_at)
    if revision == "0001":
        assert run.returncode == 2
        assert run.stderr.count("\n") == 1 and "Could not upgrade" in run.stderr, run.stderr
        assert "disk" in run.stderr and "nothing was lost" in run.stderr
        assert [b.reason for b in list_backups(path)] == ["before-migration"]
    else:
        assert run.returncode == 0, run.stderr
    assert_opens_and_writes(path)


def test_kill_9_while_creating_a_database(tmp_path: Path) -> None:
    path = tmp_path / "new.cmplanner"
    add = ["--db", str(path), "events", "add", "--title", "Apéro", "--tz", "Europe/Paris",
           "--start", "2026-12-01T18:00", "--end", "2026-12-01T20:00"]  # fmt: skip
    statements = run_cli(add).statements
    begin = statements.index("BEGIN IMMEDIATE") + 1  # 1-based, as kill points are
    commit = statements.index("COMMIT", begin) + 1
    for made in tmp_path.glob("new.cmplanner*"):
        made.unlink()
    # Just after the creation's COMMIT, before the whole new file is renamed into place.
    assert run_cli(add, kill_at=commit + 1).killed
    assert not path.exists()
    with Database.open(path) as db:
        assert db.revision() == head_revision()
    assert not list(tmp_path.glob("*.creating*"))
