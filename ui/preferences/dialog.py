"""Preferences, one page each: General (the interface language, applied at the next start;
the appearance — the system's colours, light or dark —, applied at once; the database's
default phone region), Identity (the name and e-mail invitations are sent
from), Outgoing mail (SMTP), CalDAV (where events are published for colleagues) and
Dashboard (keep-in-touch cadences per role, the in-person target, launch readiness, reminders).

Passwords go to the system keyring, never to the database, and are never shown back: a
password field left empty keeps the stored one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cmplanner.bus import Changes
from cmplanner.i18n import N_, _, ngettext
from cmplanner.services import preferences
from cmplanner.storage import Database
from ui.kit import accessible, settings, theme
from ui.kit.jobs import run_in_background
from ui.kit.unsaved import UnsavedChangesGuard

PAGES = ("general", "identity", "smtp", "caldav", "dashboard")
SECURITY_CHOICES = (
    ("starttls", N_("STARTTLS (usually port 587)"), 587),
    ("ssl", N_("SSL/TLS (usually port 465)"), 465),
    ("none", N_("None — not encrypted (usually port 25)"), 25),
)
USUAL_PORTS = {key: port for key, _text, port in SECURITY_CHOICES}
STORED = N_("stored in the system keyring")

# The Dashboard page: (preference key, default) as the issue 7 contract names them. The
# defaults here are only used when the core's preferences.DEFAULTS does not give one.
CADENCE_ROLES = ("member", "ambassador", "sponsor", "core_team", "partner")
DASHBOARD_DEFAULTS = {
    "dashboard.cadence.member": "120",
    "dashboard.cadence.ambassador": "30",
    "dashboard.cadence.sponsor": "90",
    "dashboard.cadence.core_team": "30",
    "dashboard.cadence.partner": "90",
    "dashboard.in_person_target": "30",
    "dashboard.min_ambassadors": "2",
    "dashboard.attendance_events": "10",
    "dashboard.default_pace_days": "14",
    "reminders.enabled": "1",
    "reminders.start_digest": "1",
}
# (key, lowest, highest) of each number on the page.
DASHBOARD_RANGES = {
    **{f"dashboard.cadence.{role}": (1, 3650) for role in CADENCE_ROLES},
    "dashboard.in_person_target": (0, 100),
    "dashboard.min_ambassadors": (0, 99),
    "dashboard.attendance_events": (1, 100),
    "dashboard.default_pace_days": (1, 365),
}


def phone_regions() -> list[tuple[str, str]]:
    """(region code, "France (FR, +33)") for every region phonenumbers knows, by name."""
    import phonenumbers
    from PySide6.QtCore import QLocale

    out = []
    for region in phonenumbers.SUPPORTED_REGIONS:
        name = QLocale.territoryToString(QLocale.codeToTerritory(region))
        code = phonenumbers.country_code_for_region(region)
        out.append((region, f"{name} ({region}, +{code})"))
    return sorted(out, key=lambda item: item[1].casefold())


def keyring_problem() -> str:
    """Why no password can be kept ("" when the system keyring works)."""
    try:
        import keyring
        from keyring.backends.fail import Keyring as NoKeyring

        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring installation
        return str(exc)
    if isinstance(backend, NoKeyring):
        return _("no system keyring was found")
    return ""


def _hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def _result_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.hide()
    return label


def _show_result(label: QLabel, ok: bool, text: str) -> None:
    theme.set_tone(label, "ok" if ok else "bad")
    label.setText(("✓ " if ok else "✗ ") + text)
    label.show()


def _password_edit(parent: QWidget, name: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def _page(parent: QWidget) -> tuple[QWidget, QVBoxLayout, QFormLayout]:
    page = QWidget(parent)
    layout = QVBoxLayout(page)
    form = QFormLayout()
    layout.addLayout(form)
    return page, layout, form


class PreferencesDialog(UnsavedChangesGuard, QDialog):
    def __init__(self, parent: QWidget | None = None, db: Database | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle(_("Preferences"))
        self.db = db
        self.keyring_problem = keyring_problem()
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("preferencesPages")
        self._general()
        self._identity()
        self._smtp()
        self._caldav()
        self._dashboard()
        for widget in (self.identity_page, self.smtp_page, self.caldav_page, self.dashboard_page):
            widget.setEnabled(db is not None)

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
        self.resize(600, 440)
        accessible.name_typed_combos(self)
        self._filled = False  # the saved values arrived (nothing to write before they do)
        if db is not None:
            # The pages fill when the saved values arrive (at once in tests); until then
            # they show the defaults and cannot be edited.
            self._set_pages_enabled(False)
            run_in_background(load_saved, db, self.keyring_problem, on_success=self._fill, label="")

    def _set_pages_enabled(self, enabled: bool) -> None:
        self.region.setEnabled(enabled)
        for widget in (self.identity_page, self.smtp_page, self.caldav_page, self.dashboard_page):
            widget.setEnabled(enabled)

    def _fill(self, saved: Saved) -> None:
        """Show the saved values, read on the worker."""
        self._saved_region = saved.region
        self.region.setCurrentIndex(max(0, self.region.findData(saved.region)))
        self.identity_name.setText(saved.identity_name)
        self.identity_email.setText(saved.identity_email)
        self.smtp_host.setText(saved.smtp_host)
        self.smtp_security.setCurrentIndex(max(0, self.smtp_security.findData(saved.smtp_security)))
        self.smtp_port.setValue(saved.smtp_port)
        self.smtp_user.setText(saved.smtp_user)
        self._smtp_stored = saved.smtp_stored
        self._password_placeholder(self.smtp_password, self._smtp_stored)
        self.caldav_url.setText(saved.caldav_url)
        self.caldav_user.setText(saved.caldav_user)
        self._caldav_stored = saved.caldav_stored
        self._password_placeholder(self.caldav_password, self._caldav_stored)
        for key, box in self.dashboard_numbers.items():
            box.setValue(_number(saved.dashboard[key], key))
        self.reminders_enabled.setChecked(_flag(saved.dashboard["reminders.enabled"]))
        self.start_digest.setChecked(_flag(saved.dashboard["reminders.start_digest"]))
        self._filled = True
        self._set_pages_enabled(True)
        if self._guard_ready:  # shown before the values came: they are the saved ones
            self.mark_clean()

    # -- pages ------------------------------------------------------------------------------

    def _general(self) -> None:
        page, layout, form = _page(self.tabs)
        self.general_page = page
        self.language = QComboBox(page)
        # Language names are written in their own language, so anyone can find theirs.
        self.language.addItem(_("System language"), "")
        self.language.addItem("Français", "fr")
        self.language.addItem("English", "en")
        current = self._initial_language = settings.saved_language()
        self.language.setCurrentIndex(max(0, self.language.findData(current)))
        form.addRow(_("Language:"), self.language)
        form.addRow("", _hint(_("A new language is used the next time CM Planner starts."), page))

        self.appearance = QComboBox(page)
        self.appearance.setObjectName("appearance")
        self.appearance.addItem(_("System (follows the desktop)"), theme.SYSTEM)
        self.appearance.addItem(_("Light"), theme.LIGHT)
        self.appearance.addItem(_("Dark"), theme.DARK)
        self._initial_appearance = theme.saved_appearance()
        self.appearance.setCurrentIndex(max(0, self.appearance.findData(self._initial_appearance)))
        form.addRow(_("Appearance:"), self.appearance)

        self.region = QComboBox(page)
        self.region.setObjectName("phoneRegion")
        self.region.setEditable(True)  # type "DE" to jump there
        for code, text in phone_regions():
            self.region.addItem(text, code)
        self._saved_region = "FR"
        self.region.setCurrentIndex(max(0, self.region.findData(self._saved_region)))
        self.region.setToolTip(
            _(
                "Phone numbers typed without a country code (06 12 34 56 78) are read as "
                "numbers of this country."
            )
        )
        self.region.setEnabled(self.db is not None)
        form.addRow(_("Default phone region:"), self.region)
        layout.addStretch(1)
        self.tabs.addTab(page, _("General"))

    def _identity(self) -> None:
        page, layout, form = _page(self.tabs)
        self.identity_page = page
        self.identity_name = QLineEdit(page)
        self.identity_name.setObjectName("identityName")
        self.identity_name.setPlaceholderText(_("Zoé Lefèvre"))
        self.identity_email = QLineEdit(page)
        self.identity_email.setObjectName("identityEmail")
        self.identity_email.setPlaceholderText(_("zoe@example.org"))
        self.identity_error = QLabel(page)
        self.identity_error.setObjectName("fieldError")
        self.identity_error.setWordWrap(True)
        self.identity_error.hide()
        form.addRow(_("Your name:"), self.identity_name)
        form.addRow(_("Your e-mail:"), self.identity_email)
        form.addRow("", self.identity_error)
        layout.addWidget(
            _hint(
                _(
                    "Invitations are sent in this name and from this address; your guests' "
                    "answers come back to it. They are kept in this database."
                ),
                page,
            )
        )
        layout.addStretch(1)
        self.identity_email.textEdited.connect(lambda _t: self.identity_error.hide())
        self.tabs.addTab(page, _("Identity"))

    def _smtp(self) -> None:
        page, layout, form = _page(self.tabs)
        self.smtp_page = page
        self.smtp_host = QLineEdit(page)
        self.smtp_host.setObjectName("smtpHost")
        self.smtp_host.setPlaceholderText(_("smtp.example.org"))
        self.smtp_security = QComboBox(page)
        self.smtp_security.setObjectName("smtpSecurity")
        accessible.name(self.smtp_security, _("Security:"))
        for key, text, _port in SECURITY_CHOICES:
            self.smtp_security.addItem(_(text), key)
        self.smtp_port = QSpinBox(page)
        self.smtp_port.setObjectName("smtpPort")
        accessible.name(self.smtp_port, _("Port"), _("The port of the mail server"))
        self.smtp_port.setRange(1, 65535)
        self.smtp_port.setValue(587)
        self.smtp_user = QLineEdit(page)
        self.smtp_user.setObjectName("smtpUser")
        self.smtp_user.setPlaceholderText(_("often your e-mail address"))
        self.smtp_password = _password_edit(page, "smtpPassword")
        self._smtp_stored = False
        self.smtp_security.currentIndexChanged.connect(self._suggest_port)
        self._password_placeholder(self.smtp_password, self._smtp_stored)
        port_row = QHBoxLayout()
        port_row.addWidget(self.smtp_security, 1)
        port_row.addWidget(QLabel(_("Port:"), page))
        port_row.addWidget(self.smtp_port)
        form.addRow(_("Server:"), self.smtp_host)
        form.addRow(_("Security:"), port_row)
        form.addRow(_("User name:"), self.smtp_user)
        form.addRow(_("Password:"), self.smtp_password)
        self.smtp_test = QPushButton(_("Send a &test e-mail to myself"), page)
        self.smtp_test.setObjectName("smtpTest")
        self.smtp_test.clicked.connect(self.test_smtp)
        self.smtp_result = _result_label(page, "smtpResult")
        test_row = QHBoxLayout()
        test_row.addWidget(self.smtp_test)
        test_row.addStretch(1)
        layout.addWidget(
            _hint(
                _(
                    "The server your e-mail program uses to send mail (your provider's help "
                    "pages give it). Leave the user name empty for a server that needs no login."
                ),
                page,
            )
        )
        layout.addSpacing(6)
        layout.addLayout(test_row)
        layout.addWidget(self.smtp_result)
        self._keyring_note(layout, page)
        layout.addStretch(1)
        self.tabs.addTab(page, _("Outgoing mail"))

    def _caldav(self) -> None:
        page, layout, form = _page(self.tabs)
        self.caldav_page = page
        self.caldav_url = QLineEdit(page)
        self.caldav_url.setObjectName("caldavUrl")
        self.caldav_url.setPlaceholderText("https://cloud.example.org/remote.php/dav/calendars/…")
        self.caldav_user = QLineEdit(page)
        self.caldav_user.setObjectName("caldavUser")
        self.caldav_password = _password_edit(page, "caldavPassword")
        self._caldav_stored = False
        self._password_placeholder(self.caldav_password, self._caldav_stored)
        form.addRow(_("Calendar address:"), self.caldav_url)
        form.addRow(_("User name:"), self.caldav_user)
        form.addRow(_("Password:"), self.caldav_password)
        self.caldav_test = QPushButton(_("&Test the connection"), page)
        self.caldav_test.setObjectName("caldavTest")
        self.caldav_test.clicked.connect(self.test_caldav)
        self.caldav_publish = QPushButton(_("&Publish now"), page)
        self.caldav_publish.setObjectName("caldavPublish")
        self.caldav_publish.setToolTip(_("Save these settings and publish every event"))
        self.caldav_publish.clicked.connect(self.publish_now)
        self.caldav_result = _result_label(page, "caldavResult")
        row = QHBoxLayout()
        row.addWidget(self.caldav_test)
        row.addWidget(self.caldav_publish)
        row.addStretch(1)
        layout.addWidget(
            _hint(
                _(
                    "A calendar on a CalDAV server (Nextcloud, Radicale, Fastmail…) where "
                    "CM Planner publishes your events for colleagues to subscribe to. Guests "
                    "are never published."
                ),
                page,
            )
        )
        layout.addSpacing(6)
        layout.addLayout(row)
        layout.addWidget(self.caldav_result)
        self._keyring_note(layout, page)
        layout.addStretch(1)
        self.tabs.addTab(page, _("CalDAV"))

    def _dashboard(self) -> None:
        from cmplanner.model.enums import MemberRole

        page = QWidget(self.tabs)
        layout = QVBoxLayout(page)
        self.dashboard_page = page
        self.dashboard_numbers: dict[str, QSpinBox] = {}

        def number(key: str, name: str, suffix: str, parent: QWidget) -> QSpinBox:
            box = QSpinBox(parent)
            box.setObjectName(name)
            low, high = DASHBOARD_RANGES[key]
            box.setRange(low, high)
            box.setSuffix(suffix)
            box.setValue(_number(dashboard_default(key), key))
            self.dashboard_numbers[key] = box
            return box

        def group(title: str) -> tuple[QGroupBox, QFormLayout]:
            box = QGroupBox(title, page)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
            return box, form

        touch, form = group(_("Keep in touch at least every"))
        for role in CADENCE_ROLES:
            box = number(f"dashboard.cadence.{role}", f"cadence_{role}", _(" days"), touch)
            box.setToolTip(
                _(
                    "A contact with this role in a community and no cadence of their own is "
                    "listed as drifting away when not seen for longer than this."
                )
            )
            form.addRow(_("{role}:").format(role=MemberRole(role).label), box)
        form.addRow(
            _hint(
                _(
                    "Several roles: the shortest counts. A cadence set on the contact beats "
                    "them all."
                ),
                touch,
            )
        )

        measures, form = group(_("Indicators"))
        target = number("dashboard.in_person_target", "inPersonTarget", " %", measures)
        target.setToolTip(_("The share of your time spent in person you aim for."))
        form.addRow(_("In-person time target:"), target)
        pace = number("dashboard.default_pace_days", "defaultPace", _(" days"), measures)
        pace.setToolTip(_("A community without a pace of its own should meet this often."))
        form.addRow(_("Default pace, every:"), pace)
        events = number("dashboard.attendance_events", "attendanceEvents", _(" events"), measures)
        events.setToolTip(_("Attendance is measured over this many past in-person events."))
        form.addRow(_("Attendance over the last:"), events)
        ambassadors = number("dashboard.min_ambassadors", "minAmbassadors", "", measures)
        ambassadors.setToolTip(_("How many ambassadors a community needs to be ready to launch."))
        form.addRow(_("Ambassadors to launch:"), ambassadors)

        # One width for every number, wide enough for the longest suffix (never cut).
        widest = max(110, *(box.sizeHint().width() for box in self.dashboard_numbers.values()))
        for box in self.dashboard_numbers.values():
            box.setMinimumWidth(widest)

        reminders = QGroupBox(_("Reminders"), page)
        box_layout = QVBoxLayout(reminders)
        self.reminders_enabled = QCheckBox(
            _("&Notify me of tasks due today, events tomorrow and overdue commitments"),
            reminders,
        )
        self.reminders_enabled.setObjectName("remindersEnabled")
        self.reminders_enabled.setToolTip(
            _("From the icon in the system tray, checked every hour; each item once a day.")
        )
        self.start_digest = QCheckBox(_("Show a short &digest when CM Planner starts"), reminders)
        self.start_digest.setObjectName("startDigest")
        self.start_digest.setToolTip(
            _("Once a day: starting again the same day does not repeat it.")
        )
        self.reminders_enabled.toggled.connect(self.start_digest.setEnabled)
        self.reminders_enabled.setChecked(_flag(dashboard_default("reminders.enabled")))
        self.start_digest.setChecked(_flag(dashboard_default("reminders.start_digest")))
        self.start_digest.setEnabled(self.reminders_enabled.isChecked())
        box_layout.addWidget(self.reminders_enabled)
        box_layout.addWidget(self.start_digest)

        self.dashboard_defaults = QPushButton(_("Restore &defaults"), page)
        self.dashboard_defaults.setObjectName("dashboardDefaults")
        self.dashboard_defaults.setToolTip(
            _("Put back the values CM Planner starts with (saved when you press OK).")
        )
        self.dashboard_defaults.clicked.connect(self.restore_dashboard_defaults)
        columns = QHBoxLayout()
        columns.addWidget(touch, 1)
        columns.addWidget(measures, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.dashboard_defaults)
        layout.addLayout(columns)
        layout.addWidget(reminders)
        layout.addStretch(1)
        layout.addLayout(row)
        self.tabs.addTab(page, _("Dashboard"))

    def restore_dashboard_defaults(self) -> None:
        for key, box in self.dashboard_numbers.items():
            box.setValue(_number(dashboard_default(key), key))
        self.reminders_enabled.setChecked(_flag(dashboard_default("reminders.enabled")))
        self.start_digest.setChecked(_flag(dashboard_default("reminders.start_digest")))

    def dashboard_values(self) -> dict[str, str]:
        """The Dashboard page as preference values (strings, as stored)."""
        values = {key: str(box.value()) for key, box in self.dashboard_numbers.items()}
        values["reminders.enabled"] = "1" if self.reminders_enabled.isChecked() else "0"
        values["reminders.start_digest"] = "1" if self.start_digest.isChecked() else "0"
        return values

    def _keyring_note(self, layout: QVBoxLayout, page: QWidget) -> None:
        if not self.keyring_problem:
            return
        note = QLabel(
            _(
                "Passwords cannot be kept: {reason}. CM Planner never writes them in the "
                "database; install a keyring (GNOME Keyring, KWallet…) to send or publish "
                "with a password."
            ).format(reason=self.keyring_problem),
            page,
        )
        note.setObjectName("keyringProblem")
        theme.set_tone(note, "bad")
        note.setWordWrap(True)
        layout.addWidget(note)

    def _password_placeholder(self, edit: QLineEdit, stored: bool) -> None:
        if self.keyring_problem:
            edit.setEnabled(False)
            edit.setPlaceholderText(_("no system keyring"))
        elif stored:
            edit.setPlaceholderText(_(STORED))
            edit.setToolTip(_("Type a new password to replace the stored one."))
        else:
            edit.setPlaceholderText("")

    def set_page(self, key: str) -> None:
        if key in PAGES:
            self.tabs.setCurrentIndex(PAGES.index(key))

    def page(self) -> str:
        return PAGES[self.tabs.currentIndex()]

    # -- what was typed ---------------------------------------------------------------------

    def _smtp_settings(self) -> Any:
        from cmplanner.interop.mail.smtp import SmtpSettings

        return SmtpSettings(
            self.smtp_host.text().strip(),
            self.smtp_port.value(),
            str(self.smtp_security.currentData()),
            self.smtp_user.text().strip(),
        )

    def _suggest_port(self, _index: int = 0) -> None:
        """A usual port follows the security chosen; a port typed by hand stays."""
        if self.smtp_port.value() in USUAL_PORTS.values():
            self.smtp_port.setValue(USUAL_PORTS[str(self.smtp_security.currentData())])

    def _identity_values(self) -> tuple[str, str] | None:
        """(name, normalised e-mail), or None after showing what is wrong."""
        from cmplanner.services.validation import normalize_email

        name = self.identity_name.text().strip()
        text = self.identity_email.text().strip()
        if not text:
            return name, ""
        address, problem = normalize_email(text)
        if problem:
            self.identity_error.setText(
                _("“{email}” is not a valid e-mail address: {problem}").format(
                    email=text, problem=_(problem)
                )
            )
            self.identity_error.show()
            self.set_page("identity")
            self.identity_email.setFocus()
            return None
        return name, address

    # -- buttons ----------------------------------------------------------------------------

    def test_smtp(self) -> None:
        """Send a short message to the identity's address with the settings as typed."""
        self.smtp_result.hide()
        identity = self._identity_values()
        if identity is None:
            return
        name, address = identity
        settings_now = self._smtp_settings()
        if not address:
            _show_result(
                self.smtp_result, False, _("Enter your e-mail address on the Identity page first.")
            )
            return
        if not settings_now.host:
            _show_result(self.smtp_result, False, _("Enter the server first."))
            return
        password = self.smtp_password.text() or None
        self.smtp_test.setEnabled(False)
        theme.set_tone(self.smtp_result, "")
        self.smtp_result.setText(_("Sending…"))
        self.smtp_result.show()

        def job() -> str:
            return send_test_message(settings_now, password, name, address)

        def done(error: str) -> None:
            self.smtp_test.setEnabled(True)
            if error:
                _show_result(self.smtp_result, False, _("Not sent: {reason}").format(reason=error))
            else:
                _show_result(
                    self.smtp_result,
                    True,
                    _("Sent to {email}: check your inbox.").format(email=address),
                )

        def failed(exc: BaseException) -> None:
            self.smtp_test.setEnabled(True)
            _show_result(self.smtp_result, False, str(exc))

        run_in_background(job, on_success=done, on_failure=failed, label=_("Sending…"))

    def _caldav_account(self) -> Any:
        from cmplanner.interop.caldav import CalDAVAccount
        from cmplanner.services import caldav_settings

        user = self.caldav_user.text().strip()
        password = self.caldav_password.text()
        if not password and user and not self.keyring_problem:
            password = caldav_settings.get_password(user)
        return CalDAVAccount(self.caldav_url.text().strip(), user, password)

    def test_caldav(self) -> None:
        from cmplanner.errors import CMPlannerError
        from cmplanner.interop.caldav import check_calendar

        self.caldav_result.hide()
        try:
            account = self._caldav_account()
        except CMPlannerError as exc:
            _show_result(self.caldav_result, False, str(exc))
            return
        if not account.url:
            _show_result(self.caldav_result, False, _("Enter the calendar's address first."))
            return
        self.caldav_test.setEnabled(False)
        theme.set_tone(self.caldav_result, "")
        self.caldav_result.setText(_("Connecting…"))
        self.caldav_result.show()

        def done(count: int) -> None:
            self.caldav_test.setEnabled(True)
            _show_result(
                self.caldav_result,
                True,
                ngettext(
                    "Connected: the calendar holds {n} item.",
                    "Connected: the calendar holds {n} items.",
                    count,
                ).format(n=count),
            )

        def failed(exc: BaseException) -> None:
            self.caldav_test.setEnabled(True)
            _show_result(self.caldav_result, False, str(exc))

        run_in_background(
            check_calendar, account, on_success=done, on_failure=failed, label=_("Connecting…")
        )

    def publish_now(self) -> None:
        """Save, close, and publish every event (the publish shows its own progress)."""
        if self.db is None or not self.save():
            return
        from ui.calendar.files import publish_to_caldav

        parent = self.parentWidget() or self
        db = self.db
        super().accept()
        publish_to_caldav(parent, db)

    # -- saving -----------------------------------------------------------------------------

    def accept(self) -> None:
        if self.save():
            super().accept()

    def save(self) -> bool:
        """Write every page; False (and the page shown with what is wrong) if it cannot."""
        from cmplanner.errors import CMPlannerError

        settings.app_settings().setValue(settings.LANGUAGE, self.language.currentData() or "")
        self._save_appearance()
        db = self.db
        if db is None or not self._filled:
            return True
        region = self.chosen_region()
        identity = self._identity_values()
        if identity is None:
            return False
        try:
            caldav_url = self._caldav_url()
        except CMPlannerError as exc:
            self._refused("caldav", exc)
            return False
        name, address = identity
        edit = Edit(
            region=region if region and region != self._saved_region else "",
            caldav_url=caldav_url,
            caldav_user=self.caldav_user.text().strip(),
            dashboard=self.dashboard_values(),
            identity_name=name,
            identity_email=address,
            smtp=self._smtp_settings(),
        )
        # The writes go to the worker, after any read queued before them.
        run_in_background(save_edit, db, edit, label="", must_finish=True)
        if region:
            self._saved_region = region
        try:
            self._store_caldav_password()
        except CMPlannerError as exc:
            self._refused("caldav", exc)
            return False
        try:
            self._store_smtp_password()
        except CMPlannerError as exc:
            self.set_page("smtp")
            self.error.setText(str(exc))
            self.error.show()
            return False
        self.error.hide()
        return True

    def _save_appearance(self) -> None:
        """A new appearance is shown at once, in every window."""
        appearance = str(self.appearance.currentData() or theme.SYSTEM)
        if appearance == self._initial_appearance:
            return
        settings.app_settings().setValue(settings.APPEARANCE, appearance)
        self._initial_appearance = appearance
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, appearance)

    def _refused(self, page: str, exc: BaseException) -> None:
        self.set_page(page)
        self.error.setText(str(exc))
        self.error.show()

    def _store_smtp_password(self) -> None:
        from cmplanner.errors import CMPlannerError
        from cmplanner.interop.mail import smtp

        new = self._smtp_settings()
        password = self.smtp_password.text()
        if password:
            try:
                smtp.store_password(new, password)
            except Exception as exc:  # KeyringError and the backends' own errors
                raise CMPlannerError(
                    _("The password could not be kept in the system keyring ({error}).").format(
                        error=exc
                    )
                ) from exc
            self.smtp_password.clear()
            self._smtp_stored = True
            self._password_placeholder(self.smtp_password, True)

    def _caldav_url(self) -> str:
        """The address typed, normalised (CMPlannerError for a bad one)."""
        from cmplanner.services import caldav_settings

        url = caldav_settings.normalized_url(self.caldav_url.text())
        if url != self.caldav_url.text():
            self.caldav_url.setText(url)
        return url

    def _store_caldav_password(self) -> None:
        from cmplanner.services import caldav_settings

        user = self.caldav_user.text().strip()
        password = self.caldav_password.text()
        if password:
            caldav_settings.set_password(user, password)
            self.caldav_password.clear()
            self._caldav_stored = True
            self._password_placeholder(self.caldav_password, True)

    def chosen_region(self) -> str:
        text = self.region.currentText().strip()
        index = self.region.findText(text)
        if index < 0 and len(text) == 2:
            index = self.region.findData(text.upper())  # a code typed in: "de"
        return str(self.region.itemData(index) if index >= 0 else self.region.currentData() or "")

    def changed_language(self) -> bool:
        return (self.language.currentData() or "") != self._initial_language


