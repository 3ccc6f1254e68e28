"""Check-in at the door: type a few letters of a name (or the guest's code from the printed
sign-in sheet), Enter marks the person present.

Keyboard only: the search field keeps the focus, Up/Down move in the list, Enter checks in
the highlighted guest and clears the field for the next one, Ctrl+N opens the walk-in form,
Esc closes. Arrivals are recorded for today's date; an event with no date today asks which
date that has taken place (never a date to come). A walk-in is looked up in the contact book
first: only "New person" creates a contact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QLocale, QModelIndex, QObject, Qt, QTime
from PySide6.QtGui import QCloseEvent, QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmplanner import clock
from cmplanner.i18n import N_, _
from cmplanner.model.enums import Rsvp
from cmplanner.services import guests
from cmplanner.services.guests import Candidate, Door, HeldDate, WalkInMatch
from cmplanner.storage import Database
from ui.events.walk_in import MOVES, WalkInForm
from ui.kit import accessible, jobs, theme
from ui.kit.announce import say
from ui.kit.display import app_locale, format_date, format_datetime, format_int
from ui.kit.jobs import run_in_background
from ui.kit.models import AnyIndex, ColumnsTableModel
from ui.kit.sizing import resize_within_screen
from ui.kit.unsaved import UnsavedChangesGuard


def short_time(when: dt.datetime) -> str:
    """A wall-clock time the way the locale writes it (19:05, 7:05 PM)."""
    return app_locale().toString(QTime(when.hour, when.minute), QLocale.FormatType.ShortFormat)


@dataclass(frozen=True)
class Guests:
    candidates: list[Candidate]
    counts: dict[str, int]


def load_guests(db: Database, event_id: int, occurrence: dt.datetime | None, text: str) -> Guests:
    return Guests(
        guests.check_in_by_text(db, event_id, text, occurrence),
        guests.counts(db, event_id, occurrence),
    )


def date_text(door: Door, date: HeldDate | None) -> str:
    """Why the door asks for a date, or which past date it records."""
    if date is not None:
        if date.today:
            return ""
        return _("Recording the arrivals of {date}, which is not today.").format(
            date=format_date(date.start.date())
        )
    if door.asked_future is not None:
        text = _("{date} has not come yet: arrivals are recorded on the day.").format(
            date=format_date(door.asked_future.date())
        )
    elif door.held:
        text = _("“{title}” has no date today.").format(title=door.title)
    elif door.next_start is not None:
        return _("“{title}” has not taken place yet: its first date is {date}.").format(
            title=door.title, date=format_date(door.next_start.date())
        )
    else:
        return _("“{title}” has no date to check in.").format(title=door.title)
    if door.held:
        text += " " + _("Which date are you recording arrivals for?")
    return text


class GuestModel(ColumnsTableModel):
    """The guests matching what was typed (a few dozen at most): name, answer, arrival."""

    COLUMNS = (N_("Name"), N_("Answer"), N_("Arrived"))  # translated where shown

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Candidate] = []
        self._locale = app_locale()

    def set_candidates(self, candidates: Sequence[Candidate]) -> None:
        self.beginResetModel()
        self._rows = list(candidates)
        self._locale = app_locale()
        self.endResetModel()

    def candidate(self, row: int) -> Candidate | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def arrival(self, guest: Candidate) -> str:
        if not guest.attended:
            return ""
        if guest.checked_in_at is None:
            return _("Present")
        when = guest.checked_in_at.astimezone()
        return _("Present since {time}").format(time=short_time(when))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        guest = self.candidate(index.row()) if index.isValid() else None
        if guest is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return guest.name
            if column == 1:
                return Rsvp(guest.rsvp).label if guest.rsvp in set(Rsvp) else guest.rsvp
            return ("✓ " + self.arrival(guest)) if guest.attended else ""
        if role == Qt.ItemDataRole.ForegroundRole and guest.attended:
            return theme.brush("present_text")
        if role == Qt.ItemDataRole.BackgroundRole and guest.attended:
            return theme.brush("present_bg")
        if role == Qt.ItemDataRole.FontRole and column == 0:
            font = QFont()
            font.setPointSizeF(font.pointSizeF() * 1.25)
            return font
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class CheckInDialog(UnsavedChangesGuard, QDialog):
    """The door of one event (or one occurrence of a series)."""

    def __init__(
        self,
        db: Database,
        event_id: int,
        occurrence: dt.datetime | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("checkIn")
        self.db, self.event_id, self.occurrence = db, event_id, occurrence
        self.door: Door | None = None
        self.date: HeldDate | None = None  # the date arrivals are recorded for
        self.counts: dict[str, int] = {}
        self._enter_pending = False  # Enter came before the list of what was typed
        self.setWindowTitle(_("Check-in"))

        top = self._build_heading()
        date_row = self._build_date()
        self._build_search()
        self._build_table()
        self.feedback = QLabel(self)
        self.feedback.setObjectName("checkInFeedback")
        self.feedback.setWordWrap(True)
        self._build_walk_in()
        hint = QLabel(
            _("Enter: mark present · ↑ ↓: choose · Ctrl+N: someone not on the list · Esc: close"),
            self,
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.date_note)
        layout.addLayout(date_row)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.feedback)
        layout.addWidget(self.walk_in_form)
        layout.addWidget(hint)

        walk_in = QShortcut(QKeySequence(QKeySequence.StandardKey.New), self)
        walk_in.activated.connect(self.show_walk_in)
        resize_within_screen(self, 760, 620)

        run_in_background(
            guests.door, db, event_id, occurrence, on_success=self._set_door, label=_("Loading…")
        )

    # -- building --------------------------------------------------------------------------

    def _build_heading(self) -> QHBoxLayout:
        """The event's title and date on the left, the counts on the right."""
        self.title = QLabel(self)
        self.title.setObjectName("checkInTitle")
        title_font = self.title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.5)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.when = QLabel(self)
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("checkInCounts")
        counts_font = self.counts_label.font()
        counts_font.setPointSizeF(counts_font.pointSizeF() * 1.25)
        self.counts_label.setFont(counts_font)
        top = QHBoxLayout()
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.when)
        top.addLayout(heading, 1)
        top.addWidget(self.counts_label, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        return top

    def _build_date(self) -> QHBoxLayout:
        """Which date arrivals are recorded for, asked when the event has none today."""
        self.date_note = QLabel(self)
        self.date_note.setObjectName("checkInDateNote")
        self.date_note.setWordWrap(True)
        self.date_note.hide()
        self.date_box = QComboBox(self)
        self.date_box.setObjectName("checkInDate")
        self.date_box.activated.connect(self._date_chosen)
        self.date_label = QLabel(_("&Date:"), self)
        self.date_label.setBuddy(self.date_box)
        for widget in (self.date_box, self.date_label):
            widget.hide()
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_label)
        date_row.addWidget(self.date_box, 1)
        return date_row

    def _build_search(self) -> None:
        self.search = QLineEdit(self)
        self.search.setObjectName("checkInSearch")
        accessible.name(
            self.search,
            _("Guest"),
            _("Type a name or a sign-in sheet code, then Enter to check them in"),
        )
        self.search.setPlaceholderText(_("Type a name or a sign-in sheet code, then Enter"))
        search_font = self.search.font()
        search_font.setPointSizeF(search_font.pointSizeF() * 1.8)
        self.search.setFont(search_font)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self.reload())
        self.search.returnPressed.connect(self.check_in_current)
        self.search.installEventFilter(self)

    def _build_table(self) -> None:
        """The guests matching what was typed; the search field keeps the keys."""
        self.model = GuestModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("checkInGuests")
        accessible.name(self.table, _("Guests"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the search field keeps the keys
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(36)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 150)
        header.resizeSection(2, 200)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.doubleClicked.connect(lambda _index: self.check_in_current())

    def _build_walk_in(self) -> None:
        self.walk_in_form = WalkInForm(self.db, self.event_id, self.feedback, self)
        self.walk_in_form.walkedIn.connect(self._walked_in)
        form = self.walk_in_form
        self.walk_in_search, self.new_person_button = form.walk_in_search, form.new_person_button
        self.matches, self.match_list = form.matches, form.match_list
        self.new_person, self.given_name, self.family_name = (
            form.new_person,
            form.given_name,
            form.family_name,
        )

    # -- loading ---------------------------------------------------------------------------

    def _set_door(self, door: Door) -> None:
        self.door = door
        self.title.setText(door.title)
        self.setWindowTitle(_("Check-in — {title}").format(title=door.title))
        self.date_box.clear()
        if door.date is None:
            self.date_box.addItem(_("Choose the date…"), None)
        for held in door.held:
            self.date_box.addItem(format_datetime(held.start.replace(tzinfo=None)), held)
        self.date_box.setCurrentIndex(max(0, self.date_box.findData(door.date)))
        self.set_date(door.date)

    def _date_chosen(self, index: int) -> None:
        chosen = self.date_box.itemData(index)
        if isinstance(chosen, HeldDate):
            none = self.date_box.findData(None)
            if none >= 0:
                self.date_box.removeItem(none)
            self.set_date(chosen)

    def set_date(self, date: HeldDate | None) -> None:
        """Record arrivals for `date` (None: nothing is recorded until a date is chosen)."""
        door = self.door
        assert door is not None
        self.date = date
        self.occurrence = date.occurrence if date is not None else None
        asking = date is None or not date.today
        self.date_box.setVisible(asking and bool(door.held))
        self.date_label.setVisible(self.date_box.isVisible())
        self.date_note.setText(date_text(door, date))
        self.date_note.setVisible(bool(self.date_note.text()))
        self.when.setText(
            _("{date} at {time}").format(
                date=format_date(date.start.date()), time=short_time(date.start)
            )
            if date is not None
            else ""
        )
        for widget in (self.search, self.table):
            widget.setEnabled(date is not None)
        self.walk_in_form.record_for(door, date)
        if date is not None:
            self.search.setFocus()
        else:
            self.date_box.setFocus()
        self.reload()

    def reload(self) -> None:
        if self.door is None or self.date is None:
            self.model.set_candidates([])
            return
        run_in_background(
            load_guests,
            self.db,
            self.event_id,
            self.occurrence,
            self.search.text(),
            on_success=self._show,
            label="",
            key=(self, "guests"),  # a later keystroke's list wins
        )

    def _show(self, found: Guests) -> None:
        self.model.set_candidates(found.candidates)
        self.counts = found.counts
        self.counts_label.setText(
            _("Invited {invited} · Accepted {accepted} · Present {present}").format(
                invited=format_int(found.counts.get("invited", 0)),
                accepted=format_int(found.counts.get("accepted", 0)),
                present=format_int(found.counts.get("attended", 0)),
            )
        )
        if found.candidates:
            self._select(0)
        if self._enter_pending:
            self._enter_pending = False
            self.check_in_current()

    # -- the keyboard ----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and isinstance(event, QKeyEvent):
            if event.type() != QEvent.Type.KeyPress:
                return super().eventFilter(watched, event)
            if event.matches(QKeySequence.StandardKey.New):  # when the shortcut did not fire
                self.show_walk_in()
                return True
            move = MOVES.get(Qt.Key(event.key()))
            if move is not None:
                self._select(self.current_row() + move)
                return True
        return super().eventFilter(watched, event)

    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def _select(self, row: int) -> None:
        count = self.model.rowCount()
        if count == 0:
            return
        row = max(0, min(row, count - 1))
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))
        self.table.scrollTo(self.model.index(row, 0))

    def current_guest(self) -> Candidate | None:
        return self.model.candidate(self.current_row())

    def check_in_current(self) -> None:
        if jobs.pending((self, "guests")):
            # Typed fast: Enter is for the list of what was typed, not the one on screen.
            self._enter_pending = True
            return
        guest = self.current_guest()
        if guest is None:
            if self.search.text().strip():
                say(
                    self.feedback,
                    _("Nobody on the list starts with “{text}”. Ctrl+N adds a walk-in.").format(
                        text=self.search.text().strip()
                    ),
                )
            return
        if guest.attended:
            say(
                self.feedback,
                _("{name} has been here since {time}.").format(
                    name=guest.name, time=short_time(guest.checked_in_at.astimezone())
                )
                if guest.checked_in_at is not None
                else _("{name} is already here.").format(name=guest.name),
            )
            self._next()
            return
        if self.door is None or self.date is None:
            return
        run_in_background(
            guests.check_in,
            self.db,
            guest.invitation_id,
            self.door.when(self.date),
            self.occurrence,
            on_success=lambda _changes: self._checked_in(guest.name),
            label=_("Checking in…"),
            must_finish=True,
        )

    def _checked_in(self, name: str) -> None:
        if self.date is not None and not self.date.today:
            say(
                self.feedback,
                _("{name} was there on {date}.").format(
                    name=name, date=format_date(self.date.start.date())
                ),
            )
        else:
            now = clock.now_utc().astimezone()
            say(
                self.feedback,
                _("{name} checked in at {time}.").format(name=name, time=short_time(now)),
            )
        self._next()

    def _next(self) -> None:
        """Ready for the next person: an empty field (which reloads the list)."""
        if self.search.text():
            self.search.clear()
        else:
            self.reload()
        self.search.setFocus()

    # -- walk-ins --------------------------------------------------------------------------

    def show_walk_in(self) -> None:
        """Someone not on the list: look them up in the contact book (what was typed first)."""
        if self.date is None:
            return
        self.walk_in_form.start(self.search.text().strip())

    def hide_walk_in(self) -> None:
        self.walk_in_form.clear()
        self.search.setFocus()

    def current_match(self) -> WalkInMatch | None:
        return self.walk_in_form.current_match()

    def _walked_in(self, name: str) -> None:
        self.hide_walk_in()
        self._checked_in(name)

    # -- closing ---------------------------------------------------------------------------

    save_shortcut = False  # arrivals are recorded as they come: nothing else to save

    def edit_state(self) -> tuple[str, ...]:
        """A walk-in's name typed and not added yet."""
        return self.walk_in_form.names_typed()

    def save_changes(self) -> None:
        self.walk_in_form.add_walk_in()

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's close button closes the door (asking first about a walk-in typed)."""
        if self.walk_in_form.isVisible():
            if not self.confirm_close():
                event.ignore()
                return
            self.hide_walk_in()
        super().closeEvent(event)

    def reject(self) -> None:
        """Esc leaves the walk-in form first (asking when a name was typed), then the door."""
        if self.walk_in_form.isVisible():
            if self.confirm_close():
                self.hide_walk_in()
            return
        super().reject()


def open_checkin(
    event_id: int,
    occurrence: dt.datetime | None = None,
    *,
    db: Database,
    parent: QWidget | None = None,
) -> CheckInDialog:
    """Open the door of an event (a series: `occurrence`, else today's or the next one).
    Modeless; returns the dialog."""
    dialog = CheckInDialog(db, event_id, occurrence, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    dialog.search.setFocus()
    return dialog
