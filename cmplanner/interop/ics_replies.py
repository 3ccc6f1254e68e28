"""Guests' answers (iTIP METHOD:REPLY): an .ics, an .eml carrying one (a text/calendar part or
an .ics attachment), or a folder of them → each guest's RSVP.

A reply is matched by UID (and RECURRENCE-ID: the guest's own row for that occurrence) and by
the attendee's e-mail; the answer goes through `services.guests.set_rsvp`, so a decline
promotes the waitlist. A reply that matches no event or no guest changes nothing and says why,
naming its file.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from cmplanner.bus import Changes
from cmplanner.errors import CMPlannerError
from cmplanner.i18n import _, ngettext

if TYPE_CHECKING:
    from cmplanner.storage import Database

_RSVP = {
    "ACCEPTED": "accepted",
    "DECLINED": "declined",
    "TENTATIVE": "tentative",
    "NEEDS-ACTION": "needs-action",
}
_SUFFIXES = (".ics", ".eml")


@dataclass(frozen=True)
class Answer:
    """One attendee's answer read from a reply."""

    source: str  # the file (and part) it came from
    uid: str
    recurrence_id: dt.datetime | dt.date | None  # aware, naive or a date, as in the file
    email: str
    name: str
    rsvp: str


@dataclass(frozen=True)
class Applied:
    source: str
    event_id: int
    title: str
    name: str
    email: str
    rsvp: str
    before: str
    occurrence: dt.datetime | None


@dataclass
class RepliesReport:
    applied: list[Applied] = field(default_factory=list)
    unchanged: list[Applied] = field(default_factory=list)  # the answer was already recorded
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    promoted: set[int] = field(default_factory=set)  # invitations moved off the waitlist
    changes: Changes = field(default_factory=Changes)

    def summary(self) -> str:
        text = ngettext("{n} answer recorded", "{n} answers recorded", len(self.applied)).format(
            n=len(self.applied)
        )
        if self.unchanged:
            text += ", " + ngettext(
                "{n} already known", "{n} already known", len(self.unchanged)
            ).format(n=len(self.unchanged))
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
            }

        return {
            "applied": [row(a) for a in self.applied],
            "unchanged": [row(a) for a in self.unchanged],
            "problems": [{"file": f, "problem": why} for f, why in self.problems],
            "promoted": sorted(self.promoted),
        }


# --- reading ---------------------------------------------------------------------------------


