"""The dashboard's counts and series, read with plain sqlite3, set-based (aggregates, GROUP
BY; recurring series expanded once each): upcoming events, what is due, the held
occurrences of the past and who attended them, launch periods, months and weeks."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cmplanner.model.names import contact_name_sql, display_name
from cmplanner.recurrence import Override, occurrences
from cmplanner.services.dashboard.board import (
    DUE_DAYS,
    HISTORY_DAYS,
    Due,
    DueCommitment,
    DueTask,
    UnconfirmedOccurrence,
    UpcomingEvent,
)
from cmplanner.services.event_dates import occurrences_between
from cmplanner.services.events import confirm_days_ahead
from cmplanner.storage.sql import in_chunks, sql_datetime, sql_instant
from cmplanner.timezones import local_to_utc

if TYPE_CHECKING:
    from cmplanner.storage import Database


Key = tuple[int, dt.datetime | None]  # (event id, original local start of a series' occurrence)


def as_date(value: object) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class Held:
    """One held occurrence: ended before now, not skipped, not cancelled."""

    event_id: int
    occurrence: dt.datetime | None
    title: str
    community_id: int | None
    in_person: bool
    start_local: dt.datetime
    end_local: dt.datetime
    start_utc: dt.datetime
    end_utc: dt.datetime
    all_day: bool

    @property
    def key(self) -> Key:
        return (self.event_id, self.occurrence)

    @property
    def day(self) -> dt.date:
        return self.start_local.date()

    def minutes(self, all_day_minutes: int) -> int:
        if self.all_day:
            days = (self.end_local.date() - self.start_local.date()).days
            days += 1 if self.end_local.time() != dt.time() else 0
            return all_day_minutes * max(1, days)
        return max(0, int((self.end_utc - self.start_utc).total_seconds() // 60))


EXCEPTION_COLUMNS = "x.event_id, x.recurrence_id, x.cancelled, x.start_local, x.end_local, x.status"


def series_exceptions(
    rows: Iterable[Sequence[Any]],
) -> tuple[dict[int, list[Override]], set[tuple[int, dt.datetime]]]:
    """Rows of EXCEPTION_COLUMNS as the recurrence expander takes them: the skipped and moved
    occurrences per series, and the occurrences cancelled by their own status."""
    overrides: dict[int, list[Override]] = defaultdict(list)
    cancelled: set[tuple[int, dt.datetime]] = set()
    for eid, rid, skipped, begin, end, status in rows:
        original = dt.datetime.fromisoformat(rid)
        overrides[eid].append(
            Override(
                original,
                bool(skipped),
                dt.datetime.fromisoformat(begin) if begin else None,
                dt.datetime.fromisoformat(end) if end else None,
            )
        )
        if status == "cancelled":
            cancelled.add((eid, original))
    return overrides, cancelled


def held_occurrences(con: sqlite3.Connection, since: dt.datetime, now: dt.datetime) -> list[Held]:
    """Occurrences that ended in [since, now), oldest first: single events by SQL, series
    expanded in their local time with their skipped, moved and cancelled occurrences."""
    found: list[Held] = []
    columns = (
        "id, title, community_id, in_person, start_local, end_local, timezone, all_day,"
        " start_utc, end_utc, rrule"
    )
    for row in con.execute(
        f"SELECT {columns} FROM event WHERE rrule = '' AND status != 'cancelled'"
        " AND end_utc < ? AND end_utc >= ?",
        (sql_instant(now), sql_instant(since)),
    ):
        eid, title, cid, in_person, sl, el, _zone, all_day, su, eu, _rule = row
        found.append(
            Held(
                int(eid),
                None,
                str(title),
                cid,
                bool(in_person),
                dt.datetime.fromisoformat(sl),
                dt.datetime.fromisoformat(el),
                dt.datetime.fromisoformat(su).replace(tzinfo=dt.UTC),
                dt.datetime.fromisoformat(eu).replace(tzinfo=dt.UTC),
                bool(all_day),
            )
        )
    series = con.execute(
        f"SELECT {columns} FROM event WHERE rrule != '' AND status != 'cancelled'"
        " AND start_utc < ?",
        (sql_instant(now),),
    ).fetchall()
    if series:
        overrides, cancelled = series_exceptions(
            con.execute(
                f"SELECT {EXCEPTION_COLUMNS} FROM occurrence_exception x"
                " JOIN event e ON e.id = x.event_id"
                " WHERE e.rrule != '' AND e.status != 'cancelled' AND e.start_utc < ?",
                (sql_instant(now),),
            )
        )
        # An occurrence lasts at most a few days: start a week early to catch those that end
        # in the window.
        for eid, title, cid, in_person, sl, el, zone, all_day, _su, _eu, rule in series:
            for o in occurrences(
                dt.datetime.fromisoformat(sl),
                dt.datetime.fromisoformat(el),
                zone,
                rule,
                overrides.get(eid, ()),
                after_utc=since - dt.timedelta(days=7),
                before_utc=now,
            ):
                if (eid, o.recurrence_id) in cancelled:
                    continue
                end_utc = local_to_utc(o.end_local, zone)
                if not since <= end_utc < now:
                    continue
                found.append(
                    Held(
                        int(eid),
                        o.recurrence_id,
                        str(title),
                        cid,
                        bool(in_person),
                        o.start_local,
                        o.end_local,
                        o.start_utc,
                        end_utc,
                        bool(all_day),
                    )
                )
    found.sort(key=lambda h: (h.start_utc, h.event_id))
    return found


_EXPECTED = (
    "CASE WHEN {t}.rsvp = 'accepted' AND {t}.waitlist_position IS NULL"
    " THEN 1 + {t}.plus_ones ELSE 0 END"
)


@dataclass
class Turnout:
    expected: int = 0
    attended: int = 0


def turnout(con: sqlite3.Connection, held: Sequence[Held]) -> dict[Key, Turnout]:
    """Expected (accepted guests and their plus-ones) and attended, per held occurrence, by
    three GROUP BYs: a single event's list; a series' shared list, corrected by each guest's
    own row for the occurrence (which wins); attendance of a series from its own rows."""
    wanted = {h.key for h in held}
    series_ids = {h.event_id for h in held if h.occurrence is not None}
    shared: dict[int, tuple[int, int]] = {}
    for eid, expected, attended in con.execute(
        f"SELECT event_id, SUM({_EXPECTED.format(t='i')}), SUM(COALESCE(i.attended, 0))"
        " FROM invitation i WHERE i.occurrence IS NULL GROUP BY event_id"
    ):
        shared[int(eid)] = (int(expected or 0), int(attended or 0))
    out: dict[Key, Turnout] = {}
    for h in held:
        expected, attended = shared.get(h.event_id, (0, 0))
        out[h.key] = Turnout(expected, attended) if h.occurrence is None else Turnout(expected, 0)
    if series_ids:
        for eid, occurrence, own_expected, own_attended, replaced in con.execute(
            f"SELECT o.event_id, o.occurrence, SUM({_EXPECTED.format(t='o')}),"
            " SUM(COALESCE(o.attended, 0)),"
            f" SUM(CASE WHEN s.id IS NULL THEN 0 ELSE {_EXPECTED.format(t='s')} END)"
            " FROM invitation o LEFT JOIN invitation s ON s.event_id = o.event_id"
            " AND s.contact_id = o.contact_id AND s.occurrence IS NULL"
            " WHERE o.occurrence IS NOT NULL GROUP BY o.event_id, o.occurrence"
        ):
            key = (int(eid), dt.datetime.fromisoformat(occurrence))
            if key not in wanted:
                continue
            t = out[key]
            t.expected += int(own_expected or 0) - int(replaced or 0)
            t.attended += int(own_attended or 0)
    return out


def attendances(con: sqlite3.Connection, held: Sequence[Held]) -> dict[Key, list[int]]:
    """Who attended each held occurrence (contact ids; erased guests left out). A series
    counts its per-occurrence rows."""
    # Compared as stored text: no date parsing per invitation row.
    wanted = {(h.event_id, sql_datetime(h.occurrence)): h.key for h in held}
    out: dict[Key, list[int]] = defaultdict(list)
    for eid, occurrence, contact_id in con.execute(
        "SELECT event_id, occurrence, contact_id FROM invitation"
        " WHERE attended = 1 AND contact_id IS NOT NULL"
    ):
        key = wanted.get((eid, occurrence))
        if key is not None:
            out[key].append(contact_id)
    return out


def month_label(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def last_months(today: dt.date, count: int) -> list[dt.date]:
    """First days of the last `count` months, the current one included, oldest first."""
    first = today.replace(day=1)
    out = []
    for back in range(count - 1, -1, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        out.append(dt.date(year, month + 1, 1))
    return out


def week_label(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def last_weeks(today: dt.date, count: int) -> list[dt.date]:
    monday = today - dt.timedelta(days=today.weekday())
    return [monday - dt.timedelta(weeks=back) for back in range(count - 1, -1, -1)]


def launch_events(
    con: sqlite3.Connection, launches: Mapping[int, dt.date], days: int
) -> dict[int, int]:
    """Per community with a launch date: non-cancelled occurrences planned in the `days`
    days starting at it (local dates), series expanded."""
    if not launches:
        return {}
    out: dict[int, int] = dict.fromkeys(launches, 0)
    rows = con.execute(
        "SELECT e.id, e.community_id, e.start_local, e.end_local, e.timezone, e.rrule"
        " FROM event e JOIN community c ON c.id = e.community_id"
        " WHERE c.launch_date IS NOT NULL AND e.status != 'cancelled'"
        " AND (e.rrule != '' OR (date(e.start_local) >= date(c.launch_date)"
        f" AND date(e.start_local) < date(c.launch_date, '+{days} days')))"
    ).fetchall()
    overrides, cancelled = series_exceptions(
        con.execute(
            f"SELECT {EXCEPTION_COLUMNS} FROM occurrence_exception x"
            " JOIN event e ON e.id = x.event_id"
            " JOIN community c ON c.id = e.community_id WHERE c.launch_date IS NOT NULL"
        )
        if any(r[5] for r in rows)
        else ()
    )
    for eid, cid, sl, el, zone, rule in rows:
        first = launches[cid]
        last = first + dt.timedelta(days=days)
        if not rule:
            out[cid] += 1
            continue
        for o in occurrences(
            dt.datetime.fromisoformat(sl),
            dt.datetime.fromisoformat(el),
            zone,
            rule,
            overrides.get(eid, ()),
            after_utc=local_to_utc(dt.datetime.combine(first, dt.time()), zone),
            before_utc=local_to_utc(dt.datetime.combine(last, dt.time()), zone),
        ):
            if (eid, o.recurrence_id) not in cancelled and first <= o.start_local.date() < last:
                out[cid] += 1
    return out


def person_name(*parts: Any) -> str:
    """`display_name` of the columns `contact_name_sql` gives (None for no contact)."""
    return display_name(*(str(p or "") for p in parts))


def day_start(day: dt.date, zone: str) -> dt.datetime:
    """Aware UTC instant of local midnight starting `day` in `zone`."""
    return local_to_utc(dt.datetime.combine(day, dt.time()), zone)


def upcoming_events(
    db: Database, con: sqlite3.Connection, start_utc: dt.datetime, end_utc: dt.datetime
) -> tuple[tuple[UpcomingEvent, ...], tuple[str, ...]]:
    """Occurrences starting in [start_utc, end_utc) (series expanded, skipped ones and
    cancelled ones left out), with their RSVP counts (a guest's own row for an occurrence of
    a series wins over the shared one); and the notes on series not shown in full."""
    listed = occurrences_between(db, start_utc, end_utc)
    found = [o for o in listed if o.status != "cancelled"]
    ids = sorted({o.event_id for o in found})
    info: dict[int, tuple[int | None, bool, int | None]] = {}
    shared: dict[int, dict[object, tuple[str, int, bool]]] = {}
    own: dict[tuple[int, dt.datetime], dict[object, tuple[str, int, bool]]] = {}
    for chunk, marks in in_chunks(ids):
        for eid, community_id, in_person, capacity in con.execute(
            f"SELECT id, community_id, in_person, capacity FROM event WHERE id IN ({marks})",
            chunk,
        ):
            info[eid] = (community_id, bool(in_person), capacity)
        for row_id, eid, contact_id, occurrence, rsvp, plus, waitlist in con.execute(
            "SELECT id, event_id, contact_id, occurrence, rsvp, plus_ones, waitlist_position"
            f" FROM invitation WHERE event_id IN ({marks})",
            chunk,
        ):
            who: object = contact_id if contact_id is not None else ("row", row_id)
            value = (str(rsvp), int(plus or 0), waitlist is not None)
            if occurrence is None:
                shared.setdefault(eid, {})[who] = value
            else:
                own.setdefault((eid, dt.datetime.fromisoformat(occurrence)), {})[who] = value
    out: list[UpcomingEvent] = []
    for o in found:
        guests = dict(shared.get(o.event_id, {}))
        if o.recurrence_id is not None:
            guests.update(own.get((o.event_id, o.recurrence_id), {}))
        counts = {"accepted": 0, "tentative": 0, "declined": 0, "needs-action": 0}
        plus_ones = 0
        for rsvp, plus, waitlisted in guests.values():
            if waitlisted:
                continue
            key = rsvp if rsvp in counts else "needs-action"
            counts[key] += 1
            if rsvp == "accepted":
                plus_ones += plus
        community_id, in_person, capacity = info.get(o.event_id, (None, True, None))
        out.append(
            UpcomingEvent(
                event_id=o.event_id,
                occurrence=o.recurrence_id,
                title=o.title,
                start=o.start,
                end=o.end,
                all_day=o.all_day,
                community_id=community_id,
                community=o.community,
                in_person=in_person,
                status=o.status,
                accepted=counts["accepted"],
                tentative=counts["tentative"],
                declined=counts["declined"],
                no_answer=counts["needs-action"],
                plus_ones=plus_ones,
                capacity=capacity,
            )
        )
    return tuple(out), listed.notes


# A task's due day: its own date, else its event's local start day plus its offset.
TASK_DUE = (
    "COALESCE(t.due_date, CASE WHEN t.due_offset_days IS NOT NULL AND e.id IS NOT NULL"
    " THEN date(coalesce(t.occurrence, e.start_local), printf('%+d days', t.due_offset_days))"
    " END)"
)


def due_items(
    con: sqlite3.Connection, today: dt.date, unconfirmed: Sequence[UnconfirmedOccurrence]
) -> Due:
    """Open tasks overdue or due within DUE_DAYS days (overdue first, by date); open
    commitments (overdue first, then by date, undated last); the occurrences to confirm."""
    horizon = (today + dt.timedelta(days=DUE_DAYS)).isoformat()
    tasks = [
        DueTask(
            task_id=int(tid),
            title=str(title),
            due_date=dt.date.fromisoformat(str(due)[:10]),
            overdue=str(due)[:10] < today.isoformat(),
            event_id=eid,
            event_title=str(etitle or ""),
            assignee_id=aid,
            assignee=person_name(*name) if aid is not None else "",
        )
        for tid, title, due, eid, etitle, aid, *name in con.execute(
            f"SELECT t.id, t.title, {TASK_DUE} AS due, t.event_id, e.title, t.assignee_id, "
            + contact_name_sql("c")
            + " FROM task t LEFT JOIN event e ON e.id = t.event_id"
            " LEFT JOIN contact c ON c.id = t.assignee_id"
            f" WHERE t.done = 0 AND {TASK_DUE} <= ?"
            " ORDER BY due, t.position, t.id",
            (horizon,),
        )
    ]
    commitments = [
        DueCommitment(
            commitment_id=int(cid),
            description=str(text),
            due_date=as_date(due),
            overdue=due is not None and str(due)[:10] < today.isoformat(),
            contact_id=contact_id,
            contact=person_name(given, family, nick, lang, formatted, email, phone)
            if contact_id is not None
            else "",
            community_id=community_id,
            community=str(community or ""),
            event_id=eid,
            event_title=str(etitle or ""),
        )
        for (
            cid,
            text,
            due,
            contact_id,
            given,
            family,
            nick,
            lang,
            formatted,
            email,
            phone,
            community_id,
            community,
            eid,
            etitle,
        ) in (
            con.execute(
                "SELECT m.id, m.description, m.due_date, m.contact_id, "
                + contact_name_sql("c")
                + ", m.community_id, g.name, m.event_id, e.title"
                " FROM commitment m LEFT JOIN contact c ON c.id = m.contact_id"
                " LEFT JOIN community g ON g.id = m.community_id"
                " LEFT JOIN event e ON e.id = m.event_id"
                " WHERE m.status = 'open'"
                " ORDER BY m.due_date IS NULL, m.due_date, m.id"
            )
        )
    ]
    return Due(tuple(tasks), tuple(commitments), tuple(unconfirmed))


def unconfirmed_occurrences(
    db: Database, upcoming: Sequence[UpcomingEvent], now: dt.datetime, zone: str, today: dt.date
) -> tuple[UnconfirmedOccurrence, ...]:
    """`events.unconfirmed_soon`'s rule: from now to the end of the Nth day from today
    (`events.confirm_days_ahead`), occurrences still an idea or only planned."""
    horizon = day_start(today + dt.timedelta(days=confirm_days_ahead(db) + 1), zone)
    return tuple(
        UnconfirmedOccurrence(u.event_id, u.occurrence, u.title, u.start, u.community)
        for u in upcoming
        if u.status in ("idea", "planned") and now <= u.start.astimezone(dt.UTC) < horizon
    )


@dataclass(frozen=True)
class Past:
    """What the community, drifting and ratio figures share: held occurrences, their
    turnout and attendees, and each contact's latest attended day."""

    held: tuple[Any, ...]  # Held, oldest first
    turnout: Mapping[Any, Any]
    attendees: Mapping[Any, list[int]]
    last_attended: Mapping[int, dt.date]


def read_past(con: sqlite3.Connection, now: dt.datetime) -> Past:
    held = held_occurrences(con, now - dt.timedelta(days=HISTORY_DAYS), now)
    attendees = attendances(con, held)
    last: dict[int, dt.date] = {}
    for h in held:
        for person in attendees.get(h.key, ()):
            last[person] = h.day  # oldest first: the latest wins
    return Past(tuple(held), turnout(con, held), attendees, last)
