"""The checklist templates editor: for each event kind, the tasks a new event of that kind
starts with, each on a day relative to the event (J-21, J+2), in order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cmplanner.errors import ValidationError
from cmplanner.i18n import _
from cmplanner.model.enums import kind_label
from cmplanner.services import event_records
from cmplanner.services import tasks as task_service
from cmplanner.storage import Database
from ui.event_commands import SetTaskTemplates
from ui.forms import error_label, save_cancel
from ui.tasks import run_in_background
from ui.views.tasks import OVERDUE_BACKGROUND, OVERDUE_TEXT

Template = list[tuple[str, int]]
WHEN, TITLE = 0, 1


def load_templates(db: Database) -> tuple[tuple[str, ...], dict[str, Template]]:
    """The kinds to offer (shipped, typed on events, templated) and their templates."""
    found = task_service.templates(db)
    kinds = event_records.event_kinds(db)
    return (*kinds, *(k for k in found if k not in kinds)), found


class TaskTemplatesDialog(QDialog):
    """Pick a kind, edit its tasks; Save is one undoable command for every kind edited."""

    def __init__(
        self,
        db: Database,
        push: Callable[[Any], None],
        kind: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("taskTemplates")
        self.setWindowTitle(_("Checklist templates"))
        self.db, self._push = db, push
        self.saved: dict[str, Template] = {}
        self.edited: dict[str, Template] = {}  # kinds changed here, not saved yet
        self.kind: str | None = None
        self._wanted_kind = kind
        self._filling = False

        self.kind_box = QComboBox(self)
        self.kind_box.setObjectName("templateKind")
        self.kind_box.setMinimumContentsLength(16)
        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        intro = QLabel(
            _(
                "A new event starts with its kind's checklist. Write when each task is due"
                " relative to the event: D-21 is three weeks before, D+2 two days after."
            ),
            self,
        )
        intro.setObjectName("hint")
        intro.setWordWrap(True)

        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("templateTasks")
        self.table.setHorizontalHeaderLabels([_("When"), _("Task")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(WHEN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(WHEN, 90)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._item_changed)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_selected)

        self.add_button = QPushButton(_("&Add a task"), self)
        self.add_button.setObjectName("addTemplateTask")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button = QPushButton(_("&Remove"), self)
        self.remove_button.setObjectName("removeTemplateTask")
        self.remove_button.clicked.connect(self.remove_selected)
        self.defaults_button = QPushButton(_("Restore the &French defaults"), self)
        self.defaults_button.setObjectName("restoreDefaults")
        self.defaults_button.setToolTip(
            _("Put back the checklist CM Planner ships for this kind of event")
        )
        self.defaults_button.clicked.connect(self.restore_defaults)
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(self.add_button)
        row_buttons.addWidget(self.remove_button)
        row_buttons.addStretch(1)
        row_buttons.addWidget(self.defaults_button)

        self.error = error_label(self, hidden=False)
        self.buttons, self.save_button = save_cancel(self, self.save, self.reject)

        kind_row = QHBoxLayout()
        kind_row.addWidget(QLabel(_("Kind of event:"), self))
        kind_row.addWidget(self.kind_box)
        kind_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(kind_row)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row_buttons)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, 520)
        run_in_background(load_templates, db, on_success=self._loaded, label=_("Opening…"))

    # -- loading and switching kinds --------------------------------------------------------

    def _loaded(self, loaded: tuple[Sequence[str], dict[str, Template]]) -> None:
        kinds, self.saved = loaded
        self.kind_box.blockSignals(True)
        self.kind_box.clear()
        for kind in kinds:
            self.kind_box.addItem(kind_label(kind), kind)
        self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(self._wanted_kind)))
        self.kind_box.blockSignals(False)
        self._kind_changed()

    def _kind_changed(self, *_args: Any) -> None:
        if self.kind is not None and not self._keep_current():
            # The table has a mistake: stay on its kind until it is fixed.
            self.kind_box.blockSignals(True)
            self.kind_box.setCurrentIndex(self.kind_box.findData(self.kind))
            self.kind_box.blockSignals(False)
            return
        self.kind = self.kind_box.currentData()
        if self.kind is not None:
            self.fill(self.edited.get(self.kind, self.saved.get(self.kind, [])))

    def _keep_current(self) -> bool:
        """Note the table's tasks as the current kind's edit; False if one is wrong."""
        try:
            items = self.items()
        except ValidationError as exc:
            self.error.setText(str(exc))
            return False
        assert self.kind is not None
        if items != self.saved.get(self.kind, []):
            self.edited[self.kind] = items
        else:
            self.edited.pop(self.kind, None)
        return True

    def fill(self, items: Sequence[tuple[str, int]]) -> None:
        self._filling = True
        self.table.setRowCount(0)
        for title, offset in sorted(items, key=lambda item: item[1]):
            self._append(title, task_service.format_offset(offset))
        self._filling = False
        self._check()

    def _append(self, title: str, when: str) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        when_item = QTableWidgetItem(when)
        when_item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.setItem(row, WHEN, when_item)
        self.table.setItem(row, TITLE, QTableWidgetItem(title))
        return row

    # -- editing ---------------------------------------------------------------------------

    def add_row(self, title: str = "", offset: int = -1) -> None:
        self._filling = True
        row = self._append(title, task_service.format_offset(offset))
        self._filling = False
        self.table.setCurrentCell(row, TITLE)
        item = self.table.item(row, TITLE)
        if item is not None:
            self.table.editItem(item)
        self._check()

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        self._check()

    def restore_defaults(self) -> None:
        if self.kind is None:
            return
        shipped = task_service.default_templates()
        self.fill(shipped.get(self.kind, shipped["other"]))

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        if item.column() == WHEN:
            try:
                offset = task_service.parse_offset(item.text())
            except ValidationError:
                pass
            else:
                self._filling = True
                item.setText(task_service.format_offset(offset))
                self._filling = False
                QTimer.singleShot(0, self._resort)
        self._check()

    def _resort(self) -> None:
        try:
            items = self.items()
        except ValidationError:
            return
        current = self.table.currentRow()
        title = self._text(current, TITLE) if current >= 0 else None
        self.fill(items)
        for row in range(self.table.rowCount()):
            if self._text(row, TITLE) == title:
                self.table.setCurrentCell(row, WHEN)
                break

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def items(self) -> Template:
        """The table's tasks, by offset; a ValidationError names the first wrong row."""
        found: Template = []
        for row in range(self.table.rowCount()):
            when = self._text(row, WHEN)
            title = self._text(row, TITLE).strip()
            if not title:
                raise ValidationError(_("Task {n} needs a title (or remove it).").format(n=row + 1))
            found.append((title, task_service.parse_offset(when)))
        return sorted(found, key=lambda item: item[1])

    def _check(self) -> None:
        """Mark the wrong cells; Save only when every row is right."""
        first = ""
        for row in range(self.table.rowCount()):
            for column in (WHEN, TITLE):
                item = self.table.item(row, column)
                if item is None:
                    continue
                problem = ""
                if column == WHEN:
                    try:
                        task_service.parse_offset(item.text())
                    except ValidationError as exc:
                        problem = str(exc)
                elif not item.text().strip():
                    problem = _("Task {n} needs a title (or remove it).").format(n=row + 1)
                self._filling = True
                item.setToolTip(problem)
                item.setForeground(QBrush(OVERDUE_TEXT) if problem else QBrush())
                item.setBackground(QBrush(OVERDUE_BACKGROUND) if problem else QBrush())
                self._filling = False
                first = first or problem
        self.error.setText(first)
        self.save_button.setEnabled(not first)
        self.remove_button.setEnabled(self.table.rowCount() > 0)

    # -- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        if self.kind is None:
            self.reject()
            return
        if not self._keep_current():
            return
        if self.edited:
            names = [kind_label(kind) for kind in self.edited]
            self._push(SetTaskTemplates(self.db, dict(self.edited), names))
        self.accept()


def open_task_templates(
    db: Database, push: Callable[[Any], None], kind: str | None = None, parent: Any = None
) -> TaskTemplatesDialog:
    dialog = TaskTemplatesDialog(db, push, kind, parent)
    dialog.open()
    return dialog
