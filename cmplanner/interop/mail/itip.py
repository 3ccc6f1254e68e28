"""Invitations as iCalendar scheduling messages (RFC 5546 iTIP): REQUEST and CANCEL.

Each guest gets their own calendar, built from the event's export (`ics.export.vevents`)
with an ORGANIZER and ATTENDEE lines added to copies of its VEVENTs — the guests' version of
it: no X-CMPLANNER-* property, no objective nor access notes (the CM's own).

Who is listed. Outlook and Gmail list every attendee in every copy; a community's guests,
though, have not agreed to share their e-mail addresses with each other, and an invitation
to a meetup of 80 people would hand all 80 addresses to each of them. So each guest's
message lists the organizer and that guest only. Calendar apps need nothing more: they
find the recipient among the attendees (so Accept/Decline shows) and reply to the
organizer. The organizer is never an attendee (a guest whose address is the organizer's own
is left out).

Roles (RFC 5545 ROLE): a guest, a speaker and a volunteer are expected there
(REQ-PARTICIPANT — a speaker is not CHAIR: the organizer runs the event); a partner and the
press are welcome but optional (OPT-PARTICIPANT); staff are told for information
(NON-PARTICIPANT). Every attendee is asked to answer: PARTSTAT=NEEDS-ACTION, RSVP=TRUE —
also in an update, since SEQUENCE only goes up on a change of date, time, place, recurrence
or status, after which RFC 5546 asks attendees to answer again.

Cancelling goes through the event services, which raise the event's SEQUENCE: the whole
event takes the status "cancelled"; one occurrence of a series is skipped
(`events.skip_occurrence`). The CANCEL then carries the same UID and the new SEQUENCE, with
STATUS:CANCELLED (and the occurrence's RECURRENCE-ID in the event's TZID).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cmplanner import clock
from cmplanner.bus import Changes, Written
from cmplanner.errors import NotFound, ValidationError
from cmplanner.i18n import _
from cmplanner.interop.ics.export import build_calendar, load_events
from cmplanner.interop.ics.export import serialize as export_serialize
from cmplanner.model import Event, EventCreate
from cmplanner.services import preferences
from cmplanner.services.events import find_occurrence, skip_occurrence, update_event
from cmplanner.services.guests import guest_rows
from cmplanner.services.occurrences import exception_snapshot
from cmplanner.storage import Database
from cmplanner.storage.sql import get_or_raise, missing
from cmplanner.timezones import zone

if TYPE_CHECKING:
    import icalendar

    from cmplanner.interop.ics.export import ExportEvent

REQUEST = "REQUEST"
CANCEL = "CANCEL"

ROLES: dict[str, str] = {
    "guest": "REQ-PARTICIPANT",
    "speaker": "REQ-PARTICIPANT",
    "volunteer": "REQ-PARTICIPANT",
    "partner": "OPT-PARTICIPANT",
    "press": "OPT-PARTICIPANT",
    "staff": "NON-PARTICIPANT",
}
DEFAULT_ROLE = "REQ-PARTICIPANT"


@dataclass(frozen=True)
class Organizer:
    name: str
    email: str


@dataclass(frozen=True)
class Recipient:
    """A guest who receives the message."""

    contact_id: int
    name: str
    email: str
    role: str  # the guest's role in CM Planner (guest, speaker…)
    rsvp: str


@dataclass(frozen=True)
class Recipients:
    """Who gets the message, and who could not."""

    to: tuple[Recipient, ...]
    without_email: int  # guests with no e-mail address: skipped
    waitlisted: int  # guests on the waiting list: not invited yet


def organizer(db: Database) -> Organizer:
    """The CM's identity (Preferences); a clear error when it is not set."""
    # imported on use, not at the top: keeps it off the start-up path
    from email_validator import EmailNotValidError, validate_email

    name = preferences.get(db, preferences.IDENTITY_NAME).strip()
    email = preferences.get(db, preferences.IDENTITY_EMAIL).strip()
    if not name or not email:
        raise ValidationError(
            _(
                "Invitations are sent in your name: set your name and e-mail address in"
                " Preferences (Identity) first."
            )
        )
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(
            _("Your e-mail address “{email}” (Preferences, Identity) is not valid.").format(
                email=email
            )
        ) from None
    return Organizer(name, email)


def recipients(db: Database, event_id: int, organizer: Organizer) -> Recipients:
    """The event's guests (its shared list) who get invitations: those with an e-mail
    address, not waitlisted, never the organizer."""
    to: list[Recipient] = []
    without_email = waitlisted = 0
    own = organizer.email.casefold()
    for row in guest_rows(db, event_id):
        if row.contact_id is None:
            continue  # erased: nobody to write to
        if row.waitlist_position is not None:
            waitlisted += 1
        elif not row.email:
            without_email += 1
        elif row.email.casefold() != own:
            to.append(Recipient(row.contact_id, row.name, row.email, row.role, row.rsvp))
    return Recipients(tuple(to), without_email, waitlisted)


def load_event(db: Database, event_id: int) -> ExportEvent:
    found = load_events(db, event_ids=[event_id])
    if not found:
        raise NotFound(missing("event", event_id))
    return found[0]


