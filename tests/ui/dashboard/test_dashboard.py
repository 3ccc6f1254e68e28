"""The home screen: the figures of `dashboard.compute`, the cards, the drifting actions (undoable),
the readiness fixes, the export, the empty states."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialog, QMessageBox

from cmplanner.services import dashboard as dashboard_service
from cmplanner.storage import Database
from tests.ui.conftest import written
from ui.dashboard.cards import CommunityCard, light_text
from ui.dashboard.models import RecordRole, percent
from ui.shell.main_window import MainWindow


def _dashboard(window: MainWindow) -> Any:
    view = window.view("dashboard")
    view.ensure_loaded()
    view.finish_building()
    return view


def _count(db: Database, sql: str, *params: object) -> int:
    with db.read() as con:
        return int(con.execute(sql, params).fetchone()[0])


def test_the_home_screen_shows_the_figures_compute_gives(window: MainWindow) -> None:
    view = _dashboard(window)
    figures = dashboard_service.compute(window.db)
    assert view.dashboard == figures or view.dashboard.upcoming == figures.upcoming

    assert view.upcoming_model.rowCount() == len(figures.upcoming) > 0
    first = figures.upcoming[0]
    row = [view.upcoming_model.index(0, c).data() for c in range(7)]
    assert row[1] == first.title
    assert row[3] == str(first.accepted) and row[4] == str(first.tentative)
    assert row[5] == str(first.no_answer)
    assert window.count_label.text().startswith(str(len(figures.upcoming)))

    due = figures.due
    assert view.due_model.rowCount() == len(due.tasks) + len(due.commitments) + len(due.unconfirmed)
    late = [
        view.due_model.index(r, 0).data(RecordRole)
        for r in range(view.due_model.rowCount())
        if view.due_model.index(r, 0).data(RecordRole).overdue
    ]
    if late:  # overdue first, red, and saying so in words
        assert view.due_model.index(0, 0).data(RecordRole).overdue
        assert "overdue" in view.due_model.index(0, 0).data()
        assert view.due_model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is not None

    assert len(view.cards) == len(figures.communities) > 0
    for card, community in zip(view.cards, figures.communities, strict=True):
        assert card.community.name == community.name
        expected = "—" if community.vitality is None else str(community.vitality)
        assert card.vitality_label.text() == expected

    people = {(p.contact_id, p.community_id) for p in figures.drifting}
    assert view.drifting.model.rowCount() == len(people)
    if figures.ratio.value is not None:
        assert view.ratio_value.text() == percent(figures.ratio.value)
    assert view.ratio_model.rowCount() == len(figures.ratio.by_community)


def test_the_light_says_in_words_what_its_colour_means(window: MainWindow) -> None:
    view = _dashboard(window)
    for card in view.cards:
        words = light_text(card.community.light)
        assert card.light_label.text() == words
        assert words in card.accessibleName()
        assert card.light_dot.accessibleName() == words
    assert light_text(dashboard_service.Light.GREEN) == "Thriving"
    assert light_text(dashboard_service.Light.RED) == "Fading"
    assert light_text(dashboard_service.Light.UNKNOWN) == "Not enough data yet"


def test_the_help_shows_the_formula(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    view = _dashboard(window)
    monkeypatch.setattr(QMessageBox, "exec", lambda _self: 0)
    view.help_button.click()
    assert view.dialog.informativeText() == dashboard_service.vitality_help()
    assert "40" in view.dialog.informativeText()


def _drifting_with_next_event(view: Any) -> Any:
    from ui.dashboard.actions import next_event_of

    for person in view.dashboard.drifting:
        if next_event_of(view, person.community_id) is not None:
            return person
    pytest.skip("the demo has nobody drifting in a community with a next event")


def test_logging_an_interaction_from_the_list_is_undoable(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.contacts.editor import InteractionDialog

    view = _dashboard(window)
    person = view.dashboard.drifting[0]
    sql = "SELECT count(*) FROM interaction WHERE contact_id = ?"
    before = _count(window.db, sql, person.contact_id)
    monkeypatch.setattr(InteractionDialog, "exec", lambda _self: QDialog.DialogCode.Accepted)

    view.drifting.table.selectRow(0)
    view.drifting.buttons["interaction"].click()

    assert _count(window.db, sql, person.contact_id) == before + 1
    assert person.name in view.last_message
    window.undo_stack.undo()
    assert _count(window.db, sql, person.contact_id) == before


def test_inviting_to_the_next_event_from_the_list_is_undoable(window: MainWindow) -> None:
    from ui.dashboard.actions import next_event_of

    view = _dashboard(window)
    person = _drifting_with_next_event(view)
    event = next_event_of(view, person.community_id)
    sql = "SELECT count(*) FROM invitation WHERE event_id = ? AND contact_id = ?"
    before = _count(window.db, sql, event.event_id, person.contact_id)

    model = view.drifting.model
    [row] = [r for r in range(model.rowCount()) if model.record(r).contact_id == person.contact_id]
    view.drifting.delegate.triggered.emit(row, "invite")  # the row's "Invite" chip

    assert _count(window.db, sql, event.event_id, person.contact_id) == 1
    if before == 0:
        window.undo_stack.undo()
        assert _count(window.db, sql, event.event_id, person.contact_id) == 0


def test_adding_a_task_from_the_list_is_undoable(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.checklists.view import TaskDialog

    view = _dashboard(window)
    person = view.dashboard.drifting[0]
    title = f"Get back in touch with {person.name}"
    sql = "SELECT count(*) FROM task WHERE title = ?"
    before = _count(window.db, sql, title)
    seen: list[str] = []

    def accept(dialog: TaskDialog) -> int:
        seen.append(dialog.title.text())
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(TaskDialog, "exec", accept)
    view.act_on_drifting(person, "task")

    assert seen == [title]
    assert _count(window.db, sql, title) == before + 1
    window.undo_stack.undo()
    assert _count(window.db, sql, title) == before


def test_a_cancelled_dialog_writes_nothing(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.contacts.editor import InteractionDialog

    view = _dashboard(window)
    person = view.dashboard.drifting[0]
    before = _count(window.db, "SELECT count(*) FROM interaction")
    monkeypatch.setattr(InteractionDialog, "exec", lambda _self: QDialog.DialogCode.Rejected)
    view.act_on_drifting(person, "interaction")
    assert _count(window.db, "SELECT count(*) FROM interaction") == before
    assert window.undo_stack.count() == 0


def _card_missing(view: Any, key: str) -> CommunityCard:
    for card in view.cards:
        if key in card.fix_buttons:
            return card
    pytest.skip(f"no community of the demo misses {key}")


def test_a_readiness_fix_opens_the_community_editor_on_the_field(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.communities.editor import CommunityEditor

    monkeypatch.setattr(CommunityEditor, "open", lambda _self: None)
    view = _dashboard(window)
    card = _card_missing(view, "ambassadors")
    card.fix_buttons["ambassadors"][0].click()
    assert isinstance(view.editor, CommunityEditor)
    assert view.editor.details.id == card.community.community_id


def test_planning_an_event_for_the_launch_opens_a_new_event_of_the_community(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.events.editor import EventEditor

    monkeypatch.setattr(EventEditor, "open", lambda _self: None)
    view = _dashboard(window)
    card = view.cards[-1]
    card.fix.emit(card.community.community_id, "event")  # "Plan an event…"
    assert isinstance(view.editor, EventEditor)
    assert view.editor.community.currentData() == card.community.community_id


def test_enter_on_an_upcoming_event_opens_its_editor(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.events.editor import EventEditor

    opened: list[EventEditor] = []
    monkeypatch.setattr(EventEditor, "open", lambda self: opened.append(self))
    view = _dashboard(window)
    view.open_row(view.upcoming_table, 0)
    assert len(opened) == 1
    assert opened[0].title.text() == view.dashboard.upcoming[0].title


def test_export_as_png_writes_the_whole_page(window: MainWindow, tmp_path: Path) -> None:
    view = _dashboard(window)
    target = tmp_path / "home.png"
    assert view.export_png(target) == target
    image = QImage(str(target))
    assert not image.isNull()
    # The whole page, not only the part the window shows.
    assert image.height() >= view.content.height() > view.scroll_area.viewport().height()


def test_the_dashboard_follows_a_change(window: MainWindow, qtbot) -> None:
    from cmplanner.services import tasks as task_service

    view = _dashboard(window)
    shown = view.due_model.rowCount()
    written(
        task_service.add_task,
        window.db,
        task_service.TaskData(title="Call the caterer", due_date=dt.date(2026, 11, 20)),
    )
    qtbot.waitUntil(lambda: view.due_model.rowCount() == shown + 1, timeout=3000)
    titles = [view.due_model.index(r, 2).data() for r in range(view.due_model.rowCount())]
    assert "Call the caterer" in titles


def test_an_empty_database_shows_the_empty_states(
    qtbot, tmp_path: Path, frozen_clock: dt.datetime
) -> None:
    db = Database.open(tmp_path / "empty.cmplanner")
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.backup_on_close = False
    win.show()
    try:
        view = _dashboard(win)
        assert view.cards == []
        assert not view.communities_empty.isHidden()
        assert "No community yet" in view.communities_empty_label.text()
        assert not view.upcoming_empty.isHidden() and view.upcoming_table.isHidden()
        assert not view.due_empty.isHidden()
        assert not view.drifting_empty.isHidden()
        assert view.ratio_value.text() == "—"
        assert view._numbers["contacts"].text() == "0"
    finally:
        win.close()


def test_logging_online_work_counts_it_and_undo_removes_it(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:
    from ui.dashboard.actions import WorkDialog

    view = _dashboard(window)
    online_before = view.dashboard.ratio.online_minutes

    def accept(dialog: WorkDialog) -> int:
        dialog.minutes.setValue(95)
        dialog.notes.setText("Draft of the winter newsletter")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(WorkDialog, "exec", accept)
    view.work_button.click()

    sql = "SELECT count(*) FROM work_entry WHERE notes = 'Draft of the winter newsletter'"
    assert _count(window.db, sql) == 1
    qtbot.waitUntil(lambda: view.dashboard.ratio.online_minutes == online_before + 95, timeout=3000)
    window.undo_stack.undo()
    assert _count(window.db, sql) == 0


def test_export_as_pdf_opens_the_preview_on_the_documents_renderer(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.documents.preview

    jobs: list[Any] = []
    monkeypatch.setattr(
        ui.documents.preview,
        "open_pdf_preview",
        lambda _parent, _title, _stem, job, **_kw: jobs.append(job),
    )
    view = _dashboard(window)
    view._update_export_menu()
    assert view.pdf_action.isEnabled()
    view.pdf_action.trigger()
    assert len(jobs) == 1
    assert jobs[0](None).startswith(b"%PDF")


def test_a_launch_without_a_date_asks_for_the_date_first() -> None:
    from ui.dashboard.cards import fixes_for

    key = dashboard_service.ReadinessKey.LAUNCH_PERIOD
    no_date = dashboard_service.ReadinessItem(key, False, "Launch", "No launch date set", 0, 4)
    dated = dashboard_service.ReadinessItem(key, False, "Launch", "1 of 4 events planned", 1, 4)
    assert [action for _text, action in fixes_for(no_date)] == ["editor:launch"]
    assert [action for _text, action in fixes_for(dated)] == ["event"]


def test_the_next_days_mark_what_is_still_to_confirm_and_what_is_online(
    window: MainWindow,
) -> None:
    view = _dashboard(window)
    model = view.upcoming_model
    rows = {model.record(r).title: r for r in range(model.rowCount())}
    radio = rows["Interview : Radio Canut"]  # planned, in three days: to confirm
    assert model.index(radio, 1).data() == "⚠ Interview : Radio Canut"
    tip = model.index(radio, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "Interview : Radio Canut\nPlanned\nNot confirmed yet: confirm it, or call it off"
    meetup = rows["Meetup des ambassadeurs"]  # planned too, but beyond the 7 days to confirm
    assert model.index(meetup, 1).data() == "Meetup des ambassadeurs"
    online = rows["Démo en ligne de la version 4.0"]
    assert model.index(online, 1).data() == "Démo en ligne de la version 4.0 — online"
    assert {(u.event_id, u.occurrence) for u in view.dashboard.due.unconfirmed} == {
        (model.record(radio).event_id, model.record(radio).occurrence)
    }
    due = view.due_model
    [to_confirm] = [r for r in range(due.rowCount()) if due.record(r).kind == "unconfirmed"]
    assert [due.index(to_confirm, c).data() for c in range(1, 4)] == [
        "To confirm",
        "Confirm the date of “Interview : Radio Canut”",
        "Scène locale",
    ]


def test_someone_drifting_for_both_reasons_is_listed_once(window: MainWindow) -> None:
    view = _dashboard(window)
    both = [p for p in view.dashboard.drifting if p.reason == "missed_events"]
    person = next(
        p
        for p in both
        for q in view.dashboard.drifting
        if q.reason == "cadence"
        and (q.contact_id, q.community_id) == (p.contact_id, p.community_id)
    )  # the demo has regulars of the fading repair café who are also past their cadence
    model = view.drifting.model
    rows = [r for r in range(model.rowCount()) if model.record(r).contact_id == person.contact_id]
    assert len(rows) == 1
    why = model.index(rows[0], 4).data()
    assert "Missed the last 3 events" in why and " · " in why
    reasons = [
        p.reason_text
        for p in view.dashboard.drifting
        if (p.contact_id, p.community_id) == (person.contact_id, person.community_id)
    ]
    assert why == " · ".join(reasons)
