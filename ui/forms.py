"""Small pieces every form and dialog builds the same way: the red line under a field that
says what is wrong, and the Save / Cancel buttons."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit, QPushButton, QWidget

from cmplanner.i18n import _


def error_label(parent: QWidget, hidden: bool = True) -> QLabel:
    """A wrapped line in the error style (object name `fieldError`), hidden until needed."""
    label = QLabel(parent)
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    if hidden:
        label.hide()
    return label


def show_error(label: QLabel, message: str | None) -> None:
    """Say `message` on `label`, or hide it when there is nothing to say."""
    label.setText(message or "")
    label.setVisible(bool(message))


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
