"""Files that are not ours, or not ours to write: refused untouched, the folder as it was.

A CM Planner database is recognised by its own marks: the application id in its header, or,
for a file older than the id, the exact set of tables of its schema revision. Everything else
(another program's SQLite file, an empty file, a newer or damaged database) is refused before
anything is written to it or beside it. A database in a read-only folder can still be read.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cmplanner.errors import DatabaseTooNew, NotACMPlannerDatabase, StorageError
from cmplanner.storage import Database
from cmplanner.storage.backup import list_backups
from cmplanner.storage.connection import APPLICATION_ID
from cmplanner.storage.database import (
    REVISIONS,
    head_revision,
    inspect_file,
    revision_tables,
)
from tests.storage.migrations import migrate_to

GOLDEN_V1 = Path(__file__).parent.parent / "golden" / "schema-0001.cmplanner"


def folder_state(folder: Path) -> dict[str, str]:
    """Every entry of `folder` and a digest of its bytes (a folder: its own state)."""
    return {
        p.name: str(folder_state(p)) if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.iterdir()
    }


def execute(path: Path, *statements: str) -> None:
    con = sqlite3.connect(path)
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()


def foreign_database(path: Path, revision: str | None, tables: tuple[str, ...]) -> Path:
    """Another program's SQLite file in WAL mode, as many programs keep theirs, that happens to
    use Alembic too (application id 0, an `alembic_version` table)."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    if revision is not None:
        con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        con.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
    for table in tables:
        con.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT)")
        con.execute(f"INSERT INTO {table} (name) VALUES ('theirs')")
    con.commit()
    con.close()  # the last connection: SQLite removes the -wal and -shm
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    return path


def run_cli(
    *args: str, unprivileged: bool = False, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cmplanner", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "CMPLANNER_LANG": "en", **(env or {})},
        timeout=120,
        preexec_fn=_bound_by_permissions if unprivileged else None,
    )


# linux/capability.h and linux/prctl.h
_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _CAP_FOWNER = 1, 2, 3
_LINUX_CAPABILITY_VERSION_3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [(name, ctypes.c_uint32) for name in ("effective", "permitted", "inheritable")]


def _bound_by_permissions() -> None:
    """In the child: as root, drop the capabilities that let root ignore permission bits, so
    a read-only folder or file binds it as it binds a user (root still owns the test's files:
    their owner bits apply). Not root: permission bits bind already.

    Root's program gets, at exec, its bounding and inheritable sets: both lose them (some
    containers hand root a full inheritable set)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    caps = (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _CAP_FOWNER)
    for cap in caps:
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")
    header = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    for cap in caps:
        data[0].inheritable &= ~(1 << cap)
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


def one_line_refusal(result: subprocess.CompletedProcess[str], *words: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    (line,) = result.stderr.splitlines()
    assert line.startswith("cmplanner: "), line
    for word in words:
        assert word in line, line
    return line


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "shared"
    folder.mkdir()
    yield folder
    folder.chmod(0o755)


# -- point 2: a foreign SQLite file is not ours ---------------------------------------------


FOREIGN_CASES = {
    "a small revision": ("0001", ("user", "session")),
    "one of our revisions, other tables": ("0012", ("contact", "organization", "note")),
    "a revision we do not know": ("ae1027a6acf", ("user", "session")),
    "no revision": (None, ("moz_places",)),
}


@pytest.mark.parametrize("case", FOREIGN_CASES)
def test_a_foreign_sqlite_file_is_refused_by_every_opener_and_left_untouched(
    tmp_path: Path, case: str
) -> None:
    folder = tmp_path / "theirs"
    folder.mkdir()
    revision, tables = FOREIGN_CASES[case]
    path = foreign_database(folder / "app.sqlite", revision, tables)
    before = folder_state(folder)
    for attempt in (
        lambda: inspect_file(path),
        lambda: Database.open(path),
        lambda: Database.open(path, writer=False),
    ):
        with pytest.raises(NotACMPlannerDatabase, match="not a CM Planner database"):
            attempt()
        assert folder_state(folder) == before  # no -wal, -shm, -journal or .lock beside it


def test_restore_backup_info_and_writers_refuse_a_foreign_file(
    demo_path: Path, tmp_path: Path
) -> None:
    """The reported case: `restore other.sqlite` replaced the live database with it."""
    folder = tmp_path / "theirs"
    folder.mkdir()
    other = foreign_database(folder / "other.sqlite", "0003", ("user", "session"))
    theirs = folder_state(folder)
    live = folder_state(demo_path.parent)

    line = one_line_refusal(run_cli("--db", str(demo_path), "restore", str(other)), str(other))
    assert "not a CM Planner database" in line
    assert folder_state(demo_path.parent) == live  # the live database was not replaced
    assert list_backups(demo_path) == []  # nor even backed up: nothing was about to change
    for command in (
        ("info",),
        ("backup",),
        ("contacts", "list"),
        ("events", "add", "--title", "x", "--start", "2026-12-01T10:00", "--end",
         "2026-12-01T11:00"),
    ):  # fmt: skip
        one_line_refusal(run_cli("--db", str(other), *command), "not a CM Planner database")
    assert folder_state(folder) == theirs
    assert list_backups(other) == []
    with Database.open(demo_path, writer=False) as db:
        assert db.revision() == head_revision()


def test_restore_into_refuses_a_foreign_file_before_touching_the_live_database(
    demo_db: Database, tmp_path: Path
) -> None:
    """The GUI's restore goes through restore_into."""
    from cmplanner.storage.database import restore_into

    (tmp_path / "theirs").mkdir()
    other = foreign_database(tmp_path / "theirs" / "other.sqlite", "0001", ("user",))
    demo_db.checkpoint()
    before = hashlib.sha256(demo_db.path.read_bytes()).hexdigest()
    with pytest.raises(NotACMPlannerDatabase):
        restore_into(demo_db, other)
    assert hashlib.sha256(demo_db.path.read_bytes()).hexdigest() == before
    assert list_backups(demo_db.path) == []


