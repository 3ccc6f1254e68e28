"""The event editor: what, for which community, where (a venue, a new one, or online), when
(local time in a zone, or all day, and how it repeats), its status, its budget, partners and
core team, and the notes before and after. Saving is one undoable command."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import quote

from pydantic import ValidationError as ModelError
from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cmplanner import clock
from cmplanner.errors import ValidationError
from cmplanner.i18n import _
from cmplanner.model import EventCreate
from cmplanner.model.enums import EventStatus, kind_label
from cmplanner.services import event_extras, events
from cmplanner.services.event_extras import EventExtras
from cmplanner.services.event_records import EditorInput
from cmplanner.services.events import event_from
from cmplanner.storage import Database
from ui.communities.commitments import CommitmentsPanel
from ui.events import commands
from ui.events.checklist import ChecklistPanel
from ui.events.extras import BudgetPanel, PartnersTeamPanel
from ui.events.guests import GuestsPanel
from ui.events.place import NEW_VENUE, EventPlace
from ui.events.when import EventWhen, error_label, page_form, show_error
from ui.kit import accessible
from ui.kit.forms import filled
from ui.kit.jobs import run_in_background
from ui.kit.sizing import resize_within_screen
from ui.kit.unsaved import UnsavedChangesGuard, form_values, saved_at_once

OSM_SEARCH = "https://www.openstreetmap.org/search?query="


def map_url(address: str) -> QUrl:
    return QUrl(OSM_SEARCH + quote(address, safe=""), QUrl.ParsingMode.StrictMode)


CONFLICT_DELAY_MS = 400


class EventEditor(UnsavedChangesGuard, QDialog):
    def __init__(
        self,
        db: Database,
        editor_input: EditorInput,
        push: Callable[[Any], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("eventEditor")
        self.db = db
        self.input = editor_input
        self._push = push
        form = editor_input.form
        self.event_id = form.id if form else None
        self.original = form.data if form else None
        data = form.data if form else self._new_event()
        self.setWindowTitle(_("Edit event") if form else _("New event"))

        what = self._build_what(data)
        self.when = EventWhen(db, self.event_id, data, push, self)
        self._keep_when_names()
        self.place = EventPlace(editor_input.venues, data, self)
        self.place.mapRequested.connect(self.open_map)
        self._keep_place_names()
        notes = self._build_notes(data)
        self._build_extras(editor_input, bool(form))
        self._build_tabs(what, notes)
        buttons = self._build_buttons()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        self._watch_conflicts()
        self._update_save()
        resize_within_screen(self, 860, 620)  # room for the guest list's columns
        accessible.name_typed_combos(self)

    # -- building ------------------------------------------------------------------------------

    def _build_what(self, data: EventCreate) -> QWidget:
        """The "Event" tab: title, kind, community, status, capacity, objective, promises."""
        self.title = QLineEdit(data.title, self)
        self.title.setObjectName("eventTitle")
        self.title.setPlaceholderText(_("Apéro of the Lyon community"))
        self.title.textChanged.connect(self._update_save)
        self.kind = QComboBox(self)
        self.kind.setObjectName("eventKind")
        self.kind.setEditable(True)
        self.kind.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for kind in self.input.kinds:
            self.kind.addItem(kind_label(kind), kind)
        self._set_kind(data.kind)
        self.community = QComboBox(self)
        self.community.setObjectName("eventCommunity")
        self.community.addItem(_("No community"), None)
        for choice in self.input.communities:
            self.community.addItem(choice.name, choice.id)
        self.community.setCurrentIndex(max(0, self.community.findData(data.community_id)))
        self.status = QComboBox(self)
        self.status.setObjectName("eventStatus")
        for status in EventStatus:
            self.status.addItem(status.label, status.value)
        self.status.setCurrentIndex(max(0, self.status.findData(data.status)))
        self.capacity = QSpinBox(self)
        self.capacity.setObjectName("eventCapacity")
        self.capacity.setRange(0, 100000)
        self.capacity.setSpecialValueText(_("No limit"))
        self.capacity.setValue(data.capacity or 0)
        self.objective = QLineEdit(data.objective, self)
        self.objective.setObjectName("eventObjective")
        self.objective.setPlaceholderText(_("What should this event achieve?"))

        what = QWidget(self)
        what_form = page_form(what)
        what_form.addRow(_("Title:"), self.title)
        what_form.addRow(_("Kind:"), self.kind)
        what_form.addRow(_("Community:"), self.community)
        what_form.addRow(_("Status:"), self.status)
        what_form.addRow(_("Capacity:"), self.capacity)
        what_form.addRow(_("Objective:"), self.objective)
        self.promises: CommitmentsPanel | None = None
        if self.event_id is not None:
            # The promises made for this event, under its objective; saved as they are made.
            self.promises = CommitmentsPanel(
                self.db,
                self._push,
                event_id=self.event_id,
                names={"event": data.title},
                parent=what,
            )
            outer = cast(QVBoxLayout, what.layout())
            outer.takeAt(outer.count() - 1)  # the form's stretch: the promises take the room
            outer.addSpacing(12)
            outer.addWidget(self.promises, 1)
        return what

    def _keep_when_names(self) -> None:
        # The "Date and time" tab's fields, by the names the rest of the application uses.
        when = self.when
        self.start, self.end, self.all_day, self.timezone = (
            when.start,
            when.end,
            when.all_day,
            when.timezone,
        )
        self.when_error, self.recurrence = when.when_error, when.recurrence
        self.exceptions, self.conflict_note = when.exceptions, when.conflict_note

    def _keep_place_names(self) -> None:
        # The "Place" tab's fields, by the names the rest of the application uses.
        place = self.place
        self.online, self.online_url, self.venue = place.online, place.online_url, place.venue
        self.map_link, self.new_venue, self.venue_error = (
            place.map_link,
            place.new_venue,
            place.venue_error,
        )
        self.venue_name, self.venue_street = place.venue_name, place.venue_street

    def _build_notes(self, data: EventCreate) -> QWidget:
        """The "Notes" tab: description and programme before, debrief after."""
        self.description = QPlainTextEdit(data.description, self)
        self.description.setObjectName("eventDescription")
        self.description.setPlaceholderText(_("Programme, speakers, what to bring…"))
        self.debrief = QPlainTextEdit(data.debrief, self)
        self.debrief.setObjectName("eventDebrief")
        self.debrief.setPlaceholderText(_("After the event: what worked, outcomes, numbers"))
        notes = self.notes_page = QWidget(self)
        notes_layout = QVBoxLayout(notes)
        notes_layout.addWidget(QLabel(_("Description and programme:"), notes))
        notes_layout.addWidget(self.description, 2)
        notes_layout.addWidget(QLabel(_("Debrief:"), notes))
        accessible.name(self.description, _("Description and programme:"))
        accessible.name(self.debrief, _("Debrief:"), self.debrief.placeholderText())
        notes_layout.addWidget(self.debrief, 1)
        return notes

    def _build_extras(self, editor_input: EditorInput, saved: bool) -> None:
        """Budget, partners and team, guests and checklist: the panels of their own tabs."""
        extras = editor_input.extras
        self.original_extras = extras if saved else None
        self.budget = BudgetPanel(extras.budget, self)
        self.partners_team = PartnersTeamPanel(
            self.db, editor_input.organizations, extras.partners, extras.team, self
        )
        # Guests: an existing event's list changes at once (each change undoable); a new
        # event's is a draft, invited when the event is saved.
        self.guests_panel = GuestsPanel(self.db, self.event_id, self._push, self)
        self.guests_panel.community_of = self.community.currentData

    def _build_tabs(self, what: QWidget, notes: QWidget) -> None:
        self.tabs = QTabWidget(self)
        self.tabs.addTab(what, _("Event"))
        self.tabs.addTab(self.when, _("Date and time"))
        self.tabs.addTab(self.place, _("Place"))
        self.tabs.addTab(self.guests_panel, _("Guests"))
        self.checklist = ChecklistPanel(
            self.db, self.event_id, self._push, self.kind_value, self.input.kinds, self
        )
        saved_at_once(self.checklist)  # each task is written as it is made, undoably
        self.tabs.addTab(self.checklist, _("Checklist"))
        self.tabs.addTab(self.partners_team, _("Partners and team"))
        self.tabs.addTab(self.budget, _("Budget"))
        self.tabs.addTab(notes, _("Notes"))

    def _build_buttons(self) -> QDialogButtonBox:
        self.error = error_label(self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        return buttons

    def _watch_conflicts(self) -> None:
        """Look for overlapping events a moment after the times, venue, status or team change."""
        self.conflicts: list[events.Conflict] = []
        self._conflict_timer = QTimer(self)
        self._conflict_timer.setSingleShot(True)
        self._conflict_timer.setInterval(CONFLICT_DELAY_MS)
        self._conflict_timer.timeout.connect(self.check_conflicts)
        for signal in (
            self.when.edited,
            self.venue.currentIndexChanged,
            self.status.currentIndexChanged,
            self.partners_team.teamChanged,
        ):
            signal.connect(lambda *_a: self._conflict_timer.start())

    @staticmethod
    def _new_event() -> EventCreate:
        """Tomorrow at 19:00, for two hours, in the computer's zone."""
        day = clock.today() + dt.timedelta(days=1)
        start = dt.datetime.combine(day, dt.time(19, 0))
        return EventCreate(
            title="",
            start_local=start,
            end_local=start + dt.timedelta(hours=2),
            timezone=clock.local_zone_name(),
        )

    def _set_kind(self, kind: str) -> None:
        index = self.kind.findData(kind)
        if index < 0:
            self.kind.addItem(kind_label(kind), kind)
            index = self.kind.count() - 1
        self.kind.setCurrentIndex(index)

    # -- reactions ---------------------------------------------------------------------------

    def open_map(self) -> None:
        address = self.place.address_text()
        if address:
            QDesktopServices.openUrl(map_url(address))

    def _update_save(self, *_args: Any) -> None:
        self.save_button.setEnabled(bool(self.title.text().strip()))

    def check_conflicts(self) -> None:
        """Look, in the background, for events that overlap this one's occurrences."""
        if not self.when.check_times() or not self.when.check_rule():
            return
        try:
            draft = self.data()
        except ModelError:
            return
        team = self.partners_team.team_ids()
        run_in_background(events.conflicts, self.db, draft, team, on_success=self._show_conflicts)

    def _show_conflicts(self, found: list[events.Conflict]) -> None:
        self.conflicts = [c for c in found if c.event_id != self.event_id]
        self.when.show_conflicts(self.conflicts)

    # -- saving ----------------------------------------------------------------------------

    def kind_value(self) -> str:
        text = self.kind.currentText().strip()
        index = self.kind.currentIndex()
        if index >= 0 and self.kind.itemText(index) == text:
            return str(self.kind.itemData(index))
        found = self.kind.findText(text, Qt.MatchFlag.MatchFixedString)
        return str(self.kind.itemData(found)) if found >= 0 else text

    def data(self) -> EventCreate:
        start, end = self.when.span()
        venue = self.venue.currentData()
        return EventCreate(
            title=self.title.text().strip(),
            kind=self.kind_value() or "other",
            community_id=self.community.currentData(),
            venue_id=None if venue in (None, NEW_VENUE) else venue,
            start_local=start,
            end_local=end,
            timezone=self.when.zone(),
            all_day=self.all_day.isChecked(),
            rrule=self.recurrence.rule(),
            status=str(self.status.currentData()),
            capacity=self.capacity.value() or None,
            objective=self.objective.text().strip(),
            description=self.description.toPlainText().strip(),
            in_person=bool(self.online.currentData()),
            online_url=self.online_url.text().strip() if not self.online.currentData() else "",
            debrief=self.debrief.toPlainText().strip(),
        )

    def extras(self) -> EventExtras:
        """The budget, partners and core team as edited."""
        return EventExtras(
            self.budget.lines(), self.partners_team.partners(), self.partners_team.team()
        )

    def pending_guests(self) -> tuple[tuple[int, str], ...]:
        """(contact id, role) pairs a new event's guests tab wants invited on save."""
        return tuple(self.guests_panel.pending_guests())

    def edit_state(self) -> tuple[Any, ...]:
        # Every field, the budget, partners and team, and a new event's guests to invite.
        return form_values(self), self.extras(), self.pending_guests()

    def accept(self) -> None:
        show_error(self.error, "")
        show_error(self.venue_error, "")
        if not self.title.text().strip():
            self.tabs.setCurrentIndex(0)
        if not filled(self.title, self.error, _("An event needs a title.")):
            return
        if not self.when.check_times() or not self.when.check_rule():
            self.tabs.setCurrentIndex(1)
            return
        venue = self.place.new_venue_data()
        if venue is not None and not venue.name:
            show_error(self.venue_error, _("A venue needs a name."))
            self.tabs.setCurrentIndex(2)
            return
        try:
            data = self.data()
            event_from(data)  # the service's own checks (rule, zone, times), no writing
        except ValidationError as exc:
            show_error(self.error, str(exc))
            return
        except ModelError as exc:
            show_error(self.error, "; ".join(e["msg"] for e in exc.errors()))
            return
        extras = self.extras()
        for page, part in (
            (self.budget, EventExtras(budget=extras.budget)),
            (self.partners_team, EventExtras(partners=extras.partners, team=extras.team)),
        ):
            try:
                event_extras.check_extras(part)
            except ValidationError as exc:
                show_error(self.error, str(exc))
                self.tabs.setCurrentWidget(page)
                return
        guests = self.pending_guests() if self.event_id is None else ()
        if (
            self.original is None
            or data != self.original
            or venue is not None
            or extras != self.original_extras
        ):
            self._push(
                commands.SaveEvent(
                    self.db,
                    self.event_id,
                    self.original,
                    data,
                    venue,
                    extras=extras,
                    old_extras=self.original_extras,
                    guests=guests,
                )
            )
        super().accept()
