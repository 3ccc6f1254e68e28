"""Events as iCalendar (RFC 5545): the shared core of export, invitations and CalDAV.

`load_events` reads everything one event needs with plain sqlite3 (no ORM: exporting 10,000
events is mostly reading); `vevents` turns one event into its VEVENT components (the series
and one RECURRENCE-ID override per moved occurrence or per occurrence with its own status);
`build_calendar` adds one VTIMEZONE per TZID used, covering every year the events span;
`serialize` gives the bytes (CRLF, lines folded at 75 octets, never inside a UTF-8 character).
`export_file` streams: `iter_events` reads the rows in batches and `serialize_chunks` writes
each VEVENT as it is built, so a big export is never in memory whole.

Choices worth knowing:
- Times are written in the event's own IANA zone (TZID + VTIMEZONE), never as a fixed offset;
  all-day events are `VALUE=DATE` with an exclusive DTEND, computed from stored local dates only,
  so the bytes do not depend on the machine's time zone.
- DTSTAMP defaults to the event's last modification (UTC): exporting twice gives the same
  bytes, so a CalDAV publish sees what really changed. iTIP callers pass `stamp=` (now).
- CATEGORIES carries the kind's label (what Thunderbird, Outlook and Apple Calendar show);
  X-CMPLANNER-KIND keeps the machine value, so an import restores the kind in any language.
  Likewise X-CMPLANNER-* properties keep what the standard ones cannot say exactly (our
  status, the zone of an all-day event, objective and description apart from the composite
  DESCRIPTION, capacity, community, the venue's fields, online only): importing our own file
  gives back the same events (ics/parse.py reads them first; other programs ignore them).
- An all-day event stores its first and last day (the editor's "Starts"/"Ends" dates, both
  at 00:00; one day: the same date): DTEND is the day after the last.
- PUBLISH writes no ORGANIZER and no ATTENDEE: an event with a foreign ORGANIZER opens as a
  read-only invitation in Thunderbird and Outlook; the organizer's contact is in DESCRIPTION.
- What guests receive (`for_guests`: iTIP REQUEST and CANCEL, interop/mail/itip.py) holds only
  what guests should see: no X-CMPLANNER-* property, and a DESCRIPTION without the objective
  nor the venue's access notes. The calendar the CM publishes (export, CalDAV) keeps them.
"""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import icalendar

from cmplanner import clock
from cmplanner.errors import CMPlannerError, NotFound, ValidationError
from cmplanner.i18n import _
from cmplanner.model.enums import kind_label
from cmplanner.model.names import contact_name_sql, display_name
from cmplanner.recurrence import Override, last_start, occurrences
from cmplanner.services.preferences import IDENTITY_EMAIL, IDENTITY_NAME
from cmplanner.storage.files import write_export
from cmplanner.storage.sql import CHUNK, in_chunks, missing, sql_instant
from cmplanner.timezones import local_to_utc, zone

if TYPE_CHECKING:
    from cmplanner.storage import Database

PRODID = "-//CM Planner//CM Planner//EN"
# A series without end is covered by its VTIMEZONEs this many years after today (or after its
# start, if later). Calendars only need the rules to hold where they expand occurrences.
HORIZON_YEARS = 10
# icalendar's iCalendar STATUS for ours: an idea or a plan is tentative, a finished event
# did happen as announced.
STATUS = {
    "idea": "TENTATIVE",
    "planned": "TENTATIVE",
    "confirmed": "CONFIRMED",
    "done": "CONFIRMED",
    "cancelled": "CANCELLED",
}
KIND_PROPERTY = "X-CMPLANNER-KIND"
# What importing our own file reads back (cmplanner/interop/ics/parse.py).
STATUS_PROPERTY = "X-CMPLANNER-STATUS"
TIMEZONE_PROPERTY = "X-CMPLANNER-TIMEZONE"
OBJECTIVE_PROPERTY = "X-CMPLANNER-OBJECTIVE"
DESCRIPTION_PROPERTY = "X-CMPLANNER-DESCRIPTION"
CAPACITY_PROPERTY = "X-CMPLANNER-CAPACITY"
COMMUNITY_PROPERTY = "X-CMPLANNER-COMMUNITY"
ONLINE_PROPERTY = "X-CMPLANNER-ONLINE"  # "TRUE" for an online event
VENUE_PROPERTY = "X-CMPLANNER-VENUE"  # its name; the other fields in X-CMPLANNER-VENUE-…
VENUE_FIELDS = ("STREET", "POSTAL-CODE", "CITY", "COUNTRY", "ACCESS")
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class ExportGuest:
    contact_id: int
    name: str
    email: str  # the contact's first address, "" if none
    role: str
    rsvp: str
    occurrence: dt.datetime | None = None  # an occurrence's own guest (its original start)


