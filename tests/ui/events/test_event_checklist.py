"""The event editor's Checklist tab: the event's tasks with their days relative to it (D-7),
added, edited, ticked and removed there, a template applied; for a series, one date's
checklist at a time. Each change is one undo step."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from cmplanner.services import tasks
from cmplanner.services.browse import EVENTS
from cmplanner.storage import Database
from ui.events.checklist import ChecklistPanel
from ui.events.editor import EventEditor
from ui.shell.main_window import MainWindow

WORKSHOP = 7  # "Atelier « retours utilisateurs »": seven tasks from its kind's template


def open_editor(qtbot, window: MainWindow, event_id: int) -> EventEditor:
    window.show_section("events")
    view = window.view("events")
    view.open_record(event_id)
    editor = view.editor
    assert isinstance(editor, EventEditor)
    qtbot.waitExposed(editor)
    return editor


def checklist_tab(editor: EventEditor) -> ChecklistPanel:
    titles = [editor.tabs.tabText(i) for i in range(editor.tabs.count())]
    assert "Checklist" in titles
    editor.tabs.setCurrentIndex(titles.index("Checklist"))
    panel = editor.checklist
    assert isinstance(panel, ChecklistPanel) and panel.isVisible()
    return panel


def rows(panel: ChecklistPanel) -> list[tuple[bool, str, str]]:
    model = panel.model
    return [
        (
            model.index(r, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked,
            model.index(r, 1).data(),
            model.index(r, 2).data(),
        )
        for r in range(model.rowCount())
    ]


def answer_editor(qtbot, panel: ChecklistPanel, title: str | None, when: str) -> None:
    dialog = panel.editor
    assert dialog is not None and dialog.isVisible()
    if title is not None:
        dialog.title.setText(title)
    dialog.when.setText(when)
    dialog.ok.click()


def test_the_checklist_tab_edits_the_events_tasks_with_undo(
    qtbot, window: MainWindow, demo_db: Database, unsaved_answers
) -> None:
    editor = open_editor(qtbot, window, WORKSHOP)
    panel = checklist_tab(editor)
    shown = rows(panel)
    assert len(shown) == len(tasks.checklist(demo_db, WORKSHOP)) == 7
    when = dict((title, day) for _done, day, title in shown)
    assert when["Réserver la salle"].startswith("D-30 · ")
    assert when["Faire le débrief"].startswith("D+7 · ")
    stack = window.undo_stack

    # Add "D-7: book the room", then edit it to D-10.
    panel.add_button.click()
    answer_editor(qtbot, panel, "Book the room", "J-7")
    assert "D-7 · " in dict((t, d) for _x, d, t in rows(panel))["Book the room"]
    added = next(t for t in tasks.checklist(demo_db, WORKSHOP) if t.title == "Book the room")
    assert added.due_offset_days == -7
    row = [t for _x, _d, t in rows(panel)].index("Book the room")
    panel.table.selectRow(row)
    panel.edit_button.click()
    assert panel.editor.when.text() == "D-7"
    answer_editor(qtbot, panel, None, "D-10")
    [edited] = [t for t in tasks.checklist(demo_db, WORKSHOP) if t.title == "Book the room"]
    assert edited.due_offset_days == -10 and edited.id == added.id

    # A day that is not one is refused where it was typed, nothing is written.
    panel.add_button.click()
    answer_editor(qtbot, panel, "Nope", "next week")
    assert panel.editor.isVisible() and "not a day relative" in panel.editor.error.text()
    unsaved_answers.plan("discard")  # what was typed is thrown away, knowingly
    panel.editor.reject()
    assert unsaved_answers.asked == ["Save the changes made in “Add a Task”?"]

    # Tick one, then remove the one edited; each is one undo step.
    count = stack.count()
    model = panel.model
    ticked = next(t for t in model.tasks if not t.done)
    row = model.tasks.index(ticked)
    model.setData(model.index(row, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert rows(panel)[row][0] is True
    panel.table.selectRow([t for _x, _d, t in rows(panel)].index("Book the room"))
    editor.activateWindow()
    panel.table.setFocus()
    qtbot.waitUntil(panel.table.hasFocus)
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert "Book the room" not in [t for _x, _d, t in rows(panel)]
    assert stack.count() == count + 2
    stack.undo()
    qtbot.waitUntil(lambda: "Book the room" in [t for _x, _d, t in rows(panel)])
    [back] = [t for t in tasks.checklist(demo_db, WORKSHOP) if t.title == "Book the room"]
    assert (back.id, back.due_offset_days) == (added.id, -10)
    stack.undo()
    qtbot.waitUntil(lambda: not next(t for t in model.tasks if t.id == ticked.id).done)
    editor.reject()


def test_a_series_shows_one_dates_checklist_and_applies_a_template_to_it(
    qtbot, window: MainWindow, demo_db: Database
) -> None:
    apero = EVENTS.ids(demo_db, text="Apéro du jeudi")[0]
    editor = open_editor(qtbot, window, apero)
    panel = checklist_tab(editor)
    assert panel.date_box.isVisible()
    # Today is Thursday 19 November 2026: tonight's date is shown first.
    assert panel.occurrence() == dt.datetime(2026, 11, 19, 19)
    assert rows(panel) == []
    panel.template_menu.aboutToShow.emit()
    kinds = [a.objectName() for a in panel.template_menu.actions() if not a.isSeparator()]
    assert kinds[0] == "template-apero"  # the event's own kind first
    next(a for a in panel.template_menu.actions() if a.objectName() == "template-apero").trigger()
    when = dict((title, day) for _done, day, title in rows(panel))
    assert len(when) == 7 and when["Réserver la salle"].startswith("D-30 · ")
    # Next week's checklist is its own: still empty.
    panel.date_box.setCurrentIndex(panel.date_box.findData(dt.datetime(2026, 11, 26, 19)))
    qtbot.waitUntil(lambda: rows(panel) == [])
    window.undo_stack.undo()
    assert tasks.checklist(demo_db, apero, dt.datetime(2026, 11, 19, 19)) == []
    editor.reject()
    assert isinstance(panel.template_menu, QMenu)


def test_a_new_event_has_no_checklist_until_saved(qtbot, window: MainWindow) -> None:
    window.show_section("events")
    view = window.view("events")
    view.new_button.click()
    panel = checklist_tab(view.editor)
    assert not panel.add_button.isEnabled() and not panel.template_button.isEnabled()
    assert "Save the event first" in panel.note.text()
    view.editor.reject()
