"""The dashboard's figures on a small fixture built through the services, at a frozen time,
against numbers worked out by hand (the arithmetic is in the comments).

"Now" is Thursday 2026-11-19 17:30 UTC (18:30 in Paris). The fixture:

Community A "Apéros" (pace 7 days, objective and target population set, launch 2026-12-01):
  alice ambassador · bob core team (+1) · hugo core team (own cadence 60) · carol sponsor ·
  gina member (joined 2026-09-01). Weekly series "Apéro", Thursdays 19:00–21:00 Paris, from
  2026-10-01, in person; 2026-10-22 skipped. Shared guest list: alice yes, bob yes +1, carol
  maybe, erin no answer. Held: Oct 1, 8, 15, 29, Nov 5, 12 (6 × 120 min).
  Checked in: Oct 1 alice bob erin · Oct 8 alice bob erin · Oct 15 alice erin · Oct 29 alice ·
  Nov 5 alice bob · Nov 12 alice.
Community B "Testeurs" (no pace: default 14; no objective, no target, no launch date):
  alice member · dan member (joined 2026-06-01) · frank member · ivan core team.
  "Test 3.3" 2026-10-20 10:00–12:00 Paris, in person: dan yes, frank yes; frank came.
  "Webinaire" 2026-11-10 18:00–19:00 Paris, online.
Interactions: carol in person 2026-11-01 45 min · hugo phone 2026-10-10 (no duration) ·
  ivan e-mail 2026-10-10 (no duration) · alice in person 2026-11-13 about "Test 3.3"
  (no duration). Work: 2026-11-16 90 min online for A · 2026-09-15 60 min online.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cmplanner import clock
from cmplanner.model import EventCreate
from cmplanner.services import dashboard, preferences
from cmplanner.services.commitments import add_commitment, set_status
from cmplanner.services.communities import CommunityData, create_community
from cmplanner.services.contact_data import ContactData
from cmplanner.services.contacts import (
    add_members,
    create_contact,
    get_contact,
    log_interaction,
    update_contact,
)
from cmplanner.services.dashboard import Light, ReadinessKey
from cmplanner.services.events import create_event, skip_occurrence
from cmplanner.services.guests import add_guests, check_in, guest_rows, set_plus_ones, set_rsvp
from cmplanner.services.tasks import TaskData, add_task, set_done
from cmplanner.services.work_log import WorkData, add_work
from cmplanner.storage import Database

NOW = dt.datetime(2026, 11, 19, 17, 30, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 19)


def noon(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 12, tzinfo=dt.UTC)


@dataclass
class Fixture:
    db: Database
    ids: dict[str, int]


@pytest.fixture
def world(tmp_path: Path, new_database: Callable[[Path], Path]) -> Iterator[Fixture]:
    db = Database.open(new_database(tmp_path / "dash.cmplanner"))
    ids: dict[str, int] = {}
    try:
        clock.freeze(noon(2026, 6, 1))
        a, _ = create_community(
            db,
            CommunityData(
                "Apéros",
                objective="Un apéro par semaine",
                target_population="Les voisins",
                launch_date=dt.date(2026, 12, 1),
                pace_days=7,
            ),
        )
        b, _ = create_community(db, CommunityData("Testeurs"))
        ids.update(a=a, b=b)
        for name, cadence in (
            ("alice", None), ("bob", None), ("carol", None), ("dan", None), ("erin", None),
            ("frank", None), ("gina", None), ("hugo", 60), ("ivan", None),
        ):  # fmt: skip
            ids[name], _ = create_contact(
                db, ContactData(given_name=name.title(), family_name="X", cadence_days=cadence)
            )
        add_members(db, b, [ids["dan"]])  # joined 2026-06-01
        clock.freeze(noon(2026, 9, 1))
        add_members(db, a, [ids["gina"]])  # joined 2026-09-01
        clock.freeze(noon(2026, 9, 2))
        add_members(db, a, [ids["alice"]], "ambassador")
        add_members(db, a, [ids["bob"], ids["hugo"]], "core_team")
        add_members(db, a, [ids["carol"]], "sponsor")
        add_members(db, b, [ids["alice"], ids["frank"]])
        add_members(db, b, [ids["ivan"]], "core_team")

        series, _ = create_event(
            db,
            EventCreate(
                title="Apéro",
                community_id=a,
                start_local=dt.datetime(2026, 10, 1, 19),
                end_local=dt.datetime(2026, 10, 1, 21),
                rrule="FREQ=WEEKLY;BYDAY=TH",
            ),
        )
        ids["series"] = series.id
        skip_occurrence(db, series.id, dt.datetime(2026, 10, 22, 19))
        add_guests(db, series.id, [ids[n] for n in ("alice", "bob", "carol", "erin")])
        rows = {r.contact_id: r.invitation_id for r in guest_rows(db, series.id)}
        set_rsvp(db, rows[ids["alice"]], "accepted")
        set_rsvp(db, rows[ids["bob"]], "accepted")
        set_plus_ones(db, rows[ids["bob"]], 1)
        set_rsvp(db, rows[ids["carol"]], "tentative")
        came = {
            (10, 1): ("alice", "bob", "erin"),
            (10, 8): ("alice", "bob", "erin"),
            (10, 15): ("alice", "erin"),
            (10, 29): ("alice",),
            (11, 5): ("alice", "bob"),
            (11, 12): ("alice",),
        }
        for (month, day), people in came.items():
            occurrence = dt.datetime(2026, month, day, 19)
            for person in people:
                check_in(
                    db,
                    rows[ids[person]],
                    when=dt.datetime(2026, month, day, 18, 5, tzinfo=dt.UTC),
                    occurrence=occurrence,
                )
        test, _ = create_event(
            db,
            EventCreate(
                title="Test 3.3",
                community_id=b,
                start_local=dt.datetime(2026, 10, 20, 10),
                end_local=dt.datetime(2026, 10, 20, 12),
            ),
        )
        ids["test"] = test.id
        add_guests(db, test.id, [ids["dan"], ids["frank"]])
        rows = {r.contact_id: r.invitation_id for r in guest_rows(db, test.id)}
        set_rsvp(db, rows[ids["dan"]], "accepted")
        set_rsvp(db, rows[ids["frank"]], "accepted")
        check_in(db, rows[ids["frank"]], when=noon(2026, 10, 20))
        webinar, _ = create_event(
            db,
            EventCreate(
                title="Webinaire",
                community_id=b,
                in_person=False,
                start_local=dt.datetime(2026, 11, 10, 18),
                end_local=dt.datetime(2026, 11, 10, 19),
            ),
        )
        ids["webinar"] = webinar.id
        log_interaction(db, ids["carol"], noon(2026, 11, 1), duration_minutes=45)
        log_interaction(db, ids["hugo"], noon(2026, 10, 10), "phone", in_person=False)
        log_interaction(db, ids["ivan"], noon(2026, 10, 10), "email", in_person=False)
        log_interaction(db, ids["alice"], noon(2026, 11, 13), event_id=test.id)
        add_work(db, WorkData(dt.date(2026, 11, 16), 90, community_id=a))
        add_work(db, WorkData(dt.date(2026, 9, 15), 60))

        clock.freeze(NOW)
        ids["late"], _ = add_task(db, TaskData("Late", due_date=dt.date(2026, 11, 18)))
        ids["soon"], _ = add_task(db, TaskData("Soon", due_date=dt.date(2026, 11, 25)))
        add_task(db, TaskData("Later", due_date=dt.date(2026, 12, 1)))
        done, _ = add_task(db, TaskData("Done", due_date=dt.date(2026, 11, 1)))
        set_done(db, done, True)
        # Due relative to the event: 2026-11-19 + 2 days = 2026-11-21.
        ids["relative"], _ = add_task(db, TaskData("Photos", event_id=test.id, due_offset_days=32))
        ids["promise"], _ = add_commitment(
            db, "Send the slides", dt.date(2026, 11, 1), contact_id=ids["dan"]
        )
        ids["open"], _ = add_commitment(db, "Find a bigger room", community_id=a)
        kept, _ = add_commitment(db, "Kept one", dt.date(2026, 10, 1), community_id=a)
        set_status(db, kept, "kept")
        yield Fixture(db, ids)
    finally:
        clock.freeze(None)
        db.close()


@pytest.fixture
def board(world: Fixture) -> dashboard.Dashboard:
    return dashboard.compute(world.db)


def by_name(board: dashboard.Dashboard, name: str) -> dashboard.CommunityVitality:
    return next(c for c in board.communities if c.name == name)


# -- vitality -----------------------------------------------------------------------------------


def test_vitality_of_a_lively_community(board: dashboard.Dashboard) -> None:
    a = by_name(board, "Apéros")
    assert a.members == 5  # alice, bob, hugo, carol, gina
    # Last held in-person occurrence: Thursday 2026-11-12 → 7 days ago; pace 7: score 1, green.
    assert a.last_in_person_event == dt.date(2026, 11, 12)
    assert a.days_since_last_in_person_event == 7
    assert (a.target_pace_days, a.pace_is_default, a.pace_light) == (7, False, Light.GREEN)
    # Six held occurrences (Oct 22 skipped, tonight's not over), expected 3 each (alice 1 +
    # bob 1 + his plus-one; carol's "maybe" is not expected): attended 3,3,2,1,2,1.
    assert [(p.day.isoformat(), p.expected, p.attended) for p in a.attendance] == [
        ("2026-10-01", 3, 3),
        ("2026-10-08", 3, 3),
        ("2026-10-15", 3, 2),
        ("2026-10-29", 3, 1),
        ("2026-11-05", 3, 2),
        ("2026-11-12", 3, 1),
    ]
    assert a.attendance[0].occurrence == dt.datetime(2026, 10, 1, 19)
    # 12 came / 18 expected.
    assert a.attendance_rate == pytest.approx(12 / 18)
    # 12 attendances; the 3 on Oct 1 are everyone's first: (12 - 3) / 12 = 0.75.
    assert a.returning_rate == pytest.approx(0.75)
    # Seen in person in 90 days: alice, bob (events), carol (interaction); not hugo (phone)
    # nor gina: 3 / 5.
    assert a.seen_in_person_90d == pytest.approx(0.6)
    # 100 × (40 × 1 + 20 × 0.6667 + 20 × 0.75 + 20 × 0.6) / 100 = 40 + 13.33 + 15 + 12 = 80.3
    assert a.components == pytest.approx(
        {"pace": 1.0, "attendance": 12 / 18, "returning": 0.75, "seen": 0.6}
    )
    assert (a.vitality, a.light) == (80, Light.GREEN)
    # The next occurrence: tonight 19:00 Paris.
    assert a.next_event is not None
    assert a.next_event.start == dt.datetime(2026, 11, 19, 19, tzinfo=a.next_event.start.tzinfo)


def test_vitality_of_a_fading_community(board: dashboard.Dashboard) -> None:
    b = by_name(board, "Testeurs")
    assert b.members == 4  # alice, dan, frank, ivan
    # Last in-person: 2026-10-20 → 30 days; default pace 14: 30 > 2 × 14 → red pace light;
    # score (3 × 14 - 30) / (2 × 14) = 12 / 28 = 0.428571.
    assert (b.days_since_last_in_person_event, b.target_pace_days) == (30, 14)
    assert b.pace_is_default and b.pace_light == Light.RED
    # The webinar is online: not in the attendance chart. Expected dan + frank = 2, came 1.
    assert [(p.title, p.expected, p.attended) for p in b.attendance] == [("Test 3.3", 2, 1)]
    assert b.attendance_rate == pytest.approx(0.5)
    assert b.returning_rate == pytest.approx(0.0)  # frank's first event
    # Seen: alice (Apéros in person), frank (Test 3.3); not dan, not ivan: 2 / 4.
    assert b.seen_in_person_90d == pytest.approx(0.5)
    # 40 × 0.428571 + 20 × 0.5 + 20 × 0 + 20 × 0.5 = 17.14 + 10 + 0 + 10 = 37.14 → 37, red.
    assert (b.vitality, b.light) == (37, Light.RED)


def test_new_members_by_month(board: dashboard.Dashboard) -> None:
    a, b = by_name(board, "Apéros"), by_name(board, "Testeurs")
    months = ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    assert [m.month for m in a.new_members_by_month] == months
    # gina Sep 1, the four others Sep 2.
    assert [m.value for m in a.new_members_by_month] == [0, 0, 0, 5, 0, 0]
    # dan in June; alice, frank, ivan in September.
    assert [m.value for m in b.new_members_by_month] == [1, 0, 0, 3, 0, 0]


def test_lights_and_pace_score_thresholds() -> None:
    from cmplanner.services.dashboard.scores import light_of, pace_light_of, pace_score, weighted

    assert [light_of(v) for v in (100, 70, 69, 40, 39, 0, None)] == [
        Light.GREEN, Light.GREEN, Light.AMBER, Light.AMBER, Light.RED, Light.RED, Light.UNKNOWN,
    ]  # fmt: skip
    assert [pace_light_of(d, 14) for d in (0, 14, 15, 28, 29, None)] == [
        Light.GREEN, Light.GREEN, Light.AMBER, Light.AMBER, Light.RED, Light.RED,
    ]  # fmt: skip
    # pace 10: 1 up to 10 days, (30 - 20) / 20 = 0.5 at 20 days, 0 from 30 days.
    assert [pace_score(d, 10, 3) for d in (0, 10, 20, 30, 45, None)] == [1, 1, 0.5, 0, 0, 0]
    # Only the components with data count: (40 × 0.5 + 20 × 1) / 60 = 0.6667 → 67.
    assert weighted({"pace": 0.5, "attendance": 1.0, "returning": None, "seen": None},
                    dashboard.WEIGHTS) == 67  # fmt: skip
    assert weighted(dict.fromkeys(dashboard.WEIGHTS), dashboard.WEIGHTS) is None


def test_the_help_states_the_weights_the_code_uses() -> None:
    text = dashboard.VITALITY_HELP
    for name, weight in dashboard.WEIGHTS.items():
        assert str(weight) in text, name
    assert sum(dashboard.WEIGHTS.values()) == 100
    d = dashboard
    for number in (d.GREEN_FROM, d.AMBER_FROM, d.PACE_ZERO_AT,
                   d.IN_PERSON_DEFAULT_MINUTES, d.ONLINE_DEFAULT_MINUTES):  # fmt: skip
        assert str(number) in text
    assert "pace 40, attendance 20, returning attendees 20, members seen in person 20" in text


# -- readiness ----------------------------------------------------------------------------------


def test_readiness(board: dashboard.Dashboard) -> None:
    a, b = by_name(board, "Apéros"), by_name(board, "Testeurs")
    got = {i.key: (i.ok, i.have, i.need) for i in a.readiness}
    # Launch 2026-12-01 (a Tuesday), 56 days: Thursdays Dec 3 … Jan 21 = 8 occurrences;
    # need ceil(56 / 7) = 8.
    assert got == {
        ReadinessKey.TARGET_POPULATION: (True, 1, 1),
        ReadinessKey.OBJECTIVE: (True, 1, 1),
        ReadinessKey.SPONSOR: (True, 1, 1),  # carol
        ReadinessKey.CORE_TEAM: (True, 2, 1),  # bob, hugo
        ReadinessKey.AMBASSADORS: (False, 1, 2),  # alice only
        ReadinessKey.LAUNCH_PERIOD: (True, 8, 8),
    }
    assert not a.ready
    amb = next(i for i in a.readiness if i.key == ReadinessKey.AMBASSADORS)
    assert (amb.label, amb.detail) == ("At least 2 ambassadors", "1 of 2 named")
    period = next(i for i in a.readiness if i.key == ReadinessKey.LAUNCH_PERIOD)
    assert period.detail == "8 of 8 events planned in the 8 weeks from 1 December 2026"
    got = {i.key: (i.ok, i.have, i.need) for i in b.readiness}
    assert got == {
        ReadinessKey.TARGET_POPULATION: (False, 0, 1),
        ReadinessKey.OBJECTIVE: (False, 0, 1),
        ReadinessKey.SPONSOR: (False, 0, 1),
        ReadinessKey.CORE_TEAM: (True, 1, 1),  # ivan
        ReadinessKey.AMBASSADORS: (False, 0, 2),
        ReadinessKey.LAUNCH_PERIOD: (False, 0, 4),  # no launch date; ceil(56 / 14) = 4
    }


def test_readiness_follows_preferences_and_a_sponsor_organization(world: Fixture) -> None:
    from cmplanner.services.organizations import OrganizationData, create_organization

    preferences.put(world.db, preferences.DASHBOARD_MIN_AMBASSADORS, "1")
    org, _ = create_organization(world.db, OrganizationData(name="Brasserie", kind="sponsor"))
    with world.db.transaction() as session:
        from cmplanner.model import EventPartner

        session.add(EventPartner(event_id=world.ids["test"], organization_id=org))
    board = dashboard.compute(world.db)
    a, b = by_name(board, "Apéros"), by_name(board, "Testeurs")
    assert a.ready
    sponsor = next(i for i in b.readiness if i.key == ReadinessKey.SPONSOR)
    assert (sponsor.ok, sponsor.have) == (True, 1)


# -- drifting -----------------------------------------------------------------------------------


def test_drifting(board: dashboard.Dashboard, world: Fixture) -> None:
    ids = world.ids
    got = [
        (d.contact_id, d.reason, d.cadence_days, d.cadence_source, d.last_seen, d.days_overdue)
        for d in board.drifting
    ]
    assert got == [
        # dan, member of Testeurs (120 days), never seen since joining on 2026-06-01:
        # 171 days, 171 - 120 = 51 overdue.
        (ids["dan"], "cadence", 120, "member", None, 51),
        # erin attended Oct 1, 8, 15 (3 of the 3 held before the last 3) and none of
        # Oct 29, Nov 5, Nov 12: missed since Oct 29 = 21 days. No role, no cadence.
        (ids["erin"], "missed_events", None, "", dt.date(2026, 10, 15), 21),
        # ivan, core team (30 days), last e-mail 2026-10-10: 40 days, 10 overdue.
        (ids["ivan"], "cadence", 30, "core_team", dt.date(2026, 10, 10), 10),
    ]
    # Not drifting: hugo, core team (30) but his own cadence of 60 wins: phoned 40 days ago.
    # alice: ambassador (30) and member (120): the shortest, 30; seen 6 days ago.
    # gina: never seen, joined 79 days ago, member 120. bob: his own row for Nov 5.
    dan, erin, ivan = board.drifting
    assert dan.reason_text == "Never seen since joining 171 days ago (Member: every 120 days)"
    assert (dan.community, dan.name) == ("Testeurs", "Dan X")
    assert erin.reason_text == "Missed the last 3 events of Apéros"
    assert erin.community_id == ids["a"]
    assert ivan.reason_text == "Not seen for 40 days (Core team: every 30 days)"


def test_only_the_most_overdue_are_listed_and_all_are_counted(
    world: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert dashboard.compute(world.db).drifting_total == 3
    monkeypatch.setattr(dashboard.scores, "DRIFTING_SHOWN", 2)
    board = dashboard.compute(world.db)
    # dan (51 days overdue) and erin (21) are shown; ivan (10) is counted only.
    assert [d.contact_id for d in board.drifting] == [world.ids["dan"], world.ids["erin"]]
    assert board.drifting_total == 3
    assert dashboard.to_json(board)["drifting_total"] == 3


def test_cadence_defaults_by_role_come_from_preferences(world: Fixture) -> None:
    # hugo's own cadence lowered from 60 to 35: phoned 40 days ago, now 5 days overdue.
    card = get_contact(world.db, world.ids["hugo"]).data
    update_contact(world.db, world.ids["hugo"], dataclasses.replace(card, cadence_days=35))
    # Members every 60 days instead of 120: gina (79 days since joining) now drifts by 19.
    preferences.put(world.db, preferences.DASHBOARD_CADENCE + "member", "60")
    board = dashboard.compute(world.db)
    got = {(d.contact_id, d.reason): (d.cadence_days, d.cadence_source, d.days_overdue)
           for d in board.drifting}  # fmt: skip
    assert got[(world.ids["hugo"], "cadence")] == (35, "contact", 5)
    assert got[(world.ids["gina"], "cadence")] == (60, "member", 19)
    # dan: 171 - 60 = 111.
    assert got[(world.ids["dan"], "cadence")] == (60, "member", 111)
    # alice is still watched at 30 (ambassador), the shortest of her roles.
    assert (world.ids["alice"], "cadence") not in got


# -- in-person ratio ----------------------------------------------------------------------------


def test_in_person_ratio(board: dashboard.Dashboard, world: Fixture) -> None:
    r = board.ratio
    assert r.target == pytest.approx(0.30)
    months = {p.label: (p.in_person_minutes, p.online_minutes) for p in r.months}
    assert r.months[0].label == "2025-12" and len(r.months) == 12
    # November: Apéro Nov 5 + Nov 12 (240) + carol 45 + alice 30 (no duration) = 315 in
    # person; webinar 60 + work 90 = 150 online → 315 / 465 = 0.677419.
    assert months["2026-11"] == (315, 150)
    assert r.months[-1].value == pytest.approx(315 / 465)
    # October: Apéro Oct 1, 8, 15, 29 (480) + Test 3.3 (120) = 600; hugo 15 + ivan 15
    # (no duration: 15 min each) = 30 → 600 / 630.
    assert months["2026-10"] == (600, 30)
    assert months["2026-09"] == (0, 60)  # work
    assert months["2026-08"] == (0, 0) and r.months[-4].value is None
    # Last 90 days (from 2026-08-22): 915 in person, 240 online → 0.792208.
    assert (r.in_person_minutes, r.online_minutes) == (915, 240)
    assert r.value == pytest.approx(915 / 1155)
    weeks = {p.label: (p.in_person_minutes, p.online_minutes) for p in r.weeks}
    assert len(r.weeks) == 12 and r.weeks[-1].label == "2026-W47"
    assert r.weeks[-1].start == dt.date(2026, 11, 16)
    assert weeks["2026-W47"] == (0, 90)  # work on Monday; tonight's Apéro is not over
    assert weeks["2026-W46"] == (150, 60)  # Nov 12 120 + alice 30; webinar 60
    assert weeks["2026-W45"] == (120, 0)
    assert weeks["2026-W44"] == (165, 0)  # Oct 29 120 + carol Nov 1 45
    per = {name: (p.in_person_minutes, p.online_minutes) for _cid, name, p in r.by_community}
    # A: 6 × 120 = 720 in person, work 90 online. B: Test 3.3 120 + alice's talk about it 30;
    # webinar 60. No community: carol 45; hugo 15 + ivan 15 + work 60.
    assert per == {"Apéros": (720, 90), "Testeurs": (150, 60), "No community": (45, 90)}
    assert [cid for cid, _n, _p in r.by_community] == [world.ids["a"], world.ids["b"], None]


def test_in_person_target_from_preferences(world: Fixture) -> None:
    preferences.put(world.db, preferences.DASHBOARD_IN_PERSON_TARGET, "45")
    assert dashboard.compute(world.db).ratio.target == pytest.approx(0.45)
    preferences.put(world.db, preferences.DASHBOARD_IN_PERSON_TARGET, "lots")
    assert dashboard.settings(world.db).in_person_target == pytest.approx(0.30)


# -- upcoming and due ---------------------------------------------------------------------------


def test_upcoming(board: dashboard.Dashboard, world: Fixture) -> None:
    # Tonight, Nov 26 and Dec 3 (through 2026-12-03, 14 days from today).
    assert [(u.title, u.start.date().isoformat()) for u in board.upcoming] == [
        ("Apéro", "2026-11-19"),
        ("Apéro", "2026-11-26"),
        ("Apéro", "2026-12-03"),
    ]
    u = board.upcoming[0]
    assert u.occurrence == dt.datetime(2026, 11, 19, 19)
    assert (u.accepted, u.tentative, u.declined, u.no_answer, u.plus_ones) == (2, 1, 0, 1, 1)
    assert (u.community_id, u.community, u.in_person, u.status) == (
        world.ids["a"], "Apéros", True, "planned"
    )  # fmt: skip


def test_due(board: dashboard.Dashboard, world: Fixture) -> None:
    ids = world.ids
    # Late (Nov 18, overdue), Photos (Oct 20 + 32 days = Nov 21), Soon (Nov 25); not Later
    # (Dec 1, beyond 7 days) nor Done.
    assert [(t.task_id, t.due_date.isoformat(), t.overdue) for t in board.due.tasks] == [
        (ids["late"], "2026-11-18", True),
        (ids["relative"], "2026-11-21", False),
        (ids["soon"], "2026-11-25", False),
    ]
    assert board.due.tasks[1].event_title == "Test 3.3"
    assert [(c.commitment_id, c.overdue) for c in board.due.commitments] == [
        (ids["promise"], True),
        (ids["open"], False),
    ]
    assert board.due.commitments[0].contact == "Dan X"
    assert board.due.commitments[1].community == "Apéros"
    # Planned, within 7 days: tonight and Nov 26.
    assert [u.start.date().isoformat() for u in board.due.unconfirmed] == [
        "2026-11-19",
        "2026-11-26",
    ]


# -- JSON and the read path ---------------------------------------------------------------------


def test_json_has_the_issues_keys(board: dashboard.Dashboard) -> None:
    data = json.loads(json.dumps(dashboard.to_json(board)))
    assert {"communities", "drifting", "in_person_ratio", "due", "upcoming"} <= set(data)
    c = data["communities"][0]
    assert c["name"] == "Apéros"
    for key in ("name", "vitality", "days_since_last_in_person_event", "target_pace_days",
                "returning_rate", "readiness"):  # fmt: skip
        assert key in c
    assert c["vitality"] == 80 and c["returning_rate"] == 0.75
    assert c["readiness"]["ready"] is False
    assert c["readiness"]["missing"] == ["ambassadors"]
    assert data["communities"][1]["readiness"]["missing"] == [
        "target_population", "objective", "sponsor", "ambassadors", "launch_period",
    ]  # fmt: skip
    d = data["drifting"][0]
    assert {"id", "name", "last_seen", "cadence_days", "reason"} <= set(d)
    assert (d["name"], d["last_seen"], d["cadence_days"], d["reason"]) == (
        "Dan X", None, 120, "cadence"
    )  # fmt: skip
    assert data["drifting"][2]["last_seen"] == "2026-10-10"
    r = data["in_person_ratio"]
    assert {"value", "target", "months"} <= set(r)
    assert 0 <= r["value"] <= 1 and r["target"] == 0.3
    assert r["months"][-1] == {
        "month": "2026-11",
        "start": "2026-11-01",
        "value": round(315 / 465, 4),
        "in_person_minutes": 315,
        "online_minutes": 150,
    }
    assert set(data["due"]) == {"tasks", "commitments", "unconfirmed"}


def test_compute_does_not_import_sqlalchemy(world: Fixture) -> None:
    code = (
        "import sys, datetime as dt\n"
        "from pathlib import Path\n"
        "from cmplanner import clock\n"
        "clock.freeze(dt.datetime(2026, 11, 19, 17, 30, tzinfo=dt.UTC))\n"
        "from cmplanner.storage import Database\n"
        "from cmplanner.services import dashboard\n"
        f"db = Database.open(Path({str(world.db.path)!r}), writer=False)\n"
        "board = dashboard.compute(db)\n"
        "assert board.communities and board.drifting, board\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel')))\n"
    )
    world.db.close()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def test_a_percent_never_hides_which_side_of_the_target_it_is() -> None:
    from cmplanner import formats
    from cmplanner.i18n import set_language

    set_language("fr")
    try:
        assert formats.percent_text(0.42) == "42\u00a0%"
        assert formats.percent_text(0.2979, 0.30) == "29,8\u00a0%"  # not "30 %", under 30 %
        assert formats.percent_text(0.3021, 0.30) == "30,2\u00a0%"
        assert formats.percent_text(0.30, 0.30) == "30\u00a0%"
        assert formats.percent_text(0.42, 0.30) == "42\u00a0%"
        assert formats.percent_text(None) == "—"
        set_language("en")
        assert formats.percent_text(0.2979, 0.30) == "29.8%"
    finally:
        set_language("en")
