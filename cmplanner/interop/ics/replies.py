"""Guests' answers (iTIP METHOD:REPLY): an .ics, an .eml carrying one (a text/calendar part or
an .ics attachment), or a folder of them → each guest's RSVP.

A reply is matched by UID (and RECURRENCE-ID: the guest's own row for that occurrence) and by
the attendee's e-mail; the answer goes through `services.guests.set_rsvp`, so a decline
promotes the waitlist. A reply that matches no event or no guest changes nothing and says why,
naming its file.

Order (RFC 5546 §2.1.5): a guest's answers count in the order of their SEQUENCE, then
DTSTAMP — never of file names or of the arguments. Of the replies read together, only each
guest's newest is applied; the answer applied keeps its SEQUENCE and DTSTAMP on the
invitation, so a reply older than it (read in another run, days later) changes nothing, and
neither does one older than an answer the CM set by hand (stamped when set).

PARTSTAT=DELEGATED keeps the guest's previous answer and records DELEGATED-TO on their
invitation; the delegate (a contact found by e-mail, or a new one named by the reply's CN)
joins the guest list, with the same role — of the series, or, for one occurrence, nowhere
but in the report.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO
from zoneinfo import ZoneInfo

from cmplanner.bus import Changes
from cmplanner.errors import CMPlannerError
from cmplanner.formats import megabytes
from cmplanner.i18n import _, ngettext
from cmplanner.interop.ics.parse import IcsRefused, check_lines, decode_text, error_text
from cmplanner.interop.ics.write import guest_card
from cmplanner.model import Event, Invitation
from cmplanner.model.enums import Rsvp
from cmplanner.model.names import display_name
from cmplanner.services import guests
from cmplanner.services.contacts import create_contact
from cmplanner.services.events import _check_occurrence
from cmplanner.services.guests import _for_occurrence

if TYPE_CHECKING:
    from cmplanner.storage import Database

_RSVP = {
    "ACCEPTED": "accepted",
    "DECLINED": "declined",
    "TENTATIVE": "tentative",
    "NEEDS-ACTION": "needs-action",
}
_SUFFIXES = (".ics", ".eml")
# An e-mail over this is not read: mail services deliver messages of 25 to 50 MB, and the
# standard parser holds about three times the message while reading it.
MAIL_MAX_BYTES = 50_000_000
# A reply is a few kilobytes; a calendar over this is not one (and icalendar would hold
# many times its size).
CALENDAR_MAX_BYTES = 2_000_000
_HEAD = 2000  # what tells an e-mail from a calendar
_CHUNK = 1 << 16


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Answer:
    """One attendee's answer read from a reply."""

    source: str  # the file (and part) it came from
    uid: str
    recurrence_id: dt.datetime | dt.date | None  # aware, naive or a date, as in the file
    email: str
    name: str
    rsvp: str  # "" for a delegation: the previous answer stays
    stamp: dt.datetime | None = None  # DTSTAMP, aware UTC (None: the reply has none)
    sequence: int = 0
    delegated_to: str = ""  # PARTSTAT=DELEGATED: the delegate's address
    delegate_name: str = ""  # the delegate's CN, when the reply names them

    @property
    def key(self) -> tuple[int, dt.datetime]:
        """What orders a guest's answers: SEQUENCE, then DTSTAMP."""
        return (self.sequence, self.stamp or _EPOCH)


