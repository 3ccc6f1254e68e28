"""The dashboard as JSON (`cmplanner dashboard --json`): plain values, dates in ISO 8601,
rates rounded to four decimals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cmplanner.services.dashboard.board import (
    CommunityVitality,
    Dashboard,
    DriftingContact,
    Due,
    InPersonRatio,
    RatioPeriod,
    UpcomingEvent,
)


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
        "communities": [_community_json(c) for c in d.communities],
        "drifting": [_drifting_json(p) for p in d.drifting],
        "drifting_total": d.drifting_total,
        "in_person_ratio": _ratio_json(d.ratio),
        "due": _due_json(d.due),
        "upcoming": [_upcoming_json(u) for u in d.upcoming],
    }


def _community_json(c: CommunityVitality) -> dict[str, Any]:
    return {
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


def _drifting_json(p: DriftingContact) -> dict[str, Any]:
    return {
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


def _ratio_json(ratio: InPersonRatio) -> dict[str, Any]:
    return {
        "value": _rate(ratio.value),
        "target": ratio.target,
        "in_person_minutes": ratio.in_person_minutes,
        "online_minutes": ratio.online_minutes,
        "months": [_period_json(p, "month") for p in ratio.months],
        "weeks": [_period_json(p, "week") for p in ratio.weeks],
        "by_community": [
            {"community_id": cid, "community": name, **_period_json(p, "period")}
            for cid, name, p in ratio.by_community
        ],
    }


def _due_json(due: Due) -> dict[str, Any]:
    return {
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
            for t in due.tasks
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
            for m in due.commitments
        ],
        "unconfirmed": [
            {
                "event_id": u.event_id,
                "occurrence": _iso(u.occurrence),
                "title": u.title,
                "start": _iso(u.start),
                "community": u.community,
            }
            for u in due.unconfirmed
        ],
    }
