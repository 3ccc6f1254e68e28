"""A second launch on the same database raises the first window instead of opening it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtNetwork import QLocalSocket

from ui.shell.main_window import MainWindow
from ui.shell.single_instance import InstanceServer, ask_running_instance, server_name


def test_server_name_depends_on_the_database(tmp_path: Path) -> None:
    a, b = tmp_path / "a.cmplanner", tmp_path / "b.cmplanner"
    assert server_name(a) != server_name(b)
    assert server_name(a) == server_name(tmp_path / "x" / ".." / "a.cmplanner")


def test_raise_message_raises_the_window(qtbot, window: MainWindow, monkeypatch) -> None:
    raised: list[bool] = []
    monkeypatch.setattr(window, "raise_window", lambda: raised.append(True))
    server = InstanceServer()
    server.raiseRequested.connect(lambda: window.raise_window())
    assert server.listen(window.db.path)

    socket = QLocalSocket()
    socket.connectToServer(server_name(window.db.path))
    assert socket.waitForConnected(1000)
    socket.write(b"raise")
    socket.flush()
    qtbot.waitUntil(lambda: raised == [True])
    socket.disconnectFromServer()
    server.close()


def test_second_launch_finds_the_first(qtbot, tmp_path: Path) -> None:
    db_path = tmp_path / "one.cmplanner"
    assert not ask_running_instance(db_path)
    server = InstanceServer()
    assert server.listen(db_path)
    with qtbot.waitSignal(server.raiseRequested, timeout=3000):
        assert ask_running_instance(db_path)
    assert not ask_running_instance(tmp_path / "other.cmplanner")
    server.close()


def test_window_listens_under_its_database(qtbot, demo_db, frozen_clock, tmp_path) -> None:
    server = InstanceServer()
    win = MainWindow(demo_db, instance_server=server)
    qtbot.addWidget(win)
    win.backup_on_close = False
    assert server.name == server_name(demo_db.path)
    win.switch_database(tmp_path / "other.cmplanner")
    assert server.name == server_name(tmp_path / "other.cmplanner")
    win.close()
