"""Status changes said aloud: a screen reader (Orca, NVDA, VoiceOver) reads a label only when
the focus goes to it, so a save, an error or a check-in at the door would go unheard.
`announce` hands it the words at once (Qt 6.8's QAccessibleAnnouncementEvent, sent to AT-SPI
as an announcement); it costs nothing when no screen reader listens.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QApplication, QLabel


def announce(source: QObject | None, text: str, *, urgent: bool = False) -> None:
    """Have a screen reader say `text`, after what it is saying (or at once when `urgent`:
    an error). `source` is the widget it comes from (the active window when None)."""
    text = text.strip()
    source = source if source is not None else QApplication.activeWindow()
    if not text or source is None:
        return
    event = QAccessibleAnnouncementEvent(source, text)
    politeness = QAccessible.AnnouncementPoliteness
    event.setPoliteness(politeness.Assertive if urgent else politeness.Polite)
    QAccessible.updateAccessibility(event)


def say(label: QLabel, text: str, *, urgent: bool = False) -> None:
    """Show `text` on `label` and announce it."""
    label.setText(text)
    announce(label, text, urgent=urgent)
