"""A real local SMTP server for tests (aiosmtpd) and a keyring in memory. The server keeps
what it accepts, refuses one address (REFUSED), checks logins against one user and
password, and can leave capabilities out of its EHLO answer (`deny`: "AUTH",
"STARTTLS"…); `silent_server` accepts connections and never answers. Reusable: bind the
fixtures in a test module with

    from tests.interop import mail_server
    memory_keyring = mail_server.memory_keyring
    smtp_server = mail_server.mail_server

or start one by hand with `start(...)` (a Controller to stop, and the MailServer)."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import keyring
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from keyring.backend import KeyringBackend

from tests.interop.radicale_server import free_port

REFUSED = "bob@example.org"
USER = "zoe"
PASSWORD = "s3cret"

__all__ = ["free_port"]


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in a dict: the tests never touch the system's."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@dataclass
class Collector:
    """The server's handler: keeps what it accepts, refuses one address."""

    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address == REFUSED:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        return [rcpts[0] for _sender, rcpts, _data in self.messages]


@dataclass
class Picky(Collector):
    """A Collector whose server leaves the `deny` capabilities out of its EHLO answer."""

    deny: frozenset[str] = frozenset()

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname  # what aiosmtpd does itself without this hook
        return [r for r in responses if r[4:].split(" ")[0].upper() not in self.deny]


class Accounts:
    """Checks logins against one user and password (aiosmtpd authenticator)."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user, password
        self.logins: list[str] = []

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == self.user
            and auth_data.password.decode() == self.password
        )
        if ok:
            self.logins.append(self.user)
        return AuthResult(success=ok, handled=False)  # a refusal answers 535


@dataclass
class MailServer:
    collector: Collector
    accounts: Accounts
    port: int


def start(
    user: str = USER, password: str = PASSWORD, deny: Iterable[str] = (), **kwargs: Any
) -> tuple[Controller, MailServer]:
    """A server on 127.0.0.1 (a free port), started; `deny`: capabilities its EHLO leaves
    out; `kwargs` go to aiosmtpd's Controller."""
    collector = Picky(deny=frozenset(d.upper() for d in deny)) if deny else Collector()
    accounts = Accounts(user, password)
    port = free_port()
    controller = Controller(
        collector,
        hostname="127.0.0.1",
        port=port,
        authenticator=accounts,
        **kwargs,
    )
    controller.start()
    return controller, MailServer(collector, accounts, port)


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A port where connections are accepted (by the kernel's backlog) and nothing is ever
    said: an SMTP client waits for a greeting until its timeout."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield int(listener.getsockname()[1])


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    """A plain server (no TLS) accepting USER / PASSWORD."""
    controller, server = start(auth_require_tls=False)
    yield server
    controller.stop()
