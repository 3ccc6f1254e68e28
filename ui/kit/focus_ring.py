"""The keyboard focus, always seen: a 2 px ring in the theme's `focus` colour around the
control that has it, whatever the control, in the light and the dark scheme alike.

Fusion marks the focus with a pale 1 px line, and on some controls only, and a style sheet
rule that draws a border takes the whole of Fusion's look away from a button or a combo box.
So the ring is drawn over the control instead: a small transparent widget, a child of the
control that has the focus (it moves, hides and goes with it), shaped to the ring alone so
that it covers nothing else and lets every click through. It follows the application's
focus: one ring, on the focused control of the active window. Nothing is added to the
painting of other widgets (a Python style would slow every table down).

The ring goes around the control a person sees: a spin box, date box or editable combo box
rather than the text field inside it. Menus and popups (a combo box's list) show their
current item in their own way and get none; so does a widget that draws its focus itself
(`skip(widget)`). The current item of a focused list or table is outlined by the style sheet
(resources/styles/app.qss: `outline`), in the same colour.
"""

from __future__ import annotations

import re
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPen, QRegion, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QMenu,
    QMenuBar,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QTabBar,
    QWidget,
)

from ui.kit import theme

WIDTH = 2  # px: the perimeter WCAG 2.2 asks of a focus indicator (2.4.13)
RADIUS = 3.0
SubElement = QStyle.SubElement
_SKIP = "noFocusRing"  # a widget property: it draws its own focus


def skip(widget: QWidget) -> None:
    """`widget` draws its keyboard focus itself: no ring around it."""
    widget.setProperty(_SKIP, True)


def paint_ring(painter: QPainter, rect: QRect) -> None:
    """A ring WIDTH px wide just inside `rect`, in `focus`."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(theme.colour("focus"), WIDTH))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    half = WIDTH / 2
    painter.drawRoundedRect(QRectF(rect).adjusted(half, half, -half, -half), RADIUS, RADIUS)
    painter.restore()


class FocusRing(QWidget):
    """The ring, over the edge of the control it is a child of."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("focusRing")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        paint_ring(painter, self.rect())

    def resizeEvent(self, _event: QResizeEvent) -> None:
        whole = self.rect()
        inside = whole.adjusted(WIDTH, WIDTH, -WIDTH, -WIDTH)
        self.setMask(QRegion(whole).subtracted(QRegion(inside)))


W = TypeVar("W", bound=QWidget)


def _alive(widget: W | None) -> W | None:
    """`widget`, unless Qt has deleted it (with its window, or its parent for the ring)."""
    return widget if widget is not None and shiboken6.isValid(widget) else None


def ringed(widget: QWidget | None) -> QWidget | None:
    """The control a ring goes around when `widget` has the focus (None: no ring)."""
    widget = _alive(widget)
    if widget is None:
        return None
    # The text field inside a spin, date or combo box: the box is what a person sees.
    parent = widget.parentWidget()
    while isinstance(parent, QAbstractSpinBox | QComboBox):
        widget, parent = parent, parent.parentWidget()
    if widget.isWindow() or isinstance(widget, QMenu | QMenuBar) or widget.property(_SKIP):
        return None
    if widget.window().windowType() == Qt.WindowType.Popup:
        return None
    return widget


def ring_rect(widget: QWidget) -> QRect:
    """Where the ring goes on `widget`: its edge; a check box's or a radio button's label
    (its box stays whole beside it); a tab bar's current tab."""
    whole = widget.rect()
    if isinstance(widget, QTabBar):
        current = widget.tabRect(widget.currentIndex())
        return current.intersected(whole) if current.isValid() else whole
    if isinstance(widget, QCheckBox | QRadioButton):
        text = re.sub("&(.)", r"\1", widget.text())  # as shown: "&&" is "&", "&x" is x
        if text:
            option = QStyleOptionButton()
            widget.initStyleOption(option)
            check = isinstance(widget, QCheckBox)
            box, label = (
                widget.style().subElementRect(element, option, widget)
                for element in (
                    (SubElement.SE_CheckBoxIndicator, SubElement.SE_CheckBoxContents)
                    if check
                    else (SubElement.SE_RadioButtonIndicator, SubElement.SE_RadioButtonContents)
                )
            )
            left = max(box.right() + 2, label.left() - WIDTH - 3)
            right = label.left() + widget.fontMetrics().horizontalAdvance(text) + WIDTH + 3
            return QRect(QPoint(left, 0), QPoint(right, whole.bottom())) & whole
    return whole


class _Follower(QObject):
    """Puts the ring on the control that has the focus, and keeps it the control's size."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.ring: FocusRing | None = None
        self.target: QWidget | None = None
        app.focusChanged.connect(self.focus_changed)

    def focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        target = ringed(new)
        previous = _alive(self.target)
        if previous is not None and previous is not target:
            previous.removeEventFilter(self)
        self.target = target
        ring = _alive(self.ring)
        if target is None:
            if ring is not None:
                ring.hide()
            return
        if ring is None:
            ring = self.ring = FocusRing()
        if ring.parentWidget() is not target:
            ring.setParent(target)
            target.installEventFilter(self)
            if isinstance(target, QTabBar):
                target.currentChanged.connect(self._place, Qt.ConnectionType.UniqueConnection)
        self._place()

    def _place(self, *_args: object) -> None:
        ring, target = _alive(self.ring), _alive(self.target)
        if ring is None or target is None:
            return
        ring.setGeometry(ring_rect(target))
        ring.raise_()  # above the control's own children (a table's viewport)
        ring.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.target and event.type() in (
            QEvent.Type.Resize,
            QEvent.Type.ChildAdded,  # a child shown later (a clear button) stays under it
        ):
            self._place()
        return False


_follower: _Follower | None = None


def follow_focus(app: QApplication) -> None:
    """Ring the focused control of `app` from now on (once)."""
    global _follower
    if _follower is None:
        _follower = _Follower(app)
