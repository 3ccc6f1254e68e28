"""The dashboard: the one source of figures for the home screen, `cmplanner dashboard` and its
PDF. Everything is read with plain sqlite3 (`db.read()`), set-based: aggregates and GROUP BY,
never a query per contact or per event; recurring series are expanded once each, in Python.

Definitions (the help shows them, see VITALITY_HELP):

- An occurrence is *held* when its end is before now, it was not skipped, and neither the event
  nor the occurrence is cancelled. In person: `event.in_person = 1`.
- Vitality = 100 × Σ wᵢ·sᵢ / Σ wᵢ over the components that have data (weights in WEIGHTS):
  pace score 1 when the last in-person event is at most `pace` days ago, falling linearly to 0
  at 3 × pace (never met: 0); attendance = attendance rate (capped at 1); returning = share of
  returning attendees; seen = share of members seen in person in the last 90 days.
- Drifting: see `_drifting`. In-person ratio: see `_ratio`. Readiness: see `_readiness`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import sqlite3
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from cmplanner import clock, memory
from cmplanner.i18n import _, ngettext
from cmplanner.model.names import contact_name_sql, display_name
from cmplanner.services.contact_records import contact_names
from cmplanner.storage.sql import in_chunks, sql_instant

if TYPE_CHECKING:
    from cmplanner.storage import Database

# -- constants ------------------------------------------------------------------------------------

DEFAULT_CADENCE: Mapping[str, int] = {
    "member": 120,
    "ambassador": 30,
    "sponsor": 90,
    "core_team": 30,
    "partner": 90,
}
DEFAULT_IN_PERSON_TARGET = 0.30
DEFAULT_MIN_AMBASSADORS = 2
DEFAULT_ATTENDANCE_EVENTS = 10
DEFAULT_PACE_DAYS = 14

WEIGHTS: Mapping[str, int] = {"pace": 40, "attendance": 20, "returning": 20, "seen": 20}
PACE_ZERO_AT = 3  # the pace score reaches 0 at this many times the target pace
GREEN_FROM = 70
AMBER_FROM = 40
SEEN_DAYS = 90
RATIO_DAYS = 90
UPCOMING_DAYS = 14
DUE_DAYS = 7
MONTHS_SHOWN = 6  # new members per month
RATIO_MONTHS = 12
RATIO_WEEKS = 12
MISSED_LAST = 3  # "missed the last 3 events"
REGULAR_MIN = 3  # a regular attended at least 3 …
REGULAR_WINDOW = 10  # … of the 10 held events before the last 3
IN_PERSON_DEFAULT_MINUTES = 30  # an in-person interaction without a duration
ONLINE_DEFAULT_MINUTES = 15  # an online interaction without a duration
DRIFTING_SHOWN = 200  # the most overdue people listed (the total is counted)
ALL_DAY_MINUTES = 8 * 60  # an all-day event counts 8 hours a day
LAUNCH_WEEKS = 8
# How far back recurring series are expanded (attendance of the last N events, regulars).
HISTORY_DAYS = 3 * 366


class Light(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    UNKNOWN = "unknown"


class ReadinessKey(StrEnum):
    TARGET_POPULATION = "target_population"
    OBJECTIVE = "objective"
    SPONSOR = "sponsor"
    CORE_TEAM = "core_team"
    AMBASSADORS = "ambassadors"
    LAUNCH_PERIOD = "launch_period"


# -- the figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardSettings:
    """Read from preferences (`settings(db)`); the defaults are the constants above."""

    cadence_by_role: Mapping[str, int]
    in_person_target: float  # 0..1
    min_ambassadors: int
    attendance_events: int  # "the last N events"
    default_pace_days: int  # a community without a target pace
    reminders_enabled: bool
    start_digest: bool


@dataclass(frozen=True)
class UpcomingEvent:
    event_id: int
    occurrence: dt.datetime | None  # a series: the occurrence's original local start
    title: str
    start: dt.datetime  # aware, in the event's zone
    end: dt.datetime
    all_day: bool
    community_id: int | None
    community: str
    in_person: bool
    status: str
    accepted: int
    tentative: int
    declined: int
    no_answer: int
    plus_ones: int  # of the accepted guests
    capacity: int | None


@dataclass(frozen=True)
class DueTask:
    task_id: int
    title: str
    due_date: dt.date
    overdue: bool
    event_id: int | None
    event_title: str
    assignee_id: int | None
    assignee: str


@dataclass(frozen=True)
class DueCommitment:
    commitment_id: int
    description: str
    due_date: dt.date | None
    overdue: bool
    contact_id: int | None
    contact: str
    community_id: int | None
    community: str
    event_id: int | None
    event_title: str


@dataclass(frozen=True)
class UnconfirmedOccurrence:
    event_id: int
    occurrence: dt.datetime | None
    title: str
    start: dt.datetime
    community: str = ""


@dataclass(frozen=True)
class Due:
    tasks: tuple[DueTask, ...]  # overdue first, then due within 7 days, by date
    commitments: tuple[DueCommitment, ...]  # open ones, overdue first
    unconfirmed: tuple[UnconfirmedOccurrence, ...]


@dataclass(frozen=True)
class AttendancePoint:
    event_id: int
    occurrence: dt.datetime | None
    title: str
    day: dt.date
    expected: int  # accepted guests and their plus-ones
    attended: int


@dataclass(frozen=True)
class MonthValue:
    month: str  # "2026-11"
    value: int


@dataclass(frozen=True)
class ReadinessItem:
    key: ReadinessKey
    ok: bool
    label: str  # translated, e.g. "At least 2 ambassadors"
    detail: str  # translated, e.g. "1 of 2 named"
    have: int
    need: int


@dataclass(frozen=True)
class CommunityVitality:
    community_id: int
    name: str
    members: int
    target_pace_days: int
    pace_is_default: bool
    days_since_last_in_person_event: int | None  # None: never met in person
    last_in_person_event: dt.date | None
    next_event: UpcomingEvent | None
    pace_light: Light
    attendance: tuple[AttendancePoint, ...]  # the last N held in-person occurrences, oldest first
    attendance_rate: float | None
    returning_rate: float | None
    new_members_by_month: tuple[MonthValue, ...]
    seen_in_person_90d: float | None
    vitality: int | None
    light: Light
    components: Mapping[str, float | None]
    readiness: tuple[ReadinessItem, ...]
    ready: bool


@dataclass(frozen=True)
class DriftingContact:
    contact_id: int
    name: str
    last_seen: dt.date | None
    cadence_days: int | None
    cadence_source: str  # "contact" or the role, e.g. "ambassador"
    reason: str  # "cadence" or "missed_events"
    reason_text: str
    community_id: int | None
    community: str
    days_overdue: int


@dataclass(frozen=True)
class RatioPeriod:
    label: str  # "2026-11" or "2026-W47"
    start: dt.date
    in_person_minutes: int
    online_minutes: int
    value: float | None


@dataclass(frozen=True)
class InPersonRatio:
    value: float | None  # last 90 days
    target: float
    in_person_minutes: int
    online_minutes: int
    months: tuple[RatioPeriod, ...]  # last 12, oldest first
    weeks: tuple[RatioPeriod, ...]  # last 12 ISO weeks, oldest first
    by_community: tuple[tuple[int | None, str, RatioPeriod], ...]  # last 90 days


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    generated_at: dt.datetime
    settings: DashboardSettings
    upcoming: tuple[UpcomingEvent, ...]
    due: Due
    communities: tuple[CommunityVitality, ...]
    drifting: tuple[DriftingContact, ...]  # the DRIFTING_SHOWN most overdue
    ratio: InPersonRatio
    drifting_total: int = 0  # how many people drift in all (each counted once)
    # series of the next days not shown in full, one sentence each (`occurrences_between`)
    notes: tuple[str, ...] = ()


# -- settings -------------------------------------------------------------------------------------


def _int(raw: str | None, default: int, low: int = 1) -> int:
    try:
        return max(low, int(str(raw).strip())) if raw not in (None, "") else default
    except ValueError:
        return default


def settings(db: Database) -> DashboardSettings:
    """The dashboard's preferences (one query), each falling back to its default when unset
    or not a number."""
    from cmplanner.services import preferences as p

    with db.read() as con:
        stored = {
            str(k): str(v)
            for k, v in con.execute(
                "SELECT key, value FROM setting WHERE key LIKE 'dashboard.%'"
                " OR key LIKE 'reminders.%'"
            )
            if v
        }

    def raw(key: str) -> str:
        return stored.get(key) or p.DEFAULTS.get(key, "")

    cadence = {
        role: _int(raw(p.DASHBOARD_CADENCE + role), days) for role, days in DEFAULT_CADENCE.items()
    }
    try:
        target = float(raw(p.DASHBOARD_IN_PERSON_TARGET).replace(",", ".").rstrip("% ")) / 100
    except ValueError:
        target = DEFAULT_IN_PERSON_TARGET
    if not 0 <= target <= 1:
        target = DEFAULT_IN_PERSON_TARGET
    return DashboardSettings(
        cadence_by_role=cadence,
        in_person_target=target,
        min_ambassadors=_int(raw(p.DASHBOARD_MIN_AMBASSADORS), DEFAULT_MIN_AMBASSADORS, 0),
        attendance_events=_int(raw(p.DASHBOARD_ATTENDANCE_EVENTS), DEFAULT_ATTENDANCE_EVENTS),
        default_pace_days=_int(raw(p.DASHBOARD_DEFAULT_PACE_DAYS), DEFAULT_PACE_DAYS),
        reminders_enabled=raw(p.REMINDERS_ENABLED) != "0",
        start_digest=raw(p.REMINDERS_START_DIGEST) != "0",
    )


# -- helpers --------------------------------------------------------------------------------------


def _date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value)[:10])


def _naive(value: Any) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(str(value))


def _name(*parts: Any) -> str:
    """`display_name` of the columns `contact_name_sql` gives (None for no contact)."""
    return display_name(*(str(p or "") for p in parts))


def _day_start(day: dt.date, zone: str) -> dt.datetime:
    """Aware UTC instant of local midnight starting `day` in `zone`."""
    from cmplanner.timezones import local_to_utc

    return local_to_utc(dt.datetime.combine(day, dt.time()), zone)


# -- upcoming -------------------------------------------------------------------------------------


def _upcoming(
    db: Database, con: sqlite3.Connection, start_utc: dt.datetime, end_utc: dt.datetime
) -> tuple[tuple[UpcomingEvent, ...], tuple[str, ...]]:
    """Occurrences starting in [start_utc, end_utc) (series expanded, skipped ones and
    cancelled ones left out), with their RSVP counts (a guest's own row for an occurrence of
    a series wins over the shared one); and the notes on series not shown in full."""
    from cmplanner.services.event_dates import occurrences_between

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


# -- due ------------------------------------------------------------------------------------------

# A task's due day: its own date, else its event's local start day plus its offset.
_TASK_DUE = (
    "COALESCE(t.due_date, CASE WHEN t.due_offset_days IS NOT NULL AND e.id IS NOT NULL"
    " THEN date(coalesce(t.occurrence, e.start_local), printf('%+d days', t.due_offset_days))"
    " END)"
)


def _due(
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
            assignee=_name(*name) if aid is not None else "",
        )
        for tid, title, due, eid, etitle, aid, *name in con.execute(
            f"SELECT t.id, t.title, {_TASK_DUE} AS due, t.event_id, e.title, t.assignee_id, "
            + contact_name_sql("c")
            + " FROM task t LEFT JOIN event e ON e.id = t.event_id"
            " LEFT JOIN contact c ON c.id = t.assignee_id"
            f" WHERE t.done = 0 AND {_TASK_DUE} <= ?"
            " ORDER BY due, t.position, t.id",
            (horizon,),
        )
    ]
    commitments = [
        DueCommitment(
            commitment_id=int(cid),
            description=str(text),
            due_date=_date(due),
            overdue=due is not None and str(due)[:10] < today.isoformat(),
            contact_id=contact_id,
            contact=_name(given, family, nick, lang, formatted, email, phone)
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


def _unconfirmed(
    db: Database, upcoming: Sequence[UpcomingEvent], now: dt.datetime, zone: str, today: dt.date
) -> tuple[UnconfirmedOccurrence, ...]:
    """`events.unconfirmed_soon`'s rule: from now to the end of the Nth day from today
    (`events.confirm_days_ahead`), occurrences still an idea or only planned."""
    from cmplanner.services.events import confirm_days_ahead

    horizon = _day_start(today + dt.timedelta(days=confirm_days_ahead(db) + 1), zone)
    return tuple(
        UnconfirmedOccurrence(u.event_id, u.occurrence, u.title, u.start, u.community)
        for u in upcoming
        if u.status in ("idea", "planned") and now <= u.start.astimezone(dt.UTC) < horizon
    )


# -- communities ----------------------------------------------------------------------------------


def _light(value: int | None) -> Light:
    if value is None:
        return Light.UNKNOWN
    return Light.GREEN if value >= GREEN_FROM else Light.AMBER if value >= AMBER_FROM else Light.RED


def _pace_light(days_since: int | None, pace: int) -> Light:
    if days_since is None or days_since > 2 * pace:
        return Light.RED
    return Light.GREEN if days_since <= pace else Light.AMBER


def _rate_of(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class _Past:
    """What the community, drifting and ratio figures share: held occurrences, their
    turnout and attendees, and each contact's latest attended day."""

    held: tuple[Any, ...]  # dashboard_figures.Held, oldest first
    turnout: Mapping[Any, Any]
    attendees: Mapping[Any, list[int]]
    last_attended: Mapping[int, dt.date]


