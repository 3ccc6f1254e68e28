"""The event editor's Guests tab: find contacts and invite them (Enter, double-click or drag),
invite a whole community, tag or organization, and edit each guest's role, answer,
companions and notes in the table.

For a saved event every change is written at once, as an undoable command. A new event
collects its guests in a draft (`pending_guests()`), invited when the event is saved.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QFont,
    QKeyEvent,
    QKeySequence,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmplanner.bus import Changes
from cmplanner.i18n import N_, _, ngettext
from cmplanner.model.enums import GuestRole, MemberRole, Rsvp
from cmplanner.services import guests as guest_service
from cmplanner.services import vocabulary as vocabulary_service
from cmplanner.services.browse import CONTACTS
from cmplanner.services.guests import GuestList, GuestRow
from cmplanner.storage import Database
from ui.events.guest_commands import (
    AddGuests,
    RemoveGuests,
    SetAnswers,
    SetGuestField,
    invite_report,
)
from ui.kit import accessible, jobs, theme
from ui.kit.changes import bridge
from ui.kit.display import format_int
from ui.kit.jobs import run_in_background
from ui.kit.models import CONTACT_IDS_MIME, AnyIndex, ColumnsTableModel, ListingModel, decode_ids
from ui.kit.sizing import scaled
from ui.kit.unsaved import saved_at_once

SEARCH_DELAY_MS = 200
SortRole = Qt.ItemDataRole.UserRole + 20
_RESULT_COLUMNS = ("name", "email", "organization")

# Columns of the guest table, by what they show.
NAME, EMAIL, ROLE, RSVP, PLUS_ONES, WAITLIST, ATTENDED, NOTES = range(8)
_FIELDS = {ROLE: "role", RSVP: "rsvp", PLUS_ONES: "plus_ones", NOTES: "notes"}
_DRAFT_HIDDEN = (RSVP, PLUS_ONES, WAITLIST, ATTENDED, NOTES)

# Who "Invite a group…" can add.
COMMUNITY, TAG, ORGANIZATION = "community", "tag", "organization"


def _folded(text: str) -> str:
    """Accents and case left out, so Élodie sorts with the E's."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _label(vocabulary: Any, value: str) -> str:
    return str(vocabulary(value).label) if value in {v.value for v in vocabulary} else value


