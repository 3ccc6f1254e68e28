"""The events list's filters, the recurrence form's RRULEs and sentences, and an event's
delete/restore (undo of its creation)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from cmplanner import clock
from cmplanner import recurrence_form as rf
from cmplanner.model import EventCreate, VenueCreate
from cmplanner.services import event_records
from cmplanner.services.browse import EVENTS
from cmplanner.services.communities import CommunityData, create_community
from cmplanner.services.events import create_event, normalize_rrule
from cmplanner.storage import Database


def _event(db: Database, title: str, start: dt.datetime, **extra: object) -> int:
    data = EventCreate(
        title=title,
        start_local=start,
        end_local=start + dt.timedelta(hours=2),
        timezone="Europe/Paris",
        **extra,  # type: ignore[arg-type]
    )
    return create_event(db, data)[0].id


def test_event_filters(empty_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "local_zone_name", lambda: "Europe/Paris")
    lyon, _changes = create_community(empty_db, CommunityData(name="Lyon"))
    apero = _event(empty_db, "Apéro", dt.datetime(2026, 12, 3, 19), kind="apero",
                   community_id=lyon, status="confirmed")  # fmt: skip
    idea = _event(empty_db, "Atelier", dt.datetime(2027, 1, 14, 0, 30), status="idea")
    weekly = _event(empty_db, "Jeudis", dt.datetime(2026, 1, 8, 19), rrule="FREQ=WEEKLY;BYDAY=TH")

    def ids(**filters: object) -> set[int]:
        return set(EVENTS.ids(empty_db, filters=filters))

    assert ids() == {apero, idea, weekly}
    assert ids(status="idea") == {idea}
    assert ids(kind="apero") == {apero}
    assert ids(community=lyon) == ids(community="lyon") == {apero}
    # From/to are whole days in the computer's zone; a series begun earlier still counts.
    assert ids(**{"from": dt.date(2026, 12, 4)}) == {idea, weekly}
    assert ids(**{"from": "2027-01-14", "to": "2027-01-14"}) == {idea, weekly}
    assert ids(to=dt.date(2026, 12, 3)) == {apero, weekly}
    assert ids(to=dt.date(2027, 1, 13)) == {apero, weekly}


CASES = {
    "FREQ=WEEKLY;BYDAY=TH": rf.Repeat(rf.WEEKLY, weekdays=(3,)),
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=6": rf.Repeat(
        rf.WEEKLY, interval=2, weekdays=(0, 3), count=6
    ),
    "FREQ=MONTHLY;BYDAY=4TH;UNTIL=20270630T235959": rf.Repeat(
        rf.MONTHLY_WEEKDAY, ordinal=4, weekday=3, until=dt.date(2027, 6, 30)
    ),
    "FREQ=MONTHLY;BYDAY=-1FR": rf.Repeat(rf.MONTHLY_WEEKDAY, ordinal=-1, weekday=4),
    "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15": rf.Repeat(rf.MONTHLY_DAY, interval=3, month_day=15),
    "": rf.Repeat(),
}


@pytest.mark.parametrize("rule", list(CASES))
def test_the_form_round_trips_its_rules(rule: str) -> None:
    assert rf.from_rrule(rule) == CASES[rule]
    assert rf.to_rrule(CASES[rule]) == rule
    if rule:  # and the services accept what the form writes
        assert normalize_rrule(rule, dt.datetime(2026, 1, 22, 19)) == rule


def test_other_spellings_and_rules_the_form_cannot_show() -> None:
    fourth_thursday = rf.Repeat(rf.MONTHLY_WEEKDAY, ordinal=4, weekday=3)
    assert rf.from_rrule("RRULE:FREQ=MONTHLY;BYDAY=TH;BYSETPOS=4") == fourth_thursday
    assert rf.from_rrule("FREQ=WEEKLY", dt.date(2026, 1, 22)) == rf.Repeat(rf.WEEKLY, weekdays=(3,))
    for rule in ("FREQ=YEARLY", "FREQ=DAILY", "FREQ=MONTHLY;BYMONTHDAY=1,15",
                 "FREQ=MONTHLY;BYDAY=5TH", "FREQ=WEEKLY;BYHOUR=9"):  # fmt: skip
        assert rf.from_rrule(rule) is None


def test_the_sentence(region: Callable[[str], None]) -> None:
    rule = "FREQ=MONTHLY;BYDAY=4TH;UNTIL=20270630T235959"
    assert rf.summary(CASES[rule]) == "Every fourth Thursday of the month, until 30 June 2027"
    region("en_US")
    assert rf.summary(CASES[rule]) == "Every fourth Thursday of the month, until June 30, 2027"
    assert rf.summary(CASES["FREQ=WEEKLY;BYDAY=TH"]) == "Every Thursday"
    assert (
        rf.summary(CASES["FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=6"])
        == "Every 2 weeks on Monday and Thursday, 6 times"
    )
    assert rf.summary(rf.Repeat()) == "Does not repeat"


def test_delete_and_restore_an_event(empty_db: Database) -> None:
    venue, _changes = event_records.create_venue(empty_db, VenueCreate(name="La Commune"))
    event_id = _event(empty_db, "Meetup", dt.datetime(2026, 12, 3, 19), venue_id=venue)
    before = event_records.get_event_form(empty_db, event_id)
    snapshot, _changes = event_records.delete_event(empty_db, event_id)
    assert event_id not in EVENTS.ids(empty_db)
    event_records.restore_event(empty_db, snapshot)
    assert event_records.get_event_form(empty_db, event_id) == before
    assert [v.name for v in event_records.venues(empty_db)] == ["La Commune"]
