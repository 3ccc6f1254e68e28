"""A community's editor (objective, target population, pace, launch, members by role), the
contact picker it shares with the organization editor, and "add to a community"."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, QTimer
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
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from cmplanner import clock
from cmplanner.i18n import N_, _, ngettext
from cmplanner.model.enums import MemberRole, kind_label
from cmplanner.services.browse import CONTACTS
from cmplanner.services.communities import ROLE_ORDER, CommunityData, CommunityDetails, Member
from cmplanner.services.vocabulary import Choice
from cmplanner.storage import Database
from ui.communities import commands
from ui.communities.commitments import CommitmentsPanel
from ui.kit import accessible
from ui.kit.date_fields import date_edit
from ui.kit.display import format_date
from ui.kit.forms import error_label, filled, scroll_area
from ui.kit.jobs import run_in_background
from ui.kit.models import AnyIndex, ListingModel
from ui.kit.sizing import fit_header_titles, resize_within_screen, scaled
from ui.kit.unsaved import UnsavedChangesGuard

SEARCH_DELAY_MS = 200


def _role_combo(parent: QWidget, current: str = "member") -> QComboBox:
    combo = QComboBox(parent)
    accessible.name(combo, _("Role:"))
    for role in MemberRole:
        combo.addItem(role.label, role.value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class AddToCommunityDialog(QDialog):
    """Which community, in which role, for `count` selected contacts."""

    def __init__(
        self, communities: Sequence[Choice], count: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add to a community"))
        self.choices = list(communities)
        self.community_combo = QComboBox(self)
        for choice in self.choices:
            self.community_combo.addItem(choice.name, choice.id)
        self.role_combo = _role_combo(self)
        intro = QLabel(
            ngettext(
                "Add the selected contact to:", "Add the {n} selected contacts to:", count
            ).format(n=count),
            self,
        )
        form = QFormLayout()
        form.addRow(_("Community:"), self.community_combo)
        form.addRow(_("Role:"), self.role_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, _("Add")))
        self.setMinimumWidth(380)

    def community(self) -> Choice:
        return self.choices[self.community_combo.currentIndex()]

    def role(self) -> str:
        return str(self.role_combo.currentData())


class ContactPicker(QDialog):
    """Search and pick contacts (lazy list over the whole book)."""

    def __init__(
        self,
        db: Database,
        title: str,
        role_choices: Sequence[tuple[str, str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.db = db
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(_("Search contacts…"))
        accessible.name(
            self.search,
            _("Search {list}").format(list=_("Contacts")),
            self.search.placeholderText(),
        )
        self.search.setClearButtonEnabled(True)
        self.model = ListingModel(CONTACTS, db, self)
        self.table = QTableView(self)
        accessible.name(self.table, _("Contacts"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        keys = CONTACTS.column_keys()
        for i, key in enumerate(keys):
            self.table.setColumnHidden(i, key not in ("name", "email", "organization"))
        header = self.table.horizontalHeader()
        header.moveSection(header.visualIndex(keys.index("name")), 0)  # 王小明, Nagy János
        header.resizeSection(keys.index("name"), 200)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.accept())
        self.role_combo: QComboBox | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        if role_choices is not None:
            self.role_combo = QComboBox(self)
            for value, text in role_choices:
                self.role_combo.addItem(text, value)
            row = QFormLayout()
            row.addRow(_("Role:"), self.role_combo)
            layout.addLayout(row)
        layout.addWidget(_buttons(self, _("Add")))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.resize(620, 480)
        self.refresh()

    def refresh(self) -> None:
        run_in_background(
            CONTACTS.ids, self.db, "family_name", False, self.search.text(),
            on_success=self.model.set_ids,
        )  # fmt: skip

    def chosen(self) -> list[tuple[int, str]]:
        """(id, display name) of the selected contacts."""
        out = []
        column = CONTACTS.column_keys().index("name")
        for index in sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row()):
            values = self.model.row_values(index.row()) or ()
            cid = self.model.id_at(index.row())
            out.append((cid, (values[column] if values else "") or f"#{cid}"))
        return out

    def role(self) -> str:
        return str(self.role_combo.currentData()) if self.role_combo is not None else ""


# --- members by role --------------------------------------------------------------------------


class MembersModel(QAbstractItemModel):
    """Members grouped by role: a role row (with its count) over its members' rows."""

    COLUMNS = (N_("Name"), N_("Joined"), N_("Last seen"))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.members: list[Member] = []
        self.groups: list[tuple[str, list[Member]]] = []

    def set_members(self, members: Sequence[Member]) -> None:
        self.beginResetModel()
        self.members = list(members)
        roles = sorted(
            {m.role for m in self.members},
            key=lambda r: ROLE_ORDER.index(r) if r in ROLE_ORDER else len(ROLE_ORDER),
        )
        self.groups = [
            (
                role,
                sorted(
                    (m for m in self.members if m.role == role), key=lambda m: m.name.casefold()
                ),
            )
            for role in roles
        ]
        self.endResetModel()

    def member(self, index: AnyIndex) -> Member | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        return self.groups[index.internalId() - 1][1][index.row()]

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self.groups[parent.row()][1])
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            group_role, members = self.groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return f"{kind_label(group_role)} ({len(members)})"
            if role == Qt.ItemDataRole.FontRole and index.column() == 0:
                # imported on use, not at the top: keeps it off the start-up path
                from PySide6.QtGui import QFont

                font = QFont()
                font.setBold(True)
                return font
            return None
        member = self.member(index)
        if member is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        if index.column() == 0:
            return member.name
        if index.column() == 1:
            return format_date(member.joined_on) if member.joined_on else ""
        return format_date(member.last_seen.astimezone().date()) if member.last_seen else ""

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return _(self.COLUMNS[section])
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == 0:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class CommunityEditor(UnsavedChangesGuard, QDialog):
    """Edit a community and its members; Save is one undoable command."""

    def __init__(
        self,
        db: Database,
        details: CommunityDetails | None,
        push: Callable[[Any], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("communityEditor")
        self.db = db
        self.details = details
        self._push = push
        data = details.data if details else CommunityData(name="")
        self.setWindowTitle(_("Edit community") if details else _("New community"))

        form = self._build_form(data)
        member_buttons = self._build_members(details.members if details else ())
        members_title = QLabel(_("Members"), self)
        members_title.setObjectName("sectionTitle")
        self.buttons = _buttons(self, _("Save"))
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.error = error_label(self)
        # Taller than a laptop's screen with its members and promises: all but the buttons
        # scroll, Save and Cancel stay on screen.
        body = QWidget(self)
        self.tree.setMinimumHeight(180)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addWidget(members_title)
        layout.addWidget(self.tree, 1)
        layout.addLayout(member_buttons)
        self.promises: CommitmentsPanel | None = None
        if details is not None:
            self.promises = self._build_promises(details)
            layout.addSpacing(6)
            layout.addWidget(self.promises, 1)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll_area(body), 1)
        outer.addWidget(self.error)
        outer.addWidget(self.buttons)
        resize_within_screen(self, 680, 820 if details is not None else 680)
        self._update_save()
        self._update_buttons()

    # -- building ----------------------------------------------------------------------------

    def _build_form(self, data: CommunityData) -> QFormLayout:
        """What the community is, its pace and its launch."""
        self.name = QLineEdit(data.name, self)
        self.name.textChanged.connect(self._update_save)
        self.objective = QPlainTextEdit(data.objective, self)
        self.objective.setPlaceholderText(_("What this community is for"))
        self.objective.setFixedHeight(scaled(64))
        self.target = QLineEdit(data.target_population, self)
        self.target.setPlaceholderText(_("e.g. students of the campus, local musicians"))
        self.description = QPlainTextEdit(data.description, self)
        self.description.setFixedHeight(scaled(64))
        pace = self._build_pace(data)
        launch_row = self._build_launch(data)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.addRow(_("Name:"), self.name)
        form.addRow(_("Objective:"), self.objective)
        form.addRow(_("Target population:"), self.target)
        form.addRow(_("Description:"), self.description)
        form.addRow(_("Target pace:"), pace)
        form.addRow(_("Launch:"), launch_row)
        return form

    def _build_pace(self, data: CommunityData) -> QHBoxLayout:
        self.pace_set = QCheckBox(_("Meet every"), self)
        self.pace = QSpinBox(self)
        self.pace.setRange(1, 3650)
        self.pace.setSuffix(_(" days"))
        self.pace.setValue(data.pace_days or 30)
        accessible.name_after(self.pace, self.pace_set, _("The community's target pace"))
        self.pace_set.setChecked(data.pace_days is not None)
        self.pace.setEnabled(data.pace_days is not None)
        self.pace_set.toggled.connect(self.pace.setEnabled)
        pace = QHBoxLayout()
        pace.addWidget(self.pace_set)
        pace.addWidget(self.pace)
        pace.addStretch(1)
        return pace

    def _build_launch(self, data: CommunityData) -> QHBoxLayout:
        self.launched = QCheckBox(_("Launched on"), self)
        self.launch_date = date_edit(self, data.launch_date)
        accessible.name_after(self.launch_date, self.launched)
        self.launched.setChecked(data.launch_date is not None)
        self.launch_date.setEnabled(data.launch_date is not None)
        self.launched.toggled.connect(self.launch_date.setEnabled)
        launch_row = QHBoxLayout()
        launch_row.addWidget(self.launched)
        launch_row.addWidget(self.launch_date)
        launch_row.addStretch(1)
        return launch_row

    def _build_members(self, members: Sequence[Member]) -> QHBoxLayout:
        """The members, by role, and the buttons that add, remove and set their role."""
        self.members = MembersModel(self)
        self.members.set_members(members)
        self.tree = QTreeView(self)
        accessible.name(self.tree, _("Members"))
        self.tree.setModel(self.members)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setDefaultSectionSize(110)
        self.tree.header().setStretchLastSection(False)
        fit_header_titles(self.tree.header())
        self.tree.expandAll()
        self.members.modelReset.connect(self.tree.expandAll)
        self.add_button = QPushButton(_("Add members…"), self)
        self.add_button.clicked.connect(self.pick_members)
        self.remove_button = QPushButton(_("Remove"), self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.role_combo = _role_combo(self)
        self.role_button = QPushButton(_("Set role"), self)
        self.role_button.clicked.connect(lambda: self.set_role(str(self.role_combo.currentData())))
        member_buttons = QHBoxLayout()
        member_buttons.addWidget(self.add_button)
        member_buttons.addWidget(self.remove_button)
        member_buttons.addStretch(1)
        member_buttons.addWidget(QLabel(_("Selected:"), self))
        member_buttons.addWidget(self.role_combo)
        member_buttons.addWidget(self.role_button)
        self.tree.selectionModel().selectionChanged.connect(self._update_buttons)
        self.members.modelReset.connect(self._update_buttons)
        return member_buttons

    def _build_promises(self, details: CommunityDetails) -> CommitmentsPanel:
        """Open promises to the community and those tied to its next event."""
        promises = CommitmentsPanel(
            self.db,
            self._push,
            community_id=details.id,
            names={"community": details.data.name},
            parent=self,
        )
        promises.setMinimumHeight(160)
        return promises

    def _update_save(self) -> None:
        self.save_button.setEnabled(bool(self.name.text().strip()))

    def _update_buttons(self, *_args: Any) -> None:
        chosen = bool(self.selected())
        self.remove_button.setEnabled(chosen)
        self.role_button.setEnabled(chosen)

    def selected(self) -> list[Member]:
        indexes = self.tree.selectionModel().selectedRows()
        return [m for m in (self.members.member(i) for i in indexes) if m is not None]

    def pick_members(self) -> None:
        picker = ContactPicker(
            self.db,
            _("Add members"),
            [(r.value, r.label) for r in MemberRole],
            self,
        )
        if picker.exec():
            self.add_members(picker.chosen(), picker.role() or "member")

    def add_members(self, people: Sequence[tuple[int, str]], role: str) -> None:
        have = {(m.contact_id, m.role) for m in self.members.members}
        new = [
            Member(cid, name, role, clock.today(), None)  # the day the service will store
            for cid, name in people
            if (cid, role) not in have
        ]
        self.members.set_members([*self.members.members, *new])

    def remove_selected(self) -> None:
        gone = set(self.selected())
        self.members.set_members([m for m in self.members.members if m not in gone])

    def set_role(self, role: str) -> None:
        chosen = set(self.selected())
        kept: dict[tuple[int, str], Member] = {}
        for m in self.members.members:
            moved = dataclasses.replace(m, role=role) if m in chosen else m
            kept.setdefault((moved.contact_id, moved.role), moved)
        self.members.set_members(list(kept.values()))

    def data(self) -> CommunityData:
        return CommunityData(
            name=self.name.text().strip(),
            objective=self.objective.toPlainText().strip(),
            target_population=self.target.text().strip(),
            description=self.description.toPlainText().strip(),
            launch_date=(
                self.launch_date.date().toPython()  # type: ignore[arg-type]
                if self.launched.isChecked()
                else None
            ),
            pace_days=self.pace.value() if self.pace_set.isChecked() else None,
        )

    def edit_state(self) -> tuple[CommunityData, set[tuple[int, str]]]:
        return self.data(), {(m.contact_id, m.role) for m in self.members.members}

    def accept(self) -> None:
        if not filled(self.name, self.error, _("A community needs a name.")):
            return
        data = self.data()
        old_members = [
            (m.contact_id, m.role) for m in (self.details.members if self.details else ())
        ]
        new_members = [(m.contact_id, m.role) for m in self.members.members]
        changed = (
            self.details is None
            or data != self.details.data
            or set(old_members) != set(new_members)
        )
        if changed:
            self._push(
                commands.EditCommunity(
                    self.db,
                    self.details.id if self.details else None,
                    self.details.data if self.details else None,
                    data,
                    old_members,
                    new_members,
                )
            )
        super().accept()
