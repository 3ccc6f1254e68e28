"""No edit is ever lost: every editor with unsaved changes asks before it closes (Escape,
Cancel, the window's close button, quitting): Save / Discard / Keep editing. Keep editing
keeps what was typed, Discard writes nothing, Save writes; Ctrl+S saves; an editor with no
change closes at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from cmplanner.services import closing, event_records, organizations, preferences
from cmplanner.services import communities as community_service
from cmplanner.services import contacts as contact_service
from cmplanner.services import tasks as task_service
from cmplanner.services.browse import CONTACTS, EVENTS
from cmplanner.storage import Database
from tests.ui import editors
from ui.kit.unsaved import ask_unsaved
from ui.shell.main_window import MainWindow

TYPED = "Allergique aux noix"


def focus_and_type(qtbot: Any, widget: QWidget, text: str) -> None:
    """Type `text` (ASCII: QTest types no accented letter) at the end of `widget` (End
    first: the field a dialog opens on has its text selected)."""
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    qtbot.keyClick(widget, Qt.Key.Key_End)
    qtbot.keyClicks(widget, text)


def press(qtbot: Any, editor: QWidget, key: Qt.Key, modifier: Any = None) -> None:
    target = QApplication.focusWidget()
    if target is None or target.window() is not editor:
        target = editor
    if modifier is None:
        qtbot.keyClick(target, key)
    else:
        qtbot.keyClick(target, key, modifier)


@dataclass
class Case:
    build: Callable[[MainWindow], Any]
    edit: Callable[[Any, Any], Callable[[], bool]]  # (qtbot, editor) → "what was typed is there"
    saved: Callable[[Database, Any], bool] | None  # None: the dialog hands its values back


def _contact(qtbot: Any, editor: Any) -> Callable[[], bool]:
    editor.tabs.setCurrentIndex(2)
    focus_and_type(qtbot, editor.notes, " " + TYPED)
    return lambda: TYPED in editor.notes.toPlainText()


def _new_contact(qtbot: Any, editor: Any) -> Callable[[], bool]:
    focus_and_type(qtbot, editor.given_name, "Zyxel")
    focus_and_type(qtbot, editor.family_name, "Nouvelle")
    return lambda: editor.family_name.text() == "Nouvelle"


def _notes(qtbot: Any, editor: Any) -> Callable[[], bool]:
    focus_and_type(qtbot, editor.notes, " " + TYPED)
    return lambda: TYPED in editor.notes.toPlainText()


def _objective(qtbot: Any, editor: Any) -> Callable[[], bool]:
    focus_and_type(qtbot, editor.objective, " " + TYPED)
    return lambda: TYPED in editor.objective.toPlainText()


def _title(qtbot: Any, editor: Any) -> Callable[[], bool]:
    focus_and_type(qtbot, editor.title, " special")
    return lambda: editor.title.text().endswith(" special")


def _template(qtbot: Any, editor: Any) -> Callable[[], bool]:
    editor.add_row("Réserver la salle", -14)
    press(qtbot, editor, Qt.Key.Key_Escape)  # ends the cell's editing, not the dialog
    return lambda: any(row[1] == "Réserver la salle" for row in editor.model.rows)


def _identity(qtbot: Any, editor: Any) -> Callable[[], bool]:
    editor.set_page("identity")
    editor.identity_name.clear()
    focus_and_type(qtbot, editor.identity_name, "Zoe Lefevre")
    return lambda: editor.identity_name.text() == "Zoe Lefevre"


def _line(name: str) -> Callable[[Any, Any], Callable[[], bool]]:
    def edit(qtbot: Any, editor: Any) -> Callable[[], bool]:
        field = getattr(editor, name)
        focus_and_type(qtbot, field, TYPED)
        return lambda: TYPED in field.text()

    return edit


def _plain(name: str) -> Callable[[Any, Any], Callable[[], bool]]:
    def edit(qtbot: Any, editor: Any) -> Callable[[], bool]:
        field = getattr(editor, name)
        focus_and_type(qtbot, field, TYPED)
        return lambda: TYPED in field.toPlainText()

    return edit


def _attendance(qtbot: Any, editor: Any) -> Callable[[], bool]:
    assert editor.plan is not None
    row, absent = next((n, g) for n, g in enumerate(editor.plan.guests) if not g.attended)
    editor.list.setFocus()
    qtbot.waitUntil(editor.list.hasFocus)
    editor.list.setCurrentIndex(editor.attendance.index(row))
    qtbot.keyClick(editor.list, Qt.Key.Key_Space)  # ticks who came
    return lambda: absent.invitation_id in editor.came()


def _walk_in(qtbot: Any, editor: Any) -> Callable[[], bool]:
    editor.show_walk_in()
    editor.new_person_button.click()  # not in the contact book: a new person's name
    focus_and_type(qtbot, editor.given_name, "Ines")
    focus_and_type(qtbot, editor.family_name, "Nouvelle")
    return lambda: editor.family_name.text() == "Nouvelle"


def _file_chosen(qtbot: Any, editor: Any) -> Callable[[], bool]:
    focus_and_type(qtbot, editor.file_page.path, "/tmp/contacts.vcf")
    return lambda: editor.file_page.path.text() == "/tmp/contacts.vcf"


def _first_contact(db: Database, _editor: Any) -> bool:
    first = CONTACTS.ids(db, "family_name")[0]
    return TYPED in contact_service.get_details(db, first, history=False).data.notes


def _named(family: str) -> Callable[[Database, Any], bool]:
    return lambda db, _editor: bool(CONTACTS.ids(db, "family_name", False, family))


def _first_organization(db: Database, editor: Any) -> bool:
    return TYPED in organizations.get_organization(db, editor.details.id).data.notes


def _first_community(db: Database, editor: Any) -> bool:
    return TYPED in community_service.get_community(db, editor.details.id).data.objective


def _series_title(db: Database, _editor: Any) -> bool:
    return event_records.get_event_form(db, editors.SERIES).data.title.endswith(" special")


def _new_event(db: Database, _editor: Any) -> bool:
    return bool(EVENTS.ids(db, text="special"))


def _template_saved(db: Database, _editor: Any) -> bool:
    return ("Réserver la salle", -14) in task_service.templates(db).get("interview", [])


def _identity_saved(db: Database, _editor: Any) -> bool:
    return preferences.get(db, preferences.IDENTITY_NAME) == "Zoe Lefevre"


def _closed(db: Database, editor: Any) -> bool:
    return bool(closing.closing_plan(db, editors.SERIES, editor.plan.occurrence).done)


def _debrief_saved(db: Database, _editor: Any) -> bool:
    return TYPED in event_records.get_event_form(db, editors.SERIES).data.debrief


CASES = {
    "contact": Case(editors.contact_editor, _contact, _first_contact),
    "new contact": Case(editors.new_contact_editor, _new_contact, _named("Nouvelle")),
    "organization": Case(editors.organization_editor, _notes, _first_organization),
    "community": Case(editors.community_editor, _objective, _first_community),
    "event": Case(editors.event_editor, _title, _series_title),
    "new event": Case(editors.new_event_editor, _title, _new_event),
    "task templates": Case(editors.task_templates, _template, _template_saved),
    "preferences": Case(editors.preferences, _identity, _identity_saved),
    "promise": Case(editors.promise, _line("description"), None),
    "task": Case(editors.task, _line("title"), None),
    "checklist task": Case(editors.checklist_task, _line("title"), None),
    "online work": Case(editors.work, _line("notes"), None),
    "interaction": Case(editors.interaction, _plain("notes"), None),
    "close the event": Case(editors.close_event, _attendance, _closed),
    "debrief": Case(editors.debrief, _plain("text"), _debrief_saved),
    "check-in": Case(editors.check_in, _walk_in, _named("Nouvelle")),
    "import wizard": Case(editors.import_wizard, _file_chosen, None),
}
SAVING = [name for name in CASES if name != "import wizard"]


def test_every_editor_is_covered(qtbot, window: MainWindow) -> None:
    assert set(CASES) == set(editors.ALL)
    # Every guarded editor class of the app is among them (a new editor cannot be missed).
    import importlib
    import inspect
    import pkgutil

    import ui
    from ui.kit.unsaved import UnsavedChangesGuard

    guarded = {
        value
        for found in pkgutil.walk_packages(ui.__path__, "ui.")
        for _name, value in inspect.getmembers(importlib.import_module(found.name), inspect.isclass)
        if issubclass(value, UnsavedChangesGuard) and value is not UnsavedChangesGuard
    }
    opened = set()
    for build in editors.ALL.values():
        editor = build(window)
        opened.add(type(editor))
        editor.discard_and_close()
    assert guarded <= opened, sorted(c.__qualname__ for c in guarded - opened)


@pytest.mark.parametrize("name", list(CASES))
def test_an_editor_with_no_change_closes_at_once(
    qtbot, window: MainWindow, unsaved_answers, name: str
) -> None:
    editor = CASES[name].build(window)
    qtbot.waitExposed(editor)
    press(qtbot, editor, Qt.Key.Key_Escape)
    assert not editor.isVisible()
    assert unsaved_answers.asked == []


@pytest.mark.parametrize("name", list(CASES))
def test_escape_asks_keep_editing_keeps_the_text_and_discard_writes_nothing(
    qtbot, window: MainWindow, unsaved_answers, name: str
) -> None:
    case = CASES[name]
    editor = case.build(window)
    qtbot.waitExposed(editor)
    typed = case.edit(qtbot, editor)
    assert typed()

    unsaved_answers.plan("keep")
    press(qtbot, editor, Qt.Key.Key_Escape)
    assert len(unsaved_answers.asked) == 1
    assert editor.isVisible() and typed()  # back to the editor, the text as typed

    unsaved_answers.plan("discard")
    editor.close()  # the window's close button
    assert len(unsaved_answers.asked) == 2
    assert not editor.isVisible()
    if case.saved is not None:
        assert not case.saved(window.db, editor)
    elif isinstance(editor, QDialog):
        assert editor.result() == QDialog.DialogCode.Rejected


@pytest.mark.parametrize("name", SAVING)
def test_cancel_then_save_writes_and_closes(
    qtbot, window: MainWindow, unsaved_answers, name: str
) -> None:
    case = CASES[name]
    editor = case.build(window)
    qtbot.waitExposed(editor)
    case.edit(qtbot, editor)
    unsaved_answers.plan("save")
    editor.reject()  # Cancel
    assert len(unsaved_answers.asked) == 1
    if name == "check-in":  # the walk-in is added; the door stays open for the next one
        assert not editor.walk_in_form.isVisible()
    else:
        assert not editor.isVisible()
        assert editor.result() == QDialog.DialogCode.Accepted
    if case.saved is not None:
        assert case.saved(window.db, editor)


@pytest.mark.parametrize("name", [n for n in SAVING if n != "check-in"])
def test_ctrl_s_saves(qtbot, window: MainWindow, unsaved_answers, name: str) -> None:
    case = CASES[name]
    editor = case.build(window)
    qtbot.waitExposed(editor)
    case.edit(qtbot, editor)
    press(qtbot, editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not editor.isVisible()
    assert editor.result() == QDialog.DialogCode.Accepted
    assert unsaved_answers.asked == []
    if case.saved is not None:
        assert case.saved(window.db, editor)


def test_save_with_a_mistake_shows_it_and_keeps_the_editor(
    qtbot, window: MainWindow, unsaved_answers
) -> None:
    editor = editors.new_contact_editor(window)
    focus_and_type(qtbot, editor.given_name, "Zyxel")
    focus_and_type(qtbot, editor.emails.rows[0].edit, "zoe@")
    unsaved_answers.plan("save")
    press(qtbot, editor, Qt.Key.Key_Escape)
    assert editor.isVisible()
    assert "not a valid e-mail address" in editor.emails.rows[0].error.text()
    assert editor.emails.rows[0].edit.text() == "zoe@"
    assert not CONTACTS.ids(window.db, "family_name", False, "Zyxel")

    event = editors.new_event_editor(window)
    event.capacity.setValue(40)  # a change, but no title yet
    unsaved_answers.plan("save")
    event.reject()
    assert event.isVisible()
    assert event.error.text() == "An event needs a title."


def test_the_import_wizard_asks_to_stop_without_a_save_button(
    qtbot, window: MainWindow, unsaved_answers
) -> None:
    wizard = editors.import_wizard(window)
    _file_chosen(qtbot, wizard)
    unsaved_answers.plan("discard")
    press(qtbot, wizard, Qt.Key.Key_Escape)
    assert unsaved_answers.asked == ["Stop “Import contacts”?"]
    assert not wizard.isVisible()


def test_the_question_in_french(qtbot, window: MainWindow, unsaved_answers) -> None:
    from cmplanner.i18n import set_language

    set_language("fr")
    box_texts: list[tuple[str, list[str]]] = []

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                box_texts.append((widget.text(), [b.text() for b in widget.buttons()]))

    editor = editors.work(window)
    editor.setWindowTitle("Temps passé en ligne")
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, look)
    unsaved_answers.plan("keep")
    assert ask_unsaved(editor) == "keep"
    text, buttons = box_texts[0]
    assert text == "Enregistrer les modifications de « Temps passé en ligne » ?"
    assert sorted(buttons) == ["Abandonner", "Continuer la saisie", "Enregistrer"]


# --- quitting with an editor open ---------------------------------------------------------------


@pytest.fixture
def own_window(qtbot, demo_path, frozen_clock: dt.datetime) -> MainWindow:
    """A window on its own database: closing it closes the database, read again after."""
    from tests.ui.conftest import show_window

    return show_window(qtbot, Database.open(demo_path))


def notes_saved(path: Any) -> bool:
    db = Database.open(path)
    try:
        return _first_contact(db, None)
    finally:
        db.close()


def test_quitting_asks_for_an_editor_with_changes(qtbot, own_window, unsaved_answers) -> None:
    win = own_window
    path = win.db.path
    editor = editors.contact_editor(win)
    _contact(qtbot, editor)

    unsaved_answers.plan("keep")
    win.close()
    assert win.isVisible() and editor.isVisible()  # quitting was called off
    assert TYPED in editor.notes.toPlainText()

    unsaved_answers.plan("save")
    win.close()
    assert not win.isVisible()
    assert unsaved_answers.asked == ["Save the changes made in “Edit contact”?"] * 2
    assert notes_saved(path)


def test_quitting_and_discarding_writes_nothing(qtbot, own_window, unsaved_answers) -> None:
    win = own_window
    path = win.db.path
    editor = editors.contact_editor(win)
    _contact(qtbot, editor)
    unsaved_answers.plan("discard")
    win.close()
    assert not win.isVisible() and not editor.isVisible()
    assert not notes_saved(path)


def test_quitting_with_an_unchanged_editor_does_not_ask(qtbot, own_window, unsaved_answers) -> None:
    editors.event_editor(own_window)
    own_window.close()
    assert not own_window.isVisible()
    assert unsaved_answers.asked == []
