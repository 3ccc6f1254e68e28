"""Moving a database file to a given schema revision, up or down, as the migration tests do;
and the files an interrupted upgrade leaves, as a kill -9 would leave them."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import Engine, event

from cmplanner.storage import identity
from cmplanner.storage.connection import APPLICATION_ID, alembic_config, make_engine
from cmplanner.storage.upgrade import upgrade_engine

GOLDEN_V1 = Path(__file__).parent.parent / "golden" / "schema-0001.cmplanner"


def migrate_to(path: Path, revision: str, *, down: bool = False) -> None:
    """Upgrade (or, with `down`, downgrade) the file at `path` to `revision`, in one
    transaction as the application does."""
    engine = upgrade_engine(path)
    try:
        with engine.begin() as connection:
            step = command.downgrade if down else command.upgrade
            step(alembic_config(connection), revision)
    finally:
        engine.dispose()


def legacy_upgrade(path: Path, revision: str = "head", *, new: bool = False) -> None:
    """How CM Planner up to schema 0012 upgraded a file: SQLAlchemy's `begin()` over the
    driver's legacy transaction handling, where every CREATE, DROP or ALTER before the first
    INSERT, UPDATE or DELETE ran and committed on its own."""
    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            if new:
                connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
            command.upgrade(alembic_config(connection), revision)
    finally:
        engine.dispose()


@contextmanager
def crash_copies(path: Path, out: Path) -> Iterator[list[Path]]:
    """While the block runs, copy the database at `path` (with its WAL, without its -shm) as
    a kill -9 would leave it just before each SQL statement of any SQLAlchemy connection,
    and once more when the block ends; yield the list of copies, one per distinct state, in
    order (filled as the block runs)."""
    copies: list[Path] = []
    seen: set[str] = set()
    wal = path.with_name(path.name + "-wal")

    def snapshot(_sql: str) -> None:
        data = path.read_bytes() if path.exists() else b""
        log = wal.read_bytes() if wal.exists() else b""
        key = hashlib.sha256(data + b"\0" + log).hexdigest()
        if key in seen:
            return
        seen.add(key)
        folder = out / f"{len(copies):04d}"
        folder.mkdir(parents=True)
        copy = folder / path.name
        copy.write_bytes(data)
        if log:
            copy.with_name(copy.name + "-wal").write_bytes(log)
        copies.append(copy)

    def trace(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.set_trace_callback(snapshot)

    event.listen(Engine, "connect", trace)
    try:
        yield copies
    finally:
        event.remove(Engine, "connect", trace)
    snapshot("")


def half_applied_files(source: Path, revision: str, out: Path) -> list[Path]:
    """Every file today's code (`legacy_upgrade`) could leave when killed while upgrading a
    copy of `source` at `revision` (None: while creating a new database) to the next revision,
    in which the schema has changed but the revision stamp has not: a half-applied upgrade."""
    out.mkdir(parents=True, exist_ok=True)
    work = out / "work.cmplanner"
    if source.exists():
        shutil.copyfile(source, work)
    from cmplanner.storage.database import REVISIONS

    following = REVISIONS[REVISIONS.index(revision) + 1] if revision else REVISIONS[0]
    with crash_copies(work, out / "states") as copies:
        legacy_upgrade(work, following, new=revision is None)
    before = schema_names(source) if revision else set()
    found = []
    for copy in copies:
        if stamped_revision(copy) == revision and schema_names(copy) != before:
            found.append(copy)
    return found


def stamped_revision(path: Path) -> str | None:
    con = sqlite3.connect(path)
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        con.close()
    return str(row[0]) if row else None


def schema_names(path: Path) -> set[tuple[str, str]]:
    """(type, name) of every object of the schema, and ("column", table.column) of every
    column: what an upgrade changes."""
    con = sqlite3.connect(path)
    try:
        objects = con.execute(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite%'"
        ).fetchall()
        names = {(str(kind), str(name)) for kind, name in objects}
        for kind, name in objects:
            if kind == "table":
                for row in con.execute(f'PRAGMA table_info("{name}")'):
                    names.add(("column", f"{name}.{row[1]}"))
    finally:
        con.close()
    return names


def schema_sql(path: Path) -> dict[str, str | None]:
    """Every object's name and its SQL, exactly as SQLite keeps it."""
    with closing(sqlite3.connect(path)) as con:
        rows = con.execute("SELECT name, sql FROM sqlite_master").fetchall()
    return dict(sorted(rows))


