"""The events view and the event editor as a user works them: filters, a weekly and a
"fourth Thursday" series saved with the right RRULE, undo of edits and creations, the
recurrence form reading rules back."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QUrl
from PySide6.QtWidgets import QApplication, QWidget

from cmplanner import recurrence_form as rf
from cmplanner.services import event_records, guests
from cmplanner.services.browse import EVENTS
from cmplanner.services.event_extras import (
    EventExtras,
    TeamMemberData,
    find_contacts,
    read_extras,
    replace_extras,
)
from cmplanner.storage import Database
from tests.ui.conftest import written
from ui.events.editor import NEW_VENUE, EventEditor, map_url
from ui.events.extras import (
    BudgetModel,
    ExtrasTable,
    PartnersTeamPanel,
    _Line,
    _Member,
    _Partner,
)
from ui.events.recurrence import CUSTOM, RecurrenceEditor
from ui.events.view import EventsView
from ui.shell.main_window import MainWindow


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
    assert rec.summary.text() == "Every fourth Thursday of the month, until 30 June 2027"
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


def test_a_pasted_title_with_line_breaks_is_saved_on_one_line(
    view: EventsView, demo_db: Database
) -> None:
    editor = new_editor(view)
    editor.title.setText("Jeudis\r\ndu\tcode\n")  # pasted from a mail
    editor.accept()
    _event_id, form = stored(demo_db, "Jeudis du code")
    assert form.data.title == "Jeudis du code"


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
    assert "not valid" in rec.problem.text()  # under the rule, its tab shown
    assert editor.tabs.currentIndex() == 1
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


def test_an_until_in_utc_ends_on_the_series_local_day(qtbot) -> None:
    editor = RecurrenceEditor()
    qtbot.addWidget(editor)
    # 1 June 03:00 UTC is still 31 May in New York.
    editor.set_rule(
        "FREQ=WEEKLY;BYDAY=TH;UNTIL=20270601T030000Z", dt.date(2027, 3, 4), "America/New_York"
    )
    assert editor.pattern.currentData() == rf.WEEKLY
    assert editor.until.date() == QDate(2027, 5, 31)
    assert editor.summary.text() == "Every Thursday, until 31 May 2027"  # en_GB's order
    assert editor.rule() == "FREQ=WEEKLY;BYDAY=TH;UNTIL=20270531T235959"


def test_a_custom_rule_with_an_until_in_utc_is_saved_in_local_time(
    view: EventsView, demo_db: Database
) -> None:
    editor = new_editor(view)
    editor.title.setText("Jeudis jusqu'en juin")
    set_start(editor, dt.date(2027, 3, 4))
    editor.timezone.setCurrentText("Europe/Paris")
    rec = editor.recurrence
    rec.pattern.setCurrentIndex(rec.pattern.findData(CUSTOM))
    rec.raw.setText("FREQ=WEEKLY;BYDAY=TH;UNTIL=20270601T000000Z")
    editor.accept()
    assert editor.result() == 1, editor.error.text()
    event_id, form = stored(demo_db, "Jeudis jusqu'en juin")
    assert form.data.rrule == "FREQ=WEEKLY;BYDAY=TH;UNTIL=20270601T020000"
    view.open_record(event_id)
    reopened = view.editor
    assert isinstance(reopened, EventEditor)
    assert reopened.recurrence.pattern.currentData() == rf.WEEKLY
    assert reopened.recurrence.until.date() == QDate(2027, 6, 1)


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
    with mock.patch("ui.events.editor.QDesktopServices.openUrl") as open_url:
        editor.open_map()
    url = open_url.call_args.args[0]
    assert isinstance(url, QUrl) and url == map_url("3 rue de la Part-Dieu, 69003 Lyon")
    assert url.toString().startswith("https://www.openstreetmap.org/search?query=3")
    assert "Part-Dieu" in url.toString()


def test_the_map_is_opened_from_the_keyboard_too(qtbot, view: EventsView) -> None:
    """Tab from the venue reaches "Open in map"; Enter follows it."""
    editor = new_editor(view)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    editor.tabs.setCurrentIndex(2)  # Place
    editor.venue.setCurrentIndex(editor.venue.findData(NEW_VENUE))
    editor.venue_street.setText("3 rue de la Part-Dieu, 69003 Lyon")
    editor.venue.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(editor.venue.hasFocus)
    qtbot.keyClick(editor.venue, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.map_link
    with mock.patch("ui.events.editor.QDesktopServices.openUrl") as open_url:
        qtbot.keyClick(editor.map_link, Qt.Key.Key_Return)
    assert open_url.call_args.args[0] == map_url("3 rue de la Part-Dieu, 69003 Lyon")


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


def test_the_more_menu_opens_the_door_of_the_selected_event(window, qtbot) -> None:
    window.show_section("events")
    view = window.view("events")
    view.table.selectRow(0)
    event_id = view.selected_ids()[0]
    actions = view.more_button.menu().actions()
    assert view.checkin_action in actions
    view.checkin_action.trigger()
    assert view.checkin.isVisible()
    assert view.checkin.event_id == event_id
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
    view: EventsView, frozen_clock, unsaved_answers
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
    unsaved_answers.plan("discard")
    editor.reject()


# --- budget, partners and core team ------------------------------------------------------------


def open_editor(view: EventsView, title: str) -> tuple[int, EventEditor]:
    event_id = EVENTS.ids(view.db, text=title)[0]
    view.open_record(event_id)
    editor = view.editor
    assert isinstance(editor, EventEditor)
    return event_id, editor


def focused(within: QWidget) -> QWidget:
    """The widget with the keyboard focus in `within`'s window (a test's dialog is not
    always the active window, offscreen)."""
    widget = within.window().focusWidget()
    assert widget is not None
    return widget


def press(qtbot, within: QWidget, key: Qt.Key) -> None:
    """A key to the focused widget; then the cell editor closes (it does so queued)."""
    qtbot.keyClick(focused(within), key)
    QApplication.processEvents()


def type_in_cell(qtbot, table: ExtrasTable, row: int, column: int, text: str) -> None:
    """Select a cell and type, as a user does (typing starts editing), then Enter."""
    table.setFocus()
    table.setCurrentIndex(table.model().index(row, column))
    qtbot.keyClicks(table, text[0])
    qtbot.keyClicks(focused(table), text[1:])
    press(qtbot, table, Qt.Key.Key_Return)


def pick_contact(qtbot, panel: PartnersTeamPanel, letters: str, name: str) -> None:
    panel.contact.setFocus()
    panel.contact.clear()
    qtbot.keyClicks(panel.contact, letters)
    panel.contact.search_now()  # what the typing pause does
    labels = panel.contact.suggestions.stringList()
    row = next(i for i, label in enumerate(labels) if label.startswith(name))
    popup = panel.contact.completer_.popup()
    assert popup.isVisible()
    popup.setCurrentIndex(popup.model().index(row, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert panel.contact.chosen() is not None and panel.contact.chosen().name == name


def test_budget_partners_and_team_through_the_editor_then_undo_and_redo(
    qtbot, window: MainWindow, view: EventsView, demo_db: Database
) -> None:
    event_id, editor = open_editor(view, "Apéro du jeudi")
    before = read_extras(demo_db, event_id)
    assert before == EventExtras()
    editor.tabs.setCurrentWidget(editor.budget)
    budget = editor.budget
    # A line: the Add button opens its label for typing; Enter ends the cell, not the dialog.
    budget.add_button.click()
    qtbot.keyClicks(focused(editor), "Location de la salle")
    press(qtbot, editor, Qt.Key.Key_Return)
    assert editor.isVisible()
    type_in_cell(qtbot, budget.table, 0, BudgetModel.AMOUNT, "250.50")
    # The Insert key adds the next one.
    budget.table.setFocus()
    qtbot.keyClick(budget.table, Qt.Key.Key_Insert)
    qtbot.keyClicks(focused(editor), "Boissons")
    press(qtbot, editor, Qt.Key.Key_Return)
    type_in_cell(qtbot, budget.table, 1, BudgetModel.AMOUNT, "1,200 EUR")
    paid = budget.model.index(0, BudgetModel.PAID)
    assert budget.model.setData(paid, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert budget.model.data(budget.model.index(1, BudgetModel.AMOUNT)) == "€1,200.00"
    assert budget.planned.text() == "€1,450.50"
    assert budget.paid.text() == "€250.50"
    assert budget.left.text() == "€1,200.00"
    assert editor.isVisible()

    panel = editor.partners_team
    editor.tabs.setCurrentWidget(panel)
    organization = editor.input.organizations[0]
    assert organization.name == "Atelier Soudé"
    # A few letters, then the suggestion (QTest types ASCII only).
    panel.organization.setFocus()
    qtbot.keyClicks(panel.organization.lineEdit(), "atelier s")
    popup = panel.organization.completer().popup()
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert panel.organization.currentText() == "Atelier Soudé"
    qtbot.keyClicks(panel.obligations, "Logo sur la feuille")
    qtbot.keyClick(panel.obligations, Qt.Key.Key_Return)  # adds the partner, does not save
    assert editor.isVisible()
    assert [(p.name, p.obligations) for p in panel.partners()] == [
        (organization.name, "Logo sur la feuille")
    ]
    assert panel.organization.currentText() == "" and panel.obligations.text() == ""

    pick_contact(qtbot, panel, "Lea", "Léa André")
    qtbot.keyClicks(panel.role, "Accueil")
    panel.add_member_button.click()
    assert [(m.name, m.role) for m in panel.team()] == [("Léa André", "Accueil")]
    assert panel.contact.text() == ""
    # The role is edited in place.
    type_in_cell(qtbot, panel.team_table, 0, 1, "Accueil et bar")

    edited = editor.extras()
    editor.accept()
    assert not editor.isVisible(), (editor.error.text(), editor.extras())
    saved = read_extras(demo_db, event_id)
    assert saved == edited
    assert [(b.label, b.amount_cents, b.paid) for b in saved.budget] == [
        ("Location de la salle", 25050, True),
        ("Boissons", 120000, False),
    ]
    assert [(m.name, m.role) for m in saved.team] == [("Léa André", "Accueil et bar")]
    window.undo_stack.undo()
    assert read_extras(demo_db, event_id) == before
    window.undo_stack.redo()
    assert read_extras(demo_db, event_id) == saved

    # Edit again: one line removed with the Delete key, the partner removed; undo gives the
    # same lines back (the same ids too).
    _id, editor = open_editor(view, "Apéro du jeudi")
    assert editor.extras() == saved
    table = editor.budget.table
    table.setFocus()
    table.selectRow(1)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    editor.partners_team.partners_table.selectRow(0)
    editor.partners_team.remove_partner_button.click()
    editor.accept()
    after = read_extras(demo_db, event_id)
    assert [b.label for b in after.budget] == ["Location de la salle"] and after.partners == ()
    assert after.budget[0].id == saved.budget[0].id
    window.undo_stack.undo()
    back = read_extras(demo_db, event_id)
    assert back == saved and [b.id for b in back.budget] == [b.id for b in saved.budget]


def test_what_cannot_be_added_or_typed_says_why(qtbot, view: EventsView, unsaved_answers) -> None:
    editor = new_editor(view)
    editor.title.setText("Atelier")
    budget = editor.budget
    budget.add_button.click()
    press(qtbot, editor, Qt.Key.Key_Escape)  # ends the cell's editing, not the dialog
    assert editor.isVisible() and budget.model.rowCount() == 1
    type_in_cell(qtbot, budget.table, 0, BudgetModel.AMOUNT, "douze")
    assert budget.error.text() == "“douze” is not an amount (for example €12.50)."
    assert not budget.error.isHidden()
    type_in_cell(qtbot, budget.table, 0, BudgetModel.AMOUNT, "-3")
    assert budget.error.text() == "An amount cannot be negative."
    type_in_cell(qtbot, budget.table, 0, BudgetModel.AMOUNT, "3")
    assert budget.error.isHidden()
    # An amount without a label is refused at save time, on the Budget page.
    editor.accept()
    assert editor.result() == 0 and editor.tabs.currentWidget() is budget
    assert editor.error.text() == "Budget line 1 has no label."
    # A blank line (no label, no amount) is simply left out.
    budget.table.selectRow(0)
    budget.remove_button.click()
    budget.add_button.click()
    press(qtbot, editor, Qt.Key.Key_Escape)
    assert budget.model.rowCount() == 1 and budget.lines() == ()

    panel = editor.partners_team
    panel.organization.setCurrentText("Nobody Inc")
    panel.add_partner_button.click()
    assert panel.partner_error.text() == (
        "No organization is called “Nobody Inc”: choose one from the list."
    )
    name = editor.input.organizations[0].name
    panel.organization.setCurrentText(name)
    panel.add_partner_button.click()
    panel.organization.setCurrentText(name.upper())  # the same, typed differently
    panel.add_partner_button.click()
    assert panel.partner_error.text() == f"{name} is already a partner."
    assert len(panel.partners()) == 1

    panel.contact.setText("zzzz")
    panel.add_member_button.click()
    assert panel.team_error.text() == "Choose a contact from the suggestions."
    pick_contact(qtbot, panel, "Lea", "Léa André")
    panel.add_member_button.click()
    pick_contact(qtbot, panel, "Lea", "Léa André")
    panel.add_member_button.click()
    assert panel.team_error.text() == "Léa André is already on the team."
    assert len(panel.team()) == 1
    unsaved_answers.plan("discard")
    editor.reject()


def test_a_new_event_with_extras_and_guests_is_one_undoable_command(
    window: MainWindow, view: EventsView, demo_db: Database
) -> None:
    people = find_contacts(demo_db, "a", 3)
    organization = event_records.editor_input(demo_db, None).organizations[0]
    editor = new_editor(view)
    editor.title.setText("Atelier vélo")
    # A new event's guests tab collects people before the event exists, writing nothing.
    panel = editor.guests_panel
    panel.role.setCurrentIndex(panel.role.findData("speaker"))
    panel.invite([people[0].id])
    panel.role.setCurrentIndex(panel.role.findData("guest"))
    panel.invite([people[1].id])
    assert window.undo_stack.count() == 0
    editor.budget.model.set_rows([])
    editor.budget.model.append(_Line("Chambres à air", 4000, False))
    editor.partners_team.partners_model.append(_Partner(organization.id, organization.name, ""))
    editor.partners_team.team_model.append(_Member(people[2].id, people[2].name, "Outils"))
    editor.accept()
    (event_id,) = EVENTS.ids(demo_db, text="Atelier vélo")
    extras = read_extras(demo_db, event_id)
    assert [b.label for b in extras.budget] == ["Chambres à air"]
    assert [p.organization_id for p in extras.partners] == [organization.id]
    assert extras.team_ids() == (people[2].id,)
    invited = {(g.contact_id, g.role) for g in guests.guest_rows(demo_db, event_id)}
    assert invited == {(people[0].id, "speaker"), (people[1].id, "guest")}
    assert window.undo_stack.count() == 1

    window.undo_stack.undo()
    assert event_id not in EVENTS.ids(demo_db)
    with demo_db.read() as con:
        for table in ("budget_line", "event_partner", "event_team", "invitation"):
            sql = f"SELECT count(*) FROM {table} WHERE event_id = ?"
            assert con.execute(sql, (event_id,)).fetchone()[0] == 0
    window.undo_stack.redo()
    assert read_extras(demo_db, event_id) == extras
    assert {(g.contact_id, g.role) for g in guests.guest_rows(demo_db, event_id)} == invited


def test_a_team_member_booked_elsewhere_at_the_same_time_warns(
    qtbot, view: EventsView, demo_db: Database, unsaved_answers
) -> None:
    apero = EVENTS.ids(demo_db, text="Apéro du jeudi")[0]
    lea = next(c for c in find_contacts(demo_db, "Léa") if c.name == "Léa André")
    replace_extras(demo_db, apero, EventExtras(team=(TeamMemberData(lea.id, "Accueil"),)))
    editor = new_editor(view)
    editor.title.setText("Atelier photo")
    set_start(editor, dt.date(2026, 11, 26), hour=20)  # a Thursday, during the apéro
    editor.check_conflicts()
    assert editor.conflicts == []  # no venue, no team yet
    panel = editor.partners_team
    pick_contact(qtbot, panel, "Lea", "Léa André")
    panel.add_member_button.click()
    # Joining the team re-checks (after the typing pause).
    qtbot.waitUntil(lambda: bool(editor.conflicts), timeout=3000)
    assert [(c.reason, c.contact_id, c.title) for c in editor.conflicts] == [
        ("team", lea.id, "Apéro du jeudi")
    ]
    assert "Léa André is on the team of “Apéro du jeudi”" in editor.conflict_note.text()
    panel.team_table.selectRow(0)
    qtbot.keyClick(panel.team_table, Qt.Key.Key_Delete)
    assert panel.team() == ()
    qtbot.waitUntil(lambda: editor.conflict_note.isHidden(), timeout=3000)
    assert editor.conflicts == []
    unsaved_answers.plan("discard")
    editor.reject()


def test_the_editor_shows_the_event_promises_and_a_new_one_is_added(
    qtbot, window: MainWindow, view: EventsView, demo_db: Database
) -> None:
    from cmplanner.services import commitments

    event_id, editor = open_editor(view, "Atelier « premiers pas »")
    assert editor.promises is not None
    shown = [c.description for c in editor.promises.model.records]
    assert shown == [
        c.description for c in commitments.open_commitments(demo_db, event_id=event_id)
    ]
    assert shown  # the demo promised the workshop's photos
    written(commitments.add_commitment, demo_db, "Envoyer le support", event_id=event_id)
    promises = editor.promises
    qtbot.waitUntil(lambda: "Envoyer le support" in [c.description for c in promises.model.records])
    editor.reject()
    # A new event has no promises yet: they are made once it exists.
    assert new_editor(view).promises is None


# --- a series' exceptions ----------------------------------------------------------------------


def listed(panel) -> list[str]:
    return [panel.model.index(r).data() for r in range(panel.model.rowCount())]


def test_the_series_exceptions_are_listed_and_restored_at_once_undoably(
    qtbot, window: MainWindow, view: EventsView, demo_db: Database
) -> None:
    from cmplanner.services.occurrences import list_exceptions

    def usual_dates() -> set[dt.datetime]:
        return {e.recurrence_id for e in list_exceptions(demo_db, event_id)}

    skipped, moved = dt.datetime(2026, 10, 15, 19), dt.datetime(2026, 12, 3, 19)
    event_id, editor = open_editor(view, "Apéro du jeudi")
    panel = editor.exceptions
    assert panel is not None and not panel.isHidden()
    assert listed(panel) == ["Thu 15 Oct 2026 — skipped", "Thu 3 Dec → Fri 4 Dec 19:00"]
    assert panel.model.index(1).data(Qt.ItemDataRole.ToolTipRole).startswith("Décalé au vendredi")
    assert "at once" in panel.hint.text()
    assert not panel.restore_button.isEnabled(), "nothing chosen yet"

    panel.list.setCurrentIndex(panel.model.index(0))
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    assert usual_dates() == {moved}
    assert listed(panel) == ["Thu 3 Dec → Fri 4 Dec 19:00"]
    assert window.undo_stack.undoText() == "Restore Apéro du jeudi on 15/10"
    window.undo_stack.undo()
    assert usual_dates() == {skipped, moved}
    qtbot.waitUntil(lambda: len(listed(panel)) == 2)  # the change comes back through the bus

    # The keyboard: Delete restores the chosen date, Ctrl+Z in the list undoes.
    editor.tabs.setCurrentIndex(1)
    panel.list.setFocus()
    panel.list.setCurrentIndex(panel.model.index(1))
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    assert usual_dates() == {skipped}
    assert listed(panel) == ["Thu 15 Oct 2026 — skipped"]
    qtbot.keyClick(panel.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert usual_dates() == {skipped, moved}
    qtbot.waitUntil(lambda: len(listed(panel)) == 2)

    # Nothing left to list: the row goes away.
    for _row in range(2):
        panel.list.setCurrentIndex(panel.model.index(0))
        panel.restore_selected()
    assert usual_dates() == set() and panel.isHidden()
    editor.reject()
    assert usual_dates() == set(), "restored at once, not at Save: Cancel keeps it"


def test_no_exceptions_row_for_a_single_event_or_a_series_without_any(
    view: EventsView, demo_db: Database
) -> None:
    _id, single = open_editor(view, "Atelier « premiers pas »")
    assert single.exceptions is None
    single.reject()
    editor = new_editor(view)
    assert editor.exceptions is None
    editor.reject()
    from cmplanner.model import EventCreate
    from cmplanner.services.events import create_event

    create_event(
        demo_db,
        EventCreate(
            title="Club lecture",
            start_local=dt.datetime(2026, 12, 1, 18),
            end_local=dt.datetime(2026, 12, 1, 19),
            timezone="Europe/Paris",
            rrule="FREQ=MONTHLY;BYDAY=1TU",
        ),
    )
    view.refresh()
    _id, series = open_editor(view, "Club lecture")
    assert series.exceptions is not None and series.exceptions.isHidden()
    series.reject()
