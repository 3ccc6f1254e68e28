"""The event editor's Checklist tab: the tasks of the event — for a series, of one of its
dates —, each due on a day relative to the event ("D-7: book the room"); add, edit, tick and
remove them, or apply a kind's template. Every change is written at once, as an undoable
command (like the Guests tab). A new event has no checklist until it is saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmplanner.bus import Changes
from cmplanner.errors import ValidationError
from cmplanner.i18n import N_, _
from cmplanner.model.enums import kind_label
from cmplanner.services import tasks as task_service
from cmplanner.services.occurrences import event_times
from cmplanner.services.tasks import ChecklistDates, TaskData, TaskRead
from cmplanner.storage import Database
from ui.checklists.commands import AddTask, ApplyTemplate, EditTask, RemoveTasks, SetTasksDone
from ui.kit import accessible, theme
from ui.kit.changes import bridge
from ui.kit.display import format_date, format_datetime
from ui.kit.jobs import run_in_background
from ui.kit.models import AnyIndex, ColumnsTableModel
from ui.kit.unsaved import UnsavedChangesGuard

DONE, WHEN, TITLE, OWNER = range(4)


def when_text(task: TaskRead, base: dt.date | None) -> str:
    """ "D-7 · 12/11/2026": the day relative to the event (or its date), then the date."""
    if task.due is None:
        return ""
    date = format_date(task.due)
    if base is None:
        return date
    offset = task.due_offset_days
    if offset is None:
        offset = (task.due - base).days
    return f"{task_service.format_offset(offset)} · {date}"


class ChecklistModel(ColumnsTableModel):
    """The tasks shown (a few dozen); ticking a box is reported (`toggled`), not written."""

    COLUMNS = (N_("Done"), N_("Due"), N_("Task"), N_("Owner"))
    toggled = Signal(object, bool)  # (TaskRead, done)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.tasks: list[TaskRead] = []
        self.base: dt.date | None = None  # the event's (or the series date's) day

    def set_tasks(self, tasks: Sequence[TaskRead], base: dt.date | None) -> None:
        self.beginResetModel()
        self.tasks, self.base = list(tasks), base
        self.endResetModel()

    def task(self, row: int) -> TaskRead | None:
        return self.tasks[row] if 0 <= row < len(self.tasks) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.tasks)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        task = self.task(index.row()) if index.isValid() else None
        if task is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == DONE:
            return Qt.CheckState.Checked if task.done else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            if column == WHEN:
                return when_text(task, self.base)
            if column == TITLE:
                return task.title
            if column == OWNER:
                return task.assignee
        if role == Qt.ItemDataRole.ForegroundRole and task.done:
            return theme.brush("muted_text")
        if role == Qt.ItemDataRole.ToolTipRole and column == TITLE and task.notes:
            return task.notes
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == DONE:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        task = self.task(index.row()) if index.isValid() else None
        if task is None or index.column() != DONE or role != Qt.ItemDataRole.CheckStateRole:
            return False
        self.toggled.emit(task, value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2))
        return True


class TaskEditor(UnsavedChangesGuard, QDialog):
    """A task's title and its day relative to the event ("D-7", "J+2", "D"; empty: no day)."""

    def __init__(self, task: TaskRead | None, base: dt.date | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("checklistTask")
        self.setWindowTitle(_("Edit the Task") if task else _("Add a Task"))
        self.task, self.base = task, base
        self.title = QLineEdit(task.title if task else "", self)
        self.title.setObjectName("checklistTaskTitle")
        self.title.setPlaceholderText(_("What is there to do?"))
        self.when = QLineEdit(self)
        self.when.setObjectName("checklistTaskWhen")
        self.when.setPlaceholderText(_("D-7, D+2 or D (the day itself)"))
        if task is not None and task.due is not None and base is not None:
            offset = task.due_offset_days
            self.when.setText(
                task_service.format_offset((task.due - base).days if offset is None else offset)
            )
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow(_("&Task:"), self.title)
        form.addRow(_("&Due:"), self.when)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Save") if task else _("Add"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok.setEnabled(bool(self.title.text().strip()))
        self.title.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(420, self.sizeHint().height())

    def offset(self) -> int | None:
        """The day typed, in days from the event (None: no day). Raises ValidationError."""
        text = self.when.text().strip()
        return task_service.parse_offset(text) if text else None

    def accept(self) -> None:
        if not self.title.text().strip():
            self.error.setText(_("A task needs a title."))
            self.error.show()
            self.title.setFocus()
            return
        try:
            self.offset()
        except ValidationError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.when.setFocus()
            return
        super().accept()


class ChecklistPanel(QWidget):
    """The checklist of one event (None: a new event, which has none yet)."""

    loaded = Signal()  # the tasks on screen were reloaded

    def __init__(
        self,
        db: Database,
        event_id: int | None,
        push: Callable[[QUndoCommand], None],
        kind_of: Callable[[], str],
        kinds: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("checklistPanel")
        self.db, self.event_id, self._push, self.kind_of = db, event_id, push, kind_of
        self.kinds = list(kinds)
        self.dates: ChecklistDates | None = None
        self.editor: TaskEditor | None = None
        self.base: dt.date | None = None

        date_row = self._build_date_row()
        self._build_table()
        buttons = self._build_buttons()
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(date_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())

        if event_id is None:
            self.note.setText(
                _("Save the event first: then add its tasks here or apply its kind's template.")
            )
            self.date_label.hide()
            self.date_box.hide()
            self.add_button.setEnabled(False)
            self.template_button.setEnabled(False)
            self._update_buttons()
            return
        self.note.setText(
            _("Each task is due on a day relative to the event (D-7: a week before). Changes are"
              " saved at once; Ctrl+Z undoes them.")
        )  # fmt: skip
        bridge().changed.connect(self._on_changes)
        run_in_background(
            task_service.checklist_dates, db, event_id, on_success=self._set_dates, label=""
        )

    # -- building ----------------------------------------------------------------------------

    def _build_date_row(self) -> QHBoxLayout:
        """A note, and for a series the date whose tasks are shown."""
        self.note = QLabel(self)
        self.note.setObjectName("checklistNote")
        self.note.setWordWrap(True)
        self.date_box = QComboBox(self)
        self.date_box.setObjectName("checklistDate")
        self.date_box.currentIndexChanged.connect(lambda _i: self.reload())
        self.date_label = QLabel(_("For the &date:"), self)
        self.date_label.setBuddy(self.date_box)
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_label)
        date_row.addWidget(self.date_box, 1)
        return date_row

    def _build_table(self) -> None:
        self.model = ChecklistModel(self)
        self.model.toggled.connect(self.set_done)
        self.table = QTableView(self)
        self.table.setObjectName("checklistTable")
        accessible.name(
            self.table, _("Checklist"), _("What there is to do before the event, and what is done")
        )
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(DONE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(WHEN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.doubleClicked.connect(lambda _index: self.edit_current())

    def _build_buttons(self) -> QHBoxLayout:
        self.add_button = QPushButton(_("&Add a Task…"), self)
        self.add_button.setObjectName("checklistAdd")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_task)
        self.edit_button = QPushButton(_("&Edit…"), self)
        self.edit_button.setObjectName("checklistEdit")
        self.edit_button.setAutoDefault(False)
        self.edit_button.clicked.connect(self.edit_current)
        self.remove_action = QAction(_("&Remove"), self.table)
        self.remove_action.setObjectName("checklistRemove")
        self.remove_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.remove_action.triggered.connect(self.remove_selected)
        self.table.addAction(self.remove_action)
        self.remove_button = QPushButton(self.remove_action.text(), self)
        self.remove_button.setObjectName("checklistRemoveButton")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_selected)
        self.template_button = QPushButton(_("Apply a &Template"), self)
        self.template_button.setObjectName("checklistTemplate")
        self.template_button.setAutoDefault(False)
        self.template_menu = QMenu(self.template_button)
        self.template_menu.aboutToShow.connect(self._fill_templates)
        self.template_button.setMenu(self.template_menu)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.template_button)
        return buttons

    # -- loading -----------------------------------------------------------------------------

    def _set_dates(self, dates: ChecklistDates) -> None:
        self.dates = dates
        series = bool(dates.dates)
        self.date_label.setVisible(series)
        self.date_box.setVisible(series)
        self.date_box.blockSignals(True)
        self.date_box.clear()
        for original, start in dates.dates:
            self.date_box.addItem(format_datetime(start), original)
        if series:
            self.date_box.addItem(_("The whole series"), None)
            self.date_box.setCurrentIndex(max(0, self.date_box.findData(dates.current)))
        self.date_box.blockSignals(False)
        self.reload()

    def occurrence(self) -> dt.datetime | None:
        """The date of the series shown (None: a single event, or the whole series)."""
        if self.dates is None or not self.dates.dates:
            return None
        chosen: dt.datetime | None = self.date_box.currentData()
        return chosen

    def reload(self) -> None:
        if self.event_id is None or self.dates is None:
            return
        occurrence = self.occurrence()
        run_in_background(
            _load, self.db, self.event_id, occurrence, on_success=self._show, label=""
        )

    def _show(self, found: tuple[list[TaskRead], dt.date | None]) -> None:
        tasks, base = found
        selected = {t.id for t in self.selected_tasks()}
        self.base = base
        self.model.set_tasks(tasks, base)
        for row, task in enumerate(tasks):
            if task.id in selected:
                self.table.selectRow(row)
        self._update_buttons()
        self.loaded.emit()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("tasks") or (
            self.event_id is not None and self.event_id in changes.events
        ):
            self.reload()

    def _update_buttons(self) -> None:
        chosen = self.selected_tasks()
        self.edit_button.setEnabled(len(chosen) == 1)
        self.remove_button.setEnabled(bool(chosen))
        self.remove_action.setEnabled(bool(chosen))

    def selected_tasks(self) -> list[TaskRead]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [t for t in (self.model.task(r) for r in rows) if t is not None]

    def titles(self) -> list[str]:
        return [t.title for t in self.model.tasks]

    # -- writing ---------------------------------------------------------------------------

    def _write(self, command: Any) -> None:
        """Push an undoable write; the list reloads once it is written (an undo reloads it
        through the change it publishes)."""
        command.on_done = lambda _command: self.reload()
        self._push(command)

    def add_task(self) -> None:
        if self.event_id is None:
            return
        self.editor = TaskEditor(None, self.base, self)
        self.editor.accepted.connect(lambda: self._added(self.editor))
        self.editor.open()

    def _added(self, editor: TaskEditor | None) -> None:
        if editor is None or self.event_id is None:
            return
        data = TaskData(
            title=editor.title.text().strip(),
            event_id=self.event_id,
            due_offset_days=editor.offset(),
            occurrence=self.occurrence(),
        )
        self._write(AddTask(self.db, data))

    def edit_current(self) -> None:
        chosen = self.selected_tasks()
        if len(chosen) != 1:
            return
        task = chosen[0]
        self.editor = TaskEditor(task, self.base, self)
        self.editor.accepted.connect(lambda: self._edited(task, self.editor))
        self.editor.open()

    def _edited(self, task: TaskRead, editor: TaskEditor | None) -> None:
        if editor is None:
            return
        old = task_service.task_data(task)
        new = TaskData(**{**old.__dict__, "title": editor.title.text().strip()})
        typed = editor.offset()
        before = (task.due - self.base).days if task.due and self.base else None
        if task.due_offset_days is not None or typed != before:
            # A new day relative to the event (an absolute date left alone if not changed).
            new = TaskData(**{**new.__dict__, "due_date": None, "due_offset_days": typed})
        if new != old:
            self._write(EditTask(self.db, task.id, old, new))

    def set_done(self, task: TaskRead, done: bool) -> None:
        if task.done != done:
            self._write(SetTasksDone(self.db, {task.id: task.done}, done))

    def remove_selected(self) -> None:
        chosen = self.selected_tasks()
        if chosen:
            title = chosen[0].title if len(chosen) == 1 else ""
            self._write(RemoveTasks(self.db, [t.id for t in chosen], title))

    def _fill_templates(self) -> None:
        """The event's own kind first, then the others."""
        self.template_menu.clear()
        own = self.kind_of()
        kinds = [own] + [k for k in self.kinds if k != own]
        for n, kind in enumerate(kinds):
            action = self.template_menu.addAction(kind_label(kind))
            action.setObjectName("template-" + kind)
            action.triggered.connect(lambda _checked=False, k=kind: self.apply_template(k))
            if n == 0 and len(kinds) > 1:
                self.template_menu.addSeparator()

    def apply_template(self, kind: str) -> None:
        if self.event_id is not None:
            self._write(ApplyTemplate(self.db, self.event_id, kind, self.occurrence()))


def _load(
    db: Database, event_id: int, occurrence: dt.datetime | None
) -> tuple[list[TaskRead], dt.date | None]:
    """The checklist shown, and the day its relative dates count from."""
    tasks = task_service.checklist(db, event_id, occurrence)
    base = occurrence or event_times(db, event_id).start_local
    return tasks, base.date()
