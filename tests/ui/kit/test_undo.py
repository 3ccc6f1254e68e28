"""The generic undo command: a write, undone by its feature's snapshot/restore pair, puts
the database back exactly, however often one undoes and redoes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest

from cmplanner.bus import Changes
from cmplanner.errors import NotFound
from cmplanner.services import contacts as contact_service
from cmplanner.services.communities import CommunityData
from cmplanner.services.contact_data import ContactData, OrganizationData
from cmplanner.services.tasks import TaskData
from cmplanner.storage import Database
from tests.rows import dump
from ui.kit.undo import ServiceCommand, SnapshotCommand, UndoStack


def _ids(db: Database, sql: str) -> list[int]:
    with db.read() as con:
        return [int(r[0]) for r in con.execute(sql)]


@pytest.fixture(autouse=True)
def errors_raise(monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that fails shows no dialog here: the test sees the error."""

    def report(exc: BaseException) -> None:
        raise exc

    monkeypatch.setattr("ui.kit.errors.report", report)


@pytest.fixture
def stack(qapp: Any) -> Iterator[UndoStack]:
    undo_stack = UndoStack()
    yield undo_stack
    undo_stack.clear()


def _round_trip(db: Database, stack: UndoStack, command: ServiceCommand) -> None:
    """Do, undo, redo, undo, redo: each undo gives back the rows as they were before, each
    redo the rows as the first write left them (ids included)."""
    dump_now = partial(dump, db)
    before = dump_now()
    stack.push(command)
    after = dump_now()
    assert after != before, "the write changed nothing"
    for _ in range(2):
        stack.undo()
        assert dump_now() == before
        stack.redo()
        assert dump_now() == after
    stack.undo()
    assert dump_now() == before


def test_a_write_with_its_snapshot_pair(demo_db: Database, stack: UndoStack) -> None:
    contact_id = _ids(demo_db, "SELECT min(id) FROM contact")[0]
    card = contact_service.get_contact(demo_db, contact_id).data
    edited = ContactData(**{**card.__dict__, "notes": "Met at the fair", "cadence_days": 30})
    command: SnapshotCommand[Any] = SnapshotCommand(
        demo_db,
        "Edit",
        write=lambda: contact_service.update_contact(demo_db, contact_id, edited),
        snapshot=lambda: contact_service.snapshot_contacts(demo_db, [contact_id]),
        restore=lambda snapshot: contact_service.restore_contacts(demo_db, snapshot),
    )
    _round_trip(demo_db, stack, command)


def test_a_write_that_returns_its_own_snapshot(demo_db: Database, stack: UndoStack) -> None:
    ids = _ids(demo_db, "SELECT id FROM contact ORDER BY id LIMIT 3")
    command: SnapshotCommand[Any] = SnapshotCommand(
        demo_db,
        "Delete",
        write=lambda: contact_service.delete_contacts(demo_db, ids),
        restore=lambda snapshot: contact_service.restore_contacts(demo_db, snapshot),
    )
    _round_trip(demo_db, stack, command)


def test_a_creation_comes_back_with_the_same_id(demo_db: Database, stack: UndoStack) -> None:
    command: SnapshotCommand[Any] = SnapshotCommand(
        demo_db,
        "Add",
        write=lambda: contact_service.create_contact(demo_db, ContactData(given_name="Ngozi")),
        delete=lambda created: contact_service.delete_contacts(demo_db, [created]),
        restore=lambda snapshot: contact_service.restore_contacts(demo_db, snapshot),
    )
    _round_trip(demo_db, stack, command)
    assert command.created_id() is not None
    assert command.created_id() == max(_ids(demo_db, "SELECT id FROM contact")) + 1


def test_what_the_write_returned_and_changed_is_kept(demo_db: Database, stack: UndoStack) -> None:
    command: SnapshotCommand[Any] = SnapshotCommand(
        demo_db,
        "Add",
        write=lambda: contact_service.create_contact(demo_db, ContactData(given_name="Ngozi")),
        delete=lambda created: contact_service.delete_contacts(demo_db, [created]),
        restore=lambda snapshot: contact_service.restore_contacts(demo_db, snapshot),
    )
    stack.push(command)
    new_id = command.created_id()
    assert command.result == (new_id, Changes(contacts=frozenset({new_id})))
    assert command.changes == Changes(contacts=frozenset({new_id}))