@dataclass(frozen=True)
class ExportOccurrence:
    """One occurrence of a series that differs from the rule: moved and/or its own status."""

    recurrence_id: dt.datetime  # original local start
    start_local: dt.datetime  # the original one if only the status differs
    end_local: dt.datetime
    status: str  # our status ("" = the series')
    created: dt.datetime  # aware UTC
    updated: dt.datetime
    title: str = ""  # its own title ("" = the series')


@dataclass(frozen=True)
class ExportEvent:
    """Everything needed to write one event or series."""

    id: int
    uid: str
    sequence: int
    title: str
    kind: str
    status: str
    start_local: dt.datetime  # naive wall-clock time in `tzid`
    end_local: dt.datetime
    tzid: str
    all_day: bool
    rrule: str  # stored RRULE value ("" for a single event)
    skipped: tuple[dt.datetime, ...]  # original local starts of cancelled occurrences (EXDATE)
    overrides: tuple[ExportOccurrence, ...]  # RECURRENCE-ID components
    venue_name: str
    venue_address: str  # one line: street, postal code and city, country
    venue_access: str
    geo: tuple[float, float] | None  # latitude, longitude
    objective: str
    description: str
    in_person: bool
    url: str  # the online link, "" if none
    organizer_name: str  # the CM's identity (Preferences)
    organizer_email: str
    community: str
    created: dt.datetime  # aware UTC
    updated: dt.datetime
    guests: tuple[ExportGuest, ...] = ()  # never written by PUBLISH
    capacity: int | None = None
    has_venue: bool = False
    venue_street: str = ""
    venue_postal_code: str = ""
    venue_city: str = ""
    venue_country: str = ""

    @property
    def location(self) -> str:
        parts = [p for p in (self.venue_name, self.venue_address) if p]
        if not parts and not self.in_person and self.url:
            return self.url
        return ", ".join(parts)


# --- reading -------------------------------------------------------------------------------


def _utc(text: str | None) -> dt.datetime:
    if not text:
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    value = dt.datetime.fromisoformat(text)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _local(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=None)


def _address(street: str, postal_code: str, city: str, country: str) -> str:
    town = " ".join(p for p in (postal_code.strip(), city.strip()) if p)
    return ", ".join(p for p in (street.strip().replace("\n", ", "), town, country.strip()) if p)


def _identity(con: sqlite3.Connection) -> tuple[str, str]:
    found = dict(
        con.execute(
            "SELECT key, value FROM setting WHERE key IN (?, ?)", (IDENTITY_NAME, IDENTITY_EMAIL)
        ).fetchall()
    )
    return str(found.get(IDENTITY_NAME) or ""), str(found.get(IDENTITY_EMAIL) or "")


_EVENT_SQL = (
    "SELECT e.id, e.uid, e.sequence, e.title, e.kind, e.status, e.start_local, e.end_local,"
    " e.timezone, e.all_day, e.rrule, e.objective, e.description, e.in_person, e.online_url,"
    " e.created_at, e.updated_at, COALESCE(c.name, ''),"
    " v.name, v.street, v.postal_code, v.city, v.country, v.access_notes, v.latitude,"
    " v.longitude, e.capacity"
    " FROM event e LEFT JOIN venue v ON v.id = e.venue_id"
    " LEFT JOIN community c ON c.id = e.community_id"
)


def _community_id(con: sqlite3.Connection, community: str | int) -> int:
    if isinstance(community, int):
        row = con.execute("SELECT id FROM community WHERE id = ?", (community,)).fetchone()
    else:
        name = community.strip()
        row = con.execute("SELECT id FROM community WHERE name = ?", (name,)).fetchone()
        if row is None:  # SQLite's lower() folds ASCII only: compare in Python
            folded = name.casefold()
            rows = [
                r
                for r in con.execute("SELECT id, name FROM community")
                if r[1].casefold() == folded
            ]
            row = rows[0] if len(rows) == 1 else None
    if row is None:
        raise NotFound(_("There is no community “{name}”.").format(name=community))
    return int(row[0])


