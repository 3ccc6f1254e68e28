"""Commitments ("promesses"): what was promised, to whom (a contact, a community, an event),
by when, and whether it was kept. Open ones show on the contact, the community and its next
event; overdue ones are flagged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cmplanner import clock
from cmplanner.bus import Changes, Written
from cmplanner.errors import NotFound, ValidationError
from cmplanner.i18n import N_, _
from cmplanner.model.enums import CommitmentStatus
from cmplanner.services.contact_records import contact_names
from cmplanner.services.event_dates import occurrences_between
from cmplanner.storage import Database
from cmplanner.storage.sql import get_or_raise, missing

if TYPE_CHECKING:
    from sqlmodel import Session

    from cmplanner.model import Commitment

# The reads run on sqlite3; SQLModel and the tables are imported by the writing functions
# only, for start-up time (a printed document reads commitments, and loads neither).

# The issue calls a promise that will not be kept "dropped"; it is stored as "cancelled".
_LABELS = {
    CommitmentStatus.OPEN: N_("Open"),
    CommitmentStatus.KEPT: N_("Kept"),
    CommitmentStatus.BROKEN: N_("Broken"),
    CommitmentStatus.CANCELLED: N_("Dropped"),
}
_ALIASES = {"dropped": CommitmentStatus.CANCELLED.value}


def status_label(status: str) -> str:
    return _(_LABELS[CommitmentStatus(status)]) if status in set(CommitmentStatus) else status


@dataclass(frozen=True)
class CommitmentRead:
    id: int
    description: str
    contact_id: int | None
    contact: str
    community_id: int | None
    community: str
    event_id: int | None
    event: str
    due_date: dt.date | None
    status: str
    status_label: str
    notes: str
    created_at: dt.datetime
    overdue: bool


def _cid(commitment: Commitment) -> int:
    assert commitment.id is not None
    return int(commitment.id)


def _targets(commitment: Commitment) -> Changes:
    def one(value: int | None) -> frozenset[int]:
        return frozenset({value} if value is not None else ())

    return Changes(
        commitments=frozenset({_cid(commitment)}),
        contacts=one(commitment.contact_id),
        communities=one(commitment.community_id),
        events=one(commitment.event_id),
    )


def add_commitment(
    db: Database,
    description: str,
    due_date: dt.date | None = None,
    contact_id: int | None = None,
    community_id: int | None = None,
    event_id: int | None = None,
    notes: str = "",
) -> Written[int]:
    """Record a promise; it is made to someone: a contact, a community or an event (or more)."""
    from cmplanner.model import Commitment  # for start-up time (see the imports)

    with db.transaction() as session:
        commitment_id = add_commitment_in(
            session, description, due_date, contact_id, community_id, event_id, notes
        )
        changes = _targets(get_or_raise(session, Commitment, commitment_id))
    return Written(commitment_id, changes)


def add_commitment_in(
    session: Session,
    description: str,
    due_date: dt.date | None = None,
    contact_id: int | None = None,
    community_id: int | None = None,
    event_id: int | None = None,
    notes: str = "",
) -> int:
    """`add_commitment` inside the caller's transaction; the new commitment's id."""
    from cmplanner.model import Commitment, Community, Contact, Event  # for start-up time

    if not description.strip():
        raise ValidationError(_("A commitment needs a description: what was promised?"))
    if contact_id is None and community_id is None and event_id is None:
        raise ValidationError(
            _("Say to whom the promise was made: a contact, a community or an event.")
        )
    for table, value in ((Contact, contact_id), (Community, community_id), (Event, event_id)):
        if value is not None:
            get_or_raise(session, table, value)
    commitment = Commitment(
        description=description.strip(),
        due_date=due_date,
        contact_id=contact_id,
        community_id=community_id,
        event_id=event_id,
        notes=notes,
    )
    session.add(commitment)
    session.flush()
    return _cid(commitment)


def set_status(db: Database, commitment_id: int, status: str) -> Changes:
    """Open, kept, broken or dropped ("dropped" is stored as "cancelled")."""
    with db.transaction() as session:
        return set_status_in(session, commitment_id, status)


def set_status_in(session: Session, commitment_id: int, status: str) -> Changes:
    """`set_status` inside the caller's transaction."""
    from cmplanner.model import Commitment  # for start-up time (see the imports)

    status = _ALIASES.get(status, status)
    if status not in set(CommitmentStatus):
        raise ValidationError(_("Unknown commitment status “{status}”.").format(status=status))
    commitment = get_or_raise(session, Commitment, commitment_id)
    commitment.status = status
    commitment.updated_at = clock.utc_now()
    session.add(commitment)
    return _targets(commitment)