def test_a_snapshot_may_be_none(demo_db: Database, stack: UndoStack) -> None:
    """None is a snapshot like any other (no override, no value): undo still restores it."""
    was: list[Any] = []
    state: dict[str, Any] = {"value": None}

    def write() -> Changes:
        state["value"] = "new"
        return Changes()

    command: SnapshotCommand[Any] = SnapshotCommand(
        demo_db,
        "Set",
        write=write,
        snapshot=lambda: state["value"],
        restore=lambda value: was.append(value) or state.update(value=value),
    )
    stack.push(command)
    stack.undo()
    assert was == [None] and state["value"] is None


def test_a_write_that_fails_leaves_the_stack_and_the_database_as_they_were(
    demo_db: Database, stack: UndoStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    reported: list[BaseException] = []
    monkeypatch.setattr("ui.kit.errors.report", reported.append)
    before = dump(demo_db)
    stack.push(
        SnapshotCommand(
            demo_db,
            "Delete",
            write=lambda: contact_service.merge_contacts(demo_db, 1, 999_999),
            restore=lambda snapshot: contact_service.restore_contacts(demo_db, snapshot),
        )
    )
    assert [type(e) for e in reported] == [NotFound]
    assert stack.count() == 0 and dump(demo_db) == before


# --- every feature's commands, each round trip exact -----------------------------------------


def _contact(db: Database) -> int:
    return _ids(db, "SELECT min(id) FROM contact")[0]


def _two_contacts(db: Database) -> list[int]:
    return _ids(db, "SELECT id FROM contact ORDER BY id LIMIT 2")


def _community(db: Database) -> int:
    return _ids(db, "SELECT min(id) FROM community")[0]


def _organization(db: Database) -> int:
    return _ids(db, "SELECT min(id) FROM organization")[0]


def _event(db: Database) -> int:
    return _ids(db, "SELECT min(id) FROM event WHERE rrule IS NULL OR rrule = ''")[0]


def _edit_contact(db: Database) -> ServiceCommand:
    from ui.contacts.commands import EditContact

    cid = _contact(db)
    old = contact_service.get_contact(db, cid).data
    new = ContactData(**{**old.__dict__, "notes": "Prefers phone calls", "cadence_days": 20})
    return EditContact(db, cid, old, new)


def _create_contact(db: Database) -> ServiceCommand:
    from ui.contacts.commands import CreateContact

    return CreateContact(db, ContactData(given_name="Ngozi", family_name="Okafor"))


def _delete_contacts(db: Database) -> ServiceCommand:
    from ui.contacts.commands import DeleteContacts

    return DeleteContacts(db, _ids(db, "SELECT id FROM contact ORDER BY id LIMIT 5"))


def _merge_contacts(db: Database) -> ServiceCommand:
    from ui.contacts.commands import MergeContacts

    keep, other = _two_contacts(db)
    return MergeContacts(db, keep, other, "A")


def _not_a_duplicate(db: Database) -> ServiceCommand:
    from ui.contacts.commands import NotADuplicate

    first, second = _two_contacts(db)
    return NotADuplicate(db, first, second, "A / B")


def _tag_contacts(db: Database) -> ServiceCommand:
    from ui.contacts.commands import TagContacts

    tagged = _ids(db, "SELECT min(contact_id) FROM contact_tag")
    tag = _ids(db, f"SELECT min(tag_id) FROM contact_tag WHERE contact_id = {tagged[0]}")[0]
    with db.read() as con:
        name = str(con.execute("SELECT name FROM tag WHERE id = ?", (tag,)).fetchone()[0])
    return TagContacts(db, [*tagged, *_ids(db, "SELECT id FROM contact ORDER BY id LIMIT 4")], name)


def _add_interaction(db: Database) -> ServiceCommand:
    from ui.contacts.commands import AddInteraction

    when = dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC)
    return AddInteraction(db, _contact(db), "A", {"occurred_at": when, "notes": "Coffee"})


