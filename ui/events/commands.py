"""Undoable writes around events: closing one, its debrief, the promises made to people,
communities and events, and the checklist templates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from cmplanner.bus import Changes
from cmplanner.i18n import _
from cmplanner.services import closing, preferences
from cmplanner.services import commitments as commitment_service
from cmplanner.services import events as event_service
from cmplanner.services import tasks as task_service
from cmplanner.storage import Database
from ui.kit.commands import ServiceCommand


class CloseEvent(ServiceCommand):
    """Complete the attendance and close the event (or one occurrence of a series). Undo puts
    back its status, every attendance row and the guests' `last_seen`, and deletes the
    follow-up tasks it added."""

    def __init__(
        self,
        db: Database,
        event_id: int,
        title: str,
        came: Collection[int],
        occurrence: dt.datetime | None = None,
    ) -> None:
        super().__init__(db, _("Close {title}").format(title=title))
        self.event_id, self.occurrence = event_id, occurrence
        self.came = frozenset(came)
        self.result: closing.CloseResult | None = None
        self._snapshot: closing.ClosingSnapshot | None = None

    def apply(self) -> Changes:
        self._snapshot = closing.take_snapshot(self.db, self.event_id)
        self.result = closing.close_with_attendance(
            self.db, self.event_id, self.came, self.occurrence
        )
        return self.result.changes

    def revert(self) -> Changes:
        if self._snapshot is not None:
            return closing.restore_snapshot(self.db, self._snapshot)
        return Changes()


class SetDebrief(ServiceCommand):
    def __init__(self, db: Database, event_id: int, title: str, old: str, new: str) -> None:
        super().__init__(db, _("Write the debrief of {title}").format(title=title))
        self.event_id, self.old, self.new = event_id, old, new

    def apply(self) -> Changes:
        return event_service.set_debrief(self.db, self.event_id, self.new)

    def revert(self) -> Changes:
        return event_service.set_debrief(self.db, self.event_id, self.old)


class AddCommitment(ServiceCommand):
    """Undo deletes the promise; redo brings it back with the same id."""

    def __init__(self, db: Database, values: dict[str, Any]) -> None:
        description = str(values.get("description", "")).strip()
        super().__init__(db, _("Promise “{what}”").format(what=description))
        self.values = values
        self.commitment_id: int | None = None
        self._row: dict[str, object] | None = None

    def apply(self) -> Changes:
        if self._row is not None:
            changes = commitment_service.restore_commitment(self.db, self._row)
            self._row = None
            return changes
        self.commitment_id, changes = commitment_service.add_commitment(self.db, **self.values)
        return changes

    def revert(self) -> Changes:
        if self.commitment_id is None:
            return Changes()
        self._row, changes = commitment_service.delete_commitment(self.db, self.commitment_id)
        return changes


class SetCommitmentStatus(ServiceCommand):
    """Kept or dropped (or open again); undo gives back the status it had."""

    def __init__(self, db: Database, commitment_id: int, description: str, status: str) -> None:
        text = {
            "kept": _("Promise kept: “{what}”"),
            "dropped": _("Promise dropped: “{what}”"),
        }.get(status, _("Promise reopened: “{what}”"))
        super().__init__(db, text.format(what=description))
        self.commitment_id, self.status = commitment_id, status
        self._was: str | None = None

    def apply(self) -> Changes:
        self._was = commitment_service.get_status(self.db, self.commitment_id)
        return commitment_service.set_status(self.db, self.commitment_id, self.status)

    def revert(self) -> Changes:
        if self._was is not None:
            return commitment_service.set_status(self.db, self.commitment_id, self._was)
        return Changes()


class SetTaskTemplates(ServiceCommand):
    """Event kinds' checklist templates become the ones given (kind → (title, offset));
    undo restores every template as it was saved (or the shipped ones if none were)."""

    def __init__(
        self,
        db: Database,
        by_kind: dict[str, Sequence[tuple[str, int]]],
        names: Sequence[str],
    ) -> None:
        super().__init__(
            db, _("Edit the checklist templates ({kinds})").format(kinds=", ".join(names))
        )
        self.by_kind = {kind: list(items) for kind, items in by_kind.items()}
        self._was: str | None = None

    def apply(self) -> Changes:
        self._was = preferences.get(self.db, task_service.TEMPLATES_KEY)
        return task_service.set_templates(self.db, self.by_kind)

    def revert(self) -> Changes:
        if self._was is not None:
            return preferences.put(self.db, task_service.TEMPLATES_KEY, self._was)
        return Changes()
