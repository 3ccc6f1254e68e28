"""A list whose records open in an editor: a "New…" button, Enter/double-click to edit, and a
refresh when contacts change (the lists count people)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QMenu, QPushButton

from cmplanner.i18n import _
from ui.tasks import run_in_background
from ui.views.listing_view import ListingView


class EditableListingView(ListingView):
    """Subclasses give `details` (service: db, id → details) and `make_editor`."""

    details: Callable[[Any, int], Any]
    editor: QDialog | None = None

    def add_new_button(self, text: str, name: str) -> None:
        self.open_action.setText(_("&Edit…"))
        self.new_button = QPushButton(text, self)
        self.new_button.setObjectName(name)
        self.new_button.clicked.connect(lambda: self.open_record(None))
        self.top_bar.addWidget(self.new_button)

    def make_editor(self, details: Any) -> QDialog:
        raise NotImplementedError

    def on_changes(self, changes: Any) -> None:
        # Their people counts change when contacts are deleted, merged or edited.
        if changes.touches("contacts") and not changes.touches(self.kind):
            if self._loaded:
                self.refresh()
            return
        super().on_changes(changes)

    def new_record(self) -> None:
        self.open_record(None)

    def open_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.open_record(ids[0])

    def open_record(self, record_id: int | None) -> None:
        """Open the editor on a record (its details read in the background), or a new one."""
        if self.db is None:
            return
        if record_id is None:
            self._show_editor(None)
            return
        run_in_background(
            self.details, self.db, record_id, on_success=self._show_editor, label=_("Opening…")
        )

    def _show_editor(self, details: Any) -> None:
        self.editor = self.make_editor(details)
        self.editor.open()

    def fill_row_menu(self, menu: QMenu, ids: list[int]) -> None:
        if len(ids) == 1:
            menu.addAction(self.open_action)
