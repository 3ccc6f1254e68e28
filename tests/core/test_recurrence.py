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
