"""Calendar: a month grid, a week as an hour grid and an agenda of the coming occurrences,
series expanded; filtered by community, coloured by community or status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPoint,
    Signal,
)
from PySide6.QtGui import (
    QUndoStack,
)
from PySide6.QtWidgets import (
    QMenu,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cmplanner.bus import Changes
from cmplanner.i18n import _, ngettext
from cmplanner.services.event_dates import OccurrenceRead
from cmplanner.storage import Database
from ui.calendar import filters
from ui.calendar.agenda import AgendaModel, AgendaTable, DayPopup
from ui.calendar.data import CalendarData, fetch
from ui.calendar.keys import (
    CalendarKeys,
    OccurrenceKey,
    occurrence_key,
)
from ui.calendar.look import (
    CalendarLook,
    OccurrenceRole,
)
from ui.calendar.month import MonthModel, MonthTable
from ui.calendar.navigation import CalendarNavigation
from ui.calendar.occurrence_actions import OccurrenceActions
from ui.calendar.toolbar import CalendarToolbar
from ui.calendar.week_grid import WeekGrid
from ui.exchange.calendars import export_range
from ui.kit import jobs
from ui.kit.display import format_int
from ui.kit.forms import error_label, show_error
from ui.kit.jobs import run_in_background
from ui.kit.undo import ServiceCommand

NEW_EVENT_TIME = dt.time(19, 0)  # a day double-clicked: the event starts then
NEW_EVENT_LENGTH = dt.timedelta(hours=2)


class CalendarView(QWidget):
    """Month, week and agenda. Public navigation: `show_month(day)`, `show_week(day)`,
    `show_agenda(day)`, `go_today()`, `step(±1)`; `filled` is emitted once the shown range's
    occurrences are on screen (`is_filled()` says whether that is the case now).

    Keys: PageUp / PageDown (or Ctrl+Left / Ctrl+Right) previous and next, Ctrl+T today
    (ui/calendar/navigation.py); the arrows, Enter, Delete and Alt+arrows on the days and
    events: ui/calendar/keys.py."""

    countChanged = Signal()
    filled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db: Database | None = None
        self.undo_stack: QUndoStack | None = None  # set by the main window
        self.look = CalendarLook()
        community, self.look.colour_by = filters.remembered()
        self._loaded = False
        self._occurrences: list[OccurrenceRead] = []
        # An event just moved from the keyboard: chosen again where it lands, once shown.
        self._follow: tuple[OccurrenceKey, dt.date] | None = None

        self._build_toolbar(community)
        self.filters = filters.CalendarFilters(self.look, self.bar, community, self)
        self.filters.communityChanged.connect(self._community_changed)
        self.filters.coloursChanged.connect(self._repaint)
        self._build_pages()
        self._connect_pages()
        self._build_layout()
        self._connect_toolbar()
        self.navigation.show_anchor()

    def _build_toolbar(self, community: str | None) -> None:
        bar = self.bar = CalendarToolbar(self, community, self.look.colour_by)
        self.toolbar = bar.layout
        self.today_button, self.previous_button = bar.today_button, bar.previous_button
        self.next_button, self.title = bar.next_button, bar.title
        self.community_combo, self.colour_combo = bar.community_combo, bar.colour_combo
        self.month_button, self.week_button = bar.month_button, bar.week_button
        self.agenda_button, self.export_button = bar.agenda_button, bar.export_button
        self.export_shown_action = bar.export_shown_action
        self.export_all_action = bar.export_all_action
        self.switch = bar.switch

    def _build_pages(self) -> None:
        self.month_model = MonthModel(self.look, self)
        self.month_table = MonthTable(self.month_model, self)
        self.week_grid = WeekGrid(self)
        self.week_grid.setObjectName("calendarWeek")
        self.week_grid.colour_of = self.look.colour
        self.week_grid.text_of = self.look.block_text
        self.week_grid.tooltip_of = self.look.tooltip
        self.agenda_model = AgendaModel(self.look, self)
        self.agenda_table = AgendaTable(self.agenda_model, self)
        self.agenda_table.setObjectName("calendarAgenda")
        self.agenda_table.setAccessibleName(_("Agenda"))
        self.agenda_table.setAccessibleDescription(
            _(
                "The coming events, day by day. Enter opens; Delete deletes; Alt+arrows move "
                "the event"
            )
        )

    def _connect_pages(self) -> None:
        """The pages' clicks, drops and keys, to what they do to an occurrence."""
        actions = self.occurrence_actions = OccurrenceActions(
            self,
            self.look,
            (self.month_model, self.month_table),
            lambda: self.db,
            self._push,
            self.shift_occurrence,
        )
        self.agenda_table.doubleClicked.connect(self._agenda_activated)
        self.agenda_table.contactsDropped.connect(actions.invite)
        self.month_table.occurrenceActivated.connect(actions.open_occurrence)
        self.month_table.occurrenceDropped.connect(actions.move_to_day)
        self.month_table.dayOpened.connect(actions.open_day)
        self.month_table.contactsDropped.connect(actions.invite)
        self.week_grid.occurrenceActivated.connect(actions.open_occurrence)
        self.month_table.newEventAsked.connect(actions.new_event_on)
        self.week_grid.newEventAsked.connect(actions.new_event_at)
        self.week_grid.occurrenceMoved.connect(actions.move_occurrence)
        self.week_grid.contactsDropped.connect(actions.invite)
        for source in (self.month_table, self.week_grid, self.agenda_table):
            source.occurrenceMenuRequested.connect(actions.show_occurrence_menu)
        self.keys = actions.keys = CalendarKeys(actions, self)
        self.keys.watch(self.month_table, self.month_table)
        self.keys.watch(self.week_grid.body, self.week_grid)
        self.keys.watch(self.agenda_table, self.agenda_table)

    def _build_layout(self) -> None:
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.month_table)
        self.pages.addWidget(self.week_grid)
        self.pages.addWidget(self.agenda_table)

        # What the range could not show in full (a series with more dates than are shown).
        self.notes = error_label(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(self.toolbar)
        layout.addWidget(self.notes)
        layout.addWidget(self.pages, 1)

    def _connect_toolbar(self) -> None:
        self.export_shown_action.triggered.connect(lambda _c=False: self.export_calendar(True))
        self.export_all_action.triggered.connect(lambda _c=False: self.export_calendar(False))
        self.navigation = CalendarNavigation(
            self,
            self.bar,
            (self.month_model, self.month_table),
            self.week_grid,
            self.agenda_table,
            self.pages,
        )
        self.navigation.moved.connect(self._range_moved)

    # -- the section interface ----------------------------------------------------------

    @property
    def table(self) -> QWidget:
        """The page on screen: the month table, the week grid or the agenda table."""
        return self.navigation.page()

    @property
    def model(self) -> QAbstractTableModel:
        return self.agenda_model if self.mode == "agenda" else self.month_model

    def set_database(self, db: Database | None) -> None:
        self.db = db
        jobs.drop((self, "range"))  # a range from the old database is not shown
        self._loaded = False
        if self.isVisible():
            self.ensure_loaded()

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:
        self._loaded = True
        self._load_communities()
        self._load()

    def on_changes(self, changes: Changes) -> None:
        if not self._loaded:
            return
        if changes.touches("communities"):
            self._load_communities()
        if (
            changes.touches("events")
            or changes.touches("communities")
            or changes.touches("settings")
        ):
            self._load()

    def focus_search(self) -> None:
        self.table.setFocus()

    def row_count(self) -> int:
        return len(self._occurrences)

    def status_text(self) -> str:
        n = self.row_count()
        return ngettext("{n} occurrence", "{n} occurrences", n).format(n=format_int(n))

    def is_filled(self) -> bool:
        """Whether the occurrences of the range on screen are shown (no load under way)."""
        return self._loaded and not jobs.pending((self, "range"))

    # -- navigation (ui/calendar/navigation.py) --------------------------------------------

    @property
    def anchor(self) -> dt.date:
        return self.navigation.anchor

    @anchor.setter
    def anchor(self, day: dt.date) -> None:
        self.navigation.anchor = day

    @property
    def mode(self) -> str:
        return self.navigation.mode

    def visible_range(self) -> tuple[dt.date, dt.date]:
        return self.navigation.visible_range()

    def shows(self, day: dt.date) -> bool:
        return self.navigation.shows(day)

    def set_mode(self, mode: str) -> None:
        self.navigation.set_mode(mode)

    def show_month(self, day: dt.date) -> None:
        self.navigation.show("month", day)

    def show_week(self, day: dt.date) -> None:
        self.navigation.show("week", day)

    def show_agenda(self, day: dt.date) -> None:
        self.navigation.show("agenda", day)

    def go_today(self) -> None:
        self.navigation.go_today()

    def go_to(self, day: dt.date) -> None:
        self.navigation.go_to(day)

    def step(self, direction: int) -> None:
        self.navigation.step(direction)

    def _range_moved(self) -> None:
        if self._loaded:
            self._load()

    def title_text(self) -> str:
        return self.title.text()

    def export_calendar(self, shown_only: bool, path: Any = None) -> None:
        """Write the dates on screen (or every date) to an .ics file; the community filter
        is respected."""
        if self.db is not None:
            dates = self.visible_range() if shown_only else None
            export_range(self, self.db, self.community, dates, path)

    # -- filter and colours ---------------------------------------------------------------

    @property
    def community(self) -> str | None:
        """The community shown (None: all of them)."""
        return self.filters.community

    def _load_communities(self) -> None:
        if self.db is not None:
            self.filters.load_communities(self.db)

    def set_community(self, name: str | None) -> None:
        self.filters.set_community(name)

    def _community_changed(self) -> None:
        if self._loaded:
            self._load()

    def set_colour_by(self, what: str) -> None:
        self.filters.set_colour_by(what)

    def _repaint(self) -> None:
        self.month_model.repaint_all()
        self.agenda_model.repaint_all()
        self.week_grid.body.update()
        self.week_grid.header.update()

    # -- data -----------------------------------------------------------------------------

    def _load(self) -> None:
        if self.db is None:
            return
        first, last = self.visible_range()
        run_in_background(
            fetch,
            self.db,
            first,
            last,
            self.community,
            on_success=self._show,
            label="",
            key=(self, "range"),  # a later range asked for meanwhile wins
        )

    def _show(self, data: CalendarData) -> None:
        self._occurrences = data.occurrences
        self.look.unconfirmed = data.unconfirmed
        show_error(self.notes, "\n".join(data.notes))
        if self.mode == "month":
            self.month_model.set_occurrences(data.occurrences)
        elif self.mode == "week":
            self.week_grid.set_occurrences(data.occurrences)
        else:
            self.agenda_model.set_occurrences(data.occurrences)
        self._choose_followed()
        self.countChanged.emit()
        self.filled.emit()

    def _choose_followed(self) -> None:
        """Choose the event moved from the keyboard once it is shown where it went."""
        if self._follow is None:
            return
        key, day = self._follow
        if not any(occurrence_key(o) == key and o.start.date() == day for o in self._occurrences):
            return  # not there yet (the move is still being written)
        self._follow = None
        if self.mode == "month":
            self.month_table.choose(day, key)
        elif self.mode == "week":
            self.week_grid.choose(day, key, scroll=True)
        else:
            self.agenda_table.choose(key)

    def occurrences(self) -> list[OccurrenceRead]:
        """The occurrences on screen (the whole range, filter applied)."""
        return list(self._occurrences)

    # -- moving, inviting, opening --------------------------------------------------------

    def _push(self, command: ServiceCommand) -> None:
        if self.undo_stack is not None:
            self.undo_stack.push(command)
        else:
            command.redo()

    def shift_occurrence(self, occurrence: OccurrenceRead, by: dt.timedelta) -> None:
        """Alt+arrows: move it by a day, a week or a quarter of an hour (undoable); it stays
        chosen where it lands, the range shown following it."""
        new_start = occurrence.start.replace(tzinfo=None) + by
        self._follow = (occurrence_key(occurrence), new_start.date())
        self.occurrence_actions.move_occurrence(occurrence, new_start)
        if self.shows(new_start.date()):
            self._choose_followed()
        else:
            self.go_to(new_start.date())

    def _agenda_activated(self, index: QModelIndex) -> None:
        occurrence = index.data(OccurrenceRole)
        if occurrence is not None:
            self.occurrence_actions.open_occurrence(occurrence)

    # What tests and other views reach on the view (ui/calendar/occurrence_actions.py).

    def open_occurrence(self, occurrence: OccurrenceRead) -> None:
        self.occurrence_actions.open_occurrence(occurrence)

    def open_day(self, day: dt.date) -> None:
        self.occurrence_actions.open_day(day)

    def show_occurrence_menu(self, occurrences: Sequence[OccurrenceRead], where: QPoint) -> None:
        self.occurrence_actions.show_occurrence_menu(occurrences, where)

    @property
    def menu(self) -> QMenu | None:
        return self.occurrence_actions.menu

    @property
    def day_popup(self) -> DayPopup | None:
        return self.occurrence_actions.day_popup

    @property
    def last_message(self) -> str:
        return self.occurrence_actions.last_message

    @property
    def checkin(self) -> QWidget | None:
        return self.occurrence_actions.checkin

    @property
    def close_dialog(self) -> QWidget | None:
        return self.occurrence_actions.close_dialog
