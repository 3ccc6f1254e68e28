"""A rule that repeats too often, in the app: typed in the event editor, it is refused under
the field as soon as it is typed (no background job spins on it); stored by an old version,
the calendar opens its month at once and says which series it could not show in full."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtGui import QUndoStack

from cmplanner.model import EventCreate
from cmplanner.services.browse import EVENTS
from cmplanner.services.events import create_event
from cmplanner.storage import Database
from tests.interop import radicale_server
from tests.interop.mail_server import MemoryKeyring, memory_keyring
from tests.time_limit import time_limit
from ui.calendar.view import CalendarView
from ui.events.editor import EventEditor
from ui.events.recurrence import CUSTOM
from ui.events.view import EventsView
from ui.shell.main_window import MainWindow

radicale = radicale_server.radicale
caldav_calendar = radicale_server.caldav_calendar
__all__ = ["memory_keyring"]


@pytest.fixture(autouse=True)
def job_errors_fail_the_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """A job that fails (or runs out of time) fails the test, instead of opening an error
    dialog that waits for a click while the editor's timers go on expanding the rule."""

    def reraise(exc: BaseException) -> None:
        raise exc

    monkeypatch.setattr("ui.kit.errors.report", reraise)


def _editor(window: MainWindow) -> EventEditor:
    window.show_section("events")
    view = window.view("events")
    assert isinstance(view, EventsView)
    view.new_button.click()
    assert isinstance(view.editor, EventEditor)
    return view.editor


def test_a_rule_every_second_is_refused_under_the_field_as_it_is_typed(
    window: MainWindow, demo_db: Database, unsaved_answers
) -> None:
    editor = _editor(window)
    editor.title.setText("Chaque seconde")
    editor.start.setDateTime(QDateTime(QDate(2026, 11, 26), QTime(20, 0)))
    # At the apéro's venue: the conflict check expands the rule over a year.
    editor.venue.setCurrentIndex(editor.venue.findText("Brasserie Georges"))
    rec = editor.recurrence
    rec.pattern.setCurrentIndex(rec.pattern.findData(CUSTOM))
    for rule, reason in [
        ("FREQ=SECONDLY", "events repeat at most once a day"),
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL must be at least 1"),
        ("FREQ=DAILY;BYHOUR=9,18", "BYHOUR takes a single time of day"),
    ]:
        rec.raw.setText(rule)
        with time_limit(10):
            editor.check_conflicts()  # what the typing pause does
        assert not rec.problem.isHidden() and reason in rec.problem.text()
        assert f"“{rule}”" in rec.problem.text() and editor.conflicts == []
        editor.tabs.setCurrentIndex(0)
        editor.accept()
        assert editor.result() == 0 and editor.tabs.currentIndex() == 1  # shown where it is
        assert not EVENTS.ids(demo_db, text="Chaque seconde")
    rec.raw.setText("FREQ=WEEKLY;BYDAY=TH")
    editor.check_conflicts()
    assert rec.problem.isHidden()
    assert {c.title for c in editor.conflicts} == {"Apéro du jeudi"}  # every Thursday
    editor.accept()
    assert editor.result() == 1
    assert EVENTS.ids(demo_db, text="Chaque seconde")


def test_the_calendar_opens_a_month_holding_an_old_rule_every_second_and_says_so(
    qtbot, demo_db: Database, frozen_clock: dt.datetime
) -> None:
    read, _ = create_event(
        demo_db,
        EventCreate(
            title="Ancienne règle",
            start_local=dt.datetime(2026, 1, 1, 10),
            end_local=dt.datetime(2026, 1, 1, 11),
            rrule="FREQ=WEEKLY",
        ),
    )
    con = sqlite3.connect(demo_db.path)
    with con:  # as an old version stored it
        con.execute("UPDATE event SET rrule = 'FREQ=SECONDLY' WHERE id = ?", (read.id,))
    con.close()
    calendar = CalendarView()
    qtbot.addWidget(calendar)
    calendar.undo_stack = QUndoStack(calendar)
    calendar.set_database(demo_db)
    calendar.resize(1000, 700)
    with time_limit(20):
        calendar.show()
        qtbot.waitExposed(calendar)
        calendar.ensure_loaded()
        assert calendar.notes.isVisibleTo(calendar)
        assert calendar.notes.text() == (
            "“Ancienne règle” repeats more than 1,000 times in this period:"
            " not all of its dates are shown."
        )
        shown = [o for o in calendar.occurrences() if o.title == "Ancienne règle"]
        assert len(shown) <= 1000
        assert any(o.title == "Apéro du jeudi" for o in calendar.occurrences())
        calendar.step(1)  # the next month too
        assert "“Ancienne règle” repeats more than" in calendar.notes.text()
    con = sqlite3.connect(demo_db.path)
    with con:
        con.execute("UPDATE event SET rrule = 'FREQ=WEEKLY' WHERE id = ?", (read.id,))
    con.close()
    calendar.refresh()
    assert not calendar.notes.isVisibleTo(calendar)