def _past(con: sqlite3.Connection, now: dt.datetime) -> _Past:
    from cmplanner.services import dashboard_figures as f

    held = f.held_occurrences(con, now - dt.timedelta(days=HISTORY_DAYS), now)
    attendees = f.attendances(con, held)
    last: dict[int, dt.date] = {}
    for h in held:
        for person in attendees.get(h.key, ()):
            last[person] = h.day  # oldest first: the latest wins
    return _Past(tuple(held), f.turnout(con, held), attendees, last)


def _communities(
    con: sqlite3.Connection,
    conf: DashboardSettings,
    today: dt.date,
    now: dt.datetime,
    past: _Past,
    upcoming: Sequence[UpcomingEvent],
) -> tuple[CommunityVitality, ...]:
    from cmplanner.services import dashboard_figures as f

    rows = con.execute(
        "SELECT id, name, objective, target_population, launch_date, pace_days FROM community"
        " ORDER BY name COLLATE NOCASE, id"
    ).fetchall()
    if not rows:
        return ()
    # Members and roles, by one GROUP BY.
    members: dict[int, set[int]] = defaultdict(set)
    roles: dict[tuple[int, str], int] = defaultdict(int)
    for cid, role, count in con.execute(
        "SELECT community_id, role, COUNT(DISTINCT contact_id) FROM community_member"
        " GROUP BY community_id, role"
    ):
        roles[(cid, role)] = int(count)
    for cid, contact_id in con.execute(
        "SELECT DISTINCT community_id, contact_id FROM community_member"
    ):
        members[cid].add(contact_id)
    months = f.last_months(today, MONTHS_SHOWN)
    joined: dict[tuple[int, str], int] = {}
    for cid, month, count in con.execute(
        "SELECT community_id, substr(first, 1, 7) AS month, COUNT(*) FROM ("
        " SELECT community_id, contact_id,"
        " MIN(COALESCE(joined_on, date(created_at))) AS first"
        " FROM community_member GROUP BY community_id, contact_id)"
        " WHERE first >= ? GROUP BY community_id, month",
        (months[0].isoformat(),),
    ):
        joined[(cid, month)] = int(count)
    sponsors_org: dict[int, int] = {
        int(cid): int(n)
        for cid, n in con.execute(
            "SELECT e.community_id, COUNT(DISTINCT o.id) FROM event_partner p"
            " JOIN organization o ON o.id = p.organization_id AND o.kind = 'sponsor'"
            " JOIN event e ON e.id = p.event_id WHERE e.community_id IS NOT NULL"
            " GROUP BY e.community_id"
        )
    }
    # Seen in person in the last 90 days: an attended in-person event, or an interaction.
    since = now - dt.timedelta(days=SEEN_DAYS)
    seen: set[int] = {
        int(r[0])
        for r in con.execute(
            "SELECT DISTINCT contact_id FROM interaction WHERE in_person = 1"
            " AND occurred_at >= ? AND occurred_at < ?",
            (sql_instant(since), sql_instant(now)),
        )
    }
    in_person_by_community: dict[int, list[Any]] = defaultdict(list)
    first_attended: dict[tuple[int, int], dt.datetime] = {}
    for h in past.held:
        if h.in_person and h.end_utc >= since:
            seen.update(past.attendees.get(h.key, ()))
        if h.community_id is None:
            continue
        if h.in_person:
            in_person_by_community[h.community_id].append(h)
        for person in past.attendees.get(h.key, ()):
            first_attended.setdefault((h.community_id, person), h.start_utc)
    launches = {int(r[0]): dt.date.fromisoformat(str(r[4])[:10]) for r in rows if r[4]}
    launch_days = LAUNCH_WEEKS * 7
    planned = f.launch_events(con, launches, launch_days)
    next_by_community: dict[int, UpcomingEvent] = {}
    for u in upcoming:
        if u.community_id is not None:
            next_by_community.setdefault(u.community_id, u)

    out: list[CommunityVitality] = []
    for cid, name, objective, target_population, _launch, pace_days in rows:
        pace = int(pace_days) if pace_days else conf.default_pace_days
        held = in_person_by_community.get(cid, [])
        last_day = held[-1].day if held else None
        days_since = (today - last_day).days if last_day else None
        window = held[-conf.attendance_events :]
        points = tuple(
            AttendancePoint(
                h.event_id,
                h.occurrence,
                h.title,
                h.day,
                past.turnout[h.key].expected,
                past.turnout[h.key].attended,
            )
            for h in window
        )
        expected = sum(p.expected for p in points)
        came = sum(p.attended for p in points)
        attendance_rate = _rate_of(came, expected)
        visits = [(h, person) for h in window for person in past.attendees.get(h.key, ())]
        returning = sum(1 for h, person in visits if first_attended[(cid, person)] < h.start_utc)
        returning_rate = _rate_of(returning, len(visits))
        people = members.get(cid, set())
        seen_rate = _rate_of(len(people & seen), len(people))
        components: dict[str, float | None] = {
            "pace": f.pace_score(days_since, pace, PACE_ZERO_AT),
            "attendance": None if attendance_rate is None else min(1.0, attendance_rate),
            "returning": returning_rate,
            "seen": seen_rate,
        }
        vitality = f.weighted(components, WEIGHTS)
        readiness = _readiness(
            conf,
            objective=str(objective or ""),
            target_population=str(target_population or ""),
            sponsors=roles.get((cid, "sponsor"), 0) + sponsors_org.get(cid, 0),
            core_team=roles.get((cid, "core_team"), 0),
            ambassadors=roles.get((cid, "ambassador"), 0),
            launch=launches.get(cid),
            planned=planned.get(cid, 0),
            need=f.launch_need(pace, launch_days),
        )
        out.append(
            CommunityVitality(
                community_id=int(cid),
                name=str(name),
                members=len(people),
                target_pace_days=pace,
                pace_is_default=not pace_days,
                days_since_last_in_person_event=days_since,
                last_in_person_event=last_day,
                next_event=next_by_community.get(cid),
                pace_light=_pace_light(days_since, pace),
                attendance=points,
                attendance_rate=attendance_rate,
                returning_rate=returning_rate,
                new_members_by_month=tuple(
                    MonthValue(f.month_label(m), joined.get((cid, f.month_label(m)), 0))
                    for m in months
                ),
                seen_in_person_90d=seen_rate,
                vitality=vitality,
                light=_light(vitality),
                components=components,
                readiness=readiness,
                ready=all(i.ok for i in readiness),
            )
        )
    return tuple(out)