def dashboard_default(key: str) -> str:
    """The value a Dashboard page setting starts with."""
    return preferences.DEFAULTS.get(key) or DASHBOARD_DEFAULTS[key]


def dashboard_value(db: Database | None, key: str) -> str:
    """The saved value of a Dashboard page setting (its default when none is saved)."""
    if db is None:
        return dashboard_default(key)
    return preferences.get(db, key) or dashboard_default(key)


@dataclass(frozen=True)
class Saved:
    """What the pages show, as saved (read on the worker)."""

    region: str
    identity_name: str
    identity_email: str
    smtp_host: str
    smtp_security: str
    smtp_port: int
    smtp_user: str
    smtp_stored: bool  # a password is in the keyring
    caldav_url: str
    caldav_user: str
    caldav_stored: bool
    dashboard: dict[str, str]  # every Dashboard page key, its default when none is saved


def load_saved(db: Database, keyring_problem: str) -> Saved:
    """On the worker: the saved preferences, and whether the keyring holds the passwords."""
    from cmplanner.interop.mail import smtp
    from cmplanner.services import caldav_settings

    get = preferences.get
    port = get(db, preferences.SMTP_PORT)
    host, user = get(db, preferences.SMTP_HOST), get(db, preferences.SMTP_USER)
    security = get(db, preferences.SMTP_SECURITY) or "starttls"
    smtp_port = int(port) if port.isdigit() and 0 < int(port) < 65536 else 587
    smtp_stored = bool(
        host
        and user
        and not keyring_problem
        and smtp.stored_password(smtp.SmtpSettings(host.strip(), smtp_port, security, user.strip()))
    )
    caldav = caldav_settings.load(db)
    caldav_stored = False
    if caldav.user and not keyring_problem:
        try:
            caldav_stored = bool(caldav_settings.get_password(caldav.user))
        except Exception:  # a keyring that fails now: said when saving
            caldav_stored = False
    keys = [*DASHBOARD_RANGES, "reminders.enabled", "reminders.start_digest"]
    return Saved(
        region=preferences.phone_region(db),
        identity_name=get(db, preferences.IDENTITY_NAME),
        identity_email=get(db, preferences.IDENTITY_EMAIL),
        smtp_host=host,
        smtp_security=security,
        smtp_port=smtp_port,
        smtp_user=user,
        smtp_stored=smtp_stored,
        caldav_url=caldav.url,
        caldav_user=caldav.user,
        caldav_stored=caldav_stored,
        dashboard={key: dashboard_value(db, key) for key in keys},
    )


