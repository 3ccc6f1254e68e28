"""The import wizard end to end on a small vCard file, and the export dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt

from cmplanner.services.browse import CONTACTS
from ui.contact_files import (
    DecisionsModel,
    ExportDialog,
    ImportWizard,
    PreviewModel,
    ProgressRelay,
    write_export,
)
from ui.main_window import MainWindow

FIXTURE = Path(__file__).parent / "fixtures" / "contacts.vcf"


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
    assert "birthday" in preview.model.index(1, 5).data()  # a per-row warning
    assert "5 entries read, 2 with warnings, 1 cannot be imported" in preview.summary.text()
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


def test_import_wizard_refuses_a_garbage_file(window: MainWindow, qtbot, tmp_path) -> None:
    garbage = tmp_path / "garbage.vcf"
    garbage.write_bytes(bytes(range(256)) * 4)
    wizard = ImportWizard(window.db, window)
    wizard.show()
    wizard.file_page.path.setText(str(garbage))
    wizard.next()
    qtbot.waitUntil(lambda: bool(wizard.file_page.error.text()))
    assert wizard.currentId() == ImportWizard.FILE
    wizard.close()


def test_progress_reaches_the_gui_thread_by_signal(qtbot) -> None:
    relay = ProgressRelay()
    with qtbot.waitSignal(relay.progressed) as blocker:
        relay(3, 10)
    assert blocker.args == [3, 10]


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
    assert write_export(db, None, tmp_path / "all.csv", "csv_bom") == len(ids)
    assert (tmp_path / "all.csv").read_bytes().startswith(b"\xef\xbb\xbf")
