"""Sending invitations by SMTP, against a real local server (aiosmtpd): plain, STARTTLS and
SSL with a certificate made by the test, login with the password from the keyring, a
recipient refused while the others go out, each result logged."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import smtplib
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from cmplanner.errors import ValidationError
from cmplanner.interop.mail import imip, smtp
from cmplanner.services import preferences, sent_log
from cmplanner.storage import Database
from tests.interop import itip_world, mail_server
from tests.interop.itip_world import World
from tests.interop.mail_server import REFUSED, MailServer, MemoryKeyring, free_port

memory_keyring = mail_server.memory_keyring


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """A self-signed certificate for 127.0.0.1, made here with `cryptography`."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Certificate(folder / "cert.pem", folder / "key.pem")


def _start(**kwargs: Any) -> tuple[Controller, MailServer]:
    return mail_server.start("zoe", "s3cret-é", **kwargs)


@pytest.fixture
def plain_server() -> Iterator[MailServer]:
    controller, server = _start(auth_require_tls=False)
    yield server
    controller.stop()


@pytest.fixture
def starttls_server(certificate: Certificate) -> Iterator[MailServer]:
    controller, server = _start(tls_context=certificate.server_context(), require_starttls=True)
    yield server
    controller.stop()


@pytest.fixture
def ssl_server(certificate: Certificate) -> Iterator[MailServer]:
    # aiosmtpd counts only STARTTLS as TLS for AUTH; here the whole session is TLS.
    controller, server = _start(ssl_context=certificate.server_context(), auth_require_tls=False)
    yield server
    controller.stop()


@pytest.fixture
def world(empty_db: Database, frozen_clock: dt.datetime) -> World:
    return itip_world.build(empty_db)


def _configure(db: Database, port: int, security: str) -> smtp.SmtpSettings:
    settings = smtp.SmtpSettings("127.0.0.1", port, security, "zoe")
    smtp.save_settings(db, settings)
    smtp.store_password(settings, "s3cret-é")
    return settings


