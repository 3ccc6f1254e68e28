"""The event editor's "Budget" and "Partners and team" pages: budget lines (label, amount,
paid) with their totals, partner organizations with what was promised to them, and the core
team on site with their roles. Edited in memory; the editor saves them with the event."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QRect,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmplanner.errors import ValidationError
from cmplanner.formats import amount_text, money_text
from cmplanner.i18n import N_, _
from cmplanner.services import event_extras
from cmplanner.services.event_extras import (
    BudgetLineData,
    ContactChoice,
    PartnerData,
    TeamMemberData,
)
from cmplanner.storage import Database
from ui.kit import accessible
from ui.kit.forms import error_label, show_error
from ui.kit.jobs import run_in_background
from ui.kit.models import AnyIndex, ColumnsTableModel

SEARCH_DELAY_MS = 250
SUGGESTIONS = 20
_EDIT = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole)


class ExtrasTable(QTableView):
    """A small editable table: Insert adds a row, Delete removes the selected ones, and
    Enter ends a cell's editing without saving the whole dialog."""

    insertRequested = Signal()
    deleteRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.setWordWrap(False)

    def keyPressEvent(self, event: Any) -> None:
        key = event.key()
        editing = self.state() == QAbstractItemView.State.EditingState
        if key == Qt.Key.Key_Insert and not editing:
            self.insertRequested.emit()
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not editing:
            self.deleteRequested.emit()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # The delegate commits the cell; the dialog must not take Enter as "Save".
            if not editing and self.currentIndex().isValid():
                self.edit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.selectionModel().selectedRows()})


