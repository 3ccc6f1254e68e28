"""Open promises ("promesses") made to a contact, a community or an event, on their cards:
overdue ones first and in the warning colour; add one, mark one kept or dropped (undoable)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmplanner import clock
from cmplanner.bus import Changes
from cmplanner.i18n import N_, _, ngettext
from cmplanner.services import commitments as commitment_service
from cmplanner.services.commitments import CommitmentRead
from cmplanner.storage import Database
from ui.communities.commands import AddCommitment, SetCommitmentStatus
from ui.kit import accessible, theme
from ui.kit.changes import bridge
from ui.kit.date_fields import date_edit
from ui.kit.display import format_date
from ui.kit.forms import error_label, filled
from ui.kit.jobs import run_in_background
from ui.kit.models import AnyIndex, ColumnsTableModel
from ui.kit.unsaved import UnsavedChangesGuard, saved_at_once


def _target(c: CommitmentRead) -> str:
    return ", ".join(name for name in (c.contact, c.community, c.event) if name)


class CommitmentsModel(ColumnsTableModel):
    """Open promises, overdue ones first (then by due date, undated last)."""

    COLUMNS = (N_("Due"), N_("Promise"), N_("To"))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.records: list[CommitmentRead] = []

    def set_records(self, records: Sequence[CommitmentRead]) -> None:
        self.beginResetModel()
        self.records = sorted(
            records,
            key=lambda c: (not c.overdue, c.due_date is None, c.due_date or dt.date.min, c.id),
        )
        self.endResetModel()

    def record(self, row: int) -> CommitmentRead:
        return self.records[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.records):
            return None
        c = self.records[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                if c.due_date is None:
                    return _("no date") if role == Qt.ItemDataRole.DisplayRole else None
                text = format_date(c.due_date)
                if c.overdue and role == Qt.ItemDataRole.ToolTipRole:
                    late = (clock.today() - c.due_date).days
                    return ngettext("Overdue by {n} day", "Overdue by {n} days", late).format(
                        n=late
                    )
                return text
            if column == 1:
                return c.description
            return _target(c)
        if c.overdue and role == Qt.ItemDataRole.ForegroundRole:
            return theme.brush("overdue_text")
        if c.overdue and role == Qt.ItemDataRole.BackgroundRole:
            return theme.brush("overdue_bg")
        if c.overdue and column == 0 and role == Qt.ItemDataRole.DecorationRole:
            return theme.warning_icon()  # not only red: a sign, and the word for screen readers
        if c.overdue and column == 0 and role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return _("Overdue")
        if c.overdue and role == Qt.ItemDataRole.FontRole and column == 0:
            font = QFont()
            font.setBold(True)
            return font
        return None


class PromiseDialog(UnsavedChangesGuard, QDialog):
    """A new promise: what, by when, to whom (the card's contact, community or event)."""

    def __init__(self, targets: Sequence[tuple[str, dict[str, int]]], parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add a promise"))
        self.description = QLineEdit(self)
        self.description.setObjectName("promiseDescription")
        self.description.setPlaceholderText(_("What was promised?"))
        self.has_due = QCheckBox(_("Due on"), self)
        self.has_due.setChecked(True)
        self.due = date_edit(self, clock.today() + dt.timedelta(days=7), "promiseDue")
        accessible.name_after(self.due, self.has_due)
        self.has_due.toggled.connect(self.due.setEnabled)
        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due)
        due_row.addStretch(1)
        self.target = QComboBox(self)
        self.target.setObjectName("promiseTarget")
        for label, ids in targets:
            self.target.addItem(label, ids)

        form = QFormLayout(self)
        form.addRow(_("&Promise:"), self.description)
        form.addRow(_("When:"), due_row)
        form.addRow(_("&Made to:"), self.target)
        self.error = error_label(self)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Add"))
        self.ok.setEnabled(False)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.description.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        form.addRow(buttons)
        self.resize(460, self.sizeHint().height())

    def accept(self) -> None:
        if filled(self.description, self.error, _("Say what was promised.")):
            super().accept()

    def values(self) -> dict[str, Any]:
        due = self.due.date().toPython() if self.has_due.isChecked() else None
        return {
            "description": self.description.text().strip(),
            "due_date": due,
            **(self.target.currentData() or {}),
        }


class CommitmentsPanel(QWidget):
    """The open promises of a contact, a community (with those of its next event) or an
    event. Kept and Dropped act on the selected one; all of it is undoable."""

    loaded = Signal(int, int)  # (open, overdue) after each refresh

    def __init__(
        self,
        db: Database,
        push: Callable[[Any], None],
        contact_id: int | None = None,
        community_id: int | None = None,
        event_id: int | None = None,
        parent: QWidget | None = None,
        names: dict[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("commitmentsPanel")
        saved_at_once(self)  # each promise is written as it is made
        self.db, self._push = db, push
        self.contact_id, self.community_id, self.event_id = contact_id, community_id, event_id
        self.names = names or {}  # "contact" / "community" / "event" → its name, for the menu
        self.next_event: tuple[int, str] | None = None

        self.title = QLabel(_("Promises"), self)
        self.title.setObjectName("sectionTitle")
        self.add_button = QPushButton(_("Add a &promise…"), self)
        self.add_button.setObjectName("addPromise")
        self.add_button.clicked.connect(self.add_promise)
        self.kept_button = QPushButton(_("&Kept"), self)
        self.kept_button.setObjectName("promiseKept")
        self.kept_button.setToolTip(_("The selected promise was kept"))
        self.kept_button.clicked.connect(lambda: self.set_status("kept"))
        self.dropped_button = QPushButton(_("D&ropped"), self)
        self.dropped_button.setObjectName("promiseDropped")
        self.dropped_button.setToolTip(_("The selected promise will not be kept"))
        self.dropped_button.clicked.connect(lambda: self.set_status("dropped"))

        self.model = CommitmentsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("promises")
        accessible.name(self.table, _("Promises"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 160)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        kept_key = QShortcut(QKeySequence("Ctrl+Return"), self.table)
        kept_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        kept_key.activated.connect(lambda: self.set_status("kept"))

        self.empty = QLabel(_("No open promise."), self)
        self.empty.setObjectName("hint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.summary = QLabel(self)
        self.summary.setObjectName("hint")

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.summary, 1)
        top.addWidget(self.add_button)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.kept_button)
        actions.addWidget(self.dropped_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(actions)
        self._update_buttons()
        bridge().changed.connect(self.on_changes)
        self.refresh()

    # -- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        run_in_background(
            _load, self.db, self.contact_id, self.community_id, self.event_id,
            on_success=self._loaded, label="",
        )  # fmt: skip

    def _loaded(self, loaded: tuple[list[CommitmentRead], tuple[int, str] | None]) -> None:
        records, self.next_event = loaded
        self.model.set_records(records)
        self.table.setVisible(bool(records))
        self.empty.setVisible(not records)
        self.kept_button.setVisible(bool(records))
        self.dropped_button.setVisible(bool(records))
        overdue = sum(c.overdue for c in records)
        text = ngettext("{n} open", "{n} open", len(records)).format(n=len(records))
        if overdue:
            text += " · " + ngettext("{n} overdue", "{n} overdue", overdue).format(n=overdue)
        if self.next_event is not None:
            text += " · " + _("with the next event, {title}").format(title=self.next_event[1])
        self.summary.setText(text if records else "")
        self.loaded.emit(len(records), overdue)

    def on_changes(self, changes: Changes) -> None:
        if changes.touches("commitments") or changes.touches("events"):
            self.refresh()

    # -- writing ---------------------------------------------------------------------------

    def targets(self) -> list[tuple[str, dict[str, int]]]:
        """Whom a new promise can be made to, from this card."""
        found: list[tuple[str, dict[str, int]]] = []
        if self.contact_id is not None:
            name = self.names.get("contact") or _("This contact")
            found.append((name, {"contact_id": self.contact_id}))
        if self.community_id is not None:
            name = self.names.get("community") or _("This community")
            found.append((name, {"community_id": self.community_id}))
        if self.event_id is not None:
            name = self.names.get("event") or _("This event")
            found.append((name, {"event_id": self.event_id}))
        if self.community_id is not None and self.next_event is not None:
            event_id, title = self.next_event
            found.append(
                (
                    _("{community}, at the next event ({title})").format(
                        community=self.names.get("community") or _("This community"), title=title
                    ),
                    {"community_id": self.community_id, "event_id": event_id},
                )
            )
        return found

    def add_promise(self) -> None:
        dialog = PromiseDialog(self.targets(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add(dialog.values())

    def add(self, values: dict[str, Any]) -> None:
        command = AddCommitment(self.db, values)
        command.on_done = lambda _c: self.refresh()
        self._push(command)

    def selected(self) -> CommitmentRead | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def set_status(self, status: str) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        command = SetCommitmentStatus(self.db, chosen.id, chosen.description, status)
        command.on_done = lambda _c: self.refresh()
        self._push(command)

    def _update_buttons(self, *_args: Any) -> None:
        chosen = self.selected() is not None
        self.kept_button.setEnabled(chosen)
        self.dropped_button.setEnabled(chosen)


def _load(
    db: Database, contact_id: int | None, community_id: int | None, event_id: int | None
) -> tuple[list[CommitmentRead], tuple[int, str] | None]:
    """The open promises to show, and the community's next event (id, title) if any."""
    next_event = None
    event_ids: list[int | None] = [event_id] if event_id is not None else []
    if community_id is not None:
        next_id = commitment_service.next_event_id(db, community_id)
        if next_id is not None:
            next_event = (next_id, commitment_service.event_title(db, next_id))
            event_ids.append(next_id)
    if contact_id is None and community_id is None and not event_ids:
        return [], None
    if contact_id is None and community_id is None and event_id is not None:
        return commitment_service.event_commitments(db, event_id), None
    found: dict[int, CommitmentRead] = {}
    for one_event in event_ids or [None]:
        for c in commitment_service.open_commitments(
            db, contact_id=contact_id, community_id=community_id, event_id=one_event
        ):
            found.setdefault(c.id, c)
    return list(found.values()), next_event
