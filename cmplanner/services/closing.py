"""Closing an event as the CM does it after the doors shut: complete the attendance, then
`events.close_event` (status done, no-shows, follow-up tasks); and the snapshot that puts it
all back for an undo (status, attendance rows, the new tasks, the guests' `last_seen`)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table
from sqlmodel import select

from cmplanner import clock
from cmplanner.bus import Changes
from cmplanner.errors import NotFound, ValidationError
from cmplanner.i18n import _, ngettext
from cmplanner.model import Contact, Event, Invitation, OccurrenceException, Task
from cmplanner.model.names import contact_name_sql, display_name
from cmplanner.services import events, guests
from cmplanner.services.event_dates import occurrences_between
from cmplanner.services.events import FOLLOW_UP
from cmplanner.storage import Database
from cmplanner.storage.sql import get_or_raise, missing

# How far back a series' occurrences are offered for closing.
PAST_HORIZON = dt.timedelta(days=366)
_EXPECTED = ("accepted", "tentative")


@dataclass(frozen=True)
class ExpectedGuest:
    """A guest who was expected (yes or maybe) or who came, for the occurrence closed."""

    invitation_id: int  # the guest's row for this occurrence, or the shared one
    contact_id: int | None
    name: str
    rsvp: str
    attended: bool | None


@dataclass(frozen=True)
class ClosingPlan:
    """What the close dialog shows before anything is written."""

    event_id: int
    title: str
    series: bool
    occurrence: dt.datetime | None  # a series: the original local start of the one closed
    start: dt.datetime  # when it took place, aware in the event's zone
    done: bool  # already closed
    upcoming: bool  # has not started yet
    guests: tuple[ExpectedGuest, ...]
    follow_up: tuple[str, ...]  # the tasks closing will add
    occurrences: tuple[tuple[dt.datetime, dt.datetime], ...]  # (original, start) latest first
    debrief: str = ""
    refusal: str = ""  # why it cannot be closed now ("": it can)
    note: str = ""  # what the dialog should say about the date shown

    def no_shows(self, came: Collection[int]) -> int:
        """How many guests closing will record as absent if `came` (invitation ids) came."""
        return sum(1 for g in self.guests if g.invitation_id not in came and g.rsvp in _EXPECTED)


@dataclass(frozen=True)
class CloseResult:
    attended: int
    no_shows: int
    tasks: frozenset[int]
    changes: Changes = field(default_factory=Changes)


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _past_occurrences(
    db: Database, event: Event
) -> tuple[tuple[dt.datetime, dt.datetime, str], ...]:
    """A series' occurrences that have started (within PAST_HORIZON), latest first:
    (original local start, aware start, status)."""
    now = clock.now_utc()
    found = [
        o
        for o in occurrences_between(db, now - PAST_HORIZON, now)
        if o.event_id == event.id and o.recurrence_id is not None
    ]
    return tuple(
        (o.recurrence_id, o.start, o.status) for o in reversed(found) if o.recurrence_id is not None
    )


def closing_plan(db: Database, event_id: int, occurrence: dt.datetime | None = None) -> ClosingPlan:
    """The guests to confirm and what closing will do. For a series, `occurrence` (original
    local start) defaults to its latest occurrence that has started."""
    with db.session() as session:
        event = get_or_raise(session, Event, event_id)
        session.expunge(event)
    date = _date_closed(db, event, occurrence)
    with db.read() as con:
        guests = _expected_guests(con, event_id, date.occurrence)
        follow_up = _follow_up_left(con, event_id, date.occurrence)
    return ClosingPlan(
        event_id=event_id,
        title=event.title,
        series=bool(event.rrule),
        occurrence=date.occurrence,
        start=date.start,
        done=date.status == "done",
        upcoming=date.start.astimezone(dt.UTC) > clock.now_utc(),
        guests=guests,
        follow_up=follow_up,
        occurrences=tuple((p[0], p[1]) for p in date.past),
        debrief=event.debrief,
        refusal=date.refusal,
        note=date.note,
    )


@dataclass(frozen=True)
class _DateClosed:
    """The date a close applies to, and what the dialog must say about it."""

    occurrence: dt.datetime | None  # a series: the original local start; None: a single event
    start: dt.datetime  # aware, in the event's zone
    status: str
    past: tuple[tuple[dt.datetime, dt.datetime, str], ...]  # a series' dates that have started
    refusal: str = ""
    note: str = ""


def _date_closed(db: Database, event: Event, occurrence: dt.datetime | None) -> _DateClosed:
    """A single event's own date; for a series, the occurrence asked for if it has taken
    place, else its latest that has."""
    tz = ZoneInfo(event.timezone)
    if not event.rrule:
        start = event.start_local.replace(tzinfo=tz)
        refusal = ""
        if start.astimezone(dt.UTC) > clock.now_utc():
            refusal = _("“{title}” has not taken place yet: close it once it has.").format(
                title=event.title
            )
        return _DateClosed(
            None, start, event.status, (), _cancelled(event.status, event) or refusal
        )
    past = _past_occurrences(db, event)
    note = ""
    if occurrence is not None and occurrence.replace(tzinfo=tz) > clock.now_utc():
        # Only dates that have happened are closed: the latest of them instead.
        note = _("{date} has not taken place yet: here is the latest date that has.").format(
            date=occurrence.date().isoformat()
        )
        occurrence = None
    if occurrence is None:
        if not past:
            raise ValidationError(
                _("No occurrence of “{title}” has taken place yet.").format(title=event.title)
            )
        occurrence = past[0][0]
    chosen = next((p for p in past if p[0] == occurrence), None)
    start = chosen[1] if chosen else occurrence.replace(tzinfo=tz)
    status = chosen[2] if chosen else event.status
    refusal = ""
    if chosen is None and _skipped(db, event.id or 0, occurrence):
        refusal = _("This occurrence was skipped: there is nothing to close.")
    return _DateClosed(occurrence, start, status, past, _cancelled(status, event) or refusal, note)


def _cancelled(status: str, event: Event) -> str:
    """Why a cancelled date cannot be closed ("" when it is not cancelled)."""
    if status != "cancelled":
        return ""
    return _("“{title}” was cancelled: there is nothing to close.").format(title=event.title)


def _expected_guests(
    con: sqlite3.Connection, event_id: int, occurrence: dt.datetime | None
) -> tuple[ExpectedGuest, ...]:
    """The guests who said yes or maybe (off the waitlist) or who came, by name; for one
    occurrence, a guest's own row (RSVP, attendance) wins over the shared one."""
    rows = con.execute(
        "SELECT i.id, i.contact_id, i.occurrence, i.rsvp, i.waitlist_position, i.attended, "
        + contact_name_sql("c")
        + " FROM invitation i LEFT JOIN contact c ON c.id = i.contact_id"
        " WHERE i.event_id = ? ORDER BY i.id",
        (event_id,),
    ).fetchall()
    chosen_rows: dict[object, tuple[Any, ...]] = {}
    for row in rows:
        who = row[1] if row[1] is not None else ("row", row[0])
        if row[2] is None:
            chosen_rows.setdefault(who, row)
    for row in rows:
        who = row[1] if row[1] is not None else ("row", row[0])
        if row[2] is not None and _same(row[2], occurrence):
            chosen_rows[who] = row
    guests = [
        ExpectedGuest(
            invitation_id=int(row_id),
            contact_id=contact_id,
            name=display_name(*(str(n or "") for n in name))
            if contact_id is not None
            else _("(erased guest)"),
            rsvp=rsvp,
            attended=None if attended is None else bool(attended),
        )
        for row_id, contact_id, _occ, rsvp, waitlist, attended, *name in (chosen_rows.values())
        if attended or (rsvp in _EXPECTED and waitlist is None)
    ]
    guests.sort(key=lambda g: (g.name.casefold(), g.invitation_id))
    return tuple(guests)


