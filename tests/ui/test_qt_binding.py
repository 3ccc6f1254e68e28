"""The Qt binding itself: PySide6 6.12.0 on Python 3.11 released None once too often on every
call returning nothing, and the app aborted ("deallocating None") after a few thousand calls."""

from __future__ import annotations

import sys

from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QLabel


def test_qt_calls_returning_nothing_keep_none_alive(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    before = sys.getrefcount(None)
    for n in range(500):
        painter.fillRect(0, 0, 4, 4, QColor("red"))
        label.setText(str(n))
        label.setVisible(n % 2 == 0)
    after = sys.getrefcount(None)
    painter.end()
    # Other threads may take or drop a few references meanwhile; 1,500 lost ones would show.
    assert after - before > -100
