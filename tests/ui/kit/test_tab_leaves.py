"""No list, table or text area keeps Tab: in every section of the main window and every editor,
each one on screen, given the focus, hands it on at Tab (the arrow keys move inside it), and a
text area does not take a tab character."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from tests.ui import editors
from ui.kit.focus_order import keep_reading_order
from ui.shell.main_window import MainWindow
from ui.shell.sections import SECTION_KEYS

KEEPERS = (QAbstractItemView, QPlainTextEdit, QTextEdit)


@pytest.fixture(autouse=True)
def keys(qapp: QApplication) -> None:
    """The app's Tab filter, as the main window installs it (before any window is made)."""
    keep_reading_order(qapp)


def _text(widget: QWidget) -> str:
    return widget.toPlainText() if isinstance(widget, QPlainTextEdit | QTextEdit) else ""


def kept_tab(qtbot, root: QWidget, where: str, tried: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """The lists, tables and text areas on screen under `root` that Tab does not leave (each
    one tried is added to `tried`)."""
    kept = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, KEEPERS) or not widget.isVisible() or not widget.isEnabled():
            continue
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:  # a header, a label's text
            continue
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(widget.hasFocus, timeout=2000)
        before = _text(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        name = f"{where}: {widget.accessibleName() or widget.objectName() or type(widget).__name__}"
        tried.append(name)
        if widget.hasFocus() or _text(widget) != before:
            kept.append(f"{name} keeps Tab")
    return kept


def on_every_page(qtbot, root: QWidget, where: str, tried: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """`kept_tab` on each page of `root`'s tabs in turn."""
    kept = kept_tab(qtbot, root, where, tried)
    for tabs in root.findChildren(QTabWidget):
        if not tabs.isVisible():
            continue
        for page in range(tabs.count()):
            if tabs.isTabEnabled(page):
                tabs.setCurrentIndex(page)
                page_name = f"{where} ▸ {tabs.tabText(page)}"
                kept += kept_tab(qtbot, tabs.widget(page), page_name, tried)
    return kept


def test_tab_leaves_every_list_and_text_area_of_the_sections(qtbot, window: MainWindow) -> None:
    kept: list[str] = []
    tried: list[str] = []
    for key in SECTION_KEYS:
        window.show_section(key)
        view = window.view(key)
        if hasattr(view, "row_count"):
            qtbot.waitUntil(lambda view=view: view.row_count() > 0)
        kept += on_every_page(qtbot, view, key, tried)
    assert not kept, "\n".join(kept)
    assert {t.split(":")[0] for t in tried} == set(SECTION_KEYS)  # a list in each, at least


@pytest.mark.parametrize("name", list(editors.ALL))
def test_tab_leaves_every_list_and_text_area_of_the_editors(
    qtbot, window: MainWindow, name: str
) -> None:
    open_editor: Callable[[MainWindow], QWidget] = editors.ALL[name]
    editor = open_editor(window)
    tried: list[str] = []
    kept = on_every_page(qtbot, editor, name, tried)
    assert not kept, "\n".join(kept)


def test_a_list_reached_by_tab_selects_the_row_it_outlines(qtbot, window: MainWindow) -> None:
    """Tab into a list with nothing selected: the row Qt makes current (and outlines) is the
    one selected, so Enter opens it and Down goes to the next."""
    window.show_section("contacts")
    view = window.view("contacts")
    qtbot.waitUntil(lambda: view.row_count() > 3)
    view.table.clearSelection()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view.search.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(view.search.hasFocus)
    for _control in range(20):
        if QApplication.focusWidget() is view.table:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    row = view.table.currentIndex().row()
    assert row >= 0  # outlined
    qtbot.waitUntil(lambda: view.selected_ids() == [view.model.ids()[row]])
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert view.selected_ids() == [view.model.ids()[row + 1]]