def load_events(
    db: Database,
    *,
    event_ids: Sequence[int] | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    community: str | int | None = None,
    guests: bool = True,
) -> list[ExportEvent]:
    """The events to write, in start order (then id).

    `event_ids`: only these (an unknown id raises NotFound). `start`/`end` (aware instants):
    only events with an occurrence overlapping [start, end) — a series is kept whole.
    `community`: a name (exact, else case-insensitive) or an id; unknown raises NotFound.
    `guests=False` skips reading the guest lists (PUBLISH never writes them)."""
    return list(
        iter_events(
            db, event_ids=event_ids, start=start, end=end, community=community, guests=guests
        )
    )


def iter_events(
    db: Database,
    *,
    event_ids: Sequence[int] | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    community: str | int | None = None,
    guests: bool = True,
    batch: int = CHUNK,
) -> Iterator[ExportEvent]:
    """`load_events` one at a time, the rows read `batch` by `batch`: a calendar of 100,000
    events is never in memory whole. NotFound is raised before the first event."""
    conditions: list[str] = []
    params: list[Any] = []
    with db.read() as con:
        if event_ids is not None:
            wanted = sorted({int(i) for i in event_ids})
            if not wanted:
                return
            found = {r[0] for r in con.execute("SELECT id FROM event")}
            unknown = [i for i in wanted if i not in found]
            if unknown:
                raise NotFound(missing("event", unknown[0]))
            if len(wanted) <= CHUNK:  # beyond, filtered below (SQLite limits parameters)
                conditions.append(f"e.id IN ({','.join('?' * len(wanted))})")
                params.extend(wanted)
        if community is not None:
            conditions.append("e.community_id = ?")
            params.append(_community_id(con, community))
        if end is not None:
            # Only rows that start before the end can have an occurrence in the range
            # (a moved occurrence of a series may start a little earlier than its slot).
            conditions.append("(e.start_utc < ? OR e.rrule != '')")
            params.append(sql_instant(end + dt.timedelta(days=366)))
        if start is not None:
            conditions.append("(e.end_utc >= ? OR e.rrule != '')")
            params.append(sql_instant(start - dt.timedelta(days=366)))
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        organizer = _identity(con)
        cursor = con.execute(f"{_EVENT_SQL}{where} ORDER BY e.start_utc, e.id", params)
        chosen = set(wanted) if event_ids is not None and len(wanted) > CHUNK else None
        while rows := cursor.fetchmany(batch):
            if chosen is not None:
                rows = [r for r in rows if r[0] in chosen]
            exceptions = _exceptions(con, [r[0] for r in rows if r[10]])
            guest_lists = _guests(con, [r[0] for r in rows]) if guests and rows else {}
            for row in rows:
                event = _event(row, exceptions, organizer, guest_lists)
                if (start is None and end is None) or _in_range(event, start, end):
                    yield event


_Exceptions = dict[int, list[tuple[dt.datetime, bool, str | None, str | None, str, str, str, str]]]


def _exceptions(con: sqlite3.Connection, series: list[int]) -> _Exceptions:
    found: _Exceptions = {}
    for chunk, marks in in_chunks(series):
        for event_id, rid, cancelled, s, e, status, created, updated, title in con.execute(
            "SELECT event_id, recurrence_id, cancelled, start_local, end_local, status,"
            " created_at, updated_at, title"
            f" FROM occurrence_exception WHERE event_id IN ({marks})"
            " ORDER BY event_id, recurrence_id",
            chunk,
        ):
            found.setdefault(event_id, []).append(
                (_local(rid), bool(cancelled), s, e, status or "", created, updated, title or "")
            )
    return found


def _guests(con: sqlite3.Connection, ids: list[int]) -> dict[int, list[ExportGuest]]:
    found: dict[int, list[ExportGuest]] = {}
    for chunk, marks in in_chunks(ids):
        for event_id, contact_id, *name, role, rsvp, occurrence in con.execute(
            f"SELECT i.event_id, i.contact_id, {contact_name_sql('c')},"
            " i.role, i.rsvp, i.occurrence"
            " FROM invitation i JOIN contact c ON c.id = i.contact_id"
            f" WHERE i.event_id IN ({marks}) ORDER BY i.event_id, i.id",
            chunk,
        ):
            found.setdefault(event_id, []).append(
                ExportGuest(
                    contact_id=contact_id,
                    name=display_name(*name),
                    email=name[5],  # the first e-mail
                    role=role,
                    rsvp=rsvp,
                    occurrence=_local(occurrence) if occurrence else None,
                )
            )
    return found


