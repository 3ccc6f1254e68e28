"""UI tests: offscreen Qt on two laptop screens, settings in a temp folder, jobs run
synchronously."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

# Offscreen Qt with the screens of fixtures/screens.json: a 1366×768 laptop (the primary) and
# a 1280×720 one to its right, so windows are measured against the screens people have.
os.environ["QT_QPA_PLATFORM"] = (
    f"offscreen:configfile={Path(__file__).parent / 'fixtures' / 'screens.json'}"
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen"
    else os.environ["QT_QPA_PLATFORM"]
)

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

from cmplanner.storage import Database
from ui import tasks
from ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "settings"
    folder.mkdir()
    QStandardPaths.setTestModeEnabled(True)
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, str(folder / "system"))
    yield folder


@pytest.fixture(autouse=True)
def synchronous_jobs() -> Iterator[None]:
    tasks.set_executor(tasks.SynchronousExecutor())
    yield
    tasks.set_executor(tasks.SynchronousExecutor())


@pytest.fixture
def open_window(qtbot) -> Callable[[Database], MainWindow]:  # type: ignore[no-untyped-def]
    """Opens the main window on a database, shown (no backup when it closes)."""

    def open_(db: Database) -> MainWindow:
        win = MainWindow(db)
        qtbot.addWidget(win)
        win.backup_on_close = False
        win.show()
        qtbot.waitExposed(win)
        return win

    return open_


@pytest.fixture
def window(
    open_window: Callable[[Database], MainWindow], demo_db: Database, frozen_clock: dt.datetime
) -> Iterator[MainWindow]:
    win = open_window(demo_db)
    yield win
    win.close()
