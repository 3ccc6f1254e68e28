"""A person's rights: export everything held about them, or erase them for good."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QIcon, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListView,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from cmplanner.i18n import N_, _, ngettext
from cmplanner.interop.contacts import person
from cmplanner.services import privacy
from cmplanner.storage import Database
from ui.kit import accessible, file_dialogs
from ui.kit.jobs import run_in_background
from ui.kit.models import TableModel
from ui.kit.sizing import scaled


def _safe_name(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name).strip("-") or "contact"


def export_person(parent: QWidget, db: Database, contact_id: int, name: str) -> None:
    """Ask where, then write the person's data (JSON + vCard, in a .zip)."""
    default = Path.home() / _("{name}-data.zip").format(name=_safe_name(name))
    chosen = file_dialogs.save_file_name(
        parent,
        _("Export {name}'s data").format(name=name),
        str(default),
        _("Zip archives (*.zip)"),
    )
    if chosen:
        run_export_person(parent, db, contact_id, Path(chosen))


def run_export_person(parent: QWidget, db: Database, contact_id: int, path: Path) -> None:
    def done(written: Path) -> None:
        window = parent.window()
        if hasattr(window, "show_message"):
            window.show_message(_("Exported to {path}").format(path=written))

    run_in_background(
        person.export_person, db, contact_id, path, on_success=done, label=_("Exporting…")
    )


class EraseDialog(QDialog):
    """The confirmation of an erasure: what it does, that it is final, which backups remain."""

    def __init__(self, name: str, backups: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Erase {name}").format(name=name))
        self.backups = backups
        title = QLabel(_("Erase {name} for good?").format(name=name), self)
        title.setObjectName("sectionTitle")
        text = QLabel(
            _(
                "This removes {name} and everything about them: card, e-mails, phones, "
                "addresses, memberships, notes and interaction history. Events keep an "
                "anonymous head-count. <b>This cannot be undone.</b>"
            ).format(name=name),
            self,
        )
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(text)
        self.purge = QCheckBox(self)
        self.purge.setObjectName("purgeBackups")
        if backups:
            held = QLabel(
                ngettext(
                    "{n} backup still contains {name}:",
                    "{n} backups still contain {name}:",
                    len(backups),
                ).format(n=len(backups), name=name),
                self,
            )
            held.setWordWrap(True)
            self.model = TableModel([(N_("File"), lambda p: p.name)], self)
            self.model.set_records(backups)
            listing = QListView(self)
            accessible.name(listing, _("Backups"))
            listing.setModel(self.model)
            listing.setMaximumHeight(scaled(90))
            listing.setToolTip("\n".join(str(p) for p in backups))
            self.purge.setText(
                ngettext(
                    "Also delete that backup", "Also delete those {n} backups", len(backups)
                ).format(n=len(backups))
            )
            layout.addSpacing(6)
            layout.addWidget(held)
            layout.addWidget(listing)
            layout.addWidget(self.purge)
        else:
            self.purge.hide()
            none = QLabel(_("No backup contains {name}.").format(name=name), self)
            none.setObjectName("hint")
            layout.addWidget(none)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.erase_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.erase_button.setText(_("Erase for good"))
        self.erase_button.setObjectName("danger")
        self.erase_button.setIcon(QIcon())
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setDefault(True)  # Enter never erases by accident
        self.erase_button.setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addSpacing(6)
        layout.addWidget(buttons)
        self.setMinimumWidth(500)

    def purge_backups(self) -> bool:
        return bool(self.backups) and self.purge.isChecked()


def erase_person(
    parent: QWidget,
    db: Database,
    contact_id: int,
    name: str,
    undo_stack: QUndoStack | None = None,
) -> None:
    """Name the backups that hold the person, confirm, then erase (not undoable)."""

    def confirm(backups: list[Path]) -> None:
        dialog = EraseDialog(name, backups, parent)
        if dialog.exec():
            run_erase(parent, db, contact_id, dialog.purge_backups(), undo_stack)

    run_in_background(
        privacy.backups_holding, db, contact_id, on_success=confirm, label=_("Checking backups…")
    )


def run_erase(
    parent: QWidget,
    db: Database,
    contact_id: int,
    purge_backups: bool,
    undo_stack: QUndoStack | None = None,
) -> None:
    if undo_stack is not None:
        # Undo steps may hold the person's data (a deleted or merged card): let them go too.
        undo_stack.clear()

    def done(report: Any) -> None:
        if report.backups_holding and not report.purged:
            text = ngettext(
                "{name} was erased. {n} backup still contains them.",
                "{name} was erased. {n} backups still contain them.",
                len(report.backups_holding),
            ).format(name=report.name, n=len(report.backups_holding))
        else:
            text = _("{name} was erased.").format(name=report.name)
        window = parent.window()
        if hasattr(window, "show_message"):
            window.show_message(text)
        else:
            QMessageBox.information(parent, _("Erased"), text)

    run_in_background(
        privacy.erase_contact, db, contact_id, purge_backups, on_success=done, label=_("Erasing…")
    )
