"""Finding contacts to invite from the Guests tab: a search box, its results under it, and
the Invite button. Enter or a double-click invites; ↓ and ↑ go between the box and the list."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QPushButton, QTableView, QWidget

from cmplanner.i18n import _
from cmplanner.services.browse import CONTACTS
from cmplanner.storage import Database
from ui.kit import accessible, jobs
from ui.kit.jobs import run_in_background
from ui.kit.models import CONTACT_IDS_MIME, ListingModel
from ui.kit.sizing import scaled

SEARCH_DELAY_MS = 200
_RESULT_COLUMNS = ("name", "email", "organization")


class GuestSearch(QObject):
    """The search box, the results and the Invite button, made in `panel` (which lays them
    out); `chosen` gives the ids of the contacts to invite."""

    chosen = Signal(list)

    def __init__(self, db: Database, panel: QWidget, feedback: QLabel) -> None:
        super().__init__(panel)
        self.db = db
        self._feedback = feedback
        self._after_search: Callable[[], None] | None = None

        self.search = QLineEdit(panel)
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

        self.invite_button = QPushButton(_("&Invite"), panel)
        self.invite_button.setObjectName("inviteButton")
        self.invite_button.setAutoDefault(False)
        self.invite_button.setEnabled(False)
        self.invite_button.clicked.connect(self.invite_selected_results)

        self.results_model = ListingModel(CONTACTS, db, panel, mime_type=CONTACT_IDS_MIME)
        self.results = self._build_results(panel)

    def _build_results(self, panel: QWidget) -> QTableView:
        results = QTableView(panel)
        results.setObjectName("contactResults")
        results.setModel(self.results_model)
        results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        results.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        results.setDragEnabled(True)
        results.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        results.setDefaultDropAction(Qt.DropAction.CopyAction)
        results.setShowGrid(False)
        results.setWordWrap(False)
        results.verticalHeader().hide()
        results.verticalHeader().setDefaultSectionSize(24)
        results.horizontalHeader().setStretchLastSection(True)
        results.horizontalHeader().setHighlightSections(False)
        columns = CONTACTS.column_keys()
        for n, key in enumerate(columns):
            results.setColumnHidden(n, key not in _RESULT_COLUMNS)
        header = results.horizontalHeader()
        header.moveSection(header.visualIndex(columns.index("name")), 0)  # 王小明, Nagy János
        for key, width in (("name", 280), ("email", 220)):
            results.setColumnWidth(columns.index(key), width)
        results.setMaximumHeight(scaled(24 * 5 + 30))
        results.doubleClicked.connect(lambda _index: self.invite_selected_results())
        results.installEventFilter(self)
        results.selectionModel().selectionChanged.connect(self._update_invite_button)
        results.hide()
        return results

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
        self._feedback.setText(
            "" if ids else _("No contact matches “{text}”.").format(text=self.search.text())
        )
        self._update_invite_button()
        then, self._after_search = self._after_search, None
        if then is not None:
            then()

    def _update_invite_button(self, *_args: object) -> None:
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
        self.chosen.emit(ids)
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