def test_a_newer_revision_is_only_newer_in_a_file_with_our_application_id(
    tmp_path: Path,
) -> None:
    ours = tmp_path / "ours.cmplanner"
    Database.open(ours).close()
    execute(ours, "UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(DatabaseTooNew, match="newer version of CM Planner"):
        inspect_file(ours)
    execute(ours, "PRAGMA application_id = 0")
    with pytest.raises(NotACMPlannerDatabase, match="not a CM Planner database"):
        inspect_file(ours)


def test_the_pinned_table_sets_are_what_the_migrations_create(tmp_path: Path) -> None:
    path = tmp_path / "steps.cmplanner"
    for revision in REVISIONS:
        migrate_to(path, revision)
        con = sqlite3.connect(path)
        tables = {
            name
            for (name,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%'"
                " ESCAPE '!'"
            )
        }
        con.close()
        assert revision_tables(revision) == tables, revision
    with pytest.raises(KeyError):
        revision_tables("0099")


def without_application_id(source: Path, target: Path) -> Path:
    if source != target:
        shutil.copyfile(source, target)
    execute(target, "PRAGMA application_id = 0")
    return target


def test_a_cm_planner_file_older_than_the_application_id_still_opens(tmp_path: Path) -> None:
    """Every file CM Planner ever made has the id (the golden file of 0001 too); one without
    it but with exactly the tables of its revision is still ours: upgraded, then marked."""
    with sqlite3.connect(GOLDEN_V1) as golden:
        assert golden.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
    old = without_application_id(GOLDEN_V1, tmp_path / "old.cmplanner")
    assert inspect_file(old).revision == "0001"
    with Database.open(old) as db:
        assert db.revision() == head_revision()
        assert db.pragma("application_id") == APPLICATION_ID
    current = tmp_path / "current.cmplanner"
    Database.open(current).close()
    without_application_id(current, current)
    with Database.open(current) as db:
        assert db.pragma("application_id") == APPLICATION_ID


@pytest.mark.parametrize("change", ["one table more", "one table less"])
def test_an_old_looking_file_whose_tables_differ_is_not_ours(tmp_path: Path, change: str) -> None:
    path = without_application_id(GOLDEN_V1, tmp_path / "old.cmplanner")
    if change == "one table more":
        execute(path, "CREATE TABLE wp_posts (id INTEGER PRIMARY KEY)")
    else:
        execute(path, "DROP TABLE setting")
    before = folder_state(tmp_path)
    with pytest.raises(NotACMPlannerDatabase, match="not a CM Planner database"):
        Database.open(path)
    assert folder_state(tmp_path) == before


# -- point 7: an empty file, a missing folder -----------------------------------------------


def test_a_zero_byte_file_is_refused_not_turned_into_a_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.cmplanner"
    path.touch()
    before = folder_state(tmp_path)
    for opener in (lambda: Database.open(path), lambda: Database.open(path, writer=False)):
        with pytest.raises(NotACMPlannerDatabase, match="empty file"):
            opener()
        assert folder_state(tmp_path) == before
    one_line_refusal(run_cli("--db", str(path), "events", "add", "--title", "x", "--start",
                             "2026-12-01T10:00", "--end", "2026-12-01T11:00"),
                     str(path), "empty file", "to create a new database")  # fmt: skip
    # Restoring it: the advice to delete it to make a new database would be out of place.
    line = one_line_refusal(
        run_cli("--db", str(tmp_path / "live.cmplanner"), "restore", str(path)),
        str(path), "empty file",
    )  # fmt: skip
    assert "create" not in line
    assert folder_state(tmp_path) == before and path.stat().st_size == 0


def test_a_database_path_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "there.cmplanner"
    with pytest.raises(StorageError, match="does not exist"):
        Database.open(path)
    assert not (tmp_path / "not").exists()
    line = one_line_refusal(run_cli("--db", str(path), "demo"), "does not exist")
    assert str(path.parent) in line
    assert not (tmp_path / "not").exists()


def test_the_default_database_still_gets_its_data_folder(tmp_path: Path) -> None:
    home = tmp_path / "fresh" / "home"
    card = tmp_path / "one.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoé Lambert\r\nN:Lambert;Zoé;;;\r\n"
                    "END:VCARD\r\n", encoding="utf-8")  # fmt: skip
    result = run_cli("contacts", "import", str(card), env={"CMPLANNER_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    assert inspect_file(home / "collection.cmplanner").revision == head_revision()


def test_a_creation_killed_halfway_leaves_no_file_to_refuse(tmp_path: Path) -> None:
    """A new database is built beside its name and put in place whole: a kill while it is
    being made leaves no empty or half-made file, so the next start creates it again."""
    path = tmp_path / "new.cmplanner"
    script = (
        "import os, signal\n"
        "from alembic import command\n"
        "real = command.upgrade\n"
        "def upgrade_then_die(*a, **k):\n"
        "    real(*a, **k)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "command.upgrade = upgrade_then_die\n"
        "from cmplanner.storage import Database\n"
        f"Database.open({str(path)!r})\n"
    )
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert not path.exists()
    with Database.open(path) as db:
        assert db.revision() == head_revision()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("home")) == [
        "new.cmplanner",
        "new.cmplanner.lock",
    ]


def test_a_database_another_process_created_meanwhile_is_opened_not_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two first starts at once: the one that takes the lock second opens what the first
    made (it used to fail with "a file appeared there")."""
    from cmplanner.storage import database

    path = tmp_path / "new.cmplanner"
    take_lock = database.acquire_lock

    def the_other_made_it_first(where: Path) -> object:
        script = f"from cmplanner.storage import Database; Database.open({str(where)!r}).close()"
        subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
        return take_lock(where)

    monkeypatch.setattr(database, "acquire_lock", the_other_made_it_first)
    with Database.open(path) as db, db.transaction() as session:
        from cmplanner.model import Contact

        session.add(Contact(given_name="Zoé", family_name="Lambert"))
    assert inspect_file(path).revision == head_revision()


# -- points 8 and 9: read-only places, and refusals that leave no trace ---------------------


def closed_database(path: Path) -> Path:
    """A demo-sized database left as CM Planner leaves it: WAL mode, no -wal or -shm."""
    with Database.open(path) as db, db.transaction() as session:
        from cmplanner.model import Contact

        session.add(Contact(given_name="Zoé", family_name="Lambert"))
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, path.name + ".lock"]
    path.with_name(path.name + ".lock").unlink()
    assert path.read_bytes()[18:20] == b"\x02\x02"  # the header's WAL mode
    return path


def test_a_database_in_a_read_only_folder_can_be_read_not_written(
    read_only_folder: Path,
) -> None:
    path = closed_database(read_only_folder / "club.cmplanner")
    read_only_folder.chmod(0o555)
    before = folder_state(read_only_folder)
    result = run_cli("--db", str(path), "contacts", "list", unprivileged=True)
    assert result.returncode == 0, result.stderr
    assert "Zoé Lambert" in result.stdout
    result = run_cli("--db", str(path), "info", unprivileged=True)
    assert result.returncode == 0, result.stderr
    assert f"Schema revision: {head_revision()}" in result.stdout
    result = run_cli("--db", str(path), "events", "list", unprivileged=True)
    assert result.returncode == 0, result.stderr
    result = run_cli("--db", str(path), "backup", unprivileged=True)  # into the data folder
    assert result.returncode == 0, result.stderr
    assert [b.reason for b in list_backups(path)] == ["manual"]
    line = one_line_refusal(
        run_cli("--db", str(path), "events", "add", "--title", "x", "--start",
                "2026-12-01T10:00", "--end", "2026-12-01T11:00", unprivileged=True),
        str(path), "read-only",
    )  # fmt: skip
    assert "folder" in line
    assert folder_state(read_only_folder) == before


def test_changes_waiting_in_a_wal_that_cannot_be_read_are_named(read_only_folder: Path) -> None:
    """A database copied with its -wal but not its -shm onto a read-only medium: reading it
    as it stands in the file would miss the changes, so it is refused with the reason."""
    path = closed_database(read_only_folder / "club.cmplanner")
    script = (
        "import os\n"
        "from cmplanner.model import Contact\n"
        "from cmplanner.storage import Database\n"
        f"db = Database.open({str(path)!r})\n"
        "with db.transaction() as session:\n"
        "    session.add(Contact(given_name='Yann', family_name='Le Goff'))\n"
        "os._exit(0)\n"  # no close: the -wal keeps the change
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    path.with_name(path.name + "-shm").unlink()
    path.with_name(path.name + ".lock").unlink()
    assert path.with_name(path.name + "-wal").stat().st_size > 0
    read_only_folder.chmod(0o555)
    before = folder_state(read_only_folder)
    one_line_refusal(
        run_cli("--db", str(path), "contacts", "list", unprivileged=True),
        str(path), "folder is read-only", "club.cmplanner-wal",
    )  # fmt: skip
    assert folder_state(read_only_folder) == before
    read_only_folder.chmod(0o755)
    result = run_cli("--db", str(path), "contacts", "list")
    assert "Yann Le Goff" in result.stdout, result.stderr


def test_a_read_only_database_file_is_read_and_refused_to_writers_without_a_trace(
    tmp_path: Path,
) -> None:
    """Readers used to leave a -wal and -shm beside it, read-only like the file, which then
    kept the database read-only for writers once the file was writable again."""
    folder = tmp_path / "mine"
    folder.mkdir()
    path = closed_database(folder / "club.cmplanner")
    path.chmod(0o444)
    before = folder_state(folder)
    for command in (("info",), ("events", "list")):
        result = run_cli("--db", str(path), *command, unprivileged=True)
        assert result.returncode == 0, result.stderr
    result = run_cli("--db", str(path), "contacts", "list", unprivileged=True)
    assert "Zoé Lambert" in result.stdout, result.stderr
    assert folder_state(folder) == before
    one_line_refusal(
        run_cli("--db", str(path), "events", "add", "--title", "x", "--start",
                "2026-12-01T10:00", "--end", "2026-12-01T11:00", unprivileged=True),
        str(path), "read-only",
    )  # fmt: skip
    assert folder_state(folder) == before
    path.chmod(0o644)
    result = run_cli("--db", str(path), "events", "add", "--title", "x", "--start",
                     "2026-12-01T10:00", "--end", "2026-12-01T11:00",
                     unprivileged=True)  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_refusing_a_newer_or_truncated_database_leaves_the_folder_as_it_was(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    newer = closed_database(folder / "newer.cmplanner")
    execute(newer, "UPDATE alembic_version SET version_num = '0099'")
    assert sorted(p.name for p in folder.iterdir()) == ["newer.cmplanner"]  # still WAL mode
    truncated = folder / "truncated.cmplanner"
    truncated.write_bytes(newer.read_bytes()[:5000])
    before = folder_state(folder)
    with pytest.raises(DatabaseTooNew):
        Database.open(newer)
    with pytest.raises(NotACMPlannerDatabase, match="damaged"):
        Database.open(truncated)
    for opener in (lambda p: Database.open(p, writer=False), inspect_file):
        with pytest.raises(StorageError):
            opener(newer)
        with pytest.raises(StorageError):
            opener(truncated)
    assert folder_state(folder) == before
    one_line_refusal(run_cli("--db", str(newer), "info"), "newer version")
    one_line_refusal(run_cli("--db", str(truncated), "contacts", "list"), "damaged")
    assert folder_state(folder) == before
