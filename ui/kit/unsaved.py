"""No edit is ever lost: an editor with unsaved changes asks before it closes.

`UnsavedChangesGuard` is mixed into every editor and data-entry dialog (before QDialog or
QWizard in its bases). It keeps what the form held when it was shown; Escape, Cancel, the
window's close button and quitting the application compare with it, and when something
changed they ask: Save / Discard / Keep editing. A form with no change closes at once.
Ctrl+S saves, as in every desktop editor.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from cmplanner.i18n import _
from ui.kit.focus_order import layout_inputs, set_tab_order

SAVE, DISCARD, KEEP = "save", "discard", "keep"
SAVED_AT_ONCE = "savedAtOnce"  # property of a panel whose changes are written as they are made


def saved_at_once(widget: QWidget) -> None:
    """Mark a panel (promises, a saved event's guests…) whose changes are already written:
    nothing in it waits for Save."""
    widget.setProperty(SAVED_AT_ONCE, True)


def _skipped(widget: QWidget, root: QWidget) -> bool:
    current: QWidget | None = widget
    while current is not None and current is not root:
        if current.property(SAVED_AT_ONCE):
            return True
        current = current.parentWidget()
    return False


def form_values(root: QWidget) -> tuple[Any, ...]:
    """What the inputs under `root` hold (text, choice, tick, number, date), in reading
    order; panels marked `saved_at_once` are left out."""
    values: list[Any] = []
    for widget in layout_inputs(root):
        if _skipped(widget, root):
            continue
        if isinstance(widget, QLineEdit):
            if not widget.isReadOnly():
                values.append(widget.text())
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            if not widget.isReadOnly():
                values.append(widget.toPlainText())
        elif isinstance(widget, QAbstractSpinBox):
            values.append(widget.text())
        elif isinstance(widget, QComboBox):
            values.append((widget.currentIndex(), widget.currentText()))
        elif isinstance(widget, QAbstractButton) and widget.isCheckable():
            values.append(widget.isChecked())
    return tuple(values)


def ask_unsaved(window: QWidget, can_save: bool = True) -> str:
    """Ask what to do with the changes of `window`: SAVE, DISCARD or KEEP (editing)."""
    name = window.windowTitle()
    box = QMessageBox(window)
    box.setObjectName("unsavedChanges")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(name)
    if can_save:
        box.setText(_("Save the changes made in “{name}”?").format(name=name))
        box.setInformativeText(_("If you close without saving, your changes are lost."))
        buttons = QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
    else:
        box.setText(_("Stop “{name}”?").format(name=name))
        box.setInformativeText(_("What you chose so far is lost."))
        buttons = QMessageBox.StandardButton.Discard
    box.setStandardButtons(buttons | QMessageBox.StandardButton.Cancel)
    if can_save:
        box.button(QMessageBox.StandardButton.Save).setText(_("Save"))
        box.setDefaultButton(QMessageBox.StandardButton.Save)
    box.button(QMessageBox.StandardButton.Discard).setText(_("Discard"))
    keep = box.button(QMessageBox.StandardButton.Cancel)
    keep.setText(_("Keep editing"))
    box.setEscapeButton(keep)
    if not can_save:
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return SAVE
    if answer == QMessageBox.StandardButton.Discard:
        return DISCARD
    return KEEP


class UnsavedChangesGuard:
    """Mixed into a QDialog or QWizard: its closing asks when the form was changed.

    A subclass may say what its form holds (`edit_state`, default: every input's value), how
    it saves (`save_changes`, default: `accept()`, which closes only when the form is right),
    and call `mark_clean()` when it has (re)loaded its values after being shown.
    """

    can_save = True  # False: nothing to save (a wizard): the question is Discard / Keep
    save_shortcut = True  # Ctrl+S saves
    _clean_state: Any = None
    _discarding = False
    _guard_ready = False

    # -- what the form holds ---------------------------------------------------------------

    def edit_state(self) -> Any:
        return form_values(self)  # type: ignore[arg-type]

    def mark_clean(self) -> None:
        """The form as it is now is the saved one."""
        self._clean_state = self._state()

    def _state(self) -> Any:
        try:
            return self.edit_state()
        except Exception:  # a form too broken to read is treated as changed
            return object()

    def has_unsaved_changes(self) -> bool:
        if self._clean_state is None or self._discarding:
            return False
        return bool(self._state() != self._clean_state)

    # -- saving and closing ----------------------------------------------------------------

    def save_changes(self) -> None:
        """Save (and close when the form is right; otherwise its problems are shown)."""
        self.accept()  # type: ignore[attr-defined]

    def confirm_close(self) -> bool:
        """True when the editor may close now: no change, or the changes discarded. Save
        saves (the editor closes itself when it could); Keep editing keeps it open."""
        if not self.has_unsaved_changes():
            return True
        answer = ask_unsaved(self, self.can_save)  # type: ignore[arg-type]
        if answer == SAVE:
            self.save_changes()
            return False
        return answer == DISCARD

    def discard_and_close(self) -> None:
        """Close without asking (the changes are thrown away)."""
        self._discarding = True
        super().reject()  # type: ignore[misc]

    def reject(self) -> None:
        # Escape, Cancel and the window's close button (QDialog.closeEvent rejects) all come
        # here.
        if self.confirm_close():
            super().reject()  # type: ignore[misc]

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)  # type: ignore[misc]
        if not self._guard_ready:
            self._guard_ready = True
            self._discarding = False
            set_tab_order(self)  # type: ignore[arg-type]
            if self.save_shortcut and self.can_save:
                save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)  # type: ignore[call-overload]
                save.setContext(Qt.ShortcutContext.WindowShortcut)
                save.activated.connect(self.save_changes)
            if self._clean_state is None:
                self.mark_clean()


def open_editors() -> list[UnsavedChangesGuard]:
    """The editors on screen, those with unsaved changes first."""
    shown = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, UnsavedChangesGuard) and w.isVisible()
    ]
    return sorted(shown, key=lambda w: not w.has_unsaved_changes())


def close_editors() -> bool:
    """Before quitting: each editor with unsaved changes asks. False when one is kept open
    (Keep editing, or a Save that could not save)."""
    for editor in open_editors():
        if not editor.has_unsaved_changes():
            continue
        widget: Any = editor
        widget.raise_()
        widget.activateWindow()
        answer = ask_unsaved(widget, editor.can_save)
        if answer == KEEP:
            return False
        if answer == SAVE:
            editor.save_changes()
            if widget.isVisible():
                return False  # its problems are shown
        else:
            editor.discard_and_close()
    return True
