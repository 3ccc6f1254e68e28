"""The shared query helpers: instants as stored, chunked IN (…), get or NotFound."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cmplanner.errors import NotFound
from cmplanner.i18n import set_language
from cmplanner.model import (
    Commitment,
    Community,
    Contact,
    Event,
    Invitation,
    Organization,
    Setting,
    Task,
    WorkEntry,
)
from cmplanner.storage import Database
from cmplanner.storage.sql import (
    CHUNK,
    get_or_raise,
    in_chunks,
    missing,
    sql_datetime,
    sql_instant,
)


def test_an_instant_is_stored_as_naive_utc_text_whatever_its_zone() -> None:
    paris = dt.datetime(2026, 3, 5, 20, 0, 0, 250, tzinfo=ZoneInfo("Europe/Paris"))
    assert sql_instant(paris) == "2026-03-05 19:00:00.000250"
    assert sql_instant(paris.astimezone(dt.UTC)) == "2026-03-05 19:00:00.000250"
    summer = dt.datetime(2026, 7, 1, 0, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert sql_instant(summer) == "2026-06-30 22:30:00.000000"  # the day before, in UTC


def test_an_instant_is_written_as_the_orm_writes_it(empty_db: Database) -> None:
    moment = dt.datetime(2026, 11, 19, 17, 30, 5, 42, tzinfo=dt.UTC)
    with empty_db.transaction() as session:
        session.add(Setting(key="probe", value="x", updated_at=moment))
    with empty_db.read() as con:
        (stored,) = con.execute("SELECT updated_at FROM setting WHERE key = 'probe'").fetchone()
        # …so a query comparing with it finds it.
        (found,) = con.execute(
            "SELECT count(*) FROM setting WHERE updated_at = ?", (sql_instant(moment),)
        ).fetchone()
    assert stored == sql_instant(moment)
    assert found == 1


def test_years_keep_four_digits_so_text_order_is_time_order() -> None:
    early = dt.datetime(999, 12, 31, 23, 0, tzinfo=dt.UTC)  # a range's margin before year 1000
    later = dt.datetime(1000, 1, 1, tzinfo=dt.UTC)
    assert sql_instant(early) == "0999-12-31 23:00:00.000000"
    assert sql_instant(early) < sql_instant(later)


def test_a_naive_datetime_is_written_as_it_is() -> None:
    wall_clock = dt.datetime(2026, 3, 29, 2, 30)  # a Paris time that does not exist: kept
    assert sql_datetime(wall_clock) == "2026-03-29 02:30:00.000000"
    assert sql_datetime(None) is None


def test_chunks_cover_every_value_once_in_order_with_their_marks() -> None:
    values = list(range(2 * CHUNK + 7))
    chunks = list(in_chunks(values))
    assert [len(chunk) for chunk, _marks in chunks] == [CHUNK, CHUNK, 7]
    assert [v for chunk, _marks in chunks for v in chunk] == values
    assert all(marks == ",".join("?" * len(chunk)) for chunk, marks in chunks)
    assert list(in_chunks([])) == []
    assert list(in_chunks(("a", "b"))) == [(["a", "b"], "?,?")]


def test_a_chunked_in_query_finds_more_ids_than_one_statement_should_hold(
    empty_db: Database,
) -> None:
    with empty_db.transaction() as session:
        for n in range(CHUNK + 20):
            session.add(Community(name=f"C{n}"))
    with empty_db.read() as con:
        ids = [int(r[0]) for r in con.execute("SELECT id FROM community")]
        found: list[int] = []
        for chunk, marks in in_chunks([*ids, 999_999]):  # an unknown id is simply not found
            found += [
                r[0] for r in con.execute(f"SELECT id FROM community WHERE id IN ({marks})", chunk)
            ]
    assert sorted(found) == sorted(ids)


def test_missing_says_which_record_in_the_language_of_the_moment() -> None:
    assert missing("event", 12) == "Event 12 does not exist."
    assert missing("work_entry", 3) == "Work entry 3 does not exist."
    set_language("fr")
    try:
        assert missing("event", 12) == "L'événement 12 n'existe pas."
    finally:
        set_language("en")


@pytest.mark.parametrize(
    ("table", "kind"),
    [
        (Commitment, "Commitment"),
        (Community, "Community"),
        (Contact, "Contact"),
        (Event, "Event"),
        (Invitation, "Invitation"),
        (Organization, "Organization"),
        (Task, "Task"),
        (WorkEntry, "Work entry"),
    ],
)
def test_get_or_raise_names_the_table_it_looked_in(
    empty_db: Database, table: type[Community], kind: str
) -> None:
    with empty_db.session() as session, pytest.raises(NotFound) as raised:
        get_or_raise(session, table, 12)
    assert str(raised.value) == f"{kind} 12 does not exist."


def test_get_or_raise_gives_the_row(empty_db: Database) -> None:
    with empty_db.transaction() as session:
        community = Community(name="Apéros du jeudi")
        session.add(community)
        session.flush()
        community_id = community.id
    assert community_id is not None
    with empty_db.session() as session:
        assert get_or_raise(session, Community, community_id).name == "Apéros du jeudi"
