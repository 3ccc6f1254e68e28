"""The event editor's Guests tab: find contacts and invite them (Enter, double-click or drag),
invite a whole community, tag or organization, and edit each guest's role, answer,
companions and notes in the table.

For a saved event every change is written at once, as an undoable command. A new event
collects its guests in a draft (`pending_guests()`), invited when the event is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QKeySequence,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cmplanner.bus import Changes
from cmplanner.i18n import _, ngettext
from cmplanner.model.enums import Rsvp
from cmplanner.services import guests as guest_service
from cmplanner.services.guests import GuestList, GuestRow
from cmplanner.storage import Database
from ui.events.guest_commands import (
    AddGuests,
    RemoveGuests,
    SetAnswers,
    SetGuestField,
    invite_report,
)
from ui.events.guest_search import GuestSearch
from ui.events.guest_table import GuestTable, role_choices, rsvp_choices
from ui.events.invitations import open_invitations
from ui.events.invite_group import GroupDialog, GroupInvite
from ui.kit import accessible, theme
from ui.kit.changes import bridge
from ui.kit.display import format_int
from ui.kit.jobs import run_in_background
from ui.kit.unsaved import saved_at_once


def _undo_stack_of(push: Callable[..., Any]) -> QUndoStack | None:
    """The stack behind `push` (QUndoStack.push, or a view's push with its `undo_stack`)."""
    owner = getattr(push, "__self__", None)
    if isinstance(owner, QUndoStack):
        return owner
    stack = getattr(owner, "undo_stack", None)
    return stack if isinstance(stack, QUndoStack) else None


class GuestsPanel(QWidget):
    """The guest list of one event (None: a new event, guests kept as a draft)."""

    changed = Signal()  # the guest list on screen changed (reloaded or the draft edited)

    def __init__(
        self,
        db: Database,
        event_id: int | None,
        push: Callable[[QUndoCommand], None],
        parent: QWidget | None = None,
        undo_stack: QUndoStack | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("guestsPanel")
        saved_at_once(self)  # written at once (a new event: its draft is the editor's)
        self.db, self.event_id, self._push = db, event_id, push
        self._pending: list[tuple[int, str]] = []
        self.guest_list: GuestList | None = None
        self._loaded = False

        self._build_note()
        add_row = self._build_adding()
        self._build_table()
        self._build_shortcuts(undo_stack or _undo_stack_of(push))
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(add_row)
        layout.addWidget(self.results)
        layout.addWidget(self.hint)
        layout.addWidget(self.feedback)
        layout.addSpacing(6)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.table, 1)

        bridge().changed.connect(self._on_changes)
        self.refresh()

    # -- building ----------------------------------------------------------------------------

    def _build_note(self) -> None:
        self.note = QLabel(self)
        self.note.setObjectName("guestsNote")
        self.note.setWordWrap(True)
        self.note.setText(
            _("The guests are invited when the event is saved.")
            if self.draft
            else _(
                "Changes to the guest list are saved at once; Ctrl+Z undoes them"
                " (Ctrl+Shift+Z redoes)."
            )
        )

    def _build_adding(self) -> QHBoxLayout:
        """The search for contacts, the role they are invited in, the group and mail buttons
        (a row), the results, a hint and what the last change did."""
        self.hint = QLabel(self)
        self.hint.setObjectName("guestHint")
        self.hint.setWordWrap(True)
        self.hint.setText(
            _(
                "Enter or double-click invites the contact; ↓ goes to the list; you can also"
                " drag contacts into the guest table."
            )
        )
        self.feedback = QLabel(self)
        self.feedback.setObjectName("guestFeedback")
        self.feedback.setWordWrap(True)
        self.finder = GuestSearch(self.db, self, self.feedback)
        self.finder.chosen.connect(self.invite)
        self.search, self.results = self.finder.search, self.finder.results
        self.invite_button = self.finder.invite_button
        self.groups = GroupInvite(self.db, self.event_id, self, self.feedback)
        self.groups.people.connect(self.invite)
        self.group_button = self.groups.group_button

        self.role = QComboBox(self)
        self.role.setObjectName("newGuestRole")
        for value, label in role_choices():
            self.role.addItem(label, value)
        self.role.setToolTip(_("The role of the guests you invite now"))
        accessible.name(self.role, _("Role:"), _("The role of the guests you invite now"))
        self.mail_button = QPushButton(_("E-&mail invitations…"), self)
        self.mail_button.setObjectName("mailInvitationsButton")
        self.mail_button.setAutoDefault(False)
        self.mail_button.setToolTip(_("Send the invitations by e-mail and follow the answers"))
        self.mail_button.setVisible(not self.draft)
        self.mail_button.clicked.connect(self.open_invitations)

        add_row = QHBoxLayout()
        add_row.addWidget(self.search, 1)
        add_row.addWidget(QLabel(_("as"), self))
        add_row.addWidget(self.role)
        add_row.addWidget(self.invite_button)
        add_row.addSpacing(12)
        add_row.addWidget(self.group_button)
        add_row.addWidget(self.mail_button)
        return add_row

    def _build_table(self) -> None:
        """The guest list: how many, then the table."""
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("guestCounts")
        bold = self.counts_label.font()
        bold.setBold(True)
        self.counts_label.setFont(bold)
        self.table = GuestTable(self.draft, self)
        self.model, self.proxy = self.table.guest_model, self.table.proxy
        self.model.edited.connect(self._on_edited)
        self.model.contactsDropped.connect(self.invite)
        self.remove_action = self.table.remove_action
        self.remove_action.triggered.connect(self.remove_selected)
        self.table.customContextMenuRequested.connect(self._row_menu)

    def _build_shortcuts(self, undo_stack: QUndoStack | None) -> None:
        """Ctrl+F finds a contact; a saved event's Ctrl+Z and Ctrl+Shift+Z undo and redo."""
        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(self.focus_search)
        self.addAction(find)
        self.undo_stack = undo_stack
        if self.undo_stack is not None and not self.draft:
            for keys, slot in (
                (QKeySequence.StandardKey.Undo, self.undo_stack.undo),
                (QKeySequence.StandardKey.Redo, self.undo_stack.redo),
            ):
                action = QAction(self)
                action.setShortcuts(keys)
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                action.triggered.connect(slot)
                self.addAction(action)

    def open_invitations(self) -> None:
        if self.event_id is not None:
            self.invitations = open_invitations(self.db, self.event_id, self._push, self.window())

    # -- state -----------------------------------------------------------------------------

    @property
    def draft(self) -> bool:
        return self.event_id is None

    def pending_guests(self) -> list[tuple[int, str]]:
        """(contact id, role) of the guests chosen for a new event, in the order chosen."""
        return list(self._pending)

    def new_guest_role(self) -> str:
        return str(self.role.currentData())

    def set_new_guest_role(self, role: str) -> None:
        self.role.setCurrentIndex(max(0, self.role.findData(role)))

    # -- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.draft:
            pending = list(self._pending)
            run_in_background(
                guest_service.draft_rows, self.db, pending, on_success=self._show_draft
            )
        else:
            run_in_background(
                guest_service.guest_list, self.db, self.event_id, on_success=self._show
            )

    def _set_rows(self, rows: list[GuestRow], series: bool) -> None:
        self.table.set_rows(rows, self.draft, series)
        self._loaded = True
        self.changed.emit()

    def _show(self, guest_list: GuestList) -> None:
        self.guest_list = guest_list
        if guest_list.series and not self.note.property("series"):
            self.note.setProperty("series", True)
            self.note.setText(
                self.note.text()
                + " "
                + _(
                    "A series has one guest list, shared by all its occurrences; attendance"
                    " is recorded per occurrence at the door."
                )
            )
        self._set_rows(guest_list.rows, guest_list.series)
        self.counts_label.setText(self.counts_text())
        full = guest_list.capacity is not None and guest_list.seats_taken > guest_list.capacity
        theme.set_tone(self.counts_label, "bad" if full else "")
        self.counts_label.setToolTip(
            _("More seats are taken than the event's capacity.") if full else ""
        )

    def _show_draft(self, rows: list[GuestRow]) -> None:
        self._set_rows(rows, False)
        self.counts_label.setText(self.counts_text())

    def counts_text(self) -> str:
        if self.guest_list is None or self.draft:
            n = len(self._pending)
            return ngettext("{n} guest to invite", "{n} guests to invite", n).format(
                n=format_int(n)
            )
        counts = self.guest_list.counts
        text = (
            _(
                "Invited: {invited} · accepted: {accepted} · declined: {declined}"
                " · waitlist: {waitlist} · came at least once: {attended}"
            )
            if self.guest_list.series
            else _(
                "Invited: {invited} · accepted: {accepted} · declined: {declined}"
                " · waitlist: {waitlist} · attended: {attended}"
            )
        ).format(**{k: format_int(v) for k, v in counts.items()})
        if self.guest_list.capacity is not None:
            over = self.guest_list.seats_taken > self.guest_list.capacity
            text += ("  —  ⚠ " if over else "  —  ") + ngettext(  # not only in red
                "{taken} / {capacity} seat", "{taken} / {capacity} seats", self.guest_list.capacity
            ).format(
                taken=format_int(self.guest_list.seats_taken),
                capacity=format_int(self.guest_list.capacity),
            )
        return text

    def _on_changes(self, changes: Changes) -> None:
        if self.draft:
            if changes.everything or changes.contacts:
                self.refresh()
            return
        shown = {g.contact_id for g in self.model.rows}
        if (
            changes.everything
            or self.event_id in changes.events
            or bool(changes.contacts & shown)
            or bool(changes.invitations & {g.invitation_id for g in self.model.rows})
        ):
            self.refresh()

    # -- adding ------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.finder.focus_search()

    def run_search(self) -> None:
        """Find the contacts matching what was typed (now, not after the typing pause)."""
        self.finder.run_search()

    def choose_group(self, kind: str) -> None:
        self.groups.choose_group(kind)

    def invite_group(self, kind: str, ident: int, role: str | None = None) -> None:
        self.groups.invite_group(kind, ident, role)

    @property
    def community_of(self) -> Callable[[], int | None] | None:
        """The event's community as the editor has it now (None: the saved event's)."""
        return self.groups.community_of

    @community_of.setter
    def community_of(self, getter: Callable[[], int | None] | None) -> None:
        self.groups.community_of = getter

    @property
    def group_dialog(self) -> GroupDialog | None:
        return self.groups.group_dialog

    # -- writing -----------------------------------------------------------------------------

    def invite(self, contact_ids: Sequence[int]) -> None:
        """Invite contacts in the chosen role; those already on the list are skipped."""
        ids = list(dict.fromkeys(int(i) for i in contact_ids))
        if not ids:
            return
        role = self.new_guest_role()
        if self.draft:
            have = {cid for cid, _role in self._pending}
            new = [cid for cid in ids if cid not in have]
            self._pending += [(cid, role) for cid in new]
            self._report(len(new), len(ids) - len(new), 0)
            self.refresh()
            return
        assert self.event_id is not None
        command = AddGuests(self.db, self.event_id, ids, role)
        command.on_done = self._after_add
        self._push(command)

    def _after_add(self, command: Any) -> None:
        self._report(command.added, command.skipped, command.waitlisted)
        self.refresh()

    def _report(self, added: int, skipped: int, waitlisted: int) -> None:
        self.feedback.setText(invite_report(added, skipped, waitlisted))

    def selected_guests(self) -> list[GuestRow]:
        return self.table.selected_guests()

    def remove_selected(self) -> None:
        chosen = self.selected_guests()
        if not chosen:
            return
        if self.draft:
            gone = {g.contact_id for g in chosen}
            self._pending = [(c, r) for c, r in self._pending if c not in gone]
            self.refresh()
            return
        assert self.event_id is not None
        name = chosen[0].name if len(chosen) == 1 else ""
        command = RemoveGuests(self.db, self.event_id, [g.invitation_id for g in chosen], name)
        command.on_done = lambda _c: self.refresh()
        self._push(command)
        n = len(chosen)
        self.feedback.setText(
            ngettext("{n} guest removed.", "{n} guests removed.", n).format(n=format_int(n))
        )

    def _on_edited(self, guest: GuestRow, field: str, value: Any) -> None:
        if self.draft:
            if field == "role":
                self._pending = [
                    (c, value if c == guest.contact_id else r) for c, r in self._pending
                ]
                self.refresh()
            return
        assert self.event_id is not None
        command = SetGuestField(
            self.db, self.event_id, guest.invitation_id, field, value, guest.name
        )
        command.on_done = self._after_edit
        self._push(command)

    def _after_edit(self, command: Any) -> None:
        if command.field == "rsvp" and command.value == Rsvp.DECLINED:
            self._tell_promoted(len(command.touched) - 1)
        self.refresh()

    def _tell_promoted(self, promoted: int) -> None:
        if promoted > 0:
            self.feedback.setText(
                ngettext(
                    "A seat freed up: {n} guest left the waitlist (tell them!).",
                    "Seats freed up: {n} guests left the waitlist (tell them!).",
                    promoted,
                ).format(n=format_int(promoted))
            )

    def _row_menu(self, pos: Any) -> None:
        chosen = self.selected_guests()
        if not chosen:
            return
        self.row_menu = menu = QMenu(self.table)
        menu.setObjectName("guestMenu")
        if not self.draft:
            answers = menu.addMenu(
                ngettext("&Answer", "&Answer of the {n} Guests", len(chosen)).format(
                    n=format_int(len(chosen))
                )
            )
            answers.setObjectName("guestAnswerMenu")
            current = {g.rsvp for g in chosen}
            group = QActionGroup(answers)  # one answer: shown as radio items
            for value, label in rsvp_choices():
                action = answers.addAction(label)
                group.addAction(action)
                action.setObjectName("answer-" + value)
                action.setCheckable(True)
                action.setChecked(current == {value})
                action.triggered.connect(lambda _checked=False, v=value: self.set_answer(v))
            menu.addSeparator()
        menu.addAction(self.remove_action)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def set_answer(self, rsvp: str) -> None:
        """The same answer for every selected guest: one undoable step."""
        chosen = [g for g in self.selected_guests() if g.rsvp != rsvp]
        if self.draft or not chosen:
            return
        assert self.event_id is not None
        name = chosen[0].name if len(chosen) == 1 else ""
        command = SetAnswers(self.db, self.event_id, [g.invitation_id for g in chosen], rsvp, name)
        command.on_done = self._after_answers
        self._push(command)

    def _after_answers(self, command: Any) -> None:
        n = len(command.invitation_ids)
        self.feedback.setText(
            ngettext(
                "{n} guest now answers “{answer}”.", "{n} guests now answer “{answer}”.", n
            ).format(n=format_int(n), answer=Rsvp(command.rsvp).label)
        )
        if command.rsvp == Rsvp.DECLINED:
            self._tell_promoted(len(command.touched) - n)
        self.refresh()