@dataclass(frozen=True)
class Applied:
    source: str
    event_id: int
    title: str
    name: str
    email: str
    rsvp: str  # the answer recorded (for a delegation: the one kept)
    before: str
    occurrence: dt.datetime | None
    stamp: dt.datetime | None = None  # the reply's DTSTAMP
    delegate: str = ""  # a delegation: the delegate's address
    delegate_added: bool = False  # …who joined the guest list

    def _when(self) -> str:
        return f" ({self.occurrence:%Y-%m-%d %H:%M})" if self.occurrence else ""

    def delegation_text(self) -> str:
        """One line for a delegation (the command's output, the app's report)."""
        text = _(
            "{name} <{email}> delegated “{title}”{when} to {delegate} (answer kept: {answer})"
        ).format(
            name=self.name,
            email=self.email,
            title=self.title,
            when=self._when(),
            delegate=self.delegate,
            answer=Rsvp(self.rsvp).label,
        )
        if self.delegate_added:
            more = _("{delegate} is added to the guests").format(delegate=self.delegate)
        elif self.occurrence is not None:
            more = _("for this date only: {delegate} is not added to the guests").format(
                delegate=self.delegate
            )
        else:
            more = _("{delegate} is already a guest").format(delegate=self.delegate)
        return _("{delegation}; {consequence}").format(delegation=text, consequence=more)

    def older_text(self) -> str:
        """One line for a reply older than the answer recorded."""
        answer = (
            _("delegated to {delegate}").format(delegate=self.delegate)
            if self.delegate
            else Rsvp(self.rsvp).label
        )
        sent = f"{self.stamp:%Y-%m-%d %H:%M} UTC" if self.stamp else "—"
        return _(
            "{name} <{email}>: {answer} to “{title}”{when}, sent {sent}: older than the answer"
            " recorded, not applied"
        ).format(
            name=self.name,
            email=self.email,
            answer=answer,
            title=self.title,
            when=self._when(),
            sent=sent,
        )


@dataclass
class RepliesReport:
    applied: list[Applied] = field(default_factory=list)
    unchanged: list[Applied] = field(default_factory=list)  # the answer was already recorded
    # Replies older than the answer recorded (or than another reply of the same guest read
    # with them): not applied.
    older: list[Applied] = field(default_factory=list)
    delegated: list[Applied] = field(default_factory=list)  # answers kept, delegate recorded
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    promoted: set[int] = field(default_factory=set)  # invitations moved off the waitlist
    changes: Changes = field(default_factory=Changes)

    def summary(self) -> str:
        text = ngettext("{n} answer recorded", "{n} answers recorded", len(self.applied)).format(
            n=len(self.applied)
        )
        if self.delegated:
            text += ", " + ngettext("{n} delegated", "{n} delegated", len(self.delegated)).format(
                n=len(self.delegated)
            )
        if self.unchanged:
            text += ", " + ngettext(
                "{n} already known", "{n} already known", len(self.unchanged)
            ).format(n=len(self.unchanged))
        if self.older:
            text += ", " + ngettext(
                "{n} older reply not applied", "{n} older replies not applied", len(self.older)
            ).format(n=len(self.older))
        if self.promoted:
            text += ", " + ngettext(
                "{n} guest off the waitlist", "{n} guests off the waitlist", len(self.promoted)
            ).format(n=len(self.promoted))
        if self.problems:
            text += ", " + ngettext(
                "{n} reply not used", "{n} replies not used", len(self.problems)
            ).format(n=len(self.problems))
        return text + "."

    def as_json(self) -> dict[str, Any]:
        def row(a: Applied) -> dict[str, Any]:
            return {
                "file": a.source,
                "event_id": a.event_id,
                "title": a.title,
                "guest": a.name,
                "email": a.email,
                "rsvp": a.rsvp,
                "before": a.before,
                "occurrence": a.occurrence.isoformat() if a.occurrence else None,
                "stamp": a.stamp.isoformat() if a.stamp else None,
                "delegated_to": a.delegate or None,
                "delegate_added": a.delegate_added,
            }

        return {
            "applied": [row(a) for a in self.applied],
            "unchanged": [row(a) for a in self.unchanged],
            "older": [row(a) for a in self.older],
            "delegated": [row(a) for a in self.delegated],
            "problems": [{"file": f, "problem": why} for f, why in self.problems],
            "promoted": sorted(self.promoted),
        }


# --- reading ---------------------------------------------------------------------------------


