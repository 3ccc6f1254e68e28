"""Close the event: complete the attendance (who came), see what closing will do, close it
(one undoable step), then write the debrief."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cmplanner.i18n import _, ngettext
from cmplanner.services import closing
from cmplanner.services.closing import CloseResult, ClosingPlan, ExpectedGuest
from cmplanner.storage import Database
from ui.events.commands import CloseEvent, SetDebrief
from ui.kit import accessible
from ui.kit.display import format_date, format_datetime
from ui.kit.forms import save_cancel
from ui.kit.jobs import run_in_background
from ui.kit.models import AnyIndex
from ui.kit.sizing import resize_within_screen
from ui.kit.unsaved import UnsavedChangesGuard

CLOSE_SHORTCUT = "Ctrl+Shift+D"  # "done"


class AttendanceModel(QAbstractListModel):
    """The expected guests, each with a "came" check box."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.guests: list[ExpectedGuest] = []
        self.came: set[int] = set()
        self.on_toggled: Callable[[], None] | None = None

    def set_guests(self, guests: Sequence[ExpectedGuest]) -> None:
        self.beginResetModel()
        self.guests = list(guests)
        self.came = {g.invitation_id for g in guests if g.attended}
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.guests)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.guests):
            return None
        guest = self.guests[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if guest.rsvp == "tentative":
                return _("{name} (maybe)").format(name=guest.name)
            if guest.rsvp not in ("accepted", "tentative"):
                return _("{name} (came without a yes)").format(name=guest.name)
            return guest.name
        if role == Qt.ItemDataRole.CheckStateRole:
            checked = guest.invitation_id in self.came
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole and guest.attended:
            return _("Checked in at the door")
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
        self.set_came([self.guests[index.row()].invitation_id], checked)
        return True

    def set_came(self, invitation_ids: Sequence[int], came: bool) -> None:
        for invitation_id in invitation_ids:
            if came:
                self.came.add(invitation_id)
            else:
                self.came.discard(invitation_id)
        if self.guests:
            self.dataChanged.emit(
                self.index(0), self.index(len(self.guests) - 1), [Qt.ItemDataRole.CheckStateRole]
            )
        if self.on_toggled is not None:
            self.on_toggled()


class CloseEventDialog(UnsavedChangesGuard, QDialog):
    """Who came, what closing will do; "Close the event" pushes one undoable command, then
    the debrief opens."""

    def __init__(
        self,
        db: Database,
        push: Callable[[Any], None],
        event_id: int,
        occurrence: dt.datetime | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("closeEvent")
        self.setWindowTitle(_("Close the event"))
        self.db, self._push, self.event_id = db, push, event_id
        self.plan: ClosingPlan | None = None
        self.command: CloseEvent | None = None
        self.debrief_dialog: DebriefDialog | None = None

        occurrence_row = self._build_heading()
        attendance_title, list_buttons = self._build_attendance()
        self._build_summary()
        self._build_buttons()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.addWidget(self.heading)
        layout.addLayout(occurrence_row)
        layout.addWidget(self.note)
        layout.addSpacing(4)
        layout.addWidget(attendance_title)
        layout.addWidget(self.list, 1)
        layout.addLayout(list_buttons)
        layout.addSpacing(4)
        layout.addWidget(self.summary_title)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        resize_within_screen(self, 520, 640)
        self.load(occurrence)

    # -- building --------------------------------------------------------------------------

    def _build_heading(self) -> QHBoxLayout:
        """The event, the occurrence of a series to close, and what stands in the way."""
        self.heading = QLabel(self)
        self.heading.setObjectName("editorTitle")
        self.heading.setWordWrap(True)
        self.occurrence_box = QComboBox(self)
        self.occurrence_box.setObjectName("closeOccurrence")
        self.occurrence_box.currentIndexChanged.connect(self._occurrence_chosen)
        self.occurrence_label = QLabel(_("&Occurrence:"), self)
        self.occurrence_label.setBuddy(self.occurrence_box)
        occurrence_row = QHBoxLayout()
        occurrence_row.addWidget(self.occurrence_label)
        occurrence_row.addWidget(self.occurrence_box, 1)
        self.note = QLabel(self)
        self.note.setObjectName("fieldError")
        self.note.setWordWrap(True)
        return occurrence_row

    def _build_attendance(self) -> tuple[QLabel, QHBoxLayout]:
        """Who came: a list to tick, with "everyone" and "nobody" under it."""
        attendance_title = QLabel(_("Who came?"), self)
        attendance_title.setObjectName("sectionTitle")
        self.attendance = AttendanceModel(self)
        self.attendance.on_toggled = self._update_summary
        self.list = QListView(self)
        self.list.setObjectName("attendance")
        accessible.name_after(
            self.list, attendance_title, _("Tick the guests who came; the others are no-shows")
        )
        self.list.setModel(self.attendance)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setAlternatingRowColors(True)
        self.list.setUniformItemSizes(True)
        self.all_button = QPushButton(_("&Everyone came"), self)
        self.all_button.clicked.connect(lambda: self._set_all(True))
        self.none_button = QPushButton(_("&Nobody came"), self)
        self.none_button.clicked.connect(lambda: self._set_all(False))
        self.count = QLabel(self)
        self.count.setObjectName("hint")
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.count, 1)
        list_buttons.addWidget(self.all_button)
        list_buttons.addWidget(self.none_button)
        return attendance_title, list_buttons

    def _build_summary(self) -> None:
        self.summary_title = QLabel(_("What closing does"), self)
        self.summary_title.setObjectName("sectionTitle")
        self.summary = QLabel(self)
        self.summary.setObjectName("closeSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)

    def _build_buttons(self) -> None:
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.close_button.setText(_("Close the event"))
        self.close_button.setObjectName("confirmClose")
        self.close_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    # -- reading ---------------------------------------------------------------------------

    def load(self, occurrence: dt.datetime | None = None) -> None:
        self.close_button.setEnabled(False)
        run_in_background(
            closing.closing_plan,
            self.db,
            self.event_id,
            occurrence,
            on_success=self._show_plan,
            on_failure=self._failed,
            label=_("Opening…"),
        )

    def _failed(self, exc: BaseException) -> None:
        self.plan = None
        self.heading.setText(_("This event cannot be closed"))
        self.note.setText(str(exc))
        self.occurrence_box.hide()
        self.occurrence_label.hide()
        self.close_button.setEnabled(False)

    def _show_plan(self, plan: ClosingPlan) -> None:
        self.plan = plan
        self.heading.setText(_("Close “{title}”").format(title=plan.title))
        self.occurrence_box.blockSignals(True)
        self.occurrence_box.clear()
        for original, start in plan.occurrences:
            self.occurrence_box.addItem(format_datetime(start.replace(tzinfo=None)), original)
        if plan.occurrence is not None and self.occurrence_box.findData(plan.occurrence) < 0:
            # A past date older than the ones offered (the calendar's menu on an old date):
            # offered too, so the box shows what is being closed. Future dates never are.
            self.occurrence_box.addItem(format_datetime(plan.occurrence), plan.occurrence)
        self.occurrence_box.setCurrentIndex(max(0, self.occurrence_box.findData(plan.occurrence)))
        self.occurrence_box.blockSignals(False)
        self.occurrence_box.setVisible(plan.series)
        self.occurrence_label.setVisible(plan.series)
        if plan.refusal:
            self.note.setText(plan.refusal)
        elif plan.done:
            self.note.setText(
                _("Already closed: closing again records what changed and adds what is missing.")
            )
        else:
            self.note.setText(plan.note)
        self.note.setVisible(bool(self.note.text()))
        self.attendance.set_guests(plan.guests)
        self.list.setEnabled(not plan.refusal)
        self.close_button.setEnabled(not plan.refusal)
        self.close_button.setText(self.close_text(plan))
        self._update_summary()
        self.mark_clean()  # the attendance as recorded so far

    @staticmethod
    def close_text(plan: ClosingPlan) -> str:
        """The button says what it will do."""
        if plan.done:
            return _("Record the Changes")
        if plan.series and plan.occurrence is not None:
            return _("Close the Date of {date}").format(date=format_date(plan.occurrence.date()))
        return _("Close the Event")

    def _occurrence_chosen(self, _index: int) -> None:
        chosen = self.occurrence_box.currentData()
        if chosen is not None and self.plan is not None and chosen != self.plan.occurrence:
            self.load(chosen)

    # -- attendance ------------------------------------------------------------------------

    def edit_state(self) -> set[int]:
        return self.came()

    def came(self) -> set[int]:
        return set(self.attendance.came)

    def set_came(self, names: Sequence[str], came: bool = True) -> None:
        """Tick or untick guests by name (tests, and a keyboard user's Space)."""
        ids = [g.invitation_id for g in self.attendance.guests if g.name in names]
        self.attendance.set_came(ids, came)

    def _set_all(self, came: bool) -> None:
        self.attendance.set_came([g.invitation_id for g in self.attendance.guests], came)

    def _update_summary(self) -> None:
        plan = self.plan
        if plan is None:
            return
        came = self.came()
        total = len(plan.guests)
        editable = not plan.refusal and total > 0
        self.all_button.setEnabled(editable and len(came) < total)
        self.none_button.setEnabled(editable and bool(came))
        self.summary_title.setVisible(not plan.refusal)
        if plan.refusal:
            self.summary.setText("")
            self.count.setText("")
            return
        self.count.setText(
            ngettext("{came} of {n} guest came", "{came} of {n} guests came", total).format(
                came=len(came), n=total
            )
        )
        no_shows = plan.no_shows(came)
        lines = [
            _("The status becomes <b>done</b>.")
            if not plan.series
            else _("This occurrence is marked <b>done</b>."),
            ngettext(
                "{n} guest who said yes or maybe is recorded as a no-show.",
                "{n} guests who said yes or maybe are recorded as no-shows.",
                no_shows,
            ).format(n=no_shows),
        ]
        if plan.follow_up:
            tasks = ", ".join(html.escape(t) for t in plan.follow_up)
            lines.append(
                ngettext(
                    "{n} follow-up task is added: {tasks}.",
                    "{n} follow-up tasks are added: {tasks}.",
                    len(plan.follow_up),
                ).format(n=len(plan.follow_up), tasks=tasks)
            )
        else:
            lines.append(_("The follow-up tasks are already on the checklist."))
        lines.append(_("Then you can write the debrief."))
        self.summary.setText("<ul style='margin-left:-20px'>" + "".join(
            f"<li>{line}</li>" for line in lines
        ) + "</ul>")  # fmt: skip

    # -- closing ---------------------------------------------------------------------------

    def accept(self) -> None:
        plan = self.plan
        if plan is None or plan.refusal:
            return
        command = CloseEvent(self.db, plan.event_id, plan.title, self.came(), plan.occurrence)
        command.on_done = self._closed
        self.command = command
        self._push(command)
        super().accept()

    def _closed(self, command: Any) -> None:
        assert self.plan is not None
        result: CloseResult | None = command.result
        self.debrief_dialog = DebriefDialog(
            self.db,
            self._push,
            self.plan,
            result,
            self.parentWidget(),
        )
        self.debrief_dialog.open()


class DebriefDialog(UnsavedChangesGuard, QDialog):
    """The debrief note: what worked, outcomes, numbers (prefilled); Save is undoable."""

    def __init__(
        self,
        db: Database,
        push: Callable[[Any], None],
        plan: ClosingPlan,
        result: CloseResult | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("debrief")
        self.setWindowTitle(_("Debrief"))
        self.db, self._push, self.plan = db, push, plan
        heading = QLabel(_("Debrief of “{title}”").format(title=plan.title), self)
        heading.setObjectName("editorTitle")
        heading.setWordWrap(True)
        hint = QLabel(_("What worked, what came out of it, the numbers."), self)
        hint.setObjectName("hint")
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("debriefText")
        accessible.name(self.text, _("Debrief"), hint.text())
        self.text.setPlainText(plan.debrief or closing.debrief_template(plan, result))
        buttons, _save = save_cancel(self, self.accept, self.reject, cancel_text=_("Later"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(520, 440)
        self.text.setFocus()

    def accept(self) -> None:
        new = self.text.toPlainText().strip()
        if new != self.plan.debrief.strip():
            self._push(
                SetDebrief(self.db, self.plan.event_id, self.plan.title, self.plan.debrief, new)
            )
        super().accept()


def open_close_event(
    db: Database,
    push: Callable[[Any], None],
    event_id: int,
    occurrence: dt.datetime | None = None,
    parent: QWidget | None = None,
) -> CloseEventDialog:
    dialog = CloseEventDialog(db, push, event_id, occurrence, parent)
    dialog.open()
    return dialog
