"""Organizations, communities, tags and venues renamed, merged and deleted from the GUI as a
person does it (context menus, the Delete key, Edit ▸ Manage tags…/Manage venues…), each
undone with Ctrl+Z to exactly what was there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QInputDialog,
    QMenu,
    QMessageBox,
)

from cmplanner.services import named_records, vocabulary
from cmplanner.storage import Database
from tests.rows import dump
from ui.kit.named_records import ManageDialog, MergeIntoDialog, NamedRecordsModel
from ui.shell.main_window import MainWindow


@pytest.fixture
def reported(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    errors: list[BaseException] = []
    monkeypatch.setattr("ui.kit.errors.report", errors.append)
    return errors


def when_modal(*answers: Callable[[Any], None]) -> list[str]:
    """Answer the next modal dialogs, in order, as a person would; returns what they said."""
    said: list[str] = []

    def answer_next(left: list[Callable[[Any], None]]) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:  # not shown yet (its content loads in the background)
            QTimer.singleShot(10, lambda: answer_next(left))
            return
        if isinstance(dialog, QMessageBox):
            said.append(f"{dialog.text()} {dialog.informativeText()}")
        else:
            said.append(dialog.windowTitle())
        todo = left.pop(0)
        if left:
            QTimer.singleShot(0, lambda: answer_next(left))
        todo(dialog)

    QTimer.singleShot(0, lambda: answer_next(list(answers)))
    return said


def type_name(name: str) -> Callable[[Any], None]:
    def answer(dialog: QInputDialog) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue(name)
        dialog.accept()

    return answer


def click(text: str) -> Callable[[Any], None]:
    def answer(box: QMessageBox) -> None:
        assert isinstance(box, QMessageBox)
        button = next(b for b in box.buttons() if b.text() == text)
        button.click()

    return answer


def merge_into(name: str) -> Callable[[Any], None]:
    def answer(dialog: MergeIntoDialog) -> None:
        assert isinstance(dialog, MergeIntoDialog)
        dialog.target.setCurrentIndex(dialog.target.findText(name))
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        ok.click()

    return answer


def row_menu(view: Any, record_id: int) -> dict[str, QAction]:
    """The actions of a right-click on the record's row."""
    view.table.clearSelection()
    view._restore_selection([record_id])
    menu = QMenu(view)
    view.fill_row_menu(menu, view.selected_ids())
    return {a.objectName(): a for a in menu.actions() if a.objectName()}


def open_section(window: MainWindow, key: str, record_id: int | None = None) -> Any:
    """Show a section (its record selected) as the user finds it."""
    window.show_section(key)
    view = window.view(key)
    if record_id is not None:
        view.table.clearSelection()
        view._restore_selection([record_id])
        view.table.setFocus()
    return view


def names(db: Database, table: str) -> list[str]:
    with db.read() as con:
        return [r[0] for r in con.execute(f"SELECT name FROM {table} ORDER BY id")]


def test_rename_an_organization_from_its_menu_and_undo(
    window: MainWindow, reported: list[BaseException]
) -> None:
    db = window.db
    view = open_section(window, "organizations")
    before = dump(db)
    actions = row_menu(view, 12)
    assert {"renameRecord", "mergeRecord", "deleteRecord"} <= set(actions)
    said = when_modal(type_name("  Atelier   Soudé et Fils "))
    actions["renameRecord"].trigger()
    assert said == ["Rename the organization"]
    assert "Atelier Soudé et Fils" in names(db, "organization")
    window.undo_stack.undo()
    assert dump(db) == before
    window.undo_stack.redo()
    assert "Atelier Soudé et Fils" in names(db, "organization")
    assert reported == []


def test_renaming_to_a_taken_name_offers_to_merge_into_it(
    window: MainWindow, reported: list[BaseException]
) -> None:
    db = window.db
    view = open_section(window, "organizations", 12)
    before = dump(db)
    said = when_modal(type_name("STUDIO BETON"), click("Cancel"))
    view.rename_action.trigger()  # F2
    assert said[1].startswith("“Studio Béton” already exists. Merge “Atelier Soudé” into")
    assert dump(db) == before  # cancelled: nothing changed

    said = when_modal(type_name("studio béton"), click("Merge"))
    view.rename_action.trigger()
    assert "Atelier Soudé" not in names(db, "organization")
    assert window.undo_stack.undoText() == "Merge “Atelier Soudé” into “Studio Béton”"
    window.undo_stack.undo()
    assert dump(db) == before
    assert reported == []


def test_delete_a_community_says_what_uses_it_and_undo_restores_it(
    qtbot, window: MainWindow, reported: list[BaseException]
) -> None:
    db = window.db
    view = open_section(window, "communities", 1)
    before = dump(db)
    usage = named_records.usage(db, "community", 1)
    said = when_modal(click("Delete"))
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert said == [
        "Delete the community “Apéros du jeudi”? "
        # The list as the region writes it: no comma before "and" in en_GB (no region said).
        f"{usage.contacts} contacts, {usage.events} events, {usage.promises} promises and "
        f"{usage.work_entries} entries of logged work use it. Its members, events, promises "
        "and logged work stay; they are no longer linked to this community. "
        "Edit ▸ Undo brings it back."
    ]
    assert "Apéros du jeudi" not in names(db, "community")
    qtbot.waitUntil(lambda: 1 not in view.model.ids())  # the list follows
    window.commands["undo"].trigger()
    assert dump(db) == before
    qtbot.waitUntil(lambda: 1 in view.model.ids())
    assert reported == []


