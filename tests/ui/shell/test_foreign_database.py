"""The window refuses another program's SQLite file, and an empty one, wherever it meets
them (at start, File ▸ Open database…, restoring a backup), with one message; the file and
its folder stay as they were, and the database on screen stays open."""

from __future__ import annotations

import hashlib
import sqlite3
import sys
from pathlib import Path

import pytest

from cmplanner.storage.backup import list_backups
from ui.kit import errors, settings
from ui.shell import app as ui_app
from ui.shell.main_window import MainWindow


def folder_state(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def foreign_sqlite(path: Path) -> Path:
    """Another program that keeps its schema with Alembic, at a revision as small as ours."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
    con.execute("INSERT INTO alembic_version VALUES ('0001')")
    con.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    con.commit()
    con.close()
    return path


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(title, text) of every dialog shown."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(errors, "show_message", lambda text, title="": shown.append((title, text)))
    monkeypatch.setattr(
        errors, "show_exception_dialog", lambda exc: shown.append(("bug", repr(exc)))
    )
    return shown


def test_starting_on_a_foreign_or_empty_file_is_refused_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    # The start-up probe: the window, if one opened, would close once filled, and a refusal
    # is written to stderr instead of a dialog.
    monkeypatch.setenv(ui_app.PROBE_ENV, "1")
    monkeypatch.setattr(errors, "non_interactive", errors.non_interactive)
    settings.app_settings().setValue(settings.LANGUAGE, "en")
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    other = foreign_sqlite(folder / "notes.sqlite")
    empty = folder / "empty.cmplanner"
    empty.touch()
    before = folder_state(folder)
    assert ui_app.run(other) == ui_app.EXIT_CANNOT_OPEN
    assert ui_app.run(empty) == ui_app.EXIT_CANNOT_OPEN
    refused = capsys.readouterr().err.splitlines()
    assert len(refused) == 2
    assert "not a CM Planner database" in refused[0] and "empty file" in refused[1]
    assert folder_state(folder) == before


def test_opening_or_restoring_a_foreign_file_keeps_the_database_on_screen(
    window: MainWindow, tmp_path: Path, messages: list[tuple[str, str]]
) -> None:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    other = foreign_sqlite(folder / "notes.sqlite")
    before = folder_state(folder)
    shown = window.db
    window.db.checkpoint()
    live = hashlib.sha256(window.db.path.read_bytes()).hexdigest()

    window.switch_database(other)
    window.restore(other)

    assert window.db is shown
    assert [title for title, _text in messages] == [
        "Cannot open the database",
        "Restore from backup",
    ]
    for _title, text in messages:
        assert str(other) in text and "not a CM Planner database" in text
    assert folder_state(folder) == before
    assert hashlib.sha256(window.db.path.read_bytes()).hexdigest() == live
    assert list_backups(window.db.path) == []
