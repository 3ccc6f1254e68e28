"""The calendar: a month grid with the weekly apéro on Thursdays, navigation, the agenda."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QContextMenuEvent, QDropEvent, QUndoStack
from PySide6.QtWidgets import QApplication, QMenu

from cmplanner.model import EventCreate
from cmplanner.services.events import create_event, event_details
from cmplanner.services.occurrences import event_times, exception_snapshot
from cmplanner.services.vocabulary import communities
from cmplanner.storage import Database
from ui.calendar.agenda import AgendaModel
from ui.calendar.look import (
    OCCURRENCE_MIME,
    DateRole,
    OccurrenceRole,
    OccurrencesRole,
    community_colour,
    status_colour,
)
from ui.calendar.month import MonthModel
from ui.calendar.view import CalendarView
from ui.calendar.week_grid import WeekGrid
from ui.kit.accessible import plain
from ui.kit.models import encode_ids

TODAY = dt.date(2026, 11, 19)  # the frozen clock's day, a Thursday
# The menu of an event that is not a series: no date to skip, the event itself deleted.
SINGLE_EVENT_MENU = [
    "occurrenceOpen",
    "occurrenceCheckIn",
    "occurrenceClose",
    "occurrenceEarlier",
    "occurrenceLater",
    "occurrenceDelete",
]


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
        assert colour == community_colour(view.look.community_rank.get(occurrence.community))
    # The demo's communities, in the order they were created, get the first colours.
    by_creation = [c.name for c in sorted(communities(view.db), key=lambda c: c.id)]
    assert view.look.community_rank == {name: n for n, name in enumerate(by_creation)}
    apero = next(o for o in model.occurrences() if o.title == "Apéro du jeudi")
    assert view.look.colour(apero).name() == "#80c8f8"  # the first community: sky blue


def _lab(colour: QColor) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour, for the CIE76 colour difference."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _luminance(colour: QColor) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.redF())
        + 0.7152 * linear(colour.greenF())
        + 0.0722 * linear(colour.blueF())
    )


def test_the_first_twelve_communities_have_visibly_different_colours() -> None:
    assert community_colour(0) == QColor("#80c8f8")
    assert community_colour(1) == QColor("#f8c880")
    assert community_colour(11) == QColor("#e0b0b0")
    assert community_colour(12) == community_colour(0)  # the 13th starts the list again
    assert community_colour(None) == QColor("#e4e4e7")  # no community: grey
    first = [community_colour(n) for n in range(12)]
    first += [community_colour(None), QColor("#f1f1f3")]  # and the cancelled fill
    labs = [_lab(c) for c in first]
    for i, one in enumerate(labs[:12]):  # each community against every other fill
        for j in range(i + 1, len(labs)):
            delta = sum((a - b) ** 2 for a, b in zip(one, labs[j], strict=True)) ** 0.5
            assert delta > 20, (first[i].name(), first[j].name(), delta)
    # Every fill keeps the calendar's dark text readable (WCAG contrast 7:1 or more).
    text = _luminance(QColor("#1f1f24"))
    assert all((_luminance(c) + 0.05) / (text + 0.05) >= 7 for c in first)


def test_double_click_on_an_empty_day_opens_a_new_event_that_evening(window, qtbot) -> None:
    from ui.events.editor import EventEditor

    window.show_section("calendar")
    calendar = window.view("calendar")
    calendar.month_button.click()
    day = dt.date(2026, 11, 24)  # a Tuesday with nothing on
    assert not calendar.month_model.by_day.get(day)
    rect = calendar.month_table.visualRect(calendar.month_model.index_of(day))
    point = rect.center() + QPoint(0, rect.height() // 4)
    assert calendar.month_table.occurrence_at(point) is None
    qtbot.mouseDClick(calendar.month_table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    editor = window.view("events").editor
    assert isinstance(editor, EventEditor) and editor.event_id is None and editor.isVisible()
    data = editor.data()
    assert (data.start_local, data.end_local) == (
        dt.datetime(2026, 11, 24, 19),
        dt.datetime(2026, 11, 24, 21),
    )
    editor.reject()


def test_double_click_or_a_drag_on_empty_week_slots_opens_a_new_event_there(window, qtbot) -> None:
    from ui.events.editor import EventEditor

    window.show_section("calendar")
    calendar = window.view("calendar")
    grid = week_view(calendar, dt.date(2026, 11, 24))
    grid.scroll_to_hour(9)
    body = grid.body
    tuesday = dt.date(2026, 11, 24)
    point = grid.point_for(tuesday, dt.time(10, 40))
    assert grid.block_at(point) is None
    qtbot.mouseDClick(body, Qt.MouseButton.LeftButton, pos=point)
    editor = window.view("events").editor
    assert isinstance(editor, EventEditor) and editor.event_id is None
    assert (editor.data().start_local, editor.data().end_local) == (
        dt.datetime(2026, 11, 24, 10, 30),
        dt.datetime(2026, 11, 24, 11, 30),
    )
    editor.reject()

    # Sweeping from 14:05 down to 16:20 asks for 14:00–16:30, shown while dragging.
    start, end = grid.point_for(tuesday, dt.time(14, 5)), grid.point_for(tuesday, dt.time(16, 20))
    grid.scroll_to_hour(13)
    qtbot.mousePress(body, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(body, start + QPoint(0, 20))
    qtbot.mouseMove(body, end)
    assert body.sweep == (tuesday, 14 * 60, 16 * 60 + 30)
    qtbot.mouseRelease(body, Qt.MouseButton.LeftButton, pos=end)
    assert body.sweep is None
    editor = window.view("events").editor
    assert isinstance(editor, EventEditor) and editor.event_id is None and editor.isVisible()
    assert (editor.data().start_local, editor.data().end_local) == (
        dt.datetime(2026, 11, 24, 14),
        dt.datetime(2026, 11, 24, 16, 30),
    )
    editor.reject()


def test_french_title(view: CalendarView, monkeypatch) -> None:
    from PySide6.QtCore import QLocale

    import ui.calendar.toolbar as toolbar_module

    monkeypatch.setattr(toolbar_module, "app_locale", lambda: QLocale("fr_FR"))
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


# -- filter, colours, "+N more", the week grid, unconfirmed marks, keys, contacts ------------


def add_event(db: Database, title: str, start: dt.datetime, end: dt.datetime, **extra) -> int:
    read, _changes = create_event(
        db,
        EventCreate(
            title=title, start_local=start, end_local=end, timezone="Europe/Paris", **extra
        ),
    )
    return read.id


def add_busy_day(db: Database, day: dt.date, title: str) -> None:
    """Eight events of 45 minutes from 9:00, "{title} 9h" to "{title} 16h": more than a
    month cell shows."""
    for hour in range(9, 17):
        start = dt.datetime.combine(day, dt.time(hour))
        add_event(db, f"{title} {hour}h", start, start + dt.timedelta(minutes=45))


def community_id(db: Database, name: str) -> int:
    return next(c.id for c in communities(db) if c.name == name)


def test_community_filter_shows_one_community_and_is_remembered(view: CalendarView) -> None:
    combo = view.community_combo
    names = [combo.itemText(i) for i in range(combo.count())]
    assert names[0] == "All communities" and "Apéros du jeudi" in names
    everything = {o.community for o in view.occurrences()}
    assert len(everything) > 1
    combo.setCurrentIndex(combo.findText("Club des testeurs"))
    combo.activated.emit(combo.currentIndex())
    assert view.occurrences()
    assert {o.community for o in view.occurrences()} == {"Club des testeurs"}
    assert not apero_days(view.month_model)
    view.week_button.click()  # navigating keeps the filter
    view.next_button.click()
    assert {o.community for o in view.occurrences()} <= {"Club des testeurs"}
    again = CalendarView()  # and so does the next calendar opened
    assert again.community == "Club des testeurs"
    again.deleteLater()
    view.month_button.click()
    view.set_community(None)
    assert {o.community for o in view.occurrences()} == everything


def test_colour_by_status(view: CalendarView) -> None:
    view.agenda_button.click()
    view.colour_combo.setCurrentIndex(view.colour_combo.findData("status"))
    view.colour_combo.activated.emit(view.colour_combo.currentIndex())
    model = view.agenda_model
    rows = [model.index(r, 0) for r in range(model.rowCount())]
    shown = [(i.data(OccurrenceRole), i.data(Qt.ItemDataRole.BackgroundRole)) for i in rows]
    assert {o.status for o, _c in shown if o} >= {"confirmed", "planned"}
    for occurrence, colour in shown:
        if occurrence is not None:
            assert colour == status_colour(occurrence.status)
    assert status_colour("confirmed") != status_colour("planned")


def test_more_opens_the_day_with_all_its_occurrences(
    view: CalendarView, demo_db: Database, qtbot, monkeypatch
) -> None:
    day = dt.date(2026, 11, 24)
    add_busy_day(demo_db, day, "Entretien")
    view.refresh()
    point = view.month_table.more_point(day)
    assert point is not None, "eight interviews do not fit in a cell"
    assert view.month_table.more_point(TODAY) is None
    opened: list[int] = []
    monkeypatch.setattr(
        view.occurrence_actions, "open_occurrence", lambda o: opened.append(o.event_id)
    )
    qtbot.mouseClick(view.month_table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    popup = view.day_popup
    assert popup is not None and popup.isVisible()
    assert popup.heading.text() == "Tuesday 24 November 2026"
    listed = popup.model.occurrences()
    assert [o.title for o in listed] == [f"Entretien {h}h" for h in range(9, 17)]
    index = popup.model.index(3, 1)
    popup.table.doubleClicked.emit(index)
    assert opened == [listed[2].event_id]
    assert not popup.isVisible()


def week_view(view: CalendarView, day: dt.date = TODAY) -> WeekGrid:
    view.show_week(day)
    grid = view.week_grid
    assert grid.isVisible()
    return grid


def test_week_grid_places_blocks_by_time_and_overlaps_side_by_side(
    view: CalendarView, demo_db: Database
) -> None:
    add_event(demo_db, "Concert", dt.datetime(2026, 11, 17, 19), dt.datetime(2026, 11, 17, 21))
    add_event(demo_db, "Balances", dt.datetime(2026, 11, 17, 20), dt.datetime(2026, 11, 17, 22))
    add_event(
        demo_db,
        "Salon des associations",
        dt.datetime(2026, 11, 21),
        dt.datetime(2026, 11, 22),
        all_day=True,
    )
    grid = week_view(view)
    # Opened near 8:00 but with the evening's events in sight (19:00 to 22:00).
    top = grid.scroll_area.verticalScrollBar().value()
    bottom = top + grid.scroll_area.viewport().height()
    assert top <= grid.hour_y(19) and grid.hour_y(22) <= bottom
    by_title = {b.occurrence.title: b for b in grid.layout_.blocks}
    concert = grid.block_rect(by_title["Concert"])
    assert grid.hour_y(19) <= concert.top() <= grid.hour_y(19) + 2
    assert grid.hour_y(21) - 2 <= concert.bottom() <= grid.hour_y(21)
    columns = grid.columns()
    tuesday = columns.day_left(1)
    assert tuesday <= concert.left() and concert.right() <= tuesday + columns.day_width()
    balances = grid.block_rect(by_title["Balances"])
    assert balances.left() >= concert.right()  # side by side, not on top of each other
    assert balances.right() <= tuesday + columns.day_width()
    apero = grid.block_rect(by_title["Apéro du jeudi"])
    assert apero.width() > concert.width()  # alone on its day: the whole column
    assert [i.occurrence.title for i in grid.layout_.band] == ["Salon des associations"]
    # All day on Saturday 21 and Sunday 22 (an all-day event's stored end is its last day).
    [salon] = grid.layout_.band
    assert (salon.first, salon.last) == (5, 6)
    assert "Salon des associations" not in by_title
    assert grid.block_at(concert.center()).occurrence.title == "Concert"


def test_a_week_opens_at_8_or_where_its_evening_events_show(view: CalendarView) -> None:
    # The Thursday apéro, 19:00 to 21:30: with room for 16 hours, 8:00 shows it.
    grid = week_view(view)
    grid.resize(grid.width(), 16 * 48 + grid.header.height())
    view.step(1)
    view.step(-1)
    assert grid.scroll_area.verticalScrollBar().value() == pytest.approx(grid.hour_y(8), abs=8)
    # With room for about 7 hours, 8:00 would hide it: the week opens lower.
    grid.resize(grid.width(), 7 * 48 + grid.header.height())
    view.step(1)
    view.step(-1)
    top = grid.scroll_area.verticalScrollBar().value()
    bottom = top + grid.scroll_area.viewport().height()
    assert top <= grid.hour_y(19) and grid.hour_y(21.5) <= bottom
    assert top > grid.hour_y(8) + 8


def test_week_title_and_steps(view: CalendarView) -> None:
    grid = week_view(view)
    assert grid.days()[0] == dt.date(2026, 11, 16)
    assert view.title_text() == "16 – 22 Nov 2026"
    view.next_button.click()
    assert grid.days()[0] == dt.date(2026, 11, 23)
    view.next_button.click()
    assert view.title_text() == "30 Nov – 6 Dec 2026"
    view.previous_button.click()
    assert any(b.occurrence.title == "Apéro du jeudi" for b in grid.layout_.blocks)
    view.today_button.click()
    assert grid.days()[0] == dt.date(2026, 11, 16)


def drag_block(qtbot, grid: WeekGrid, title: str, day: dt.date, when: dt.time) -> None:
    block = next(b for b in grid.layout_.blocks if b.occurrence.title == title)
    grid.scroll_to_hour(min(block.top // 60, when.hour) - 1)
    rect = grid.block_rect(block)
    start = rect.topLeft().toPoint() + QPoint(10, 3)  # grabbed at its top edge
    target = grid.point_for(day, when) + QPoint(0, 3)
    body = grid.body
    qtbot.mousePress(body, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(body, start + QPoint(0, 20))
    qtbot.mouseMove(body, target)
    assert body.ghost == (day, when.hour * 60 + when.minute)
    qtbot.mouseRelease(body, Qt.MouseButton.LeftButton, pos=target)


def test_dragging_a_single_event_in_the_week_to_another_day_and_time(
    view: CalendarView, demo_db: Database, qtbot
) -> None:
    event_id = add_event(
        demo_db, "Atelier vélo", dt.datetime(2026, 11, 17, 18, 7), dt.datetime(2026, 11, 17, 20)
    )
    grid = week_view(view)
    before = event_times(demo_db, event_id)
    drag_block(qtbot, grid, "Atelier vélo", dt.date(2026, 11, 20), dt.time(16, 15))
    moved = event_times(demo_db, event_id)
    assert moved.start_local == dt.datetime(2026, 11, 20, 16, 15)
    assert moved.end_local - moved.start_local == before.end_local - before.start_local
    view.refresh()
    [block] = [b for b in grid.layout_.blocks if b.occurrence.title == "Atelier vélo"]
    assert (block.column, block.top) == (4, 16 * 60 + 15)
    view.undo_stack.undo()
    assert event_times(demo_db, event_id) == before  # to the minute it had, 18:07
    view.undo_stack.redo()
    assert event_times(demo_db, event_id) == moved


def test_dragging_one_occurrence_of_a_series_and_undo_leaves_no_override(
    view: CalendarView, demo_db: Database, qtbot
) -> None:
    grid = week_view(view, dt.date(2026, 11, 26))
    [apero] = [b.occurrence for b in grid.layout_.blocks if b.occurrence.title == "Apéro du jeudi"]
    assert apero.recurrence_id is not None
    assert exception_snapshot(demo_db, apero.event_id, apero.recurrence_id) is None
    drag_block(qtbot, grid, "Apéro du jeudi", dt.date(2026, 11, 27), dt.time(18, 30))
    view.refresh()
    [moved] = [b.occurrence for b in grid.layout_.blocks if b.occurrence.title == "Apéro du jeudi"]
    assert moved.start.replace(tzinfo=None) == dt.datetime(2026, 11, 27, 18, 30)
    assert moved.end - moved.start == apero.end - apero.start
    assert exception_snapshot(demo_db, apero.event_id, apero.recurrence_id) is not None
    view.undo_stack.undo()
    assert exception_snapshot(demo_db, apero.event_id, apero.recurrence_id) is None
    view.refresh()
    [back] = [b.occurrence for b in grid.layout_.blocks if b.occurrence.title == "Apéro du jeudi"]
    assert back.start == apero.start


def test_escape_cancels_a_drag_in_the_week(view: CalendarView, qtbot) -> None:
    grid = week_view(view)
    block = next(b for b in grid.layout_.blocks if b.occurrence.title == "Apéro du jeudi")
    grid.scroll_to_hour(15)
    start = grid.block_rect(block).center().toPoint()
    qtbot.mousePress(grid.body, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(grid.body, start + QPoint(0, 60))
    assert grid.body.ghost is not None
    qtbot.keyClick(grid.body, Qt.Key.Key_Escape)
    qtbot.mouseRelease(grid.body, Qt.MouseButton.LeftButton, pos=start + QPoint(0, 60))
    assert view.undo_stack.count() == 0


def test_double_click_on_a_week_block_opens_it(view: CalendarView, qtbot, monkeypatch) -> None:
    opened: list[int] = []
    monkeypatch.setattr(
        view.occurrence_actions, "open_occurrence", lambda o: opened.append(o.event_id)
    )
    view.week_grid.occurrenceActivated.disconnect()
    view.week_grid.occurrenceActivated.connect(view.open_occurrence)
    grid = week_view(view)
    block = next(b for b in grid.layout_.blocks if b.occurrence.title == "Apéro du jeudi")
    grid.scroll_to_hour(15)
    point = grid.block_rect(block).center().toPoint()
    qtbot.mouseDClick(grid.body, Qt.MouseButton.LeftButton, pos=point)
    assert opened == [block.occurrence.event_id]


def test_an_unconfirmed_occurrence_coming_soon_is_marked(
    view: CalendarView, demo_db: Database
) -> None:
    add_event(
        demo_db, "Pique-nique", dt.datetime(2026, 11, 22, 12), dt.datetime(2026, 11, 22, 15)
    )  # planned, in three days
    add_event(
        demo_db,
        "Visite confirmée",
        dt.datetime(2026, 11, 22, 16),
        dt.datetime(2026, 11, 22, 17),
        status="confirmed",
    )
    view.refresh()
    index = view.month_model.index_of(dt.date(2026, 11, 22))
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert "⚠ Not confirmed yet — in 3 days" in tooltip
    items = {o.title: o for o in index.data(OccurrencesRole)}
    assert view.look.text(items["Pique-nique"]) == "⚠ 12:00 Pique-nique"
    assert view.look.text(items["Visite confirmée"]) == "16:00 Visite confirmée"
    grid = week_view(view)
    block = next(b for b in grid.layout_.blocks if b.occurrence.title == "Pique-nique")
    assert grid.text_of(block.occurrence).endswith("⚠ Pique-nique")
    view.show_agenda(TODAY)
    model = view.agenda_model
    titles = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert "⚠ Pique-nique" in titles and "Visite confirmée" in titles
    assert "Meetup des ambassadeurs" in titles  # planned, but eleven days away


def test_keyboard_navigation(view: CalendarView, qtbot) -> None:
    view.activateWindow()
    view.month_table.setFocus()
    qtbot.keyClick(view.month_table, Qt.Key.Key_PageDown)
    assert view.title_text() == "December 2026"
    qtbot.keyClick(view.month_table, Qt.Key.Key_PageUp)
    qtbot.keyClick(view.month_table, Qt.Key.Key_PageUp)
    assert view.title_text() == "October 2026"
    qtbot.keyClick(view.month_table, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view.month_table, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert view.title_text() == "December 2026"
    qtbot.keyClick(view.month_table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert view.title_text() == "November 2026"
    grid = week_view(view)
    grid.body.setFocus()
    qtbot.keyClick(grid.body, Qt.Key.Key_PageDown)
    assert grid.days()[0] == dt.date(2026, 11, 23)
    qtbot.keyClick(grid.body, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert grid.days()[0] == dt.date(2026, 11, 16)


def test_filled_is_emitted_for_each_range(view: CalendarView, qtbot) -> None:
    with qtbot.waitSignal(view.filled, timeout=1000):
        view.show_month(dt.date(2027, 2, 1))
    assert view.is_filled() and view.title_text() == "February 2027"
    with qtbot.waitSignal(view.filled, timeout=1000):
        view.show_week(dt.date(2027, 2, 1))
    assert view.week_grid.days()[0] == dt.date(2027, 2, 1)


def contact_ids(db: Database, count: int) -> list[int]:
    with db.read() as con:
        return [r[0] for r in con.execute("SELECT id FROM contact ORDER BY id LIMIT ?", (count,))]


def guest_ids(db: Database, event_id: int) -> set[int]:
    return {g["contact_id"] for g in event_details(db, event_id)["guests"]}


def drop_contacts(widget, point: QPoint, ids: list[int]) -> QDropEvent:
    mime = encode_ids(ids)  # the event does not own it: keep it alive
    event = QDropEvent(
        QPointF(point),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    widget.dropEvent(event)
    drop_contacts.mime = mime  # type: ignore[attr-defined]
    return event


def test_contacts_dropped_on_an_occurrence_are_invited_undoably(
    view: CalendarView, demo_db: Database
) -> None:
    event_id = add_event(
        demo_db, "Atelier vélo", dt.datetime(2026, 11, 24, 18), dt.datetime(2026, 11, 24, 20)
    )
    view.refresh()
    ids = contact_ids(demo_db, 3)
    assert guest_ids(demo_db, event_id) == set()
    index = view.month_model.index_of(dt.date(2026, 11, 24))
    rect = view.month_table.visualRect(index)
    line = view.month_table.fontMetrics().height() + 2
    point = QPoint(rect.left() + 10, rect.top() + 3 + line + line // 2)
    assert view.month_table.occurrence_at(point).event_id == event_id
    assert drop_contacts(view.month_table, point, ids).isAccepted()
    assert guest_ids(demo_db, event_id) == set(ids)
    assert view.last_message == "Atelier vélo: 3 people invited."
    view.undo_stack.undo()
    assert guest_ids(demo_db, event_id) == set()
    # In the week grid, on the block; nowhere else.
    grid = week_view(view, dt.date(2026, 11, 24))
    block = next(b for b in grid.layout_.blocks if b.occurrence.event_id == event_id)
    assert drop_contacts(grid.body, grid.block_rect(block).center().toPoint(), ids[:1]).isAccepted()
    assert guest_ids(demo_db, event_id) == set(ids[:1])
    empty = grid.point_for(dt.date(2026, 11, 26), dt.time(3))
    assert not drop_contacts(grid.body, empty, ids).isAccepted()
    assert guest_ids(demo_db, event_id) == set(ids[:1])


# -- the occurrence menu: open, check in, close, skip a date, back to its usual time ---------


def line_point(view: CalendarView, day: dt.date, title: str) -> QPoint:
    """The middle of `title`'s line in the day's month cell."""
    table = view.month_table
    index = view.month_model.index_of(day)
    rect = table.visualRect(index)
    line = table.fontMetrics().height() + 2
    for n in range(1, 8):
        point = QPoint(rect.left() + 12, rect.top() + 3 + n * line + line // 2)
        found = table.occurrence_at(point)
        if found is not None and found.title == title:
            return point
    raise AssertionError(f"{title} is not on {day}")


def context_menu(view: CalendarView, widget, point: QPoint, keyboard: bool = False) -> QMenu:
    """What a right-click (or the Menu key) at `point` of `widget` opens."""
    reason = QContextMenuEvent.Reason.Keyboard if keyboard else QContextMenuEvent.Reason.Mouse
    before = view.menu
    QApplication.sendEvent(widget, QContextMenuEvent(reason, point, widget.mapToGlobal(point)))
    menu = view.menu
    assert menu is not None and menu is not before and menu.isVisible()
    return menu


def names(menu: QMenu) -> list[str]:
    return [a.objectName() for a in menu.actions() if not a.isSeparator()]


def choose(qtbot, menu: QMenu, name: str) -> None:
    """Pick an action the way a keyboard user does: highlight it, press Enter."""
    action = next(a for a in menu.actions() if a.objectName() == name)
    assert action.isEnabled()
    menu.setActiveAction(action)
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    assert not menu.isVisible()


def test_skip_a_date_from_a_week_block_then_undo_leaves_no_exception_row(
    view: CalendarView, demo_db: Database, qtbot
) -> None:
    thursday = dt.date(2026, 11, 26)
    grid = week_view(view, thursday)
    grid.scroll_to_hour(15)
    [block] = [b for b in grid.layout_.blocks if b.occurrence.title == "Apéro du jeudi"]
    apero = block.occurrence
    menu = context_menu(view, grid.body, grid.block_rect(block).center().toPoint())
    assert names(menu) == [
        "occurrenceOpen",
        "occurrenceCheckIn",
        "occurrenceClose",
        "occurrenceEarlier",
        "occurrenceLater",
        "occurrenceSkip",
    ]
    assert menu.defaultAction().objectName() == "occurrenceOpen"
    # Next week's apéro has not come: no arrivals, no closing yet, and the menu says why.
    actions = {a.objectName(): a for a in menu.actions()}
    assert not actions["occurrenceCheckIn"].isEnabled()
    assert not actions["occurrenceClose"].isEnabled()
    assert "not taken place yet" in actions["occurrenceClose"].toolTip()
    menu.close()
    menu = context_menu(view, grid.body, grid.block_rect(block).center().toPoint())
    choose(qtbot, menu, "occurrenceSkip")
    snapshot = exception_snapshot(demo_db, apero.event_id, apero.recurrence_id)
    assert snapshot is not None and snapshot.cancelled
    assert view.last_message == "Apéro du jeudi on 26/11 skipped — Ctrl+Z to undo"
    assert view.undo_stack.undoText() == "Skip Apéro du jeudi on 26/11"
    view.refresh()
    assert not [b for b in grid.layout_.blocks if b.occurrence.title == "Apéro du jeudi"]
    view.undo_stack.undo()
    assert exception_snapshot(demo_db, apero.event_id, apero.recurrence_id) is None
    view.refresh()
    assert [b.occurrence for b in grid.layout_.blocks if b.occurrence.title == "Apéro du jeudi"]
    view.undo_stack.redo()
    assert exception_snapshot(demo_db, apero.event_id, apero.recurrence_id) == snapshot


def test_a_moved_occurrence_goes_back_to_its_usual_time_undoably(
    view: CalendarView, demo_db: Database, qtbot
) -> None:
    view.next_button.click()  # December: the demo moved the 3rd's apéro to Friday the 4th
    friday, thursday = dt.date(2026, 12, 4), dt.date(2026, 12, 3)
    [moved] = on_day(view, friday, "Apéro du jeudi")
    assert moved.recurrence_id == dt.datetime(2026, 12, 3, 19)
    before = exception_snapshot(demo_db, moved.event_id, moved.recurrence_id)
    menu = context_menu(view, view.month_table.viewport(), line_point(view, friday, moved.title))
    assert names(menu)[-2:] == ["occurrenceSkip", "occurrenceBack"]
    choose(qtbot, menu, "occurrenceBack")
    assert view.last_message == (
        "Apéro du jeudi on 03/12 is back at its usual time — Ctrl+Z to undo"
    )
    view.refresh()
    [back] = on_day(view, thursday, "Apéro du jeudi")
    assert back.start.replace(tzinfo=None) == dt.datetime(2026, 12, 3, 19)
    assert not on_day(view, friday, "Apéro du jeudi")
    # The note the move carried is kept; the occurrence is no longer moved.
    after = exception_snapshot(demo_db, moved.event_id, moved.recurrence_id)
    assert after is not None and after.start_local is None and after.notes == before.notes
    # A date at its usual time offers no way "back".
    menu = context_menu(
        view, view.month_table.viewport(), line_point(view, thursday, "Apéro du jeudi")
    )
    assert "occurrenceBack" not in names(menu)
    menu.close()
    view.undo_stack.undo()
    assert exception_snapshot(demo_db, moved.event_id, moved.recurrence_id) == before
    view.refresh()
    assert on_day(view, friday, "Apéro du jeudi")[0].start == moved.start


def test_close_and_check_in_open_for_the_occurrence_chosen(
    view: CalendarView, demo_db: Database, qtbot
) -> None:
    from ui.events.checkin import CheckInDialog
    from ui.events.closing import CloseEventDialog

    last_week = dt.date(2026, 11, 12)
    menu = context_menu(
        view, view.month_table.viewport(), line_point(view, last_week, "Apéro du jeudi")
    )
    choose(qtbot, menu, "occurrenceClose")
    dialog = view.close_dialog
    assert isinstance(dialog, CloseEventDialog) and dialog.isVisible()
    assert dialog.plan is not None and dialog.plan.title == "Apéro du jeudi"
    assert dialog.plan.occurrence == dt.datetime(2026, 11, 12, 19)
    assert dialog.occurrence_box.currentData() == dt.datetime(2026, 11, 12, 19)
    dialog.reject()

    menu = context_menu(
        view, view.month_table.viewport(), line_point(view, TODAY, "Apéro du jeudi")
    )
    choose(qtbot, menu, "occurrenceCheckIn")
    door = view.checkin
    assert isinstance(door, CheckInDialog) and door.isVisible()
    assert door.occurrence == dt.datetime(2026, 11, 19, 19)
    assert door.date is not None and door.date.today and door.date.start.date() == TODAY
    door.close()

    # A single event: its own dialogs, and no series actions in its menu.
    event_id = add_event(
        demo_db, "Atelier vélo", dt.datetime(2026, 11, 17, 18), dt.datetime(2026, 11, 17, 20)
    )
    view.refresh()
    day = dt.date(2026, 11, 17)
    menu = context_menu(view, view.month_table.viewport(), line_point(view, day, "Atelier vélo"))
    assert names(menu) == SINGLE_EVENT_MENU
    choose(qtbot, menu, "occurrenceClose")
    dialog = view.close_dialog
    assert isinstance(dialog, CloseEventDialog) and dialog.event_id == event_id
    assert dialog.plan is not None and dialog.plan.occurrence is None
    dialog.reject()
    menu = context_menu(view, view.month_table.viewport(), line_point(view, day, "Atelier vélo"))
    choose(qtbot, menu, "occurrenceCheckIn")
    assert view.checkin.event_id == event_id and view.checkin.occurrence is None
    view.checkin.close()


def test_open_from_the_agenda_menu_key_opens_the_editor(window, qtbot) -> None:
    from ui.events.editor import EventEditor

    window.show_section("calendar")
    calendar = window.view("calendar")
    calendar.agenda_button.click()
    table = calendar.agenda_table
    index = calendar.agenda_model.index(1, 1)
    occurrence = index.data(OccurrenceRole)
    table.setCurrentIndex(index)
    table.setFocus()
    menu = context_menu(calendar, table.viewport(), table.visualRect(index).center(), True)
    choose(qtbot, menu, "occurrenceOpen")
    editor = window.view("events").editor
    assert isinstance(editor, EventEditor) and editor.event_id == occurrence.event_id
    editor.reject()
    # A day heading has no menu.
    heading = table.visualRect(calendar.agenda_model.index(0, 0)).center()
    before = calendar.menu
    QApplication.sendEvent(
        table.viewport(),
        QContextMenuEvent(QContextMenuEvent.Reason.Mouse, heading, table.mapToGlobal(heading)),
    )
    assert calendar.menu is before


def test_menu_key_on_a_busy_day_offers_each_occurrence(
    view: CalendarView, demo_db: Database, qtbot
) -> None:
    add_event(demo_db, "Atelier vélo", dt.datetime(2026, 11, 19, 10), dt.datetime(2026, 11, 19, 12))
    view.refresh()
    index = view.month_model.index_of(TODAY)
    view.month_table.setCurrentIndex(index)
    center = view.month_table.visualRect(index).center()
    menu = context_menu(view, view.month_table.viewport(), center, keyboard=True)
    submenus = [a.menu() for a in menu.actions() if a.menu() is not None]
    titles = [plain(m.title()) for m in submenus]  # each with an Alt letter as it shows
    assert titles == ["10:00 Atelier vélo", "19:00 Apéro du jeudi"]
    apero_menu = submenus[1]
    assert "occurrenceSkip" in names(apero_menu) and "occurrenceSkip" not in names(submenus[0])
    menu.close()


def test_skip_from_the_day_popup_closes_it(view: CalendarView, demo_db: Database, qtbot) -> None:
    day = dt.date(2026, 11, 26)
    for hour in range(9, 17):
        add_event(
            demo_db,
            f"Entretien {hour}h",
            dt.datetime(2026, 11, 26, hour),
            dt.datetime(2026, 11, 26, hour, 45),
        )
    view.refresh()
    point = view.month_table.more_point(day)
    assert point is not None
    qtbot.mouseClick(view.month_table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    popup = view.day_popup
    assert popup is not None and popup.isVisible()
    row = next(
        r
        for r in range(popup.model.rowCount())
        if popup.model.index(r, 1).data() == "Apéro du jeudi"
    )
    apero = popup.model.index(row, 1).data(OccurrenceRole)
    rect = popup.table.visualRect(popup.model.index(row, 1))
    menu = context_menu(view, popup.table.viewport(), rect.center())
    choose(qtbot, menu, "occurrenceSkip")
    assert not popup.isVisible()
    snapshot = exception_snapshot(demo_db, apero.event_id, apero.recurrence_id)
    assert snapshot is not None and snapshot.cancelled


def test_an_all_day_event_in_the_week_band_has_its_menu(
    view: CalendarView, demo_db: Database, qtbot
) -> None:
    event_id = add_event(
        demo_db,
        "Salon des makers",
        dt.datetime(2026, 11, 21),
        dt.datetime(2026, 11, 21),
        all_day=True,
    )
    grid = week_view(view)
    [item] = [b for b in grid.layout_.band if b.occurrence.event_id == event_id]
    header = grid.header
    point = header.item_rect(item).center().toPoint()
    opened: list[int] = []
    view.occurrence_actions.open_occurrence = lambda o: opened.append(o.event_id)  # type: ignore[method-assign]
    menu = context_menu(view, header, point)
    assert names(menu) == SINGLE_EVENT_MENU
    choose(qtbot, menu, "occurrenceOpen")
    assert opened == [event_id]
    # Nothing under the mouse: no menu.
    before = view.menu
    empty = QPoint(int(grid.columns().day_left(0)) + 5, header.height() - 3)
    QApplication.sendEvent(
        header, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, empty, header.mapToGlobal(empty))
    )
    assert view.menu is before


def test_a_block_widens_into_the_lanes_free_while_it_lasts(qtbot) -> None:
    from cmplanner.services.event_dates import OccurrenceRead
    from ui.calendar.week_grid import Block, lay_out_day

    def block(title: str, top: str, bottom: str) -> Block:
        def minutes(text: str) -> int:
            hours, mins = text.split(":")
            return int(hours) * 60 + int(mins)

        start = dt.datetime(2026, 12, 8, 0, 0, tzinfo=dt.UTC)
        occurrence = OccurrenceRead(
            0, title, title, "meetup", "confirmed", start, start, "UTC", False, "", "", None
        )
        return Block(occurrence, 1, minutes(top), minutes(bottom))

    # A all afternoon; B and C at 14:00; D after B and C have ended.
    a, b, c, d = (
        block("A", "14:00", "17:00"),
        block("B", "14:00", "15:00"),
        block("C", "14:00", "15:00"),
        block("D", "15:30", "16:30"),
    )
    blocks = [a, b, c, d]
    lay_out_day(blocks)
    assert [(x.lane, x.lanes, x.span) for x in (a, b, c, d)] == [
        (0, 3, 1),
        (1, 3, 1),
        (2, 3, 1),
        (1, 3, 2),  # lanes 1 and 2 are free from 15:00: twice as wide, still beside A
    ]
    grid = WeekGrid()
    qtbot.addWidget(grid)
    grid.resize(1000, 600)
    wide, narrow = grid.block_rect(d), grid.block_rect(b)
    assert wide.width() > 1.9 * narrow.width()
    assert grid.block_rect(a).right() <= wide.left()
    assert wide.right() <= grid.columns().day_left(2)
