"""Invitation e-mails (RFC 6047 iMIP): the MIME tree, encodings, .eml files, the sent log."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import icalendar
import pytest
import vobject

from cmplanner.i18n import set_language
from cmplanner.interop.mail import imip, itip
from cmplanner.model import EventCreate
from cmplanner.services import events, guests, privacy, sent_log
from cmplanner.storage import Database
from tests.interop import itip_world
from tests.interop.itip_world import ORGANIZER_EMAIL, World


@pytest.fixture(autouse=True)
def _american(region: Callable[[str], None]) -> None:
    """The English mails below are read in the United States: "Thursday, December 3, 2026,
    7:00 PM" (tests/kernel/test_formats.py has en_GB's)."""
    region("en_US")


@pytest.fixture
def world(empty_db: Database, frozen_clock: dt.datetime) -> World:
    return itip_world.build(empty_db)


def _parse(data: bytes) -> EmailMessage:
    parsed = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _tree(part: EmailMessage) -> object:
    if part.is_multipart():
        return (part.get_content_type(), [_tree(p) for p in part.iter_parts()])  # type: ignore[arg-type]
    return part.get_content_type()


def _by_name(mailing: imip.Mailing, first_name: str) -> imip.Outgoing:
    return next(o for o in mailing.outgoing if o.recipient.name.startswith(first_name))


def _calendar_part(message: EmailMessage) -> EmailMessage:
    return next(p for p in message.walk() if p.get_content_type() == "text/calendar")  # type: ignore[misc]


def test_one_message_per_guest_with_the_mime_tree_mail_clients_expect(
    empty_db: Database, world: World
) -> None:
    mailing = imip.invitations(empty_db, world.series)
    assert len(mailing.outgoing) == 5 and mailing.without_email == 1
    message = _parse(_by_name(mailing, "Anaïs").message.as_bytes())
    assert _tree(message) == (
        "multipart/mixed",
        [("multipart/alternative", ["text/plain", "text/calendar"]), "application/ics"],
    )
    calendar_part = _calendar_part(message)
    assert calendar_part.get_param("method") == "REQUEST"
    assert calendar_part.get_param("charset") == "UTF-8"
    plain = message.get_body(("plain",))
    assert plain is not None and plain.get_content_charset() == "utf-8"
    attachment = next(iter(message.iter_attachments()))
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_content() == calendar_part.get_content().encode()
    assert message["Subject"] == "Invitation: Apéro du jeudi"
    assert message["From"].addresses[0].display_name == "Zoé Lefèvre"
    assert message["From"].addresses[0].addr_spec == ORGANIZER_EMAIL
    assert str(message["To"]) == "Anaïs Müller <anais@example.org>"
    assert message["Message-ID"].endswith("@cm.example>")


def test_bytes_are_crlf_and_non_ascii_headers_are_rfc2047(empty_db: Database, world: World) -> None:
    data = _by_name(imip.invitations(empty_db, world.series), "Anaïs").message.as_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    head = data.split(b"\r\n\r\n", 1)[0]
    head.decode("ascii")  # every header is 7-bit
    assert b"=?utf-8?" in head
    assert b"From: =?utf-8?q?Zo=C3=A9_Lef=C3=A8vre?= <zoe@cm.example>" in head
    assert b"Subject: Invitation: =?utf-8?q?Ap=C3=A9ro?= du jeudi" in head
    assert head.count(b"MIME-Version") == 1
    # The calendar inside is itself CRLF, and both libraries read it.
    ics = _calendar_part(_parse(data)).get_payload(decode=True)
    assert isinstance(ics, bytes) and b"\n" not in ics.replace(b"\r\n", b"")
    assert icalendar.Calendar.from_ical(ics)["METHOD"] == "REQUEST"
    assert vobject.readOne(ics.decode()).vevent.attendee.value == "mailto:anais@example.org"


def test_the_text_says_what_when_where_and_who(empty_db: Database, world: World) -> None:
    message = _by_name(imip.invitations(empty_db, world.series), "Bob").message
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Zoé Lefèvre invites you to “Apéro du jeudi”." in text
    assert (
        "When: Thursday, December 3, 2026, 7:00\u202fPM – 9:30\u202fPM,"
        " Central European Standard Time (Europe/Paris)" in text
    )
    assert "Repeats: Every Thursday" in text
    assert "Accueillir les nouveaux" not in text  # the objective is the CM's, not the guests'
    assert "Accept or decline from your calendar app." in text
    assert text.rstrip().endswith("Zoé Lefèvre <zoe@cm.example>")


