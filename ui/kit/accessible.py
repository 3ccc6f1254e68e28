"""What a screen reader says of a control: its name and, when the label does not say it all,
what it is for.

Qt names a field after its buddy label only when the label is its sibling; a field inside a
row of its own (a date beside a check box, a table under a title) is named here instead.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
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


def label_combo(combo: QComboBox) -> None:
    """Give a combo box, once shown, a label a screen reader follows. On Linux Qt names a
    combo box after its current choice ("Apéro", "Any tag") and says what it is for by a
    relation to a label beside it whose buddy it is (GTK does the same): a combo box with
    no such label gets one, hidden, with its name (set by `name`) or its form label's text.
    Its name is set too, for the platforms that read it."""
    parent = combo.parentWidget()
    if parent is None:
        return
    direct = Qt.FindChildOption.FindDirectChildrenOnly
    if any(label.buddy() is combo for label in parent.findChildren(QLabel, options=direct)):
        return
    text = combo.accessibleName()
    if not text:
        buddies = (lab for lab in combo.window().findChildren(QLabel) if lab.buddy() is combo)
        text = plain(next((lab.text() for lab in buddies if lab.text()), ""))
        if not text:
            return
        combo.setAccessibleName(text)
    said = QLabel(text, parent)
    said.setObjectName("comboLabel")
    said.setBuddy(combo)
    said.hide()
