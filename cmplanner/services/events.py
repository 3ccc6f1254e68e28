"""Events and recurring series: creation and edits in local time and zone, occurrences
over a period, skipped and moved occurrences, closing an event, check-in at the door."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from cmplanner import clock
from cmplanner.bus import Changes, Written
from cmplanner.errors import NotFound, ValidationError
from cmplanner.i18n import _
from cmplanner.model.names import contact_name_sql, display_name
from cmplanner.recurrence import Override, check_rule, first_start, is_occurrence, occurrences
from cmplanner.services import preferences
from cmplanner.services.event_dates import OccurrenceRead, naive_or_none, occurrences_between
from cmplanner.storage.sql import get_or_raise, in_chunks, missing
from cmplanner.timezones import check_day, local_to_utc
from cmplanner.timezones import zone as zone_info

if TYPE_CHECKING:
    from sqlmodel import Session

    from cmplanner.model import Event, EventCreate, EventRead, OccurrenceException
    from cmplanner.recurrence import Override
    from cmplanner.storage import Database

# The tables (SQLAlchemy, SQLModel: most of a cold `events list`) are imported by the
# functions that write or need rows; listing occurrences reads with plain sqlite3.

# Changing one of these makes calendars holding the event update it (iCalendar SEQUENCE).
_SIGNIFICANT = ("start_local", "end_local", "timezone", "all_day", "venue_id", "rrule", "status")


def bump_sequence(session: Session, event: Event) -> None:
    """A change calendars holding the event must take: its SEQUENCE goes up, it is stamped
    and saved (in the caller's transaction)."""
    event.sequence += 1
    event.updated_at = clock.utc_now()
    session.add(event)


def event_changed(event_id: int) -> Changes:
    """What a write to one event changed."""
    return Changes(events=frozenset({event_id}))


# Control characters (C0, DEL, C1: newline, CR, tab…) and Unicode's line and paragraph
# separators. Migration 0010 applied the same rule to the titles stored before.
_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: str) -> str:
    """A title as one line, whichever way it came in (editor, command line, .ics): each run
    of line breaks, tabs and other control characters becomes a space, as do runs of spaces;
    no space at either end."""
    return " ".join(_BREAKS.sub(" ", text).split())


TITLE_LENGTH = 300  # as Event.title's max_length


def event_title(text: str) -> str:
    """A title as stored: one line (see `one_line`), not empty, at most TITLE_LENGTH long."""
    title = one_line(text)
    if not title:
        raise ValidationError(_("An event needs a title."))
    if len(title) > TITLE_LENGTH:
        raise ValidationError(
            _("An event's title has at most {most} characters; this one has {count}.").format(
                most=TITLE_LENGTH, count=len(title)
            )
        )
    return title


def normalize_rrule(rule: str, start_local: dt.datetime, zone: str | None = None) -> str:
    """The RRULE value as stored: no "RRULE:" prefix, upper case, no spaces ("BYDAY=MO, TU"
    as some programs write it), and UNTIL in the series' local wall-clock time like its start
    (dateutil refuses a UTC UNTIL beside a naive start): an UNTIL in UTC ("…Z") is converted
    into `zone`, the same instant. A rule dateutil cannot read raises a ValidationError that
    names it: so does one CM Planner does not store (`recurrence.check_rule`: more than once
    a day, an INTERVAL or COUNT of 0, an absurd COUNT or UNTIL, no date at all)."""
    value = "".join(rule.split())
    if value.upper().startswith("RRULE:"):
        value = value[len("RRULE:") :]
    value = value.upper()
    if not value:
        return ""
    try:
        if "FREQ=" not in value:
            raise ValueError(_("FREQ is missing"))
        value = _local_until(value, zone)
        check_rule(value, start_local)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise ValidationError(
            _("The recurrence rule “{rule}” is not valid: {reason}").format(rule=rule, reason=exc)
        ) from exc
    return value


