"""The contact book as a user works it: filters, the editor, undo/redo of every write,
drag and drop onto communities and tags, duplicates, privacy, organizations, communities."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialog

from cmplanner import clock
from cmplanner.services import communities as community_service
from cmplanner.services import contacts as contact_service
from cmplanner.services import organizations as organization_service
from cmplanner.services import preferences
from cmplanner.services.browse import CONTACTS
from cmplanner.services.contact_data import ContactData, Labelled
from cmplanner.storage import Database
from ui.communities.editor import CommunityEditor, MembersModel
from ui.contacts.duplicates import DuplicatesDialog, MergeDialog, load_pairs, pairs_model
from ui.contacts.editor import ContactEditor, interactions_model, load_editor_input
from ui.contacts.view import ContactsView
from ui.kit.models import (
    CONTACT_IDS_MIME,
    DropTarget,
    DropTargetModel,
    ListingModel,
    TableModel,
    decode_ids,
    encode_ids,
)
from ui.organizations.editor import OrganizationEditor, PeopleModel, PersonRow
from ui.shell.main_window import MainWindow


@pytest.fixture
def view(window: MainWindow) -> ContactsView:
    window.show_section("contacts")
    contacts = window.view("contacts")
    assert contacts.row_count() > 0
    return contacts


def card(db: Database, contact_id: int) -> ContactData:
    return contact_service.get_details(db, contact_id, history=False).data


def exists(db: Database, contact_id: int) -> bool:
    return contact_id in CONTACTS.ids(db)


def select(view: ContactsView, ids: list[int]) -> None:
    view.table.clearSelection()
    view._restore_selection(ids)
    assert sorted(view.selected_ids()) == sorted(ids)


# --- filters ---------------------------------------------------------------------------------


def test_filters_change_the_rows(view: ContactsView, qtbot) -> None:
    db = view.db
    total = view.row_count()
    tag = view.vocabulary.tags[0].name
    view.set_filters(tag=tag)
    qtbot.waitUntil(lambda: view.row_count() < total)
    assert all(tag in card(db, cid).tags for cid in view.model.ids())
    assert view.filter_bar.clear.isEnabled()

    view.filter_bar.reset()
    qtbot.waitUntil(lambda: view.row_count() == total)

    community = view.vocabulary.communities[0]
    view.set_filters(community=community.id)
    members = view.row_count()
    assert 0 < members < total
    view.set_filters(role="core_team")
    core = view.model.ids()
    assert 0 < len(core) < members
    details = community_service.get_community(db, community.id)
    assert sorted(core) == sorted(m.contact_id for m in details.by_role("core_team"))

    view.filter_bar.reset()
    view.set_filters(city="Lyon")
    assert 0 < view.row_count() < total
    assert all(any(a.city == "Lyon" for a in card(db, cid).addresses) for cid in view.model.ids())

    view.filter_bar.reset()
    view.set_filters(not_seen_days=30)
    never_or_long_ago = view.row_count()
    assert 0 < never_or_long_ago < total
    view.set_filters(organization_kind="partner")
    assert view.row_count() <= never_or_long_ago


def test_filters_and_search_combine_and_say_why_nothing_shows(view: ContactsView, qtbot) -> None:
    view.set_filters(tag=view.vocabulary.tags[0].name)
    view.search.setText("zzzz-nobody")
    qtbot.waitUntil(lambda: view.row_count() == 0)
    assert "zzzz-nobody" in view.empty.text()
    view.search.clear()
    view.set_filters(city="Lyon", organization_kind="media", not_seen_days=1)
    qtbot.waitUntil(lambda: view.row_count() == 0 or view.pages.currentWidget() is view.table)
    if view.row_count() == 0:
        assert view.empty.text() == "Nothing matches these filters."


def test_ctrl_f_focuses_the_search(window: MainWindow, view: ContactsView) -> None:
    window.activateWindow()
    window.commands["find"].trigger()
    assert view.search.hasFocus() or window.focusWidget() is view.search


# --- the editor ------------------------------------------------------------------------------


def open_editor(view: ContactsView, contact_id: int | None) -> ContactEditor:
    view.open_contact(contact_id)
    editor = view.editor
    assert isinstance(editor, ContactEditor)
    return editor


def test_editor_shows_the_whole_card(view: ContactsView) -> None:
    cid = view.model.ids()[0]
    data = card(view.db, cid)
    editor = open_editor(view, cid)
    assert editor.given_name.text() == data.given_name
    assert [r.value().value for r in editor.emails.rows] == [e.value for e in data.emails]
    assert editor.tags.tags() == data.tags
    assert editor.data() == data  # opening and saving untouched changes nothing
    assert editor.tabs.isTabEnabled(3)
    editor.reject()


def test_editor_inline_messages_and_save_disabled(
    view: ContactsView, qtbot, unsaved_answers
) -> None:
    editor = open_editor(view, view.model.ids()[0])
    email = editor.emails.rows[0]
    email.edit.setText("camille@")
    email.edit.textEdited.emit("camille@")
    assert not editor.save_button.isEnabled()  # at once, before any message is shown
    qtbot.waitUntil(lambda: email.error.isVisibleTo(editor))
    assert "not a valid e-mail address" in email.error.text()
    assert email.edit.property("invalid") is True

    phone = editor.phones.add_row(None)
    phone.edit.setText("12")
    phone.edit.editingFinished.emit()  # leaving the field shows its message at once
    qtbot.waitUntil(lambda: phone.error.isVisibleTo(editor))  # a new row shows on next loop
    assert "digits" in phone.error.text()
    assert "2 fields" in editor.summary.text()

    email.edit.setText("camille@example.org")
    email.edit.textEdited.emit("camille@example.org")
    phone.edit.setText("06 12 34 56 78")
    phone.edit.textEdited.emit("06 12 34 56 78")
    assert not email.error.isVisibleTo(editor)
    assert editor.save_button.isEnabled()
    assert editor.data().phones[-1].value == "+33 6 12 34 56 78"  # the default region, FR
    unsaved_answers.plan("discard")
    editor.reject()
    assert not editor.isVisible()


def test_the_default_phone_region_comes_from_preferences(view: ContactsView) -> None:
    from ui.preferences.dialog import PreferencesDialog

    dialog = PreferencesDialog(db=view.db)
    assert dialog.chosen_region() == "FR"
    dialog.region.setCurrentIndex(dialog.region.findData("BE"))
    dialog.save()
    assert preferences.phone_region(view.db) == "BE"
    editor = open_editor(view, None)
    editor.given_name.setText("Lotte")
    editor.phones.rows[0].edit.setText("0470 12 34 56")
    assert editor.data().phones[0].value.startswith("+32 ")


def test_edit_undo_redo(window: MainWindow, view: ContactsView) -> None:
    db = view.db
    cid = view.model.ids()[0]
    before = card(db, cid)
    editor = open_editor(view, cid)
    editor.family_name.setText("Nouveau-Nom")
    editor.tags.setText("alpha, beta")
    editor.emails.add_row(Labelled("second@example.org", "work"))
    editor.save()
    after = card(db, cid)
    assert after.family_name == "Nouveau-Nom"
    assert after.tags == ("alpha", "beta")
    assert after.emails[-1] == Labelled("second@example.org", "work")

    window.commands["undo"].trigger()
    assert card(db, cid) == before
    window.commands["redo"].trigger()
    assert card(db, cid) == after
    assert "Nouveau-Nom" in window.undo_stack.undoText()


def test_create_undo_redo_keeps_the_id(window: MainWindow, view: ContactsView) -> None:
    db = view.db
    editor = open_editor(view, None)
    assert editor.save_button.isEnabled() is False  # no name yet
    editor.given_name.setText("Ngozi")
    editor.family_name.setText("Okafor")
    editor.emails.rows[0].edit.setText("ngozi@example.org")
    editor.keep_in_touch.setChecked(True)
    editor.cadence.setValue(45)
    editor.save()
    cid = window.undo_stack.command(0).contact_id
    assert card(db, cid).cadence_days == 45
    window.undo_stack.undo()
    assert not exists(db, cid)
    window.undo_stack.redo()
    assert card(db, cid).given_name == "Ngozi"


def test_interaction_added_from_the_editor_and_undone(
    window: MainWindow, view: ContactsView, frozen_clock
) -> None:
    cid = view.model.ids()[0]
    seen_before = contact_service.get_details(view.db, cid).last_seen
    editor = open_editor(view, cid)
    before = editor.interactions.rowCount()
    editor.log_interaction(
        occurred_at=frozen_clock, channel="in_person", in_person=True, duration_minutes=30,
        notes="Coffee",
    )  # fmt: skip
    assert editor.interactions.rowCount() == before + 1
    assert editor.details is not None and editor.details.last_seen == frozen_clock
    assert "Coffee" in [editor.interactions.index(r, 4).data() for r in range(before + 1)]
    # Undoable: the interaction goes, and last_seen is what it was.
    window.undo_stack.undo()
    after = contact_service.get_details(view.db, cid)
    assert "Coffee" not in [i.notes for i in after.interactions]
    assert after.last_seen == seen_before
    window.undo_stack.redo()
    assert "Coffee" in [i.notes for i in contact_service.get_details(view.db, cid).interactions]


def test_photo_loads_shows_and_goes(view: ContactsView, tmp_path: Path) -> None:
    from PySide6.QtGui import QColor, QImage

    image = QImage(1200, 800, QImage.Format.Format_RGB32)
    image.fill(QColor("#1f7a8c"))
    path = tmp_path / "me.png"
    image.save(str(path))
    editor = open_editor(view, view.model.ids()[0])
    assert editor.load_photo(path)
    assert editor.photo and editor.photo.startswith(b"\xff\xd8")  # stored as a JPEG
    assert not editor.photo_label.pixmap().isNull()
    assert editor.remove_photo.isEnabled()
    editor.set_photo(None)
    assert editor.data().photo is None
    assert not editor.load_photo(tmp_path / "missing.png")


def test_escape_asks_and_discard_cancels_the_editor(
    view: ContactsView, qtbot, unsaved_answers
) -> None:
    cid = view.model.ids()[0]
    before = card(view.db, cid)
    editor = open_editor(view, cid)
    editor.given_name.setText("Changed")
    unsaved_answers.plan("discard")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert unsaved_answers.asked == ["Save the changes made in “Edit contact”?"]
    assert not editor.isVisible()
    assert card(view.db, cid) == before


def test_enter_opens_and_delete_key_deletes(window: MainWindow, view: ContactsView, qtbot) -> None:
    cid = view.model.ids()[1]
    select(view, [cid])
    view.table.setFocus()
    view.open_action.trigger()
    assert view.editor.details.id == cid
    view.editor.reject()
    view.delete_action.trigger()
    assert not exists(view.db, cid)
    qtbot.waitUntil(lambda: cid not in view.model.ids())
    window.undo_stack.undo()
    assert exists(view.db, cid)


# --- delete, merge, tags, memberships ---------------------------------------------------------


def test_delete_and_undo_restore_everything(window: MainWindow, view: ContactsView) -> None:
    db = view.db
    ids = view.model.ids()[:3]
    before = {cid: contact_service.get_details(db, cid) for cid in ids}
    select(view, ids)
    view.delete_selected()
    assert not any(exists(db, cid) for cid in ids)
    window.undo_stack.undo()
    for cid in ids:
        after = contact_service.get_details(db, cid)
        assert after.data == before[cid].data
        assert after.interactions == before[cid].interactions
    window.undo_stack.redo()
    assert not any(exists(db, cid) for cid in ids)


def test_merge_two_selected_and_undo(
    window: MainWindow, view: ContactsView, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = view.db
    keep, other = view.model.ids()[:2]
    keep_before, other_before = card(db, keep), card(db, other)
    select(view, [keep, other])
    assert view.commands["merge"].isEnabled()
    monkeypatch.setattr(MergeDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    view.merge_selected()  # the first is kept by default
    assert not exists(db, other)
    merged = card(db, keep)
    assert {e.value for e in merged.emails} >= {e.value for e in other_before.emails}
    window.undo_stack.undo()
    assert card(db, keep) == keep_before
    assert card(db, other) == other_before


def test_tag_selected_and_undo_only_removes_new_tags(
    window: MainWindow, view: ContactsView
) -> None:
    from ui.contacts import commands

    db = view.db
    tag = view.vocabulary.tags[0].name
    view.set_filters(tag=tag)
    had = view.model.ids()[0]
    view.filter_bar.reset()
    others = [cid for cid in view.model.ids() if tag not in card(db, cid).tags][:2]
    view.push(commands.TagContacts(db, [had, *others], tag))
    assert all(tag in card(db, cid).tags for cid in [had, *others])
    window.undo_stack.undo()
    assert tag in card(db, had).tags
    assert not any(tag in card(db, cid).tags for cid in others)


def test_drop_contacts_on_a_community_and_undo(window: MainWindow, view: ContactsView) -> None:
    db = view.db
    model = view.drop_panel.communities
    target = model.targets[0]
    have = {m.contact_id for m in community_service.get_community(db, target.id).by_role("member")}
    new = [cid for cid in view.model.ids() if cid not in have][:2]
    old = next(iter(have))
    mime = view.model.mimeData([view.model.index(view.model.ids().index(c), 0) for c in new])
    mime.setData(CONTACT_IDS_MIME, encode_ids([*new, old]).data(CONTACT_IDS_MIME))
    parent = model.index(0, 0)
    assert model.canDropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, parent)
    assert not model.canDropMimeData(mime, Qt.DropAction.CopyAction, 0, 0, QModelIndex())
    assert model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, parent)
    members = {
        m.contact_id for m in community_service.get_community(db, target.id).by_role("member")
    }
    assert members == have | set(new)
    assert target.name in window.undo_stack.undoText()
    window.undo_stack.undo()
    members = {
        m.contact_id for m in community_service.get_community(db, target.id).by_role("member")
    }
    assert members == have  # the contact who already was a member still is


def test_drop_contacts_on_a_tag(view: ContactsView, window: MainWindow) -> None:
    db = view.db
    model = view.drop_panel.tags
    row = next(n for n, t in enumerate(model.targets) if t.name == "presse")
    ids = [cid for cid in view.model.ids() if "presse" not in card(db, cid).tags][:2]
    assert model.dropMimeData(
        encode_ids(ids), Qt.DropAction.CopyAction, -1, -1, model.index(row, 0)
    )
    assert all("presse" in card(db, cid).tags for cid in ids)
    window.undo_stack.undo()
    assert not any("presse" in card(db, cid).tags for cid in ids)


def test_the_table_drags_the_selected_ids(view: ContactsView) -> None:
    ids = view.model.ids()[:3]
    mime = view.model.mimeData([view.model.index(r, c) for r in range(3) for c in range(2)])
    assert decode_ids(mime) == ids
    assert view.table.dragEnabled()
    assert view.model.flags(view.model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    assert decode_ids(None) == [] and decode_ids(encode_ids([1], "text/other")) == []


# --- duplicates ------------------------------------------------------------------------------


def make_twins(db: Database) -> tuple[int, int]:
    first = CONTACTS.ids(db)[0]
    data = card(db, first)
    twin, _changes = contact_service.create_contact(
        db, ContactData(given_name=data.given_name, family_name="Twin", emails=data.emails[:1])
    )
    return first, twin


def test_duplicates_dialog_merges_and_undoes(window: MainWindow, view: ContactsView) -> None:
    db = view.db
    first, twin = make_twins(db)
    view.find_duplicates()
    dialog = view.duplicates_dialog
    assert isinstance(dialog, DuplicatesDialog)
    pairs = dialog.model.records
    assert any({p.first, p.second} == {first, twin} for p in pairs)
    row = next(n for n, p in enumerate(pairs) if {p.first, p.second} == {first, twin})
    assert dialog.model.index(row, 2).data() == "same e-mail, another name"  # "Twin"
    dialog.table.selectRow(row)
    dialog.merge_current(keep=first)
    assert not exists(db, twin)
    assert not any(twin in (p.first, p.second) for p in dialog.model.records)
    window.undo_stack.undo()
    assert exists(db, twin)


def test_not_a_duplicate_takes_the_pair_off_for_good_and_undoes(
    window: MainWindow, view: ContactsView
) -> None:
    first, twin = make_twins(view.db)
    view.find_duplicates()
    dialog = view.duplicates_dialog
    n = dialog.model.rowCount()
    row = next(
        r for r, p in enumerate(dialog.model.records) if {p.first, p.second} == {first, twin}
    )
    dialog.table.selectRow(row)
    dialog.dismiss_current()
    assert dialog.model.rowCount() == n - 1
    assert window.undo_stack.undoText().startswith("Not a duplicate: ")

    def listed() -> bool:
        pairs = load_pairs(view.db)  # what the dialog shows when opened again
        return any({p.first, p.second} == {first, twin} for p in pairs)

    assert not listed()
    window.undo_stack.undo()
    assert listed()


def test_find_duplicates_action_in_the_edit_menu(window: MainWindow) -> None:
    window.commands["duplicates"].trigger()
    assert window.current_key() == "contacts"
    assert window.view("contacts").duplicates_dialog.isVisible()


# --- privacy ---------------------------------------------------------------------------------


def test_export_a_persons_data(view: ContactsView, tmp_path: Path) -> None:
    from ui.contacts.privacy import run_export_person

    cid = view.model.ids()[0]
    run_export_person(view, view.db, cid, tmp_path / "person.zip")
    with zipfile.ZipFile(tmp_path / "person.zip") as bundle:
        names = bundle.namelist()
    assert any(n.endswith(".json") for n in names) and any(n.endswith(".vcf") for n in names)


def test_erase_asks_names_backups_and_clears_undo(
    window: MainWindow, view: ContactsView, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cmplanner.storage.backup import create_backup
    from ui.contacts.privacy import EraseDialog

    db = view.db
    cid = view.model.ids()[0]
    backup = create_backup(db.path, "manual")
    select(view, [view.model.ids()[1]])
    view.delete_selected()
    assert window.undo_stack.count() == 1
    shown: list[EraseDialog] = []

    def accept(dialog: EraseDialog) -> int:
        shown.append(dialog)
        assert dialog.backups == [backup]
        dialog.purge.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(EraseDialog, "exec", accept)
    select(view, [cid])
    view.erase_person()
    assert shown
    assert not exists(db, cid)
    assert not backup.exists()  # purged on request
    assert window.undo_stack.count() == 0


def test_erase_dialog_says_it_is_final(qtbot) -> None:
    from PySide6.QtWidgets import QLabel

    from ui.contacts.privacy import EraseDialog

    dialog = EraseDialog("Camille Martin", [Path("/b/one.cmpbak")])
    qtbot.addWidget(dialog)
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "cannot be undone" in texts and "1 backup still contains Camille Martin" in texts
    assert not dialog.erase_button.isDefault()
    assert not dialog.purge_backups()
    assert not EraseDialog("X", []).purge_backups()


# --- organizations and communities ------------------------------------------------------------


def test_organization_editor_people_and_undo(window: MainWindow, qtbot) -> None:
    window.show_section("organizations")
    orgs = window.view("organizations")
    db = orgs.db
    org_id = orgs.model.ids()[0]
    before = organization_service.get_organization(db, org_id)
    select_rows = orgs.table.selectionModel()
    orgs.table.selectRow(0)
    assert select_rows.selectedRows()
    orgs.open_selected()
    editor = orgs.editor
    assert isinstance(editor, OrganizationEditor)
    editor.website.setText("https://example.org")
    newcomer = next(c for c in CONTACTS.ids(db) if c not in {p.contact_id for p in before.people})
    editor.people.add([(newcomer, "Newcomer")], "Trésorière")
    first = editor.people.people[0]
    assert editor.people.setData(editor.people.index(0, 1), "Président")
    editor.accept()
    after = organization_service.get_organization(db, org_id)
    assert after.data.website == "https://example.org"
    assert (newcomer, "Trésorière") in {(p.contact_id, p.role) for p in after.people}
    assert (first.contact_id, "Président") in {(p.contact_id, p.role) for p in after.people}
    window.undo_stack.undo()
    again = organization_service.get_organization(db, org_id)
    assert again.data == before.data
    assert {(p.contact_id, p.role) for p in again.people} == {
        (p.contact_id, p.role) for p in before.people
    }


def test_new_organization_and_undo(window: MainWindow, qtbot) -> None:
    window.show_section("organizations")
    orgs = window.view("organizations")
    orgs.new_button.click()
    editor = orgs.editor
    assert not editor.save_button.isEnabled()
    editor.name.setText("Radio Pentes")
    editor.kind.setCurrentIndex(editor.kind.findData("media"))
    editor.accept()

    def shown() -> bool:
        return any(orgs.model.index(r, 0).data() == "Radio Pentes" for r in range(orgs.row_count()))

    qtbot.waitUntil(shown)
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: not shown())


def test_community_editor_members_by_role_and_undo(window: MainWindow) -> None:
    window.show_section("communities")
    view = window.view("communities")
    db = view.db
    cid = view.model.ids()[0]
    before = community_service.get_community(db, cid)
    view.open_record(cid)
    editor = view.editor
    assert isinstance(editor, CommunityEditor)
    groups = [editor.members.index(r, 0).data() for r in range(editor.members.rowCount())]
    assert groups[0].startswith("Core team")
    editor.target.setText("Tout Lyon")
    newcomer = next(c for c in CONTACTS.ids(db) if c not in {m.contact_id for m in before.members})
    editor.add_members([(newcomer, "Newcomer")], "ambassador")
    # Remove the first core team member; make the second a sponsor.
    core = editor.members.index(0, 0)
    editor.tree.selectionModel().select(
        editor.members.index(0, 0, core),
        editor.tree.selectionModel().SelectionFlag.ClearAndSelect
        | editor.tree.selectionModel().SelectionFlag.Rows,
    )
    gone = editor.selected()[0]
    editor.remove_selected()
    editor.accept()
    after = community_service.get_community(db, cid)
    assert after.data.target_population == "Tout Lyon"
    assert (newcomer, "ambassador") in {(m.contact_id, m.role) for m in after.members}
    assert (gone.contact_id, gone.role) not in {(m.contact_id, m.role) for m in after.members}
    window.undo_stack.undo()
    again = community_service.get_community(db, cid)
    assert again.data == before.data
    # Everyone back in their role, on the day they joined (not today).
    assert {(m.contact_id, m.role, m.joined_on) for m in again.members} == {
        (m.contact_id, m.role, m.joined_on) for m in before.members
    }
    assert gone.joined_on is not None and gone.joined_on < clock.today()


def test_community_set_role(window: MainWindow) -> None:
    window.show_section("communities")
    view = window.view("communities")
    db = view.db
    cid = view.model.ids()[0]
    view.open_record(cid)
    editor = view.editor
    member_group = next(
        r for r in range(editor.members.rowCount()) if editor.members.groups[r][0] == "member"
    )
    parent = editor.members.index(member_group, 0)
    first = editor.members.member(editor.members.index(0, 0, parent))
    assert first is not None
    editor.tree.selectionModel().select(
        editor.members.index(0, 0, parent),
        editor.tree.selectionModel().SelectionFlag.ClearAndSelect
        | editor.tree.selectionModel().SelectionFlag.Rows,
    )
    editor.set_role("sponsor")
    editor.accept()
    roles = {
        m.role
        for m in community_service.get_community(db, cid).members
        if m.contact_id == first.contact_id
    }
    assert "sponsor" in roles and "member" not in roles


def test_new_community(window: MainWindow, qtbot) -> None:
    window.show_section("communities")
    view = window.view("communities")
    view.new_button.click()
    editor = view.editor
    editor.name.setText("Club photo")
    editor.pace_set.setChecked(True)
    editor.pace.setValue(14)
    editor.add_members([(CONTACTS.ids(view.db)[0], "A")], "core_team")
    editor.accept()
    qtbot.waitUntil(
        lambda: "Club photo" in [view.model.index(r, 0).data() for r in range(view.row_count())]
    )


# --- models -----------------------------------------------------------------------------------


def test_new_models_pass_the_qt_model_tester(qtmodeltester, demo_db: Database) -> None:
    drop = DropTargetModel()
    drop.set_targets([DropTarget("community", 1, "Apéros"), DropTarget("tag", 2, "VIP")])
    qtmodeltester.check(drop, force_py=True)

    listing = ListingModel(CONTACTS, demo_db, mime_type=CONTACT_IDS_MIME)
    listing.set_ids(CONTACTS.ids(demo_db))
    qtmodeltester.check(listing, force_py=True)

    details = contact_service.get_details(demo_db, CONTACTS.ids(demo_db)[0])
    interactions = interactions_model(None)
    interactions.set_records(details.interactions)
    qtmodeltester.check(interactions, force_py=True)
    qtmodeltester.check(TableModel([("Name", str)]), force_py=True)

    pairs = pairs_model(None)
    qtmodeltester.check(pairs, force_py=True)

    community = community_service.get_community(demo_db, 1)
    members = MembersModel()
    members.set_members(community.members)
    qtmodeltester.check(members, force_py=True)
    assert members.rowCount() >= 2

    people = PeopleModel()
    people.set_people([PersonRow(1, "A", "x"), PersonRow(2, "B", "")])
    qtmodeltester.check(people, force_py=True)


def test_editor_input_for_a_new_contact(demo_db: Database) -> None:
    editor_input = load_editor_input(demo_db, None)
    assert editor_input.details is None and editor_input.region == "FR"
    assert editor_input.vocabulary.communities


def test_editing_memberships_keeps_join_dates_and_undo_restores_them(
    window: MainWindow, view: ContactsView
) -> None:
    db = view.db
    cid = next(c for c in view.model.ids() if len(card(db, c).communities) >= 1)
    before = card(db, cid)
    first = before.communities[0]
    assert first.joined_on is not None  # the demo's members joined on a known day
    editor = open_editor(view, cid)
    assert editor.data() == before  # the rows carry their dates: nothing to save
    # Remove the first membership, change nothing else.
    editor.memberships.remove_row(editor.memberships.rows[0])
    editor.family_name.setText(before.family_name + "-Test")
    editor.save()
    assert first not in card(db, cid).communities
    kept = [m for m in before.communities[1:]]
    assert [m for m in card(db, cid).communities if m in kept] == kept  # dates untouched
    window.commands["undo"].trigger()
    assert card(db, cid) == before  # the membership is back with its own join date