def test_an_event_holding_an_old_rule_says_what_is_wrong_when_opened(
    window: MainWindow, demo_db: Database, unsaved_answers
) -> None:
    read, _ = create_event(
        demo_db,
        EventCreate(
            title="Ancienne règle",
            start_local=dt.datetime(2026, 12, 1, 10),
            end_local=dt.datetime(2026, 12, 1, 11),
            rrule="FREQ=WEEKLY",
        ),
    )
    con = sqlite3.connect(demo_db.path)
    with con:  # as an old version stored it
        con.execute("UPDATE event SET rrule = 'FREQ=MINUTELY' WHERE id = ?", (read.id,))
    con.close()
    with time_limit(10):
        window.show_section("events")  # each series' next date
        view = window.view("events")
        assert isinstance(view, EventsView)
        view.open_record(read.id)
    editor = view.editor
    assert isinstance(editor, EventEditor)
    rec = editor.recurrence
    assert rec.pattern.currentData() == CUSTOM and rec.raw.text() == "FREQ=MINUTELY"
    assert "(not MINUTELY)" in rec.problem.text() and not rec.problem.isHidden()
    rec.raw.setText("FREQ=DAILY")
    editor.check_conflicts()
    assert rec.problem.isHidden()
    editor.accept()
    assert editor.result() == 1


def test_the_publish_dialog_names_an_event_held_back_for_its_old_rule(
    window: MainWindow,
    demo_db: Database,
    memory_keyring: MemoryKeyring,
    caldav_calendar: str,
) -> None:
    from cmplanner.services import caldav_settings
    from tests.interop.radicale_server import PASSWORD, USER

    read, _ = create_event(
        demo_db,
        EventCreate(
            title="Ancienne règle",
            start_local=dt.datetime(2026, 12, 1, 10),
            end_local=dt.datetime(2026, 12, 1, 11),
            rrule="FREQ=WEEKLY",
        ),
    )
    con = sqlite3.connect(demo_db.path)
    with con:  # as an old version stored it
        con.execute("UPDATE event SET rrule = 'FREQ=HOURLY' WHERE id = ?", (read.id,))
    con.close()
    caldav_settings.save(demo_db, caldav_calendar, USER)
    caldav_settings.set_password(USER, PASSWORD)
    with time_limit(60):
        window.commands["publish_caldav"].trigger()
    publish = window.publish_dialog
    assert publish.finished_ok is True
    report = publish.report_view.toPlainText()
    assert "“Ancienne règle” is not published, its recurrence rule “FREQ=HOURLY”" in report
    assert "(not HOURLY). Edit the event to correct it." in report


def test_the_dashboard_says_which_series_of_the_next_days_it_cut(
    window: MainWindow, demo_db: Database
) -> None:
    read, _ = create_event(
        demo_db,
        EventCreate(
            title="Ancienne règle",
            start_local=dt.datetime(2026, 11, 1, 10),
            end_local=dt.datetime(2026, 11, 1, 11),
            rrule="FREQ=WEEKLY",
        ),
    )
    con = sqlite3.connect(demo_db.path)
    with con:  # as an old version stored it
        con.execute("UPDATE event SET rrule = 'FREQ=MINUTELY' WHERE id = ?", (read.id,))
    con.close()
    view = window.view("dashboard")
    with time_limit(30):
        view.refresh()
        view.ensure_loaded()
        view.finish_building()
    assert not view.upcoming_notes.isHidden()
    assert view.upcoming_notes.text() == (
        "“Ancienne règle” repeats more than 1,000 times in this period:"
        " not all of its dates are shown."
    )
    assert view.upcoming_model.rowCount() <= 1000 + 20
