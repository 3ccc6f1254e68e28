"""The Tasks view: every task, overdue ones in red, filters, done with Space or a click."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QUndoStack

from cmplanner import i18n
from cmplanner.bus import Changes
from cmplanner.model import Event
from cmplanner.services import tasks as task_service
from cmplanner.services.browse import TASKS
from cmplanner.storage import Database
from ui.checklists.view import (
    TaskDialog,
    TaskListingModel,
    TasksView,
)
from ui.kit import theme
from ui.kit.choice_combo import ChoiceModel, SearchableCombo

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
        assert index.data(Qt.ItemDataRole.ForegroundRole).color() == theme.colour("overdue_text")
        assert index.data(Qt.ItemDataRole.BackgroundRole).color() == theme.colour("overdue_bg")
    for task in done:
        index = view.model.index(row_of(view, task.id), TITLE)
        assert index.data(Qt.ItemDataRole.BackgroundRole) is None
        assert index.data(Qt.ItemDataRole.ForegroundRole).color() != theme.colour("overdue_text")
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
    from ui.checklists import view as tasks_module

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
    from ui.checklists.templates import TaskTemplatesDialog

    view.templates_button.click()
    assert isinstance(view.templates_dialog, TaskTemplatesDialog)
    assert view.templates_dialog.isVisible()
    assert view.templates_dialog.model.rowCount() > 0
    view.templates_dialog.reject()


# -- the person and event filters: thousands of choices on a big database ------------------


def resets(model: QAbstractItemModel) -> list[int]:
    """Counts the model's resets."""
    count: list[int] = []
    model.modelReset.connect(lambda: count.append(1))
    return count


def test_filter_choices_are_kept_and_not_rebuilt_when_nothing_changed(
    view: TasksView, demo_db: Database
) -> None:
    event_id, title = view.choices.events[1]
    view.event_filter.setCurrentIndex(view.event_filter.findData(event_id))
    shown = set(view.model.ids())
    event_resets, people_resets = (
        resets(view.event_filter.model()),
        resets(view.assignee_filter.model()),
    )
    task = next(t for t in task_service.list_tasks(demo_db) if t.event_id == event_id)
    view.on_changes(task_service.set_done(demo_db, task.id, True))
    # Same people, same events: neither list is rebuilt, the chosen event stays.
    assert (event_resets, people_resets) == ([], [])
    assert view.event_filter.currentData() == event_id
    assert view.event_filter.currentText() == title

    with demo_db.transaction() as session:
        event = session.get(Event, event_id)
        assert event is not None
        event.title = "Apéro renommé"
        session.add(event)
    view.on_changes(Changes(events=frozenset({event_id})))
    # One reset for the renamed event, none for the people; the filter still holds.
    assert (event_resets, people_resets) == ([1], [])
    assert view.event_filter.currentData() == event_id
    assert view.event_filter.currentText() == "Apéro renommé"
    assert set(view.model.ids()) == shown


def test_a_chosen_event_that_loses_its_tasks_falls_back_to_all_events(
    view: TasksView, demo_db: Database
) -> None:
    event_id, _title = view.choices.events[0]
    view.event_filter.setCurrentIndex(view.event_filter.findData(event_id))
    changes = [
        task_service.delete_task(demo_db, t.id)
        for t in task_service.list_tasks(demo_db, event_id=event_id, include_done=True)
    ]
    view.on_changes(changes[-1])
    assert view.event_filter.currentIndex() == 0 and view.event_filter.currentData() is None
    assert view.model.rowCount() == len(task_service.list_tasks(demo_db, include_done=True))


def type_in(qtbot, combo: SearchableCombo, text: str) -> None:
    combo.setFocus()
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo, text)


