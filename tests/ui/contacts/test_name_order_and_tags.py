"""What a person sees of names and tags in the widgets: a name in the order it is written
(王小明, "Nagy János") in the guest list, the editor's title and the duplicates dialog; a tag
that holds a comma ("vélo, rando") shown, kept and saved as one tag."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QUndoStack

from cmplanner.model import EventCreate
from cmplanner.services import contacts, events, guests
from cmplanner.services.contact_data import ContactData, Labelled
from cmplanner.storage import Database
from ui.communities.editor import ContactPicker
from ui.contacts.duplicates import load_pairs
from ui.contacts.editor import ContactEditor, load_editor_input
from ui.contacts.fields import TagEdit
from ui.contacts.view import ContactsView
from ui.events.guests import GuestsPanel

TAG = "vélo, rando"


def _person(db: Database, given: str, family: str, language: str = "fr", **more: object) -> int:
    data = ContactData(given_name=given, family_name=family, language=language, **more)  # type: ignore[arg-type]
    return contacts.create_contact(db, data)[0]


def test_the_guest_list_shows_names_as_written(qtbot, empty_db: Database) -> None:
    read, _ = events.create_event(
        empty_db,
        EventCreate(
            title="Apéro",
            start_local=dt.datetime(2026, 12, 3, 19, 0),
            end_local=dt.datetime(2026, 12, 3, 22, 0),
            timezone="Europe/Paris",
        ),
    )
    ids = [
        _person(empty_db, "小明", "王"),
        _person(empty_db, "János", "Nagy", "hu"),
        _person(empty_db, "Zoé", "Zimmer"),
    ]
    guests.add_guests(empty_db, read.id, ids[:2])
    stack = QUndoStack()
    panel = GuestsPanel(empty_db, read.id, stack.push)
    qtbot.addWidget(panel)
    proxy = panel.proxy
    shown = {proxy.index(r, 0).data() for r in range(proxy.rowCount())}
    assert shown == {"王小明", "Nagy János"}
    # Finding someone to invite: the results show the whole name first.
    panel.search.setText("Zimmer")
    panel.run_search()
    assert _first_visible_column(panel.results) == ["Zoé Zimmer"]


def _first_visible_column(table) -> list[str]:  # type: ignore[no-untyped-def]
    header = table.horizontalHeader()
    column = header.logicalIndex(
        next(v for v in range(header.count()) if not header.isSectionHidden(header.logicalIndex(v)))
    )
    model = table.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_the_contacts_list_and_the_picker_show_the_whole_name_first(
    qtbot, empty_db: Database
) -> None:
    ids = [
        _person(empty_db, "小明", "王"),
        _person(empty_db, "János", "Nagy", "hu"),
        _person(empty_db, "", "", nickname="Zizou", emails=(Labelled("zizou@example.org"),)),
        _person(empty_db, "", "", emails=(Labelled("anonyme@example.org"),)),
    ]
    view = ContactsView()
    qtbot.addWidget(view)
    view.set_database(empty_db)
    view.refresh()
    shown = _first_visible_column(view.table)
    # Sorted by family name; a contact with no name shows its nickname, else its e-mail.
    assert shown == ["Zizou", "anonyme@example.org", "Nagy János", "王小明"]
    assert view.names_of(ids[:2]) == {ids[0]: "王小明", ids[1]: "Nagy János"}
    picker = ContactPicker(empty_db, "Add")
    qtbot.addWidget(picker)
    qtbot.waitUntil(lambda: picker.model.rowCount() == 4)
    assert sorted(_first_visible_column(picker.table)) == sorted(shown)
    picker.table.selectAll()
    assert sorted(name for _id, name in picker.chosen()) == sorted(shown)


def test_the_editor_title_and_initials_follow_the_same_order(qtbot, empty_db: Database) -> None:
    stack = QUndoStack()
    cid = _person(empty_db, "小明", "王")
    editor = ContactEditor(empty_db, load_editor_input(empty_db, cid), stack.push)
    qtbot.addWidget(editor)
    assert editor.title.text() == "王小明"
    assert editor.photo_label.text() == "王小"
    editor.given_name.setText("János")
    editor.family_name.setText("Nagy")
    editor.language.setCurrentIndex(editor.language.findData("hu"))  # offered in the list
    editor.given_name.textEdited.emit("János")
    assert editor.title.text() == "Nagy János"
    editor.reject()


def test_the_duplicates_dialog_names_people_as_written(empty_db: Database) -> None:
    for _n in range(2):
        _person(empty_db, "小明", "王", emails=(Labelled("wang@example.org"),))
    (pair,) = load_pairs(empty_db)
    assert (pair.first_name, pair.second_name) == ("王小明", "王小明")


def test_a_tag_with_a_comma_is_one_tag_in_the_editor(qtbot, empty_db: Database) -> None:
    stack = QUndoStack()
    cid = _person(empty_db, "Zoé", "Zimmer", tags=(TAG, "presse"))
    editor = ContactEditor(empty_db, load_editor_input(empty_db, cid), stack.push)
    qtbot.addWidget(editor)
    assert editor.tags.text() == 'presse, "vélo, rando"'
    assert editor.tags.tags() == ("presse", TAG)
    assert editor.data().tags == ("presse", TAG)  # opening and saving changes nothing
    editor.reject()


def test_the_tag_editor_completes_and_quotes_a_tag_with_a_comma(qtbot) -> None:
    edit = TagEdit(["presse"], [TAG, "presse"])
    qtbot.addWidget(edit)
    edit.setText("presse, vél")
    edit.setCursorPosition(len(edit.text()))
    assert edit._current_word() == "vél"
    edit._insert(TAG)
    assert edit.text() == 'presse, "vélo, rando", '
    assert edit.tags() == ("presse", TAG)
    edit.setText('"sans fin')  # a quote left open is a tag up to the end
    assert edit.tags() == ("sans fin",)
    edit.setText("vélo, rando")  # typed without quotes: two tags, as before
    assert edit.tags() == ("vélo", "rando")
