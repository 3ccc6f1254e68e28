"""Small pieces every form and dialog builds the same way: the red line under a field that
says what is wrong, the Save / Cancel buttons, a page that scrolls."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QWidget,
)

from cmplanner.i18n import _
from ui.kit.announce import announce


def error_label(parent: QWidget, hidden: bool = True) -> QLabel:
    """A wrapped line in the error style (object name `fieldError`), hidden until needed."""
    label = QLabel(parent)
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    if hidden:
        label.hide()
    return label


def show_error(label: QLabel, message: str | None) -> None:
    """Say `message` on `label` (and to a screen reader, the first time), or hide it when
    there is nothing to say."""
    new = bool(message) and (label.isHidden() or label.text() != message)
    label.setText(message or "")
    label.setVisible(bool(message))
    if new:
        announce(label, message or "", urgent=True)


def filled(field: QLineEdit, label: QLabel, message: str) -> bool:
    """True when `field` holds some text; else `message` on `label` and the focus on `field`
    (a form that cannot be saved without it)."""
    if field.text().strip():
        return True
    show_error(label, message)
    field.setFocus()
    return False


def save_cancel(
    parent: QWidget,
    on_save: Callable[[], object],
    on_cancel: Callable[[], object],
    cancel_text: str | None = None,
) -> tuple[QDialogButtonBox, QPushButton]:
    """Save and Cancel (in the interface's language, whatever Qt's own translations say);
    returns the box and its Save button."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, parent
    )
    save = buttons.button(QDialogButtonBox.StandardButton.Save)
    save.setText(_("Save"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text or _("Cancel"))
    buttons.accepted.connect(on_save)
    buttons.rejected.connect(on_cancel)
    return buttons, save


class _DownOnly(QScrollArea):
    """Scrolls up and down, never sideways: as wide as its form needs."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        inner = self.widget()
        if inner is None:
            return hint
        bar = self.verticalScrollBar().sizeHint().width()
        width = inner.minimumSizeHint().width() + bar + 2 * self.frameWidth()
        return QSize(max(hint.width(), width), hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the form grew wider (a longer text): so does the dialog
        return super().eventFilter(watched, event)


def scroll_area(widget: QWidget) -> QScrollArea:
    """`widget` in a frameless scroll area it fills: a form longer than a laptop's screen
    scrolls up and down (the dialog's buttons stay outside it, always on screen)."""
    area = _DownOnly()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(widget)
    widget.installEventFilter(area)
    return area
