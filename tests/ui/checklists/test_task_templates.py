"""The checklist templates editor: a kind's tasks by offset (J-21, J+2), bad offsets shown,
add/remove, the French defaults back, saved as one undoable command."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QUndoStack

from cmplanner.services import tasks as task_service
from cmplanner.storage import Database
from ui.checklists.templates import TITLE, WHEN, TaskTemplatesDialog


@pytest.fixture
def stack() -> QUndoStack:
    return QUndoStack()


@pytest.fixture
def dialog(qtbot, demo_db: Database, stack: QUndoStack, frozen_clock: dt.datetime):
    templates = TaskTemplatesDialog(demo_db, stack.push, "interview")
    qtbot.addWidget(templates, before_close_func=lambda d: d.discard_and_close())
    templates.show()
    return templates


def select_row(dialog: TaskTemplatesDialog, row: int) -> None:
    # Not selectRow(): it follows the keyboard modifiers an earlier test may have left held.
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
    dialog.table.selectionModel().select(
        dialog.table.model().index(row, 0), flags | QItemSelectionModel.SelectionFlag.Rows
    )


def type_in(dialog: TaskTemplatesDialog, row: int, column: int, text: str) -> None:
    """What the table's editor does when a cell is typed in."""
    assert dialog.model.setData(dialog.model.index(row, column), text)


def rows(dialog: TaskTemplatesDialog) -> list[tuple[str, str]]:
    return [(dialog._text(r, WHEN), dialog._text(r, TITLE)) for r in range(dialog.model.rowCount())]


def test_the_kind_chosen_shows_its_tasks_by_offset(dialog: TaskTemplatesDialog) -> None:
    assert dialog.kind_box.currentData() == "interview"
    assert rows(dialog)[:2] == [
        ("D-7", "Confirmer le rendez-vous"),
        ("D-3", "Préparer les questions"),
    ]
    assert rows(dialog)[-1] == ("D+7", "Faire le débrief")
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("apero"))
    assert rows(dialog)[0] == ("D-30", "Réserver la salle")


def test_a_wrong_offset_is_marked_and_blocks_saving(dialog: TaskTemplatesDialog, qtbot) -> None:
    type_in(dialog, 0, WHEN, "J-")
    assert not dialog.save_button.isEnabled()
    assert "“J-” is not a day relative to the event" in dialog.error.text()
    assert dialog.model.index(0, WHEN).data(Qt.ItemDataRole.ToolTipRole) == dialog.error.text()
    # Switching kind keeps you on the mistake.
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("apero"))
    assert dialog.kind_box.currentData() == "interview"
    type_in(dialog, 0, WHEN, "j+10")  # moves after the others once typed
    qtbot.waitUntil(lambda: rows(dialog)[-1] == ("D+10", "Confirmer le rendez-vous"))
    assert dialog.save_button.isEnabled() and dialog.error.text() == ""


def test_an_empty_title_blocks_saving(dialog: TaskTemplatesDialog) -> None:
    dialog.add_row()
    assert not dialog.save_button.isEnabled()
    assert dialog.error.text() == "Task 6 needs a title (or remove it)."
    select_row(dialog, 5)
    dialog.remove_selected()
    assert dialog.save_button.isEnabled()


def test_edits_are_saved_as_one_undoable_command(
    dialog: TaskTemplatesDialog, demo_db: Database, stack: QUndoStack, qtbot
) -> None:
    shipped = task_service.templates(demo_db)
    dialog.add_row("Envoyer l'enregistrement", 3)
    select_row(dialog, 0)
    dialog.remove_selected()  # no more "Confirmer le rendez-vous"
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("concert"))
    type_in(dialog, 0, TITLE, "Réserver la scène")
    dialog.save_button.click()
    assert stack.count() == 1
    saved = task_service.templates(demo_db)
    assert ("Envoyer l'enregistrement", 3) in saved["interview"]
    assert ("Confirmer le rendez-vous", -7) not in saved["interview"]
    assert saved["concert"][0] == ("Réserver la scène", -30)
    assert saved["apero"] == shipped["apero"]
    stack.undo()
    assert task_service.templates(demo_db) == shipped
    stack.redo()
    assert task_service.templates(demo_db)["concert"][0] == ("Réserver la scène", -30)


def test_restore_the_french_defaults(
    qtbot, demo_db: Database, stack: QUndoStack, frozen_clock: dt.datetime
) -> None:
    task_service.set_templates(demo_db, {"workshop": [("Rien", 0)]})
    dialog = TaskTemplatesDialog(demo_db, stack.push, "workshop")
    qtbot.addWidget(dialog)
    assert rows(dialog) == [("D-day", "Rien")]
    dialog.defaults_button.click()
    assert [t for _w, t in rows(dialog)] == [
        t for t, _o in task_service.default_templates()["workshop"]
    ]
    dialog.save_button.click()
    assert (
        task_service.templates(demo_db)["workshop"] == task_service.default_templates()["workshop"]
    )


def test_nothing_changed_pushes_nothing(dialog: TaskTemplatesDialog, stack: QUndoStack) -> None:
    dialog.save_button.click()
    assert stack.count() == 0 and dialog.result() == dialog.DialogCode.Accepted


def test_the_template_model_passes_the_model_tester(
    dialog: TaskTemplatesDialog, qtmodeltester
) -> None:
    type_in(dialog, 0, WHEN, "J-")  # a wrong cell too: tooltip and colours
    qtmodeltester.check(dialog.model, force_py=True)
