"""The Invitations dialog: statuses, the preview, .eml files, sending to a real local SMTP
server with a result per guest, reminding those who have not answered, cancelling."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack

from cmplanner.interop.mail import smtp
from cmplanner.model import Event
from cmplanner.services import guests, sent_log
from cmplanner.storage import Database
from tests.interop import itip_world
from tests.interop.itip_world import World
from tests.interop.mail_server import PASSWORD, USER, MailServer, MemoryKeyring
from tests.interop.mail_server import mail_server as mail_server
from tests.interop.mail_server import memory_keyring as memory_keyring
from ui.events.invitations import InvitationsDialog


@pytest.fixture
def world(empty_db: Database, frozen_clock: dt.datetime) -> World:
    return itip_world.build(empty_db)


@pytest.fixture
def stack(qtbot) -> QUndoStack:
    return QUndoStack()


def open_dialog(qtbot, db: Database, event_id: int, stack: QUndoStack) -> InvitationsDialog:
    dialog = InvitationsDialog(db, event_id, stack.push)
    qtbot.addWidget(dialog)
    return dialog


def statuses(dialog: InvitationsDialog) -> dict[str, str]:
    model = dialog.model
    return {
        model.index(r, 0).data().split()[0]: model.index(r, 4).data()
        for r in range(model.rowCount())
    }


def select(dialog: InvitationsDialog, first_name: str) -> None:
    row = next(n for n, g in enumerate(dialog.model.lines) if g.name.startswith(first_name))
    dialog.table.setCurrentIndex(dialog.model.index(row, 0))


def answer(db: Database, event_id: int, contact_id: int, rsvp: str) -> None:
    row = next(r for r in guests.guest_rows(db, event_id) if r.contact_id == contact_id)
    guests.set_rsvp(db, row.invitation_id, rsvp)


def configure_smtp(db: Database, port: int) -> None:
    settings = smtp.SmtpSettings("127.0.0.1", port, "none", USER)
    smtp.save_settings(db, settings)
    smtp.store_password(settings, PASSWORD)


def test_statuses_follow_the_sent_log_and_the_answers(
    qtbot, empty_db: Database, world: World, stack: QUndoStack
) -> None:
    dialog = open_dialog(qtbot, empty_db, world.series, stack)
    assert dialog.heading.text() == "Apéro du jeudi"
    assert statuses(dialog) == {
        "Anaïs": "not sent",
        "Bob": "not sent",
        "Chloé": "not sent",
        "Dan": "no e-mail",
        "Ève": "not sent",
        "Fred": "not sent",
        "Zoé": "you (organizer)",
    }
    assert dialog.send_button.text() == "&Send to 5 guests"
    assert not dialog.resend_button.isEnabled()  # nobody was sent anything yet

    people = world.people
    sequence = stored_event(empty_db, world.series).sequence
    sent_log.record(
        empty_db,
        world.series,
        [
            sent_log.SentRecord(people[n], f"{n}@x", "REQUEST", sequence, "smtp")
            for n in ("Anaïs", "Bob", "Chloé")
        ]
        + [sent_log.SentRecord(people["Ève"], "eve@x", "REQUEST", sequence, "smtp", "550 no")],
    )
    answer(empty_db, world.series, people["Bob"], "accepted")
    dialog.refresh()
    found = statuses(dialog)
    assert found["Anaïs"] == "sent"
    assert found["Bob"] == "answered"
    assert found["Ève"] == "failed"
    assert dialog.send_button.text() == "&Send to 2 guests"  # Ève (failed) and Fred
    assert dialog.resend_button.isEnabled()  # Anaïs and Chloé have not answered
    row = next(n for n, g in enumerate(dialog.model.lines) if g.name.startswith("Ève"))
    tooltip = dialog.model.index(row, 4).data(0x03)  # ToolTipRole
    assert "550 no" in tooltip
    last_sent = dialog.model.index(0, 3).data()
    # iCalendar's SEQUENCE is not shown as a "version 0": the first sending is just its date.
    assert sequence == 0 and "version" not in last_sent and "(" not in last_sent
    assert "changed" not in dialog.summary.text()

    # A change of time raises the SEQUENCE: those who had it need an update.
    from cmplanner.model import EventCreate
    from cmplanner.services import event_records, events

    form = event_records.get_event_form(empty_db, world.series)
    events.update_event(
        empty_db,
        world.series,
        EventCreate.model_validate(
            form.data, update={"start_local": dt.datetime(2026, 12, 3, 19, 30)}
        ),
    )
    dialog.refresh()
    assert statuses(dialog)["Anaïs"] == "needs update"
    assert statuses(dialog)["Bob"] == "needs update"
    assert "changed once since the first invitation" in dialog.summary.text()


def test_preview_shows_the_mail_and_the_ics_of_the_selected_guest(
    qtbot, empty_db: Database, world: World, stack: QUndoStack
) -> None:
    dialog = open_dialog(qtbot, empty_db, world.series, stack)
    select(dialog, "Chloé")
    assert dialog.subject.text() == "Subject: Invitation: Apéro du jeudi"
    body = dialog.body.toPlainText()
    assert body.startswith("To: Chloé Dubois <chloe@example.org>")
    assert "When: Thursday, 3 December 2026, 19:00" in body  # no region said: en_GB
    ics = dialog.calendar.toPlainText()
    assert "METHOD:REQUEST" in ics
    # What the guest gets: not the objective, nor any of CM Planner's own properties.
    assert "Accueillir les nouveaux" not in body + ics and "X-CMPLANNER" not in ics
    assert "chloe@example.org" in ics and "anais@example.org" not in ics
    assert dialog.calendar.isReadOnly() and dialog.body.isReadOnly()
    select(dialog, "Dan")
    assert "no e-mail address" in dialog.subject.text()
    assert dialog.calendar.toPlainText() == ""


def test_without_identity_nothing_can_be_sent_and_preferences_are_offered(
    qtbot, empty_db: Database, frozen_clock: dt.datetime, stack: QUndoStack, monkeypatch
) -> None:
    world = itip_world.build(empty_db, with_identity=False)
    dialog = open_dialog(qtbot, empty_db, world.series, stack)
    assert dialog.problem.isVisibleTo(dialog)
    assert "Preferences (Identity)" in dialog.problem_text.text()
    assert not dialog.send_button.isEnabled()
    assert not dialog.save_button.isEnabled()
    opened = []

    def fake_open(parent, db, page=""):
        opened.append(page)
        itip_world.identity(db)
        return True

    monkeypatch.setattr("ui.events.invitations.open_preferences", fake_open)
    dialog.problem_button.click()
    assert opened == ["identity"]
    assert not dialog.problem.isVisibleTo(dialog)
    assert dialog.send_button.isEnabled()


def test_save_as_eml_files(qtbot, empty_db: Database, world: World, stack, tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, empty_db, world.single, stack)
    folder = tmp_path / "out"
    dialog.save_eml(folder)
    files = sorted(p.name for p in folder.glob("*.eml"))
    assert len(files) == 4  # four invited (the fifth waits), all with an e-mail
    message = email.message_from_bytes(
        next(folder.glob("*anais*.eml")).read_bytes(), policy=email.policy.default
    )
    assert message["To"].addresses[0].addr_spec == "anais@example.org"
    assert dialog.results_model.rowCount() == 4
    assert all(line.path is not None and not line.error for line in dialog.results_model.lines)
    assert "4 files written" in dialog.result_text.text()
    found = statuses(dialog)
    assert found["Anaïs"] == "sent"
    assert "waiting list" in found.values()


def test_send_to_a_local_server_with_a_result_per_guest(
    qtbot,
    empty_db: Database,
    world: World,
    stack: QUndoStack,
    mail_server: MailServer,
    memory_keyring: MemoryKeyring,
) -> None:
    configure_smtp(empty_db, mail_server.port)
    dialog = open_dialog(qtbot, empty_db, world.series, stack)
    dialog.send()
    assert sorted(mail_server.collector.recipients()) == [
        "anais@example.org",
        "chloe@example.org",
        "eve@journal.example",
        "fred@example.org",
    ]
    results = {line.email: line.error for line in dialog.results_model.lines}
    assert "550" in results["bob@example.org"]
    assert all(not results[a] for a in results if a != "bob@example.org")
    row = [line.email for line in dialog.results_model.lines].index("bob@example.org")
    assert dialog.results_model.index(row, 2).data().startswith("Failed: ")
    red = dialog.results_model.index(row, 2).data(0x09)  # ForegroundRole
    assert red.color().name() == "#b42318"
    assert dialog.result_text.text() == "4 messages sent · 1 failed"
    found = statuses(dialog)
    assert found["Bob"] == "failed" and found["Anaïs"] == "sent"
    assert dialog.send_button.text() == "&Send to 1 guest"  # Bob only

    # Remind those who have not answered: Anaïs answered meanwhile, so not her.
    answer(empty_db, world.series, world.people["Anaïs"], "accepted")
    dialog.refresh()
    mail_server.collector.messages.clear()
    dialog.resend()
    assert sorted(mail_server.collector.recipients()) == [
        "chloe@example.org",
        "eve@journal.example",
        "fred@example.org",
    ]


def test_sending_without_smtp_settings_offers_preferences(
    qtbot, empty_db: Database, world: World, stack: QUndoStack, monkeypatch
) -> None:
    asked = []
    monkeypatch.setattr(
        "ui.events.invitations.ask_preferences",
        lambda parent, db, page, text: asked.append((page, text)) or False,
    )
    dialog = open_dialog(qtbot, empty_db, world.series, stack)
    dialog.send()
    assert asked and asked[0][0] == "smtp" and "No SMTP server" in asked[0][1]
    assert not dialog.results_box.isVisibleTo(dialog)
    assert sent_log.history(empty_db, world.series) == []


def test_cancel_the_event_sends_cancel_and_undo_puts_it_back(
    qtbot,
    empty_db: Database,
    world: World,
    stack: QUndoStack,
    mail_server: MailServer,
    memory_keyring: MemoryKeyring,
) -> None:
    configure_smtp(empty_db, mail_server.port)
    dialog = open_dialog(qtbot, empty_db, world.single, stack)
    before = stored_event(empty_db, world.single)
    dialog.cancel_event((None, True))
    after = stored_event(empty_db, world.single)
    assert after.status == "cancelled" and after.sequence > before.sequence
    assert len(mail_server.collector.messages) == 3  # the fourth, Bob, the server refuses
    assert [line.email for line in dialog.results_model.lines if line.error] == ["bob@example.org"]
    data = mail_server.collector.messages[0][2]
    assert b"method=CANCEL" in data or b'method="CANCEL"' in data
    assert "Cancelled" in str(
        email.message_from_bytes(data, policy=email.policy.default)["Subject"]
    )
    assert "cancellation sent" in statuses(dialog).values()
    assert "the event is cancelled" in dialog.summary.text()
    stack.undo()
    assert stored_event(empty_db, world.single).status == before.status
    dialog.refresh()
    assert statuses(dialog)["Anaïs"] == "needs update"  # their calendar says cancelled


def test_cancel_one_date_of_a_series(
    qtbot, empty_db: Database, world: World, stack: QUndoStack, tmp_path: Path, monkeypatch
) -> None:
    dialog = open_dialog(qtbot, empty_db, world.series, stack)
    assert dialog.cancel_button.text() == "Cancel the event / a date…"
    folder = tmp_path / "cancel"
    monkeypatch.setattr("ui.kit.file_dialogs.existing_directory", lambda *a, **k: str(folder))
    dialog.cancel_event((dt.date(2026, 12, 17), False))
    written = list(folder.glob("*.eml"))
    assert len(written) == 5
    text = written[0].read_bytes()
    assert "Cancelled: Apéro du jeudi" in str(
        email.message_from_bytes(text, policy=email.policy.default)["Subject"]
    )
    assert stored_event(empty_db, world.series).status != "cancelled"
    from cmplanner.services.occurrences import exception_snapshot

    occurrence = dt.datetime(2026, 12, 17, 19, 0)
    assert exception_snapshot(empty_db, world.series, occurrence).cancelled
    stack.undo()
    assert exception_snapshot(empty_db, world.series, occurrence) is None


def stored_event(db: Database, event_id: int) -> Event:
    with db.session() as session:
        row = session.get(Event, event_id)
        assert row is not None
        session.expunge(row)
        return row


def test_the_events_view_opens_it_with_ctrl_i(qtbot, window, monkeypatch) -> None:
    itip_world.identity(window.db)
    window.show_section("events")
    view = window.view("events")
    qtbot.waitUntil(lambda: view.model.rowCount() > 0)
    view.table.selectRow(0)
    view.table.setFocus()
    assert window.commands["import_contacts"].shortcut().toString() == ""
    assert view.invitations_action.shortcut().toString() == "Ctrl+I"
    assert view.invitations_action in view.actions()
    # Triggered as Ctrl+I would (a key click would leave Ctrl held for later tests).
    view.invitations_action.trigger()
    dialog = view.invitations_dialog
    assert isinstance(dialog, InvitationsDialog)
    assert dialog.event_id == view.selected_ids()[0]
    dialog.close()
    window.show_section("contacts")
    assert window.commands["import_contacts"].shortcut().toString() == "Ctrl+I"


def test_the_guests_tab_opens_it(qtbot, empty_db: Database, world: World, stack) -> None:
    from ui.events.guests import GuestsPanel

    panel = GuestsPanel(empty_db, world.single, stack.push)
    qtbot.addWidget(panel)
    assert not panel.mail_button.isHidden()
    panel.mail_button.click()
    assert isinstance(panel.invitations, InvitationsDialog)
    assert panel.invitations.event_id == world.single
    panel.invitations.close()
    draft = GuestsPanel(empty_db, None, stack.push)
    qtbot.addWidget(draft)
    assert draft.mail_button.isHidden()  # a new event has nobody to write to yet
