"""What a screen reader says of a control: its name and, when the label does not say it all,
what it is for.

Qt names a field after its buddy label only when the label is its sibling; a field inside a
row of its own (a date beside a check box, a table under a title) is named here instead.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget


def plain(text: str) -> str:
    """A label's text as said aloud: no "&" mnemonic, no closing colon."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip().rstrip(":").strip()


def name(widget: QWidget, text: str, description: str = "") -> None:
    """Name `widget` (and describe it, when its name does not say what it is for)."""
    widget.setAccessibleName(plain(text))
    if description:
        widget.setAccessibleDescription(description)


def name_after(widget: QWidget, label: QLabel | QAbstractButton, description: str = "") -> None:
    """Name `widget` after the label or check box shown before it."""
    name(widget, label.text(), description)
