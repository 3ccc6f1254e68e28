"""Choosing a database file: a new one (never one that already holds data) or one to open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from cmplanner import paths
from cmplanner.i18n import N_, _
from ui.kit import file_dialogs

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
