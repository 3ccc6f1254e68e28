"""What a screen reader finds: CM Planner's accessibility tree as AT-SPI (what Orca reads) has
it, section by section, and every focusable object in it with no name. Exit status 1 when
there is one.

A manual check (it needs system packages, not in `make test`; tests/ui/test_accessible_names.py
is its Qt-level counterpart there). On Debian or Ubuntu:

    apt-get install at-spi2-core python3-pyatspi xvfb dbus
    xvfb-run -a -s "-screen 0 1366x768x24" dbus-run-session -- /usr/bin/python3 bench/atspi_dump.py

The system Python (it has pyatspi) starts the app with the project's venv Python on a fresh
demo database, with QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 on the private session bus; it shows
each section (the calendar in its three modes), then walks the tree. A table's or a list's
rows are data (each cell is named by its text) and are not walked. `--all` prints every
focusable object with its role and name (a combo box's: its label, then its choice;
with no label it counts as unnamed). Last, it shows a status bar message and checks that
AT-SPI passed its announcement on (ui/kit/announce.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
CALENDAR_MODES = ("month", "week", "agenda")
SETTLE_MS = 700  # let the section fill and Qt tell AT-SPI before it is walked


# -- inside the app (the venv's Python) ------------------------------------------------------


def run_app(folder: Path) -> int:
    """The main window on a demo database; reads "show KEY", "mode MODE" and "quit" from
    stdin, answers "READY …" once it has done it."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QSocketNotifier, QTimer
    from PySide6.QtWidgets import QApplication

    from cmplanner.demo import create_demo_database
    from cmplanner.storage import Database
    from ui.shell.app import apply_style
    from ui.shell.main_window import MainWindow
    from ui.shell.sections import SECTION_KEYS

    path = folder / "demo.cmplanner"
    create_demo_database(path)
    app = QApplication(sys.argv[:1])
    apply_style(app)
    window = MainWindow(Database.open(path))
    window.backup_on_close = False
    window.resize(1366, 740)
    window.show()

    def ready(what: str) -> None:
        QTimer.singleShot(SETTLE_MS, lambda: print(f"READY {what}", flush=True))

    def command() -> None:
        line = sys.stdin.readline().split()
        if not line or line[0] == "quit":
            app.quit()
        elif line[0] == "show":
            window.show_section(line[1])
            ready(line[1])
        elif line[0] == "mode":
            window.view("calendar").set_mode(line[1])
            ready(line[1])
        elif line[0] == "say":
            window.show_message(" ".join(line[1:]))  # a status message: announced

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(command)
    print("SECTIONS " + " ".join(SECTION_KEYS), flush=True)
    ready("start")
    app.exec()
    window.close()
    return 0


# -- the screen reader's side (the system Python, with pyatspi) -----------------------------


def _said(node: Any) -> str:
    """The name a screen reader says. A combo box's name is its current choice ("Any tag"),
    as in GTK; what it is for is the label it is labelled by, which it must have."""
    import pyatspi

    name = (node.name or "").strip()
    if node.getRole() != pyatspi.ROLE_COMBO_BOX:
        return name
    labels = [
        (relation.getTarget(index).name or "").strip()
        for relation in node.getRelationSet()
        if relation.getRelationType() == pyatspi.RELATION_LABELLED_BY
        for index in range(relation.getNTargets())
    ]
    label = ", ".join(text for text in labels if text)
    return f"{label}: {name}" if label else ""


def _walk(node: Any, path: str, found: list[tuple[str, str, str]]) -> None:
    import pyatspi

    try:
        states = node.getState()
        if not states.contains(pyatspi.STATE_SHOWING):
            return
        role = node.getRoleName()
        here = f"{path}/{role}"
        if states.contains(pyatspi.STATE_FOCUSABLE):
            found.append((here, role, _said(node)))
        if node.getRole() in (
            pyatspi.ROLE_TABLE,
            pyatspi.ROLE_TREE_TABLE,
            pyatspi.ROLE_TREE,
            pyatspi.ROLE_LIST,
            pyatspi.ROLE_LIST_BOX,
            pyatspi.ROLE_MENU_BAR,
        ):
            return  # rows and cells are the data, named by their text
        for index in range(node.childCount):
            child = node.getChildAtIndex(index)
            if child is not None:
                _walk(child, here, found)
    except Exception as exc:  # an object gone while walking: say so, keep going
        found.append((path, "error", f"<{exc}>"))