def _event(
    row: tuple[Any, ...],
    exceptions: _Exceptions,
    organizer: tuple[str, str],
    guest_lists: dict[int, list[ExportGuest]],
) -> ExportEvent:
    (event_id, uid, sequence, title, kind, status, begin, finish, zone, all_day, rule, objective,
     description, in_person, online_url, created, updated, community,
     venue, street, postal_code, city, country, access, latitude, longitude,
     capacity) = row  # fmt: skip
    start = _local(begin)
    end = _local(finish)
    skipped: list[dt.datetime] = []
    overrides: list[ExportOccurrence] = []
    for rid, cancelled, s, e, own_status, made, changed, own_title in exceptions.get(event_id, ()):
        if cancelled:
            skipped.append(rid)
            continue
        if s is None and not own_status and not own_title:
            continue  # only notes: nothing a calendar shows
        new_start = _local(s) if s else rid
        new_end = _local(e) if e else new_start + (end - start)
        overrides.append(
            ExportOccurrence(
                rid, new_start, new_end, own_status, _utc(made), _utc(changed), own_title
            )
        )
    has_geo = latitude is not None and longitude is not None
    return ExportEvent(
        id=event_id,
        uid=uid,
        sequence=sequence or 0,
        title=title,
        kind=kind or "",
        status=status or "planned",
        start_local=start,
        end_local=end,
        tzid=zone,
        all_day=bool(all_day),
        rrule=rule or "",
        skipped=tuple(skipped),
        overrides=tuple(overrides),
        venue_name=(venue or "").strip(),
        venue_address=_address(street or "", postal_code or "", city or "", country or "")
        if venue is not None
        else "",
        venue_access=(access or "").strip(),
        geo=(float(latitude), float(longitude)) if has_geo else None,
        objective=(objective or "").strip(),
        description=(description or "").strip(),
        in_person=bool(in_person),
        url=(online_url or "").strip(),
        organizer_name=organizer[0],
        organizer_email=organizer[1],
        community=community,
        created=_utc(created),
        updated=_utc(updated),
        guests=tuple(guest_lists.get(event_id, ())),
        capacity=capacity,
        has_venue=venue is not None,
        venue_street=(street or "").strip(),
        venue_postal_code=(postal_code or "").strip(),
        venue_city=(city or "").strip(),
        venue_country=(country or "").strip(),
    )


def _in_range(event: ExportEvent, start: dt.datetime | None, end: dt.datetime | None) -> bool:
    """Whether one occurrence of `event` overlaps [start, end)."""
    zone = _zone(event.tzid)
    duration = event.end_local - event.start_local
    overrides = [Override(r, True) for r in event.skipped] + [
        Override(o.recurrence_id, False, o.start_local, o.end_local) for o in event.overrides
    ]
    # Occurrences starting up to the longest duration before `start` may still overlap it.
    longest = max([duration, *(o.end_local - o.start_local for o in event.overrides)])
    after = start - longest - _ONE_DAY if start is not None else None
    before = end if end is not None else None
    if event.rrule and before is None:
        before = _horizon_end(event)
    try:
        found = occurrences(
            event.start_local, event.end_local, event.tzid, event.rrule, overrides, after, before
        )
        for occurrence in found:
            finish = occurrence.end_local
            if event.all_day:  # through the end of its last day
                last = max(finish.date(), occurrence.start_local.date())
                finish = dt.datetime.combine(last + _ONE_DAY, dt.time())
            end_utc = finish.replace(tzinfo=zone).astimezone(dt.UTC)
            if start is None or end_utc > start:
                return True
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            _("The recurrence rule “{rule}” is not valid: {reason}").format(
                rule=event.rrule, reason=exc
            )
        ) from exc
    return False


def _horizon_end(event: ExportEvent) -> dt.datetime:
    year = max(clock.today().year, event.start_local.year) + HORIZON_YEARS
    return dt.datetime(year, 1, 1, tzinfo=dt.UTC)