def _follow_up_left(
    con: sqlite3.Connection, event_id: int, occurrence: dt.datetime | None
) -> tuple[str, ...]:
    """The follow-up tasks (FOLLOW_UP) not already on the checklist: by title for a single
    event, by title and due date for an occurrence of a series."""
    tasks = con.execute("SELECT title, due_date FROM task WHERE event_id = ?", (event_id,))
    have: set[tuple[str, dt.date | None]]
    if occurrence is None:
        have = {(str(title).casefold(), None) for title, _due in tasks}
    else:
        have = {(str(title).casefold(), _as_date(due)) for title, due in tasks}
    return tuple(
        title
        for title, offset in FOLLOW_UP
        if (
            title.casefold(),
            None if occurrence is None else occurrence.date() + dt.timedelta(days=offset),
        )
        not in have
    )


def _skipped(db: Database, event_id: int, occurrence: dt.datetime) -> bool:
    with db.session() as session:
        found = session.exec(
            select(OccurrenceException).where(
                OccurrenceException.event_id == event_id,
                OccurrenceException.recurrence_id == occurrence,
            )
        ).first()
    return found is not None and found.cancelled


def _as_date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value)[:10])


def _same(stored: Any, occurrence: dt.datetime | None) -> bool:
    return occurrence is not None and dt.datetime.fromisoformat(str(stored)) == occurrence


