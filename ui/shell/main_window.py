"""The main window: assembles the sections, menus, actions and shortcuts. Nothing else.

Each section lives in its package (`ui/contacts/`, `ui/events/`…, listed in
`ui/shell/sections.py`); the actions, shortcuts and menus are tables in `ui/shell/actions.py`;
the commands that follow the section shown are kept in step by `ui/shell/sections.py`;
another database is opened by `ui/shell/database_files.py`; backups keep their schedule in
`ui/shell/backup_schedule.py`. Background work goes through `ui.kit.jobs`; changes arrive
from the core bus through `ui.kit.changes`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QWidget,
)

from cmplanner import APP_NAME, paths
from cmplanner.i18n import _, labelled
from cmplanner.storage import Database
from ui.kit import errors, menu_keys, settings
from ui.kit.announce import announce
from ui.kit.focus_order import keep_reading_order
from ui.kit.jobs import run_in_background, runner
from ui.kit.sizing import (
    keep_dialogs_fitted,
    resize_within_screen,
)
from ui.kit.undo import UndoStack
from ui.shell import actions, window_state
from ui.shell.backup_schedule import BackupSchedule
from ui.shell.sections import (
    SECTION_KEYS,
    SECTION_MENU_TEXTS,
    SectionCommands,
    SectionStack,
)
from ui.shell.status import StatusLine
from ui.shell.window_reminders import WindowReminders

if TYPE_CHECKING:
    from ui.shell.database_files import DatabaseSwitch
    from ui.shell.single_instance import InstanceServer


class MainWindow(QMainWindow):
    databaseChanged = Signal(object)  # the new Database
    firstViewFilled = Signal()

    def __init__(
        self,
        db: Database,
        instance_server: InstanceServer | None = None,  # or later: attach_instance_server
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            # For every window of the app: Tab follows what is on screen, the Menu key and
            # Shift+F10 open context menus (and Tab leaves tables and text areas), dialogs
            # keep the height of their wrapped text.
            keep_reading_order(app)
            menu_keys.install(app)
            keep_dialogs_fitted(app)
        self.db = db
        self.instance_server = instance_server
        self.undo_stack = UndoStack(self)
        self.commands: dict[str, QAction] = {}
        self.first_view_filled = False
        self.backup_on_close = True

        self._build_page()
        self._create_actions()
        self._create_menus()
        self._create_status_bar()
        self.setAcceptDrops(True)  # .ics and .eml files: calendars imported, replies read

        self.backups = BackupSchedule(self, lambda: self.db, self.show_message, self.reload_views)
        self.reminding = WindowReminders(self, self.page_layout, lambda: self.db)
        self.reminding.showRequested.connect(self.show_dashboard)
        self.reminding.quitRequested.connect(self.close)
        self._reminders_timer = self.reminding.timer
        self.firstViewFilled.connect(self._reminders_timer.start)

        resize_within_screen(self, 1320, 800)  # a laptop's whole screen, or a big one's part
        window_state.restore(self)
        self._set_database(db, initial=True)

    def _build_page(self) -> None:
        """The sidebar of sections beside the page: its title over the section shown."""
        self.sections = SectionStack(self, self.undo_stack, lambda: self.db)
        self.sidebar, self.stack = self.sections.sidebar, self.sections.stack
        self.page_title, self.page_layout = self.sections.page_title, self.sections.page_layout
        self.views = self.sections.views  # the sections built so far
        self.section_commands = SectionCommands(self.sections, self.commands)
        self.sections.shown.connect(self._section_shown)
        self.sections.countChanged.connect(self._update_status)
        self.sections.selectionChanged.connect(self.section_commands.update)
        self.sections.filled.connect(self._on_view_filled)
        self.setCentralWidget(self.sections.central)

    # -- actions and menus (their table: ui/shell/actions.py) ---------------------------------

    def _action(self, key: str, text: str, method: str, shortcut: str = "") -> QAction:
        action = QAction(_(text), self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        slot: Callable[[], Any] = getattr(self, method)
        action.triggered.connect(lambda _checked=False: slot())
        self.commands[key] = action
        return action

    def _create_actions(self) -> None:
        for row in actions.ACTIONS:
            self._action(*row)
        undo = self.undo_stack.createUndoAction(self, _("&Undo"))
        redo = self.undo_stack.createRedoAction(self, _("&Redo"))
        for key, action in (("undo", undo), ("redo", redo)):
            action.setShortcut(QKeySequence(actions.UNDO_SHORTCUTS[key]))
            self.commands[key] = action
        for number, key in enumerate(SECTION_KEYS, start=1):
            action = QAction(_(SECTION_MENU_TEXTS[key]), self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(
                lambda _checked=False, key=key: self.section_commands.open(key)
            )
            action.setCheckable(True)
            self.commands[f"section:{key}"] = action
        for row in actions.MORE_ACTIONS:
            self._action(*row)
        for key, role in actions.MENU_ROLES.items():
            self.commands[key].setMenuRole(role)

    def _create_menus(self) -> None:
        for title, keys in actions.MENUS:
            menu = self.menuBar().addMenu(_(title))
            for key in keys:
                if not key:
                    menu.addSeparator()
                elif key == actions.SECTIONS_MARK:
                    for section in SECTION_KEYS:
                        menu.addAction(self.commands[f"section:{section}"])
                else:
                    menu.addAction(self.commands[key])

    def _create_status_bar(self) -> None:
        self.status_line = StatusLine(self.statusBar(), self)
        self.count_label = self.status_line.count_label
        self.busy_label = self.status_line.busy_label
        self.path_label = self.status_line.path_label

    # -- sections ---------------------------------------------------------------------------

    def view(self, key: str) -> Any:
        """The section's view, built on first use."""
        return self.sections.view(key)

    def current_key(self) -> str:
        return self.sections.current_key()

    def current_view(self) -> Any:
        return self.view(self.current_key())

    def show_section(self, key: str) -> None:
        self.sections.show(key)

    def _section_shown(self, key: str) -> None:
        self.section_commands.shown(key)
        self._update_status()
        self.section_commands.update()

    def focus_search(self) -> None:
        self.current_view().focus_search()

    def new_item(self) -> None:
        self.section_commands.new_item()

    def preview_selected(self) -> None:
        self.section_commands.preview_selected()

    def show_help(self) -> None:
        from ui.shell.help import HelpDialog  # on use, not at start-up

        self.help_dialog = HelpDialog(self)
        self.help_dialog.show()

    def _update_status(self) -> None:
        self.count_label.setText(self.current_view().status_text())

    def _on_view_filled(self) -> None:
        self._update_status()
        if not self.first_view_filled:
            self.first_view_filled = True
            self.firstViewFilled.emit()

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)
        announce(self, text)

    # -- reminders --------------------------------------------------------------------------

    @property
    def reminders(self) -> Any:
        """ui.shell.reminders.Reminders, once started."""
        return self.reminding.reminders

    @property
    def reminder_banner(self) -> Any:
        """ui.shell.reminders.ReminderBanner, when there is no tray."""
        return self.reminding.banner

    def start_reminders(self) -> None:
        self.reminding.start()

    def dashboard_help(self) -> None:
        """The vitality formula, in words (the dashboard's own help)."""
        self.show_section("dashboard")
        help_ = getattr(self.view("dashboard"), "show_help", None)
        if callable(help_):
            help_()

    def show_dashboard(self) -> None:
        """Bring the window forward on the dashboard (a reminder was clicked)."""
        self.raise_window()
        self.show_section("dashboard")
        self.reminding.hide_banner()

    # -- the database -----------------------------------------------------------------------

    def _set_database(self, db: Database, initial: bool = False) -> None:
        self.db = db
        self.setWindowTitle(f"{db.path.name} — {APP_NAME}")
        self.path_label.set_whole_text(str(db.path))
        self.path_label.setToolTip(labelled(_("The database this window shows"), db.path))
        if db.path != paths.demo_database().resolve():  # a demo is never "your" database
            settings.app_settings().setValue(settings.LAST_DATABASE, str(db.path))
        self.undo_stack.clear()
        for view in self.views.values():
            view.set_database(db)
        if initial:
            saved = settings.app_settings().value(settings.SECTION, "dashboard")
            self.sidebar.setCurrentRow(SECTION_KEYS.index(saved) if saved in SECTION_KEYS else 0)
        else:
            self.current_view().ensure_loaded()
            self.databaseChanged.emit(db)
            self.reminding.set_database(db)
        if self.instance_server is not None:
            self.instance_server.listen(db.path)

    def reload_views(self) -> None:
        """The database's whole content was replaced (a restore): every view forgets what it
        showed and reads it again, the one on screen at once, the others when shown."""
        for view in self.views.values():
            view.set_database(self.db)
        self.current_view().ensure_loaded()
        if self.reminders is not None:
            self.reminders.set_database(self.db)

    @functools.cached_property
    def database_switch(self) -> DatabaseSwitch:
        """Opening another database (ui/shell/database_files.py), made on first use."""
        from ui.shell.database_files import DatabaseSwitch  # start-up: when first needed

        switch = DatabaseSwitch(self, lambda: self.db)
        switch.opened.connect(self._switch_to)
        return switch

    def switch_database(self, path: Path) -> None:
        """Open `path` (creating it if missing) and show it; the current one is closed."""
        self.database_switch.switch(path)

    def _switch_to(self, new_db: Database) -> None:
        self._set_database(new_db)
        # What opening it did, if anything (an interrupted upgrade undone), else that it did.
        self.show_message(" ".join(new_db.notices) or _("Opened {path}").format(path=new_db.path))

    def new_database(self) -> None:
        self.database_switch.ask_new()

    def open_database_dialog(self) -> None:
        self.database_switch.ask_open()

    # -- backups (ui/shell/backup_schedule.py) ------------------------------------------------

    def backup_now(self) -> None:
        self.backups.backup_now()

    def backup_if_due(self) -> None:
        self.backups.backup_if_due()

    def restore_dialog(self) -> None:
        self.backups.restore_dialog()

    def restore(self, backup_path: Path) -> None:
        self.backups.restore(backup_path)

    # -- dialogs ----------------------------------------------------------------------------

    def preferences(self, page: str = "") -> None:
        from ui.preferences.dialog import open_preferences  # on use, not at start-up

        open_preferences(self, self.db, page)

    def import_calendar(self) -> None:
        from ui.exchange.calendars import import_calendar_dialog  # on use, not at start-up

        import_calendar_dialog(self, self.db)

    def read_replies(self) -> None:
        from ui.exchange.calendars import read_replies_dialog  # on use, not at start-up

        read_replies_dialog(self, self.db)

    def export_calendar(self) -> None:
        from ui.exchange.calendars import export_calendar_dialog  # on use, not at start-up

        export_calendar_dialog(self, self.db)

    def publish_caldav(self, community: str | None = None) -> None:
        from ui.exchange.calendars import publish_to_caldav  # on use, not at start-up

        publish_to_caldav(self, self.db, community)

    def open_files(self, paths: list[Path]) -> bool:
        """Calendars (.ics) are imported, guests' replies (.ics, .eml, folders) read."""
        from ui.exchange.calendars import open_dropped  # on use, not at start-up

        return open_dropped(self, self.db, paths)

    @staticmethod
    def _dropped_paths(event: QDropEvent | QDragEnterEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        from ui.exchange.calendars import usable  # on use, not at start-up

        if any(usable(p) for p in self._dropped_paths(event)):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._dropped_paths(event)
        if paths and self.open_files(paths):
            event.acceptProposedAction()
        else:
            event.ignore()

    def import_contacts(self) -> None:
        from ui.contacts.files import ImportWizard  # on use, not at start-up

        self.import_wizard = ImportWizard(self.db, self)
        self.import_wizard.open()

    def export_contacts(self) -> None:
        from cmplanner.services.stats import record_counts  # on use, not at start-up
        from ui.contacts.files import export_contacts  # on use, not at start-up

        contacts = self.views.get("contacts")
        selected = contacts.selected_ids() if contacts is not None else []
        shown = None
        if contacts is not None and (contacts.has_filters() or contacts.search.text().strip()):
            shown = contacts.model.ids()
        db = self.db
        run_in_background(
            record_counts,
            db,
            on_success=lambda counts: export_contacts(
                self, db, selected, shown, counts.get("contacts")
            ),
        )

    def new_contact(self) -> None:
        self.show_section("contacts")
        self.view("contacts").open_contact(None)

    def find_duplicates(self) -> None:
        self.show_section("contacts")
        self.view("contacts").find_duplicates()

    def manage(self, kind: str) -> None:
        """Manage tags… or Manage venues…: rename, merge, delete (undoably)."""
        from ui.kit.named_records import manage  # on use, not at start-up

        self.manage_dialog = manage(self, self.db, self.undo_stack.push, kind)

    def about(self) -> None:
        from ui.shell.about import show_about  # on use, not at start-up

        show_about(self)

    def about_qt(self) -> None:
        QApplication.aboutQt()

    def manage_tags(self) -> None:
        self.manage("tag")

    def manage_venues(self) -> None:
        self.manage("venue")

    def attach_instance_server(self, server: InstanceServer) -> None:
        """Listen for later launches on this window's database (and follow switches)."""
        self.instance_server = server
        server.raiseRequested.connect(self.raise_window)
        server.listen(self.db.path)

    def raise_window(self) -> None:
        """A second launch on this database asked for this window."""
        errors.log.info("Another launch on %s raised this window", self.db.path)
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    # -- state and closing ------------------------------------------------------------------

    def save_window_state(self) -> None:
        window_state.save(self, self.current_key())

    def closeEvent(self, event: QCloseEvent) -> None:
        from ui.kit.unsaved import close_editors  # on use, not at start-up

        if not close_editors():  # an editor with unsaved changes stays open
            event.ignore()
            return
        self.save_window_state()
        self.reminding.stop()
        self.backups.close(self.backup_on_close)  # the worker's last job, waited for below
        runner().shutdown()
        if self.instance_server is not None:
            self.instance_server.close()
        self.db.close()
        event.accept()
