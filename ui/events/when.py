"""The event editor's "Date and time" tab: start and end in a time zone (or all day), how the
event repeats, a saved series' exceptions, and a warning when other events overlap."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from cmplanner.errors import ValidationError
from cmplanner.i18n import _
from cmplanner.model import EventCreate
from cmplanner.services import events
from cmplanner.storage import Database
from ui.events.recurrence import RecurrenceEditor
from ui.events.series_exceptions import SeriesExceptionsPanel
from ui.kit.date_fields import DateTimeEdit
from ui.kit.display import app_locale, date_format

MAX_CONFLICTS_SHOWN = 3


def to_qdatetime(value: dt.datetime) -> QDateTime:
    return QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute))


def to_datetime(value: QDateTime) -> dt.datetime:
    d, t = value.date(), value.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.hide()
    return label


def show_error(label: QLabel, message: str) -> None:
    label.setText(message)
    label.setVisible(bool(message))


def page_form(page: QWidget, top: bool = True) -> QFormLayout:
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


class EventWhen(QWidget):
    """When the event is held; `edited` says a change may bring other events into conflict."""

    edited = Signal()

    def __init__(
        self,
        db: Database,
        event_id: int | None,
        data: EventCreate,
        push: Callable[[Any], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._build_fields(data)
        form = page_form(self)
        form.addRow(_("Starts:"), self.start)
        form.addRow(_("Ends:"), self.end)
        form.addRow("", self.all_day)
        form.addRow(_("Time zone:"), self.timezone)
        form.addRow("", self.when_error)
        form.addRow(_("Repeats:"), self.recurrence)
        self.exceptions = self._build_exceptions(db, event_id, data, push, form)
        # Other events at the same venue or with the same core team at these times: a warning,
        # not a refusal (two rooms of one venue, a colleague who drops by).
        self.conflict_note = error_label(self)
        self.conflict_note.setObjectName("conflictWarning")
        form.addRow("", self.conflict_note)
        self._connect()
        self._previous_start = to_datetime(self.start.dateTime())
        if data.rrule:
            self.check_rule()  # a rule stored by an old version says at once what is wrong
        self._on_all_day(data.all_day)

    def _build_fields(self, data: EventCreate) -> None:
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
        self.when_error = error_label(self)
        self.recurrence = RecurrenceEditor(self)
        self.recurrence.set_rule(data.rrule, data.start_local.date(), data.timezone)

    def _datetime_edit(self, name: str, value: dt.datetime) -> DateTimeEdit:
        edit = DateTimeEdit(self)
        edit.setDateTime(to_qdatetime(value))
        edit.setObjectName(name)
        return edit

    def _build_exceptions(
        self,
        db: Database,
        event_id: int | None,
        data: EventCreate,
        push: Callable[[Any], None],
        form: QFormLayout,
    ) -> SeriesExceptionsPanel | None:
        """A saved series' skipped and moved dates; restoring one is written at once."""
        if event_id is None or not data.rrule:
            return None
        exceptions = SeriesExceptionsPanel(db, event_id, data.title, push, self)
        exceptions.set_all_day(data.all_day)
        form.addRow(_("Exceptions:"), exceptions)
        form.setRowVisible(exceptions, False)
        exceptions.loaded.connect(lambda n: form.setRowVisible(exceptions, n > 0))
        exceptions.refresh()
        return exceptions

    def _connect(self) -> None:
        self.all_day.toggled.connect(self._on_all_day)
        self.start.dateTimeChanged.connect(self._on_start_changed)
        self.end.dateTimeChanged.connect(lambda _v: self.check_times())
        self.timezone.currentTextChanged.connect(lambda _t: self.check_times())
        for signal in (
            self.start.dateTimeChanged,
            self.end.dateTimeChanged,
            self.timezone.currentTextChanged,
        ):
            signal.connect(lambda *_a: self.edited.emit())
        self.recurrence.changed.connect(lambda *_a: self.edited.emit())

    # -- reactions ---------------------------------------------------------------------------

    def _on_all_day(self, on: bool) -> None:
        fmt = date_format()  # a 4-digit year
        if not on:
            fmt += " " + app_locale().timeFormat(app_locale().FormatType.ShortFormat)
        for edit in (self.start, self.end):
            edit.setDisplayFormat(fmt)
        self.check_times()

    def _on_start_changed(self, _value: Any) -> None:
        """Moving the start moves the end with it (the length stays), as calendars do."""
        new = to_datetime(self.start.dateTime())
        delta = new - self._previous_start
        self._previous_start = new
        if delta:
            self.end.blockSignals(True)
            self.end.setDateTime(to_qdatetime(to_datetime(self.end.dateTime()) + delta))
            self.end.blockSignals(False)
        self.recurrence.set_start(new.date())
        self.check_times()

    def check_times(self) -> bool:
        message = ""
        zone = self.zone()
        if zone not in zoneinfo.available_timezones():
            message = _("Unknown time zone: {name}").format(name=zone)
        elif to_datetime(self.end.dateTime()) < to_datetime(self.start.dateTime()):
            message = _("The event ends before it starts.")
        show_error(self.when_error, message)
        return not message

    def check_rule(self) -> bool:
        """Say under the recurrence what is wrong with its rule (one every second, an INTERVAL
        of 0…) as soon as it is typed; True when nothing is."""
        message = ""
        rule = self.recurrence.rule()
        if rule:
            try:
                events.normalize_rrule(rule, self.span()[0], self.zone())
            except ValidationError as exc:
                message = str(exc)
        self.recurrence.show_problem(message)
        return not message

    def show_conflicts(self, others: list[events.Conflict]) -> None:
        lines = [c.message for c in others[:MAX_CONFLICTS_SHOWN]]
        if len(others) > MAX_CONFLICTS_SHOWN:
            lines.append(_("…and {n} more.").format(n=len(others) - MAX_CONFLICTS_SHOWN))
        show_error(self.conflict_note, "\n".join(lines))

    # -- values ------------------------------------------------------------------------------

    def zone(self) -> str:
        return self.timezone.currentText().strip()

    def span(self) -> tuple[dt.datetime, dt.datetime]:
        """Start and end as local times; an all-day event's at midnight."""
        start = to_datetime(self.start.dateTime())
        end = to_datetime(self.end.dateTime())
        if self.all_day.isChecked():
            start = dt.datetime.combine(start.date(), dt.time())
            end = dt.datetime.combine(end.date(), dt.time())
        return start, end
