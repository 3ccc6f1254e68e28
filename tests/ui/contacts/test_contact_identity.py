"""The import wizard never merges two people on a shared phone and says why for every merge;
the contact editor shows and keeps birthday, anniversary, name prefix and suffix, the name
shown and the department; the contacts view lists the birthdays of a month."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QWizard

from cmplanner.services import contacts as contact_service
from cmplanner.services.browse import CONTACTS
from cmplanner.services.contact_data import AffiliationData, ContactData, Labelled
from ui.contacts.editor import ContactEditor
from ui.contacts.files import ImportWizard
from ui.contacts.view import ContactsView
from ui.shell.main_window import MainWindow

OFFICE = "+33 4 72 00 00 01"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "second.vcf"
    path.write_text(text.replace("\n", "\r\n"), encoding="utf-8")
    return path


def run_wizard(window: MainWindow, qtbot, path: Path, merge: bool = True) -> ImportWizard:  # type: ignore[no-untyped-def]
    wizard = ImportWizard(window.db, window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(path))
    wizard.file_page.merge.setChecked(merge)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.PREVIEW)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.DUPLICATES)
    return wizard


def test_wizard_suggests_on_a_shared_phone_and_names_every_merge(
    window: MainWindow, qtbot, tmp_path: Path
) -> None:
    db = window.db
    anne, _c = contact_service.create_contact(
        db,
        ContactData(
            given_name="Anne",
            family_name="Martin",
            emails=(Labelled("anne.martin@velo.fr"),),
            phones=(Labelled(OFFICE, "work"),),
        ),
    )
    path = write(
        tmp_path,
        "BEGIN:VCARD\nVERSION:3.0\nN:Durand;Sophie;;;\nTEL:04 72 00 00 01\n"
        "EMAIL:sophie.durand@velo.fr\nNOTE:Trésorière\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nN:Martin;A.;;;\nEMAIL:anne.martin@velo.fr\nEND:VCARD\n",
    )
    wizard = run_wizard(window, qtbot, path)
    model = wizard.duplicates_page.model
    rows = [
        (model.index(r, 1).data(), model.index(r, 2).data(), model.decision_key(r))
        for r in range(model.rowCount())
    ]
    assert rows == [
        ("Anne Martin", "same phone number", "create"),  # only a suggestion
        ("Anne Martin", "same e-mail", "merge"),  # the same person: merged, said why
    ]
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.SUMMARY, timeout=10_000)
    assert "Imported 1 contact, merged 1" in wizard.summary_page.text.text()
    assert f"Looks like Anne Martin (#{anne}) in the book" in (wizard.summary_page.text.text())
    kept = contact_service.get_contact(db, anne).data
    assert [e.value for e in kept.emails] == ["anne.martin@velo.fr"] and not kept.notes
    sophie = next(
        contact_service.get_contact(db, i).data for i in CONTACTS.ids(db, text="Sophie Durand")
    )
    assert sophie.notes == "Trésorière" and sophie.phones[0].value == OFFICE


def test_wizard_merge_unticked_creates_everyone(window: MainWindow, qtbot, tmp_path: Path) -> None:
    db = window.db
    contact_service.create_contact(
        db, ContactData(given_name="Anne", family_name="Martin", emails=(Labelled("a@m.fr"),))
    )
    path = write(tmp_path, "BEGIN:VCARD\nVERSION:3.0\nN:Martin;Anne;;;\nEMAIL:a@m.fr\nEND:VCARD\n")
    wizard = run_wizard(window, qtbot, path, merge=False)
    model = wizard.duplicates_page.model
    assert (model.index(0, 2).data(), model.decision_key(0)) == ("same e-mail", "create")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.SUMMARY, timeout=10_000)
    assert len(wizard.report.created) == 1 and not wizard.report.merged
    assert wizard.button(QWizard.WizardButton.FinishButton).isVisible()


def open_editor(window: MainWindow, contact_id: int | None) -> ContactEditor:
    window.show_section("contacts")
    view = window.view("contacts")
    assert isinstance(view, ContactsView)
    view.open_contact(contact_id)
    editor = view.editor
    assert isinstance(editor, ContactEditor)
    return editor


def test_editor_shows_and_keeps_dates_names_and_department(window: MainWindow) -> None:
    db = window.db
    cid, _c = contact_service.create_contact(
        db,
        ContactData(
            given_name="Marie",
            family_name="Curie",
            name_prefix="Dr",
            name_suffix="PhD",
            formatted_name="Maria Skłodowska-Curie",
            birthday="1867-11-07",
            anniversary="--07-26",
            affiliations=(AffiliationData("Institut du Radium", "Directrice", None, "Labo"),),
        ),
    )
    editor = open_editor(window, cid)
    assert editor.title.text() == "Maria Skłodowska-Curie"
    assert (editor.name_prefix.text(), editor.name_suffix.text()) == ("Dr", "PhD")
    assert editor.birthday.edit.text() == "07/11/1867"
    # The tests speak English, on a system with no region: en_GB's day first.
    assert editor.birthday.read_as.text() == "7 November 1867"
    assert editor.anniversary.edit.text() == "26/07"  # no year
    assert editor.affiliations.rows[0].department.text() == "Labo"
    assert editor.data() == contact_service.get_contact(db, cid).data  # nothing lost

    editor.birthday.edit.setText("12/04")
    editor.birthday.edit.textEdited.emit("12/04")
    editor.anniversary.edit.setText("le 3 mai")
    editor.anniversary.edit.textEdited.emit("le 3 mai")
    editor.validate(show=True)
    assert not editor.save_button.isEnabled()
    assert "not a date" in editor.anniversary.error.text()
    editor.anniversary.edit.setText("")
    editor.anniversary.edit.textEdited.emit("")
    editor.formatted_name.setText("")
    editor.formatted_name.textEdited.emit("")
    assert editor.title.text() == "Marie Curie"
    editor.save()
    saved = contact_service.get_contact(db, cid).data
    assert (saved.birthday, saved.anniversary, saved.formatted_name) == ("--04-12", "", "")


def test_a_contact_with_only_a_phone_shows_it(window: MainWindow) -> None:
    editor = open_editor(window, None)
    assert not editor.save_button.isEnabled()
    editor.phones.rows[0].edit.setText("06 12 34 56 78")
    editor.phones.rows[0].edit.textEdited.emit("06 12 34 56 78")
    assert editor.save_button.isEnabled()  # a phone number is enough to reach someone
    assert editor.title.text() == "06 12 34 56 78"
    editor.save()
    cid = window.undo_stack.command(window.undo_stack.count() - 1).contact_id
    assert contact_service.get_contact(window.db, cid).data.display_name == "+33 6 12 34 56 78"
    assert "?" not in window.undo_stack.undoText()


def test_birthdays_this_month_filter(window: MainWindow, qtbot, frozen_clock: dt.datetime) -> None:
    db = window.db
    month = frozen_clock.month
    ids = [
        contact_service.create_contact(
            db, ContactData(given_name="Fête", family_name=str(n), birthday=birthday)
        )[0]
        for n, birthday in enumerate((f"1990-{month:02d}-03", f"--{month:02d}-28"))
    ]
    window.show_section("contacts")
    view = window.view("contacts")
    assert isinstance(view, ContactsView)
    view.set_filters(birthday_month="this")
    qtbot.waitUntil(lambda: sorted(view.model.ids()) == sorted(ids))
    assert view.filter_bar.clear.isEnabled()
    assert view.filter_bar.birthday.currentText() == "Birthdays this month"
    view.filter_bar.reset()
    qtbot.waitUntil(lambda: len(view.model.ids()) > 2)
