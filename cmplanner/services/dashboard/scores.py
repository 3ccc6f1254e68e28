"""The dashboard's scores: each community's vitality and readiness, the people drifting
away, the in-person ratio; and the help that defines them."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import heapq
import math
import sqlite3
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from cmplanner.formats import day_text
from cmplanner.i18n import _, ngettext
from cmplanner.model.enums import MemberRole
from cmplanner.services.contact_records import contact_names
from cmplanner.services.dashboard import figures
from cmplanner.services.dashboard.board import (
    ALL_DAY_MINUTES,
    AMBER_FROM,
    DEFAULT_ATTENDANCE_EVENTS,
    DRIFTING_SHOWN,
    GREEN_FROM,
    IN_PERSON_DEFAULT_MINUTES,
    LAUNCH_WEEKS,
    MISSED_LAST,
    MONTHS_SHOWN,
    ONLINE_DEFAULT_MINUTES,
    PACE_ZERO_AT,
    RATIO_DAYS,
    RATIO_MONTHS,
    RATIO_WEEKS,
    REGULAR_MIN,
    REGULAR_WINDOW,
    SEEN_DAYS,
    WEIGHTS,
    AttendancePoint,
    CommunityVitality,
    Dashboard,
    DashboardSettings,
    DriftingContact,
    InPersonRatio,
    Light,
    MonthValue,
    RatioPeriod,
    ReadinessItem,
    ReadinessKey,
    UpcomingEvent,
)
from cmplanner.services.dashboard.figures import Past, day_start
from cmplanner.storage.sql import sql_instant


def light_of(value: int | None) -> Light:
    if value is None:
        return Light.UNKNOWN
    return Light.GREEN if value >= GREEN_FROM else Light.AMBER if value >= AMBER_FROM else Light.RED


def pace_light_of(days_since: int | None, pace: int) -> Light:
    if days_since is None or days_since > 2 * pace:
        return Light.RED
    return Light.GREEN if days_since <= pace else Light.AMBER


def rate_of(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def community_vitality(
    con: sqlite3.Connection,
    conf: DashboardSettings,
    today: dt.date,
    now: dt.datetime,
    past: Past,
    upcoming: Sequence[UpcomingEvent],
) -> tuple[CommunityVitality, ...]:
    rows = con.execute(
        "SELECT id, name, objective, target_population, launch_date, pace_days FROM community"
        " ORDER BY name COLLATE NOCASE, id"
    ).fetchall()
    if not rows:
        return ()
    facts = _community_facts(con, today, now, past, rows, upcoming)
    return tuple(_vitality(row, facts, conf, today, past) for row in rows)


@dataclass(frozen=True)
class _CommunityFacts:
    """What every community's vitality and readiness are computed from, read once for all."""

    members: Mapping[int, set[int]]
    roles: Mapping[tuple[int, str], int]  # (community, role): how many hold it
    months: Sequence[dt.date]
    joined: Mapping[tuple[int, str], int]  # (community, month label): new members
    sponsor_organizations: Mapping[int, int]
    seen: set[int]  # contacts seen in person in the last SEEN_DAYS
    in_person: Mapping[int, list[Any]]  # held in-person occurrences by community, oldest first
    first_attended: Mapping[tuple[int, int], dt.datetime]  # (community, contact)
    launches: Mapping[int, dt.date]
    planned: Mapping[int, int]  # events planned in each launch period
    next_event: Mapping[int, UpcomingEvent]


def _community_facts(
    con: sqlite3.Connection,
    today: dt.date,
    now: dt.datetime,
    past: Past,
    rows: Sequence[tuple[Any, ...]],
    upcoming: Sequence[UpcomingEvent],
) -> _CommunityFacts:
    members, roles = _memberships(con)
    months = figures.last_months(today, MONTHS_SHOWN)
    seen, in_person, first_attended = _seen_and_held(con, now, past)
    launches = {int(r[0]): dt.date.fromisoformat(str(r[4])[:10]) for r in rows if r[4]}
    next_event: dict[int, UpcomingEvent] = {}
    for u in upcoming:
        if u.community_id is not None:
            next_event.setdefault(u.community_id, u)
    return _CommunityFacts(
        members=members,
        roles=roles,
        months=months,
        joined=_joined_by_month(con, months[0]),
        sponsor_organizations=_sponsor_organizations(con),
        seen=seen,
        in_person=in_person,
        first_attended=first_attended,
        launches=launches,
        planned=figures.launch_events(con, launches, LAUNCH_WEEKS * 7),
        next_event=next_event,
    )