def _long_date(day: dt.date) -> str:
    """« 25 juillet 2026 », "July 25, 2026" (en_US), "25 July 2026" (en_GB)."""
    from cmplanner.formats import day_text

    return day_text(day, "long")


def _readiness(
    conf: DashboardSettings,
    *,
    objective: str,
    target_population: str,
    sponsors: int,
    core_team: int,
    ambassadors: int,
    launch: dt.date | None,
    planned: int,
    need: int,
) -> tuple[ReadinessItem, ...]:
    """The launch prerequisites, in the order the card lists them."""

    def defined(have: bool) -> str:
        return _("Defined") if have else _("Not defined yet")

    def counted(have: int, need: int) -> str:
        return ngettext("{have} of {need} named", "{have} of {need} named", need).format(
            have=have, need=need
        )

    if launch is None:
        launch_detail = _("No launch date set")
    else:
        launch_detail = ngettext(
            "{have} of {need} event planned in the 8 weeks from {date}",
            "{have} of {need} events planned in the 8 weeks from {date}",
            need,
        ).format(have=planned, need=need, date=_long_date(launch))
    target_ok = bool(target_population.strip())
    objective_ok = bool(objective.strip())
    return (
        ReadinessItem(
            ReadinessKey.TARGET_POPULATION,
            target_ok,
            _("Target population defined"),
            defined(target_ok),
            int(target_ok),
            1,
        ),
        ReadinessItem(
            ReadinessKey.OBJECTIVE,
            objective_ok,
            _("A concrete objective"),
            defined(objective_ok),
            int(objective_ok),
            1,
        ),
        ReadinessItem(
            ReadinessKey.SPONSOR,
            sponsors >= 1,
            _("At least one sponsor"),
            counted(sponsors, 1),
            sponsors,
            1,
        ),
        ReadinessItem(
            ReadinessKey.CORE_TEAM,
            core_team >= 1,
            _("A named core team"),
            counted(core_team, 1),
            core_team,
            1,
        ),
        ReadinessItem(
            ReadinessKey.AMBASSADORS,
            ambassadors >= conf.min_ambassadors,
            ngettext(
                "At least {count} ambassador",
                "At least {count} ambassadors",
                conf.min_ambassadors,
            ).format(count=conf.min_ambassadors),
            counted(ambassadors, conf.min_ambassadors),
            ambassadors,
            conf.min_ambassadors,
        ),
        ReadinessItem(
            ReadinessKey.LAUNCH_PERIOD,
            launch is not None and planned >= need,
            _("A launch period of 8 weeks with events planned"),
            launch_detail,
            planned if launch is not None else 0,
            need,
        ),
    )