# -- snapshot for undo ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClosingSnapshot:
    """The rows closing an event can change, as they were."""

    event_id: int
    event: dict[str, Any]
    exceptions: list[dict[str, Any]]
    invitations: list[dict[str, Any]]
    task_ids: frozenset[int]
    last_seen: dict[int, dt.datetime | None]  # the guests' contacts


def take_snapshot(db: Database, event_id: int) -> ClosingSnapshot:
    event_t, exc_t, inv_t = _table(Event), _table(OccurrenceException), _table(Invitation)
    task_t, contact_t = _table(Task), _table(Contact)
    with db.engine.connect() as con:
        event = con.execute(event_t.select().where(event_t.c.id == event_id)).first()
        if event is None:
            raise NotFound(missing("event", event_id))
        exceptions = [
            dict(r._mapping)
            for r in con.execute(exc_t.select().where(exc_t.c.event_id == event_id))
        ]
        invitations = [
            dict(r._mapping)
            for r in con.execute(inv_t.select().where(inv_t.c.event_id == event_id))
        ]
        task_ids = frozenset(
            int(r[0])
            for r in con.execute(
                task_t.select().with_only_columns(task_t.c.id).where(task_t.c.event_id == event_id)
            )
        )
        people = sorted({r["contact_id"] for r in invitations if r["contact_id"] is not None})
        last_seen = {
            int(r[0]): r[1]
            for r in con.execute(
                contact_t.select()
                .with_only_columns(contact_t.c.id, contact_t.c.last_seen)
                .where(contact_t.c.id.in_(people))
            )
        }
    return ClosingSnapshot(
        event_id, dict(event._mapping), exceptions, invitations, task_ids, last_seen
    )


