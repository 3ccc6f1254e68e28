"""Organizations (associations, partners, sponsors, media, venues…) and their people."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from cmplanner import clock
from cmplanner.bus import Changes, Written
from cmplanner.errors import ValidationError
from cmplanner.i18n import _
from cmplanner.model import Affiliation, Contact, Organization
from cmplanner.model.enums import OrganizationKind
from cmplanner.services.contact_data import OrganizationData
from cmplanner.services.contact_records import contact_names
from cmplanner.storage import Database
from cmplanner.storage.sql import get_or_raise


@dataclass(frozen=True)
class Person:
    affiliation_id: int
    contact_id: int
    name: str
    role: str


@dataclass(frozen=True)
class OrganizationDetails:
    id: int
    uid: str
    data: OrganizationData
    people: tuple[Person, ...]


def _check(data: OrganizationData) -> OrganizationData:
    name = data.name.strip()
    if not name:
        raise ValidationError(_("An organization needs a name."))
    kinds = {k.value for k in OrganizationKind}
    if data.kind not in kinds:
        raise ValidationError(_("Unknown kind of organization: {kind}").format(kind=data.kind))
    return dataclasses.replace(data, name=name, website=data.website.strip())


def _fields(data: OrganizationData) -> dict[str, Any]:
    out = dataclasses.asdict(data)
    out.pop("uid")
    return out


def create_organization(db: Database, data: OrganizationData) -> Written[int]:
    data = _check(data)
    with db.transaction() as session:
        org_id = create_organization_in(session, data)
    changes = Changes(organizations=frozenset({org_id}))
    return Written(org_id, changes)


def create_organization_in(session: Session, data: OrganizationData) -> int:
    """`create_organization` inside the caller's transaction; the new organization's id."""
    data = _check(data)
    org = Organization(**_fields(data))
    if data.uid:
        org.uid = data.uid
    session.add(org)
    session.flush()
    assert org.id is not None
    return org.id


def update_organization(db: Database, org_id: int, data: OrganizationData) -> Changes:
    data = _check(data)
    with db.transaction() as session:
        org = get_or_raise(session, Organization, org_id)
        for name, value in _fields(data).items():
            setattr(org, name, value)
        org.updated_at = clock.utc_now()
        session.add(org)
        people = session.exec(
            select(Affiliation.contact_id).where(Affiliation.organization_id == org_id)
        ).all()
    changes = Changes(organizations=frozenset({org_id}), contacts=frozenset(people))
    return changes


def organization_data(org: Organization) -> OrganizationData:
    """An organization row as the editor, the exports and undo speak it."""
    return OrganizationData(
        **{f.name: getattr(org, f.name) for f in dataclasses.fields(OrganizationData)}
    )


def get_organization(db: Database, org_id: int) -> OrganizationDetails:
    with db.session() as session:
        org = get_or_raise(session, Organization, org_id)
        rows = session.exec(
            select(Affiliation, Contact)
            .join(Contact, col(Contact.id) == Affiliation.contact_id)
            .where(Affiliation.organization_id == org_id)
        ).all()
        data = organization_data(org)
        names = contact_names(session, [c.id or 0 for _a, c in rows])
        people = tuple(Person(a.id or 0, c.id or 0, names[c.id or 0], a.role) for a, c in rows)
        return OrganizationDetails(org_id, org.uid, data, people)


def set_people(db: Database, org_id: int, people: Sequence[tuple[int, str]]) -> Changes:
    """The organization's people become exactly (contact id, role) × `people`."""
    with db.transaction() as session:
        get_or_raise(session, Organization, org_id)
        current = session.exec(
            select(Affiliation).where(Affiliation.organization_id == org_id)
        ).all()
        touched = {a.contact_id for a in current} | {cid for cid, _r in people}
        for affiliation in current:
            session.delete(affiliation)
        session.flush()
        for contact_id, role in dict.fromkeys(people):
            session.add(Affiliation(organization_id=org_id, contact_id=contact_id, role=role))
    changes = Changes(organizations=frozenset({org_id}), contacts=frozenset(touched))
    return changes


def delete_organization(db: Database, org_id: int) -> Changes:
    with db.transaction() as session:
        org = get_or_raise(session, Organization, org_id)
        people = session.exec(
            select(Affiliation.contact_id).where(Affiliation.organization_id == org_id)
        ).all()
        session.delete(org)
    changes = Changes(organizations=frozenset({org_id}), contacts=frozenset(people))
    return changes
