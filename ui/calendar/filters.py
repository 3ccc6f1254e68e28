"""The calendar's community filter and what its colours say, both remembered in the settings
and chosen in the toolbar's combos (ui/calendar/toolbar.py)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from cmplanner.services import vocabulary as vocabulary_service
from cmplanner.storage import Database
from ui.calendar.look import CalendarLook
from ui.calendar.toolbar import CalendarToolbar
from ui.kit.jobs import run_in_background
from ui.kit.settings import app_settings

COMMUNITY_KEY = "calendar/community"
COLOUR_KEY = "calendar/colourBy"


def remembered() -> tuple[str | None, str]:
    """The community shown last (None: all of them) and what the colours said."""
    settings = app_settings()
    status = str(settings.value(COLOUR_KEY, "community")) == "status"
    return str(settings.value(COMMUNITY_KEY, "") or "") or None, "status" if status else "community"


class CalendarFilters(QObject):
    """The community shown (`community`, None for all) and the colouring of `look`. The view
    loads again on `communityChanged` and repaints on `coloursChanged`."""

    communityChanged = Signal()
    coloursChanged = Signal()

    def __init__(
        self, look: CalendarLook, bar: CalendarToolbar, community: str | None, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.look = look
        self.bar = bar
        self.community = community
        bar.community_combo.activated.connect(self._community_chosen)
        bar.colour_combo.activated.connect(self._colour_chosen)

    def load_communities(self, db: Database) -> None:
        run_in_background(
            vocabulary_service.communities, db, on_success=self._fill_communities, label=""
        )

    def _fill_communities(self, choices: Sequence[vocabulary_service.Choice]) -> None:
        by_creation = sorted(choices, key=lambda c: c.id)
        rank = {c.name: n for n, c in enumerate(by_creation)}
        if rank != self.look.community_rank:
            self.look.community_rank = rank
            self.coloursChanged.emit()
        names = [c.name for c in choices]
        self.bar.show_communities(names)
        if self.community is not None and self.community not in names:
            self.set_community(None)  # it was deleted or renamed: show everything again
        else:
            combo = self.bar.community_combo
            combo.setCurrentIndex(max(0, combo.findData(self.community)))

    def set_community(self, name: str | None) -> None:
        """Show only that community's occurrences (None: all of them); remembered."""
        self.community = name or None
        index = self.bar.community_combo.findData(self.community)
        self.bar.community_combo.setCurrentIndex(max(0, index))
        app_settings().setValue(COMMUNITY_KEY, self.community or "")
        self.communityChanged.emit()

    def _community_chosen(self, index: int) -> None:
        self.set_community(self.bar.community_combo.itemData(index))

    def set_colour_by(self, what: str) -> None:
        """Colour occurrences by "community" or by "status"; remembered."""
        self.look.colour_by = "status" if what == "status" else "community"
        self.bar.colour_combo.setCurrentIndex(1 if self.look.colour_by == "status" else 0)
        app_settings().setValue(COLOUR_KEY, self.look.colour_by)
        self.coloursChanged.emit()

    def _colour_chosen(self, index: int) -> None:
        self.set_colour_by(str(self.bar.colour_combo.itemData(index)))
