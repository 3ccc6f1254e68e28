"""What the keyboard can do anywhere in the app, whatever the widget: an application event
filter, installed once by ui/shell/app.py (`install`).

- The Menu key and Shift+F10 open the context menu of the widget that has the focus, as a
  right-click would: at the current item of a list or a table (which becomes selected, if
  it was not, so that the menu acts on it), at the cursor of a text field, in the middle of
  any other widget. The widget gets the QContextMenuEvent (reason Keyboard) that a
  right-click sends, at that place: a list's, in its viewport's coordinates, so the same
  handler (`customContextMenuRequested` or `contextMenuEvent`) serves the mouse and the
  keys. The menu opens once the key's event is over (a menu run from inside an event
  filter could outlive its widget).
- Every item of a menu has an Alt letter of its own. Those of the app's words are written
  in them ("&File"; tests/ui/kit/test_menu_mnemonics.py checks them in each language); an item
  a menu makes from data (a column's title, an answer, a template's name) gets, as the menu
  shows, the first letter of its words that no other item of the menu uses
  (`give_mnemonics`).
- (That Tab never stays in a text area or a table is ui/focus_order's, with the Tab order.)
- A list or a table reached from the keyboard (Tab, a shortcut) with nothing selected in
  it selects the row Qt makes current and outlines: Enter opens it, the menu acts on it.
- A label with links reached with Tab (Shift+Tab) has its first (last) link focused, which
  Enter follows: Qt stopped first on the label as a whole, where Enter did nothing.
- Ctrl+Z (and Ctrl+Shift+Z) in a text field that has nothing of its own to undo (or redo) is
  the window's Edit ▸ Undo: a search box has the focus after most commands (a merge made
  from Find duplicates…), and would otherwise take the key and do nothing with it.
"""

from __future__ import annotations

import re

import shiboken6
from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QObject,
    QPoint,
    QRect,
    QRectF,
    Qt,
    QTimer,
)
from PySide6.QtGui import QContextMenuEvent, QFocusEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


def is_menu_key(event: QKeyEvent) -> bool:
    """The Menu key, or Shift+F10 (the same on keyboards without one)."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if event.key() == Qt.Key.Key_Menu:
        return modifiers == Qt.KeyboardModifier.NoModifier
    return event.key() == Qt.Key.Key_F10 and modifiers == Qt.KeyboardModifier.ShiftModifier


def select_current(view: QAbstractItemView) -> None:
    """Select the current item alone if it is not selected (as a click on it would)."""
    index = view.currentIndex()
    selection = view.selectionModel()
    if index.isValid() and selection is not None and not selection.isSelected(index):
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        if view.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows:
            flags |= QItemSelectionModel.SelectionFlag.Rows
        selection.setCurrentIndex(index, flags)


def _select_when_tabbed_in(view: QAbstractItemView) -> None:
    """A list reached with Tab and nothing chosen in it: Qt makes its first row current,
    outlined, but not selected, so Enter (which opens the selection) did nothing and Down
    went to the second row. The outlined row is the chosen one."""
    if not shiboken6.isValid(view) or not view.hasFocus():
        return
    selection = view.selectionModel()
    if selection is not None and not selection.hasSelection():
        select_current(view)


def _has_links(label: QLabel) -> bool:
    """`label` shows links the keyboard can follow (its focusNextPrevChild moves between
    them rather than out of it)."""
    return (
        bool(label.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        and label.textFormat() != Qt.TextFormat.PlainText
        and "<a " in label.text()
        and "href" in label.text()
    )


def _current_item(view: QAbstractItemView) -> QRect:
    """The current item's rectangle in the viewport (selected, as a right-click would), or
    the viewport when there is none or it is scrolled out of sight."""
    area = view.viewport().rect()
    index = view.currentIndex()
    if not index.isValid():
        return area
    select_current(view)
    view.scrollTo(index)
    item = view.visualRect(index) & area
    return item if not item.isEmpty() else area


def menu_place(widget: QWidget) -> tuple[QWidget, QPoint]:
    """Which widget gets the keyboard's context menu event, and where, in its coordinates."""
    if isinstance(widget, QAbstractItemView):
        return widget.viewport(), _current_item(widget).center()
    if widget.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled):
        cursor = widget.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle)
        cursor = cursor.toRect() if isinstance(cursor, QRectF) else cursor
        if cursor.isValid() and widget.rect().contains(cursor.center()):
            return widget, cursor.center()
    return widget, widget.rect().center()


