"""Printing a PDF: the pages the print dialog asked for, each rendered onto the printer."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from cmplanner.i18n import _

PRINT_DPI = 300  # pages are rasterized for the printer at most at this resolution


def pages_asked(printer: QPrinter, count: int, current: int) -> list[int]:
    """The pages (from 0) the print dialog asked for, of `count`; `current` is shown."""
    n = count
    match printer.printRange():
        case QPrinter.PrintRange.CurrentPage:
            return [current] if n else []
        case QPrinter.PrintRange.PageRange if printer.fromPage() > 0:
            first = max(printer.fromPage(), 1)
            last = min(printer.toPage() or n, n)
            return list(range(first - 1, last))
        case _:
            return list(range(n))


def print_pages(document: QPdfDocument, printer: QPrinter, pages: list[int]) -> int:
    """Render `pages` onto `printer` (full page: the PDF has its own margins), each scaled
    to fit the paper and centred; returns how many pages were printed."""
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(_("The printer could not be started."))
    printed = 0
    try:
        area = QRectF(painter.viewport())
        dpi = min(printer.resolution(), PRINT_DPI)
        for page in pages:
            points = document.pagePointSize(page)
            if points.isEmpty():
                continue
            if printed:
                printer.newPage()
            scale = min(area.width() / points.width(), area.height() / points.height())
            target = QRectF(0, 0, points.width() * scale, points.height() * scale)
            target.moveCenter(area.center())
            pixels = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
            image = document.render(page, pixels)
            painter.drawImage(target, image, QRectF(QPointF(0, 0), image.size().toSizeF()))
            printed += 1
    finally:
        painter.end()
    return printed
