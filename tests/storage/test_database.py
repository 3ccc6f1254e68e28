"""Opening, refusing, migrating: the user's file is never damaged."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from cmplanner.errors import DatabaseLocked, DatabaseTooNew, NotACMPlannerDatabase
from cmplanner.model import Invitation
from cmplanner.services.browse import CONTACTS
from cmplanner.storage import Database
from cmplanner.storage.backup import list_backups
from cmplanner.storage.connection import APPLICATION_ID
from cmplanner.storage.database import head_revision, inspect_file

GOLDEN_V1 = Path(__file__).parent.parent / "golden" / "schema-0001.cmplanner"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


def test_new_database_has_safe_pragmas(empty_db: Database) -> None:
    assert empty_db.pragma("journal_mode") == "wal"
    assert empty_db.pragma("foreign_keys") == 1
    assert empty_db.pragma("synchronous") == 2  # FULL
    assert empty_db.pragma("application_id") == APPLICATION_ID
    assert empty_db.revision() == head_revision()


def test_revision_list_matches_the_migrations() -> None:
    from alembic.script import ScriptDirectory

    from cmplanner.storage.connection import alembic_config
    from cmplanner.storage.database import REVISIONS

    script = ScriptDirectory.from_config(alembic_config())
    chain = [rev.revision for rev in script.walk_revisions()]
    assert tuple(reversed(chain)) == REVISIONS
    assert script.get_current_head() == head_revision()


def test_foreign_keys_are_enforced(empty_db: Database) -> None:
    with pytest.raises(IntegrityError), empty_db.transaction() as session:
        session.add(Invitation(event_id=999, contact_id=999))
    with empty_db.session() as session:
        assert session.get(Invitation, 1) is None


def test_migrations_match_the_model(empty_db: Database) -> None:
    """The schema built by the migrations is exactly what the model declares."""

    def ours(obj: object, name: str | None, type_: str, *_: object) -> bool:
        return not (type_ == "table" and name and name.startswith("contact_search"))

    with empty_db.engine.connect() as con:
        context = MigrationContext.configure(
            con, opts={"compare_type": True, "include_object": ours}
        )
        assert compare_metadata(context, SQLModel.metadata) == []


def test_garbage_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.cmplanner"
    path.write_bytes(b"these are my holiday notes\n" * 50)
    before, files = digest(path), siblings(path)
    with pytest.raises(NotACMPlannerDatabase, match="not a CM Planner database"):
        Database.open(path)
    assert digest(path) == before
    assert siblings(path) == files  # no -wal, -shm or lock file left behind


def test_other_sqlite_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "firefox-places.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    con.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    con.commit()
    con.close()
    before, files = digest(path), siblings(path)
    with pytest.raises(NotACMPlannerDatabase):
        Database.open(path)
    assert digest(path) == before
    assert siblings(path) == files


def test_newer_database_is_refused_and_untouched(demo_path: Path) -> None:
    con = sqlite3.connect(demo_path)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    before, files = digest(demo_path), siblings(demo_path)
    with pytest.raises(DatabaseTooNew, match="newer version of CM Planner"):
        Database.open(demo_path)
    assert digest(demo_path) == before
    assert siblings(demo_path) == files


def test_golden_v1_database_is_backed_up_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.cmplanner"
    shutil.copyfile(GOLDEN_V1, path)
    assert inspect_file(path).revision == "0001"
    with Database.open(path) as db:
        assert db.revision() == head_revision()
        backups = list_backups(path)
        assert [b.reason for b in backups] == ["before-migration"]
        # The backup holds the database as it was before the upgrade.
        assert inspect_file(backups[0].path).revision == "0001"
        with Database.open(backups[0].path, writer=False) as old:
            assert old.revision() == "0001"
        # The data came through, and the new search index covers the old contacts.
        assert len(CONTACTS.ids(db)) == 64
        found = CONTACTS.rows(db, CONTACTS.ids(db, text="benoit"))
        assert found and all("Beno" in row[0] for row in found.values())
        # Tag links gained timestamps (0003), and old links got the upgrade's time.
        from sqlmodel import select

        from cmplanner.model import ContactTag

        with db.session() as session:
            links = session.exec(select(ContactTag)).all()
        assert links and all(link.created_at.year >= 2026 for link in links)


def test_second_writer_gets_a_clear_message(empty_db: Database) -> None:
    with pytest.raises(DatabaseLocked, match="open in another CM Planner"):
        Database.open(empty_db.path)


def test_reader_may_open_while_a_writer_holds_the_lock(demo_db: Database) -> None:
    with Database.open(demo_db.path, writer=False) as reader:
        assert len(CONTACTS.ids(reader)) == len(CONTACTS.ids(demo_db))


def test_reader_never_writes(tmp_path: Path) -> None:
    path = tmp_path / "old.cmplanner"
    shutil.copyfile(GOLDEN_V1, path)
    before = digest(path)
    with Database.open(path, writer=False) as reader:
        assert reader.revision() == "0001"
        assert len(CONTACTS.ids(reader)) == 64
    assert digest(path) == before


def test_lock_is_released_on_close(tmp_path: Path) -> None:
    path = tmp_path / "a.cmplanner"
    Database.open(path).close()
    Database.open(path).close()  # would raise DatabaseLocked if the lock leaked


def test_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    from cmplanner.errors import StorageError

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(StorageError, match="does not exist"):
        Database.open(blocker / "sub" / "db.cmplanner")
    assert blocker.read_text() == "x"


def test_paused_search_index_resumes_with_a_rollback(empty_db: Database) -> None:
    """A bulk writer's pause never outlives its transaction."""
    import sqlite3 as sq

    from cmplanner.services import contacts
    from cmplanner.services.contact_data import ContactData
    from cmplanner.storage.search_index import PAUSE, STATE_TABLE

    con = sq.connect(empty_db.path, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    con.execute(PAUSE)
    con.execute("ROLLBACK")
    assert con.execute(f"SELECT paused FROM {STATE_TABLE}").fetchone() == (0,)
    con.close()
    contact_id, _ = contacts.create_contact(empty_db, ContactData(given_name="Ulrich"))
    assert CONTACTS.ids(empty_db, text="ulri") == [contact_id]
