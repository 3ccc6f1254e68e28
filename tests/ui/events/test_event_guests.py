"""The event editor's Guests tab: find and invite, drag contacts in, invite a group, edit
answers (a decline promotes the waitlist, undo puts it back), remove, draft mode, counts."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QUndoStack
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QPushButton, QVBoxLayout

from cmplanner.model import EventCreate
from cmplanner.services import communities, contacts, events, guests, vocabulary
from cmplanner.services.communities import CommunityData
from cmplanner.services.contact_data import ContactData, Labelled
from cmplanner.storage import Database
from tests.ui.conftest import written
from ui.events.guest_table import RSVP
from ui.events.guest_table import rsvp_choices as guest_rsvp_choices
from ui.events.guests import GuestsPanel
from ui.events.invite_group import COMMUNITY, TAG, GroupDialog
from ui.kit.models import encode_ids


def _event(db: Database, capacity: int | None = None) -> int:
    read, _ = events.create_event(
        db,
        EventCreate(
            title="Apéro",
            start_local=dt.datetime(2026, 12, 3, 19, 0),
            end_local=dt.datetime(2026, 12, 3, 22, 0),
            timezone="Europe/Paris",
            capacity=capacity,
        ),
    )
    return read.id


def _person(db: Database, given: str, family: str, email: str = "") -> int:
    data = ContactData(
        given_name=given,
        family_name=family,
        emails=(Labelled(email),) if email else (),
    )
    return contacts.create_contact(db, data)[0]


@pytest.fixture
def stack() -> QUndoStack:
    return QUndoStack()


def _panel(qtbot, db: Database, event_id: int | None, stack: QUndoStack) -> GuestsPanel:
    panel = GuestsPanel(db, event_id, stack.push)
    qtbot.addWidget(panel)
    panel.resize(1000, 600)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitActive(panel)
    return panel


def _names(panel: GuestsPanel) -> list[str]:
    proxy = panel.proxy
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def _row_of(panel: GuestsPanel, name: str) -> int:
    return _names(panel).index(name)


def test_typing_a_name_and_enter_invites_without_closing_the_editor(
    qtbot, empty_db: Database, stack: QUndoStack
) -> None:
    event_id = _event(empty_db)
    _person(empty_db, "Anaïs", "Martin", "anais@example.org")
    _person(empty_db, "Bruno", "Durand")
    editor = QDialog()
    qtbot.addWidget(editor)
    save = QPushButton("Save", editor)
    save.setDefault(True)
    save.clicked.connect(editor.accept)
    panel = GuestsPanel(empty_db, event_id, stack.push, editor)
    layout = QVBoxLayout(editor)
    layout.addWidget(panel)
    layout.addWidget(save)
    editor.show()
    qtbot.waitExposed(editor)

    panel.search.setFocus()
    qtbot.keyClicks(panel.search, "anai")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)  # before the typing pause ends

    assert _names(panel) == ["Anaïs Martin"]
    assert panel.proxy.index(0, 1).data() == "anais@example.org"
    assert editor.isVisible() and editor.result() == 0  # Enter did not save and close
    assert panel.search.text() == "" and stack.count() == 1
    assert "1 person invited" in panel.feedback.text()

    # The same person again is skipped, and said so.
    qtbot.keyClicks(panel.search, "martin")
    panel.run_search()
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert _names(panel) == ["Anaïs Martin"]
    assert "1 was already on the list" in panel.feedback.text()

    stack.undo()
    stack.undo()
    qtbot.waitUntil(lambda: _names(panel) == [])
    assert guests.guest_rows(empty_db, event_id) == []


def test_down_then_enter_invites_the_chosen_result(
    qtbot, empty_db: Database, stack: QUndoStack
) -> None:
    event_id = _event(empty_db)
    _person(empty_db, "Paul", "Aubert")
    _person(empty_db, "Paula", "Benoit")
    panel = _panel(qtbot, empty_db, event_id, stack)
    panel.search.setFocus()
    qtbot.keyClicks(panel.search, "pau")
    panel.run_search()
    qtbot.keyClick(panel.search, Qt.Key.Key_Down)
    assert panel.focusWidget() is panel.results
    qtbot.keyClick(panel.results, Qt.Key.Key_Down)
    qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    assert _names(panel) == ["Paula Benoit"]


def test_dropping_contacts_on_the_guest_table_invites_them(
    qtbot, empty_db: Database, stack: QUndoStack
) -> None:
    event_id = _event(empty_db, capacity=1)
    ana = _person(empty_db, "Ana", "A")
    bob = _person(empty_db, "Bob", "B")
    panel = _panel(qtbot, empty_db, event_id, stack)
    panel.set_new_guest_role("speaker")

    # A real drop on the view, as from the contacts list of the main window.
    viewport = panel.table.viewport()
    mime = encode_ids([ana, bob])
    where = viewport.rect().center()  # enter and move events take a QPoint, a drop a QPointF
    actions = Qt.DropAction.CopyAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(where, actions, mime, buttons, modifiers)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(viewport, QDragMoveEvent(where, actions, mime, buttons, modifiers))
    drop = QDropEvent(QPointF(where), actions, mime, buttons, modifiers)
    QApplication.sendEvent(viewport, drop)

    assert _names(panel) == ["Ana A", "Bob B"]
    rows = guests.guest_rows(empty_db, event_id)
    assert {r.role for r in rows} == {"speaker"}
    assert "1 of them is on the waitlist" in panel.feedback.text()

    # Anything else dropped is refused; the model drop path skips those already invited.
    assert not panel.proxy.canDropMimeData(
        QMimeData(), Qt.DropAction.CopyAction, -1, -1, QModelIndex()
    )
    panel.proxy.dropMimeData(encode_ids([bob]), Qt.DropAction.CopyAction, -1, -1, QModelIndex())
    assert "already on the list" in panel.feedback.text()
    assert len(guests.guest_rows(empty_db, event_id)) == 2


def test_invite_a_community_a_role_of_it_or_a_tag(
    qtbot, empty_db: Database, stack: QUndoStack
) -> None:
    event_id = _event(empty_db)
    ana = _person(empty_db, "Ana", "A")
    bob = _person(empty_db, "Bob", "B")
    cleo = _person(empty_db, "Cléo", "C")
    community_id, _ = communities.create_community(empty_db, CommunityData(name="Lyon"))
    contacts.add_members(empty_db, community_id, [ana], "member")
    contacts.add_members(empty_db, community_id, [bob], "ambassador")
    contacts.tag_contacts(empty_db, [cleo, ana], "vip")
    panel = _panel(qtbot, empty_db, event_id, stack)

    panel.invite_group(COMMUNITY, community_id, "ambassador")
    assert _names(panel) == ["Bob B"]

    # Through the dialog: the whole community.
    panel.choose_group(COMMUNITY)
    dialog = panel.group_dialog
    assert isinstance(dialog, GroupDialog)
    assert dialog.choice.currentText() == "Lyon"
    dialog.accept()
    assert _names(panel) == ["Ana A", "Bob B"]
    assert "1 was already on the list" in panel.feedback.text()

    (tag,) = [t for t in vocabulary.tags(empty_db) if t.name == "vip"]
    panel.invite_group(TAG, tag.id)
    assert _names(panel) == ["Ana A", "Bob B", "Cléo C"]
    stack.undo()
    qtbot.waitUntil(lambda: _names(panel) == ["Ana A", "Bob B"])


def test_a_decline_promotes_the_waitlist_and_undo_puts_it_back(
    qtbot, empty_db: Database, stack: QUndoStack
) -> None:
    event_id = _event(empty_db, capacity=1)
    ana = _person(empty_db, "Ana", "A")
    bob = _person(empty_db, "Bob", "B")
    guests.add_guests(empty_db, event_id, [ana, bob])
    panel = _panel(qtbot, empty_db, event_id, stack)
    bob_row = _row_of(panel, "Bob B")
    assert panel.proxy.index(bob_row, 5).data() == "No. 1"
    assert "1 / 1 seat" in panel.counts_label.text()

    # Ana declines, through the answer column's combo box.
    index = panel.proxy.index(_row_of(panel, "Ana A"), RSVP)
    panel.table.edit(index)
    editor = panel.table.findChild(QComboBox, "guestChoiceEditor")
    assert editor is not None
    editor.setCurrentIndex(editor.findData("declined"))
    editor.activated.emit(editor.currentIndex())

    rows = {r.name: r for r in guests.guest_rows(empty_db, event_id)}
    assert rows["Ana A"].rsvp == "declined"
    assert rows["Bob B"].waitlist_position is None
    assert panel.proxy.index(_row_of(panel, "Bob B"), 5).data() == ""
    assert "left the waitlist" in panel.feedback.text()
    assert "declined: 1" in panel.counts_label.text()
    assert "waitlist: 0" in panel.counts_label.text()

    stack.undo()
    qtbot.waitUntil(lambda: panel.proxy.index(_row_of(panel, "Bob B"), 5).data() == "No. 1")
    rows = {r.name: r for r in guests.guest_rows(empty_db, event_id)}
    assert (rows["Ana A"].rsvp, rows["Bob B"].waitlist_position) == ("needs-action", 1)


def test_role_companions_and_notes_edit_in_place(
    qtbot, empty_db: Database, stack: QUndoStack
) -> None:
    event_id = _event(empty_db)
    ana = _person(empty_db, "Ana", "A")
    guests.add_guests(empty_db, event_id, [ana])
    panel = _panel(qtbot, empty_db, event_id, stack)
    proxy = panel.proxy
    assert proxy.setData(proxy.index(0, 2), "press")
    assert proxy.setData(proxy.index(0, 4), 2)
    assert proxy.setData(proxy.index(0, 7), " vegan ")
    (row,) = guests.guest_rows(empty_db, event_id)
    assert (row.role, row.plus_ones, row.notes) == ("press", 2, "vegan")
    assert proxy.index(0, 2).data() == "Press"
    assert stack.count() == 3
    stack.undo()
    qtbot.waitUntil(lambda: proxy.index(0, 7).data() == "")
    assert guests.guest_rows(empty_db, event_id)[0].plus_ones == 2


def test_delete_removes_the_selected_guests_and_undo_brings_them_back(
    qtbot, empty_db: Database, stack: QUndoStack
) -> None:
    event_id = _event(empty_db)
    ids = [_person(empty_db, n, "X") for n in ("Ana", "Bob", "Cléo")]
    guests.add_guests(empty_db, event_id, ids)
    guests.set_rsvp(empty_db, guests.guest_rows(empty_db, event_id)[1].invitation_id, "accepted")
    before = guests.guest_rows(empty_db, event_id)
    panel = _panel(qtbot, empty_db, event_id, stack)
    panel.activateWindow()
    panel.table.setFocus()
    panel.table.selectRow(0)
    panel.table.selectionModel().select(
        panel.proxy.index(1, 0),
        panel.table.selectionModel().SelectionFlag.Select
        | panel.table.selectionModel().SelectionFlag.Rows,
    )
    qtbot.waitUntil(panel.table.hasFocus)
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert _names(panel) == ["Cléo X"]
    assert "2 guests removed" in panel.feedback.text()
    stack.undo()
    qtbot.waitUntil(lambda: len(_names(panel)) == 3)
    assert guests.guest_rows(empty_db, event_id) == before  # same ids, same answers


def test_ctrl_f_goes_to_the_search(qtbot, empty_db: Database, stack: QUndoStack) -> None:
    panel = _panel(qtbot, empty_db, _event(empty_db), stack)
    panel.activateWindow()
    panel.table.setFocus()
    qtbot.waitUntil(panel.table.hasFocus)
    qtbot.keyClick(panel.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert panel.search.hasFocus()


def test_a_new_event_collects_guests_without_writing(
    qtbot, empty_db: Database, stack: QUndoStack
) -> None:
    ana = _person(empty_db, "Ana", "A")
    bob = _person(empty_db, "Bob", "B")
    panel = _panel(qtbot, empty_db, None, stack)
    assert panel.table.isColumnHidden(RSVP)
    panel.invite([bob])
    panel.set_new_guest_role("volunteer")
    panel.invite([ana, bob])
    assert panel.pending_guests() == [(bob, "guest"), (ana, "volunteer")]
    assert "1 was already on the list" in panel.feedback.text()
    assert panel.counts_label.text() == "2 guests to invite"

    panel.proxy.setData(panel.proxy.index(_row_of(panel, "Bob B"), 2), "staff")
    assert panel.pending_guests() == [(bob, "staff"), (ana, "volunteer")]

    panel.table.selectRow(_row_of(panel, "Ana A"))
    panel.remove_selected()
    assert panel.pending_guests() == [(bob, "staff")]
    assert stack.count() == 0
    with empty_db.read() as con:
        assert con.execute("SELECT COUNT(*) FROM invitation").fetchone()[0] == 0


def test_counts_follow_changes_made_elsewhere(qtbot, empty_db: Database, stack: QUndoStack) -> None:
    event_id = _event(empty_db, capacity=5)
    ana = _person(empty_db, "Ana", "A")
    panel = _panel(qtbot, empty_db, event_id, stack)
    assert panel.counts_label.text() == (
        "Invited: 0 · accepted: 0 · declined: 0 · waitlist: 0 · attended: 0  —  0 / 5 seats"
    )
    written(guests.add_guests, empty_db, event_id, [ana])  # e.g. a drop on the event row
    (row,) = guests.guest_rows(empty_db, event_id)
    written(guests.set_rsvp, empty_db, row.invitation_id, "accepted")
    written(guests.set_plus_ones, empty_db, row.invitation_id, 1)
    written(guests.check_in, empty_db, row.invitation_id)
    qtbot.waitUntil(lambda: "attended: 1" in panel.counts_label.text())
    assert panel.counts_label.text() == (
        "Invited: 1 · accepted: 1 · declined: 0 · waitlist: 0 · attended: 1  —  2 / 5 seats"
    )
    assert panel.proxy.index(0, 6).data() == "✓ Present"


def test_ctrl_z_in_the_tab_undoes_the_last_guest_change(
    qtbot, empty_db: Database, stack: QUndoStack
) -> None:
    event_id = _event(empty_db)
    ana = _person(empty_db, "Ana", "A")
    panel = _panel(qtbot, empty_db, event_id, stack)  # finds the stack behind stack.push
    panel.invite([ana])
    assert _names(panel) == ["Ana A"]
    panel.table.setFocus()
    qtbot.waitUntil(panel.table.hasFocus)
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _names(panel) == [])
    assert stack.index() == 0


def test_the_menu_sets_one_answer_for_several_guests_in_one_undo_step(
    qtbot, empty_db: Database, stack: QUndoStack
) -> None:
    event_id = _event(empty_db, capacity=2)
    ids = [_person(empty_db, n, "X") for n in ("Ana", "Bob", "Cléo")]
    guests.add_guests(empty_db, event_id, ids)  # Cléo waits: two seats
    before = guests.guest_rows(empty_db, event_id)
    panel = _panel(qtbot, empty_db, event_id, stack)
    selection = panel.table.selectionModel()
    for name in ("Ana X", "Bob X"):
        selection.select(
            panel.proxy.index(_row_of(panel, name), 0),
            selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
        )
    panel._row_menu(panel.table.visualRect(panel.proxy.index(0, 0)).center())
    menu = panel.row_menu
    assert menu.isVisible()
    [answers] = [a.menu() for a in menu.actions() if a.menu() is not None]
    assert answers.title() == "&Answer of the 2 Guests"
    labels = [a.text() for a in answers.actions()]
    assert labels == [label for _value, label in guest_rsvp_choices()]
    [declined] = [a for a in answers.actions() if a.objectName() == "answer-declined"]
    declined.trigger()
    menu.close()

    rows = {r.name: r for r in guests.guest_rows(empty_db, event_id)}
    assert (rows["Ana X"].rsvp, rows["Bob X"].rsvp) == ("declined", "declined")
    assert rows["Cléo X"].waitlist_position is None  # a seat freed up
    assert "1 guest left the waitlist" in panel.feedback.text()
    assert stack.count() == 1
    stack.undo()
    qtbot.waitUntil(lambda: guests.guest_rows(empty_db, event_id) == before)


def test_invite_a_community_proposes_the_events_own_first(
    qtbot, empty_db: Database, stack: QUndoStack
) -> None:
    for name in ("Annecy", "Grenoble", "Lyon"):
        communities.create_community(empty_db, CommunityData(name=name))
    lyon = next(c.id for c in vocabulary.communities(empty_db) if c.name == "Lyon")
    read, _ = events.create_event(
        empty_db,
        EventCreate(
            title="Apéro lyonnais",
            start_local=dt.datetime(2026, 12, 3, 19, 0),
            end_local=dt.datetime(2026, 12, 3, 22, 0),
            timezone="Europe/Paris",
            community_id=lyon,
        ),
    )
    panel = _panel(qtbot, empty_db, read.id, stack)
    panel.choose_group(COMMUNITY)
    dialog = panel.group_dialog
    assert dialog.choice.itemText(0) == "Lyon" and dialog.choice.currentText() == "Lyon"
    assert [dialog.choice.itemText(i) for i in range(1, 3)] == ["Annecy", "Grenoble"]
    dialog.reject()

    # In the editor the community chosen there counts, saved or not.
    grenoble = next(c.id for c in vocabulary.communities(empty_db) if c.name == "Grenoble")
    panel.community_of = lambda: grenoble
    panel.choose_group(COMMUNITY)
    assert panel.group_dialog.choice.currentText() == "Grenoble"
    panel.group_dialog.reject()
    # A tag has no "own" one: the first in order.
    contacts.tag_contacts(empty_db, [_person(empty_db, "Ana", "A")], "vip")
    panel.choose_group(TAG)
    assert panel.group_dialog.choice.currentText() == "vip"


def test_more_seats_taken_than_the_capacity_is_said_by_a_sign_not_only_red(
    qtbot, empty_db: Database, stack: QUndoStack
) -> None:
    event_id = _event(empty_db, capacity=2)
    ana = _person(empty_db, "Ana", "A")
    guests.add_guests(empty_db, event_id, [ana])
    (row,) = guests.guest_rows(empty_db, event_id)
    guests.set_rsvp(empty_db, row.invitation_id, "accepted")
    panel = _panel(qtbot, empty_db, event_id, stack)
    assert "⚠" not in panel.counts_label.text()
    assert panel.counts_label.property("tone") in (None, "")
    written(guests.set_plus_ones, empty_db, row.invitation_id, 2)
    qtbot.waitUntil(lambda: "3 / 2 seats" in panel.counts_label.text())
    assert "⚠ 3 / 2 seats" in panel.counts_label.text()
    assert panel.counts_label.property("tone") == "bad"  # in the danger colour as well
