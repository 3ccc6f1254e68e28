"""The CalDAV page: the calendar on a server where events are published for colleagues,
with a connection test. "Publish now" is wired by the dialog, which saves first."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from cmplanner.i18n import _, ngettext
from cmplanner.interop.caldav import CalDAVAccount, check_calendar
from cmplanner.services import caldav_settings
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
    """Empty until `fill` brings the saved settings."""

    def __init__(self, parent: QWidget, keyring_problem: str) -> None:
        super().__init__(parent)
        self.keyring_problem = keyring_problem
        self._caldav_stored = False
        self.caldav_url = QLineEdit(self)
        self.caldav_url.setObjectName("caldavUrl")
        self.caldav_url.setPlaceholderText("https://cloud.example.org/remote.php/dav/calendars/…")
        self.caldav_user = QLineEdit(self)
        self.caldav_user.setObjectName("caldavUser")
        self.caldav_password = password_edit(self, "caldavPassword")
        password_placeholder(self.caldav_password, self._caldav_stored, self.keyring_problem)
        self._build_layout()

    def fill(self, url: str, user: str, stored: bool) -> None:
        """Show the saved settings; `stored`: the keyring holds the password."""
        self.caldav_url.setText(url)
        self.caldav_user.setText(user)
        self._caldav_stored = stored
        password_placeholder(self.caldav_password, stored, self.keyring_problem)

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

    def test_caldav(self) -> None:
        self.caldav_result.hide()
        url, user = self.caldav_url.text().strip(), self.caldav_user.text().strip()
        password = self.caldav_password.text()
        may_ask_keyring = not password and bool(user) and not self.keyring_problem
        if not url:
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
            check_with_stored_password,
            CalDAVAccount(url, user, password),
            may_ask_keyring,
            on_success=done,
            on_failure=failed,
            label=_("Connecting…"),
        )

    def normalized_url(self) -> str:
        """The address typed, normalised and shown so (CMPlannerError for a bad one)."""
        url = caldav_settings.normalized_url(self.caldav_url.text())
        if url != self.caldav_url.text():
            self.caldav_url.setText(url)
        return url

    def store_password(self) -> None:
        """A password typed goes to the system keyring (CMPlannerError when it cannot)."""
        user = self.caldav_user.text().strip()
        password = self.caldav_password.text()
        if password:
            caldav_settings.set_password(user, password)
            self.caldav_password.clear()
            self._caldav_stored = True
            password_placeholder(self.caldav_password, True, self.keyring_problem)


def check_with_stored_password(account: CalDAVAccount, may_ask_keyring: bool) -> int:
    """On the worker (the keyring may be slow to answer): `check_calendar`, with the password
    stored in the keyring when none was typed."""
    if may_ask_keyring:
        account = replace(account, password=caldav_settings.get_password(account.user))
    return check_calendar(account)
