"""The window's undo stack and the commands it holds.

A command's `apply` and `revert` run on the database worker (`ui.kit.jobs`). The worker runs
jobs one at a time, in order, so an undo always runs after the write it undoes, and what a
write learns (a snapshot, a new id) is stored on the command by the job itself.

Every undoable write is a `SnapshotCommand`: a service write undone by its feature's
snapshot/restore pair, never by a hand-written inverse. Each feature's commands are thin
subclasses in its own package (`ui/contacts/commands.py`, `ui/events/commands.py`…).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from cmplanner.bus import Changes
from cmplanner.bus import changes_of as bus_changes_of
from cmplanner.i18n import _
from cmplanner.storage import Database
from ui.kit import errors
from ui.kit.announce import announce
from ui.kit.jobs import run_in_background

S = TypeVar("S")
_NONE: Any = object()  # no snapshot held (a snapshot itself may be None)


class UndoStack(QUndoStack):
    """Tells each command it holds which stack it is on, so a write that failed in the
    background can take itself off (ServiceCommand)."""

    def push(self, cmd: QUndoCommand) -> None:
        if hasattr(cmd, "stack"):
            cmd.stack = self
        super().push(cmd)


class ServiceCommand(QUndoCommand):
    """A write and its exact reverse, both run in the background.

    A write that fails (a contact deleted meanwhile, a name taken) changed nothing: its
    error is shown and it leaves the undo stack, so Undo never tries to reverse it."""

    def __init__(self, db: Database, text: str) -> None:
        super().__init__(text)
        self.db = db
        self.on_done: Callable[[ServiceCommand], None] | None = None
        self.stack: QUndoStack | None = None  # set by UndoStack.push

    def apply(self) -> Changes:
        """The write, on the worker; the job runner publishes the Changes it returns."""
        raise NotImplementedError

    def revert(self) -> Changes:
        raise NotImplementedError

    def redo(self) -> None:
        run_in_background(
            self.apply,
            on_success=self._done,
            on_failure=self._failed,
            label=self.text(),
            must_finish=True,
        )

    def undo(self) -> None:
        label = _("Undoing: {what}").format(what=self.text())
        run_in_background(
            self.revert,
            on_success=lambda _result: self._announce(_("Undone: {what}")),
            on_failure=self._failed,
            label=label,
            must_finish=True,
        )

    def _done(self, _result: Any) -> None:
        self._announce(_("Done: {what}"))
        if self.on_done is not None:
            self.on_done(self)

    def _announce(self, text: str) -> None:
        """Tell a screen reader the write went through (from the stack's window)."""
        window = self.stack.parent() if self.stack is not None else None
        announce(window if isinstance(window, QWidget) else None, text.format(what=self.text()))

    def _failed(self, exc: BaseException) -> None:
        # Obsolete: QUndoStack drops it instead of undoing (or redoing) it. When the job ran
        # in the background the command is already on the stack: take it off at once.
        self.setObsolete(True)
        stack = self.stack
        if stack is not None and stack.index() > 0 and stack.command(stack.index() - 1) is self:
            stack.undo()
        errors.report(exc)

    def created_id(self) -> int | None:
        """The id of the record this command created (None: it created none)."""
        return None


def changes_of(result: Any) -> Changes:
    """The `Changes` a service write returned: itself, its `.changes` (`Written`, a report),
    or the last item of a tuple."""
    found = bus_changes_of(result)
    if found is not None:
        return found
    if isinstance(result, tuple) and result and isinstance(result[-1], Changes):
        return result[-1]
    return Changes()


class SnapshotCommand(ServiceCommand, Generic[S]):
    """A service write undone by its feature's snapshot/restore pair.

    Before each redo, `snapshot()` notes what the write will touch (without a `snapshot`, the
    write returns it first: `(snapshot, changes)`, as deletions and merges do); undo hands
    it to `restore`; redo writes again.

    A creation gives `delete` instead of `snapshot`: its write returns `(new id, changes)`,
    undo deletes what it created (`delete(id)` returns the deleted rows' snapshot), and redo
    restores them, with the same ids."""

    def __init__(
        self,
        db: Database,
        text: str,
        write: Callable[[], Any],
        restore: Callable[[S], Any],
        snapshot: Callable[[], S] | None = None,
        delete: Callable[[Any], tuple[S, Any]] | None = None,
    ) -> None:
        super().__init__(db, text)
        self._write_fn, self._restore_fn = write, restore
        self._snapshot_fn, self._delete_fn = snapshot, delete
        self.result: Any = None  # what the last write returned
        self.changes = Changes()  # what the last write changed
        self.created: Any = None  # what a creation created (an id, or ids)
        self._before: S = _NONE  # the rows as they were before the write
        self._after: S = _NONE  # a creation's rows, as undo deleted them

    def apply(self) -> Changes:
        if self._after is not _NONE:
            after, self._after = self._after, _NONE
            return changes_of(self._restore_fn(after))
        if self._snapshot_fn is not None:
            self._before = self._snapshot_fn()
        self.result = self._write_fn()
        if self._delete_fn is not None:
            self.created = self.result[0]
        elif self._snapshot_fn is None:
            self._before = self.result[0]
        self.changes = changes_of(self.result)
        return self.changes

    def revert(self) -> Changes:
        if self._delete_fn is not None:
            self._after, changes = self._delete_fn(self.created)
            return changes_of(changes)
        before, self._before = self._before, _NONE
        if before is not _NONE:
            return changes_of(self._restore_fn(before))
        return Changes()

    def created_id(self) -> int | None:
        return self.created if isinstance(self.created, int) else None