class GuestTableModel(ColumnsTableModel):
    """The guests (a few hundred at most); edits and drops are reported, not applied: the
    panel turns them into commands and reloads."""

    COLUMNS = (
        N_("Name"),
        N_("E-mail"),
        N_("Role"),
        N_("Answer"),
        N_("Companions"),
        N_("Waitlist"),
        N_("Attended"),
        N_("Notes"),
    )
    edited = Signal(object, str, object)  # (GuestRow, field, new value)
    contactsDropped = Signal(list)  # contact ids

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[GuestRow] = []
        self.draft = False
        self.series = False

    def set_rows(self, rows: Sequence[GuestRow], draft: bool, series: bool) -> None:
        self.beginResetModel()
        self.rows, self.draft, self.series = list(rows), draft, series
        self.endResetModel()

    def guest(self, row: int) -> GuestRow | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def attended_text(self, guest: GuestRow) -> str:
        if self.series:
            n = guest.times_attended
            return ngettext("{n} time", "{n} times", n).format(n=n) if n else ""
        if guest.attended is None:
            return ""
        return _("✓ Present") if guest.attended else _("Absent")

    def _display(self, guest: GuestRow, column: int) -> str:
        if column == NAME:
            return guest.name
        if column == EMAIL:
            return guest.email
        if column == ROLE:
            return _label(GuestRole, guest.role)
        if column == RSVP:
            return _label(Rsvp, guest.rsvp)
        if column == PLUS_ONES:
            return format_int(guest.plus_ones) if guest.plus_ones else ""
        if column == WAITLIST:
            w = guest.waitlist_position
            return "" if w is None else _("No. {position}").format(position=format_int(w))
        if column == ATTENDED:
            return self.attended_text(guest)
        return guest.notes

    def _sort_key(self, guest: GuestRow, column: int) -> Any:
        if column == PLUS_ONES:
            return guest.plus_ones
        if column == WAITLIST:
            return guest.waitlist_position or 0
        if column == ATTENDED:
            return guest.times_attended if self.series else int(guest.attended or 0)
        return _folded(self._display(guest, column))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        guest = self.guest(index.row()) if index.isValid() else None
        if guest is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(guest, column)
        if role == Qt.ItemDataRole.EditRole:
            field = _FIELDS.get(column)
            return getattr(guest, field) if field else self._display(guest, column)
        if role == SortRole:
            return self._sort_key(guest, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == WAITLIST and guest.waitlist_position is not None:
                return _("On the waitlist: gets a seat when one frees up, in this order.")
            if column == NOTES and guest.notes:
                return guest.notes
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (PLUS_ONES, WAITLIST):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        waiting = guest.waitlist_position is not None
        if role == Qt.ItemDataRole.ForegroundRole and (waiting or guest.rsvp == Rsvp.DECLINED):
            return theme.brush("muted_text")
        if role == Qt.ItemDataRole.FontRole and waiting:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled
        )
        if index.column() == ROLE or (not self.draft and index.column() in _FIELDS):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        guest = self.guest(index.row()) if index.isValid() else None
        field = _FIELDS.get(index.column())
        if guest is None or field is None or role != Qt.ItemDataRole.EditRole:
            return False
        if field == "notes":
            value = str(value or "").strip()
        if value != getattr(guest, field):
            self.edited.emit(guest, field, value)
        return True

    # -- drops of contacts (from the search results, the contacts list, anywhere) -----------

    def mimeTypes(self) -> list[str]:
        return [CONTACT_IDS_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction | Qt.DropAction.LinkAction

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        return bool(decode_ids(data))

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        ids = decode_ids(data)
        if not ids:
            return False
        self.contactsDropped.emit(ids)
        return True


class GuestSortModel(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box of (value, label) choices; a choice is written as soon as it is picked."""

    def __init__(self, choices: Callable[[], Sequence[tuple[str, str]]], parent: Any) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName("guestChoiceEditor")
        for value, label in self.choices():
            combo.addItem(label, value)
        combo.activated.connect(lambda _i: self._commit(combo))
        return combo

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class CompanionsDelegate(QStyledItemDelegate):
    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        spin = QSpinBox(parent)
        spin.setObjectName("guestCompanionsEditor")
        spin.setRange(0, guest_service.MAX_PLUS_ONES)
        return spin

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QSpinBox)
        editor.setValue(int(index.data(Qt.ItemDataRole.EditRole) or 0))

    def setModelData(self, editor: QWidget, model: Any, index: AnyIndex) -> None:
        assert isinstance(editor, QSpinBox)
        editor.interpretText()
        model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)


def role_choices() -> list[tuple[str, str]]:
    return [(r.value, r.label) for r in GuestRole]


def rsvp_choices() -> list[tuple[str, str]]:
    return [(r.value, r.label) for r in Rsvp]


class GroupDialog(QDialog):
    """Choose a community (and optionally one member role), a tag or an organization."""

    def __init__(
        self,
        kind: str,
        choices: Sequence[vocabulary_service.Choice],
        parent: QWidget,
        first: int | None = None,
    ) -> None:
        """`first`: the choice proposed first and preselected (the event's own community)."""
        super().__init__(parent)
        self.setObjectName("inviteGroup")
        choices = sorted(choices, key=lambda c: c.id != first)  # stable: the rest keep order
        self.kind = kind
        titles = {
            COMMUNITY: _("Invite a Community"),
            TAG: _("Invite Everyone with a Tag"),
            ORGANIZATION: _("Invite an Organization's People"),
        }
        labels = {COMMUNITY: _("Community:"), TAG: _("Tag:"), ORGANIZATION: _("Organization:")}
        self.setWindowTitle(titles[kind])
        self.choice = QComboBox(self)
        self.choice.setObjectName("groupChoice")
        for c in choices:
            self.choice.addItem(c.name, c.id)
        self.role = QComboBox(self)
        self.role.setObjectName("groupRole")
        self.role.addItem(_("Every member"), None)
        for r in MemberRole:
            self.role.addItem(r.label, r.value)
        form = QFormLayout()
        form.addRow(labels[kind], self.choice)
        if kind == COMMUNITY:
            form.addRow(_("Members in the role:"), self.role)
        else:
            self.role.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Invite"))
        ok.setEnabled(bool(choices))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if not choices:
            empty = QLabel(_("There is nothing to choose yet."), self)
            layout.addWidget(empty)
        layout.addWidget(buttons)

    def chosen(self) -> tuple[int, str | None]:
        return int(self.choice.currentData()), self.role.currentData()


def _people(db: Database, kind: str, ident: int, role: str | None) -> list[int]:
    if kind == COMMUNITY:
        return guest_service.people_of_community(db, ident, role)
    if kind == TAG:
        return guest_service.people_with_tag(db, ident)
    return guest_service.people_of_organization(db, ident)


def _choices(db: Database, kind: str) -> tuple[vocabulary_service.Choice, ...]:
    if kind == COMMUNITY:
        return vocabulary_service.communities(db)
    if kind == TAG:
        return vocabulary_service.tags(db)
    return vocabulary_service.organizations(db)


def _group_choices(
    db: Database, kind: str, event_id: int | None
) -> tuple[tuple[vocabulary_service.Choice, ...], int | None]:
    """The choices, and the saved event's community (None when not asked or none)."""
    community = guest_service.event_community(db, event_id) if event_id is not None else None
    return _choices(db, kind), community


def _undo_stack_of(push: Callable[..., Any]) -> QUndoStack | None:
    """The stack behind `push` (QUndoStack.push, or a view's push with its `undo_stack`)."""
    owner = getattr(push, "__self__", None)
    if isinstance(owner, QUndoStack):
        return owner
    stack = getattr(owner, "undo_stack", None)
    return stack if isinstance(stack, QUndoStack) else None


class GuestsPanel(QWidget):
    """The guest list of one event (None: a new event, guests kept as a draft)."""

    changed = Signal()  # the guest list on screen changed (reloaded or the draft edited)

    def __init__(
        self,
        db: Database,
        event_id: int | None,
        push: Callable[[QUndoCommand], None],
        parent: QWidget | None = None,
        undo_stack: QUndoStack | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("guestsPanel")
        saved_at_once(self)  # written at once (a new event: its draft is the editor's)
        self.db, self.event_id, self._push = db, event_id, push
        self._pending: list[tuple[int, str]] = []
        self.guest_list: GuestList | None = None
        self._after_search: Callable[[], None] | None = None
        self._loaded = False
        # The event's community as the editor has it now (else the saved event's is read).
        self.community_of: Callable[[], int | None] | None = None

        self.note = QLabel(self)
        self.note.setObjectName("guestsNote")
        self.note.setWordWrap(True)
        self.note.setText(
            _("The guests are invited when the event is saved.")
            if self.draft
            else _(
                "Changes to the guest list are saved at once; Ctrl+Z undoes them"
                " (Ctrl+Shift+Z redoes)."
            )
        )

        # -- adding ------------------------------------------------------------------------
        self.search = QLineEdit(self)
        self.search.setObjectName("guestSearch")
        self.search.setPlaceholderText(_("Find a contact to invite (Ctrl+F)…"))
        accessible.name(self.search, _("Invite"), self.search.placeholderText())
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._on_text)

        self.role = QComboBox(self)
        self.role.setObjectName("newGuestRole")
        for value, label in role_choices():
            self.role.addItem(label, value)
        self.role.setToolTip(_("The role of the guests you invite now"))
        accessible.name(self.role, _("Role:"), _("The role of the guests you invite now"))

        self.invite_button = QPushButton(_("&Invite"), self)
        self.invite_button.setObjectName("inviteButton")
        self.invite_button.setAutoDefault(False)
        self.invite_button.setEnabled(False)
        self.invite_button.clicked.connect(self.invite_selected_results)

        self.group_button = QPushButton(_("Invite a &Group"), self)
        self.group_button.setObjectName("inviteGroupButton")
        self.group_button.setAutoDefault(False)
        group_menu = QMenu(self.group_button)
        for kind, text in (
            (COMMUNITY, _("A &Community…")),
            (TAG, _("Everyone with a &Tag…")),
            (ORGANIZATION, _("An &Organization's People…")),
        ):
            action = group_menu.addAction(text)
            action.triggered.connect(lambda _checked=False, k=kind: self.choose_group(k))
        self.group_button.setMenu(group_menu)

        self.results_model = ListingModel(CONTACTS, db, self, mime_type=CONTACT_IDS_MIME)
        self.results = QTableView(self)
        self.results.setObjectName("contactResults")
        self.results.setModel(self.results_model)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setDragEnabled(True)
        self.results.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.results.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.results.setShowGrid(False)
        self.results.setWordWrap(False)
        self.results.verticalHeader().hide()
        self.results.verticalHeader().setDefaultSectionSize(24)
        self.results.horizontalHeader().setStretchLastSection(True)
        self.results.horizontalHeader().setHighlightSections(False)
        columns = CONTACTS.column_keys()
        for n, key in enumerate(columns):
            self.results.setColumnHidden(n, key not in _RESULT_COLUMNS)
        header = self.results.horizontalHeader()
        header.moveSection(header.visualIndex(columns.index("name")), 0)  # 王小明, Nagy János
        for key, width in (("name", 280), ("email", 220)):
            self.results.setColumnWidth(columns.index(key), width)
        self.results.setMaximumHeight(scaled(24 * 5 + 30))
        self.results.doubleClicked.connect(lambda _index: self.invite_selected_results())
        self.results.installEventFilter(self)
        self.results.selectionModel().selectionChanged.connect(self._update_invite_button)
        self.results.hide()

        self.hint = QLabel(self)
        self.hint.setObjectName("guestHint")
        self.hint.setWordWrap(True)
        self.hint.setText(
            _(
                "Enter or double-click invites the contact; ↓ goes to the list; you can also"
                " drag contacts into the guest table."
            )
        )
        self.feedback = QLabel(self)
        self.feedback.setObjectName("guestFeedback")
        self.feedback.setWordWrap(True)

        # -- the guest list ------------------------------------------------------------------
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("guestCounts")
        bold = self.counts_label.font()
        bold.setBold(True)
        self.counts_label.setFont(bold)

        self.model = GuestTableModel(self)
        self.model.edited.connect(self._on_edited)
        self.model.contactsDropped.connect(self.invite)
        self.proxy = GuestSortModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setObjectName("guestTable")
        accessible.name(self.table, _("Guests"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.setAcceptDrops(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.table.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.table.setDropIndicatorShown(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setItemDelegateForColumn(ROLE, ChoiceDelegate(role_choices, self.table))
        self.table.setItemDelegateForColumn(RSVP, ChoiceDelegate(rsvp_choices, self.table))
        self.table.setItemDelegateForColumn(PLUS_ONES, CompanionsDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column, width in (
            (NAME, 160),
            (EMAIL, 190),
            (ROLE, 100),
            (RSVP, 165),
            (PLUS_ONES, 105),
            (WAITLIST, 100),
            (ATTENDED, 90),
        ):
            header.resizeSection(column, width)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        for column in _DRAFT_HIDDEN:
            self.table.setColumnHidden(column, self.draft)

        self.remove_action = QAction(_("&Remove from the Guests"), self.table)
        self.remove_action.setObjectName("removeGuests")
        self.remove_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.remove_action.triggered.connect(self.remove_selected)
        self.table.addAction(self.remove_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._row_menu)

        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(self.focus_search)
        self.addAction(find)
        self.undo_stack = undo_stack or _undo_stack_of(push)
        if self.undo_stack is not None and not self.draft:
            for keys, slot in (
                (QKeySequence.StandardKey.Undo, self.undo_stack.undo),
                (QKeySequence.StandardKey.Redo, self.undo_stack.redo),
            ):
                action = QAction(self)
                action.setShortcuts(keys)
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                action.triggered.connect(slot)
                self.addAction(action)

        # -- layout ----------------------------------------------------------------------------
        add_row = QHBoxLayout()
        add_row.addWidget(self.search, 1)
        role_label = QLabel(_("as"), self)
        add_row.addWidget(role_label)
        add_row.addWidget(self.role)
        add_row.addWidget(self.invite_button)
        add_row.addSpacing(12)
        add_row.addWidget(self.group_button)
        self.mail_button = QPushButton(_("E-&mail invitations…"), self)
        self.mail_button.setObjectName("mailInvitationsButton")
        self.mail_button.setAutoDefault(False)
        self.mail_button.setToolTip(_("Send the invitations by e-mail and follow the answers"))
        self.mail_button.setVisible(not self.draft)
        self.mail_button.clicked.connect(self.open_invitations)
        add_row.addWidget(self.mail_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(add_row)
        layout.addWidget(self.results)
        layout.addWidget(self.hint)
        layout.addWidget(self.feedback)
        layout.addSpacing(6)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.table, 1)

        bridge().changed.connect(self._on_changes)
        self.refresh()

    def open_invitations(self) -> None:
        from ui.events.invitations import open_invitations

        if self.event_id is not None:
            self.invitations = open_invitations(self.db, self.event_id, self._push, self.window())

    # -- state -----------------------------------------------------------------------------

    @property
    def draft(self) -> bool:
        return self.event_id is None

    def pending_guests(self) -> list[tuple[int, str]]:
        """(contact id, role) of the guests chosen for a new event, in the order chosen."""
        return list(self._pending)

    def new_guest_role(self) -> str:
        return str(self.role.currentData())

    def set_new_guest_role(self, role: str) -> None:
        self.role.setCurrentIndex(max(0, self.role.findData(role)))

    # -- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.draft:
            pending = list(self._pending)
            run_in_background(
                guest_service.draft_rows, self.db, pending, on_success=self._show_draft
            )
        else:
            run_in_background(
                guest_service.guest_list, self.db, self.event_id, on_success=self._show
            )

    def _selected_keys(self) -> set[tuple[int, int | None]]:
        keys = set()
        for index in self.table.selectionModel().selectedRows():
            guest = self.model.guest(self.proxy.mapToSource(index).row())
            if guest is not None:
                keys.add((guest.invitation_id, guest.contact_id))
        return keys

    def _set_rows(self, rows: list[GuestRow], series: bool) -> None:
        selected = self._selected_keys()
        self.model.set_rows(rows, self.draft, series)
        selection = self.table.selectionModel()
        for row, guest in enumerate(rows):
            if (guest.invitation_id, guest.contact_id) in selected:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                selection.select(
                    index,
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
        self._loaded = True
        self.changed.emit()

    def _show(self, guest_list: GuestList) -> None:
        self.guest_list = guest_list
        if guest_list.series and not self.note.property("series"):
            self.note.setProperty("series", True)
            self.note.setText(
                self.note.text()
                + " "
                + _(
                    "A series has one guest list, shared by all its occurrences; attendance"
                    " is recorded per occurrence at the door."
                )
            )
        self._set_rows(guest_list.rows, guest_list.series)
        self.counts_label.setText(self.counts_text())
        full = guest_list.capacity is not None and guest_list.seats_taken > guest_list.capacity
        theme.set_tone(self.counts_label, "bad" if full else "")
        self.counts_label.setToolTip(
            _("More seats are taken than the event's capacity.") if full else ""
        )

    def _show_draft(self, rows: list[GuestRow]) -> None:
        self._set_rows(rows, False)
        self.counts_label.setText(self.counts_text())

    def counts_text(self) -> str:
        if self.guest_list is None or self.draft:
            n = len(self._pending)
            return ngettext("{n} guest to invite", "{n} guests to invite", n).format(
                n=format_int(n)
            )
        counts = self.guest_list.counts
        text = (
            _(
                "Invited: {invited} · accepted: {accepted} · declined: {declined}"
                " · waitlist: {waitlist} · came at least once: {attended}"
            )
            if self.guest_list.series
            else _(
                "Invited: {invited} · accepted: {accepted} · declined: {declined}"
                " · waitlist: {waitlist} · attended: {attended}"
            )
        ).format(**{k: format_int(v) for k, v in counts.items()})
        if self.guest_list.capacity is not None:
            over = self.guest_list.seats_taken > self.guest_list.capacity
            text += ("  —  ⚠ " if over else "  —  ") + ngettext(  # not only in red
                "{taken} / {capacity} seat", "{taken} / {capacity} seats", self.guest_list.capacity
            ).format(
                taken=format_int(self.guest_list.seats_taken),
                capacity=format_int(self.guest_list.capacity),
            )
        return text

    def _on_changes(self, changes: Changes) -> None:
        if self.draft:
            if changes.everything or changes.contacts:
                self.refresh()
            return
        shown = {g.contact_id for g in self.model.rows}
        if (
            changes.everything
            or self.event_id in changes.events
            or bool(changes.contacts & shown)
            or bool(changes.invitations & {g.invitation_id for g in self.model.rows})
        ):
            self.refresh()

    # -- searching contacts ----------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _on_text(self, text: str) -> None:
        if text.strip():
            self._search_timer.start()
        else:
            self._search_timer.stop()
            jobs.drop((self, "search"))
            self.results_model.set_ids([])
            self.results.hide()
            self._update_invite_button()

    def run_search(self) -> None:
        """Find the contacts matching what was typed (now, not after the typing pause)."""
        self._search_timer.stop()
        text = self.search.text().strip()
        if not text:
            jobs.drop((self, "search"))
            return
        run_in_background(
            CONTACTS.ids,
            self.db,
            None,
            False,
            text,
            on_success=self._show_results,
            key=(self, "search"),  # an older keystroke's answer is dropped
        )

    def _show_results(self, ids: list[int]) -> None:
        self.results_model.set_ids(ids)
        self.results.setVisible(True)
        if ids:
            self.results.selectRow(0)
        self.feedback.setText(
            "" if ids else _("No contact matches “{text}”.").format(text=self.search.text())
        )
        self._update_invite_button()
        then, self._after_search = self._after_search, None
        if then is not None:
            then()

    def _update_invite_button(self, *_args: Any) -> None:
        self.invite_button.setEnabled(bool(self._chosen_results()))

    def _chosen_results(self) -> list[int]:
        rows = sorted({i.row() for i in self.results.selectionModel().selectedRows()})
        if not rows and self.results_model.rowCount() and self.results.isVisible():
            current = self.results.currentIndex()
            rows = [current.row() if current.isValid() else 0]
        return [self.results_model.id_at(r) for r in rows if r < self.results_model.rowCount()]

    def invite_selected_results(self) -> None:
        """Invite the chosen results (or the first); the search is cleared for the next."""
        if self._search_timer.isActive():
            # Enter came before the results of what was typed: wait for them.
            self._after_search = self.invite_selected_results
            self.run_search()
            return
        ids = self._chosen_results()
        if not ids:
            return
        self.invite(ids)
        self.search.clear()
        self.search.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if watched is self.search:
                if enter:
                    # Taken here, or the editor's default button would save and close it.
                    if self.search.text().strip():
                        self.invite_selected_results()
                    return True
                if key == Qt.Key.Key_Down and self.results_model.rowCount():
                    self.results.setFocus()
                    if not self.results.currentIndex().isValid():
                        self.results.selectRow(0)
                    return True
                if key == Qt.Key.Key_Escape and self.search.text():
                    self.search.clear()
                    return True
            elif watched is self.results:
                if enter:
                    self.invite_selected_results()
                    return True
                if key == Qt.Key.Key_Escape or (
                    key == Qt.Key.Key_Up and self.results.currentIndex().row() <= 0
                ):
                    self.search.setFocus()
                    return True
        return super().eventFilter(watched, event)

    # -- writing -----------------------------------------------------------------------------

    def invite(self, contact_ids: Sequence[int]) -> None:
        """Invite contacts in the chosen role; those already on the list are skipped."""
        ids = list(dict.fromkeys(int(i) for i in contact_ids))
        if not ids:
            return
        role = self.new_guest_role()
        if self.draft:
            have = {cid for cid, _role in self._pending}
            new = [cid for cid in ids if cid not in have]
            self._pending += [(cid, role) for cid in new]
            self._report(len(new), len(ids) - len(new), 0)
            self.refresh()
            return
        assert self.event_id is not None
        command = AddGuests(self.db, self.event_id, ids, role)
        command.on_done = self._after_add
        self._push(command)

    def _after_add(self, command: Any) -> None:
        self._report(command.added, command.skipped, command.waitlisted)
        self.refresh()

    def _report(self, added: int, skipped: int, waitlisted: int) -> None:
        self.feedback.setText(invite_report(added, skipped, waitlisted))

    def choose_group(self, kind: str) -> None:
        """Ask which community, tag or organization, then invite its people. For a
        community, the event's own is proposed first."""
        community = self.community_of() if self.community_of is not None else None
        run_in_background(
            _group_choices,
            self.db,
            kind,
            self.event_id if self.community_of is None else None,
            on_success=lambda found: self._ask_group(kind, found[0], community or found[1]),
        )

    def _ask_group(
        self, kind: str, found: Sequence[vocabulary_service.Choice], first: int | None = None
    ) -> None:
        self.group_dialog = GroupDialog(kind, found, self, first if kind == COMMUNITY else None)
        self.group_dialog.accepted.connect(
            lambda: self.invite_group(kind, *self.group_dialog.chosen())
        )
        self.group_dialog.open()

    def invite_group(self, kind: str, ident: int, role: str | None = None) -> None:
        run_in_background(
            _people,
            self.db,
            kind,
            ident,
            role,
            on_success=lambda ids: self._invite_people(kind, ids),
        )

    def _invite_people(self, kind: str, ids: list[int]) -> None:
        if ids:
            self.invite(ids)
            return
        self.feedback.setText(
            {
                COMMUNITY: _("Nobody to invite: the community has no members (in that role)."),
                TAG: _("Nobody to invite: no contact has that tag."),
                ORGANIZATION: _("Nobody to invite: the organization has no people yet."),
            }[kind]
        )

    def selected_guests(self) -> list[GuestRow]:
        rows = sorted(
            self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()
        )
        return [g for g in (self.model.guest(r) for r in rows) if g is not None]

    def remove_selected(self) -> None:
        chosen = self.selected_guests()
        if not chosen:
            return
        if self.draft:
            gone = {g.contact_id for g in chosen}
            self._pending = [(c, r) for c, r in self._pending if c not in gone]
            self.refresh()
            return
        assert self.event_id is not None
        name = chosen[0].name if len(chosen) == 1 else ""
        command = RemoveGuests(self.db, self.event_id, [g.invitation_id for g in chosen], name)
        command.on_done = lambda _c: self.refresh()
        self._push(command)
        n = len(chosen)
        self.feedback.setText(
            ngettext("{n} guest removed.", "{n} guests removed.", n).format(n=format_int(n))
        )

    def _on_edited(self, guest: GuestRow, field: str, value: Any) -> None:
        if self.draft:
            if field == "role":
                self._pending = [
                    (c, value if c == guest.contact_id else r) for c, r in self._pending
                ]
                self.refresh()
            return
        assert self.event_id is not None
        command = SetGuestField(
            self.db, self.event_id, guest.invitation_id, field, value, guest.name
        )
        command.on_done = self._after_edit
        self._push(command)

    def _after_edit(self, command: Any) -> None:
        if command.field == "rsvp" and command.value == Rsvp.DECLINED:
            self._tell_promoted(len(command.touched) - 1)
        self.refresh()

    def _tell_promoted(self, promoted: int) -> None:
        if promoted > 0:
            self.feedback.setText(
                ngettext(
                    "A seat freed up: {n} guest left the waitlist (tell them!).",
                    "Seats freed up: {n} guests left the waitlist (tell them!).",
                    promoted,
                ).format(n=format_int(promoted))
            )

    def _row_menu(self, pos: Any) -> None:
        chosen = self.selected_guests()
        if not chosen:
            return
        self.row_menu = menu = QMenu(self.table)
        menu.setObjectName("guestMenu")
        if not self.draft:
            answers = menu.addMenu(
                ngettext("&Answer", "&Answer of the {n} Guests", len(chosen)).format(
                    n=format_int(len(chosen))
                )
            )
            answers.setObjectName("guestAnswerMenu")
            current = {g.rsvp for g in chosen}
            group = QActionGroup(answers)  # one answer: shown as radio items
            for value, label in rsvp_choices():
                action = answers.addAction(label)
                group.addAction(action)
                action.setObjectName("answer-" + value)
                action.setCheckable(True)
                action.setChecked(current == {value})
                action.triggered.connect(lambda _checked=False, v=value: self.set_answer(v))
            menu.addSeparator()
        menu.addAction(self.remove_action)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def set_answer(self, rsvp: str) -> None:
        """The same answer for every selected guest: one undoable step."""
        chosen = [g for g in self.selected_guests() if g.rsvp != rsvp]
        if self.draft or not chosen:
            return
        assert self.event_id is not None
        name = chosen[0].name if len(chosen) == 1 else ""
        command = SetAnswers(self.db, self.event_id, [g.invitation_id for g in chosen], rsvp, name)
        command.on_done = self._after_answers
        self._push(command)

    def _after_answers(self, command: Any) -> None:
        n = len(command.invitation_ids)
        self.feedback.setText(
            ngettext(
                "{n} guest now answers “{answer}”.", "{n} guests now answer “{answer}”.", n
            ).format(n=format_int(n), answer=Rsvp(command.rsvp).label)
        )
        if command.rsvp == Rsvp.DECLINED:
            self._tell_promoted(len(command.touched) - n)
        self.refresh()
