"""The window's sections: their order in the sidebar (Ctrl+1… follow it), where each view
lives, and what Ctrl+N and Ctrl+P do in each (SectionCommands keeps the window's commands in
step with the section on screen)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cmplanner.i18n import N_, _
from cmplanner.storage import Database
from ui.kit.changes import bridge
from ui.kit.sizing import scaled
from ui.kit.undo import UndoStack

# (key, sidebar label msgid, "module:class"), in sidebar order; Ctrl+1… follow this order.
# Views are imported and built when first shown: a cold start builds only the first one.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("dashboard", N_("Dashboard"), "ui.dashboard.view:DashboardView"),
    ("contacts", N_("Contacts"), "ui.contacts.view:ContactsView"),
    ("organizations", N_("Organizations"), "ui.organizations.view:OrganizationsView"),
    ("communities", N_("Communities"), "ui.communities.view:CommunitiesView"),
    ("events", N_("Events"), "ui.events.view:EventsView"),
    ("calendar", N_("Calendar"), "ui.calendar.view:CalendarView"),
    ("tasks", N_("Tasks"), "ui.checklists.view:TasksView"),
)
SECTION_KEYS = [key for key, _label, _where in SECTIONS]
# The View menu's words for each section: its label, with a letter of its own for Alt.
SECTION_MENU_TEXTS: dict[str, str] = {
    "dashboard": N_("&Dashboard"),
    "contacts": N_("&Contacts"),
    "organizations": N_("&Organizations"),
    "communities": N_("Co&mmunities"),
    "events": N_("&Events"),
    "calendar": N_("C&alendar"),
    "tasks": N_("&Tasks"),
}
# Ctrl+N in each section: (the section whose view makes the new record, the menu's words).
NEW_ITEMS: dict[str, tuple[str, str]] = {
    "dashboard": ("contacts", N_("&New contact…")),
    "contacts": ("contacts", N_("&New contact…")),
    "organizations": ("organizations", N_("&New organization…")),
    "communities": ("communities", N_("&New community…")),
    "events": ("events", N_("&New event…")),
    "calendar": ("events", N_("&New event…")),
    "tasks": ("tasks", N_("&New task…")),
}
# Ctrl+P: the document of the selected record, where a section has one.
PREVIEWS = {
    "events": N_("Pre&view the event brief…"),
    "communities": N_("Pre&view the community dossier…"),
    "": N_("Pre&view the document…"),
}


def sidebar(parent: QWidget) -> QListWidget:
    """The list of sections on the window's left."""
    sections = QListWidget(parent)
    sections.setObjectName("sidebar")
    sections.setAccessibleName(_("Sections"))
    # Tab reaches the sections too (arrows then move between them), not only Ctrl+1…
    sections.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    sections.setFixedWidth(scaled(190))
    sections.setIconSize(QSize(0, 0))
    for key, label, _where in SECTIONS:
        item = QListWidgetItem(_(label))
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setSizeHint(QSize(0, 36))
        sections.addItem(item)
    return sections


