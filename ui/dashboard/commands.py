"""Undoable writes started from the home screen that no other view has: "online work"."""

from __future__ import annotations

from typing import Any

from cmplanner.bus import Changes
from cmplanner.i18n import _
from cmplanner.storage import Database
from ui.kit.undo import SnapshotCommand


class AddWork(SnapshotCommand[dict[str, object]]):
    """Log time worked online; undo deletes the entry, and redo brings it back (same id)."""

    def __init__(self, db: Database, values: dict[str, Any]) -> None:
        from cmplanner.services import work_log  # the home screen is built at start

        data = work_log.WorkData(**values)

        def delete(entry_id: int) -> tuple[dict[str, object], Changes]:
            row = work_log.work_row(db, entry_id)
            return row, work_log.delete_work(db, entry_id)

        super().__init__(
            db,
            _("Log online work"),
            write=lambda: work_log.add_work(db, data),
            delete=delete,
            restore=lambda row: work_log.restore_work(db, row),
        )
