"""The preview's page and zoom controls: page n/N with ▲/▼ (and PageUp/PageDown/Home/End in
the view), zoom out, the zoom, zoom in, fit the width."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from cmplanner.i18n import _
from ui.kit import accessible

ZOOM_MIN, ZOOM_MAX, ZOOM_STEP = 0.25, 5.0, 1.25


def button(parent: QWidget, text: str, name: str, tip: str, small: bool = False) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAutoDefault(False)  # Enter in the preview saves or prints nothing by surprise
    if tip:
        button.setToolTip(tip)
    if small:
        button.setFixedWidth(button.sizeHint().height() + 6)
    return button


def _keys(standard: str) -> str:
    """A standard shortcut as the user's platform writes it (e.g. "Ctrl++")."""
    sequence = QKeySequence(getattr(QKeySequence.StandardKey, standard))
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


class PageControls(QWidget):
    """Moves through `view`'s document and zooms it. The owner says whether there is a
    document to show (`loaded`) and whether a new one is being generated (`working`), and
    calls `show_page` when the view's page changes (it outlives the document, this does not).
    """

    def __init__(self, view: QPdfView, document: QPdfDocument, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("viewControls")
        self.view = view
        self.document = document
        self.loaded = False
        self.working = True
        page_caption = self._build_page_controls()
        self._build_zoom_controls()
        controls = QHBoxLayout(self)
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
        # The view would scroll by a screenful on these keys: they turn pages instead.
        view.installEventFilter(self)

    def _build_page_controls(self) -> QLabel:
        self.previous_button = button(
            self, "▲", "previousPage", _("Previous page (Page Up)"), small=True
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
        self.next_button = button(self, "▼", "nextPage", _("Next page (Page Down)"), small=True)
        self.next_button.setAccessibleName(_("Next page"))
        self.next_button.clicked.connect(lambda _checked=False: self.go_to(self.page() + 1))
        return page_caption

    def _build_zoom_controls(self) -> None:
        self.zoom_out_button = button(
            self, "−", "zoomOut", _("Zoom out ({keys})").format(keys=_keys("ZoomOut")), small=True
        )
        self.zoom_out_button.clicked.connect(lambda _checked=False: self.zoom(1 / ZOOM_STEP))
        accessible.name(self.zoom_out_button, _("Zoom out"))
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("zoomLevel")
        self.zoom_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("0000 %"))
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_in_button = button(
            self, "+", "zoomIn", _("Zoom in ({keys})").format(keys=_keys("ZoomIn")), small=True
        )
        self.zoom_in_button.clicked.connect(lambda _checked=False: self.zoom(ZOOM_STEP))
        accessible.name(self.zoom_in_button, _("Zoom in"))
        self.fit_button = button(
            self, _("Fit &width"), "fitWidth", _("Fit the page to the width (Ctrl+0)")
        )
        self.fit_button.clicked.connect(lambda _checked=False: self.fit_width())

    def set_enabled(self, enabled: bool) -> None:
        for widget in (
            self.previous_button,
            self.next_button,
            self.page_box,
            self.zoom_in_button,
            self.zoom_out_button,
            self.fit_button,
        ):
            widget.setEnabled(enabled)

    # -- pages -----------------------------------------------------------------------------

    def page_count(self) -> int:
        return max(int(self.document.pageCount()), 0)

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
        self.show_page(page)

    def show_page(self, page: int) -> None:
        n = self.page_count()
        self.page_box.blockSignals(True)
        self.page_box.setRange(1, max(n, 1))
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        self.page_total.setText(_("of {n}").format(n=n) if n else "")
        shown = n > 0 and self.loaded and not self.working
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

    # -- zoom ------------------------------------------------------------------------------

    def zoom_factor(self) -> float:
        """The zoom shown, 1.0 = 100 % (fit to width computed from the viewport)."""
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom:
            return float(self.view.zoomFactor())
        size = self.document.pagePointSize(max(self.page(), 0))
        width = size.width() * self.logicalDpiX() / 72 if size.width() else 0
        return self.view.viewport().width() / width if width else 1.0

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.show_zoom()

    def zoom(self, factor: float) -> None:
        if not self.loaded:
            return
        current = self.zoom_factor()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(ZOOM_MIN, min(ZOOM_MAX, current * factor)))
        self.show_zoom()

    def show_zoom(self) -> None:
        loaded = self.loaded
        percent = round(self.zoom_factor() * 100) if loaded else 100
        self.zoom_label.setText(_("{percent}%").format(percent=percent) if loaded else "")
        ready = loaded and not self.working
        self.zoom_out_button.setEnabled(ready and percent > ZOOM_MIN * 100)
        self.zoom_in_button.setEnabled(ready and percent < ZOOM_MAX * 100)
