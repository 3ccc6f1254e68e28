"""Backups belong to a database by its id, not its path: they follow a database that is moved
or renamed (listing, erasing with --purge-backups, thinning), backups made before ids are still
found by path, and a copy beside its original does not share the original's backups."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from cmplanner import paths
from cmplanner.cli.main import main
from cmplanner.services import contacts
from cmplanner.services.contact_data import ContactData, Labelled
from cmplanner.storage import Database, identity
from cmplanner.storage.backup import create_backup, list_backups
from cmplanner.storage.database import restore_into
from tests.storage.migrations import migrate_to


def new_database(path: Path, name: str = "Zéphyrine") -> int:
    """A database holding one person; returns their id."""
    path.parent.mkdir(parents=True, exist_ok=True)  # a database is made in a folder that is
    with Database.open(path) as db:
        contact_id, _ = contacts.create_contact(
            db, ContactData(given_name=name, emails=(Labelled(f"{name.lower()}@example.org"),))
        )
    return contact_id


def move(source: Path, target: Path) -> None:
    """What a user does with a closed database: mv the file (an empty log beside it, left by
    a read-only reader, stays behind)."""
    wal = Path(str(source) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    target.parent.mkdir(parents=True, exist_ok=True)
    source.rename(target)


def test_every_database_has_an_id_and_its_backups_carry_it(empty_db: Database) -> None:
    own = identity.read_id(empty_db.path)
    assert own is not None and len(own) == 32
    backup = create_backup(empty_db.path)
    assert identity.read_id(backup) == own  # a backup says whose it is
    assert own in backup.parent.name


def test_backups_follow_a_moved_and_renamed_database_and_are_purged_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "here" / "mine.cmplanner"
    person = new_database(first)
    assert main(["--db", str(first), "backup"]) == 0
    with Database.open(first) as db:  # a second one, by another writer
        create_backup(db.path, reason="before-import")
    made = {b.path for b in list_backups(first)}
    assert len(made) == 2

    moved = tmp_path / "elsewhere" / "renamed.cmplanner"
    move(first, moved)

    assert {b.path for b in list_backups(moved)} == made
    capsys.readouterr()
    assert main(["--db", str(moved), "backup", "--list"]) == 0
    listing = capsys.readouterr().out
    assert all(str(p) in listing for p in made)

    assert main(["--db", str(moved), "contacts", "erase", str(person), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "still hold them" in out and all(str(p) in out for p in made)


def test_erase_purges_the_backups_made_under_the_old_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "mine.cmplanner"
    person = new_database(first)
    assert main(["--db", str(first), "backup"]) == 0
    old = list_backups(first)[0].path
    moved = tmp_path / "archive" / "2026.cmplanner"
    move(first, moved)
    assert main(["--db", str(moved), "backup"]) == 0  # and one made at the new place
    made = {b.path for b in list_backups(moved)}
    assert old in made and len(made) == 2
    capsys.readouterr()

    command = ["--db", str(moved), "contacts", "erase", str(person), "--yes", "--purge-backups"]
    assert main(command) == 0

    out = capsys.readouterr().out
    for path in made:
        assert f"Deleted backup {path}" in out
        assert not path.exists()
    assert list_backups(moved) == []


def old_version_backup(db_path: Path) -> Path:
    """A backup as CM Planner wrote it before ids: in a folder named after the path."""
    db_path = db_path.resolve()
    digest = hashlib.sha1(str(db_path).encode()).hexdigest()[:8]
    folder = paths.backups_dir() / f"{db_path.stem}-{digest}"
    folder.mkdir(parents=True)
    target = folder / "20261001-120000-manual.cmpbak"
    src, dst = sqlite3.connect(db_path), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return target


def test_backups_made_before_ids_are_found_by_path_then_follow_the_database(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.cmplanner"
    new_database(path)
    migrate_to(path, "0012", down=True)  # a database as the last version without ids left it
    assert identity.read_id(path) is None
    old = old_version_backup(path)
    assert [b.path for b in list_backups(path)] == [old]  # found by its path, as before

    with Database.open(path):  # upgraded: a backup first (still by path), then an id
        pass
    assert identity.read_id(path) is not None
    reasons = sorted(b.reason for b in list_backups(path))
    assert reasons == ["before-migration", "manual"]

    moved = tmp_path / "moved" / "new-name.cmplanner"
    move(path, moved)
    assert sorted(b.reason for b in list_backups(moved)) == reasons
    assert all(b.path.exists() for b in list_backups(moved))


def test_a_copy_beside_its_original_gets_backups_of_its_own(tmp_path: Path) -> None:
    original = tmp_path / "mine.cmplanner"
    new_database(original)
    kept = create_backup(original)
    copy = tmp_path / "mine-test.cmplanner"
    shutil.copyfile(original, copy)
    assert identity.read_id(copy) == identity.read_id(original)
    # Not opened yet: its backups are not the original's, nor do they mix with them.
    assert list_backups(copy) == []
    unresolved = create_backup(copy)

    with Database.open(copy):
        pass

    assert identity.read_id(copy) != identity.read_id(original)
    assert [b.path for b in list_backups(original)] == [kept]
    mine = create_backup(copy)
    found = list_backups(copy)  # the one made before it had its own id joined its folder
    assert len(found) == 2 and mine in {b.path for b in found}
    assert unresolved.name in {b.path.name for b in found}
    with Database.open(original):  # the original keeps its id and its backups
        pass
    assert [b.path for b in list_backups(original)] == [kept]


def test_restoring_another_database_keeps_this_ones_id_and_backups(tmp_path: Path) -> None:
    other = tmp_path / "colleague.cmplanner"
    new_database(other, "Camille")
    path = tmp_path / "mine.cmplanner"
    new_database(path)
    own = identity.read_id(path)
    with Database.open(path) as db:
        safety = restore_into(db, other)
        assert identity.read_id(path) == own
        assert safety in [b.path for b in list_backups(path)]
        with db.read() as con:
            assert con.execute("SELECT given_name FROM contact").fetchall() == [("Camille",)]
