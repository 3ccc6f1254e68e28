"""Publishing to CalDAV: a progress bar, what is being sent, Stop; then the report. Missing
settings are handed to `ask` (which offers Preferences), so this module needs no dialog above
it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cmplanner.errors import CMPlannerError
from cmplanner.i18n import _
from cmplanner.interop.caldav import PublishCancelled, publish_from_settings
from cmplanner.services import caldav_settings
from cmplanner.storage import Database
from ui.kit import accessible, errors, theme
from ui.kit.jobs import Job, run_in_background
from ui.kit.report import escape, tell

# ask(parent, db, preferences page, what is missing): says it, offers to open Preferences.
AskPreferences = Callable[[QWidget | None, Database, str, str], object]


class PublishDialog(QDialog):
    """Publishing to CalDAV: a progress bar, what is being sent, Stop; then the report."""

    def __init__(self, db: Database, community: str | None, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("publishDialog")
        self.db, self.community = db, community
        self.setWindowTitle(_("Publish to CalDAV"))
        what = (
            _("Publishing the events of {community}…").format(community=community)
            if community
            else _("Publishing every event…")
        )
        self.what = QLabel(what, self)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("publishProgress")
        self.bar.setRange(0, 0)
        self.current = QLabel(self)
        self.current.setObjectName("publishCurrent")
        self.current.setWordWrap(True)
        self.report_view = QTextBrowser(self)
        self.report_view.setObjectName("publishResult")
        accessible.name(self.report_view, _("Result"))
        self.report_view.hide()
        self.buttons = QDialogButtonBox(self)
        self.stop = self.buttons.addButton(_("Stop"), QDialogButtonBox.ButtonRole.RejectRole)
        self.stop.setObjectName("publishStop")
        self.close_button = self.buttons.addButton(
            _("Close"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.close_button.hide()
        self.stop.clicked.connect(self._stop)
        self.close_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.what)
        layout.addWidget(self.bar)
        layout.addWidget(self.current)
        layout.addWidget(self.report_view, 1)
        layout.addWidget(self.buttons)
        self.job: Job | None = None
        self.finished_ok: bool | None = None
        self.resize(520, 200)

    def start(self) -> None:
        db, community = self.db, self.community

        def job(progress: Any) -> Any:
            return publish_from_settings(db, community=community, progress=progress)

        self.job = run_in_background(
            job,
            on_success=self._done,
            on_failure=self._failed,
            on_progress=self.show_progress,
            # Stopped after an event: what the server took is recorded (the publish's Stop).
            on_cancelled=lambda: self._failed(PublishCancelled()),
            label=_("Publishing…"),
        )

    def show_progress(self, done: int, total: int, title: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.current.setText(
            _("{done} of {total}: {title}").format(done=done, total=total, title=title)
            if title
            else ""
        )

    def _stop(self) -> None:
        if self.finished_ok is not None:
            self.reject()
            return
        if self.job is not None:
            self.job.cancel()
        self.stop.setEnabled(False)
        self.current.setText(_("Stopping after this event…"))

    def _finish(self, ok: bool, headline: str, body: str) -> None:
        self.finished_ok = ok
        self.bar.setRange(0, 1)
        self.bar.setValue(1 if ok else 0)
        self.what.setText(headline)
        self.current.clear()
        self.current.hide()
        theme.show_html(self.report_view, body)
        self.report_view.show()
        self.stop.hide()
        self.close_button.show()
        self.close_button.setDefault(True)
        self.resize(max(self.width(), 560), 360)
        tell(self.parentWidget(), headline)

    def _done(self, report: Any) -> None:
        lines = [
            _("Created: {count}").format(count=report.created),
            _("Updated: {count}").format(count=report.updated),
            _("Unchanged: {count}").format(count=report.unchanged),
            _("Deleted: {count}").format(count=report.deleted),
        ]
        body = "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"
        if report.overwritten:
            body += "<p>" + escape(
                _(
                    "Edited on the server by someone else, replaced by CM Planner's version: "
                    "{titles}"
                ).format(titles=", ".join(report.overwritten))
            )
        if report.restored:
            body += "<p>" + escape(
                _("Deleted on the server by someone else, put back: {titles}").format(
                    titles=", ".join(report.restored)
                )
            )
        for note in report.held_back:
            body += f"<p class='bad'>{escape(note)}"
        self._finish(True, _("Published to {url}").format(url=report.calendar_url), body)

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, CMPlannerError):
            errors.report(exc)
        self._finish(
            False,
            _("The publish did not finish."),
            f"<p class='bad'>{escape(str(exc))}</p>",
        )


def publish_or_ask(
    parent: QWidget, db: Database, community: str | None, ask: AskPreferences
) -> None:
    """Publish every event (or one community's): missing settings open Preferences."""

    def start(settings: Any) -> None:
        if not settings.configured:
            ask(
                parent,
                db,
                "caldav",
                _("No CalDAV calendar is set: enter its address in Preferences first."),
            )
            return
        dialog = PublishDialog(db, community, parent)
        parent.publish_dialog = dialog  # type: ignore[attr-defined]  # tests reach it
        dialog.open()
        dialog.start()

    run_in_background(caldav_settings.load, db, on_success=start)
