"""The main window: assembles the sections, menus, actions and shortcuts. Nothing else.

Each section lives in `ui/views/`; background work goes through `ui.kit.jobs`; changes arrive
from the core bus through `ui.kit.changes`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, Signal
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
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cmplanner import APP_ID, APP_NAME, __version__, paths
from cmplanner.i18n import N_, _, labelled
from cmplanner.storage import Database
from cmplanner.storage import backup as backups
from ui.kit import errors, file_dialogs, menu_keys, settings
from ui.kit.announce import announce
from ui.kit.changes import bridge
from ui.kit.focus_order import keep_reading_order
from ui.kit.jobs import run_in_background, runner
from ui.kit.sizing import (
    ElidedLabel,
    keep_dialogs_fitted,
    keep_on_screen,
    resize_within_screen,
    scaled,
)
from ui.kit.undo import UndoStack

if TYPE_CHECKING:
    from ui.shell.single_instance import InstanceServer

BACKUP_EVERY = dt.timedelta(minutes=30)
BUSY_DELAY_MS = 300
# Reminders start this long after the first view is shown: never on the cold-start path,
# and the first view's own background work goes first on the worker.
REMINDERS_DELAY_MS = 2000

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

ABOUT_HTML = "<h3>{name} {version}</h3><p>{what}</p><p>{licence}</p><p><small>{app_id}</small></p>"
FILE_FILTER = N_("CM Planner databases (*.cmplanner);;All files (*)")


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
        self.reminders: Any = None  # ui.shell.reminders.Reminders, once started
        self.reminder_banner: Any = None  # ui.shell.reminders.ReminderBanner, when there is no tray

        self.sidebar = QListWidget(self)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName(_("Sections"))
        # Tab reaches the sections too (arrows then move between them), not only Ctrl+1…
        self.sidebar.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.sidebar.setFixedWidth(scaled(190))
        self.sidebar.setIconSize(QSize(0, 0))
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("content")
        self.views: dict[str, Any] = {}  # the sections built so far
        for key, label, _where in SECTIONS:
            item = QListWidgetItem(_(label))
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(0, 36))
            self.sidebar.addItem(item)
        self.sidebar.currentRowChanged.connect(self._show_section)

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        page = QWidget(central)
        page.setObjectName("page")
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(24, 16, 24, 12)
        page_layout.setSpacing(10)
        self.page_title = QLabel(page)
        self.page_title.setObjectName("pageTitle")
        page_layout.addWidget(self.page_title)
        page_layout.addWidget(self.stack, 1)
        self.page_layout = page_layout
        layout.addWidget(page, 1)
        self.setCentralWidget(central)

        self._create_actions()
        self._create_menus()
        self._create_status_bar()
        self.setAcceptDrops(True)  # .ics and .eml files: calendars imported, replies read

        self._backup_timer = QTimer(self)
        self._backup_timer.setInterval(int(BACKUP_EVERY.total_seconds() * 1000))
        self._backup_timer.timeout.connect(self.backup_if_due)
        self._backup_timer.start()

        self._reminders_timer = QTimer(self)
        self._reminders_timer.setSingleShot(True)
        self._reminders_timer.setInterval(REMINDERS_DELAY_MS)
        self._reminders_timer.timeout.connect(self.start_reminders)
        self.firstViewFilled.connect(self._reminders_timer.start)

        resize_within_screen(self, 1320, 800)  # a laptop's whole screen, or a big one's part
        self._restore_window_state()
        self._set_database(db, initial=True)

    # -- actions and menus (all shortcuts are here) -----------------------------------------

    def _action(
        self, key: str, text: str, slot: Callable[..., Any], shortcut: str | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.commands[key] = action
        return action

    def _create_actions(self) -> None:
        self._action("new_item", _("&New contact…"), self.new_item, "Ctrl+N")
        self._action("new", _("New &database…"), self.new_database, "Ctrl+Shift+N")
        self._action("open", _("&Open database…"), self.open_database_dialog, "Ctrl+O")
        self._action("backup", _("&Back up now"), self.backup_now, "Ctrl+B")
        self._action("restore", _("&Restore from backup…"), self.restore_dialog)
        prefs = self._action("preferences", _("&Preferences…"), self.preferences, "Ctrl+,")
        prefs.setMenuRole(QAction.MenuRole.PreferencesRole)
        quit_ = self._action("quit", _("&Quit"), self.close, "Ctrl+Q")
        quit_.setMenuRole(QAction.MenuRole.QuitRole)

        undo = self.undo_stack.createUndoAction(self, _("&Undo"))
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        redo = self.undo_stack.createRedoAction(self, _("&Redo"))
        redo.setShortcut(QKeySequence("Ctrl+Shift+Z"))
        self.commands["undo"], self.commands["redo"] = undo, redo

        for number, key in enumerate(SECTION_KEYS, start=1):
            action = self._action(
                f"section:{key}",
                _(SECTION_MENU_TEXTS[key]),
                lambda key=key: self.open_section(key),
                f"Ctrl+{number}",
            )
            action.setCheckable(True)
        self._action("find", _("&Find"), self.focus_search, "Ctrl+F")
        self._action("import_contacts", _("&Import contacts…"), self.import_contacts, "Ctrl+I")
        self._action("export_contacts", _("&Export contacts…"), self.export_contacts)
        self._action("import_calendar", _("Import c&alendar…"), self.import_calendar)
        self._action("read_replies", _("Read &guests' replies…"), self.read_replies)
        self._action("export_calendar", _("Export ca&lendar…"), self.export_calendar)
        self._action("publish_caldav", _("P&ublish to CalDAV"), self.publish_caldav)
        self._action("new_contact", _("New &contact…"), self.new_contact)
        self._action("duplicates", _("&Find duplicates…"), self.find_duplicates)
        self._action("manage_tags", _("Manage &tags…"), lambda: self.manage("tag"))
        self._action("manage_venues", _("Manage &venues…"), lambda: self.manage("venue"))
        self._action("preview", _(PREVIEWS[""]), self.preview_selected, "Ctrl+P")

        self._action("help", _("CM Planner &help"), self.show_help, "F1")
        self._action("dashboard_help", _("How the &dashboard is computed"), self.dashboard_help)
        about = self._action("about", _("&About CM Planner"), self.about)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about_qt = self._action("about_qt", _("About &Qt"), QApplication.aboutQt)
        about_qt.setMenuRole(QAction.MenuRole.AboutQtRole)

    def _create_menus(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu(_("&File"))
        for key in ("new_item", "new", "open"):
            file_menu.addAction(self.commands[key])
        file_menu.addSeparator()
        file_menu.addAction(self.commands["preview"])
        file_menu.addSeparator()
        for key in ("import_contacts", "export_contacts"):
            file_menu.addAction(self.commands[key])
        file_menu.addSeparator()
        for key in ("import_calendar", "read_replies", "export_calendar", "publish_caldav"):
            file_menu.addAction(self.commands[key])
        file_menu.addSeparator()
        for key in ("backup", "restore"):
            file_menu.addAction(self.commands[key])
        file_menu.addSeparator()
        file_menu.addAction(self.commands["preferences"])
        file_menu.addSeparator()
        file_menu.addAction(self.commands["quit"])

        edit_menu = menus.addMenu(_("&Edit"))
        edit_menu.addAction(self.commands["undo"])
        edit_menu.addAction(self.commands["redo"])
        edit_menu.addSeparator()
        edit_menu.addAction(self.commands["new_contact"])
        edit_menu.addAction(self.commands["duplicates"])
        edit_menu.addSeparator()
        edit_menu.addAction(self.commands["manage_tags"])
        edit_menu.addAction(self.commands["manage_venues"])

        view_menu = menus.addMenu(_("&View"))
        for key, _label, _view in SECTIONS:
            view_menu.addAction(self.commands[f"section:{key}"])
        view_menu.addSeparator()
        view_menu.addAction(self.commands["find"])

        help_menu = menus.addMenu(_("&Help"))
        help_menu.addAction(self.commands["help"])
        help_menu.addAction(self.commands["dashboard_help"])
        help_menu.addSeparator()
        help_menu.addAction(self.commands["about"])
        help_menu.addAction(self.commands["about_qt"])

    def _create_status_bar(self) -> None:
        status = self.statusBar()
        status.setSizeGripEnabled(True)
        self.count_label = QLabel(self)
        self.busy_label = QLabel(self)
        self.busy_label.setObjectName("busy")
        self.path_label = ElidedLabel(self)  # a long path, shortened in the middle
        self.path_label.setObjectName("databasePath")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        status.addWidget(self.count_label)
        status.addWidget(self.busy_label)
        status.addPermanentWidget(self.path_label)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self._show_busy)
        self._busy_text = ""
        runner().busyChanged.connect(self._on_busy_changed)

    # -- sections ---------------------------------------------------------------------------

    def view(self, key: str) -> Any:
        """The section's view, built on first use."""
        view = self.views.get(key)
        if view is None:
            import importlib

            where = SECTIONS[SECTION_KEYS.index(key)][2]
            module_name, class_name = where.split(":")
            view = getattr(importlib.import_module(module_name), class_name)(self.stack)
            view.setObjectName(f"{key}View")
            self.views[key] = view
            self.stack.addWidget(view)
            view.undo_stack = self.undo_stack
            view.countChanged.connect(self._update_status)
            selection_changed = getattr(view, "selectionChanged", None)
            if selection_changed is not None:
                selection_changed.connect(self._update_actions)
            view.filled.connect(self._on_view_filled)
            bridge().changed.connect(view.on_changes)
            view.set_database(self.db)
        return view

    def current_key(self) -> str:
        return SECTIONS[max(0, self.sidebar.currentRow())][0]

    def current_view(self) -> Any:
        return self.view(self.current_key())

    def show_section(self, key: str) -> None:
        self.sidebar.setCurrentRow(SECTION_KEYS.index(key))

    def _show_section(self, row: int) -> None:
        if row < 0:
            return
        key = SECTIONS[row][0]
        view = self.view(key)
        self.stack.setCurrentWidget(view)
        self.page_title.setText(_(SECTIONS[row][1]))
        for other, _label, _view in SECTIONS:
            self.commands[f"section:{other}"].setChecked(other == key)
        # Ctrl+I is the Events view's Invitations there; Import contacts everywhere else.
        self.commands["import_contacts"].setShortcut(
            QKeySequence("" if key == "events" else "Ctrl+I")
        )
        view.ensure_loaded()
        self._update_status()
        self._update_actions()

    def open_section(self, key: str) -> None:
        """Ctrl+1…7 or the View menu: the section, ready to be typed in when it has a search
        box (the focus stays where it is otherwise; arrows in the sidebar keep it there)."""
        self.show_section(key)
        search = getattr(self.view(key), "search", None)
        if isinstance(search, QWidget) and search.isVisible() and search.isEnabled():
            search.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _update_actions(self) -> None:
        """What Ctrl+N makes and whether Ctrl+P has a document to show, in this section."""
        key = self.current_key()
        self.commands["new_item"].setText(_(NEW_ITEMS[key][1]))
        self.commands["preview"].setText(_(PREVIEWS.get(key, PREVIEWS[""])))
        view = self.views.get(key)
        can_preview = getattr(view, "can_preview", None)
        self.commands["preview"].setEnabled(bool(callable(can_preview) and can_preview()))

    def focus_search(self) -> None:
        self.current_view().focus_search()

    def new_item(self) -> None:
        """Ctrl+N: a new record of the section on screen (the dashboard: a contact)."""
        maker = NEW_ITEMS[self.current_key()][0]
        if maker == "contacts" and self.current_key() == "dashboard":
            self.show_section("contacts")
        self.view(maker).new_record()

    def preview_selected(self) -> None:
        """Ctrl+P: the document of the selected record (an event's brief, a community's
        dossier)."""
        view = self.current_view()
        if getattr(view, "can_preview", lambda: False)():
            view.preview_selected()

    def show_help(self) -> None:
        from ui.shell.help import HelpDialog

        self.help_dialog = HelpDialog(self)
        self.help_dialog.show()

    def _update_status(self) -> None:
        self.count_label.setText(self.current_view().status_text())

    def _on_view_filled(self) -> None:
        self._update_status()
        if not self.first_view_filled:
            self.first_view_filled = True
            self.firstViewFilled.emit()

    def _on_busy_changed(self, text: str) -> None:
        self._busy_text = text
        if text:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self.busy_label.clear()

    def _show_busy(self) -> None:
        self.busy_label.setText(self._busy_text)

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)
        announce(self, text)

    # -- reminders --------------------------------------------------------------------------

    def start_reminders(self) -> None:
        """The tray icon, the start digest and the hourly checks (ui/shell/reminders.py)."""
        from ui.shell.reminders import Reminders

        if self.reminders is not None:
            return
        self.reminders = Reminders(self.db, self)
        self.reminders.showRequested.connect(self.show_dashboard)
        self.reminders.quitRequested.connect(self.close)
        self.reminders.notified.connect(self._on_reminder)
        self.reminders.checked.connect(self._on_reminders_checked)
        self.reminders.start()

    def _on_reminder(self, title: str, message: str) -> None:
        if self.reminders is not None and self.reminders.tray_says_it():
            return  # said by the tray
        from ui.shell.reminders import ReminderBanner

        if self.reminder_banner is None:
            self.reminder_banner = ReminderBanner(self)
            self.reminder_banner.showRequested.connect(self.show_dashboard)
            self.page_layout.insertWidget(0, self.reminder_banner)
        self.reminder_banner.say(title, message)

    def _on_reminders_checked(self, found: Any) -> None:
        if not found.enabled and self.reminder_banner is not None:
            self.reminder_banner.hide()

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
        if self.reminder_banner is not None:
            self.reminder_banner.hide()

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
            if self.reminders is not None:
                self.reminders.set_database(db)
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

    def switch_database(self, path: Path) -> None:
        """Open `path` (creating it if missing) and show it; the current one is closed."""
        path = Path(path).expanduser().resolve()
        if path == self.db.path:
            return
        run_in_background(
            Database.open,
            path,
            on_success=self._switch_to,
            on_failure=lambda exc: errors.report(exc, _("Cannot open the database")),
            label=_("Opening {name}…").format(name=path.name),
        )

    def _switch_to(self, new_db: Database) -> None:
        old = self.db
        self._set_database(new_db)
        # What opening it did, if anything (an interrupted upgrade undone), else that it did.
        self.show_message(" ".join(new_db.notices) or _("Opened {path}").format(path=new_db.path))
        run_in_background(old.close)

    def new_database(self) -> None:
        name = file_dialogs.save_file_name(
            self,
            _("New database"),
            str(paths.data_dir() / _("new-database.cmplanner")),
            _(FILE_FILTER),
            confirm_overwrite=False,
        )
        if not name:
            return
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(paths.DB_SUFFIX)
        if path.exists() and path.stat().st_size > 0:
            QMessageBox.warning(
                self,
                _("New database"),
                _("{path} already exists. Use File ▸ Open database… to open it.").format(path=path),
            )
            return
        self.switch_database(path)

    def open_database_dialog(self) -> None:
        name = file_dialogs.open_file_name(
            self, _("Open database"), str(self.db.path.parent), _(FILE_FILTER)
        )
        if name:
            self.switch_database(Path(name))

    # -- backups ----------------------------------------------------------------------------

    def backup_now(self) -> None:
        run_in_background(
            backups.create_backup,
            self.db.path,
            "manual",
            on_success=lambda path: self.show_message(_("Backed up to {path}").format(path=path)),
            label=_("Backing up…"),
        )

    def backup_if_due(self) -> None:
        path = self.db.path

        def job() -> Path | None:
            if backups.backup_is_due(path, BACKUP_EVERY):
                return backups.create_backup(path, "scheduled")
            return None

        run_in_background(job, label=_("Backing up…"))

    def restore_dialog(self) -> None:
        from ui.shell.backups import RestoreDialog

        dialog = RestoreDialog(self.db.path, self)
        if dialog.exec() and (chosen := dialog.chosen()) is not None:
            self.restore(chosen.path)

    def restore(self, backup_path: Path) -> None:
        from cmplanner.storage.database import restore_into

        run_in_background(
            restore_into,
            self.db,
            backup_path,
            on_success=self._restored,
            on_failure=lambda exc: errors.report(exc, _("Restore from backup")),
            label=_("Restoring…"),
        )

    def _restored(self, safety: Path) -> None:
        self.reload_views()
        self.show_message(
            _("Backup restored. The replaced content was saved as {name}.").format(name=safety.name)
        )

    # -- dialogs ----------------------------------------------------------------------------

    def preferences(self, page: str = "") -> None:
        from ui.preferences.dialog import open_preferences

        open_preferences(self, self.db, page)

    def import_calendar(self) -> None:
        from ui.calendar.files import import_calendar_dialog

        import_calendar_dialog(self, self.db)

    def read_replies(self) -> None:
        from ui.calendar.files import read_replies_dialog

        read_replies_dialog(self, self.db)

    def export_calendar(self) -> None:
        from ui.calendar.files import export_calendar_dialog

        export_calendar_dialog(self, self.db)

    def publish_caldav(self, community: str | None = None) -> None:
        from ui.calendar.files import publish_to_caldav

        publish_to_caldav(self, self.db, community)

    def open_files(self, paths: list[Path]) -> bool:
        """Calendars (.ics) are imported, guests' replies (.ics, .eml, folders) read."""
        from ui.calendar.files import open_dropped

        return open_dropped(self, self.db, paths)

    @staticmethod
    def _dropped_paths(event: QDropEvent | QDragEnterEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        from ui.calendar.files import usable

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
        from ui.contacts.files import ImportWizard

        self.import_wizard = ImportWizard(self.db, self)
        self.import_wizard.open()

    def export_contacts(self) -> None:
        from cmplanner.services.stats import record_counts
        from ui.contacts.files import export_contacts

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
        from ui.kit.named_records import manage

        self.manage_dialog = manage(self, self.db, self.undo_stack.push, kind)

    def about(self) -> None:
        QMessageBox.about(
            self,
            _("About CM Planner"),
            ABOUT_HTML.format(
                name=APP_NAME,
                version=__version__,
                what=_(
                    "Plan real-world community life: contacts, events, invitations and "
                    "printable documents."
                ),
                licence=_(
                    "Free software under the GNU General Public License, version 3 or later "
                    "(GPL-3.0-or-later)."
                ),
                app_id=APP_ID,
            ),
        )

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

    def _restore_window_state(self) -> None:
        store = settings.app_settings()
        geometry = store.value(settings.GEOMETRY)
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        # Saved on a bigger monitor, or on one unplugged since: back inside a screen there is.
        keep_on_screen(self)
        state = store.value(settings.STATE)
        if isinstance(state, QByteArray | bytes):
            self.restoreState(QByteArray(state))

    def save_window_state(self) -> None:
        store = settings.app_settings()
        store.setValue(settings.GEOMETRY, self.saveGeometry())
        store.setValue(settings.STATE, self.saveState())
        store.setValue(settings.SECTION, self.current_key())

    def closeEvent(self, event: QCloseEvent) -> None:
        from ui.kit.unsaved import close_editors

        if not close_editors():  # an editor with unsaved changes stays open
            event.ignore()
            return
        self.save_window_state()
        self._backup_timer.stop()
        self._reminders_timer.stop()
        if self.reminders is not None:
            self.reminders.stop()
        runner().shutdown()
        try:
            if self.backup_on_close and backups.backup_is_due(self.db.path, BACKUP_EVERY):
                backups.create_backup(self.db.path, "on-close")
        except Exception as exc:  # never keep the user from quitting
            errors.log.exception("Backup on close failed: %s", exc)
        if self.instance_server is not None:
            self.instance_server.close()
        self.db.close()
        event.accept()
