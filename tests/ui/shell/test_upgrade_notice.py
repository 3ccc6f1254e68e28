"""What the window says about an upgrade: one that failed (the disk filled up) in a dialog,
the file left at its old version; one an older version left half-done, undone and done again,
in one line of the status bar."""

from __future__ import annotations

import resource
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cmplanner.storage import backup as storage_backup
from cmplanner.storage import database as storage_database
from cmplanner.storage.database import head_revision
from tests.storage.migrations import (
    GOLDEN_V1,
    half_applied_files,
    stamped_revision,
    user_rows,
)
from ui.kit import errors, settings
from ui.shell import app as ui_app
from ui.shell.main_window import MainWindow

# The upgrade of the golden file writes well over this much to its WAL; its backup is made
# before the limit is set.
FULL_AT = 262_144


@pytest.fixture
def disk_full_after_backup(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], None]]:
    """From the moment the backup before an upgrade is made, no file of this process may grow
    past FULL_AT bytes: writes fail as on a full disk (Python ignores SIGXFSZ). Yields what
    frees the disk again."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    real_backup = storage_backup.create_backup

    def backup_then_fill(*args: Any, **kwargs: Any) -> Any:
        made = real_backup(*args, **kwargs)
        resource.setrlimit(resource.RLIMIT_FSIZE, (FULL_AT, hard))
        return made

    def free() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))

    monkeypatch.setattr(storage_database, "create_backup", backup_then_fill)
    try:
        yield free
    finally:
        free()


def old_file(folder: Path) -> Path:
    path = folder / "old.cmplanner"
    shutil.copyfile(GOLDEN_V1, path)
    return path


def assert_left_at_its_old_version(path: Path) -> None:
    assert stamped_revision(path) == "0001"
    assert user_rows(path, GOLDEN_V1) == user_rows(GOLDEN_V1, GOLDEN_V1)


def test_switching_to_a_database_whose_upgrade_fails_says_so_and_keeps_the_current_one(
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    disk_full_after_backup: Callable[[], None],
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(errors, "show_message", lambda text, title="": shown.append(text))
    current = window.db.path
    path = old_file(tmp_path)
    window.switch_database(path)
    disk_full_after_backup()  # free
    assert len(shown) == 1, shown
    assert "Could not upgrade" in shown[0] and str(path) in shown[0] and "\n" not in shown[0]
    assert "disk" in shown[0] and "nothing was lost" in shown[0]
    assert window.db.path == current
    assert_left_at_its_old_version(path)


def test_starting_on_a_database_whose_upgrade_fails_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, disk_full_after_backup: Callable[[], None]
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    settings.app_settings().setValue(settings.LANGUAGE, "en")
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        ui_app.QMessageBox, "critical", lambda _parent, title, text: shown.append((title, text))
    )
    path = old_file(tmp_path)
    assert ui_app.run(path) == ui_app.EXIT_CANNOT_OPEN
    disk_full_after_backup()  # free
    ((title, text),) = shown
    assert title == "Cannot open the database"
    assert text.startswith(f"Could not upgrade {path}") and "nothing was lost" in text
    assert_left_at_its_old_version(path)


def test_switching_to_a_half_upgraded_database_says_it_was_repaired(
    window: MainWindow, tmp_path: Path
) -> None:
    path = half_applied_files(GOLDEN_V1, "0001", tmp_path / "half")[-1]
    window.switch_database(path)
    assert window.db.revision() == head_revision()
    message = window.statusBar().currentMessage()
    assert "an earlier upgrade had been interrupted" in message and "\n" not in message
    window.show_section("contacts")
    assert window.view("contacts").row_count() == len(user_rows(path, GOLDEN_V1)["contact"])
