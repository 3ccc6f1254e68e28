"""The calendar from the keyboard: the same keys in the month, the week, the agenda and a
day's list, and what a screen reader is told.

- The arrows move the day. In the month a day or a week, and past the month's edge the next
  or previous month is shown, the day still chosen. In the week ← / → move the day (on to the
  next week) and ↑ / ↓ go through its events. In the agenda ↑ / ↓ move the row.
- Ctrl+↑ / Ctrl+↓: the previous / next event of the day (the month and the week).
- Enter opens the chosen event in the editor; on a day without one, a new event that evening.
- Delete deletes the event, or skips that date of a series; Ctrl+Z brings it back.
- Alt+← / Alt+→ move the event a day earlier / later, Alt+↑ / Alt+↓ a week (in the week's
  hours: a quarter of an hour); Ctrl+Z moves it back. The choice follows the event.
- Tab leaves the calendar for the next control, as everywhere else.

As in GNOME Calendar and Thunderbird, the arrows walk the days. Arriving on a day chooses its
first event, drawn with a ring (`focus_ring`); Ctrl+↑ / ↓ reach the others, a hidden one
("+2 more") shown in the day's cell while it is chosen. Alt+arrows, not plain arrows, move an
event, so walking the days never changes anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QDate, QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QPainter, QPen
from PySide6.QtWidgets import QWidget

from cmplanner.i18n import N_, _, ngettext
from cmplanner.services.event_dates import OccurrenceRead
from ui.kit import theme
from ui.kit.display import app_locale

OccurrenceKey = tuple[int, dt.datetime | None]

# What a key asks (with a direction or an amount: see `command_for`).
OPEN, DELETE, MOVE_DAYS, MOVE_ALONG, NEXT_EVENT = "open", "delete", "days", "along", "event"

# The keys of the Help page and of the calendar's descriptions.
CALENDAR_KEYS = (
    ("Left, Right, Up, Down", N_("Calendar: the previous or next day (a week up or down)")),
    ("Ctrl+Up, Ctrl+Down", N_("Calendar: the previous or next event of the day")),
    ("Return", N_("Calendar: open the event (a day without one: a new event)")),
    ("Del", N_("Calendar: delete the event (one date of a series: skip it)")),
    ("Alt+Left, Alt+Right", N_("Calendar: move the event a day earlier or later")),
    (
        "Alt+Up, Alt+Down",
        N_("Calendar: move the event a week earlier or later (in the week's hours: 15 minutes)"),
    ),
)
# The context menu shows these keys beside its entries.
OPEN_KEY = "Return"
DELETE_KEY = QKeySequence.StandardKey.Delete
EARLIER_KEY, LATER_KEY = "Alt+Left", "Alt+Right"

_ARROWS = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}


def occurrence_key(occurrence: OccurrenceRead) -> OccurrenceKey:
    """What names an occurrence across reloads: its event, and its date in the series."""
    return (occurrence.event_id, occurrence.recurrence_id)


def command_for(event: QKeyEvent) -> tuple[str, int] | None:
    """The calendar's command for a key press and its direction (-1, 1), if it is one."""
    key = Qt.Key(event.key())
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    plain = modifiers == Qt.KeyboardModifier.NoModifier
    if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        return OPEN, 0
    if plain and key == Qt.Key.Key_Delete:
        return DELETE, 0
    if key not in _ARROWS:
        return None
    horizontal = key in (Qt.Key.Key_Left, Qt.Key.Key_Right)
    if modifiers == Qt.KeyboardModifier.AltModifier:
        return (MOVE_DAYS if horizontal else MOVE_ALONG), _ARROWS[key]
    if modifiers == Qt.KeyboardModifier.ControlModifier and not horizontal:
        return NEXT_EVENT, _ARROWS[key]
    return None


def step_key(
    items: Sequence[OccurrenceRead], chosen: OccurrenceKey | None, step: int
) -> OccurrenceKey | None:
    """The key of the event `step` places from the chosen one among a day's `items` (the
    first one when none is chosen); it stays at either end."""
    keys = [occurrence_key(o) for o in items]
    if not keys:
        return None
    place = keys.index(chosen) if chosen in keys else 0
    return keys[max(0, min(len(keys) - 1, place + step))]


