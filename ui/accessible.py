"""What a screen reader says of a control: its name and, when the label does not say it all,
what it is for.

Qt names a field after its buddy label only when the label is its sibling; a field inside a
row of its own (a date beside a check box, a table under a title) is named here instead.
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QWidget


def plain(text: str) -> str:
    """A label's text as said aloud: no "&" mnemonic, no closing colon."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip().rstrip(":").strip()


def name(widget: QWidget, text: str, description: str = "") -> None:
    """Name `widget` (and describe it, when its name does not say what it is for)."""
    widget.setAccessibleName(plain(text))
    if description:
        widget.setAccessibleDescription(description)
    edit = widget.lineEdit() if isinstance(widget, QComboBox) else None
    if edit is not None:  # what is typed in an editable combo is a child of its own
        name(edit, text, description)


def name_typed_combos(root: QWidget) -> None:
    """The text field of each editable combo under `root` says the combo's name (its buddy
    label's): a screen reader reaches it as an object of its own."""
    for combo in root.findChildren(QComboBox):
        edit = combo.lineEdit()
        interface = QAccessible.queryAccessibleInterface(combo)
        said = interface.text(QAccessible.Text.Name) if interface is not None else ""
        if edit is not None and not edit.accessibleName() and said:
            edit.setAccessibleName(said)


def name_after(widget: QWidget, label: QLabel | QAbstractButton, description: str = "") -> None:
    """Name `widget` after the label or check box shown before it."""
    name(widget, label.text(), description)


def name_after_buddy(combo: QComboBox) -> None:
    """Name a combo box after the label whose buddy it is. On Linux Qt gives a combo box its
    current choice as its name ("Apéro", "All") and leaves the label to a relation some
    screen readers do not follow: a name of its own says what is chosen."""
    if combo.accessibleName():
        return
    window = combo.window()
    for label in window.findChildren(QLabel):
        if label.buddy() is combo and label.text():
            name(combo, label.text())
            return
