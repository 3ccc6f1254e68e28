"""What guests receive holds only what guests should see. The CM's internal fields — the
objective, the capacity, the planning status, the venue's access notes, the budget, the
X-CMPLANNER-* properties that carry them — never reach a REQUEST or a CANCEL, nor the .eml
around it, whether written (--out), sent (--send), for an update or a cancellation. The
calendar the CM publishes to colleagues (`events export`) keeps them.

Each message is opened as a guest's program would: the e-mail parsed, its text/calendar part
and its attachment read with icalendar and recurring-ical-events, and Radicale's own check."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from cmplanner.cli.main import main
from cmplanner.model import VenueCreate
from cmplanner.services import event_records, events
from cmplanner.services.event_extras import BudgetLineData, EventExtras, replace_extras
from cmplanner.storage import Database
from tests.interop import itip_world, mail_server
from tests.interop.itip_world import World
from tests.interop.mail_server import MailServer, MemoryKeyring
from tests.interop.radicale_server import assert_radicale_accepts

memory_keyring = mail_server.memory_keyring
smtp_server = mail_server.mail_server

OBJECTIVE = "Accueillir les nouveaux"  # itip_world's
ACCESS = "Code du portail 4521B, clé sous le paillasson"
BUDGET = "Pizzas pour le bureau"
SECRETS = (OBJECTIVE, ACCESS, BUDGET, "X-CMPLANNER", "4521B")


@pytest.fixture
def book(
    tmp_path: Path, frozen_clock: dt.datetime, new_database: Callable[[Path], Path]
) -> Iterator[tuple[list[str], World]]:
    path = new_database(tmp_path / "book.cmplanner")
    with Database.open(path) as db:
        world = itip_world.build(db)
        venue, _changes = event_records.create_venue(
            db,
            VenueCreate(
                name="La Cordée",
                street="3 rue de la Part-Dieu",
                postal_code="69003",
                city="Lyon",
                access_notes=ACCESS,
                capacity=40,
            ),
        )
        form = event_records.get_event_form(db, world.series).data
        assert form.objective == OBJECTIVE
        changes = {"description": "Venez comme vous êtes.", "capacity": 25}
        changes |= {"status": "confirmed", "venue_id": venue}
        events.update_event(db, world.series, form.model_copy(update=changes))
        replace_extras(db, world.series, EventExtras(budget=(BudgetLineData(BUDGET, 4500),)))
    yield ["--db", str(path)], world


def _messages(folder: Path) -> list[EmailMessage]:
    found = []
    for path in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        found.append(message)
    assert found
    return found


def _check_private(message: EmailMessage, tmp_path: Path) -> icalendar.Calendar:
    """Nothing internal in any part; the calendar (inline and attached, the same) valid."""
    texts = []
    calendars = []
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        texts.append(payload.decode("utf-8"))
        if part.get_content_type() in ("text/calendar", "application/ics"):
            calendars.append(payload)
    everything = "\n".join([*texts, message.as_string()])
    for secret in SECRETS:
        assert secret not in everything, secret
    assert len(calendars) == 2 and calendars[0] == calendars[1]
    calendar = icalendar.Calendar.from_ical(calendars[0])
    for component in calendar.walk():
        assert not [name for name in component if name.upper().startswith("X-CMPLANNER")]
    # Still what a guest needs: where, and the description.
    vevent = calendar.walk("VEVENT")[0]
    assert "La Cordée" in str(vevent["LOCATION"])
    if calendar["METHOD"] == "REQUEST":
        assert "Venez comme vous êtes." in str(vevent["DESCRIPTION"])
    # Valid for other programs: recurring-ical-events expands it, Radicale accepts it.
    recurring_ical_events.of(calendar).between(dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    path = tmp_path / "message.ics"
    path.write_bytes(calendars[0])
    assert_radicale_accepts(path)
    return calendar


def test_invitations_updates_and_cancellations_hold_nothing_internal(
    book: tuple[list[str], World], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, world = book
    series = str(world.series)
    assert main([*argv, "events", "invite", series, "--out", str(tmp_path / "invite")]) == 0
    for message in _messages(tmp_path / "invite"):
        _check_private(message, tmp_path)
    # An update (a new time), then one date cancelled, then the whole event.
    with Database.open(argv[1]) as db:
        form = event_records.get_event_form(db, world.series).data
        events.update_event(
            db,
            world.series,
            form.model_copy(update={"end_local": form.end_local + dt.timedelta(hours=1)}),
        )
    assert main([*argv, "events", "invite", series, "--out", str(tmp_path / "update")]) == 0
    updates = _messages(tmp_path / "update")
    assert str(updates[0]["Subject"]).startswith("Updated invitation")
    for message in updates:
        _check_private(message, tmp_path)
    day = ["--occurrence", "2026-12-17", "--out", str(tmp_path / "one-date")]
    assert main([*argv, "events", "cancel", series, *day]) == 0
    for message in _messages(tmp_path / "one-date"):
        assert _check_private(message, tmp_path)["METHOD"] == "CANCEL"
    assert main([*argv, "events", "cancel", series, "--out", str(tmp_path / "whole")]) == 0
    for message in _messages(tmp_path / "whole"):
        _check_private(message, tmp_path)
    capsys.readouterr()


def test_sent_messages_hold_nothing_internal(
    book: tuple[list[str], World],
    tmp_path: Path,
    smtp_server: MailServer,
    memory_keyring: MemoryKeyring,
) -> None:
    from cmplanner.interop.mail import smtp

    argv, world = book
    with Database.open(argv[1]) as db:
        settings = smtp.SmtpSettings("127.0.0.1", smtp_server.port, "none", mail_server.USER)
        smtp.save_settings(db, settings)
        smtp.store_password(settings, mail_server.PASSWORD)
    main([*argv, "events", "invite", str(world.series), "--send"])
    received = smtp_server.collector.messages
    assert len(received) == 4  # the test server refuses Bob
    for _sender, _to, data in received:
        message = email.message_from_bytes(data, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        _check_private(message, tmp_path)


def test_the_calendar_published_to_colleagues_keeps_the_internal_fields(
    book: tuple[list[str], World], tmp_path: Path
) -> None:
    argv, world = book
    out = tmp_path / "colleagues.ics"
    assert main([*argv, "events", "export", str(out), "--event", str(world.series)]) == 0
    data = out.read_bytes().replace(b"\r\n ", b"").decode("utf-8")
    assert f"X-CMPLANNER-OBJECTIVE:{OBJECTIVE}" in data
    assert "X-CMPLANNER-CAPACITY:25" in data and "X-CMPLANNER-STATUS:confirmed" in data
