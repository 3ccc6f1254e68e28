"""Organizations: associations, partners, sponsors, venues… and their people."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from cmplanner.i18n import _, ngettext
from cmplanner.services.organizations import get_organization
from ui.kit.display import format_int
from ui.kit.editable_view import EditableListingView
from ui.organizations.editor import OrganizationEditor


class OrganizationsView(EditableListingView):
    details = staticmethod(get_organization)
    named_kind = "organization"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "organizations",
            kind="organizations",
            placeholder=_("Search organizations…"),
            title=_("Organizations"),
            empty_text=_("No organizations yet."),
            no_match_text=_("No organization matches “{text}”."),
            widths={"name": 280, "city": 140},
            stretch="website",
            parent=parent,
        )
        self.add_new_button(_("New organization"), "newOrganization")
        self.add_rename_action()

    def make_editor(self, details: Any) -> QDialog:
        assert self.db is not None
        return OrganizationEditor(self.db, details, self.push, self.window())

    def status_text(self) -> str:
        n = self.row_count()
        return ngettext("{n} organization", "{n} organizations", n).format(n=format_int(n))
