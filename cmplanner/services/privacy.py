"""A person's rights over their data: everything we hold about them, and erasure.

Erasure removes the person and their personal data everywhere; the events they attended keep
an anonymous head-count. Deleted content is overwritten (`secure_delete`), the search index
is rewritten and the write-ahead log checkpointed and truncated, so their name and e-mail can
no longer be read in the database or WAL files. Backups made earlier still hold them: they are
named, and can be deleted too.
"""

from __future__ import annotations

import base64
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cmplanner import clock
from cmplanner.bus import Changes
from cmplanner.errors import NotFound, StorageError
from cmplanner.i18n import _
from cmplanner.services.contact_records import contact_records
from cmplanner.storage import Database
from cmplanner.storage.backup import list_backups
from cmplanner.storage.search_index import TABLE as SEARCH_TABLE
from cmplanner.storage.sql import missing


@dataclass(frozen=True)
class EraseReport:
    contact_id: int
    name: str
    backups_holding: tuple[Path, ...]  # backups that still contain the person
    purged: tuple[Path, ...]  # those of them deleted on request
    changes: Changes = field(default_factory=Changes)


@dataclass(frozen=True)
class Section:
    """One part of a person's export: the rows of `table` whose `column` names them."""

    key: str  # the JSON key
    table: str
    column: str
    sql: str  # one parameter: the contact id


# Every table that points at a person (tests/services/test_privacy.py walks the schema's
# foreign keys and fails when one is left out).
SECTIONS = (
    Section(
        "emails",
        "contact_email",
        "contact_id",
        "SELECT label, address FROM contact_email WHERE contact_id = ? ORDER BY position, id",
    ),
    Section(
        "phones",
        "contact_phone",
        "contact_id",
        "SELECT label, number FROM contact_phone WHERE contact_id = ? ORDER BY position, id",
    ),
    Section(
        "addresses",
        "contact_address",
        "contact_id",
        "SELECT label, street, postal_code, city, region, country FROM contact_address"
        " WHERE contact_id = ? ORDER BY position, id",
    ),
    Section(
        "tags",
        "contact_tag",
        "contact_id",
        "SELECT t.name AS tag FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id"
        " WHERE ct.contact_id = ? ORDER BY t.name",
    ),
    Section(
        "affiliations",
        "affiliation",
        "contact_id",
        "SELECT o.name AS organization, a.role, a.department FROM affiliation a"
        " JOIN organization o ON o.id = a.organization_id WHERE a.contact_id = ? ORDER BY a.id",
    ),
    Section(
        "communities",
        "community_member",
        "contact_id",
        "SELECT c.name AS community, m.role, m.joined_on FROM community_member m"
        " JOIN community c ON c.id = m.community_id WHERE m.contact_id = ? ORDER BY m.id",
    ),
    Section(
        "invitations",
        "invitation",
        "contact_id",
        "SELECT e.title AS event, e.start_local, e.timezone, i.occurrence, i.role, i.rsvp,"
        " i.plus_ones, i.waitlist_position, i.attended, i.checked_in_at, i.notes,"
        " i.reply_stamp, i.reply_sequence, i.delegated_to"
        " FROM invitation i JOIN event e ON e.id = i.event_id WHERE i.contact_id = ?"
        " ORDER BY e.start_utc, i.occurrence, i.id",
    ),
    Section(
        "event_team",
        "event_team",
        "contact_id",
        "SELECT e.title AS event, e.start_local, e.timezone, t.role FROM event_team t"
        " JOIN event e ON e.id = t.event_id WHERE t.contact_id = ? ORDER BY e.start_utc, t.id",
    ),
    Section(
        "messages_sent",
        "sent_message",
        "contact_id",
        "SELECT e.title AS event, m.email, m.method, m.sequence, m.occurrence, m.sent_at,"
        " m.channel, m.error FROM sent_message m JOIN event e ON e.id = m.event_id"
        " WHERE m.contact_id = ? ORDER BY m.sent_at, m.id",
    ),
    Section(
        "interactions",
        "interaction",
        "contact_id",
        "SELECT i.occurred_at, i.channel, i.in_person, i.duration_minutes, e.title AS event,"
        " i.notes FROM interaction i LEFT JOIN event e ON e.id = i.event_id"
        " WHERE i.contact_id = ? ORDER BY i.occurred_at, i.id",
    ),
    Section(
        "commitments_to_them",
        "commitment",
        "contact_id",
        "SELECT description, due_date, status, notes FROM commitment WHERE contact_id = ?"
        " ORDER BY id",
    ),
    Section(
        "tasks_assigned",
        "task",
        "assignee_id",
        "SELECT t.title, e.title AS event, t.due_date, t.done FROM task t"
        " LEFT JOIN event e ON e.id = t.event_id WHERE t.assignee_id = ? ORDER BY t.id",
    ),
)


