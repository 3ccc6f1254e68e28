"""Combo boxes over long lists of (id, name) choices: thousands of events or people.

`ChoiceModel` holds the choices and is replaced in one reset (a combo box filled item by
item costs a signal and a relayout per item: seconds for 8,000 events). `SearchableCombo`
lets the person type a few letters of a name anywhere in it and pick from the matches.
`FilterCombo` is a filter's short list ("Any tag", then the tags), never cut nor too wide.
`NameCompleter` completes an existing name whatever its case and accents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QKeyEvent, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QLineEdit,
    QListView,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QWidget,
)

from cmplanner.i18n import _
from cmplanner.model.matching import fold, ranked_positions

AnyIndex = QModelIndex | QPersistentModelIndex


class ChoiceModel(QAbstractListModel):
    """(id, name) choices, with an optional first row standing for "any" (its id is None).

    The display role gives the name, the user role the id (what `QComboBox.currentData()`
    returns)."""

    def __init__(self, everything: str | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._everything = everything
        self._items: list[tuple[int, str]] = []
        self._rows: dict[int, int] = {}
        self._folded: list[str] | None = None

    def items(self) -> list[tuple[int, str]]:
        return list(self._items)

    def set_items(self, items: Sequence[tuple[int, str]]) -> bool:
        """Replace the choices in one reset; False (and no reset) when they are the same."""
        items = list(items)
        if items == self._items:
            return False
        self.beginResetModel()
        self._items = items
        self._folded = None
        first = 1 if self._everything is not None else 0
        self._rows = {item_id: first + n for n, (item_id, _name) in enumerate(items)}
        self.endResetModel()
        return True

    def row_of(self, item_id: int | None) -> int:
        """The row of a choice (of "any" for None), -1 if it is not there."""
        if item_id is None:
            return 0 if self._everything is not None else -1
        return self._rows.get(item_id, -1)

    def matching_rows(self, text: str) -> list[int]:
        """Rows of the choices whose name contains `text`, whatever its case and accents,
        best first (`ranked_positions`: the same name, then names starting with it…)."""
        first = 1 if self._everything is not None else 0
        return [first + n for n in ranked_positions(self.folded(), text)]

    def folded(self) -> list[str]:
        """The choices' names as `fold` makes them (computed once per set of choices)."""
        if self._folded is None:
            self._folded = [fold(name) for _i, name in self._items]
        return self._folded

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self._items) + (1 if self._everything is not None else 0)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        row = index.row()
        if self._everything is not None:
            if row == 0:
                if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                    return self._everything
                return None
            row -= 1
        item_id, name = self._items[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return name
        if role == Qt.ItemDataRole.UserRole:
            return item_id
        return None


class SearchableCombo(QComboBox):
    """A combo box over a `ChoiceModel` in which typing shows the choices containing the
    text (any case). Enter takes the first match; Escape, or leaving a text that names no
    choice, puts the current choice's name back."""

    def __init__(self, model: ChoiceModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice_model = model
        self.setModel(model)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # Never measure thousands of names to size the box, nor each row of its lists.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(20)
        rows = self.view()
        if isinstance(rows, QListView):
            rows.setUniformItemSizes(True)
        # Any case, any accents, anywhere in the name; Enter in the list takes the first.
        completer = NameCompleter(model, self)
        completer.setMaxVisibleItems(12)
        self.setCompleter(completer)
        popup = completer.popup()
        if isinstance(popup, QListView):
            popup.setUniformItemSizes(True)
        line = self._line()
        line.setPlaceholderText(_("Type to search…"))
        line.returnPressed.connect(self._take_first_match)
        line.editingFinished.connect(self._settle_text)

    def _line(self) -> QLineEdit:
        line = self.lineEdit()
        assert line is not None  # always editable
        return line

    def chosen_text(self) -> str:
        """The current choice's name (`currentText()` is what the line edit holds)."""
        return str(self.itemText(self.currentIndex()))

    def set_current_id(self, item_id: int | None) -> bool:
        """Show the choice with this id; False if there is none (the current one stays)."""
        row = self.choice_model.row_of(item_id)
        if row < 0:
            return False
        self.setCurrentIndex(row)
        return True

    def set_items(self, items: Sequence[tuple[int, str]]) -> bool:
        """New choices, keeping the current one if it is still there (else the first row)
        and what the person is typing. No signal: True if the current choice is gone."""
        current = self.currentData()
        line = self._line()
        typing = (self.hasFocus() or line.hasFocus()) and line.text() != self.chosen_text()
        text, cursor = line.text(), line.cursorPosition()
        blocked = self.blockSignals(True)
        try:
            if not self.choice_model.set_items(items):
                return False
            row = self.choice_model.row_of(current)
            self.setCurrentIndex(max(0, row))
            if typing:
                line.setText(text)
                line.setCursorPosition(cursor)
        finally:
            self.blockSignals(blocked)
        return row < 0

    def _take_first_match(self) -> None:
        text = self._line().text()
        if text == self.chosen_text():
            return
        if not text.strip():
            self.setCurrentIndex(0)
        else:
            found = self.choice_model.matching_rows(text)
            if found:
                self.setCurrentIndex(found[0])
        completer = self.completer()
        popup = completer.popup() if completer is not None else None
        if popup is not None:
            popup.hide()
        self._line().setText(self.chosen_text())

    def _settle_text(self) -> None:
        text = self._line().text()
        if text == self.chosen_text():
            return
        if not text.strip():
            self.setCurrentIndex(0)
        else:
            found = self.choice_model.matching_rows(text)
            if found and str(self.itemText(found[0])).casefold() == text.strip().casefold():
                self.setCurrentIndex(found[0])
        self._line().setText(self.chosen_text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        line = self._line()
        if event.key() == Qt.Key.Key_Escape and line.text() != self.chosen_text():
            line.setText(self.chosen_text())
            line.selectAll()
            event.accept()
            return
        super().keyPressEvent(event)


class FilterCombo(QComboBox):
    """A filter's combo box, as wide as its first choice ("Any tag", "Toutes les étiquettes"):
    never cut, and never as wide as the longest name (measuring thousands of names is slow,
    and one long name would widen the window). A longer choice is shortened with "…" and
    said whole in the tooltip; the list shows every name whole."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(6)
        self._tip = ""
        self.currentIndexChanged.connect(lambda _i: self._update_tip())

    def setToolTip(self, tip: str) -> None:
        self._tip = tip
        self._update_tip()

    def _width_for(self, text: str) -> int:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        text_size = QSize(self.fontMetrics().horizontalAdvance(text), self.fontMetrics().height())
        size = self.style().sizeFromContents(
            QStyle.ContentsType.CT_ComboBox, option, text_size, self
        )
        return size.width()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(hint.width(), self._width_for(self.itemText(0))), hint.height())

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), self._width_for(self.itemText(0))), hint.height())

    def _text_room(self, option: QStyleOptionComboBox) -> int:
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox,
            option,
            QStyle.SubControl.SC_ComboBoxEditField,
            self,
        )
        return field.width() - 2

    def is_elided(self) -> bool:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return self.fontMetrics().horizontalAdvance(self.currentText()) > self._text_room(option)

    def _update_tip(self) -> None:
        whole = self.currentText() if self.is_elided() else ""
        tip = "\n".join(t for t in (whole, self._tip) if t)
        super().setToolTip(tip)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._update_tip()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self.fontMetrics().elidedText(
            option.currentText, Qt.TextElideMode.ElideRight, self._text_room(option)
        )
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


class NameCompleter(QCompleter):
    """Completes what is typed into an existing name: « velo » finds « Vélo Lyon » and
    « Club vélo Lyon » (case and accents left out), names starting with it first. The name
    chosen replaces what was typed; Tab or Enter with the list open takes the first one.

    The choices are (id, name) pairs, or a `ChoiceModel` followed as it changes. The
    completer's own model holds only the matches of what is typed, ranked: it filters
    nothing itself (`splitPath` says so), it shows them in that order."""

    def __init__(
        self, choices: Sequence[tuple[int, str]] | ChoiceModel, parent: QObject | None = None
    ) -> None:
        self.matches = ChoiceModel()
        super().__init__(self.matches, parent)
        self.matches.setParent(self)
        if isinstance(choices, ChoiceModel):
            self.choices = choices
        else:
            self.choices = ChoiceModel(parent=self)
            self.choices.set_items(choices)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompletionRole(Qt.ItemDataRole.DisplayRole)
        self.setMaxVisibleItems(10)
        popup = self.popup()
        if popup is not None:
            popup.installEventFilter(self)  # after QCompleter's own filter: runs before it

    def splitPath(self, path: str) -> list[str]:
        items = self.choices.items()
        self.matches.set_items([items[n] for n in ranked_positions(self.choices.folded(), path)])
        return [""]  # every row of `matches` is a match

    def find(self, text: str) -> tuple[int, str] | None:
        """The existing (id, name) that `text` names, case and accents aside."""
        key = fold(text)
        if not key:
            return None
        folded = self.choices.folded()
        return next((c for n, c in enumerate(self.choices.items()) if folded[n] == key), None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        popup = self.popup()
        if (
            watched is popup
            and popup is not None
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            chosen = popup.currentIndex()
            if not chosen.isValid():
                chosen = self.completionModel().index(0, 0)
            if chosen.isValid() and event.key() == Qt.Key.Key_Tab:
                # QCompleter lets the widget move the focus on Tab and completes nothing:
                # take the name as a click on it would, then let Tab move on.
                popup.clicked.emit(chosen)
            elif chosen.isValid() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                popup.setCurrentIndex(chosen)  # QCompleter then completes it
        return super().eventFilter(watched, event)
