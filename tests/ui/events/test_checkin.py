"""Check-in at the door, keyboard only: type, Enter, next."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cmplanner.model import Contact, Invitation
from cmplanner.services import browse, guest_sheets, guests
from cmplanner.storage import Database
from ui.events.checkin import CheckInDialog, GuestModel, open_checkin
from ui.kit import jobs as ui_tasks

WORKSHOP = 4  # "Atelier « premiers pas »": Benoît Garcia is invited, not yet checked in
APERO = 1  # "Apéro du jeudi": weekly on Thursdays, and the frozen today is a Thursday


def door(qtbot, db: Database, event_id: int = WORKSHOP) -> CheckInDialog:
    """The door; the workshop took place 18 days ago: its date is chosen, as the door asks."""
    dialog = open_checkin(event_id, db=db)
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    if dialog.date is None:
        choose_date(dialog, 1)
    return dialog


def choose_date(dialog: CheckInDialog, index: int) -> None:
    """Pick a date in the door's date box as a user does (activating it)."""
    dialog.date_box.setCurrentIndex(index)
    dialog.date_box.activated.emit(index)


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
        # A past date: present from its start, not now.
        arrival = session.get(Invitation, 36)
        assert arrival is not None and arrival.checked_in_at is not None
        assert dialog.date is not None and not dialog.date.today
        start = dialog.date.start.astimezone(dt.UTC).replace(tzinfo=None)
        assert arrival.checked_in_at.replace(tzinfo=None) == start
        assert benoit.last_seen.replace(tzinfo=None) >= start
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
    printed = guest_sheets.printed_guests(demo_db, WORKSHOP)
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


