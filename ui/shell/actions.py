"""The main window's actions, their shortcuts and its menus, all in one place, as tables:
the window turns each row into a QAction bound to its method of the same name."""

from __future__ import annotations

from PySide6.QtGui import QAction

from cmplanner.i18n import N_

# (key, words, the window's method, shortcut), in the order they are made.
ACTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("new_item", N_("&New contact…"), "new_item", "Ctrl+N"),
    ("new", N_("New &database…"), "new_database", "Ctrl+Shift+N"),
    ("open", N_("&Open database…"), "open_database_dialog", "Ctrl+O"),
    ("backup", N_("&Back up now"), "backup_now", "Ctrl+B"),
    ("restore", N_("&Restore from backup…"), "restore_dialog", ""),
    ("preferences", N_("&Preferences…"), "preferences", "Ctrl+,"),
    ("quit", N_("&Quit"), "close", "Ctrl+Q"),
)
# After Undo, Redo and the sections (Ctrl+1…), made by the window.
MORE_ACTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("find", N_("&Find"), "focus_search", "Ctrl+F"),
    ("import_contacts", N_("&Import contacts…"), "import_contacts", "Ctrl+I"),
    ("export_contacts", N_("&Export contacts…"), "export_contacts", ""),
    ("import_calendar", N_("Import c&alendar…"), "import_calendar", ""),
    ("read_replies", N_("Read &guests' replies…"), "read_replies", ""),
    ("export_calendar", N_("Export ca&lendar…"), "export_calendar", ""),
    ("publish_caldav", N_("P&ublish to CalDAV"), "publish_caldav", ""),
    ("new_contact", N_("New &contact…"), "new_contact", ""),
    ("duplicates", N_("&Find duplicates…"), "find_duplicates", ""),
    ("manage_tags", N_("Manage &tags…"), "manage_tags", ""),
    ("manage_venues", N_("Manage &venues…"), "manage_venues", ""),
    ("preview", N_("Pre&view the document…"), "preview_selected", "Ctrl+P"),
    ("help", N_("CM Planner &help"), "show_help", "F1"),
    ("dashboard_help", N_("How the &dashboard is computed"), "dashboard_help", ""),
    ("about", N_("&About CM Planner"), "about", ""),
    ("about_qt", N_("About &Qt"), "about_qt", ""),
)
# Where the platform puts them (macOS: the application menu).
MENU_ROLES = {
    "preferences": QAction.MenuRole.PreferencesRole,
    "quit": QAction.MenuRole.QuitRole,
    "about": QAction.MenuRole.AboutRole,
    "about_qt": QAction.MenuRole.AboutQtRole,
}
UNDO_SHORTCUTS = {"undo": "Ctrl+Z", "redo": "Ctrl+Shift+Z"}

SECTIONS_MARK = "sections"  # in MENUS: every section's action, in sidebar order
# (menu title, action keys; "" is a separator).
MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        N_("&File"),
        (
            "new_item",
            "new",
            "open",
            "",
            "preview",
            "",
            "import_contacts",
            "export_contacts",
            "",
            "import_calendar",
            "read_replies",
            "export_calendar",
            "publish_caldav",
            "",
            "backup",
            "restore",
            "",
            "preferences",
            "",
            "quit",
        ),
    ),
    (
        N_("&Edit"),
        ("undo", "redo", "", "new_contact", "duplicates", "", "manage_tags", "manage_venues"),
    ),
    (N_("&View"), (SECTIONS_MARK, "", "find")),
    (N_("&Help"), ("help", "dashboard_help", "", "about", "about_qt")),
)
