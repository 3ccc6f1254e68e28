"""Record counts, for `cmplanner info` and the status bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cmplanner.i18n import N_

if TYPE_CHECKING:
    from cmplanner.storage import Database

LABELS = {
    "contacts": N_("Contacts"),
    "organizations": N_("Organizations"),
    "communities": N_("Communities"),
    "venues": N_("Venues"),
    "events": N_("Events"),
    "invitations": N_("Invitations"),
    "tasks": N_("Tasks"),
    "commitments": N_("Commitments"),
    "interactions": N_("Interactions"),
}
_TABLES = {
    "contacts": "contact",
    "organizations": "organization",
    "communities": "community",
    "venues": "venue",
    "events": "event",
    "invitations": "invitation",
    "tasks": "task",
    "commitments": "commitment",
    "interactions": "interaction",
}


def record_counts(db: Database) -> dict[str, int]:
    with db.read() as con:
        return {
            name: int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for name, table in _TABLES.items()
        }


def is_empty(db: Database) -> bool:
    return not any(record_counts(db).values())
