"""Communities: the groups a community manager animates, and their members by role."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from cmplanner.i18n import _, ngettext
from cmplanner.services.communities import get_community
from ui.display import format_int
from ui.tasks import run_in_background
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
        self.open_action.setText(_("&Edit…"))
        self.new_button = QPushButton(_("New community"), self)
        self.new_button.setObjectName("newCommunity")
        self.new_button.clicked.connect(lambda: self.open_community(None))
        self.top_bar.addWidget(self.new_button)

    def on_changes(self, changes: Any) -> None:
        # Member counts change when contacts are deleted or merged.
        if changes.touches("contacts") and not changes.touches("communities"):
            if self._loaded:
                self.refresh()
            return
        super().on_changes(changes)

    def open_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.open_community(ids[0])

    def open_community(self, community_id: int | None) -> None:
        if self.db is None:
            return
        if community_id is None:
            self._show_editor(None)
            return
        run_in_background(
            get_community, self.db, community_id, on_success=self._show_editor, label=_("Opening…")
        )

    def _show_editor(self, details: Any) -> None:
        from ui.community_editor import CommunityEditor

        assert self.db is not None
        self.editor = CommunityEditor(self.db, details, self.push, self.window())
        self.editor.open()

    def fill_row_menu(self, menu: QMenu, ids: list[int]) -> None:
        if len(ids) == 1:
            menu.addAction(self.open_action)

    def status_text(self) -> str:
        n = self.row_count()
        return ngettext("{n} community", "{n} communities", n).format(n=format_int(n))
