"""Where the calendar is: the mode (month, week or agenda) and the anchor day, moved by the
toolbar's buttons, PageUp / PageDown (or Ctrl+Left / Ctrl+Right), Ctrl+T and the arrows."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QStackedWidget, QWidget

from cmplanner import clock
from ui.calendar.agenda import AgendaTable
from ui.calendar.look import week_start
from ui.calendar.month import MonthModel, MonthTable
from ui.calendar.toolbar import CalendarToolbar
from ui.calendar.week_grid import WeekGrid

AGENDA_DAYS = 31


class CalendarNavigation(QObject):
    """The range on screen; `moved` is emitted when it changes (the view loads it)."""

    moved = Signal()

    def __init__(
        self,
        view: QWidget,
        bar: CalendarToolbar,
        month: tuple[MonthModel, MonthTable],
        week_grid: WeekGrid,
        agenda_table: AgendaTable,
        pages: QStackedWidget,
    ) -> None:
        super().__init__(view)
        self.anchor = clock.today()
        self.mode = "month"
        self.bar = bar
        self.month_model, self.month_table = month
        self.week_grid = week_grid
        self.agenda_table = agenda_table
        self.pages = pages
        self.month_table.dayChosen.connect(self._day_chosen)
        self.week_grid.dayChosen.connect(self._day_chosen)
        bar.today_button.clicked.connect(self.go_today)
        bar.previous_button.clicked.connect(lambda: self.step(-1))
        bar.next_button.clicked.connect(lambda: self.step(1))
        bar.month_button.clicked.connect(lambda: self.set_mode("month"))
        bar.week_button.clicked.connect(lambda: self.set_mode("week"))
        bar.agenda_button.clicked.connect(lambda: self.set_mode("agenda"))
        keys = (
            ("PgUp", lambda: self.step(-1)),
            ("PgDown", lambda: self.step(1)),
            ("Ctrl+Left", lambda: self.step(-1)),
            ("Ctrl+Right", lambda: self.step(1)),
            ("Ctrl+T", self.go_today),
        )
        self.shortcuts = []
        for key, slot in keys:
            shortcut = QShortcut(QKeySequence(key), view)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            self.shortcuts.append(shortcut)

    def show_anchor(self) -> None:
        """The first range shown: the month (and the week) of the anchor day."""
        self.month_model.set_month(self.anchor)
        self.month_table.choose(self.anchor)
        self.week_grid.set_week(week_start(self.anchor))
        self.week_grid.choose(self.anchor)
        self._update_title()

    def page(self) -> QWidget:
        """The page of the mode: the month table, the week grid or the agenda table."""
        return {"agenda": self.agenda_table, "week": self.week_grid}.get(
            self.mode, self.month_table
        )

    def visible_range(self) -> tuple[dt.date, dt.date]:
        if self.mode == "agenda":
            return self.anchor, self.anchor + dt.timedelta(days=AGENDA_DAYS - 1)
        if self.mode == "week":
            first = week_start(self.anchor)
            return first, first + dt.timedelta(days=6)
        return self.month_model.first, self.month_model.last()

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.bar.month_button.setChecked(mode == "month")
        self.bar.week_button.setChecked(mode == "week")
        self.bar.agenda_button.setChecked(mode == "agenda")
        self.pages.setCurrentWidget(self.page())
        self._moved()

    def show(self, mode: str, day: dt.date) -> None:
        self.anchor = day
        self.set_mode(mode)

    def go_today(self) -> None:
        self.go_to(clock.today())

    def go_to(self, day: dt.date) -> None:
        self.anchor = day
        self._moved()

    def step(self, direction: int) -> None:
        if self.mode == "agenda":
            self.anchor += dt.timedelta(days=AGENDA_DAYS * direction)
            return self._moved()
        if self.mode == "week":
            self.anchor = week_start(self.anchor) + dt.timedelta(days=7 * direction)
            return self._moved()
        month = self.anchor.year * 12 + self.anchor.month - 1 + direction
        self.anchor = dt.date(month // 12, month % 12 + 1, 1)
        self._moved()

    def _moved(self) -> None:
        if self.mode == "month":
            self.month_model.set_month(self.anchor)
            self.month_table.choose(self.anchor)
        elif self.mode == "week":
            self.week_grid.set_week(week_start(self.anchor))
            self.week_grid.choose(self.anchor)
        self._update_title()
        self.moved.emit()

    def _day_chosen(self, day: dt.date) -> None:
        """The arrows went to `day`: the month or the week shown follows when it is not in
        it (the day stays chosen)."""
        shown = self.shows(day)  # in the range of the anchor before it
        self.anchor = day
        if not shown:
            self._moved()

    def shows(self, day: dt.date) -> bool:
        """Whether `day` is in the range on screen (in the month: one of its own days)."""
        first, last = self.visible_range()
        in_month = self.mode != "month" or day.month == self.month_model.month
        return first <= day <= last and in_month

    def _update_title(self) -> None:
        first, last = self.visible_range()
        self.bar.show_range(self.mode, first, last, self.anchor)
