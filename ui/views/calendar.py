"""Calendar: until the calendar issue, a month picker beside the events in date order."""

from __future__ import annotations

import bisect
import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFont, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QWidget

from cmplanner.bus import Changes
from cmplanner.i18n import _
from cmplanner.services.browse import LISTINGS
from cmplanner.storage import Database
from ui.display import app_locale
from ui.tasks import run_in_background
from ui.views.events import EVENT_WIDTHS, events_status_text
from ui.views.listing_view import ListingView

MAX_MARKED = 5000  # beyond that, marking days would cost more than it helps


def event_days(db: Database, ids: list[int]) -> list[dt.date]:
    """Runs on the worker: the start day of each event, in list order."""
    rows = LISTINGS["events"].rows(db, ids[:MAX_MARKED])
    days = []
    for rid in ids[:MAX_MARKED]:
        start = rows.get(rid, (None,))[0]
        if isinstance(start, dt.datetime):
            days.append(start.date())
    return days


class CalendarView(QWidget):
    countChanged = Signal()
    filled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db: Database | None = None
        self._days: list[dt.date] = []
        self._marked: list[QDate] = []

        self.calendar = QCalendarWidget(self)
        self.calendar.setLocale(app_locale())
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setFixedSize(280, 250)
        self.calendar.clicked.connect(self._go_to_date)

        self.events = ListingView(
            "events",
            kind="events",
            placeholder=_("Search events…"),
            empty_text=_("No events yet."),
            no_match_text=_("No event matches “{text}”."),
            sort_key="start",
            widths=EVENT_WIDTHS,
            stretch="title",
            hidden=("timezone", "venue", "recurring", "guests"),
            parent=self,
        )
        self.search = self.events.search
        self.table = self.events.table
        self.model = self.events.model
        self.events.filled.connect(self._mark_days)
        self.events.filled.connect(self.filled)
        self.events.countChanged.connect(self.countChanged)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(self.calendar, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.events, 1)

    def set_database(self, db: Database | None) -> None:
        self.db = db
        self.events.set_database(db)

    def ensure_loaded(self) -> None:
        self.events.ensure_loaded()

    def refresh(self) -> None:
        self.events.refresh()

    def on_changes(self, changes: Changes) -> None:
        self.events.on_changes(changes)

    def focus_search(self) -> None:
        self.events.focus_search()

    def row_count(self) -> int:
        return self.events.row_count()

    def status_text(self) -> str:
        return events_status_text(self.row_count())

    def _mark_days(self) -> None:
        if self.db is None:
            return
        ascending = self.events.sort_key == "start" and not self.events.descending
        ids = self.model.ids()
        run_in_background(
            event_days, self.db, ids, on_success=lambda days: self._show_days(days, ascending)
        )

    def _show_days(self, days: list[dt.date], ascending: bool) -> None:
        plain = QTextCharFormat()
        for qdate in self._marked:
            self.calendar.setDateTextFormat(qdate, plain)
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        self._marked = [QDate(d.year, d.month, d.day) for d in sorted(set(days))]
        for qdate in self._marked:
            self.calendar.setDateTextFormat(qdate, bold)
        self._days = days if ascending else []

    def _go_to_date(self, qdate: QDate) -> None:
        """Scroll the list to the first event on or after the clicked day."""
        if not self._days:
            return
        row = bisect.bisect_left(self._days, dt.date(qdate.year(), qdate.month(), qdate.day()))
        row = min(row, self.model.rowCount() - 1)
        index = self.model.index(row, 0)
        self.table.scrollTo(index, self.table.ScrollHint.PositionAtTop)
        self.table.setCurrentIndex(index)
