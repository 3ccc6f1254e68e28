"""The import wizard end to end on a small vCard file and on a CSV mapped column by column,
and the export dialog."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QThread
from PySide6.QtWidgets import QApplication, QComboBox, QWizard

from cmplanner.interop.contacts.csv_files import FIELDS
from cmplanner.services.browse import CONTACTS
from cmplanner.services.contacts import get_contact
from ui.contacts.files import (
    DecisionsModel,
    ExportDialog,
    ImportWizard,
    PreviewModel,
    write_export,
)
from ui.contacts.import_columns import FIELD_LABELS, ColumnsModel
from ui.kit import jobs as tasks
from ui.shell.main_window import MainWindow

FIXTURE = Path(__file__).parents[1] / "fixtures" / "contacts.vcf"


def names(db) -> set[str]:  # type: ignore[no-untyped-def]
    rows = CONTACTS.rows(db, CONTACTS.ids(db))
    return {f"{r[0]} {r[1]}".strip() for r in rows.values()}


def test_import_wizard_end_to_end(window: MainWindow, qtbot, qtmodeltester) -> None:
    db = window.db
    before = len(CONTACTS.ids(db))
    window.commands["import_contacts"].trigger()
    wizard = window.import_wizard
    assert isinstance(wizard, ImportWizard)
    assert window.commands["import_contacts"].shortcut().toString() == "Ctrl+I"
    assert not wizard.file_page.isComplete()

    wizard.file_page.path.setText(str(FIXTURE))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.PREVIEW)
    preview = wizard.preview_page
    qtmodeltester.check(preview.model, force_py=True)
    assert preview.model.rowCount() == 5
    assert preview.model.index(0, 1).data() == "Élodie Fauré"
    assert "kept in the notes" in preview.model.index(3, 5).data()  # a per-row warning
    assert not preview.model.index(1, 5).data()  # the birthday is imported, not warned about
    assert "5 entries read, 1 with a warning, 1 cannot be imported" in preview.summary.text()
    # An unreadable card refuses the file unless the user chooses to skip it.
    assert not preview.isComplete()
    preview.skip_invalid.setChecked(True)
    assert preview.isComplete()

    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.DUPLICATES)
    decisions = wizard.duplicates_page.model
    qtmodeltester.check(decisions, force_py=True)
    assert decisions.rowCount() == 1  # Adrien André, same e-mail as the book's
    assert decisions.index(0, 2).data() == "same e-mail"
    assert decisions.decision_key(0) == "merge"
    assert decisions.setData(decisions.index(0, 3), "skip")
    assert not decisions.setData(decisions.index(0, 3), "explode")

    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.SUMMARY, timeout=10_000)
    report = wizard.report
    assert len(report.created) == 3 and not report.merged
    assert len(report.skipped) == 2  # the unreadable card and the one skipped by choice
    assert "Imported 3 contacts" in wizard.summary_page.text.text()
    assert report.backup is not None and report.backup.exists()
    assert len(CONTACTS.ids(db)) == before + 3
    assert {"Élodie Fauré", "Ngozi Okafor", "Bob Broken"} <= names(db)
    window.show_section("contacts")
    contacts = window.view("contacts")
    qtbot.waitUntil(lambda: contacts.row_count() == before + 3)


def test_import_wizard_refuses_a_garbage_file(
    window: MainWindow, qtbot, tmp_path, unsaved_answers
) -> None:
    garbage = tmp_path / "garbage.vcf"
    garbage.write_bytes(bytes(range(256)) * 4)
    wizard = ImportWizard(window.db, window)
    wizard.show()
    wizard.file_page.path.setText(str(garbage))
    wizard.next()
    qtbot.waitUntil(lambda: bool(wizard.file_page.error.text()))
    assert wizard.currentId() == ImportWizard.FILE
    unsaved_answers.plan("discard")  # a file was chosen: closing asks
    wizard.close()
    assert not wizard.isVisible()


def test_progress_reaches_the_gui_thread_by_signal(qtbot) -> None:
    seen: list[tuple[tuple[int, ...], object]] = []
    with ThreadPoolExecutor(max_workers=1) as worker:
        tasks.set_executor(worker)
        try:
            tasks.run_in_background(
                lambda progress: progress(3, 10),
                on_progress=lambda *args: seen.append((args, QThread.currentThread())),
            )
            qtbot.waitUntil(lambda: bool(seen))
        finally:
            tasks.set_executor(tasks.SynchronousExecutor())
    assert seen == [((3, 10), QApplication.instance().thread())]


def test_wizard_models_when_empty(qtmodeltester) -> None:
    qtmodeltester.check(PreviewModel(), force_py=True)
    model = DecisionsModel()
    model.set_plans([])
    qtmodeltester.check(model, force_py=True)
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags


def test_export_dialog_and_writer(window: MainWindow, tmp_path: Path, qtbot) -> None:
    db = window.db
    ids = CONTACTS.ids(db)
    dialog = ExportDialog(len(ids), ids[:5], ids[:2])
    qtbot.addWidget(dialog)
    assert dialog.ids() == ids[:2]  # a selection is the natural choice
    dialog.only_shown.setChecked(True)
    assert dialog.ids() == ids[:5]
    dialog.all.setChecked(True)
    assert dialog.ids() is None
    assert write_export(db, ids[:2], tmp_path / "two.vcf", "vcard4") == 2
    assert (tmp_path / "two.vcf").read_text(encoding="utf-8").count("BEGIN:VCARD") == 2
    assert write_export(db, None, tmp_path / "all.csv", "csv") == len(ids)
    assert (tmp_path / "all.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # for a spreadsheet
    # The dialog offers each CSV dialect; each writes its program's own headers.
    for key, first_header in (
        ("csv_google", b"Name Prefix,First Name,Last Name,Name Suffix,Nickname,Birthday"),
        ("csv_outlook", b"\xef\xbb\xbfTitle,First Name,Last Name,Suffix,Nickname,Company"),
    ):
        assert dialog.format.findData(key) >= 0
        assert write_export(db, None, tmp_path / f"{key}.csv", key) == len(ids)
        assert (tmp_path / f"{key}.csv").read_bytes().startswith(first_header)
    # Organizations: offered for a vCard (ticked), not for a CSV.
    assert dialog.with_organizations() and dialog.organizations.isEnabled()
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    assert not dialog.organizations.isEnabled() and not dialog.with_organizations()
    dialog.format.setCurrentIndex(dialog.format.findData("vcard3"))
    assert dialog.with_organizations()
    assert write_export(db, None, tmp_path / "book.vcf", "vcard4", True) == len(ids)
    with db.read() as con:
        (organizations,) = con.execute("SELECT count(*) FROM organization").fetchone()
    assert (tmp_path / "book.vcf").read_text(encoding="utf-8").count("KIND:org") == organizations


# --- a CSV of no known program: the column-mapping step ---------------------------------------

GENERIC = Path(__file__).parents[1] / "fixtures" / "association_members.csv"
GOOGLE = Path(__file__).parents[2] / "interop" / "fixtures" / "google_current.csv"


def open_wizard(window: MainWindow, qtbot, path: Path, fmt: str = "auto") -> ImportWizard:  # type: ignore[no-untyped-def]
    wizard = ImportWizard(window.db, window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(path))
    wizard.file_page.format.setCurrentIndex(wizard.file_page.format.findData(fmt))
    wizard.next()
    return wizard


def choose(wizard: ImportWizard, row: int, field: str) -> None:
    """Pick a field in a row's combo box, as the user does."""
    page = wizard.columns_page
    combo = page.table.indexWidget(page.model.index(row, ColumnsModel.FIELD))
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(field))
    combo.activated.emit(combo.currentIndex())


