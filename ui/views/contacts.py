"""Contacts: the people of the communities (read-only list until the contacts issue)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from cmplanner.i18n import _, ngettext
from ui.display import format_int
from ui.views.listing_view import ListingView


class ContactsView(ListingView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "contacts",
            kind="contacts",
            placeholder=_("Search contacts by name, e-mail or notes…"),
            empty_text=_("No contacts yet."),
            no_match_text=_("No contact matches “{text}”."),
            sort_key="family_name",
            widths={
                "given_name": 110,
                "family_name": 130,
                "phone": 135,
                "organization": 160,
                "city": 120,
            },
            stretch="email",
            parent=parent,
        )

    def status_text(self) -> str:
        n = self.row_count()
        return ngettext("{n} contact", "{n} contacts", n).format(n=format_int(n))
