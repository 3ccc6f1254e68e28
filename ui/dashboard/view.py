"""The home screen (Tableau de bord): what is coming and what is due, one card per community
(vitality, pace, attendance, readiness), who is drifting away, and the in-person ratio.

Every figure comes from `cmplanner.services.dashboard.compute`, run on the database worker.
Start-up: the first paint is the page's frame, the date and the record counts (one cheap
query); the dashboard's figures follow, and the cards and their charts (QtCharts, imported
only then) are built one per event-loop turn so the window never stalls.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QPixmap, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cmplanner import clock
from cmplanner.bus import Changes
from cmplanner.i18n import N_, _, ngettext
from cmplanner.services.stats import record_counts
from cmplanner.storage import Database
from ui.dashboard.models import (
    DueRow,
    RecordsModel,
    due_model,
    due_rows,
    hours_text,
    percent,
    ratio_model,
    upcoming_model,
)
from ui.kit import jobs
from ui.kit.display import app_locale, format_int
from ui.kit.flow_layout import FlowLayout
from ui.kit.forms import error_label, show_error
from ui.kit.jobs import run_in_background
from ui.kit.sizing import fit_header_titles, scaled

if TYPE_CHECKING:
    from cmplanner.services import dashboard as dashboard_service

# (kind, caption msgid); the caption is translated where shown.
COUNTED = (
    ("contacts", N_("Contacts")),
    ("organizations", N_("Organizations")),
    ("communities", N_("Communities")),
    ("events", N_("Events")),
    ("tasks", N_("Tasks")),
)
# A change to any of these can move a figure of the dashboard.
WATCHED = (
    "contacts",
    "organizations",
    "communities",
    "events",
    "invitations",
    "tasks",
    "commitments",
    "interactions",
    "work_entries",
    "settings",
)
RECOMPUTE_DELAY_MS = 400
ROW_HEIGHT = 28
CARD_COLUMNS = 2
BUILD_SLICE_MS = 4  # queued building steps run for this long per event-loop turn


@dataclass(frozen=True)
class Computed:
    dashboard: dashboard_service.Dashboard
    due: tuple[DueRow, ...]  # the "Due" list, merged and sorted off the GUI thread


def compute(db: Database) -> Computed:
    """The job: the figures, and the "Due" rows ready to show. The cycle collector pauses
    meanwhile (a full collection over a big result would stop the GUI thread too)."""
    # Imported here, on the worker: the service is not on the first paint's path.
    from cmplanner import memory
    from cmplanner.services import dashboard as dashboard_service

    with memory.bulk_allocation():
        dashboard = dashboard_service.compute(db)
        return Computed(dashboard, tuple(due_rows(dashboard.due)))


def _capitalized(text: str) -> str:
    """ "samedi 21 novembre" → "Samedi 21 novembre" (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]


