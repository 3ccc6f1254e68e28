"""Tab goes through a form in the order a person reads it: top to bottom, left to right.

Qt's own order is the order widgets were created, which is not the layout's when a form
builds its rows elsewhere (the contact editor's e-mails and phones) or adds some later.
`set_tab_order` walks the layouts instead (form rows, grid cells, boxes, tab pages, scroll
areas) and chains the inputs in that order. Text boxes hand Tab on rather than typing a tab
character, and lists and tables let Tab leave them rather than move between their cells.

`keep_reading_order` does it for every window of the application: when it is shown, and
again just before Tab or Shift+Tab moves the focus, so rows and cards built since (the
dashboard's, a list of guests) take their place in the order too.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QBoxLayout,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSlider,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QWidget,
)

from ui.kit.accessible import label_combo

# Widgets a person types in, picks or presses: reached by Tab, never entered as containers.
INPUTS = (
    QLineEdit,
    QAbstractSpinBox,
    QComboBox,
    QAbstractButton,
    QPlainTextEdit,
    QTextEdit,
    QAbstractItemView,
    QTabBar,
    QSlider,
)


def _layout_members(layout: QLayout) -> list[QWidget | QLayout]:
    """The widgets and inner layouts of `layout`, in its order: found among its widget's
    children and its own child layouts, never through `itemAt`. PySide keeps the wrapper of
    each item `itemAt` returns as long as the layout lives, but Qt deletes an item when its
    widget goes (a dialog's buttons are laid out again), and the next object Qt makes at that
    address (a table's header) came back to Python as that old QWidgetItem."""
    parent = layout.parentWidget()
    direct = Qt.FindChildOption.FindDirectChildrenOnly
    candidates: list[QWidget | QLayout] = [
        *(parent.findChildren(QWidget, options=direct) if parent is not None else []),
        *layout.findChildren(QLayout, options=direct),
    ]
    placed = []
    for member in candidates:
        index = layout.indexOf(member)
        if index >= 0:
            placed.append((_place(layout, index), member))
    placed.sort(key=lambda entry: entry[0])
    return [member for _place_key, member in placed]


def _place(layout: QLayout, index: int) -> tuple[int, ...]:
    """Where the item at `index` comes in reading order."""
    if isinstance(layout, QFormLayout):
        cell: Any = layout.getItemPosition(index)  # (row, role)
        return (int(cell[0]), int(cell[1].value), index)  # label, field, a row spanning both
    if isinstance(layout, QGridLayout):
        position: Any = layout.getItemPosition(index)  # (row, column, rows, columns)
        return (int(position[0]), int(position[1]), index)
    if isinstance(layout, QBoxLayout) and layout.direction() in (
        QBoxLayout.Direction.RightToLeft,
        QBoxLayout.Direction.BottomToTop,
    ):
        return (-index,)
    return (index,)


def _from_layout(layout: QLayout) -> Iterator[QWidget]:
    for member in _layout_members(layout):
        if isinstance(member, QWidget):
            yield from _from_widget(member)
        else:
            yield from _from_layout(member)


def _is_input(widget: QWidget) -> bool:
    """A control of its own: a known input, or any other widget Tab stops at (a label with
    links, a drawn calendar) that does not hand the focus to a child."""
    if isinstance(widget, QAbstractItemView) and not widget.focusPolicy():
        return False  # a table of fields: its cells' editors are the inputs
    if isinstance(widget, INPUTS):
        return True
    if isinstance(widget, QScrollArea | QTabWidget | QStackedWidget | QSplitter):
        return False
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.focusProxy() is None


def _from_widget(widget: QWidget) -> Iterator[QWidget]:
    if _is_input(widget):
        yield widget
        return
    if isinstance(widget, QAbstractItemView):  # the editors shown in its cells, row by row
        widget.setTabKeyNavigation(False)  # Tab goes from field to field, not cell to cell
        direct = Qt.FindChildOption.FindDirectChildrenOnly
        cells = widget.viewport().findChildren(QWidget, options=direct)
        for cell in sorted(cells, key=lambda cell: (cell.y(), cell.x())):
            yield from _from_widget(cell)
        return
    if isinstance(widget, QSplitter):  # its panes, left to right (or top to bottom)
        for index in range(widget.count()):
            pane = widget.widget(index)
            if pane is not None:
                yield from _from_widget(pane)
        return
    if isinstance(widget, QTabWidget | QStackedWidget):
        if isinstance(widget, QTabWidget):
            # The tab bar takes Tab; the tab widget itself (its focus proxy) would be a
            # second stop on the same bar, somewhere else in the order.
            bar = widget.tabBar()
            policy = bar.focusPolicy()
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            bar.setFocusPolicy(policy)  # Qt gave the bar (its focus proxy) NoFocus too
            yield bar
        for index in range(widget.count()):
            page = widget.widget(index)
            if page is not None:
                yield from _from_widget(page)
        return
    if isinstance(widget, QScrollArea):
        widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the frame is not a field
        inner = widget.widget()
        if inner is not None:
            yield from _from_widget(inner)
        return
    layout = widget.layout()
    if layout is not None:
        yield from _from_layout(layout)
    else:
        direct = Qt.FindChildOption.FindDirectChildrenOnly
        for child in widget.findChildren(QWidget, options=direct):
            if not child.isWindow():
                yield from _from_widget(child)


def layout_inputs(root: QWidget) -> list[QWidget]:
    """Every input under `root`, in reading order (the layouts', not the creation's)."""
    seen: set[int] = set()
    found = []
    for widget in _from_widget(root):
        if id(widget) not in seen:
            seen.add(id(widget))
            found.append(widget)
    return found


def inputs_in_order(root: QWidget) -> list[QWidget]:
    """The inputs under `root` that Tab can reach, in reading order."""
    return [w for w in layout_inputs(root) if w.focusPolicy() & Qt.FocusPolicy.TabFocus]


def let_tab_move_on(widget: QObject) -> None:
    """Tab moves on from a text area (notes hold no tab characters) and out of a list or a
    table (arrows move in it). A read-only browser keeps Tab: it walks its links, then
    leaves."""
    if isinstance(widget, QPlainTextEdit | QTextEdit) and not isinstance(widget, QTextBrowser):
        widget.setTabChangesFocus(True)
    elif isinstance(widget, QAbstractItemView):
        widget.setTabKeyNavigation(False)


def set_tab_order(root: QWidget) -> None:
    """Chain Tab through `root`'s inputs in reading order (call again after adding rows)."""
    chain = inputs_in_order(root)
    for widget in chain:
        let_tab_move_on(widget)
    for first, second in itertools.pairwise(chain):
        QWidget.setTabOrder(first, second)


class _ReadingOrder(QObject):
    """Chains each window in reading order when it shows and before Tab moves on in it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish:
            let_tab_move_on(watched)  # every widget, chained or not
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            moves = event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            plain = not event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
            )
            if moves and plain and watched is QApplication.focusWidget():
                _chain_window(watched)
        elif kind == QEvent.Type.Show and isinstance(watched, QWidget):
            if watched.isWindow():
                _chain_window(watched)
                _focus_first_field(watched)
            elif isinstance(watched, QComboBox):
                label_combo(watched)
        return False


def _chain_window(widget: QWidget) -> None:
    window = widget.window()
    if window.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
        return  # menus, completers and calendars that drop down keep their own keys
    set_tab_order(window)


def _focus_first_field(window: QWidget) -> None:
    """A window that opens with nothing focused starts at its first field in reading order:
    Qt would start at the first widget of its creation order, the buttons under a form moved
    into a scroll area after them (a new community opened on Cancel, Save being disabled)
    or the tabs over a contact's card. Push buttons are passed over (a photo's "Choose…"
    before the name); a window of push buttons alone keeps Qt's choice, its default button
    (Return must never press another one)."""
    if window.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
        return
    if window.focusWidget() is not None:
        return  # the window chose where it starts
    for widget in inputs_in_order(window):
        if isinstance(widget, QPushButton | QToolButton | QTabBar):
            continue  # the tabs say where one is; the first field is on the page shown
        if widget.isEnabled() and widget.isVisibleTo(window):
            widget.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
            return


_order: _ReadingOrder | None = None


def keep_reading_order(app: QApplication) -> None:
    """Keep every window of `app` in reading order (once per application)."""
    global _order
    if _order is None:
        _order = _ReadingOrder(app)
        app.installEventFilter(_order)