def _application(pid: int, timeout: float = 30.0) -> Any:
    import pyatspi

    until = time.monotonic() + timeout
    while time.monotonic() < until:
        desktop = pyatspi.Registry.getDesktop(0)
        for index in range(desktop.childCount):
            app = desktop.getChildAtIndex(index)
            if app is not None and app.get_process_id() == pid:
                return app
        time.sleep(0.5)
    raise SystemExit(f"the app (pid {pid}) never showed on the AT-SPI bus")


def _heard(send: Any, text: str, timeout_ms: int = 5000) -> bool:
    """Whether AT-SPI passes on the announcement of a status message (what Orca speaks)."""
    import pyatspi
    from gi.repository import GLib

    heard: list[str] = []

    def listen(event: Any) -> None:
        heard.append(str(event.any_data))
        if text in heard:
            pyatspi.Registry.stop()

    pyatspi.Registry.registerEventListener(listen, "object:announcement")
    GLib.timeout_add(300, lambda: send(f"say {text}") and False)
    GLib.timeout_add(timeout_ms, lambda: pyatspi.Registry.stop() and False)
    pyatspi.Registry.start()
    pyatspi.Registry.deregisterEventListener(listen, "object:announcement")
    return text in heard


def dump(show_all: bool) -> int:
    with tempfile.TemporaryDirectory() as folder:
        env = dict(
            os.environ,
            QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
            XDG_CONFIG_HOME=str(Path(folder) / "config"),
            XDG_DATA_HOME=str(Path(folder) / "data"),
            CMPLANNER_HOME=str(Path(folder) / "home"),
        )
        app = subprocess.Popen(
            [str(VENV_PYTHON), __file__, "--app", folder],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        assert app.stdin is not None and app.stdout is not None

        def wait(what: str) -> str:
            for line in app.stdout:  # type: ignore[union-attr]
                if line.startswith(what):
                    return line.strip()
            raise SystemExit(f"the app stopped before {what!r}")

        def send(line: str) -> None:
            app.stdin.write(line + "\n")  # type: ignore[union-attr]
            app.stdin.flush()  # type: ignore[union-attr]

        sections = wait("SECTIONS").split()[1:]
        wait("READY start")
        root = _application(app.pid)
        unnamed_total = 0
        views = [(s, None) for s in sections if s != "calendar"]
        views += [("calendar", mode) for mode in CALENDAR_MODES]
        for section, mode in views:
            send(f"show {section}")
            wait(f"READY {section}")
            if mode is not None:
                send(f"mode {mode}")
                wait(f"READY {mode}")
            found: list[tuple[str, str, str]] = []
            _walk(root, "", found)
            unnamed = [(path, role) for path, role, name in found if not name]
            unnamed_total += len(unnamed)
            title = section + (f" ({mode})" if mode else "")
            print(f"{title}: {len(found)} focusable, {len(unnamed)} with no name")
            for path, role, name in found:
                if show_all or not name:
                    print(f"    {role:<14} {name or '<NO NAME>'!s:<40} {path}")
        message = "Backed up to demo.cmpbak"
        announced = _heard(send, message)
        print(f"a status message announced to AT-SPI: {'yes' if announced else 'NO'}")
        send("quit")
        app.wait(timeout=30)
        print(f"total: {unnamed_total} focusable objects with no name")
        return 1 if unnamed_total or not announced else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--app"]:
        raise SystemExit(run_app(Path(sys.argv[2])))
    raise SystemExit(dump(show_all="--all" in sys.argv))
