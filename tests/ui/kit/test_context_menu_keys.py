"""The Menu key and Shift+F10 open a list's or a table's context menu at its current row, and
the menu acts on that row: a row chosen with the arrow keys, the menu opened, an item chosen
with Down and Return, as a person does without a mouse; Escape closes it and the list has the
focus again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMenu

from cmplanner.services import vocabulary
from tests.ui import editors
from tests.ui.kit.test_named_records import type_name, when_modal
from ui.kit import menu_keys
from ui.shell.main_window import MainWindow

SHIFT_F10 = (Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
MENU_KEY = (Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier)


@pytest.fixture(autouse=True)
def keys(qapp: QApplication) -> None:
    """The app's keyboard filter, as ui/shell/app.py installs it (before any window is made)."""
    menu_keys.install(qapp)


def choose_row(qtbot, view: QAbstractItemView, downs: int) -> int:  # type: ignore[no-untyped-def]
    """Give `view` the focus and go `downs` rows down with the arrow key: the row chosen."""
    view.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view.window())
    view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(view.hasFocus)
    start = view.currentIndex().row()
    for _down in range(downs):
        qtbot.keyClick(view, Qt.Key.Key_Down)
    row = view.currentIndex().row()
    assert row == max(start, 0) + downs or (start < 0 and row == downs - 1)
    assert [i.row() for i in view.selectionModel().selectedRows()] == [row]
    return row


def _on_screen(view: QAbstractItemView, rect: QRect) -> QRect:
    return QRect(view.viewport().mapToGlobal(rect.topLeft()), rect.size())


def with_menu(  # type: ignore[no-untyped-def]
    qtbot, view: QAbstractItemView, key: tuple[Any, Any], then: Callable[[QMenu], None]
) -> dict[str, Any]:
    """Press `key` in `view`; once its menu shows, note it and do `then` with it. Returns
    the menu's place and texts, and where the current row was."""
    seen: dict[str, Any] = {"row": _on_screen(view, view.visualRect(view.currentIndex()))}

    def look() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu) or not menu.isVisible():
            QTimer.singleShot(10, look)  # opened once the key's event is over
            return
        seen["place"] = menu.geometry()
        seen["texts"] = [a.text() for a in menu.actions() if not a.isSeparator()]
        then(menu)
        seen["done"] = True

    QTimer.singleShot(0, look)
    qtbot.keyClick(view, *key)
    qtbot.waitUntil(lambda: "done" in seen)
    return seen


def at_row(seen: dict[str, Any]) -> bool:
    """The menu opened at the current row (below it, or above when there is no room)."""
    row: QRect = seen["row"]
    place: QRect = seen["place"]
    return row.contains(place.topLeft()) or row.contains(place.bottomLeft() + QPoint(0, -1))


def typed(*keys: Qt.Key) -> Callable[[QMenu], None]:
    """Type `keys` in the menu."""

    def type_in(menu: QMenu) -> None:
        for key in keys:
            QTest.keyClick(menu, key)

    return type_in


escape = typed(Qt.Key.Key_Escape)
first_item = typed(Qt.Key.Key_Down, Qt.Key.Key_Return)


