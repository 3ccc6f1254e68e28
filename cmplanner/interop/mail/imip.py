"""Invitations by e-mail (RFC 6047 iMIP): one message per guest, written as .eml files or
sent by SMTP, each logged in the sent log.

A message is what Gmail and Outlook send and expect:

    multipart/mixed
      multipart/alternative
        text/plain; charset=utf-8           what, when (local time and zone), where
        text/calendar; method=REQUEST; charset=UTF-8     the iTIP message (or CANCEL)
      application/ics; name=invite.ics      the same calendar, attached

The METHOD parameter on the text/calendar part is what makes a mail client show
Accept/Decline (or "remove from calendar") instead of a plain attachment. Headers are encoded
by the email package (RFC 2047 for non-ASCII names and subjects), lines end in CRLF.

Usage, also from a background job (no Qt; `progress(done, total)`):

    mailing = invitations(db, event_id)              # or cancellation(db, event_id, day)
    report = write_eml(db, mailing, folder)          # or send(db, mailing)
"""

from __future__ import annotations

import copy
import datetime as dt
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING, cast

from cmplanner import clock
from cmplanner.bus import Changes
from cmplanner.errors import CMPlannerError, ExportFailed
from cmplanner.formats import day_text, time_text, zone_text
from cmplanner.i18n import _
from cmplanner.interop.mail import itip, smtp
from cmplanner.interop.mail.itip import CANCEL, REQUEST, Organizer, Recipient
from cmplanner.recurrence import Override, next_occurrence
from cmplanner.recurrence_form import from_rrule, summary
from cmplanner.services import sent_log
from cmplanner.storage import Database
from cmplanner.storage.files import write_export
from cmplanner.timezones import zone

if TYPE_CHECKING:
    import ssl

    from cmplanner.interop.ics.export import ExportEvent
    from cmplanner.interop.mail.smtp import SmtpSettings

Progress = Callable[[int, int], None]

INVITATION = "invitation"
UPDATE = "update"
CANCELLATION = "cancellation"


@dataclass(frozen=True)
class Outgoing:
    """One message ready to go to one guest."""

    recipient: Recipient
    kind: str  # INVITATION, UPDATE or CANCELLATION
    method: str  # REQUEST or CANCEL
    sequence: int
    occurrence: dt.datetime | None
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])


@dataclass(frozen=True)
class Mailing:
    """The messages of one sending, and the guests who could not be written to."""

    event_id: int
    title: str
    method: str
    outgoing: tuple[Outgoing, ...]
    without_email: int  # guests skipped: no e-mail address
    waitlisted: int  # guests on the waiting list: not invited yet


@dataclass(frozen=True)
class RecipientResult:
    contact_id: int
    name: str
    email: str
    subject: str
    error: str = ""  # "" when it went out
    path: Path | None = None  # the .eml file written

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass(frozen=True)
class MailReport:
    results: tuple[RecipientResult, ...]
    without_email: int
    waitlisted: int
    changes: Changes = field(default_factory=Changes)  # the sent log

    @property
    def failed(self) -> tuple[RecipientResult, ...]:
        return tuple(r for r in self.results if not r.ok)


# -- what the message says -------------------------------------------------------------------


def when_text(event: ExportEvent, occurrence: dt.datetime | None = None) -> str:
    """The date and local time in the event's zone, in the user's locale:
    "jeudi 3 décembre 2026, 19:00 – 21:00, heure normale d’Europe centrale (Europe/Paris)",
    "Thursday, December 3, 2026, 7:00 PM – 9:00 PM, …" (en_US)."""
    start = occurrence or event.start_local
    end = start + (event.end_local - event.start_local)
    if event.all_day:
        last = max(start.date(), end.date())  # an all-day event's stored end is its last day
        first_text = day_text(start.date())
        if last <= start.date():
            return first_text
        return _("{first} to {last}").format(first=first_text, last=day_text(last))
    aware = start.replace(tzinfo=zone(event.tzid))
    finish = time_text(end)
    if end.date() != start.date():
        finish = f"{day_text(end.date())} {finish}"
    zone_label = zone_text(aware, event.tzid)
    return f"{day_text(start.date())}, {time_text(start)} – {finish}, {zone_label}"


def _repeat_text(event: ExportEvent) -> str:
    if not event.rrule:
        return ""
    repeat = from_rrule(event.rrule, event.start_local.date(), event.tzid)
    return summary(repeat) if repeat is not None else ""


def _next_start(event: ExportEvent) -> dt.datetime | None:
    """A series' next occurrence from now (its original or moved local start)."""
    if not event.rrule:
        return None
    exceptions = [Override(r, True) for r in event.skipped] + [
        Override(o.recurrence_id, False, o.start_local, o.end_local) for o in event.overrides
    ]
    found = next_occurrence(
        event.start_local,
        event.end_local,
        event.tzid,
        event.rrule,
        exceptions,
        clock.utc_now(),
    )
    return found.start_local if found is not None else None


