"""Events: every event and series, newest first; filters by community, status, kind and
dates; a new event or the selected one opens in the event editor."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QWidget,
)

from cmplanner.bus import Changes
from cmplanner.i18n import _, ngettext
from cmplanner.model.enums import EventStatus, kind_label
from cmplanner.services import event_records
from cmplanner.services import vocabulary as vocabulary_service
from cmplanner.storage import Database
from ui.display import date_format, format_int
from ui.tasks import run_in_background
from ui.views.contacts import _combo, _refill
from ui.views.editable_view import EditableListingView

EVENT_WIDTHS = {"community": 150, "timezone": 120, "venue": 150, "recurring": 85, "guests": 70}
_NO_DATE = QDate(2000, 1, 1)  # the date edits' "any" (shown as their special value text)


def events_status_text(n: int) -> str:
    return ngettext("{n} event", "{n} events", n).format(n=format_int(n))


def _date_edit(parent: QWidget, name: str) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(date_format())
    edit.setMinimumDate(_NO_DATE)
    edit.setSpecialValueText(_("any day"))
    edit.setDate(_NO_DATE)
    return edit


class EventFilterBar(QWidget):
    """Community, status, kind, and a date range (either end may stay open)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self.community = _combo(self, "communityFilter", _("Any community"))
        self.community.setMinimumContentsLength(18)  # "Toutes les communautés"
        self.status = _combo(self, "statusFilter", _("Any status"))
        for status in EventStatus:
            self.status.addItem(status.label, status.value)
        self.kind = _combo(self, "kindFilter", _("Any kind"))
        self.date_from = _date_edit(self, "fromFilter")
        self.date_to = _date_edit(self, "toFilter")
        self.clear = QPushButton(_("Clear"), self)
        self.clear.setObjectName("clearFilters")
        self.clear.setToolTip(_("Show every event again"))
        self.clear.setEnabled(False)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for combo in (self.community, self.status, self.kind):
            layout.addWidget(combo)
        layout.addSpacing(6)
        layout.addWidget(QLabel(_("From"), self))
        layout.addWidget(self.date_from)
        layout.addWidget(QLabel(_("to"), self))
        layout.addWidget(self.date_to)
        layout.addStretch(1)
        layout.addWidget(self.clear)
        for combo in (self.community, self.status, self.kind):
            combo.currentIndexChanged.connect(self._on_changed)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self._on_changed)
        self.clear.clicked.connect(self.reset)

    def set_choices(self, communities: Any, kinds: tuple[str, ...]) -> None:
        _refill(self.community, [(c.name, c.id) for c in communities])
        _refill(self.kind, [(kind_label(k), k) for k in kinds])

    @staticmethod
    def _day(edit: QDateEdit) -> dt.date | None:
        date = edit.date()
        return None if date == _NO_DATE else dt.date(date.year(), date.month(), date.day())

    def values(self) -> dict[str, Any]:
        return {
            "community": self.community.currentData(),
            "status": self.status.currentData(),
            "kind": self.kind.currentData(),
            "from": self._day(self.date_from),
            "to": self._day(self.date_to),
        }

    def reset(self) -> None:
        widgets = (self.community, self.status, self.kind, self.date_from, self.date_to)
        for widget in widgets:
            widget.blockSignals(True)
        for combo in (self.community, self.status, self.kind):
            combo.setCurrentIndex(0)
        for edit in (self.date_from, self.date_to):
            edit.setDate(_NO_DATE)
        for widget in widgets:
            widget.blockSignals(False)
        self._on_changed()

    def _on_changed(self, *_args: Any) -> None:
        self.clear.setEnabled(any(v not in (None, "") for v in self.values().values()))
        self.changed.emit()


class EventsView(EditableListingView):
    details = staticmethod(event_records.editor_input)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "events",
            kind="events",
            placeholder=_("Search events by title, description or community…"),
            empty_text=_("No events yet."),
            no_match_text=_("No event matches “{text}”."),
            sort_key="start",
            descending=True,
            widths=EVENT_WIDTHS,
            stretch="title",
            hidden=("timezone",),
            parent=parent,
        )
        self.add_new_button(_("New event"), "newEvent")
        self.filter_bar = EventFilterBar(self)
        self.filter_bar.changed.connect(self._on_filters_changed)
        self.main_layout.insertWidget(1, self.filter_bar)

    def open_record(self, record_id: int | None) -> None:
        """The editor needs the venues and communities even for a new event."""
        if self.db is None:
            return
        run_in_background(
            self.details, self.db, record_id, on_success=self._show_editor, label=_("Opening…")
        )

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if ids and self.db is not None:
            from ui import commands

            self.push(commands.DeleteEvents(self.db, ids))

    def fill_row_menu(self, menu: QMenu, ids: list[int]) -> None:
        super().fill_row_menu(menu, ids)
        if ids:
            menu.addAction(self.delete_action)
        if len(ids) == 1:
            action = menu.addAction(_("Check in at the &door…"))
            action.triggered.connect(lambda _checked=False: self.open_checkin(ids[0]))

    def open_checkin(self, event_id: int) -> None:
        """The keyboard-only check-in screen (a series: today's or the next occurrence)."""
        from ui.checkin import open_checkin

        assert self.db is not None
        self.checkin = open_checkin(event_id, db=self.db, parent=self.window())

    def make_editor(self, details: Any) -> QDialog:
        from ui.event_editor import EventEditor

        assert self.db is not None
        return EventEditor(self.db, details, self.push, self.window())

    def set_database(self, db: Database | None) -> None:
        super().set_database(db)
        self.filter_bar.set_choices((), ())

    def refresh(self) -> None:
        super().refresh()
        self.load_choices()

    def load_choices(self) -> None:
        if self.db is None:
            return
        run_in_background(_filter_choices, self.db, on_success=self._apply_choices)

    def _apply_choices(self, choices: tuple[Any, tuple[str, ...]]) -> None:
        self.filter_bar.set_choices(*choices)
        # A filter on a community that no longer exists has just been dropped.
        if self.filter_bar.values() != self.filters:
            self._on_filters_changed()

    def _on_filters_changed(self) -> None:
        self.set_filter_values(self.filter_bar.values())

    def set_filters(self, **values: Any) -> None:
        """Choose filters as the bar would (tests)."""
        bar = self.filter_bar
        combos = {"community": bar.community, "status": bar.status, "kind": bar.kind}
        dates = {"from": bar.date_from, "to": bar.date_to}
        for name, value in values.items():
            if name in dates:
                day = value or _NO_DATE
                dates[name].setDate(
                    day if isinstance(day, QDate) else QDate(day.year, day.month, day.day)
                )
            else:
                combo = combos[name]
                combo.setCurrentIndex(max(0, combo.findData(value)))

    def on_changes(self, changes: Changes) -> None:
        if changes.touches("communities") and self._loaded:
            self.load_choices()
        super().on_changes(changes)

    def status_text(self) -> str:
        return events_status_text(self.row_count())


def _filter_choices(db: Database) -> tuple[Any, tuple[str, ...]]:
    return vocabulary_service.communities(db), event_records.event_kinds(db)
