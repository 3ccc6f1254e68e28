"""A membership's join date survives editing the contact, undo and merge (the dashboard's "new
members per month" and "never seen since joining" are computed from it)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from cmplanner.services import contacts
from cmplanner.services.contact_data import ContactData, Labelled, MembershipData
from cmplanner.storage import Database

JOINED = dt.date(2025, 3, 14)


def _joined(db: Database, contact_id: int) -> dict[tuple[int, str], str | None]:
    with db.read() as con:
        return {
            (int(c), str(r)): j
            for c, r, j in con.execute(
                "SELECT community_id, role, joined_on FROM community_member WHERE contact_id = ?",
                (contact_id,),
            )
        }


def _member(db: Database, given: str, community: str, role: str = "member") -> tuple[int, int]:
    """A contact in `community` since JOINED; (contact id, community id)."""
    data = ContactData(
        given_name=given,
        communities=(MembershipData(community, role, None, JOINED),),
    )
    contact_id, _changes = contacts.create_contact(db, data)
    [(community_id, _role)] = _joined(db, contact_id)
    return contact_id, community_id


def test_a_new_membership_joins_today_or_on_its_own_date(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    contact_id, apero = _member(empty_db, "Léa", "Apéros")
    assert _joined(empty_db, contact_id) == {(apero, "member"): "2025-03-14"}
    card = contacts.get_details(empty_db, contact_id).data
    assert card.communities[0].joined_on == JOINED
    newcomer = dataclasses.replace(
        card, communities=(*card.communities, MembershipData("Testeurs"))
    )
    contacts.update_contact(empty_db, contact_id, newcomer)
    dates = sorted(_joined(empty_db, contact_id).values())
    assert dates == ["2025-03-14", frozen_clock.date().isoformat()]


def test_editing_the_contact_keeps_the_join_dates(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    contact_id, apero = _member(empty_db, "Léa", "Apéros", "ambassador")
    card = contacts.get_details(empty_db, contact_id).data
    # The editor sends the memberships it shows, without their dates, and a new phone.
    edited = dataclasses.replace(
        card,
        phones=(Labelled("+33 6 12 34 56 78"),),
        communities=(MembershipData("Apéros", "ambassador", apero),),
    )
    contacts.update_contact(empty_db, contact_id, edited)
    assert _joined(empty_db, contact_id) == {(apero, "ambassador"): "2025-03-14"}


def test_undoing_a_removed_membership_brings_its_date_back(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    contact_id, apero = _member(empty_db, "Léa", "Apéros")
    before = contacts.get_details(empty_db, contact_id).data
    contacts.update_contact(
        empty_db, contact_id, dataclasses.replace(before, communities=())
    )  # removed
    assert _joined(empty_db, contact_id) == {}
    contacts.update_contact(empty_db, contact_id, before)  # what undo does
    assert _joined(empty_db, contact_id) == {(apero, "member"): "2025-03-14"}


def test_add_members_with_their_dates(empty_db: Database, frozen_clock: dt.datetime) -> None:
    contact_id, apero = _member(empty_db, "Léa", "Apéros")
    other, _changes = contacts.create_contact(empty_db, ContactData(given_name="Noé"))
    contacts.add_members(empty_db, apero, [other], "core_team", {other: dt.date(2024, 1, 2)})
    contacts.add_members(empty_db, apero, [contact_id], "core_team")
    assert contacts.join_dates(empty_db, apero, [contact_id, other], "core_team") == {
        other: dt.date(2024, 1, 2),
        contact_id: frozen_clock.date(),
    }
    assert contacts.join_dates(empty_db, apero, [], "member") == {}


def test_a_merge_keeps_the_earlier_join_date(empty_db: Database, frozen_clock: dt.datetime) -> None:
    keep, apero = _member(empty_db, "Léa", "Apéros")
    other, _changes = contacts.create_contact(
        empty_db,
        ContactData(
            given_name="Léa",
            communities=(
                MembershipData("Apéros", "member", apero, dt.date(2024, 6, 1)),
                MembershipData("Apéros", "ambassador", apero, dt.date(2025, 9, 9)),
            ),
        ),
    )
    contacts.merge_contacts(empty_db, keep, other)
    assert _joined(empty_db, keep) == {
        (apero, "member"): "2024-06-01",  # the other's, earlier than 2025-03-14
        (apero, "ambassador"): "2025-09-09",  # only the other had it
    }
