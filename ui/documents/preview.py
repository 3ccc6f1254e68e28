"""The preview of a printable document: the PDF generated in the background (with a progress
bar fed by the layout), shown with QtPdf's QPdfView (every page, fit to width, page n/N with
PageUp/PageDown/Home/End, zoom), saved ("Save as PDF…", atomically, in the folder used last)
or printed ("Print…": each page rendered by QPdfDocument onto the printer's painter, so what is
printed is exactly what is previewed).

`open_pdf_preview(parent, title, stem, job)` where `job(choice)` builds the PDF bytes on the
database worker; `choices` adds a combo (e.g. the badge layouts) that generates it again;
`date` ends the suggested file name (an event's day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QStandardPaths,
    Qt,
)
from PySide6.QtGui import QKeySequence, QPalette, QResizeEvent, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cmplanner.documents.base import reporting_progress
from cmplanner.errors import CMPlannerError
from cmplanner.i18n import N_, _, ngettext
from cmplanner.interop.mail.imip import safe_name
from cmplanner.storage.files import write_export
from ui.documents import printing
from ui.documents.pages import ZOOM_STEP, PageControls, button
from ui.kit import accessible, errors, file_dialogs, theme
from ui.kit.jobs import run_in_background
from ui.kit.settings import app_settings
from ui.kit.sizing import resize_within_screen

PDF_FILTER = N_("PDF documents (*.pdf);;All files (*)")
FOLDER_KEY = "documents/folder"  # where the last document was saved

Job = Callable[[Any], bytes]


def file_name(stem: str, date: dt.date | None = None) -> str:
    """The suggested file name: the stem (e.g. "brief-thursday-drinks") and the date, in
    letters, digits and dashes any file system takes."""
    name = safe_name(stem)[:60].strip("-") or safe_name(_("document")) or "document"
    if date is not None:
        name = f"{name}-{date.isoformat()}"
    return name + ".pdf"


def documents_folder() -> Path:
    """The folder the last document was saved in, else the user's documents folder."""
    saved = str(app_settings().value(FOLDER_KEY, "") or "")
    if saved and Path(saved).is_dir():
        return Path(saved)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def layout_in_percent(job: Job, choice: Any, progress: Callable[[int], None]) -> bytes:
    """On the worker: the job, its layout reported as a percent (only when it changes, so a
    1,000-row list sends at most a hundred signals)."""

    last = -1

    def report(done: int, total: int) -> None:
        nonlocal last
        percent = min(100, done * 100 // total) if total > 0 else 0
        if percent != last:
            last = percent
            progress(percent)

    with reporting_progress(report):
        return job(choice)


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
        date: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.setWindowTitle(title)
        self.stem = stem
        self.date = date
        self.job = job
        self.data = b""
        self.working = False
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        choice_caption = self._build_top(choices, choice_label)
        self._build_pages()
        self._build_controls()
        self._arrange(bool(choices), choice_caption)
        self._add_shortcuts()
        resize_within_screen(self, 860, 980)
        self._set_working(True)

    def _build_top(self, choices: Sequence[tuple[str, Any]], choice_label: str) -> QLabel:
        """What to generate (when there is a choice), the progress, Save and Print."""
        self.choice = QComboBox(self)
        self.choice.setObjectName("previewChoice")
        for label, value in choices:
            self.choice.addItem(label, value)
        self.choice.currentIndexChanged.connect(lambda _i: self.generate())
        choice_caption = QLabel(choice_label, self)
        choice_caption.setBuddy(self.choice)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("previewProgress")
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)  # the status beside it says the percent
        self.status = QLabel(self)
        self.status.setObjectName("previewStatus")

        self.save_button = button(
            self, _("&Save as PDF…"), "savePdf", _("Save the document as a PDF file (Ctrl+S)")
        )
        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.print_button = button(self, _("&Print…"), "printPdf", _("Print the document (Ctrl+P)"))
        self.print_button.clicked.connect(lambda _checked=False: self.print_())
        return choice_caption

    def _build_pages(self) -> None:
        """The document, or what went wrong with a button to try again."""
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        accessible.name(self.view, _("Document"))
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self._surround()
        theme.notifier().changed.connect(self._surround)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("previewError")
        self.error_label.setWordWrap(True)
        self.error_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        retry = button(self, _("&Try again"), "retryPreview", "")
        retry.clicked.connect(lambda _checked=False: self.generate())
        error_page = QWidget(self)
        error_layout = QVBoxLayout(error_page)
        error_layout.addStretch(1)
        error_layout.addWidget(self.error_label)
        error_layout.addWidget(retry, 0, Qt.AlignmentFlag.AlignHCenter)
        error_layout.addStretch(2)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.view)
        self.pages.addWidget(error_page)

    def _build_controls(self) -> None:
        """Pages and zoom (shown once there is a document to move through); and Close."""
        controls = self.view_controls = PageControls(self.view, self.document, self)
        # Connected here: the dialog's slots are cut before its children (the document) go.
        self.view.pageNavigator().currentPageChanged.connect(self._show_page)
        self.previous_button, self.next_button = controls.previous_button, controls.next_button
        self.page_box, self.page_total = controls.page_box, controls.page_total
        self.zoom_out_button = controls.zoom_out_button
        self.zoom_in_button = controls.zoom_in_button
        self.zoom_label, self.fit_button = controls.zoom_label, controls.fit_button
        self.close_button = button(self, _("Close"), "closePreview", _("Close the preview (Esc)"))
        self.close_button.clicked.connect(self.reject)

    def _arrange(self, has_choices: bool, choice_caption: QLabel) -> None:
        top = QHBoxLayout()
        if has_choices:
            top.addWidget(choice_caption)
            top.addWidget(self.choice)
            top.addSpacing(12)
        else:
            self.choice.hide()
            choice_caption.hide()
        top.addWidget(self.progress)
        top.addWidget(self.status)
        top.addStretch(1)
        top.addWidget(self.save_button)
        top.addWidget(self.print_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.view_controls, 1)
        bottom.addStretch()  # keeps Close on the right while the controls are hidden
        bottom.addSpacing(12)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        layout.addLayout(bottom)

    def _add_shortcuts(self) -> None:
        for keys, slot in (
            (QKeySequence(QKeySequence.StandardKey.Save), self.save),
            (QKeySequence(QKeySequence.StandardKey.Print), self.print_),
            (QKeySequence(QKeySequence.StandardKey.ZoomIn), lambda: self.zoom(ZOOM_STEP)),
            (QKeySequence("Ctrl+="), lambda: self.zoom(ZOOM_STEP)),  # "+" without Shift
            (QKeySequence(QKeySequence.StandardKey.ZoomOut), lambda: self.zoom(1 / ZOOM_STEP)),
            (QKeySequence("Ctrl+0"), self.fit_width),
        ):
            QShortcut(keys, self, slot)

    # -- generation ------------------------------------------------------------------------

    def generate(self) -> None:
        """Build the PDF on the worker (again, after a change of choice: the older choice's
        late progress and result are dropped)."""
        self._set_working(True)
        run_in_background(
            layout_in_percent,
            self.job,
            self.choice.currentData(),
            on_success=self._loaded,
            on_failure=self._failed,
            on_progress=self._on_progress,
            label=_("Preparing the document…"),
            key=(self, "layout"),
        )

    def _on_progress(self, percent: int) -> None:
        self.progress.setValue(percent)
        self.status.setText(_("Laying out… {percent}%").format(percent=percent))

    def _set_working(self, working: bool) -> None:
        self.working = working
        self.progress.setVisible(working)
        if working:
            self.progress.setValue(0)
            self.status.setText(_("Preparing the document…"))
        shown = bool(self.data) and self.pages.currentIndex() == 0
        self.view_controls.setVisible(shown)
        has_pages = shown and not working
        for widget in (
            self.save_button,
            self.print_button,
        ):
            widget.setEnabled(has_pages)
        self.view_controls.loaded, self.view_controls.working = bool(self.data), working
        self.view_controls.set_enabled(has_pages)

    def _loaded(self, data: bytes) -> None:
        self.progress.setValue(100)
        self.load(data)

    def _failed(self, exc: BaseException) -> None:
        self.data = b""
        self.document.close()
        if isinstance(exc, CMPlannerError):  # meant for the user: said here, in the dialog
            reason = str(exc)
        else:  # a bug: its traceback goes to the error dialog (and the log) as well
            reason = _("An unexpected error occurred.")
            errors.report(exc)
        self.error_label.setText(_("The document could not be prepared.") + "\n\n" + reason)
        self.pages.setCurrentIndex(1)
        self._set_working(False)
        self.status.setText("")  # the page below says it, and why
        self.view_controls.show_page(0)
        self.view_controls.show_zoom()

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
        self.pages.setCurrentIndex(0)
        self._set_working(False)
        n = self.page_count()
        self.status.setText(ngettext("{n} page", "{n} pages", n).format(n=n))
        self.fit_width()
        self.view_controls.show_page(0)

    # -- pages and zoom (the controls') ----------------------------------------------------

    def page_count(self) -> int:
        return self.view_controls.page_count()

    def page(self) -> int:
        """The page shown (from 0)."""
        return self.view_controls.page()

    def go_to(self, page: int) -> None:
        self.view_controls.go_to(page)

    def _show_page(self, page: int) -> None:
        self.view_controls.show_page(page)

    def zoom_factor(self) -> float:
        return self.view_controls.zoom_factor()

    def fit_width(self) -> None:
        self.view_controls.fit_width()

    def zoom(self, factor: float) -> None:
        self.view_controls.zoom(factor)

    def _surround(self, _scheme: str = "") -> None:
        """QPdfView paints around its pages in the palette's Dark: the scheme's grey (the
        pages stay white, as printed)."""
        palette = self.view.palette()
        palette.setColor(QPalette.ColorRole.Dark, theme.colour("pdf_surround"))
        self.view.setPalette(palette)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.view_controls.show_zoom()  # fit to width follows the window

    # -- save and print --------------------------------------------------------------------

    def suggested_path(self) -> Path:
        """Where "Save as PDF…" proposes to write: the last folder used, a name from the
        document, its subject and its date."""
        return documents_folder() / file_name(self.stem, self.date)

    def save(self, path: Path | str | None = None) -> Path | None:
        """Write the PDF where the user says (atomically); returns the path written."""
        if not self.data or self.working:
            return None
        if path is None:
            name = file_dialogs.save_file_name(
                self, _("Save as PDF"), str(self.suggested_path()), _(PDF_FILTER)
            )
            if not name:
                return None
            path = name
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".pdf")
        try:
            write_export(target, self.data)
        except Exception as exc:  # ExportFailed: the message says what and where
            errors.report(exc)
            return None
        app_settings().setValue(FOLDER_KEY, str(target.parent))
        parent = self.parentWidget()
        show = getattr(parent.window() if parent is not None else None, "show_message", None)
        if callable(show):
            show(_("Saved {path}").format(path=target))
        return target

    def print_(self) -> None:
        """The system print dialog (all pages, a range, or the page shown), then the pages
        onto the chosen printer."""
        if not self.data or self.working:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(Path(file_name(self.stem, self.date)).stem)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print"))
        dialog.setMinMax(1, max(self.page_count(), 1))
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.print_to(printer)
        except Exception as exc:
            errors.report(exc)

    def pages_to_print(self, printer: QPrinter) -> list[int]:
        """The pages (from 0) the print dialog asked for."""
        return printing.pages_asked(printer, self.page_count(), self.page())

    def print_to(self, printer: QPrinter) -> int:
        """Render the chosen pages onto `printer`; returns how many pages were printed."""
        return printing.print_pages(self.document, printer, self.pages_to_print(printer))


def open_pdf_preview(
    parent: QWidget | None,
    title: str,
    stem: str,
    job: Job,
    choices: Sequence[tuple[str, Any]] = (),
    choice_label: str = "",
    date: dt.date | None = None,
) -> PdfPreview:
    """Show the preview at once (with its progress), the PDF built in the background."""
    dialog = PdfPreview(title, stem, job, choices, choice_label, parent, date=date)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.generate()
    return dialog
