"""Record counts, for `cmplanner info` and the status bar."""

from __future__ import annotations

from sqlalchemy import func, select

from cmplanner.i18n import N_
from cmplanner.model import (
    Commitment,
    Community,
    Contact,
    Event,
    Interaction,
    Invitation,
    Organization,
    Task,
    Venue,
)
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

COUNTED = {
    "contacts": Contact,
    "organizations": Organization,
    "communities": Community,
    "venues": Venue,
    "events": Event,
    "invitations": Invitation,
    "tasks": Task,
    "commitments": Commitment,
    "interactions": Interaction,
}


def record_counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as con:
        return {
            name: int(con.execute(select(func.count()).select_from(table)).scalar_one())
            for name, table in COUNTED.items()
        }


def is_empty(db: Database) -> bool:
    return not any(record_counts(db).values())
