"""The window's side of reminders (ui/shell/reminders.py): started a moment after the first
view is shown, said by the tray icon, or by a banner over the page where there is no tray."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from cmplanner.storage import Database

# Reminders start this long after the first view is shown: never on the cold-start path,
# and the first view's own background work goes first on the worker.
REMINDERS_DELAY_MS = 2000


class WindowReminders(QObject):
    showRequested = Signal()  # a reminder was clicked: the dashboard, please
    quitRequested = Signal()

    def __init__(
        self, window: QWidget, page_layout: QVBoxLayout, database: Callable[[], Database]
    ) -> None:
        super().__init__(window)
        self.window = window
        self.page_layout = page_layout
        self.database = database  # the window's database of the moment
        self.reminders: Any = None  # ui.shell.reminders.Reminders, once started
        self.banner: Any = None  # ui.shell.reminders.ReminderBanner, when there is no tray
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(REMINDERS_DELAY_MS)
        self.timer.timeout.connect(self.start)

    def start(self) -> None:
        """The tray icon, the start digest and the hourly checks."""
        from ui.shell.reminders import Reminders  # after the first view: not at start-up

        if self.reminders is not None:
            return
        self.reminders = Reminders(self.database(), self.window)
        self.reminders.showRequested.connect(self.showRequested)
        self.reminders.quitRequested.connect(self.quitRequested)
        self.reminders.notified.connect(self._on_reminder)
        self.reminders.checked.connect(self._on_checked)
        self.reminders.start()

    def _on_reminder(self, title: str, message: str) -> None:
        if self.reminders is not None and self.reminders.tray_says_it():
            return  # said by the tray
        from ui.shell.reminders import ReminderBanner  # after the first view: not at start-up

        if self.banner is None:
            self.banner = ReminderBanner(self.window)
            self.banner.showRequested.connect(self.showRequested)
            self.page_layout.insertWidget(0, self.banner)
        self.banner.say(title, message)

    def _on_checked(self, found: Any) -> None:
        if not found.enabled:
            self.hide_banner()

    def hide_banner(self) -> None:
        if self.banner is not None:
            self.banner.hide()

    def set_database(self, db: Database) -> None:
        if self.reminders is not None:
            self.reminders.set_database(db)

    def stop(self) -> None:
        self.timer.stop()
        if self.reminders is not None:
            self.reminders.stop()
