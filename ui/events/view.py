"""Events: every event and series, newest first; filters by community, status, kind and
dates; a new event or the selected one opens in the event editor. A banner lists the coming
occurrences still to confirm; contacts dropped on an event are invited; an event is closed
from its row."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QMimeData, Qt, QTime, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

from cmplanner.bus import Changes
from cmplanner.documents import badges, brief, signin
from cmplanner.i18n import _, ngettext, pgettext
from cmplanner.model.enums import EventStatus, kind_label
from cmplanner.services import event_records
from cmplanner.services import events as event_service
from cmplanner.services import vocabulary as vocabulary_service
from cmplanner.services.event_dates import OccurrenceRead
from cmplanner.storage import Database
from ui.checklists.templates import open_task_templates
from ui.contacts.view import _combo, _refill
from ui.documents.preview import open_pdf_preview
from ui.events import commands
from ui.events.checkin import open_checkin
from ui.events.closing import open_close_event
from ui.events.editor import EventEditor
from ui.events.guest_commands import AddGuests
from ui.events.invitations import open_invitations
from ui.exchange.calendars import export_calendar, file_stem
from ui.kit.date_fields import date_edit
from ui.kit.display import format_datetime, format_int
from ui.kit.editable_view import EditableListingView
from ui.kit.flow_layout import FlowLayout, side_by_side
from ui.kit.jobs import run_in_background
from ui.kit.listing_view import EVENT_WIDTHS
from ui.kit.models import CONTACT_IDS_MIME, AnyIndex, ListingModel, ValueRole, decode_ids

_NO_DATE = QDate(2000, 1, 1)  # the date edits' "any" (shown as their special value text)
CLOSE_SHORTCUT = "Ctrl+Shift+D"  # "done"
INVITATIONS_SHORTCUT = "Ctrl+I"
BANNER_MAX = 4  # occurrences named in the banner; the rest are counted


def events_status_text(n: int) -> str:
    return ngettext("{n} event", "{n} events", n).format(n=format_int(n))


def _date_edit(parent: QWidget, name: str) -> QDateEdit:
    edit = date_edit(parent, name=name)
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
        self.community = _combo(
            self,
            "communityFilter",
            _("Any community"),
            _("Community"),
            _("Show only the events of this community"),
        )
        self.status = _combo(
            self,
            "statusFilter",
            _("Any status"),
            _("Status"),
            _("Show only the events with this status"),
        )
        for status in EventStatus:
            self.status.addItem(status.label, status.value)
        self.kind = _combo(
            self, "kindFilter", _("Any kind"), _("Kind"), _("Show only the events of this kind")
        )
        self.date_from = _date_edit(self, "fromFilter")
        self.date_from.setAccessibleName(_("From"))
        self.date_from.setAccessibleDescription(_("Show only the events on or after this day"))
        self.date_to = _date_edit(self, "toFilter")
        # The end of a range of days, "au" in French ("To" alone is a promise's "Auprès de").
        self.date_to.setAccessibleName(pgettext("date range", "To"))
        self.date_to.setAccessibleDescription(_("Show only the events on or before this day"))
        self.clear = QPushButton(_("Clear"), self)
        self.clear.setObjectName("clearFilters")
        self.clear.setToolTip(_("Show every event again"))
        self.clear.setEnabled(False)

        # Wraps onto a second line in a narrow window (a laptop's screen).
        layout = FlowLayout(self)
        for combo in (self.community, self.status, self.kind):
            layout.addWidget(combo)
        dates = (QLabel(_("From"), self), self.date_from, QLabel(_("to"), self), self.date_to)
        layout.addWidget(side_by_side(self, *dates))
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


class EventListingModel(ListingModel):
    """The events listing; contacts dragged from the contact list can be dropped on a row
    (`dropped` says which event and who)."""

    dropped = Signal(int, list)  # (event id, contact ids)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsDropEnabled if index.isValid() else flags

    def mimeTypes(self) -> list[str]:
        return [CONTACT_IDS_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        return parent.isValid() and bool(decode_ids(data))

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        self.dropped.emit(self.id_at(parent.row()), decode_ids(data))
        return True


class UnconfirmedBanner(QFrame):
    """Coming occurrences still an idea or only planned within the setting's N days; a click
    on one opens its event. Hidden when there is none."""

    openEvent = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unconfirmedBanner")
        # Its colours: the app's style sheet (#unconfirmedBanner), in the scheme shown.
        self.label = QLabel(self)
        self.label.setObjectName("unconfirmedText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.label.linkActivated.connect(self._link)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        icon = QLabel("⚠", self)
        layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        self.occurrences: list[OccurrenceRead] = []
        self.hide()

    def set_occurrences(self, occurrences: list[OccurrenceRead], days: int) -> None:
        self.occurrences = list(occurrences)
        if not occurrences:
            self.hide()
            return
        n = len(occurrences)
        head = ngettext(
            "{n} event in the next {days} days is not confirmed yet:",
            "{n} events in the next {days} days are not confirmed yet:",
            n,
        ).format(n=n, days=days)
        items = []
        for o in occurrences[:BANNER_MAX]:
            when = format_datetime(o.start.replace(tzinfo=None))
            status = EventStatus(o.status).label if o.status in set(EventStatus) else o.status
            items.append(
                f'<a href="event:{o.event_id}">{html.escape(o.title)}</a> ({when}, {status})'
            )
        text = html.escape(head) + " " + " · ".join(items)
        if n > BANNER_MAX:
            text += " · " + html.escape(_("and {n} more").format(n=n - BANNER_MAX))
        self.label.setText(text)
        self.show()

    def _link(self, link: str) -> None:
        if link.startswith("event:"):
            self.openEvent.emit(int(link.split(":", 1)[1]))


class EventsView(EditableListingView):
    details = staticmethod(event_records.editor_input)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "events",
            kind="events",
            placeholder=_("Search events by title, description or community…"),
            title=_("Events"),
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
        self.banner = UnconfirmedBanner(self)
        self.banner.openEvent.connect(self.open_record)
        self.main_layout.insertWidget(0, self.banner)

        self.close_action = QAction(_("&Close the event…"), self)
        self.close_action.setObjectName("closeEventAction")
        self.close_action.setShortcut(QKeySequence(CLOSE_SHORTCUT))
        self.close_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.close_action.triggered.connect(lambda _checked=False: self.close_selected())
        self.addAction(self.close_action)
        self.checkin_action = QAction(_("Chec&k in at the door…"), self)
        self.checkin_action.setObjectName("checkinAction")
        self.checkin_action.triggered.connect(lambda _checked=False: self.checkin_selected())
        self.invitations_action = QAction(_("&Invitations…"), self)
        self.invitations_action.setObjectName("invitationsAction")
        self.invitations_action.setShortcut(QKeySequence(INVITATIONS_SHORTCUT))
        self.invitations_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.invitations_action.triggered.connect(lambda _checked=False: self.open_invitations())
        self.addAction(self.invitations_action)
        self.export_action = QAction(_("&Add to my calendar (.ics)…"), self)
        self.export_action.setObjectName("exportEventsAction")
        self.export_action.triggered.connect(lambda _checked=False: self.export_selected())
        self.templates_action = QAction(_("Checklist &templates…"), self)
        self.templates_action.triggered.connect(lambda _checked=False: self.open_templates())
        self.more_button = QToolButton(self)
        self.more_button.setObjectName("eventsMore")
        self.more_button.setText(_("More"))
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more = QMenu(self.more_button)
        more.addAction(self.checkin_action)
        more.addAction(self.close_action)
        more.addAction(self.templates_action)
        self.more_button.setMenu(more)
        self.top_bar.addWidget(self.more_button)

        # Contacts dragged from the contact list are invited to the event they are dropped on.
        self.table.setAcceptDrops(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.table.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.table.setDropIndicatorShown(True)
        self.model.dropped.connect(self.invite)

    model: EventListingModel

    def make_model(self, mime_type: str | None) -> EventListingModel:
        return EventListingModel(self.listing, parent=self)

    def open_record(self, record_id: int | None) -> None:
        """The editor needs the venues and communities even for a new event."""
        if self.db is None:
            return
        run_in_background(
            self.details, self.db, record_id, on_success=self._show_editor, label=_("Opening…")
        )

    def new_event_at(self, start: dt.datetime, end: dt.datetime) -> None:
        """The editor on a new event at those local times (from the calendar)."""
        if self.db is None:
            return
        run_in_background(
            self.details,
            self.db,
            None,
            on_success=lambda details: self._show_new_at(details, start, end),
            label=_("Opening…"),
        )

    def _show_new_at(self, details: Any, start: dt.datetime, end: dt.datetime) -> None:
        self._show_editor(details)
        editor = self.editor
        if isinstance(editor, EventEditor):
            for field, when in ((editor.start, start), (editor.end, end)):
                field.setDateTime(
                    QDateTime(QDate(when.year, when.month, when.day), QTime(when.hour, when.minute))
                )
            # The place picked in the calendar is where the form starts: closing it untouched
            # asks nothing.
            editor.mark_clean()

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if ids and self.db is not None:
            self.push(commands.DeleteEvents(self.db, ids))

    def fill_row_menu(self, menu: QMenu, ids: list[int]) -> None:
        super().fill_row_menu(menu, ids)
        if ids:
            menu.addAction(self.delete_action)
        if len(ids) == 1:
            menu.addAction(self.checkin_action)
            menu.addAction(self.close_action)
            menu.addAction(self.invitations_action)
            menu.addSeparator()
            for text, name, document in (
                (_("Event &brief…"), "briefAction", "brief"),
                (_("&Sign-in sheet…"), "signinAction", "signin"),
                (_("Bad&ges…"), "badgesAction", "badges"),
            ):
                action = menu.addAction(text)
                action.setObjectName(name)
                action.triggered.connect(
                    lambda _checked=False, d=document: self.preview_document(ids[0], d)
                )
            menu.addSeparator()
        if ids:
            menu.addAction(self.export_action)
        menu.addSeparator()
        menu.addAction(self.templates_action)

    def open_invitations(self, event_id: int | None = None) -> None:
        """The Invitations dialog of the selected event (Ctrl+I)."""
        ids = [event_id] if event_id is not None else self.selected_ids()
        if len(ids) == 1 and self.db is not None:
            self.invitations_dialog = open_invitations(self.db, ids[0], self.push, self.window())

    def event_title(self, event_id: int) -> str:
        row = self.model.ids().index(event_id)
        column = self.model.listing.column_keys().index("title")
        return str(self.model.index(row, column).data() or "")

    def event_day(self, event_id: int) -> dt.date | None:
        """The day of a single event as the list shows it; None for a series (which date is
        printed is decided with the document)."""
        keys = self.model.listing.column_keys()
        row = self.model.ids().index(event_id)
        if self.model.index(row, keys.index("recurring")).data(ValueRole):
            return None
        start = self.model.index(row, keys.index("start")).data(ValueRole)
        if isinstance(start, str):
            try:
                start = dt.datetime.fromisoformat(start)
            except ValueError:
                return None
        return start.date() if isinstance(start, dt.datetime) else None

    def can_preview(self) -> bool:
        return len(self.selected_ids()) == 1

    def preview_selected(self) -> None:
        if self.can_preview():
            self.preview_document(self.selected_ids()[0], "brief")

    def preview_document(self, event_id: int, document: str) -> Any:
        """The preview of a printable document of the event: "brief", "signin" or
        "badges" (with a choice of layout)."""
        if self.db is None:
            return None
        db = self.db
        title = self.event_title(event_id)
        choices: list[tuple[str, Any]] = []
        choice_label = ""
        if document == "brief":
            heading, stem = _("Event brief"), _("brief")

            def job(choice: Any) -> bytes:
                return brief.render(db, event_id)
        elif document == "signin":
            heading, stem = _("Sign-in sheet"), _("sign-in")

            def job(choice: Any) -> bytes:
                return signin.render(db, event_id)
        else:
            heading, stem = _("Badges"), _("badges")
            choice_label = _("&Layout:")
            for name, layout in badges.LAYOUTS.items():
                label = _("{n} per page, {width} × {height} mm").format(
                    n=layout.per_page,
                    width=round(layout.width / 72 * 25.4),
                    height=round(layout.height / 72 * 25.4),
                )
                choices.append((label, name))

            def job(choice: Any) -> bytes:
                return badges.render(db, event_id, layout=choice)

        self.preview = open_pdf_preview(
            self.window(),
            _("{document} — {title}").format(document=heading, title=title),
            "{stem}-{name}".format(stem=stem, name=file_stem(title, _("event"))),
            job,
            choices,
            choice_label,
            date=self.event_day(event_id),
        )
        return self.preview

    def export_selected(self, path: Any = None) -> None:
        """Write the selected events to an .ics file ("add to my calendar")."""
        ids = self.selected_ids()
        if not ids or self.db is None:
            return
        stem = _("events")
        if len(ids) == 1:
            row = self.model.ids().index(ids[0])
            column = self.model.listing.column_keys().index("title")
            title = self.model.index(row, column).data()
            stem = file_stem(str(title or ""), _("event"))
        export_calendar(self, self.db, stem=stem, event_ids=ids, path=path)

    def checkin_selected(self) -> None:
        """The door of the selected event."""
        ids = self.selected_ids()
        if len(ids) == 1:
            self.open_checkin(ids[0])

    def close_selected(self) -> None:
        """Close the selected event (a series: one of its past occurrences)."""
        ids = self.selected_ids()
        if len(ids) == 1:
            self.close_event(ids[0])

    def close_event(self, event_id: int) -> None:
        assert self.db is not None
        self.close_dialog = open_close_event(self.db, self.push, event_id, parent=self.window())

    def open_templates(self, kind: str | None = None) -> None:
        if self.db is not None:
            self.templates_dialog = open_task_templates(self.db, self.push, kind, self.window())

    def invite(self, event_id: int, contact_ids: list[int]) -> None:
        """Contacts dropped on an event's row become its guests (undoable)."""
        if self.db is None or not contact_ids:
            return

        command = AddGuests(self.db, event_id, contact_ids)
        command.on_done = self._invited
        self.push(command)

    def _invited(self, command: Any) -> None:
        self.last_message = command.report()
        show = getattr(self.window(), "show_message", None)
        if callable(show):
            show(self.last_message)

    # -- occurrences to confirm ----------------------------------------------------------

    def load_unconfirmed(self) -> None:
        if self.db is not None:
            run_in_background(_unconfirmed, self.db, on_success=self._show_unconfirmed)

    def _show_unconfirmed(self, found: tuple[list[OccurrenceRead], int]) -> None:
        self.banner.set_occurrences(*found)

    def open_checkin(self, event_id: int) -> None:
        """The keyboard-only check-in screen (a series: today's or the next occurrence)."""
        assert self.db is not None
        self.checkin = open_checkin(event_id, db=self.db, parent=self.window())

    def make_editor(self, details: Any) -> QDialog:
        assert self.db is not None
        return EventEditor(self.db, details, self.push, self.window())

    def set_database(self, db: Database | None) -> None:
        super().set_database(db)
        self.filter_bar.set_choices((), ())

    def refresh(self) -> None:
        super().refresh()
        self.load_choices()
        self.load_unconfirmed()

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
        if self._loaded and not changes.touches("events") and changes.touches("settings"):
            self.load_unconfirmed()
        super().on_changes(changes)

    def status_text(self) -> str:
        return events_status_text(self.row_count())


def _unconfirmed(db: Database) -> tuple[list[OccurrenceRead], int]:
    return event_service.unconfirmed_soon(db), event_service.confirm_days_ahead(db)


def _filter_choices(db: Database) -> tuple[Any, tuple[str, ...]]:
    return vocabulary_service.communities(db), event_records.event_kinds(db)
