"""Tab goes through every section of the main window and every dialog in the order a person
reads them, and reaches every control on screen: walked with the Tab key (Qt's
focusNextChild) from the first control until the focus comes back to it."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QTabBar,
    QTabWidget,
    QWidget,
)

from tests.ui.kit.test_tab_order import describe, inputs, reads_before
from tests.ui.test_laptop_screen import Opener, _openers, look_at_what_opens
from ui.shell.main_window import MainWindow
from ui.shell.sections import SECTION_KEYS

SECTIONS = [(key, None) for key in SECTION_KEYS if key != "calendar"] + [
    ("calendar", mode) for mode in ("month", "week", "agenda")
]


def tab_walk(window: QWidget, start: QWidget) -> list[QWidget]:
    """Press Tab from `start` until the focus comes back to it (or repeats itself)."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    seen = [start]
    for _press in range(300):
        focus = QApplication.focusWidget()
        assert focus is not None, f"Tab lost the focus after {describe(window, seen[-1])}"
        QApplication.sendEvent(focus, _tab())
        QApplication.processEvents()
        now = QApplication.focusWidget()
        if now is start:
            return seen
        if now is seen[-1]:
            continue  # Tab goes to the next link of a label with links
        assert now is not None and now.window() is window, (
            f"Tab left {type(window).__name__} after {describe(window, seen[-1])}"
        )
        if now in seen:
            break
        seen.append(now)
    raise AssertionError(
        "Tab never came back to the first control: "
        + " → ".join(describe(window, w) for w in [*seen, QApplication.focusWidget()])
    )


def _tab() -> Any:
    from PySide6.QtGui import QKeyEvent

    return QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier)


def _field(widget: QWidget) -> QWidget:
    """The control a person sees: a combo box or spin box rather than the line in it."""
    parent = widget.parentWidget()
    if isinstance(widget, QLineEdit) and isinstance(parent, QComboBox):
        return parent
    return widget


def shown_at(window: QWidget, widget: QWidget) -> tuple[int, int]:
    """Where the part of `widget` on screen starts (a scrolled canvas starts above it)."""
    shown = widget.visibleRegion().boundingRect()
    return widget.mapTo(window, shown.topLeft()).toTuple()[::-1]  # type: ignore[return-value]


def reachable_by_tab(window: QWidget) -> list[QWidget]:
    """What Tab should stop at: every input on screen, of a group of exclusive buttons (Month,
    Week, Agenda) the one checked, as Qt does — arrows move between them."""
    found = []
    for widget in inputs(window):
        group = widget.group() if isinstance(widget, QAbstractButton) else None
        exclusive = isinstance(widget, QAbstractButton) and (
            widget.autoExclusive() or (group is not None and group.exclusive())
        )
        if exclusive and not widget.isChecked():
            continue
        found.append(widget)
    return found


def order_problems(window: QWidget, where: str) -> list[str]:
    """What is wrong with Tab in `window` as shown: a control it skips, a step backwards."""
    on_screen = [w for w in reachable_by_tab(window) if not w.visibleRegion().isEmpty()]
    if not on_screen:
        return []
    first = min(on_screen, key=lambda w: shown_at(window, w))
    order = [_field(w) for w in tab_walk(window, first)]
    reachable = reachable_by_tab(window)
    walked = " → ".join(describe(window, w) for w in order)
    problems = [
        f"{where}: Tab never reaches {describe(window, w)} ({walked})"
        for w in reachable
        if _field(w) not in order
    ]
    problems += [
        f"{where}: Tab cannot reach the tabs {describe(window, bar)}"
        for bar in window.findChildren(QTabBar)
        if bar.isVisibleTo(window) and not bar.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]
    for before, after in itertools.pairwise(order):
        if not reads_before(window, before, after):
            problems.append(
                f"{where}: Tab goes from {describe(window, before)} back to "
                f"{describe(window, after)} ({walked})"
            )
    return problems


def each_page(window: QWidget, where: str) -> list[str]:
    """`order_problems` on every page of the window's tabs."""
    problems = order_problems(window, where)
    for tabs in window.findChildren(QTabWidget):
        if not tabs.isVisibleTo(window):
            continue
        current = tabs.currentIndex()
        for index in range(tabs.count()):
            if index != current and tabs.isTabEnabled(index):
                tabs.setCurrentIndex(index)
                QApplication.processEvents()
                problems += order_problems(window, f"{where} ▸ {tabs.tabText(index)}")
        tabs.setCurrentIndex(current)
    return problems


