"""Tasks: what to do before each event, soonest first; overdue ones stand out."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QWidget,
)

from cmplanner import clock
from cmplanner.i18n import N_, _, ngettext
from cmplanner.services import tasks as task_service
from cmplanner.services.browse import Listing
from cmplanner.services.tasks import TaskData, TaskFilterChoices
from cmplanner.storage import Database
from ui.checklists.commands import AddTask, SetTasksDone
from ui.kit import accessible, theme
from ui.kit.choice_combo import ChoiceModel, SearchableCombo
from ui.kit.date_fields import date_edit
from ui.kit.display import format_int
from ui.kit.forms import error_label, filled
from ui.kit.jobs import run_in_background
from ui.kit.listing_view import ListingView
from ui.kit.models import AnyIndex, ListingModel
from ui.kit.unsaved import UnsavedChangesGuard

_Combo = TypeVar("_Combo", bound=QComboBox)

# The due windows of the filter: (value of the listing's "due" filter, label msgid).
DUE_WINDOWS = (
    ("", N_("All dates")),
    ("overdue", N_("Overdue")),
    ("today", N_("Due today")),
    ("week", N_("Next 7 days")),
)


class TaskListingModel(ListingModel):
    """The task listing with a check box in the Done column, overdue rows in red and done
    ones greyed. Ticking a box asks the view (`toggle`) rather than writing itself."""

    def __init__(self, listing: Listing, parent: Any = None) -> None:
        super().__init__(listing, parent=parent)
        keys = listing.column_keys()
        self._due_col, self._done_col = keys.index("due"), keys.index("done")
        self.toggle: Any = None  # called with (task id, done) when a box is ticked

    def is_done(self, row: int) -> bool:
        values = self.row_values(row)
        return bool(values and values[self._done_col])

    def is_overdue(self, row: int) -> bool:
        values = self.row_values(row)
        if not values or values[self._done_col]:
            return False
        due = values[self._due_col]
        return isinstance(due, dt.date) and due < clock.today()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self.rowCount():
            return None
        row, done_col = index.row(), index.column() == self._done_col
        if role == Qt.ItemDataRole.CheckStateRole:
            if not done_col:
                return None
            return Qt.CheckState.Checked if self.is_done(row) else Qt.CheckState.Unchecked
        if done_col and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None  # the check box says it
        if role == Qt.ItemDataRole.ForegroundRole:
            if self.is_overdue(row):
                return theme.brush("overdue_text")
            if self.is_done(row):
                return theme.brush("muted_text")
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return theme.brush("overdue_bg") if self.is_overdue(row) else None
        if role == Qt.ItemDataRole.FontRole and self.is_overdue(row):
            font = QFont()
            font.setBold(index.column() == self._due_col)
            return font
        overdue_date = index.column() == self._due_col and self.is_overdue(row)
        if role == Qt.ItemDataRole.DecorationRole and overdue_date:
            return theme.warning_icon()  # not only red: a sign, and the word for screen readers
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and overdue_date:
            return _("Overdue")
        if role == Qt.ItemDataRole.ToolTipRole and self.is_overdue(row):
            return _("Overdue")
        return super().data(index, role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self._done_col:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            not index.isValid()
            or index.column() != self._done_col
            or role != Qt.ItemDataRole.CheckStateRole
            or self.toggle is None
        ):
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
        self.toggle(self.id_at(index.row()), checked)
        return True


class TaskDialog(UnsavedChangesGuard, QDialog):
    """A new task: a title, and if wanted an event, a due day and who does it."""

    def __init__(self, choices: TaskFilterChoices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add a Task"))
        self.title = QLineEdit(self)
        self.title.setPlaceholderText(_("What is there to do?"))
        self.event_box = SearchableCombo(ChoiceModel(_("No event")), self)
        self.event_box.setObjectName("taskEvent")
        self.event_box.set_items(choices.events)
        self.has_due = QCheckBox(_("Due on"), self)
        self.due_box = date_edit(self)
        accessible.name_after(self.due_box, self.has_due)
        self.due_box.setEnabled(False)
        self.has_due.toggled.connect(self.due_box.setEnabled)
        self.assignee = SearchableCombo(ChoiceModel(_("Nobody")), self)
        self.assignee.setObjectName("taskAssignee")
        self.assignee.set_items(choices.assignees)

        form = QFormLayout(self)
        form.addRow(_("&Task:"), self.title)
        form.addRow(_("&Event:"), self.event_box)
        form.addRow(self.has_due, self.due_box)
        form.addRow(_("&Assignee:"), self.assignee)
        self.error = error_label(self)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.title.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        form.addRow(buttons)
        self.resize(420, self.sizeHint().height())
        accessible.name_typed_combos(self)

    def accept(self) -> None:
        if filled(self.title, self.error, _("Say what there is to do.")):
            super().accept()

    def data(self) -> TaskData:
        due = self.due_box.date().toPython() if self.has_due.isChecked() else None
        return TaskData(
            title=self.title.text().strip(),
            event_id=self.event_box.currentData(),
            due_date=due,  # type: ignore[arg-type]
            assignee_id=self.assignee.currentData(),
        )


class TasksView(ListingView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "tasks",
            kind="tasks",
            placeholder=_("Search tasks…"),
            title=_("Tasks"),
            empty_text=_("No tasks yet."),
            no_match_text=_("No task matches “{text}”."),
            sort_key="due",
            widths={"due": 110, "event": 250, "assignee": 170, "done": 70},
            stretch="title",
            parent=parent,
        )
        self.model.toggle = lambda task_id, done: self.set_done({task_id: not done}, done)
        self.choices = TaskFilterChoices([], [])

        # Thousands of people and events on a big database: type to find one.
        self.assignee_filter = self._filter_combo(
            "assigneeFilter", SearchableCombo(ChoiceModel(_("Everyone")), self)
        )
        self.assignee_filter.setToolTip(_("Only the tasks of this person (type to search)"))
        accessible.name(self.assignee_filter, _("Assignee"))
        self.event_filter = self._filter_combo(
            "eventFilter", SearchableCombo(ChoiceModel(_("All events")), self)
        )
        self.event_filter.setMinimumContentsLength(18)
        self.event_filter.setToolTip(_("Only the tasks of this event (type to search)"))
        accessible.name(self.event_filter, _("Event"))
        self.due_filter = self._filter_combo("dueFilter", QComboBox(self))
        for value, label in DUE_WINDOWS:
            self.due_filter.addItem(_(label), value)
        self.due_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.due_filter.setAccessibleName(_("Due"))
        self.due_filter.setAccessibleDescription(_("Only the tasks due in this period"))
        self.add_button = QPushButton(_("Add Task…"), self)
        self.add_button.setObjectName("addTask")
        self.add_button.clicked.connect(self.add_task)
        self.top_bar.addWidget(self.add_button)
        self.templates_button = QPushButton(_("Checklist templates…"), self)
        self.templates_button.setObjectName("taskTemplates")
        self.templates_button.setToolTip(
            _("The tasks a new event starts with, for each kind of event")
        )
        self.templates_button.clicked.connect(self.open_templates)
        self.top_bar.addWidget(self.templates_button)

        self.toggle_action = self._table_action(
            _("Mark &Done / Not Done"), self.toggle_selected, "Space"
        )

    model: TaskListingModel

    def make_model(self, mime_type: str | None) -> TaskListingModel:
        return TaskListingModel(self.listing, parent=self)

    def _filter_combo(self, name: str, combo: _Combo) -> _Combo:
        combo.setObjectName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(10)
        combo.currentIndexChanged.connect(lambda _i: self._filters_changed())
        self.top_bar.addWidget(combo)
        return combo

    def _filters_changed(self) -> None:
        self.filters = {
            "assignee": self.assignee_filter.currentData(),
            "event": self.event_filter.currentData(),
            "due": self.due_filter.currentData(),
        }
        if self.db is not None:
            self.refresh()

    # -- filter choices --------------------------------------------------------------------

    def set_database(self, db: Database | None) -> None:
        super().set_database(db)
        self._load_choices()

    def on_changes(self, changes: Any) -> None:
        super().on_changes(changes)
        if changes.touches("tasks") or changes.touches("events") or changes.touches("contacts"):
            self._load_choices()

    def _load_choices(self) -> None:
        if self.db is not None:
            run_in_background(
                task_service.filter_choices, self.db, on_success=self._set_choices, label=""
            )

    def _set_choices(self, choices: TaskFilterChoices) -> None:
        """New filter choices (after any change): each list is replaced in one model reset,
        and only when it changed."""
        self.choices = choices
        self.assignee_filter.set_items(choices.assignees)
        self.event_filter.set_items(choices.events)
        if (self.assignee_filter.currentData(), self.event_filter.currentData()) != (
            self.filters.get("assignee"),
            self.filters.get("event"),
        ):
            self._filters_changed()  # the chosen person or event is gone

    # -- writes ----------------------------------------------------------------------------

    def set_done(self, was: dict[int, bool], done: bool) -> None:
        if self.db is None or not was:
            return
        command = SetTasksDone(self.db, was, done)
        command.on_done = lambda _c: self.refresh()
        self.push(command)

    def toggle_selected(self) -> None:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        if not rows:
            return
        was = {self.model.id_at(r): self.model.is_done(r) for r in rows}
        self.set_done(was, not all(was.values()))

    def new_record(self) -> None:
        self.add_task()

    def add_task(self) -> None:
        if self.db is None:
            return
        dialog = TaskDialog(self.choices, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        command = AddTask(self.db, dialog.data())
        command.on_done = lambda _c: self.refresh()
        self.push(command)

    def open_templates(self) -> None:
        from ui.checklists.templates import open_task_templates

        if self.db is not None:
            self.templates_dialog = open_task_templates(self.db, self.push, parent=self.window())

    def fill_row_menu(self, menu: QMenu, ids: list[int]) -> None:
        if ids:
            menu.addAction(self.toggle_action)
        menu.addAction(_("&Add Task…"), self.add_task)
        menu.addSeparator()
        menu.addAction(_("Checklist &templates…"), self.open_templates)

    def status_text(self) -> str:
        n = self.row_count()
        return ngettext("{n} task", "{n} tasks", n).format(n=format_int(n))
