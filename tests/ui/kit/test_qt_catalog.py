"""Qt's own dialogs speak the app's language, including the labels Qt's catalog lacks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox, QWidget

from cmplanner.i18n import set_language
from ui.kit.qt_catalog import QT_GAPS, install_qt_translations


@pytest.fixture
def qt_language(qapp: QApplication) -> Iterator[None]:
    yield
    set_language("en")
    install_qt_translations(qapp, "en")


def visible_texts(widget: QWidget) -> set[str]:
    texts = {label.text() for label in widget.findChildren(QLabel)}
    texts |= {button.text() for button in widget.findChildren(QWidget) if hasattr(button, "text")}
    return {t for t in texts if isinstance(t, str) and t}


def file_dialog() -> QFileDialog:
    dialog = QFileDialog()
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    return dialog


def test_the_file_dialog_is_french(qapp: QApplication, qt_language: None) -> None:
    set_language("fr")
    install_qt_translations(qapp, "fr")
    dialog = file_dialog()
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert "&Voir dans\u00a0:" in labels
    assert "Fichiers de &type\u00a0:" in labels
    assert "&Nom de fichier\u00a0:" in labels  # from Qt's own catalog
    assert not labels & {"&Look in:", "Files of &type:", "File &name:"}


def test_print_and_message_dialogs_have_no_english_left(
    qapp: QApplication, qt_language: None
) -> None:
    def texts() -> set[str]:
        box = QMessageBox()
        box.setStandardButtons(
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        printer = QPrinter()
        return (
            visible_texts(box) | visible_texts(QPrintDialog(printer)) | visible_texts(file_dialog())
        )

    english = texts()
    set_language("fr")
    install_qt_translations(qapp, "fr")
    french = texts()
    # Words that are the same in both languages, and paths or numbers.
    alike = {"OK", "Pages", "&Options >>", "Portrait", "Copies"}
    left = {t for t in english & french if any(c.isalpha() for c in t) and t not in alike}
    assert {t for t in left if "/" not in t} == set()


def test_switching_back_to_english_removes_the_translators(
    qapp: QApplication, qt_language: None
) -> None:
    install_qt_translations(qapp, "fr")
    install_qt_translations(qapp, "en")
    dialog = file_dialog()
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert "&Look in:" in labels


def test_every_gap_has_a_french_translation() -> None:
    from cmplanner.i18n import pgettext

    set_language("fr")
    try:
        assert all(pgettext(context, source) != source for context, source in QT_GAPS)
    finally:
        set_language("en")
