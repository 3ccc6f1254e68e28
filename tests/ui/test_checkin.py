"""Check-in at the door, keyboard only: type, Enter, next."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cmplanner.model import Contact, Invitation
from cmplanner.services import guests
from cmplanner.storage import Database
from ui import tasks as ui_tasks
from ui.checkin import CheckInDialog, GuestModel, open_checkin

WORKSHOP = 4  # "Atelier « premiers pas »": Benoît Garcia is invited, not yet checked in
APERO = 1  # "Apéro du jeudi": weekly on Thursdays, and the frozen today is a Thursday


def door(qtbot, db: Database, event_id: int = WORKSHOP) -> CheckInDialog:
    dialog = open_checkin(event_id, db=db)
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    return dialog


def names(dialog: CheckInDialog) -> list[str]:
    return [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())]


def test_typing_a_prefix_and_enter_checks_the_person_in(
    qtbot, demo_db: Database, frozen_clock: dt.datetime
) -> None:
    dialog = door(qtbot, demo_db)
    everyone = len(names(dialog))
    assert everyone == dialog.counts["invited"] > 1
    present_before = dialog.counts["attended"]

    qtbot.keyClicks(dialog.search, "beno")
    assert names(dialog) == ["Benoît Garcia"]  # accents ignored
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)

    assert dialog.search.text() == ""  # ready for the next person
    assert len(names(dialog)) == everyone
    assert dialog.counts["attended"] == present_before + 1
    assert "Benoît Garcia" in dialog.feedback.text()
    with demo_db.session() as session:
        benoit = session.get(Contact, 32)
        assert benoit is not None and benoit.last_seen is not None
        assert benoit.last_seen.date() == frozen_clock.date()
    row = names(dialog).index("Benoît Garcia")
    assert "✓" in dialog.model.index(row, 2).data()
    assert dialog.model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_typing_the_code_from_the_sign_in_sheet_checks_that_guest_in(
    qtbot, demo_db: Database
) -> None:
    """Ticks on the paper sheet typed back in: the code, Enter, the next code."""
    absent = {
        c.contact_id for c in guests.check_in_by_text(demo_db, WORKSHOP, "") if not c.attended
    }
    printed = guests.printed_guests(demo_db, WORKSHOP)
    chosen = [g for g in printed if g.name != "Benoît Garcia" and g.contact_id in absent][-2:]
    assert len(chosen) == 2
    dialog = door(qtbot, demo_db)
    assert "code" in dialog.search.placeholderText()
    present_before = dialog.counts["attended"]
    for guest in chosen:
        qtbot.keyClicks(dialog.search, guest.code.lower())
        assert names(dialog) == [guest.name]
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
        assert guest.name in dialog.feedback.text()
        assert dialog.search.text() == ""
    assert dialog.counts["attended"] == present_before + 2
    present = {c.name for c in guests.check_in_by_text(demo_db, WORKSHOP, "") if c.attended}
    assert {g.name for g in chosen} <= present
    assert "Benoît Garcia" not in present


def test_up_and_down_choose_who_enter_checks_in(qtbot, demo_db: Database) -> None:
    before = {c.name for c in guests.check_in_by_text(demo_db, WORKSHOP, "") if c.attended}
    dialog = door(qtbot, demo_db)
    first, second = names(dialog)[:2]
    assert dialog.current_guest() is not None and dialog.current_guest().name == first
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    assert dialog.current_guest().name == second
    qtbot.keyClick(dialog.search, Qt.Key.Key_Up)
    qtbot.keyClick(dialog.search, Qt.Key.Key_Up)  # stays on the first
    assert dialog.current_guest().name == first
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.search, Qt.Key.Key_Enter)
    after = {c.name for c in guests.check_in_by_text(demo_db, WORKSHOP, "") if c.attended}
    assert after - before == {second} or second in before


def test_someone_already_present_is_shown_and_not_checked_in_twice(
    qtbot, demo_db: Database
) -> None:
    dialog = door(qtbot, demo_db)
    qtbot.keyClicks(dialog.search, "beno")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    with demo_db.session() as session:
        first = session.get(Invitation, 36)
        assert first is not None
        arrived = first.checked_in_at
    qtbot.keyClicks(dialog.search, "beno")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert "has been here since" in dialog.feedback.text()
    with demo_db.session() as session:
        again = session.get(Invitation, 36)
        assert again is not None and again.checked_in_at == arrived


def test_a_walk_in_becomes_a_contact_checked_in(qtbot, demo_db: Database) -> None:
    dialog = door(qtbot, demo_db)
    invited = dialog.counts["invited"]
    qtbot.keyClick(dialog.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert dialog.walk_in_form.isVisible()
    qtbot.keyClicks(dialog.given_name, "Zoe")  # QTest types ASCII only
    dialog.family_name.setFocus()
    qtbot.keyClicks(dialog.family_name, "Nouvelle")
    qtbot.keyClick(dialog.family_name, Qt.Key.Key_Return)

    assert not dialog.walk_in_form.isVisible()
    assert dialog.counts["invited"] == invited + 1
    found = guests.check_in_by_text(demo_db, WORKSHOP, "zoe nouv")
    assert [(c.name, c.attended) for c in found] == [("Zoe Nouvelle", True)]
    with demo_db.session() as session:
        contact = session.get(Contact, found[0].contact_id)
        assert contact is not None and contact.last_seen is not None


def test_escape_leaves_the_walk_in_form_then_the_door(qtbot, demo_db: Database) -> None:
    dialog = door(qtbot, demo_db)
    dialog.show_walk_in()
    qtbot.keyClick(dialog.given_name, Qt.Key.Key_Escape)
    assert not dialog.walk_in_form.isVisible() and dialog.isVisible()
    qtbot.keyClick(dialog.search, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_series_is_checked_in_on_todays_occurrence(
    qtbot, demo_db: Database, frozen_clock: dt.datetime
) -> None:
    dialog = door(qtbot, demo_db, APERO)
    assert dialog.door is not None and dialog.occurrence is not None
    assert dialog.occurrence.date() == frozen_clock.date()
    guest = dialog.current_guest()
    assert guest is not None and not guest.attended
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    today = guests.check_in_by_text(demo_db, APERO, guest.name, dialog.occurrence)
    assert any(c.attended for c in today if c.contact_id == guest.contact_id)
    shared = guests.check_in_by_text(demo_db, APERO, guest.name)  # the series' own list
    assert not any(c.attended for c in shared if c.contact_id == guest.contact_id)


def test_guest_model_passes_the_qt_model_tester(qtmodeltester, demo_db: Database) -> None:
    model = GuestModel()
    model.set_candidates(guests.check_in_by_text(demo_db, WORKSHOP, ""))
    qtmodeltester.check(model, force_py=True)
    model.set_candidates([])
    qtmodeltester.check(model, force_py=True)


def test_enter_before_the_list_arrives_waits_for_it(qtbot, demo_db: Database) -> None:
    """At the door people type fast: Enter must not check in whoever was first before."""
    dialog = door(qtbot, demo_db)
    first = names(dialog)[0]
    before = {c.name for c in guests.check_in_by_text(demo_db, WORKSHOP, "") if c.attended}
    ui_tasks.set_executor(HeldExecutor())
    try:
        qtbot.keyClicks(dialog.search, "beno")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
        assert names(dialog)[0] == first  # the old list is still on screen
        assert not any(c.attended for c in guests.check_in_by_text(demo_db, WORKSHOP, "beno"))
    finally:
        held = ui_tasks.runner().executor
        ui_tasks.set_executor(ui_tasks.SynchronousExecutor())
    assert isinstance(held, HeldExecutor)
    held.release()
    assert [c.attended for c in guests.check_in_by_text(demo_db, WORKSHOP, "beno")] == [True]
    after = {c.name for c in guests.check_in_by_text(demo_db, WORKSHOP, "") if c.attended}
    assert after - before == {"Benoît Garcia"}


class HeldExecutor(Executor):
    """Holds the jobs until released, like a busy database worker."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self.jobs.append((future, fn, args))
        return future

    def release(self) -> None:
        while self.jobs:
            future, fn, args = self.jobs.pop(0)
            try:
                future.set_result(fn(*args))
            except BaseException as exc:
                future.set_exception(exc)
            QApplication.processEvents()
