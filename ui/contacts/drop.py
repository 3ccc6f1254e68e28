"""Contacts dragged onto an occurrence (CONTACT_IDS_MIME): the drag and drop handling shared
by the week grid's day band and hours and the calendar's agenda list."""

from __future__ import annotations

from typing import Any

from cmplanner.services.event_dates import OccurrenceRead
from ui.kit.models import CONTACT_IDS_MIME, decode_ids


class ContactDropTarget:
    """Mixin (before the Qt widget class) for a widget showing occurrences: a drag of contacts
    is accepted over an occurrence, and dropping it calls `drop_contacts`. The widget says
    which occurrence is under the drag (`contact_occurrence_at`); it must `setAcceptDrops`."""

    def contact_occurrence_at(self, event: Any) -> OccurrenceRead | None:
        raise NotImplementedError

    def drop_contacts(self, occurrence: OccurrenceRead, ids: list[int]) -> None:
        raise NotImplementedError

    def contact_target(self, event: Any) -> OccurrenceRead | None:
        """The occurrence a drag of contacts is over (None if it is not contacts)."""
        if not event.mimeData().hasFormat(CONTACT_IDS_MIME):
            return None
        return self.contact_occurrence_at(event)

    def dragEnterEvent(self, event: Any) -> None:
        if event.mimeData().hasFormat(CONTACT_IDS_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        if self.contact_target(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: Any) -> None:
        target = self.contact_target(event)
        ids = decode_ids(event.mimeData()) if target is not None else []
        if target is None or not ids:
            event.ignore()
            return
        event.acceptProposedAction()
        self.drop_contacts(target, ids)