def closes_back_to(qtbot, view: QAbstractItemView, key: tuple[Any, Any]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Open the menu with `key`, close it with Escape: the list has the focus again."""
    seen = with_menu(qtbot, view, key, escape)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    assert view.window().focusWidget() is view
    # Offscreen Qt leaves the closed menu the active window; a desktop gives it back.
    view.window().activateWindow()
    qtbot.waitUntil(view.hasFocus)
    return seen


def test_a_contact_s_menu_from_the_keyboard_edits_the_chosen_contact(
    qtbot, window: MainWindow
) -> None:
    window.show_section("contacts")
    view = window.view("contacts")
    qtbot.waitUntil(lambda: view.row_count() > 5)
    row = choose_row(qtbot, view.table, 3)
    contact = view.model.id_at(row)
    seen = closes_back_to(qtbot, view.table, SHIFT_F10)
    assert at_row(seen), seen
    assert seen["texts"][0] == "&Edit…"
    assert view.selected_ids() == [contact]

    seen = with_menu(qtbot, view.table, MENU_KEY, first_item)
    assert at_row(seen), seen
    qtbot.waitUntil(lambda: getattr(view, "editor", None) is not None and view.editor.isVisible())
    assert view.editor.details.id == contact


def test_an_event_s_menu_from_the_keyboard_opens_the_chosen_event(
    qtbot, window: MainWindow
) -> None:
    window.show_section("events")
    view = window.view("events")
    qtbot.waitUntil(lambda: view.row_count() > 5)
    row = choose_row(qtbot, view.table, 4)
    event = view.model.id_at(row)
    seen = closes_back_to(qtbot, view.table, MENU_KEY)
    assert at_row(seen), seen

    seen = with_menu(qtbot, view.table, SHIFT_F10, first_item)
    assert at_row(seen), seen
    qtbot.waitUntil(lambda: getattr(view, "editor", None) is not None and view.editor.isVisible())
    assert view.editor.event_id == event


def test_a_guest_s_menu_from_the_keyboard_removes_the_chosen_guest(
    qtbot, window: MainWindow
) -> None:
    editor = editors.event_editor(window)
    panel = editor.guests_panel
    editor.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.model.rowCount() > 3)
    row = choose_row(qtbot, panel.table, 2)
    name = panel.table.model().index(row, 0).data()
    seen = closes_back_to(qtbot, panel.table, SHIFT_F10)
    assert at_row(seen), seen

    remove = typed(Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Return)  # Answer ▸, Remove
    guests = lambda: [  # noqa: E731
        panel.table.model().index(r, 0).data() for r in range(panel.table.model().rowCount())
    ]
    assert name in guests()
    seen = with_menu(qtbot, panel.table, MENU_KEY, remove)
    assert at_row(seen), seen
    assert seen["texts"][-1] == "&Remove from the Guests"
    qtbot.waitUntil(lambda: name not in guests())


def test_a_tag_s_menu_from_the_keyboard_renames_the_chosen_tag(qtbot, window: MainWindow) -> None:
    window.commands["manage_tags"].trigger()
    dialog = window.manage_dialog
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 5)
    row = choose_row(qtbot, dialog.list, 2)
    tag = dialog.model.records[row]
    seen = closes_back_to(qtbot, dialog.list, MENU_KEY)
    assert at_row(seen), seen

    def rename(menu: QMenu) -> None:
        when_modal(type_name(tag.name + " (renamed)"))
        first_item(menu)  # Rename…

    seen = with_menu(qtbot, dialog.list, SHIFT_F10, rename)
    assert at_row(seen), seen
    assert seen["texts"][0] == "&Rename…"
    assert tag.name + " (renamed)" in [t.name for t in vocabulary.tags(window.db)]


def test_the_contacts_side_panel_s_menu_opens_at_its_current_community(
    qtbot, window: MainWindow
) -> None:
    window.show_section("contacts")
    panel = window.view("contacts").drop_panel.community_list
    qtbot.waitUntil(lambda: panel.model().rowCount() > 2)
    choose_row(qtbot, panel, 2)
    seen = closes_back_to(qtbot, panel, SHIFT_F10)
    assert at_row(seen), seen
    assert seen["texts"][:3] == ["&Rename…", "&Merge into…", "&Delete…"]


def test_the_keys_open_a_plain_widget_s_menu_in_its_middle_not_its_corner(
    qtbot, window: MainWindow
) -> None:
    window.show_section("contacts")
    search = window.view("contacts").search
    target, place = menu_keys.menu_place(search)
    assert target is search and search.rect().contains(place)
    assert place != QPoint(0, 0)


def test_the_menu_acts_on_the_current_row_even_when_ctrl_moved_past_the_selection(
    qtbot, window: MainWindow
) -> None:
    window.show_section("contacts")
    view = window.view("contacts")
    qtbot.waitUntil(lambda: view.row_count() > 5)
    row = choose_row(qtbot, view.table, 1)
    for _down in range(2):  # Ctrl+Down moves the current row, not the selection
        qtbot.keyClick(view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    current = view.table.currentIndex().row()
    assert current == row + 2 and view.selected_ids() == [view.model.id_at(row)]
    seen = closes_back_to(qtbot, view.table, MENU_KEY)
    assert at_row(seen), seen
    assert view.selected_ids() == [view.model.id_at(current)]  # as a right-click selects


def test_the_help_says_how_to_open_a_menu_from_the_keyboard(window: MainWindow) -> None:
    from ui.shell.help import help_html

    page = help_html(window.commands)
    assert "Shift+F10" in page and "Menu" in page
    assert "The menu of the current row" in page
