"""An organization's editor: name, kind, website, e-mail, phone, address, notes, and its
people with their roles (role edited in place)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmplanner.i18n import N_, _
from cmplanner.model.enums import OrganizationKind
from cmplanner.services.contact_data import OrganizationData
from cmplanner.services.organizations import OrganizationDetails
from cmplanner.storage import Database
from ui.communities.editor import ContactPicker
from ui.kit import accessible
from ui.kit.forms import error_label, filled, save_cancel
from ui.kit.models import AnyIndex, ColumnsTableModel
from ui.kit.sizing import resize_within_screen, scaled
from ui.kit.unsaved import UnsavedChangesGuard
from ui.organizations import commands


@dataclass
class PersonRow:
    contact_id: int
    name: str
    role: str


class PeopleModel(ColumnsTableModel):
    """The organization's people; the role column is editable."""

    COLUMNS = (N_("Name"), N_("Role"))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.people: list[PersonRow] = []

    def set_people(self, people: Sequence[PersonRow]) -> None:
        self.beginResetModel()
        self.people = list(people)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.people)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.people):
            return None
        person = self.people[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return person.name if index.column() == 0 else person.role
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 1 or role != Qt.ItemDataRole.EditRole:
            return False
        self.people[index.row()].role = str(value).strip()
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() == 1 else flags

    def add(self, people: Sequence[tuple[int, str]], role: str = "") -> None:
        have = {p.contact_id for p in self.people}
        new = [PersonRow(cid, name, role) for cid, name in people if cid not in have]
        if new:
            self.beginInsertRows(QModelIndex(), len(self.people), len(self.people) + len(new) - 1)
            self.people.extend(new)
            self.endInsertRows()

    def remove_rows(self, rows: Sequence[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.people[row]
            self.endRemoveRows()

    def pairs(self) -> list[tuple[int, str]]:
        return [(p.contact_id, p.role) for p in self.people]


class OrganizationEditor(UnsavedChangesGuard, QDialog):
    def __init__(
        self,
        db: Database,
        details: OrganizationDetails | None,
        push: Callable[[Any], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("organizationEditor")
        self.db = db
        self.details = details
        self._push = push
        data = details.data if details else OrganizationData(name="")
        self.setWindowTitle(_("Edit organization") if details else _("New organization"))

        def line(text: str, placeholder: str = "") -> QLineEdit:
            edit = QLineEdit(text, self)
            edit.setPlaceholderText(placeholder)
            return edit

        self.name = line(data.name)
        self.name.textChanged.connect(self._update_save)
        self.kind = QComboBox(self)
        for kind in OrganizationKind:
            self.kind.addItem(kind.label, kind.value)
        self.kind.setCurrentIndex(max(0, self.kind.findData(data.kind)))
        self.website = line(data.website, "https://…")
        self.email = line(data.email, "contact@example.org")
        self.phone = line(data.phone)
        self.street = line(data.street, _("Street"))
        self.postal_code = line(data.postal_code, _("Postal code"))
        self.postal_code.setFixedWidth(scaled(100))
        self.city = line(data.city, _("City"))
        self.country = line(data.country, _("Country"))
        for field in (self.street, self.postal_code, self.city, self.country):
            accessible.name(field, field.placeholderText())
        self.notes = QPlainTextEdit(data.notes, self)
        self.notes.setFixedHeight(scaled(70))
        where = QHBoxLayout()
        for widget in (self.postal_code, self.city, self.country):
            where.addWidget(widget, 0 if widget is self.postal_code else 1)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(_("Name:"), self.name)
        form.addRow(_("Kind:"), self.kind)
        form.addRow(_("Website:"), self.website)
        form.addRow(_("E-mail:"), self.email)
        form.addRow(_("Phone:"), self.phone)
        form.addRow(_("Address:"), self.street)
        form.addRow("", where)
        form.addRow(_("Notes:"), self.notes)

        self.people = PeopleModel(self)
        self.people.set_people(
            [PersonRow(p.contact_id, p.name, p.role) for p in (details.people if details else ())]
        )
        self.table = QTableView(self)
        accessible.name(self.table, _("People"), _("Double-click a role to change it."))
        self.table.setModel(self.people)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        self.add_button = QPushButton(_("Add people…"), self)
        self.add_button.clicked.connect(self.pick_people)
        self.remove_button = QPushButton(_("Remove"), self)
        self.remove_button.clicked.connect(self.remove_selected)
        hint = QLabel(_("Double-click a role to change it."), self)
        hint.setObjectName("hint")
        people_buttons = QHBoxLayout()
        people_buttons.addWidget(self.add_button)
        people_buttons.addWidget(self.remove_button)
        people_buttons.addStretch(1)
        people_buttons.addWidget(hint)

        title = QLabel(_("People"), self)
        title.setObjectName("sectionTitle")
        buttons, self.save_button = save_cancel(self, self.accept, self.reject)
        self.error = error_label(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addLayout(people_buttons)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        resize_within_screen(self, 620, 640)
        self._update_save()
        self._update_buttons()

    def _update_save(self) -> None:
        self.save_button.setEnabled(bool(self.name.text().strip()))

    def _update_buttons(self, *_args: Any) -> None:
        self.remove_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def pick_people(self) -> None:
        picker = ContactPicker(self.db, _("Add people"), parent=self)
        if picker.exec():
            self.people.add(picker.chosen())

    def remove_selected(self) -> None:
        self.people.remove_rows([i.row() for i in self.table.selectionModel().selectedRows()])
        self._update_buttons()

    def data(self) -> OrganizationData:
        return OrganizationData(
            name=self.name.text().strip(),
            kind=str(self.kind.currentData()),
            website=self.website.text().strip(),
            email=self.email.text().strip(),
            phone=self.phone.text().strip(),
            street=self.street.text().strip(),
            postal_code=self.postal_code.text().strip(),
            city=self.city.text().strip(),
            country=self.country.text().strip(),
            notes=self.notes.toPlainText().strip(),
            uid=self.details.data.uid if self.details else None,
        )

    def edit_state(self) -> tuple[OrganizationData, list[tuple[int, str]]]:
        return self.data(), self.people.pairs()

    def accept(self) -> None:
        if not filled(self.name, self.error, _("An organization needs a name.")):
            return
        data = self.data()
        old_people = [(p.contact_id, p.role) for p in (self.details.people if self.details else ())]
        new_people = self.people.pairs()
        if self.details is None or data != self.details.data or old_people != new_people:
            self._push(
                commands.EditOrganization(
                    self.db,
                    self.details.id if self.details else None,
                    self.details.data if self.details else None,
                    data,
                    old_people,
                    new_people,
                )
            )
        super().accept()
