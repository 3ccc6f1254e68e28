"""Communities: the groups a community manager animates, and their members by role."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QMenu, QWidget

from cmplanner import clock
from cmplanner.documents import dossier
from cmplanner.documents.handover import write_pack
from cmplanner.i18n import _, ngettext
from cmplanner.services.communities import get_community
from ui.communities.editor import CommunityEditor
from ui.documents.preview import open_pdf_preview
from ui.exchange.calendars import export_calendar, file_stem, publish_to_caldav
from ui.kit import file_dialogs
from ui.kit.display import format_int
from ui.kit.editable_view import EditableListingView
from ui.kit.jobs import run_in_background


class CommunitiesView(EditableListingView):
    details = staticmethod(get_community)
    named_kind = "community"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "communities",
            kind="communities",
            placeholder=_("Search communities…"),
            title=_("Communities"),
            empty_text=_("No communities yet."),
            no_match_text=_("No community matches “{text}”."),
            widths={"name": 220, "pace_days": 150, "launch_date": 110},
            stretch="objective",
            parent=parent,
        )
        self.add_new_button(_("New community"), "newCommunity")
        self.add_rename_action()

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
            menu.addSeparator()
            dossier = menu.addAction(_("Handover d&ossier…"))
            dossier.setObjectName("dossierAction")
            dossier.triggered.connect(lambda _checked=False: self.preview_dossier(ids[0]))
            pack = menu.addAction(_("Handover pac&k…"))
            pack.setObjectName("handoverAction")
            pack.triggered.connect(lambda _checked=False: self.write_handover(ids[0]))

    def community_name(self, community_id: int) -> str:
        return self.record_name(community_id)

    def export_community(self, community_id: int, path: Path | None = None) -> None:
        """Write this community's events to an .ics file."""
        if self.db is not None:
            stem = file_stem(self.community_name(community_id), _("community"))
            export_calendar(self, self.db, stem=stem, community=community_id, path=path)

    def publish_community(self, community_id: int) -> None:
        """Publish this community's events to the CalDAV calendar of Preferences."""
        if self.db is not None:
            publish_to_caldav(self.window(), self.db, self.community_name(community_id))

    def can_preview(self) -> bool:
        return len(self.selected_ids()) == 1

    def preview_selected(self) -> None:
        if self.can_preview():
            self.preview_dossier(self.selected_ids()[0])

    def preview_dossier(self, community_id: int) -> Any:
        """The handover dossier in the PDF preview (Save as PDF…, Print…)."""
        if self.db is None:
            return None
        db = self.db
        name = self.community_name(community_id)
        self.preview = open_pdf_preview(
            self.window(),
            _("Handover dossier — {name}").format(name=name),
            "{stem}-{name}".format(stem=_("dossier"), name=file_stem(name, _("community"))),
            lambda _choice: dossier.render(db, community_id),
            date=clock.today(),
        )
        return self.preview

    def write_handover(self, community_id: int, parent_folder: Path | None = None) -> None:
        """Ask for a folder, then write the handover pack in a new folder inside it (named
        after the community; " 2", " 3"… when that name is taken)."""
        if self.db is None:
            return
        if parent_folder is None:
            chosen = file_dialogs.existing_directory(
                self, _("Where to put the handover pack"), str(Path.home())
            )
            if not chosen:
                return
            parent_folder = Path(chosen)
        name = self.community_name(community_id)
        base = _("handover-{name}").format(name=file_stem(name, _("community")))
        target = parent_folder / base
        n = 2
        while target.exists():
            target = parent_folder / f"{base}-{n}"
            n += 1
        run_in_background(
            write_pack,
            self.db,
            community_id,
            target,
            on_success=lambda files: self._handover_written(target, files),
            label=_("Writing the handover pack…"),
        )

    def _handover_written(self, folder: Path, files: list[Path]) -> None:
        n = len(files)
        self.last_message = ngettext(
            "Handover pack written to {path} ({n} file).",
            "Handover pack written to {path} ({n} files).",
            n,
        ).format(path=folder, n=n)
        show = getattr(self.window(), "show_message", None)
        if callable(show):
            show(self.last_message)

    def make_editor(self, details: Any) -> QDialog:
        assert self.db is not None
        return CommunityEditor(self.db, details, self.push, self.window())

    def status_text(self) -> str:
        n = self.row_count()
        return ngettext("{n} community", "{n} communities", n).format(n=format_int(n))
