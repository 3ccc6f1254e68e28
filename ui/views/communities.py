"""Communities: the groups a community manager animates, and their members by role."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from cmplanner.i18n import _, ngettext
from cmplanner.services.communities import get_community
from ui.display import format_int
from ui.views.editable_view import EditableListingView


class CommunitiesView(EditableListingView):
    details = staticmethod(get_community)

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
        self.add_new_button(_("New community"), "newCommunity")

    def make_editor(self, details: Any) -> QDialog:
        from ui.community_editor import CommunityEditor

        assert self.db is not None
        return CommunityEditor(self.db, details, self.push, self.window())

    def status_text(self) -> str:
        n = self.row_count()
        return ngettext("{n} community", "{n} communities", n).format(n=format_int(n))
