"""The home screen (Tableau de bord): what is coming and what is due, one card per community
(vitality, pace, attendance, readiness), who is drifting away, and the in-person ratio.

Every figure comes from `cmplanner.services.dashboard.compute`, run on the database worker.
Start-up: the first paint is the page's frame, the date and the record counts (one cheap
query); the dashboard's figures follow, and the cards and their charts (QtCharts, imported
only then) are built one per event-loop turn so the window never stalls.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap, QUndoStack
from PySide6.QtWidgets import (
    QFrame,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmplanner import clock
from cmplanner.bus import Changes
from cmplanner.i18n import _, ngettext
from cmplanner.services.stats import record_counts
from cmplanner.storage import Database
from ui.dashboard.header import COUNTED, DashboardHeader
from ui.dashboard.lists import UpcomingAndDue
from ui.dashboard.models import (
    DueRow,
    due_rows,
)
from ui.dashboard.steps import SlicedSteps
from ui.dashboard.tables import empty_state, title
from ui.kit import errors, jobs
from ui.kit.display import app_locale, format_int
from ui.kit.jobs import run_in_background

if TYPE_CHECKING:
    from cmplanner.services import dashboard as dashboard_service
    from ui.dashboard.card_grid import CardGrid, Discarder
    from ui.dashboard.ratio import RatioSection

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
        self._build_timers()
        self._build_header()
        self._build_page()
        self._build_scroll_area()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(self.header.layout)
        layout.addWidget(self.scroll_area, 1)
        self._show_empty_lists()

    def _build_timers(self) -> None:
        self._recompute_timer = QTimer(self)
        self._recompute_timer.setSingleShot(True)
        self._recompute_timer.setInterval(RECOMPUTE_DELAY_MS)
        self._recompute_timer.timeout.connect(self._compute)
        self.steps = SlicedSteps(self)  # the cards and charts, a slice per event-loop turn

    def _build_header(self) -> None:
        """The date, the counts, export."""
        header = self.header = DashboardHeader(
            self, self.export_png, self.export_pdf, self._update_export_menu
        )
        self.today, self._numbers = header.today, header.numbers
        self.export_button, self.png_action, self.pdf_action = (
            header.export_button,
            header.png_action,
            header.pdf_action,
        )

    def _build_page(self) -> None:
        """The next 14 days and what is due; the rest waits for the figures."""
        self.content = QWidget()
        self.content.setObjectName("dashboardPage")
        page = self.page_layout = QVBoxLayout(self.content)
        page.setContentsMargins(0, 4, 12, 16)
        page.setSpacing(8)

        lists = self.lists = UpcomingAndDue(page, self.content, self, self.open_row)
        self.upcoming_notes, self.upcoming_empty = lists.upcoming_notes, lists.upcoming_empty
        self.upcoming_model, self.upcoming_table = lists.upcoming_model, lists.upcoming_table
        self.due_model, self.due_table = lists.due_model, lists.due_table
        self.due_empty = lists.due_empty
        # Kept for the main window and older tests: the first table is "the" table.
        self.table, self.model = self.upcoming_table, self.upcoming_model

        # The rest (cards, drifting, ratio) is built when the figures arrive: the first
        # paint stays as cheap as the page's top.
        self._lower_built = False
        self.lower_page = QWidget(self.content)
        self.lower_layout = QVBoxLayout(self.lower_page)
        self.lower_layout.setContentsMargins(0, 0, 0, 0)
        self.lower_layout.setSpacing(8)
        page.addWidget(self.lower_page)
        self.communities_loading = empty_state(self.content, _("Computing the figures…"))
        self.communities_loading.show()
        page.addWidget(self.communities_loading)
        page.addStretch(1)

    def _build_scroll_area(self) -> None:
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("dashboardScroll")
        self.scroll_area.setAccessibleName(_("Dashboard"))
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self.content)

    # The cards' grid and the ratio are made when first used (with the first figures): their
    # modules are not on the first paint's path.

    @functools.cached_property
    def discarder(self) -> Discarder:
        from ui.dashboard.card_grid import Discarder  # start-up: with the first figures

        return Discarder(self)

    @property
    def _doomed(self) -> list[QWidget]:
        return self.discarder.doomed

    @functools.cached_property
    def card_grid(self) -> CardGrid:
        from ui.dashboard.card_grid import CardGrid  # start-up: with the first figures

        return CardGrid(
            self.content,
            self.scroll_area,
            self.page_layout,
            self.discarder.discard,
            self.fix_readiness,
            self.open_community,
        )

    @functools.cached_property
    def ratio(self) -> RatioSection:
        from ui.dashboard.ratio import RatioSection  # start-up: with the first figures

        return RatioSection(self.lower_page, self.discarder.discard)

    @property
    def cards(self) -> list[Any]:
        """The communities' cards, in the order of the communities shown."""
        return self.card_grid.cards

    @property
    def card_columns(self) -> int:
        return self.card_grid.columns

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
        grid = self.card_grid
        grid.build_section(page, self.lower_page, self.show_help, self.new_community)
        self.help_button, self.cards_grid = grid.help_button, grid.grid
        self.communities_empty, self.new_community_button = grid.empty, grid.new_button
        self.communities_empty_label = grid.empty_label

        # Drifting away
        page.addSpacing(10)
        from ui.dashboard.drifting import add_section  # start-up: built with the figures

        self.drifting, self.drifting_empty = add_section(page, self.lower_page, self.content)
        self.drifting.action.connect(self.act_on_drifting)
        self.drifting.openContact.connect(self.open_contact)

        # In-person ratio
        page.addSpacing(10)
        page.addWidget(title(_("In-person ratio"), self.lower_page))
        page.addLayout(self.ratio.build(self.log_work))
        ratio = self.ratio
        self.ratio_value, self.ratio_model, self.ratio_table = ratio.value, ratio.model, ratio.table
        self.work_button = ratio.work_button

    def _show_empty_lists(self) -> None:
        self.lists.show_empty(self.dashboard is not None)
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
        self.lists.show(d, rows)
        self._show_empty_lists()
        self.countChanged.emit()
        self.communities_loading.hide()
        self.communities_empty.setVisible(not d.communities)

        steps: list[Callable[[], None]] = [
            lambda: self._show_drifting(d.drifting),
            lambda: self.ratio.show(d.ratio),
            self._import_charts,
        ]
        ids = [c.community_id for c in d.communities]
        if ids != [card.community.community_id for card in self.cards]:
            steps.append(lambda: self.card_grid.arrange(ids))
        for i, c in enumerate(d.communities):
            steps.append(functools.partial(self._show_card, i, c))
        steps.append(lambda: self.ratio.build_chart(d.ratio, self._charts, self.content))
        steps.append(self.computed.emit)
        self.steps.run(steps)

    def _show_drifting(self, drifting: Sequence[Any]) -> None:
        self.drifting.set_records(drifting)
        self._show_empty_lists()

    def finish_building(self) -> None:
        """Build what is still queued now (before a grab of the whole page, in tests)."""
        self.steps.finish()

    @property
    def _build_queue(self) -> list[Callable[[], None]]:
        """What is still to build (tests wait for it to be empty)."""
        return self.steps.queue

    def _show_card(self, index: int, community: Any) -> None:
        self.card_grid.show_card(index, community, self._charts)

    def _import_charts(self) -> None:
        # imported on use, not at the top: keeps it off the start-up path
        from ui.dashboard import (
            charts as dashboard_charts,  # start-up: QtCharts after the first paint
        )

        self._charts = dashboard_charts

    def _clear(self) -> None:
        self.steps.clear()
        self.lists.clear()
        self.communities_loading.show()
        if not self._lower_built:
            self._show_empty_lists()
            return
        self.drifting.set_records(())
        self.card_grid.clear()
        self.ratio.clear()
        self.communities_empty.hide()
        self._show_empty_lists()

    # -- actions ------------------------------------------------------------------------------

    def open_row(self, table: QTableView, row: int) -> None:
        from ui.dashboard import actions  # on use: off the start-up path

        record = table.model().record(row)  # type: ignore[attr-defined]
        if record is None:
            return
        if table is self.upcoming_table:
            actions.open_event(self, record.event_id)
        elif table is self.due_table:
            actions.open_due(self, record)

    def open_contact(self, contact_id: int) -> None:
        from ui.dashboard import actions  # on use: off the start-up path

        actions.open_contact(self, contact_id)

    def open_community(self, community_id: int) -> None:
        from ui.dashboard import actions  # on use: off the start-up path

        actions.open_community(self, community_id)

    def fix_readiness(self, community_id: int, action: str) -> None:
        from ui.dashboard import actions  # on use: off the start-up path

        actions.fix_readiness(self, community_id, action)

    def act_on_drifting(self, person: Any, key: str) -> None:
        from ui.dashboard import actions  # on use: off the start-up path

        actions.act(self, person, key)

    def new_community(self) -> None:
        window = self.window()
        if hasattr(window, "view"):
            window.view("communities").open_record(None)

    def log_work(self) -> None:
        from ui.dashboard import actions  # on use: off the start-up path

        actions.log_work(self)

    def show_help(self) -> None:
        from ui.dashboard import actions  # on use: off the start-up path

        actions.show_vitality_help(self)

    # -- export -------------------------------------------------------------------------------

    def grab_page(self) -> QPixmap:
        """The whole page, every card built, as one image."""
        self.finish_building()
        return self.content.grab()

    def export_png(self, path: Any = None) -> Any:
        from ui.dashboard import actions  # on use: off the start-up path

        return actions.export_png(self, path)

    def export_pdf(self) -> Any:
        from ui.dashboard import actions  # on use: off the start-up path

        return actions.export_pdf(self)

    def _update_export_menu(self) -> None:
        from ui.dashboard import actions  # on use: off the start-up path

        self.pdf_action.setEnabled(actions.pdf_available())