def _memberships(
    con: sqlite3.Connection,
) -> tuple[dict[int, set[int]], dict[tuple[int, str], int]]:
    """Each community's members, and how many hold each role, by one GROUP BY."""
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
    return members, roles


def _joined_by_month(con: sqlite3.Connection, first_month: dt.date) -> dict[tuple[int, str], int]:
    """New members by community and month ("2026-11") since `first_month`."""
    joined: dict[tuple[int, str], int] = {}
    for cid, month, count in con.execute(
        "SELECT community_id, substr(first, 1, 7) AS month, COUNT(*) FROM ("
        " SELECT community_id, contact_id,"
        " MIN(COALESCE(joined_on, date(created_at))) AS first"
        " FROM community_member GROUP BY community_id, contact_id)"
        " WHERE first >= ? GROUP BY community_id, month",
        (first_month.isoformat(),),
    ):
        joined[(cid, month)] = int(count)
    return joined


def _sponsor_organizations(con: sqlite3.Connection) -> dict[int, int]:
    """How many sponsor organizations were partners of each community's events."""
    return {
        int(cid): int(n)
        for cid, n in con.execute(
            "SELECT e.community_id, COUNT(DISTINCT o.id) FROM event_partner p"
            " JOIN organization o ON o.id = p.organization_id AND o.kind = 'sponsor'"
            " JOIN event e ON e.id = p.event_id WHERE e.community_id IS NOT NULL"
            " GROUP BY e.community_id"
        )
    }


def _seen_and_held(
    con: sqlite3.Connection, now: dt.datetime, past: Past
) -> tuple[set[int], dict[int, list[Any]], dict[tuple[int, int], dt.datetime]]:
    """Who was seen in person in the last SEEN_DAYS (an attended in-person event, or an
    interaction); each community's held in-person occurrences; when each person first
    attended each community's events."""
    since = now - dt.timedelta(days=SEEN_DAYS)
    seen: set[int] = {
        int(r[0])
        for r in con.execute(
            "SELECT DISTINCT contact_id FROM interaction WHERE in_person = 1"
            " AND occurred_at >= ? AND occurred_at < ?",
            (sql_instant(since), sql_instant(now)),
        )
    }
    in_person: dict[int, list[Any]] = defaultdict(list)
    first_attended: dict[tuple[int, int], dt.datetime] = {}
    for h in past.held:
        if h.in_person and h.end_utc >= since:
            seen.update(past.attendees.get(h.key, ()))
        if h.community_id is None:
            continue
        if h.in_person:
            in_person[h.community_id].append(h)
        for person in past.attendees.get(h.key, ()):
            first_attended.setdefault((h.community_id, person), h.start_utc)
    return seen, in_person, first_attended


def _vitality(
    row: tuple[Any, ...],
    facts: _CommunityFacts,
    conf: DashboardSettings,
    today: dt.date,
    past: Past,
) -> CommunityVitality:
    cid, name, objective, target_population, _launch, pace_days = row
    pace = int(pace_days) if pace_days else conf.default_pace_days
    held = facts.in_person.get(cid, [])
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
    attendance_rate = rate_of(sum(p.attended for p in points), sum(p.expected for p in points))
    visits = [(h, person) for h in window for person in past.attendees.get(h.key, ())]
    returning = sum(1 for h, person in visits if facts.first_attended[(cid, person)] < h.start_utc)
    returning_rate = rate_of(returning, len(visits))
    people = facts.members.get(cid, set())
    seen_rate = rate_of(len(people & facts.seen), len(people))
    components: dict[str, float | None] = {
        "pace": pace_score(days_since, pace, PACE_ZERO_AT),
        "attendance": None if attendance_rate is None else min(1.0, attendance_rate),
        "returning": returning_rate,
        "seen": seen_rate,
    }
    vitality = weighted(components, WEIGHTS)
    readiness = readiness_items(
        conf,
        objective=str(objective or ""),
        target_population=str(target_population or ""),
        sponsors=facts.roles.get((cid, "sponsor"), 0) + facts.sponsor_organizations.get(cid, 0),
        core_team=facts.roles.get((cid, "core_team"), 0),
        ambassadors=facts.roles.get((cid, "ambassador"), 0),
        launch=facts.launches.get(cid),
        planned=facts.planned.get(cid, 0),
        need=launch_need(pace, LAUNCH_WEEKS * 7),
    )
    return CommunityVitality(
        community_id=int(cid),
        name=str(name),
        members=len(people),
        target_pace_days=pace,
        pace_is_default=not pace_days,
        days_since_last_in_person_event=days_since,
        last_in_person_event=last_day,
        next_event=facts.next_event.get(cid),
        pace_light=pace_light_of(days_since, pace),
        attendance=points,
        attendance_rate=attendance_rate,
        returning_rate=returning_rate,
        new_members_by_month=tuple(
            MonthValue(figures.month_label(m), facts.joined.get((cid, figures.month_label(m)), 0))
            for m in facts.months
        ),
        seen_in_person_90d=seen_rate,
        vitality=vitality,
        light=light_of(vitality),
        components=components,
        readiness=readiness,
        ready=all(i.ok for i in readiness),
    )


