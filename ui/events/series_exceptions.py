"""A series' exceptions in the event editor: its skipped dates and moved occurrences, each of
which can be restored at once (undoable), like a change to the guest list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cmplanner.bus import Changes
from cmplanner.i18n import _
from cmplanner.services import occurrences as occurrence_service
from cmplanner.services.occurrences import SeriesException
from cmplanner.storage import Database
from ui.events.guests import _undo_stack_of
from ui.events.occurrence_commands import RestoreOccurrence
from ui.kit import accessible
from ui.kit.changes import bridge
from ui.kit.display import app_locale, day_month, format_time
from ui.kit.jobs import run_in_background
from ui.kit.models import RecordListModel
from ui.kit.unsaved import saved_at_once

VISIBLE_ROWS = 4  # the list grows up to this many rows, then scrolls


def _day_text(when: dt.datetime, pattern: str) -> str:
    qdt = QDateTime(QDate(when.year, when.month, when.day), QTime(when.hour, when.minute))
    return app_locale().toString(qdt, pattern)


def exception_text(exception: SeriesException, all_day: bool = False) -> str:
    """ "Thu 15 Oct 2026 — skipped", "Thu 3 Dec → Fri 4 Dec 19:00"."""
    if exception.cancelled or exception.start_local is None:
        day = _day_text(exception.recurrence_id, "ddd d MMM yyyy")
        return _("{date} — skipped").format(date=day)
    moved_to = _day_text(exception.start_local, "ddd d MMM")
    if not all_day:  # the time as the locale's clock says it: "19:00", "7:00 PM"
        moved_to += " " + format_time(exception.start_local.hour, exception.start_local.minute)
    return "{usual} → {moved}".format(
        usual=_day_text(exception.recurrence_id, "ddd d MMM"), moved=moved_to
    )


class ExceptionsModel(RecordListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            lambda r: exception_text(r, self.all_day), lambda r: r.notes or None, parent=parent
        )
        self.all_day = False


class SeriesExceptionsPanel(QWidget):
    """The skipped and moved dates of a saved series; Restore (or Delete) puts the selected
    one back where the series puts it, at once, as an undoable command."""

    loaded = Signal(int)  # how many exceptions are listed, after each load

    def __init__(
        self,
        db: Database,
        event_id: int,
        title: str,
        push: Callable[[QUndoCommand], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("seriesExceptions")
        saved_at_once(self)  # a restored date is written at once
        self.db, self.event_id, self.title, self._push = db, event_id, title, push

        self.model = ExceptionsModel(self)
        self.list = QListView(self)
        self.list.setObjectName("exceptionList")
        accessible.name(self.list, _("Exceptions"), _("Dates of the series moved or cancelled"))
        self.list.setModel(self.model)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setUniformItemSizes(True)
        self.list.setSpacing(1)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.restore_button = QPushButton(_("&Restore"), self)
        self.restore_button.setObjectName("restoreException")
        self.restore_button.setToolTip(
            _("Put the selected date back as the series has it (Delete)")
        )
        self.restore_button.clicked.connect(self.restore_selected)
        self.hint = QLabel(
            _("Restoring a date is saved at once (Ctrl+Z undoes it), not when you click Save."),
            self,
        )
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)

        restore = QAction(self.list)
        restore.setShortcuts([QKeySequence(QKeySequence.StandardKey.Delete)])
        restore.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        restore.triggered.connect(self.restore_selected)
        self.list.addAction(restore)
        stack = _undo_stack_of(push)
        if stack is not None:
            for keys, slot in (
                (QKeySequence.StandardKey.Undo, stack.undo),
                (QKeySequence.StandardKey.Redo, stack.redo),
            ):
                action = QAction(self)
                action.setShortcuts(keys)
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                action.triggered.connect(slot)
                self.addAction(action)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.list, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.hint)

        self.list.selectionModel().selectionChanged.connect(self._update_button)
        self.model.modelReset.connect(self._update_button)
        self._update_button()
        bridge().changed.connect(self.on_changes)

    # -- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Load the list (the owner calls it once, after connecting `loaded`)."""
        run_in_background(
            occurrence_service.list_exceptions,
            self.db,
            self.event_id,
            on_success=self._show,
            on_failure=lambda _error: self._show([]),  # the event was deleted meanwhile
            label="",
        )

    def _show(self, records: list[SeriesException]) -> None:
        current = self.list.currentIndex().row()
        focused = self.list.hasFocus()
        self.model.set_records(records)
        line = max(self.list.sizeHintForRow(0), self.fontMetrics().height()) + 2
        rows = max(1, min(VISIBLE_ROWS, len(records)))
        self.list.setFixedHeight(rows * line + 2 * self.list.frameWidth() + 4)
        if records and focused and current >= 0:
            # Restoring with the keyboard: the next date is ready for the next Delete.
            self.list.setCurrentIndex(self.model.index(min(current, len(records) - 1)))
        self.loaded.emit(len(records))

    def on_changes(self, changes: Changes) -> None:
        if changes.everything or self.event_id in changes.events:
            self.refresh()

    def set_all_day(self, all_day: bool) -> None:
        self.model.all_day = all_day

    # -- restoring -------------------------------------------------------------------------

    def selected(self) -> SeriesException | None:
        rows = self.list.selectionModel().selectedRows()
        return self.model.records[rows[0].row()] if rows else None

    def restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return

        date = day_month(chosen.recurrence_id.date())
        if chosen.cancelled:
            text = _("Restore {title} on {date}").format(title=self.title, date=date)
        else:
            text = _("Put {title} of {date} back at its usual time").format(
                title=self.title, date=date
            )
        command = RestoreOccurrence(self.db, self.event_id, chosen.recurrence_id, text)
        command.on_done = lambda _command: self.refresh()
        self._push(command)

    def _update_button(self, *_args: Any) -> None:
        self.restore_button.setEnabled(self.selected() is not None)
