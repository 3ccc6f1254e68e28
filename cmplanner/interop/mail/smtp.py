"""Sending e-mail by SMTP: the settings of Preferences, the password in the system keyring.

The password is never stored in the database: `keyring` keeps it in the system's store
(Secret Service, macOS Keychain, Windows Credential Locker) under the service "CM Planner
SMTP" and the user name `user@host`. `deliver` sends a batch over one connection (opened
again if the server drops it), one message at a time: a refused recipient does not stop the
others, and each one gets its own result."""

from __future__ import annotations

import base64
import smtplib
import socket
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage

from cmplanner.bus import Changes
from cmplanner.errors import ValidationError
from cmplanner.i18n import _
from cmplanner.services import preferences
from cmplanner.storage import Database

KEYRING_SERVICE = "CM Planner SMTP"
SECURITIES = ("starttls", "ssl", "none")
TIMEOUT = 30.0  # seconds, per SMTP command

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # "starttls", "ssl" (implicit TLS, usually port 465) or "none"
    user: str  # "" for a server that needs no login

    @property
    def keyring_user(self) -> str:
        return f"{self.user}@{self.host}"


@dataclass(frozen=True)
class Delivery:
    """What happened to one message."""

    recipient: str  # the address it was sent to
    error: str = ""  # "" when the server accepted it

    @property
    def ok(self) -> bool:
        return not self.error


def load_settings(db: Database) -> SmtpSettings:
    """The SMTP settings of Preferences; a ValidationError says what is missing."""
    host = preferences.get(db, preferences.SMTP_HOST).strip()
    if not host:
        raise ValidationError(
            _("No SMTP server is set: enter it in Preferences (Outgoing mail) first.")
        )
    port_text = preferences.get(db, preferences.SMTP_PORT).strip()
    security = preferences.get(db, preferences.SMTP_SECURITY).strip().lower() or "starttls"
    if security not in SECURITIES:
        raise ValidationError(
            _("The SMTP security “{value}” is unknown (starttls, ssl or none).").format(
                value=security
            )
        )
    try:
        port = int(port_text)
        if not 0 < port < 65536:
            raise ValueError(port)
    except ValueError:
        raise ValidationError(
            _("The SMTP port “{value}” is not a port number.").format(value=port_text)
        ) from None
    return SmtpSettings(host, port, security, preferences.get(db, preferences.SMTP_USER).strip())


def save_settings(db: Database, settings: SmtpSettings) -> Changes:
    """Store the settings (not the password: see `store_password`)."""
    return (
        preferences.put(db, preferences.SMTP_HOST, settings.host)
        | preferences.put(db, preferences.SMTP_PORT, str(settings.port))
        | preferences.put(db, preferences.SMTP_SECURITY, settings.security)
        | preferences.put(db, preferences.SMTP_USER, settings.user)
    )


def store_password(settings: SmtpSettings, password: str) -> None:
    # imported on use, not at the top: keeps it off the start-up path
    import keyring

    keyring.set_password(KEYRING_SERVICE, settings.keyring_user, password)


def stored_password(settings: SmtpSettings) -> str | None:
    """The password from the system keyring; None when there is none (or no keyring)."""
    # imported on use, not at the top: keeps it off the start-up path
    import keyring

    # imported on use, not at the top: keeps it off the start-up path
    from keyring.errors import KeyringError

    if not settings.user:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, settings.keyring_user)
    except KeyringError:
        return None


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else value


class SmtpProblem(smtplib.SMTPException):
    """What the server lacks for these settings, said in words a person can act on (the
    server offers no STARTTLS, no AUTH…): found by CM Planner before smtplib would fail."""