# --- building ------------------------------------------------------------------------------


@functools.cache
def _zone(tzid: str) -> ZoneInfo:
    return zone(tzid)  # an unknown name: a ValidationError that names it


@functools.cache
def _written_as_utc(tzid: str) -> bool:
    """Whether icalendar writes times of this zone in UTC ("…Z", no TZID): UTC, GMT, Zulu…"""
    sample = dt.datetime(2000, 1, 1, tzinfo=_zone(tzid))
    written: bytes = icalendar.vDatetime(sample).to_ical()  # type: ignore[no-untyped-call]
    return written.endswith(b"Z")


def _when(event: ExportEvent, local: dt.datetime) -> dt.date | dt.datetime:
    if event.all_day:
        return local.date()
    return local.replace(tzinfo=_zone(event.tzid))


def _all_day_end(start: dt.datetime, end: dt.datetime) -> dt.date:
    """The exclusive DTEND of an all-day event: the day after its last day (the stored end
    date, as the editor's "Ends" shows it; never before the start)."""
    return max(end.date(), start.date()) + _ONE_DAY


def _rrule(event: ExportEvent) -> icalendar.vRecur:
    """The stored rule with UNTIL in the form RFC 5545 requires: UTC for timed events (ours
    is local wall-clock time, as dateutil expands it), a DATE for all-day ones."""
    rule = _recur(event)
    untils = rule.get("UNTIL")
    if untils:
        until = untils[0]
        if event.all_day:
            rule["UNTIL"] = [until.date() if isinstance(until, dt.datetime) else until]
        else:
            if not isinstance(until, dt.datetime):
                until = dt.datetime.combine(until, dt.time())
            if until.tzinfo is None:
                until = until.replace(tzinfo=_zone(event.tzid))
            rule["UNTIL"] = [until.astimezone(dt.UTC)]
    return rule


def _recur(event: ExportEvent) -> icalendar.vRecur:
    """The stored rule, read by icalendar; one an old version stored that iCalendar cannot
    hold (a COUNT past 2^31) raises a ValidationError naming the event."""
    try:
        rule: icalendar.vRecur = icalendar.vRecur.from_ical(event.rrule)
    except ValueError as exc:
        raise ValidationError(
            _(
                "“{title}” cannot be written to iCalendar, its recurrence rule “{rule}” is"
                " not valid: {reason}. Edit the event to correct it."
            ).format(title=event.title, rule=event.rrule, reason=exc)
        ) from exc
    return rule


def description(event: ExportEvent, for_guests: bool = False) -> str:
    """The plain-text DESCRIPTION: objective, description, practical details, organizer;
    `for_guests`: without the objective and the access notes (the CM's own)."""
    blocks: list[str] = []
    if event.objective and not for_guests:
        blocks.append(_("Objective: {text}").format(text=event.objective))
    if event.description:
        blocks.append(event.description)
    practical: list[str] = []
    if event.venue_access and not for_guests:
        practical.append(_("Access: {notes}").format(notes=event.venue_access))
    if event.url:
        practical.append(_("Online: {url}").format(url=event.url))
    if event.community:
        practical.append(_("Community: {name}").format(name=event.community))
    name, email = event.organizer_name.strip(), event.organizer_email.strip()
    if name and email:
        practical.append(_("Organizer: {name} <{email}>").format(name=name, email=email))
    elif name or email:
        practical.append(_("Organizer: {name}").format(name=name or email))
    if practical:
        blocks.append("\n".join(practical))
    return "\n\n".join(blocks)


def _common(
    component: icalendar.Event,
    event: ExportEvent,
    stamp: dt.datetime,
    text: str,
    status: str,
    title: str = "",
    for_guests: bool = False,
) -> None:
    component.add("summary", title or event.title)
    if text:
        component.add("description", text)
    location = event.location
    if location:
        component.add("location", location)
    if event.geo is not None:
        component.add("geo", event.geo)
    if event.url:
        component.add("url", event.url)
    if event.kind:
        component.add("categories", [kind_label(event.kind)])
        if not for_guests:
            component.add(KIND_PROPERTY, icalendar.vText(event.kind))
    component.add("status", STATUS.get(status, "TENTATIVE"))
    component.add("sequence", event.sequence)
    component.add("dtstamp", stamp)
    if not for_guests:
        _ours(component, event, text, status)