def _add_members(db: Database) -> ServiceCommand:
    from ui.communities.commands import AddMembers

    ids = _ids(db, "SELECT id FROM contact ORDER BY id LIMIT 6")
    return AddMembers(db, _community(db), "C", ids, "ambassador")


def _edit_community(db: Database) -> ServiceCommand:
    from cmplanner.services import communities
    from ui.communities.commands import EditCommunity

    cid = _community(db)
    details = communities.get_community(db, cid)
    old = [(m.contact_id, m.role) for m in details.members]
    new = [*old[1:], (_contact(db), "sponsor")]
    data = CommunityData(**{**details.data.__dict__, "objective": "Grow"})
    return EditCommunity(db, cid, details.data, data, old, new)


def _create_community(db: Database) -> ServiceCommand:
    from ui.communities.commands import EditCommunity

    people = [(cid, "member") for cid in _two_contacts(db)]
    return EditCommunity(db, None, None, CommunityData(name="Night owls"), [], people)


def _edit_organization(db: Database) -> ServiceCommand:
    from cmplanner.services import organizations
    from ui.organizations.commands import EditOrganization

    oid = _organization(db)
    details = organizations.get_organization(db, oid)
    old = [(p.contact_id, p.role) for p in details.people]
    new = [*old[1:], (_contact(db), "Treasurer")]
    data = OrganizationData(**{**details.data.__dict__, "notes": "Pays late"})
    return EditOrganization(db, oid, details.data, data, old, new)


def _create_organization(db: Database) -> ServiceCommand:
    from ui.organizations.commands import EditOrganization

    people = [(cid, "Member") for cid in _two_contacts(db)]
    return EditOrganization(db, None, None, OrganizationData(name="Fab lab"), [], people)


def _add_commitment(db: Database) -> ServiceCommand:
    from ui.communities.commands import AddCommitment

    return AddCommitment(db, {"description": "Send the slides", "contact_id": _contact(db)})


def _set_commitment_status(db: Database) -> ServiceCommand:
    from ui.communities.commands import SetCommitmentStatus

    cid = _ids(db, "SELECT min(id) FROM commitment WHERE status = 'open'")[0]
    return SetCommitmentStatus(db, cid, "it", "kept")


def _add_task(db: Database) -> ServiceCommand:
    from ui.checklists.commands import AddTask

    return AddTask(db, TaskData(title="Book the room", event_id=_event(db)))


def _edit_task(db: Database) -> ServiceCommand:
    from cmplanner.services import tasks
    from ui.checklists.commands import EditTask

    event_id = _ids(db, "SELECT min(event_id) FROM task")[0]
    task = tasks.checklist(db, event_id)[0]
    tid, old = task.id, tasks.task_data(task)
    new = TaskData(**{**old.__dict__, "title": "Renamed"})
    return EditTask(db, tid, old, new)


def _set_tasks_done(db: Database) -> ServiceCommand:
    from ui.checklists.commands import SetTasksDone

    ids = _ids(db, "SELECT id FROM task WHERE done = 0 ORDER BY id LIMIT 3")
    return SetTasksDone(db, dict.fromkeys(ids, False), True)


def _remove_tasks(db: Database) -> ServiceCommand:
    from ui.checklists.commands import RemoveTasks

    return RemoveTasks(db, _ids(db, "SELECT id FROM task ORDER BY id LIMIT 3"))


def _apply_template(db: Database) -> ServiceCommand:
    from ui.checklists.commands import ApplyTemplate

    bare = "SELECT min(id) FROM event WHERE id NOT IN (SELECT event_id FROM task"
    bare += " WHERE event_id IS NOT NULL) AND (rrule IS NULL OR rrule = '')"
    return ApplyTemplate(db, _ids(db, bare)[0], "workshop")


def _delete_events(db: Database) -> ServiceCommand:
    from ui.events.commands import DeleteEvents

    return DeleteEvents(db, _ids(db, "SELECT id FROM event ORDER BY id LIMIT 2"))


