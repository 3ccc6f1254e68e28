"""Windows that fit the screen they open on, and words that fit their boxes.

A dialog is never opened bigger than the screen (a laptop's 1366×768 or 1280×720); the main
window comes back where it was left, inside a screen that still exists; splitters come back
as they were left; column titles are not cut.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QFontInfo, QGuiApplication, QResizeEvent, QScreen
from PySide6.QtWidgets import QApplication, QDialog, QHeaderView, QLabel, QSplitter, QWidget

from ui.kit.settings import app_settings

# What a window manager adds around a window before it is first shown (borders, title bar),
# when the window cannot tell yet.
FRAME_ALLOWANCE = QSize(16, 40)

# The text size the app's pixel sizes were drawn for (Qt's default 9 pt at 96 dpi): a size
# "at 12 px" grows and shrinks with the person's text size (`scaled`, app.qss's `$size(…)`).
DESIGN_FONT_PX = 12


def _font_px(font: QFont) -> float:
    if font.pointSizeF() > 0:
        return font.pointSizeF() * 96 / 72  # device-independent pixels, whatever the scale
    return float(QFontInfo(font).pixelSize())


def text_scale(widget: QWidget | None = None) -> float:
    """The text size of `widget` (the application's by default) against the one the app
    was drawn for: 1.0 at the default size, 1.5 at 150% text."""
    font = widget.font() if widget is not None else QApplication.font()
    return _font_px(font) / DESIGN_FONT_PX


def scaled(px: int, widget: QWidget | None = None) -> int:
    """A width or height drawn as `px` at the default text size, grown with the text: a box
    sized for its words never cuts them when the person's text is bigger."""
    return round(px * max(text_scale(widget), 1.0))


def font_size(px: float, base: QFont | None = None) -> str:
    """A style sheet font size drawn as `px` at the default text size, relative to the
    application's font (`base`): in points when the font has a point size."""
    font = base if base is not None else QApplication.font()
    ratio = px / DESIGN_FONT_PX
    if font.pointSizeF() > 0:
        return f"{font.pointSizeF() * ratio:.1f}pt"
    return f"{round(QFontInfo(font).pixelSize() * ratio)}px"


def screen_of(widget: QWidget) -> QScreen:
    """The screen `widget` opens on: its parent window's, else its own, else the primary."""
    parent = widget.parentWidget()
    for candidate in (parent.window() if parent is not None else None, widget):
        if candidate is not None:
            screen = candidate.screen()
            if screen is not None:
                return screen
    return QGuiApplication.primaryScreen()


def _frame_extra(window: QWidget) -> QSize:
    """The frame's width and height beyond the window's own, once known."""
    frame = window.frameGeometry()
    extra = QSize(frame.width() - window.width(), frame.height() - window.height())
    if window.isVisible() and (extra.width() > 0 or extra.height() > 0):
        return extra
    parent = window.parentWidget()
    if parent is not None and parent.window().isVisible():
        top = parent.window()
        frame = top.frameGeometry()
        return QSize(frame.width() - top.width(), frame.height() - top.height())
    return FRAME_ALLOWANCE


def room_on_screen(window: QWidget) -> QSize:
    """The largest size `window` can have with its frame inside its screen."""
    available = screen_of(window).availableGeometry().size()
    return available - _frame_extra(window)


def resize_within_screen(window: QWidget, width: int, height: int) -> None:
    """`window.resize(width, height)`, but never bigger than its screen leaves room for."""
    room = room_on_screen(window)
    window.resize(min(width, room.width()), min(height, room.height()))


def keep_on_screen(window: QWidget) -> None:
    """Move (and shrink if it must) a window so its frame is inside the screen it is on, or
    the primary screen when its screen is gone (a geometry saved on a bigger monitor).
    Maximised or full screen, the window manager fits it already."""
    if window.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
        return
    frame = window.frameGeometry()
    screen = QGuiApplication.screenAt(frame.center()) or QGuiApplication.primaryScreen()
    available: QRect = screen.availableGeometry()
    extra = _frame_extra(window)
    width = min(window.width(), available.width() - extra.width())
    height = min(window.height(), available.height() - extra.height())
    if (width, height) != (window.width(), window.height()):
        window.resize(max(width, 1), max(height, 1))
    outer = QSize(window.width() + extra.width(), window.height() + extra.height())
    x = min(max(frame.x(), available.left()), available.left() + available.width() - outer.width())
    y = min(max(frame.y(), available.top()), available.top() + available.height() - outer.height())
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)


def fit_wrapped_text(dialog: QWidget) -> None:
    """Make `dialog` tall enough for its wrapped labels at its width. Qt sizes a window
    with only its minimum height at times (one opened over a window on a second screen),
    and a minimum height is computed without the lines a wrapped label needs."""
    layout = dialog.layout()
    if layout is None or not layout.hasHeightForWidth():
        return
    needed = layout.totalHeightForWidth(dialog.width())
    if needed > dialog.height():
        resize_within_screen(dialog, dialog.width(), needed)
        keep_on_screen(dialog)


class _FitOnShow(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog):
            # Once placed: a dialog moved to another screen is sized again after it shows.
            QTimer.singleShot(0, watched, lambda: fit_wrapped_text(watched))
        return False


_fit_on_show: _FitOnShow | None = None


def keep_dialogs_fitted(app: QApplication) -> None:
    """Every dialog of `app` is shown tall enough for its wrapped text (once per app)."""
    global _fit_on_show
    if _fit_on_show is None:
        _fit_on_show = _FitOnShow(app)
        app.installEventFilter(_fit_on_show)


def remember_splitter(splitter: QSplitter, key: str) -> None:
    """Give `splitter` the sizes it was left with (settings key `key`); keep them as moved."""
    store = app_settings()
    saved = store.value(key)
    if isinstance(saved, QByteArray | bytes):
        splitter.restoreState(QByteArray(saved))
    splitter.splitterMoved.connect(lambda _pos, _index: store.setValue(key, splitter.saveState()))


def fit_header_titles(header: QHeaderView) -> None:
    """Widen each column the person sizes (not the stretched ones) that is narrower than its
    title, sort arrow included: "Last seen" is never cut to "Last se"."""
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        if header.sectionResizeMode(section) != QHeaderView.ResizeMode.Interactive:
            continue
        needed = header.sectionSizeFromContents(section).width()
        if header.sectionSize(section) < needed:
            header.resizeSection(section, needed)


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" in the middle when it has less room
    than the text needs (a long path at a big text size); `whole` is the text, which the
    tooltip should say too."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.whole = ""

    def set_whole_text(self, text: str) -> None:
        self.whole = text
        self.updateGeometry()
        self._fit()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self.whole) + margins.left() + margins.right()
        return QSize(width + 2 * self.margin() + 2, hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(
            self.fontMetrics().horizontalAdvance("M" * 8), super().minimumSizeHint().height()
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        room = self.contentsRect().width() - 2 * self.margin() - 2
        shown = self.fontMetrics().elidedText(self.whole, Qt.TextElideMode.ElideMiddle, room)
        if shown != self.text():
            self.setText(shown)
