"""The CalDAV page: the calendar on a server where events are published for colleagues,
with a connection test. "Publish now" is wired by the dialog, which saves first."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from cmplanner.errors import CMPlannerError
from cmplanner.i18n import _, ngettext
from cmplanner.interop.caldav import CalDAVAccount, check_calendar
from cmplanner.services import caldav_settings
from cmplanner.storage import Database
from ui.kit import theme
from ui.kit.jobs import run_in_background
from ui.preferences.page import (
    FormPage,
    hint,
    keyring_note,
    password_edit,
    password_placeholder,
    result_label,
    show_result,
)


class CalendarsPage(FormPage):
    def __init__(self, parent: QWidget, db: Database | None, keyring_problem: str) -> None:
        super().__init__(parent)
        self.keyring_problem = keyring_problem
        self.caldav_url = QLineEdit(self)
        self.caldav_url.setObjectName("caldavUrl")
        self.caldav_url.setPlaceholderText("https://cloud.example.org/remote.php/dav/calendars/…")
        self.caldav_user = QLineEdit(self)
        self.caldav_user.setObjectName("caldavUser")
        self.caldav_password = password_edit(self, "caldavPassword")
        self._load(db)
        password_placeholder(self.caldav_password, self._caldav_stored, self.keyring_problem)
        self._build_layout()

    def _load(self, db: Database | None) -> None:
        self._caldav_stored = False
        if db is None:
            return
        saved = caldav_settings.load(db)
        self.caldav_url.setText(saved.url)
        self.caldav_user.setText(saved.user)
        if saved.user and not self.keyring_problem:
            try:
                self._caldav_stored = bool(caldav_settings.get_password(saved.user))
            except Exception:  # a keyring that fails now: said when saving
                self._caldav_stored = False

    def _build_layout(self) -> None:
        form, layout = self.form, self.page_layout
        form.addRow(_("Calendar address:"), self.caldav_url)
        form.addRow(_("User name:"), self.caldav_user)
        form.addRow(_("Password:"), self.caldav_password)
        self.caldav_test = QPushButton(_("&Test the connection"), self)
        self.caldav_test.setObjectName("caldavTest")
        self.caldav_test.clicked.connect(self.test_caldav)
        self.caldav_publish = QPushButton(_("&Publish now"), self)
        self.caldav_publish.setObjectName("caldavPublish")
        self.caldav_publish.setToolTip(_("Save these settings and publish every event"))
        self.caldav_result = result_label(self, "caldavResult")
        row = QHBoxLayout()
        row.addWidget(self.caldav_test)
        row.addWidget(self.caldav_publish)
        row.addStretch(1)
        layout.addWidget(
            hint(
                _(
                    "A calendar on a CalDAV server (Nextcloud, Radicale, Fastmail…) where "
                    "CM Planner publishes your events for colleagues to subscribe to. Guests "
                    "are never published."
                ),
                self,
            )
        )
        layout.addSpacing(6)
        layout.addLayout(row)
        layout.addWidget(self.caldav_result)
        keyring_note(layout, self, self.keyring_problem)
        layout.addStretch(1)

    def _caldav_account(self) -> CalDAVAccount:
        user = self.caldav_user.text().strip()
        password = self.caldav_password.text()
        if not password and user and not self.keyring_problem:
            password = caldav_settings.get_password(user)
        return CalDAVAccount(self.caldav_url.text().strip(), user, password)

    def test_caldav(self) -> None:
        self.caldav_result.hide()
        try:
            account = self._caldav_account()
        except CMPlannerError as exc:
            show_result(self.caldav_result, False, str(exc))
            return
        if not account.url:
            show_result(self.caldav_result, False, _("Enter the calendar's address first."))
            return
        self.caldav_test.setEnabled(False)
        theme.set_tone(self.caldav_result, "")
        self.caldav_result.setText(_("Connecting…"))
        self.caldav_result.show()

        def done(count: int) -> None:
            self.caldav_test.setEnabled(True)
            show_result(
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
            show_result(self.caldav_result, False, str(exc))

        run_in_background(
            check_calendar, account, on_success=done, on_failure=failed, label=_("Connecting…")
        )

    def save(self, db: Database) -> None:
        url = caldav_settings.normalized_url(self.caldav_url.text())  # refuses a bad one
        user = self.caldav_user.text().strip()
        saved = caldav_settings.load(db)
        if (url, user) != (saved.url, saved.user):
            caldav_settings.save(db, url, user)
            self.caldav_url.setText(url)
        password = self.caldav_password.text()
        if password:
            caldav_settings.set_password(user, password)
            self.caldav_password.clear()
            self._caldav_stored = True
            password_placeholder(self.caldav_password, True, self.keyring_problem)