def files_in(
    paths: Iterable[Path | str], problems: list[tuple[str, str]] | None = None
) -> list[Path]:
    """The .ics and .eml files named, folders searched (in name order). A folder inside that
    cannot be read (no permission, gone meanwhile) is left out and added to `problems`: a
    folder holding one (a home folder, a mounted drive) is still read."""
    found: list[Path] = []

    def unreadable(exc: OSError) -> None:
        if problems is not None:
            where = exc.filename or ""
            why = _("cannot be read: {error}").format(error=exc.strerror or exc)
            problems.append((str(where), why))

    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            inside: list[Path] = []
            for folder, _dirs, names in os.walk(path, onerror=unreadable):
                inside += (
                    Path(folder) / n
                    for n in names
                    if Path(n).suffix.lower() in _SUFFIXES and _not_special(Path(folder) / n)
                )
            found += sorted(inside)
        else:
            found.append(path)
    return found


def _not_special(path: Path) -> bool:
    """A regular file, or one whose kind cannot be told (reading it will say why); not a
    pipe or a device, which would block the reading."""
    try:
        return path.is_file() or not path.exists()
    except OSError:
        return True


def iter_answers(files: Iterable[Path], problems: list[tuple[str, str]]) -> Iterator[Answer]:
    """The answers in `files`, read one file at a time (a folder of mail is never held in
    memory whole); what cannot be used goes to `problems`, naming its file."""
    for path in files:
        found, trouble = read_answers(path)
        problems += trouble
        yield from found


def read_answers(path: Path) -> tuple[list[Answer], list[tuple[str, str]]]:
    """The answers in one file, and the problems found reading it. An e-mail is parsed as it
    is read, in chunks; one larger than `MAIL_MAX_BYTES`, or a calendar larger than
    `CALENDAR_MAX_BYTES`, is not read at all."""
    try:
        with path.open("rb") as f:
            head = f.read(_HEAD)
            if path.suffix.lower() == ".eml" or _looks_like_mail(head):
                calendars, problem = _calendar_parts(f, head, str(path))
                if problem:
                    return [], [(str(path), problem)]
                if not calendars:
                    return [], [(str(path), _("this e-mail carries no calendar reply (.ics)"))]
            else:
                data = head + f.read(CALENDAR_MAX_BYTES + 1 - len(head))
                if len(data) > CALENDAR_MAX_BYTES:
                    return [], [(str(path), _calendar_too_large())]
                calendars = [(str(path), data)]
    except OSError as exc:
        return [], [(str(path), _("cannot be read: {error}").format(error=exc.strerror or exc))]
    answers: list[Answer] = []
    problems: list[tuple[str, str]] = []
    for source, payload in calendars:
        try:
            answers += _answers(source, payload)
        except CMPlannerError as exc:
            problems.append((source, str(exc)))
    return answers, problems


def _calendar_parts(f: BinaryIO, head: bytes, where: str) -> tuple[list[tuple[str, bytes]], str]:
    """The calendars an e-mail carries — a text/calendar part, an .ics attachment — each
    once, as (source, bytes); or why they are not read. The message is parsed as it is read
    (the standard library's feed parser, the plain `compat32` policy: five times quicker)."""
    # imported on use, not at the top: keeps it off the start-up path
    import email.policy

    # imported on use, not at the top: keeps it off the start-up path
    from email.parser import BytesFeedParser

    too_large = _("the e-mail is over {limit}: larger than mail services deliver;"
                  " it was not read").format(limit=megabytes(MAIL_MAX_BYTES))  # fmt: skip
    if os.fstat(f.fileno()).st_size > MAIL_MAX_BYTES:
        return [], too_large
    parser = BytesFeedParser(policy=email.policy.compat32)
    size = len(head)
    parser.feed(head)
    while chunk := f.read(_CHUNK):
        size += len(chunk)
        if size > MAIL_MAX_BYTES:  # it grew while being read
            return [], too_large
        parser.feed(chunk)
    message = parser.close()
    found: dict[bytes, str] = {}  # the same reply inline and attached: read once, as attached
    oversized = False
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = _filename(part)
        if part.get_content_type() == "text/calendar" or filename.lower().endswith(".ics"):
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes):
                continue
            if len(payload) > CALENDAR_MAX_BYTES:
                oversized = True
                continue
            found[payload] = f"{where} ({filename})" if filename else where
    if not found and oversized:
        return [], _calendar_too_large()
    return [(source, payload) for payload, source in found.items()], ""