def files_in(paths: Iterable[Path | str]) -> list[Path]:
    """The .ics and .eml files named, folders searched (in name order)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in _SUFFIXES
            )
        else:
            found.append(path)
    return found


def read_answers(path: Path) -> tuple[list[Answer], list[tuple[str, str]]]:
    """The answers in one file, and the problems found reading it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [(str(path), _("cannot be read: {error}").format(error=exc.strerror or exc))]
    calendars: list[tuple[str, bytes]] = []
    if path.suffix.lower() == ".eml" or _looks_like_mail(data):
        message = email.message_from_bytes(data, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        for part in message.walk():
            if part.is_multipart():
                continue
            filename = part.get_filename() or ""
            if part.get_content_type() == "text/calendar" or filename.lower().endswith(".ics"):
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    calendars.append((f"{path} ({filename})" if filename else str(path), payload))
        if not calendars:
            return [], [(str(path), _("this e-mail carries no calendar reply (.ics)"))]
        # The same reply inline and attached: read it once.
        calendars = list({payload: (src, payload) for src, payload in calendars}.values())
    else:
        calendars.append((str(path), data))
    answers: list[Answer] = []
    problems: list[tuple[str, str]] = []
    for source, payload in calendars:
        try:
            answers += _answers(source, payload)
        except CMPlannerError as exc:
            problems.append((source, str(exc)))
    return answers, problems


def _looks_like_mail(data: bytes) -> bool:
    head = data[:2000].lstrip().lower()
    return not head.startswith(b"begin:vcalendar") and b"content-type:" in head


def _answers(source: str, data: bytes) -> list[Answer]:
    import warnings

    import icalendar

    from cmplanner.interop.ics_import import IcsRefused, check_lines, decode_text

    text = decode_text(data)
    check_lines(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            calendars = icalendar.Calendar.from_ical(text, multiple=True)
        except Exception as exc:
            raise IcsRefused(str(exc)) from exc
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
            rid = event.get("RECURRENCE-ID")
            attendees = event.get("ATTENDEE")
            if attendees is None:
                raise IcsRefused(_("the reply names no attendee"))
            for attendee in attendees if isinstance(attendees, list) else [attendees]:
                address = str(attendee).strip()
                if address.lower().startswith("mailto:"):
                    address = address[7:]
                params = getattr(attendee, "params", {})
                partstat = str(params.get("PARTSTAT", "NEEDS-ACTION")).upper()
                found.append(
                    Answer(
                        source,
                        uid,
                        rid.dt if rid is not None else None,
                        address.strip().lower(),
                        str(params.get("CN", "")).strip(),
                        _RSVP.get(partstat, "needs-action"),
                    )
                )
    return found


# --- applying --------------------------------------------------------------------------------


def apply_replies(db: Database, paths: Sequence[Path | str]) -> RepliesReport:
    """Record every answer found in `paths` (files or folders)."""
    report = RepliesReport()
    files = files_in(paths)
    if not files:
        report.problems.append((", ".join(map(str, paths)), _("no .ics or .eml file here")))
    for path in files:
        answers, problems = read_answers(path)
        report.problems += problems
        for answer in answers:
            try:
                _apply(db, answer, report)
            except CMPlannerError as exc:
                report.problems.append((answer.source, str(exc)))
    return report


def _apply(db: Database, answer: Answer, report: RepliesReport) -> None:
    from cmplanner.model.names import display_name
    from cmplanner.services import guests

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
            "SELECT i.id, i.rsvp, c.given_name, c.family_name, c.nickname, c.formatted_name"
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
    invitation_id, before, given, family, nickname, formatted = guest
    name = display_name(given, family, nickname, formatted, answer.email)
    occurrence = None
    if answer.recurrence_id is not None:
        occurrence = _occurrence(answer.recurrence_id, zone, dt.datetime.fromisoformat(start))
        if not rrule:
            raise CMPlannerError(
                _(
                    "“{title}” does not repeat, but the reply is for one date: nothing changed"
                ).format(title=title)
            )
        invitation_id, before = _occurrence_row(db, invitation_id, occurrence)
    applied = Applied(
        answer.source, event_id, title, name, answer.email, answer.rsvp, before, occurrence
    )
    if before == answer.rsvp:
        report.unchanged.append(applied)
        return
    changes = guests.set_rsvp(db, invitation_id, answer.rsvp)
    report.changes = report.changes | changes
    report.promoted |= set(changes.invitations) - {invitation_id}
    report.applied.append(applied)


def _occurrence(value: dt.datetime | dt.date, zone: str, series_start: dt.datetime) -> dt.datetime:
    """A RECURRENCE-ID as the series' original local start."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        return value.replace(microsecond=0)
    return dt.datetime.combine(value, series_start.time())


def _occurrence_row(db: Database, invitation_id: int, occurrence: dt.datetime) -> tuple[int, str]:
    """The guest's own row for that occurrence (made from the shared one), and its answer."""
    from cmplanner.model import Event, Invitation
    from cmplanner.services.events import _check_occurrence
    from cmplanner.services.guests import _for_occurrence

    with db.transaction() as session:
        shared = session.get(Invitation, invitation_id)
        assert shared is not None
        event = session.get(Event, shared.event_id)
        assert event is not None
        try:
            _check_occurrence(event, occurrence)
        except CMPlannerError as exc:
            raise CMPlannerError(_("{error}: nothing changed").format(error=exc)) from exc
        own_id = _for_occurrence(session, shared, occurrence)
        own = session.get(Invitation, own_id)
        assert own is not None
        return own_id, own.rsvp