def body_text(
    event: ExportEvent, who: Organizer, kind: str, occurrence: dt.datetime | None = None
) -> str:
    """The text/plain part, in the interface language."""
    if kind == CANCELLATION and occurrence is not None:
        opening = _("{organizer} has cancelled “{title}” on {date}.").format(
            organizer=who.name, title=event.title, date=when_text(event, occurrence)
        )
    elif kind == CANCELLATION:
        opening = _("{organizer} has cancelled “{title}”.").format(
            organizer=who.name, title=event.title
        )
    elif kind == UPDATE:
        opening = _(
            "{organizer} has changed the invitation to “{title}”. Here are the new details."
        ).format(organizer=who.name, title=event.title)
    else:
        opening = _("{organizer} invites you to “{title}”.").format(
            organizer=who.name, title=event.title
        )
    lines = [opening, ""]
    if not (kind == CANCELLATION and occurrence is not None):
        # A series under way is shown from its next date, with the day it began.
        upcoming = _next_start(event)
        under_way = upcoming is not None and upcoming > event.start_local
        lines.append(
            _("When: {when}").format(when=when_text(event, upcoming if under_way else None))
        )
        repeat = _repeat_text(event)
        if repeat and under_way:
            lines.append(
                _("Repeats: {rule} (since {date})").format(
                    rule=repeat, date=_short_date(event.start_local)
                )
            )
        elif repeat:
            lines.append(_("Repeats: {rule}").format(rule=repeat))
    where = ", ".join(p for p in (event.venue_name, event.venue_address) if p)
    if where:
        lines.append(_("Where: {place}").format(place=where))
    if event.url:
        lines.append(_("Online: {url}").format(url=event.url))
    if kind != CANCELLATION and event.description:
        lines += ["", event.description]
    lines.append("")
    if kind == CANCELLATION:
        lines.append(_("Your calendar app can remove it from your calendar."))
    else:
        lines.append(_("Accept or decline from your calendar app."))
    lines += ["", "-- ", f"{who.name} <{who.email}>", ""]
    return "\n".join(lines)


def subject(kind: str, title: str, occurrence: dt.datetime | None = None) -> str:
    if kind == CANCELLATION and occurrence is not None:
        return _("Cancelled: {title} ({date})").format(title=title, date=_short_date(occurrence))
    if kind == CANCELLATION:
        return _("Cancelled: {title}").format(title=title)
    if kind == UPDATE:
        return _("Updated invitation: {title}").format(title=title)
    return _("Invitation: {title}").format(title=title)


def _short_date(moment: dt.datetime) -> str:
    return day_text(moment.date(), "medium")


def _one_line(text: str) -> str:
    """A header's text: each line break becomes a space (French spaces kept as they are)."""
    return " ".join(text.splitlines())


def compose(
    event: ExportEvent,
    who: Organizer,
    guest: Recipient,
    kind: str,
    calendar: bytes,
    occurrence: dt.datetime | None = None,
) -> EmailMessage:
    """One guest's message (see the module's docstring for its MIME tree)."""
    method = CANCEL if kind == CANCELLATION else REQUEST
    message = EmailMessage(policy=SMTP)
    # A header is one line: a line break in a title or a name (stored by another program or
    # an older version) would be refused by the email package, or start a header of its own.
    message["From"] = Address(_one_line(who.name), addr_spec=who.email)
    message["To"] = Address(_one_line(guest.name), addr_spec=guest.email)
    message["Subject"] = _one_line(subject(kind, event.title, occurrence))
    message["Date"] = format_datetime(clock.utc_now())
    message["Message-ID"] = make_msgid(domain=who.email.rpartition("@")[2] or None)
    plain = MIMEPart(policy=SMTP)
    plain.set_content(body_text(event, who, kind, occurrence), charset="utf-8")
    invitation = MIMEPart(policy=SMTP)
    invitation.set_content(
        calendar, "text", "calendar", cte="base64", params={"method": method, "charset": "UTF-8"}
    )
    alternative = MIMEPart(policy=SMTP)
    alternative.make_alternative()
    alternative.attach(plain)
    alternative.attach(invitation)
    attached = MIMEPart(policy=SMTP)
    attached.set_content(
        calendar, "application", "ics", disposition="attachment", filename="invite.ics"
    )
    message["MIME-Version"] = "1.0"
    message.make_mixed()
    # Plain MIME parts: an EmailMessage part would repeat MIME-Version in each part.
    message.attach(cast(EmailMessage, alternative))
    message.attach(cast(EmailMessage, attached))
    return message


# -- planning a sending ----------------------------------------------------------------------


