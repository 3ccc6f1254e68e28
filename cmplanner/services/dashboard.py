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

import datetime as dt
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from cmplanner import clock
from cmplanner.i18n import _
from cmplanner.model.names import display_name

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
    drifting: tuple[DriftingContact, ...]
    ratio: InPersonRatio


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


def _sql_instant(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value)[:10])


def _naive(value: Any) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(str(value))


def _name(given: Any, family: Any, nick: Any) -> str:
    return display_name(given or "", family or "", nick or "")


def _day_start(day: dt.date, zone: str) -> dt.datetime:
    """Aware UTC instant of local midnight starting `day` in `zone`."""
    from cmplanner.timezones import local_to_utc

    return local_to_utc(dt.datetime.combine(day, dt.time()), zone)


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


# -- upcoming -------------------------------------------------------------------------------------


def _upcoming(
    db: Database, con: sqlite3.Connection, start_utc: dt.datetime, end_utc: dt.datetime
) -> tuple[UpcomingEvent, ...]:
    """Occurrences starting in [start_utc, end_utc) (series expanded, skipped ones and
    cancelled ones left out), with their RSVP counts (a guest's own row for an occurrence of
    a series wins over the shared one)."""
    from cmplanner.services.events import occurrences_between

    found = [o for o in occurrences_between(db, start_utc, end_utc) if o.status != "cancelled"]
    ids = sorted({o.event_id for o in found})
    info: dict[int, tuple[int | None, bool, int | None]] = {}
    shared: dict[int, dict[object, tuple[str, int, bool]]] = {}
    own: dict[tuple[int, dt.datetime], dict[object, tuple[str, int, bool]]] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
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
    return tuple(out)


# -- due ------------------------------------------------------------------------------------------

# A task's due day: its own date, else its event's local start day plus its offset.
_TASK_DUE = (
    "COALESCE(t.due_date, CASE WHEN t.due_offset_days IS NOT NULL AND e.id IS NOT NULL"
    " THEN date(e.start_local, printf('%+d days', t.due_offset_days)) END)"
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
            assignee=_name(given, family, nick) if aid is not None else "",
        )
        for tid, title, due, eid, etitle, aid, given, family, nick in con.execute(
            f"SELECT t.id, t.title, {_TASK_DUE} AS due, t.event_id, e.title, t.assignee_id,"
            " c.given_name, c.family_name, c.nickname"
            " FROM task t LEFT JOIN event e ON e.id = t.event_id"
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
            contact=_name(given, family, nick) if contact_id is not None else "",
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
            community_id,
            community,
            eid,
            etitle,
        ) in (
            con.execute(
                "SELECT m.id, m.description, m.due_date, m.contact_id, c.given_name,"
                " c.family_name, c.nickname, m.community_id, g.name, m.event_id, e.title"
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
        UnconfirmedOccurrence(u.event_id, u.occurrence, u.title, u.start)
        for u in upcoming
        if u.status in ("idea", "planned") and now <= u.start.astimezone(dt.UTC) < horizon
    )


# -- compute --------------------------------------------------------------------------------------


def compute(db: Database, *, today: dt.date | None = None) -> Dashboard:
    """The whole dashboard. `today` defaults to `clock.today()`; "now" is `clock.now_utc()`
    (or the end of `today` when an earlier day is asked for)."""
    zone = clock.local_zone_name()
    real_today = clock.today()
    today = today or real_today
    now = clock.now_utc()
    if today != real_today:
        now = _day_start(today + dt.timedelta(days=1), zone) - dt.timedelta(microseconds=1)
        if today > real_today:
            now = _day_start(today, zone)
    conf = settings(db)
    with db.read() as con:
        upcoming_end = _day_start(today + dt.timedelta(days=UPCOMING_DAYS + 1), zone)
        upcoming = _upcoming(db, con, now, upcoming_end)
        due = _due(con, today, _unconfirmed(db, upcoming, now, zone, today))
        communities: tuple[CommunityVitality, ...] = ()
        drifting: tuple[DriftingContact, ...] = ()
        ratio = InPersonRatio(None, conf.in_person_target, 0, 0, (), (), ())
    return Dashboard(
        today=today,
        generated_at=clock.utc_now(),
        settings=conf,
        upcoming=upcoming,
        due=due,
        communities=communities,
        drifting=drifting,
        ratio=ratio,
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
