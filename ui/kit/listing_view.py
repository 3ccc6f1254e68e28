"""The read-only list every section starts as: a search box over a lazy table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmplanner.bus import Changes
from cmplanner.i18n import _
from cmplanner.services.browse import LISTINGS
from cmplanner.storage import Database
from ui.kit import jobs
from ui.kit.flow_layout import FlowLayout
from ui.kit.jobs import run_in_background
from ui.kit.models import ListingModel
from ui.kit.sizing import fit_header_titles, scaled

SEARCH_DELAY_MS = 200

# Starting widths by column kind, in pixels; the last column stretches.
_WIDTHS = {
    "date": 100,
    "datetime": 140,
    "instant": 140,
    "int": 90,
    "bool": 90,
    "enum": 110,
    "kind": 110,
}
_TEXT_WIDTH = 160
# Event lists (the Events view, the dashboard's coming events) size these columns alike.
EVENT_WIDTHS = {"community": 150, "timezone": 120, "venue": 150, "recurring": 85, "guests": 70}


class ListingView(QWidget):
    """Search box + table over one core listing; reloads when the bus touches its kind."""

    countChanged = Signal()  # the number of rows shown changed
    filled = Signal()  # the ids of a refresh arrived and are shown
    selectionChanged = Signal()  # the selected rows changed (what Ctrl+P would preview)

    def __init__(
        self,
        listing: str,
        *,
        kind: str,
        placeholder: str,
        title: str,
        empty_text: str,
        no_match_text: str,
        sort_key: str | None = None,
        descending: bool = False,
        widths: dict[str, int] | None = None,
        stretch: str | None = None,
        hidden: tuple[str, ...] = (),
        searchable: bool = True,
        mime_type: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.listing = LISTINGS[listing]
        self.kind = kind
        self.db: Database | None = None
        self.undo_stack: QUndoStack | None = None  # set by the main window
        self.filters: dict[str, Any] = {}  # passed to the listing's ids()
        self.sort_key = sort_key or self.listing.columns[0].key
        self.descending = descending
        self._empty_text = empty_text
        self._no_match_text = no_match_text
        self._loaded = False
        self._select_when_listed: int | None = None  # a new record, selected once listed
        self._build_search(placeholder, title, searchable)
        self._build_table(title, mime_type)
        self._build_header(widths, stretch, hidden)
        self._build_layout()

    def _build_search(self, placeholder: str, title: str, searchable: bool) -> None:
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(placeholder)
        self.search.setClearButtonEnabled(True)
        self.search.setVisible(searchable)
        # A screen reader says what the box is and, from its placeholder, what it looks in.
        self.search.setAccessibleName(_("Search {list}").format(list=title))
        self.search.setAccessibleDescription(placeholder)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._search_now)

    def _build_table(self, title: str, mime_type: str | None) -> None:
        """The rows; Enter opens, Delete deletes, the menu key shows the row's menu."""
        self.model = self.make_model(mime_type)
        self.table = QTableView(self)
        self.table.setAccessibleName(title)  # named after what it holds
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setShowGrid(False)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        if mime_type:
            self.table.setDragEnabled(True)
            self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
            self.table.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(
            lambda *_a: self.selectionChanged.emit()
        )
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._row_menu)
        # Enter opens, Delete deletes: actions on the table so the menu shows their keys.
        self.open_action = self._table_action(_("&Open"), self.open_selected, "Enter")
        # The menu names the first key: Qt's French calls Return "Retour", Enter "Entrée".
        self.open_action.setShortcuts([QKeySequence("Enter"), QKeySequence("Return")])
        self.delete_action = self._table_action(
            _("&Delete"), self.delete_selected, QKeySequence.StandardKey.Delete
        )

    def _build_header(
        self, widths: dict[str, int] | None, stretch: str | None, hidden: tuple[str, ...]
    ) -> None:
        """The columns: widths, sorting by a click, a menu to show or hide them."""
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(stretch is None)
        header.setMinimumSectionSize(60)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.sectionClicked.connect(self._on_header_clicked)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        for i, column in enumerate(self.listing.columns):
            width = (widths or {}).get(column.key) or _WIDTHS.get(column.kind, _TEXT_WIDTH)
            header.resizeSection(i, scaled(width))  # grows with the text size
            mode = QHeaderView.ResizeMode.Stretch if column.key == stretch else None
            header.setSectionResizeMode(i, mode or QHeaderView.ResizeMode.Interactive)
            self.table.setColumnHidden(i, column.key in hidden)
        fit_header_titles(header)  # French titles are longer than the starting widths
        self._show_sort_indicator()

    def _build_layout(self) -> None:
        self.empty = QLabel(self)
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)

        # Subclasses add buttons to the top bar, rows under it, panels beside the table.
        # It wraps onto a second line in a narrow window (a laptop's screen).
        self.top_bar = FlowLayout(spacing=8)
        self.top_bar.addWidget(self.search)
        self.body = QHBoxLayout()
        self.body.setSpacing(12)
        self.body.addWidget(self.pages, 1)
        self.main_layout = QVBoxLayout(self)
        self.main_layout.setContentsMargins(0, 0, 0, 0)
        self.main_layout.setSpacing(8)
        self.main_layout.addLayout(self.top_bar)
        self.main_layout.addLayout(self.body, 1)

    def make_model(self, mime_type: str | None) -> ListingModel:
        """The table's model (a subclass may add roles: colours, check boxes)."""
        return ListingModel(self.listing, parent=self, mime_type=mime_type)

    def _table_action(self, text: str, slot: Any, shortcut: Any) -> QAction:
        action = QAction(text, self.table)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.table.addAction(action)
        return action

    def set_filter_values(self, values: dict[str, Any]) -> None:
        """A filter bar's choice: the list reloads (only) when it changed."""
        if values != self.filters:
            self.filters = values
            if self.db is not None and self._loaded:
                ListingView.refresh(self)  # not a subclass's refresh, which reloads its choices

    # -- what subclasses that edit records fill in -----------------------------------------

    def open_selected(self) -> None:
        """Enter or double-click on a row (read-only lists do nothing)."""

    def delete_selected(self) -> None:
        """The Delete key on the selection (read-only lists do nothing)."""

    def fill_row_menu(self, menu: QMenu, ids: list[int]) -> None:
        """Add the actions of a right-click on rows; nothing in read-only lists."""

    def row_menu(self) -> QMenu:
        """The menu of a right-click (or the Menu key) on the selected rows."""
        menu = QMenu(self)
        self.fill_row_menu(menu, self.selected_ids())
        return menu

    def _row_menu(self, pos: QPoint) -> None:
        menu = self.row_menu()
        if not menu.isEmpty():
            menu.exec(self.table.viewport().mapToGlobal(pos))

    def new_record(self) -> None:
        """Ctrl+N: open the editor on a new record (lists that make none do nothing)."""

    def can_preview(self) -> bool:
        """Whether Ctrl+P has a document to show for the selection."""
        return False

    def preview_selected(self) -> None:
        """Ctrl+P: the selected record's document (lists without one do nothing)."""

    def push(self, command: Any) -> None:
        """Run an undoable write (through the window's undo stack when there is one); a
        record it creates is selected in the list once the list shows it."""
        created = getattr(command, "created_id", None)
        if callable(created):
            previous = command.on_done

            def done(finished: Any) -> None:
                if previous is not None:
                    previous(finished)
                new_id = created()
                if new_id is not None:
                    self.select_record(new_id)

            command.on_done = done
        if self.undo_stack is not None:
            self.undo_stack.push(command)
        else:
            command.redo()

    # -- database and refresh --------------------------------------------------------------

    def set_database(self, db: Database | None) -> None:
        self.db = db
        jobs.drop((self, "ids"))  # a list from the old database is not shown
        self.model.set_database(db)
        self._loaded = False

    def ensure_loaded(self) -> None:
        """Fill the list the first time it is shown (sections load lazily)."""
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:
        self._search_timer.stop()
        if self.db is None:
            return
        self._loaded = True
        run_in_background(
            self.listing.ids,
            self.db,
            self.sort_key,
            self.descending,
            self.search.text(),
            dict(self.filters),
            on_success=self._apply_ids,
            label=_("Loading…"),
            key=(self, "ids"),  # a newer refresh (search, sort, database) wins
        )

    def _search_now(self) -> None:
        self.refresh()

    def _apply_ids(self, ids: list[int]) -> None:
        selected = self.selected_ids()
        self.model.set_ids(ids)
        new, self._select_when_listed = self._select_when_listed, None
        if new is not None and new in ids:
            self.select_record(new)
        else:
            self._restore_selection(selected)
        if ids:
            self.pages.setCurrentWidget(self.table)
        else:
            text = self.search.text().strip()
            if text:
                self.empty.setText(self._no_match_text.format(text=text))
            elif self.has_filters():
                self.empty.setText(_("Nothing matches these filters."))
            else:
                self.empty.setText(self._empty_text)
            self.pages.setCurrentWidget(self.empty)
        self.countChanged.emit()
        self.filled.emit()

    def has_filters(self) -> bool:
        return any(v not in (None, "") for v in self.filters.values())

    def on_changes(self, changes: Changes) -> None:
        if not changes.touches(self.kind):
            return
        if self._loaded or self.isVisible():
            self.refresh()

    # -- selection, sorting, search --------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.model.id_at(r) for r in rows if r < self.model.rowCount()]

    def select_record(self, record_id: int) -> None:
        """Select `record_id` alone and scroll to it; if the list does not show it yet (a new
        record, the list reloading), once it does."""
        if record_id not in self.model.ids():
            self._select_when_listed = record_id
            return
        index = self.model.index(self.model.ids().index(record_id), self._first_shown_column())
        selection = self.table.selectionModel()
        # Not selectRow(): that would follow the keyboard modifiers held at this moment.
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        selection.select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _first_shown_column(self) -> int:
        """The leftmost column on screen (a hidden one cannot be scrolled to)."""
        header = self.table.horizontalHeader()
        for visual in range(header.count()):
            logical = header.logicalIndex(visual)
            if not header.isSectionHidden(logical):
                return logical
        return 0

    def _restore_selection(self, ids: list[int]) -> None:
        if not ids:
            return
        selection = self.table.selectionModel()
        positions = {rid: i for i, rid in enumerate(self.model.ids())}
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for rid in ids:
            row = positions.get(rid)
            if row is not None:
                selection.select(self.model.index(row, 0), flags)

    def _on_header_clicked(self, section: int) -> None:
        if not self.model.is_sortable(section):
            self._show_sort_indicator()  # put the indicator back where the order really is
            return
        key = self.listing.columns[section].key
        self.sort_by(key, not self.descending if key == self.sort_key else False)

    def sort_by(self, key: str, descending: bool = False) -> None:
        self.sort_key = key
        self.descending = descending
        self._show_sort_indicator()
        self.refresh()

    def _show_sort_indicator(self) -> None:
        keys = self.listing.column_keys()
        section = keys.index(self.sort_key) if self.sort_key in keys else -1
        order = Qt.SortOrder.DescendingOrder if self.descending else Qt.SortOrder.AscendingOrder
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(section, order)
        header.blockSignals(False)

    def _column_menu(self, pos: QPoint) -> None:
        """Right-click on the header: show or hide columns."""
        self.column_menu().exec(self.table.horizontalHeader().mapToGlobal(pos))

    def column_menu(self) -> QMenu:
        """The columns, each ticked while it shows."""
        menu = QMenu(self)
        for i, column in enumerate(self.listing.columns):
            action = menu.addAction(_(column.title))
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(i))
            action.toggled.connect(lambda on, i=i: self.table.setColumnHidden(i, not on))
        return menu

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def row_count(self) -> int:
        return self.model.rowCount(QModelIndex())
