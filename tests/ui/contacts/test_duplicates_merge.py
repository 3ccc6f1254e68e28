"""Find duplicates ▸ Merge…, driven as a person does it: the button, the choice of the card to
keep, the confirmation; then Edit ▸ Undo and Redo. Everything both people had survives."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from cmplanner.services import contacts as contact_service
from cmplanner.services.browse import CONTACTS
from cmplanner.storage import Database
from tests.rows import dump
from ui.contacts.duplicates import DuplicatesDialog, MergeDialog
from ui.shell.main_window import MainWindow


def make_real_pair(db: Database) -> tuple[int, int]:
    """Two demo people with a history each (memberships, invitations, interactions, tags,
    tasks), the second given the first's e-mail as well: a pair the dialog suggests."""
    first, second = 2, 3
    one = contact_service.get_contact(db, first).data
    two = contact_service.get_contact(db, second).data
    assert one.communities and two.communities and one.tags
    contact_service.update_contact(
        db, second, two.__class__(**{**two.__dict__, "emails": (*two.emails, one.emails[0])})
    )
    with db.engine.begin() as con:  # on the core team of an event, and sent an invitation
        event_id = con.exec_driver_sql("SELECT min(event_id) FROM invitation").scalar()
        con.exec_driver_sql(
            "INSERT INTO event_team (created_at, updated_at, event_id, contact_id, role)"
            " VALUES ('2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000', ?, ?, 'bar')",
            (event_id, second),
        )
        con.exec_driver_sql(
            "INSERT INTO sent_message (created_at, updated_at, event_id, contact_id, email,"
            " method, sequence, sent_at, channel, error) VALUES ('2026-01-01 00:00:00.000000',"
            " '2026-01-01 00:00:00.000000', ?, ?, 'x@example.org', 'REQUEST', 0,"
            " '2026-01-01 00:00:00.000000', 'eml', '')",
            (event_id, second),
        )
    return first, second


def click_merge_and_keep(qtbot, dialog: DuplicatesDialog, keep_row: int) -> list[str]:
    """Click Merge…, choose the card in `keep_row` of the merge dialog, confirm."""
    seen: list[str] = []

    def answer() -> None:
        merge = QApplication.activeModalWidget()
        assert isinstance(merge, MergeDialog)
        seen.append(merge.windowTitle())
        merge.group.button(keep_row).click()
        ok = merge.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    return seen


@pytest.fixture
def reported(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    errors: list[BaseException] = []
    monkeypatch.setattr("ui.kit.errors.report", errors.append)
    return errors


def test_merge_button_merges_a_real_pair_and_undo_redo(
    qtbot, window: MainWindow, reported: list[BaseException]
) -> None:
    db = window.db
    first, second = make_real_pair(db)
    before = dump(db)
    two = contact_service.get_details(db, second)
    window.find_duplicates()
    dialog = window.view("contacts").duplicates_dialog
    row = next(
        n for n, p in enumerate(dialog.model.records) if {p.first, p.second} == {first, second}
    )
    dialog.table.selectRow(row)
    pair = dialog.current()
    assert pair is not None
    keep_row = 0 if pair.first == second else 1  # keep the second person's card

    assert click_merge_and_keep(qtbot, dialog, keep_row) == ["Merge two contacts"]

    assert reported == []
    ids = CONTACTS.ids(db)
    assert second in ids and first not in ids
    merged = contact_service.get_details(db, second)
    assert {c.community for c in merged.data.communities} >= {
        c.community for c in two.data.communities
    }
    assert len(merged.interactions) > len(two.interactions)
    assert not any({p.first, p.second} == {first, second} for p in dialog.model.records)

    window.undo_stack.undo()  # Ctrl+Z
    assert reported == []
    assert dump(db) == before

    window.undo_stack.redo()
    assert reported == []
    assert first not in CONTACTS.ids(db)
    assert contact_service.get_details(db, second).interactions == merged.interactions
    window.undo_stack.undo()
    assert dump(db) == before


def test_merge_keeps_core_team_and_sent_messages(
    qtbot, window: MainWindow, reported: list[BaseException]
) -> None:
    db = window.db
    first, second = make_real_pair(db)
    contact_service.merge_contacts(db, first, second)
    with db.read() as con:
        team = con.execute("SELECT contact_id, role FROM event_team").fetchall()
        sent = con.execute("SELECT contact_id FROM sent_message").fetchall()
    assert team == [(first, "bar")] and sent == [(first,)]


def test_a_merge_that_fails_leaves_the_pair_and_undo_does_not_crash(
    qtbot, window: MainWindow, reported: list[BaseException]
) -> None:
    db = window.db
    first, second = make_real_pair(db)
    window.find_duplicates()
    dialog = window.view("contacts").duplicates_dialog
    n = dialog.model.rowCount()
    row = next(
        r for r, p in enumerate(dialog.model.records) if {p.first, p.second} == {first, second}
    )
    dialog.table.selectRow(row)
    contact_service.delete_contacts(db, [second])  # gone meanwhile (another window, the CLI)
    before = dump(db)
    click_merge_and_keep(qtbot, dialog, 0)
    assert len(reported) == 1 and "does not exist" in str(reported[0])
    assert dialog.model.rowCount() == n  # the pair is still listed: nothing was merged
    assert window.undo_stack.count() == 0  # the failed merge is not on the undo stack
    window.undo_stack.undo()  # nothing to undo: no second error
    assert len(reported) == 1
    assert dump(db) == before


def test_cli_merge_still_works(demo_path, capsys) -> None:
    from cmplanner.cli.main import main

    db = Database.open(demo_path)
    try:
        second = {e.value for e in contact_service.get_contact(db, 3).data.emails}
    finally:
        db.close()
    assert main(["--db", str(demo_path), "contacts", "merge", "2", "3"]) == 0
    assert "Contact 3 was merged into 2." in capsys.readouterr().out
    db = Database.open(demo_path)
    try:
        assert 3 not in CONTACTS.ids(db)
        assert second <= {e.value for e in contact_service.get_contact(db, 2).data.emails}
    finally:
        db.close()


def test_a_write_failing_in_the_background_leaves_the_undo_stack(
    qtbot, window: MainWindow, reported: list[BaseException]
) -> None:
    """On the real worker thread the command is on the stack before its job fails: it takes
    itself off, and Undo then undoes the write before it."""
    from ui.contacts import commands
    from ui.kit import jobs as tasks

    db = window.db
    first, second = make_real_pair(db)
    tasks.set_executor(None)  # the real database worker
    try:
        stack = window.undo_stack
        stack.push(commands.NotADuplicate(db, first, second, "A / B"))
        qtbot.waitUntil(lambda: tasks.runner().is_idle())
        stack.push(commands.MergeContacts(db, first, 999_999, "nobody"))
        assert stack.count() == 2  # queued: not failed yet
        qtbot.waitUntil(lambda: len(reported) == 1)
        assert stack.count() == 1 and stack.undoText() == "Not a duplicate: A / B"
    finally:
        qtbot.waitUntil(lambda: tasks.runner().is_idle())
        tasks.set_executor(tasks.SynchronousExecutor())


def test_undo_of_a_delete_brings_back_core_team_places_and_sent_messages(
    window: MainWindow,
) -> None:
    db = window.db
    _first, second = make_real_pair(db)
    before = dump(db)
    window.view("contacts")._restore_selection([second])
    from ui.contacts import commands

    window.undo_stack.push(commands.DeleteContacts(db, [second]))
    assert second not in CONTACTS.ids(db)
    window.undo_stack.undo()
    assert dump(db) == before
