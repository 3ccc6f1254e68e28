""" "Online work" entries: time the CM spent working outside events and logged interactions
(posts, forum answers, preparing a newsletter…). The dashboard counts them in the in-person
ratio (online, unless marked in person), per community when one is given."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cmplanner.bus import Changes, Written
from cmplanner.errors import ValidationError
from cmplanner.i18n import _
from cmplanner.model import Community, WorkEntry
from cmplanner.storage.sql import get_or_raise

if TYPE_CHECKING:
    from sqlmodel import Session

    from cmplanner.storage import Database

# A day has 1,440 minutes: more than that in one entry is a typing mistake.
MAX_MINUTES = 24 * 60


@dataclass(frozen=True)
class WorkData:
    day: dt.date
    minutes: int
    in_person: bool = False
    community_id: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class WorkRead:
    id: int
    day: dt.date
    minutes: int
    in_person: bool
    community_id: int | None
    community: str
    notes: str


def _changes(entry_ids: frozenset[int], community_id: int | None) -> Changes:
    return Changes(
        work_entries=entry_ids,
        communities=frozenset({community_id} if community_id is not None else ()),
    )


def add_work(db: Database, data: WorkData) -> Written[int]:
    """Log time worked; minutes must be 1 to 1,440 and the community must exist."""
    with db.transaction() as session:
        entry = add_work_in(session, data)
        session.flush()
        assert entry.id is not None
        entry_id = int(entry.id)
    return Written(entry_id, _changes(frozenset({entry_id}), data.community_id))


def add_work_in(session: Session, data: WorkData) -> WorkEntry:
    """`add_work` inside the caller's transaction: the new entry, written at the next flush
    (a year of entries goes in one)."""
    if not 1 <= data.minutes <= MAX_MINUTES:
        raise ValidationError(
            _("Time worked must be between 1 and {most} minutes, not {minutes}.").format(
                most=MAX_MINUTES, minutes=data.minutes
            )
        )
    if data.community_id is not None:
        get_or_raise(session, Community, data.community_id)
    entry = WorkEntry(
        day=data.day,
        minutes=data.minutes,
        in_person=data.in_person,
        community_id=data.community_id,
        notes=data.notes.strip(),
    )
    session.add(entry)
    return entry


def delete_work(db: Database, entry_id: int) -> Changes:
    with db.transaction() as session:
        entry = get_or_raise(session, WorkEntry, entry_id)
        community_id = entry.community_id
        session.delete(entry)
    return _changes(frozenset({entry_id}), community_id)


def work_row(db: Database, entry_id: int) -> dict[str, object]:
    """An entry's row as it is, for `restore_work` (undo)."""
    with db.session() as session:
        return get_or_raise(session, WorkEntry, entry_id).model_dump()


def restore_work(db: Database, row: dict[str, object]) -> Changes:
    """Put a deleted entry back, with its id."""
    with db.transaction() as session:
        entry = WorkEntry.model_validate(row)
        session.add(entry)
        session.flush()
        community_id = entry.community_id
    return _changes(frozenset({int(str(row["id"]))}), community_id)


def list_work(db: Database, start: dt.date, end: dt.date) -> list[WorkRead]:
    """Entries from `start` to `end` (both included), by day then as entered."""
    with db.read() as con:
        rows = con.execute(
            "SELECT w.id, w.day, w.minutes, w.in_person, w.community_id, c.name, w.notes"
            " FROM work_entry w LEFT JOIN community c ON c.id = w.community_id"
            " WHERE w.day >= ? AND w.day <= ? ORDER BY w.day, w.id",
            (start.isoformat(), end.isoformat()),
        ).fetchall()
    return [
        WorkRead(
            id=int(i),
            day=dt.date.fromisoformat(str(day)[:10]),
            minutes=int(minutes),
            in_person=bool(in_person),
            community_id=cid,
            community=str(name or ""),
            notes=str(notes),
        )
        for i, day, minutes, in_person, cid, name, notes in rows
    ]