def user_rows(path: Path, like: Path, *, skip: Callable[[str, str], bool] | None = None) -> Any:
    """The rows of every table of `like` (the golden file, say) as read from `path`, with
    `like`'s columns only, sorted; `skip(table, column)` leaves a column out."""
    with closing(sqlite3.connect(like)) as con:
        tables = [
            str(r[0])
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
                " AND name NOT LIKE 'contact_search%' AND name != 'alembic_version'"
            )
        ]
        columns = {
            t: [
                str(r[1])
                for r in con.execute(f'PRAGMA table_info("{t}")')
                if not (skip and skip(t, str(r[1])))
            ]
            for t in tables
        }
    found = {}
    with closing(sqlite3.connect(path)) as con:
        for table in sorted(tables):
            listed = ", ".join(f'"{c}"' for c in columns[table])
            # The database's id is drawn at random by each upgrade to 0013: not content.
            where = f" WHERE key != '{identity.KEY}'" if table == "setting" else ""
            found[table] = sorted(
                con.execute(f'SELECT {listed} FROM "{table}"{where}').fetchall(), key=repr
            )
    return found


# --- what a fault must leave: the golden file, old or upgraded, whole ----------------------


def stamps(_table: str, column: str) -> bool:
    """Timestamps an upgrade gives old rows (0003): the time of the upgrade, never equal."""
    return column in ("created_at", "updated_at")


def golden_chain(folder: Path) -> dict[str | None, Path]:
    """The golden file at every revision (clean upgrades, written in `folder`), and a new
    database at the head (under None)."""
    from cmplanner.storage.database import REVISIONS

    found: dict[str | None, Path] = {"0001": GOLDEN_V1}
    previous = GOLDEN_V1
    for revision in REVISIONS[1:]:
        path = folder / f"golden-{revision}.cmplanner"
        shutil.copyfile(previous, path)
        migrate_to(path, revision)
        found[revision] = previous = path
    fresh = folder / "fresh.cmplanner"
    migrate_to(fresh, "head")
    found[None] = fresh
    return found


def assert_old_or_new(path: Path, golden_at: dict[str | None, Path]) -> str:
    """The file at `path`, as a fault left the golden file's upgrade: the old revision with
    exactly the golden file's schema and rows, or the head with a clean upgrade's; sound, its
    search index whole. Returns the revision."""
    from cmplanner.storage.database import head_revision

    revision = stamped_revision(path)
    if revision == "0001":
        assert schema_names(path) == schema_names(GOLDEN_V1)
        assert user_rows(path, GOLDEN_V1) == user_rows(GOLDEN_V1, GOLDEN_V1)
    else:
        assert revision == head_revision(), revision
        clean = golden_at[head_revision()]
        assert schema_sql(path) == schema_sql(clean)
        assert user_rows(path, GOLDEN_V1, skip=stamps) == user_rows(clean, GOLDEN_V1, skip=stamps)
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        if revision != "0001":
            con.execute("INSERT INTO contact_search(contact_search) VALUES ('integrity-check')")
            indexed = con.execute("SELECT count(*) FROM contact_search").fetchone()
            assert indexed == con.execute("SELECT count(*) FROM contact").fetchone()
    finally:
        con.close()
    return revision


def assert_opens_and_writes(path: Path) -> None:
    """Every writer opens it (upgrading it if needed) and writes; the search index follows."""
    from cmplanner.services import contacts
    from cmplanner.services.browse import CONTACTS
    from cmplanner.services.contact_data import ContactData
    from cmplanner.storage import Database
    from cmplanner.storage.database import head_revision

    with Database.open(path) as db:
        assert db.revision() == head_revision()
        before = len(CONTACTS.ids(db))
        contact_id, _ = contacts.create_contact(db, ContactData(given_name="Ulrich"))
        assert CONTACTS.ids(db, text="ulri") == [contact_id]
        assert len(CONTACTS.ids(db)) == before + 1
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        con.close()
