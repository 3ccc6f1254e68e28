"""The calendar: a month grid with the weekly apéro on Thursdays, navigation, the agenda."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent, QUndoStack

from cmplanner.storage import Database
from ui.views.calendar import (
    OCCURRENCE_MIME,
    AgendaModel,
    CalendarView,
    DateRole,
    MonthModel,
    OccurrenceRole,
    OccurrencesRole,
    community_colour,
)

TODAY = dt.date(2026, 11, 19)  # the frozen clock's day, a Thursday


@pytest.fixture
def view(qtbot, demo_db: Database, frozen_clock: dt.datetime) -> CalendarView:
    calendar = CalendarView()
    qtbot.addWidget(calendar)
    calendar.undo_stack = QUndoStack(calendar)
    calendar.set_database(demo_db)
    calendar.resize(1000, 700)
    calendar.show()
    qtbot.waitExposed(calendar)
    calendar.ensure_loaded()
    return calendar


def cells(model: MonthModel) -> list[tuple[dt.date, list]]:
    return [
        (model.index(r, c).data(DateRole), model.index(r, c).data(OccurrencesRole))
        for r in range(6)
        for c in range(7)
    ]


def apero_days(model: MonthModel) -> set[dt.date]:
    return {
        day
        for day, items in cells(model)
        for o in items
        if o.title == "Apéro du jeudi" and o.status != "cancelled"
    }


def test_month_shows_the_weekly_apero_on_each_thursday(view: CalendarView) -> None:
    model = view.month_model
    assert view.row_count() > 0
    days = [day for day, _items in cells(model)]
    assert days[0] <= TODAY.replace(day=1) and days[-1] >= dt.date(2026, 11, 30)
    assert days == [days[0] + dt.timedelta(days=n) for n in range(42)]
    thursdays = {d for d in days if d.month == 11 and d.weekday() == 3}
    assert thursdays <= apero_days(model)
    for day, items in cells(model):
        for o in items:
            if o.title == "Apéro du jeudi" and day.weekday() != 3:  # only the moved one
                assert o.recurrence_id is not None and o.recurrence_id.weekday() == 3
    apero = next(o for d, items in cells(model) if d == TODAY for o in items)
    assert (apero.start.hour, apero.start.minute) == (19, 0)


def test_today_next_previous_navigate_and_change_the_title(view: CalendarView) -> None:
    assert view.title_text() == "November 2026"
    view.next_button.click()
    assert view.title_text() == "December 2026"
    assert view.month_model.index(2, 2).data(DateRole).month == 12
    assert apero_days(view.month_model), "the series goes on into December"
    view.previous_button.click()
    view.previous_button.click()
    assert view.title_text() == "October 2026"
    view.today_button.click()
    assert view.title_text() == "November 2026"
    assert TODAY in {day for day, _items in cells(view.month_model)}


def test_agenda_lists_the_next_occurrences_in_order(view: CalendarView) -> None:
    view.agenda_button.click()
    assert view.table is view.agenda_table and view.agenda_table.isVisible()
    model = view.agenda_model
    occurrences = model.occurrences()
    assert occurrences
    starts = [o.start.astimezone(dt.UTC) for o in occurrences]
    assert starts == sorted(starts)
    assert occurrences[0].start.date() >= TODAY
    # A day heading comes before each day's occurrences.
    first = model.index(0, 0)
    assert first.data(DateRole) == occurrences[0].start.date()
    assert first.data(OccurrenceRole) is None
    assert model.index(1, 0).data(OccurrenceRole) == occurrences[0]
    titles = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert "Apéro du jeudi" in titles
    view.next_button.click()
    later = model.occurrences()
    assert later and later[0].start.date() > occurrences[-1].start.date()


def test_cancelled_occurrences_are_struck_through_and_communities_coloured(
    view: CalendarView,
) -> None:
    view.agenda_button.click()
    model = view.agenda_model
    for row in range(model.rowCount()):
        occurrence = model.index(row, 0).data(OccurrenceRole)
        if occurrence is None:
            continue
        font = model.index(row, 1).data(Qt.ItemDataRole.FontRole)
        assert (font is not None and font.strikeOut()) == (occurrence.status == "cancelled")
        assert (font is not None and font.italic()) == (occurrence.status == "idea")
        colour = model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole)
        assert colour == community_colour(occurrence.community)
    assert community_colour("Apéros du jeudi") == community_colour("Apéros du jeudi")
    assert community_colour("Apéros du jeudi") != community_colour("Makers")


def test_french_title(view: CalendarView, monkeypatch) -> None:
    from PySide6.QtCore import QLocale

    import ui.views.calendar as calendar_module

    monkeypatch.setattr(calendar_module, "app_locale", lambda: QLocale("fr_FR"))
    view.next_button.click()
    assert view.title_text() == "Décembre 2026"


def test_double_click_on_an_occurrence_opens_it(view: CalendarView, qtbot) -> None:
    opened: list[int] = []
    view.month_table.occurrenceActivated.disconnect()
    view.month_table.occurrenceActivated.connect(lambda o: opened.append(o.event_id))
    row, column = next(
        (r, c)
        for r in range(6)
        for c in range(7)
        if view.month_model.index(r, c).data(DateRole) == TODAY
    )
    rect = view.month_table.visualRect(view.month_model.index(row, column))
    line = view.month_table.fontMetrics().height() + 2
    point = QPoint(rect.left() + 10, rect.top() + 3 + line + line // 2)
    occurrence = view.month_table.occurrence_at(point)
    assert occurrence is not None and occurrence.start.date() == TODAY
    qtbot.mouseDClick(view.month_table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert opened == [occurrence.event_id]


def test_models_pass_the_model_tester(qtmodeltester, view: CalendarView) -> None:
    qtmodeltester.check(view.month_model)
    qtmodeltester.check(view.agenda_model)
    qtmodeltester.check(AgendaModel())
    qtmodeltester.check(view.week_model)


def cell_of(view: CalendarView, day: dt.date) -> QPoint:
    index = next(
        view.month_model.index(r, c)
        for r in range(6)
        for c in range(7)
        if view.month_model.index(r, c).data(DateRole) == day
    )
    return view.month_table.visualRect(index).center()


def drop(view: CalendarView, occurrence, day: dt.date) -> None:
    """What releasing a dragged occurrence over `day` does (QDrag.exec blocks offscreen)."""
    mime = QMimeData()
    mime.setData(OCCURRENCE_MIME, str(occurrence.event_id).encode())
    event = QDropEvent(
        QPointF(cell_of(view, day)),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    view.month_table.dragged = occurrence
    try:
        view.month_table.dropEvent(event)
    finally:
        view.month_table.dragged = None
    assert event.isAccepted()
    view.refresh()


def on_day(view: CalendarView, day: dt.date, title: str) -> list:
    return [
        o for d, items in cells(view.month_model) if d == day for o in items if o.title == title
    ]


def test_dragging_a_single_event_to_another_day_keeps_its_times_and_undoes(
    view: CalendarView,
) -> None:
    single = next(
        o for _d, items in cells(view.month_model) for o in items if o.recurrence_id is None
    )
    day = single.start.date()
    target = day + dt.timedelta(days=2)
    drop(view, single, target)
    [moved] = on_day(view, target, single.title)
    assert moved.event_id == single.event_id
    assert (moved.start.time(), moved.end - moved.start) == (
        single.start.time(),
        single.end - single.start,
    )
    assert not on_day(view, day, single.title)
    view.undo_stack.undo()
    view.refresh()
    assert on_day(view, day, single.title)[0].start == single.start
    assert not on_day(view, target, single.title)


def test_dragging_a_series_occurrence_moves_only_that_one(view: CalendarView) -> None:
    thursday = dt.date(2026, 11, 26)
    [apero] = on_day(view, thursday, "Apéro du jeudi")
    drop(view, apero, thursday + dt.timedelta(days=1))
    [moved] = on_day(view, thursday + dt.timedelta(days=1), "Apéro du jeudi")
    assert (moved.start.hour, moved.start.minute) == (19, 0)
    assert not on_day(view, thursday, "Apéro du jeudi")
    assert on_day(view, TODAY, "Apéro du jeudi"), "the other Thursdays stay"
    view.undo_stack.undo()
    view.refresh()
    assert on_day(view, thursday, "Apéro du jeudi")[0].start == apero.start


def test_dropping_on_the_same_day_changes_nothing(view: CalendarView) -> None:
    [apero] = on_day(view, TODAY, "Apéro du jeudi")
    drop(view, apero, TODAY)
    assert view.undo_stack.count() == 0


def test_week_view_lists_the_days_of_this_week_and_steps_by_weeks(view: CalendarView) -> None:
    view.week_button.click()
    assert view.table is view.week_table and view.week_table.isVisible()
    model = view.week_model
    days = [model.index(0, c).data(DateRole) for c in range(7)]
    assert TODAY in days and days == [days[0] + dt.timedelta(days=n) for n in range(7)]
    assert view.title_text() == "16 Nov 2026 – 22 Nov 2026"
    [apero] = model.index(0, days.index(TODAY)).data(OccurrencesRole)
    assert apero.title == "Apéro du jeudi"
    view.next_button.click()
    assert model.index(0, 0).data(DateRole) == days[0] + dt.timedelta(days=7)
    assert view.title_text() == "23 Nov 2026 – 29 Nov 2026"
    view.today_button.click()
    assert model.index(0, 0).data(DateRole) == days[0]
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Thu 19"
    assert (model.rowCount(), model.columnCount()) == (1, 7)


def test_double_click_in_the_agenda_opens_the_event_editor(window, monkeypatch) -> None:
    window.show_section("calendar")
    calendar = window.view("calendar")
    events = window.view("events")
    opened: list[int | None] = []
    monkeypatch.setattr(events, "open_record", opened.append)
    calendar.agenda_button.click()
    index = calendar.agenda_model.index(1, 1)
    occurrence = index.data(OccurrenceRole)
    calendar.agenda_table.doubleClicked.emit(index)
    assert opened == [occurrence.event_id]


def test_tooltips_give_community_venue_and_status(view: CalendarView) -> None:
    index = next(
        view.month_model.index(r, c)
        for r in range(6)
        for c in range(7)
        if view.month_model.index(r, c).data(DateRole) == TODAY
    )
    assert index.data(Qt.ItemDataRole.ToolTipRole) == (
        "19:00 Apéro du jeudi · Apéros du jeudi · Brasserie Georges · Confirmed"
    )