def _describe(exc: BaseException, settings: SmtpSettings) -> str:
    """A short reason a person can act on, naming the real cause: refused connection,
    unknown host, timeout, TLS failure, STARTTLS or AUTH not offered, login refused,
    recipient or sender refused."""
    host, port = settings.host, settings.port
    if isinstance(exc, smtplib.SMTPServerDisconnected) and isinstance(
        exc.__context__, (socket.timeout, TimeoutError)
    ):
        exc = exc.__context__  # smtplib reports a silent server as a closed connection
    if isinstance(exc, SmtpProblem):
        return str(exc)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            _("the server refused the recipient {address}: {code} {message}").format(
                address=address, code=code, message=_text(message)
            )
            for address, (code, message) in exc.recipients.items()
        )
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return _("the server refused the sender {address}: {code} {message}").format(
            address=exc.sender, code=exc.smtp_code, message=_text(exc.smtp_error)
        )
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return _("the server refused the user name or password ({code})").format(code=exc.smtp_code)
    if isinstance(exc, smtplib.SMTPResponseException):
        return _("the server answered {code} {message}").format(
            code=exc.smtp_code, message=_text(exc.smtp_error)
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return _("the server closed the connection")
    if isinstance(exc, smtplib.SMTPNotSupportedError) and "SMTPUTF8" in str(exc):
        return _("the server does not accept addresses with non-ASCII characters (SMTPUTF8)")
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return _("the server does not support this: {reason}").format(reason=exc)
    if isinstance(exc, smtplib.SMTPException) and "authentication method" in str(exc):
        return _("the server offers no login method CM Planner knows")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _(
            "secure connection failed: the server's certificate is not trusted ({reason})"
        ).format(reason=exc.verify_message or exc.reason or exc)
    if isinstance(exc, ssl.SSLError):
        return _("secure connection failed: {reason}").format(reason=exc.reason or exc)
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return _("the server {host} did not answer in time (port {port})").format(
            host=host, port=port
        )
    if isinstance(exc, ConnectionRefusedError):
        return _(
            "the server {host} refused the connection on port {port}: check the server and the port"
        ).format(host=host, port=port)
    if isinstance(exc, socket.gaierror):
        return _("the server name {host} is unknown: check it").format(host=host)
    if isinstance(exc, OSError):
        return _("cannot reach the server: {reason}").format(reason=exc.strerror or exc)
    return str(exc) or type(exc).__name__


def _offered(smtp: smtplib.SMTP, settings: SmtpSettings, extension: str) -> None:
    """Raise SmtpProblem when the server's EHLO does not offer `extension` (STARTTLS,
    AUTH): smtplib would only say "not supported"."""
    if smtp.has_extn(extension):
        return
    if extension == "starttls":
        raise SmtpProblem(
            _(
                "the server does not offer STARTTLS on port {port}: choose SSL (usually port"
                " 465) or check the port"
            ).format(port=settings.port)
        )
    if settings.security == "none":
        raise SmtpProblem(
            _(
                "the server does not offer a login (AUTH) on an unencrypted connection:"
                " choose STARTTLS or SSL, or leave the user name empty"
            )
        )
    raise SmtpProblem(
        _(
            "the server does not offer a login (AUTH): leave the user name empty if it needs"
            " none, or check the server"
        )
    )


class _Connection:
    """One SMTP session, opened on first use and again after the server drops it."""

    def __init__(
        self, settings: SmtpSettings, password: str | None, context: ssl.SSLContext | None
    ) -> None:
        self.settings = settings
        self.password = password
        self.context = context or ssl.create_default_context()
        self.smtp: smtplib.SMTP | None = None

    def open(self) -> smtplib.SMTP:
        if self.smtp is not None:
            return self.smtp
        s = self.settings
        smtp: smtplib.SMTP
        if s.security == "ssl":
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT, context=self.context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT)
        try:
            smtp.ehlo()
            if s.security == "starttls":
                _offered(smtp, s, "starttls")
                smtp.starttls(context=self.context)
                smtp.ehlo()
            if s.user:
                _offered(smtp, s, "auth")
                _login(smtp, s.user, self.password or "")
        except BaseException:
            _close(smtp)
            raise
        self.smtp = smtp
        return smtp

    def drop(self) -> None:
        if self.smtp is not None:
            _close(self.smtp)
            self.smtp = None


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """smtplib's login, except for a non-ASCII user or password (smtplib encodes them as
    ASCII and fails): AUTH PLAIN in UTF-8, as RFC 4616 defines it."""
    if user.isascii() and password.isascii():
        smtp.login(user, password)
        return
    if not smtp.has_extn("auth") or "PLAIN" not in smtp.esmtp_features["auth"].upper().split():
        raise smtplib.SMTPAuthenticationError(
            504, b"the server does not accept AUTH PLAIN for a non-ASCII password"
        )
    token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode()
    code, answer = smtp.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, answer)


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def deliver(
    messages: Sequence[EmailMessage],
    settings: SmtpSettings,
    password: str | None = None,
    *,
    progress: Progress | None = None,
    context: ssl.SSLContext | None = None,
) -> list[Delivery]:
    """Send each message to its To address; one Delivery per message, in order. A failure
    to connect or log in fails every message still to send, with that reason."""
    if settings.user and password is None:
        password = stored_password(settings)
    connection = _Connection(settings, password, context)
    results: list[Delivery] = []
    total = len(messages)
    if progress:
        progress(0, total)
    fatal = ""
    try:
        for message in messages:
            to = message["To"].addresses[0].addr_spec if message["To"] else ""
            if fatal:
                results.append(Delivery(to, fatal))
            else:
                delivery, connected = _send_one(connection, message, to)
                results.append(delivery)
                if not connected:
                    fatal = delivery.error  # could not connect or log in: no use retrying
            if progress:
                progress(len(results), total)
    finally:
        connection.drop()
    return results


def _send_one(connection: _Connection, message: EmailMessage, to: str) -> tuple[Delivery, bool]:
    """The message's result, and whether the session could be opened at all."""
    for attempt in (1, 2):
        try:
            smtp = connection.open()
        except (smtplib.SMTPException, OSError) as exc:
            return Delivery(to, _describe(exc, connection.settings)), False
        try:
            sender = message["From"].addresses[0].addr_spec
            smtp.send_message(message, from_addr=sender, to_addrs=[to])
            return Delivery(to), True
        except smtplib.SMTPServerDisconnected as exc:
            connection.drop()  # a server may close an idle session: open it again, once
            if attempt == 2:
                return Delivery(to, _describe(exc, connection.settings)), True
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as exc:
            _reset(connection)
            return Delivery(to, _describe(exc, connection.settings)), True
        except (smtplib.SMTPException, OSError) as exc:
            connection.drop()
            return Delivery(to, _describe(exc, connection.settings)), True
    return Delivery(to, _("the server closed the connection")), True


def _reset(connection: _Connection) -> None:
    """After a refused message, make the session ready for the next one."""
    if connection.smtp is None:
        return
    try:
        connection.smtp.rset()
    except (smtplib.SMTPException, OSError):
        connection.drop()
