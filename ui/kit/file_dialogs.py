"""Every file dialog of the app: Qt's own dialog that never opens a file to tell its type.

Qt's dialog shows each file's icon and type, and finds them by reading the file's first bytes
(QMimeDatabase content sniffing, through QFileIconProvider). Opening and closing the live
database or its -shm that way drops the POSIX locks SQLite holds on it, since those belong to
the process (sqlite.org/howtocorrupt.html, §2.2): another program could then delete the WAL
the app writes to. So the dialogs here tell a type from the file's name only.

Native dialogs (GTK's through the gtk3 platform theme, KDE's) run in our process too and do
read files; they are kept where the desktop provides them, and the storage's
`SQLiteLockGuard` makes what they drop harmless. The static `QFileDialog.get…` functions are
never used: they cannot be given the icon provider (a test checks).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileInfo, QMimeDatabase
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QFileDialog, QFileIconProvider, QMessageBox, QWidget

from cmplanner.i18n import _
from cmplanner.paths import DB_SUFFIX
from cmplanner.storage.lock import is_live


class NameOnlyIconProvider(QFileIconProvider):
    """Icons and type names told from a file's name, never from its content."""

    def __init__(self) -> None:
        super().__init__()
        self.setOptions(QFileIconProvider.Option.DontUseCustomDirectoryIcons)
        self._mime = QMimeDatabase()

    def icon(self, what: QFileInfo | QFileIconProvider.IconType) -> QIcon:
        if not isinstance(what, QFileInfo):  # an IconType: the generic icons are safe
            return super().icon(what)
        if what.isDir():
            return super().icon(QFileIconProvider.IconType.Folder)
        mime = self._mime.mimeTypeForFile(what.fileName(), QMimeDatabase.MatchMode.MatchExtension)
        generic = super().icon(QFileIconProvider.IconType.File)
        return QIcon.fromTheme(mime.iconName(), QIcon.fromTheme(mime.genericIconName(), generic))

    def type(self, info: QFileInfo) -> str:
        if not info.isFile():  # folders, drives: named without reading anything
            return super().type(info)
        if info.fileName().endswith(DB_SUFFIX):
            return _("CM Planner database")
        mime = self._mime.mimeTypeForFile(info.fileName(), QMimeDatabase.MatchMode.MatchExtension)
        return mime.comment() or mime.name()


_provider: NameOnlyIconProvider | None = None


def _dialog(
    parent: QWidget | None, caption: str, directory: str, name_filter: str = ""
) -> QFileDialog:
    global _provider
    if _provider is None:
        _provider = NameOnlyIconProvider()  # one for the app: dialogs do not own it
    dialog = QFileDialog(parent, caption, directory, name_filter)
    # Before the event loop runs, so before the dialog has asked the default provider about
    # anything (it asks when the file list is drawn).
    dialog.setIconProvider(_provider)
    dialog.setOption(QFileDialog.Option.DontUseCustomDirectoryIcons)
    return dialog


def _chosen(dialog: QFileDialog) -> list[str]:
    return dialog.selectedFiles() if dialog.exec() == QDialog.DialogCode.Accepted else []


def open_file_name(parent: QWidget | None, caption: str, directory: str, name_filter: str) -> str:
    """One existing file, or "" when cancelled."""
    dialog = _dialog(parent, caption, directory, name_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return next(iter(_chosen(dialog)), "")


def open_file_names(
    parent: QWidget | None, caption: str, directory: str, name_filter: str
) -> list[str]:
    """Existing files, or [] when cancelled."""
    dialog = _dialog(parent, caption, directory, name_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    return _chosen(dialog)


def existing_directory(parent: QWidget | None, caption: str, directory: str) -> str:
    """An existing folder, or "" when cancelled."""
    dialog = _dialog(parent, caption, directory)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly)
    return next(iter(_chosen(dialog)), "")


def save_file_name(
    parent: QWidget | None,
    caption: str,
    directory: str,
    name_filter: str,
    *,
    confirm_overwrite: bool = True,
) -> str:
    """A file name to write, or "" when cancelled. `directory` may end with a proposed name.

    The database the app has open, and the files SQLite keeps beside it, are refused: an
    export written there would replace the file under SQLite's feet, and every later save
    would go to a file that no longer has a name."""
    dialog = _dialog(parent, caption, directory, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, not confirm_overwrite)
    while True:
        name = next(iter(_chosen(dialog)), "")
        if not name or not is_live(Path(name)):
            return name
        QMessageBox.warning(
            parent,
            caption,
            _(
                "{path} is the database CM Planner has open (or a file it keeps beside it). "
                "Choose another name."
            ).format(path=name),
        )