@pytest.mark.parametrize(("key", "mode"), SECTIONS)
def test_tab_follows_the_reading_order_of_each_section(
    qtbot: Any, window: MainWindow, key: str, mode: str | None
) -> None:
    window.show_section(key)
    if mode is not None:
        window.view(key).set_mode(mode)
    qtbot.wait(1)
    problems = order_problems(window, f"{key} ({mode})" if mode else key)
    assert problems == [], "\n".join(problems)


def test_tab_reaches_the_sections_then_the_section_on_screen(
    qtbot: Any, window: MainWindow
) -> None:
    window.show_section("contacts")
    window.sidebar.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(window.sidebar.hasFocus)
    qtbot.keyClick(window.sidebar, Qt.Key.Key_Down)  # arrows move between the sections
    assert window.sidebar.currentItem().data(Qt.ItemDataRole.UserRole) == "organizations"
    qtbot.keyClick(window.sidebar, Qt.Key.Key_Tab)
    assert window.view("organizations").isAncestorOf(QApplication.focusWidget())


def problems_in_what_opens(qtbot: Any, window: MainWindow, opener: Opener) -> list[str]:
    """What is wrong with Tab in the window `opener` opens last (the one on top)."""
    return look_at_what_opens(
        qtbot,
        window,
        opener,
        lambda shown: (
            each_page(shown[-1], f"{opener.name}: {type(shown[-1]).__name__}") if shown else []
        ),
    )


def test_tab_follows_the_reading_order_of_every_dialog(qtbot: Any, window: MainWindow) -> None:
    problems: list[str] = []
    for opener in _openers():
        problems += problems_in_what_opens(qtbot, window, opener)
    assert problems == [], "\n".join(problems)


def test_arrows_move_between_the_calendar_s_month_week_and_agenda(
    qtbot: Any, window: MainWindow
) -> None:
    """Tab stops once at the three buttons (the one checked); arrows choose another."""
    window.show_section("calendar")
    calendar = window.view("calendar")
    calendar.set_mode("month")
    month = next(b for b in calendar.switch.buttons() if b.isChecked())
    month.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(month.hasFocus)
    qtbot.keyClick(month, Qt.Key.Key_Right)
    week = QApplication.focusWidget()
    assert isinstance(week, QAbstractButton) and week is not month
    assert week.isChecked() and calendar.mode == "week"


def test_a_section_opened_by_its_key_is_ready_to_be_typed_in(
    qtbot: Any, window: MainWindow
) -> None:
    window.show_section("dashboard")
    window.sidebar.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(window.sidebar.hasFocus)
    qtbot.keyClick(
        QApplication.focusWidget() or window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier
    )
    assert QApplication.focusWidget() is window.view("contacts").search
    qtbot.keyClick(
        window.view("contacts").search, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier
    )
    assert QApplication.focusWidget() is window.view("events").search
    # Arrows in the sidebar go through the sections and keep the focus there.
    window.sidebar.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(window.sidebar.hasFocus)
    qtbot.keyClick(window.sidebar, Qt.Key.Key_Down)
    assert window.sidebar.hasFocus()


def test_a_window_opens_on_its_first_field(qtbot: Any, window: MainWindow) -> None:
    """Not on the buttons Qt made first (a new community's Cancel, its Save disabled), nor
    on the tabs over a contact's card, nor on the "Choose a photo…" above the name."""
    communities = window.view("communities")
    contacts = window.view("contacts")
    for key, open_editor, first_field in (
        ("communities", lambda: communities.open_record(None), lambda e: e.name),
        (
            "contacts",
            lambda: contacts.open_contact(contacts.model.ids()[0]),
            lambda e: e.given_name,
        ),
    ):
        window.show_section(key)
        view = window.view(key)
        qtbot.waitUntil(lambda view=view: view.row_count() > 0)
        open_editor()
        editor = view.editor
        qtbot.waitUntil(lambda editor=editor: QApplication.activeWindow() is editor)
        assert QApplication.focusWidget() is first_field(editor), key
        editor.discard_and_close()
