"""Undoable writes started from the home screen that no other view has: "online work"."""

from __future__ import annotations

from typing import Any

from cmplanner.bus import Changes
from cmplanner.i18n import _
from cmplanner.storage import Database
from ui.kit.commands import ServiceCommand


class AddWork(ServiceCommand):
    """Log time worked online; undo deletes the entry."""

    def __init__(self, db: Database, values: dict[str, Any]) -> None:
        super().__init__(db, _("Log online work"))
        self.values = dict(values)
        self.work_id: int | None = None

    def apply(self) -> Changes:
        from cmplanner.services import work_log

        self.work_id, changes = work_log.add_work(self.db, work_log.WorkData(**self.values))
        return changes

    def revert(self) -> Changes:
        from cmplanner.services import work_log

        if self.work_id is None:
            return Changes()
        changes = work_log.delete_work(self.db, self.work_id)
        self.work_id = None
        return changes
