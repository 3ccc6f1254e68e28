"""The window's undo stack (kept light: the main window is built at start)."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand, QUndoStack


class UndoStack(QUndoStack):
    """Tells each command it holds which stack it is on, so a write that failed in the
    background can take itself off (ui.kit.commands.ServiceCommand)."""

    def push(self, cmd: QUndoCommand) -> None:
        if hasattr(cmd, "stack"):
            cmd.stack = self
        super().push(cmd)
