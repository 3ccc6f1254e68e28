"""Preferences, one page per module: General (`general`), Identity (`identity`), Outgoing mail
(`mail`), CalDAV (`calendars`) and Dashboard (`dashboard`). This dialog assembles them, fills
them with the saved values read on the job runner (`saved`), saves them as one job there, and
offers them to the rest of the application (`open_preferences`, `ask_preferences`).

Passwords go to the system keyring, never to the database, and are never shown back: a
password field left empty keeps the stored one."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cmplanner.errors import CMPlannerError
from cmplanner.i18n import _
from cmplanner.storage import Database
from ui.kit import accessible, errors
from ui.kit.jobs import run_in_background
from ui.kit.unsaved import UnsavedChangesGuard
from ui.preferences.calendars import CalendarsPage
from ui.preferences.dashboard import DashboardPage
from ui.preferences.general import GeneralPage
from ui.preferences.identity import IdentityPage
from ui.preferences.mail import MailPage
from ui.preferences.page import keyring_problem
from ui.preferences.publishing import publish_or_ask
from ui.preferences.saved import Edit, Saved, load_saved, save_edit

PAGES = ("general", "identity", "smtp", "caldav", "dashboard")


class PreferencesDialog(UnsavedChangesGuard, QDialog):
    def __init__(self, parent: QWidget | None = None, db: Database | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle(_("Preferences"))
        self.db = db
        self.keyring_problem = keyring_problem()
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("preferencesPages")
        self._build_pages()
        self._expose_fields()
        self._build_buttons()
        self.resize(600, 440)
        accessible.name_typed_combos(self)
        self._filled = False  # the saved values arrived (nothing to write before they do)
        self._set_pages_enabled(False)
        if db is not None:
            # The pages fill when the saved values arrive (at once in tests); until then
            # they show the defaults and cannot be edited.
            run_in_background(load_saved, db, self.keyring_problem, on_success=self._fill)

    def _build_pages(self) -> None:
        tabs = self.tabs
        self.general = GeneralPage(tabs)
        self.identity = IdentityPage(tabs, self.set_page)
        self.mail = MailPage(tabs, self.keyring_problem, self.identity)
        self.calendars = CalendarsPage(tabs, self.keyring_problem)
        self.dashboard = DashboardPage(tabs)
        self.calendars.caldav_publish.clicked.connect(self.publish_now)
        for page, title in (
            (self.general, _("General")),
            (self.identity, _("Identity")),
            (self.mail, _("Outgoing mail")),
            (self.calendars, _("CalDAV")),
            (self.dashboard, _("Dashboard")),
        ):
            tabs.addTab(page, title)

    def _set_pages_enabled(self, enabled: bool) -> None:
        """The pages kept in the database (the language and appearance are not)."""
        self.general.region.setEnabled(enabled)
        for page in (self.identity, self.mail, self.calendars, self.dashboard):
            page.setEnabled(enabled)

    def _fill(self, saved: Saved) -> None:
        """Show the saved values, read on the worker."""
        self.general.fill_region(saved.region)
        self.identity.fill(saved.identity_name, saved.identity_email)
        self.mail.fill(saved.smtp, saved.smtp_stored)
        self.calendars.fill(saved.caldav_url, saved.caldav_user, saved.caldav_stored)
        self.dashboard.fill(saved.dashboard)
        self._filled = True
        self._set_pages_enabled(True)
        if self._guard_ready:  # shown before the values came: they are the saved ones
            self.mark_clean()

    def _expose_fields(self) -> None:
        """The pages' fields, reached from the dialog as before the pages had modules."""
        general, identity, mail, calendars = self.general, self.identity, self.mail, self.calendars
        self.language, self.appearance, self.region = (
            general.language,
            general.appearance,
            general.region,
        )
        self.identity_name = identity.identity_name
        self.identity_email = identity.identity_email
        self.identity_error = identity.identity_error
        self.smtp_host, self.smtp_security = mail.smtp_host, mail.smtp_security
        self.smtp_port, self.smtp_user = mail.smtp_port, mail.smtp_user
        self.smtp_password, self.smtp_test = mail.smtp_password, mail.smtp_test
        self.smtp_result = mail.smtp_result
        self.caldav_url, self.caldav_user = calendars.caldav_url, calendars.caldav_user
        self.caldav_password = calendars.caldav_password
        self.caldav_test, self.caldav_publish = calendars.caldav_test, calendars.caldav_publish
        self.caldav_result = calendars.caldav_result
        self.dashboard_numbers = self.dashboard.dashboard_numbers
        self.reminders_enabled = self.dashboard.reminders_enabled
        self.start_digest = self.dashboard.start_digest
        self.dashboard_defaults = self.dashboard.dashboard_defaults

    def _build_buttons(self) -> None:
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def set_page(self, key: str) -> None:
        if key in PAGES:
            self.tabs.setCurrentIndex(PAGES.index(key))

    def page(self) -> str:
        return PAGES[self.tabs.currentIndex()]

    def chosen_region(self) -> str:
        return self.general.chosen_region()

    def changed_language(self) -> bool:
        return self.general.changed_language()

    def publish_now(self) -> None:
        """Save, close, and publish every event (the publish shows its own progress)."""
        if self.db is None or not self.save():
            return
        parent = self.parentWidget() or self
        db = self.db
        super().accept()
        publish_or_ask(parent, db, None, ask_preferences)

    def accept(self) -> None:
        if self.save():
            super().accept()

    def save(self) -> bool:
        """Write every page; False (and the page shown with what is wrong) if it cannot.
        The database's pages are written by one job on the runner, which publishes what
        changed; nothing is written before their saved values arrived."""
        self.general.save_settings()
        db = self.db
        if db is None or not self._filled:
            return True
        identity = self.identity.values()
        if identity is None:
            return False  # nothing written, not even a new phone region
        try:
            caldav_url = self.calendars.normalized_url()
        except CMPlannerError as exc:
            return self._refused("caldav", exc)
        region = self.general.changed_region()
        name, address = identity
        edit = Edit(
            region=region,
            identity_name=name,
            identity_email=address,
            smtp=self.mail.smtp_settings(),
            caldav_url=caldav_url,
            caldav_user=self.calendars.caldav_user.text().strip(),
            dashboard=self.dashboard.dashboard_values(),
        )
        # After any read queued before it: the worker runs one job at a time.
        run_in_background(save_edit, db, edit, must_finish=True)
        if region:
            self.general.region_saved(region)
        try:
            self.calendars.store_password()
        except CMPlannerError as exc:
            return self._refused("caldav", exc)
        try:
            self.mail.store_password()
        except CMPlannerError as exc:
            return self._refused("smtp", exc)
        self.error.hide()
        return True

    def _refused(self, page: str, exc: CMPlannerError) -> bool:
        self.set_page(page)
        self.error.setText(str(exc))
        self.error.show()
        return False


