"""The event brief (fiche événement): everything the CM takes along, on A4 or Letter."""

from __future__ import annotations

from cmplanner.documents.base import build_pdf, paragraph, styles
from cmplanner.storage import Database


def render(db: Database, event_id: int, *, page: str = "A4") -> bytes:
    """The brief of event `event_id` as PDF bytes. Raises NotFound for an unknown event."""
    from cmplanner.services.events import event_details

    details = event_details(db, event_id)
    return build_pdf(
        lambda doc: [paragraph(details["title"], styles().title)],
        page=page,
        title=details["title"],
    )
