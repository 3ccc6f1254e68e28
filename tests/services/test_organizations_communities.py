"""Organizations with their people; communities with members by role."""

from __future__ import annotations

import pytest

from cmplanner.errors import ValidationError
from cmplanner.services import communities, contacts, organizations
from cmplanner.services.browse import ORGANIZATIONS
from cmplanner.services.communities import CommunityData
from cmplanner.services.contact_data import ContactData, OrganizationData
from cmplanner.storage import Database


def test_organization_editor_round_trip(empty_db: Database) -> None:
    org_id, _ = organizations.create_organization(
        empty_db,
        OrganizationData(name=" Radio Canut ", kind="media", website="https://radiocanut.example"),
    )
    a, _ = contacts.create_contact(empty_db, ContactData(given_name="Léo", family_name="Ferré"))
    b, _ = contacts.create_contact(empty_db, ContactData(given_name="Zoé"))
    organizations.set_people(empty_db, org_id, [(a, "Chroniqueur"), (b, "Programmatrice")])
    details = organizations.get_organization(empty_db, org_id)
    assert details.data.name == "Radio Canut" and details.data.kind == "media"
    assert [(p.name, p.role) for p in details.people] == [
        ("Léo Ferré", "Chroniqueur"),
        ("Zoé", "Programmatrice"),
    ]
    # The people see it on their own card.
    assert contacts.get_details(empty_db, a).data.affiliations[0].organization == "Radio Canut"
    organizations.update_organization(
        empty_db, org_id, OrganizationData(name="Radio Canut 102.2", kind="media")
    )
    assert contacts.get_details(empty_db, b).data.affiliations[0].role == "Programmatrice"
    assert ORGANIZATIONS.rows(empty_db, [org_id])[org_id][0] == "Radio Canut 102.2"


def test_organization_needs_a_name_and_a_known_kind(empty_db: Database) -> None:
    with pytest.raises(ValidationError):
        organizations.create_organization(empty_db, OrganizationData(name="  "))
    with pytest.raises(ValidationError):
        organizations.create_organization(empty_db, OrganizationData(name="X", kind="cult"))


def test_community_members_by_role(empty_db: Database) -> None:
    community_id, _ = communities.create_community(
        empty_db, CommunityData(name="Apéros", objective="Se voir", pace_days=7)
    )
    ids = [
        contacts.create_contact(empty_db, ContactData(given_name=name))[0]
        for name in ("Ana", "Bob", "Cléo")
    ]
    contacts.add_members(empty_db, community_id, ids)
    contacts.add_members(empty_db, community_id, ids[:1], role="ambassador")
    contacts.add_members(empty_db, community_id, ids[:1], role="ambassador")  # idempotent
    details = communities.get_community(empty_db, community_id)
    assert [m.name for m in details.by_role("ambassador")] == ["Ana"]
    assert len(details.by_role("member")) == 3
    assert details.members[0].role == "ambassador"  # the roles that matter come first
    contacts.remove_members(empty_db, community_id, ids[1:2])
    assert len(communities.get_community(empty_db, community_id).by_role("member")) == 2


def test_community_pace_must_be_positive(empty_db: Database) -> None:
    with pytest.raises(ValidationError):
        communities.create_community(empty_db, CommunityData(name="X", pace_days=0))
