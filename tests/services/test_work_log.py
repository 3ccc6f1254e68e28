"""Online work entries: logged, listed by day, deleted; bad input refused with a message."""

from __future__ import annotations

import datetime as dt

import pytest

from cmplanner.errors import NotFound, ValidationError
from cmplanner.services.communities import CommunityData, create_community
from cmplanner.services.work_log import WorkData, add_work, delete_work, list_work
from cmplanner.storage import Database


def test_add_list_delete(empty_db: Database) -> None:
    community_id, _ = create_community(empty_db, CommunityData(name="Lyon"))
    first, changes = add_work(
        empty_db, WorkData(dt.date(2026, 11, 3), 45, community_id=community_id, notes=" posts ")
    )
    assert changes.work_entries == {first} and changes.communities == {community_id}
    second, _ = add_work(empty_db, WorkData(dt.date(2026, 11, 1), 20, in_person=True))
    add_work(empty_db, WorkData(dt.date(2026, 12, 1), 10))
    rows = list_work(empty_db, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert [(r.id, r.day.day, r.minutes, r.in_person, r.community, r.notes) for r in rows] == [
        (second, 1, 20, True, "", ""),
        (first, 3, 45, False, "Lyon", "posts"),
    ]
    assert delete_work(empty_db, first).work_entries == {first}
    assert [r.id for r in list_work(empty_db, dt.date(2026, 11, 1), dt.date(2026, 11, 30))] == [
        second
    ]


@pytest.mark.parametrize("minutes", [0, -5, 24 * 60 + 1])
def test_minutes_out_of_range_are_refused(empty_db: Database, minutes: int) -> None:
    with pytest.raises(ValidationError, match="between 1 and 1440 minutes"):
        add_work(empty_db, WorkData(dt.date(2026, 11, 3), minutes))
    assert list_work(empty_db, dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == []


def test_unknown_community_and_entry(empty_db: Database) -> None:
    with pytest.raises(NotFound):
        add_work(empty_db, WorkData(dt.date(2026, 11, 3), 30, community_id=42))
    with pytest.raises(NotFound):
        delete_work(empty_db, 7)
