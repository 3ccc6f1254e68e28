"""The calendar from the keyboard, in the main window as a user has it: the arrows walk the
days (over the month's and the week's edges), Ctrl+Up/Down the day's events, ringed and said;
Enter opens, Delete deletes (a series' date: skips), Alt+arrows move, Ctrl+Z undoes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QWidget

import ui.calendar.month as month_module
import ui.calendar.week_grid as week_module
from cmplanner.errors import NotFound
from cmplanner.services.event_dates import OccurrenceRead
from cmplanner.services.occurrences import event_times, exception_snapshot
from cmplanner.storage import Database
from tests.ui.calendar.test_calendar import TODAY, add_busy_day, add_event
from ui.calendar.view import CalendarView
from ui.events.editor import EventEditor
from ui.kit import theme
from ui.shell.help import help_html
from ui.shell.main_window import MainWindow

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
NONE = Qt.KeyboardModifier.NoModifier
NOV_30 = dt.date(2026, 11, 30)  # a Monday: the meetup, the month's last day
DEC_1 = dt.date(2026, 12, 1)


@pytest.fixture
def calendar(qtbot, window: MainWindow) -> CalendarView:
    window.show_section("calendar")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view: CalendarView = window.view("calendar")
    view.month_table.setFocus()
    return view


@pytest.fixture
def said(monkeypatch) -> list[str]:
    """What the calendar hands a screen reader."""
    told: list[str] = []

    def announce(_source: Any, text: str, **_options: Any) -> None:
        told.append(text)

    monkeypatch.setattr(month_module, "announce", announce)
    monkeypatch.setattr(week_module, "announce", announce)
    return told


def press(qtbot, widget: QWidget, key: Qt.Key, modifier: Any = NONE, times: int = 1) -> None:
    for _n in range(times):
        qtbot.keyClick(widget, key, modifier)


def editor_of(window: MainWindow) -> EventEditor:
    editor = window.view("events").editor
    assert isinstance(editor, EventEditor) and editor.isVisible()
    return editor


def close(qtbot, window: MainWindow, editor: EventEditor) -> None:
    """Close the editor; the main window is the active one again (as the desktop does)."""
    editor.reject()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def enter_opens(qtbot, window: MainWindow, widget: QWidget, event_id: int) -> None:
    """Enter on `widget` opens that event in the editor (closed again)."""
    press(qtbot, widget, Qt.Key.Key_Return)
    editor = editor_of(window)
    assert editor.event_id == event_id
    close(qtbot, window, editor)


def ringed(widget: QWidget, box: QRect) -> bool:
    """Whether the focus ring is drawn just outside `box`, on each of its four sides."""
    image = widget.grab().toImage()
    ring = theme.colour("calendar_choice")

    def near(point: QPoint) -> bool:
        found = QColor(image.pixel(point))
        return max(abs(found.red() - ring.red()), abs(found.green() - ring.green())) < 40 and (
            abs(found.blue() - ring.blue()) < 40
        )

    middle = box.center()
    sides = (
        [QPoint(middle.x(), box.top() - d) for d in range(4)],
        [QPoint(middle.x(), box.bottom() + d) for d in range(4)],
        [QPoint(box.left() - d, middle.y()) for d in range(4)],
        [QPoint(box.right() + d, middle.y()) for d in range(4)],
    )
    return all(any(near(p) for p in side) for side in sides)


def to_the_meetup(qtbot, calendar: CalendarView) -> OccurrenceRead:
    """From today, Down then Right four times: Monday the 30th and its meetup."""
    table = calendar.month_table
    press(qtbot, table, Qt.Key.Key_Down)
    press(qtbot, table, Qt.Key.Key_Right, times=4)
    meetup = table.chosen_occurrence()
    assert meetup is not None and meetup.title == "Meetup des ambassadeurs"
    return meetup


def month_titles(view: CalendarView, day: dt.date) -> list[str]:
    return [o.title for o in view.month_model.by_day.get(day, [])]


# -- the month -------------------------------------------------------------------------------


def test_arrows_walk_the_days_across_the_month_s_edges_and_tab_leaves(
    calendar: CalendarView, qtbot
) -> None:
    table = calendar.month_table
    assert table.chosen_day() == TODAY  # the month opens on today
    press(qtbot, table, Qt.Key.Key_Down)
    assert table.chosen_day() == dt.date(2026, 11, 26)
    press(qtbot, table, Qt.Key.Key_Down)  # past the last row of November's own days
    assert calendar.title_text() == "December 2026"
    assert table.chosen_day() == dt.date(2026, 12, 3)
    assert table.currentIndex() == calendar.month_model.index_of(dt.date(2026, 12, 3))
    assert table.selectionModel().isSelected(table.currentIndex())
    press(qtbot, table, Qt.Key.Key_Up)
    assert (calendar.title_text(), table.chosen_day()) == ("November 2026", dt.date(2026, 11, 26))
    press(qtbot, table, Qt.Key.Key_Right, times=4)
    assert (calendar.title_text(), table.chosen_day()) == ("November 2026", NOV_30)
    press(qtbot, table, Qt.Key.Key_Right)
    assert (calendar.title_text(), table.chosen_day()) == ("December 2026", DEC_1)
    assert month_titles(calendar, DEC_1) == ["Démo en ligne de la version 4.0"]
    press(qtbot, table, Qt.Key.Key_Left)
    assert (calendar.title_text(), table.chosen_day()) == ("November 2026", NOV_30)
    # The week shows the day chosen in the month.
    calendar.week_button.click()
    assert calendar.week_grid.days()[0] == NOV_30
    calendar.month_button.click()
    assert table.chosen_day() == NOV_30 and table.hasFocus()
    press(qtbot, table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table, "Tab goes on to the next control"


def test_ctrl_down_chooses_each_event_of_the_day_ringed_and_said(
    calendar: CalendarView, demo_db: Database, qtbot, said: list[str]
) -> None:
    add_event(demo_db, "Atelier vélo", dt.datetime(2026, 11, 19, 10), dt.datetime(2026, 11, 19, 12))
    calendar.refresh()
    table = calendar.month_table
    atelier, apero = calendar.month_model.by_day[TODAY]
    assert table.chosen_occurrence() == atelier  # arriving on a day chooses its first event
    assert ringed(table.viewport(), table.occurrence_rect(atelier))
    assert not ringed(table.viewport(), table.occurrence_rect(apero))
    press(qtbot, table, Qt.Key.Key_Down, CTRL)
    assert table.chosen_occurrence() == apero
    assert said[-1] == "Thursday 19 November 2026: 19:00 Apéro du jeudi, 2 of 2"
    assert ringed(table.viewport(), table.occurrence_rect(apero))
    assert not ringed(table.viewport(), table.occurrence_rect(atelier))
    press(qtbot, table, Qt.Key.Key_Down, CTRL)  # the last one stays
    assert table.chosen_occurrence() == apero
    press(qtbot, table, Qt.Key.Key_Up, CTRL)
    assert table.chosen_occurrence() == atelier
    assert said[-1] == "Thursday 19 November 2026: 10:00 Atelier vélo, 1 of 2"
    # A screen reader reaching the day's cell hears the day and its events.
    cell = calendar.month_model.index_of(TODAY)
    assert cell.data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Thursday 19 November 2026: 10:00 Atelier vélo; 19:00 Apéro du jeudi"
    )
    assert calendar.month_model.index_of(dt.date(2026, 11, 24)).data(
        Qt.ItemDataRole.AccessibleTextRole
    ) == ("Tuesday 24 November 2026: no events")


def test_an_event_under_more_is_shown_in_its_day_while_chosen(
    calendar: CalendarView, demo_db: Database, qtbot
) -> None:
    tuesday = dt.date(2026, 11, 24)
    add_busy_day(demo_db, tuesday, "Permanence")
    calendar.refresh()
    table = calendar.month_table
    press(qtbot, table, Qt.Key.Key_Right, times=5)
    items = calendar.month_model.by_day[tuesday]
    last = items[-1]
    assert table.occurrence_rect(last) is None, "more than the cell holds"
    press(qtbot, table, Qt.Key.Key_Down, CTRL, times=len(items))
    assert table.chosen_occurrence() == last
    box = table.occurrence_rect(last)
    assert box is not None and ringed(table.viewport(), box)


def test_the_day_s_list_takes_the_same_keys(
    calendar: CalendarView, demo_db: Database, qtbot
) -> None:
    """The list "+N more" opens: Alt+Right moves the row's event (the list closes, the month
    chooses it where it went), Delete deletes one."""
    tuesday = dt.date(2026, 11, 24)
    add_busy_day(demo_db, tuesday, "Permanence")
    calendar.refresh()
    calendar.open_day(tuesday)
    popup = calendar.day_popup
    assert popup is not None and popup.isVisible()
    rows = popup.table
    first = rows.chosen_occurrence()
    assert first is not None and first.title == "Permanence 9h"
    press(qtbot, rows, Qt.Key.Key_Right, ALT)
    assert not popup.isVisible()
    assert event_times(demo_db, first.event_id).start_local == dt.datetime(2026, 11, 25, 9)
    table = calendar.month_table
    qtbot.waitUntil(lambda: table.chosen_day() == dt.date(2026, 11, 25))
    chosen = table.chosen_occurrence()
    assert chosen is not None and chosen.event_id == first.event_id
    calendar.open_day(tuesday)
    press(qtbot, rows, Qt.Key.Key_Down)
    second = rows.chosen_occurrence()
    assert second is not None and second.title == "Permanence 11h"
    press(qtbot, rows, Qt.Key.Key_Delete)
    with pytest.raises(NotFound):
        event_times(demo_db, second.event_id)


def test_enter_opens_the_chosen_event_and_on_an_empty_day_a_new_one(
    window: MainWindow, calendar: CalendarView, qtbot
) -> None:
    table = calendar.month_table
    apero = table.chosen_occurrence()
    assert apero is not None and apero.title == "Apéro du jeudi"
    enter_opens(qtbot, window, table, apero.event_id)
    press(qtbot, table, Qt.Key.Key_Right, times=5)  # Tuesday the 24th: nothing on
    assert table.chosen_occurrence() is None
    press(qtbot, table, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    editor = editor_of(window)
    assert editor.event_id is None
    assert editor.data().start_local == dt.datetime(2026, 11, 24, 19)
    close(qtbot, window, editor)


def test_delete_deletes_the_event_or_skips_a_series_date_and_ctrl_z_brings_it_back(
    calendar: CalendarView, demo_db: Database, qtbot
) -> None:
    table = calendar.month_table
    meetup = to_the_meetup(qtbot, calendar)
    press(qtbot, table, Qt.Key.Key_Delete)
    with pytest.raises(NotFound):
        event_times(demo_db, meetup.event_id)
    assert calendar.last_message == "Meetup des ambassadeurs deleted — Ctrl+Z to undo"
    qtbot.waitUntil(lambda: month_titles(calendar, NOV_30) == [])
    press(qtbot, table, Qt.Key.Key_Z, CTRL)
    assert event_times(demo_db, meetup.event_id).start_local == dt.datetime(2026, 11, 30, 19)
    qtbot.waitUntil(lambda: month_titles(calendar, NOV_30) == ["Meetup des ambassadeurs"])
    assert table.chosen_occurrence() == calendar.month_model.by_day[NOV_30][0]

    # A date of a series: Delete skips that date only, as its menu does.
    press(qtbot, table, Qt.Key.Key_T, CTRL)
    apero = table.chosen_occurrence()
    assert apero is not None and apero.recurrence_id == dt.datetime(2026, 11, 19, 19)
    press(qtbot, table, Qt.Key.Key_Delete)
    skipped = exception_snapshot(demo_db, apero.event_id, apero.recurrence_id)
    assert skipped is not None and skipped.cancelled
    qtbot.waitUntil(lambda: month_titles(calendar, TODAY) == [])
    assert month_titles(calendar, dt.date(2026, 11, 26)) == ["Apéro du jeudi"]
    press(qtbot, table, Qt.Key.Key_Z, CTRL)
    assert exception_snapshot(demo_db, apero.event_id, apero.recurrence_id) is None
    qtbot.waitUntil(lambda: month_titles(calendar, TODAY) == ["Apéro du jeudi"])


def test_alt_arrows_move_the_event_the_choice_follows_and_ctrl_z_moves_it_back(
    calendar: CalendarView, demo_db: Database, qtbot
) -> None:
    table = calendar.month_table
    meetup = to_the_meetup(qtbot, calendar)
    press(qtbot, table, Qt.Key.Key_Right, ALT)  # into December: the month follows
    assert event_times(demo_db, meetup.event_id).start_local == dt.datetime(2026, 12, 1, 19)
    assert calendar.last_message == (
        "Meetup des ambassadeurs moved to Tuesday 1 December 2026 19:00 — Ctrl+Z to undo"
    )
    qtbot.waitUntil(lambda: "Meetup des ambassadeurs" in month_titles(calendar, DEC_1))
    assert calendar.title_text() == "December 2026"
    chosen = table.chosen_occurrence()
    assert table.chosen_day() == DEC_1 and chosen is not None and chosen.title == meetup.title
    assert ringed(table.viewport(), table.occurrence_rect(chosen))
    press(qtbot, table, Qt.Key.Key_Z, CTRL)
    assert event_times(demo_db, meetup.event_id).start_local == dt.datetime(2026, 11, 30, 19)

    # Alt+Down: a week later; one date of a series moves alone.
    press(qtbot, table, Qt.Key.Key_T, CTRL)
    apero = table.chosen_occurrence()
    assert apero is not None and apero.recurrence_id is not None
    press(qtbot, table, Qt.Key.Key_Down, ALT)
    moved = exception_snapshot(demo_db, apero.event_id, apero.recurrence_id)
    assert moved is not None and moved.start_local == dt.datetime(2026, 11, 26, 19)
    qtbot.waitUntil(lambda: table.chosen_day() == dt.date(2026, 11, 26))
    chosen = table.chosen_occurrence()
    assert chosen is not None and chosen.recurrence_id == apero.recurrence_id
    assert month_titles(calendar, TODAY) == []
    press(qtbot, table, Qt.Key.Key_Z, CTRL)
    assert exception_snapshot(demo_db, apero.event_id, apero.recurrence_id) is None
    qtbot.waitUntil(lambda: month_titles(calendar, TODAY) == ["Apéro du jeudi"])


# -- the week and the agenda -----------------------------------------------------------------


def test_the_week_from_the_keyboard(
    window: MainWindow, calendar: CalendarView, demo_db: Database, qtbot, said: list[str]
) -> None:
    calendar.show_week(dt.date(2026, 12, 4))
    grid = calendar.week_grid
    body = grid.body
    body.setFocus()
    titles = [o.title for o in grid.day_items(dt.date(2026, 12, 4))]
    assert titles == ["Repérage des salles", "Apéro du jeudi"]
    assert grid.chosen_day() == dt.date(2026, 12, 4)
    assert grid.chosen_occurrence().title == "Repérage des salles"
    press(qtbot, body, Qt.Key.Key_Down)
    apero = grid.chosen_occurrence()
    assert apero.title == "Apéro du jeudi"
    assert said[-1] == "Friday 4 December 2026: 19:00–21:30 Apéro du jeudi, 2 of 2"
    assert ringed(body, grid.rect_of(apero).toRect())
    # Left: the day before, its event nearest in time; past Monday, the week before.
    press(qtbot, body, Qt.Key.Key_Left, times=3)
    assert grid.chosen_day() == DEC_1
    assert grid.chosen_occurrence().title == "Démo en ligne de la version 4.0"
    press(qtbot, body, Qt.Key.Key_Left)
    meetup = grid.chosen_occurrence()
    assert meetup.title == "Meetup des ambassadeurs"
    press(qtbot, body, Qt.Key.Key_Left)
    assert grid.days()[0] == dt.date(2026, 11, 23)
    assert grid.chosen_day() == dt.date(2026, 11, 29)
    assert said[-1] == "Sunday 29 November 2026: no events"
    press(qtbot, body, Qt.Key.Key_Right)
    assert grid.days()[0] == NOV_30 and grid.chosen_day() == NOV_30
    assert grid.chosen_occurrence() == meetup

    enter_opens(qtbot, window, body, meetup.event_id)

    press(qtbot, body, Qt.Key.Key_Right, ALT)
    assert event_times(demo_db, meetup.event_id).start_local == dt.datetime(2026, 12, 1, 19)
    qtbot.waitUntil(lambda: grid.chosen_day() == DEC_1)
    chosen = grid.chosen_occurrence()
    assert chosen.event_id == meetup.event_id
    assert ringed(body, grid.rect_of(chosen).toRect())
    press(qtbot, body, Qt.Key.Key_Z, CTRL)
    assert event_times(demo_db, meetup.event_id).start_local == dt.datetime(2026, 11, 30, 19)
    qtbot.waitUntil(lambda: [o.title for o in grid.day_items(NOV_30)] == [meetup.title])

    # Alt+Down in the hours: a quarter of an hour later.
    press(qtbot, body, Qt.Key.Key_Left)
    assert grid.chosen_occurrence().event_id == meetup.event_id
    press(qtbot, body, Qt.Key.Key_Down, ALT)
    assert event_times(demo_db, meetup.event_id).start_local == dt.datetime(2026, 11, 30, 19, 15)
    press(qtbot, body, Qt.Key.Key_Z, CTRL)
    assert event_times(demo_db, meetup.event_id).start_local == dt.datetime(2026, 11, 30, 19)

    qtbot.waitUntil(lambda: grid.chosen_occurrence() is not None)
    press(qtbot, body, Qt.Key.Key_Delete)
    with pytest.raises(NotFound):
        event_times(demo_db, meetup.event_id)
    press(qtbot, body, Qt.Key.Key_Z, CTRL)
    assert event_times(demo_db, meetup.event_id).start_local == dt.datetime(2026, 11, 30, 19)


def test_the_agenda_from_the_keyboard(
    window: MainWindow, calendar: CalendarView, demo_db: Database, qtbot
) -> None:
    calendar.agenda_button.click()
    table = calendar.agenda_table
    table.setFocus()
    table.setCurrentIndex(calendar.agenda_model.index(0, 0))  # today's heading
    press(qtbot, table, Qt.Key.Key_Down)
    apero = table.chosen_occurrence()
    assert apero is not None and apero.title == "Apéro du jeudi"
    enter_opens(qtbot, window, table, apero.event_id)
    press(qtbot, table, Qt.Key.Key_Down, times=2)  # over Sunday's heading
    interview = table.chosen_occurrence()
    assert interview is not None and interview.title == "Interview : Radio Canut"
    press(qtbot, table, Qt.Key.Key_Right, ALT)
    assert event_times(demo_db, interview.event_id).start_local == dt.datetime(2026, 11, 23, 17)
    qtbot.waitUntil(
        lambda: (
            (chosen := table.chosen_occurrence()) is not None
            and chosen.event_id == interview.event_id
            and chosen.start.date() == dt.date(2026, 11, 23)
        )
    )
    press(qtbot, table, Qt.Key.Key_Z, CTRL)
    assert event_times(demo_db, interview.event_id).start_local == dt.datetime(2026, 11, 22, 17)


# -- finding the keys ------------------------------------------------------------------------


def test_the_menu_and_the_help_show_the_keys(window: MainWindow, calendar: CalendarView) -> None:
    meetup = calendar.month_model.by_day[NOV_30][0]
    calendar.show_occurrence_menu([meetup], QPoint(10, 10))
    assert calendar.menu is not None
    keys = {a.objectName(): a.shortcut().toString() for a in calendar.menu.actions()}
    assert keys["occurrenceOpen"] == "Return"
    assert keys["occurrenceDelete"] == "Del"
    assert (keys["occurrenceEarlier"], keys["occurrenceLater"]) == ("Alt+Left", "Alt+Right")
    calendar.menu.close()
    page = help_html(window.commands)
    for text in (
        "Ctrl+Down",
        "Alt+Right",
        "Calendar: the previous or next event of the day",
        "Calendar: move the event a day earlier or later",
    ):
        assert text in page
