"""When events take place: the occurrences in a period (series expanded in their local
time, skipped dates left out, moved ones at their new time) with their guest counts, and one
event's dates. Calendars, lists, the door, closing and the dashboard all read them here."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from cmplanner.i18n import _
from cmplanner.recurrence import MAX_OCCURRENCES, Override, expand, occurrences
from cmplanner.storage.sql import in_chunks, sql_instant

if TYPE_CHECKING:
    from sqlmodel import Session

    from cmplanner.model import Event
    from cmplanner.recurrence import Occurrence, Override
    from cmplanner.storage import Database

# Listing occurrences reads with plain sqlite3: the tables (SQLAlchemy, SQLModel: most of a
# cold `events list`) and the recurrence rules are imported by the functions that need them.


@dataclass(frozen=True)
class OccurrenceRead:
    """One occurrence on a calendar: a single event, or one date of a series."""

    event_id: int
    uid: str
    title: str
    kind: str
    status: str
    start: dt.datetime  # aware, in the event's own zone
    end: dt.datetime
    timezone: str
    all_day: bool
    venue: str
    community: str
    recurrence_id: dt.datetime | None  # the original local start; None for a single event
    counts: dict[str, int] = field(default_factory=dict)


class OccurrenceList(list[OccurrenceRead]):
    """Occurrences in a period, and what the reader must be told about them (`notes`, one
    sentence each): a series with more dates than are shown, a rule that cannot be expanded."""

    notes: tuple[str, ...] = ()


COUNT_KEYS = ("invited", "accepted", "declined", "tentative", "waitlist", "attended")


def naive_or_none(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def occurrences_between(
    db: Database,
    start_utc: dt.datetime,
    end_utc: dt.datetime,
    community: str | None = None,
) -> OccurrenceList:
    """Occurrences starting in [start_utc, end_utc), series expanded in their local time
    (skipped ones left out, moved ones at their new time), in order. `community` is a name.
    A series gives at most `recurrence.MAX_OCCURRENCES` dates; `notes` say which had more."""
    with db.read() as con:
        rows = _events_in(con, start_utc, end_utc, community)
        own = _series_overrides(con, [r[0] for r in rows if r[9]])
        found, notes = _expanded(rows, own, start_utc, end_utc)
        counts = _counts(con, [o for _, o in found])
    listed = OccurrenceList(
        OccurrenceRead(**{**o.__dict__, "counts": counts[(o.event_id, o.recurrence_id)]})
        for _, o in found
    )
    listed.notes = tuple(notes)
    return listed


def _events_in(
    con: sqlite3.Connection, start_utc: dt.datetime, end_utc: dt.datetime, community: str | None
) -> list[tuple[Any, ...]]:
    """The events that may have an occurrence in the period, with their venue and community
    names; a series that starts a little after the period may have an occurrence moved into
    it."""
    where = (
        "(e.rrule = '' AND e.start_utc < ? AND e.start_utc >= ?)"
        " OR (e.rrule != '' AND e.start_utc < ?)"
    )
    params: list[object] = [
        sql_instant(end_utc),
        sql_instant(start_utc),
        sql_instant(end_utc + dt.timedelta(days=366)),
    ]
    if community is not None:
        where = f"({where}) AND c.name = ?"
        params.append(community)
    return con.execute(
        "SELECT e.id, e.uid, e.title, e.kind, e.status, e.start_local, e.end_local,"
        " e.timezone, e.all_day, e.rrule, COALESCE(v.name, ''), COALESCE(c.name, '')"
        " FROM event e LEFT JOIN venue v ON v.id = e.venue_id"
        " LEFT JOIN community c ON c.id = e.community_id"
        f" WHERE {where}",
        params,
    ).fetchall()


@dataclass(frozen=True)
class _SeriesOverrides:
    """What the series' override rows change: dates skipped or moved, and an occurrence's
    own status and title (by event id and original local start)."""

    moves: dict[int, list[Override]] = field(default_factory=dict)
    statuses: dict[tuple[int, dt.datetime], str] = field(default_factory=dict)
    titles: dict[tuple[int, dt.datetime], str] = field(default_factory=dict)


def _series_overrides(con: sqlite3.Connection, series: list[int]) -> _SeriesOverrides:
    own = _SeriesOverrides()
    if not series:
        return own
    marks = ",".join("?" * len(series))
    for event_id, rid, cancelled, begin, end, status, own_title in con.execute(
        "SELECT event_id, recurrence_id, cancelled, start_local, end_local, status,"
        f" title FROM occurrence_exception WHERE event_id IN ({marks})",
        series,
    ):
        original = dt.datetime.fromisoformat(rid)
        own.moves.setdefault(event_id, []).append(
            Override(original, bool(cancelled), naive_or_none(begin), naive_or_none(end))
        )
        if status:
            own.statuses[(event_id, original)] = status
        if own_title:
            own.titles[(event_id, original)] = own_title
    return own


def _expanded(
    rows: list[tuple[Any, ...]],
    own: _SeriesOverrides,
    start_utc: dt.datetime,
    end_utc: dt.datetime,
) -> tuple[list[tuple[dt.datetime, OccurrenceRead]], list[str]]:
    """Each event's occurrences in the period as (UTC start, occurrence), in order, and
    the notes on the series that could not be shown in full."""
    found: list[tuple[dt.datetime, OccurrenceRead]] = []
    notes: list[str] = []
    for row in rows:
        event_id, uid, title, kind, status, begin, end, zone, all_day, rule, venue, group = row
        tz = ZoneInfo(zone)
        expansion = expand(
            dt.datetime.fromisoformat(begin),
            dt.datetime.fromisoformat(end),
            zone,
            rule,
            own.moves.get(event_id, ()),
            after_utc=start_utc,
            before_utc=end_utc,
        )
        if expansion.cut or expansion.invalid:
            notes.append(_expansion_note(title, expansion.invalid))
        for o in expansion.occurrences:
            key = (event_id, o.recurrence_id)
            occurrence = OccurrenceRead(
                event_id=event_id,
                uid=uid,
                title=own.titles.get(key, title),
                kind=kind,
                status=own.statuses.get(key, status),
                start=o.start_local.replace(tzinfo=tz),
                end=o.end_local.replace(tzinfo=tz),
                timezone=zone,
                all_day=bool(all_day),
                venue=venue,
                community=group,
                recurrence_id=o.recurrence_id if rule else None,
            )
            found.append((o.start_utc, occurrence))
    found.sort(key=lambda pair: (pair[0], pair[1].event_id))
    return found, notes


def _expansion_note(title: str, invalid: str) -> str:
    """What a list of occurrences says of a series it could not show in full."""
    if invalid:
        return _(
            "“{title}” repeats by a rule CM Planner cannot expand ({reason}): it is shown"
            " on its first date only. Edit the event to correct it."
        ).format(title=title, reason=invalid)
    # imported on use, not at the top: Babel loads only for this rare note (`events list`)
    from cmplanner.formats import count

    limit = count(MAX_OCCURRENCES)
    return _(
        "“{title}” repeats more than {limit} times in this period: not all of its dates are shown."
    ).format(title=title, limit=limit)


def _counts(
    con: sqlite3.Connection, found: list[OccurrenceRead]
) -> dict[tuple[int, dt.datetime | None], dict[str, int]]:
    """Guest counts per occurrence: a series' shared list, each guest's own row for that
    occurrence (RSVP, attendance) taking precedence over the shared one."""
    ids = sorted({o.event_id for o in found})
    shared: dict[int, dict[object, tuple[str, int | None, int | None]]] = {}
    own: dict[tuple[int, dt.datetime], dict[object, tuple[str, int | None, int | None]]] = {}
    for chunk, marks in in_chunks(ids):
        for row_id, event_id, contact_id, occurrence, rsvp, waitlist, attended in con.execute(
            "SELECT id, event_id, contact_id, occurrence, rsvp, waitlist_position, attended"
            f" FROM invitation WHERE event_id IN ({marks})",
            chunk,
        ):
            # An erased guest (no contact) still counts, once.
            who: object = contact_id if contact_id is not None else ("row", row_id)
            value = (rsvp, waitlist, attended)
            if occurrence is None:
                shared.setdefault(event_id, {})[who] = value
            else:
                key = (event_id, dt.datetime.fromisoformat(occurrence))
                own.setdefault(key, {})[who] = value
    out: dict[tuple[int, dt.datetime | None], dict[str, int]] = {}
    for o in found:
        guests = dict(shared.get(o.event_id, {}))
        if o.recurrence_id is not None:
            guests.update(own.get((o.event_id, o.recurrence_id), {}))
        counts = dict.fromkeys(COUNT_KEYS, 0)
        for rsvp, waitlist, attended in guests.values():
            counts["invited"] += 1
            if waitlist is not None:
                counts["waitlist"] += 1
            elif rsvp in ("accepted", "declined", "tentative"):
                counts[rsvp] += 1
            if attended:
                counts["attended"] += 1
        out[(o.event_id, o.recurrence_id)] = counts
    return out


def dates_of(
    session: Session, event: Event, after_utc: dt.datetime, before_utc: dt.datetime
) -> list[Occurrence]:
    """One event's dates starting in [after_utc, before_utc): a series expanded with its
    skipped dates left out and its moved ones at their new time; a single event, itself."""
    # imported on use, not at the top: keeps it off the start-up path
    from sqlmodel import select

    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.model import OccurrenceException

    overrides = (
        [
            Override(x.recurrence_id, x.cancelled, x.start_local, x.end_local)
            for x in session.exec(
                select(OccurrenceException).where(OccurrenceException.event_id == event.id)
            )
        ]
        if event.rrule
        else []
    )
    return list(
        occurrences(
            event.start_local,
            event.end_local,
            event.timezone,
            event.rrule,
            overrides,
            after_utc=after_utc,
            before_utc=before_utc,
        )
    )