# -- drifting -------------------------------------------------------------------------------------


def _drifting(
    con: sqlite3.Connection,
    conf: DashboardSettings,
    today: dt.date,
    past: _Past,
    communities: Sequence[CommunityVitality],
) -> tuple[tuple[DriftingContact, ...], int]:
    """The DRIFTING_SHOWN most overdue, and how many drift in all.

    Reason "cadence": the contact's own cadence, else the shortest default of the roles they
    hold; last contact = latest interaction (any channel) or attended event; never
    contacted: counted from the day they joined. Reason "missed_events": a regular (attended
    ≥ 3 of the 10 held in-person events before the community's last 3) who attended none of
    the last 3."""
    from cmplanner.services import dashboard_figures as f

    # The watched: their own cadence, else their roles' shortest default.
    watch: dict[int, tuple[int, str, int | None, dt.date | None]] = {}
    for contact_id, own, created in con.execute(
        "SELECT id, cadence_days, date(created_at) FROM contact WHERE cadence_days IS NOT NULL"
    ):
        watch[int(contact_id)] = (int(own), "contact", None, f.as_date(created))
    joined: dict[int, tuple[dt.date | None, int]] = {}
    for contact_id, cid, role, first in con.execute(
        "SELECT contact_id, community_id, role, MIN(COALESCE(joined_on, date(created_at)))"
        " FROM community_member GROUP BY contact_id, community_id, role"
        " ORDER BY contact_id, community_id, role"
    ):
        day = f.as_date(first)
        earlier = joined.get(contact_id)
        if earlier is None or (day is not None and (earlier[0] is None or day < earlier[0])):
            joined[contact_id] = (day, cid)
        days = conf.cadence_by_role.get(str(role))
        if days is None:
            continue
        current = watch.get(contact_id)
        if current is None or (current[1] != "contact" and days < current[0]):
            watch[contact_id] = (days, str(role), cid, None)
    last_interaction: dict[int, dt.date] = {
        int(cid): dt.date.fromisoformat(str(when)[:10])
        for cid, when in con.execute(
            "SELECT contact_id, MAX(occurred_at) FROM interaction GROUP BY contact_id"
        )
    }
    community_names = {c.community_id: c.name for c in communities}
    found: list[DriftingContact] = []
    pending: list[tuple[int, dt.date | None, int, str, int | None, str, int, Any]] = []
    no_join: tuple[dt.date | None, int | None] = (None, None)
    attended_last = past.last_attended
    for contact_id, (cadence, source, cid, created) in watch.items():
        talked = last_interaction.get(contact_id)
        came = attended_last.get(contact_id)
        last = talked if came is None or (talked is not None and talked > came) else came
        join_day, first_cid = joined.get(contact_id, no_join)
        reference = last or join_day or created
        if reference is None:
            continue
        elapsed = (today - reference).days
        if elapsed <= cadence:
            continue
        wording = ((today - last).days if last else None, elapsed, source, cadence)
        pending.append(
            (
                contact_id,
                last,
                cadence,
                source,
                cid if cid is not None else first_cid,
                "cadence",
                elapsed - cadence,
                wording,
            )
        )
    # Regulars who missed the community's last 3 held in-person events.
    by_community: dict[int, list[Any]] = defaultdict(list)
    for h in past.held:
        if h.in_person and h.community_id is not None:
            by_community[h.community_id].append(h)
    for cid, held in by_community.items():
        if len(held) <= MISSED_LAST:
            continue
        recent = held[-MISSED_LAST:]
        before = held[:-MISSED_LAST][-REGULAR_WINDOW:]
        came_recently = {p for h in recent for p in past.attendees.get(h.key, ())}
        counts: dict[int, int] = defaultdict(int)
        for h in before:
            for person in set(past.attendees.get(h.key, ())):
                counts[person] += 1
        name = community_names.get(cid, "")
        for person, times in counts.items():
            if times < REGULAR_MIN or person in came_recently:
                continue
            cadence_info = watch.get(person)
            last_seen_days = [
                d
                for d in (last_interaction.get(person), past.last_attended.get(person))
                if d is not None
            ]
            pending.append(
                (
                    person,
                    max(last_seen_days) if last_seen_days else None,
                    cadence_info[0] if cadence_info else 0,
                    cadence_info[1] if cadence_info else "",
                    cid,
                    "missed_events",
                    (today - recent[0].day).days,
                    name,
                )
            )
    # Only the most overdue are named and worded: with 100,000 contacts tens of thousands may
    # drift, and no one reads past the first screens. Ties at the cut are all kept, then
    # sorted by name like the rest.
    total = len({row[0] for row in pending})  # people, not reasons
    if len(pending) > DRIFTING_SHOWN:
        cut = heapq.nlargest(DRIFTING_SHOWN, (row[6] for row in pending))[-1]
        pending = [row for row in pending if row[6] >= cut]
    people = contact_names(con, {row[0] for row in pending})
    for contact_id, last, cadence, source, cid, reason, overdue, detail in pending:
        text = (
            f.cadence_text(*detail) if reason == "cadence" else f.missed_text(MISSED_LAST, detail)
        )
        found.append(
            DriftingContact(
                contact_id=contact_id,
                name=people.get(contact_id, ""),
                last_seen=last,
                cadence_days=cadence or None,
                cadence_source=source,
                reason=reason,
                reason_text=text,
                community_id=cid,
                community=community_names.get(cid, "") if cid is not None else "",
                days_overdue=overdue,
            )
        )
    found.sort(key=lambda d: (-d.days_overdue, d.name.casefold(), d.contact_id, d.reason))
    return tuple(found[:DRIFTING_SHOWN]), total


