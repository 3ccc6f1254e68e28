"""The reading-order walk goes through every kind of layout without leaving PySide a wrapper of
one of their items: Qt deletes an item when its widget goes, and a wrapper left behind was
handed back for the next object made at that address (a table's header as a QWidgetItem)."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.kit.flow_layout import FlowLayout
from ui.kit.focus_order import inputs_in_order, set_tab_order


def _item_wrappers() -> set[int]:
    """The layout items (not layouts) Python holds a wrapper of."""
    return {
        id(wrapper)
        for wrapper in shiboken6.Shiboken.getAllValidWrappers()
        if isinstance(wrapper, QLayoutItem) and not isinstance(wrapper, QLayout)
    }


def _field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    return field


def _every_layout(root: QWidget) -> QVBoxLayout:
    """A form, a grid, a right-to-left row, a row in a row, a flow and buttons, each one filled
    before it goes into the page (PySide wraps the items of a layout added full)."""
    page = QVBoxLayout(root)
    form = QFormLayout()
    form.addRow("A", _field("form field"))
    form.addRow(_field("form spanning"))
    grid = QGridLayout()
    grid.addWidget(_field("grid 1,0"), 1, 0)
    grid.addWidget(_field("grid 0,1"), 0, 1)
    grid.addWidget(_field("grid 0,0"), 0, 0)
    backwards = QBoxLayout(QBoxLayout.Direction.RightToLeft)
    backwards.addWidget(_field("right"))
    backwards.addWidget(_field("left"))
    inner = QVBoxLayout()
    inner.addWidget(_field("inner"))
    row = QHBoxLayout()
    row.addLayout(inner)
    row.addWidget(_field("after inner"))
    flow = FlowLayout()
    flow.addWidget(_field("flow 1"))
    flow.addWidget(_field("flow 2"))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    for layout in (form, grid, backwards, row, flow):
        page.addLayout(layout)
    page.addWidget(buttons)
    return page


def test_the_walk_reads_every_kind_of_layout_in_order(qapp: QApplication) -> None:
    root = QWidget()
    _every_layout(root)
    names = [widget.objectName() for widget in inputs_in_order(root)]
    assert names[:-1] == [
        "form field",
        "form spanning",
        "grid 0,0",
        "grid 0,1",
        "grid 1,0",
        "left",
        "right",
        "inner",
        "after inner",
        "flow 1",
        "flow 2",
    ]
    assert names[-1] == ""  # the OK button
    root.deleteLater()


def test_the_walk_leaves_no_wrapper_of_a_layout_item(qapp: QApplication) -> None:
    root = QWidget()
    _every_layout(root)
    before = _item_wrappers()
    set_tab_order(root)
    inputs_in_order(root)
    assert _item_wrappers() - before == set()
    root.deleteLater()


def test_headers_made_after_rows_walked_and_deleted_are_headers(qapp: QApplication) -> None:
    """The crash itself: rows walked, then deleted, then tables made. Where a header lands
    depends on the allocator, hence the many rounds (the old walk failed every run)."""
    root = QWidget()
    rows = QVBoxLayout(root)
    tables = []
    wrong = []
    for round_ in range(200):
        fields = [QLineEdit() for _ in range(5 + round_ % 40)]
        for field in fields:
            rows.addWidget(field)
        set_tab_order(root)
        for field in fields:
            shiboken6.delete(field)  # deleted by Qt: the layout deletes the field's item
        for _ in range(4):
            table = QTableView()
            tables.append(table)
            wrong += [
                type(header).__name__
                for header in (table.horizontalHeader(), table.verticalHeader())
                if type(header) is not QHeaderView
            ]
    assert wrong == []
    for table in tables:
        table.deleteLater()
    root.deleteLater()
