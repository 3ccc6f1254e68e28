"""The dashboard: the one source of figures for the home screen, `cmplanner dashboard` and its
PDF. Everything is read with plain sqlite3 (`db.read()`), set-based: aggregates and GROUP BY,
never a query per contact or per event; recurring series are expanded once each, in Python.

`board` holds what the dashboard is made of, `figures` its counts and series, `scores` what
is computed from them, `json_shape` its JSON; `compute` puts it together.

Definitions (the help shows them, see VITALITY_HELP):

- An occurrence is *held* when its end is before now, it was not skipped, and neither the event
  nor the occurrence is cancelled. In person: `event.in_person = 1`.
- Vitality = 100 × Σ wᵢ·sᵢ / Σ wᵢ over the components that have data (weights in WEIGHTS):
  pace score 1 when the last in-person event is at most `pace` days ago, falling linearly to 0
  at 3 × pace (never met: 0); attendance = attendance rate (capped at 1); returning = share of
  returning attendees; seen = share of members seen in person in the last 90 days.
- Drifting: see `scores.drifting_people`. In-person ratio: see `scores.in_person_ratio`.
  Readiness: see `scores.readiness_items`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from cmplanner import clock, memory
from cmplanner.services.dashboard import figures, scores
from cmplanner.services.dashboard.board import (
    AMBER_FROM,
    GREEN_FROM,
    IN_PERSON_DEFAULT_MINUTES,
    ONLINE_DEFAULT_MINUTES,
    PACE_ZERO_AT,
    UPCOMING_DAYS,
    WEIGHTS,
    AttendancePoint,
    CommunityVitality,
    Dashboard,
    DashboardSettings,
    DriftingContact,
    Due,
    DueCommitment,
    DueTask,
    InPersonRatio,
    Light,
    MonthValue,
    RatioPeriod,
    ReadinessItem,
    ReadinessKey,
    UnconfirmedOccurrence,
    UpcomingEvent,
    settings,
)
from cmplanner.services.dashboard.json_shape import to_json
from cmplanner.services.dashboard.scores import by_person, more_people, vitality_help

if TYPE_CHECKING:
    from cmplanner.storage import Database

__all__ = [
    "AMBER_FROM",
    "GREEN_FROM",
    "IN_PERSON_DEFAULT_MINUTES",
    "ONLINE_DEFAULT_MINUTES",
    "PACE_ZERO_AT",
    "WEIGHTS",
    "AttendancePoint",
    "CommunityVitality",
    "Dashboard",
    "DashboardSettings",
    "DriftingContact",
    "Due",
    "DueCommitment",
    "DueTask",
    "InPersonRatio",
    "Light",
    "MonthValue",
    "RatioPeriod",
    "ReadinessItem",
    "ReadinessKey",
    "UnconfirmedOccurrence",
    "UpcomingEvent",
    "by_person",
    "compute",
    "more_people",
    "settings",
    "to_json",
    "vitality_help",
]


def compute(db: Database, *, today: dt.date | None = None) -> Dashboard:
    """The whole dashboard. `today` defaults to `clock.today()`; "now" is `clock.now_utc()`
    (for another day: the end of that day)."""
    zone = clock.local_zone_name()
    real_today = clock.today()
    today = today or real_today
    now = clock.now_utc()
    if today != real_today:
        now = figures.day_start(today + dt.timedelta(days=1), zone) - dt.timedelta(microseconds=1)
    conf = settings(db)
    # Tens of thousands of small objects on the scale database: the cycle collector paused
    # meanwhile, or its full passes would hold the GIL (and freeze the window) for 100s of ms.
    with memory.bulk_allocation(), db.read() as con:
        upcoming_end = figures.day_start(today + dt.timedelta(days=UPCOMING_DAYS + 1), zone)
        upcoming, notes = figures.upcoming_events(db, con, now, upcoming_end)
        unconfirmed = figures.unconfirmed_occurrences(db, upcoming, now, zone, today)
        due = figures.due_items(con, today, unconfirmed)
        past = figures.read_past(con, now)
        communities = scores.community_vitality(con, conf, today, now, past, upcoming)
        drifting, drifting_total = scores.drifting_people(con, conf, today, past, communities)
        ratio = scores.in_person_ratio(con, conf, today, now, past, communities)
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


VITALITY_HELP: str  # module attribute, built on each read (below)


def __getattr__(name: str) -> Any:
    # VITALITY_HELP is translated when read, so it follows the language chosen at start-up.
    if name == "VITALITY_HELP":
        return vitality_help()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