@pytest.mark.parametrize(
    ("system", "when"),
    [
        ("en_US", "When: Thursday, December 3, 2026, 7:00\u202fPM – 9:30\u202fPM, Central"),
        ("en_GB", "When: Thursday, 3 December 2026, 19:00 – 21:30, Central"),
    ],
)
def test_the_mail_s_dates_and_clock_follow_the_region(
    empty_db: Database, world: World, region: Callable[[str], None], system: str, when: str
) -> None:
    region(system)
    message = _by_name(imip.invitations(empty_db, world.series), "Bob").message
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert when in text
    assert ("PM" in text) == (system == "en_US")


def test_the_text_is_in_the_interface_language(empty_db: Database, world: World) -> None:
    set_language("fr")
    message = _by_name(imip.invitations(empty_db, world.single), "Bob").message
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "jeudi 10 décembre 2026, 18:30 – 20:00, heure normale d’Europe centrale" in text
    assert "Acceptez ou refusez depuis votre agenda." in text
    assert str(message["Subject"]).startswith("Invitation : ")


def test_eml_files_one_per_guest_with_safe_names_and_logged(
    empty_db: Database, world: World, tmp_path: Path
) -> None:
    progress: list[tuple[int, int]] = []
    report = imip.write_eml(
        empty_db,
        imip.invitations(empty_db, world.series),
        tmp_path / "out",
        lambda done, total: progress.append((done, total)),
    )
    assert not report.failed and report.without_email == 1
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(names) == 5
    assert all(n.isascii() and " " not in n and n.endswith(".eml") for n in names)
    assert f"invitation-anais-muller-{world.people['Anaïs']}.eml" in names
    assert progress[0] == (0, 5) and progress[-1] == (5, 5)
    parsed = _parse((tmp_path / "out" / names[0]).read_bytes())
    assert parsed["X-Unsent"] == "1"
    log = sent_log.history(empty_db, world.series)
    assert len(log) == 5
    assert {(r.method, r.sequence, r.channel, r.error) for r in log} == {("REQUEST", 0, "eml", "")}
    assert all(r.sent_at == dt.datetime(2026, 11, 19, 17, 30, tzinfo=dt.UTC) for r in log)


def test_a_time_change_makes_the_next_sending_an_update(
    empty_db: Database, world: World, tmp_path: Path
) -> None:
    imip.write_eml(empty_db, imip.invitations(empty_db, world.single), tmp_path / "1")
    states = sent_log.guest_states(empty_db, world.single)
    bob = world.people["Bob"]
    assert states[bob].last_sequence == 0 and not states[bob].needs_update
    assert states[bob].not_answered
    event = itip.load_event(empty_db, world.single)
    events.update_event(
        empty_db,
        world.single,
        EventCreate(
            title=event.title,
            start_local=dt.datetime(2026, 12, 10, 19, 0),
            end_local=dt.datetime(2026, 12, 10, 20, 30),
            timezone="Europe/Paris",
            capacity=4,
        ),
    )
    assert sent_log.guest_states(empty_db, world.single)[bob].needs_update
    mailing = imip.invitations(empty_db, world.single)
    update = _by_name(mailing, "Bob")
    assert update.kind == imip.UPDATE and update.sequence == 1
    assert update.subject == "Updated invitation: Atelier « premiers pas »"
    vevent = icalendar.Calendar.from_ical(
        _calendar_part(update.message).get_payload(decode=True)
    ).walk("VEVENT")[0]
    assert vevent["SEQUENCE"] == 1
    imip.write_eml(empty_db, mailing, tmp_path / "2")
    assert not sent_log.guest_states(empty_db, world.single)[bob].needs_update
    # Sent again at the same SEQUENCE (a reminder), it is an invitation again.
    assert _by_name(imip.invitations(empty_db, world.single), "Bob").kind == imip.INVITATION


def test_answered_guests_are_not_counted_as_not_answered(
    empty_db: Database, world: World, tmp_path: Path
) -> None:
    never = sent_log.guest_states(empty_db, world.single)[world.people["Anaïs"]]
    assert never.never_sent and not never.not_answered
    imip.write_eml(empty_db, imip.invitations(empty_db, world.single), tmp_path)
    row = next(r for r in guests.guest_rows(empty_db, world.single) if r.name == "Anaïs Müller")
    guests.set_rsvp(empty_db, row.invitation_id, "accepted")
    states = sent_log.guest_states(empty_db, world.single)
    assert not states[world.people["Anaïs"]].not_answered
    assert states[world.people["Bob"]].not_answered
    only = {c for c, s in states.items() if s.not_answered}
    resend = imip.invitations(empty_db, world.single, only=only)
    assert "Anaïs Müller" not in [o.recipient.name for o in resend.outgoing]
    assert len(resend.outgoing) == 3