def open_commitments(
    db: Database,
    contact_id: int | None = None,
    community_id: int | None = None,
    event_id: int | None = None,
) -> list[CommitmentRead]:
    """Open commitments made to any of the given contact, community or event (all open ones
    if none is given), soonest due first, undated ones last."""
    conditions = [
        f"m.{column} = ?"
        for column, value in (
            ("contact_id", contact_id),
            ("community_id", community_id),
            ("event_id", event_id),
        )
        if value is not None
    ]
    params = [value for value in (contact_id, community_id, event_id) if value is not None]
    sql = (
        "SELECT m.id, m.description, m.contact_id, m.community_id, coalesce(c.name, ''),"
        " m.event_id, coalesce(e.title, ''), m.due_date, m.status, m.notes, m.created_at"
        " FROM commitment m LEFT JOIN community c ON c.id = m.community_id"
        " LEFT JOIN event e ON e.id = m.event_id WHERE m.status = ?"
    )
    if conditions:
        sql += f" AND ({' OR '.join(conditions)})"
    with db.read() as con:
        rows = con.execute(sql, [CommitmentStatus.OPEN.value, *params]).fetchall()
        names = contact_names(con, [r[2] for r in rows if r[2] is not None])
    today = clock.today()
    found = []
    for cid, text, contact, community_id_, community, event, title, due, status, notes, at in rows:
        due_date = dt.date.fromisoformat(due) if due else None
        found.append(
            CommitmentRead(
                id=int(cid),
                description=text,
                contact_id=contact,
                contact=names.get(contact, "") if contact is not None else "",
                community_id=community_id_,
                community=community,
                event_id=event,
                event=title,
                due_date=due_date,
                status=status,
                status_label=status_label(status),
                notes=notes,
                created_at=_instant(at),
                overdue=status == CommitmentStatus.OPEN
                and due_date is not None
                and due_date < today,
            )
        )
    found.sort(key=lambda c: (c.due_date is None, c.due_date or dt.date.min, c.id))
    return found


def _instant(stored: str) -> dt.datetime:
    """A stored instant (naive UTC text) as the aware UTC datetime the table gives."""
    return dt.datetime.fromisoformat(stored).replace(tzinfo=dt.UTC)


def next_event_id(db: Database, community_id: int) -> int | None:
    """The community's next event (a series counts by its next occurrence), not cancelled."""
    with db.read() as con:
        row = con.execute("SELECT name FROM community WHERE id = ?", (community_id,)).fetchone()
        if row is None:
            raise NotFound(missing("community", community_id))
        ours = {
            r[0]
            for r in con.execute("SELECT id FROM event WHERE community_id = ?", (community_id,))
        }
    now = clock.now_utc()
    for occurrence in occurrences_between(db, now, now + dt.timedelta(days=366), community=row[0]):
        if occurrence.event_id in ours and occurrence.status != "cancelled":
            return occurrence.event_id
    return None


def next_event_commitments(db: Database, community_id: int) -> list[CommitmentRead]:
    """Open commitments to show before the community's next event: those made to the
    community and those tied to that event."""
    event_id = next_event_id(db, community_id)
    return open_commitments(db, community_id=community_id, event_id=event_id)


def event_commitments(db: Database, event_id: int) -> list[CommitmentRead]:
    """Open commitments to show on an event: those tied to it and, when it is its
    community's next event, those made to the community (they are due there)."""
    with db.read() as con:
        row = con.execute("SELECT community_id FROM event WHERE id = ?", (event_id,)).fetchone()
    if row is None:
        raise NotFound(missing("event", event_id))
    community_id = row[0]
    if community_id is not None and next_event_id(db, community_id) == event_id:
        return open_commitments(db, community_id=community_id, event_id=event_id)
    return open_commitments(db, event_id=event_id)


def delete_commitment(db: Database, commitment_id: int) -> Written[dict[str, object]]:
    """Delete a promise; returns its row as it was, for `restore_commitment` (undo)."""
    from cmplanner.model import Commitment  # for start-up time (see the imports)

    with db.transaction() as session:
        commitment = get_or_raise(session, Commitment, commitment_id)
        row = commitment.model_dump()
        changes = _targets(commitment)
        session.delete(commitment)
    return Written(row, changes)


def restore_commitment(db: Database, row: dict[str, object]) -> Changes:
    """Put a deleted promise back, with its id."""
    from cmplanner.model import Commitment  # for start-up time (see the imports)

    with db.transaction() as session:
        commitment = Commitment.model_validate(row)
        session.add(commitment)
        session.flush()
        changes = _targets(commitment)
    return changes


def get_status(db: Database, commitment_id: int) -> str:
    with db.read() as con:
        row = con.execute("SELECT status FROM commitment WHERE id = ?", (commitment_id,)).fetchone()
    if row is None:
        raise NotFound(missing("commitment", commitment_id))
    return str(row[0])


def event_title(db: Database, event_id: int) -> str:
    with db.read() as con:
        row = con.execute("SELECT title FROM event WHERE id = ?", (event_id,)).fetchone()
    return str(row[0]) if row is not None else ""