def _filename(part: Any) -> str:
    """An attachment's file name, its encoded words (RFC 2047) decoded."""
    # imported on use, not at the top: keeps it off the start-up path
    from email.header import decode_header, make_header

    name = part.get_filename() or ""
    if "=?" in name:
        # Left as written when it cannot be decoded: it names the part, nothing more.
        with contextlib.suppress(LookupError, ValueError, UnicodeError):
            name = str(make_header(decode_header(name)))
    return str(name)


def _calendar_too_large() -> str:
    return _("the calendar is over {limit}: too large for a reply; it was not read").format(
        limit=megabytes(CALENDAR_MAX_BYTES)
    )


def _looks_like_mail(data: bytes) -> bool:
    head = data[:2000].lstrip().lower()
    return not head.startswith(b"begin:vcalendar") and b"content-type:" in head


def _answers(source: str, data: bytes) -> list[Answer]:
    # imported on use, not at the top: keeps it off the start-up path
    import icalendar

    text = decode_text(data)
    check_lines(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            calendars = icalendar.Calendar.from_ical(text, multiple=True)
        except Exception as exc:  # icalendar raises ValueError and others
            raise IcsRefused(error_text(exc)) from exc
    found: list[Answer] = []
    for calendar in calendars:
        method = str(calendar.get("METHOD", "")).upper()
        if method != "REPLY":
            raise IcsRefused(
                _("not a reply (METHOD:{method}): use “events import” for a calendar").format(
                    method=method or "—"
                )
            )
        for event in calendar.walk("VEVENT"):
            uid = str(event.get("UID", "")).strip()
            rid = _when(event, "RECURRENCE-ID")
            attendees = event.get("ATTENDEE")
            if attendees is None:
                raise IcsRefused(_("the reply names no attendee"))
            attendees = attendees if isinstance(attendees, list) else [attendees]
            names = {_address(a): str(a.params.get("CN", "")).strip() for a in attendees}
            stamp = _stamp(_when(event, "DTSTAMP"))
            sequence = _sequence(event.get("SEQUENCE"))
            for attendee in attendees:
                params = attendee.params
                partstat = str(params.get("PARTSTAT", "NEEDS-ACTION")).upper()
                if params.get("DELEGATED-FROM") and partstat == "NEEDS-ACTION":
                    continue  # the delegate, as the delegating guest names them: no answer
                delegate = ""
                if partstat == "DELEGATED":
                    delegate = _address(_first(params.get("DELEGATED-TO", "")))
                    if "@" not in delegate:
                        raise IcsRefused(_("the reply delegates but names no delegate"))
                found.append(
                    Answer(
                        source,
                        uid,
                        rid,
                        _address(attendee),
                        str(params.get("CN", "")).strip(),
                        "" if delegate else _RSVP.get(partstat, "needs-action"),
                        stamp,
                        sequence,
                        delegate,
                        names.get(delegate, ""),
                    )
                )
    return found


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _address(value: Any) -> str:
    """A CAL-ADDRESS as a lower-case e-mail address (no "mailto:")."""
    address = str(value).strip().strip('"')
    if address.lower().startswith("mailto:"):
        address = address[7:]
    return address.strip().lower()


def _when(event: Any, name: str) -> dt.datetime | dt.date | None:
    """A date or date-time property's value (None when absent); a line icalendar could not
    read refuses the reply, naming it."""
    prop = event.get(name)
    if prop is None:
        return None
    try:
        value = _first(prop).dt
    except (ValueError, AttributeError) as exc:  # icalendar's broken property is a ValueError
        raise IcsRefused(_("the {property} line cannot be read").format(property=name)) from exc
    return value if isinstance(value, dt.datetime | dt.date) else None


def _stamp(value: dt.datetime | dt.date | None) -> dt.datetime | None:
    """DTSTAMP as an aware UTC instant (a floating one is read as UTC, as RFC 5545 wants it
    written); None when absent or not a date-time."""
    if not isinstance(value, dt.datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).replace(microsecond=0)


def _sequence(value: Any) -> int:
    try:
        return max(0, int(_first(value) or 0))
    except (TypeError, ValueError):
        return 0


# --- applying --------------------------------------------------------------------------------


def apply_replies(db: Database, paths: Sequence[Path | str]) -> RepliesReport:
    """Record every answer found in `paths` (files or folders): each guest's newest, if it
    is newer than the answer recorded (see the module's docstring)."""
    report = RepliesReport()
    files = files_in(paths, report.problems)
    if not files:
        report.problems.append((", ".join(map(str, paths)), _("no .ics or .eml file here")))
    answers = list(iter_answers(files, report.problems))
    # Newest first; each guest's first answer is the one to apply (stable: equal keys keep
    # the order the files were read in).
    answers.sort(key=lambda a: a.key, reverse=True)
    newest: dict[tuple[str, Any, str], Answer] = {}
    for answer in answers:
        group = (answer.uid, answer.recurrence_id, answer.email)
        first = newest.setdefault(group, answer)
        try:
            if first is answer:
                _apply(db, answer, report)
            else:
                _set_aside(db, answer, first, report)
        except CMPlannerError as exc:
            report.problems.append((answer.source, str(exc)))
    return report


@dataclass(frozen=True)
class _Guest:
    event_id: int
    title: str
    invitation_id: int
    name: str
    before: str
    occurrence: dt.datetime | None


def _guest(db: Database, answer: Answer, *, create: bool = False) -> _Guest:
    """The invitation the answer is for (for an occurrence: the guest's own row, made from
    the shared one with `create`, else the shared one until there is one); a CMPlannerError
    says why there is none."""
    with db.read() as con:
        row = con.execute(
            "SELECT id, title, timezone, rrule, start_local FROM event WHERE uid = ?",
            (answer.uid,),
        ).fetchone()
        if row is None:
            raise CMPlannerError(
                _("no event has the UID “{uid}”: nothing changed").format(uid=answer.uid)
            )
        event_id, title, zone, rrule, start = row
        guest = con.execute(
            "SELECT i.id, i.rsvp, c.given_name, c.family_name, c.nickname, c.language,"
            " c.formatted_name"
            " FROM invitation i"
            " JOIN contact c ON c.id = i.contact_id"
            " JOIN contact_email m ON m.contact_id = c.id"
            " WHERE i.event_id = ? AND i.occurrence IS NULL AND lower(m.address) = ?"
            " ORDER BY i.id LIMIT 1",
            (event_id, answer.email),
        ).fetchone()
    if guest is None:
        raise CMPlannerError(
            _("{email} is not a guest of “{title}”: nothing changed").format(
                email=answer.email, title=title
            )
        )
    invitation_id, before, given, family, nickname, language, formatted = guest
    name = display_name(given, family, nickname, language, formatted, answer.email)
    occurrence = None
    if answer.recurrence_id is not None:
        occurrence = _occurrence(answer.recurrence_id, zone, dt.datetime.fromisoformat(start))
        if not rrule:
            raise CMPlannerError(
                _(
                    "“{title}” does not repeat, but the reply is for one date: nothing changed"
                ).format(title=title)
            )
        invitation_id, before = _occurrence_row(db, invitation_id, occurrence, create=create)
    return _Guest(event_id, title, invitation_id, name, before, occurrence)


def _applied(answer: Answer, guest: _Guest, **more: Any) -> Applied:
    return Applied(
        answer.source,
        guest.event_id,
        guest.title,
        guest.name,
        answer.email,
        answer.rsvp or guest.before,
        guest.before,
        guest.occurrence,
        answer.stamp,
        answer.delegated_to,
        **more,
    )


def _set_aside(db: Database, answer: Answer, newest: Answer, report: RepliesReport) -> None:
    """A reply read with a newer one from the same guest: the same message twice is known,
    any other is older."""
    guest = _guest(db, answer)
    same = answer.key == newest.key and (answer.rsvp, answer.delegated_to) == (
        newest.rsvp,
        newest.delegated_to,
    )
    (report.unchanged if same else report.older).append(_applied(answer, guest))


def _apply(db: Database, answer: Answer, report: RepliesReport) -> None:
    guest = _guest(db, answer)
    with db.session() as session:
        row = session.get(Invitation, guest.invitation_id)
        assert row is not None
        stored = (row.reply_sequence, row.reply_stamp)
        delegated_to = row.delegated_to
    if stored != (None, None):
        recorded = (stored[0] or 0, _aware(stored[1]) or _EPOCH)
        if answer.key < recorded:
            report.older.append(_applied(answer, guest))
            return
        if answer.key == recorded and (answer.rsvp or guest.before, answer.delegated_to) == (
            guest.before,
            delegated_to,
        ):
            report.unchanged.append(_applied(answer, guest))
            return
    if guest.occurrence is not None:
        guest = _guest(db, answer, create=True)  # the answer is for that date only
    rsvp = answer.rsvp or guest.before
    changes = guests.set_rsvp(
        db,
        guest.invitation_id,
        rsvp,
        stamp=answer.stamp or _EPOCH,
        sequence=answer.sequence,
        delegated_to=answer.delegated_to,
    )
    report.changes = report.changes | changes
    report.promoted |= set(changes.invitations) - {guest.invitation_id}
    if answer.delegated_to:
        added = _invite_delegate(db, answer, guest, report) if guest.occurrence is None else False
        report.delegated.append(_applied(answer, guest, delegate_added=added))
    elif rsvp == guest.before:
        report.unchanged.append(_applied(answer, guest))
    else:
        report.applied.append(_applied(answer, guest))


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _invite_delegate(db: Database, answer: Answer, guest: _Guest, report: RepliesReport) -> bool:
    """The delegate joins the guest list (a contact found by e-mail, or a new one), with the
    delegating guest's role; False when they were on it already."""
    with db.read() as con:
        found = con.execute(
            "SELECT min(contact_id) FROM contact_email WHERE lower(address) = ?",
            (answer.delegated_to,),
        ).fetchone()[0]
    if found is None:
        found, changes = create_contact(db, guest_card(answer.delegate_name, answer.delegated_to))
        report.changes = report.changes | changes
    with db.session() as session:
        row = session.get(Invitation, guest.invitation_id)
        role = row.role if row is not None else "guest"
    changes = guests.add_guests(db, guest.event_id, [int(found)], role=role)
    report.changes = report.changes | changes
    return bool(changes.invitations)


def _occurrence(value: dt.datetime | dt.date, zone: str, series_start: dt.datetime) -> dt.datetime:
    """A RECURRENCE-ID as the series' original local start."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        return value.replace(microsecond=0)
    return dt.datetime.combine(value, series_start.time())


def _occurrence_row(
    db: Database, invitation_id: int, occurrence: dt.datetime, *, create: bool
) -> tuple[int, str]:
    """The guest's own row for that occurrence and its answer; when they have none yet, the
    shared row's (or, with `create`, a new own row made from it)."""
    # imported on use, not at the top: keeps it off the start-up path
    from sqlmodel import select

    with db.transaction() as session:
        shared = session.get(Invitation, invitation_id)
        assert shared is not None
        event = session.get(Event, shared.event_id)
        assert event is not None
        try:
            _check_occurrence(event, occurrence)
        except CMPlannerError as exc:
            raise CMPlannerError(_("{error}: nothing changed").format(error=exc)) from exc
        if create:
            own_id = _for_occurrence(session, shared, occurrence)
        else:
            found = session.exec(
                select(Invitation.id).where(
                    Invitation.event_id == shared.event_id,
                    Invitation.contact_id == shared.contact_id,
                    Invitation.occurrence == occurrence,
                )
            ).first()
            own_id = found if found is not None else invitation_id
        own = session.get(Invitation, own_id)
        assert own is not None
        return own_id, own.rsvp
