"""The event editor: what, for which community, where (a venue, a new one, or online), when
(local time in a zone, or all day, and how it repeats), its status, its budget, partners and
core team, and the notes before and after. Saving is one undoable command."""

from __future__ import annotations

import datetime as dt
import html
import zoneinfo
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import quote

from pydantic import ValidationError as ModelError
from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
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
from cmplanner.model import EventCreate, VenueCreate
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
from ui.events.recurrence import RecurrenceEditor
from ui.events.series_exceptions import SeriesExceptionsPanel
from ui.kit import accessible
from ui.kit.date_fields import DateTimeEdit
from ui.kit.display import app_locale, date_format
from ui.kit.forms import filled
from ui.kit.jobs import run_in_background
from ui.kit.sizing import resize_within_screen, scaled
from ui.kit.unsaved import UnsavedChangesGuard, form_values, saved_at_once

NEW_VENUE = -1
OSM_SEARCH = "https://www.openstreetmap.org/search?query="


def map_url(address: str) -> QUrl:
    return QUrl(OSM_SEARCH + quote(address, safe=""), QUrl.ParsingMode.StrictMode)


def _to_qdatetime(value: dt.datetime) -> QDateTime:
    return QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute))


def _to_datetime(value: QDateTime) -> dt.datetime:
    d, t = value.date(), value.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