def _received(server: MailServer) -> dict[str, EmailMessage]:
    found = {}
    for _sender, rcpts, data in server.collector.messages:
        parsed = email.message_from_bytes(data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        found[rcpts[0]] = parsed
    return found


def test_settings_come_from_preferences_and_the_password_from_the_keyring(
    empty_db: Database, memory_keyring: MemoryKeyring
) -> None:
    with pytest.raises(ValidationError, match="Preferences"):
        smtp.load_settings(empty_db)
    settings = _configure(empty_db, 2525, "starttls")
    assert smtp.load_settings(empty_db) == settings
    assert memory_keyring.store == {("CM Planner SMTP", "zoe@127.0.0.1"): "s3cret-é"}
    with empty_db.read() as con:
        values = [str(v) for (v,) in con.execute("SELECT value FROM setting")]
    assert not any("s3cret" in v for v in values)
    preferences.put(empty_db, preferences.SMTP_PORT, "port")
    with pytest.raises(ValidationError, match="port"):
        smtp.load_settings(empty_db)


def test_sent_over_plain_smtp_with_login_one_refused_the_others_delivered(
    empty_db: Database, world: World, plain_server: MailServer, memory_keyring: MemoryKeyring
) -> None:
    _configure(empty_db, plain_server.port, "none")
    progress: list[tuple[int, int]] = []
    report = imip.send(
        empty_db,
        imip.invitations(empty_db, world.series),
        progress=lambda done, total: progress.append((done, total)),
    )
    assert plain_server.accounts.logins == ["zoe"]  # one session for the batch
    by_address = {r.email: r for r in report.results}
    assert len(by_address) == 5
    assert not by_address[REFUSED].ok
    assert "550" in by_address[REFUSED].error and "No such user" in by_address[REFUSED].error
    delivered = _received(plain_server)
    assert sorted(delivered) == sorted(a for a in by_address if a != REFUSED)
    message = delivered["anais@example.org"]
    assert message["Subject"] == "Invitation: Apéro du jeudi"
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert part.get_param("method") == "REQUEST"
    assert progress[-1] == (5, 5)
    # The log has one row per guest, the refusal with its reason.
    log = {r.email: r for r in sent_log.history(empty_db, world.series)}
    assert {r.channel for r in log.values()} == {"smtp"}
    assert log[REFUSED].error and not log["anais@example.org"].error
    states = sent_log.guest_states(empty_db, world.series)
    assert states[world.people["Bob"]].never_sent and states[world.people["Bob"]].last_error
    assert states[world.people["Anaïs"]].last_sequence == 0


def test_starttls_with_the_servers_certificate(
    empty_db: Database,
    world: World,
    starttls_server: MailServer,
    certificate: Certificate,
    memory_keyring: MemoryKeyring,
) -> None:
    _configure(empty_db, starttls_server.port, "starttls")
    report = imip.send(
        empty_db, imip.invitations(empty_db, world.single), context=certificate.client_context()
    )
    assert [r.ok for r in report.results].count(True) == 3  # Bob is refused
    assert len(_received(starttls_server)) == 3
    assert report.waitlisted == 1


def test_an_untrusted_certificate_fails_every_guest_with_a_clear_reason(
    empty_db: Database, world: World, starttls_server: MailServer, memory_keyring: MemoryKeyring
) -> None:
    _configure(empty_db, starttls_server.port, "starttls")
    report = imip.send(empty_db, imip.invitations(empty_db, world.single))
    assert len(report.failed) == 4
    assert all(r.error.startswith("secure connection failed") for r in report.failed)
    assert starttls_server.collector.messages == []
    assert len(sent_log.history(empty_db, world.single)) == 4


def test_implicit_ssl(
    empty_db: Database,
    world: World,
    ssl_server: MailServer,
    certificate: Certificate,
    memory_keyring: MemoryKeyring,
) -> None:
    _configure(empty_db, ssl_server.port, "ssl")
    report = imip.send(
        empty_db, imip.invitations(empty_db, world.single), context=certificate.client_context()
    )
    assert len(report.failed) == 1 and report.failed[0].email == REFUSED
    assert len(_received(ssl_server)) == 3


def test_starttls_refused_by_a_plain_server_and_a_wrong_password(
    empty_db: Database, world: World, plain_server: MailServer, memory_keyring: MemoryKeyring
) -> None:
    settings = _configure(empty_db, plain_server.port, "starttls")
    report = imip.send(empty_db, imip.invitations(empty_db, world.single))
    assert len(report.failed) == 4
    assert "STARTTLS" in report.failed[0].error
    smtp.save_settings(empty_db, smtp.SmtpSettings("127.0.0.1", plain_server.port, "none", "zoe"))
    smtp.store_password(settings, "wrong")
    report = imip.send(empty_db, imip.invitations(empty_db, world.single))
    assert len(report.failed) == 4
    assert "user name or password" in report.failed[0].error


def test_nobody_listening(empty_db: Database, world: World, memory_keyring: MemoryKeyring) -> None:
    _configure(empty_db, free_port(), "none")
    report = imip.send(empty_db, imip.invitations(empty_db, world.single))
    assert len(report.failed) == 4
    assert "refused the connection on port" in report.failed[0].error


def test_deliver_survives_a_server_that_drops_the_session(
    plain_server: MailServer, memory_keyring: MemoryKeyring
) -> None:
    settings = smtp.SmtpSettings("127.0.0.1", plain_server.port, "none", "zoe")
    smtp.store_password(settings, "s3cret-é")
    messages = []
    for n in range(3):
        m = EmailMessage()
        m["From"] = "zoe@cm.example"
        m["To"] = f"guest{n}@example.org"
        m["Subject"] = f"n{n}"
        m.set_content("hello")
        messages.append(m)

    original = smtplib.SMTP.send_message
    calls = {"n": 0}

    def flaky(self: smtplib.SMTP, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            self.close()
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return original(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(smtplib.SMTP, "send_message", flaky)
        results = smtp.deliver(messages, settings)
    assert [r.ok for r in results] == [True, True, True]
    assert len(plain_server.collector.messages) == 3
    assert plain_server.accounts.logins == ["zoe", "zoe"]  # logged in again


# --- each failure says its real cause, in English and in French --------------------------------


def _one_message(to: str = "guest@example.org") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "zoe@cm.example"
    message["To"] = to
    message["Subject"] = "Invitation"
    message.set_content("hello")
    return message


@dataclass(frozen=True)
class Case:
    server: dict[str, Any] | None  # mail_server.start's options; None: nobody listens
    security: str
    english: str
    french: str
    password: str = "s3cret-é"
    to: str = "guest@example.org"
    trusted: bool = True  # the client trusts the test's certificate


CASES = {
    # The server offers no AUTH on a plain connection (aiosmtpd's default): not "no STARTTLS".
    "no AUTH offered": Case(
        {},
        "none",
        "the server does not offer a login (AUTH) on an unencrypted connection",
        "le serveur ne propose pas d’identification (AUTH) sur une connexion non chiffrée",
    ),
    "no AUTH even after STARTTLS": Case(
        {"tls": True, "deny": ["AUTH"]},
        "starttls",
        "the server does not offer a login (AUTH): leave the user name empty",
        "le serveur ne propose pas d’identification (AUTH) : laissez l’identifiant vide",
    ),
    "no STARTTLS offered": Case(
        {"auth_require_tls": False},
        "starttls",
        "the server does not offer STARTTLS on port",
        "le serveur ne propose pas STARTTLS sur le port",
    ),
    "STARTTLS denied though TLS is set up": Case(
        {"tls": True, "deny": ["STARTTLS"]},
        "starttls",
        "the server does not offer STARTTLS on port",
        "le serveur ne propose pas STARTTLS sur le port",
    ),
    "untrusted certificate": Case(
        {"tls": True},
        "starttls",
        "secure connection failed: the server's certificate is not trusted",
        "échec de la connexion sécurisée : le certificat du serveur n’est pas reconnu",
        trusted=False,
    ),
    "wrong password": Case(
        {"auth_require_tls": False},
        "none",
        "the server refused the user name or password (535)",
        "le serveur a refusé l'identifiant ou le mot de passe (535)",
        password="wrong",
    ),
    "recipient refused": Case(
        {"auth_require_tls": False},
        "none",
        f"the server refused the recipient {REFUSED}: 550",
        f"le serveur a refusé le destinataire {REFUSED} : 550",
        to=REFUSED,
    ),
    "connection refused": Case(
        None,
        "none",
        "the server 127.0.0.1 refused the connection on port",
        "le serveur 127.0.0.1 a refusé la connexion sur le port",
    ),
}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("case", list(CASES))
def test_each_failure_names_its_real_cause(
    case: str, language: str, certificate: Certificate, memory_keyring: MemoryKeyring
) -> None:
    from cmplanner.i18n import set_language

    c = CASES[case]
    controller = None
    if c.server is None:
        port = free_port()
    else:
        options = dict(c.server)
        if options.pop("tls", False):
            options["tls_context"] = certificate.server_context()
        controller, server = _start(**options)
        port = server.port
    set_language(language)
    try:
        settings = smtp.SmtpSettings("127.0.0.1", port, c.security, "zoe")
        context = certificate.client_context() if c.trusted else None
        (delivery,) = smtp.deliver([_one_message(c.to)], settings, c.password, context=context)
    finally:
        if controller is not None:
            controller.stop()
    expected = c.english if language == "en" else c.french
    assert expected in delivery.error
    if "AUTH" in case:
        assert "STARTTLS" not in delivery.error.split(":")[0]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_silent_server_is_a_timeout_and_an_unknown_name_is_said(
    language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cmplanner.i18n import set_language

    set_language(language)
    monkeypatch.setattr(smtp, "TIMEOUT", 0.5)
    with mail_server.silent_server() as port:
        settings = smtp.SmtpSettings("127.0.0.1", port, "none", "")
        (delivery,) = smtp.deliver([_one_message()], settings)
    expected = {
        "en": f"the server 127.0.0.1 did not answer in time (port {port})",
        "fr": f"le serveur 127.0.0.1 n’a pas répondu à temps (port {port})",
    }
    assert delivery.error == expected[language]
    settings = smtp.SmtpSettings("no-such-host.invalid", 25, "none", "")
    (delivery,) = smtp.deliver([_one_message()], settings)
    assert (
        delivery.error
        == {
            "en": "the server name no-such-host.invalid is unknown: check it",
            "fr": "le nom de serveur no-such-host.invalid est inconnu : vérifiez-le",
        }[language]
    )