class _RowsModel(ColumnsTableModel):
    """Rows of small mutable records; `changed` after any edit, insertion or removal."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []
        for signal in (self.dataChanged, self.rowsInserted, self.rowsRemoved, self.modelReset):
            signal.connect(lambda *_a: self.changed.emit())

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def append(self, row: Any) -> int:
        at = len(self.rows)
        self.beginInsertRows(QModelIndex(), at, at)
        self.rows.append(row)
        self.endInsertRows()
        return at

    def remove_rows(self, rows: Sequence[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self.rows):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.rows[row]
                self.endRemoveRows()

    def _changed(self, index: AnyIndex) -> None:
        self.dataChanged.emit(index, index)


# --- budget -------------------------------------------------------------------------------------


@dataclass
class _Line:
    label: str
    cents: int
    paid: bool
    id: int | None = None


class BudgetModel(_RowsModel):
    COLUMNS = (N_("Label"), N_("Amount"), N_("Paid"))
    LABEL, AMOUNT, PAID = range(3)

    refused = Signal(str)  # a typed amount that is not one: the reason

    def lines(self) -> tuple[BudgetLineData, ...]:
        return tuple(BudgetLineData(r.label.strip(), r.cents, r.paid, r.id) for r in self.rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        line: _Line = self.rows[index.row()]
        column = index.column()
        if column == self.LABEL and role in _EDIT:
            return line.label
        if column == self.AMOUNT:
            if role == Qt.ItemDataRole.DisplayRole:
                return money_text(line.cents)
            if role == Qt.ItemDataRole.EditRole:
                return amount_text(line.cents) if line.cents else ""
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if column == self.PAID:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if line.paid else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.ToolTipRole:
                return _("Paid") if line.paid else _("Not paid yet")
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and orientation == Qt.Orientation.Horizontal
            and section == self.AMOUNT
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().headerData(section, orientation, role)

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.row() >= len(self.rows):
            return False
        line: _Line = self.rows[index.row()]
        column = index.column()
        if column == self.PAID and role == Qt.ItemDataRole.CheckStateRole:
            line.paid = Qt.CheckState(value) == Qt.CheckState.Checked
        elif column == self.LABEL and role == Qt.ItemDataRole.EditRole:
            line.label = str(value).strip()
        elif column == self.AMOUNT and role == Qt.ItemDataRole.EditRole:
            try:
                line.cents = event_extras.parse_amount(str(value))
            except ValidationError as exc:
                self.refused.emit(str(exc))
                return False
        else:
            return False
        self._changed(index)
        return True

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.PAID:
            return flags | Qt.ItemFlag.ItemIsUserCheckable
        return flags | Qt.ItemFlag.ItemIsEditable


class BudgetPanel(QWidget):
    """The "Budget" page: the lines, buttons to add and remove, and the totals under them."""

    def __init__(self, lines: Sequence[BudgetLineData] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("budgetPage")
        self.model = BudgetModel(self)
        self.model.set_rows([_Line(b.label, b.amount_cents, b.paid, b.id) for b in lines])
        self.table = ExtrasTable(self)
        self.table.setObjectName("budgetTable")
        accessible.name(self.table, _("Budget"))
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(BudgetModel.LABEL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(BudgetModel.AMOUNT, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(BudgetModel.PAID, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(BudgetModel.AMOUNT, self._amount_width())
        self.add_button = QPushButton(_("Add a line"), self)
        self.add_button.setObjectName("addBudgetLine")
        self.add_button.setToolTip(_("Add a budget line (Insert)"))
        self.remove_button = QPushButton(_("Remove"), self)
        self.remove_button.setObjectName("removeBudgetLine")
        self.remove_button.setToolTip(_("Remove the selected lines (Delete)"))
        self.error = error_label(self)

        # Totals, as on an invoice: labels then amounts, right-aligned under the amounts.
        self.planned = self._total("plannedTotal")
        self.paid = self._total("paidTotal")
        self.left = self._total("leftTotal")
        totals = QGridLayout()
        totals.setColumnStretch(0, 1)
        totals.setHorizontalSpacing(12)
        for row, (text, value) in enumerate(
            ((_("Planned:"), self.planned), (_("Paid:"), self.paid), (_("Left to pay:"), self.left))
        ):
            label = QLabel(text, self)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            totals.addWidget(label, row, 1)
            totals.addWidget(value, row, 2)
        font = self.left.font()
        font.setBold(True)
        self.left.setFont(font)
        # Keep the amounts' right edge under the Amount column's (the Paid column is after it).
        self._totals = totals
        header.sectionResized.connect(lambda *_a: self._align_totals())

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addLayout(totals)

        self.add_button.clicked.connect(self.add_line)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.insertRequested.connect(self.add_line)
        self.table.deleteRequested.connect(self.remove_selected)
        self.model.refused.connect(lambda message: show_error(self.error, message))
        self.model.changed.connect(self._update)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self._update()

    def _align_totals(self) -> None:
        paid = self.table.columnWidth(BudgetModel.PAID) + self.table.frameWidth()
        self._totals.setContentsMargins(0, 0, paid, 0)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._align_totals()

    def _total(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        label.setMinimumWidth(self._amount_width() - 12)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _amount_width(self) -> int:
        sample = money_text(99_999_999)
        return self.fontMetrics().horizontalAdvance(sample) + 24

    def lines(self) -> tuple[BudgetLineData, ...]:
        """The lines as edited; a line left with neither label nor amount is dropped."""
        return tuple(b for b in self.model.lines() if b.label or b.amount_cents)

    def add_line(self) -> None:
        row = self.model.append(_Line("", 0, False))
        index = self.model.index(row, BudgetModel.LABEL)
        self.table.setCurrentIndex(index)
        self.table.setFocus()
        self.table.edit(index)

    def remove_selected(self) -> None:
        rows = self.table.selected_rows()
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        self.model.remove_rows(rows)

    def _update(self) -> None:
        found = event_extras.totals(self.model.lines())
        self.planned.setText(money_text(found.planned_cents))
        self.paid.setText(money_text(found.paid_cents))
        self.left.setText(money_text(found.left_cents))
        show_error(self.error, "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.table.selected_rows()))


# --- partners and team ------------------------------------------------------------------------


@dataclass
class _Partner:
    organization_id: int
    name: str
    obligations: str


@dataclass
class _Member:
    contact_id: int
    name: str
    role: str


class _NamedRowsModel(_RowsModel):
    """A name (read-only) and one editable text: obligations, or a role."""

    TEXT = ""  # the attribute edited in column 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in _EDIT or (role == Qt.ItemDataRole.ToolTipRole and index.column() == 1):
            return row.name if index.column() == 0 else getattr(row, self.TEXT)
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 1 or role != Qt.ItemDataRole.EditRole:
            return False
        setattr(self.rows[index.row()], self.TEXT, str(value).strip())
        self._changed(index)
        return True

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() == 1 else flags


class PartnersModel(_NamedRowsModel):
    COLUMNS = (N_("Organization"), N_("Obligations"))
    TEXT = "obligations"

    def partners(self) -> tuple[PartnerData, ...]:
        return tuple(PartnerData(p.organization_id, p.obligations, p.name) for p in self.rows)


class TeamModel(_NamedRowsModel):
    COLUMNS = (N_("Name"), N_("Role"))
    TEXT = "role"

    def team(self) -> tuple[TeamMemberData, ...]:
        return tuple(TeamMemberData(m.contact_id, m.role, m.name) for m in self.rows)


class ContactSearchEdit(QLineEdit):
    """Type a few letters of a name: the matching contacts (the first few, searched in the
    background, never the whole book) drop down to choose from."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.choices: list[ContactChoice] = []
        self._chosen: ContactChoice | None = None
        self._asked = ""
        self.suggestions = QStringListModel(self)
        self.completer_ = QCompleter(self.suggestions, self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setWidget(self)
        self.completer_.activated.connect(self._on_activated)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self.textEdited.connect(self._on_edited)

    def _on_edited(self, _text: str) -> None:
        self._chosen = None
        self._timer.start()

    def search_now(self) -> None:
        self._timer.stop()
        text = self.text().strip()
        self._asked = text
        if not text:
            self.show_error([])
            return
        run_in_background(
            event_extras.find_contacts, self.db, text, SUGGESTIONS, on_success=self._answered
        )

    def _answered(self, found: list[ContactChoice]) -> None:
        if self.text().strip() != self._asked:
            return  # the user typed on: a newer search is on its way
        self.show_error(found)

    def show_error(self, found: list[ContactChoice]) -> None:
        self.choices = list(found)
        self.suggestions.setStringList([c.label for c in found])
        if found and self.window().focusWidget() is self:  # the user is still in the field
            # As wide as the names and e-mails need (a field's width would cut them).
            popup = self.completer_.popup()
            assert popup is not None
            scrollbar = popup.verticalScrollBar()
            metrics = popup.fontMetrics()
            wanted = max(metrics.horizontalAdvance(c.label) for c in found) + 32
            wanted += scrollbar.sizeHint().width() if scrollbar is not None else 0
            self.completer_.complete(QRect(0, 0, max(self.width(), wanted), self.height()))
        elif not found and (popup := self.completer_.popup()) is not None:
            popup.hide()

    def _on_activated(self, text: str) -> None:
        self.choose(next((c for c in self.choices if c.label == text), None))

    def choose(self, choice: ContactChoice | None) -> None:
        self._chosen = choice
        if choice is not None:
            self.setText(choice.label)

    def chosen(self) -> ContactChoice | None:
        """The contact picked, or the only suggestion the typed text names exactly."""
        if self._chosen is not None and self.text() == self._chosen.label:
            return self._chosen
        text = self.text().strip().casefold()
        exact = [c for c in self.choices if text in (c.name.casefold(), c.label.casefold())]
        return exact[0] if len(exact) == 1 else None

    def clear_choice(self) -> None:
        self._chosen = None
        self.choices = []
        self.suggestions.setStringList([])
        self.clear()


class _EnterAdds(QObject):
    """Enter in an "add" row's field adds the row (and does not save the dialog), unless the
    field is empty — then Enter keeps its usual meaning."""

    def __init__(self, fields: Sequence[QWidget], add: Callable[[], None], parent: QObject):
        super().__init__(parent)
        self.fields = list(fields)
        self.add = add
        for field in self.fields:
            field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)  # type: ignore[attr-defined]
            and any(_text_of(f) for f in self.fields)
        ):
            self.add()
            return True
        return False