def _rows(con: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql, params)]
    finally:
        con.row_factory = None


def person_data(db: Database, contact_id: int) -> dict[str, Any]:
    """Everything the database holds about one person, as JSON-ready data."""
    records = contact_records(db, [contact_id])
    if not records:
        raise NotFound(missing("contact", contact_id))
    with db.read() as con:
        contact = _rows(con, "SELECT * FROM contact WHERE id = ?", (contact_id,))[0]
        photo = contact.pop("photo", None)
        data: dict[str, Any] = {
            "format": "cmplanner-person/1",
            "exported_at": clock.utc_now().isoformat(),
            "summary": records[0],
            "contact": contact,
            "photo_base64": base64.b64encode(photo).decode() if photo else None,
        }
        for section in SECTIONS:
            data[section.key] = _rows(con, section.sql, (contact_id,))
    return data


def backups_holding(db: Database, contact_id: int) -> list[Path]:
    """The backups in which this person (by uid) still appears."""
    with db.read() as con:
        row = con.execute("SELECT uid FROM contact WHERE id = ?", (contact_id,)).fetchone()
    if row is None:
        raise NotFound(missing("contact", contact_id))
    return _backups_with_uid(db, str(row[0]))


def _backups_with_uid(db: Database, uid: str) -> list[Path]:
    holding = []
    for backup in list_backups(db.path):
        try:
            con = sqlite3.connect(f"{backup.path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                if con.execute("SELECT 1 FROM contact WHERE uid = ?", (uid,)).fetchone():
                    holding.append(backup.path)
            finally:
                con.close()
        except sqlite3.Error:
            continue  # an unreadable backup cannot be checked; it is not ours to delete
    return holding


def erase_contact(db: Database, contact_id: int, purge_backups: bool = False) -> EraseReport:
    """Remove a person and their personal data everywhere. Not undoable, by design."""
    with db.read() as con:
        row = con.execute(
            "SELECT uid, given_name, family_name FROM contact WHERE id = ?", (contact_id,)
        ).fetchone()
    if row is None:
        raise NotFound(missing("contact", contact_id))
    uid, name = str(row[0]), f"{row[1]} {row[2]}".strip()
    with db.engine.begin() as con:
        con.exec_driver_sql("PRAGMA secure_delete = ON")
        invited = con.exec_driver_sql(
            "SELECT id, event_id FROM invitation WHERE contact_id = ?", (contact_id,)
        ).fetchall()
        # Head-counts survive, anonymously: the invitation loses its person and notes.
        con.exec_driver_sql(
            "UPDATE invitation SET contact_id = NULL, notes = '' WHERE contact_id = ?",
            (contact_id,),
        )
        con.exec_driver_sql("DELETE FROM interaction WHERE contact_id = ?", (contact_id,))
        con.exec_driver_sql("DELETE FROM contact WHERE id = ?", (contact_id,))
        # Rewrite the search index so no old segment still spells their name.
        con.exec_driver_sql(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('optimize')")
    _scrub(db)
    holding = tuple(_backups_with_uid(db, uid))
    purged: list[Path] = []
    if purge_backups:
        for path in holding:
            path.unlink(missing_ok=True)
            purged.append(path)
    changes = Changes(
        contacts=frozenset({contact_id}),
        invitations=frozenset(int(i) for i, _e in invited),
        events=frozenset(int(e) for _i, e in invited),
    )
    return EraseReport(contact_id, name, holding, tuple(purged), changes)


def _scrub(db: Database) -> None:
    """Overwrite freed pages and empty the WAL: what was deleted cannot be read back."""
    db.dispose_engine()  # no pooled connection may keep an old snapshot open
    con = sqlite3.connect(db.path)
    try:
        con.execute("PRAGMA secure_delete = ON")
        con.execute("VACUUM")
        busy, _log, _done = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise StorageError(
                _("The database is busy; the erased data may remain in its log until restart.")
            )
    finally:
        con.close()