def _ours(component: icalendar.Event, event: ExportEvent, text: str, status: str) -> None:
    """What only CM Planner reads back (see the module's docstring). X- values are TEXT
    (escaped as such: icalendar would write an unknown property's value as it is)."""

    def add(name: str, value: str) -> None:
        component.add(name, icalendar.vText(value))

    add(STATUS_PROPERTY, status)
    add(TIMEZONE_PROPERTY, event.tzid)
    if event.objective:
        add(OBJECTIVE_PROPERTY, event.objective)
    if text:  # DESCRIPTION is the composite: the description alone, even empty
        add(DESCRIPTION_PROPERTY, event.description)
    if event.capacity is not None:
        add(CAPACITY_PROPERTY, str(event.capacity))
    if event.community:
        add(COMMUNITY_PROPERTY, event.community)
    if not event.in_person:
        add(ONLINE_PROPERTY, "TRUE")
    if event.has_venue:
        add(VENUE_PROPERTY, event.venue_name)
        values = (
            event.venue_street,
            event.venue_postal_code,
            event.venue_city,
            event.venue_country,
            event.venue_access,
        )
        for name, value in zip(VENUE_FIELDS, values, strict=True):
            if value:
                add(f"{VENUE_PROPERTY}-{name}", value)


def vevents(
    event: ExportEvent, stamp: dt.datetime | None = None, for_guests: bool = False
) -> list[icalendar.Event]:
    """The event's VEVENTs: the event (or series master), then one RECURRENCE-ID override
    per occurrence moved or with its own status. `stamp` is DTSTAMP (aware; written in UTC;
    default: the event's last modification). `for_guests`: only what guests should see (see
    the module's docstring)."""
    stamp = (stamp or event.updated).astimezone(dt.UTC)
    text = description(event, for_guests)
    master = icalendar.Event()
    master.add("uid", event.uid)
    if event.all_day:
        master.add("dtstart", event.start_local.date())
        master.add("dtend", _all_day_end(event.start_local, event.end_local))
    else:
        master.add("dtstart", _when(event, event.start_local))
        master.add("dtend", _when(event, max(event.end_local, event.start_local)))
    if event.rrule:
        master.add("rrule", _rrule(event))
        if event.skipped:
            master.add("exdate", [_when(event, d) for d in event.skipped])
    _common(master, event, stamp, text, event.status, for_guests=for_guests)
    master.add("created", event.created)
    master.add("last-modified", event.updated)
    components = [master]
    if not event.rrule:
        return components
    for o in event.overrides:
        override = icalendar.Event()
        override.add("uid", event.uid)
        override.add("recurrence-id", _when(event, o.recurrence_id))
        if event.all_day:
            override.add("dtstart", o.start_local.date())
            override.add("dtend", _all_day_end(o.start_local, o.end_local))
        else:
            override.add("dtstart", _when(event, o.start_local))
            override.add("dtend", _when(event, max(o.end_local, o.start_local)))
        _common(override, event, stamp, text, o.status or event.status, o.title, for_guests)
        override.add("created", o.created)
        override.add("last-modified", max(o.updated, event.updated))
        components.append(override)
    return components


# --- time zones ----------------------------------------------------------------------------


def _last_local(event: ExportEvent) -> dt.datetime:
    """The latest local time the event reaches (a series without end: the horizon)."""
    ends = [event.end_local, *(o.end_local for o in event.overrides)]
    if event.rrule:
        rule = _recur(event)
        if rule.get("UNTIL"):
            until = rule["UNTIL"][0]
            day = until if not isinstance(until, dt.datetime) else until.date()
            after_until = dt.datetime.combine(day, dt.time()) + _ONE_DAY
            ends.append(after_until + (event.end_local - event.start_local))
        elif rule.get("COUNT") and (final := last_start(event.rrule, event.start_local)):
            ends.append(final + (event.end_local - event.start_local))
        else:  # no end, or more dates than are looked at
            ends.append(_horizon_end(event).replace(tzinfo=None))
    return max(ends)


def years_spanned(events: Iterable[ExportEvent]) -> dict[str, tuple[int, int]]:
    """Per TZID (all-day events need none): the first and last year its events reach."""
    spans: dict[str, tuple[int, int]] = {}
    for event in events:
        if event.all_day or _written_as_utc(event.tzid):
            continue
        first = min([event.start_local, *(o.start_local for o in event.overrides)]).year
        last = _last_local(event).year
        known = spans.get(event.tzid)
        spans[event.tzid] = (min(known[0], first), max(known[1], last)) if known else (first, last)
    return spans