def test_merge_a_community_into_another_from_its_menu(
    window: MainWindow, reported: list[BaseException]
) -> None:
    db = window.db
    view = open_section(window, "communities")
    before = dump(db)
    said = when_modal(merge_into("Club des testeurs"))
    row_menu(view, 1)["mergeRecord"].trigger()
    assert said == ["Merge “Apéros du jeudi” into…"]
    assert names(db, "community") == ["Club des testeurs", "Scène locale",
                                      "Repair café de la Croix-Rousse"]  # fmt: skip
    assert named_records.usage(db, "community", 2).events == 23
    window.undo_stack.undo()
    assert dump(db) == before
    assert reported == []


def test_manage_tags_from_the_edit_menu(
    qtbot, window: MainWindow, reported: list[BaseException]
) -> None:
    db = window.db
    before = dump(db)
    window.commands["manage_tags"].trigger()
    dialog = window.manage_dialog
    assert isinstance(dialog, ManageDialog) and dialog.isVisible()
    assert dialog.windowTitle() == "Manage tags"
    shown = [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())]
    assert shown == ["bénévole", "fidèle", "musicien", "presse", "VIP"]
    dialog.select(4)  # musicien
    assert dialog.usage.text().endswith("contacts use it.")

    when_modal(type_name("musiciens"))
    dialog.rename_button.click()
    qtbot.waitUntil(lambda: any(r.name == "musiciens" for r in dialog.model.records))

    dialog.select(4)
    when_modal(merge_into("fidèle"))
    dialog.merge_button.click()
    assert vocabulary.tag_id(db, "musiciens") is None
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 4)

    dialog.select(2)  # presse
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.list.setFocus()
    when_modal(click("Delete"))
    qtbot.keyClick(dialog.list, Qt.Key.Key_Delete)
    assert [t.name for t in vocabulary.tags(db)] == ["bénévole", "fidèle", "VIP"]

    assert window.commands["undo"] in dialog.actions()  # Ctrl+Z works in the dialog
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "presse" in [t.name for t in vocabulary.tags(db)]
    for _n in range(2):
        window.undo_stack.undo()
    assert dump(db) == before
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 5)  # the list follows
    assert reported == []


def test_manage_venues_delete_one_in_use_events_keep_no_venue(
    window: MainWindow, reported: list[BaseException]
) -> None:
    db = window.db
    before = dump(db)
    window.commands["manage_venues"].trigger()
    dialog = window.manage_dialog
    assert dialog.windowTitle() == "Manage venues"
    dialog.select(1)
    said = when_modal(click("Delete"))
    dialog.delete_button.click()
    assert said == [
        "Delete the venue “Brasserie Georges”? 11 events use it. The events stay, with no "
        "venue. Edit ▸ Undo brings it back."
    ]
    with db.read() as con:
        assert con.execute("SELECT count(*) FROM event WHERE venue_id IS NULL").fetchone()[0] == 18
    window.undo_stack.undo()
    assert dump(db) == before
    assert reported == []


def test_side_panel_tags_and_communities_have_the_actions(window: MainWindow) -> None:
    window.show_section("contacts")
    view = window.view("contacts")
    shown = [
        [a.text() for a in view.drop_panel_menu(panel, panel.model().index(0, 0)).actions()]
        for panel in (view.drop_panel.community_list, view.drop_panel.tag_list)
    ]
    assert shown == [
        ["&Rename…", "&Merge into…", "&Delete…"],
        ["&Rename…", "&Merge into…", "&Delete…", "", "Manage &tags…"],
    ]
    tags = view.drop_panel_menu(view.drop_panel.tag_list, view.drop_panel.tags.index(0, 0))
    # No F2 or Delete beside them: the side panel's lists do not answer to those keys.
    assert all(a.shortcut().isEmpty() for a in tags.actions())
    manage = next(a for a in tags.actions() if a.text() == "Manage &tags…")
    manage.trigger()
    dialog = window.findChild(ManageDialog)
    assert dialog is not None and dialog.isVisible() and dialog.model.rowCount() == 5
    dialog.close()


def test_the_list_model_passes_the_model_tester(qtmodeltester, demo_db: Database) -> None:
    model = NamedRecordsModel()
    model.set_records(named_records.records(demo_db, "tag"))
    assert model.rowCount() == 5
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole).endswith("use it.")
    qtmodeltester.check(model)


def test_merge_into_offers_the_likeliest_and_finds_a_name_typed_without_accents(
    qtbot, window: MainWindow
) -> None:
    from cmplanner.services import communities as community_service
    from cmplanner.services.communities import CommunityData

    db = window.db
    club, _c = community_service.create_community(db, CommunityData("Club vélo Lyon"))
    velo, _c = community_service.create_community(db, CommunityData("Vélo Lyon"))
    records = named_records.records(db, "community")
    source = next(r for r in records if r.id == club)
    dialog = MergeIntoDialog(source.name, source.usage, [r for r in records if r.id != club])
    qtbot.addWidget(dialog)
    assert dialog.chosen().id == velo  # type: ignore[union-attr]
    dialog.target.set_current_id(1)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.target.setFocus()
    dialog.target.lineEdit().selectAll()
    qtbot.keyClicks(dialog.target, "velo ly")
    popup = dialog.target.completer().popup()
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.chosen().id == velo  # type: ignore[union-attr]