def invitations(db: Database, event_id: int, only: Collection[int] | None = None) -> Mailing:
    """The REQUEST messages for the event's guests (or the guests `only` names): an
    "Updated invitation" to a guest who was invited at an older SEQUENCE than the event's."""
    who = itip.organizer(db)
    event = itip.load_event(db, event_id)
    chosen = itip.recipients(db, event_id, who)
    previous = sent_log.sent_sequences(db, event_id)
    outgoing = []
    for guest in chosen.to:
        if only is not None and guest.contact_id not in only:
            continue
        before = previous.get(guest.contact_id)
        kind = UPDATE if before is not None and before < event.sequence else INVITATION
        calendar = itip.serialize(itip.request_calendar(event, who, guest))
        message = compose(event, who, guest, kind, calendar)
        outgoing.append(Outgoing(guest, kind, REQUEST, event.sequence, None, message))
    return Mailing(
        event_id, event.title, REQUEST, tuple(outgoing), chosen.without_email, chosen.waitlisted
    )


def cancellation(db: Database, event_id: int, occurrence: dt.datetime | None = None) -> Mailing:
    """The CANCEL messages to the event's guests, for the whole event or one occurrence (its
    original local start). Cancel it first (`itip.cancel_event`, `itip.cancel_occurrence`):
    that raises its SEQUENCE, which the messages carry."""
    who = itip.organizer(db)
    event = itip.load_event(db, event_id)
    chosen = itip.recipients(db, event_id, who)
    outgoing = []
    for guest in chosen.to:
        calendar = itip.serialize(itip.cancel_calendar(event, who, guest, occurrence))
        message = compose(event, who, guest, CANCELLATION, calendar, occurrence)
        outgoing.append(Outgoing(guest, CANCELLATION, CANCEL, event.sequence, occurrence, message))
    return Mailing(
        event_id, event.title, CANCEL, tuple(outgoing), chosen.without_email, chosen.waitlisted
    )


# -- writing and sending ---------------------------------------------------------------------


def safe_name(text: str) -> str:
    """A file name part anyone's file system takes: ASCII letters, digits and dashes."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = "".join(ch if ch.isalnum() else "-" for ch in plain.lower())
    return "-".join(part for part in slug.split("-") if part)[:60]


def eml_name(out: Outgoing) -> str:
    stem = safe_name(out.recipient.name) or "guest"
    return f"{out.kind}-{stem}-{out.recipient.contact_id}.eml"


def _result(out: Outgoing, error: str = "", path: Path | None = None) -> RecipientResult:
    g = out.recipient
    return RecipientResult(g.contact_id, g.name, g.email, out.subject, error, path)


def _log(db: Database, mailing: Mailing, results: list[RecipientResult], channel: str) -> Changes:
    records = [
        sent_log.SentRecord(
            contact_id=out.recipient.contact_id,
            email=out.recipient.email,
            method=out.method,
            sequence=out.sequence,
            channel=channel,
            error=result.error,
            occurrence=out.occurrence,
        )
        for out, result in zip(mailing.outgoing, results, strict=True)
    ]
    return sent_log.record(db, mailing.event_id, records)


def write_eml(
    db: Database, mailing: Mailing, folder: Path, progress: Progress | None = None
) -> MailReport:
    """One .eml file per guest in `folder` (made if it does not exist, but not the folders
    above it); logged as channel "eml". A file that cannot be written fails that guest only."""
    folder = Path(folder)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise CMPlannerError(
            _("Cannot create the folder {path}: {reason}").format(
                path=folder, reason=exc.strerror or exc
            )
        ) from None
    results: list[RecipientResult] = []
    total = len(mailing.outgoing)
    if progress:
        progress(0, total)
    for out in mailing.outgoing:
        path = folder / eml_name(out)
        message = copy.deepcopy(out.message)
        message["X-Unsent"] = "1"  # Outlook opens the file as a message ready to send
        try:
            write_export(path, message.as_bytes(policy=SMTP))
            results.append(_result(out, path=path))
        except ExportFailed as exc:
            results.append(_result(out, str(exc)))
        if progress:
            progress(len(results), total)
    changes = _log(db, mailing, results, sent_log.EML)
    return MailReport(tuple(results), mailing.without_email, mailing.waitlisted, changes)


def send(
    db: Database,
    mailing: Mailing,
    settings: SmtpSettings | None = None,
    password: str | None = None,
    progress: Progress | None = None,
    context: ssl.SSLContext | None = None,
) -> MailReport:
    """Send every message by SMTP (Preferences' settings, the keyring's password unless
    one is given); each guest's result is logged, a failure does not stop the others."""
    settings = settings or smtp.load_settings(db)
    deliveries = smtp.deliver(
        [o.message for o in mailing.outgoing],
        settings,
        password,
        progress=progress,
        context=context,
    )
    results = [
        _result(out, delivery.error)
        for out, delivery in zip(mailing.outgoing, deliveries, strict=True)
    ]
    changes = _log(db, mailing, results, sent_log.SMTP)
    return MailReport(tuple(results), mailing.without_email, mailing.waitlisted, changes)
