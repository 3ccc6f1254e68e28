"""Undoable writes on events: saving one (with its extras and first guests), deleting,
closing, its debrief."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from cmplanner.bus import Changes
from cmplanner.i18n import _, ngettext
from cmplanner.model import EventCreate, VenueCreate
from cmplanner.services import closing, event_records
from cmplanner.services import event_extras as extras_service
from cmplanner.services import events as event_service
from cmplanner.services import guests as guest_service
from cmplanner.services.event_extras import EventExtras
from cmplanner.storage import Database
from ui.kit.undo import SnapshotCommand


class SaveEvent(SnapshotCommand[Any]):
    """Create or edit an event with its budget, partners and core team (and first create the
    new venue it is at, if any); a new event then invites `guests` ((contact id, role)).

    Undo of an edit writes the previous fields and extras back; undo of a creation deletes
    the event (with its extras and guests), and redo restores it with the same id. A venue
    created here stays: it is a place people can choose again, not part of the event."""

    def __init__(
        self,
        db: Database,
        event_id: int | None,
        old: EventCreate | None,
        new: EventCreate,
        venue: VenueCreate | None = None,
        extras: EventExtras | None = None,
        old_extras: EventExtras | None = None,
        guests: Sequence[tuple[int, str]] = (),
    ) -> None:
        self.new, self.venue, self.extras = new, venue, extras
        self.guests = list(guests)
        self.venue_id: int | None = None
        if old is None and event_id is None:
            super().__init__(
                db,
                _("Add {title}").format(title=new.title),
                write=self._create,
                delete=lambda created: event_records.delete_event(db, created),
                restore=lambda snapshot: event_records.restore_event(db, snapshot),
            )
            return
        assert event_id is not None
        self.event_id = event_id
        super().__init__(
            db,
            _("Edit {title}").format(title=new.title),
            write=self._edit,
            snapshot=lambda: event_records.take_edit(db, event_id, extras is not None),
            restore=lambda edit: event_records.restore_edit(db, edit),
        )

    def _data(self) -> tuple[EventCreate, Changes]:
        """The event's fields, and what creating its new venue (if any) changed."""
        changes = Changes()
        if self.venue is not None and self.venue_id is None:
            self.venue_id, changes = event_records.create_venue(self.db, self.venue)
        if self.venue_id is None:
            return self.new, changes
        return self.new.model_copy(update={"venue_id": self.venue_id}), changes

    def _create(self) -> tuple[int, Changes]:
        if self.extras is not None:
            extras_service.check_extras(self.extras)  # refuse before writing anything
        data, changes = self._data()
        read, created = event_service.create_event(self.db, data)
        changes |= created
        if self.extras is not None:
            changes |= extras_service.replace_extras(self.db, read.id, self.extras)
        by_role: dict[str, list[int]] = {}
        for contact_id, role in self.guests:
            by_role.setdefault(role, []).append(contact_id)
        for role, contact_ids in by_role.items():
            changes |= guest_service.add_guests(self.db, read.id, contact_ids, role)
        return read.id, changes

    def _edit(self) -> Changes:
        if self.extras is not None:
            extras_service.check_extras(self.extras)  # refuse before writing anything
        data, changes = self._data()
        changes |= event_service.update_event(self.db, self.event_id, data)
        if self.extras is not None:
            changes |= extras_service.replace_extras(self.db, self.event_id, self.extras)
        return changes


class DeleteEvents(SnapshotCommand[list[event_records.EventSnapshot]]):
    """Undo puts each event back exactly, with its guests, tasks and occurrences."""

    def __init__(self, db: Database, event_ids: Sequence[int]) -> None:
        n = len(event_ids)
        ids = list(event_ids)

        def delete() -> tuple[list[event_records.EventSnapshot], Changes]:
            snapshots, changes = [], Changes()
            for event_id in ids:
                snapshot, deleted = event_records.delete_event(db, event_id)
                snapshots.append(snapshot)
                changes |= deleted
            return snapshots, changes

        def restore(snapshots: list[event_records.EventSnapshot]) -> Changes:
            changes = Changes()
            for snapshot in reversed(snapshots):
                changes |= event_records.restore_event(db, snapshot)
            return changes

        text = ngettext("Delete {n} event", "Delete {n} events", n).format(n=n)
        super().__init__(db, text, write=delete, restore=restore)


class CloseEvent(SnapshotCommand[closing.ClosingSnapshot]):
    """Complete the attendance and close the event (or one occurrence of a series). Undo puts
    back its status, every attendance row and the guests' `last_seen`, and deletes the
    follow-up tasks it added. `result` (a CloseResult) says what it did."""

    def __init__(
        self,
        db: Database,
        event_id: int,
        title: str,
        came: Collection[int],
        occurrence: dt.datetime | None = None,
    ) -> None:
        attended = frozenset(came)
        super().__init__(
            db,
            _("Close {title}").format(title=title),
            write=lambda: closing.close_with_attendance(db, event_id, attended, occurrence),
            snapshot=lambda: closing.take_snapshot(db, event_id),
            restore=lambda snapshot: closing.restore_snapshot(db, snapshot),
        )


class SetDebrief(SnapshotCommand[str]):
    def __init__(self, db: Database, event_id: int, title: str, old: str, new: str) -> None:
        super().__init__(
            db,
            _("Write the debrief of {title}").format(title=title),
            write=lambda: event_service.set_debrief(db, event_id, new),
            snapshot=lambda: event_service.get_debrief(db, event_id),
            restore=lambda was: event_service.set_debrief(db, event_id, was),
        )
