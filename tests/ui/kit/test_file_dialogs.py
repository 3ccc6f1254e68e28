"""The app's file dialogs never open a file to tell its type: opening and closing the live
database (or its -shm) would drop SQLite's locks, since POSIX locks belong to the process.

The storage's guard (tests/storage/test_lock_guard.py) makes such a drop harmless where it
can; these tests switch it off, so that only SQLite's own locks are left to be dropped, and
look at them from another process, the only one they ever stop."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel

from cmplanner.storage import Database, lock
from tests.storage.test_lock_guard import dead_man_switch, shared_range
from ui.kit import file_dialogs
from ui.shell.main_window import MainWindow

UI = Path(__file__).resolve().parents[3] / "ui"


@pytest.fixture
def unguarded_window(
    qtbot, demo_path: Path, frozen_clock: dt.datetime, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    """The main window on a database with SQLite's locks alone (no OFD guard)."""

    def refused(*_args: object) -> None:
        raise OSError(22, "Invalid argument")

    monkeypatch.setattr(lock, "_ofd_lock", refused)
    db = Database.open(demo_path)
    with db.read() as con:  # a reader of ours holds the -shm too
        con.execute("SELECT count(*) FROM contact").fetchone()
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.backup_on_close = False
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def cancel_once_listed(then: Callable[[QFileDialog], None] | None = None) -> None:
    """When the file dialog has listed its folder and drawn it (icons, the Type column: what
    makes Qt read files), let `then` look at it and cancel the dialog."""
    waited = {"ms": 0}

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        model = dialog.findChild(QFileSystemModel) if isinstance(dialog, QFileDialog) else None
        listed = model is not None and model.rowCount(model.index(dialog.directory().path())) > 0
        if (not listed) and waited["ms"] < 5000:
            waited["ms"] += 50
            QTimer.singleShot(50, check)
            return
        assert isinstance(dialog, QFileDialog), "no file dialog was shown"
        dialog.grab()  # paint every view: each visible file's icon and type are asked for
        QApplication.processEvents()
        if then is not None:
            then(dialog)
        dialog.reject()

    QTimer.singleShot(50, check)


def test_open_database_then_cancel_keeps_sqlite_locks(unguarded_window: MainWindow) -> None:
    db = unguarded_window.db
    assert shared_range(db) == "locked" and dead_man_switch(db) == "locked"
    cancel_once_listed()
    unguarded_window.open_database_dialog()
    assert unguarded_window.db is db  # cancelled: nothing else opened
    assert shared_range(db) == "locked"
    assert dead_man_switch(db) == "locked"


@pytest.mark.parametrize(
    ("ask", "lists_files"),
    [
        (lambda folder: file_dialogs.open_file_name(None, "Open", folder, "All (*)"), True),
        (lambda folder: file_dialogs.open_file_names(None, "Import", folder, "All (*)"), True),
        (lambda folder: file_dialogs.save_file_name(None, "Export", folder, "All (*)"), True),
        (lambda folder: file_dialogs.existing_directory(None, "Folder", folder), False),
    ],
    ids=["open", "open several", "save", "folder"],
)
def test_no_dialog_drops_sqlite_locks(
    unguarded_window: MainWindow, ask: Callable[[str], object], lists_files: bool
) -> None:
    db = unguarded_window.db
    (db.path.parent / "a folder").mkdir()  # something to list in a folder dialog too
    types: dict[str, str] = {}

    def read_types(dialog: QFileDialog) -> None:
        model = dialog.findChild(QFileSystemModel)
        root = model.index(str(db.path.parent))
        for row in range(model.rowCount(root)):
            name = model.index(row, 0, root).data()
            types[name] = model.index(row, 2, root).data()

    cancel_once_listed(read_types)
    assert ask(str(db.path.parent)) in ("", [])
    assert shared_range(db) == "locked"
    assert dead_man_switch(db) == "locked"
    assert types["a folder"] == "Folder"
    if lists_files:  # its type told from its name, without reading it
        assert types["demo.cmplanner"] == "CM Planner database"


def test_the_open_database_is_refused_as_an_export_target(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing an export over the live database would replace the file under SQLite: every
    later save would go to a file without a name."""
    answers = iter([[str(window.db.path)], [str(window.db.path) + "-wal"], []])
    warned: list[str] = []
    monkeypatch.setattr(file_dialogs, "_chosen", lambda _dialog: next(answers))
    monkeypatch.setattr(
        file_dialogs.QMessageBox, "warning", lambda _parent, _title, text: warned.append(text)
    )
    assert file_dialogs.save_file_name(window, "Export", str(window.db.path.parent), "") == ""
    assert len(warned) == 2 and str(window.db.path) in warned[0]
    other = window.db.path.with_name("export.vcf")
    answers = iter([[str(other)]])
    assert file_dialogs.save_file_name(window, "Export", str(other), "") == str(other)


def test_every_file_dialog_goes_through_the_one_helper() -> None:
    """Qt's static dialogs (QFileDialog.getOpenFileName…) read files to show their type; only
    ui/kit/file_dialogs.py may open a QFileDialog."""
    offenders = [
        f"{path.relative_to(UI.parent)}:{number}"
        for path in sorted(UI.rglob("*.py"))
        if path.name != "file_dialogs.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        # The class used, not its name as a translation context ("QFileDialog", "&Look in:").
        if re.search(r"\bQFileDialog\b(?!\")", line)
    ]
    assert offenders == []