def _local_until(value: str, zone: str | None) -> str:
    """The rule with an UNTIL in UTC turned into local time in `zone` (kept as written
    when no zone is given: dateutil then says what is wrong)."""
    parts = value.split(";")
    for n, part in enumerate(parts):
        name, _sep, until = part.partition("=")
        if name != "UNTIL" or not until.endswith("Z") or zone is None:
            continue
        instant = dt.datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        try:
            parts[n] = "UNTIL=" + f"{instant.astimezone(zone_info(zone)):%Y%m%dT%H%M%S}"
        except OverflowError:  # at the ends of the calendar
            raise ValueError(_("{part} is outside the calendar").format(part=part)) from None
    return ";".join(parts)


def event_from(data: EventCreate) -> Event:
    """Build an Event row from its Create model: checks it and fills the UTC columns."""
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.model import Event

    title = event_title(data.title)
    check_day(data.start_local.date())
    check_day(data.end_local.date())
    if data.end_local < data.start_local:
        raise ValidationError(_("The event “{title}” ends before it starts.").format(title=title))
    values = data.model_dump()
    values["title"] = title
    values["rrule"] = normalize_rrule(data.rrule, data.start_local, data.timezone)
    return Event(
        **values,
        start_utc=local_to_utc(data.start_local, data.timezone),
        end_utc=local_to_utc(data.end_local, data.timezone),
    )


def add_event_in(session: Session, data: EventCreate) -> Event:
    """A new event at the venue and for the community `data` gives by id, inside the
    caller's transaction (`create_event` finds them by name)."""
    event = event_from(data)
    session.add(event)
    session.flush()
    return event


def create_event(
    db: Database, data: EventCreate, *, venue: str = "", community: str = ""
) -> Written[EventRead]:
    """Create the event; `venue` and `community` name the ones it is at and for, found by
    name (« le périscope » is « Le Périscope ») or made. One transaction: when the event
    cannot be written, no venue or community is left made for it."""
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.model import Community, EventRead, Venue

    event = event_from(data)  # checked before anything is written
    with db.transaction() as session:
        venue_id, new_venue = _named_or_new(session, Venue, venue)
        community_id, new_community = _named_or_new(session, Community, community)
        if venue_id is not None:
            event.venue_id = venue_id
        if community_id is not None:
            event.community_id = community_id
        session.add(event)
        session.flush()
        read = EventRead.model_validate(event)
    changes = Changes(
        events=frozenset({read.id}),
        venues=frozenset({venue_id} if new_venue and venue_id else ()),
        communities=frozenset({community_id} if new_community and community_id else ()),
    )
    return Written(read, changes)


def _named_or_new(session: Session, model: Any, name: str) -> tuple[int | None, bool]:
    """The id of the venue or community `name` names (None for no name), and whether it was
    made now."""
    name = one_line(name)
    if not name:
        return None, False
    from cmplanner.services.vocabulary import named_id_in  # on use: off the start-up path

    found = named_id_in(session, model, name)
    if found is not None:
        return found, False
    row = model(name=name)
    session.add(row)
    session.flush()
    return int(row.id), True


def _get_event(session: Session, event_id: int) -> Event:
    from cmplanner.model import Event  # the tables: not for the sqlite3 reading paths

    return get_or_raise(session, Event, event_id)


def update_event(db: Database, event_id: int, data: EventCreate) -> Changes:
    """Replace the event's fields; a change of date, time, zone, venue, recurrence or status
    bumps its SEQUENCE. The UTC columns follow the local time and zone."""
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.model import EventCreate

    checked = event_from(data)
    with db.transaction() as session:
        event = _get_event(session, event_id)
        significant = any(getattr(event, n) != getattr(checked, n) for n in _SIGNIFICANT)
        for name in EventCreate.model_fields:
            setattr(event, name, getattr(checked, name))
        event.start_utc = checked.start_utc
        event.end_utc = checked.end_utc
        if significant:
            bump_sequence(session, event)
    return event_changed(event_id)


# -- exceptions to a series ------------------------------------------------------------------


def _check_occurrence(event: Event, original: dt.datetime) -> None:
    if not event.rrule:
        raise ValidationError(_("“{title}” is not a recurring event.").format(title=event.title))
    if not is_occurrence(event.rrule, event.start_local, original):
        raise ValidationError(
            _("“{title}” has no occurrence on {when}.").format(
                title=event.title, when=f"{original:%Y-%m-%d %H:%M}"
            )
        )