def test_generic_csv_is_mapped_column_by_column(window: MainWindow, qtbot, qtmodeltester) -> None:
    db = window.db
    before = set(CONTACTS.ids(db))
    wizard = open_wizard(window, qtbot, GENERIC)
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.COLUMNS)
    page = wizard.columns_page
    model = page.model
    qtmodeltester.check(model, force_py=True)
    # One row per column, with its title, its first values and the guessed field.
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        "Nom complet",
        "Courriel",
        "Portable",
        "Association",
        "Ville",
    ]
    assert model.index(0, 1).data() == "Hélène Garçon  ·  Jérôme Lefèvre  ·  Zoé Ménard"
    assert model.index(1, 1).data() == "helene.garcon@exemple.fr  ·  jerome.lefevre@exemple.fr"
    assert [model.index(r, 2).data() for r in range(5)] == [
        "Full name",
        "E-mail",
        "Phone",
        "Organization",
        "City",
    ]
    combo = page.table.indexWidget(model.index(3, ColumnsModel.FIELD))
    assert isinstance(combo, QComboBox) and combo.currentText() == "Organization"
    assert page.isComplete() and not page.message.text()

    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.PREVIEW)
    preview = wizard.preview_page.model
    assert preview.index(0, 1).data() == "Hélène Garçon"
    assert preview.index(0, 4).data() == "Les Amis du Vélo"

    # The associations are better as tags: back, change the column, the preview follows.
    wizard.back()
    assert wizard.currentId() == ImportWizard.COLUMNS
    choose(wizard, 3, "tags")
    assert model.mapping()[3] == "tags"
    assert model.index(3, 2).data() == "Tags"
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.PREVIEW)
    assert wizard.parsed.mapping[3] == "tags"
    assert [preview.index(r, 4).data() for r in range(3)] == ["", "", ""]

    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.SUMMARY, timeout=10_000)
    created = sorted(set(CONTACTS.ids(db)) - before)
    assert len(created) == 3 == len(wizard.report.created)
    cards = {c.data.display_name: c.data for c in (get_contact(db, i) for i in created)}
    helene = cards["Hélène Garçon"]
    assert [e.value for e in helene.emails] == ["helene.garcon@exemple.fr"]
    assert [p.value for p in helene.phones] == ["+33 6 11 22 33 44"]
    assert [a.city for a in helene.addresses] == ["Saint-Étienne"]
    assert helene.tags == ("Les Amis du Vélo",) and not helene.affiliations
    assert cards["Zoé Ménard"].addresses[0].city == "Orléans"
    assert cards["Jérôme Lefèvre"].tags == ("Café Associatif",)


