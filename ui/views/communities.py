"""Communities: the groups a community manager animates."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from cmplanner.i18n import _, ngettext
from ui.display import format_int
from ui.views.listing_view import ListingView


class CommunitiesView(ListingView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "communities",
            kind="communities",
            placeholder=_("Search communities…"),
            empty_text=_("No communities yet."),
            no_match_text=_("No community matches “{text}”."),
            widths={"name": 220, "pace_days": 150, "launch_date": 110},
            stretch="objective",
            parent=parent,
        )

    def status_text(self) -> str:
        n = self.row_count()
        return ngettext("{n} community", "{n} communities", n).format(n=format_int(n))
