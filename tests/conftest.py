"""Shared fixtures: an isolated data folder per test, a frozen clock, template databases."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cmplanner import clock
from cmplanner.i18n import set_language
from cmplanner.storage import Database

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


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo database built per test run, at the frozen time; tests get copies."""
    from cmplanner.demo import create_demo_database

    folder = tmp_path_factory.mktemp("template")
    clock.freeze(FROZEN_NOW)
    try:
        path = folder / "demo.cmplanner"
        create_demo_database(path)
    finally:
        clock.freeze(None)
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo.cmplanner"
    shutil.copyfile(demo_template, target)
    return target


@pytest.fixture
def demo_db(demo_path: Path, frozen_clock: dt.datetime) -> Iterator[Database]:
    db = Database.open(demo_path)
    yield db
    db.close()


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[Database]:
    db = Database.open(tmp_path / "empty.cmplanner")
    yield db
    db.close()