def _exception(session: Session, event_id: int, original: dt.datetime) -> OccurrenceException:
    # imported on use, not at the top: keeps it off the start-up path
    from sqlmodel import select

    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.model import OccurrenceException

    found = session.exec(
        select(OccurrenceException).where(
            OccurrenceException.event_id == event_id,
            OccurrenceException.recurrence_id == original,
        )
    ).first()
    return found or OccurrenceException(event_id=event_id, recurrence_id=original)


def find_occurrence(db: Database, event_id: int, day: dt.date) -> dt.datetime:
    """The original local start of the series' occurrence on `day` (its first that day)."""
    with db.session() as session:
        event = _get_event(session, event_id)
    if not event.rrule:
        raise ValidationError(_("“{title}” is not a recurring event.").format(title=event.title))
    first = dt.datetime.combine(day, dt.time())
    found = first_start(event.rrule, event.start_local, first, first + dt.timedelta(days=1))
    if found is None:
        raise ValidationError(
            _("“{title}” has no occurrence on {when}.").format(
                title=event.title, when=day.isoformat()
            )
        )
    return found


def skip_occurrence(db: Database, event_id: int, occurrence_local_start: dt.datetime) -> Changes:
    """Cancel one occurrence of a series (an EXDATE); the series' SEQUENCE goes up."""
    with db.transaction() as session:
        skip_occurrence_in(session, event_id, occurrence_local_start)
    return event_changed(event_id)


def skip_occurrence_in(
    session: Session,
    event_id: int,
    occurrence_local_start: dt.datetime,
    *,
    keep_sequence: bool = False,
) -> None:
    """`skip_occurrence` inside the caller's transaction. `keep_sequence` while the series
    itself is being written (no calendar holds it yet): its SEQUENCE stays."""
    event = _get_event(session, event_id)
    _check_occurrence(event, occurrence_local_start)
    row = _exception(session, event_id, occurrence_local_start)
    row.cancelled = True
    row.start_local = row.end_local = None
    row.updated_at = clock.utc_now()
    session.add(row)
    if not keep_sequence:
        bump_sequence(session, event)


def move_occurrence(
    db: Database,
    event_id: int,
    original: dt.datetime,
    new_start: dt.datetime,
    new_end: dt.datetime,
    notes: str | None = None,
) -> Changes:
    """Move one occurrence of a series to another local time (a RECURRENCE-ID override);
    `notes` say why (None keeps the occurrence's notes)."""
    with db.transaction() as session:
        move_occurrence_in(session, event_id, original, new_start, new_end, notes)
    return event_changed(event_id)


def move_occurrence_in(
    session: Session,
    event_id: int,
    original: dt.datetime,
    new_start: dt.datetime,
    new_end: dt.datetime,
    notes: str | None = None,
    *,
    keep_sequence: bool = False,
) -> None:
    """`move_occurrence` inside the caller's transaction (`keep_sequence`: as for
    `skip_occurrence_in`)."""
    if new_end < new_start:
        raise ValidationError(_("The occurrence ends before it starts."))
    event = _get_event(session, event_id)
    _check_occurrence(event, original)
    row = _exception(session, event_id, original)
    row.cancelled = False
    row.start_local = new_start
    row.end_local = new_end
    if notes is not None:
        row.notes = notes
    row.updated_at = clock.utc_now()
    session.add(row)
    if not keep_sequence:
        bump_sequence(session, event)


# -- after the event ---------------------------------------------------------------------------


# Follow-up tasks created when an event is closed, in French like the checklist templates
# (they become the CM's own tasks): (title, days after the event).
FOLLOW_UP: tuple[tuple[str, int], ...] = (
    ("Remercier la salle", 1),
    ("Remercier les partenaires", 1),
    ("Envoyer un questionnaire aux participants", 2),
    ("Écrire un mot aux absents", 2),
    ("Partager les photos", 3),
)


