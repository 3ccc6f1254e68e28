"""Row snapshots of contacts, for undo: everything that points at a contact, as it was.

Deleting or merging contacts changes rows in many tables. Before it does, the service takes a
snapshot of every row that belongs to or refers to those contacts; undo deletes what is there
now and puts the snapshot back, ids included, so invitations, interactions, tasks and
commitments find their people again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table

from cmplanner.bus import Changes
from cmplanner.model import (
    Affiliation,
    CommunityMember,
    Contact,
    ContactAddress,
    ContactEmail,
    ContactPhone,
    ContactTag,
    EventTeamMember,
    Interaction,
    Invitation,
    SentMessage,
)
from cmplanner.storage import Database

# Rows owned by a contact: deleted with it (ON DELETE CASCADE), restored with it.
_OWNED = (ContactEmail, ContactPhone, ContactAddress, Affiliation, ContactTag, CommunityMember,
          Invitation, Interaction, EventTeamMember, SentMessage)  # fmt: skip
# Rows that merely point at a contact (ON DELETE SET NULL): (table, column).
_POINTING = (("task", "assignee_id"), ("commitment", "contact_id"))


@dataclass(frozen=True)
class Snapshot:
    contact_ids: tuple[int, ...]
    rows: dict[str, list[dict[str, Any]]]  # table → rows (column → value)
    pointers: dict[str, list[tuple[int, int]]]  # table → (row id, contact id)

    def changes(self) -> Changes:
        """What deleting, merging or restoring these contacts touches."""

        def ids(table: str, column: str = "id") -> frozenset[int]:
            return frozenset(int(r[column]) for r in self.rows.get(table, []))

        return Changes(
            contacts=frozenset(self.contact_ids),
            invitations=ids("invitation"),
            events=ids("invitation", "event_id"),
            interactions=ids("interaction"),
            communities=ids("community_member", "community_id"),
            organizations=ids("affiliation", "organization_id"),
            tags=ids("contact_tag", "tag_id"),
            tasks=frozenset(row for row, _c in self.pointers.get("task", [])),
            commitments=frozenset(row for row, _c in self.pointers.get("commitment", [])),
        )


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def take(db: Database, contact_ids: Sequence[int]) -> Snapshot:
    ids = list(dict.fromkeys(contact_ids))
    rows: dict[str, list[dict[str, Any]]] = {}
    pointers: dict[str, list[tuple[int, int]]] = {}
    with db.engine.connect() as con:
        contact = _table(Contact)
        rows["contact"] = [
            dict(r._mapping) for r in con.execute(contact.select().where(contact.c.id.in_(ids)))
        ]
        for model in _OWNED:
            table = _table(model)
            query = table.select().where(table.c.contact_id.in_(ids))
            rows[table.name] = [dict(r._mapping) for r in con.execute(query)]
        for name, column in _POINTING:
            found = con.exec_driver_sql(
                f"SELECT id, {column} FROM {name} WHERE {column} IN ({','.join('?' * len(ids))})",
                tuple(ids),
            ).fetchall()
            pointers[name] = [(int(a), int(b)) for a, b in found]
    return Snapshot(tuple(ids), rows, pointers)


def restore(db: Database, snapshot: Snapshot) -> None:
    """Put the snapshot back: the contacts' rows become exactly what they were."""
    ids = list(snapshot.contact_ids)
    with db.engine.begin() as con:
        for model in _OWNED:
            table = _table(model)
            con.execute(table.delete().where(table.c.contact_id.in_(ids)))
            # Rows moved to another contact by a merge are found by their own ids.
            own = [r["id"] for r in snapshot.rows[table.name] if "id" in r]
            if own:
                con.execute(table.delete().where(table.c.id.in_(own)))
            if table.name == "contact_tag":
                keys = [(r["contact_id"], r["tag_id"]) for r in snapshot.rows[table.name]]
                for cid, tid in keys:
                    con.execute(
                        table.delete().where(table.c.contact_id == cid, table.c.tag_id == tid)
                    )
        contact = _table(Contact)
        con.execute(contact.delete().where(contact.c.id.in_(ids)))
        con.execute(contact.insert(), snapshot.rows["contact"]) if snapshot.rows[
            "contact"
        ] else None
        for model in _OWNED:
            table = _table(model)
            if snapshot.rows[table.name]:
                con.execute(table.insert(), snapshot.rows[table.name])
        for name, column in _POINTING:
            for row_id, contact_id in snapshot.pointers[name]:
                con.exec_driver_sql(
                    f"UPDATE {name} SET {column} = ? WHERE id = ?", (contact_id, row_id)
                )
