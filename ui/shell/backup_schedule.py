"""The window's backups: every half hour when due, on demand, on closing; and a restore
(what the database holds is backed up first, so a restore can itself be undone)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from cmplanner.i18n import _
from cmplanner.storage import Database
from cmplanner.storage import backup as backups
from ui.kit import errors
from ui.kit.jobs import run_in_background

BACKUP_EVERY = dt.timedelta(minutes=30)


class BackupSchedule(QObject):
    def __init__(
        self,
        window: QWidget,
        database: Callable[[], Database],
        tell: Callable[[str], None],
        reload: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.database = database  # the window's database of the moment
        self.tell = tell
        self.reload = reload  # the whole content was replaced: every view reads it again
        self.timer = QTimer(self)
        self.timer.setInterval(int(BACKUP_EVERY.total_seconds() * 1000))
        self.timer.timeout.connect(self.backup_if_due)
        self.timer.start()

    def backup_now(self) -> None:
        run_in_background(
            backups.create_backup,
            self.database().path,
            "manual",
            on_success=lambda path: self.tell(_("Backed up to {path}").format(path=path)),
            label=_("Backing up…"),
        )

    def backup_if_due(self) -> None:
        path = self.database().path

        def job() -> Path | None:
            if backups.backup_is_due(path, BACKUP_EVERY):
                return backups.create_backup(path, "scheduled")
            return None

        run_in_background(job, label=_("Backing up…"))

    def restore_dialog(self) -> None:
        """The backups are listed on the worker (finding their folder reads the database's
        id), then offered."""
        run_in_background(
            backups.list_backups,
            self.database().path,
            on_success=self._choose_backup,
            key=(self, "restore"),
        )

    def _choose_backup(self, found: list[backups.BackupInfo]) -> None:
        from ui.shell.backups import RestoreDialog  # on demand: its list model is not light

        dialog = RestoreDialog(found, self.window)
        if dialog.exec() and (chosen := dialog.chosen()) is not None:
            self.restore(chosen.path)

    def restore(self, backup_path: Path) -> None:
        from cmplanner.storage.database import restore_into  # the ORM: never at start-up

        run_in_background(
            restore_into,
            self.database(),
            backup_path,
            on_success=self._restored,
            on_failure=lambda exc: errors.report(exc, _("Restore from backup")),
            label=_("Restoring…"),
        )

    def _restored(self, safety: Path) -> None:
        self.reload()
        self.tell(
            _("Backup restored. The replaced content was saved as {name}.").format(name=safety.name)
        )

    def close(self, back_up: bool) -> None:
        """On quitting: stop, and back up when due and `back_up` (never keeping the user
        from quitting). The backup is the worker's last job: it copies what the writes
        queued before it wrote, and quitting waits for it (`runner().shutdown()`)."""
        self.timer.stop()
        if not back_up:
            return
        path = self.database().path

        def job() -> None:
            try:
                if backups.backup_is_due(path, BACKUP_EVERY):
                    backups.create_backup(path, "on-close")
            except Exception as exc:  # never keep the user from quitting
                errors.log.exception("Backup on close failed: %s", exc)

        run_in_background(job, label=_("Backing up…"), must_finish=True)
