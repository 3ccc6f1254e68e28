"""The dashboard's figures over the past: held occurrences and who attended them, community
vitality and readiness, people drifting away, the in-person ratio. Plain sqlite3, set-based
(aggregates, GROUP BY); recurring series expanded once each. `dashboard.compute` calls these."""

from __future__ import annotations

import datetime as dt
import functools
import math
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cmplanner.i18n import _, ngettext
from cmplanner.recurrence import Override, occurrences
from cmplanner.storage.sql import sql_datetime, sql_instant
from cmplanner.timezones import local_to_utc

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


# -- vitality ------------------------------------------------------------------------------------


def pace_score(days_since: int | None, pace: int, zero_at: int) -> float:
    """1 up to `pace` days, then linearly down to 0 at `zero_at` × pace; never met: 0."""
    if days_since is None:
        return 0.0
    if days_since <= pace:
        return 1.0
    span = (zero_at - 1) * pace
    return max(0.0, (zero_at * pace - days_since) / span)


def weighted(components: Mapping[str, float | None], weights: Mapping[str, int]) -> int | None:
    have = {k: v for k, v in components.items() if v is not None}
    if not have:
        return None
    total = sum(weights[k] for k in have)
    return round(100 * sum(weights[k] * min(1.0, v) for k, v in have.items()) / total)


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


# -- readiness -----------------------------------------------------------------------------------


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


def launch_need(pace: int, days: int) -> int:
    return math.ceil(days / pace)


# -- names ---------------------------------------------------------------------------------------


def role_label(role: str) -> str:
    from cmplanner.model.enums import MemberRole

    try:
        return MemberRole(role).label
    except ValueError:
        return role


@functools.lru_cache(maxsize=4096)
def cadence_text(days_since: int | None, joined_days: int, source: str, cadence: int) -> str:
    who = _("own cadence") if source == "contact" else role_label(source)
    if days_since is None:
        return ngettext(
            "Never seen since joining {days} day ago ({who}: every {cadence} days)",
            "Never seen since joining {days} days ago ({who}: every {cadence} days)",
            joined_days,
        ).format(days=joined_days, who=who, cadence=cadence)
    return ngettext(
        "Not seen for {days} day ({who}: every {cadence} days)",
        "Not seen for {days} days ({who}: every {cadence} days)",
        days_since,
    ).format(days=days_since, who=who, cadence=cadence)


def missed_text(count: int, community: str) -> str:
    return ngettext(
        "Missed the last event of {community}",
        "Missed the last {count} events of {community}",
        count,
    ).format(count=count, community=community)
