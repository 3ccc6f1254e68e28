"""The events view and the event editor as a user works them: filters, a weekly and a
"fourth Thursday" series saved with the right RRULE, undo of edits and creations, the
recurrence form reading rules back."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from PySide6.QtCore import QDate, QDateTime, QTime, QUrl

from cmplanner import recurrence_form as rf
from cmplanner.services import event_records
from cmplanner.services.browse import EVENTS
from cmplanner.storage import Database
from ui.event_editor import NEW_VENUE, EventEditor, map_url
from ui.main_window import MainWindow
from ui.recurrence_editor import CUSTOM, RecurrenceEditor
from ui.views.events import EventsView


@pytest.fixture
def view(window: MainWindow) -> EventsView:
    window.show_section("events")
    events = window.view("events")
    assert isinstance(events, EventsView)
    assert events.row_count() > 0
    return events


def new_editor(view: EventsView) -> EventEditor:
    view.new_button.click()
    editor = view.editor
    assert isinstance(editor, EventEditor)
    return editor


def set_start(editor: EventEditor, day: dt.date, hour: int = 19) -> None:
    editor.start.setDateTime(QDateTime(QDate(day.year, day.month, day.day), QTime(hour, 0)))


def stored(db: Database, title: str) -> tuple[int, event_records.EventForm]:
    ids = EVENTS.ids(db, text=title)
    assert len(ids) == 1
    return ids[0], event_records.get_event_form(db, ids[0])


def test_filters_change_the_rows(view: EventsView, demo_db: Database) -> None:
    everything = view.row_count()

    def statuses() -> set[str]:
        ids = view.model.ids()
        return {event_records.get_event_form(demo_db, i).data.status for i in ids}

    view.set_filters(status="idea")
    assert 0 < view.row_count() < everything and statuses() == {"idea"}
    assert view.filter_bar.clear.isEnabled()
    view.filter_bar.reset()
    assert view.row_count() == everything and not view.filter_bar.clear.isEnabled()
    community = view.filter_bar.community.itemData(1)
    view.set_filters(community=community)
    in_community = set(view.model.ids())
    assert 0 < len(in_community) < everything
    assert {event_records.get_event_form(demo_db, i).data.community_id for i in in_community} == {
        community
    }
    view.filter_bar.reset()
    view.set_filters(**{"to": dt.date(2000, 1, 2)})
    assert view.row_count() == 0
    assert view.empty.text() == "Nothing matches these filters."
    view.set_filters(**{"to": None, "from": dt.date(2099, 1, 1)})
    assert view.row_count() < everything  # only series may still have occurrences then
    view.filter_bar.reset()
    assert view.row_count() == everything


def test_weekly_thursday_series_with_a_new_venue_and_undo(
    window: MainWindow, view: EventsView, demo_db: Database
) -> None:
    editor = new_editor(view)
    editor.title.setText("Jeudis du code")
    set_start(editor, dt.date(2026, 12, 3))  # a Thursday
    rec = editor.recurrence
    rec.pattern.setCurrentIndex(rec.pattern.findData(rf.WEEKLY))
    assert [box.isChecked() for box in rec.days] == [False, False, False, True, False, False, False]
    assert rec.summary.text() == "Every Thursday"
    editor.venue.setCurrentIndex(editor.venue.findData(NEW_VENUE))
    editor.venue_name.setText("La Cordée")
    editor.venue_street.setText("3 rue de la Part-Dieu, 69003 Lyon")
    editor.accept()
    event_id, form = stored(demo_db, "Jeudis du code")
    assert form.data.rrule == "FREQ=WEEKLY;BYDAY=TH"
    assert form.data.start_local == dt.datetime(2026, 12, 3, 19)
    assert form.data.end_local == dt.datetime(2026, 12, 3, 21)  # the length followed the start
    venue = next(v for v in event_records.venues(demo_db) if v.name == "La Cordée")
    assert form.data.venue_id == venue.id
    window.undo_stack.undo()
    assert event_id not in EVENTS.ids(demo_db)
    window.undo_stack.redo()
    assert event_records.get_event_form(demo_db, event_id) == form


def test_fourth_thursday_until_a_date_then_edit_and_undo(
    window: MainWindow, view: EventsView, demo_db: Database
) -> None:
    editor = new_editor(view)
    editor.title.setText("Apéro des CM")
    set_start(editor, dt.date(2026, 11, 26))  # the fourth Thursday of November
    rec = editor.recurrence
    rec.pattern.setCurrentIndex(rec.pattern.findData(rf.MONTHLY_WEEKDAY))
    assert rec.ordinal.currentData() == 4 and rec.weekday.currentData() == 3
    rec.ends.setCurrentIndex(rec.ends.findData("until"))
    rec.until.setDate(QDate(2027, 6, 30))
    assert rec.summary.text() == "Every fourth Thursday of the month, until June 30, 2027"
    editor.accept()
    event_id, form = stored(demo_db, "Apéro des CM")
    assert form.data.rrule == "FREQ=MONTHLY;BYDAY=4TH;UNTIL=20270630T235959"

    view.open_record(event_id)
    editor = view.editor
    assert isinstance(editor, EventEditor)
    assert editor.recurrence.pattern.currentData() == rf.MONTHLY_WEEKDAY
    assert editor.recurrence.rule() == form.data.rrule
    editor.title.setText("Apéro des CM lyonnais")
    editor.recurrence.interval.setValue(2)
    editor.status.setCurrentIndex(editor.status.findData("confirmed"))
    editor.accept()
    edited = event_records.get_event_form(demo_db, event_id).data
    assert edited.rrule == "FREQ=MONTHLY;INTERVAL=2;BYDAY=4TH;UNTIL=20270630T235959"
    assert edited.status == "confirmed"
    window.undo_stack.undo()
    assert event_records.get_event_form(demo_db, event_id).data == form.data


def test_inline_errors_keep_the_editor_open(view: EventsView, demo_db: Database) -> None:
    editor = new_editor(view)
    editor.title.setText("Mauvais")
    editor.end.setDateTime(editor.start.dateTime().addSecs(-3600))
    assert "ends before it starts" in editor.when_error.text()
    editor.end.setDateTime(editor.start.dateTime().addSecs(3600))
    editor.timezone.setCurrentText("Europe/Atlantis")
    assert "Unknown time zone" in editor.when_error.text()
    editor.accept()
    assert editor.result() == 0 and not EVENTS.ids(demo_db, text="Mauvais")
    editor.timezone.setCurrentText("Europe/Paris")
    rec = editor.recurrence
    rec.pattern.setCurrentIndex(rec.pattern.findData(CUSTOM))
    rec.raw.setText("FREQ=SOMETIMES")
    editor.accept()
    assert "not valid" in editor.error.text()
    assert not EVENTS.ids(demo_db, text="Mauvais")


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=WEEKLY;BYDAY=TH",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=6",
        "FREQ=MONTHLY;BYDAY=4TH;UNTIL=20270630T235959",
        "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15",
        "",
    ],
)
def test_the_recurrence_form_round_trips(qtbot, rule: str) -> None:
    editor = RecurrenceEditor()
    qtbot.addWidget(editor)
    editor.set_rule(rule, dt.date(2026, 1, 22))
    assert editor.pattern.currentData() != CUSTOM
    assert editor.rule() == rule


def test_rules_the_form_cannot_show_stay_raw(qtbot) -> None:
    editor = RecurrenceEditor()
    qtbot.addWidget(editor)
    editor.set_rule("FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=21", dt.date(2026, 6, 21))
    assert editor.pattern.currentData() == CUSTOM
    assert editor.raw.isVisibleTo(editor)
    assert editor.rule() == "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=21"


def test_open_in_map(view: EventsView) -> None:
    editor = new_editor(view)
    editor.venue.setCurrentIndex(editor.venue.findData(NEW_VENUE))
    editor.venue_street.setText("3 rue de la Part-Dieu, 69003 Lyon")
    with mock.patch("ui.event_editor.QDesktopServices.openUrl") as open_url:
        editor.open_map()
    url = open_url.call_args.args[0]
    assert isinstance(url, QUrl) and url == map_url("3 rue de la Part-Dieu, 69003 Lyon")
    assert url.toString().startswith("https://www.openstreetmap.org/search?query=3")
    assert "Part-Dieu" in url.toString()


def test_a_new_kind_typed_in(view: EventsView, demo_db: Database) -> None:
    editor = new_editor(view)
    editor.title.setText("Hackathon de Noël")
    editor.kind.setCurrentText("Hackathon")
    editor.accept()
    _id, form = stored(demo_db, "Hackathon de Noël")
    assert form.data.kind == "Hackathon"
    assert "Hackathon" in event_records.event_kinds(demo_db)


def test_the_filtered_model_passes_the_model_tester(view: EventsView, qtmodeltester) -> None:
    view.set_filters(status="planned")
    qtmodeltester.check(view.model)


def test_events_view_opens_the_check_in_screen_from_a_row(window, qtbot) -> None:
    from PySide6.QtWidgets import QMenu

    window.show_section("events")
    view = window.view("events")
    event_id = view.model.ids()[0]
    menu = QMenu()
    view.fill_row_menu(menu, [event_id])
    labels = [a.text() for a in menu.actions()]
    assert any("door" in label for label in labels)
    view.open_checkin(event_id)
    assert view.checkin.isVisible()
    view.checkin.close()


def test_delete_key_deletes_events_and_undo_brings_them_back(window, qtbot) -> None:
    from PySide6.QtCore import Qt

    from cmplanner.services.browse import EVENTS

    window.show_section("events")
    view = window.view("events")
    before = EVENTS.ids(view.db)
    victim = view.model.ids()[0]
    view.table.selectRow(0)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert victim not in EVENTS.ids(view.db)
    window.undo_stack.undo()
    assert EVENTS.ids(view.db) == before


def test_the_editor_warns_of_an_event_at_the_same_venue_and_time(
    view: EventsView, frozen_clock
) -> None:
    editor = new_editor(view)
    editor.title.setText("Soirée quiz")
    # The weekly apéro meets at the Brasserie Georges on Thursdays from 19:00.
    editor.venue.setCurrentIndex(editor.venue.findText("Brasserie Georges"))
    set_start(editor, dt.date(2026, 11, 26), hour=20)
    editor.check_conflicts()
    assert [c.title for c in editor.conflicts] == ["Apéro du jeudi"]
    assert not editor.conflict_note.isHidden()
    set_start(editor, dt.date(2026, 11, 27), hour=20)  # a Friday: free
    editor.check_conflicts()
    assert editor.conflicts == [] and editor.conflict_note.isHidden()
    editor.reject()
