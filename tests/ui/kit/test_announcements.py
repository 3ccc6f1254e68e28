"""Status changes a screen reader says without the focus moving: a save (and its undo), an
error under a field, a check-in at the door, a message in the status bar. Each sends Qt's
accessibility announcement event (what AT-SPI passes on to Orca)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QLabel

from cmplanner.storage import Database
from tests.ui import editors
from tests.ui.events.test_checkin import door
from ui.kit.announce import announce, say
from ui.shell.main_window import MainWindow


@dataclass(frozen=True)
class Said:
    text: str
    urgent: bool
    source: object


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Said]]:
    """The announcements sent, in order (other accessibility events go through)."""
    heard: list[Said] = []
    send = QAccessible.updateAccessibility

    def listen(event: QAccessibleEvent) -> None:
        if event.type() == QAccessible.Event.Announcement:
            urgent = event.politeness() == QAccessible.AnnouncementPoliteness.Assertive
            heard.append(Said(event.message(), urgent, event.object()))
        else:
            send(event)

    monkeypatch.setattr(QAccessible, "updateAccessibility", listen)
    yield heard


def texts(heard: list[Said]) -> list[str]:
    return [s.text for s in heard]


def test_announce_sends_an_announcement_event_from_its_widget(qtbot, said: list[Said]) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    say(label, "Benoît Garcia checked in at 19:02.")
    announce(label, "Disk full", urgent=True)
    announce(label, "   ")  # nothing to say: nothing sent
    assert label.text() == "Benoît Garcia checked in at 19:02."
    assert said == [
        Said("Benoît Garcia checked in at 19:02.", False, label),
        Said("Disk full", True, label),
    ]


def test_the_real_event_goes_through_qt(qtbot) -> None:
    """Not intercepted: Qt takes the event (sent on to AT-SPI when a screen reader runs)."""
    label = QLabel()
    qtbot.addWidget(label)
    announce(label, "Saved")


def test_a_save_and_its_undo_are_announced(window: MainWindow, said: list[Said]) -> None:
    editor = editors.contact_editor(window)
    editor.family_name.setText("Nouveau-Nom")
    editor.save()
    done = [s for s in said if s.text.startswith("Done: Edit ")]
    assert len(done) == 1 and "Nouveau-Nom" in done[0].text
    assert done[0].source is window and not done[0].urgent
    window.commands["undo"].trigger()
    assert texts(said)[-1] == done[0].text.replace("Done:", "Undone:")


def test_an_error_under_a_field_is_announced_at_once_and_once(
    window: MainWindow, said: list[Said]
) -> None:
    dialog = editors.task(window)
    dialog.title.setText("   ")
    dialog.accept()
    dialog.accept()  # the same error again: already said
    assert said == [Said("Say what there is to do.", True, dialog.error)]


def test_a_check_in_at_the_door_is_announced(
    qtbot, demo_db: Database, frozen_clock: dt.datetime, said: list[Said]
) -> None:
    dialog = door(qtbot, demo_db)
    qtbot.keyClicks(dialog.search, "beno")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert said[-1].text == dialog.feedback.text()
    assert "Benoît Garcia" in said[-1].text and said[-1].source is dialog.feedback


def test_a_status_bar_message_is_announced(window: MainWindow, said: list[Said]) -> None:
    window.show_message("Backed up to /tmp/x.cmpbak")
    assert said == [Said("Backed up to /tmp/x.cmpbak", False, window)]
