"""A row of controls that wraps onto a second line when the window is narrow (Qt's "Flow
Layout" example), so a toolbar or a filter bar never makes the window wider than a laptop's
screen. On each line, the items that expand horizontally share the room left over."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLayout, QLayoutItem, QSizePolicy, QStyle, QWidget


class FlowLayout(QLayout):
    """`wrapped_to_the_right`: the lines after the first one end at the right edge, as a
    toolbar's right-hand buttons do (else every line starts at the left)."""

    def __init__(
        self, parent: QWidget | None = None, spacing: int = 6, wrapped_to_the_right: bool = False
    ) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._to_the_right = wrapped_to_the_right
        self.setContentsMargins(0, 0, 0, 0)

    # -- the QLayout interface ------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def spacing(self) -> int:
        return self._spacing

    def setSpacing(self, spacing: int) -> None:
        self._spacing = spacing
        self.invalidate()

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        """Everything on one line."""
        shown = self._shown()
        width = sum(item.sizeHint().width() for item in shown)
        width += self._spacing * max(0, len(shown) - 1)
        height = max((item.sizeHint().height() for item in shown), default=0)
        return QSize(width, height) + self._margins_size()

    def minimumSize(self) -> QSize:
        """As narrow as the widest item: the others go to the next lines."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        return size + self._margins_size()

    # -- placing --------------------------------------------------------------------------

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _margins_size(self) -> QSize:
        margins: QMargins = self.contentsMargins()
        return QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    @staticmethod
    def _expands(item: QLayoutItem) -> bool:
        widget = item.widget()
        if widget is not None:
            policy = widget.sizePolicy().horizontalPolicy()
            return bool(policy.value & QSizePolicy.PolicyFlag.ExpandFlag.value)
        return bool(item.expandingDirections() & Qt.Orientation.Horizontal)

    def _lines(self, width: int) -> list[list[tuple[QLayoutItem, int]]]:
        """The items of each line, with their widths before the room left is shared."""
        lines: list[list[tuple[QLayoutItem, int]]] = []
        line: list[tuple[QLayoutItem, int]] = []
        used = 0
        for item in self._shown():
            wanted = min(item.sizeHint().width(), width)
            wanted = max(wanted, item.minimumSize().width())
            if line and used + self._spacing + wanted > width:
                lines.append(line)
                line, used = [], 0
            used += (self._spacing if line else 0) + wanted
            line.append((item, wanted))
        if line:
            lines.append(line)
        return lines

    def _arrange(self, rect: QRect, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        line_gap = self._spacing
        parent = self.parentWidget()
        if parent is not None:
            style_gap = parent.style().pixelMetric(QStyle.PixelMetric.PM_LayoutVerticalSpacing)
            line_gap = max(line_gap, style_gap)
        y = area.y()
        for n, line in enumerate(self._lines(max(1, area.width()))):
            if n:
                y += line_gap
            heights = [
                item.heightForWidth(w) if item.hasHeightForWidth() else item.sizeHint().height()
                for item, w in line
            ]
            height = max(heights)
            left = area.width() - sum(w for _item, w in line) - self._spacing * (len(line) - 1)
            growing = [i for i, (item, _w) in enumerate(line) if self._expands(item)]
            base, odd = divmod(max(0, left), len(growing)) if growing else (0, 0)
            shares = {i: base + (1 if k < odd else 0) for k, i in enumerate(growing)}
            x = area.x()
            if n and not growing and self._to_the_right:
                x += max(0, left)
            for i, ((item, w), h) in enumerate(zip(line, heights, strict=True)):
                w += shares.get(i, 0)
                if move:
                    top = y + (height - h) // 2  # centred on the line
                    item.setGeometry(QRect(QPoint(x, top), QSize(w, h)))
                x += w + self._spacing
            y += height
        return y - area.y() + margins.top() + margins.bottom()


def side_by_side(parent: QWidget, *widgets: QWidget) -> QWidget:
    """Widgets that stay on one line when a flow wraps (Today ‹ ›, a check box and its
    number)."""
    group = QWidget(parent)
    row = QHBoxLayout(group)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(6)
    for widget in widgets:
        row.addWidget(widget)
    return group