def restore_snapshot(db: Database, snapshot: ClosingSnapshot) -> Changes:
    """Put the event back as the snapshot has it: its row, its occurrences' statuses, its
    guests' rows and `last_seen`; tasks added since are deleted (others are left alone)."""
    event_t, exc_t, inv_t = _table(Event), _table(OccurrenceException), _table(Invitation)
    task_t, contact_t = _table(Task), _table(Contact)
    event_id = snapshot.event_id
    with db.engine.begin() as con:
        con.execute(event_t.update().where(event_t.c.id == event_id).values(**snapshot.event))
        con.execute(exc_t.delete().where(exc_t.c.event_id == event_id))
        if snapshot.exceptions:
            con.execute(exc_t.insert(), snapshot.exceptions)
        now = {
            int(r[0])
            for r in con.execute(
                inv_t.select().with_only_columns(inv_t.c.id).where(inv_t.c.event_id == event_id)
            )
        }
        con.execute(inv_t.delete().where(inv_t.c.event_id == event_id))
        if snapshot.invitations:
            con.execute(inv_t.insert(), snapshot.invitations)
        added = {
            int(r[0])
            for r in con.execute(
                task_t.select().with_only_columns(task_t.c.id).where(task_t.c.event_id == event_id)
            )
        } - snapshot.task_ids
        if added:
            con.execute(task_t.delete().where(task_t.c.id.in_(added)))
        for contact_id, seen in snapshot.last_seen.items():
            con.execute(
                contact_t.update().where(contact_t.c.id == contact_id).values(last_seen=seen)
            )
    changes = Changes(
        events=frozenset({event_id}),
        invitations=frozenset(now | {int(r["id"]) for r in snapshot.invitations}),
        tasks=frozenset(added),
        contacts=frozenset(snapshot.last_seen),
    )
    return changes


# -- closing -----------------------------------------------------------------------------------


def close_with_attendance(
    db: Database,
    event_id: int,
    came: Collection[int],
    occurrence: dt.datetime | None = None,
) -> CloseResult:
    """Complete the attendance (`came`: invitation ids of the plan's guests who came; the
    others expected are no-shows, a check-in unticked is taken back), then close the event.
    Guests ticked here count as present from the start of the event. On any error nothing
    stays written."""
    plan = closing_plan(db, event_id, occurrence)
    if plan.refusal:
        raise ValidationError(plan.refusal)
    if occurrence is not None and plan.occurrence != occurrence:
        raise ValidationError(plan.note)
    came = set(came)
    snapshot = take_snapshot(db, event_id)
    start_utc = plan.start.astimezone(dt.UTC)
    changes = Changes()
    try:
        for guest in plan.guests:
            if guest.invitation_id in came and guest.attended is not True:
                changes |= guests.check_in(
                    db, guest.invitation_id, when=start_utc, occurrence=plan.occurrence
                )
            elif guest.invitation_id not in came and guest.attended is True:
                changes |= _take_back(db, guest.invitation_id)
        closed = events.close_event(db, event_id, plan.occurrence)
    except Exception:
        restore_snapshot(db, snapshot)
        raise
    attended = sum(1 for g in plan.guests if g.invitation_id in came)
    # No-shows are every expected guest who did not come, recorded now or at the door.
    return CloseResult(attended, plan.no_shows(came), closed.tasks, changes | closed)


def _take_back(db: Database, invitation_id: int) -> Changes:
    """A check-in made by mistake: the guest did not come."""
    with db.transaction() as session:
        row = session.get(Invitation, invitation_id)
        if row is None:
            raise NotFound(_("This guest is no longer on the list."))
        row.attended = False
        row.checked_in_at = None
        row.updated_at = clock.utc_now()
        session.add(row)
        event_id = row.event_id
    return Changes(invitations=frozenset({invitation_id}), events=frozenset({event_id}))


def debrief_template(plan: ClosingPlan, result: CloseResult | None = None) -> str:
    """A short debrief to fill in, with the attendance numbers."""
    expected = sum(1 for g in plan.guests if g.rsvp in _EXPECTED)
    came = result.attended if result else sum(1 for g in plan.guests if g.attended)
    no_shows = result.no_shows if result else 0
    lines = [
        _("What worked:"),
        "- ",
        "",
        _("What to improve:"),
        "- ",
        "",
        _("Outcomes:"),
        "- ",
        "",
        _("Numbers: {came} out of {expected}, {no_shows}.").format(
            came=ngettext("{n} came", "{n} came", came).format(n=came),
            expected=ngettext("{n} expected", "{n} expected", expected).format(n=expected),
            no_shows=ngettext("{n} no-show", "{n} no-shows", no_shows).format(n=no_shows),
        ),
    ]
    return "\n".join(lines)
