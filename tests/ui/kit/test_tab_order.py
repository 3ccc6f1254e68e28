"""Tab goes through every editor in the order it reads, top to bottom and left to right, and
stops at every input: walked with the Tab key from the first field, page by page."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QPlainTextEdit,
    QTabWidget,
    QWidget,
)

from tests.ui import editors
from ui.shell.main_window import MainWindow


def rect_in(window: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def describe(window: QWidget, widget: QWidget) -> str:
    text = getattr(widget, "text", None)
    label = text() if callable(text) and isinstance(text(), str) else ""
    where = rect_in(window, widget).topLeft().toTuple()
    return f"{type(widget).__name__}({widget.objectName() or label!r})@{where}"


def inputs(window: QWidget) -> list[QWidget]:
    """What a person can reach with Tab on screen: visible, enabled, taking Tab focus (the
    line edit inside a spin box or a combo box is the box itself)."""
    found = []
    for widget in window.findChildren(QWidget):
        if widget.isWindow() or not widget.isVisible() or not widget.isEnabled():
            continue
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or widget.focusProxy():
            continue
        if isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox):
            continue
        found.append(widget)
    return found


def _under(ancestor: QWidget, widget: QWidget) -> QWidget:
    """The child of `ancestor` that holds `widget` (or `widget` itself)."""
    while widget.parentWidget() is not ancestor:
        widget = widget.parentWidget()
    return widget


def reads_before(window: QWidget, first: QWidget, second: QWidget) -> bool:
    """`second` comes after `first` in reading order. Boxes are read whole: the two are
    compared as the parts of their closest common container that hold them (a column of
    fields, then the column to its right). Of two parts on the same line, the right one
    comes after; else the lower one."""
    common = first.parentWidget()
    while not common.isAncestorOf(second):
        common = common.parentWidget()
    first, second = _under(common, first), _under(common, second)
    a, b = rect_in(window, first), rect_in(window, second)
    overlap = min(a.bottom(), b.bottom()) - max(a.top(), b.top())
    if overlap >= min(a.height(), b.height()) / 2:  # the same line
        return b.left() > a.left()
    return b.top() > a.top()


def walk(qtbot: Any, window: QWidget, start: QWidget) -> list[QWidget]:
    """Press Tab from `start` until the focus comes back to it."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    seen = [start]
    for _press in range(200):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        if now is start:
            return seen
        assert now is not None and now.window() is window, "Tab left the editor"
        if now in seen:
            break
        seen.append(now)
    raise AssertionError(
        "Tab never came back to the first field: "
        + " → ".join(describe(window, w) for w in [*seen, QApplication.focusWidget()])
    )


def pages(editor: QWidget) -> list[tuple[QTabWidget | None, int]]:
    tabs = [t for t in editor.findChildren(QTabWidget) if t.isVisibleTo(editor)]
    if not tabs:
        return [(None, 0)]
    return [(tabs[0], i) for i in range(tabs[0].count()) if tabs[0].isTabEnabled(i)]


@pytest.mark.parametrize("name", list(editors.ALL))
def test_tab_follows_the_reading_order_and_reaches_every_input(
    qtbot, window: MainWindow, name: str
) -> None:
    editor = editors.ALL[name](window)
    qtbot.waitExposed(editor)
    for tabs, index in pages(editor):
        if tabs is not None:
            tabs.setCurrentIndex(index)
            qtbot.wait(1)
        reachable = inputs(editor)
        first = min(reachable, key=lambda w: (rect_in(editor, w).top(), rect_in(editor, w).left()))
        order = walk(qtbot, editor, first)
        page = tabs.tabText(index) if tabs is not None else ""
        names = [describe(editor, w) for w in order]
        missed = [describe(editor, w) for w in reachable if w not in order]
        assert missed == [], f"{name} {page}: Tab never reaches {missed} ({names})"
        for before, after in itertools.pairwise(order):
            assert reads_before(editor, before, after), (
                f"{name} {page}: Tab goes from {describe(editor, before)} back to "
                f"{describe(editor, after)} ({names})"
            )


def test_tab_in_a_note_moves_on_instead_of_typing_a_tab(qtbot, window: MainWindow) -> None:
    editor = editors.community_editor(window)
    objective = editor.objective
    assert isinstance(objective, QPlainTextEdit)
    before = objective.toPlainText()
    objective.setFocus()
    qtbot.waitUntil(objective.hasFocus)
    qtbot.keyClick(objective, Qt.Key.Key_Tab)
    assert objective.toPlainText() == before  # no tab character typed
    assert QApplication.focusWidget() is editor.target  # the next field: Target population


def test_a_row_added_later_takes_its_place_in_the_order(qtbot, window: MainWindow) -> None:
    editor = editors.contact_editor(window)
    editor.phones.add_button.click()  # a second phone, between the phones and the addresses
    new = editor.phones.rows[-1].edit
    qtbot.waitUntil(new.isVisible)  # a new row shows on the next turn of the event loop
    before = editor.phones.rows[-2].edit
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)
    for _press in range(3):  # its remove button, the new row's label, then its number
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is new