def by_person(drifting: Sequence[DriftingContact]) -> tuple[DriftingContact, ...]:
    """The drifting list as people read it: someone drifting for both reasons in the same
    community is one line, at the place of their most overdue reason, saying both ("Missed the
    last 3 events of … · Not seen for … days"). `Dashboard.drifting` keeps a record per reason
    (so does the JSON); the home screen, the digest and the PDF show this."""
    first: dict[tuple[int, int | None], DriftingContact] = {}
    reasons: dict[tuple[int, int | None], list[str]] = {}
    for person in drifting:
        key = (person.contact_id, person.community_id)
        first.setdefault(key, person)
        reasons.setdefault(key, []).append(person.reason_text)
    return tuple(
        replace(person, reason_text=" · ".join(reasons[key])) if len(reasons[key]) > 1 else person
        for key, person in first.items()
    )


def more_people(dashboard: Dashboard, shown: Sequence[DriftingContact]) -> int:
    """How many drifting people are counted but not in `shown`."""
    return max(0, dashboard.drifting_total - len({p.contact_id for p in shown}))


# -- in-person ratio ------------------------------------------------------------------------------


def _ratio(
    con: sqlite3.Connection,
    conf: DashboardSettings,
    today: dt.date,
    now: dt.datetime,
    past: _Past,
    communities: Sequence[CommunityVitality],
) -> InPersonRatio:
    """In person: held in-person events (each occurrence once, all-day 8 h a day) and
    in-person interactions (30 min without a duration) and in-person work entries; online:
    held online events, online interactions (15 min without a duration) and online work.
    Periods by local day; per community over the last 90 days (interactions by their
    event's community, else none)."""
    from cmplanner.services import dashboard_figures as f

    months = f.last_months(today, RATIO_MONTHS)
    weeks = f.last_weeks(today, RATIO_WEEKS)
    recent_from = today - dt.timedelta(days=RATIO_DAYS - 1)
    first = min(months[0], weeks[0], recent_from)
    # (day, in person, community) → minutes
    minutes: dict[tuple[dt.date, bool, int | None], int] = defaultdict(int)
    for h in past.held:
        if first <= h.day <= today:
            minutes[(h.day, h.in_person, h.community_id)] += h.minutes(ALL_DAY_MINUTES)
    start = _day_start(first, "UTC") - dt.timedelta(days=1)
    for day, in_person, cid, total in con.execute(
        "SELECT date(i.occurred_at, 'localtime') AS day, i.in_person, e.community_id,"
        " SUM(COALESCE(i.duration_minutes, CASE WHEN i.in_person THEN ? ELSE ? END))"
        " FROM interaction i LEFT JOIN event e ON e.id = i.event_id"
        " WHERE i.occurred_at >= ? AND i.occurred_at < ?"
        " GROUP BY day, i.in_person, e.community_id",
        (
            IN_PERSON_DEFAULT_MINUTES,
            ONLINE_DEFAULT_MINUTES,
            sql_instant(start),
            sql_instant(now),
        ),
    ):
        d = dt.date.fromisoformat(day)
        if first <= d <= today:
            minutes[(d, bool(in_person), cid)] += int(total or 0)
    for day, in_person, cid, total in con.execute(
        "SELECT day, in_person, community_id, SUM(minutes) FROM work_entry"
        " WHERE day >= ? AND day <= ? GROUP BY day, in_person, community_id",
        (first.isoformat(), today.isoformat()),
    ):
        minutes[(dt.date.fromisoformat(str(day)[:10]), bool(in_person), cid)] += int(total)

    # One pass over the minutes, each (day, in person, community) added to its month, its week
    # and the recent window (all and per community): months and weeks follow one another, so
    # a day is in one of each at most. (A pass per period and per community grew with the
    # number of communities times the days they have minutes on.)
    tomorrow = today + dt.timedelta(days=1)
    month_ends = [*months[1:], tomorrow]
    week_ends = [max(w, end) for w, end in zip(weeks, [*weeks[1:], tomorrow], strict=True)]
    by_month = [[0, 0] for _m in months]  # [in person, online]
    by_week = [[0, 0] for _w in weeks]
    recent_total = [0, 0]
    by_community: dict[int | None, list[int]] = {}
    for (day, in_person, community), value in minutes.items():
        slot = 0 if in_person else 1
        m = bisect.bisect_right(months, day) - 1
        if m >= 0 and day < month_ends[m]:
            by_month[m][slot] += value
        w = bisect.bisect_right(weeks, day) - 1
        if w >= 0 and day < week_ends[w]:
            by_week[w][slot] += value
        if recent_from <= day < tomorrow:
            recent_total[slot] += value
            by_community.setdefault(community, [0, 0])[slot] += value

    def period(label: str, begin: dt.date, totals: Sequence[int]) -> RatioPeriod:
        ip, on = totals
        return RatioPeriod(label, begin, ip, on, _rate_of(ip, ip + on))

    recent = period(_("Last {days} days").format(days=RATIO_DAYS), recent_from, recent_total)
    names = {c.community_id: c.name for c in communities}
    present = sorted(
        by_community,
        key=lambda c: (c is None, names.get(c, "").casefold() if c is not None else "", c or 0),
    )
    return InPersonRatio(
        value=recent.value,
        target=conf.in_person_target,
        in_person_minutes=recent.in_person_minutes,
        online_minutes=recent.online_minutes,
        months=tuple(period(f.month_label(m), m, t) for m, t in zip(months, by_month, strict=True)),
        weeks=tuple(period(f.week_label(w), w, t) for w, t in zip(weeks, by_week, strict=True)),
        by_community=tuple(
            (
                cid,
                names.get(cid, "") if cid is not None else _("No community"),
                period(recent.label, recent_from, by_community[cid]),
            )
            for cid in present
        ),
    )