def _create_event(db: Database) -> ServiceCommand:
    from cmplanner.model import EventCreate
    from ui.events.commands import SaveEvent

    start = dt.datetime(2026, 9, 1, 18, 0)
    data = EventCreate(
        title="Autumn meetup", start_local=start, end_local=start + dt.timedelta(hours=2)
    )
    return SaveEvent(db, None, None, data, guests=[(_contact(db), "guest")])


def _close_event(db: Database) -> ServiceCommand:
    from ui.events.commands import CloseEvent

    eid = _event(db)
    came = _ids(db, f"SELECT contact_id FROM invitation WHERE event_id = {eid} LIMIT 2")
    return CloseEvent(db, eid, "E", came)


def _set_debrief(db: Database) -> ServiceCommand:
    from ui.events.commands import SetDebrief

    return SetDebrief(db, _event(db), "E", "", "It went well")


def _add_work(db: Database) -> ServiceCommand:
    from ui.dashboard.commands import AddWork

    return AddWork(db, {"day": dt.date(2026, 5, 1), "minutes": 45, "notes": "Newsletter"})


def _add_guests(db: Database) -> ServiceCommand:
    from ui.events.guest_commands import AddGuests

    return AddGuests(db, _event(db), _ids(db, "SELECT id FROM contact ORDER BY id DESC LIMIT 3"))


def _remove_guests(db: Database) -> ServiceCommand:
    from ui.events.guest_commands import RemoveGuests

    eid = _event(db)
    return RemoveGuests(db, eid, _ids(db, f"SELECT id FROM invitation WHERE event_id = {eid}"))


def _set_answers(db: Database) -> ServiceCommand:
    from ui.events.guest_commands import SetAnswers

    eid = _ids(db, "SELECT event_id FROM invitation GROUP BY event_id HAVING count(*) > 2")[0]
    ids = _ids(db, f"SELECT id FROM invitation WHERE event_id = {eid} ORDER BY id LIMIT 3")
    return SetAnswers(db, eid, ids, "declined")


def _rename_record(db: Database) -> ServiceCommand:
    from ui.kit.named_records import RenameRecord

    return RenameRecord(db, "community", _community(db), "C", "Renamed")


def _delete_record(db: Database) -> ServiceCommand:
    from ui.kit.named_records import DeleteRecord

    return DeleteRecord(db, "organization", _organization(db), "O")


COMMANDS: dict[str, Callable[[Database], ServiceCommand]] = {
    f.__name__.lstrip("_"): f
    for f in (
        _edit_contact,
        _create_contact,
        _delete_contacts,
        _merge_contacts,
        _tag_contacts,
        _add_interaction,
        _add_members,
        _edit_community,
        _create_community,
        _edit_organization,
        _create_organization,
        _add_commitment,
        _set_commitment_status,
        _add_task,
        _edit_task,
        _set_tasks_done,
        _remove_tasks,
        _apply_template,
        _delete_events,
        _create_event,
        _close_event,
        _set_debrief,
        _add_work,
        _add_guests,
        _remove_guests,
        _set_answers,
        _rename_record,
        _delete_record,
    )
}


@pytest.mark.parametrize("name", COMMANDS)
def test_each_feature_command_round_trip_is_exact(
    demo_db: Database, stack: UndoStack, name: str
) -> None:
    _round_trip(demo_db, stack, COMMANDS[name](demo_db))


def test_not_a_duplicate_undone_pairs_them_again(demo_db: Database, stack: UndoStack) -> None:
    """Not exact to the row: the setting that holds the pairs set aside stays (emptied)."""
    from cmplanner.services import duplicates

    first, second = _two_contacts(demo_db)
    stack.push(_not_a_duplicate(demo_db))
    assert duplicates.are_apart(demo_db, first, second)
    stack.undo()
    assert not duplicates.are_apart(demo_db, first, second)
    stack.redo()
    assert duplicates.are_apart(demo_db, first, second)
    stack.undo()
    assert not duplicates.are_apart(demo_db, first, second)
