"""The guests table of an event: its model (edits and drops reported, not applied), the sort
proxy, the editors of a guest's role, answer and companions, and the view that shows them."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from cmplanner.i18n import N_, _, ngettext
from cmplanner.model.enums import GuestRole, Rsvp
from cmplanner.services import guests as guest_service
from cmplanner.services.guests import GuestRow
from ui.kit import accessible, theme
from ui.kit.display import format_int
from ui.kit.models import CONTACT_IDS_MIME, AnyIndex, ColumnsTableModel, decode_ids

SortRole = Qt.ItemDataRole.UserRole + 20

# Columns of the guest table, by what they show.
NAME, EMAIL, ROLE, RSVP, PLUS_ONES, WAITLIST, ATTENDED, NOTES = range(8)
_FIELDS = {ROLE: "role", RSVP: "rsvp", PLUS_ONES: "plus_ones", NOTES: "notes"}
_DRAFT_HIDDEN = (RSVP, PLUS_ONES, WAITLIST, ATTENDED, NOTES)


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


class GuestTable(QTableView):
    """The guests, sorted by name; a new event's draft shows only names, e-mails and roles.
    `guest_model` holds the rows, `proxy` sorts them."""

    def __init__(self, draft: bool, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("guestTable")
        accessible.name(self, _("Guests"))
        self.guest_model = GuestTableModel(parent)
        self.proxy = GuestSortModel(parent)
        self.proxy.setSourceModel(self.guest_model)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setDropIndicatorShown(False)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(28)
        self.setItemDelegateForColumn(ROLE, ChoiceDelegate(role_choices, self))
        self.setItemDelegateForColumn(RSVP, ChoiceDelegate(rsvp_choices, self))
        self.setItemDelegateForColumn(PLUS_ONES, CompanionsDelegate(self))
        self._set_columns(draft)
        self.remove_action = QAction(_("&Remove from the Guests"), self)
        self.remove_action.setObjectName("removeGuests")
        self.remove_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.addAction(self.remove_action)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def _set_columns(self, draft: bool) -> None:
        header = self.horizontalHeader()
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
            self.setColumnHidden(column, draft)

    def selected_guests(self) -> list[GuestRow]:
        rows = sorted(self.proxy.mapToSource(i).row() for i in self.selectionModel().selectedRows())
        return [g for g in (self.guest_model.guest(r) for r in rows) if g is not None]

    def _selected_keys(self) -> set[tuple[int, int | None]]:
        return {(g.invitation_id, g.contact_id) for g in self.selected_guests()}

    def set_rows(self, rows: list[GuestRow], draft: bool, series: bool) -> None:
        """Show these rows; the guests selected before stay selected."""
        selected = self._selected_keys()
        self.guest_model.set_rows(rows, draft, series)
        selection = self.selectionModel()
        for row, guest in enumerate(rows):
            if (guest.invitation_id, guest.contact_id) in selected:
                index = self.proxy.mapFromSource(self.guest_model.index(row, 0))
                selection.select(
                    index,
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