@functools.lru_cache(maxsize=64)
def vtimezone(tzid: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """The VTIMEZONE of an IANA zone from 1 January of `first_year` to 1 January after
    `last_year`, built from the system's zoneinfo (after 2037 too: zoneinfo follows the
    zone's current rule). Shared between calls: do not modify it."""
    return icalendar.Timezone.from_tzinfo(
        _zone(tzid),
        tzid=tzid,
        first_date=dt.date(first_year, 1, 1),
        last_date=dt.date(min(last_year + 1, dt.MAXYEAR), 1, 1),
    )


def build_calendar(
    events: Sequence[ExportEvent],
    method: str = "PUBLISH",
    stamp: dt.datetime | None = None,
    *,
    for_guests: bool = False,
) -> icalendar.Calendar:
    """A VCALENDAR with the events' VEVENTs and one VTIMEZONE per TZID used; `for_guests`:
    only what guests should see (iTIP messages)."""
    calendar = _calendar_head(years_spanned(events), method)
    for event in events:
        for component in vevents(event, stamp, for_guests):
            calendar.add_component(component)
    return calendar


def _calendar_head(spans: dict[str, tuple[int, int]], method: str) -> icalendar.Calendar:
    """The VCALENDAR's properties and VTIMEZONEs, without any event yet."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    for tzid, (first, last) in sorted(spans.items()):
        calendar.add_component(vtimezone(tzid, first, last))
    return calendar


_CALENDAR_END = b"END:VCALENDAR\r\n"


def serialize_chunks(
    spans: dict[str, tuple[int, int]], events: Iterable[ExportEvent], method: str = "PUBLISH"
) -> Iterator[bytes]:
    """`serialize(build_calendar(events))` chunk by chunk, the same bytes: the calendar's
    head and VTIMEZONEs, then each VEVENT as it is built. `spans`: `years_spanned(events)`,
    found beforehand (the VTIMEZONEs come first and must cover every event)."""
    head = serialize(_calendar_head(spans, method))
    yield head[: -len(_CALENDAR_END)]  # a component serializes alone as inside its calendar
    for event in events:
        yield b"".join(component.to_ical() for component in vevents(event))
    yield _CALENDAR_END


def serialize(calendar: icalendar.Calendar) -> bytes:
    """The calendar's bytes: CRLF line ends, lines folded at 75 octets without splitting a
    UTF-8 character (icalendar's folding)."""
    data: bytes = calendar.to_ical()
    return data


# --- files ---------------------------------------------------------------------------------


class NothingToExport(CMPlannerError):
    """No event matched: no file is written (a VCALENDAR needs at least one component)."""


def day_range(
    first: dt.date | None, last: dt.date | None, zone: str
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Days `first`..`last` (inclusive, either open) as instants [start, end) in `zone`."""
    if first is not None and last is not None and last < first:
        raise ValidationError(_("The last day is before the first day."))
    start = local_to_utc(dt.datetime.combine(first, dt.time()), zone) if first else None
    end = local_to_utc(dt.datetime.combine(last + _ONE_DAY, dt.time()), zone) if last else None
    return start, end


def export_file(
    db: Database,
    path: Path | str,
    *,
    event_ids: Sequence[int] | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    community: str | int | None = None,
) -> int:
    """Write the chosen events (all, a range, a community's, some ids) to `path` as a
    PUBLISH calendar, atomically (an existing file is replaced whole or left as it was).
    Returns how many events were written; raises NothingToExport, NotFound, ExportFailed."""

    def events() -> Iterator[ExportEvent]:
        return iter_events(
            db, event_ids=event_ids, start=start, end=end, community=community, guests=False
        )

    # Read twice rather than held: the first pass counts and finds the VTIMEZONEs' years
    # (NotFound is raised then, before any file is touched), the second writes.
    count = 0

    def counted() -> Iterator[ExportEvent]:
        nonlocal count
        for event in events():
            count += 1
            yield event

    spans = years_spanned(counted())
    if not count:
        raise NothingToExport(_("No event matches: nothing was written."))
    write_export(Path(path), serialize_chunks(spans, events()))
    return count
