"""Rename, merge into another, delete: the same three actions for organizations,
communities, tags and venues, each undoable (`NamedRecordWrite`), and a small "Manage tags…" /
"Manage venues…" dialog for the kinds that have no section of their own."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QVBoxLayout,
    QWidget,
)

from cmplanner.bus import Changes
from cmplanner.i18n import N_, _
from cmplanner.model.matching import fold
from cmplanner.services import named_records
from cmplanner.services.named_records import KINDS, NamedRecord, Usage
from cmplanner.storage import Database
from ui.kit import accessible
from ui.kit.changes import bridge
from ui.kit.choice_combo import ChoiceModel, SearchableCombo
from ui.kit.jobs import run_in_background
from ui.kit.models import RecordListModel
from ui.kit.undo import SnapshotCommand

Push = Callable[[Any], None]


class NamedRecordWrite(SnapshotCommand[named_records.Snapshot]):
    """A rename, merge or delete of an organization, community, tag or venue. Undo puts
    back exactly what it changed (ids included: contacts and events find theirs again)."""

    def __init__(self, db: Database, text: str, write: Callable[[], Any]) -> None:
        super().__init__(db, text, write, lambda snapshot: named_records.restore(db, snapshot))


class RenameRecord(NamedRecordWrite):
    def __init__(self, db: Database, kind: str, record_id: int, old: str, new: str) -> None:
        text = _("Rename “{old}” to “{new}”").format(old=old, new=new)
        super().__init__(db, text, lambda: named_records.rename(db, kind, record_id, new))


class MergeRecords(NamedRecordWrite):
    def __init__(
        self, db: Database, kind: str, source: int, source_name: str, target: int, target_name: str
    ) -> None:
        text = _("Merge “{source}” into “{target}”").format(source=source_name, target=target_name)
        super().__init__(db, text, lambda: named_records.merge(db, kind, source, target))


class DeleteRecord(NamedRecordWrite):
    def __init__(self, db: Database, kind: str, record_id: int, name: str) -> None:
        text = _("Delete “{name}”").format(name=name)
        super().__init__(db, text, lambda: named_records.delete(db, kind, record_id))


@dataclass(frozen=True)
class KindTexts:
    """What the dialogs call each kind (msgids: French needs the article with the noun)."""

    manage: str
    rename: str
    delete: str  # with {name}
    empty: str


TEXTS = {
    "organization": KindTexts(
        N_("Manage organizations"),
        N_("Rename the organization"),
        N_("Delete the organization “{name}”?"),
        N_("No organizations yet."),
    ),
    "community": KindTexts(
        N_("Manage communities"),
        N_("Rename the community"),
        N_("Delete the community “{name}”?"),
        N_("No communities yet."),
    ),
    "tag": KindTexts(
        N_("Manage tags"),
        N_("Rename the tag"),
        N_("Delete the tag “{name}”?"),
        N_("No tags yet: type them in a contact's card, or use Add a tag… on contacts."),
    ),
    "venue": KindTexts(
        N_("Manage venues"),
        N_("Rename the venue"),
        N_("Delete the venue “{name}”?"),
        N_("No venues yet: create one in an event's editor (Venue ▸ New venue…)."),
    ),
}


# --- the three actions ------------------------------------------------------------------------


def rename_record(
    parent: QWidget, db: Database, push: Push, kind: str, record_id: int, name: str
) -> None:
    """Ask for the new name; a name another one has offers to merge into it instead."""
    dialog = QInputDialog(parent)
    dialog.setObjectName("renameDialog")
    dialog.setWindowTitle(_(TEXTS[kind].rename))
    dialog.setLabelText(_("New name for “{name}”:").format(name=name))
    dialog.setTextValue(name)
    dialog.setOkButtonText(_("Rename"))
    dialog.setCancelButtonText(_("Cancel"))
    line = dialog.findChild(QLineEdit)
    if line is not None:  # its title and a long name readable
        line.setMinimumWidth(360)
    if not dialog.exec():
        return
    new = " ".join(dialog.textValue().split())
    if not new or new == name:
        return

    def decide(taken: NamedRecord | None) -> None:
        if taken is None:
            push(RenameRecord(db, kind, record_id, name, new))
            return
        box = QMessageBox(QMessageBox.Icon.Question, _(TEXTS[kind].rename), "", parent=parent)
        box.setObjectName("nameTakenBox")
        box.setText(_("“{name}” already exists.").format(name=taken.name))
        box.setInformativeText(
            _(
                "Merge “{source}” into “{target}”? Everything that uses “{source}” will use "
                "“{target}”. Edit ▸ Undo reverses it."
            ).format(source=name, target=taken.name)
        )
        _widen(box)
        merge = box.addButton(_("Merge"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is merge:
            push(MergeRecords(db, kind, record_id, name, taken.id, taken.name))

    run_in_background(named_records.same_name, db, kind, new, record_id, on_success=decide)


def _widen(box: QMessageBox, width: int = 440) -> None:
    """A message box sizes itself to its first line: a few words a line for the rest. A
    spacer across its grid gives the explanation room."""
    grid = box.layout()
    if isinstance(grid, QGridLayout):
        spacer = QSpacerItem(width, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)
        grid.addItem(spacer, grid.rowCount(), 0, 1, grid.columnCount())


class MergeIntoDialog(QDialog):
    """Which record `name` merges into, and what that does."""

    def __init__(
        self,
        name: str,
        usage: Usage,
        others: Sequence[NamedRecord],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mergeIntoDialog")
        self.setWindowTitle(_("Merge “{name}” into…").format(name=name))
        self.others = list(others)
        self.target = SearchableCombo(ChoiceModel(parent=self), self)
        self.target.setObjectName("mergeTarget")
        accessible.name(self.target, _("Merge into:"))
        self.target.set_items([(r.id, r.name) for r in self.others])
        if self.others:  # the likeliest one first: "Club vélo Lyon" into "Vélo Lyon"
            likeliest = max(self.others, key=lambda r: _likeness(name, r.name))
            self.target.set_current_id(likeliest.id)
        explained = QLabel(
            _(
                "{usage} Everything that uses “{name}” will use the one chosen here, then "
                "“{name}” disappears. Edit ▸ Undo reverses it."
            ).format(usage=usage.text(), name=name),
            self,
        )
        explained.setWordWrap(True)
        explained.setObjectName("hint")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.merge_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.merge_button.setText(_("Merge"))
        self.merge_button.setEnabled(bool(self.others))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Merge into:"), self))
        layout.addWidget(self.target)
        layout.addWidget(explained)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def chosen(self) -> NamedRecord | None:
        target_id = self.target.currentData()
        return next((r for r in self.others if r.id == target_id), None)


def _likeness(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, fold(a), fold(b)).ratio()


def merge_record(
    parent: QWidget, db: Database, push: Push, kind: str, record_id: int, name: str
) -> None:
    """Ask which record to merge into (everything moves over), then merge, undoably."""

    def ask(found: tuple[NamedRecord, ...]) -> None:
        source = next((r for r in found if r.id == record_id), None)
        if source is None:
            return  # deleted meanwhile: nothing to merge
        dialog = MergeIntoDialog(
            name, source.usage, [r for r in found if r.id != record_id], parent
        )
        target = dialog.chosen() if dialog.exec() else None
        if target is not None:
            push(MergeRecords(db, kind, record_id, name, target.id, target.name))

    run_in_background(named_records.records, db, kind, on_success=ask)


def delete_record(
    parent: QWidget, db: Database, push: Push, kind: str, record_id: int, name: str
) -> None:
    """Say what uses it and what becomes of that, then delete, undoably."""

    def confirm(usage: Usage) -> None:
        text = _(TEXTS[kind].delete).format(name=name)
        box = QMessageBox(QMessageBox.Icon.Warning, _("Delete"), text, parent=parent)
        box.setObjectName("deleteRecordBox")
        said = [usage.text()]
        if usage:
            said.append(_(KINDS[kind].after_delete))
        said.append(_("Edit ▸ Undo brings it back."))
        box.setInformativeText(" ".join(said))
        _widen(box)
        delete = box.addButton(_("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.exec()
        if box.clickedButton() is delete:
            push(DeleteRecord(db, kind, record_id, name))

    run_in_background(named_records.usage, db, kind, record_id, on_success=confirm)


def add_record_actions(
    menu: QMenu,
    parent: QWidget,
    db: Database,
    push: Push,
    kind: str,
    record_id: int,
    name: str,
    keys: bool = True,
) -> None:
    """Rename…, Merge into…, Delete… of one record, at the end of a context menu; `keys`:
    show F2 and Delete beside them (where the list answers to those keys)."""
    for text, act, object_name, key in (
        (_("&Rename…"), rename_record, "renameRecord", QKeySequence(Qt.Key.Key_F2)),
        (_("&Merge into…"), merge_record, "mergeRecord", None),
        (
            _("&Delete…"),
            delete_record,
            "deleteRecord",
            QKeySequence(QKeySequence.StandardKey.Delete),
        ),
    ):
        action = menu.addAction(text)
        action.setObjectName(object_name)
        if keys and key is not None:
            action.setShortcut(key)
        action.triggered.connect(
            lambda _checked=False, act=act: act(parent, db, push, kind, record_id, name)
        )


# --- "Manage tags…", "Manage venues…" ---------------------------------------------------------


class NamedRecordsModel(RecordListModel):
    """Records of one kind: the name, what uses it as a tooltip, the id as user data."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(lambda r: r.name, lambda r: r.usage.text(), lambda r: r.id, parent=parent)


