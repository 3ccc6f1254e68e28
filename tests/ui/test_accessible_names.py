"""A screen reader names every control: walked with focusNextChild (as onionshare's tests
do) through the main window's sections and every editor and dialog the laptop test opens,
each widget that takes the focus has a non-empty accessible name, the one Qt hands AT-SPI."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QTabWidget,
    QWidget,
)

from tests.ui.test_laptop_screen import Opener, _openers, look_at_what_opens
from ui.shell.main_window import MainWindow
from ui.shell.sections import SECTION_KEYS


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def describe(widget: QWidget) -> str:
    text = getattr(widget, "text", None)
    label = text() if callable(text) and isinstance(text(), str) else ""
    parents = []
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if parent.objectName():
            parents.append(parent.objectName())
        parent = parent.parentWidget()
    return f"{type(widget).__name__}({widget.objectName() or label!r} in {'/'.join(parents)})"


def focus_walk(window: QWidget) -> list[QWidget]:
    """Every widget focusNextChild stops at, from the window's first, until it comes back."""
    seen: list[QWidget] = []
    window.focusNextChild()
    for _step in range(400):
        now = window.focusWidget()
        if now is None or now in seen:
            break
        seen.append(now)
        window.focusNextChild()
    return seen


def known_by_value(widget: QWidget, said: str) -> bool:
    """A combo box a screen reader knows only by its current choice. On Linux Qt names a
    combo box after it ("Apéro", "Any tag") and says what it is for by a relation to a
    label whose buddy it is, as GTK does: a combo box needs that label."""
    if isinstance(widget, QLineEdit) and isinstance(widget.parentWidget(), QComboBox):
        return not widget.accessibleName() and said == widget.text().strip()
    if not isinstance(widget, QComboBox):
        return False
    interface = QAccessible.queryAccessibleInterface(widget)
    relations = interface.relations(QAccessible.RelationFlag.Label) if interface else []
    return not any(target.text(QAccessible.Text.Name).strip() for target, _flag in relations)


def focusable(window: QWidget) -> list[QWidget]:
    """What AT-SPI says is focusable on screen: any focus policy, a click's or Tab's, even
    behind a focus proxy (a spin box's line edit is the box; an editable combo's is its own
    object)."""
    found = []
    for widget in window.findChildren(QWidget):
        if widget.isWindow() or not widget.isVisibleTo(window):
            continue
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if isinstance(widget.parentWidget(), QAbstractSpinBox):
            continue
        found.append(widget)
    return found


def unnamed(window: QWidget, where: str) -> list[str]:
    """Each focusable widget of `window` (on every page of its tabs) with no name."""
    found: dict[int, str] = {}

    def look() -> None:
        for widget in [*focus_walk(window), *focusable(window)]:
            if isinstance(widget.parentWidget(), QAbstractSpinBox):
                widget = widget.parentWidget()
            said = accessible_name(widget)
            if not any(c.isalnum() for c in said):  # none, or a symbol ("✕", "‹")
                found[id(widget)] = f"{where}: {describe(widget)} is called {said!r}"
            elif known_by_value(widget, said):
                found[id(widget)] = f"{where}: {describe(widget)} is only known as {said!r}"

    look()
    for tabs in window.findChildren(QTabWidget):
        if not tabs.isVisibleTo(window):
            continue
        current = tabs.currentIndex()
        for index in range(tabs.count()):
            if tabs.isTabEnabled(index):
                tabs.setCurrentIndex(index)
                look()
        tabs.setCurrentIndex(current)
    return list(found.values())


def test_every_section_names_its_controls(qtbot, window: MainWindow) -> None:
    window.show_section("contacts")
    walked = focus_walk(window)  # the walk reaches the section's fields, not only the menus
    assert {window.view("contacts").search, window.view("contacts").table} <= set(walked)
    problems = []
    for key in SECTION_KEYS:
        window.show_section(key)
        qtbot.wait(1)
        if key == "calendar":
            view = window.view(key)
            for mode in ("month", "week", "agenda"):
                view.set_mode(mode)
                problems += unnamed(window, f"{key} ({mode})")
        else:
            problems += unnamed(window, key)
    assert problems == [], "\n".join(problems)


def unnamed_in_what_opens(qtbot: Any, window: MainWindow, opener: Opener) -> list[str]:
    """Each control with no name in the windows `opener` opens."""
    return look_at_what_opens(
        qtbot,
        window,
        opener,
        lambda shown: [
            problem
            for each in shown
            for problem in unnamed(each, f"{opener.name}: {type(each).__name__}")
        ],
    )


def test_every_editor_and_dialog_names_its_controls(qtbot, window: MainWindow) -> None:
    problems: list[str] = []
    for opener in _openers():
        problems += unnamed_in_what_opens(qtbot, window, opener)
    assert problems == [], "\n".join(problems)


def accessible_description(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Description).strip() if interface is not None else ""


def test_controls_whose_label_says_too_little_are_described(window: MainWindow) -> None:
    """A search box says what it looks in, a filter what it keeps, the "not seen for" days
    what they count, a symbol button what it does."""
    window.show_section("contacts")
    contacts = window.view("contacts")
    bar = contacts.filter_bar
    described = [contacts.search, bar.tag, bar.community, bar.role, bar.kind, bar.city]
    described += [bar.birthday, bar.days]
    window.show_section("events")
    events = window.view("events")
    described += [events.search, events.filter_bar.date_from, events.filter_bar.date_to]
    window.show_section("tasks")
    tasks = window.view("tasks")
    described += [tasks.search, tasks.assignee_filter, tasks.event_filter, tasks.due_filter]
    missing = [describe(w) for w in described if not accessible_description(w)]
    assert missing == []
    assert accessible_name(bar.days) == "Days not seen"
    assert "not met for this many days" in accessible_description(bar.days)
    assert accessible_name(contacts.search) == "Search Contacts"
    assert accessible_name(contacts.table) == "Contacts"
    window.show_section("calendar")
    calendar = window.view("calendar")
    assert [accessible_name(calendar.previous_button), accessible_name(calendar.next_button)] == [
        "Previous",
        "Next",
    ]


def test_the_fields_shown_later_are_named_too(qtbot, window: MainWindow) -> None:
    """Fields that show only for a choice: each repeat pattern's and end's, the walk-in's
    at the door. And the two cards of a merge, which share a name, are told apart."""
    from ui.contacts.duplicates import MergeDialog
    from ui.events.checkin import open_checkin
    from ui.events.editor import EventEditor

    window.show_section("events")
    events = window.view("events")
    qtbot.waitUntil(lambda: events.row_count() > 0)
    events.new_record()
    editor = events.editor
    assert isinstance(editor, EventEditor)
    qtbot.waitUntil(editor.isVisible)
    editor.tabs.setCurrentIndex(1)
    rec = editor.recurrence
    problems = []
    for pattern in range(rec.pattern.count()):
        rec.pattern.setCurrentIndex(pattern)
        for ends in range(rec.ends.count()):
            rec.ends.setCurrentIndex(ends)
            problems += unnamed(editor, f"{rec.pattern.currentText()}, {rec.ends.currentText()}")
    editor.discard_and_close()

    door = open_checkin(events.model.ids()[0], db=window.db, parent=window)
    door.walk_in_form.show()
    door.new_person.show()
    problems += unnamed(door, "walk-in")
    door.close()
    assert problems == [], "\n".join(problems)

    merge = MergeDialog([(1, "Camille Martin", "a@example.org"), (2, "Camille Martin", "")])
    qtbot.addWidget(merge)
    assert [accessible_description(b) for b in merge.group.buttons()] == ["a@example.org", ""]
