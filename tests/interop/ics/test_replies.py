"""Guests' replies (METHOD:REPLY) from .ics files, .eml files and folders → RSVPs."""

from __future__ import annotations

import errno
import os
import shutil
import tracemalloc
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from cmplanner.interop.ics.replies import (
    CALENDAR_MAX_BYTES,
    MAIL_MAX_BYTES,
    apply_replies,
    files_in,
    iter_answers,
    read_answers,
)
from cmplanner.interop.ics.write import import_file
from cmplanner.services.contact_data import ContactData, Labelled
from cmplanner.services.contacts import create_contact
from cmplanner.storage import Database

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ics" / "import"
UID = "series-apero@tests.example"


@pytest.fixture
def db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_database: Callable[[Path], Path]
) -> Database:
    monkeypatch.setattr("cmplanner.clock.local_zone_name", lambda: "Europe/Paris")
    database = Database.open(new_database(tmp_path / "replies.cmplanner"))
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


def test_a_folder_with_parts_that_cannot_be_read_is_read_all_the_same(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A home folder holds what its owner cannot read (another user's folder, /proc's
    links): the replies around it are read, and what could not be is named; no crash."""
    folder = tmp_path / "home"
    (folder / "private").mkdir(parents=True)
    (folder / "private" / "hidden.ics").write_text("never read")
    shutil.copy(FIXTURES / "reply_alice_declines.ics", folder / "reply.ics")
    (folder / "cwd.ics").symlink_to(tmp_path / "elsewhere")
    scandir, is_file = os.scandir, Path.is_file

    def denied_scandir(path: Any) -> Any:
        if Path(path).name == "private":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return scandir(path)

    def denied_stat(path: Path) -> bool:
        if path.name == "cwd.ics":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return is_file(path)

    monkeypatch.setattr(os, "scandir", denied_scandir)
    monkeypatch.setattr(Path, "is_file", denied_stat)
    report = apply_replies(db, [folder])
    assert [a.email for a in report.applied] == ["alice@tests.example"]
    assert sorted(Path(where).name for where, _why in report.problems) == ["cwd.ics", "private"]
    assert all("cannot be read" in why for _where, why in report.problems)


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


# --- order: DTSTAMP and SEQUENCE, not file names -----------------------------------------------


def _reply(
    path: Path,
    partstat: str,
    stamp: str,
    *,
    sequence: int = 1,
    who: str = "alice@tests.example",
    extra: str = "",
    params: str = "",
) -> Path:
    path.write_text(
        "BEGIN:VCALENDAR\r\nPRODID:-//Tests//Reply//FR\r\nVERSION:2.0\r\nMETHOD:REPLY\r\n"
        f"BEGIN:VEVENT\r\nUID:{UID}\r\nDTSTAMP:{stamp}\r\nSEQUENCE:{sequence}\r\n"
        "DTSTART;TZID=Europe/Paris:20260305T190000\r\n"
        f"ATTENDEE;CN=Invité;PARTSTAT={partstat}{params}:mailto:{who}\r\n{extra}"
        "ORGANIZER:mailto:camille@tests.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    return path


def _alice(db: Database) -> str:
    return next(r for e, r, o, _w in _answers(db) if e == "alice@tests.example" and o is None)


@pytest.mark.parametrize(
    ("name", "extra"),
    [("DTSTAMP", ""), ("RECURRENCE-ID", "RECURRENCE-ID:garbage\r\n")],
)
def test_a_reply_with_an_unreadable_date_is_named_and_the_others_are_read(
    db: Database, tmp_path: Path, name: str, extra: str
) -> None:
    """icalendar hands out a broken property that raises when its date is asked for: it was
    a traceback, and nothing of the folder was read."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    stamp = "notadate" if name == "DTSTAMP" else "20260301T100000Z"
    broken = _reply(folder / "1-broken.ics", "ACCEPTED", stamp, extra=extra)
    shutil.copy(FIXTURES / "reply_bruno_accepts_one_date.ics", folder / "2-bruno.ics")
    report = apply_replies(db, [folder])
    assert [a.email for a in report.applied] == ["bruno@tests.example"]
    assert report.problems == [(str(broken), f"the {name} line cannot be read")]


def test_what_icalendar_cannot_read_is_said_on_one_short_line(db: Database, tmp_path: Path) -> None:
    """icalendar quotes the line it could not read: here a million carriage returns, which
    went whole into the report (and on the terminal)."""
    data = (FIXTURES / "reply_alice_declines.ics").read_bytes()
    broken = tmp_path / "broken.ics"
    broken.write_bytes(data.replace(b"END:VCALENDAR", b"\r" * 1_000_000 + b"\nEND:VCALENDAR"))
    report = apply_replies(db, [broken])
    ((source, why),) = report.problems
    assert source == str(broken) and not report.applied
    assert why.startswith("Content line could not be parsed into parts")
    assert len(why) <= 200 and "\r" not in why and "\n" not in why


@pytest.mark.parametrize("reverse", [False, True])
def test_the_newest_reply_wins_whatever_the_order_of_files_and_folders(
    db: Database, tmp_path: Path, reverse: bool
) -> None:
    # Names sort opposite to the stamps: "1-…" is the newest, "3-…" the oldest.
    inbox, archive = tmp_path / "a-inbox", tmp_path / "b-archive"
    inbox.mkdir()
    archive.mkdir()
    newest = _reply(inbox / "1-declines.ics", "DECLINED", "20260304T090000Z")
    _reply(inbox / "2-tentative.ics", "TENTATIVE", "20260302T090000Z")
    _reply(archive / "3-accepts.ics", "ACCEPTED", "20260301T090000Z")
    paths = [archive, inbox] if reverse else [inbox, archive]
    report = apply_replies(db, paths)
    assert _alice(db) == "declined"
    assert [(a.source, a.rsvp) for a in report.applied] == [(str(newest), "declined")]
    assert sorted(Path(a.source).name for a in report.older) == ["2-tentative.ics", "3-accepts.ics"]
    assert not report.problems


def test_an_old_reply_read_again_later_changes_nothing(db: Database, tmp_path: Path) -> None:
    old = _reply(tmp_path / "z-old.ics", "ACCEPTED", "20260301T090000Z")
    new = _reply(tmp_path / "a-new.ics", "DECLINED", "20260303T090000Z")
    assert len(apply_replies(db, [new]).applied) == 1
    report = apply_replies(db, [old])  # another run, days later
    assert _alice(db) == "declined"
    assert not report.applied and [a.rsvp for a in report.older] == ["accepted"]
    assert "1 older reply not applied" in report.summary()
    assert len(apply_replies(db, [new]).unchanged) == 1  # the same message again: known


def test_a_reply_to_an_older_sequence_does_not_overwrite_a_newer_answer(
    db: Database, tmp_path: Path
) -> None:
    newer = _reply(tmp_path / "v2.ics", "DECLINED", "20260301T090000Z", sequence=2)
    late = _reply(tmp_path / "v1.ics", "ACCEPTED", "20260305T090000Z", sequence=1)
    apply_replies(db, [newer])
    report = apply_replies(db, [late])
    assert _alice(db) == "declined" and [a.rsvp for a in report.older] == ["accepted"]


def test_an_answer_set_by_the_cm_is_newer_than_an_old_reply(
    db: Database, tmp_path: Path, frozen_clock: object
) -> None:
    from cmplanner.services.guests import set_rsvp

    with db.read() as con:
        (alice,) = con.execute(
            "SELECT i.id FROM invitation i JOIN contact_email m ON m.contact_id = i.contact_id"
            " WHERE m.address = 'alice@tests.example' AND i.occurrence IS NULL"
        ).fetchone()
    set_rsvp(db, alice, "tentative")  # told on the phone, on 19 November
    report = apply_replies(db, [_reply(tmp_path / "r.ics", "DECLINED", "20261101T090000Z")])
    assert _alice(db) == "tentative" and len(report.older) == 1
    report = apply_replies(db, [_reply(tmp_path / "r2.ics", "DECLINED", "20261120T090000Z")])
    assert _alice(db) == "declined" and len(report.applied) == 1


def test_a_delegated_reply_keeps_the_answer_and_invites_the_delegate(
    db: Database, tmp_path: Path
) -> None:
    delegated = _reply(
        tmp_path / "delegated.ics",
        "DELEGATED",
        "20260302T090000Z",
        params=';DELEGATED-TO="mailto:chloe@tests.example"',
        extra='ATTENDEE;CN=Chloé Martin;PARTSTAT=NEEDS-ACTION;DELEGATED-FROM="mailto:alice@tes'
        '\r\n ts.example":mailto:chloe@tests.example\r\n',
    )
    report = apply_replies(db, [delegated])
    assert _alice(db) == "accepted"  # her answer before delegating
    (delegation,) = report.delegated
    assert (delegation.email, delegation.delegate, delegation.rsvp) == (
        "alice@tests.example",
        "chloe@tests.example",
        "accepted",
    )
    assert delegation.delegate_added
    assert "1 delegated" in report.summary()
    with db.read() as con:
        row = con.execute(
            "SELECT i.delegated_to FROM invitation i JOIN contact_email m"
            " ON m.contact_id = i.contact_id WHERE m.address = 'alice@tests.example'"
            " AND i.occurrence IS NULL"
        ).fetchone()
        chloe = con.execute(
            "SELECT c.given_name, c.family_name, i.rsvp FROM invitation i"
            " JOIN contact c ON c.id = i.contact_id JOIN contact_email m ON m.contact_id = c.id"
            " WHERE m.address = 'chloe@tests.example'"
        ).fetchall()
    assert row == ("chloe@tests.example",)
    assert chloe == [("Chloé", "Martin", "needs-action")]
    # Her own answer, later, is read like anyone's; the delegation read again adds nobody.
    report = apply_replies(
        db,
        [
            delegated,
            _reply(
                tmp_path / "chloe.ics", "ACCEPTED", "20260303T090000Z", who="chloe@tests.example"
            ),
        ],
    )
    assert [(a.email, a.rsvp) for a in report.applied] == [("chloe@tests.example", "accepted")]
    assert not report.delegated


# --- memory: a folder is read one file at a time, an e-mail as it is read --------------------


def _big_eml(path: Path, ics: Path, attachment: int) -> Path:
    """A reply with photos attached (random bytes: they do not compress)."""
    message = EmailMessage()
    message["From"] = "Alice Durand <alice@tests.example>"
    message["Subject"] = "Refusé : Café, bar (et les photos de la dernière fois)"
    message.set_content("Je ne pourrai pas venir, voici les photos.")
    message.add_alternative(
        ics.read_bytes(), maintype="text", subtype="calendar", params={"method": "REPLY"}
    )
    message.add_attachment(os.urandom(attachment), maintype="image", subtype="jpeg",
                           filename="photos.jpg")  # fmt: skip
    path.write_bytes(bytes(message))
    return path


def test_a_folder_is_read_one_file_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    _eml(folder / "1.eml", FIXTURES / "reply_alice_declines.ics")
    shutil.copy(FIXTURES / "reply_bruno_accepts_one_date.ics", folder / "2.ics")
    opened: list[str] = []
    real_open = Path.open

    def spied(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(self.name)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spied)
    problems: list[tuple[str, str]] = []
    answers = iter_answers(files_in([folder], problems), problems)
    assert next(answers).email == "alice@tests.example" and opened == ["1.eml"]
    assert next(answers).email == "bruno@tests.example" and opened == ["1.eml", "2.ics"]
    assert next(answers, None) is None and not problems


def test_a_large_e_mail_is_parsed_as_it_is_read(tmp_path: Path) -> None:
    """The message is fed to the parser in chunks: never the file, its text and its lines
    at once (a 150 MB message took 1.7 GB)."""
    mail = _big_eml(tmp_path / "photos.eml", FIXTURES / "reply_alice_declines.ics", 8_000_000)
    size = mail.stat().st_size
    tracemalloc.start()
    try:
        answers, problems = read_answers(mail)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [a.rsvp for a in answers] == ["declined"] and not problems
    assert peak < 5 * size, (peak, size)  # it was 9 times


def test_an_e_mail_over_the_limit_is_not_read(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    huge = _eml(folder / "huge.eml", FIXTURES / "reply_alice_declines.ics")
    with huge.open("r+b") as f:  # sparse: it takes no room on the disk
        f.truncate(MAIL_MAX_BYTES + 1)
    shutil.copy(FIXTURES / "reply_bruno_accepts_one_date.ics", folder / "next.ics")
    report = apply_replies(db, [folder])
    assert [a.email for a in report.applied] == ["bruno@tests.example"]
    assert report.problems == [
        (str(huge), "the e-mail is over 50 MB: larger than mail services deliver; it was not read")
    ]


def test_a_calendar_over_the_limit_is_not_read(tmp_path: Path) -> None:
    padding = "COMMENT:" + "x" * 70 + "\r\n"
    big = FIXTURES.joinpath("reply_alice_declines.ics").read_text(encoding="utf-8").replace(
        "END:VEVENT", padding * (CALENDAR_MAX_BYTES // len(padding) + 1) + "END:VEVENT"
    )  # fmt: skip
    (tmp_path / "big.ics").write_text(big, encoding="utf-8")
    mail = _eml(tmp_path / "big.eml", tmp_path / "big.ics", inline=False)
    why = "the calendar is over 2 MB: too large for a reply; it was not read"
    for path in (tmp_path / "big.ics", mail):
        assert read_answers(path) == ([], [(str(path), why)])


def test_an_attachment_named_in_encoded_words_is_found(tmp_path: Path) -> None:
    message = EmailMessage()
    message["From"] = "alice@tests.example"
    message.set_content("Réponse jointe.")
    message.add_attachment(
        (FIXTURES / "reply_alice_declines.ics").read_bytes(),
        maintype="application",
        subtype="octet-stream",
        filename="réponse.ics",
    )
    raw = bytes(message).replace(
        b"filename*=utf-8''r%C3%A9ponse.ics", b'filename="=?utf-8?q?r=C3=A9ponse.ics?="'
    )
    assert b"=?utf-8?q?" in raw
    (tmp_path / "r.eml").write_bytes(raw)
    answers, problems = read_answers(tmp_path / "r.eml")
    assert [a.rsvp for a in answers] == ["declined"] and not problems
    assert answers[0].source == f"{tmp_path / 'r.eml'} (réponse.ics)"
