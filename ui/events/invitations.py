"""The Invitations dialog of one event: who is invited, what was sent to whom (when, which
version), who answered; a preview of the e-mail and the .ics each guest gets; save the
messages as .eml files or send them by SMTP (in the background, a result per guest); remind
those who have not answered; cancel the event or one date and tell every guest.

Everything is read and sent on the database worker (`cmplanner.interop.mail.imip`, `itip`,
`cmplanner.services.sent_log`); this module only shows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmplanner import clock
from cmplanner.errors import CMPlannerError
from cmplanner.i18n import N_, _, ngettext
from cmplanner.interop.mail import imip, itip
from cmplanner.interop.mail.smtp import load_settings
from cmplanner.model.enums import Rsvp
from cmplanner.services import event_records, sent_log
from cmplanner.services import events as event_service
from cmplanner.services import occurrences as occurrence_service
from cmplanner.services.guests import guest_rows
from cmplanner.storage import Database
from ui.events.delivery import Delivery, DeliveryResults, LinesModel, deliver
from ui.events.invitation_preview import InvitationPreview
from ui.kit import accessible, errors, file_dialogs, theme
from ui.kit.date_fields import date_edit
from ui.kit.display import format_datetime
from ui.kit.jobs import run_in_background
from ui.kit.models import AnyIndex
from ui.kit.sizing import remember_splitter, resize_within_screen
from ui.kit.undo import SnapshotCommand
from ui.preferences.dialog import ask_preferences, open_preferences

STATUS_LABELS = {
    "not-sent": N_("not sent"),
    "sent": N_("sent"),
    "needs-update": N_("needs update"),
    "answered": N_("answered"),
    "failed": N_("failed"),
    "cancelled": N_("cancellation sent"),
    "no-email": N_("no e-mail"),
    "waitlisted": N_("waiting list"),
    "organizer": N_("you (organizer)"),
}
# Who "Send" writes to: those who do not have the event's current version.
PENDING = frozenset({"not-sent", "failed", "needs-update"})
# The colour of each status (its words say it too), a theme role.
_STATUS_TONE = {
    "not-sent": "warning_text",
    "needs-update": "warning_text",
    "failed": "danger_text",
    "answered": "ok_text",
    "no-email": "muted_text",
    "waitlisted": "muted_text",
    "organizer": "muted_text",
}


@dataclass(frozen=True)
class GuestLine:
    contact_id: int
    name: str
    email: str
    rsvp: str
    status: str
    last_sent: dt.datetime | None = None
    last_sequence: int | None = None
    last_method: str = ""
    last_error: str = ""
    not_answered: bool = False
    subject: str = ""  # the preview of what they would get now
    body: str = ""
    calendar: str = ""


@dataclass(frozen=True)
class InvitationsState:
    event_id: int
    title: str
    sequence: int
    series: bool
    cancelled: bool
    start: dt.datetime
    problem: str  # why nothing can be sent now (no identity), "" when all is well
    guests: tuple[GuestLine, ...] = ()
    without_email: int = 0
    waitlisted: int = 0

    def ids(self, statuses: Collection[str]) -> list[int]:
        return [g.contact_id for g in self.guests if g.status in statuses]

    def not_answered(self) -> list[int]:
        return [g.contact_id for g in self.guests if g.not_answered and g.email]


def _parts(message: Any) -> tuple[str, str]:
    """(text body, calendar text) of an iMIP message."""
    body = calendar = ""
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "text/plain" and not body:
            body = str(part.get_content())
        elif kind == "text/calendar" and not calendar:
            payload = part.get_payload(decode=True) or b""
            calendar = payload.decode("utf-8", "replace").replace("\r\n", "\n")
    return body, calendar


def _status(row: Any, state: Any, own: str) -> str:
    if row.waitlist_position is not None:
        return "waitlisted"
    if not row.email:
        return "no-email"
    if own and row.email.casefold() == own:
        return "organizer"
    if state is None or state.never_sent:
        return "failed" if state is not None and state.last_error else "not-sent"
    if state.needs_update:
        return "needs-update"
    if state.last_error:
        return "failed"
    if state.last_method == "CANCEL":
        return "cancelled"
    if row.rsvp not in ("needs-action", ""):
        return "answered"
    return "sent"


def load_state(db: Database, event_id: int) -> InvitationsState:
    """Everything the dialog shows (on the worker)."""
    event = itip.load_event(db, event_id)
    problem = ""
    own = ""
    previews: dict[int, tuple[str, str, str]] = {}
    try:
        who = itip.organizer(db)
        own = who.email.casefold()
        mailing = imip.invitations(db, event_id)
        for out in mailing.outgoing:
            body, calendar = _parts(out.message)
            previews[out.recipient.contact_id] = (out.subject, body, calendar)
    except CMPlannerError as exc:
        problem = str(exc)
    states = sent_log.guest_states(db, event_id)
    lines = []
    without_email = waitlisted = 0
    for row in guest_rows(db, event_id):
        if row.contact_id is None:
            continue  # erased: nobody to write to
        state = states.get(row.contact_id)
        status = _status(row, state, own)
        without_email += status == "no-email"
        waitlisted += status == "waitlisted"
        subject, body, calendar = previews.get(row.contact_id, ("", "", ""))
        lines.append(
            GuestLine(
                contact_id=row.contact_id,
                name=row.name,
                email=row.email,
                rsvp=row.rsvp,
                status=status,
                last_sent=state.last_sent_at if state else None,
                last_sequence=state.last_sequence if state else None,
                last_method=state.last_method if state else "",
                last_error=state.last_error if state else "",
                not_answered=bool(state and state.not_answered),
                subject=subject,
                body=body,
                calendar=calendar,
            )
        )
    return InvitationsState(
        event_id=event_id,
        title=event.title,
        sequence=event.sequence,
        series=bool(event.rrule),
        cancelled=event.status == "cancelled",
        start=event.start_local,
        problem=problem,
        guests=tuple(lines),
        without_email=without_email,
        waitlisted=waitlisted,
    )


class GuestsModel(LinesModel):
    COLUMNS = (N_("Guest"), N_("E-mail"), N_("Answer"), N_("Last sent"), N_("Status"))
    lines: list[GuestLine]

    def cell(self, line: GuestLine, column: int) -> str:
        if column == 0:
            return line.name
        if column == 1:
            return line.email or "—"
        if column == 2:
            return Rsvp(line.rsvp).label if line.rsvp in set(Rsvp) else line.rsvp
        if column == 3:
            if line.last_sent is None:
                return "—"
            when = format_datetime(line.last_sent.astimezone().replace(tzinfo=None))
            # SEQUENCE is iCalendar's: a person reads "the first sending" or "update n".
            text = (
                _("{when} (update {n})").format(when=when, n=line.last_sequence)
                if line.last_sequence
                else when
            )
            if line.last_method == "CANCEL":
                text += " " + _("(cancellation)")
            return text
        return _(STATUS_LABELS.get(line.status, line.status))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.lines):
            return None
        line = self.lines[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(line, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 4 and line.last_error:
                return _("Last attempt failed: {reason}").format(reason=line.last_error)
            if index.column() == 3:
                return _(
                    "The version goes up when the date, time, place, recurrence or status "
                    "changes: a guest with an older one needs an update."
                )
            return self.cell(line, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 4:
            tone = _STATUS_TONE.get(line.status)
            return theme.brush(tone) if tone else None
        if role == Qt.ItemDataRole.UserRole:
            return line.status
        return None


class CancelEvent(SnapshotCommand[Any]):
    """Cancel the whole event (status "cancelled", SEQUENCE up) or one date of a series
    (skipped). Undo puts the event or the date back; the cancellations already sent stay sent:
    the guests then need an update, which the Invitations dialog shows."""

    def __init__(self, db: Database, event_id: int, title: str, day: dt.date | None) -> None:
        self.event_id, self.day = event_id, day
        if day is None:

            def restore_event(was: event_records.EventEdit) -> Any:
                if was.data.status == "cancelled":
                    return None  # it already was: nothing to put back
                return event_records.restore_edit(db, was)

            super().__init__(
                db,
                _("Cancel {title}").format(title=title),
                write=lambda: itip.cancel_event(db, event_id),
                snapshot=lambda: event_records.take_edit(db, event_id, extras=False),
                restore=restore_event,
            )
            return

        def snapshot() -> Any:
            original = event_service.find_occurrence(db, event_id, day)
            return occurrence_service.exception_snapshot(db, event_id, original)

        super().__init__(
            db,
            _("Cancel {title} on {date}").format(title=title, date=day.isoformat()),
            write=lambda: itip.cancel_occurrence(db, event_id, day),
            snapshot=snapshot,
            restore=lambda was: occurrence_service.restore_exception(
                db, event_id, self.result.value, was
            ),
        )

    @property
    def occurrence(self) -> dt.datetime | None:
        """The date of the series it cancelled (after it ran); None for a whole event."""
        return self.result.value if self.day is not None and self.result else None


class CancelDialog(QDialog):
    """What to cancel (the event, or one date of a series) and how to tell the guests."""

    def __init__(self, state: InvitationsState, guests: int, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("cancelDialog")
        self.setWindowTitle(_("Cancel “{title}”").format(title=state.title))
        self.whole = QRadioButton(_("The whole event"), self)
        self.whole.setObjectName("cancelWhole")
        self.one_date = QRadioButton(_("One date of the series:"), self)
        self.one_date.setObjectName("cancelOneDate")

        self.day = date_edit(self, max(clock.today(), state.start.date()), "cancelDay")
        accessible.name_after(self.day, self.one_date)
        self.whole.setChecked(True)
        self.one_date.setVisible(state.series)
        self.day.setVisible(state.series)
        self.day.setEnabled(False)
        self.one_date.toggled.connect(self.day.setEnabled)
        which = QButtonGroup(self)
        which.addButton(self.whole)
        which.addButton(self.one_date)
        self.by_mail = QRadioButton(_("Send the cancellation by e-mail"), self)
        self.by_mail.setObjectName("cancelByMail")
        self.to_files = QRadioButton(_("Save the cancellations as .eml files"), self)
        self.to_files.setObjectName("cancelToFiles")
        self.by_mail.setChecked(True)
        how = QButtonGroup(self)
        how.addButton(self.by_mail)
        how.addButton(self.to_files)
        warning = QLabel(
            ngettext(
                "{n} guest will be told. A message that has gone out cannot be recalled; "
                "Undo (Ctrl+Z) only puts the event back here.",
                "{n} guests will be told. Messages that have gone out cannot be recalled; "
                "Undo (Ctrl+Z) only puts the event back here.",
                guests,
            ).format(n=guests),
            self,
        )
        warning.setWordWrap(True)
        warning.setObjectName("hint")
        buttons = QDialogButtonBox(self)
        self.confirm = buttons.addButton(
            _("Cancel and tell the guests"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.confirm.setObjectName("confirmCancel")
        keep = buttons.addButton(_("Keep the event"), QDialogButtonBox.ButtonRole.RejectRole)
        keep.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("What is cancelled:"), self))
        layout.addWidget(self.whole)
        date_row = QHBoxLayout()
        date_row.addWidget(self.one_date)
        date_row.addWidget(self.day)
        date_row.addStretch(1)
        layout.addLayout(date_row)
        layout.addSpacing(6)
        layout.addWidget(self.by_mail)
        layout.addWidget(self.to_files)
        layout.addWidget(warning)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def chosen_day(self) -> dt.date | None:
        if not self.one_date.isChecked():
            return None
        d = self.day.date()
        return dt.date(d.year(), d.month(), d.day())


class InvitationsDialog(QDialog):
    def __init__(
        self,
        db: Database,
        event_id: int,
        push: Callable[[QUndoCommand], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("invitationsDialog")
        self.setWindowTitle(_("Invitations"))
        self.db, self.event_id, self.push = db, event_id, push
        self.state: InvitationsState | None = None
        self.busy = False
        self.last_report: Any = None

        self._build_heading()
        self._build_table()
        self.preview = InvitationPreview(self)
        self.subject, self.body = self.preview.subject, self.preview.body
        self.calendar = self.preview.calendar
        self.results_box = DeliveryResults(self)
        self.results_model, self.results = self.results_box.results_model, self.results_box.results
        self.progress, self.result_text = self.results_box.progress, self.results_box.result_text
        self._build_splitter()
        buttons = self._build_buttons()
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.problem)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(buttons)

        resize_within_screen(self, 900, 680)
        self.refresh()

    # -- building ----------------------------------------------------------------------------

    def _build_heading(self) -> None:
        """The event's title, a summary, and the missing identity (said first, with the way
        to fix it)."""
        self.heading = QLabel(self)
        self.heading.setObjectName("invitationsTitle")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        self.summary = QLabel(self)
        self.summary.setObjectName("invitationsSummary")
        self.summary.setWordWrap(True)
        self.problem = QFrame(self)
        self.problem.setObjectName("invitationsProblem")
        self.problem_text = QLabel(self.problem)
        self.problem_text.setWordWrap(True)
        self.problem_button = QPushButton(_("Open &Preferences…"), self.problem)
        self.problem_button.setObjectName("invitationsPreferences")
        self.problem_button.clicked.connect(lambda _c=False: self.open_preferences("identity"))
        problem_layout = QHBoxLayout(self.problem)
        problem_layout.setContentsMargins(10, 6, 10, 6)
        problem_layout.addWidget(self.problem_text, 1)
        problem_layout.addWidget(self.problem_button)
        self.problem.hide()

    def _build_table(self) -> None:
        self.model = GuestsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("invitationsGuests")
        accessible.name(self.table, _("Guests"), _("Select a guest to preview their invitation"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((170, 210, 130, 190)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._show_preview)

    def _build_splitter(self) -> None:
        """The guests, the preview of the selected one's messages, the results of a sending."""
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.preview)
        self.splitter.addWidget(self.results_box)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        remember_splitter(self.splitter, "invitations/splitter")

    def _build_buttons(self) -> QHBoxLayout:
        self.save_button = QPushButton(_("Save as .&eml files…"), self)
        self.save_button.setObjectName("saveEml")
        self.save_button.setToolTip(
            _("One e-mail file per guest, to send from your own mail program")
        )
        self.send_button = QPushButton(_("&Send"), self)
        self.send_button.setObjectName("sendInvitations")
        self.resend_button = QPushButton(_("&Remind those who have not answered"), self)
        self.resend_button.setObjectName("resendInvitations")
        self.cancel_button = QPushButton(_("Cancel the &event…"), self)
        self.cancel_button.setObjectName("cancelEvent")
        close = QPushButton(_("Close"), self)
        close.setObjectName("closeInvitations")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        self.save_button.clicked.connect(lambda _c=False: self.save_eml())
        self.send_button.clicked.connect(lambda _c=False: self.send())
        self.resend_button.clicked.connect(lambda _c=False: self.resend())
        self.cancel_button.clicked.connect(lambda _c=False: self.cancel_event())
        for button in (self.save_button, self.send_button, self.resend_button, self.cancel_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.resend_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addSpacing(12)
        buttons.addWidget(close)
        return buttons

    # -- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        run_in_background(
            load_state, self.db, self.event_id, on_success=self.show_state, label=_("Loading…")
        )

    def show_state(self, state: InvitationsState) -> None:
        current = self.current_line()
        self.state = state
        self.heading.setText(state.title)
        self.model.set_lines(state.guests)
        parts = [ngettext("{n} guest", "{n} guests", len(state.guests)).format(n=len(state.guests))]
        if state.sequence:
            parts.append(
                ngettext(
                    "changed once since the first invitation",
                    "changed {n} times since the first invitation",
                    state.sequence,
                ).format(n=state.sequence)
            )
        if state.without_email:
            parts.append(
                ngettext(
                    "{n} without an e-mail address",
                    "{n} without an e-mail address",
                    state.without_email,
                ).format(n=state.without_email)
            )
        if state.waitlisted:
            parts.append(
                ngettext(
                    "{n} on the waiting list (not invited yet)",
                    "{n} on the waiting list (not invited yet)",
                    state.waitlisted,
                ).format(n=state.waitlisted)
            )
        if state.cancelled:
            parts.append(_("the event is cancelled"))
        self.summary.setText(" · ".join(parts))
        self.problem_text.setText(state.problem)
        self.problem.setVisible(bool(state.problem))
        self.cancel_button.setText(
            _("Cancel the event / a date…") if state.series else _("Cancel the &event…")
        )
        row = 0
        if current is not None:
            row = next(
                (n for n, g in enumerate(state.guests) if g.contact_id == current.contact_id), 0
            )
        if state.guests:
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.model.index(row, 0))
        self._show_preview()
        self._enable()

    def _enable(self) -> None:
        state = self.state
        able = state is not None and not state.problem and not self.busy
        pending = len(state.ids(PENDING)) if state else 0
        reachable = sum(1 for g in state.guests if g.subject) if state else 0
        waiting = len(state.not_answered()) if state else 0
        self.send_button.setText(
            ngettext("&Send to {n} guest", "&Send to {n} guests", pending).format(n=pending)
            if pending
            else _("&Send again…")
        )
        self.send_button.setToolTip(
            _("To the guests who have not received this version yet")
            if pending
            else _("Everyone has this version")
        )
        self.send_button.setEnabled(able and reachable > 0 and not (state and state.cancelled))
        self.resend_button.setEnabled(able and waiting > 0 and not (state and state.cancelled))
        self.resend_button.setToolTip(
            ngettext(
                "{n} guest has the invitation and has not answered",
                "{n} guests have the invitation and have not answered",
                waiting,
            ).format(n=waiting)
        )
        self.save_button.setEnabled(able and reachable > 0)
        self.cancel_button.setEnabled(
            able and state is not None and (state.series or not state.cancelled)
        )

    def current_line(self) -> GuestLine | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.lines):
            return None
        return self.model.lines[index.row()]

    def _show_preview(self, *_args: Any) -> None:
        line = self.current_line()
        if line is None or not line.subject:
            reason = ""
            if line is not None:
                reason = {
                    "no-email": _("{name} has no e-mail address: nothing can be sent."),
                    "waitlisted": _("{name} is on the waiting list: not invited yet."),
                    "organizer": _("{name} is you, the organizer: nothing is sent to you."),
                }.get(line.status, "").format(name=line.name)
            if not reason and self.state is not None and self.state.problem:
                reason = self.state.problem
            self.preview.show_nothing(reason)
            return
        self.preview.show_message(line.name, line.email, line.subject, line.body, line.calendar)

    # -- sending ---------------------------------------------------------------------------

    def open_preferences(self, page: str) -> None:
        if open_preferences(self, self.db, page):
            self.refresh()

    def _smtp_ready(self) -> bool:
        """SMTP settings present; otherwise say so with the way to Preferences."""
        try:
            load_settings(self.db)
        except CMPlannerError as exc:
            if ask_preferences(self, self.db, "smtp", str(exc)):
                return self._smtp_ready()
            return False
        return True

    def send(self, only: list[int] | None = None) -> None:
        """Send by SMTP to the guests who do not have this version (or `only` those)."""
        # imported on use, not at the top: keeps it off the start-up path
        from PySide6.QtWidgets import QMessageBox

        state = self.state
        if state is None or self.busy:
            return
        if only is None:
            only = state.ids(PENDING)
            if not only:
                everyone = [g.contact_id for g in state.guests if g.subject]
                answer = QMessageBox.question(
                    self,
                    _("Send again"),
                    ngettext(
                        "Everyone already has this version. Send it again to the {n} guest?",
                        "Everyone already has this version. Send it again to all {n} guests?",
                        len(everyone),
                    ).format(n=len(everyone)),
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return
                only = everyone
        if not self._smtp_ready():
            return
        self._start(Delivery("invite", self.event_id, only=only))

    def resend(self) -> None:
        """Send the invitation again to those who have it and have not answered."""
        if self.state is not None:
            waiting = self.state.not_answered()
            if waiting:
                self.send(waiting)

    def save_eml(self, folder: Path | None = None) -> None:
        """One .eml file per guest with an e-mail, in a folder chosen (or `folder`)."""
        if self.state is None or self.busy:
            return
        if folder is None:
            name = file_dialogs.existing_directory(
                self, _("Save invitations in a folder"), str(Path.home())
            )
            if not name:
                return
            folder = Path(name)
        self._start(Delivery("invite", self.event_id, folder=folder))

    def cancel_event(self, chosen: tuple[dt.date | None, bool] | None = None) -> None:
        """Ask what to cancel and how to tell (or take `chosen`: (day or None, by e-mail));
        cancel it (undoable), then send the cancellations."""
        state = self.state
        if state is None or self.busy:
            return
        guests = sum(1 for g in state.guests if g.email and g.status not in ("waitlisted",))
        if chosen is None:
            dialog = CancelDialog(state, guests, self)
            self.cancel_dialog = dialog
            if not dialog.exec():
                return
            chosen = (dialog.chosen_day(), dialog.by_mail.isChecked())
        day, by_mail = chosen
        folder: Path | None = None
        if by_mail:
            if not self._smtp_ready():
                return
        else:
            name = file_dialogs.existing_directory(
                self, _("Save the cancellations in a folder"), str(Path.home())
            )
            if not name:
                return
            folder = Path(name)
        command = CancelEvent(self.db, self.event_id, state.title, day)
        sent = {"done": False}

        def cancelled(cmd: Any) -> None:
            if sent["done"]:  # a redo: the cancellations went out the first time
                self.refresh()
                return
            sent["done"] = True
            self._start(
                Delivery("cancel", self.event_id, folder=folder, occurrence=command.occurrence)
            )

        command.on_done = cancelled
        self.push(command)

    def _start(self, delivery: Delivery) -> None:
        self.busy = True
        self._enable()
        self.results_box.start(delivery)
        run_in_background(
            deliver,
            self.db,
            delivery,
            on_success=lambda report: self._delivered(delivery, report),
            on_failure=self._failed,
            on_progress=self._progress,
            label=_("Sending invitations…") if delivery.folder is None else _("Writing…"),
        )

    def _progress(self, done: int, total: int) -> None:
        self.results_box.show_progress(done, total)

    def _delivered(self, delivery: Delivery, report: Any) -> None:
        self.busy = False
        self.last_report = report
        text = self.results_box.show_report(delivery, report)
        owner = self.parentWidget()
        window = owner.window() if owner is not None else None
        show = getattr(window, "show_message", None)
        if callable(show):
            show(text)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.results_box.show_failure(str(exc))
        if not isinstance(exc, CMPlannerError):
            errors.report(exc)
        self._enable()


def open_invitations(
    db: Database,
    event_id: int,
    push: Callable[[QUndoCommand], None],
    parent: QWidget | None = None,
) -> InvitationsDialog:
    dialog = InvitationsDialog(db, event_id, push, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
