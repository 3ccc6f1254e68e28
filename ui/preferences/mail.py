"""The Outgoing mail page: the SMTP server invitations go through, and a test e-mail to
oneself. The password goes to the system keyring, never to the database."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from cmplanner import clock
from cmplanner.errors import CMPlannerError
from cmplanner.i18n import N_, _
from cmplanner.interop.mail import smtp
from cmplanner.interop.mail.smtp import SmtpSettings
from ui.kit import accessible, theme
from ui.kit.jobs import run_in_background
from ui.preferences.identity import IdentityPage
from ui.preferences.page import (
    FormPage,
    hint,
    keyring_note,
    password_edit,
    password_placeholder,
    result_label,
    show_result,
)

SECURITY_CHOICES = (
    ("starttls", N_("STARTTLS (usually port 587)"), 587),
    ("ssl", N_("SSL/TLS (usually port 465)"), 465),
    ("none", N_("None — not encrypted (usually port 25)"), 25),
)
USUAL_PORTS = {key: port for key, _text, port in SECURITY_CHOICES}


class MailPage(FormPage):
    """Empty until `fill` brings the saved settings."""

    def __init__(self, parent: QWidget, keyring_problem: str, identity: IdentityPage) -> None:
        super().__init__(parent)
        self.keyring_problem = keyring_problem
        self.identity = identity
        self._smtp_stored = False
        self._build_fields()
        self.smtp_security.currentIndexChanged.connect(self._suggest_port)
        password_placeholder(self.smtp_password, self._smtp_stored, self.keyring_problem)
        self._build_layout()

    def _build_fields(self) -> None:
        self.smtp_host = QLineEdit(self)
        self.smtp_host.setObjectName("smtpHost")
        self.smtp_host.setPlaceholderText(_("smtp.example.org"))
        self.smtp_security = QComboBox(self)
        self.smtp_security.setObjectName("smtpSecurity")
        accessible.name(self.smtp_security, _("Security:"))
        for key, text, _port in SECURITY_CHOICES:
            self.smtp_security.addItem(_(text), key)
        self.smtp_port = QSpinBox(self)
        self.smtp_port.setObjectName("smtpPort")
        accessible.name(self.smtp_port, _("Port"), _("The port of the mail server"))
        self.smtp_port.setRange(1, 65535)
        self.smtp_port.setValue(587)
        self.smtp_user = QLineEdit(self)
        self.smtp_user.setObjectName("smtpUser")
        self.smtp_user.setPlaceholderText(_("often your e-mail address"))
        self.smtp_password = password_edit(self, "smtpPassword")

    def fill(self, saved: SmtpSettings, stored: bool) -> None:
        """Show the saved settings; `stored`: the keyring holds their password."""
        self.smtp_host.setText(saved.host)
        self.smtp_security.setCurrentIndex(max(0, self.smtp_security.findData(saved.security)))
        self.smtp_port.setValue(saved.port)  # after the security, which suggests its own
        self.smtp_user.setText(saved.user)
        self._smtp_stored = stored
        password_placeholder(self.smtp_password, stored, self.keyring_problem)

    def _build_layout(self) -> None:
        form, layout = self.form, self.page_layout
        port_row = QHBoxLayout()
        port_row.addWidget(self.smtp_security, 1)
        port_row.addWidget(QLabel(_("Port:"), self))
        port_row.addWidget(self.smtp_port)
        form.addRow(_("Server:"), self.smtp_host)
        form.addRow(_("Security:"), port_row)
        form.addRow(_("User name:"), self.smtp_user)
        form.addRow(_("Password:"), self.smtp_password)
        self.smtp_test = QPushButton(_("Send a &test e-mail to myself"), self)
        self.smtp_test.setObjectName("smtpTest")
        self.smtp_test.clicked.connect(self.test_smtp)
        self.smtp_result = result_label(self, "smtpResult")
        test_row = QHBoxLayout()
        test_row.addWidget(self.smtp_test)
        test_row.addStretch(1)
        layout.addWidget(
            hint(
                _(
                    "The server your e-mail program uses to send mail (your provider's help "
                    "pages give it). Leave the user name empty for a server that needs no login."
                ),
                self,
            )
        )
        layout.addSpacing(6)
        layout.addLayout(test_row)
        layout.addWidget(self.smtp_result)
        keyring_note(layout, self, self.keyring_problem)
        layout.addStretch(1)

    def smtp_settings(self) -> SmtpSettings:
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

    def test_smtp(self) -> None:
        """Send a short message to the identity's address with the settings as typed."""
        self.smtp_result.hide()
        identity = self.identity.values()
        if identity is None:
            return
        name, address = identity
        settings_now = self.smtp_settings()
        if not address:
            show_result(
                self.smtp_result, False, _("Enter your e-mail address on the Identity page first.")
            )
            return
        if not settings_now.host:
            show_result(self.smtp_result, False, _("Enter the server first."))
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
                show_result(self.smtp_result, False, _("Not sent: {reason}").format(reason=error))
            else:
                show_result(
                    self.smtp_result,
                    True,
                    _("Sent to {email}: check your inbox.").format(email=address),
                )

        def failed(exc: BaseException) -> None:
            self.smtp_test.setEnabled(True)
            show_result(self.smtp_result, False, str(exc))

        run_in_background(job, on_success=done, on_failure=failed, label=_("Sending…"))

    def store_password(self) -> None:
        """A password typed goes to the system keyring (CMPlannerError when it cannot)."""
        password = self.smtp_password.text()
        if password:
            try:
                smtp.store_password(self.smtp_settings(), password)
            except Exception as exc:  # KeyringError and the backends' own errors
                raise CMPlannerError(
                    _("The password could not be kept in the system keyring ({error}).").format(
                        error=exc
                    )
                ) from exc
            self.smtp_password.clear()
            self._smtp_stored = True
            password_placeholder(self.smtp_password, True, self.keyring_problem)


def send_test_message(settings_now: Any, password: str | None, name: str, address: str) -> str:
    """Send one short message to `address` (on the worker); the reason it failed, or ""."""
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
