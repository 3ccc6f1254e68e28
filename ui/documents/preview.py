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
    QEvent,
    QIODevice,
    QObject,
    QPointF,
    QStandardPaths,
    Qt,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QPalette, QResizeEvent, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
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
from ui.kit import accessible, errors, file_dialogs, theme
from ui.kit.jobs import run_in_background
from ui.kit.settings import app_settings
from ui.kit.sizing import resize_within_screen

PDF_FILTER = N_("PDF documents (*.pdf);;All files (*)")
FOLDER_KEY = "documents/folder"  # where the last document was saved
ZOOM_MIN, ZOOM_MAX, ZOOM_STEP = 0.25, 5.0, 1.25

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
        page_caption = self._build_page_controls()
        close = self._build_zoom_controls()
        self._arrange(bool(choices), choice_caption, page_caption, close)
        self._add_shortcuts()
        # The view would scroll by a screenful on these keys: they turn pages instead.
        self.view.installEventFilter(self)
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

        self.save_button = self._button(
            _("&Save as PDF…"), "savePdf", _("Save the document as a PDF file (Ctrl+S)")
        )
        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.print_button = self._button(_("&Print…"), "printPdf", _("Print the document (Ctrl+P)"))
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
        self.view.pageNavigator().currentPageChanged.connect(self._show_page)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("previewError")
        self.error_label.setWordWrap(True)
        self.error_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        retry = self._button(_("&Try again"), "retryPreview", "")
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

    def _build_page_controls(self) -> QLabel:
        self.previous_button = self._button(
            "▲", "previousPage", _("Previous page (Page Up)"), small=True
        )
        self.previous_button.setAccessibleName(_("Previous page"))
        self.previous_button.clicked.connect(lambda _checked=False: self.go_to(self.page() - 1))
        self.page_box = QSpinBox(self)
        self.page_box.setObjectName("pageNumber")
        self.page_box.setToolTip(_("Go to page"))
        self.page_box.setKeyboardTracking(False)
        self.page_box.setRange(1, 1)
        self.page_box.setMinimumWidth(self.fontMetrics().horizontalAdvance("0000") + 32)
        self.page_box.valueChanged.connect(lambda n: self.go_to(n - 1))
        page_caption = QLabel(_("Page"), self)
        page_caption.setBuddy(self.page_box)
        self.page_total = QLabel(self)
        self.page_total.setObjectName("pageTotal")
        self.next_button = self._button("▼", "nextPage", _("Next page (Page Down)"), small=True)
        self.next_button.setAccessibleName(_("Next page"))
        self.next_button.clicked.connect(lambda _checked=False: self.go_to(self.page() + 1))
        return page_caption

    def _build_zoom_controls(self) -> QPushButton:
        """Zoom out, the zoom, zoom in, fit the width; and Close."""
        self.zoom_out_button = self._button(
            "−", "zoomOut", _("Zoom out ({keys})").format(keys=_keys("ZoomOut")), small=True
        )
        self.zoom_out_button.clicked.connect(lambda _checked=False: self.zoom(1 / ZOOM_STEP))
        accessible.name(self.zoom_out_button, _("Zoom out"))
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("zoomLevel")
        self.zoom_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("0000 %"))
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_in_button = self._button(
            "+", "zoomIn", _("Zoom in ({keys})").format(keys=_keys("ZoomIn")), small=True
        )
        self.zoom_in_button.clicked.connect(lambda _checked=False: self.zoom(ZOOM_STEP))
        accessible.name(self.zoom_in_button, _("Zoom in"))
        self.fit_button = self._button(
            _("Fit &width"), "fitWidth", _("Fit the page to the width (Ctrl+0)")
        )
        self.fit_button.clicked.connect(lambda _checked=False: self.fit_width())
        close = self._button(_("Close"), "closePreview", _("Close the preview (Esc)"))
        close.clicked.connect(self.reject)
        return close

    def _arrange(
        self, has_choices: bool, choice_caption: QLabel, page_caption: QLabel, close: QPushButton
    ) -> None:
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
        # Pages and zoom: shown once there is a document to move through.
        self.view_controls = QWidget(self)
        self.view_controls.setObjectName("viewControls")
        controls = QHBoxLayout(self.view_controls)
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(self.previous_button)
        controls.addWidget(page_caption)
        controls.addWidget(self.page_box)
        controls.addWidget(self.page_total)
        controls.addWidget(self.next_button)
        controls.addStretch(1)
        controls.addWidget(self.zoom_out_button)
        controls.addWidget(self.zoom_label)
        controls.addWidget(self.zoom_in_button)
        controls.addWidget(self.fit_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.view_controls, 1)
        bottom.addStretch()  # keeps Close on the right while the controls are hidden
        bottom.addSpacing(12)
        bottom.addWidget(close)
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

    def _button(self, text: str, name: str, tip: str, small: bool = False) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)  # Enter in the preview saves or prints nothing by surprise
        if tip:
            button.setToolTip(tip)
        if small:
            button.setFixedWidth(button.sizeHint().height() + 6)
        return button

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
            self.previous_button,
            self.next_button,
            self.page_box,
            self.zoom_in_button,
            self.zoom_out_button,
            self.fit_button,
        ):
            widget.setEnabled(has_pages)

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
        self._show_page(0)
        self._show_zoom()

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
        self._show_page(0)

    def page_count(self) -> int:
        return max(int(self.document.pageCount()), 0)

    # -- pages and zoom --------------------------------------------------------------------

    def page(self) -> int:
        """The page shown (from 0)."""
        return int(self.view.pageNavigator().currentPage())

    def go_to(self, page: int) -> None:
        """Show page `page` (from 0; clamped to the document)."""
        n = self.page_count()
        if not n:
            return
        page = max(0, min(n - 1, page))
        navigator = self.view.pageNavigator()
        navigator.jump(page, QPointF(0, 0), navigator.currentZoom())
        self._show_page(page)

    def _surround(self, _scheme: str = "") -> None:
        """QPdfView paints around its pages in the palette's Dark: the scheme's grey (the
        pages stay white, as printed)."""
        palette = self.view.palette()
        palette.setColor(QPalette.ColorRole.Dark, theme.colour("pdf_surround"))
        self.view.setPalette(palette)

    def _show_page(self, page: int) -> None:
        n = self.page_count()
        self.page_box.blockSignals(True)
        self.page_box.setRange(1, max(n, 1))
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        self.page_total.setText(_("of {n}").format(n=n) if n else "")
        shown = n > 0 and bool(self.data) and not self.working
        self.previous_button.setEnabled(shown and page > 0)
        self.next_button.setEnabled(shown and page < n - 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                return super().eventFilter(watched, event)
            target = {
                Qt.Key.Key_PageDown: self.page() + 1,
                Qt.Key.Key_PageUp: self.page() - 1,
                Qt.Key.Key_Home: 0,
                Qt.Key.Key_End: self.page_count() - 1,
            }.get(Qt.Key(event.key()))
            if target is not None:
                self.go_to(target)
                return True
        return super().eventFilter(watched, event)

    def zoom_factor(self) -> float:
        """The zoom shown, 1.0 = 100 % (fit to width computed from the viewport)."""
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom:
            return float(self.view.zoomFactor())
        size = self.document.pagePointSize(max(self.page(), 0))
        width = size.width() * self.logicalDpiX() / 72 if size.width() else 0
        return self.view.viewport().width() / width if width else 1.0

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._show_zoom()

    def zoom(self, factor: float) -> None:
        if not self.data:
            return
        current = self.zoom_factor()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(ZOOM_MIN, min(ZOOM_MAX, current * factor)))
        self._show_zoom()

    def _show_zoom(self) -> None:
        percent = round(self.zoom_factor() * 100) if self.data else 100
        self.zoom_label.setText(_("{percent}%").format(percent=percent) if self.data else "")
        ready = bool(self.data) and not self.working
        self.zoom_out_button.setEnabled(ready and percent > ZOOM_MIN * 100)
        self.zoom_in_button.setEnabled(ready and percent < ZOOM_MAX * 100)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._show_zoom()  # fit to width follows the window

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


def _keys(standard: str) -> str:
    """A standard shortcut as the user's platform writes it (e.g. "Ctrl++")."""
    sequence = QKeySequence(getattr(QKeySequence.StandardKey, standard))
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


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
