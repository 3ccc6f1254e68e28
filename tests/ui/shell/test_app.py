"""Starting the app: refusing a bad file, the startup probe, one process per database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtNetwork import QLocalSocket

from cmplanner import APP_NAME
from ui.kit import settings
from ui.shell import app as ui_app
from ui.shell.single_instance import server_name

LAUNCH = (
    "import sys; from pathlib import Path; from ui.shell.app import run; "
    "sys.exit(run(Path(sys.argv[1])))"
)


def launch_env(home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CMPLANNER_STARTUP_PROBE", None)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        CMPLANNER_HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),  # the child's QSettings stay in the test folder
        **extra,
    )
    return env


def test_a_file_that_is_not_a_database_is_refused_with_exit_code_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    settings.app_settings().setValue(settings.LANGUAGE, "en")
    shown: list[str] = []
    monkeypatch.setattr(
        ui_app.QMessageBox, "critical", lambda _parent, _title, text: shown.append(text)
    )
    garbage = tmp_path / "notes.cmplanner"
    garbage.write_text("shopping list: bread, milk", encoding="utf-8")

    assert ui_app.run(garbage) == ui_app.EXIT_CANNOT_OPEN
    assert len(shown) == 1 and "not a CM Planner database" in shown[0]
    assert garbage.read_text(encoding="utf-8") == "shopping list: bread, milk"


def test_french_setting_loads_qt_own_translations(qapp) -> None:
    settings.app_settings().setValue(settings.LANGUAGE, "fr")
    try:
        assert ui_app.apply_language(qapp) == "fr"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuler"
    finally:
        settings.app_settings().setValue(settings.LANGUAGE, "en")
        assert ui_app.apply_language(qapp) == "en"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_startup_probe_reports_ready_once_the_first_view_is_filled(
    demo_path: Path, tmp_path: Path
) -> None:
    home = tmp_path / "probe-home"
    child = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, str(demo_path)],
        env=launch_env(home, CMPLANNER_STARTUP_PROBE="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        stdout, stderr = child.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        child.kill()
        stdout, stderr = child.communicate()
        pytest.fail(f"the probe never finished\n{stdout}\n{stderr}")
    result = subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr)
    assert result.returncode == 0, result.stderr
    ready = [line for line in result.stdout.splitlines() if line.startswith("CMPLANNER_READY ")]
    assert len(ready) == 1
    float(ready[0].split()[1])


def test_the_first_view_shows_before_the_orm_is_even_imported(
    demo_path: Path, tmp_path: Path
) -> None:
    """A cold start reads with plain sqlite3: SQLAlchemy, SQLModel and Alembic load when
    something writes (the start-up benchmark's figure depends on it)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", LAUNCH, str(demo_path)],
        env=launch_env(tmp_path / "home", CMPLANNER_STARTUP_PROBE="1"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert "ui.shell.main_window" in imported
    assert not {"sqlalchemy", "sqlmodel", "alembic"} & imported


def test_second_launch_raises_the_first_and_exits_0(demo_path: Path, tmp_path: Path) -> None:
    home = tmp_path / "instance-home"
    env = launch_env(home)
    first = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, str(demo_path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        name = server_name(demo_path)
        deadline = time.monotonic() + 60
        while True:
            probe = QLocalSocket()
            probe.connectToServer(name)
            if probe.waitForConnected(200):
                probe.abort()
                break
            assert first.poll() is None, first.stderr.read() if first.stderr else ""
            assert time.monotonic() < deadline, "the first instance never listened"
            time.sleep(0.2)

        second = subprocess.run(
            [sys.executable, "-c", LAUNCH, str(demo_path)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 0, second.stderr
        log = home / "logs" / "cmplanner.log"
        deadline = time.monotonic() + 10
        while "raised this window" not in (log.read_text("utf-8") if log.exists() else ""):
            assert time.monotonic() < deadline, "the first window was never raised"
            time.sleep(0.2)
        assert first.poll() is None  # the first instance is still running
    finally:
        first.terminate()
        first.wait(timeout=30)


def test_language_chosen_on_the_command_line_beats_the_setting(qapp, monkeypatch) -> None:
    from cmplanner.i18n import current_language, set_language

    settings.app_settings().setValue(settings.LANGUAGE, "en")
    monkeypatch.setattr(sys, "argv", ["cmplanner", "--lang", "fr"])
    set_language("fr")  # what the CLI does with --lang fr
    try:
        assert ui_app.language_from_command_line()
        assert ui_app.apply_language(qapp, keep_current=True) == "fr"
        assert current_language() == "fr"
    finally:
        set_language("en")
        ui_app.apply_language(qapp)


def test_the_last_database_is_reopened_but_never_the_demo(
    qapp, tmp_path: Path, demo_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cmplanner import paths
    from ui.shell.main_window import MainWindow

    win = MainWindow(demo_db)
    win.backup_on_close = False
    assert ui_app.last_database() == demo_db.path
    win.close()

    demo = paths.demo_database()
    demo.write_bytes(demo_db.path.read_bytes())
    monkeypatch.setattr(demo_db, "path", demo.resolve())
    other = MainWindow(demo_db)
    other.backup_on_close = False
    other.close()
    # The demo did not replace the user's own database as "the last one".
    assert ui_app.last_database() == Path(str(tmp_path / "demo.cmplanner")).resolve()


def test_the_demo_title_names_the_app_once() -> None:
    title = ui_app.demo_title(Path("/tmp/demo.cmplanner"))
    assert title == "demo.cmplanner (demo) — CM Planner"
    assert title.count("CM Planner") == 1 and title.endswith(APP_NAME)
