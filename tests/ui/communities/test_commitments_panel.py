"""Promises on the cards: open ones listed (overdue first, in the warning colour), added,
kept or dropped — all undoable — on the contact and the community editors."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QUndoStack

from cmplanner.services import commitments, communities
from cmplanner.storage import Database
from ui.communities.commitments import CommitmentsPanel, PromiseDialog
from ui.communities.editor import CommunityEditor
from ui.contacts.editor import ContactEditor, load_editor_input
from ui.kit import theme

APEROS = 1  # the demo's "Apéros du jeudi"; its next event is the weekly apéro


@pytest.fixture
def stack(qtbot) -> QUndoStack:
    return QUndoStack()


def panel_for(qtbot, db: Database, stack: QUndoStack, **target: int) -> CommitmentsPanel:
    panel = CommitmentsPanel(db, stack.push, **target)
    qtbot.addWidget(panel)
    panel.resize(700, 300)
    panel.show()
    return panel


def descriptions(panel: CommitmentsPanel) -> list[str]:
    return [panel.model.index(r, 1).data() for r in range(panel.model.rowCount())]


def select(panel: CommitmentsPanel, row: int) -> None:
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
    panel.table.selectionModel().select(
        panel.model.index(row, 0), flags | QItemSelectionModel.SelectionFlag.Rows
    )


def test_overdue_promises_come_first_in_the_warning_colour(
    qtbot, demo_db: Database, stack: QUndoStack, frozen_clock: dt.datetime
) -> None:
    later, _ = commitments.add_commitment(
        demo_db, "Réserver la péniche", due_date=dt.date(2027, 1, 10), community_id=APEROS
    )
    panel = panel_for(qtbot, demo_db, stack, community_id=APEROS)
    assert descriptions(panel) == [
        "Envoyer les photos de l'atelier à tous les participants",  # ten days late
        "Réserver la péniche",
    ]
    late = panel.model.index(0, 0)
    assert late.data(Qt.ItemDataRole.ForegroundRole).color() == theme.colour("overdue_text")
    assert late.data(Qt.ItemDataRole.BackgroundRole).color() == theme.colour("overdue_bg")
    assert late.data(Qt.ItemDataRole.ToolTipRole) == "Overdue by 10 days"
    assert panel.model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert panel.model.index(0, 2).data().startswith("Apéros du jeudi")
    assert "1 overdue" in panel.summary.text()
    assert panel.next_event is not None and panel.next_event[1] == "Apéro du jeudi"
    assert later in {c.id for c in commitments.open_commitments(demo_db, community_id=APEROS)}


def test_the_community_shows_the_promises_of_its_next_event(
    qtbot, demo_db: Database, stack: QUndoStack, frozen_clock: dt.datetime
) -> None:
    panel = panel_for(qtbot, demo_db, stack, community_id=APEROS)
    assert panel.next_event is not None
    next_id = panel.next_event[0]
    commitments.add_commitment(demo_db, "Prévoir un micro", event_id=next_id)
    panel.refresh()
    assert "Prévoir un micro" in descriptions(panel)
    # A new promise can be made to the community at its next event.
    labels = [label for label, _ids in panel.targets()]
    assert labels[-1].endswith("at the next event (Apéro du jeudi)")


def test_add_keep_and_drop_are_undoable(
    qtbot, demo_db: Database, stack: QUndoStack, frozen_clock: dt.datetime
) -> None:
    contact_id = 3
    panel = panel_for(qtbot, demo_db, stack, contact_id=contact_id)
    assert panel.model.rowCount() == 0 and not panel.empty.isHidden()
    assert not panel.kept_button.isEnabled()

    dialog = PromiseDialog(panel.targets())
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled()
    dialog.description.setText("  Lui prêter le projecteur ")
    assert dialog.ok.isEnabled()
    panel.add(dialog.values())
    assert descriptions(panel) == ["Lui prêter le projecteur"]
    (made,) = commitments.open_commitments(demo_db, contact_id=contact_id)
    assert made.due_date == dt.date(2026, 11, 26)  # a week from today by default
    stack.undo()
    panel.refresh()
    assert commitments.open_commitments(demo_db, contact_id=contact_id) == []
    stack.redo()
    panel.refresh()
    assert [c.id for c in commitments.open_commitments(demo_db, contact_id=contact_id)] == [made.id]

    select(panel, 0)
    assert panel.kept_button.isEnabled()
    panel.kept_button.click()
    assert panel.model.rowCount() == 0
    assert commitments.get_status(demo_db, made.id) == "kept"
    stack.undo()
    panel.refresh()
    assert commitments.get_status(demo_db, made.id) == "open"
    select(panel, 0)
    panel.dropped_button.click()
    assert commitments.get_status(demo_db, made.id) == "cancelled"  # stored for "dropped"
    assert stack.undoText() == "Promise dropped: “Lui prêter le projecteur”"


def test_the_contact_editor_has_a_promises_tab(
    qtbot, demo_db: Database, stack: QUndoStack, frozen_clock: dt.datetime
) -> None:
    with demo_db.read() as con:
        contact_id = con.execute(
            "SELECT contact_id FROM commitment WHERE contact_id IS NOT NULL"
        ).fetchone()[0]
    editor = ContactEditor(demo_db, load_editor_input(demo_db, contact_id), stack.push)
    qtbot.addWidget(editor)
    last = editor.tabs.count() - 1
    assert editor.tabs.tabText(last) == "Promises (1)"
    assert editor.promises is not None
    assert descriptions(editor.promises) == ["Citer Lyon Capitale dans la prochaine newsletter"]
    new = ContactEditor(demo_db, load_editor_input(demo_db, None), stack.push)
    qtbot.addWidget(new)
    assert new.promises is None  # a card not saved yet has no promises


def test_the_community_editor_shows_its_promises(
    qtbot, demo_db: Database, stack: QUndoStack, frozen_clock: dt.datetime
) -> None:
    editor = CommunityEditor(demo_db, communities.get_community(demo_db, APEROS), stack.push)
    qtbot.addWidget(editor)
    assert editor.promises is not None
    assert descriptions(editor.promises)[0].startswith("Envoyer les photos")
    new = CommunityEditor(demo_db, None, stack.push)
    qtbot.addWidget(new)
    assert new.promises is None