CONFLICT_DELAY_MS = 400
MAX_CONFLICTS_SHOWN = 3


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.hide()
    return label


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

        # -- what --------------------------------------------------------------------------
        self.title = QLineEdit(data.title, self)
        self.title.setObjectName("eventTitle")
        self.title.setPlaceholderText(_("Apéro of the Lyon community"))
        self.title.textChanged.connect(self._update_save)
        self.kind = QComboBox(self)
        self.kind.setObjectName("eventKind")
        self.kind.setEditable(True)
        self.kind.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for kind in editor_input.kinds:
            self.kind.addItem(kind_label(kind), kind)
        self._set_kind(data.kind)
        self.community = QComboBox(self)
        self.community.setObjectName("eventCommunity")
        self.community.addItem(_("No community"), None)
        for choice in editor_input.communities:
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
        what_form = self._form(what)
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
                db, push, event_id=self.event_id, names={"event": data.title}, parent=what
            )
            outer = cast(QVBoxLayout, what.layout())
            outer.takeAt(outer.count() - 1)  # the form's stretch: the promises take the room
            outer.addSpacing(12)
            outer.addWidget(self.promises, 1)

        # -- when --------------------------------------------------------------------------
        self.start = self._datetime_edit("eventStart", data.start_local)
        self.end = self._datetime_edit("eventEnd", data.end_local)
        self.all_day = QCheckBox(_("All day"), self)
        self.all_day.setObjectName("eventAllDay")
        self.all_day.setChecked(data.all_day)
        self.timezone = QComboBox(self)
        self.timezone.setObjectName("eventTimezone")
        self.timezone.setEditable(True)
        self.timezone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.timezone.addItems(sorted(zoneinfo.available_timezones()))
        completer = QCompleter(self.timezone.model(), self.timezone)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.timezone.setCompleter(completer)
        self.timezone.setCurrentText(data.timezone)
        self.when_error = _error_label(self)
        self.recurrence = RecurrenceEditor(self)
        self.recurrence.set_rule(data.rrule, data.start_local.date(), data.timezone)

        when = QWidget(self)
        when_form = self._form(when)
        when_form.addRow(_("Starts:"), self.start)
        when_form.addRow(_("Ends:"), self.end)
        when_form.addRow("", self.all_day)
        when_form.addRow(_("Time zone:"), self.timezone)
        when_form.addRow("", self.when_error)
        when_form.addRow(_("Repeats:"), self.recurrence)
        # A saved series' skipped and moved dates; restoring one is written at once.
        self.exceptions: SeriesExceptionsPanel | None = None
        if self.event_id is not None and data.rrule:
            self.exceptions = SeriesExceptionsPanel(db, self.event_id, data.title, push, when)
            self.exceptions.set_all_day(data.all_day)
            when_form.addRow(_("Exceptions:"), self.exceptions)
            when_form.setRowVisible(self.exceptions, False)
            self.exceptions.loaded.connect(
                lambda n: when_form.setRowVisible(self.exceptions, n > 0)
            )
            self.exceptions.refresh()
        # Other events at the same venue or with the same core team at these times: a warning,
        # not a refusal (two rooms of one venue, a colleague who drops by).
        self.conflict_note = _error_label(self)
        self.conflict_note.setObjectName("conflictWarning")
        when_form.addRow("", self.conflict_note)

        # -- where -------------------------------------------------------------------------
        self.venue = QComboBox(self)
        self.venue.setObjectName("eventVenue")
        accessible.name(self.venue, _("Venue:"))
        self.venue.addItem(_("No venue"), None)
        for venue in editor_input.venues:
            self.venue.addItem(venue.name, venue.id)
        self.venue.addItem(_("New venue…"), NEW_VENUE)
        self.venue.setCurrentIndex(max(0, self.venue.findData(data.venue_id)))
        self.map_link = QLabel(self)
        self.map_link.setObjectName("openInMap")
        self.map_link.setText('<a href="map">' + html.escape(_("Open in map")) + "</a>")
        # Tab reaches the link and Enter follows it, as with the mouse.
        self.map_link.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.map_link.linkActivated.connect(lambda _link: self.open_map())
        venue_row = QHBoxLayout()
        venue_row.addWidget(self.venue, 1)
        venue_row.addWidget(self.map_link)
        self.venue_address = QLabel(self)
        self.venue_address.setObjectName("hint")
        self.venue_address.setWordWrap(True)

        self.new_venue = QWidget(self)
        self.new_venue.setObjectName("newVenue")
        self.venue_name = QLineEdit(self.new_venue)
        self.venue_name.setObjectName("venueName")
        self.venue_street = QLineEdit(self.new_venue)
        self.venue_street.setObjectName("venueAddress")
        self.venue_street.setPlaceholderText(_("12 rue de la République, 69002 Lyon"))
        self.venue_capacity = QSpinBox(self.new_venue)
        self.venue_capacity.setRange(0, 100000)
        self.venue_capacity.setSpecialValueText(_("Unknown"))
        self.venue_access = QPlainTextEdit(self.new_venue)
        self.venue_access.setPlaceholderText(_("Door code, floor, step-free access…"))
        self.venue_access.setFixedHeight(scaled(60))
        new_form = self._form(self.new_venue, top=False)
        new_form.addRow(_("Name:"), self.venue_name)
        new_form.addRow(_("Address:"), self.venue_street)
        new_form.addRow(_("Capacity:"), self.venue_capacity)
        new_form.addRow(_("Access:"), self.venue_access)
        self.venue_error = _error_label(self)

        self.online = QComboBox(self)
        self.online.setObjectName("eventMode")
        self.online.addItem(_("In person"), True)
        self.online.addItem(_("Online"), False)
        self.online.setCurrentIndex(0 if data.in_person else 1)
        self.online_url = QLineEdit(data.online_url, self)
        self.online_url.setObjectName("eventUrl")
        self.online_url.setPlaceholderText("https://meet.example.org/…")

        where = QWidget(self)
        where_form = self._form(where)
        where_form.addRow(_("Held:"), self.online)
        where_form.addRow(_("Link:"), self.online_url)
        where_form.addRow(_("Venue:"), venue_row)
        where_form.addRow("", self.venue_address)
        where_form.addRow("", self.new_venue)
        where_form.addRow("", self.venue_error)

        # -- notes -------------------------------------------------------------------------
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

        # -- budget, partners and team ------------------------------------------------------
        extras = editor_input.extras
        self.original_extras = extras if form else None
        self.budget = BudgetPanel(extras.budget, self)
        self.partners_team = PartnersTeamPanel(
            db, editor_input.organizations, extras.partners, extras.team, self
        )
        # Guests: an existing event's list changes at once (each change undoable); a new
        # event's is a draft, invited when the event is saved.
        self.guests_panel = GuestsPanel(db, self.event_id, push, self)
        self.guests_panel.community_of = self.community.currentData

        self.tabs = QTabWidget(self)
        self.tabs.addTab(what, _("Event"))
        self.tabs.addTab(when, _("Date and time"))
        self.tabs.addTab(where, _("Place"))
        self.tabs.addTab(self.guests_panel, _("Guests"))
        self.checklist = ChecklistPanel(
            db, self.event_id, push, self.kind_value, editor_input.kinds, self
        )
        saved_at_once(self.checklist)  # each task is written as it is made, undoably
        self.tabs.addTab(self.checklist, _("Checklist"))
        self.tabs.addTab(self.partners_team, _("Partners and team"))
        self.tabs.addTab(self.budget, _("Budget"))
        self.tabs.addTab(notes, _("Notes"))

        self.error = _error_label(self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        self.all_day.toggled.connect(self._on_all_day)
        self.start.dateTimeChanged.connect(self._on_start_changed)
        self.end.dateTimeChanged.connect(lambda _v: self._check_times())
        self.timezone.currentTextChanged.connect(lambda _t: self._check_times())
        self.venue.currentIndexChanged.connect(self._on_venue)
        self.venue_street.textChanged.connect(lambda _t: self._on_venue())
        self.online.currentIndexChanged.connect(self._on_mode)
        self.conflicts: list[events.Conflict] = []
        self._conflict_timer = QTimer(self)
        self._conflict_timer.setSingleShot(True)
        self._conflict_timer.setInterval(CONFLICT_DELAY_MS)
        self._conflict_timer.timeout.connect(self.check_conflicts)
        for signal in (
            self.start.dateTimeChanged,
            self.end.dateTimeChanged,
            self.timezone.currentTextChanged,
            self.venue.currentIndexChanged,
            self.recurrence.changed,
            self.status.currentIndexChanged,
            self.partners_team.teamChanged,
        ):
            signal.connect(lambda *_a: self._conflict_timer.start())
        self._previous_start = _to_datetime(self.start.dateTime())
        if data.rrule:
            self._check_rule()  # a rule stored by an old version says at once what is wrong
        self._on_all_day(data.all_day)
        self._on_venue()
        self._on_mode()
        self._update_save()
        resize_within_screen(self, 860, 620)  # room for the guest list's columns
        accessible.name_typed_combos(self)

    # -- building ------------------------------------------------------------------------------

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

    def add_page(self, widget: QWidget, title: str, index: int | None = None) -> int:
        """Add a tab (before Notes unless `index` says where); returns its index."""
        if index is None:
            index = self.tabs.indexOf(self.notes_page)
        return self.tabs.insertTab(index, widget, title)

    def _form(self, page: QWidget, top: bool = True) -> QFormLayout:
        """A form at the top of a tab page (the space left goes under it, not between rows)."""
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer = QVBoxLayout(page)
        outer.addLayout(form)
        if top:
            outer.addStretch(1)
        else:
            outer.setContentsMargins(0, 0, 0, 0)
        return form

    def _datetime_edit(self, name: str, value: dt.datetime) -> DateTimeEdit:
        edit = DateTimeEdit(self)
        edit.setDateTime(_to_qdatetime(value))
        edit.setObjectName(name)
        return edit

    def _set_kind(self, kind: str) -> None:
        index = self.kind.findData(kind)
        if index < 0:
            self.kind.addItem(kind_label(kind), kind)
            index = self.kind.count() - 1
        self.kind.setCurrentIndex(index)

    # -- reactions ---------------------------------------------------------------------------

    def _on_all_day(self, on: bool) -> None:
        fmt = date_format()  # a 4-digit year
        if not on:
            fmt += " " + app_locale().timeFormat(app_locale().FormatType.ShortFormat)
        for edit in (self.start, self.end):
            edit.setDisplayFormat(fmt)
        self._check_times()

    def _on_start_changed(self, _value: Any) -> None:
        """Moving the start moves the end with it (the length stays), as calendars do."""
        new = _to_datetime(self.start.dateTime())
        delta = new - self._previous_start
        self._previous_start = new
        if delta:
            self.end.blockSignals(True)
            self.end.setDateTime(_to_qdatetime(_to_datetime(self.end.dateTime()) + delta))
            self.end.blockSignals(False)
        self.recurrence.set_start(new.date())
        self._check_times()

    def _on_venue(self, *_args: Any) -> None:
        chosen = self.venue.currentData()
        self.new_venue.setVisible(chosen == NEW_VENUE)
        address = self.venue_address_text()
        self.venue_address.setText(address if chosen not in (None, NEW_VENUE) else "")
        self.venue_address.setVisible(bool(address) and chosen != NEW_VENUE)
        self.map_link.setVisible(bool(address))

    def _on_mode(self, *_args: Any) -> None:
        self.online_url.setEnabled(not self.online.currentData())

    def venue_address_text(self) -> str:
        chosen = self.venue.currentData()
        if chosen == NEW_VENUE:
            return self.venue_street.text().strip()
        for venue in self.input.venues:
            if venue.id == chosen:
                return venue.address or venue.name
        return ""

    def open_map(self) -> None:
        address = self.venue_address_text()
        if address:
            QDesktopServices.openUrl(map_url(address))

    def _update_save(self, *_args: Any) -> None:
        self.save_button.setEnabled(bool(self.title.text().strip()))

    def _check_times(self) -> bool:
        message = ""
        zone = self.timezone.currentText().strip()
        if zone not in zoneinfo.available_timezones():
            message = _("Unknown time zone: {name}").format(name=zone)
        elif _to_datetime(self.end.dateTime()) < _to_datetime(self.start.dateTime()):
            message = _("The event ends before it starts.")
        self._show_error(self.when_error, message)
        return not message

    def _check_rule(self) -> bool:
        """Say under the recurrence what is wrong with its rule (one every second, an INTERVAL
        of 0…) as soon as it is typed; True when nothing is."""
        message = ""
        rule = self.recurrence.rule()
        if rule:
            start = _to_datetime(self.start.dateTime())
            if self.all_day.isChecked():
                start = dt.datetime.combine(start.date(), dt.time())
            try:
                events.normalize_rrule(rule, start, self.timezone.currentText().strip())
            except ValidationError as exc:
                message = str(exc)
        self.recurrence.show_problem(message)
        return not message

    @staticmethod
    def _show_error(label: QLabel, message: str) -> None:
        label.setText(message)
        label.setVisible(bool(message))

    def check_conflicts(self) -> None:
        """Look, in the background, for events that overlap this one's occurrences."""
        if not self._check_times() or not self._check_rule():
            return
        try:
            draft = self.data()
        except ModelError:
            return
        team = self.partners_team.team_ids()
        run_in_background(events.conflicts, self.db, draft, team, on_success=self._show_conflicts)

    def _show_conflicts(self, found: list[events.Conflict]) -> None:
        others = [c for c in found if c.event_id != self.event_id]
        lines = [c.message for c in others[:MAX_CONFLICTS_SHOWN]]
        if len(others) > MAX_CONFLICTS_SHOWN:
            lines.append(_("…and {n} more.").format(n=len(others) - MAX_CONFLICTS_SHOWN))
        self.conflicts = others
        self._show_error(self.conflict_note, "\n".join(lines))

    # -- saving ----------------------------------------------------------------------------

    def kind_value(self) -> str:
        text = self.kind.currentText().strip()
        index = self.kind.currentIndex()
        if index >= 0 and self.kind.itemText(index) == text:
            return str(self.kind.itemData(index))
        found = self.kind.findText(text, Qt.MatchFlag.MatchFixedString)
        return str(self.kind.itemData(found)) if found >= 0 else text

    def data(self) -> EventCreate:
        start = _to_datetime(self.start.dateTime())
        end = _to_datetime(self.end.dateTime())
        if self.all_day.isChecked():
            start = dt.datetime.combine(start.date(), dt.time())
            end = dt.datetime.combine(end.date(), dt.time())
        venue = self.venue.currentData()
        return EventCreate(
            title=self.title.text().strip(),
            kind=self.kind_value() or "other",
            community_id=self.community.currentData(),
            venue_id=None if venue in (None, NEW_VENUE) else venue,
            start_local=start,
            end_local=end,
            timezone=self.timezone.currentText().strip(),
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

    def new_venue_data(self) -> VenueCreate | None:
        if self.venue.currentData() != NEW_VENUE:
            return None
        return VenueCreate(
            name=self.venue_name.text().strip(),
            street=self.venue_street.text().strip(),
            capacity=self.venue_capacity.value() or None,
            access_notes=self.venue_access.toPlainText().strip(),
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
        self._show_error(self.error, "")
        self._show_error(self.venue_error, "")
        if not self.title.text().strip():
            self.tabs.setCurrentIndex(0)
        if not filled(self.title, self.error, _("An event needs a title.")):
            return
        if not self._check_times() or not self._check_rule():
            self.tabs.setCurrentIndex(1)
            return
        venue = self.new_venue_data()
        if venue is not None and not venue.name:
            self._show_error(self.venue_error, _("A venue needs a name."))
            self.tabs.setCurrentIndex(2)
            return
        try:
            data = self.data()
            event_from(data)  # the service's own checks (rule, zone, times), no writing
        except ValidationError as exc:
            self._show_error(self.error, str(exc))
            return
        except ModelError as exc:
            self._show_error(self.error, "; ".join(e["msg"] for e in exc.errors()))
            return
        extras = self.extras()
        for page, part in (
            (self.budget, EventExtras(budget=extras.budget)),
            (self.partners_team, EventExtras(partners=extras.partners, team=extras.team)),
        ):
            try:
                event_extras.check_extras(part)
            except ValidationError as exc:
                self._show_error(self.error, str(exc))
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