# -- compute --------------------------------------------------------------------------------------


def compute(db: Database, *, today: dt.date | None = None) -> Dashboard:
    """The whole dashboard. `today` defaults to `clock.today()`; "now" is `clock.now_utc()`
    (for another day: the end of that day)."""
    zone = clock.local_zone_name()
    real_today = clock.today()
    today = today or real_today
    now = clock.now_utc()
    if today != real_today:
        now = _day_start(today + dt.timedelta(days=1), zone) - dt.timedelta(microseconds=1)
    conf = settings(db)
    # Tens of thousands of small objects on the scale database: the cycle collector paused
    # meanwhile, or its full passes would hold the GIL (and freeze the window) for 100s of ms.
    with memory.bulk_allocation(), db.read() as con:
        upcoming_end = _day_start(today + dt.timedelta(days=UPCOMING_DAYS + 1), zone)
        upcoming, notes = _upcoming(db, con, now, upcoming_end)
        due = _due(con, today, _unconfirmed(db, upcoming, now, zone, today))
        past = _past(con, now)
        communities = _communities(con, conf, today, now, past, upcoming)
        drifting, drifting_total = _drifting(con, conf, today, past, communities)
        ratio = _ratio(con, conf, today, now, past, communities)
    return Dashboard(
        today=today,
        generated_at=clock.utc_now(),
        settings=conf,
        upcoming=upcoming,
        due=due,
        communities=communities,
        drifting=drifting,
        ratio=ratio,
        drifting_total=drifting_total,
        notes=notes,
    )