def test_cancellation_of_one_date_names_it(
    empty_db: Database, world: World, tmp_path: Path
) -> None:
    original, _changes = itip.cancel_occurrence(empty_db, world.series, dt.date(2026, 12, 17))
    mailing = imip.cancellation(empty_db, world.series, original)
    out = _by_name(mailing, "Chloé")
    assert out.subject == "Cancelled: Apéro du jeudi (Dec 17, 2026)"
    assert _calendar_part(out.message).get_param("method") == "CANCEL"
    body = out.message.get_body(("plain",))
    assert body is not None
    assert "has cancelled “Apéro du jeudi” on Thursday, December 17, 2026" in body.get_content()
    imip.write_eml(empty_db, mailing, tmp_path)
    log = sent_log.history(empty_db, world.series, world.people["Chloé"])
    assert [(r.method, r.sequence, r.occurrence) for r in log] == [("CANCEL", 1, original)]
    whole = imip.cancellation(empty_db, world.single)
    assert _by_name(whole, "Bob").subject == "Cancelled: Atelier « premiers pas »"


def test_erasing_a_contact_erases_what_was_sent_to_them(
    empty_db: Database, world: World, tmp_path: Path
) -> None:
    imip.write_eml(empty_db, imip.invitations(empty_db, world.series), tmp_path)
    bob = world.people["Bob"]
    assert sent_log.history(empty_db, world.series, bob)
    privacy.erase_contact(empty_db, bob)
    assert sent_log.history(empty_db, world.series, bob) == []
    assert all(r.email != "bob@example.org" for r in sent_log.history(empty_db, world.series))
    with empty_db.read() as con:
        left = con.execute(
            "SELECT COUNT(*) FROM sent_message WHERE email = ?", ("bob@example.org",)
        )
        assert left.fetchone()[0] == 0


def test_after_a_date_is_cancelled_the_next_invitation_is_no_update(
    empty_db: Database, world: World, tmp_path: Path
) -> None:
    imip.write_eml(empty_db, imip.invitations(empty_db, world.series), tmp_path / "1")
    original, _changes = itip.cancel_occurrence(empty_db, world.series, dt.date(2026, 12, 17))
    imip.write_eml(empty_db, imip.cancellation(empty_db, world.series, original), tmp_path / "2")
    # They know of SEQUENCE 1 through the cancellation: nothing new for them.
    assert not sent_log.guest_states(empty_db, world.series)[world.people["Bob"]].needs_update
    again = _by_name(imip.invitations(empty_db, world.series), "Bob")
    assert (again.kind, again.sequence) == (imip.INVITATION, 1)
    vevent = icalendar.Calendar.from_ical(
        _calendar_part(again.message).get_payload(decode=True)
    ).walk("VEVENT")[0]
    assert vevent["EXDATE"].to_ical() == b"20261217T190000"


def test_a_series_under_way_is_announced_from_its_next_date(
    empty_db: Database, world: World
) -> None:
    event = itip.load_event(empty_db, world.series)
    events.update_event(
        empty_db,
        world.series,
        EventCreate(
            title=event.title,
            start_local=dt.datetime(2026, 10, 1, 19, 0),  # now is Thursday 19 November
            end_local=dt.datetime(2026, 10, 1, 21, 30),
            timezone="Europe/Paris",
            rrule="FREQ=WEEKLY;BYDAY=TH",
        ),
    )
    body = _by_name(imip.invitations(empty_db, world.series), "Bob").message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "When: Thursday, November 19, 2026, 7:00\u202fPM" in text
    assert "Repeats: Every Thursday (since Oct 1, 2026)" in text


def test_an_all_day_event_is_said_from_its_first_to_its_last_day(empty_db: Database) -> None:
    from cmplanner.interop.ics.export import load_events

    set_language("en")
    days = {}
    for title, last in (("Forum", dt.datetime(2027, 3, 6)), ("Salon", dt.datetime(2027, 3, 7))):
        read, _ = events.create_event(
            empty_db,
            EventCreate(
                title=title,
                start_local=dt.datetime(2027, 3, 6),
                end_local=last,  # the editor stores an all-day event's last day
                timezone="Europe/Paris",
                all_day=True,
            ),
        )
        [exported] = load_events(empty_db, event_ids=[read.id])
        days[title] = imip.when_text(exported)
    assert days["Forum"] == "Saturday, March 6, 2027"
    assert days["Salon"] == "Saturday, March 6, 2027 to Sunday, March 7, 2027"
