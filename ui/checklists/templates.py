"""The checklist templates editor: for each event kind, the tasks a new event of that kind
starts with, each on a day relative to the event (J-21, J+2), in order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmplanner.errors import ValidationError
from cmplanner.i18n import N_, _
from cmplanner.model.enums import kind_label
from cmplanner.services import event_records
from cmplanner.services import tasks as task_service
from cmplanner.storage import Database
from ui.checklists.commands import SetTaskTemplates
from ui.kit import accessible, theme
from ui.kit.forms import error_label, save_cancel
from ui.kit.jobs import run_in_background
from ui.kit.models import AnyIndex, ColumnsTableModel
from ui.kit.unsaved import UnsavedChangesGuard

Template = list[tuple[str, int]]
WHEN, TITLE = 0, 1


def load_templates(db: Database) -> tuple[tuple[str, ...], dict[str, Template]]:
    """The kinds to offer (shipped, typed on events, templated) and their templates."""
    found = task_service.templates(db)
    kinds = event_records.event_kinds(db)
    return (*kinds, *(k for k in found if k not in kinds)), found


def row_problem(row: int, when: str, title: str) -> tuple[str, str]:
    """What is wrong with a row's day and with its title ("" when right)."""
    try:
        task_service.parse_offset(when)
        when_problem = ""
    except ValidationError as exc:
        when_problem = str(exc)
    title_problem = "" if title.strip() else _("Task {n} needs a title (or remove it).")
    return when_problem, title_problem.format(n=row + 1)


class TemplateModel(ColumnsTableModel):
    """A kind's tasks as typed: [when, title] rows, wrong cells marked. A day typed right
    is written back the usual way (j+10 → J+10) and `resortWanted` asks for the order."""

    COLUMNS = (N_("When"), N_("Task"))
    resortWanted = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[list[str]] = []

    def set_items(self, items: Sequence[tuple[str, int]]) -> None:
        self.beginResetModel()
        self.rows = [
            [task_service.format_offset(offset), title]
            for title, offset in sorted(items, key=lambda item: item[1])
        ]
        self.endResetModel()

    def append(self, title: str, when: str) -> int:
        row = len(self.rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self.rows.append([when, title])
        self.endInsertRows()
        return row

    def remove(self, rows: Sequence[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.rows[row]
            self.endRemoveRows()

    def text(self, row: int, column: int) -> str:
        return self.rows[row][column] if 0 <= row < len(self.rows) else ""

    def problem(self, row: int, column: int) -> str:
        return row_problem(row, *self.rows[row])[column]

    def first_problem(self) -> str:
        for row in range(len(self.rows)):
            for problem in row_problem(row, *self.rows[row]):
                if problem:
                    return problem
        return ""

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsEditable if index.isValid() else flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.rows[row][column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == WHEN:
            return Qt.AlignmentFlag.AlignCenter
        if role in (
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.BackgroundRole,
        ):
            problem = self.problem(row, column)
            if role == Qt.ItemDataRole.ToolTipRole:
                return problem or None
            if problem:
                return theme.brush(
                    "overdue_text" if role == Qt.ItemDataRole.ForegroundRole else "overdue_bg"
                )
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        text = str(value)
        resort = False
        if index.column() == WHEN:
            try:
                text = task_service.format_offset(task_service.parse_offset(text))
                resort = True
            except ValidationError:
                pass
        self.rows[index.row()][index.column()] = text
        row = index.row()
        self.dataChanged.emit(self.index(row, WHEN), self.index(row, TITLE))
        if resort:
            self.resortWanted.emit()
        return True


class TaskTemplatesDialog(UnsavedChangesGuard, QDialog):
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

        self.kind_box = QComboBox(self)
        self.kind_box.setObjectName("templateKind")
        accessible.name(self.kind_box, _("Kind of event:"))
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

        self.model = TemplateModel(self)
        self.model.dataChanged.connect(lambda *_a: self._check())
        self.model.resortWanted.connect(lambda: QTimer.singleShot(0, self._resort))
        self.table = QTableView(self)
        self.table.setObjectName("templateTasks")
        accessible.name(self.table, _("Tasks"))
        self.table.setModel(self.model)
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
        self.mark_clean()

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
        self.model.set_items(items)
        self._check()

    # -- editing ---------------------------------------------------------------------------

    def add_row(self, title: str = "", offset: int = -1) -> None:
        row = self.model.append(title, task_service.format_offset(offset))
        index = self.model.index(row, TITLE)
        self.table.setCurrentIndex(index)
        self.table.edit(index)
        self._check()

    def remove_selected(self) -> None:
        self.model.remove([i.row() for i in self.table.selectionModel().selectedRows()])
        self._check()

    def restore_defaults(self) -> None:
        if self.kind is None:
            return
        shipped = task_service.default_templates()
        self.fill(shipped.get(self.kind, shipped["other"]))

    def _resort(self) -> None:
        try:
            items = self.items()
        except ValidationError:
            return
        current = self.table.currentIndex().row()
        title = self._text(current, TITLE) if current >= 0 else None
        self.fill(items)
        for row in range(self.model.rowCount()):
            if self._text(row, TITLE) == title:
                self.table.setCurrentIndex(self.model.index(row, WHEN))
                break

    def _text(self, row: int, column: int) -> str:
        return self.model.text(row, column)

    def items(self) -> Template:
        """The table's tasks, by offset; a ValidationError names the first wrong row."""
        problem = self.model.first_problem()
        if problem:
            raise ValidationError(problem)
        found = [
            (title.strip(), task_service.parse_offset(when)) for when, title in self.model.rows
        ]
        return sorted(found, key=lambda item: item[1])

    def _check(self) -> None:
        """Save only when every row is right (the model marks the wrong cells)."""
        first = self.model.first_problem()
        self.error.setText(first)
        self.save_button.setEnabled(not first)
        self.remove_button.setEnabled(self.model.rowCount() > 0)

    # -- saving ----------------------------------------------------------------------------

    def edit_state(self) -> dict[str, Any]:
        """Every kind's tasks that differ from the saved ones, the table on screen included
        (a wrong row is a change too)."""
        pending: dict[str, Any] = dict(self.edited)
        if self.kind is not None:
            try:
                items: Any = self.items()
            except ValidationError:
                items = [tuple(row) for row in self.model.rows]
            if items != self.saved.get(self.kind, []):
                pending[self.kind] = items
            else:
                pending.pop(self.kind, None)
        return pending

    def save_changes(self) -> None:
        self.save()

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