# -- JSON -----------------------------------------------------------------------------------------


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _period_json(p: RatioPeriod, key: str) -> dict[str, Any]:
    return {
        key: p.label,
        "start": p.start.isoformat(),
        "value": _rate(p.value),
        "in_person_minutes": p.in_person_minutes,
        "online_minutes": p.online_minutes,
    }


def _upcoming_json(u: UpcomingEvent) -> dict[str, Any]:
    return {
        "event_id": u.event_id,
        "occurrence": _iso(u.occurrence),
        "title": u.title,
        "start": _iso(u.start),
        "end": _iso(u.end),
        "all_day": u.all_day,
        "community_id": u.community_id,
        "community": u.community,
        "in_person": u.in_person,
        "status": u.status,
        "accepted": u.accepted,
        "tentative": u.tentative,
        "declined": u.declined,
        "no_answer": u.no_answer,
        "plus_ones": u.plus_ones,
        "capacity": u.capacity,
    }


def to_json(dashboard: Dashboard) -> dict[str, Any]:
    """The dashboard as JSON-ready data, with the keys issue 7 names (and a few more)."""
    d = dashboard
    return {
        "today": d.today.isoformat(),
        "generated_at": _iso(d.generated_at),
        "communities": [
            {
                "id": c.community_id,
                "name": c.name,
                "vitality": c.vitality,
                "light": str(c.light),
                "components": {k: _rate(v) for k, v in c.components.items()},
                "members": c.members,
                "days_since_last_in_person_event": c.days_since_last_in_person_event,
                "last_in_person_event": _iso(c.last_in_person_event),
                "target_pace_days": c.target_pace_days,
                "pace_is_default": c.pace_is_default,
                "pace_light": str(c.pace_light),
                "attendance_rate": _rate(c.attendance_rate),
                "returning_rate": _rate(c.returning_rate),
                "seen_in_person_90d": _rate(c.seen_in_person_90d),
                "attendance": [
                    {
                        "event_id": a.event_id,
                        "occurrence": _iso(a.occurrence),
                        "title": a.title,
                        "day": a.day.isoformat(),
                        "expected": a.expected,
                        "attended": a.attended,
                    }
                    for a in c.attendance
                ],
                "new_members_by_month": [
                    {"month": m.month, "value": m.value} for m in c.new_members_by_month
                ],
                "next_event": _upcoming_json(c.next_event) if c.next_event else None,
                "readiness": {
                    "ready": c.ready,
                    "missing": [str(i.key) for i in c.readiness if not i.ok],
                    "items": [
                        {
                            "key": str(i.key),
                            "ok": i.ok,
                            "label": i.label,
                            "detail": i.detail,
                            "have": i.have,
                            "need": i.need,
                        }
                        for i in c.readiness
                    ],
                },
            }
            for c in d.communities
        ],
        "drifting": [
            {
                "id": p.contact_id,
                "name": p.name,
                "last_seen": _iso(p.last_seen),
                "cadence_days": p.cadence_days,
                "cadence_source": p.cadence_source,
                "reason": p.reason,
                "reason_text": p.reason_text,
                "community_id": p.community_id,
                "community": p.community,
                "days_overdue": p.days_overdue,
            }
            for p in d.drifting
        ],
        "drifting_total": d.drifting_total,
        "in_person_ratio": {
            "value": _rate(d.ratio.value),
            "target": d.ratio.target,
            "in_person_minutes": d.ratio.in_person_minutes,
            "online_minutes": d.ratio.online_minutes,
            "months": [_period_json(p, "month") for p in d.ratio.months],
            "weeks": [_period_json(p, "week") for p in d.ratio.weeks],
            "by_community": [
                {"community_id": cid, "community": name, **_period_json(p, "period")}
                for cid, name, p in d.ratio.by_community
            ],
        },
        "due": {
            "tasks": [
                {
                    "id": t.task_id,
                    "title": t.title,
                    "due_date": t.due_date.isoformat(),
                    "overdue": t.overdue,
                    "event_id": t.event_id,
                    "event_title": t.event_title,
                    "assignee_id": t.assignee_id,
                    "assignee": t.assignee,
                }
                for t in d.due.tasks
            ],
            "commitments": [
                {
                    "id": m.commitment_id,
                    "description": m.description,
                    "due_date": _iso(m.due_date),
                    "overdue": m.overdue,
                    "contact_id": m.contact_id,
                    "contact": m.contact,
                    "community_id": m.community_id,
                    "community": m.community,
                    "event_id": m.event_id,
                    "event_title": m.event_title,
                }
                for m in d.due.commitments
            ],
            "unconfirmed": [
                {
                    "event_id": u.event_id,
                    "occurrence": _iso(u.occurrence),
                    "title": u.title,
                    "start": _iso(u.start),
                    "community": u.community,
                }
                for u in d.due.unconfirmed
            ],
        },
        "upcoming": [_upcoming_json(u) for u in d.upcoming],
    }