def _long_date(day: dt.date) -> str:
    """« 25 juillet 2026 », "July 25, 2026" (en_US), "25 July 2026" (en_GB)."""
    return day_text(day, "long")


def readiness_items(
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
    target_ok = bool(target_population.strip())
    objective_ok = bool(objective.strip())
    return (
        ReadinessItem(
            ReadinessKey.TARGET_POPULATION,
            target_ok,
            _("Target population defined"),
            _defined(target_ok),
            int(target_ok),
            1,
        ),
        ReadinessItem(
            ReadinessKey.OBJECTIVE,
            objective_ok,
            _("A concrete objective"),
            _defined(objective_ok),
            int(objective_ok),
            1,
        ),
        ReadinessItem(
            ReadinessKey.SPONSOR,
            sponsors >= 1,
            _("At least one sponsor"),
            _counted(sponsors, 1),
            sponsors,
            1,
        ),
        ReadinessItem(
            ReadinessKey.CORE_TEAM,
            core_team >= 1,
            _("A named core team"),
            _counted(core_team, 1),
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
            _counted(ambassadors, conf.min_ambassadors),
            ambassadors,
            conf.min_ambassadors,
        ),
        ReadinessItem(
            ReadinessKey.LAUNCH_PERIOD,
            launch is not None and planned >= need,
            _("A launch period of 8 weeks with events planned"),
            _launch_detail(launch, planned, need),
            planned if launch is not None else 0,
            need,
        ),
    )


def _defined(have: bool) -> str:
    return _("Defined") if have else _("Not defined yet")


def _counted(have: int, need: int) -> str:
    return ngettext("{have} of {need} named", "{have} of {need} named", need).format(
        have=have, need=need
    )


def _launch_detail(launch: dt.date | None, planned: int, need: int) -> str:
    if launch is None:
        return _("No launch date set")
    return ngettext(
        "{have} of {need} event planned in the 8 weeks from {date}",
        "{have} of {need} events planned in the 8 weeks from {date}",
        need,
    ).format(have=planned, need=need, date=_long_date(launch))


# A person overdue for one reason, before names and words are added: (contact, last seen,
# cadence, its source, community, reason, days overdue, what the reason's text is made of).
_Overdue = tuple[int, dt.date | None, int, str, int | None, str, int, Any]
# A watched person: (cadence, its source "contact" or a role, community, day created).
_Watched = tuple[int, str, int | None, dt.date | None]


def drifting_people(
    con: sqlite3.Connection,
    conf: DashboardSettings,
    today: dt.date,
    past: Past,
    communities: Sequence[CommunityVitality],
) -> tuple[tuple[DriftingContact, ...], int]:
    """The DRIFTING_SHOWN most overdue, and how many drift in all.

    Reason "cadence": the contact's own cadence, else the shortest default of the roles they
    hold; last contact = latest interaction (any channel) or attended event; never
    contacted: counted from the day they joined. Reason "missed_events": a regular (attended
    ≥ 3 of the 10 held in-person events before the community's last 3) who attended none of
    the last 3."""
    watch, joined = _watched(con, conf)
    last_interaction: dict[int, dt.date] = {
        int(cid): dt.date.fromisoformat(str(when)[:10])
        for cid, when in con.execute(
            "SELECT contact_id, MAX(occurred_at) FROM interaction GROUP BY contact_id"
        )
    }
    community_names = {c.community_id: c.name for c in communities}
    pending = _past_cadence(watch, joined, last_interaction, past, today)
    pending += _missed_regulars(watch, last_interaction, past, today, community_names)
    # Only the most overdue are named and worded: with 100,000 contacts tens of thousands may
    # drift, and no one reads past the first screens. Ties at the cut are all kept, then
    # sorted by name like the rest.
    total = len({row[0] for row in pending})  # people, not reasons
    if len(pending) > DRIFTING_SHOWN:
        cut = heapq.nlargest(DRIFTING_SHOWN, (row[6] for row in pending))[-1]
        pending = [row for row in pending if row[6] >= cut]
    found = _worded(con, pending, community_names)
    found.sort(key=lambda d: (-d.days_overdue, d.name.casefold(), d.contact_id, d.reason))
    return tuple(found[:DRIFTING_SHOWN]), total


def _watched(
    con: sqlite3.Connection, conf: DashboardSettings
) -> tuple[dict[int, _Watched], dict[int, tuple[dt.date | None, int]]]:
    """The watched: their own cadence, else their roles' shortest default; and the day each
    member first joined a community (with that community)."""
    watch: dict[int, _Watched] = {}
    for contact_id, own, created in con.execute(
        "SELECT id, cadence_days, date(created_at) FROM contact WHERE cadence_days IS NOT NULL"
    ):
        watch[int(contact_id)] = (int(own), "contact", None, figures.as_date(created))
    joined: dict[int, tuple[dt.date | None, int]] = {}
    for contact_id, cid, role, first in con.execute(
        "SELECT contact_id, community_id, role, MIN(COALESCE(joined_on, date(created_at)))"
        " FROM community_member GROUP BY contact_id, community_id, role"
        " ORDER BY contact_id, community_id, role"
    ):
        day = figures.as_date(first)
        earlier = joined.get(contact_id)
        if earlier is None or (day is not None and (earlier[0] is None or day < earlier[0])):
            joined[contact_id] = (day, cid)
        days = conf.cadence_by_role.get(str(role))
        if days is None:
            continue
        current = watch.get(contact_id)
        if current is None or (current[1] != "contact" and days < current[0]):
            watch[contact_id] = (days, str(role), cid, None)
    return watch, joined


def _past_cadence(
    watch: Mapping[int, _Watched],
    joined: Mapping[int, tuple[dt.date | None, int]],
    last_interaction: Mapping[int, dt.date],
    past: Past,
    today: dt.date,
) -> list[_Overdue]:
    """The watched not seen (talked to, or at an event) for longer than their cadence;
    never seen: counted from the day they joined."""
    pending: list[_Overdue] = []
    no_join: tuple[dt.date | None, int | None] = (None, None)
    for contact_id, (cadence, source, cid, created) in watch.items():
        talked = last_interaction.get(contact_id)
        came = past.last_attended.get(contact_id)
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
    return pending


def _missed_regulars(
    watch: Mapping[int, _Watched],
    last_interaction: Mapping[int, dt.date],
    past: Past,
    today: dt.date,
    community_names: Mapping[int, str],
) -> list[_Overdue]:
    """Regulars who missed the community's last MISSED_LAST held in-person events."""
    pending: list[_Overdue] = []
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
    return pending


def _worded(
    con: sqlite3.Connection, pending: Sequence[_Overdue], community_names: Mapping[int, str]
) -> list[DriftingContact]:
    """The overdue with their names and the sentence that says why."""
    people = contact_names(con, {row[0] for row in pending})
    found: list[DriftingContact] = []
    for contact_id, last, cadence, source, cid, reason, overdue, detail in pending:
        text = cadence_text(*detail) if reason == "cadence" else missed_text(MISSED_LAST, detail)
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
    return found


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


# Minutes by (local day, in person, community).
_Minutes = dict[tuple[dt.date, bool, int | None], int]


def in_person_ratio(
    con: sqlite3.Connection,
    conf: DashboardSettings,
    today: dt.date,
    now: dt.datetime,
    past: Past,
    communities: Sequence[CommunityVitality],
) -> InPersonRatio:
    """In person: held in-person events (each occurrence once, all-day 8 h a day) and
    in-person interactions (30 min without a duration) and in-person work entries; online:
    held online events, online interactions (15 min without a duration) and online work.
    Periods by local day; per community over the last 90 days (interactions by their
    event's community, else none)."""
    months = figures.last_months(today, RATIO_MONTHS)
    weeks = figures.last_weeks(today, RATIO_WEEKS)
    recent_from = today - dt.timedelta(days=RATIO_DAYS - 1)
    minutes = _minutes(con, past, min(months[0], weeks[0], recent_from), today, now)
    totals = _RatioTotals.of(minutes, months, weeks, recent_from, today)
    recent = _period(_("Last {days} days").format(days=RATIO_DAYS), recent_from, totals.recent)
    names = {c.community_id: c.name for c in communities}
    present = sorted(
        totals.by_community,
        key=lambda c: (c is None, names.get(c, "").casefold() if c is not None else "", c or 0),
    )
    return InPersonRatio(
        value=recent.value,
        target=conf.in_person_target,
        in_person_minutes=recent.in_person_minutes,
        online_minutes=recent.online_minutes,
        months=tuple(
            _period(figures.month_label(m), m, t)
            for m, t in zip(months, totals.by_month, strict=True)
        ),
        weeks=tuple(
            _period(figures.week_label(w), w, t) for w, t in zip(weeks, totals.by_week, strict=True)
        ),
        by_community=tuple(
            (
                cid,
                names.get(cid, "") if cid is not None else _("No community"),
                _period(recent.label, recent_from, totals.by_community[cid]),
            )
            for cid in present
        ),
    )


def _minutes(
    con: sqlite3.Connection, past: Past, first: dt.date, today: dt.date, now: dt.datetime
) -> _Minutes:
    """Minutes in person and online from `first` to today: held events, interactions, work."""
    minutes: _Minutes = defaultdict(int)
    for h in past.held:
        if first <= h.day <= today:
            minutes[(h.day, h.in_person, h.community_id)] += h.minutes(ALL_DAY_MINUTES)
    start = day_start(first, "UTC") - dt.timedelta(days=1)
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
    return minutes


@dataclass(frozen=True)
class _RatioTotals:
    """[in person, online] minutes by month, by week, over the recent window, and over the
    recent window by community."""

    by_month: list[list[int]]
    by_week: list[list[int]]
    recent: list[int]
    by_community: dict[int | None, list[int]]

    @classmethod
    def of(
        cls,
        minutes: _Minutes,
        months: Sequence[dt.date],
        weeks: Sequence[dt.date],
        recent_from: dt.date,
        today: dt.date,
    ) -> _RatioTotals:
        # One pass over the minutes, each (day, in person, community) added to its month, its
        # week and the recent window (all and per community): months and weeks follow one
        # another, so a day is in one of each at most. (A pass per period and per community
        # grew with the number of communities times the days they have minutes on.)
        tomorrow = today + dt.timedelta(days=1)
        month_ends = [*months[1:], tomorrow]
        week_ends = [max(w, end) for w, end in zip(weeks, [*weeks[1:], tomorrow], strict=True)]
        totals = cls([[0, 0] for _m in months], [[0, 0] for _w in weeks], [0, 0], {})
        for (day, in_person, community), value in minutes.items():
            slot = 0 if in_person else 1
            m = bisect.bisect_right(months, day) - 1
            if m >= 0 and day < month_ends[m]:
                totals.by_month[m][slot] += value
            w = bisect.bisect_right(weeks, day) - 1
            if w >= 0 and day < week_ends[w]:
                totals.by_week[w][slot] += value
            if recent_from <= day < tomorrow:
                totals.recent[slot] += value
                totals.by_community.setdefault(community, [0, 0])[slot] += value
        return totals


def _period(label: str, begin: dt.date, totals: Sequence[int]) -> RatioPeriod:
    ip, on = totals
    return RatioPeriod(label, begin, ip, on, rate_of(ip, ip + on))


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


def launch_need(pace: int, days: int) -> int:
    return math.ceil(days / pace)


def role_label(role: str) -> str:
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
