"""Reminders: what is announced for a small fixture (a task due today, an event tomorrow, an
overdue commitment), once a day, never when turned off, and where it shows without a tray."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from cmplanner import clock
from cmplanner.model import EventCreate
from cmplanner.services import preferences
from cmplanner.services.commitments import add_commitment
from cmplanner.services.contact_data import ContactData
from cmplanner.services.contacts import create_contact
from cmplanner.services.events import create_event
from cmplanner.services.tasks import TaskData, add_task
from cmplanner.storage import Database
from tests.conftest import FROZEN_NOW
from ui.kit.jobs import run_in_background
from ui.shell import reminders as reminders_module
from ui.shell.main_window import MainWindow
from ui.shell.reminders import Reminders


def _event(db: Database, title: str, day: dt.date, hour: int = 19) -> int:
    start = dt.datetime.combine(day, dt.time(hour))
    event, _changes = create_event(
        db,
        EventCreate(
            title=title,
            start_local=start,
            end_local=start + dt.timedelta(hours=2),
            timezone="Europe/Paris",
            status="confirmed",
        ),
    )
    return event.id


@pytest.fixture
def board_db(empty_db: Database, frozen_clock: dt.datetime) -> Iterator[Database]:
    """Due today: one task; tomorrow: one event; overdue: one commitment. And things that are
    not for today: a task in three days, an event in three days, a commitment due next week."""
    db = empty_db
    today = clock.today()
    add_task(db, TaskData("Book the room", due_date=today))
    add_task(db, TaskData("Print the badges", due_date=today + dt.timedelta(days=3)))
    _event(db, "Apéro du jeudi", today + dt.timedelta(days=1))
    _event(db, "Atelier", today + dt.timedelta(days=3))
    zoe, _changes = create_contact(db, ContactData(given_name="Zoé", family_name="Lefèvre"))
    add_commitment(db, "Send the photos", today - dt.timedelta(days=5), contact_id=zoe)
    add_commitment(db, "Call back", today + dt.timedelta(days=6), contact_id=zoe)
    yield db


class Said:
    """Every notification a Reminders object makes."""

    def __init__(self, reminders: Reminders) -> None:
        self.items: list[tuple[str, str]] = []
        reminders.notified.connect(lambda title, text: self.items.append((title, text)))


def started(qtbot, db: Database) -> tuple[Reminders, Said]:
    reminders = Reminders(db, tray=False)
    said = Said(reminders)
    with qtbot.waitSignal(reminders.checked, timeout=5000):
        reminders.start()
    return reminders, said


def test_the_fixture_gives_the_three_reminders_in_a_digest(qtbot, board_db: Database) -> None:
    reminders, said = started(qtbot, board_db)
    assert [r.kind for r in reminders.last.reminders] == ["task", "event", "commitment"]
    assert [r.text for r in reminders.last.reminders] == [
        "Due today: Book the room",
        "Tomorrow at 19:00: Apéro du jeudi",
        "Overdue: Send the photos (to Zoé Lefèvre)",
    ]
    assert said.items == [
        (
            "CM Planner: today",
            "1 task due today · 1 overdue commitment · tomorrow: Apéro du jeudi.\n"
            "Due today: Book the room\n"
            "Tomorrow at 19:00: Apéro du jeudi\n"
            "Overdue: Send the photos (to Zoé Lefèvre)",
        )
    ]
    assert reminders_module.digest_shown_today(str(board_db.path))
    # Checked again every hour, and just after midnight.
    assert reminders._timer.isActive() and reminders._timer.interval() == 3_600_000
    assert reminders._midnight.isActive()
    assert 0 < reminders._midnight.remainingTime() <= (24 * 3600 + 5) * 1000
    reminders.stop()


def test_nothing_is_repeated_the_same_day_and_new_items_are_announced_once(
    qtbot, board_db: Database
) -> None:
    first, _said = started(qtbot, board_db)
    first.stop()
    # CM Planner starts again the same day: no digest, nothing said again.
    again, said = started(qtbot, board_db)
    assert said.items == []
    # A task that becomes due today is announced on the next check, alone, once.
    add_task(board_db, TaskData("Buy the drinks", due_date=clock.today()))
    with qtbot.waitSignal(again.checked):
        again.check()
    assert said.items == [("Task due today", "Due today: Buy the drinks")]
    with qtbot.waitSignal(again.checked):
        again.check()
    assert len(said.items) == 1
    # The next morning: a new day, a new digest (the event is today now, not tomorrow).
    clock.freeze(FROZEN_NOW + dt.timedelta(days=1))
    with qtbot.waitSignal(again.checked):
        again.check()
    assert len(said.items) == 2
    title, text = said.items[1]
    assert title == "CM Planner: today"
    assert "Overdue: Send the photos (to Zoé Lefèvre)" in text
    assert "Apéro du jeudi" not in text
    again.stop()


def test_several_new_items_make_one_notification_without_the_digest(
    qtbot, board_db: Database
) -> None:
    preferences.put(board_db, "reminders.start_digest", "0")
    reminders, said = started(qtbot, board_db)
    assert said.items == [
        (
            "3 reminders",
            "Due today: Book the room\n"
            "Tomorrow at 19:00: Apéro du jeudi\n"
            "Overdue: Send the photos (to Zoé Lefèvre)",
        )
    ]
    assert not reminders_module.digest_shown_today(str(board_db.path))
    reminders.stop()


def test_none_when_turned_off_and_the_change_applies_at_once(qtbot, board_db: Database) -> None:
    preferences.put(board_db, "reminders.enabled", "0")
    reminders, said = started(qtbot, board_db)
    assert said.items == [] and not reminders.enabled
    assert not reminders._timer.isActive()
    # Turned on in Preferences (a write on the job runner, which publishes its Changes): the
    # check runs at once.
    with qtbot.waitSignal(reminders.checked, timeout=5000):
        run_in_background(preferences.put, board_db, "reminders.enabled", "1")
    assert reminders.enabled and reminders._timer.isActive()
    assert len(said.items) == 1 and said.items[0][0] == "CM Planner: today"
    # Off again: the hourly check stops.
    with qtbot.waitSignal(reminders.checked, timeout=5000):
        run_in_background(preferences.put, board_db, "reminders.enabled", "0")
    assert not reminders.enabled and not reminders._timer.isActive()
    reminders.stop()


def test_the_tray_menu_and_a_clicked_notification_show_the_dashboard(
    qtbot, board_db: Database
) -> None:
    reminders = Reminders(board_db, tray=True)
    with qtbot.waitSignal(reminders.checked):
        reminders.start()
    assert reminders.tray is not None
    menu = reminders.tray.contextMenu()
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["&Show CM Planner", "Today's &digest", "&Quit"]
    with qtbot.waitSignal(reminders.showRequested):
        reminders.tray.messageClicked.emit()
    with qtbot.waitSignal(reminders.quitRequested):
        menu.actions()[-1].trigger()
    # "Today's digest" says it again, whatever was said before.
    with qtbot.waitSignal(reminders.notified) as blocker:
        menu.actions()[1].trigger()
    assert blocker.args[0] == "CM Planner: today"
    reminders.stop()
    assert not reminders.tray.isVisible()


def test_without_a_tray_the_window_shows_a_banner(
    qtbot, window: MainWindow, frozen_clock: dt.datetime
) -> None:
    assert window._reminders_timer.isActive() or window.first_view_filled
    window.show_section("contacts")
    window.start_reminders()
    banner = window.reminder_banner
    assert banner is not None and banner.isVisible()
    assert banner.title == "CM Planner: today"
    said = banner.text.text()
    assert said.startswith("<b>CM Planner: today</b>")
    assert html.escape(window.reminders.last.digest.splitlines()[0]) in said
    qtbot.mouseClick(banner.open, Qt.MouseButton.LeftButton)
    assert window.current_key() == "dashboard"
    assert not banner.isVisible()
    # Dismissed by its ✕ as well.
    banner.say("x", "y")
    qtbot.mouseClick(banner.close_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()


def test_help_menu_opens_the_dashboard_help(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(window.view("dashboard"), "show_help", lambda: shown.append("help"))
    window.show_section("contacts")
    window.commands["dashboard_help"].trigger()
    assert shown == ["help"] and window.current_key() == "dashboard"


def test_a_quiet_day_pops_nothing_up_but_the_digest_still_says_so(
    qtbot, empty_db: Database, frozen_clock: dt.datetime
) -> None:
    reminders, said = started(qtbot, empty_db)
    assert reminders.last.quiet and reminders.last.reminders == ()
    assert said.items == []  # no "nothing to do" bubble or banner at start
    assert reminders_module.digest_shown_today(str(empty_db.path))
    # Asked for (the tray menu's "Today's digest"), it says the day is clear.
    with qtbot.waitSignal(reminders.notified) as blocker:
        reminders.show_digest()
    assert blocker.args == ["CM Planner: today", "Nothing due today and no event tomorrow."]
    # Something due later the same day is announced as usual.
    add_task(empty_db, TaskData("Book the room", due_date=clock.today()))
    with qtbot.waitSignal(reminders.checked):
        reminders.check()
    assert not reminders.last.quiet
    assert said.items[-1] == ("Task due today", "Due today: Book the room")
    reminders.stop()