# -- help -----------------------------------------------------------------------------------------


def vitality_help() -> str:
    """VITALITY_HELP in the current language."""
    return _(
        "Vitality (0 to 100) = 100 × the weighted average of the components that have data."
        " Weights: pace {pace}, attendance {attendance}, returning attendees {returning},"
        " members seen in person {seen}.\n"
        "Pace: 1 when the last in-person event is at most the target pace ago, falling"
        " linearly to 0 at {zero_at} × the pace (never met in person: 0).\n"
        "Attendance: people who came ÷ people expected (accepted guests and their plus-ones)"
        " over the last {events} in-person events, at most 1.\n"
        "Returning attendees: share of the attendances at those events by someone who had"
        " attended an earlier event of the community.\n"
        "Seen: share of members who attended an in-person event or had an in-person"
        " interaction in the last {seen_days} days.\n"
        "Light: green from {green}, amber from {amber}, red below.\n"
        "In-person ratio: minutes in person ÷ (in person + online) over the last {ratio_days}"
        " days. An in-person interaction without a duration counts {in_person_minutes} min,"
        " an online one {online_minutes} min, an all-day event 8 h a day."
    ).format(
        pace=WEIGHTS["pace"],
        attendance=WEIGHTS["attendance"],
        returning=WEIGHTS["returning"],
        seen=WEIGHTS["seen"],
        zero_at=PACE_ZERO_AT,
        events=DEFAULT_ATTENDANCE_EVENTS,
        seen_days=SEEN_DAYS,
        green=GREEN_FROM,
        amber=AMBER_FROM,
        ratio_days=RATIO_DAYS,
        in_person_minutes=IN_PERSON_DEFAULT_MINUTES,
        online_minutes=ONLINE_DEFAULT_MINUTES,
    )


VITALITY_HELP: str  # module attribute, built on each read (below)


def __getattr__(name: str) -> Any:
    # VITALITY_HELP is translated when read, so it follows the language chosen at start-up.
    if name == "VITALITY_HELP":
        return vitality_help()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
