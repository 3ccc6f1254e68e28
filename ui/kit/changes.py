"""The core bus, bridged once to a Qt signal on the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal

from cmplanner.bus import Changes, bus


class ChangesBridge(QObject):
    """Re-emits every `Changes` published on the core bus as `changed`, in the GUI thread.

    The job runner publishes on the GUI thread; the signal stays queued, so views refresh
    after the callback of the job that wrote, as they always have.
    """

    changed = Signal(object)
    _published = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._published.connect(self.changed, Qt.ConnectionType.QueuedConnection)
        bus.subscribe(self._on_publish)  # held weakly: dies with this object

    def _on_publish(self, changes: Changes) -> None:
        self._published.emit(changes)


_bridge: ChangesBridge | None = None


def bridge() -> ChangesBridge:
    global _bridge
    if _bridge is None:
        _bridge = ChangesBridge()
    return _bridge
