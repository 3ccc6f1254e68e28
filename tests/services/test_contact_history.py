"""Deleting and merging contacts keeps every piece of history, and both can be undone."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlmodel import select

from cmplanner.errors import ValidationError
from cmplanner.model import Commitment, Contact, Interaction, Invitation, Task
from cmplanner.services import contacts
from cmplanner.services.browse import CONTACTS
from cmplanner.services.contact_data import ContactData, Labelled
from cmplanner.storage import Database


def dump(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables a contact touches, to compare before and after."""
    con = sqlite3.connect(db.path)
    try:
        return {
            table: sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in (
                "contact", "contact_email", "contact_phone", "contact_address", "affiliation",
                "contact_tag", "community_member", "invitation", "interaction", "task",
                "commitment",
            )
        }  # fmt: skip
    finally:
        con.close()


def busiest_contacts(db: Database) -> tuple[int, int]:
    """Two contacts with invitations, interactions or tasks: a merge has work to do."""
    with db.session() as s:
        invited = [i.contact_id for i in s.exec(select(Invitation))]
        talked = {i.contact_id for i in s.exec(select(Interaction))}
        assigned = {t.assignee_id for t in s.exec(select(Task)) if t.assignee_id}
    ranked = sorted(
        set(invited), key=lambda c: (-(c in talked) - (c in assigned), -invited.count(c))
    )
    return ranked[0], ranked[1]


def test_delete_then_undo_restores_everything(demo_db: Database) -> None:
    before = dump(demo_db)
    victims = list(busiest_contacts(demo_db))
    snapshot, changes = contacts.delete_contacts(demo_db, victims)
    assert changes.contacts == frozenset(victims) and changes.invitations
    assert not set(victims) & set(CONTACTS.ids(demo_db))
    contacts.restore_contacts(demo_db, snapshot)
    assert dump(demo_db) == before


def test_merge_keeps_all_history(demo_db: Database) -> None:
    keep, other = busiest_contacts(demo_db)
    before_keep = contacts.get_details(demo_db, keep)
    before_other = contacts.get_details(demo_db, other)
    with demo_db.session() as s:
        invitations = len(
            s.exec(select(Invitation).where(Invitation.contact_id.in_([keep, other]))).all()
        )  # type: ignore[union-attr]
        interactions = len(
            s.exec(select(Interaction).where(Interaction.contact_id.in_([keep, other]))).all()
        )  # type: ignore[union-attr]

    contacts.merge_contacts(demo_db, keep, other)

    merged = contacts.get_details(demo_db, keep)
    emails = {e.value for e in merged.data.emails}
    assert {e.value for e in before_keep.data.emails + before_other.data.emails} <= emails
    phones = {p.value for p in merged.data.phones}
    assert {p.value for p in before_keep.data.phones + before_other.data.phones} <= phones
    roles = {(m.community, m.role) for m in merged.data.communities}
    assert {(m.community, m.role) for m in before_other.data.communities} <= roles
    assert len(merged.interactions) == interactions
    with demo_db.session() as s:
        assert s.get(Contact, other) is None
        kept = s.exec(select(Invitation).where(Invitation.contact_id == keep)).all()
        # Shared meetings collapse into one invitation, none is lost.
        assert 0 < len(kept) <= invitations
        assert not s.exec(select(Task).where(Task.assignee_id == other)).all()
        assert not s.exec(select(Commitment).where(Commitment.contact_id == other)).all()
    if before_other.last_seen and before_keep.last_seen:
        assert merged.last_seen == max(before_other.last_seen, before_keep.last_seen)


def test_merge_undo_restores_both(demo_db: Database) -> None:
    before = dump(demo_db)
    keep, other = busiest_contacts(demo_db)
    snapshot, _ = contacts.merge_contacts(demo_db, keep, other)
    contacts.restore_contacts(demo_db, snapshot)
    assert dump(demo_db) == before


def test_merge_with_itself_is_refused(demo_db: Database) -> None:
    keep, _other = busiest_contacts(demo_db)
    with pytest.raises(ValidationError):
        contacts.merge_contacts(demo_db, keep, keep)


def test_combine_fills_and_unions() -> None:
    a = ContactData(given_name="Léa", emails=(Labelled("lea@a.org"),), tags=("VIP",), notes="x")
    b = ContactData(
        given_name="Lea", family_name="Roux", emails=(Labelled("LEA@a.org"), Labelled("l@b.org")),
        tags=("vip", "presse"), notes="y", cadence_days=30,
    )  # fmt: skip
    c = contacts.combine(a, b)
    assert c.given_name == "Léa" and c.family_name == "Roux"
    assert [e.value for e in c.emails] == ["lea@a.org", "l@b.org"]
    assert c.tags == ("VIP", "presse")
    assert c.notes == "x\ny" and c.cadence_days == 30


def test_interaction_with_negative_duration_is_refused(empty_db: Database) -> None:
    contact_id, _ = contacts.create_contact(empty_db, ContactData(given_name="Zoé"))
    with pytest.raises(ValidationError):
        contacts.log_interaction(
            empty_db, contact_id, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), duration_minutes=-5
        )


def test_details_split_upcoming_and_past_meetings(
    demo_db: Database, frozen_clock: dt.datetime
) -> None:
    with demo_db.session() as s:
        regular = s.exec(
            select(Invitation.contact_id).where(Invitation.occurrence != None)  # noqa: E711
        ).first()
    assert regular is not None
    details = contacts.get_details(demo_db, regular)
    now_local = dt.datetime(2026, 11, 19, 18, 30)  # the frozen "now", in Paris
    assert details.past and all(p.start_local < now_local for p in details.past)
    assert all(u.start_local > now_local for u in details.upcoming)
    # Most recent first, so the editor shows the last meetings on top.
    assert [p.start_local for p in details.past] == sorted(
        (p.start_local for p in details.past), reverse=True
    )
