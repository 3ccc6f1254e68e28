"""Every item of every menu has an Alt letter (a mnemonic, "&File"), and no two items of one
menu share theirs, in English and in French: the menu bar in each section, and the context
menus of the lists, tables and buttons, each shown as a person opens it."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QMenu, QMenuBar

from tests.ui import editors
from ui.calendar.look import OccurrenceRole
from ui.kit import menu_keys
from ui.kit.menu_keys import mnemonic
from ui.shell.main_window import MainWindow
from ui.shell.sections import SECTION_KEYS


@pytest.fixture(autouse=True)
def keys(qapp: QApplication) -> None:
    menu_keys.install(qapp)


def letter_problems(where: str, actions: list[Any]) -> list[str]:
    """Items without an Alt letter, and letters used twice, among `actions`."""
    problems = []
    first: dict[str, str] = {}
    for action in actions:
        if action.isSeparator() or not action.isVisible():
            continue
        text = action.text()
        letter = mnemonic(text)
        if letter is None:
            problems.append(f"{where}: {text!r} has no Alt letter")
        elif letter in first:
            problems.append(f"{where}: {first[letter]!r} and {text!r} share {letter!r}")
        else:
            first[letter] = text
    return problems


def menu_problems(where: str, menu: QMenu) -> list[str]:
    """Show `menu` as a person opens it (its submenus too): what is wrong with its letters.
    An empty menu (a list's, on no row) is not shown at all."""
    menu.popup(QPoint(0, 0))  # a menu filled as it opens is filled now
    if menu.isEmpty():
        return []
    assert menu.isVisible(), where
    problems = letter_problems(where, menu.actions())
    for action in menu.actions():
        submenu = action.menu()
        if action.isVisible() and submenu is not None:
            problems += menu_problems(f"{where} ▸ {action.text()}", submenu)
    menu.hide()
    return problems


def bar_problems(window: MainWindow, where: str) -> list[str]:
    bar: QMenuBar = window.menuBar()
    problems = letter_problems(f"{where} menu bar", bar.actions())
    for action in bar.actions():
        problems += menu_problems(f"{where} {action.text()}", action.menu())
    return problems


@pytest.mark.parametrize("language", ["en", "fr"], indirect=True)
def test_the_menu_bar_has_one_letter_per_item_in_every_section(
    qtbot, language: str, window: MainWindow
) -> None:
    problems: list[str] = []
    for key in SECTION_KEYS:  # Ctrl+N and Ctrl+P say what they make in each
        window.show_section(key)
        problems += bar_problems(window, f"[{key}]")
    assert not problems, "\n".join(dict.fromkeys(problems))


@pytest.mark.parametrize("language", ["en", "fr"], indirect=True)
def test_the_context_menus_have_one_letter_per_item(
    qtbot, language: str, window: MainWindow
) -> None:
    problems: list[str] = []
    for key in ("contacts", "organizations", "communities", "events", "tasks"):
        window.show_section(key)
        view = window.view(key)
        qtbot.waitUntil(lambda view=view: view.row_count() > 2)
        for rows in (0, 1, 2):  # none (a new one), one, two selected
            view.table.clearSelection()
            view._restore_selection(view.model.ids()[:rows])
            problems += menu_problems(f"{key}, {rows} rows", view.row_menu())
        problems += menu_problems(f"{key} columns", view.column_menu())

    contacts = window.view("contacts")
    window.show_section("contacts")
    for panel_list in (contacts.drop_panel.community_list, contacts.drop_panel.tag_list):
        qtbot.waitUntil(lambda panel_list=panel_list: panel_list.model().rowCount() > 0)
        menu = contacts.drop_panel_menu(panel_list, panel_list.model().index(0, 0))
        problems += menu_problems("contacts' side panel", menu)

    window.show_section("dashboard")
    problems += menu_problems("dashboard export", window.view("dashboard").export_button.menu())
    window.show_section("events")
    problems += menu_problems("events' More", window.view("events").more_button.menu())

    window.show_section("calendar")
    calendar = window.view("calendar")
    problems += menu_problems("calendar export", calendar.export_button.menu())
    calendar.agenda_button.click()
    model = calendar.agenda_model
    qtbot.waitUntil(lambda: model.rowCount() > 3)
    occurrences = [
        o for r in range(model.rowCount()) if (o := model.index(r, 0).data(OccurrenceRole))
    ]
    calendar.show_occurrence_menu(occurrences[:1], QPoint(0, 0))
    problems += menu_problems("a date's menu", calendar.menu)
    calendar.show_occurrence_menu(occurrences[:3], QPoint(0, 0))  # a busy day's
    problems += menu_problems("a busy day's menu", calendar.menu)

    window.commands["manage_tags"].trigger()
    manage = window.manage_dialog
    qtbot.waitUntil(lambda: manage.model.rowCount() > 0)
    problems += menu_problems("Manage tags", manage.record_menu())
    manage.close()

    editor = editors.event_editor(window)
    guests = editor.guests_panel
    problems += menu_problems("invite a group", guests.group_button.menu())
    qtbot.waitUntil(lambda: guests.model.rowCount() > 1)
    guests.table.selectRow(0)
    guests._row_menu(guests.table.visualRect(guests.proxy.index(0, 0)).center())
    problems += menu_problems("a guest", guests.row_menu)
    templates = editor.checklist.template_menu
    problems += menu_problems("checklist templates", templates)
    assert len(templates.actions()) > 2  # the kinds of events, made from data
    assert not problems, "\n".join(dict.fromkeys(problems))


def test_an_item_made_from_data_gets_a_free_letter_others_keep_theirs(qtbot) -> None:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QWidget

    owner = QWidget()
    qtbot.addWidget(owner)
    menu = QMenu(owner)
    shared = QAction("Names", owner)  # an action of the app's, written without a letter
    menu.addAction(shared)
    menu.addAction("&Nothing")
    for title in ("Name", "Notes", "R&&D", "Rêve", "Peut-être"):
        menu.addAction(title)  # column titles, say
    menu.popup(QPoint(0, 0))
    assert [a.text() for a in menu.actions()] == [
        "Names",
        "&Nothing",
        "N&ame",
        "N&otes",
        "&R&&D",
        "Rê&ve",  # an ASCII letter rather than an accented one
        "&Peut-être",
    ]
    menu.hide()
