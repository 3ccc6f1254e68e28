"""The top of the home screen: the next 14 days and what is due, each a list or a line saying
it is empty."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTableView, QVBoxLayout, QWidget

from cmplanner.i18n import _
from ui.dashboard.models import DueRow, due_model, upcoming_model
from ui.dashboard.tables import CompactTable, columns, empty_state, open_on_enter, title
from ui.kit.forms import error_label, show_error

if TYPE_CHECKING:  # the service is imported on the worker, not at start-up
    from cmplanner.services import dashboard as dashboard_service


class UpcomingAndDue:
    """The two lists, added to `page`; `open_row(table, row)` opens a row's record."""

    def __init__(
        self,
        page: QVBoxLayout,
        content: QWidget,
        owner: QWidget,
        open_row: Callable[[QTableView, int], None],
    ) -> None:
        # Next 14 days
        page.addWidget(title(_("Next 14 days"), content))
        # A series with more dates than are shown (an old rule every second…).
        self.upcoming_notes = error_label(content)
        page.addWidget(self.upcoming_notes)
        self.upcoming_model = upcoming_model(owner)
        self.upcoming_table = CompactTable(self.upcoming_model, "upcomingTable", content)
        self.upcoming_table.setAccessibleName(_("Next 14 days"))
        columns(self.upcoming_table, (150, 0, 150, 60, 60, 90, 80), stretch=1)
        self.upcoming_empty = empty_state(content, _("Nothing planned in the next 14 days."))
        page.addWidget(self.upcoming_table)
        page.addWidget(self.upcoming_empty)

        # Due
        page.addSpacing(6)
        page.addWidget(title(_("Due and promised"), content))
        self.due_model = due_model(owner)
        self.due_table = CompactTable(self.due_model, "dueTable", content)
        self.due_table.setAccessibleName(_("Due and promised"))
        columns(self.due_table, (150, 100, 0, 260), stretch=2)
        self.due_empty = empty_state(content, _("Nothing due this week, no open promise."))
        page.addWidget(self.due_table)
        page.addWidget(self.due_empty)
        for table in (self.upcoming_table, self.due_table):
            open_on_enter(table, open_row)

    def show(self, d: dashboard_service.Dashboard, rows: Sequence[DueRow]) -> None:
        self.upcoming_model.set_upcoming(d.upcoming, d.due.unconfirmed)
        show_error(self.upcoming_notes, "\n".join(d.notes))
        self.due_model.set_records(rows)

    def clear(self) -> None:
        self.upcoming_model.set_records(())
        self.due_model.set_records(())

    def show_empty(self, computed: bool) -> None:
        """Each list, or (once the figures are `computed`) the line saying it is empty."""
        for table, empty in (
            (self.upcoming_table, self.upcoming_empty),
            (self.due_table, self.due_empty),
        ):
            has = table.model().rowCount() > 0
            table.setVisible(has)
            empty.setVisible(not has and computed)
