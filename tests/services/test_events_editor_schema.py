"""What the event editor stores beyond the event itself: budget lines, partner organizations
with their obligations, the core team on site, and the debrief (migration 0007)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from cmplanner.model import (
    BudgetLine,
    Contact,
    Event,
    EventCreate,
    EventPartner,
    EventTeamMember,
    Organization,
)
from cmplanner.services.events import create_event, event_details, update_event
from cmplanner.storage import Database

GOLDEN_V1 = Path(__file__).parents[1] / "golden" / "schema-0001.cmplanner"


def concert(db: Database) -> tuple[int, EventCreate]:
    data = EventCreate(
        title="Concert",
        start_local=dt.datetime(2026, 6, 20, 20),
        end_local=dt.datetime(2026, 6, 20, 23),
        timezone="Europe/Paris",
    )
    read, _ = create_event(db, data)
    return read.id, data


def test_budget_partners_team_and_debrief_are_kept_with_the_event(empty_db: Database) -> None:
    event_id, data = concert(empty_db)
    with empty_db.transaction() as session:
        brewery = Organization(name="Brasserie du Canal")
        lea = Contact(given_name="Léa", family_name="Martin")
        session.add_all([brewery, lea])
        session.flush()
        assert brewery.id is not None and lea.id is not None
        session.add_all(
            [
                BudgetLine(event_id=event_id, label="Location de la salle", amount_cents=15000),
                BudgetLine(event_id=event_id, label="Boissons", amount_cents=8990, paid=True),
                EventPartner(
                    event_id=event_id,
                    organization_id=brewery.id,
                    obligations="Logo sur l'affiche ; un fût offert",
                ),
                EventTeamMember(event_id=event_id, contact_id=lea.id, role="accueil"),
            ]
        )
    update_event(empty_db, event_id, data.model_copy(update={"debrief": "80 personnes"}))
    details = event_details(empty_db, event_id)
    assert details["sequence"] == 0  # a debrief is not a change for the guests' calendars
    assert details["debrief"] == "80 personnes"
    assert details["budget"] == [
        {"label": "Location de la salle", "amount_cents": 15000, "paid": False},
        {"label": "Boissons", "amount_cents": 8990, "paid": True},
    ]
    assert details["partners"] == [
        {
            "organization_id": brewery.id,
            "name": "Brasserie du Canal",
            "obligations": "Logo sur l'affiche ; un fût offert",
        }
    ]
    assert details["team"] == [{"contact_id": lea.id, "name": "Léa Martin", "role": "accueil"}]
    # One row per partner and per team member.
    with pytest.raises(IntegrityError), empty_db.transaction() as session:
        session.add(EventTeamMember(event_id=event_id, contact_id=lea.id, role="bar"))
    # Deleting the event takes its budget, partners and team with it, not the people.
    with empty_db.transaction() as session:
        session.delete(session.get(Event, event_id))
    with empty_db.session() as session:
        assert session.exec(select(BudgetLine)).all() == []
        assert session.exec(select(EventPartner)).all() == []
        assert session.exec(select(EventTeamMember)).all() == []
        assert session.get(Contact, lea.id) is not None


def test_old_events_get_an_empty_debrief_when_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.cmplanner"
    shutil.copyfile(GOLDEN_V1, path)
    with Database.open(path) as db:
        details = event_details(db, 1)
    assert details["debrief"] == ""
    assert details["budget"] == details["partners"] == details["team"] == []
