"""French that reads as French: plurals that agree, typography, words a user knows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QKeySequence

from cmplanner.i18n import labelled, set_language
from cmplanner.services import closing
from ui.events.recurrence import RecurrenceEditor


@pytest.fixture
def french() -> Iterator[None]:
    set_language("fr")
    yield
    set_language("en")


def test_the_interval_row_agrees_with_one_week(qtbot, french: None) -> None:
    editor = RecurrenceEditor()
    qtbot.addWidget(editor)
    editor.set_rule("FREQ=WEEKLY;BYDAY=TH", dt.date(2027, 1, 21))
    assert editor.interval.value() == 1
    row = f"{editor.every_label.text()} {editor.interval.value()} {editor.interval_label.text()}"
    assert row == "Intervalle : 1 semaine"
    editor.interval.setValue(2)
    assert editor.interval_label.text() == "semaines"
    # The pattern list speaks of iCalendar, not of RRULE.
    names = [editor.pattern.itemText(i) for i in range(editor.pattern.count())]
    assert not any("RRULE" in name for name in names)


def _plan(expected: int) -> closing.ClosingPlan:
    guests = tuple(
        closing.ExpectedGuest(n, n, f"Guest {n}", "accepted", None) for n in range(expected)
    )
    start = dt.datetime(2026, 11, 19, 19, tzinfo=dt.UTC)
    return closing.ClosingPlan(1, "Apéro", False, None, start, False, False, guests, (), ())


def test_debrief_numbers_agree_in_french(french: None) -> None:
    text = closing.debrief_template(_plan(1), closing.CloseResult(1, 0, frozenset()))
    assert "Chiffres : 1 venu sur 1 attendu, 0 absent." in text
    text = closing.debrief_template(_plan(5), closing.CloseResult(3, 2, frozenset()))
    assert "Chiffres : 3 venus sur 5 attendus, 2 absents." in text


def test_label_and_text_follow_french_typography(french: None) -> None:
    assert labelled("ligne 20", "Non importé") == "ligne 20 : Non importé"
    set_language("en")
    assert labelled("line 20", "Not imported") == "line 20: Not imported"


def test_menus_name_the_enter_key_entree(qapp, window, french: None) -> None:
    """Qt's French calls Return "Retour": the Open actions show Enter ("Entrée") first."""
    from ui.kit.qt_catalog import install_qt_translations

    install_qt_translations(qapp, "fr")
    try:
        for key in ("contacts", "organizations", "communities", "events", "tasks"):
            action = window.view(key).open_action
            shown = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            assert shown == "Entrée", key
            keys = {k.toString() for k in action.shortcuts()}
            assert keys == {"Enter", "Return"}, key  # both keys still open
    finally:
        install_qt_translations(qapp, "en")
