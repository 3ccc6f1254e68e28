"""The Tasks view: every task, overdue ones in red, filters, done with Space or a click."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from cmplanner.services import tasks as task_service
from cmplanner.services.browse import TASKS
from cmplanner.storage import Database
from ui.views.tasks import OVERDUE_BACKGROUND, OVERDUE_TEXT, TaskListingModel, TasksView

TITLE, DONE = TASKS.column_keys().index("title"), TASKS.column_keys().index("done")


@pytest.fixture
def view(qtbot, demo_db: Database, frozen_clock: dt.datetime) -> TasksView:
    tasks_view = TasksView()
    qtbot.addWidget(tasks_view)
    tasks_view.undo_stack = QUndoStack(tasks_view)
    tasks_view.set_database(demo_db)
    tasks_view.refresh()
    tasks_view.resize(1000, 600)
    tasks_view.show()
    qtbot.waitExposed(tasks_view)
    return tasks_view


def titles(view: TasksView) -> list[str]:
    return [view.model.index(r, TITLE).data() for r in range(view.model.rowCount())]


def row_of(view: TasksView, task_id: int) -> int:
    return view.model.ids().index(task_id)


def test_all_tasks_are_listed_overdue_ones_highlighted_done_ones_greyed(
    view: TasksView, demo_db: Database
) -> None:
    every = task_service.list_tasks(demo_db, include_done=True)
    assert view.model.rowCount() == len(every)
    overdue = [t for t in every if t.overdue]
    done = [t for t in every if t.done]
    assert overdue and done
    for task in overdue:
        index = view.model.index(row_of(view, task.id), TITLE)
        assert index.data(Qt.ItemDataRole.ForegroundRole).color() == OVERDUE_TEXT
        assert index.data(Qt.ItemDataRole.BackgroundRole).color() == OVERDUE_BACKGROUND
    for task in done:
        index = view.model.index(row_of(view, task.id), TITLE)
        assert index.data(Qt.ItemDataRole.BackgroundRole) is None
        assert index.data(Qt.ItemDataRole.ForegroundRole).color() != OVERDUE_TEXT
        done_box = view.model.index(row_of(view, task.id), DONE)
        assert done_box.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    on_time = next(t for t in every if not t.overdue and not t.done)
    index = view.model.index(row_of(view, on_time.id), TITLE)
    assert index.data(Qt.ItemDataRole.BackgroundRole) is None


def test_filters_by_due_window_assignee_and_event(view: TasksView, demo_db: Database) -> None:
    overdue = {t.id for t in task_service.list_tasks(demo_db) if t.overdue}
    view.due_filter.setCurrentIndex(view.due_filter.findData("overdue"))
    assert set(view.model.ids()) == overdue

    today = dt.date(2026, 11, 19)
    week = {
        t.id
        for t in task_service.list_tasks(
            demo_db, due_after=today, due_before=today + dt.timedelta(days=7), include_done=True
        )
    }
    view.due_filter.setCurrentIndex(view.due_filter.findData("week"))
    assert set(view.model.ids()) == week

    view.due_filter.setCurrentIndex(0)
    person_id, _person = view.choices.assignees[0]
    view.assignee_filter.setCurrentIndex(view.assignee_filter.findData(person_id))
    theirs = task_service.list_tasks(demo_db, assignee=person_id, include_done=True)
    assert set(view.model.ids()) == {t.id for t in theirs}

    event_id, _title = view.choices.events[0]
    view.event_filter.setCurrentIndex(view.event_filter.findData(event_id))
    both = task_service.list_tasks(
        demo_db, assignee=person_id, event_id=event_id, include_done=True
    )
    assert set(view.model.ids()) == {t.id for t in both}

    view.assignee_filter.setCurrentIndex(0)
    view.event_filter.setCurrentIndex(0)
    assert view.model.rowCount() == len(task_service.list_tasks(demo_db, include_done=True))


def test_space_marks_the_selection_done_and_undo_brings_it_back(
    qtbot, view: TasksView, demo_db: Database
) -> None:
    task = next(t for t in task_service.list_tasks(demo_db) if t.overdue)
    view.table.setFocus()
    view.table.selectRow(row_of(view, task.id))
    qtbot.keyClick(view.table, Qt.Key.Key_Space)
    assert {t.id: t.done for t in task_service.list_tasks(demo_db, include_done=True)}[task.id]
    index = view.model.index(row_of(view, task.id), TITLE)
    assert index.data(Qt.ItemDataRole.BackgroundRole) is None  # no longer overdue

    assert view.undo_stack is not None
    view.undo_stack.undo()
    view.refresh()
    assert not {t.id: t.done for t in task_service.list_tasks(demo_db, include_done=True)}[task.id]


def test_ticking_the_check_box_toggles_done(view: TasksView, demo_db: Database) -> None:
    task = next(t for t in task_service.list_tasks(demo_db, include_done=True) if t.done)
    box = view.model.index(row_of(view, task.id), DONE)
    assert view.model.flags(box) & Qt.ItemFlag.ItemIsUserCheckable
    assert view.model.setData(box, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert not {t.id: t.done for t in task_service.list_tasks(demo_db, include_done=True)}[task.id]


def test_add_task_adds_a_free_task(qtbot, monkeypatch, view: TasksView, demo_db: Database) -> None:
    from ui.views import tasks as tasks_module

    def fill(dialog: tasks_module.TaskDialog) -> int:
        qtbot.keyClicks(dialog.title, "Commander les badges")
        dialog.has_due.setChecked(True)
        return int(tasks_module.QDialog.DialogCode.Accepted)

    monkeypatch.setattr(tasks_module.TaskDialog, "exec", fill)
    before = view.model.rowCount()
    view.add_button.click()
    assert view.model.rowCount() == before + 1
    added = next(t for t in task_service.list_tasks(demo_db) if t.title == "Commander les badges")
    assert added.event_id is None and added.due == dt.date(2026, 11, 19)


def test_task_model_passes_the_qt_model_tester(qtmodeltester, demo_db: Database) -> None:
    model = TaskListingModel(TASKS)
    model.set_database(demo_db)
    model.set_ids(TASKS.ids(demo_db))
    qtmodeltester.check(model, force_py=True)


def test_the_checklist_templates_open_from_the_tasks_view(view: TasksView) -> None:
    from ui.task_templates import TaskTemplatesDialog

    view.templates_button.click()
    assert isinstance(view.templates_dialog, TaskTemplatesDialog)
    assert view.templates_dialog.isVisible()
    assert view.templates_dialog.table.rowCount() > 0
    view.templates_dialog.reject()