def test_typing_part_of_an_event_name_and_enter_filters_by_it(
    qtbot, view: TasksView, demo_db: Database
) -> None:
    event_id, title = next((i, t) for i, t in view.choices.events if "Canut" in t)
    type_in(qtbot, view.event_filter, "canut")  # any case, anywhere in the name
    popup = view.event_filter.completer().popup()
    assert popup.isVisible()
    shown = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert shown and all("canut" in s.casefold() for s in shown)
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # none picked in the list: the first match
    assert view.event_filter.currentData() == event_id
    assert view.event_filter.currentText() == title
    theirs = task_service.list_tasks(demo_db, event_id=event_id, include_done=True)
    assert set(view.model.ids()) == {t.id for t in theirs}

    # Escape puts the chosen event's name back; an emptied box and Enter: every event.
    type_in(qtbot, view.event_filter, "zzz")
    if popup.isVisible():
        qtbot.keyClick(popup, Qt.Key.Key_Escape)  # the first Escape closes the list
    qtbot.keyClick(view.event_filter, Qt.Key.Key_Escape)
    assert view.event_filter.currentText() == title
    assert view.event_filter.currentData() == event_id
    view.event_filter.lineEdit().clear()
    qtbot.keyClick(view.event_filter, Qt.Key.Key_Return)
    assert view.event_filter.currentData() is None
    assert view.event_filter.currentText() == view.event_filter.itemText(0)
    assert view.model.rowCount() == len(task_service.list_tasks(demo_db, include_done=True))


def test_a_person_is_found_by_typing_and_enter_without_the_list(
    qtbot, view: TasksView, demo_db: Database
) -> None:
    person_id, name = view.choices.assignees[-1]
    type_in(qtbot, view.assignee_filter, name.upper())
    popup = view.assignee_filter.completer().popup()
    popup.hide()
    qtbot.keyClick(view.assignee_filter, Qt.Key.Key_Return)
    assert view.assignee_filter.currentData() == person_id
    theirs = task_service.list_tasks(demo_db, assignee=person_id, include_done=True)
    assert set(view.model.ids()) == {t.id for t in theirs}
    # Text naming nobody, left with Tab: the chosen person stays, their name comes back.
    type_in(qtbot, view.assignee_filter, "personne de ce nom")
    view.assignee_filter.lineEdit().editingFinished.emit()
    assert view.assignee_filter.currentData() == person_id
    assert view.assignee_filter.currentText() == name


def test_the_due_window_filter_shows_its_longest_french_label_whole(
    qtbot, demo_db: Database, frozen_clock: dt.datetime
) -> None:
    i18n.set_language("fr")
    try:
        tasks_view = TasksView()
        qtbot.addWidget(tasks_view)
        tasks_view.set_database(demo_db)
        tasks_view.resize(1280, 600)
        tasks_view.show()
        qtbot.waitExposed(tasks_view)
        combo = tasks_view.due_filter
        labels = [combo.itemText(i) for i in range(combo.count())]
        assert "Toutes les échéances" in labels
        widest = max(combo.fontMetrics().horizontalAdvance(t) for t in labels)
        # Room for the text beside the arrow: the frame and arrow take well over 20 px.
        assert combo.width() >= widest + 20
    finally:
        i18n.set_language("en")


def test_the_add_task_dialog_finds_an_event_by_typing(qtbot, view: TasksView) -> None:
    dialog = TaskDialog(view.choices, view)
    qtbot.addWidget(dialog)
    assert dialog.event_box.count() == len(view.choices.events) + 1
    assert dialog.event_box.currentData() is None  # "No event"
    event_id, title = next((i, t) for i, t in view.choices.events if "Canut" in t)
    dialog.title.setText("Réserver le micro")
    type_in(qtbot, dialog.event_box, "radio can")
    dialog.event_box.completer().popup().hide()
    qtbot.keyClick(dialog.event_box, Qt.Key.Key_Return)
    assert dialog.data().event_id == event_id
    assert dialog.event_box.currentText() == title


def test_choice_model_passes_the_qt_model_tester(qtmodeltester) -> None:
    model = ChoiceModel("Tous")
    model.set_items([(7, "Apéro"), (3, "Atelier")])
    qtmodeltester.check(model, force_py=True)
    assert [model.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(3)] == [None, 7, 3]
    assert (model.row_of(None), model.row_of(3), model.row_of(99)) == (0, 2, -1)
    assert not model.set_items([(7, "Apéro"), (3, "Atelier")])  # same choices: no reset
    assert model.set_items([(3, "Atelier")]) and model.rowCount() == 2
