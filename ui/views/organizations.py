"""Organizations: associations, partners, sponsors, venues… and their people."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from cmplanner.i18n import _, ngettext
from cmplanner.services.organizations import get_organization
from ui.display import format_int
from ui.tasks import run_in_background
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
        self.open_action.setText(_("&Edit…"))
        self.new_button = QPushButton(_("New organization"), self)
        self.new_button.setObjectName("newOrganization")
        self.new_button.clicked.connect(lambda: self.open_organization(None))
        self.top_bar.addWidget(self.new_button)

    def on_changes(self, changes: Any) -> None:
        # People counts change when contacts are deleted, merged or edited.
        if changes.touches("contacts") and not changes.touches("organizations"):
            if self._loaded:
                self.refresh()
            return
        super().on_changes(changes)

    def open_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.open_organization(ids[0])

    def open_organization(self, org_id: int | None) -> None:
        if self.db is None:
            return
        if org_id is None:
            self._show_editor(None)
            return
        run_in_background(
            get_organization, self.db, org_id, on_success=self._show_editor, label=_("Opening…")
        )

    def _show_editor(self, details: Any) -> None:
        from ui.organization_editor import OrganizationEditor

        assert self.db is not None
        self.editor = OrganizationEditor(self.db, details, self.push, self.window())
        self.editor.open()

    def fill_row_menu(self, menu: QMenu, ids: list[int]) -> None:
        if len(ids) == 1:
            menu.addAction(self.open_action)

    def status_text(self) -> str:
        n = self.row_count()
        return ngettext("{n} organization", "{n} organizations", n).format(n=format_int(n))