def close_event(db: Database, event_id: int, occurrence: dt.datetime | None = None) -> Changes:
    """Mark the event done, record accepted (or tentative) guests whose attendance was not
    recorded as no-shows, and add the follow-up tasks (FOLLOW_UP) not already on its
    checklist. A series is closed one occurrence at a time (`occurrence`: its original
    start); its no-shows are recorded on that occurrence, the shared list stays as it is,
    and its follow-up tasks are due on dates counted from that occurrence."""
    from cmplanner.services import guests  # with SQLModel: not on the reading paths

    now = clock.utc_now()
    with db.transaction() as session:
        event = _get_event(session, event_id)
        if event.rrule and occurrence is None:
            raise ValidationError(
                _("“{title}” is a series: close one of its occurrences.").format(title=event.title)
            )
        if occurrence is None:
            if event.status != "done":
                event.status = "done"
                event.sequence += 1
                event.updated_at = now
                session.add(event)
        else:
            _check_occurrence(event, occurrence)
            exception = _exception(session, event_id, occurrence)
            if exception.cancelled:
                raise ValidationError(_("This occurrence was skipped."))
            exception.status = "done"
            exception.updated_at = now
            session.add(exception)
        # One transaction: the event is closed with its no-shows and follow-up, or not at all.
        no_shows = guests.mark_no_shows(session, event_id, occurrence)
        tasks = _add_follow_up(session, event_id, occurrence)
    changes = Changes(events=frozenset({event_id}), invitations=frozenset(no_shows), tasks=tasks)
    return changes


def _add_follow_up(
    session: Session, event_id: int, occurrence: dt.datetime | None
) -> frozenset[int]:
    """The follow-up tasks missing from the checklist: relative to a single event (J+1…),
    on fixed dates after one occurrence of a series. Returns the new tasks' ids."""
    # imported on use, not at the top: keeps it off the start-up path
    from sqlmodel import select

    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.model import Task

    existing = list(session.exec(select(Task).where(Task.event_id == event_id)).all())
    have: set[tuple[str, dt.date | None]]
    if occurrence is None:
        have = {(t.title.casefold(), None) for t in existing}
    else:
        have = {(t.title.casefold(), t.due_date) for t in existing}
    position = max((t.position for t in existing), default=-1) + 1
    created: list[Task] = []
    for title, offset in FOLLOW_UP:
        due = None if occurrence is None else occurrence.date() + dt.timedelta(days=offset)
        if (title.casefold(), due) in have:
            continue
        task = Task(title=title, event_id=event_id, position=position, occurrence=occurrence)
        if due is None:
            task.due_offset_days = offset
        else:
            task.due_date = due
        position += 1
        session.add(task)
        created.append(task)
    session.flush()
    return frozenset(int(t.id or 0) for t in created)


def get_debrief(db: Database, event_id: int) -> str:
    with db.session() as session:
        return _get_event(session, event_id).debrief


def set_debrief(db: Database, event_id: int, text: str) -> Changes:
    """Write the event's debrief note (what worked, outcomes, numbers)."""
    with db.transaction() as session:
        event = _get_event(session, event_id)
        event.debrief = text.strip()
        event.updated_at = clock.utc_now()
        session.add(event)
    return event_changed(event_id)


# -- one event, as `events show` prints it --------------------------------------------------


def event_details(db: Database, event_id: int) -> dict[str, Any]:
    """The event's fields, its guests (with attendance) and its tasks, as plain JSON-ready
    data. Times carry the event's own UTC offset; relative task dues are computed from the
    event's local start."""
    with db.read() as con:
        found = _details_rows(con, event_id)
    (_id, uid, title, kind, status, begin, end, zone, all_day, rule, sequence, capacity,
     objective, description, in_person, online_url, venue, community) = found.event  # fmt: skip
    tz = ZoneInfo(zone)
    start_local = dt.datetime.fromisoformat(begin)
    return {
        "id": event_id,
        "uid": uid,
        "title": title,
        "kind": kind,
        "status": status,
        "start": _aware(begin, tz),
        "end": _aware(end, tz),
        "timezone": zone,
        "all_day": bool(all_day),
        "rrule": rule,
        "venue": venue,
        "community": community,
        "capacity": capacity,
        "objective": objective,
        "description": description,
        "in_person": bool(in_person),
        "online_url": online_url,
        "sequence": sequence,
        "debrief": found.debrief,
        "budget": [
            {"label": label, "amount_cents": cents, "paid": bool(paid)}
            for label, cents, paid in found.budget
        ],
        "partners": [
            {"organization_id": org_id, "name": name, "obligations": obligations}
            for org_id, name, obligations in found.partners
        ],
        "team": [
            {"contact_id": cid, "name": display_name(*name), "role": role}
            for cid, *name, role in found.team
        ],
        "exceptions": [_exception_json(row, tz) for row in found.exceptions],
        "guests": [_guest_json(row, tz) for row in found.guests],
        "tasks": [_task_json(row, start_local.date()) for row in found.tasks],
    }


