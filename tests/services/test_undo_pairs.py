"""The snapshot/restore pairs undo is built on (ui.kit.undo.SnapshotCommand): what a
snapshot notes before a write, restore puts back."""

from __future__ import annotations

import datetime as dt

from cmplanner.model import EventCreate
from cmplanner.services import (
    communities,
    contacts,
    duplicates,
    event_records,
    events,
    named_records,
    organizations,
    vocabulary,
    work_log,
)
from cmplanner.services.communities import CommunityData
from cmplanner.services.contact_data import ContactData, OrganizationData
from cmplanner.services.event_extras import EventExtras, read_extras
from cmplanner.storage import Database
from tests.rows import dump


def _people(db: Database, n: int) -> list[int]:
    return [contacts.create_contact(db, ContactData(given_name=f"P{i}"))[0] for i in range(n)]


def test_tag_state_takes_the_tag_off_only_those_it_was_put_on(empty_db: Database) -> None:
    a, b, c = _people(empty_db, 3)
    contacts.tag_contacts(empty_db, [a], "VIP")
    state = contacts.tag_state(empty_db, [a, b, c], " VIP ")
    assert state.had == {a}
    contacts.tag_contacts(empty_db, [a, b, c], "VIP")
    contacts.restore_tag_state(empty_db, state)
    assert vocabulary.tagged(empty_db, "VIP", [a, b, c]) == {a}


def test_membership_state_removes_only_the_new_memberships(empty_db: Database) -> None:
    a, b = _people(empty_db, 2)
    cid, _ = communities.create_community(empty_db, CommunityData(name="Lyon"))
    contacts.add_members(empty_db, cid, [a], "ambassador", {a: dt.date(2024, 1, 2)})
    before = dump(empty_db)
    state = contacts.membership_state(empty_db, cid, [a, b], "ambassador")
    contacts.add_members(empty_db, cid, [a, b], "ambassador")
    contacts.restore_membership_state(empty_db, state)
    assert dump(empty_db) == before


def test_snapshot_contacts_then_restore_is_exact(demo_db: Database) -> None:
    contact_id = contacts.create_contact(demo_db, ContactData(given_name="Ngozi"))[0]
    before = dump(demo_db)
    snapshot = contacts.snapshot_contacts(demo_db, [contact_id])
    card = contacts.get_contact(demo_db, contact_id).data
    contacts.update_contact(demo_db, contact_id, ContactData(**{**card.__dict__, "notes": "x"}))
    contacts.restore_contacts(demo_db, snapshot)
    assert dump(demo_db) == before


def test_are_apart(empty_db: Database) -> None:
    a, b = _people(empty_db, 2)
    assert not duplicates.are_apart(empty_db, a, b)
    duplicates.set_not_the_same(empty_db, b, a)
    assert duplicates.are_apart(empty_db, a, b)


def test_take_a_community_then_restore_gives_back_fields_and_members(empty_db: Database) -> None:
    a, b, c = _people(empty_db, 3)
    cid, _ = communities.create_community(empty_db, CommunityData(name="Lyon"))
    communities.change_members(empty_db, cid, (), [(a, "member"), (b, "sponsor")])
    before = dump(empty_db)
    snapshot = named_records.take(empty_db, "community", cid)
    communities.update_community(empty_db, cid, CommunityData(name="Lyon 2", objective="Grow"))
    communities.change_members(empty_db, cid, [(a, "member")], [(c, "member"), (b, "sponsor")])
    assert {m.contact_id for m in communities.get_community(empty_db, cid).members} == {b, c}
    named_records.restore(empty_db, snapshot)
    assert dump(empty_db) == before


def test_take_an_organization_then_restore(empty_db: Database) -> None:
    a, b = _people(empty_db, 2)
    oid, _ = organizations.create_organization(empty_db, OrganizationData(name="Fab lab"))
    organizations.set_people(empty_db, oid, [(a, "Treasurer")])
    before = dump(empty_db)
    snapshot = named_records.take(empty_db, "organization", oid)
    organizations.update_organization(empty_db, oid, OrganizationData(name="Fab lab", notes="x"))
    organizations.set_people(empty_db, oid, [(b, "Chair")])
    named_records.restore(empty_db, snapshot)
    assert dump(empty_db) == before


def test_change_members_keeps_what_it_was_not_told_about(empty_db: Database) -> None:
    a, b = _people(empty_db, 2)
    cid, _ = communities.create_community(empty_db, CommunityData(name="Lyon"))
    contacts.add_members(empty_db, cid, [a], "member", {a: dt.date(2024, 1, 2)})
    changes = communities.change_members(empty_db, cid, [], [(a, "member"), (b, "member")])
    assert changes.contacts == {a, b} and changes.communities == {cid}
    members = {m.contact_id: m.joined_on for m in communities.get_community(empty_db, cid).members}
    assert members[a] == dt.date(2024, 1, 2)  # already there: untouched
    assert set(members) == {a, b}


def test_take_edit_then_restore_edit_writes_the_fields_back(demo_db: Database) -> None:
    start = dt.datetime(2026, 9, 1, 18, 0)
    data = EventCreate(title="Meetup", start_local=start, end_local=start + dt.timedelta(hours=2))
    event_id = events.create_event(demo_db, data)[0].id
    edit = event_records.take_edit(demo_db, event_id)
    assert edit.extras == read_extras(demo_db, event_id)
    events.update_event(demo_db, event_id, data.model_copy(update={"title": "Renamed"}))
    event_records.restore_edit(demo_db, edit)
    assert event_records.get_event_form(demo_db, event_id).data == edit.data
    assert event_records.take_edit(demo_db, event_id, extras=False).extras is None
    assert isinstance(edit.extras, EventExtras)


def test_get_debrief(demo_db: Database) -> None:
    start = dt.datetime(2026, 9, 1, 18, 0)
    data = EventCreate(title="Meetup", start_local=start, end_local=start + dt.timedelta(hours=2))
    event_id = events.create_event(demo_db, data)[0].id
    assert events.get_debrief(demo_db, event_id) == ""
    events.set_debrief(demo_db, event_id, " Went well ")
    assert events.get_debrief(demo_db, event_id) == "Went well"


def test_work_row_then_restore_work_brings_the_entry_back(empty_db: Database) -> None:
    entry, _ = work_log.add_work(empty_db, work_log.WorkData(dt.date(2026, 11, 3), 45))
    before = dump(empty_db)
    row = work_log.work_row(empty_db, entry)
    work_log.delete_work(empty_db, entry)
    assert work_log.restore_work(empty_db, row).work_entries == {entry}
    assert dump(empty_db) == before