def test_a_walk_in_not_in_the_book_becomes_a_contact_only_through_new_person(
    qtbot, demo_db: Database
) -> None:
    dialog = door(qtbot, demo_db)
    invited = dialog.counts["invited"]
    qtbot.keyClick(dialog.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert dialog.walk_in_form.isVisible() and dialog.focusWidget() is dialog.walk_in_search
    qtbot.keyClicks(dialog.walk_in_search, "Zoe Nouvelle")  # QTest types ASCII only
    assert not dialog.match_list.isVisible()
    qtbot.keyClick(dialog.walk_in_search, Qt.Key.Key_Return)
    assert "New person" in dialog.feedback.text()
    assert not guests.check_in_by_text(demo_db, WORKSHOP, "zoe nouv")  # nothing created
    assert not dialog.new_person.isVisible()

    dialog.new_person_button.click()
    assert (dialog.given_name.text(), dialog.family_name.text()) == ("Zoe", "Nouvelle")
    qtbot.keyClick(dialog.family_name, Qt.Key.Key_Return)

    assert not dialog.walk_in_form.isVisible()
    assert dialog.counts["invited"] == invited + 1
    found = guests.check_in_by_text(demo_db, WORKSHOP, "zoe nouv")
    assert [(c.name, c.attended) for c in found] == [("Zoe Nouvelle", True)]
    with demo_db.session() as session:
        contact = session.get(Contact, found[0].contact_id)
        assert contact is not None and contact.last_seen is not None


def test_a_walk_in_already_in_the_book_is_checked_in_not_duplicated(
    qtbot, demo_db: Database
) -> None:
    """Typing a name offers the contact book's people (accents and case ignored); Enter on
    one invites them to this date and marks them present: no second contact."""
    stranger = next(
        c
        for c in browse.CONTACTS.ids(demo_db)
        if c not in {g.contact_id for g in guests.check_in_by_text(demo_db, WORKSHOP, "")}
    )
    with demo_db.session() as session:
        person = session.get(Contact, stranger)
        assert person is not None
        given, family = person.given_name, person.family_name
    contacts_before = len(browse.CONTACTS.ids(demo_db))
    dialog = door(qtbot, demo_db)
    dialog.show_walk_in()
    typed = _ascii(given).upper()[:4] + " " + _ascii(family).lower()[:3]
    qtbot.keyClicks(dialog.walk_in_search, typed)
    assert dialog.match_list.isVisible()
    names = [dialog.matches.index(r).data() for r in range(dialog.matches.rowCount())]
    row = next(r for r, text in enumerate(names) if text.startswith(f"{given} {family}"))
    for _step in range(row):
        qtbot.keyClick(dialog.walk_in_search, Qt.Key.Key_Down)
    assert dialog.current_match().contact_id == stranger
    qtbot.keyClick(dialog.walk_in_search, Qt.Key.Key_Return)

    assert not dialog.walk_in_form.isVisible()
    assert len(browse.CONTACTS.ids(demo_db)) == contacts_before  # nobody created
    here = [c for c in guests.check_in_by_text(demo_db, WORKSHOP, "") if c.contact_id == stranger]
    assert [c.attended for c in here] == [True]
    assert f"{given} {family}" in dialog.feedback.text()


def _ascii(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def test_escape_leaves_the_walk_in_form_then_the_door(qtbot, demo_db: Database) -> None:
    dialog = door(qtbot, demo_db)
    dialog.show_walk_in()
    qtbot.keyClick(dialog.walk_in_search, Qt.Key.Key_Escape)
    assert not dialog.walk_in_form.isVisible() and dialog.isVisible()
    qtbot.keyClick(dialog.search, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    # The window's close button closes the door even with the walk-in form open.
    other = door(qtbot, demo_db)
    other.show_walk_in()
    other.close()
    assert not other.isVisible()


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
            if not future.set_running_or_notify_cancel():
                continue  # cancelled while queued (a superseded search): a worker skips it
            try:
                future.set_result(fn(*args))
            except BaseException as exc:
                future.set_exception(exc)
            QApplication.processEvents()


CONCERT = 6  # "Concert de lancement": in January, nothing has taken place yet


def test_an_event_with_no_date_today_asks_which_date_before_recording(
    qtbot, demo_db: Database
) -> None:
    dialog = open_checkin(WORKSHOP, db=demo_db)
    qtbot.addWidget(dialog)
    assert dialog.date is None and dialog.occurrence is None
    assert dialog.date_box.isVisible() and dialog.date_box.currentText() == "Choose the date…"
    assert "has no date today" in dialog.date_note.text()
    assert "Which date" in dialog.date_note.text()
    assert not dialog.search.isEnabled() and dialog.model.rowCount() == 0
    dialog.check_in_current()  # Enter: nothing to record yet
    assert not any(c.attended for c in guests.check_in_by_text(demo_db, WORKSHOP, "beno"))

    choose_date(dialog, 1)
    assert dialog.date is not None and not dialog.date.today
    assert dialog.date_box.findText("Choose the date…") < 0
    assert "not today" in dialog.date_note.text() and dialog.search.isEnabled()
    qtbot.keyClicks(dialog.search, "beno")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert "Benoît Garcia was there on" in dialog.feedback.text()


def test_a_future_date_is_never_offered_nor_recorded(qtbot, demo_db: Database) -> None:
    next_week = dt.datetime(2026, 11, 26, 19)
    dialog = open_checkin(APERO, next_week, db=demo_db)
    qtbot.addWidget(dialog)
    assert dialog.date is None and dialog.door is not None
    assert "has not come yet" in dialog.date_note.text()
    offered = [dialog.date_box.itemData(i) for i in range(1, dialog.date_box.count())]
    assert offered and all(h.start.date() <= dt.date(2026, 11, 19) for h in offered)
    assert offered[0].today and offered[0].occurrence == dt.datetime(2026, 11, 19, 19)
    assert not dialog.search.isEnabled()

    concert = open_checkin(CONCERT, db=demo_db)
    qtbot.addWidget(concert)
    assert concert.date is None and concert.date_box.isHidden()
    assert "has not taken place yet: its first date is" in concert.date_note.text()
    assert not concert.search.isEnabled()
    concert.show_walk_in()
    assert not concert.walk_in_form.isVisible()
