"""One running CM Planner per database: a second launch asks the first to come forward.

The first process listens on a local socket named after a hash of the database path; a
second one connects, sends "raise" and exits (Anki's `secondInstance`).
"""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

RAISE = b"raise"
TIMEOUT_MS = 1000


def server_name(db_path: Path) -> str:
    """Per user and per database (resolved), short enough for every platform."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name: the path alone will do
        user = ""
    key = f"{user}\0{Path(db_path).expanduser().resolve()}"
    return "cmplanner-" + hashlib.sha256(key.encode()).hexdigest()[:24]


def ask_running_instance(db_path: Path) -> bool:
    """True if a CM Planner already has `db_path` open and was asked to raise its window."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(db_path))
    if not socket.waitForConnected(TIMEOUT_MS):
        return False
    socket.write(RAISE)
    socket.flush()
    socket.waitForBytesWritten(TIMEOUT_MS)
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Listens for later launches on the same database; emits `raiseRequested`."""

    raiseRequested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_connection)
        self.name = ""
        self._clients: list[QLocalSocket] = []

    def listen(self, db_path: Path) -> bool:
        """(Re)listen under the name of `db_path` (after switching databases too)."""
        self._server.close()
        self.name = server_name(db_path)
        if self._server.listen(self.name):
            return True
        # A crashed instance can leave its socket file behind; we hold the database lock,
        # so nobody else is using it.
        QLocalServer.removeServer(self.name)
        return self._server.listen(self.name)

    def close(self) -> None:
        self._server.close()
        for socket in self._clients:
            socket.abort()
            socket.deleteLater()
        self._clients.clear()

    def _on_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            if socket is None:
                break
            self._clients.append(socket)
            socket.readyRead.connect(self._read_clients)
            socket.disconnected.connect(self._drop_closed)
        self._read_clients()

    def _read_clients(self) -> None:
        for socket in self._clients:
            if socket.bytesAvailable() and bytes(socket.readAll().data()).strip() == RAISE:
                self.raiseRequested.emit()

    def _drop_closed(self) -> None:
        closed = [
            s for s in self._clients if s.state() == QLocalSocket.LocalSocketState.UnconnectedState
        ]
        for socket in closed:
            self._clients.remove(socket)
            socket.deleteLater()