@dataclass(frozen=True)
class Edit:
    """What the pages hold when saved; `region` is "" when it did not change."""

    region: str
    caldav_url: str
    caldav_user: str
    dashboard: dict[str, str]
    identity_name: str
    identity_email: str
    smtp: Any  # SmtpSettings


def save_edit(db: Database, edit: Edit) -> Changes:
    """On the worker: write what differs from what is saved."""
    from cmplanner.errors import CMPlannerError
    from cmplanner.interop.mail import smtp
    from cmplanner.services import caldav_settings

    changes = Changes()
    if edit.region:
        changes |= preferences.put(db, preferences.PHONE_REGION, edit.region)
    saved = caldav_settings.load(db)
    if (edit.caldav_url, edit.caldav_user) != (saved.url, saved.user):
        changes |= caldav_settings.save(db, edit.caldav_url, edit.caldav_user)
    for key, value in edit.dashboard.items():
        if value != dashboard_value(db, key):
            changes |= preferences.put(db, key, value)
    if edit.identity_name != preferences.get(db, preferences.IDENTITY_NAME):
        changes |= preferences.put(db, preferences.IDENTITY_NAME, edit.identity_name)
    if edit.identity_email != preferences.get(db, preferences.IDENTITY_EMAIL):
        changes |= preferences.put(db, preferences.IDENTITY_EMAIL, edit.identity_email)
    try:
        old = smtp.load_settings(db)
    except CMPlannerError:
        old = None
    if edit.smtp != old and (edit.smtp.host or old is not None):
        changes |= smtp.save_settings(db, edit.smtp)
    return changes


