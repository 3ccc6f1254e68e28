"""Close the event from the Events view: complete the attendance, see what will happen,
close it in one undoable step, then write the debrief; the banner of occurrences to
confirm; contacts dropped on an event row are invited."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMenu

from cmplanner.errors import ValidationError
from cmplanner.services import closing, preferences
from cmplanner.services import events as event_service
from cmplanner.storage import Database
from ui.events.closing import CloseEventDialog, DebriefDialog
from ui.events.view import EventsView
from ui.kit.display import format_date
from ui.kit.models import encode_ids

SERIES = 1  # the demo's weekly "Apéro du jeudi"
TEST_33 = 5  # "Test de la version 3.3", nine days ago, already done


@pytest.fixture
def view(qtbot, demo_db: Database, frozen_clock: dt.datetime) -> EventsView:
    events_view = EventsView()
    qtbot.addWidget(events_view)
    events_view.undo_stack = QUndoStack(events_view)
    events_view.set_database(demo_db)
    events_view.refresh()
    events_view.resize(1100, 600)
    events_view.show()
    qtbot.waitExposed(events_view)
    return events_view


def state(db: Database, event_id: int) -> tuple[object, ...]:
    with db.read() as con:
        return (
            con.execute(
                "SELECT status, sequence, debrief FROM event WHERE id = ?", (event_id,)
            ).fetchone(),
            con.execute(
                "SELECT * FROM occurrence_exception WHERE event_id = ? ORDER BY id", (event_id,)
            ).fetchall(),
            con.execute(
                "SELECT * FROM invitation WHERE event_id = ? ORDER BY id", (event_id,)
            ).fetchall(),
            con.execute(
                "SELECT id FROM task WHERE event_id = ? ORDER BY id", (event_id,)
            ).fetchall(),
            con.execute("SELECT id, last_seen FROM contact ORDER BY id").fetchall(),
        )


def select(view: EventsView, event_id: int) -> None:
    index = view.model.index(view.model.ids().index(event_id), 0)
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
    view.table.selectionModel().select(index, flags | QItemSelectionModel.SelectionFlag.Rows)
    view.table.setCurrentIndex(index)


def open_dialog(view: EventsView, event_id: int) -> CloseEventDialog:
    select(view, event_id)
    view.close_action.trigger()
    dialog = view.close_dialog
    assert isinstance(dialog, CloseEventDialog) and dialog.isVisible()
    return dialog


def test_the_row_menu_and_the_more_menu_offer_close_and_templates(view: EventsView) -> None:
    menu = QMenu()
    view.fill_row_menu(menu, [SERIES])
    texts = [a.text() for a in menu.actions()]
    assert view.close_action.text() in texts and view.templates_action.text() in texts
    more = [a.text() for a in view.more_button.menu().actions()]
    assert more == [
        view.checkin_action.text(),
        view.close_action.text(),
        view.templates_action.text(),
    ]
    assert view.close_action.shortcut().toString() == "Ctrl+Shift+D"


def test_closing_a_series_occurrence_with_attendance_then_debrief_and_undo(
    view: EventsView, demo_db: Database, qtbot
) -> None:
    before = state(demo_db, SERIES)
    select(view, SERIES)
    view.table.setFocus()
    view.close_action.trigger()  # Ctrl+Shift+D (a key click would leave Ctrl held for later tests)
    dialog = view.close_dialog
    assert isinstance(dialog, CloseEventDialog)
    plan = dialog.plan
    assert plan is not None and plan.series
    # The latest past Thursday is offered first; the others can be chosen.
    assert dialog.occurrence_box.isVisibleTo(dialog)
    assert dialog.occurrence_box.currentData() == dt.datetime(2026, 11, 12, 19, 0)
    assert dialog.occurrence_box.count() == len(plan.occurrences) > 3
    # Those checked in at the door are ticked already.
    assert dialog.came() == {g.invitation_id for g in plan.guests if g.attended}
    absent = next(g for g in plan.guests if not g.attended)
    present = next(g for g in plan.guests if g.attended)
    dialog.set_came([absent.name], True)
    dialog.set_came([present.name], False)
    n_came = len(dialog.came())
    assert f"{n_came} of {len(plan.guests)} guests came" == dialog.count.text()
    no_shows = len(plan.guests) - n_came
    assert f"{no_shows} guests who said yes or maybe are recorded as no-shows" in (
        dialog.summary.text()
    )
    assert "Remercier la salle" in dialog.summary.text()

    dialog.close_button.click()
    assert view.undo_stack.count() == 1
    again = closing.closing_plan(demo_db, SERIES, plan.occurrence)
    assert again.done and again.follow_up == ()
    attended = {g.name: g.attended for g in again.guests}
    assert attended[absent.name] is True and attended[present.name] is False

    debrief = dialog.debrief_dialog
    assert isinstance(debrief, DebriefDialog) and debrief.isVisible()
    text = debrief.text.toPlainText()
    assert "What worked:" in text
    assert f"{n_came} came out of {len(plan.guests)} expected, {no_shows} no-shows" in text
    debrief.text.setPlainText("Super ambiance.\n" + text)
    debrief.accept()
    assert view.undo_stack.count() == 2
    assert event_service.event_details(demo_db, SERIES)["debrief"].startswith("Super ambiance.")

    view.undo_stack.undo()  # the debrief
    view.undo_stack.undo()  # the close: status, attendance, tasks, last_seen
    assert state(demo_db, SERIES) == before
    view.undo_stack.redo()
    assert closing.closing_plan(demo_db, SERIES, plan.occurrence).done


def test_choosing_another_occurrence_reloads_its_guests(view: EventsView) -> None:
    dialog = open_dialog(view, SERIES)
    assert dialog.plan is not None
    dialog.occurrence_box.setCurrentIndex(2)
    assert dialog.plan.occurrence == dialog.occurrence_box.itemData(2)
    assert dialog.plan.occurrence == dt.datetime(2026, 10, 29, 19, 0)


def test_a_single_event_already_closed_says_so_and_hides_the_occurrence(
    view: EventsView,
) -> None:
    dialog = open_dialog(view, TEST_33)
    assert dialog.plan is not None and not dialog.plan.series
    assert not dialog.occurrence_box.isVisibleTo(dialog)
    assert "Already closed" in dialog.note.text()
    dialog.reject()


def test_a_series_not_yet_met_cannot_be_closed_and_says_why(
    view: EventsView, demo_db: Database
) -> None:
    from cmplanner.model import EventCreate

    read, _changes = event_service.create_event(
        demo_db,
        EventCreate(
            title="Club lecture",
            start_local=dt.datetime(2026, 12, 3, 19),
            end_local=dt.datetime(2026, 12, 3, 21),
            rrule="FREQ=WEEKLY;BYDAY=TH",
        ),
    )
    view.refresh()
    dialog = open_dialog(view, read.id)
    assert "No occurrence of “Club lecture” has taken place yet." in dialog.note.text()
    assert not dialog.close_button.isEnabled()


def test_the_banner_lists_occurrences_to_confirm_and_opens_one(
    view: EventsView, demo_db: Database
) -> None:
    # Within 7 days only the demo's radio interview is still planned.
    assert not view.banner.isHidden()
    assert [o.title for o in view.banner.occurrences] == ["Interview : Radio Canut"]
    preferences.put(demo_db, event_service.CONFIRM_DAYS_KEY, "15")
    view.refresh()
    titles = [o.title for o in view.banner.occurrences]
    assert titles == ["Interview : Radio Canut", "Meetup des ambassadeurs", "Repérage des salles"]
    assert "3 events in the next 15 days are not confirmed yet" in view.banner.label.text()
    meetup = view.banner.occurrences[1].event_id
    view.banner.label.linkActivated.emit(f"event:{meetup}")
    assert view.editor is not None and view.editor.isVisible()
    assert view.editor.event_id == meetup  # type: ignore[attr-defined]
    view.editor.reject()


def test_contacts_dropped_on_an_event_row_are_invited_undoably(
    view: EventsView, demo_db: Database
) -> None:
    from cmplanner.services import guests

    target = 10  # "Repérage des salles": an idea, no guests yet
    assert guests.guest_rows(demo_db, target) == []
    row = view.model.ids().index(target)
    parent = view.model.index(row, 0)
    mime = encode_ids([3, 4, 5])
    assert view.model.canDropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, parent)
    assert not view.model.canDropMimeData(
        mime, Qt.DropAction.CopyAction, -1, -1, view.model.index(-1, -1)
    )
    assert view.model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, parent)
    assert sorted(g.contact_id for g in guests.guest_rows(demo_db, target)) == [3, 4, 5]
    assert view.last_message == "3 people invited."
    view.undo_stack.undo()
    assert guests.guest_rows(demo_db, target) == []


CONCERT = 6  # "Concert de lancement", in January


def test_close_offers_only_dates_that_have_happened_and_its_button_says_what_it_does(
    view: EventsView, demo_db: Database, qtbot
) -> None:
    from ui.events.closing import open_close_event

    # Asked for next week's apéro (it has not come): the latest date that has is shown.
    dialog = open_close_event(demo_db, view.push, SERIES, dt.datetime(2026, 11, 26, 19))
    qtbot.addWidget(dialog)
    offered = [dialog.occurrence_box.itemData(i) for i in range(dialog.occurrence_box.count())]
    assert dt.datetime(2026, 11, 26, 19) not in offered
    assert all(o <= dt.datetime(2026, 11, 19, 19) for o in offered)
    assert dialog.plan is not None and dialog.plan.occurrence == offered[0]
    assert "has not taken place yet" in dialog.note.text()
    assert dialog.close_button.isEnabled()
    day = format_date(dialog.plan.occurrence.date())
    assert dialog.close_button.text() == f"Close the Date of {day}"
    dialog.reject()

    # A single event to come: nothing to close, and the button says so by being off.
    concert = open_close_event(demo_db, view.push, CONCERT)
    qtbot.addWidget(concert)
    assert concert.plan is not None and concert.plan.refusal
    assert not concert.close_button.isEnabled()
    assert not concert.all_button.isEnabled() and not concert.none_button.isEnabled()
    assert "has not taken place yet" in concert.note.text()
    concert.accept()  # Enter on it does nothing either
    assert view.undo_stack.count() == 0
    with pytest.raises(ValidationError, match="not taken place yet"):
        closing.close_with_attendance(demo_db, CONCERT, ())
    concert.reject()

    # Already closed: closing again records the changes.
    done = open_close_event(demo_db, view.push, TEST_33)
    qtbot.addWidget(done)
    assert done.close_button.text() == "Record the Changes"
    came, total = len(done.came()), len(done.attendance.guests)
    assert done.all_button.isEnabled() == (came < total)
    assert done.none_button.isEnabled() == (came > 0)
    done.reject()