def _title(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("sectionTitle")
    return label


def _hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


class CompactTable(QTableView):
    """A read-only list as tall as its rows: the page is the one thing that scrolls (a list
    scrolling inside a scrolling page would catch the wheel halfway down)."""

    def __init__(self, model: RecordsModel, name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setModel(model)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(scaled(ROW_HEIGHT))
        self.horizontalHeader().setHighlightSections(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        model.modelReset.connect(self.fit_height)
        self.fit_height()

    def fit_height(self) -> None:
        rows = max(1, self.model().rowCount())
        header = self.horizontalHeader().sizeHint().height()
        self.setFixedHeight(header + rows * scaled(ROW_HEIGHT) + 2 * self.frameWidth())


class DashboardView(QWidget):
    countChanged = Signal()
    filled = Signal()
    computed = Signal()  # the figures arrived and every card is built

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db: Database | None = None
        self.undo_stack: QUndoStack | None = None  # set by the main window
        self.counts: dict[str, int] = {}
        self.dashboard: dashboard_service.Dashboard | None = None
        self.last_message = ""
        self.editor: Any = None  # the last editor or dialog opened from here (tests)
        self.dialog: Any = None
        self.preview: Any = None
        self._loaded = False
        self._computing = False
        self._dirty = False
        self._build_queue: list[Callable[[], None]] = []
        self.cards: list[Any] = []  # in the order of the communities shown
        self._doomed: list[QWidget] = []  # hidden, deleted one per event-loop turn
        self.ratio_chart: Any = None
        self._ratio_shown: Any = None  # what the ratio chart draws

        self._recompute_timer = QTimer(self)
        self._recompute_timer.setSingleShot(True)
        self._recompute_timer.setInterval(RECOMPUTE_DELAY_MS)
        self._recompute_timer.timeout.connect(self._compute)
        self._build_timer = QTimer(self)
        self._build_timer.setSingleShot(True)
        self._build_timer.setInterval(0)
        self._build_timer.timeout.connect(self._build_step)
        self._reap_timer = QTimer(self)
        self._reap_timer.setSingleShot(True)
        self._reap_timer.setInterval(0)
        self._reap_timer.timeout.connect(self._reap)

        # -- header: the date, the counts, export and help -----------------------------------
        self.today = QLabel(self)
        self.today.setObjectName("pageSubtitle")
        # The date takes the room left on its line; in a narrow window the counts wrap.
        self.today.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        header = FlowLayout(spacing=14, wrapped_to_the_right=True)
        header.addWidget(self.today)
        self._numbers: dict[str, QLabel] = {}
        for name, caption in COUNTED:
            tile = QFrame(self)
            tile.setObjectName("countTile")
            box = QHBoxLayout(tile)
            box.setContentsMargins(10, 3, 10, 3)
            box.setSpacing(5)
            number = QLabel("–", tile)
            number.setObjectName("countNumber")
            label = QLabel(_(caption), tile)
            label.setObjectName("countCaption")
            box.addWidget(number)
            box.addWidget(label)
            self._numbers[name] = number
            header.addWidget(tile)
        self.export_button = QToolButton(self)
        self.export_button.setObjectName("dashboardExport")
        self.export_button.setText(_("Export"))
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        export_menu = QMenu(self.export_button)
        self.png_action = export_menu.addAction(_("Export as &PNG…"), self.export_png)
        self.pdf_action = export_menu.addAction(_("Export as P&DF…"), self.export_pdf)
        export_menu.aboutToShow.connect(self._update_export_menu)
        self.export_button.setMenu(export_menu)
        header.addWidget(self.export_button)

        # -- the page, in a scroll area -------------------------------------------------------
        self.content = QWidget()
        self.content.setObjectName("dashboardPage")
        page = self.page_layout = QVBoxLayout(self.content)
        page.setContentsMargins(0, 4, 12, 16)
        page.setSpacing(8)

        # Next 14 days
        page.addWidget(_title(_("Next 14 days"), self.content))
        # A series with more dates than are shown (an old rule every second…).
        self.upcoming_notes = error_label(self.content)
        page.addWidget(self.upcoming_notes)
        self.upcoming_model = upcoming_model(self)
        self.upcoming_table = CompactTable(self.upcoming_model, "upcomingTable", self.content)
        self.upcoming_table.setAccessibleName(_("Next 14 days"))
        self._columns(self.upcoming_table, (150, 0, 150, 60, 60, 90, 80), stretch=1)
        self.upcoming_empty = self._empty(_("Nothing planned in the next 14 days."))
        page.addWidget(self.upcoming_table)
        page.addWidget(self.upcoming_empty)
        # Kept for the main window and older tests: the first table is "the" table.
        self.table = self.upcoming_table
        self.model = self.upcoming_model

        # Due
        page.addSpacing(6)
        page.addWidget(_title(_("Due and promised"), self.content))
        self.due_model = due_model(self)
        self.due_table = CompactTable(self.due_model, "dueTable", self.content)
        self.due_table.setAccessibleName(_("Due and promised"))
        self._columns(self.due_table, (150, 100, 0, 260), stretch=2)
        self.due_empty = self._empty(_("Nothing due this week, no open promise."))
        page.addWidget(self.due_table)
        page.addWidget(self.due_empty)
        for table in (self.upcoming_table, self.due_table):
            self._open_on_enter(table)

        # The rest (cards, drifting, ratio) is built when the figures arrive: the first
        # paint stays as cheap as the page's top.
        self._lower_built = False
        self.lower_page = QWidget(self.content)
        self.lower_layout = QVBoxLayout(self.lower_page)
        self.lower_layout.setContentsMargins(0, 0, 0, 0)
        self.lower_layout.setSpacing(8)
        page.addWidget(self.lower_page)
        self.communities_loading = self._empty(_("Computing the figures…"))
        self.communities_loading.show()
        page.addWidget(self.communities_loading)
        page.addStretch(1)

        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("dashboardScroll")
        self.scroll_area.setAccessibleName(_("Dashboard"))
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self.content)
        self.card_columns = CARD_COLUMNS
        self.scroll_area.viewport().installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addWidget(self.scroll_area, 1)
        self._show_empty_lists()

    # -- building blocks ------------------------------------------------------------------------

    def _build_lower(self) -> None:
        """Communities, drifting away, in-person ratio: built once, before the first figures
        are shown."""
        if self._lower_built:
            return
        self._lower_built = True
        page = self.lower_layout
        # Communities
        page.addSpacing(10)
        communities_title = QHBoxLayout()
        communities_title.addWidget(_title(_("Communities"), self.lower_page))
        self.help_button = QToolButton(self.lower_page)
        self.help_button.setObjectName("vitalityHelp")
        self.help_button.setText("?")
        self.help_button.setToolTip(_("How vitality is computed"))
        self.help_button.setAccessibleName(_("How vitality is computed"))
        self.help_button.clicked.connect(self.show_help)
        communities_title.addWidget(self.help_button)
        communities_title.addStretch(1)
        page.addLayout(communities_title)
        self.cards_grid = QGridLayout()
        self.cards_grid.setHorizontalSpacing(14)
        self.cards_grid.setVerticalSpacing(14)
        self._set_card_columns(self.card_columns)
        page.addLayout(self.cards_grid)
        self.communities_empty = QWidget(self.lower_page)
        empty_row = QHBoxLayout(self.communities_empty)
        empty_row.setContentsMargins(0, 0, 0, 0)
        self.communities_empty_label = QLabel(
            _("No community yet. A community gets its card here: vitality, pace, attendance.")
        )
        self.communities_empty_label.setObjectName("emptyState")
        self.communities_empty_label.setWordWrap(True)
        self.new_community_button = QPushButton(_("Create a community…"), self.communities_empty)
        self.new_community_button.setObjectName("newCommunity")
        self.new_community_button.clicked.connect(self.new_community)
        empty_row.addWidget(self.communities_empty_label, 1)
        empty_row.addWidget(self.new_community_button)
        self.communities_empty.hide()
        page.addWidget(self.communities_empty)

        # Drifting away
        page.addSpacing(10)
        page.addWidget(_title(_("Drifting away"), self.lower_page))
        page.addWidget(
            _hint(
                _(
                    "People past their keep-in-touch cadence, and regulars who missed their "
                    "community's last 3 events. Any interaction or attended event counts."
                ),
                self.lower_page,
            )
        )
        from ui.dashboard.drifting import DriftingPanel

        self.drifting = DriftingPanel(self.lower_page)
        self.drifting.action.connect(self.act_on_drifting)
        self.drifting.openContact.connect(self.open_contact)
        self.drifting_empty = self._empty(_("Nobody is drifting away. Well done."))
        page.addWidget(self.drifting)
        page.addWidget(self.drifting_empty)

        # In-person ratio
        page.addSpacing(10)
        page.addWidget(_title(_("In-person ratio"), self.lower_page))
        ratio_row = QHBoxLayout()
        ratio_row.setSpacing(16)
        figures = QVBoxLayout()
        figures.setSpacing(6)
        self.ratio_value = QLabel("—", self.lower_page)
        self.ratio_value.setObjectName("ratioValue")
        self.ratio_target = QLabel(self.lower_page)
        self.ratio_target.setObjectName("ratioTarget")
        self.ratio_target.setWordWrap(True)
        self.ratio_minutes = _hint("", self.lower_page)
        figures.addWidget(self.ratio_value)
        figures.addWidget(self.ratio_target)
        figures.addWidget(self.ratio_minutes)
        self.ratio_model = ratio_model(self)
        self.ratio_table = CompactTable(self.ratio_model, "ratioTable", self.lower_page)
        self.ratio_table.setAccessibleName(_("In-person ratio"))
        self._columns(self.ratio_table, (0, 80, 80, 120), stretch=0)
        self.ratio_table.setMinimumWidth(380)
        figures.addWidget(self.ratio_table)
        self.work_button = QPushButton(_("Log online work…"), self.lower_page)
        self.work_button.setObjectName("logWork")
        self.work_button.setToolTip(
            _("Time spent online for a community (writing, answering, preparing) counts as online")
        )
        self.work_button.clicked.connect(self.log_work)
        work_row = QHBoxLayout()
        work_row.addWidget(self.work_button)
        work_row.addStretch(1)
        figures.addLayout(work_row)
        figures.addStretch(1)
        ratio_row.addLayout(figures, 4)
        self.ratio_chart_box = QVBoxLayout()
        self.ratio_chart_title = QLabel(_("Share of time in person, per month"), self.lower_page)
        self.ratio_chart_title.setObjectName("cardSection")
        self.ratio_chart_box.addWidget(self.ratio_chart_title)
        self.ratio_chart_box.addStretch(1)
        ratio_row.addLayout(self.ratio_chart_box, 5)
        page.addLayout(ratio_row)

    def _empty(self, text: str) -> QLabel:
        label = QLabel(text, self.content)
        label.setObjectName("emptyState")
        label.setWordWrap(True)
        label.hide()
        return label

    @staticmethod
    def _columns(table: QTableView, widths: tuple[int, ...], stretch: int) -> None:
        header = table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column, width in enumerate(widths):
            if width:
                table.setColumnWidth(column, width)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        fit_header_titles(header)

    def _open_on_enter(self, table: QTableView) -> None:
        action = QAction(_("&Open"), table)
        # The first key is the one menus name: "Entrée" in French ("Return" would be "Retour").
        action.setShortcuts([QKeySequence("Enter"), QKeySequence("Return")])
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(lambda _c=False, t=table: self._open_current(t))
        table.addAction(action)
        table.doubleClicked.connect(lambda index, t=table: self.open_row(t, index.row()))

    def _open_current(self, table: QTableView) -> None:
        index = table.currentIndex()
        if index.isValid():
            self.open_row(table, index.row())

    def _show_empty_lists(self) -> None:
        for table, empty in (
            (self.upcoming_table, self.upcoming_empty),
            (self.due_table, self.due_empty),
        ):
            has = table.model().rowCount() > 0
            table.setVisible(has)
            empty.setVisible(not has and self.dashboard is not None)
        if not self._lower_built:
            return
        has_drifting = self.drifting.model.rowCount() > 0
        self.drifting.setVisible(has_drifting)
        self.drifting_empty.setVisible(not has_drifting and self.dashboard is not None)

    # -- the main window's interface ----------------------------------------------------------

    def set_database(self, db: Database | None) -> None:
        self.db = db
        # What the old database answers is not shown.
        for key in ("counts", "first counts", "figures"):
            jobs.drop((self, key))
        self._computing = self._dirty = False
        self._loaded = False
        self.counts = {}
        self.dashboard = None
        for number in self._numbers.values():
            number.setText("–")
        self._clear()

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:
        day = clock.today()
        self.today.setText(
            _capitalized(
                app_locale().toString(QDate(day.year, day.month, day.day), "dddd d MMMM yyyy")
            )
        )
        self._loaded = True
        self._recount(first=True)

    def on_changes(self, changes: Changes) -> None:
        if not self._loaded:
            return
        if any(changes.touches(name) for name, _caption in COUNTED):
            self._recount()
        if any(changes.touches(kind) for kind in WATCHED):
            self._recompute_timer.start()

    def focus_search(self) -> None:
        self.upcoming_table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def row_count(self) -> int:
        return self.upcoming_model.rowCount()

    def status_text(self) -> str:
        n = self.row_count()
        return ngettext(
            "{n} event in the next 14 days", "{n} events in the next 14 days", n
        ).format(n=format_int(n))

    def push(self, command: Any) -> None:
        """Run an undoable write (through the window's undo stack when there is one)."""
        if self.undo_stack is not None:
            self.undo_stack.push(command)
        else:
            command.redo()

    # -- counts (the first paint) -------------------------------------------------------------

    def _recount(self, first: bool = False) -> None:
        if self.db is None:
            return
        run_in_background(
            record_counts,
            self.db,
            on_success=lambda counts: self._show_counts(counts, first),
            on_failure=lambda exc: self._counts_failed(exc, first),
            # The first counts are not dropped for a recount: they also start the figures.
            key=(self, "first counts" if first else "counts"),
        )

    def _counts_failed(self, exc: BaseException, first: bool) -> None:
        from ui.kit import errors

        errors.report(exc)
        if first:
            self._compute()

    def _show_counts(self, counts: dict[str, int], first: bool) -> None:
        self.counts = counts
        for name, number in self._numbers.items():
            number.setText(format_int(counts.get(name, 0)))
        if first:
            self.filled.emit()
            # The figures are asked for once the page's top shows: nothing competes with
            # the first paint.
            self._compute()

    # -- the figures --------------------------------------------------------------------------

    def _compute(self) -> None:
        if self.db is None:
            return
        if self._computing:
            self._dirty = True  # once more when the running one is back
            return
        self._computing = True
        self._dirty = False
        run_in_background(
            compute,
            self.db,
            on_success=self._computed,
            on_failure=self._failed,
            label=_("Computing the dashboard…"),
            key=(self, "figures"),
        )

    def _failed(self, exc: BaseException) -> None:
        from ui.kit import errors

        self._computing = False
        errors.report(exc)

    def _computed(self, result: Computed) -> None:
        self._computing = False
        if self._dirty:
            self._compute()
        self.show_dashboard(result.dashboard, result.due)

    def show_dashboard(
        self, d: dashboard_service.Dashboard, due: Sequence[DueRow] | None = None
    ) -> None:
        """Fill the page a piece per event-loop turn (lists, then each card and chart), so
        the window answers between them even on a very large database.

        A recompute updates the cards in place: a community already shown keeps its card,
        which shows the new figures in its widgets and charts; only a new community gets a
        new card, and only the card of a community gone is dropped. (Dropping and rebuilding
        every card made the page lay all of them out twice over, a long stall.)"""
        self._build_lower()
        self.dashboard = d
        rows = due if due is not None else due_rows(d.due)
        self.upcoming_model.set_upcoming(d.upcoming, d.due.unconfirmed)
        show_error(self.upcoming_notes, "\n".join(d.notes))
        self.due_model.set_records(rows)
        self._show_empty_lists()
        self.countChanged.emit()
        self.communities_loading.hide()
        self.communities_empty.setVisible(not d.communities)

        self._build_timer.stop()
        self._build_queue = [
            lambda: self._show_drifting(d.drifting),
            lambda: self._show_ratio(d.ratio),
            self._import_charts,
        ]
        ids = [c.community_id for c in d.communities]
        if ids != [card.community.community_id for card in self.cards]:
            self._build_queue.append(lambda: self._arrange_cards(ids))
        for i, c in enumerate(d.communities):
            self._build_queue.append(functools.partial(self._show_card, i, c))
        self._build_queue.append(lambda: self._build_ratio_chart(d.ratio))
        self._build_queue.append(self.computed.emit)
        self._build_timer.start()

    def _show_drifting(self, drifting: Sequence[Any]) -> None:
        self.drifting.set_records(drifting)
        self._show_empty_lists()

    def _build_step(self) -> None:
        """Run queued steps for up to BUILD_SLICE_MS (a card updated with the same figures
        costs nothing; a card built costs several ms, its layout and paint come after)."""
        started = time.perf_counter()
        while self._build_queue:
            step = self._build_queue.pop(0)
            step()
            if (time.perf_counter() - started) * 1000 >= BUILD_SLICE_MS:
                break
        if self._build_queue:
            self._build_timer.start()

    def finish_building(self) -> None:
        """Build what is still queued now (before a grab of the whole page, in tests)."""
        self._build_timer.stop()
        while self._build_queue:
            self._build_queue.pop(0)()

    def _import_charts(self) -> None:
        from ui.dashboard import charts as dashboard_charts

        self._charts = dashboard_charts

    def _arrange_cards(self, ids: Sequence[int]) -> None:
        """The communities shown changed (one added, removed or renamed): the cards kept
        move to their new places, in one go; those of communities gone are dropped; the
        places of new ones stay empty until `_show_card` builds them."""
        place = {community_id: i for i, community_id in enumerate(ids)}
        kept = []
        for card in self.cards:
            self.cards_grid.removeWidget(card)
            if card.community.community_id in place:
                kept.append(card)
            else:
                self._discard(card)
        kept.sort(key=lambda card: place[card.community.community_id])
        for card in kept:
            row, column = divmod(place[card.community.community_id], self.card_columns)
            self.cards_grid.addWidget(card, row, column)
        self.cards = kept

    def _show_card(self, index: int, community: Any) -> None:
        """The card of `community` shows its figures: updated in place when it is there,
        else built in its place."""
        for card in self.cards:
            if card.community.community_id == community.community_id:
                card.set_community(community)
                return
        from ui.dashboard.cards import CommunityCard

        card = CommunityCard(community, self._charts, self.content)
        card.fix.connect(self.fix_readiness)
        card.openCommunity.connect(self.open_community)
        row, column = divmod(index, self.card_columns)
        self.cards_grid.addWidget(card, row, column)
        # Shown now, not on the layout's queued call: the page is then laid out once with
        # the card, not once without it and once more with it.
        card.show()
        self.cards.insert(index, card)
        self._reflow_cards()

    # -- cards side by side, or one under the other in a narrow window ----------------------

    def _fitting_columns(self) -> int:
        """Two cards side by side when both fit the page's width, else one per line: the
        page never scrolls sideways (a laptop's screen, a window half as wide)."""
        widest = max((card.minimumSizeHint().width() for card in self.cards), default=0)
        margins = self.page_layout.contentsMargins()
        room = self.scroll_area.viewport().width() - margins.left() - margins.right()
        spacing = self.cards_grid.horizontalSpacing()
        return CARD_COLUMNS if room >= CARD_COLUMNS * widest + spacing else 1

    def _set_card_columns(self, columns: int) -> None:
        self.card_columns = columns
        for column in range(CARD_COLUMNS):
            self.cards_grid.setColumnStretch(column, 1 if column < columns else 0)

    def _reflow_cards(self) -> None:
        if not self._lower_built:
            return
        columns = self._fitting_columns()
        if columns == self.card_columns:
            return
        for card in self.cards:
            self.cards_grid.removeWidget(card)
        self._set_card_columns(columns)
        for index, card in enumerate(self.cards):
            self.cards_grid.addWidget(card, *divmod(index, columns))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Resize:
            self._reflow_cards()
        return super().eventFilter(watched, event)

    def _discard(self, widget: QWidget) -> None:
        """Hide now, delete later, one per event-loop turn (deleting thirty cards with
        their charts at once would stall the window)."""
        widget.hide()
        self._doomed.append(widget)
        self._reap_timer.start()

    def _reap(self) -> None:
        if self._doomed:
            self._doomed.pop().deleteLater()
        if self._doomed:
            self._reap_timer.start()

    def _clear(self) -> None:
        self._build_queue = []
        self._build_timer.stop()
        self.upcoming_model.set_records(())
        self.due_model.set_records(())
        self.communities_loading.show()
        if not self._lower_built:
            self._show_empty_lists()
            return
        self.drifting.set_records(())
        self.ratio_model.set_records(())
        for card in self.cards:
            self.cards_grid.removeWidget(card)
            self._discard(card)
        self.cards = []
        if self.ratio_chart is not None:
            self.ratio_chart_box.removeWidget(self.ratio_chart)
            self._discard(self.ratio_chart)
            self.ratio_chart = None
            self._ratio_shown = None
        self.communities_empty.hide()
        self._show_empty_lists()

    # -- in-person ratio ----------------------------------------------------------------------

    def _show_ratio(self, r: dashboard_service.InPersonRatio) -> None:
        target = percent(r.target)
        if r.value is None:
            self.ratio_value.setText("—")
            self.ratio_target.setText(
                _("No time logged in the last 90 days (target: {target} in person).").format(
                    target=target
                )
            )
            self.ratio_value.setProperty("state", "unknown")
        else:
            met = r.value >= r.target
            self.ratio_value.setText(percent(r.value, r.target))
            self.ratio_target.setText(
                (
                    _("in person over the last 90 days — target {target} reached")
                    if met
                    else _("in person over the last 90 days — below the target of {target}")
                ).format(target=target)
            )
            self.ratio_value.setProperty("state", "good" if met else "low")
        self.ratio_value.style().unpolish(self.ratio_value)
        self.ratio_value.style().polish(self.ratio_value)
        self.ratio_minutes.setText(
            _("{in_person} in person, {online} online (events, interactions, online work)").format(
                in_person=hours_text(r.in_person_minutes), online=hours_text(r.online_minutes)
            )
        )
        self.ratio_model.set_records(r.by_community)
        self.ratio_table.setVisible(bool(r.by_community))

    def _build_ratio_chart(self, r: dashboard_service.InPersonRatio) -> None:
        shown = (r.months, r.target)
        if self.ratio_chart is not None:
            if shown == self._ratio_shown:
                return  # the same bars: nothing to redraw
            self.ratio_chart_box.removeWidget(self.ratio_chart)
            self._discard(self.ratio_chart)
        self._ratio_shown = shown
        self.ratio_chart = self._charts.ratio_chart(r.months, r.target, self.content)
        self.ratio_chart_box.insertWidget(1, self.ratio_chart)

    # -- actions ------------------------------------------------------------------------------

    def open_row(self, table: QTableView, row: int) -> None:
        from ui.dashboard import actions

        record = table.model().record(row)  # type: ignore[attr-defined]
        if record is None:
            return
        if table is self.upcoming_table:
            actions.open_event(self, record.event_id)
        elif table is self.due_table:
            actions.open_due(self, record)

    def open_contact(self, contact_id: int) -> None:
        from ui.dashboard import actions

        actions.open_contact(self, contact_id)

    def open_community(self, community_id: int) -> None:
        from ui.dashboard import actions

        actions.open_community(self, community_id)

    def fix_readiness(self, community_id: int, action: str) -> None:
        from ui.dashboard import actions

        actions.fix_readiness(self, community_id, action)

    def act_on_drifting(self, person: Any, key: str) -> None:
        from ui.dashboard import actions

        actions.act(self, person, key)

    def new_community(self) -> None:
        window = self.window()
        if hasattr(window, "view"):
            window.view("communities").open_record(None)

    def log_work(self) -> None:
        from ui.dashboard import actions

        actions.log_work(self)

    def show_help(self) -> None:
        box = QMessageBox(self)
        box.setObjectName("vitalityHelpBox")
        box.setWindowTitle(_("How vitality is computed"))
        box.setIcon(QMessageBox.Icon.Information)
        box.setText(_("How vitality is computed"))
        from cmplanner.services.dashboard import vitality_help

        box.setInformativeText(vitality_help())
        self.dialog = box
        box.exec()

    # -- export -------------------------------------------------------------------------------

    def grab_page(self) -> QPixmap:
        """The whole page, every card built, as one image."""
        self.finish_building()
        return self.content.grab()

    def export_png(self, path: Any = None) -> Any:
        from ui.dashboard import actions

        return actions.export_png(self, path)

    def export_pdf(self) -> Any:
        from ui.dashboard import actions

        if not actions.pdf_available():
            QMessageBox.information(
                self,
                _("Export as PDF"),
                _("The PDF of the dashboard is not available in this version."),
            )
            return None
        return actions.export_pdf(self)

    def _update_export_menu(self) -> None:
        from ui.dashboard import actions

        self.pdf_action.setEnabled(actions.pdf_available())