def open_preferences(parent: QWidget | None, db: Database | None, page: str = "") -> bool:
    """Open Preferences (at `page`); True when saved. A new language is announced."""
    dialog = PreferencesDialog(parent, db=db)
    dialog.set_page(page)
    if parent is not None:
        parent.preferences_dialog = dialog  # type: ignore[attr-defined]  # tests reach it
    if not dialog.exec():
        return False
    if dialog.changed_language():
        QMessageBox.information(
            parent,
            _("Preferences"),
            _("The new language will be used the next time you start CM Planner."),
        )
    return True


def ask_preferences(parent: QWidget | None, db: Database, page: str, text: str) -> bool:
    """Say what is missing, with a button that opens Preferences at that page. True when
    Preferences were opened and saved."""
    box = QMessageBox(parent)
    box.setObjectName("missingSettings")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(_("CM Planner"))
    box.setText(text)
    opener = box.addButton(_("Open &Preferences…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(opener)
    if errors.non_interactive:
        return False
    box.exec()
    if box.clickedButton() is not opener:
        return False
    return open_preferences(parent, db, page)


def preferences_button(parent: QWidget, db: Database, page: str) -> QPushButton:
    """A "Preferences…" button that opens the given page."""
    button = QPushButton(_("Open &Preferences…"), parent)
    button.clicked.connect(lambda _c=False: open_preferences(parent, db, page))
    return button