def chosen_in(
    items: Sequence[OccurrenceRead], chosen: OccurrenceKey | None
) -> OccurrenceRead | None:
    """The chosen event among a day's items; the first one when it is not there."""
    return next((o for o in items if occurrence_key(o) == chosen), items[0] if items else None)


def long_date(day: dt.date, capital: bool = True) -> str:
    """ "Thursday 19 November 2026", as the locale writes it (French: "jeudi 19 novembre
    2026"); with a capital to start a line."""
    text = app_locale().toString(QDate(day.year, day.month, day.day), "dddd d MMMM yyyy")
    return text[:1].upper() + text[1:] if capital else text


def day_text(day: dt.date, titles: Sequence[str]) -> str:
    """What a screen reader says of a day: "Thursday 19 November 2026: 19:00 Apéro"."""
    if not titles:
        return _("{day}: no events").format(day=long_date(day))
    return "{day}: {events}".format(day=long_date(day), events="; ".join(titles))


def chosen_text(
    day: dt.date, items: Sequence[OccurrenceRead], chosen: OccurrenceRead | None, title: str
) -> str:
    """What is said when the keyboard reaches a day or one of its events:
    "Thursday 19 November 2026: 19:00 Apéro du jeudi, 2 of 3"."""
    if chosen is None or chosen not in items:
        return day_text(day, [])
    place = items.index(chosen) + 1
    return "{day}: {event}, {place}".format(
        day=long_date(day),
        event=title,
        place=ngettext("{n} of {count}", "{n} of {count}", len(items)).format(
            n=place, count=len(items)
        ),
    )


def draw_ring(painter: QPainter, rect: QRectF) -> None:
    """The ring around the event chosen from the keyboard (or the mouse): two pixels just
    outside it, in the scheme's focus colour."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(theme.colour("calendar_choice"), 2))
    painter.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), 3, 3)
    painter.restore()


class CalendarPage(Protocol):
    """A calendar page the keys act on: its chosen event and day."""

    def chosen_occurrence(self) -> OccurrenceRead | None: ...

    def chosen_day(self) -> dt.date | None: ...

    def step_event(self, step: int) -> None: ...

    def along(self, occurrence: OccurrenceRead) -> dt.timedelta | None:
        """How far Alt+↑ / ↓ move the event (None: not at all)."""
        ...


class CalendarActions(Protocol):
    """What the keys ask of the calendar view."""

    def new_event_on(self, day: dt.date) -> None: ...

    def act(self, slot: Callable[[OccurrenceRead], None], occurrence: OccurrenceRead) -> None: ...

    def open_occurrence(self, occurrence: OccurrenceRead) -> None: ...

    def delete_occurrence(self, occurrence: OccurrenceRead) -> None: ...

    def shift_occurrence(self, occurrence: OccurrenceRead, by: dt.timedelta) -> None: ...


class CalendarKeys(QObject):
    """Watches the calendar's pages for the keys that act on the chosen event: Enter,
    Delete, Alt+arrows, Ctrl+↑ / ↓ (the arrows alone are each page's own)."""

    def __init__(self, view: CalendarActions, parent: QObject) -> None:
        super().__init__(parent)
        self.view = view
        self.pages: dict[QObject, CalendarPage] = {}

    def watch(self, widget: QWidget, page: CalendarPage) -> None:
        self.pages[widget] = page
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        page = self.pages.get(watched)
        kinds = (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
        if page is None or event.type() not in kinds or not isinstance(event, QKeyEvent):
            return False
        command = command_for(event)
        if command is None:
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # the key is the calendar's here, not a window shortcut's
            return True
        self.run(page, *command)
        return True

    def run(self, page: CalendarPage, command: str, direction: int) -> None:
        view = self.view
        if command == NEXT_EVENT:
            page.step_event(direction)
            return
        occurrence = page.chosen_occurrence()
        day = page.chosen_day()
        if occurrence is None:
            if command == OPEN and day is not None:
                view.new_event_on(day)
            return
        if command == OPEN:
            view.act(view.open_occurrence, occurrence)
        elif command == DELETE:
            view.act(view.delete_occurrence, occurrence)
        else:
            along = dt.timedelta(days=1) if command == MOVE_DAYS else page.along(occurrence)
            if along is not None:
                view.act(lambda o: view.shift_occurrence(o, along * direction), occurrence)
