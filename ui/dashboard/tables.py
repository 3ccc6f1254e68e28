"""The home screen's lists and their captions: read-only tables as tall as their rows (the page
is the one thing that scrolls), section titles and hints."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

from cmplanner.i18n import _
from ui.dashboard.models import RecordsModel
from ui.kit.sizing import fit_header_titles, scaled

ROW_HEIGHT = 28


def title(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("sectionTitle")
    return label


def hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


class CompactTable(QTableView):
    """A read-only list as tall as its rows: the page is the one thing that scrolls (a list
    scrolling inside a scrolling page would catch the wheel halfway down)."""

    def __init__(self, model: RecordsModel, name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setModel(model)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(scaled(ROW_HEIGHT))
        self.horizontalHeader().setHighlightSections(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        model.modelReset.connect(self.fit_height)
        self.fit_height()

    def fit_height(self) -> None:
        rows = max(1, self.model().rowCount())
        header = self.horizontalHeader().sizeHint().height()
        self.setFixedHeight(header + rows * scaled(ROW_HEIGHT) + 2 * self.frameWidth())


def columns(table: QTableView, widths: tuple[int, ...], stretch: int) -> None:
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    for column, width in enumerate(widths):
        if width:
            table.setColumnWidth(column, width)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    fit_header_titles(header)


def empty_state(parent: QWidget, text: str) -> QLabel:
    """What a list says when it has nothing to show (hidden until then)."""
    label = QLabel(text, parent)
    label.setObjectName("emptyState")
    label.setWordWrap(True)
    label.hide()
    return label


def open_on_enter(table: QTableView, open_row: Callable[[QTableView, int], None]) -> None:
    """Enter (and a double-click) opens the current row."""
    action = QAction(_("&Open"), table)
    # The first key is the one menus name: "Entrée" in French ("Return" would be "Retour").
    action.setShortcuts([QKeySequence("Enter"), QKeySequence("Return")])
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    action.triggered.connect(lambda _c=False: _open_current(table, open_row))
    table.addAction(action)
    table.doubleClicked.connect(lambda index: open_row(table, index.row()))


def _open_current(table: QTableView, open_row: Callable[[QTableView, int], None]) -> None:
    index = table.currentIndex()
    if index.isValid():
        open_row(table, index.row())