class SectionStack(QObject):
    """The sidebar and the stack of the sections' views, each view built when first shown;
    what the views say (counts, selections, filled) is relayed from whichever is built."""

    shown = Signal(str)  # the section now on screen
    countChanged = Signal()
    selectionChanged = Signal()
    filled = Signal()

    def __init__(
        self, window: QWidget, undo_stack: UndoStack, database: Callable[[], Database]
    ) -> None:
        super().__init__(window)
        self.undo_stack = undo_stack
        self.database = database  # the window's database of the moment
        self.sidebar = sidebar(window)
        self.stack = QStackedWidget(window)
        self.stack.setObjectName("content")
        self.views: dict[str, Any] = {}  # the sections built so far
        self.sidebar.currentRowChanged.connect(self._show_row)
        self._build_page(window)

    def _build_page(self, window: QWidget) -> None:
        """The sidebar beside the page: the section's title over its view."""
        self.central = QWidget(window)
        layout = QHBoxLayout(self.central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        page = QWidget(self.central)
        page.setObjectName("page")
        self.page_layout = QVBoxLayout(page)
        self.page_layout.setContentsMargins(24, 16, 24, 12)
        self.page_layout.setSpacing(10)
        self.page_title = QLabel(page)
        self.page_title.setObjectName("pageTitle")
        self.page_layout.addWidget(self.page_title)
        self.page_layout.addWidget(self.stack, 1)
        layout.addWidget(page, 1)

    def view(self, key: str) -> Any:
        """The section's view, built on first use."""
        view = self.views.get(key)
        if view is None:
            where = SECTIONS[SECTION_KEYS.index(key)][2]
            module_name, class_name = where.split(":")
            view = getattr(importlib.import_module(module_name), class_name)(self.stack)
            view.setObjectName(f"{key}View")
            self.views[key] = view
            self.stack.addWidget(view)
            view.undo_stack = self.undo_stack
            view.countChanged.connect(self.countChanged)
            selection_changed = getattr(view, "selectionChanged", None)
            if selection_changed is not None:
                selection_changed.connect(self.selectionChanged)
            view.filled.connect(self.filled)
            bridge().changed.connect(view.on_changes)
            view.set_database(self.database())
        return view

    def current_key(self) -> str:
        return SECTIONS[max(0, self.sidebar.currentRow())][0]

    def show(self, key: str) -> None:
        self.sidebar.setCurrentRow(SECTION_KEYS.index(key))

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        key = SECTIONS[row][0]
        self.stack.setCurrentWidget(self.view(key))
        self.page_title.setText(_(SECTIONS[row][1]))
        self.shown.emit(key)


class SectionCommands(QObject):
    """The window's commands that follow the section on screen: the View menu's check mark,
    Ctrl+I, what Ctrl+N makes and whether Ctrl+P has a document; and what they do there.
    `commands` is the window's table of actions (filled after this is made)."""

    def __init__(self, sections: SectionStack, commands: dict[str, QAction]) -> None:
        super().__init__(sections)
        self.sections = sections
        self.commands = commands

    def shown(self, key: str) -> None:
        """The section `key` came on screen: its check mark, Ctrl+I, its view loaded."""
        for other in SECTION_KEYS:
            self.commands[f"section:{other}"].setChecked(other == key)
        # Ctrl+I is the Events view's Invitations there; Import contacts everywhere else.
        self.commands["import_contacts"].setShortcut(
            QKeySequence("" if key == "events" else "Ctrl+I")
        )
        self.sections.view(key).ensure_loaded()

    def update(self) -> None:
        """What Ctrl+N makes and whether Ctrl+P has a document to show, in this section."""
        key = self.sections.current_key()
        self.commands["new_item"].setText(_(NEW_ITEMS[key][1]))
        self.commands["preview"].setText(_(PREVIEWS.get(key, PREVIEWS[""])))
        view = self.sections.views.get(key)
        can_preview = getattr(view, "can_preview", None)
        self.commands["preview"].setEnabled(bool(callable(can_preview) and can_preview()))

    def open(self, key: str) -> None:
        """Ctrl+1…7 or the View menu: the section, ready to be typed in when it has a search
        box (the focus stays where it is otherwise; arrows in the sidebar keep it there)."""
        self.sections.show(key)
        search = getattr(self.sections.view(key), "search", None)
        if isinstance(search, QWidget) and search.isVisible() and search.isEnabled():
            search.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def new_item(self) -> None:
        """Ctrl+N: a new record of the section on screen (the dashboard: a contact)."""
        maker = NEW_ITEMS[self.sections.current_key()][0]
        if maker == "contacts" and self.sections.current_key() == "dashboard":
            self.sections.show("contacts")
        self.sections.view(maker).new_record()

    def preview_selected(self) -> None:
        """Ctrl+P: the document of the selected record (an event's brief, a community's
        dossier)."""
        view = self.sections.view(self.sections.current_key())
        if getattr(view, "can_preview", lambda: False)():
            view.preview_selected()
