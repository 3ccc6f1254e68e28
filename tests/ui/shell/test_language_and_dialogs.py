"""Language, preferences and the restore dialog."""

from __future__ import annotations

import gettext
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from cmplanner import i18n
from cmplanner.paths import resources_dir
from cmplanner.storage.backup import create_backup, list_backups
from ui.kit import settings
from ui.preferences.dialog import PreferencesDialog
from ui.shell.backups import RestoreDialog
from ui.shell.main_window import MainWindow
from ui.shell.sections import SECTIONS

FRENCH_SIDEBAR = [
    "Tableau de bord",
    "Contacts",
    "Organisations",
    "Communautés",
    "Événements",
    "Calendrier",
    "Tâches",
]
CATALOG = resources_dir() / "locale" / "fr" / "LC_MESSAGES" / "cmplanner.mo"


class StandInCatalog(gettext.NullTranslations):
    """Until the French catalog is built: the sidebar's own words, in French."""

    def gettext(self, message: str) -> str:
        english = [label for _key, label, _view in SECTIONS]
        return dict(zip(english, FRENCH_SIDEBAR, strict=True)).get(message, message)


@pytest.fixture
def french(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if CATALOG.exists():
        i18n.set_language("fr")
    else:
        # Without the real catalog, a stand-in proves every label goes through _().
        monkeypatch.setattr(i18n, "_translation", StandInCatalog())
        monkeypatch.setattr(i18n, "_language", "fr")
    yield
    i18n.set_language("en")


def test_french_sidebar(qtbot, demo_db, frozen_clock, french) -> None:
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.backup_on_close = False
    labels = [win.sidebar.item(i).text() for i in range(win.sidebar.count())]
    assert labels == FRENCH_SIDEBAR
    win.show_section("events")
    assert win.page_title.text() == "Événements"
    assert win.commands["section:calendar"].text() == "C&alendrier"
    win.close()


def test_english_sidebar(qtbot, demo_db, frozen_clock) -> None:
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.backup_on_close = False
    labels = [win.sidebar.item(i).text() for i in range(win.sidebar.count())]
    assert labels == [
        "Dashboard",
        "Contacts",
        "Organizations",
        "Communities",
        "Events",
        "Calendar",
        "Tasks",
    ]
    win.close()


def test_preferences_save_the_language(qtbot) -> None:
    dialog = PreferencesDialog()
    qtbot.addWidget(dialog)
    assert dialog.language.currentData() == ""
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    assert dialog.changed_language()
    dialog.accept()
    assert settings.saved_language() == "fr"
    again = PreferencesDialog()
    qtbot.addWidget(again)
    assert again.language.currentData() == "fr"


def test_restore_dialog_lists_backups_and_asks_first(qtbot, demo_db, monkeypatch) -> None:
    create_backup(demo_db.path, "scheduled")
    create_backup(demo_db.path, "manual")
    dialog = RestoreDialog(list_backups(demo_db.path))
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 2
    chosen = dialog.chosen()
    assert chosen is not None and chosen == dialog.model.backups[0]  # newest first, preselected

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_restore_dialog_without_backups(qtbot, demo_db) -> None:
    dialog = RestoreDialog(list_backups(demo_db.path))
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0
    assert not dialog.table.isVisibleTo(dialog)  # an empty table over the intro
    assert not dialog.restore_button.isEnabled()
    assert (
        dialog.buttons.standardButton(dialog.restore_button)
        == QDialogButtonBox.StandardButton.NoButton
    )
