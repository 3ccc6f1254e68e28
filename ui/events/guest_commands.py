"""Undoable edits of an event's guest list (the event editor's Invitations tab, drops of
contacts on an event).

Each command notes, before it writes, the event's invitation rows; the write reports which
rows it touched (a decline can promote waitlisted guests, an addition creates rows), and undo
puts exactly those rows back as they were — deleting the ones the write created.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cmplanner.bus import Changes
from cmplanner.i18n import N_, _, ngettext
from cmplanner.services import guests as guest_service
from cmplanner.storage import Database
from ui.kit.display import format_int
from ui.kit.undo import SnapshotCommand


class GuestListCommand(SnapshotCommand[guest_service.InvitationStates]):
    """A guest-list write whose undo restores the rows it touched."""

    def __init__(self, db: Database, event_id: int, text: str) -> None:
        super().__init__(db, text, self.write, self._restore, snapshot=self._snapshot)
        self.event_id = event_id

    @property
    def touched(self) -> frozenset[int]:
        """The invitations the last write changed, created or deleted."""
        return self.changes.invitations

    def write(self) -> Changes:
        raise NotImplementedError

    def _snapshot(self) -> guest_service.InvitationStates:
        return guest_service.invitation_states(self.db, self.event_id)

    def _restore(self, before: guest_service.InvitationStates) -> Changes:
        touched = self.touched
        if not touched:
            return Changes()
        was = {i: before[i] for i in touched if i in before}
        return guest_service.restore_invitations(self.db, was, touched)


class AddGuests(GuestListCommand):
    """Invite contacts; those already on the list are skipped (`skipped` after it ran).
    Undo removes exactly the invitations it created."""

    def __init__(
        self,
        db: Database,
        event_id: int,
        contact_ids: Sequence[int],
        role: str = "guest",
    ) -> None:
        self.contact_ids = list(dict.fromkeys(contact_ids))
        n = len(self.contact_ids)
        super().__init__(db, event_id, ngettext("Invite {n} person", "Invite {n} people", n))
        self.setText(self.text().format(n=n))
        self.role = role
        self.added = 0
        self.skipped = 0
        self.waitlisted = 0

    def write(self) -> Changes:
        changes = guest_service.add_guests(self.db, self.event_id, self.contact_ids, self.role)
        self.added = len(changes.invitations)
        self.skipped = len(self.contact_ids) - self.added
        states = guest_service.invitation_states(self.db, self.event_id)
        self.waitlisted = sum(
            states[i].get("waitlist_position") is not None
            for i in changes.invitations
            if i in states
        )
        return changes

    def report(self, title: str = "") -> str:
        """What it did (after it ran), for a status line; `title` names the event."""
        text = invite_report(self.added, self.skipped, self.waitlisted)
        return _("{title}: {report}").format(title=title, report=text) if title else text


def invite_report(added: int, skipped: int, waitlisted: int) -> str:
    """What an invitation did, in one line: who was invited, waitlisted, already there."""
    parts = []
    if added or not skipped:
        parts.append(
            ngettext("{n} person invited.", "{n} people invited.", added).format(
                n=format_int(added)
            )
        )
    if waitlisted:
        parts.append(
            ngettext(
                "{n} of them is on the waitlist.",
                "{n} of them are on the waitlist.",
                waitlisted,
            ).format(n=format_int(waitlisted))
        )
    if skipped:
        parts.append(
            ngettext(
                "{n} was already on the list (skipped).",
                "{n} were already on the list (skipped).",
                skipped,
            ).format(n=format_int(skipped))
        )
    return " ".join(parts)


class RemoveGuests(GuestListCommand):
    """Undo brings the guests back with their answers, notes and attendance — and sends
    anyone their removal promoted back to the waitlist."""

    def __init__(
        self, db: Database, event_id: int, invitation_ids: Sequence[int], name: str = ""
    ) -> None:
        n = len(invitation_ids)
        text = (
            _("Remove {name} from the guests").format(name=name)
            if n == 1 and name
            else ngettext("Remove {n} guest", "Remove {n} guests", n).format(n=n)
        )
        super().__init__(db, event_id, text)
        self.invitation_ids = list(invitation_ids)

    def write(self) -> Changes:
        return guest_service.remove_guests(self.db, self.invitation_ids)


class SetGuestField(GuestListCommand):
    """One field of one guest: role, answer, plus-ones or notes. Undo of an answer also
    undoes the waitlist promotion a decline caused."""

    _WRITERS = {
        "role": guest_service.set_role,
        "rsvp": guest_service.set_rsvp,
        "plus_ones": guest_service.set_plus_ones,
        "notes": guest_service.set_notes,
    }
    _TEXTS = {
        "role": N_("Set the role of {name}"),
        "rsvp": N_("Set the answer of {name}"),
        "plus_ones": N_("Set the companions of {name}"),
        "notes": N_("Edit the notes on {name}"),
    }

    def __init__(
        self, db: Database, event_id: int, invitation_id: int, field: str, value: Any, name: str
    ) -> None:
        if field not in self._WRITERS:
            raise ValueError(field)
        super().__init__(db, event_id, _(self._TEXTS[field]).format(name=name))
        self.invitation_id, self.field, self.value = invitation_id, field, value

    def write(self) -> Changes:
        writer: Any = self._WRITERS[self.field]
        changes: Changes = writer(self.db, self.invitation_id, self.value)
        return changes


class SetAnswers(GuestListCommand):
    """One answer for several guests at once (the guest table's menu); one undo step, which
    also undoes the waitlist promotions the declines caused."""

    def __init__(
        self, db: Database, event_id: int, invitation_ids: Sequence[int], rsvp: str, name: str = ""
    ) -> None:
        n = len(invitation_ids)
        text = (
            _("Set the answer of {name}").format(name=name)
            if n == 1 and name
            else ngettext("Set the answer of {n} guest", "Set the answer of {n} guests", n).format(
                n=n
            )
        )
        super().__init__(db, event_id, text)
        self.invitation_ids = list(invitation_ids)
        self.rsvp = rsvp

    def write(self) -> Changes:
        return guest_service.set_rsvps(self.db, self.invitation_ids, self.rsvp)
