"""A list whose records open in an editor: a "New…" button, Enter/double-click to edit, and a
refresh when contacts change (the lists count people). Named records (organizations,
communities) are also renamed (F2), merged into another and deleted (Delete) from it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QMenu, QPushButton

from cmplanner.i18n import _
from ui.kit.jobs import run_in_background
from ui.kit.listing_view import ListingView
from ui.kit.named_records import add_record_actions, delete_record, rename_record


class EditableListingView(ListingView):
    """Subclasses give `details` (service: db, id → details) and `make_editor`."""

    details: Callable[[Any, int], Any]
    editor: QDialog | None = None
    named_kind: str | None = None  # cmplanner.services.named_records.KINDS

    def add_rename_action(self) -> None:
        """F2 renames the selected record (named kinds)."""
        self.rename_action = self._table_action(_("&Rename…"), self.rename_selected, "F2")

    def record_name(self, record_id: int) -> str:
        """The name shown for a record of the list."""
        row = self.model.ids().index(record_id)
        column = self.model.listing.column_keys().index("name")
        return str(self.model.index(row, column).data() or "")

    def _named(self, act: Callable[..., None]) -> None:
        ids = self.selected_ids()
        if len(ids) == 1 and self.db is not None and self.named_kind is not None:
            act(
                self.window(), self.db, self.push, self.named_kind, ids[0], self.record_name(ids[0])
            )

    def rename_selected(self) -> None:
        self._named(rename_record)

    def delete_selected(self) -> None:
        self._named(delete_record)

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
        if len(ids) == 1 and self.db is not None and self.named_kind is not None:
            menu.addSeparator()
            add_record_actions(
                menu,
                self.window(),
                self.db,
                self.push,
                self.named_kind,
                ids[0],
                self.record_name(ids[0]),
            )
