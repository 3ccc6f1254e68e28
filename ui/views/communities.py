"""Communities: the groups a community manager animates, and their members by role."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QMenu, QWidget

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

    def fill_row_menu(self, menu: QMenu, ids: list[int]) -> None:
        super().fill_row_menu(menu, ids)
        if len(ids) == 1:
            menu.addSeparator()
            export = menu.addAction(_("E&xport its events (.ics)…"))
            export.setObjectName("exportCommunityEvents")
            export.triggered.connect(lambda _checked=False: self.export_community(ids[0]))
            publish = menu.addAction(_("&Publish its events to CalDAV"))
            publish.setObjectName("publishCommunity")
            publish.triggered.connect(lambda _checked=False: self.publish_community(ids[0]))

    def community_name(self, community_id: int) -> str:
        row = self.model.ids().index(community_id)
        column = self.model.listing.column_keys().index("name")
        return str(self.model.index(row, column).data() or "")

    def export_community(self, community_id: int, path: Path | None = None) -> None:
        """Write this community's events to an .ics file."""
        from ui.calendar_files import export_calendar, file_stem

        if self.db is not None:
            stem = file_stem(self.community_name(community_id), _("community"))
            export_calendar(self, self.db, stem=stem, community=community_id, path=path)

    def publish_community(self, community_id: int) -> None:
        """Publish this community's events to the CalDAV calendar of Preferences."""
        from ui.calendar_files import publish_to_caldav

        if self.db is not None:
            publish_to_caldav(self.window(), self.db, self.community_name(community_id))

    def make_editor(self, details: Any) -> QDialog:
        from ui.community_editor import CommunityEditor

        assert self.db is not None
        return CommunityEditor(self.db, details, self.push, self.window())

    def status_text(self) -> str:
        n = self.row_count()
        return ngettext("{n} community", "{n} communities", n).format(n=format_int(n))
