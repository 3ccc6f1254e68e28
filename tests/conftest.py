"""Shared fixtures: an isolated data folder per test, a frozen clock, template databases."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cmplanner import clock
from cmplanner.i18n import set_language
from cmplanner.storage import Database, identity

# A Thursday evening in Paris, in winter: every date-relative test sees the same "now".
FROZEN_NOW = dt.datetime(2026, 11, 19, 17, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("CMPLANNER_HOME", str(home))
    monkeypatch.delenv("CMPLANNER_DB", raising=False)
    # A system that says no region, whatever the machine's: English dates and times are
    # written as in en_GB, French ones as in fr_FR. A test about a region sets it (`region`).
    monkeypatch.setenv("LANG", "C.UTF-8")
    for variable in ("LC_ALL", "LC_TIME"):
        monkeypatch.delenv(variable, raising=False)
    set_language("en")
    return home


@pytest.fixture
def region(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Set the system's locale ("en_US"), as LANG says it: the region the app's dates and
    times follow (`cmplanner.i18n.locale_name`)."""

    def set_region(name: str) -> None:
        monkeypatch.setenv("LANG", f"{name}.UTF-8")

    return set_region


@pytest.fixture
def frozen_clock() -> Iterator[dt.datetime]:
    clock.freeze(FROZEN_NOW)
    yield FROZEN_NOW
    clock.freeze(None)


@contextlib.contextmanager
def template_home(folder: Path) -> Iterator[None]:
    """A template is built once per run, before any test's `isolated_home`: it gets a data
    folder of its own, so building it never reads or writes the user's."""
    home = folder / "home"
    home.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CMPLANNER_HOME", str(home))
        patch.delenv("CMPLANNER_DB", raising=False)
        yield


def closed_file(path: Path) -> Path:
    """`path`, checked to be a closed database: everything in the file, no -wal or -shm
    beside it, so that copying the file alone copies the database."""
    for suffix in ("-wal", "-shm", "-journal"):
        assert not Path(f"{path}{suffix}").exists(), f"{path}{suffix} was left behind"
    return path


def copy_database(template: Path, target: Path) -> Path:
    """A copy of the closed database `template` at `target`, with an id of its own
    (storage/identity.py), as a database made there from scratch would have."""
    shutil.copyfile(template, target)
    with contextlib.closing(sqlite3.connect(target)) as con:
        con.execute("PRAGMA synchronous=OFF")  # a test's file: no need to wait for the disk
        identity.write_id(con, identity.new_id())
    return closed_file(target)  # the last connection closed: the log went back in the file


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One new database, migrated to the latest schema, per test run: running every
    migration for each test cost a tenth of a second each time. Tests get copies; the tests
    of the migrations themselves run them (tests/storage/migrations.py)."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "empty.cmplanner"
    with template_home(folder):
        Database.open(path, backup=False).close()
    return closed_file(path)


@pytest.fixture
def new_database(empty_template: Path) -> Callable[[Path], Path]:
    """Puts at a path what opening a missing file there would create (an empty database at
    the latest schema, with an id of its own), copied from the template; returns the path."""
    return lambda path: copy_database(empty_template, path)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo database built per test run, at the frozen time; tests get copies."""
    from cmplanner.demo import create_demo_database

    folder = tmp_path_factory.mktemp("template")
    path = folder / "demo.cmplanner"
    clock.freeze(FROZEN_NOW)
    try:
        with template_home(folder):
            create_demo_database(path)
    finally:
        clock.freeze(None)
    return closed_file(path)


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    return copy_database(demo_template, tmp_path / "demo.cmplanner")


@pytest.fixture
def demo_db(demo_path: Path, frozen_clock: dt.datetime) -> Iterator[Database]:
    db = Database.open(demo_path)
    yield db
    db.close()


@pytest.fixture
def empty_db(new_database: Callable[[Path], Path], tmp_path: Path) -> Iterator[Database]:
    db = Database.open(new_database(tmp_path / "empty.cmplanner"))
    yield db
    db.close()