def test_a_mapping_without_name_or_email_cannot_go_on(window: MainWindow, qtbot) -> None:
    wizard = open_wizard(window, qtbot, GENERIC)
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.COLUMNS)
    page = wizard.columns_page
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    choose(wizard, 0, "ignore")
    assert page.isComplete()  # the e-mail still tells them apart
    choose(wizard, 1, "notes")
    assert not page.isComplete()
    assert not next_button.isEnabled()
    assert "No column is imported as a name or an e-mail" in page.message.text()
    choose(wizard, 0, "given_name")
    assert page.isComplete() and next_button.isEnabled()
    assert not page.message.text()


def test_google_csv_skips_the_columns_page(window: MainWindow, qtbot) -> None:
    wizard = open_wizard(window, qtbot, GOOGLE)
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.PREVIEW)
    assert wizard.parsed.format == "google" and wizard.sample is None
    assert ImportWizard.COLUMNS not in wizard.visitedIds()


def test_other_csv_with_unknown_titles_is_mapped_by_hand(
    window: MainWindow, qtbot, tmp_path: Path
) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("A;B;C\nÉmile Zola;emile@exemple.fr;Médan\n", encoding="utf-8")
    # Detected automatically, it is refused with a hint ...
    wizard = open_wizard(window, qtbot, odd)
    qtbot.waitUntil(lambda: bool(wizard.file_page.error.text()))
    assert "Other CSV" in wizard.file_page.error.text()
    assert wizard.currentId() == ImportWizard.FILE
    # ... chosen as "Other CSV", its columns are shown, all ignored, to be mapped by hand.
    wizard = open_wizard(window, qtbot, odd, "csv")
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.COLUMNS)
    page = wizard.columns_page
    assert page.model.mapping() == {0: "ignore", 1: "ignore", 2: "ignore"}
    assert not page.isComplete()
    choose(wizard, 0, "full_name")
    choose(wizard, 1, "email")
    choose(wizard, 2, "city")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.PREVIEW)
    assert wizard.preview_page.model.index(0, 2).data() == "emile@exemple.fr"


def test_columns_model_when_empty_and_fields(qtmodeltester) -> None:
    model = ColumnsModel()
    qtmodeltester.check(model, force_py=True)
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags
    assert not model.setData(QModelIndex(), "email")
    # Every field the core maps to can be chosen, each with a label.
    assert set(FIELD_LABELS) == set(FIELDS)
