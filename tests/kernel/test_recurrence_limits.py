"""A recurrence rule never hangs CM Planner nor eats its memory.

New rules are checked wherever they come in (an event repeats at most once a day, INTERVAL and
COUNT are at least 1, a rule gives at least one date), and expansion is bounded for every rule,
also one an old version or another program stored: a window gives at most MAX_OCCURRENCES
dates of a series and the list says so, a rule no day matches is not iterated to the year 9999,
a rule dateutil cannot expand shows its first date. Tests that would hang run under a time
limit (a child process with a timeout, or SIGALRM in this one) so that they fail instead.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cmplanner.cli.main import main
from cmplanner.i18n import set_language
from cmplanner.model import EventCreate
from cmplanner.recurrence import (
    MAX_OCCURRENCES,
    check_rule,
    dates_around,
    expand,
    fast_forward,
    is_occurrence,
    last_start,
)
from cmplanner.services import event_dates, events
from cmplanner.storage import Database
from tests.time_limit import time_limit

PARIS = "Europe/Paris"
START = dt.datetime(2026, 1, 1, 10, 0)  # a Thursday
MARCH = (dt.datetime(2026, 3, 1, tzinfo=dt.UTC), dt.datetime(2026, 4, 1, tzinfo=dt.UTC))


# -- new rules are checked -------------------------------------------------------------------

REFUSED = [
    ("FREQ=SECONDLY", "at most once a day, so FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY"),
    ("FREQ=MINUTELY;COUNT=3", "not MINUTELY"),
    ("FREQ=HOURLY;INTERVAL=4", "not HOURLY"),
    ("FREQ=DAILY;INTERVAL=0", "INTERVAL must be at least 1"),
    ("FREQ=WEEKLY;INTERVAL=-2", "INTERVAL must be at least 1"),
    ("FREQ=WEEKLY;COUNT=0", "COUNT must be at least 1"),
    ("FREQ=DAILY;BYHOUR=9,18", "BYHOUR takes a single time of day"),
    ("FREQ=WEEKLY;BYMINUTE=0,30", "BYMINUTE takes a single time of day"),
    ("FREQ=DAILY;BYSECOND=1,2", "BYSECOND takes a single time of day"),
    ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "no day matches every part of the rule"),
    ("FREQ=DAILY;BYMONTHDAY=99", "no day matches"),
    ("FREQ=DAILY;INTERVAL=7;BYDAY=TU", "no day matches"),  # every 7 days from a Thursday
    ("FREQ=WEEKLY;UNTIL=20251201T000000", "ends before the event's first date"),
    ("FREQ=DAILY;COUNT=10001", "COUNT must be at most 10,000"),
    ("FREQ=DAILY;COUNT=99999999999999999999999", "COUNT must be at most 10,000"),
    ("FREQ=DAILY;UNTIL=99991231T235959", "UNTIL is more than 100 years after the first date"),
    ("FREQ=DAILY;UNTIL=99991231T235959Z", "UNTIL=99991231T235959Z is outside the calendar"),
    ("FREQ=MONTHLY;BYDAY=99MO", "BYDAY=99MO cannot be read"),
    ("FREQ=WEEKLY;THURSDAYS", "“THURSDAYS” is not of the form NAME=VALUE"),
    ("FREQ=WEEKLY;BYDAY=XX", "invalid 'BYDAY': XX"),
]


@pytest.mark.parametrize(("rule", "reason"), REFUSED)
def test_events_add_refuses_a_rule_with_one_line_naming_the_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rule: str, reason: str
) -> None:
    book = ["--db", str(tmp_path / "c.cmplanner")]
    assert main([*book, "events", "add", "--title", "Ok", "--start", "2026-01-01T10:00",
                 "--end", "2026-01-01T11:00", "--tz", PARIS]) == 0  # fmt: skip
    dump = _dump(tmp_path / "c.cmplanner")
    capsys.readouterr()
    with time_limit(10):
        code = main([*book, "events", "add", "--title", "Trop", "--start", "2026-01-01T10:00",
                     "--end", "2026-01-01T11:00", "--tz", PARIS, "--rrule", rule,
                     "--venue", "Salle", "--community", "Club"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and f"“{rule}” is not valid" in err and reason in err, err
    assert _dump(tmp_path / "c.cmplanner") == dump  # no event, no venue, no community


def test_the_reason_is_said_in_french(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = ["--db", str(tmp_path / "c.cmplanner"), "--lang", "fr"]
    for rule, reason in [
        ("FREQ=SECONDLY", "au plus une fois par jour, FREQ doit donc valoir DAILY, WEEKLY,"),
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL doit valoir au moins 1"),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "aucun jour"),
    ]:
        assert main([*book, "events", "add", "--title", "Trop", "--start", "2026-01-01T10:00",
                     "--end", "2026-01-01T11:00", "--rrule", rule]) == 2  # fmt: skip
        err = capsys.readouterr().err
        assert f"«\u00a0{rule}\u00a0»" in err and reason in err, err
    set_language("en")


ACCEPTED = [
    "FREQ=DAILY",
    "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20270722T080000",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=10",
    "FREQ=MONTHLY;BYDAY=-1FR",
    "FREQ=MONTHLY;BYMONTHDAY=31",  # only the months that have one
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",  # leap years
    "FREQ=YEARLY;BYMINUTE=0;BYHOUR=19;BYDAY=-1SU;BYMONTH=3",  # one time of day
    "FREQ=DAILY;INTERVAL=8;BYDAY=TU",  # every 56 days it falls on a Tuesday
    "FREQ=DAILY;COUNT=10000",
    "FREQ=YEARLY;UNTIL=21251231T100000",  # within 100 years
]


@pytest.mark.parametrize("rule", ACCEPTED)
def test_rules_a_community_uses_are_accepted(rule: str) -> None:
    check_rule(rule, START)


def test_ics_import_refuses_a_rule_every_minute_and_skip_invalid_names_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "feed.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tests//Rules//EN\r\n"
        + _vevent("ok", "Apéro", "RRULE:FREQ=WEEKLY;BYDAY=TH\r\n")  # line 4
        + _vevent("spin", "Minute", "RRULE:FREQ=MINUTELY\r\n")  # line 12, RRULE line 17
        + _vevent("zero", "Zéro", "RRULE:FREQ=DAILY;INTERVAL=0\r\n")  # line 20, RRULE line 25
        + "END:VCALENDAR\r\n",
        encoding="utf-8",
    )
    book = ["--db", str(tmp_path / "c.cmplanner")]
    with time_limit(20):
        assert main([*book, "events", "import", str(path)]) == 2
        err = capsys.readouterr().err
        assert "line 17:" in err and "not MINUTELY" in err, err
        assert main([*book, "events", "import", "--skip-invalid", str(path)]) == 0
    captured = capsys.readouterr()
    assert "Imported 1 event" in captured.out and "2 skipped" in captured.out
    assert "“Minute” (line 12): line 17:" in captured.err and "not MINUTELY" in captured.err
    assert "“Zéro” (line 20): line 25:" in captured.err
    assert "INTERVAL must be at least 1" in captured.err
    with Database.open(book[1]) as db, db.read() as con:
        assert [r[0] for r in con.execute("SELECT rrule FROM event")] == ["FREQ=WEEKLY;BYDAY=TH"]


def test_an_edit_to_a_rule_every_second_is_refused(empty_db: Database) -> None:
    read, _ = events.create_event(empty_db, _create("Atelier", "FREQ=WEEKLY"))
    with pytest.raises(events.ValidationError, match="at most once a day"):
        events.update_event(empty_db, read.id, _create("Atelier", "FREQ=SECONDLY"))
    assert events.event_details(empty_db, read.id)["rrule"] == "FREQ=WEEKLY"


# -- old rules are expanded within bounds ------------------------------------------------------

# Rules an old version or another program may have stored: (title, rule, first date).
OLD_RULES = [
    ("Every second", "FREQ=SECONDLY", START),
    ("Every minute", "FREQ=MINUTELY", START),
    ("Counted seconds", "FREQ=SECONDLY;COUNT=1000000000", dt.datetime(2020, 1, 1, 10)),
    ("Zero interval", "FREQ=DAILY;INTERVAL=0", START),
    ("Never", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", dt.datetime(1990, 1, 1, 10)),
    ("Unreadable", "FREQ=MONTHLY;BYDAY=99MO", START),
    ("Weekly", "FREQ=WEEKLY;BYDAY=TH", START),
]


def _old_database(path: Path) -> dict[str, int]:
    """A database holding OLD_RULES as they were stored, past today's checks."""
    ids: dict[str, int] = {}
    with Database.open(path) as db:
        for title, _rule, first in OLD_RULES:
            data = _create(title, "FREQ=WEEKLY", first)
            data.venue_id = None
            ids[title] = events.create_event(db, data)[0].id
    con = sqlite3.connect(path)
    with con:
        for title, rule, _first in OLD_RULES:
            con.execute("UPDATE event SET rrule = ? WHERE id = ?", (rule, ids[title]))
    con.close()
    return ids


