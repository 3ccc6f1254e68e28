"""Recurring events expand in local time, across daylight-saving changes."""

from __future__ import annotations

import datetime as dt

from cmplanner.recurrence import Override, next_occurrence, occurrences

PARIS = "Europe/Paris"
START = dt.datetime(2026, 10, 1, 19, 0)  # a Thursday, summer time
END = dt.datetime(2026, 10, 1, 21, 0)


def test_weekly_stays_at_19h_local_across_the_october_change() -> None:
    found = list(
        occurrences(
            START,
            END,
            PARIS,
            "FREQ=WEEKLY;BYDAY=TH;COUNT=6",
            before_utc=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
        )
    )
    assert [o.start_local.hour for o in found] == [19] * 6
    # Summer (UTC+2) then winter (UTC+1) after 25 October 2026.
    assert found[0].start_utc.hour == 17
    assert found[-1].start_utc.hour == 18


def test_skipped_and_moved_occurrences() -> None:
    skipped = Override(dt.datetime(2026, 10, 8, 19), cancelled=True)
    moved = Override(
        dt.datetime(2026, 10, 15, 19),
        cancelled=False,
        start_local=dt.datetime(2026, 10, 16, 20),
        end_local=dt.datetime(2026, 10, 16, 22),
    )
    found = list(
        occurrences(
            START,
            END,
            PARIS,
            "FREQ=WEEKLY;BYDAY=TH;COUNT=4",
            [skipped, moved],
            before_utc=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
        )
    )
    assert [o.start_local.date() for o in found] == [
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 16),
        dt.date(2026, 10, 22),
    ]
    assert found[1].moved and found[1].recurrence_id == dt.datetime(2026, 10, 15, 19)


def test_fourth_thursday_and_next_occurrence() -> None:
    after = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    found = next_occurrence(START, END, PARIS, "FREQ=MONTHLY;BYDAY=4TH", [], after)
    assert found is not None
    assert found.start_local == dt.datetime(2026, 11, 26, 19, 0)


def test_a_finished_series_has_no_next_occurrence() -> None:
    after = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    assert next_occurrence(START, END, PARIS, "FREQ=WEEKLY;COUNT=3", [], after) is None


def test_fast_forward_gives_the_same_occurrences_as_a_full_expansion() -> None:
    import random

    from dateutil.rrule import rrulestr

    from cmplanner.recurrence import fast_forward

    rng = random.Random(7)
    rules = [
        "FREQ=WEEKLY;BYDAY=TH",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE",
        "FREQ=WEEKLY;INTERVAL=3",
        "FREQ=DAILY;INTERVAL=5",
        "FREQ=DAILY;BYDAY=SA,SU",
        "FREQ=WEEKLY;BYDAY=FR;UNTIL=20280101T000000",
        "FREQ=WEEKLY;BYDAY=TU;COUNT=40",
        "FREQ=MONTHLY;BYDAY=-1FR",
    ]
    for _ in range(200):
        rule = rng.choice(rules)
        start = dt.datetime(2024, 1, 1, 19) + dt.timedelta(days=rng.randint(0, 500))
        lower = start + dt.timedelta(days=rng.randint(-10, 900), hours=rng.randint(0, 23))
        upper = lower + dt.timedelta(days=rng.randint(1, 60))
        full = rrulestr(rule, dtstart=start).between(lower, upper, inc=True)
        fast = rrulestr(rule, dtstart=fast_forward(rule, start, lower)).between(
            lower, upper, inc=True
        )
        assert fast == full, (rule, start, lower)


def test_an_occurrence_moved_into_the_window_from_outside_it() -> None:
    moved = Override(
        dt.datetime(2026, 10, 1, 19),
        cancelled=False,
        start_local=dt.datetime(2026, 12, 24, 19),
        end_local=dt.datetime(2026, 12, 24, 21),
    )
    found = list(
        occurrences(
            START,
            END,
            PARIS,
            "FREQ=MONTHLY;BYMONTHDAY=1",
            [moved],
            after_utc=dt.datetime(2026, 12, 20, tzinfo=dt.UTC),
            before_utc=dt.datetime(2026, 12, 31, tzinfo=dt.UTC),
        )
    )
    assert [o.start_local for o in found] == [dt.datetime(2026, 12, 24, 19)]
