"""What the dashboard holds: its figures as frozen dataclasses, the constants that define
them, and its settings (cadences, targets) read from the preferences."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from cmplanner.services import preferences as p

if TYPE_CHECKING:
    from cmplanner.storage import Database


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


def _int(raw: str | None, default: int, low: int = 1) -> int:
    try:
        return max(low, int(str(raw).strip())) if raw not in (None, "") else default
    except ValueError:
        return default


def settings(db: Database) -> DashboardSettings:
    """The dashboard's preferences (one query), each falling back to its default when unset
    or not a number."""
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