# -- building the calendars ------------------------------------------------------------------


def _organizer_address(who: Organizer) -> icalendar.vCalAddress:
    # imported on use, not at the top: keeps it off the start-up path
    from icalendar import vCalAddress

    address = vCalAddress(f"mailto:{who.email}")
    address.params["CN"] = who.name
    return address


def _attendee(guest: Recipient) -> icalendar.vCalAddress:
    # imported on use, not at the top: keeps it off the start-up path
    from icalendar import vCalAddress

    address = vCalAddress(f"mailto:{guest.email}")
    address.params["CUTYPE"] = "INDIVIDUAL"
    address.params["ROLE"] = ROLES.get(guest.role, DEFAULT_ROLE)
    address.params["PARTSTAT"] = "NEEDS-ACTION"
    address.params["RSVP"] = "TRUE"
    address.params["CN"] = guest.name
    return address


def _address_them(vevent: icalendar.Event, who: Organizer, guest: Recipient) -> None:
    for name in ("ORGANIZER", "ATTENDEE"):
        while name in vevent:
            del vevent[name]
    vevent.add("ORGANIZER", _organizer_address(who))
    vevent.add("ATTENDEE", _attendee(guest))


def _vevents(calendar: icalendar.Calendar) -> list[icalendar.Event]:
    # imported on use, not at the top: keeps it off the start-up path
    import icalendar

    return [c for c in calendar.subcomponents if isinstance(c, icalendar.Event)]


def request_calendar(
    event: ExportEvent, who: Organizer, guest: Recipient, stamp: dt.datetime | None = None
) -> icalendar.Calendar:
    """METHOD:REQUEST for one guest: the event (and its moved occurrences) addressed to
    the organizer and that guest. DTSTAMP: `stamp`, default now."""
    calendar = build_calendar(
        [event], method=REQUEST, stamp=stamp or clock.utc_now(), for_guests=True
    )
    for vevent in _vevents(calendar):
        _address_them(vevent, who, guest)
    return calendar


def cancel_calendar(
    event: ExportEvent,
    who: Organizer,
    guest: Recipient,
    occurrence: dt.datetime | None = None,
    stamp: dt.datetime | None = None,
) -> icalendar.Calendar:
    """METHOD:CANCEL for one guest: the whole event, or one occurrence (its original local
    start) with a RECURRENCE-ID in the event's time zone. STATUS:CANCELLED, same UID, the
    event's current SEQUENCE."""
    calendar = build_calendar(
        [event], method=CANCEL, stamp=stamp or clock.utc_now(), for_guests=True
    )
    master, *overrides = _vevents(calendar)
    for component in overrides:  # the CANCEL of the master covers every occurrence
        calendar.subcomponents.remove(component)
    if occurrence is not None:
        _make_occurrence(master, event, occurrence)
    master["STATUS"] = "CANCELLED"
    _address_them(master, who, guest)
    return calendar


def _make_occurrence(master: icalendar.Event, event: ExportEvent, occurrence: dt.datetime) -> None:
    """Turn the series' VEVENT into one occurrence's: RECURRENCE-ID and DTSTART at its
    original start (in the event's TZID), no RRULE/EXDATE/RDATE."""
    for name in ("RRULE", "EXDATE", "RDATE", "DTSTART", "DTEND", "DURATION", "RECURRENCE-ID"):
        while name in master:
            del master[name]
    length = event.end_local - event.start_local
    if event.all_day:
        day = occurrence.date()
        master.add("RECURRENCE-ID", day)
        master.add("DTSTART", day)
        master.add(
            "DTEND",
            day
            + max(
                dt.timedelta(days=(event.end_local.date() - event.start_local.date()).days),
                dt.timedelta(days=1),
            ),
        )
    else:
        tz = zone(event.tzid)
        master.add("RECURRENCE-ID", occurrence.replace(tzinfo=tz))
        master.add("DTSTART", occurrence.replace(tzinfo=tz))
        master.add("DTEND", (occurrence + length).replace(tzinfo=tz))


def serialize(calendar: icalendar.Calendar) -> bytes:
    return export_serialize(calendar)


# -- cancelling through the services (SEQUENCE goes up) --------------------------------------


def cancel_event(db: Database, event_id: int) -> Changes:
    """Give the whole event the status "cancelled" (its SEQUENCE goes up); nothing to do
    when it already has it."""
    with db.session() as session:
        row = get_or_raise(session, Event, event_id)
        if row.status == "cancelled":
            return Changes()
        data = EventCreate.model_validate(row, update={"status": "cancelled"})
    return update_event(db, event_id, data)


def cancel_occurrence(db: Database, event_id: int, day: dt.date) -> Written[dt.datetime]:
    """Skip the series' occurrence on `day` (its SEQUENCE goes up) unless it already is;
    returns the occurrence's original local start (its RECURRENCE-ID)."""
    original = find_occurrence(db, event_id, day)
    current = exception_snapshot(db, event_id, original)
    if current is None or not current.cancelled:
        return Written(original, skip_occurrence(db, event_id, original))
    return Written(original, Changes())
