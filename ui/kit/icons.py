"""The app's icons, from the SVG sources of resources/icons: drawn at the screen's device
pixel ratio (sharp at a 200% display scale), never a small picture scaled up.

`svg_icon` is an SVG as it is (the app's own icon); `themed_icon` an SVG whose colours are
written `@role`, as in app.qss, drawn in the scheme shown (ui.kit.theme).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from cmplanner import APP_ID, paths
from ui.kit import theme


def icon_path(name: str) -> Path:
    return paths.resources_dir() / "icons" / f"{name}.svg"


def svg_icon(name: str) -> QIcon:
    """resources/icons/<name>.svg (Qt's SVG icon engine: any size, any pixel ratio)."""
    return QIcon(str(icon_path(name)))


def app_icon() -> QIcon:
    return svg_icon(APP_ID)


class SvgIconEngine(QIconEngine):
    """An icon drawn from SVG text at each size and pixel ratio it is asked for."""

    def __init__(self, svg: bytes) -> None:
        super().__init__()
        self.svg = svg
        self.renderer = QSvgRenderer(QByteArray(svg))

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        self.renderer.render(painter, QRectF(rect))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        pixmap = QPixmap(QSize(round(size.width() * scale), round(size.height() * scale)))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        if mode == QIcon.Mode.Disabled:
            painter.setOpacity(0.45)
        self.renderer.render(painter, QRectF(pixmap.rect()))
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def clone(self) -> QIconEngine:
        return SvgIconEngine(self.svg)


def themed_icon(name: str) -> QIcon:
    """resources/icons/<name>.svg with its `@role` colours in the scheme shown."""
    svg = theme.render(icon_path(name).read_text(encoding="utf-8"), theme.current())
    return QIcon(SvgIconEngine(svg.encode("utf-8")))


def warning_icon() -> QIcon:
    """The sign that goes with a warning colour (overdue): colour is never the only one."""
    return themed_icon("warning")  # an SVG: sharp at any display scale
