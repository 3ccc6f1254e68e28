"""A real Radicale CalDAV server for tests: started on 127.0.0.1 (a free port) with its own
storage folder, stopped at the end. Reusable: bind the fixtures in a test module with

    from tests.interop import radicale_server
    radicale = radicale_server.radicale
    caldav_calendar = radicale_server.caldav_calendar

`radicale` (one server per test module, htpasswd login USER / PASSWORD) and `caldav_calendar`
(a new, empty calendar per test; its URL). `assert_radicale_accepts(path)`: Radicale's own
check of an .ics file (`radicale --verify-item`)."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

USER = "cm"
PASSWORD = "s3cret-été"


def assert_radicale_accepts(path: Path) -> None:
    """Radicale reads the .ics file as a valid item (its --verify-item check)."""
    done = subprocess.run(
        [sys.executable, "-m", "radicale", "--verify-item", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RadicaleServer:
    """A Radicale process. `url` is its root (http://127.0.0.1:PORT/)."""

    folder: Path
    port: int
    process: subprocess.Popen[bytes]
    user: str
    password: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def calendar_home(self) -> str:
        return f"{self.url}{self.user}/"

    def make_calendar(self, name: str = "") -> str:
        """Create a calendar (MKCALENDAR through the caldav library); return its URL."""
        import caldav

        cal_id = name or uuid.uuid4().hex[:12]
        with caldav.DAVClient(
            url=self.url, username=self.user, password=self.password, enable_rfc6764=False
        ) as client:
            calendar = client.principal().make_calendar(name=cal_id, cal_id=cal_id)
            return str(calendar.url)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except urllib.error.HTTPError:
        return True  # 401 and such: it is up
    except OSError:
        return False


def start_radicale(
    folder: Path, *, user: str = USER, password: str = PASSWORD, timeout: float = 20.0
) -> RadicaleServer:
    """Start Radicale with an htpasswd file (plain text: a test server) and wait until it
    answers. An empty `user` starts it without authentication."""
    storage = folder / "collections"
    storage.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "radicale",
        "--config",
        "",
        "--server-hosts",
        f"127.0.0.1:{port}",
        "--storage-filesystem-folder",
        str(storage),
        "--logging-level",
        "warning",
    ]
    if user:
        htpasswd = folder / "users"
        htpasswd.write_text(f"{user}:{password}\n", encoding="utf-8")
        command += [
            "--auth-type",
            "htpasswd",
            "--auth-htpasswd-filename",
            str(htpasswd),
            "--auth-htpasswd-encryption",
            "plain",
            "--auth-delay",
            "0",
        ]
    else:
        command += ["--auth-type", "none"]
    log = (folder / "radicale.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    server = RadicaleServer(folder, port, process, user, password)
    deadline = time.monotonic() + timeout
    while not _answers(server.url):
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            output = (folder / "radicale.log").read_text(encoding="utf-8", errors="replace")
            raise RuntimeError(f"Radicale did not start on port {port}:\n{output}")
        time.sleep(0.05)
    return server


@contextlib.contextmanager
def running_radicale(folder: Path, **kwargs: str) -> Iterator[RadicaleServer]:
    server = start_radicale(folder, **kwargs)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RadicaleServer]:
    """One Radicale server per test module (login USER / PASSWORD)."""
    with running_radicale(tmp_path_factory.mktemp("radicale")) as server:
        yield server


@pytest.fixture
def caldav_calendar(radicale: RadicaleServer) -> str:
    """The URL of a new, empty calendar on the module's Radicale server."""
    return radicale.make_calendar()
