"""Sending an event's invitations or cancellations: the job (on the database worker, its
progress reaching the window through the job runner) and the box that shows how it went,
guest by guest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QTableView, QVBoxLayout, QWidget

from cmplanner.i18n import N_, _, ngettext
from cmplanner.interop.mail import imip
from cmplanner.storage import Database
from ui.kit import theme
from ui.kit.models import AnyIndex, ColumnsTableModel


class LinesModel(ColumnsTableModel):
    """A read-only table over a list of lines, replaced whole by `set_lines`."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.lines: list[Any] = []

    def set_lines(self, lines: Any) -> None:
        self.beginResetModel()
        self.lines = list(lines)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)


@dataclass
class ResultLine:
    name: str
    email: str
    error: str = ""
    path: Path | None = None


class ResultsModel(LinesModel):
    COLUMNS = (N_("Guest"), N_("E-mail"), N_("Result"))
    lines: list[ResultLine]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.lines):
            return None
        line = self.lines[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == 0:
                return line.name
            if column == 1:
                return line.email
            if line.error:
                return _("Failed: {reason}").format(reason=line.error)
            if line.path is not None:
                return _("Written: {name}").format(name=line.path.name)
            return _("Sent")
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 2:
            return theme.brush("danger_text" if line.error else "ok_text")
        return None


@dataclass
class Delivery:
    """One sending: what, to whom, how; filled by the job."""

    kind: str  # "invite" or "cancel"
    event_id: int
    only: list[int] | None = None
    folder: Path | None = None  # .eml files here, else SMTP
    occurrence: dt.datetime | None = None
    report: Any = field(default=None)


def deliver(db: Database, delivery: Delivery, progress: Callable[[int, int], None]) -> Any:
    """Build the messages and write or send them (on the worker)."""
    if delivery.kind == "cancel":
        mailing = imip.cancellation(db, delivery.event_id, delivery.occurrence)
    else:
        mailing = imip.invitations(db, delivery.event_id, delivery.only)
    if delivery.folder is not None:
        return imip.write_eml(db, mailing, delivery.folder, progress)
    return imip.send(db, mailing, progress=progress)


class DeliveryResults(QWidget):
    """The progress of a sending, then its result per guest (hidden until the first)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.results_model = ResultsModel(parent)
        self.results = QTableView(self)
        self.results.setObjectName("invitationsResults")
        self.results.setModel(self.results_model)
        self.results.verticalHeader().hide()
        self.results.setShowGrid(False)
        self.results.setWordWrap(False)
        self.results.horizontalHeader().setStretchLastSection(True)
        self.results.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        self.results.setColumnWidth(0, 170)
        self.results.setColumnWidth(1, 200)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("invitationsProgress")
        self.result_text = QLabel(self)
        self.result_text.setObjectName("invitationsResult")
        self.result_text.setWordWrap(True)
        results_layout = QVBoxLayout(self)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(self.progress)
        results_layout.addWidget(self.result_text)
        results_layout.addWidget(self.results, 1)
        self.hide()

    def start(self, delivery: Delivery) -> None:
        self.show()
        self.results_model.set_lines([])
        self.progress.setRange(0, 0)
        theme.set_tone(self.result_text, "")
        self.result_text.setText(
            _("Writing the files…") if delivery.folder is not None else _("Sending…")
        )

    def show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.result_text.setText(_("{done} of {total}").format(done=done, total=total))

    def show_report(self, delivery: Delivery, report: Any) -> str:
        """Each guest's result, and a summary line (returned, for the status bar too)."""
        self.results_model.set_lines(
            ResultLine(r.name, r.email, r.error, r.path) for r in report.results
        )
        ok = len(report.results) - len(report.failed)
        total = max(len(report.results), 1)
        self.progress.setRange(0, total)
        self.progress.setValue(len(report.results))
        if delivery.folder is not None:
            text = ngettext(
                "{n} file written in {folder}", "{n} files written in {folder}", ok
            ).format(n=ok, folder=delivery.folder)
        else:
            text = ngettext("{n} message sent", "{n} messages sent", ok).format(n=ok)
        if report.failed:
            text += " · " + ngettext("{n} failed", "{n} failed", len(report.failed)).format(
                n=len(report.failed)
            )
        if not report.results:
            text = _("Nobody to write to: no guest has an e-mail address.")
        theme.set_tone(self.result_text, "bad" if report.failed else "ok")
        self.result_text.setText(text)
        return text

    def show_failure(self, message: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        theme.set_tone(self.result_text, "bad")
        self.result_text.setText(message)
