"""UI tests: offscreen Qt on two laptop screens, settings in a temp folder, jobs run
synchronously."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# Offscreen Qt with the screens of fixtures/screens.json: a 1366×768 laptop (the primary) and
# a 1280×720 one to its right, so windows are measured against the screens people have.
os.environ["QT_QPA_PLATFORM"] = (
    f"offscreen:configfile={Path(__file__).parent / 'fixtures' / 'screens.json'}"
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen"
    else os.environ["QT_QPA_PLATFORM"]
)

import pytest
from PySide6.QtCore import QSettings, QStandardPaths, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from cmplanner.i18n import set_language
from cmplanner.storage import Database
from ui.kit import jobs as tasks
from ui.kit.unsaved import UnsavedChangesGuard, open_editors
from ui.shell.app import apply_language, apply_style
from ui.shell.main_window import MainWindow


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "settings"
    folder.mkdir()
    QStandardPaths.setTestModeEnabled(True)
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, str(folder / "system"))
    yield folder


@pytest.fixture(autouse=True)
def no_key_held_after() -> Iterator[None]:
    """QTest's keyClick with Shift or Ctrl leaves Qt believing the modifier is still held
    (QApplication.keyboardModifiers()); the next test's selectRow() then extended or toggled
    a selection. Each test starts with no key held, as a person's hands are."""
    yield
    if QApplication.keyboardModifiers() != Qt.KeyboardModifier.NoModifier:
        hands = QWidget()
        QTest.keyRelease(hands, Qt.Key.Key_Shift)
        hands.deleteLater()


@pytest.fixture(autouse=True)
def no_editor_left_after() -> Iterator[None]:
    """An editor a test leaves behind (shown or hidden) is thrown away: it could keep the
    focus into the next test of the same worker, which starts with its own window."""
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, UnsavedChangesGuard):
            widget.discard_and_close()
            widget.deleteLater()
    QApplication.processEvents()


@pytest.fixture(autouse=True)
def synchronous_jobs() -> Iterator[None]:
    tasks.set_executor(tasks.SynchronousExecutor())
    yield
    tasks.set_executor(tasks.SynchronousExecutor())


class UnsavedAnswers:
    """Answers the "Save / Discard / Keep editing" question when it comes (the test says which
    with `plan`); a question no test expected is answered Keep editing and fails the test, so
    a test can never hang on it."""

    BUTTONS = {
        "save": QMessageBox.StandardButton.Save,
        "discard": QMessageBox.StandardButton.Discard,
        "keep": QMessageBox.StandardButton.Cancel,
    }

    def __init__(self) -> None:
        self.planned: list[str] = []
        self.asked: list[str] = []  # the questions' texts, in order
        self.unexpected: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._answer)

    def plan(self, *answers: str) -> None:
        self.planned.extend(answers)

    def _answer(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if (
                isinstance(widget, QMessageBox)
                and widget.objectName() == "unsavedChanges"
                and widget.isVisible()
                and widget.property("answered") is None
            ):
                widget.setProperty("answered", True)
                self.asked.append(widget.text())
                if self.planned:
                    answer = self.planned.pop(0)
                else:
                    self.unexpected.append(widget.text())
                    answer = "keep"
                widget.button(self.BUTTONS[answer]).click()


@pytest.fixture(autouse=True)
def unsaved_answers(qapp: QApplication) -> Iterator[UnsavedAnswers]:
    answers = UnsavedAnswers()
    answers.timer.start()
    yield answers
    answers.timer.stop()
    assert answers.unexpected == [], "an editor asked about unsaved changes unexpectedly"


def discard_open_editors(_window: object = None) -> None:
    """Editors a test leaves open are thrown away before its window closes: the end of a
    test is not a user quitting."""
    for editor in open_editors():
        editor.discard_and_close()


def show_window(qtbot, db: Database) -> MainWindow:  # type: ignore[no-untyped-def]
    """The main window on `db`, shown (no backup when it closes)."""
    win = MainWindow(db)
    qtbot.addWidget(win, before_close_func=discard_open_editors)
    win.backup_on_close = False
    # Reminders start when a test says so (window.start_reminders()): their banner, arriving
    # two seconds in on a busy machine, would change what is on screen in the middle of a test.
    win._reminders_timer.setInterval(24 * 3600 * 1000)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The app in the language the test is parametrized with (indirect), Qt's own strings
    too, with its style as it starts (the style sheet changes every size); English and no
    style after."""
    palette = qapp.palette()
    set_language(request.param)
    apply_language(qapp, keep_current=True)
    apply_style(qapp)
    yield request.param
    qapp.setStyleSheet("")
    qapp.styleHints().unsetColorScheme()
    qapp.setPalette(palette)
    set_language("en")
    apply_language(qapp, keep_current=True)


@pytest.fixture
def open_window(qtbot) -> Callable[[Database], MainWindow]:  # type: ignore[no-untyped-def]
    """Opens the main window on a database, shown (no backup when it closes)."""
    return lambda db: show_window(qtbot, db)


@pytest.fixture
def window(
    open_window: Callable[[Database], MainWindow], demo_db: Database, frozen_clock: dt.datetime
) -> Iterator[MainWindow]:
    win = open_window(demo_db)
    yield win
    discard_open_editors(win)
    win.close()


def written(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """A write run as the app runs one: on the job runner, which publishes the Changes it
    returns (services never publish). Its result, or its error raised here."""
    results: list[Any] = []
    failures: list[BaseException] = []
    tasks.run_in_background(
        lambda: fn(*args, **kwargs),
        on_success=results.append,
        on_failure=failures.append,
        must_finish=True,
    )
    if failures:
        raise failures[0]
    return results[0]
