"""Choosing a backup to restore."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmplanner.i18n import _
from cmplanner.storage.backup import BackupInfo
from ui.kit.models import BackupListModel


class RestoreDialog(QDialog):
    """Lists the database's backups (`list_backups`, read on the worker); `chosen()` is the
    one to restore, after confirmation."""

    def __init__(self, backups: Sequence[BackupInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Restore from backup"))
        self.model = BackupListModel(backups, self)

        intro = QLabel(
            _(
                "Choose the backup to go back to. What the database holds now is backed up "
                "first, so a restore can itself be undone."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.doubleClicked.connect(lambda _index: self.accept())

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button = self.buttons.addButton(
            _("Restore…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if self.model.rowCount():
            layout.addWidget(self.table, 1)
            self.table.selectRow(0)
        else:
            self.table.hide()  # else it lingers in the top corner, over the intro
            empty = QLabel(_("This database has no backups yet."), self)
            empty.setObjectName("emptyState")
            layout.addWidget(empty, 1)
            self.restore_button.setEnabled(False)
        layout.addWidget(self.buttons)
        self.resize(520, 380)

    def chosen(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.backups[rows[0].row()] if rows else None

    def accept(self) -> None:
        backup = self.chosen()
        if backup is None:
            return
        when = self.model.data(self.model.index(self.model.backups.index(backup), 0))
        answer = QMessageBox.question(
            self,
            _("Restore from backup"),
            _(
                "Replace the whole database with the backup of {when}?\n\n"
                "Changes made since then will be set aside in a new backup."
            ).format(when=when),
        )
        if answer == QMessageBox.StandardButton.Yes:
            super().accept()
