"""Events: every event and series, newest first."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from cmplanner.i18n import _, ngettext
from ui.display import format_int
from ui.views.listing_view import ListingView

EVENT_WIDTHS = {"community": 150, "timezone": 120, "venue": 150, "recurring": 85, "guests": 70}


def events_status_text(n: int) -> str:
    return ngettext("{n} event", "{n} events", n).format(n=format_int(n))


class EventsView(ListingView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "events",
            kind="events",
            placeholder=_("Search events by title, description or community…"),
            empty_text=_("No events yet."),
            no_match_text=_("No event matches “{text}”."),
            sort_key="start",
            descending=True,
            widths=EVENT_WIDTHS,
            stretch="title",
            hidden=("timezone",),
            parent=parent,
        )

    def status_text(self) -> str:
        return events_status_text(self.row_count())
