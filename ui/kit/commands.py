"""Undoable writes (contacts, communities, organizations, events) for the main window's
QUndoStack.

Each command's `apply` and `revert` run on the database worker (`ui.kit.jobs`). The worker runs
jobs one at a time, in order, so an undo always runs after the write it undoes, and what a
write learns (a snapshot, a new id) is stored on the command by the job itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from cmplanner.bus import Changes, Written
from cmplanner.i18n import _, ngettext
from cmplanner.model import EventCreate, VenueCreate
from cmplanner.model.enums import kind_label
from cmplanner.services import communities as community_service
from cmplanner.services import contacts as contact_service
from cmplanner.services import duplicates as duplicate_service
from cmplanner.services import event_extras as extras_service
from cmplanner.services import event_records, named_records, vocabulary
from cmplanner.services import events as event_service
from cmplanner.services import guests as guest_service
from cmplanner.services import organizations as organization_service
from cmplanner.services import tasks as task_service
from cmplanner.services.communities import CommunityData
from cmplanner.services.contact_data import ContactData, OrganizationData
from cmplanner.services.event_extras import EventExtras
from cmplanner.services.tasks import TaskData
from cmplanner.storage import Database
from ui.kit import errors
from ui.kit.announce import announce
from ui.kit.jobs import run_in_background


class ServiceCommand(QUndoCommand):
    """A write and its exact reverse, both run in the background.

    A write that fails (a contact deleted meanwhile, a name taken) changed nothing: its
    error is shown and it leaves the undo stack, so Undo never tries to reverse it."""

    def __init__(self, db: Database, text: str) -> None:
        super().__init__(text)
        self.db = db
        self.on_done: Callable[[ServiceCommand], None] | None = None
        self.stack: QUndoStack | None = None  # set by ui.kit.undo.UndoStack.push

    def apply(self) -> Changes:
        """The write, on the worker; its Changes are published by the job runner."""
        raise NotImplementedError

    def revert(self) -> Changes:
        raise NotImplementedError

    def redo(self) -> None:
        run_in_background(
            self.apply,
            on_success=self._done,
            on_failure=self._failed,
            label=self.text(),
            must_finish=True,
        )

    def undo(self) -> None:
        label = _("Undoing: {what}").format(what=self.text())
        run_in_background(
            self.revert,
            on_success=lambda _result: self._announce(_("Undone: {what}")),
            on_failure=self._failed,
            label=label,
            must_finish=True,
        )

    def _done(self, _result: Any) -> None:
        self._announce(_("Done: {what}"))
        if self.on_done is not None:
            self.on_done(self)

    def _announce(self, text: str) -> None:
        """Tell a screen reader the write went through (from the stack's window)."""
        window = self.stack.parent() if self.stack is not None else None
        announce(window if isinstance(window, QWidget) else None, text.format(what=self.text()))

    def _failed(self, exc: BaseException) -> None:
        # Obsolete: QUndoStack drops it instead of undoing (or redoing) it. When the job ran
        # in the background the command is already on the stack: take it off at once.
        self.setObsolete(True)
        stack = self.stack
        if stack is not None and stack.index() > 0 and stack.command(stack.index() - 1) is self:
            stack.undo()
        errors.report(exc)

    def created_id(self) -> int | None:
        """The id of the record this command created (None: it created none)."""
        return None


class EditContact(ServiceCommand):
    def __init__(self, db: Database, contact_id: int, old: ContactData, new: ContactData) -> None:
        super().__init__(db, _("Edit {name}").format(name=new.display_name))
        self.contact_id, self.old, self.new = contact_id, old, new

    def apply(self) -> Changes:
        return contact_service.update_contact(self.db, self.contact_id, self.new)

    def revert(self) -> Changes:
        return contact_service.update_contact(self.db, self.contact_id, self.old)


class CreateContact(ServiceCommand):
    """Undo deletes the new contact; redo brings it back with the same id."""

    def __init__(self, db: Database, data: ContactData) -> None:
        super().__init__(db, _("Add {name}").format(name=data.display_name))
        self.data = data
        self.contact_id: int | None = None
        self._snapshot: Any = None

    def apply(self) -> Changes:
        if self._snapshot is not None:
            return contact_service.restore_contacts(self.db, self._snapshot)
        self.contact_id, changes = contact_service.create_contact(self.db, self.data)
        return changes

    def revert(self) -> Changes:
        assert self.contact_id is not None
        self._snapshot, changes = contact_service.delete_contacts(self.db, [self.contact_id])
        return changes

    def created_id(self) -> int | None:
        return self.contact_id


class DeleteContacts(ServiceCommand):
    def __init__(self, db: Database, contact_ids: Sequence[int], name: str = "") -> None:
        n = len(contact_ids)
        text = (
            _("Delete {name}").format(name=name)
            if n == 1 and name
            else ngettext("Delete {n} contact", "Delete {n} contacts", n).format(n=n)
        )
        super().__init__(db, text)
        self.contact_ids = list(contact_ids)
        self._snapshot: Any = None

    def apply(self) -> Changes:
        self._snapshot, changes = contact_service.delete_contacts(self.db, self.contact_ids)
        return changes

    def revert(self) -> Changes:
        return contact_service.restore_contacts(self.db, self._snapshot)


class MergeContacts(ServiceCommand):
    def __init__(self, db: Database, keep_id: int, other_id: int, name: str = "") -> None:
        super().__init__(db, _("Merge into {name}").format(name=name or f"#{keep_id}"))
        self.keep_id, self.other_id = keep_id, other_id
        self._snapshot: Any = None

    def apply(self) -> Changes:
        self._snapshot, changes = contact_service.merge_contacts(
            self.db, self.keep_id, self.other_id
        )
        return changes

    def revert(self) -> Changes:
        return contact_service.restore_contacts(self.db, self._snapshot)


class NotADuplicate(ServiceCommand):
    """Two contacts are different people: the duplicates list stops pairing them."""

    def __init__(self, db: Database, first: int, second: int, names: str = "") -> None:
        super().__init__(db, _("Not a duplicate: {names}").format(names=names))
        self.first, self.second = first, second

    def apply(self) -> Changes:
        return duplicate_service.set_not_the_same(self.db, self.first, self.second)

    def revert(self) -> Changes:
        return duplicate_service.set_not_the_same(self.db, self.first, self.second, apart=False)


class TagContacts(ServiceCommand):
    """Undo removes the tag only from the contacts that did not have it before."""

    def __init__(self, db: Database, contact_ids: Sequence[int], tag: str) -> None:
        n = len(contact_ids)
        super().__init__(
            db,
            ngettext("Tag {n} contact “{tag}”", "Tag {n} contacts “{tag}”", n).format(
                n=n, tag=tag.strip()
            ),
        )
        self.contact_ids, self.tag = list(contact_ids), tag.strip()
        self._added: list[int] = []

    def apply(self) -> Changes:
        had = vocabulary.tagged(self.db, self.tag, self.contact_ids)
        self._added = [cid for cid in self.contact_ids if cid not in had]
        return contact_service.tag_contacts(self.db, self._added, self.tag)

    def revert(self) -> Changes:
        tag_id = vocabulary.tag_id(self.db, self.tag)
        if tag_id is not None and self._added:
            return contact_service.untag_contacts(self.db, self._added, tag_id)
        return Changes()


class AddMembers(ServiceCommand):
    """Undo removes only the memberships this command created."""

    def __init__(
        self,
        db: Database,
        community_id: int,
        community_name: str,
        contact_ids: Sequence[int],
        role: str = "member",
    ) -> None:
        n = len(contact_ids)
        super().__init__(
            db,
            ngettext("Add {n} contact to {community}", "Add {n} contacts to {community}", n).format(
                n=n, community=community_name
            ),
        )
        self.community_id, self.role = community_id, role
        self.contact_ids = list(contact_ids)
        self._added: list[int] = []

    def apply(self) -> Changes:
        had = vocabulary.members(self.db, self.community_id, self.contact_ids, self.role)
        self._added = [cid for cid in self.contact_ids if cid not in had]
        if self._added:
            return contact_service.add_members(self.db, self.community_id, self._added, self.role)
        return Changes()

    def revert(self) -> Changes:
        if self._added:
            return contact_service.remove_members(
                self.db, self.community_id, self._added, self.role
            )
        return Changes()


Memberships = Sequence[tuple[int, str]]  # (contact id, role)


class EditCommunity(ServiceCommand):
    """The community's fields and its members (by role) become the new ones."""

    def __init__(
        self,
        db: Database,
        community_id: int | None,
        old: CommunityData | None,
        new: CommunityData,
        old_members: Memberships,
        new_members: Memberships,
    ) -> None:
        text = _("Edit {name}") if community_id is not None else _("Add {name}")
        super().__init__(db, text.format(name=new.name))
        self.community_id, self.old, self.new = community_id, old, new
        self.old_members, self.new_members = set(old_members), set(new_members)
        self._created = community_id is None
        self._joined: dict[tuple[int, str], dt.date | None] = {}  # of the members it removed

    def _set_members(self, have: set[tuple[int, str]], want: set[tuple[int, str]]) -> Changes:
        assert self.community_id is not None
        changes = Changes()
        for contact_id, role in sorted(have - want):
            joined = contact_service.join_dates(self.db, self.community_id, [contact_id], role)
            self._joined[(contact_id, role)] = joined.get(contact_id)
            changes |= contact_service.remove_members(
                self.db, self.community_id, [contact_id], role
            )
        for contact_id, role in sorted(want - have):
            dates = {contact_id: self._joined.get((contact_id, role))}
            changes |= contact_service.add_members(
                self.db, self.community_id, [contact_id], role, dates
            )
        return changes

    def apply(self) -> Changes:
        if self.community_id is None:
            self.community_id, changes = community_service.create_community(self.db, self.new)
        else:
            changes = community_service.update_community(self.db, self.community_id, self.new)
        return changes | self._set_members(self.old_members, self.new_members)

    def revert(self) -> Changes:
        assert self.community_id is not None
        changes = self._set_members(self.new_members, self.old_members)
        if self._created:
            changes |= community_service.delete_community(self.db, self.community_id)
            self.community_id = None
        elif self.old is not None:
            changes |= community_service.update_community(self.db, self.community_id, self.old)
        return changes

    def created_id(self) -> int | None:
        return self.community_id if self._created else None


class EditOrganization(ServiceCommand):
    """The organization's fields and people (with roles) become the new ones."""

    def __init__(
        self,
        db: Database,
        org_id: int | None,
        old: OrganizationData | None,
        new: OrganizationData,
        old_people: Memberships,
        new_people: Memberships,
    ) -> None:
        text = _("Edit {name}") if org_id is not None else _("Add {name}")
        super().__init__(db, text.format(name=new.name))
        self.org_id, self.old, self.new = org_id, old, new
        self.old_people, self.new_people = list(old_people), list(new_people)
        self._created = org_id is None

    def apply(self) -> Changes:
        if self.org_id is None:
            self.org_id, changes = organization_service.create_organization(self.db, self.new)
        else:
            changes = organization_service.update_organization(self.db, self.org_id, self.new)
        return changes | organization_service.set_people(self.db, self.org_id, self.new_people)

    def revert(self) -> Changes:
        assert self.org_id is not None
        if self._created:
            changes = organization_service.delete_organization(self.db, self.org_id)
            self.org_id = None
            return changes
        changes = organization_service.set_people(self.db, self.org_id, self.old_people)
        if self.old is not None:
            changes |= organization_service.update_organization(self.db, self.org_id, self.old)
        return changes

    def created_id(self) -> int | None:
        return self.org_id if self._created else None


class AddInteraction(ServiceCommand):
    """Undo puts the contact back exactly as before: without the interaction, and with the
    `last_seen` it had (an in-person meeting moves it forward)."""

    def __init__(self, db: Database, contact_id: int, name: str, values: dict[str, Any]) -> None:
        super().__init__(db, _("Add an interaction with {name}").format(name=name))
        self.contact_id, self.values = contact_id, values
        self._before: Any = None

    def apply(self) -> Changes:
        from cmplanner.services import snapshots

        self._before = snapshots.take(self.db, [self.contact_id])
        return contact_service.log_interaction(self.db, self.contact_id, **self.values)

    def revert(self) -> Changes:
        return contact_service.restore_contacts(self.db, self._before)


class SetTasksDone(ServiceCommand):
    """Undo gives each task back the state it had (`was`: task id → done)."""

    def __init__(self, db: Database, was: dict[int, bool], done: bool) -> None:
        n = len(was)
        text = (
            ngettext("Mark {n} task done", "Mark {n} tasks done", n)
            if done
            else ngettext("Mark {n} task not done", "Mark {n} tasks not done", n)
        )
        super().__init__(db, text.format(n=n))
        self.was, self.done = dict(was), done

    def apply(self) -> Changes:
        changes = Changes()
        for task_id in self.was:
            changes |= task_service.set_done(self.db, task_id, self.done)
        return changes

    def revert(self) -> Changes:
        changes = Changes()
        for task_id, done in self.was.items():
            changes |= task_service.set_done(self.db, task_id, done)
        return changes


class AddTask(ServiceCommand):
    def __init__(self, db: Database, data: TaskData) -> None:
        super().__init__(db, _("Add the task “{title}”").format(title=data.title.strip()))
        self.data = data
        self.task_id: int | None = None

    def apply(self) -> Changes:
        self.task_id, changes = task_service.add_task(self.db, self.data)
        return changes

    def revert(self) -> Changes:
        if self.task_id is None:
            return Changes()
        changes = task_service.delete_task(self.db, self.task_id)
        self.task_id = None
        return changes

    def created_id(self) -> int | None:
        return self.task_id


class EditTask(ServiceCommand):
    def __init__(self, db: Database, task_id: int, old: TaskData, new: TaskData) -> None:
        super().__init__(db, _("Edit the task “{title}”").format(title=new.title.strip()))
        self.task_id, self.old, self.new = task_id, old, new

    def apply(self) -> Changes:
        return task_service.update_task(self.db, self.task_id, self.new)

    def revert(self) -> Changes:
        return task_service.update_task(self.db, self.task_id, self.old)


class RemoveTasks(ServiceCommand):
    """Undo puts the tasks back as they were, with their ids (and ticks)."""

    def __init__(self, db: Database, task_ids: list[int], title: str = "") -> None:
        n = len(task_ids)
        text = (
            _("Remove the task “{title}”").format(title=title)
            if n == 1 and title
            else ngettext("Remove {n} task", "Remove {n} tasks", n).format(n=n)
        )
        super().__init__(db, text)
        self.task_ids = list(task_ids)
        self._states: task_service.TaskStates = []

    def apply(self) -> Changes:
        self._states = task_service.task_states(self.db, self.task_ids)
        return task_service.delete_tasks(self.db, self.task_ids)

    def revert(self) -> Changes:
        return task_service.restore_tasks(self.db, self._states)


class ApplyTemplate(ServiceCommand):
    """Add a kind's checklist template to an event (or one date of a series); undo removes
    the tasks it added."""

    def __init__(
        self, db: Database, event_id: int, kind: str, occurrence: dt.datetime | None = None
    ) -> None:
        super().__init__(db, _("Apply the checklist of “{kind}”").format(kind=kind_label(kind)))
        self.event_id, self.kind, self.occurrence = event_id, kind, occurrence
        self.added: frozenset[int] = frozenset()

    def apply(self) -> Changes:
        changes = task_service.apply_template(self.db, self.event_id, self.occurrence, self.kind)
        self.added = changes.tasks
        return changes

    def revert(self) -> Changes:
        if self.added:
            return task_service.delete_tasks(self.db, sorted(self.added))
        return Changes()


class SaveEvent(ServiceCommand):
    """Create or edit an event with its budget, partners and core team (and first create the
    new venue it is at, if any); a new event then invites `guests` ((contact id, role)).

    Undo of an edit writes the previous fields and extras back; undo of a creation deletes
    the event (with its extras and guests), and redo restores it with the same id. A venue
    created here stays: it is a place people can choose again, not part of the event."""

    def __init__(
        self,
        db: Database,
        event_id: int | None,
        old: EventCreate | None,
        new: EventCreate,
        venue: VenueCreate | None = None,
        extras: EventExtras | None = None,
        old_extras: EventExtras | None = None,
        guests: Sequence[tuple[int, str]] = (),
    ) -> None:
        text = _("Edit {title}") if event_id is not None else _("Add {title}")
        super().__init__(db, text.format(title=new.title))
        self.event_id, self.old, self.new, self.venue = event_id, old, new, venue
        self.extras, self.old_extras = extras, old_extras
        self.guests = list(guests)
        self.venue_id: int | None = None
        self._snapshot: event_records.EventSnapshot | None = None

    def _data(self) -> tuple[EventCreate, Changes]:
        if self.venue is not None and self.venue_id is None:
            self.venue_id, changes = event_records.create_venue(self.db, self.venue)
        else:
            changes = Changes()
        if self.venue_id is None:
            return self.new, changes
        return self.new.model_copy(update={"venue_id": self.venue_id}), changes

    def apply(self) -> Changes:
        if self.extras is not None:
            extras_service.check_extras(self.extras)  # refuse before writing anything
        if self._snapshot is not None:
            changes = event_records.restore_event(self.db, self._snapshot)
            self._snapshot = None
            return changes
        data, changes = self._data()
        if self.old is None and self.event_id is None:
            read, created = event_service.create_event(self.db, data)
            changes |= created
            self.event_id = read.id
            if self.extras is not None:
                changes |= extras_service.replace_extras(self.db, self.event_id, self.extras)
            return changes | self._invite()
        assert self.event_id is not None
        if self.extras is not None and self.old_extras is None:
            # What to give back on undo, as it is now (ids included).
            self.old_extras = extras_service.read_extras(self.db, self.event_id)
        changes |= event_service.update_event(self.db, self.event_id, data)
        if self.extras is not None:
            changes |= extras_service.replace_extras(self.db, self.event_id, self.extras)
        return changes

    def _invite(self) -> Changes:
        assert self.event_id is not None
        by_role: dict[str, list[int]] = {}
        for contact_id, role in self.guests:
            by_role.setdefault(role, []).append(contact_id)
        changes = Changes()
        for role, contact_ids in by_role.items():
            changes |= guest_service.add_guests(self.db, self.event_id, contact_ids, role)
        return changes

    def revert(self) -> Changes:
        assert self.event_id is not None
        if self.old is None:
            self._snapshot, changes = event_records.delete_event(self.db, self.event_id)
            return changes
        changes = event_service.update_event(self.db, self.event_id, self.old)
        if self.extras is not None and self.old_extras is not None:
            changes |= extras_service.replace_extras(self.db, self.event_id, self.old_extras)
        return changes

    def created_id(self) -> int | None:
        return self.event_id if self.old is None else None


class DeleteEvents(ServiceCommand):
    """Undo puts each event back exactly, with its guests, tasks and occurrences."""

    def __init__(self, db: Database, event_ids: Sequence[int]) -> None:
        n = len(event_ids)
        super().__init__(db, ngettext("Delete {n} event", "Delete {n} events", n).format(n=n))
        self.event_ids = list(event_ids)
        self._snapshots: list[Any] = []

    def apply(self) -> Changes:
        changes = Changes()
        self._snapshots = []
        for event_id in self.event_ids:
            snapshot, deleted = event_records.delete_event(self.db, event_id)
            self._snapshots.append(snapshot)
            changes |= deleted
        return changes

    def revert(self) -> Changes:
        changes = Changes()
        for snapshot in reversed(self._snapshots):
            changes |= event_records.restore_event(self.db, snapshot)
        return changes


class NamedRecordWrite(ServiceCommand):
    """A rename, merge or delete of an organization, community, tag or venue. Undo puts
    back exactly what it changed (ids included: contacts and events find theirs again)."""

    def __init__(self, db: Database, text: str, kind: str) -> None:
        super().__init__(db, text)
        self.kind = kind
        self._snapshot: named_records.Snapshot | None = None

    def write(self) -> Written[named_records.Snapshot]:
        raise NotImplementedError

    def apply(self) -> Changes:
        self._snapshot, changes = self.write()
        return changes

    def revert(self) -> Changes:
        if self._snapshot is None:
            return Changes()
        changes = named_records.restore(self.db, self._snapshot)
        self._snapshot = None
        return changes


class RenameRecord(NamedRecordWrite):
    def __init__(self, db: Database, kind: str, record_id: int, old: str, new: str) -> None:
        super().__init__(db, _("Rename “{old}” to “{new}”").format(old=old, new=new), kind)
        self.record_id, self.new = record_id, new

    def write(self) -> Written[named_records.Snapshot]:
        return named_records.rename(self.db, self.kind, self.record_id, self.new)


class MergeRecords(NamedRecordWrite):
    def __init__(
        self, db: Database, kind: str, source: int, source_name: str, target: int, target_name: str
    ) -> None:
        text = _("Merge “{source}” into “{target}”").format(source=source_name, target=target_name)
        super().__init__(db, text, kind)
        self.source, self.target = source, target

    def write(self) -> Written[named_records.Snapshot]:
        return named_records.merge(self.db, self.kind, self.source, self.target)


class DeleteRecord(NamedRecordWrite):
    def __init__(self, db: Database, kind: str, record_id: int, name: str) -> None:
        super().__init__(db, _("Delete “{name}”").format(name=name), kind)
        self.record_id = record_id

    def write(self) -> Written[named_records.Snapshot]:
        return named_records.delete(self.db, self.kind, self.record_id)
