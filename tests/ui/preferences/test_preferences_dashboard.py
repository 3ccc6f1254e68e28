"""Preferences, Dashboard page: the cadences per role, the in-person target, launch readiness,
attendance, pace and reminders are saved where the dashboard reads them; Restore defaults."""

from __future__ import annotations

from PySide6.QtWidgets import QSpinBox

from cmplanner.services import dashboard, preferences
from cmplanner.storage import Database
from ui.preferences.dialog import PreferencesDialog


def dialog_for(qtbot, db: Database) -> PreferencesDialog:
    dialog = PreferencesDialog(db=db)
    qtbot.addWidget(dialog)
    dialog.set_page("dashboard")
    return dialog


def test_the_page_shows_the_defaults(qtbot, empty_db: Database) -> None:
    dialog = dialog_for(qtbot, empty_db)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Dashboard"
    assert dialog.page() == "dashboard"
    numbers = {key: box.value() for key, box in dialog.dashboard_numbers.items()}
    assert numbers == {
        "dashboard.cadence.member": 120,
        "dashboard.cadence.ambassador": 30,
        "dashboard.cadence.sponsor": 90,
        "dashboard.cadence.core_team": 30,
        "dashboard.cadence.partner": 90,
        "dashboard.in_person_target": 30,
        "dashboard.min_ambassadors": 2,
        "dashboard.attendance_events": 10,
        "dashboard.default_pace_days": 14,
    }
    assert dialog.reminders_enabled.isChecked() and dialog.start_digest.isChecked()
    # Opening and closing with OK writes nothing that was not changed.
    dialog.accept()
    with empty_db.read() as con:
        stored = con.execute(
            "SELECT key FROM setting WHERE key LIKE 'dashboard.%' OR key LIKE 'reminders.%'"
        ).fetchall()
    assert stored == []


def test_values_are_saved_where_the_dashboard_reads_them(qtbot, empty_db: Database) -> None:
    dialog = dialog_for(qtbot, empty_db)
    dialog.findChild(QSpinBox, "cadence_ambassador").setValue(45)
    dialog.dashboard_numbers["dashboard.in_person_target"].setValue(25)
    dialog.dashboard_numbers["dashboard.min_ambassadors"].setValue(3)
    dialog.dashboard_numbers["dashboard.attendance_events"].setValue(6)
    dialog.dashboard_numbers["dashboard.default_pace_days"].setValue(21)
    dialog.reminders_enabled.setChecked(False)
    assert not dialog.start_digest.isEnabled()  # a digest without reminders means nothing
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted

    assert preferences.get(empty_db, "dashboard.cadence.ambassador") == "45"
    conf = dashboard.settings(empty_db)
    assert conf.cadence_by_role["ambassador"] == 45
    assert conf.cadence_by_role["member"] == 120
    assert conf.in_person_target == 0.25
    assert conf.min_ambassadors == 3
    assert conf.attendance_events == 6
    assert conf.default_pace_days == 21
    assert conf.reminders_enabled is False
    assert conf.start_digest is True

    again = dialog_for(qtbot, empty_db)
    assert again.dashboard_numbers["dashboard.cadence.ambassador"].value() == 45
    assert not again.reminders_enabled.isChecked()


def test_restore_defaults_puts_them_back_when_saved(qtbot, empty_db: Database) -> None:
    preferences.put(empty_db, "dashboard.cadence.sponsor", "200")
    preferences.put(empty_db, "dashboard.in_person_target", "55")
    preferences.put(empty_db, "reminders.start_digest", "0")
    dialog = dialog_for(qtbot, empty_db)
    assert dialog.dashboard_numbers["dashboard.cadence.sponsor"].value() == 200
    assert not dialog.start_digest.isChecked()
    dialog.dashboard_defaults.click()
    assert dialog.dashboard_numbers["dashboard.cadence.sponsor"].value() == 90
    assert dialog.dashboard_numbers["dashboard.in_person_target"].value() == 30
    assert dialog.start_digest.isChecked()
    assert preferences.get(empty_db, "dashboard.cadence.sponsor") == "200"  # not before OK
    dialog.reject()
    assert preferences.get(empty_db, "dashboard.cadence.sponsor") == "200"  # Cancel keeps it

    dialog = dialog_for(qtbot, empty_db)
    dialog.dashboard_defaults.click()
    dialog.accept()
    conf = dashboard.settings(empty_db)
    assert conf.cadence_by_role["sponsor"] == 90
    assert conf.in_person_target == 0.30
    assert conf.start_digest is True


def test_a_stored_value_that_is_not_a_number_shows_the_default(qtbot, empty_db: Database) -> None:
    preferences.put(empty_db, "dashboard.cadence.member", "often")
    preferences.put(empty_db, "dashboard.in_person_target", "250")
    dialog = dialog_for(qtbot, empty_db)
    assert dialog.dashboard_numbers["dashboard.cadence.member"].value() == 120
    assert dialog.dashboard_numbers["dashboard.in_person_target"].value() == 100  # at most