def _text_of(widget: QWidget) -> str:
    if isinstance(widget, QComboBox):
        return widget.currentText().strip()
    if isinstance(widget, QLineEdit):
        return widget.text().strip()
    return ""


def _table(parent: QWidget, name: str, model: _RowsModel) -> ExtrasTable:
    table = ExtrasTable(parent)
    table.setObjectName(name)
    table.setModel(model)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    table.setColumnWidth(0, 200)
    return table


class PartnersTeamPanel(QWidget):
    """The "Partners and team" page. `teamChanged` when someone joins or leaves the team
    (the editor checks them for other events at the same time)."""

    teamChanged = Signal()

    def __init__(
        self,
        db: Database,
        organizations: Sequence[Any],  # vocabulary.Choice
        partners: Sequence[PartnerData] = (),
        team: Sequence[TeamMemberData] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("partnersTeamPage")
        self.db = db

        partners_box = self._build_partners(organizations, partners)
        team_box = self._build_team(team)
        layout = QVBoxLayout(self)
        layout.addWidget(partners_box, 1)
        layout.addWidget(team_box, 1)
        self._connect()

    def _build_partners(
        self, organizations: Sequence[Any], partners: Sequence[PartnerData]
    ) -> QGroupBox:
        """Partner organizations and what each is owed."""
        self.organization = QComboBox(self)
        self.organization.setObjectName("partnerOrganization")
        accessible.name(self.organization, _("Organization"))
        self.organization.setEditable(True)
        self.organization.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for choice in organizations:
            self.organization.addItem(choice.name, choice.id)
        completer = QCompleter(self.organization.model(), self.organization)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.organization.setCompleter(completer)
        self.organization.setCurrentIndex(-1)
        org_edit = self.organization.lineEdit()
        assert org_edit is not None
        org_edit.setPlaceholderText(_("Organization…"))
        self.obligations = QLineEdit(self)
        self.obligations.setObjectName("partnerObligations")
        self.obligations.setPlaceholderText(_("Logo on the sheet, drinks offered…"))
        accessible.name(self.obligations, _("Obligations"), _("What the partner is owed in return"))
        self.add_partner_button = QPushButton(_("Add"), self)
        self.add_partner_button.setObjectName("addPartner")
        self.partners_model = PartnersModel(self)
        self.partners_model.set_rows(
            [_Partner(p.organization_id, p.name, p.obligations) for p in partners]
        )
        self.partners_table = _table(self, "partnersTable", self.partners_model)
        accessible.name(self.partners_table, _("Partner organizations"))
        self.remove_partner_button = QPushButton(_("Remove"), self)
        self.remove_partner_button.setObjectName("removePartner")
        self.remove_partner_button.setToolTip(_("Remove the selected partners (Delete)"))
        self.partner_error = error_label(self)

        return self._list_box(
            _("Partner organizations"),
            (self.organization, self.obligations, self.add_partner_button),
            self.partner_error,
            self.partners_table,
            self.remove_partner_button,
        )

    def _build_team(self, team: Sequence[TeamMemberData]) -> QGroupBox:
        """The core team on site, and the role of each."""
        self.contact = ContactSearchEdit(self.db, self)
        self.contact.setObjectName("teamContact")
        self.contact.setPlaceholderText(_("Type a name…"))
        self.role = QLineEdit(self)
        self.role.setObjectName("teamRole")
        self.role.setPlaceholderText(_("Role: welcome, bar, photos…"))
        accessible.name(self.role, _("Role"), self.role.placeholderText())
        self.add_member_button = QPushButton(_("Add"), self)
        self.add_member_button.setObjectName("addTeamMember")
        self.team_model = TeamModel(self)
        self.team_model.set_rows([_Member(m.contact_id, m.name, m.role) for m in team])
        self.team_table = _table(self, "teamTable", self.team_model)
        accessible.name(self.team_table, _("Core team on site"))
        self.remove_member_button = QPushButton(_("Remove"), self)
        self.remove_member_button.setObjectName("removeTeamMember")
        self.remove_member_button.setToolTip(_("Remove the selected people (Delete)"))
        self.team_error = error_label(self)

        return self._list_box(
            _("Core team on site"),
            (self.contact, self.role, self.add_member_button),
            self.team_error,
            self.team_table,
            self.remove_member_button,
        )

    def _connect(self) -> None:
        self.add_partner_button.clicked.connect(self.add_partner)
        self.add_member_button.clicked.connect(self.add_member)
        self.remove_partner_button.clicked.connect(self.remove_partners)
        self.remove_member_button.clicked.connect(self.remove_members)
        self.partners_table.deleteRequested.connect(self.remove_partners)
        self.team_table.deleteRequested.connect(self.remove_members)
        self.partners_table.insertRequested.connect(self.organization.setFocus)
        self.team_table.insertRequested.connect(self.contact.setFocus)
        org_edit = self.organization.lineEdit()
        assert org_edit is not None
        self._enter_partner = _EnterAdds([org_edit, self.obligations], self.add_partner, self)
        self._enter_member = _EnterAdds([self.contact, self.role], self.add_member, self)
        self.team_model.rowsInserted.connect(lambda *_a: self.teamChanged.emit())
        self.team_model.rowsRemoved.connect(lambda *_a: self.teamChanged.emit())
        for table, button in (
            (self.partners_table, self.remove_partner_button),
            (self.team_table, self.remove_member_button),
        ):
            table.selectionModel().selectionChanged.connect(
                lambda *_a, t=table, b=button: b.setEnabled(bool(t.selected_rows()))
            )
            button.setEnabled(False)

    def _list_box(
        self,
        title: str,
        add_row: tuple[QWidget, QWidget, QPushButton],
        error: QLabel,
        table: QTableView,
        remove_button: QPushButton,
    ) -> QGroupBox:
        """A titled box: who and what (2:3) with the Add button, the error line, the table,
        and the Remove button under it on the left."""
        group = QGroupBox(title, self)
        who, what, add_button = add_row
        top = QHBoxLayout()
        top.addWidget(who, 2)
        top.addWidget(what, 3)
        top.addWidget(add_button)
        bottom = QHBoxLayout()
        bottom.addWidget(remove_button)
        bottom.addStretch(1)
        box = QVBoxLayout(group)
        box.addLayout(top)
        box.addWidget(error)
        box.addWidget(table, 1)
        box.addLayout(bottom)
        return group

    def partners(self) -> tuple[PartnerData, ...]:
        return self.partners_model.partners()

    def team(self) -> tuple[TeamMemberData, ...]:
        return self.team_model.team()

    def team_ids(self) -> tuple[int, ...]:
        return tuple(m.contact_id for m in self.team_model.rows)

    def chosen_organization(self) -> tuple[int, str] | None:
        text = self.organization.currentText().strip()
        index = self.organization.findText(text, Qt.MatchFlag.MatchFixedString)
        if not text or index < 0:
            return None
        return int(self.organization.itemData(index)), self.organization.itemText(index)

    def add_partner(self) -> None:
        show_error(self.partner_error, "")
        chosen = self.chosen_organization()
        if chosen is None:
            text = self.organization.currentText().strip()
            show_error(
                self.partner_error,
                _("No organization is called “{name}”: choose one from the list.").format(name=text)
                if text
                else _("Choose an organization first."),
            )
            self.organization.setFocus()
            return
        org_id, name = chosen
        if any(p.organization_id == org_id for p in self.partners_model.rows):
            show_error(self.partner_error, _("{name} is already a partner.").format(name=name))
            return
        self.partners_model.append(_Partner(org_id, name, self.obligations.text().strip()))
        self.organization.setCurrentIndex(-1)
        self.organization.clearEditText()
        self.obligations.clear()
        self.organization.setFocus()

    def add_member(self) -> None:
        show_error(self.team_error, "")
        choice = self.contact.chosen()
        if choice is None:
            show_error(
                self.team_error,
                _("Choose a contact from the suggestions.")
                if self.contact.text().strip()
                else _("Type a few letters of a name first."),
            )
            self.contact.setFocus()
            return
        if any(m.contact_id == choice.id for m in self.team_model.rows):
            show_error(
                self.team_error, _("{name} is already on the team.").format(name=choice.name)
            )
            return
        self.team_model.append(_Member(choice.id, choice.name, self.role.text().strip()))
        self.contact.clear_choice()
        self.role.clear()
        self.contact.setFocus()

    def remove_partners(self) -> None:
        self.partners_model.remove_rows(self.partners_table.selected_rows())

    def remove_members(self) -> None:
        self.team_model.remove_rows(self.team_table.selected_rows())