def test_events_list_of_a_month_with_old_rules_ends_quickly_and_says_what_it_cut(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.cmplanner"
    _old_database(path)
    run = _cli(tmp_path, path, "events", "list", "--from", "2026-03-01", "--to", "2026-03-31")
    assert run.returncode == 0, run.stderr
    titles = [line[24:64].strip() for line in run.stdout.splitlines()]
    assert titles.count("Every second") == MAX_OCCURRENCES
    assert titles.count("Every minute") == MAX_OCCURRENCES
    assert titles.count("Weekly") == 4 and "Never" not in titles and "Zero interval" not in titles
    notes = sorted(run.stderr.splitlines())
    assert notes == [
        "“Counted seconds” repeats more than 1,000 times in this period:"
        " not all of its dates are shown.",
        "“Every minute” repeats more than 1,000 times in this period:"
        " not all of its dates are shown.",
        "“Every second” repeats more than 1,000 times in this period:"
        " not all of its dates are shown.",
        "“Unreadable” repeats by a rule CM Planner cannot expand (BYDAY=99MO cannot be read):"
        " it is shown on its first date only. Edit the event to correct it.",
        "“Zero interval” repeats by a rule CM Planner cannot expand (INTERVAL must be at"
        " least 1): it is shown on its first date only. Edit the event to correct it.",
    ]


def test_services_and_documents_over_old_rules_end_quickly(
    tmp_path: Path, frozen_clock: dt.datetime
) -> None:
    from cmplanner.cli.dashboard import digest
    from cmplanner.documents import brief, signin
    from cmplanner.interop.caldav import event_bytes
    from cmplanner.interop.ics.export import export_file, load_events
    from cmplanner.services import dashboard, tasks

    path = tmp_path / "old.cmplanner"
    ids = _old_database(path)
    with Database.open(path) as db, time_limit(30):
        found = event_dates.occurrences_between(db, *MARCH)
        assert len(found.notes) == 5
        per_series = {t: sum(o.title == t for o in found) for t, _r, _f in OLD_RULES}
        assert max(per_series.values()) == MAX_OCCURRENCES
        year = event_dates.occurrences_between(db, MARCH[0], MARCH[0] + dt.timedelta(days=366))
        assert sum(o.title == "Weekly" for o in year) == 52  # all, Thursdays
        board = dashboard.compute(db)  # the next 14 days: said under them, in the digest too
        assert sum(u.title == "Every second" for u in board.upcoming) == MAX_OCCURRENCES
        assert "“Every second” repeats more than 1,000 times" in "\n".join(board.notes)
        assert "  “Every minute” repeats more than 1,000 times" in digest(board)
        events.unconfirmed_soon(db)
        second = dt.datetime(2026, 3, 5, 10, 0, 7)
        assert events.find_occurrence(db, ids["Every second"], second.date()).hour == 0
        events.skip_occurrence(db, ids["Every second"], second)
        assert second not in {
            o.recurrence_id
            for o in event_dates.occurrences_between(db, *MARCH)
            if o.event_id == ids["Every second"]
        }
        tasks.checklist(db, ids["Every second"], second)
        with pytest.raises(events.ValidationError, match="no occurrence"):
            events.skip_occurrence(db, ids["Never"], dt.datetime(2026, 2, 28, 10))
        events.conflicts(db, _create("Draft", "FREQ=DAILY", START))
        export_file(db, tmp_path / "out.ics")
        assert "RRULE:FREQ=SECONDLY" in (tmp_path / "out.ics").read_text()  # as stored
        published = [event_bytes(e) for e in load_events(db, guests=False)]  # CalDAV
        assert len(published) == len(OLD_RULES)
        assert brief.render(db, ids["Every second"]).startswith(b"%PDF")
        assert signin.render(db, ids["Counted seconds"]).startswith(b"%PDF")


def test_a_rule_no_day_matches_is_not_iterated_to_the_year_9999() -> None:
    rules = ["FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "FREQ=DAILY;BYYEARDAY=366;BYMONTH=1",
             "FREQ=WEEKLY;BYMONTHDAY=31;BYMONTH=4", "FREQ=SECONDLY;BYMONTHDAY=99"]  # fmt: skip
    for n, rule in enumerate(rules):
        start = dt.datetime(1900 + n, 1, 1, 10)  # a start of its own: nothing cached
        with time_limit(5):
            for month in range(1, 13):  # a year of a month view: the rule is looked at once
                after = dt.datetime(2026, month, 1, tzinfo=dt.UTC)
                found = expand(start, start, PARIS, rule, (), after, after + dt.timedelta(31))
                assert found.occurrences == () and not found.cut
            assert not is_occurrence(rule, start, dt.datetime(2026, 2, 28, 10))
            assert dates_around(rule, start, dt.datetime(2026, 2, 28, 10)) == (None, None)


def test_a_window_gives_at_most_the_limit_and_says_so() -> None:
    after = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    daily = expand(START, START, PARIS, "FREQ=DAILY", (), after, after + dt.timedelta(days=1500))
    assert len(daily.occurrences) == MAX_OCCURRENCES and daily.cut
    year = expand(START, START, PARIS, "FREQ=DAILY", (), after, after + dt.timedelta(days=2500))
    assert year.occurrences[0].start_local == START  # the first ones, in order
    short = expand(START, START, PARIS, "FREQ=DAILY", (), *MARCH)
    assert len(short.occurrences) == 31 and not short.cut and not short.invalid


def test_bounded_helpers_on_old_rules() -> None:
    with time_limit(10):
        every_second = "FREQ=SECONDLY"
        assert is_occurrence(every_second, START, dt.datetime(2026, 3, 5, 10, 0, 7))
        before, after = dates_around(every_second, START, dt.datetime(2026, 3, 5, 10, 0, 7))
        assert after == dt.datetime(2026, 3, 5, 10, 0, 8)
        assert before is not None and before < dt.datetime(2026, 3, 5, 10, 0, 7)
        assert last_start("FREQ=SECONDLY;COUNT=1000000000", START) is None  # too many to count
        assert last_start("FREQ=WEEKLY;COUNT=3", START) == dt.datetime(2026, 1, 15, 10)
        assert last_start("FREQ=WEEKLY", START) is None
        assert not is_occurrence("FREQ=DAILY;INTERVAL=0", START, START)


def test_fast_forward_skips_whole_periods_of_every_frequency() -> None:
    from dateutil.rrule import rrulestr

    lower = dt.datetime(2026, 3, 1, 12, 0, 30)
    for rule, start in [
        ("FREQ=SECONDLY;INTERVAL=7", lower - dt.timedelta(days=1, seconds=17)),
        ("FREQ=MINUTELY;INTERVAL=13;BYHOUR=12", lower - dt.timedelta(days=20, minutes=7)),
        ("FREQ=HOURLY;INTERVAL=5", START),
        ("FREQ=DAILY;INTERVAL=3;BYMONTHDAY=1,15", START),
        ("FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=31", dt.datetime(1201, 1, 31, 10)),
        ("FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", dt.datetime(1204, 2, 1, 10)),
    ]:
        anchor = fast_forward(rule, start, lower)
        assert start < anchor <= lower, rule
        with time_limit(10):
            fast = list(rrulestr(rule, dtstart=anchor).xafter(lower, count=20, inc=True))
            full = list(rrulestr(rule, dtstart=start).xafter(lower, count=20, inc=True))
        assert fast == full and len(full) == 20, rule


# -- helpers -----------------------------------------------------------------------------------


def _create(title: str, rule: str, start: dt.datetime = START) -> EventCreate:
    return EventCreate(
        title=title,
        start_local=start,
        end_local=start + dt.timedelta(hours=1),
        timezone=PARIS,
        rrule=rule,
    )


def _vevent(uid: str, title: str, extra: str) -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:{title}\r\n"
        f"DTSTART;TZID=Europe/Paris:20260101T190000\r\n{extra}DURATION:PT1H\r\nEND:VEVENT\r\n"
    )


def _dump(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def _cli(tmp_path: Path, db: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """The command in a child process, killed (and the test failed) if it hangs."""
    try:
        return subprocess.run(
            [sys.executable, "-m", "cmplanner", "--lang", "en", "--db", str(db), *argv],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "CMPLANNER_HOME": str(tmp_path / "home")},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"cmplanner {' '.join(argv)} still running after 60 s")


def test_export_of_an_old_rule_icalendar_cannot_hold_says_which_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old.cmplanner"
    with Database.open(path) as db:
        events.create_event(db, _create("Huge count", "FREQ=DAILY"))
    con = sqlite3.connect(path)
    with con:  # as an old version stored it: dateutil took it, iCalendar has no such number
        con.execute("UPDATE event SET rrule = 'FREQ=DAILY;COUNT=99999999999999999999999'")
    con.close()
    out = tmp_path / "out.ics"
    with time_limit(20):
        code = main(["--db", str(path), "events", "export", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert err.count("\n") == 1 and "“Huge count” cannot be written to iCalendar" in err, err
    assert "COUNT=99999999999999999999999" in err and "Edit the event to correct it." in err
