"""The event editor's "Place" tab: in person or online, and the venue (a known one, or a new
one made with the event)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from cmplanner.i18n import _
from cmplanner.model import EventCreate, VenueCreate
from cmplanner.services.event_records import VenueChoice
from ui.events.when import error_label, page_form
from ui.kit import accessible
from ui.kit.sizing import scaled

NEW_VENUE = -1


class EventPlace(QWidget):
    """Where the event is held; `mapRequested` asks for the venue's address on a map."""

    mapRequested = Signal()

    def __init__(self, venues: Sequence[VenueChoice], data: EventCreate, parent: QWidget) -> None:
        super().__init__(parent)
        self.venues = venues
        self.venue = QComboBox(self)
        self.venue.setObjectName("eventVenue")
        accessible.name(self.venue, _("Venue:"))
        self.venue.addItem(_("No venue"), None)
        for venue in venues:
            self.venue.addItem(venue.name, venue.id)
        self.venue.addItem(_("New venue…"), NEW_VENUE)
        self.venue.setCurrentIndex(max(0, self.venue.findData(data.venue_id)))
        self.map_link = QLabel(self)
        self.map_link.setObjectName("openInMap")
        self.map_link.setText('<a href="map">' + html.escape(_("Open in map")) + "</a>")
        # Tab reaches the link and Enter follows it, as with the mouse.
        self.map_link.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.map_link.linkActivated.connect(lambda _link: self.mapRequested.emit())
        venue_row = QHBoxLayout()
        venue_row.addWidget(self.venue, 1)
        venue_row.addWidget(self.map_link)
        self.venue_address = QLabel(self)
        self.venue_address.setObjectName("hint")
        self.venue_address.setWordWrap(True)
        self.new_venue = self._build_new_venue()
        self.venue_error = error_label(self)

        self.online = QComboBox(self)
        self.online.setObjectName("eventMode")
        self.online.addItem(_("In person"), True)
        self.online.addItem(_("Online"), False)
        self.online.setCurrentIndex(0 if data.in_person else 1)
        self.online_url = QLineEdit(data.online_url, self)
        self.online_url.setObjectName("eventUrl")
        self.online_url.setPlaceholderText("https://meet.example.org/…")

        where_form = page_form(self)
        where_form.addRow(_("Held:"), self.online)
        where_form.addRow(_("Link:"), self.online_url)
        where_form.addRow(_("Venue:"), venue_row)
        where_form.addRow("", self.venue_address)
        where_form.addRow("", self.new_venue)
        where_form.addRow("", self.venue_error)
        self.venue.currentIndexChanged.connect(self._on_venue)
        self.venue_street.textChanged.connect(lambda _t: self._on_venue())
        self.online.currentIndexChanged.connect(self._on_mode)
        self._on_venue()
        self._on_mode()

    def _build_new_venue(self) -> QWidget:
        """The fields of a venue made with the event (shown when "New venue…" is chosen)."""
        new_venue = QWidget(self)
        new_venue.setObjectName("newVenue")
        self.venue_name = QLineEdit(new_venue)
        self.venue_name.setObjectName("venueName")
        self.venue_street = QLineEdit(new_venue)
        self.venue_street.setObjectName("venueAddress")
        self.venue_street.setPlaceholderText(_("12 rue de la République, 69002 Lyon"))
        self.venue_capacity = QSpinBox(new_venue)
        self.venue_capacity.setRange(0, 100000)
        self.venue_capacity.setSpecialValueText(_("Unknown"))
        self.venue_access = QPlainTextEdit(new_venue)
        self.venue_access.setPlaceholderText(_("Door code, floor, step-free access…"))
        self.venue_access.setFixedHeight(scaled(60))
        new_form = page_form(new_venue, top=False)
        new_form.addRow(_("Name:"), self.venue_name)
        new_form.addRow(_("Address:"), self.venue_street)
        new_form.addRow(_("Capacity:"), self.venue_capacity)
        new_form.addRow(_("Access:"), self.venue_access)
        return new_venue

    # -- reactions ---------------------------------------------------------------------------

    def _on_venue(self, *_args: Any) -> None:
        chosen = self.venue.currentData()
        self.new_venue.setVisible(chosen == NEW_VENUE)
        address = self.address_text()
        self.venue_address.setText(address if chosen not in (None, NEW_VENUE) else "")
        self.venue_address.setVisible(bool(address) and chosen != NEW_VENUE)
        self.map_link.setVisible(bool(address))

    def _on_mode(self, *_args: Any) -> None:
        self.online_url.setEnabled(not self.online.currentData())

    def address_text(self) -> str:
        chosen = self.venue.currentData()
        if chosen == NEW_VENUE:
            return self.venue_street.text().strip()
        for venue in self.venues:
            if venue.id == chosen:
                return venue.address or venue.name
        return ""

    def new_venue_data(self) -> VenueCreate | None:
        if self.venue.currentData() != NEW_VENUE:
            return None
        return VenueCreate(
            name=self.venue_name.text().strip(),
            street=self.venue_street.text().strip(),
            capacity=self.venue_capacity.value() or None,
            access_notes=self.venue_access.toPlainText().strip(),
        )