@dataclass(frozen=True)
class _DetailRows:
    """The rows `event_details` shows, as sqlite3 reads them."""

    event: tuple[Any, ...]
    guests: list[tuple[Any, ...]]
    tasks: list[tuple[Any, ...]]
    exceptions: list[tuple[Any, ...]]
    debrief: str
    budget: list[tuple[Any, ...]]
    partners: list[tuple[Any, ...]]
    team: list[tuple[Any, ...]]


def _details_rows(con: sqlite3.Connection, event_id: int) -> _DetailRows:
    event = con.execute(
        "SELECT e.id, e.uid, e.title, e.kind, e.status, e.start_local, e.end_local,"
        " e.timezone, e.all_day, e.rrule, e.sequence, e.capacity, e.objective,"
        " e.description, e.in_person, e.online_url, COALESCE(v.name, ''),"
        " COALESCE(c.name, '')"
        " FROM event e LEFT JOIN venue v ON v.id = e.venue_id"
        " LEFT JOIN community c ON c.id = e.community_id WHERE e.id = ?",
        (event_id,),
    ).fetchone()
    if event is None:
        raise NotFound(missing("event", event_id))
    guests = con.execute(
        f"SELECT i.contact_id, {contact_name_sql('c')},"
        " i.role, i.rsvp, i.attended, i.occurrence, i.plus_ones, i.waitlist_position,"
        " i.delegated_to"
        " FROM invitation i LEFT JOIN contact c ON c.id = i.contact_id"
        " WHERE i.event_id = ?"
        " ORDER BY i.occurrence IS NOT NULL, i.occurrence, c.family_name, c.given_name, i.id",
        (event_id,),
    ).fetchall()
    tasks = con.execute(
        "SELECT t.title, t.due_date, t.due_offset_days, t.done, t.occurrence, t.assignee_id,"
        f" {contact_name_sql('c')} FROM task t LEFT JOIN contact c ON c.id = t.assignee_id"
        " WHERE t.event_id = ? ORDER BY t.position, t.id",
        (event_id,),
    ).fetchall()
    exceptions = con.execute(
        "SELECT recurrence_id, cancelled, start_local, end_local, status, title"
        " FROM occurrence_exception WHERE event_id = ? ORDER BY recurrence_id",
        (event_id,),
    ).fetchall()
    debrief = con.execute("SELECT debrief FROM event WHERE id = ?", (event_id,)).fetchone()[0]
    budget = con.execute(
        "SELECT label, amount_cents, paid FROM budget_line WHERE event_id = ?"
        " ORDER BY position, id",
        (event_id,),
    ).fetchall()
    partners = con.execute(
        "SELECT o.id, o.name, p.obligations FROM event_partner p"
        " JOIN organization o ON o.id = p.organization_id WHERE p.event_id = ?"
        " ORDER BY o.name, p.id",
        (event_id,),
    ).fetchall()
    team = con.execute(
        f"SELECT c.id, {contact_name_sql('c')}, t.role FROM event_team t"
        " JOIN contact c ON c.id = t.contact_id WHERE t.event_id = ?"
        " ORDER BY c.family_name, c.given_name, t.id",
        (event_id,),
    ).fetchall()
    return _DetailRows(event, guests, tasks, exceptions, debrief, budget, partners, team)