class ManageDialog(QDialog):
    """The tags (or venues…) in a list, each renamed, merged or deleted from here."""

    def __init__(self, db: Database, kind: str, push: Push, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.kind, self._push = db, kind, push
        self.setObjectName("manageDialog")
        self.setWindowTitle(_(TEXTS[kind].manage))
        self.model = NamedRecordsModel(self)
        self.list = QListView(self)
        self.list.setObjectName("namedRecords")
        accessible.name(self.list, _(TEXTS[kind].manage))
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.doubleClicked.connect(lambda _index: self.rename())
        for key, slot in (
            (QKeySequence.StandardKey.Delete, self.delete),
            (Qt.Key.Key_F2, self.rename),
        ):
            action = QAction(self.list)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
            self.list.addAction(action)
        self.usage = QLabel(self)
        self.usage.setObjectName("hint")
        self.usage.setWordWrap(True)
        self.empty = QLabel(_(TEXTS[kind].empty), self)
        self.empty.setWordWrap(True)
        self.empty.hide()
        self.rename_button = QPushButton(_("&Rename…"), self)
        self.merge_button = QPushButton(_("&Merge into…"), self)
        self.delete_button = QPushButton(_("&Delete…"), self)
        self.rename_button.clicked.connect(lambda _checked=False: self.rename())
        self.merge_button.clicked.connect(lambda _checked=False: self.merge())
        self.delete_button.clicked.connect(lambda _checked=False: self.delete())
        close = QPushButton(_("Close"), self)
        close.clicked.connect(self.accept)
        buttons = QVBoxLayout()
        for button in (self.rename_button, self.merge_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        body = QHBoxLayout()
        column = QVBoxLayout()
        column.addWidget(self.list, 1)
        column.addWidget(self.empty)
        column.addWidget(self.usage)
        body.addLayout(column, 1)
        body.addLayout(buttons)
        QVBoxLayout(self).addLayout(body)
        selection = self.list.selectionModel()
        selection.currentChanged.connect(lambda *_a: self._update())
        self.model.modelReset.connect(self._update)
        bridge().changed.connect(self._on_changes)
        self._update()
        self.resize(480, 380)

    def load(self) -> None:
        run_in_background(named_records.records, self.db, self.kind, on_success=self._show)

    def _show(self, records: tuple[NamedRecord, ...]) -> None:
        current = self.current()
        self.model.set_records(records)
        rows = [n for n, r in enumerate(records) if current and r.id == current.id]
        if records:
            self.list.setCurrentIndex(self.model.index(rows[0] if rows else 0, 0))
        self.empty.setVisible(not records)
        self.list.setVisible(bool(records))

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(KINDS[self.kind].changes) and self.isVisible():
            self.load()

    def current(self) -> NamedRecord | None:
        index = self.list.currentIndex()
        return self.model.records[index.row()] if index.isValid() else None

    def select(self, record_id: int) -> None:
        for n, record in enumerate(self.model.records):
            if record.id == record_id:
                self.list.setCurrentIndex(self.model.index(n, 0))

    def _update(self) -> None:
        record = self.current()
        for button in (self.rename_button, self.merge_button, self.delete_button):
            button.setEnabled(record is not None)
        self.merge_button.setEnabled(record is not None and len(self.model.records) > 1)
        self.usage.setText(record.usage.text() if record is not None else "")

    def record_menu(self) -> QMenu | None:
        """The menu of a right-click (or the Menu key) on the current record."""
        record = self.current()
        if record is None:
            return None
        menu = QMenu(self)
        add_record_actions(menu, self, self.db, self._push, self.kind, record.id, record.name)
        return menu

    def _menu(self, pos: Any) -> None:
        menu = self.record_menu()
        if menu is not None:
            menu.exec(self.list.viewport().mapToGlobal(pos))

    def rename(self) -> None:
        record = self.current()
        if record is not None:
            rename_record(self, self.db, self._push, self.kind, record.id, record.name)

    def merge(self) -> None:
        record = self.current()
        if record is not None:
            merge_record(self, self.db, self._push, self.kind, record.id, record.name)

    def delete(self) -> None:
        record = self.current()
        if record is not None:
            delete_record(self, self.db, self._push, self.kind, record.id, record.name)


def manage(parent: QWidget, db: Database, push: Push, kind: str) -> ManageDialog:
    """Open the Manage… dialog of a kind (its list loads in the background)."""
    dialog = ManageDialog(db, kind, push, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    # Ctrl+Z and Ctrl+Shift+Z work in it too (the window's own are blocked while it is open).
    window_commands = getattr(parent, "commands", {})
    dialog.addActions([window_commands[k] for k in ("undo", "redo") if k in window_commands])
    dialog.open()
    dialog.load()
    return dialog
