"""Undoable writes on contacts: each a service write and the contacts' snapshot/restore pair."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cmplanner.i18n import _, ngettext
from cmplanner.services import contacts as contact_service
from cmplanner.services import duplicates as duplicate_service
from cmplanner.services.contact_data import ContactData
from cmplanner.storage import Database
from ui.kit.undo import SnapshotCommand


class EditContact(SnapshotCommand[Any]):
    def __init__(self, db: Database, contact_id: int, old: ContactData, new: ContactData) -> None:
        super().__init__(
            db,
            _("Edit {name}").format(name=new.display_name),
            write=lambda: contact_service.update_contact(db, contact_id, new),
            snapshot=lambda: contact_service.snapshot_contacts(db, [contact_id]),
            restore=lambda snapshot: contact_service.restore_contacts(db, snapshot),
        )


class CreateContact(SnapshotCommand[Any]):
    """Undo deletes the new contact; redo brings it back with the same id."""

    def __init__(self, db: Database, data: ContactData) -> None:
        super().__init__(
            db,
            _("Add {name}").format(name=data.display_name),
            write=lambda: contact_service.create_contact(db, data),
            delete=lambda contact_id: contact_service.delete_contacts(db, [contact_id]),
            restore=lambda snapshot: contact_service.restore_contacts(db, snapshot),
        )

    @property
    def contact_id(self) -> int | None:
        return self.created_id()


class DeleteContacts(SnapshotCommand[Any]):
    def __init__(self, db: Database, contact_ids: Sequence[int], name: str = "") -> None:
        n = len(contact_ids)
        text = (
            _("Delete {name}").format(name=name)
            if n == 1 and name
            else ngettext("Delete {n} contact", "Delete {n} contacts", n).format(n=n)
        )
        ids = list(contact_ids)
        super().__init__(
            db,
            text,
            write=lambda: contact_service.delete_contacts(db, ids),
            restore=lambda snapshot: contact_service.restore_contacts(db, snapshot),
        )


class MergeContacts(SnapshotCommand[Any]):
    def __init__(self, db: Database, keep_id: int, other_id: int, name: str = "") -> None:
        super().__init__(
            db,
            _("Merge into {name}").format(name=name or f"#{keep_id}"),
            write=lambda: contact_service.merge_contacts(db, keep_id, other_id),
            restore=lambda snapshot: contact_service.restore_contacts(db, snapshot),
        )


class NotADuplicate(SnapshotCommand[bool]):
    """Two contacts are different people: the duplicates list stops pairing them."""

    def __init__(self, db: Database, first: int, second: int, names: str = "") -> None:
        super().__init__(
            db,
            _("Not a duplicate: {names}").format(names=names),
            write=lambda: duplicate_service.set_not_the_same(db, first, second),
            snapshot=lambda: duplicate_service.are_apart(db, first, second),
            restore=lambda apart: duplicate_service.set_not_the_same(db, first, second, apart),
        )


class TagContacts(SnapshotCommand[contact_service.TagState]):
    """Undo removes the tag only from the contacts that did not have it before."""

    def __init__(self, db: Database, contact_ids: Sequence[int], tag: str) -> None:
        n = len(contact_ids)
        text = ngettext("Tag {n} contact “{tag}”", "Tag {n} contacts “{tag}”", n)
        ids, tag = list(contact_ids), tag.strip()
        super().__init__(
            db,
            text.format(n=n, tag=tag),
            write=lambda: contact_service.tag_contacts(db, ids, tag),
            snapshot=lambda: contact_service.tag_state(db, ids, tag),
            restore=lambda state: contact_service.restore_tag_state(db, state),
        )


class AddInteraction(SnapshotCommand[Any]):
    """Undo puts the contact back exactly as before: without the interaction, and with the
    `last_seen` it had (an in-person meeting moves it forward)."""

    def __init__(self, db: Database, contact_id: int, name: str, values: dict[str, Any]) -> None:
        super().__init__(
            db,
            _("Add an interaction with {name}").format(name=name),
            write=lambda: contact_service.log_interaction(db, contact_id, **values),
            snapshot=lambda: contact_service.snapshot_contacts(db, [contact_id]),
            restore=lambda snapshot: contact_service.restore_contacts(db, snapshot),
        )
