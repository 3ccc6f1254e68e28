"""Choosing a database file, a new one (never one that already holds data) or one to open,
and opening it in place of the window's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from cmplanner import paths
from cmplanner.i18n import N_, _
from cmplanner.storage import Database
from ui.kit import errors, file_dialogs
from ui.kit.jobs import run_in_background

FILE_FILTER = N_("CM Planner databases (*.cmplanner);;All files (*)")


def ask_new_database(parent: QWidget) -> Path | None:
    name = file_dialogs.save_file_name(
        parent,
        _("New database"),
        str(paths.data_dir() / _("new-database.cmplanner")),
        _(FILE_FILTER),
        confirm_overwrite=False,
    )
    if not name:
        return None
    path = Path(name)
    if not path.suffix:
        path = path.with_suffix(paths.DB_SUFFIX)
    if path.exists() and path.stat().st_size > 0:
        QMessageBox.warning(
            parent,
            _("New database"),
            _("{path} already exists. Use File ▸ Open database… to open it.").format(path=path),
        )
        return None
    return path


def ask_database(parent: QWidget, folder: Path) -> Path | None:
    name = file_dialogs.open_file_name(parent, _("Open database"), str(folder), _(FILE_FILTER))
    return Path(name) if name else None


class DatabaseSwitch(QObject):
    """Another database, opened on the worker: `opened` hands it to the window, then the one
    it replaces (`current()` until then) is closed."""

    opened = Signal(object)  # the new Database

    def __init__(self, window: QWidget, current: Callable[[], Database]) -> None:
        super().__init__(window)
        self.dialog_parent = window
        self.current = current

    def switch(self, path: Path) -> None:
        """Open `path` (creating it if missing) and show it; the current one is closed."""
        path = Path(path).expanduser().resolve()
        if path == self.current().path:
            return
        run_in_background(
            Database.open,
            path,
            on_success=self._opened,
            on_failure=lambda exc: errors.report(exc, _("Cannot open the database")),
            label=_("Opening {name}…").format(name=path.name),
        )

    def _opened(self, new_db: Database) -> None:
        old = self.current()
        self.opened.emit(new_db)
        run_in_background(old.close)

    def ask_new(self) -> None:
        path = ask_new_database(self.dialog_parent)
        if path is not None:
            self.switch(path)

    def ask_open(self) -> None:
        path = ask_database(self.dialog_parent, self.current().path.parent)
        if path is not None:
            self.switch(path)
