"""Work done a slice per event-loop turn: the home screen's cards and charts are built this
way, so the window answers between them even on a very large database."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer

SLICE_MS = 4  # queued steps run for this long per event-loop turn


class SlicedSteps(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.queue: list[Callable[[], None]] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)

    def run(self, steps: Iterable[Callable[[], None]]) -> None:
        """Drop what is still queued; run `steps`, starting at the next turn."""
        self._timer.stop()
        self.queue = list(steps)
        self._timer.start()

    def clear(self) -> None:
        self.queue = []
        self._timer.stop()

    def _step(self) -> None:
        """Run queued steps for up to SLICE_MS (a card updated with the same figures costs
        nothing; a card built costs several ms, its layout and paint come after)."""
        started = time.perf_counter()
        while self.queue:
            step = self.queue.pop(0)
            step()
            if (time.perf_counter() - started) * 1000 >= SLICE_MS:
                break
        if self.queue:
            self._timer.start()

    def finish(self) -> None:
        """Run what is still queued now."""
        self._timer.stop()
        while self.queue:
            self.queue.pop(0)()
