"""The window's status bar: how many records the section shows, what the worker is busy with
(said only when it lasts), and the database's path."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from ui.kit.jobs import runner
from ui.kit.sizing import ElidedLabel

BUSY_DELAY_MS = 300


class StatusLine(QObject):
    def __init__(self, status: QStatusBar, window: QWidget) -> None:
        super().__init__(window)
        status.setSizeGripEnabled(True)
        self.count_label = QLabel(window)
        self.busy_label = QLabel(window)
        self.busy_label.setObjectName("busy")
        self.path_label = ElidedLabel(window)  # a long path, shortened in the middle
        self.path_label.setObjectName("databasePath")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        status.addWidget(self.count_label)
        status.addWidget(self.busy_label)
        status.addPermanentWidget(self.path_label)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self._show_busy)
        self._busy_text = ""
        runner().busyChanged.connect(self._on_busy_changed)

    def _on_busy_changed(self, text: str) -> None:
        self._busy_text = text
        if text:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self.busy_label.clear()

    def _show_busy(self) -> None:
        self.busy_label.setText(self._busy_text)