def _aware(text: str, tz: ZoneInfo) -> str:
    """A stored local time with the event's own UTC offset, to the second."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=tz).isoformat(timespec="seconds")


_ATTENDANCE = {None: None, 1: "present", 0: "absent"}


def _guest_json(row: tuple[Any, ...], tz: ZoneInfo) -> dict[str, Any]:
    (contact_id, given, family, nick, *more, role, rsvp, attended, occurrence, plus_ones,
     waitlist, delegated_to) = row  # fmt: skip
    return {
        "contact_id": contact_id,
        "name": display_name(*(str(n or "") for n in (given, family, nick, *more)))
        if contact_id is not None
        else _("(erased)"),
        "email": more[2] or "",  # after the language and the formatted name
        "role": role,
        "rsvp": rsvp,
        "attendance": _ATTENDANCE[attended],
        "occurrence": _aware(occurrence, tz) if occurrence else None,
        "plus_ones": plus_ones,
        "waitlist_position": waitlist,
        "delegated_to": delegated_to or None,
    }


def _task_json(row: tuple[Any, ...], start_day: dt.date) -> dict[str, Any]:
    """A task, its due date fixed or counted from its occurrence (else the event's start)."""
    task_title, fixed, offset, done, date, assignee, *name = row
    due: str | None = None
    if fixed:
        due = dt.date.fromisoformat(fixed[:10]).isoformat()
    elif offset is not None:
        base = dt.date.fromisoformat(date[:10]) if date else start_day
        due = (base + dt.timedelta(days=offset)).isoformat()
    return {
        "title": task_title,
        "due": due,
        "done": bool(done),
        "assignee": display_name(*(str(n or "") for n in name)) if assignee is not None else None,
    }


def _exception_json(row: tuple[Any, ...], tz: ZoneInfo) -> dict[str, Any]:
    rid, cancelled, new_start, new_end, own_status, own_title = row
    return {
        "occurrence": _aware(rid, tz),
        "skipped": bool(cancelled),
        "start": _aware(new_start, tz) if new_start else None,
        "end": _aware(new_end, tz) if new_end else None,
        "status": own_status or None,
        "title": own_title or None,
    }


# -- warnings in the editor ------------------------------------------------------------------

CONFIRM_DAYS_KEY = "events.confirm_days_ahead"
DEFAULT_CONFIRM_DAYS = 7
# How far a series is expanded when looking for conflicts.
CONFLICT_HORIZON = dt.timedelta(days=366)


@dataclass(frozen=True)
class Conflict:
    """Another event overlapping one occurrence of the event being edited."""

    reason: str  # "venue" or "team"
    event_id: int  # the other event
    title: str
    start: dt.datetime  # the other occurrence, aware in its own zone
    end: dt.datetime
    contact_id: int | None  # for "team": the team member on both
    message: str


def conflicts(db: Database, event: int | EventCreate, team: Sequence[int] = ()) -> list[Conflict]:
    """Occurrences of other events that overlap the event's own (series expanded, over a
    year for an endless one) at the same venue, or with a core-team member in common.
    `event` is a saved event's id (its team plus `team`) or a draft (with `team`); a
    cancelled event or occurrence conflicts with nothing."""
    if isinstance(event, int):
        data, members, overrides = _saved_event(db, event)
        own_id: int | None = event
    else:
        data, members, overrides, own_id = event, set(), [], None
    members |= set(team)
    if data.status == "cancelled" or (data.venue_id is None and not members):
        return []
    mine = _own_times(data, overrides)
    if not mine:
        return []
    # Events can last a few days: look a little before the first occurrence.
    others = [
        o
        for o in occurrences_between(
            db, mine[0][0] - dt.timedelta(days=7), mine[-1][1] + dt.timedelta(seconds=1)
        )
        if o.event_id != own_id and o.status != "cancelled"
    ]
    with db.read() as con:
        venue_of, team_of, names = _venues_and_teams(con, sorted({o.event_id for o in others}))
    found: list[Conflict] = []
    for other in others:
        other_start = other.start.astimezone(dt.UTC)
        other_end = other.end.astimezone(dt.UTC)
        if not any(s < other_end and other_start < e for s, e in mine):
            continue
        if data.venue_id is not None and venue_of.get(other.event_id) == data.venue_id:
            found.append(_venue_conflict(other))
        shared = sorted(team_of.get(other.event_id, set()) & members)
        found.extend(_team_conflict(other, contact_id, names[contact_id]) for contact_id in shared)
    return found


def _saved_event(db: Database, event_id: int) -> tuple[EventCreate, set[int], list[Override]]:
    """A saved event's fields, its core team and its series' skipped and moved dates."""
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.model import EventCreate

    with db.session() as session:
        data = EventCreate.model_validate(_get_event(session, event_id), from_attributes=True)
    with db.read() as con:
        members = {
            int(r[0])
            for r in con.execute(
                "SELECT contact_id FROM event_team WHERE event_id = ?", (event_id,)
            )
        }
        overrides = [
            Override(
                dt.datetime.fromisoformat(rid),
                bool(cancelled),
                naive_or_none(b),
                naive_or_none(e),
            )
            for rid, cancelled, b, e in con.execute(
                "SELECT recurrence_id, cancelled, start_local, end_local"
                " FROM occurrence_exception WHERE event_id = ?",
                (event_id,),
            )
        ]
    return data, members, overrides


def _own_times(
    data: EventCreate, overrides: list[Override]
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The event's occurrences over CONFLICT_HORIZON, as UTC (start, end)."""
    checked = event_from(data)
    return [
        (o.start_utc, local_to_utc(o.end_local, data.timezone))
        for o in occurrences(
            data.start_local,
            data.end_local,
            data.timezone,
            checked.rrule,
            overrides,
            after_utc=checked.start_utc,
            before_utc=checked.start_utc + CONFLICT_HORIZON,
        )
    ]


def _venues_and_teams(
    con: sqlite3.Connection, ids: list[int]
) -> tuple[dict[int, int | None], dict[int, set[int]], dict[int, str]]:
    """Each event's venue, each event's core team, and the team members' names."""
    venue_of: dict[int, int | None] = {}
    team_of: dict[int, set[int]] = {}
    names: dict[int, str] = {}
    for chunk, marks in in_chunks(ids):
        for event_id, venue_id in con.execute(
            f"SELECT id, venue_id FROM event WHERE id IN ({marks})", chunk
        ):
            venue_of[event_id] = venue_id
        for event_id, contact_id, *name in con.execute(
            f"SELECT t.event_id, t.contact_id, {contact_name_sql('c')}"
            f" FROM event_team t JOIN contact c ON c.id = t.contact_id"
            f" WHERE t.event_id IN ({marks})",
            chunk,
        ):
            team_of.setdefault(event_id, set()).add(contact_id)
            names[contact_id] = display_name(*name)
    return venue_of, team_of, names


def _when(other: OccurrenceRead) -> str:
    return f"{other.start:%Y-%m-%d %H:%M}–{other.end:%H:%M}"


def _venue_conflict(other: OccurrenceRead) -> Conflict:
    return Conflict(
        "venue",
        other.event_id,
        other.title,
        other.start,
        other.end,
        None,
        _("“{title}” is at {venue} at the same time ({when}).").format(
            title=other.title, venue=other.venue, when=_when(other)
        ),
    )


def _team_conflict(other: OccurrenceRead, contact_id: int, name: str) -> Conflict:
    return Conflict(
        "team",
        other.event_id,
        other.title,
        other.start,
        other.end,
        contact_id,
        _("{name} is on the team of “{title}” at the same time ({when}).").format(
            name=name, title=other.title, when=_when(other)
        ),
    )


def confirm_days_ahead(db: Database) -> int:
    """How many days ahead an occurrence should be confirmed (setting; 7 by default)."""
    raw = preferences.get(db, CONFIRM_DAYS_KEY)
    try:
        return max(0, int(raw)) if raw else DEFAULT_CONFIRM_DAYS
    except ValueError:
        return DEFAULT_CONFIRM_DAYS


def unconfirmed_soon(db: Database) -> list[OccurrenceRead]:
    """Upcoming occurrences starting from now to the end of the Nth day from today
    (`confirm_days_ahead`, in the computer's zone) that are still an idea or only planned:
    the ones to confirm, or to call off."""
    zone = clock.local_zone_name()
    now = clock.utc_now()
    last = clock.today(zone) + dt.timedelta(days=confirm_days_ahead(db) + 1)
    horizon = local_to_utc(dt.datetime.combine(last, dt.time()), zone)
    return [o for o in occurrences_between(db, now, horizon) if o.status in ("idea", "planned")]