def open_context_menu(widget: QWidget) -> None:
    """Send `widget` the context menu event of the Menu key, at its current item."""
    if not shiboken6.isValid(widget) or not widget.isVisible():
        return
    target, pos = menu_place(widget)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, pos, target.mapToGlobal(pos))
    QApplication.sendEvent(target, event)


def mnemonic(text: str) -> str | None:
    """The Alt letter of a menu item's text, lower case ("&File": "f"; "R&&D": none)."""
    found = re.search("&([^&])", text.replace("&&", ""))
    return found.group(1).casefold() if found else None


def _letters(text: str) -> list[int]:
    """Where a mnemonic may go in `text`, best first: the first letter of a word, then any
    other letter (plain ASCII before accented ones, easier to type), then a digit."""
    places = [i for i, c in enumerate(text) if c.isalnum() and (i == 0 or text[i - 1] != "&")]

    def rank(i: int) -> tuple[bool, bool, bool]:
        word_start = i == 0 or not text[i - 1].isalnum()
        return (not text[i].isascii(), not word_start, text[i].isdigit())

    return sorted(places, key=lambda i: (*rank(i), i))


def give_mnemonics(menu: QMenu) -> None:
    """An Alt letter for each item that `menu` made itself (from data) and that has none:
    the best one no other item of the menu uses. Actions shared with other places keep
    their words: those are written with their letter."""
    shown = [a for a in menu.actions() if not a.isSeparator() and a.isVisible()]
    taken = {letter for a in shown if (letter := mnemonic(a.text()))}
    for action in shown:
        text = action.text()
        submenu = action.menu()
        own = action.parent() is menu or (submenu is not None and submenu.parent() is menu)
        if not own or mnemonic(text) is not None:
            continue
        free = [i for i in _letters(text) if text[i].casefold() not in taken]
        if free:
            taken.add(text[free[0]].casefold())
            action.setText(text[: free[0]] + "&" + text[free[0] :])


def nothing_to_undo(widget: QObject, event: QKeyEvent) -> bool:
    """`event` is Undo (Redo) and `widget` a text field with nothing to undo (redo)."""
    undo = event.matches(QKeySequence.StandardKey.Undo)
    if not undo and not event.matches(QKeySequence.StandardKey.Redo):
        return False
    if isinstance(widget, QLineEdit) and not widget.isReadOnly():
        return not (widget.isUndoAvailable() if undo else widget.isRedoAvailable())
    if isinstance(widget, QPlainTextEdit | QTextEdit) and not widget.isReadOnly():
        document = widget.document()
        return not (document.isUndoAvailable() if undo else document.isRedoAvailable())
    return False


_KEYBOARD_REASONS = (
    Qt.FocusReason.TabFocusReason,
    Qt.FocusReason.BacktabFocusReason,
    Qt.FocusReason.ShortcutFocusReason,
)


class _Keys(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Show and isinstance(watched, QMenu):
            give_mnemonics(watched)
        elif (
            kind == QEvent.Type.FocusIn
            and isinstance(watched, QAbstractItemView)
            and isinstance(event, QFocusEvent)
            and event.reason() in _KEYBOARD_REASONS
            and watched.selectionModel() is not None
        ):
            # After the view's own focusInEvent, which makes a row current.
            QTimer.singleShot(0, lambda: _select_when_tabbed_in(watched))
        elif (
            kind == QEvent.Type.FocusIn
            and isinstance(watched, QLabel)
            and isinstance(event, QFocusEvent)
            and event.reason() in _KEYBOARD_REASONS[:2]  # Tab, Shift+Tab
            and _has_links(watched)
        ):
            # At once: the next Tab, however soon, goes on from the link.
            watched.focusNextPrevChild(event.reason() == Qt.FocusReason.TabFocusReason)
        elif (
            kind == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and nothing_to_undo(watched, event)
        ):
            event.ignore()  # not the field's: the shortcut (Edit ▸ Undo) gets it
            return True
        elif (
            kind == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and is_menu_key(event)
            and isinstance(watched, QWidget)
            and watched is QApplication.focusWidget()  # once, not again for each parent
            and QApplication.activePopupWidget() is None  # a menu open takes its own keys
            and not isinstance(watched, QMenu | QMenuBar)
        ):
            QTimer.singleShot(0, lambda: open_context_menu(watched))
            return True
        return False


_keys: _Keys | None = None


def install(app: QApplication) -> None:
    """Filter `app`'s events for the keys above (once); widgets shown from now on get them
    too."""
    global _keys
    if _keys is None:
        _keys = _Keys(app)
        app.installEventFilter(_keys)
