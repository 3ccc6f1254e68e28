"""Guests' replies (METHOD:REPLY) from .ics files, .eml files and folders → RSVPs."""

from __future__ import annotations

import shutil
from email.message import EmailMessage
from pathlib import Path

import pytest

from cmplanner.interop.ics_import import import_file
from cmplanner.interop.ics_replies import apply_replies
from cmplanner.services.contact_data import ContactData, Labelled
from cmplanner.services.contacts import create_contact
from cmplanner.storage import Database

FIXTURES = Path(__file__).parent / "fixtures" / "ics" / "import"
UID = "series-apero@tests.example"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setattr("cmplanner.clock.local_zone_name", lambda: "Europe/Paris")
    database = Database.open(tmp_path / "replies.cmplanner")
    import_file(database, FIXTURES / "meetups.ics")  # Alice accepted, Bruno tentative
    yield database
    database.close()


def _answers(db: Database) -> list[tuple[str, str, str | None, int | None]]:
    with db.read() as con:
        return [
            (str(r[0]), str(r[1]), r[2], r[3])
            for r in con.execute(
                "SELECT m.address, i.rsvp, i.occurrence, i.waitlist_position FROM invitation i"
                " JOIN contact_email m ON m.contact_id = i.contact_id"
                " JOIN event e ON e.id = i.event_id WHERE e.uid = ? ORDER BY i.id",
                (UID,),
            )
        ]


def _eml(path: Path, ics: Path, *, inline: bool = True, attached: bool = True) -> Path:
    message = EmailMessage()
    message["From"] = "Alice Durand <alice@tests.example>"
    message["To"] = "camille@tests.example"
    message["Subject"] = "Refusé : Café, bar"
    message.set_content("Je ne pourrai pas venir.")
    data = ics.read_bytes()
    if inline:
        message.add_alternative(
            data, maintype="text", subtype="calendar", params={"method": "REPLY"}
        )
    if attached:
        message.add_attachment(data, maintype="application", subtype="ics", filename="invite.ics")
    path.write_bytes(bytes(message))
    return path


def test_an_ics_reply_updates_the_guest(db: Database) -> None:
    report = apply_replies(db, [FIXTURES / "reply_alice_declines.ics"])
    assert [(a.email, a.before, a.rsvp) for a in report.applied] == [
        ("alice@tests.example", "accepted", "declined")
    ]
    assert not report.problems
    assert ("alice@tests.example", "declined", None, None) in _answers(db)


def test_an_eml_carrying_the_reply_inline_and_attached_counts_once(
    db: Database, tmp_path: Path
) -> None:
    mail = _eml(tmp_path / "reply.eml", FIXTURES / "reply_alice_declines.ics")
    report = apply_replies(db, [mail])
    assert len(report.applied) == 1 and not report.problems
    assert ("alice@tests.example", "declined", None, None) in _answers(db)


def test_an_eml_with_only_an_attachment(db: Database, tmp_path: Path) -> None:
    mail = _eml(tmp_path / "r.eml", FIXTURES / "reply_alice_declines.ics", inline=False)
    assert len(apply_replies(db, [mail]).applied) == 1


def test_an_eml_without_a_calendar_is_a_problem_naming_it(db: Database, tmp_path: Path) -> None:
    mail = _eml(tmp_path / "plain.eml", FIXTURES / "reply_alice_declines.ics", inline=False,
                attached=False)  # fmt: skip
    report = apply_replies(db, [mail])
    assert report.problems == [(str(mail), "this e-mail carries no calendar reply (.ics)")]


def test_a_folder_of_replies(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    _eml(folder / "1.eml", FIXTURES / "reply_alice_declines.ics")
    shutil.copy(FIXTURES / "reply_bruno_accepts_one_date.ics", folder / "2.ics")
    (folder / "notes.txt").write_text("ignored")
    report = apply_replies(db, [folder])
    assert len(report.applied) == 2 and not report.problems


def test_unknown_uid_and_unknown_attendee_change_nothing(db: Database) -> None:
    before = _answers(db)
    report = apply_replies(
        db, [FIXTURES / "reply_unknown_uid.ics", FIXTURES / "reply_unknown_attendee.ics"]
    )
    assert not report.applied
    (file1, why1), (file2, why2) = report.problems
    assert file1.endswith("reply_unknown_uid.ics") and "nobody@tests.example" in why1
    assert file2.endswith("reply_unknown_attendee.ics") and "stranger@tests.example" in why2
    assert _answers(db) == before


def test_a_reply_for_one_occurrence_goes_to_that_occurrences_row(db: Database) -> None:
    report = apply_replies(db, [FIXTURES / "reply_bruno_accepts_one_date.ics"])
    assert [a.occurrence.isoformat() for a in report.applied if a.occurrence] == [
        "2026-03-12T19:00:00"
    ]
    answers = _answers(db)
    assert ("bruno@tests.example", "tentative", None, None) in answers  # the series' row
    assert ("bruno@tests.example", "accepted", "2026-03-12 19:00:00.000000", None) in answers


def test_a_decline_promotes_the_waitlist(db: Database) -> None:
    from cmplanner.services.guests import add_guests

    with db.transaction() as session:
        from sqlmodel import select

        from cmplanner.model import Event

        event = session.exec(select(Event).where(Event.uid == UID)).one()
        event.capacity = 2
        session.add(event)
        event_id = event.id
    waiting, _c = create_contact(
        db, ContactData(given_name="Chloé", emails=(Labelled("chloe@tests.example"),))
    )
    assert event_id is not None
    add_guests(db, event_id, [waiting])
    assert ("chloe@tests.example", "needs-action", None, 1) in _answers(db)
    report = apply_replies(db, [FIXTURES / "reply_alice_declines.ics"])
    assert len(report.promoted) == 1
    assert ("chloe@tests.example", "needs-action", None, None) in _answers(db)


def test_a_calendar_that_is_not_a_reply_is_refused(db: Database) -> None:
    report = apply_replies(db, [FIXTURES / "windows_tz.ics"])
    assert not report.applied
    assert "METHOD:PUBLISH" in report.problems[0][1]
