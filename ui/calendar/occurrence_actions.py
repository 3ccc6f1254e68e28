"""What can be done to an occurrence in the calendar, from its menu, a key, a drop or a
double-click: open it, move it, skip or delete it, invite to it, check in, close it. Each
write is an undoable command; what it did is said on the window's status bar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from cmplanner import clock
from cmplanner.i18n import _
from cmplanner.services.event_dates import OccurrenceRead
from cmplanner.storage import Database
from ui.calendar.agenda import DayPopup
from ui.calendar.keys import DELETE_KEY, EARLIER_KEY, LATER_KEY, OPEN_KEY, CalendarKeys, long_date
from ui.calendar.look import CANCELLED, CalendarLook, is_moved, menu_text
from ui.calendar.month import MonthModel, MonthTable
from ui.events.checkin import open_checkin
from ui.events.closing import open_close_event
from ui.events.commands import DeleteEvents
from ui.events.guest_commands import AddGuests
from ui.events.occurrence_commands import MoveOccurrence, RestoreOccurrence, SkipOccurrence
from ui.kit.display import day_month, format_time
from ui.kit.undo import ServiceCommand

NEW_EVENT_TIME = dt.time(19, 0)  # a day double-clicked: the event starts then
NEW_EVENT_LENGTH = dt.timedelta(hours=2)


class OccurrenceActions(QObject):
    """The calendar view's actions on occurrences; the menu, the day's popup and the
    dialogs they open are kept (tests read them)."""

    def __init__(
        self,
        view: QWidget,
        look: CalendarLook,
        month: tuple[MonthModel, MonthTable],
        database: Callable[[], Database | None],
        push: Callable[[ServiceCommand], None],
        shift: Callable[[OccurrenceRead, dt.timedelta], None],
    ) -> None:
        super().__init__(view)
        self.view = view
        self.look = look
        self.month_model, self.month_table = month
        self.database = database  # the view's database of the moment
        self.push = push
        self.shift = shift
        self.keys: CalendarKeys | None = None  # watches the day's popup too, once set
        self.day_popup: DayPopup | None = None
        self.menu: QMenu | None = None  # the occurrence menu last opened
        self.last_message = ""
        self.checkin: QWidget | None = None
        self.close_dialog: QWidget | None = None

    @property
    def db(self) -> Database | None:
        return self.database()

    def shift_occurrence(self, occurrence: OccurrenceRead, by: dt.timedelta) -> None:
        """Alt+arrows (the view moves and follows it)."""
        self.shift(occurrence, by)

    def move_to_day(self, occurrence: OccurrenceRead, day: dt.date) -> None:
        """Move to another day, keeping the times (undoable)."""
        start = occurrence.start.replace(tzinfo=None)
        self.move_occurrence(occurrence, dt.datetime.combine(day, start.time()))

    def move_occurrence(self, occurrence: OccurrenceRead, new_start: dt.datetime) -> None:
        """Move to a new local start, keeping the length (undoable), and say where."""
        if self.db is None or new_start == occurrence.start.replace(tzinfo=None):
            return
        command = MoveOccurrence(self.db, occurrence, new_start)
        when = long_date(new_start.date(), capital=False)
        if not occurrence.all_day:
            when += " " + format_time(new_start.hour, new_start.minute)
        text = _("{title} moved to {when} — Ctrl+Z to undo").format(
            title=occurrence.title, when=when
        )
        command.on_done = lambda _command: self.tell(text)
        self.push(command)

    def delete_occurrence(self, occurrence: OccurrenceRead) -> None:
        """Delete: the event (undoable, guests and tasks with it), or for a date of a
        series, skip that date as its menu does."""
        if occurrence.recurrence_id is not None:
            self.skip_occurrence(occurrence)
            return
        if self.db is None:
            return
        command = DeleteEvents(self.db, [occurrence.event_id])
        text = _("{title} deleted — Ctrl+Z to undo").format(title=occurrence.title)
        command.on_done = lambda _command: self.tell(text)
        self.push(command)

    def invite(self, occurrence: OccurrenceRead, contact_ids: Sequence[int]) -> None:
        """Contacts dropped on an occurrence join the event's guest list (undoable)."""
        if self.db is None or not contact_ids:
            return
        command = AddGuests(self.db, occurrence.event_id, list(contact_ids))
        title = occurrence.title

        def done(_command: Any) -> None:
            self.tell(command.report(title))

        command.on_done = done
        self.push(command)

    def open_day(self, day: dt.date) -> None:
        """The day's occurrences in a popup under its cell (from "+N more")."""
        if self.day_popup is None:
            self.day_popup = DayPopup(self.look, self.view)
            self.day_popup.occurrenceActivated.connect(self.open_occurrence)
            self.day_popup.table.contactsDropped.connect(self.invite)
            self.day_popup.table.occurrenceMenuRequested.connect(self.show_occurrence_menu)
            if self.keys is not None:
                self.keys.watch(self.day_popup.table, self.day_popup.table)
        popup = self.day_popup
        popup.show_day(day, self.month_model.by_day.get(day, []))
        index = self.month_model.index_of(day)
        rect = self.month_table.visualRect(index)
        corner = self.month_table.viewport().mapToGlobal(rect.topLeft())
        screen = self.view.screen().availableGeometry()
        x = min(corner.x(), screen.right() - popup.width())
        y = min(corner.y(), screen.bottom() - popup.height())
        popup.move(max(screen.left(), x), max(screen.top(), y))
        popup.show()
        popup.table.setFocus()

    def events_view(self) -> Any:
        view = getattr(self.view.window(), "view", None)
        return view("events") if view is not None else None

    def open_occurrence(self, occurrence: OccurrenceRead) -> None:
        events = self.events_view()
        if hasattr(events, "open_record"):
            events.open_record(occurrence.event_id)

    def new_event_on(self, day: dt.date) -> None:
        """A new event on that day (a double-click on the month's empty space), at the
        editor's usual evening time."""
        start = dt.datetime.combine(day, NEW_EVENT_TIME)
        self.new_event_at(start, start + NEW_EVENT_LENGTH)

    def new_event_at(self, start: dt.datetime, end: dt.datetime) -> None:
        """The event editor on a new event at those local times (the week's empty slots)."""
        events = self.events_view()
        if hasattr(events, "new_event_at"):
            events.new_event_at(start, end)

    # -- the occurrence menu ----------------------------------------------------------------

    def show_occurrence_menu(self, occurrences: Sequence[OccurrenceRead], where: QPoint) -> None:
        """Open, check in, close; for one date of a series, skip it or put it back at its
        usual time. Several occurrences (the Menu key on a busy day): one submenu each."""
        if self.db is None or not occurrences:
            return
        if self.menu is not None:
            self.menu.deleteLater()
        menu = self.menu = QMenu(self.view)
        menu.setObjectName("occurrenceMenu")
        menu.setToolTipsVisible(True)
        if len(occurrences) == 1:
            self._fill_occurrence_menu(menu, occurrences[0])
        else:
            for occurrence in occurrences:
                submenu = menu.addMenu(menu_text(self.look.text(occurrence)))
                submenu.setToolTipsVisible(True)
                self._fill_occurrence_menu(submenu, occurrence)
        menu.popup(where)

    def _fill_occurrence_menu(self, menu: QMenu, occurrence: OccurrenceRead) -> None:
        """Each entry that has a key in the calendar shows it (ui/calendar/keys.py)."""
        o = occurrence

        def add(name: str, text: str, slot: Any, key: Any = None) -> Any:
            action = menu.addAction(text)
            action.setObjectName(name)
            action.triggered.connect(lambda _checked=False: self.act(slot, o))
            if key is not None:
                action.setShortcut(QKeySequence(key))
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            return action

        def shift(days: int) -> Callable[[OccurrenceRead], None]:
            return lambda chosen: self.shift_occurrence(chosen, dt.timedelta(days=days))

        open_ = add("occurrenceOpen", _("&Open"), self.open_occurrence, OPEN_KEY)
        menu.setDefaultAction(open_)
        menu.addSeparator()
        checkin = add("occurrenceCheckIn", _("Check in at the &door…"), self.check_in)
        close = add("occurrenceClose", _("&Close the event…"), self.close_event)
        # Arrivals and closing are for dates that have come (today's door opens early).
        if o.status == CANCELLED:
            for action in (checkin, close):
                action.setEnabled(False)
                action.setToolTip(_("This date is cancelled."))
        elif o.start.astimezone(ZoneInfo(clock.local_zone_name())).date() > clock.today():
            checkin.setEnabled(False)
            checkin.setToolTip(_("This date has not come yet: arrivals are recorded on the day."))
        if o.status != CANCELLED and o.start.astimezone(dt.UTC) > clock.now_utc():
            close.setEnabled(False)
            close.setToolTip(_("This date has not taken place yet: close it once it is over."))
        menu.addSeparator()
        add("occurrenceEarlier", _("Move to the &previous day"), shift(-1), EARLIER_KEY)
        add("occurrenceLater", _("Move to the &next day"), shift(1), LATER_KEY)
        menu.addSeparator()
        if o.recurrence_id is None:
            add("occurrenceDelete", _("D&elete the event"), self.delete_occurrence, DELETE_KEY)
        else:
            add("occurrenceSkip", _("&Skip this date"), self.skip_occurrence, DELETE_KEY)
            if is_moved(o):
                add("occurrenceBack", _("Back to its usual &time"), self.back_to_usual_time)

    def act(self, slot: Callable[[OccurrenceRead], None], occurrence: OccurrenceRead) -> None:
        """An action on an occurrence, from its menu or a key."""
        if self.day_popup is not None and self.day_popup.isVisible():
            self.day_popup.close()  # its list would be out of date
        slot(occurrence)

    def tell(self, text: str) -> None:
        self.last_message = text
        window = self.view.window()
        show = getattr(window, "show_message", None)
        if callable(show):
            show(text)
        elif isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 8000)

    def check_in(self, occurrence: OccurrenceRead) -> None:
        """The door of that occurrence (a single event: the event's)."""
        if self.db is not None:
            self.checkin = open_checkin(
                occurrence.event_id, occurrence.recurrence_id, db=self.db, parent=self.view.window()
            )

    def close_event(self, occurrence: OccurrenceRead) -> None:
        """Close the event, or that occurrence of a series."""
        if self.db is not None:
            self.close_dialog = open_close_event(
                self.db,
                self.push,
                occurrence.event_id,
                occurrence.recurrence_id,
                parent=self.view.window(),
            )

    def skip_occurrence(self, occurrence: OccurrenceRead) -> None:
        """Skip that date of its series (undoable), and say so in the status bar."""
        if self.db is None or occurrence.recurrence_id is None:
            return
        command = SkipOccurrence(self.db, occurrence)
        text = _("{title} on {date} skipped — Ctrl+Z to undo").format(
            title=occurrence.title, date=day_month(occurrence.recurrence_id.date())
        )
        command.on_done = lambda _command: self.tell(text)
        self.push(command)

    def back_to_usual_time(self, occurrence: OccurrenceRead) -> None:
        """Put a moved occurrence back at its series' usual time (undoable)."""
        usual = occurrence.recurrence_id
        if self.db is None or usual is None:
            return
        date = day_month(usual.date())
        command = RestoreOccurrence(
            self.db,
            occurrence.event_id,
            usual,
            _("Put {title} of {date} back at its usual time").format(
                title=occurrence.title, date=date
            ),
        )
        text = _("{title} on {date} is back at its usual time — Ctrl+Z to undo").format(
            title=occurrence.title, date=date
        )
        command.on_done = lambda _command: self.tell(text)
        self.push(command)
