"""The door's walk-in form: someone not on the guest list is looked up in the contact book
first (checked in, and invited if needed); only "New person" creates a contact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cmplanner.i18n import _
from cmplanner.model.names import display_name
from cmplanner.services import guests
from cmplanner.services.guests import Door, HeldDate, WalkInMatch
from cmplanner.storage import Database
from ui.kit import accessible
from ui.kit.announce import say
from ui.kit.jobs import run_in_background
from ui.kit.models import AnyIndex

MOVES = {
    Qt.Key.Key_Up: -1,
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_PageUp: -10,
    Qt.Key.Key_PageDown: 10,
}


class WalkInModel(QAbstractListModel):
    """The contacts matching a walk-in's name: name, and an e-mail or organization."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[WalkInMatch] = []

    def set_matches(self, matches: Sequence[WalkInMatch]) -> None:
        self.beginResetModel()
        self._rows = list(matches)
        self.endResetModel()

    def match_at(self, row: int) -> WalkInMatch | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        match = self.match_at(index.row()) if index.isValid() else None
        if match is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        parts = [match.name]
        if match.detail:
            parts.append(match.detail)
        if match.invited:
            parts.append(_("on the list"))
        return " · ".join(parts)


class WalkInForm(QFrame):
    """Hidden until someone walks in; `walkedIn` gives the name of who was checked in."""

    walkedIn = Signal(str)

    def __init__(
        self,
        db: Database,
        event_id: int,
        feedback: QLabel,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.db, self.event_id, self._feedback = db, event_id, feedback
        self.door: Door | None = None
        self.date: HeldDate | None = None  # the date arrivals are recorded for
        self.setObjectName("walkIn")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        search_row = self._build_search()
        self._build_matches(parent)
        self._build_new_person()
        walk_in_layout = QVBoxLayout(self)
        walk_in_layout.addLayout(search_row)
        walk_in_layout.addWidget(self.match_list)
        walk_in_layout.addWidget(self.new_person)
        self.hide()

    def _build_search(self) -> QHBoxLayout:
        self.walk_in_search = QLineEdit(self)
        self.walk_in_search.setObjectName("walkInSearch")
        self.walk_in_search.setPlaceholderText(_("Their name: the contact book is searched first"))
        self.walk_in_search.setClearButtonEnabled(True)
        # Its "Walk-in:" label and the new person's fields show only when someone walks in:
        # named here, a screen reader says what each is for.
        accessible.name(self.walk_in_search, _("Walk-in:"), self.walk_in_search.placeholderText())
        self.walk_in_search.textChanged.connect(lambda _text: self.look_up())
        self.walk_in_search.returnPressed.connect(self.check_in_match)
        self.walk_in_search.installEventFilter(self)
        self.new_person_button = QPushButton(_("&New Person…"), self)
        self.new_person_button.setObjectName("walkInNew")
        self.new_person_button.setAutoDefault(False)
        self.new_person_button.setToolTip(_("Someone who is not in the contact book yet"))
        self.new_person_button.clicked.connect(self.show_new_person)
        search_row = QHBoxLayout()
        search_row.addWidget(QLabel(_("Walk-in:"), self))
        search_row.addWidget(self.walk_in_search, 1)
        search_row.addWidget(self.new_person_button)
        return search_row

    def _build_matches(self, owner: QWidget) -> None:
        self.matches = WalkInModel(owner)
        self.match_list = QListView(self)
        self.match_list.setObjectName("walkInMatches")
        self.match_list.setModel(self.matches)
        self.match_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the keys
        self.match_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.match_list.doubleClicked.connect(lambda _index: self.check_in_match())
        self.match_list.hide()

    def _build_new_person(self) -> None:
        self.new_person = QWidget(self)
        self.new_person.setObjectName("walkInNewPerson")
        self.given_name = QLineEdit(self.new_person)
        self.given_name.setObjectName("walkInGivenName")
        self.given_name.setPlaceholderText(_("First name"))
        accessible.name(self.given_name, _("First name"))
        self.family_name = QLineEdit(self.new_person)
        self.family_name.setObjectName("walkInFamilyName")
        self.family_name.setPlaceholderText(_("Last name"))
        accessible.name(self.family_name, _("Last name"))
        add = QPushButton(_("Add and Check In"), self.new_person)
        add.setObjectName("walkInAdd")
        add.setAutoDefault(False)
        add.clicked.connect(self.add_walk_in)
        for field in (self.given_name, self.family_name):
            field.returnPressed.connect(self.add_walk_in)
        new_layout = QHBoxLayout(self.new_person)
        new_layout.setContentsMargins(0, 0, 0, 0)
        new_layout.addWidget(QLabel(_("New person:"), self.new_person))
        new_layout.addWidget(self.given_name, 1)
        new_layout.addWidget(self.family_name, 1)
        new_layout.addWidget(add)
        self.new_person.hide()

    def record_for(self, door: Door, date: HeldDate | None) -> None:
        """Walk-ins are recorded for `date` of `door` (None: not until a date is chosen)."""
        self.door, self.date = door, date
        self.setEnabled(date is not None)

    def _occurrence(self) -> dt.datetime | None:
        return self.date.occurrence if self.date is not None else None

    def _arrival(self) -> tuple[dt.datetime | None, dt.datetime | None] | None:
        """The occurrence arrivals are recorded for and when (None: no date chosen yet)."""
        if self.door is None or self.date is None:
            return None
        return self.date.occurrence, self.door.when(self.date)

    # -- showing -----------------------------------------------------------------------------

    def start(self, typed: str) -> None:
        """Show the form, looking up what was typed at the door."""
        self.show()
        if typed and not self.walk_in_search.text():
            self.walk_in_search.setText(typed)
        self.walk_in_search.setFocus()
        self.walk_in_search.selectAll()
        self.look_up()

    def clear(self) -> None:
        """Empty and hidden, for the next walk-in."""
        for field in (self.walk_in_search, self.given_name, self.family_name):
            field.clear()
        self.new_person.hide()
        self.match_list.hide()
        self.hide()

    def names_typed(self) -> tuple[str, ...]:
        """A new person's name typed and not added yet."""
        names = (self.given_name.text().strip(), self.family_name.text().strip())
        return names if self.isVisible() and any(names) else ()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.walk_in_search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            move = MOVES.get(Qt.Key(event.key()))
            count = self.matches.rowCount()
            if move is not None and count:
                row = max(0, min(count - 1, self.match_list.currentIndex().row() + move))
                self.match_list.setCurrentIndex(self.matches.index(row))
                return True
        return super().eventFilter(watched, event)

    # -- the contact book --------------------------------------------------------------------

    def look_up(self) -> None:
        run_in_background(
            guests.walk_in_matches,
            self.db,
            self.event_id,
            self.walk_in_search.text(),
            self._occurrence(),
            on_success=self._show_matches,
            label="",
            key=(self, "walk-in"),  # a later keystroke's matches win
        )

    def _show_matches(self, found: list[WalkInMatch]) -> None:
        self.matches.set_matches(found)
        self.match_list.setVisible(bool(found))
        if found:  # as tall as its rows: the guest list keeps the room
            rows = sum(self.match_list.sizeHintForRow(r) for r in range(len(found)))
            self.match_list.setFixedHeight(min(rows, 160) + 2 * self.match_list.frameWidth())
        if found:
            self.match_list.setCurrentIndex(self.matches.index(0))

    def current_match(self) -> WalkInMatch | None:
        index = self.match_list.currentIndex()
        return self.matches.match_at(index.row()) if index.isValid() else None

    def check_in_match(self) -> None:
        """Enter in the walk-in field: check in the contact highlighted (invited if needed)."""
        match = self.current_match() if self.match_list.isVisible() else None
        text = self.walk_in_search.text().strip()
        if match is None:
            if text:
                say(
                    self._feedback,
                    _(
                        "Nobody in the contact book is called “{text}”: “New person” adds them."
                    ).format(text=text),
                )
            return
        arrival = self._arrival()
        if arrival is None:
            return
        occurrence, when = arrival
        run_in_background(
            guests.check_in_contact,
            self.db,
            self.event_id,
            match.contact_id,
            occurrence,
            when,
            on_success=lambda _result: self.walkedIn.emit(match.name),
            label=_("Checking in…"),
        )

    # -- a new person ------------------------------------------------------------------------

    def show_new_person(self) -> None:
        """The explicit way to add someone who is not in the contact book."""
        self.new_person.show()
        typed = self.walk_in_search.text().strip().split(maxsplit=1)
        if typed and not self.given_name.text():
            self.given_name.setText(typed[0].capitalize())
            if len(typed) > 1:
                self.family_name.setText(typed[1].capitalize())
        self.given_name.setFocus()
        self.given_name.selectAll()

    def add_walk_in(self) -> None:
        given, family = self.given_name.text().strip(), self.family_name.text().strip()
        arrival = self._arrival()
        if not (given or family) or arrival is None:
            self.given_name.setFocus()
            return
        occurrence, when = arrival
        name = display_name(given, family)
        run_in_background(
            guests.walk_in,
            self.db,
            self.event_id,
            given,
            family,
            occurrence,
            when,
            on_success=lambda _result: self.walkedIn.emit(name),
            label=_("Checking in…"),
            must_finish=True,
        )
