"""The keyboard as Thunderbird users expect it: Ctrl+N makes a new record of the section on
screen (a new database is Ctrl+Shift+N), Ctrl+P previews the selection's document, Ctrl+1…7
switch sections, Ctrl+F finds, F1 helps; every key does one thing wherever the focus is, and
the menus show them. A new record is selected in its list."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction, QShortcut, QUndoCommand
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QWidget

from tests.ui import editors
from ui.communities.editor import CommunityEditor
from ui.contacts.editor import ContactEditor
from ui.events.editor import EventEditor
from ui.kit.listing_view import ListingView
from ui.organizations.editor import OrganizationEditor
from ui.shell.main_window import MainWindow
from ui.shell.sections import SECTION_KEYS, SECTIONS

CTRL = Qt.KeyboardModifier.ControlModifier


def press(qtbot: Any, window: MainWindow, key: Qt.Key, modifier: Any = CTRL) -> None:
    target = QApplication.focusWidget()
    if target is None or target.window() is not window:
        target = window
    qtbot.keyClick(target, key, modifier)


def shown(qtbot: Any, window: MainWindow, key: str) -> Any:
    window.show_section(key)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view = window.current_view()
    view.setFocus()
    return view


def select(view: Any, record_id: int) -> None:
    index = view.model.index(view.model.ids().index(record_id), 0)
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
    view.table.selectionModel().select(index, flags | QItemSelectionModel.SelectionFlag.Rows)


# --- Ctrl+N ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "editor_class", "lands_on"),
    [
        ("dashboard", ContactEditor, "contacts"),
        ("contacts", ContactEditor, "contacts"),
        ("organizations", OrganizationEditor, "organizations"),
        ("communities", CommunityEditor, "communities"),
        ("events", EventEditor, "events"),
        ("calendar", EventEditor, "calendar"),
    ],
)
def test_ctrl_n_opens_a_new_record_of_the_section(
    qtbot, window: MainWindow, section: str, editor_class: type, lands_on: str
) -> None:
    shown(qtbot, window, section)
    press(qtbot, window, Qt.Key.Key_N)
    editor = QApplication.activeModalWidget() or next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, editor_class) and w.isVisible()
    )
    assert isinstance(editor, editor_class)
    assert editor.windowTitle().startswith("New")
    assert window.current_key() == lands_on


def test_ctrl_n_in_tasks_asks_for_a_new_task(qtbot, window: MainWindow) -> None:
    from ui.checklists.view import TaskDialog

    shown(qtbot, window, "tasks")
    opened: list[QWidget] = []

    def close_it() -> None:
        dialog = QApplication.activeModalWidget()
        opened.append(dialog)
        if isinstance(dialog, QDialog):
            dialog.reject()

    QTimer.singleShot(50, close_it)
    press(qtbot, window, Qt.Key.Key_N)
    assert isinstance(opened[0], TaskDialog)


def test_a_new_database_is_ctrl_shift_n(qtbot, window: MainWindow, monkeypatch) -> None:
    from ui.kit import file_dialogs

    asked: list[str] = []

    def cancelled(parent: Any, title: str, *args: Any, **kwargs: Any) -> str:
        asked.append(title)
        return ""

    monkeypatch.setattr(file_dialogs, "save_file_name", cancelled)
    shown(qtbot, window, "contacts")
    press(qtbot, window, Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert asked == ["New database"]


def test_the_menu_names_what_ctrl_n_makes(qtbot, window: MainWindow) -> None:
    texts = {}
    for key in SECTION_KEYS:
        shown(qtbot, window, key)
        texts[key] = window.commands["new_item"].text()
    assert texts["contacts"] == texts["dashboard"] == "&New contact…"
    assert texts["events"] == texts["calendar"] == "&New event…"
    assert texts["organizations"] == "&New organization…"
    assert texts["communities"] == "&New community…"
    assert texts["tasks"] == "&New task…"


# --- a new record is selected -------------------------------------------------------------------


def test_a_new_contact_is_selected_and_shown_in_the_list(qtbot, window: MainWindow) -> None:
    view = shown(qtbot, window, "contacts")
    before = set(view.model.ids())
    select(view, view.model.ids()[0])
    editor = editors.new_contact_editor(window)
    editor.given_name.setText("Aaron")
    editor.family_name.setText("Zzyzx")  # last in the list, sorted by family name
    editor.save()
    qtbot.waitUntil(lambda: len(view.selected_ids()) == 1 and view.selected_ids()[0] not in before)
    new_id = view.selected_ids()[0]
    assert view.names_of([new_id])[new_id] == "Aaron Zzyzx"
    assert view.table.currentIndex().row() == view.model.ids().index(new_id)
    last = view.table.visualRect(view.table.currentIndex())
    assert view.table.viewport().rect().intersects(last)  # scrolled to


@pytest.mark.parametrize(
    ("section", "fill"),
    [
        ("organizations", lambda e: e.name.setText("Zzyzx association")),
        ("communities", lambda e: e.name.setText("Zzyzx club")),
        ("events", lambda e: e.title.setText("Zzyzx night")),
    ],
)
def test_a_new_record_is_selected_in_its_list(
    qtbot, window: MainWindow, section: str, fill: Any
) -> None:
    view = shown(qtbot, window, section)
    before = set(view.model.ids())
    view.new_record()
    editor = view.editor
    fill(editor)
    editor.accept()
    qtbot.waitUntil(lambda: set(view.model.ids()) - before != set())
    (new_id,) = set(view.model.ids()) - before
    qtbot.waitUntil(lambda: view.selected_ids() == [new_id])


# --- Ctrl+P ------------------------------------------------------------------------------------


def test_ctrl_p_previews_the_brief_of_the_selected_event(qtbot, window: MainWindow) -> None:
    view = shown(qtbot, window, "events")
    view.table.clearSelection()
    assert not window.commands["preview"].isEnabled()  # nothing chosen: nothing to preview
    select(view, editors.WORKSHOP)
    assert window.commands["preview"].isEnabled()
    assert window.commands["preview"].text() == "Pre&view the event brief…"
    press(qtbot, window, Qt.Key.Key_P)
    assert view.preview.windowTitle().startswith("Event brief — Atelier")
    view.preview.close()


def test_ctrl_p_previews_the_dossier_of_the_selected_community(qtbot, window: MainWindow) -> None:
    view = shown(qtbot, window, "communities")
    first = view.model.ids()[0]
    select(view, first)
    press(qtbot, window, Qt.Key.Key_P)
    assert view.preview.windowTitle() == "Handover dossier — " + view.community_name(first)
    view.preview.close()


@pytest.mark.parametrize("section", ["dashboard", "contacts", "organizations", "tasks"])
def test_ctrl_p_is_off_where_there_is_no_document(qtbot, window: MainWindow, section: str) -> None:
    view = shown(qtbot, window, section)
    if isinstance(view, ListingView) and view.row_count():
        select(view, view.model.ids()[0])
    assert not window.commands["preview"].isEnabled()


# --- sections, search, help ----------------------------------------------------------------


def test_ctrl_1_to_7_switch_sections_in_sidebar_order(qtbot, window: MainWindow) -> None:
    shown(qtbot, window, "dashboard")
    for number, (key, _label, _where) in enumerate(SECTIONS, start=1):
        press(qtbot, window, getattr(Qt.Key, f"Key_{number}"))
        assert window.current_key() == key


@pytest.mark.parametrize("section", ["contacts", "organizations", "communities", "events", "tasks"])
def test_ctrl_f_goes_to_the_search_field(qtbot, window: MainWindow, section: str) -> None:
    view = shown(qtbot, window, section)
    view.table.setFocus()
    press(qtbot, window, Qt.Key.Key_F)
    qtbot.waitUntil(view.search.hasFocus)


def test_f1_opens_the_help_with_the_keys(qtbot, window: MainWindow) -> None:
    shown(qtbot, window, "contacts")
    press(qtbot, window, Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier)
    help_ = window.help_dialog
    assert help_.isVisible()
    text = help_.text.toPlainText()
    for keys, what in (("Ctrl+N", "New contact"), ("Ctrl+P", "Preview"), ("Ctrl+S", "Save")):
        assert keys in text and what in text
    assert "+7 (in seven days), -1, tomorrow, Thursday" in text
    help_.close()


def test_every_shortcut_is_in_a_menu(window: MainWindow) -> None:
    in_menus: set[QAction] = set()

    def collect(menu: QMenu) -> None:
        for action in menu.actions():
            in_menus.add(action)
            if action.menu() is not None:
                collect(action.menu())

    for action in window.menuBar().actions():
        collect(action.menu())
    for name, action in window.commands.items():
        if not action.shortcut().isEmpty():
            assert action in in_menus, name


# --- no key does two things ------------------------------------------------------------------


def _owners(action: QAction) -> list[QWidget]:
    """The widgets an action listens on: a menu's actions listen where the menu is (the
    menu bar), not in the closed menu itself."""
    found = []
    for owner in action.associatedObjects():
        if isinstance(owner, QMenu):
            found += _owners(owner.menuAction())
        elif isinstance(owner, QWidget):
            found.append(owner)
    return found


def _listens(context: Qt.ShortcutContext, owner: QWidget, focus: QWidget, window: QWidget) -> bool:
    """Whether a shortcut of `owner` in `context` listens when `focus` has the focus (as
    Qt's shortcut map decides)."""
    if not owner.isVisible() or owner.window() is not window:
        return False
    if context == Qt.ShortcutContext.WidgetShortcut:
        return owner is focus
    if context == Qt.ShortcutContext.WidgetWithChildrenShortcut:
        return owner is focus or owner.isAncestorOf(focus)
    return True  # the window's (or the application's)


def active_keys(window: MainWindow, focus: QWidget) -> dict[str, list[str]]:
    """Each key and what listens to it when `focus` has the focus."""
    found: dict[str, list[str]] = defaultdict(list)
    for action in window.findChildren(QAction):
        if not shiboken6.isValid(action) or not action.isEnabled():
            continue
        if any(_listens(action.shortcutContext(), o, focus, window) for o in _owners(action)):
            for key in action.shortcuts():
                if not key.isEmpty():
                    found[key.toString()].append(action.text())
    for shortcut in window.findChildren(QShortcut):
        owner = shortcut.parent()
        if shortcut.isEnabled() and _listens(shortcut.context(), owner, focus, window):
            found[shortcut.key().toString()].append(f"shortcut on {owner.objectName()}")
    return found


def test_no_key_does_two_things_in_any_section(qtbot, window: MainWindow) -> None:
    view = shown(qtbot, window, "contacts")
    assert active_keys(window, view.table)["Ctrl+N"] == ["&New contact…"]  # the model sees them
    for key in SECTION_KEYS:
        view = shown(qtbot, window, key)
        qtbot.wait(10)
        places = [w for w in view.findChildren(QWidget) if w.isVisible() and w.focusPolicy()]
        for focus in [view, *places]:
            clashes = {k: v for k, v in active_keys(window, focus).items() if len(v) > 1}
            assert clashes == {}, f"{key}, focus on {focus.objectName() or type(focus).__name__}"


def test_pressing_the_new_keys_is_never_ambiguous(qtbot, window: MainWindow, qtlog) -> None:
    def close_modal() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            dialog.reject()

    closer = QTimer()
    closer.timeout.connect(close_modal)
    closer.start(20)
    keys = [Qt.Key.Key_N, Qt.Key.Key_F, Qt.Key.Key_P, Qt.Key.Key_1, Qt.Key.Key_7]
    for section in SECTION_KEYS:
        for key in keys:
            shown(qtbot, window, section)
            press(qtbot, window, key)
            editors_open = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
            for widget in editors_open:
                if widget is not window and isinstance(widget, QDialog):
                    widget.reject()
    closer.stop()
    messages = [r.message for r in qtlog.records]
    assert not [m for m in messages if "Ambiguous shortcut" in m], messages


def test_ctrl_z_in_a_search_box_with_nothing_typed_undoes_the_last_change(
    qtbot, window: MainWindow
) -> None:
    """A search box has the focus after most commands: with nothing of its own to undo,
    Ctrl+Z is Edit ▸ Undo; once something is typed in it, Ctrl+Z takes the typing back."""
    view = shown(qtbot, window, "organizations")
    done: list[str] = []
    window.undo_stack.push(_Change(done))
    view.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
    qtbot.waitUntil(view.search.hasFocus)
    qtbot.keyClicks(view.search, "x")
    qtbot.keyClick(view.search, Qt.Key.Key_Z, CTRL)
    assert view.search.text() == "" and done == ["redo"]  # the typing, only
    qtbot.keyClick(view.search, Qt.Key.Key_Z, CTRL)
    assert done == ["redo", "undo"]  # nothing left to undo in the box: the change


class _Change(QUndoCommand):
    """A change that notes when it is made and undone."""

    def __init__(self, done: list[str]) -> None:
        super().__init__("change")
        self.done = done

    def redo(self) -> None:
        self.done.append("redo")

    def undo(self) -> None:
        self.done.append("undo")
