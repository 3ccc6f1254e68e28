"""Organizations: associations, partners, sponsors, venues…"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from cmplanner.i18n import _, ngettext
from ui.display import format_int
from ui.views.listing_view import ListingView


class OrganizationsView(ListingView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "organizations",
            kind="organizations",
            placeholder=_("Search organizations…"),
            empty_text=_("No organizations yet."),
            no_match_text=_("No organization matches “{text}”."),
            widths={"name": 280, "city": 140},
            stretch="website",
            parent=parent,
        )

    def status_text(self) -> str:
        n = self.row_count()
        return ngettext("{n} organization", "{n} organizations", n).format(n=format_int(n))
