"""Communities: objective, target population, pace, and members by role."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from cmplanner import clock
from cmplanner.bus import Changes, Written
from cmplanner.errors import ValidationError
from cmplanner.i18n import _
from cmplanner.model import Community, CommunityMember, Contact
from cmplanner.model.enums import MemberRole
from cmplanner.services.contact_records import contact_names
from cmplanner.storage import Database
from cmplanner.storage.sql import get_or_raise


@dataclass(frozen=True)
class CommunityData:
    name: str
    objective: str = ""
    target_population: str = ""
    description: str = ""
    launch_date: dt.date | None = None
    pace_days: int | None = None


@dataclass(frozen=True)
class Member:
    contact_id: int
    name: str
    role: str
    joined_on: dt.date | None
    last_seen: dt.datetime | None


@dataclass(frozen=True)
class CommunityDetails:
    id: int
    uid: str
    data: CommunityData
    members: tuple[Member, ...]  # sorted by role (core team first), then name

    def by_role(self, role: str) -> list[Member]:
        return [m for m in self.members if m.role == role]


ROLE_ORDER = [r.value for r in (MemberRole.CORE_TEAM, MemberRole.AMBASSADOR, MemberRole.SPONSOR,
                                MemberRole.PARTNER, MemberRole.MEMBER)]  # fmt: skip


def _check(data: CommunityData) -> CommunityData:
    if not data.name.strip():
        raise ValidationError(_("A community needs a name."))
    if data.pace_days is not None and data.pace_days < 1:
        raise ValidationError(_("The target pace is a number of days (1 or more)."))
    return dataclasses.replace(data, name=data.name.strip())


def create_community(db: Database, data: CommunityData) -> Written[int]:
    data = _check(data)
    with db.transaction() as session:
        community_id = create_community_in(session, data)
    changes = Changes(communities=frozenset({community_id}))
    return Written(community_id, changes)


def create_community_in(session: Session, data: CommunityData) -> int:
    """`create_community` inside the caller's transaction; the new community's id."""
    community = Community(**dataclasses.asdict(_check(data)))
    session.add(community)
    session.flush()
    assert community.id is not None
    return community.id


def update_community(db: Database, community_id: int, data: CommunityData) -> Changes:
    data = _check(data)
    with db.transaction() as session:
        community = get_or_raise(session, Community, community_id)
        for name, value in dataclasses.asdict(data).items():
            setattr(community, name, value)
        community.updated_at = clock.utc_now()
        session.add(community)
    changes = Changes(communities=frozenset({community_id}))
    return changes


def change_members(
    db: Database,
    community_id: int,
    remove: Iterable[tuple[int, str]],
    add: Iterable[tuple[int, str]],
) -> Changes:
    """Take away the (contact id, role) memberships in `remove` and give those in `add` (from
    today): the community editor's changes, whatever else changed meanwhile."""
    gone, new = sorted(set(remove)), sorted(set(add))
    with db.transaction() as session:
        get_or_raise(session, Community, community_id)
        members = col(CommunityMember.community_id) == community_id
        for contact_id, role in gone:
            session.exec(
                delete(CommunityMember).where(
                    members,
                    col(CommunityMember.contact_id) == contact_id,
                    col(CommunityMember.role) == role,
                )
            )
        have = set(
            session.exec(
                select(CommunityMember.contact_id, CommunityMember.role).where(members)
            ).all()
        )
        for contact_id, role in new:
            if (contact_id, role) not in have:
                session.add(
                    CommunityMember(
                        community_id=community_id,
                        contact_id=contact_id,
                        role=role,
                        joined_on=clock.today(),
                    )
                )
    contacts = frozenset(cid for cid, _role in (*gone, *new))
    return Changes(communities=frozenset({community_id}), contacts=contacts)


def get_community(db: Database, community_id: int) -> CommunityDetails:
    with db.session() as session:
        community = get_or_raise(session, Community, community_id)
        rows = session.exec(
            select(CommunityMember, Contact)
            .join(Contact, col(Contact.id) == CommunityMember.contact_id)
            .where(CommunityMember.community_id == community_id)
        ).all()
        names = contact_names(session, [c.id or 0 for _m, c in rows])
        members = sorted(
            (
                Member(
                    c.id or 0,
                    names[c.id or 0],
                    m.role,
                    m.joined_on,
                    c.last_seen,
                )
                for m, c in rows
            ),
            key=lambda m: (
                ROLE_ORDER.index(m.role) if m.role in ROLE_ORDER else len(ROLE_ORDER),
                m.name.casefold(),
            ),
        )
        data = CommunityData(
            **{f.name: getattr(community, f.name) for f in dataclasses.fields(CommunityData)}
        )
        return CommunityDetails(community_id, community.uid, data, tuple(members))


def delete_community(db: Database, community_id: int) -> Changes:
    with db.transaction() as session:
        community = get_or_raise(session, Community, community_id)
        members = session.exec(
            select(CommunityMember.contact_id).where(CommunityMember.community_id == community_id)
        ).all()
        session.delete(community)
    changes = Changes(communities=frozenset({community_id}), contacts=frozenset(members))
    return changes
