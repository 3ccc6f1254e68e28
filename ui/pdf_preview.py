"""The preview of a printable document: the PDF generated in the background, shown with
QtPdf's QPdfView (every page, fit to width), saved ("Save as PDF…", atomically) or printed
("Print…": each page rendered by QPdfDocument onto the printer's painter, so what is printed
is exactly what is previewed).

`open_pdf_preview(parent, title, stem, job)` where `job(choice)` builds the PDF bytes on the
database worker; `choices` adds a combo (e.g. the badge layouts) that generates it again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cmplanner.i18n import N_, _, ngettext
from ui import errors
from ui.tasks import run_in_background

PDF_FILTER = N_("PDF documents (*.pdf);;All files (*)")
PRINT_DPI = 300  # pages are rasterized for the printer at most at this resolution

Job = Callable[[Any], bytes]


class PdfPreview(QDialog):
    """A generated PDF, previewed; Save as PDF… and Print…."""

    def __init__(
        self,
        title: str,
        stem: str,
        job: Job,
        choices: Sequence[tuple[str, Any]] = (),
        choice_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.setWindowTitle(title)
        self.stem = stem
        self.job = job
        self.data = b""
        self.generation = 0  # a late result of an older choice is dropped
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None

        self.choice = QComboBox(self)
        self.choice.setObjectName("previewChoice")
        for label, value in choices:
            self.choice.addItem(label, value)
        self.choice.currentIndexChanged.connect(lambda _i: self.generate())
        choice_caption = QLabel(choice_label, self)
        choice_caption.setBuddy(self.choice)

        self.pages_label = QLabel(self)
        self.pages_label.setObjectName("pageCount")
        self.busy = QProgressBar(self)
        self.busy.setObjectName("previewBusy")
        self.busy.setRange(0, 0)  # the renderers do not report steps: a busy bar
        self.busy.setMaximumWidth(160)
        self.busy.setTextVisible(False)

        self.save_button = QPushButton(_("&Save as PDF…"), self)
        self.save_button.setObjectName("savePdf")
        self.save_button.setToolTip(_("Save the document as a PDF file (Ctrl+S)"))
        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.print_button = QPushButton(_("&Print…"), self)
        self.print_button.setObjectName("printPdf")
        self.print_button.setToolTip(_("Print the document (Ctrl+P)"))
        self.print_button.clicked.connect(lambda _checked=False: self.print_())
        close = QPushButton(_("Close"), self)
        close.setObjectName("closePreview")
        close.clicked.connect(self.reject)

        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setStyleSheet("QPdfView { background: #6b6b6b; }")

        top = QHBoxLayout()
        if choices:
            top.addWidget(choice_caption)
            top.addWidget(self.choice)
            top.addSpacing(12)
        else:
            self.choice.hide()
            choice_caption.hide()
        top.addWidget(self.busy)
        top.addWidget(self.pages_label)
        top.addStretch(1)
        top.addWidget(self.save_button)
        top.addWidget(self.print_button)
        top.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

        for keys, slot in (
            (QKeySequence.StandardKey.Save, self.save),
            (QKeySequence.StandardKey.Print, self.print_),
            (QKeySequence.StandardKey.ZoomIn, lambda: self.zoom(1.25)),
            (QKeySequence.StandardKey.ZoomOut, lambda: self.zoom(0.8)),
            (QKeySequence("Ctrl+0"), self.fit_width),
        ):
            QShortcut(QKeySequence(keys), self, slot)
        self.resize(860, 980)
        self._set_busy(True)

    # -- generation ------------------------------------------------------------------------

    def generate(self) -> None:
        """Build the PDF on the worker (again, after a change of choice)."""
        self.generation += 1
        generation = self.generation
        self._set_busy(True)
        run_in_background(
            self.job,
            self.choice.currentData(),
            on_success=lambda data: self._loaded(generation, data),
            on_failure=lambda exc: self._failed(generation, exc),
            label=_("Preparing the document…"),
        )

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        if busy:
            self.pages_label.setText(_("Preparing the document…"))
        for widget in (self.save_button, self.print_button, self.choice):
            widget.setEnabled(not busy)

    def _loaded(self, generation: int, data: bytes) -> None:
        if generation != self.generation:
            return
        self.load(data)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self.generation:
            return
        self.busy.hide()
        self.choice.setEnabled(True)
        self.pages_label.setText(_("The document could not be prepared."))
        errors.report(exc)

    def load(self, data: bytes) -> None:
        """Show these PDF bytes."""
        self.data = bytes(data)
        buffer = QBuffer(self)
        buffer.setData(QByteArray(self.data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)  # reads while the document lives: keep the buffer
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        self._set_busy(False)
        n = self.page_count()
        self.pages_label.setText(ngettext("{n} page", "{n} pages", n).format(n=n))
        self.fit_width()

    def page_count(self) -> int:
        return int(self.document.pageCount())

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def zoom(self, factor: float) -> None:
        current = self.view.zoomFactor()
        if self.view.zoomMode() != QPdfView.ZoomMode.Custom:
            # The fitted zoom as a factor: the viewport's width over the page's at 100 %.
            size = self.document.pagePointSize(0)
            width = size.width() * self.logicalDpiX() / 72 if size.width() else 0
            current = self.view.viewport().width() / width if width else 1.0
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.2, min(5.0, current * factor)))

    # -- save and print --------------------------------------------------------------------

    def save(self, path: Path | str | None = None) -> Path | None:
        """Write the PDF where the user says (atomically); returns the path written."""
        if not self.data:
            return None
        if path is None:
            name, _filter = QFileDialog.getSaveFileName(
                self, _("Save as PDF"), str(Path.home() / f"{self.stem}.pdf"), _(PDF_FILTER)
            )
            if not name:
                return None
            path = name
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".pdf")
        from cmplanner.interop.contacts_export import write_atomic

        try:
            write_atomic(target, self.data)
        except Exception as exc:  # ExportFailed: the message says what and where
            errors.report(exc)
            return None
        parent = self.parentWidget()
        show = getattr(parent.window() if parent is not None else None, "show_message", None)
        if callable(show):
            show(_("Saved {path}").format(path=target))
        return target

    def print_(self) -> None:
        """The system print dialog, then every page onto the chosen printer."""
        if not self.data:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.stem)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.print_to(printer)
        except Exception as exc:
            errors.report(exc)

    def print_to(self, printer: QPrinter) -> int:
        """Render every page onto `printer` (full page: the PDF has its own margins), each
        scaled to fit the paper and centred; returns how many pages were printed."""
        printer.setFullPage(True)
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError(_("The printer could not be started."))
        printed = 0
        try:
            area = QRectF(painter.viewport())
            dpi = min(printer.resolution(), PRINT_DPI)
            for page in range(self.page_count()):
                if page:
                    printer.newPage()
                points = self.document.pagePointSize(page)
                if points.isEmpty():
                    continue
                scale = min(area.width() / points.width(), area.height() / points.height())
                target = QRectF(0, 0, points.width() * scale, points.height() * scale)
                target.moveCenter(area.center())
                pixels = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
                image = self.document.render(page, pixels)
                painter.drawImage(target, image, QRectF(QPointF(0, 0), image.size().toSizeF()))
                printed += 1
        finally:
            painter.end()
        return printed


def open_pdf_preview(
    parent: QWidget | None,
    title: str,
    stem: str,
    job: Job,
    choices: Sequence[tuple[str, Any]] = (),
    choice_label: str = "",
) -> PdfPreview:
    """Show the preview at once (busy), the PDF built in the background."""
    dialog = PdfPreview(title, stem, job, choices, choice_label, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.generate()
    return dialog
