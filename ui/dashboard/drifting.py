"""The "Drifting away" list: who is past their keep-in-touch cadence, and one click to act
(log an interaction, invite to the community's next event, add a task)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from cmplanner.i18n import N_, _
from cmplanner.services.dashboard import by_person
from ui.dashboard.models import RecordsModel, drifting_model
from ui.dashboard.tables import empty_state, hint, title
from ui.kit import theme
from ui.kit.sizing import scaled

AnyIndex = QModelIndex | QPersistentModelIndex

# (key, label msgid, tooltip msgid), in the order they are drawn.
ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("interaction", N_("Log"), N_("Log an interaction with this person…")),
    ("invite", N_("Invite"), N_("Invite to the community's next event")),
    ("task", N_("Task"), N_("Add a task about this person…")),
)
PAD = 8
GAP = 6


class ActionsDelegate(QStyledItemDelegate):
    """Draws the row's actions as small buttons; a click on one emits `triggered(row, key)`."""

    triggered = Signal(int, str)

    def _rects(self, option: QStyleOptionViewItem) -> list[tuple[str, QRect]]:
        font = QFont(option.font)
        metrics = QFontMetrics(font)
        rect: QRect = option.rect
        x = rect.left() + 4
        out = []
        for key, label, _tip in ACTIONS:
            width = metrics.horizontalAdvance(_(label)) + 2 * PAD
            out.append((key, QRect(x, rect.top() + 3, width, rect.height() - 6)))
            x += width + GAP
        return out

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().paint(painter, option, index)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for key, rect in self._rects(option):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.colour("chip"))
            painter.drawRoundedRect(rect, 4, 4)
            painter.setPen(theme.colour("chip_text"))
            label = next(_(text) for k, text, _tip in ACTIONS if k == key)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        rects = self._rects(option)
        width = rects[-1][1].right() - rects[0][1].left() + 12 if rects else 0
        return QSize(width, super().sizeHint(option, index).height())

    def editorEvent(
        self, event: QEvent, model: Any, option: QStyleOptionViewItem, index: AnyIndex
    ) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            point = event.position().toPoint()
            for key, rect in self._rects(option):
                if rect.contains(point):
                    self.triggered.emit(index.row(), key)
                    return True
        return super().editorEvent(event, model, option, index)

    def helpEvent(self, event: Any, view: Any, option: QStyleOptionViewItem, index: Any) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            for key, rect in self._rects(option):
                if rect.contains(event.pos()):
                    tip = next(_(t) for k, _label, t in ACTIONS if k == key)
                    QToolTip.showText(event.globalPos(), tip, view)
                    return True
        return bool(super().helpEvent(event, view, option, index))


class DriftingPanel(QWidget):
    """The table and, for the keyboard, the same actions on the selected row."""

    action = Signal(object, str)  # (DriftingContact, key)
    openContact = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: RecordsModel = drifting_model(self)
        self.table = QTableView(self)
        self.table.setObjectName("driftingTable")
        self.table.setAccessibleName(_("Drifting away"))
        self.table.setAccessibleDescription(
            _("People not seen for a long time; the actions below apply to the selected one.")
        )
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(scaled(30))
        self.table.setMouseTracking(True)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        for column, width in enumerate((150, 140, 110, 125)):
            self.table.setColumnWidth(column, scaled(width))
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Fixed)
        self.delegate = ActionsDelegate(self.table)
        self.table.setItemDelegateForColumn(5, self.delegate)
        self.delegate.triggered.connect(self._triggered)
        self.table.doubleClicked.connect(self._double_clicked)

        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.setSpacing(6)
        for key, label_id, shortcut in (
            ("interaction", N_("Log an &interaction…"), "Ctrl+Shift+L"),
            ("invite", N_("In&vite to the next event"), ""),
            ("task", N_("Add a &task…"), ""),
        ):
            button = QPushButton(_(label_id), self)
            button.setObjectName(f"drifting_{key}")
            if shortcut:
                button.setShortcut(QKeySequence(shortcut))
            button.clicked.connect(lambda _c=False, k=key: self.act_on_selected(k))
            button.setEnabled(False)
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.table)
        layout.addLayout(row)

    def set_records(self, records: Any) -> None:
        records = by_person(records)
        self.model.set_records(records)
        metrics = QFontMetrics(self.table.font())
        width = sum(
            metrics.horizontalAdvance(_(label)) + 2 * PAD + GAP for _k, label, _t in ACTIONS
        )
        self.table.setColumnWidth(5, width + 12)
        # As tall as its rows: the home screen is the one thing that scrolls.
        rows = max(3, len(records))
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(header + rows * scaled(30) + 2 * self.table.frameWidth())

    def _triggered(self, row: int, key: str) -> None:
        record = self.model.record(row)
        if record is not None:
            self.table.selectRow(row)
            self.action.emit(record, key)

    def _double_clicked(self, index: QModelIndex) -> None:
        record = self.model.record(index.row())
        if record is not None and index.column() != 5:
            self.openContact.emit(record.contact_id)

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def act_on_selected(self, key: str) -> None:
        record = self.selected()
        if record is not None:
            self.action.emit(record, key)

    def _update_buttons(self, *_args: Any) -> None:
        has = self.selected() is not None
        for button in self.buttons.values():
            button.setEnabled(has)


def add_section(
    page: QVBoxLayout, parent: QWidget, content: QWidget
) -> tuple[DriftingPanel, QLabel]:
    """The section's title and hint, the panel, and the line said when nobody drifts away
    (on the page's `content`), added to `page`."""
    page.addWidget(title(_("Drifting away"), parent))
    page.addWidget(
        hint(
            _(
                "People past their keep-in-touch cadence, and regulars who missed their "
                "community's last 3 events. Any interaction or attended event counts."
            ),
            parent,
        )
    )
    panel = DriftingPanel(parent)
    empty = empty_state(content, _("Nobody is drifting away. Well done."))
    page.addWidget(panel)
    page.addWidget(empty)
    return panel, empty
