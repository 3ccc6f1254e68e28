"""Dashboard: what is coming in the next fourteen days, and how big the database is."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from cmplanner import clock
from cmplanner.bus import Changes
from cmplanner.i18n import N_, _, ngettext
from cmplanner.services.stats import record_counts
from cmplanner.storage import Database
from ui.display import app_locale, format_int
from ui.tasks import run_in_background
from ui.views.listing_view import EVENT_WIDTHS, ListingView

# (kind, caption msgid); the caption is translated where shown.
COUNTED = (
    ("contacts", N_("Contacts")),
    ("organizations", N_("Organizations")),
    ("communities", N_("Communities")),
    ("events", N_("Events")),
    ("tasks", N_("Tasks")),
)


def _capitalized(text: str) -> str:
    """ "samedi 21 novembre" → "Samedi 21 novembre" (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]


class DashboardView(QWidget):
    countChanged = Signal()
    filled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db: Database | None = None
        self.counts: dict[str, int] = {}

        self.today = QLabel(self)
        self.today.setObjectName("pageSubtitle")

        tiles = QGridLayout()
        tiles.setHorizontalSpacing(12)
        self._numbers: dict[str, QLabel] = {}
        for column, (name, caption) in enumerate(COUNTED):
            tile = QFrame(self)
            tile.setObjectName("countTile")
            box = QVBoxLayout(tile)
            box.setContentsMargins(16, 10, 16, 10)
            number = QLabel("–", tile)
            number.setObjectName("countNumber")
            label = QLabel(_(caption), tile)
            label.setObjectName("countCaption")
            box.addWidget(number)
            box.addWidget(label)
            self._numbers[name] = number
            tiles.addWidget(tile, 0, column)

        upcoming_title = QLabel(_("Next 14 days"), self)
        upcoming_title.setObjectName("sectionTitle")
        self.upcoming = ListingView(
            "upcoming",
            kind="events",
            placeholder=_("Search upcoming events…"),
            empty_text=_("Nothing planned in the next 14 days."),
            no_match_text=_("No upcoming event matches “{text}”."),
            sort_key="start",
            widths=EVENT_WIDTHS,
            stretch="title",
            hidden=("timezone", "recurring"),
            searchable=False,
            parent=self,
        )
        self.search = self.upcoming.search
        self.table = self.upcoming.table
        self.model = self.upcoming.model
        self.upcoming.filled.connect(self.filled)
        self.upcoming.countChanged.connect(self.countChanged)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.today)
        layout.addLayout(tiles)
        layout.addSpacing(8)
        layout.addWidget(upcoming_title)
        layout.addWidget(self.upcoming, 1)

    def set_database(self, db: Database | None) -> None:
        self.db = db
        self.counts = {}
        for number in self._numbers.values():
            number.setText("–")
        self.upcoming.set_database(db)

    def ensure_loaded(self) -> None:
        if not self.upcoming._loaded:
            self.refresh()

    def refresh(self) -> None:
        day = clock.today()
        self.today.setText(
            _capitalized(
                app_locale().toString(QDate(day.year, day.month, day.day), "dddd d MMMM yyyy")
            )
        )
        self.upcoming.refresh()
        self._recount()

    def _recount(self) -> None:
        if self.db is not None:
            run_in_background(record_counts, self.db, on_success=self._show_counts)

    def _show_counts(self, counts: dict[str, int]) -> None:
        self.counts = counts
        for name, number in self._numbers.items():
            number.setText(format_int(counts.get(name, 0)))

    def on_changes(self, changes: Changes) -> None:
        if not self.upcoming._loaded:
            return
        self.upcoming.on_changes(changes)
        if any(changes.touches(name) for name, _caption in COUNTED):
            self._recount()

    def focus_search(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def row_count(self) -> int:
        return self.upcoming.row_count()

    def status_text(self) -> str:
        n = self.row_count()
        return ngettext(
            "{n} event in the next 14 days", "{n} events in the next 14 days", n
        ).format(n=format_int(n))