def _number(text: str, key: str) -> int:
    """A stored number, its default when the stored text is not one (never a crash)."""
    low, high = DASHBOARD_RANGES[key]
    try:
        value = round(float(text.strip().rstrip("%")))
    except ValueError:
        value = round(float(dashboard_default(key)))
    return min(max(value, low), high)


def _flag(text: str) -> bool:
    return text.strip().lower() not in ("0", "false", "no", "off", "")


def send_test_message(settings_now: Any, password: str | None, name: str, address: str) -> str:
    """Send one short message to `address` (on the worker); the reason it failed, or ""."""
    from email.headerregistry import Address
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime, make_msgid

    from cmplanner import clock
    from cmplanner.interop.mail import smtp

    message = EmailMessage(policy=SMTP)
    message["From"] = Address(name, addr_spec=address)
    message["To"] = Address(name, addr_spec=address)
    message["Subject"] = _("CM Planner: test e-mail")
    message["Date"] = format_datetime(clock.utc_now())
    message["Message-ID"] = make_msgid(domain=address.rpartition("@")[2] or None)
    message.set_content(
        _(
            "This message was sent by CM Planner to check your outgoing mail settings. "
            "Invitations will go out the same way."
        )
    )
    delivery = smtp.deliver([message], settings_now, password)[0]
    return delivery.error


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
