"""Writing an import plan: a backup ("before-import"), then ONE transaction with bulk inserts.
Returns an `IcsImportReport` carrying its `Changes` (the caller publishes them).

- an ATTENDEE whose e-mail no contact has becomes a new contact (name from CN);
- re-importing updates by UID; a file whose SEQUENCE is older than the database's does not
  overwrite the local event (``keep``, decided by the plan).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cmplanner import clock
from cmplanner.bus import Changes
from cmplanner.errors import explained
from cmplanner.i18n import _, ngettext
from cmplanner.interop.contacts.bulk import ContactWriter, plain_transaction
from cmplanner.interop.ics.parse import (
    IcsRefused,
    ImportedEvent,
    ImportedGuest,
    Skipped,
    Venue,
    parse_file,
)
from cmplanner.interop.ics.plan import ImportPlan, PlannedEvent, parse_options, plan_import
from cmplanner.services.contact_data import ContactData, Labelled
from cmplanner.storage.backup import create_backup
from cmplanner.storage.sql import in_chunks, sql_datetime, sql_instant
from cmplanner.timezones import local_to_utc

if TYPE_CHECKING:
    from cmplanner.services.contact_data import ContactData
    from cmplanner.storage import Database

Progress = Callable[[int, int], None]


@dataclass
class IcsImportReport:
    created: list[int] = field(default_factory=list)  # event ids
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)  # the database's copy was newer
    venues_created: list[str] = field(default_factory=list)
    contacts_created: list[str] = field(default_factory=list)  # "Name <e-mail>"
    communities_created: list[str] = field(default_factory=list)
    guests_added: int = 0
    warnings: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # skip_invalid: not imported
    backup: Path | None = None
    changes: Changes = field(default_factory=Changes)

    def summary(self) -> str:
        text = ngettext("Imported {n} event", "Imported {n} events", len(self.created)).format(
            n=len(self.created)
        )
        text += ", " + _("updated {n}, unchanged {unchanged}").format(
            n=len(self.updated), unchanged=len(self.unchanged)
        )
        if self.kept:
            text += ", " + ngettext(
                "{n} kept (newer here)", "{n} kept (newer here)", len(self.kept)
            ).format(n=len(self.kept))
        if self.guests_added:
            text += ", " + ngettext(
                "{n} guest added", "{n} guests added", self.guests_added
            ).format(n=self.guests_added)
        if self.contacts_created:
            text += ", " + ngettext(
                "{n} new contact", "{n} new contacts", len(self.contacts_created)
            ).format(n=len(self.contacts_created))
        if self.venues_created:
            text += ", " + ngettext(
                "{n} new venue", "{n} new venues", len(self.venues_created)
            ).format(n=len(self.venues_created))
        if self.communities_created:
            text += ", " + ngettext(
                "{n} new community", "{n} new communities", len(self.communities_created)
            ).format(n=len(self.communities_created))
        if self.warnings:
            text += ", " + ngettext("{n} warning", "{n} warnings", len(self.warnings)).format(
                n=len(self.warnings)
            )
        if self.skipped:
            text += ", " + ngettext(
                "{n} skipped (not readable)", "{n} skipped (not readable)", len(self.skipped)
            ).format(n=len(self.skipped))
        return text + "."

    @property
    def read_any(self) -> bool:
        """Whether any event of the file was read (created, updated, unchanged or kept)."""
        return bool(self.created or self.updated or self.unchanged or self.kept)

    def as_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "kept": self.kept,
            "venues_created": self.venues_created,
            "contacts_created": self.contacts_created,
            "communities_created": self.communities_created,
            "guests_added": self.guests_added,
            "warnings": [{"where": w, "warning": m} for w, m in self.warnings],
            "skipped": [
                {"line": k.line, "where": k.where, "reason": k.reason} for k in self.skipped
            ],
            "backup": str(self.backup) if self.backup else None,
        }


def import_file(
    db: Database,
    path: Path | str,
    *,
    backup: bool = True,
    progress: Progress | None = None,
    skip_invalid: bool = False,
) -> IcsImportReport:
    """Parse, plan and apply in one call (the CLI's and a dropped file's path)."""
    parsed = parse_file(path, skip_invalid=skip_invalid, **parse_options(db))
    return apply_import(db, plan_import(db, parsed), backup=backup, progress=progress)


def apply_import(
    db: Database,
    plan: ImportPlan,
    *,
    backup: bool = True,
    progress: Progress | None = None,
) -> IcsImportReport:
    """Write the plan: a backup first, then one transaction (all or nothing)."""
    report = IcsImportReport(warnings=list(plan.warnings), skipped=list(plan.skipped))
    for item in plan.items:
        if item.action == "unchanged" and item.event_id is not None:
            report.unchanged.append(item.event_id)
        elif item.action == "keep" and item.event_id is not None:
            report.kept.append(item.event_id)
    todo = [p for p in plan.items if p.action in ("create", "update")]
    if progress:
        progress(0, len(todo))
    if not todo:
        return report
    if backup:
        report.backup = create_backup(db.path, reason="before-import")

    try:
        with plain_transaction(db.path) as con:
            _Writer(con, report).write(todo, progress)
    except sqlite3.Error as exc:
        # A full disk or a read-only file is said as such; anything else, as the refusal.
        raise explained(exc, db.path) or IcsRefused(
            _("The calendar was not imported: the database refused it ({error}).").format(error=exc)
        ) from exc
    return report


class _Writer:
    def __init__(self, con: sqlite3.Connection, report: IcsImportReport) -> None:
        self.con = con
        self.report = report
        self.now = sql_instant(clock.utc_now())
        self.venues: dict[str, int] = {}
        self.contacts: dict[str, int] = {}
        self.communities: dict[str, int] = {}
        self.new_venues: set[int] = set()
        self.new_contacts: set[int] = set()
        self.new_communities: set[int] = set()

    def write(self, todo: list[PlannedEvent], progress: Progress | None) -> None:
        events = [p.event for p in todo if not p.occurrences_only]
        self._resolve_venues(events)
        self._resolve_contacts([p.event for p in todo])
        self._resolve_communities(events)
        (last,) = self.con.execute("SELECT coalesce(max(id), 0) FROM event").fetchone()
        next_id = int(last) + 1
        # The ids first; the rows are built as SQLite takes them (a big file's rows are
        # never all in memory).
        created: list[tuple[PlannedEvent, int]] = []
        updated: list[tuple[PlannedEvent, int]] = []
        # Messages about some occurrences, or a cancellation: only the stamp, the SEQUENCE and
        # the status change (the status is the stored one but for a cancellation).
        series: list[tuple[PlannedEvent, int]] = []
        ids: list[int] = []
        for item in todo:
            if item.occurrences_only:
                assert item.event_id is not None
                self.report.updated.append(item.event_id)
                ids.append(item.event_id)
                series.append((item, item.event_id))
                continue
            if item.action == "create":
                event_id = next_id
                next_id += 1
                self.report.created.append(event_id)
                created.append((item, event_id))
            else:
                assert item.event_id is not None
                event_id = item.event_id
                self.report.updated.append(event_id)
                updated.append((item, event_id))
            ids.append(event_id)
        self._run(
            (self._new_row(item.event, i) for item, i in created),
            (self._update_row(item, i) for item, i in updated),
            ((self.now, item.event.sequence, item.event.status, i) for item, i in series),
        )
        self._overrides(todo, ids)
        self._guests(todo, ids)
        if progress:
            progress(len(todo), len(todo))
        self.report.changes = Changes(
            events=frozenset(ids),
            venues=frozenset(self.new_venues),
            contacts=frozenset(self.new_contacts),
            communities=frozenset(self.new_communities),
        )

    def _columns(self, e: ImportedEvent) -> tuple[Any, ...]:
        """(venue id, community id, objective, start and end local, start and end in UTC)."""
        venue = e.venue_fields()
        venue_id = self.venues.get(venue.name.casefold()) if venue else None
        community_id = self.communities.get(e.community.casefold()) if e.community else None
        objective = e.objective if e.objective is not None or not e.ours else ""
        start_local, end_local = sql_datetime(e.start_local), sql_datetime(e.end_local)
        start_utc = sql_instant(local_to_utc(e.start_local, e.timezone))
        end_utc = sql_instant(local_to_utc(e.end_local, e.timezone))
        return venue_id, community_id, objective, start_local, end_local, start_utc, end_utc

    def _new_row(self, e: ImportedEvent, event_id: int) -> tuple[Any, ...]:
        venue_id, community_id, objective, start_local, end_local, start_utc, end_utc = (
            self._columns(e)
        )
        return (
            self.now, self.now, e.title, e.kind or "other", community_id, venue_id,
            start_local, end_local, e.timezone, int(e.all_day),
            e.rrule, e.status, e.capacity, objective or "", e.description,
            int(e.in_person is not False), e.url, event_id, e.uid, e.sequence,
            start_utc, end_utc, "",
        )  # fmt: skip

    def _update_row(self, item: PlannedEvent, event_id: int) -> tuple[Any, ...]:
        e = item.event
        venue_id, community_id, objective, start_local, end_local, start_utc, end_utc = (
            self._columns(e)
        )
        return (
            self.now, e.title, e.kind, e.status, venue_id, start_local,
            end_local, e.timezone, int(e.all_day), e.rrule, e.description,
            e.url, max(e.sequence, item.local_sequence or 0), start_utc, end_utc,
            objective,
            None if e.in_person is None else int(e.in_person),
            int(e.ours or e.capacity is not None), e.capacity,
            int(e.ours or e.community is not None), community_id,
            event_id,
        )  # fmt: skip

    def _run(
        self,
        rows: Iterable[tuple[Any, ...]],
        updates: Iterable[tuple[Any, ...]],
        series: Iterable[tuple[Any, ...]],
    ) -> None:
        run = self.con.executemany
        run(
            "INSERT INTO event (created_at, updated_at, title, kind, community_id, venue_id,"
            " start_local, end_local, timezone, all_day, rrule, status, capacity, objective,"
            " description, in_person, online_url, id, uid, sequence, start_utc, end_utc, debrief)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        run(
            "UPDATE event SET updated_at = ?, title = ?, kind = coalesce(?, kind), status = ?,"
            " venue_id = ?, start_local = ?, end_local = ?, timezone = ?, all_day = ?, rrule = ?,"
            " description = ?, online_url = ?, sequence = ?, start_utc = ?, end_utc = ?,"
            " objective = coalesce(?, objective), in_person = coalesce(?, in_person),"
            " capacity = CASE WHEN ? THEN ? ELSE capacity END,"
            " community_id = CASE WHEN ? THEN ? ELSE community_id END"
            " WHERE id = ?",
            updates,
        )
        run(
            "UPDATE event SET updated_at = ?, sequence = max(sequence, ?), status = ? WHERE id = ?",
            series,
        )

    def _resolve_venues(self, events: Sequence[ImportedEvent]) -> None:
        """Venues by name (case-insensitive): the first one with that name, else a new one
        with the file's address and GEO."""
        wanted: dict[str, tuple[Venue, ImportedEvent]] = {}
        for e in events:
            venue = e.venue_fields()
            if venue is not None:
                wanted.setdefault(venue.name.casefold(), (venue, e))
        for row_id, name in self.con.execute("SELECT min(id), name FROM venue GROUP BY name"):
            key = str(name).casefold()
            if key in wanted:
                self.venues.setdefault(key, int(row_id))
        for key, (venue, e) in wanted.items():
            if key in self.venues:
                continue
            cursor = self.con.execute(
                "INSERT INTO venue (created_at, updated_at, name, street, postal_code, city,"
                " country, capacity, access_notes, latitude, longitude)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)",
                (
                    self.now, self.now, venue.name, venue.street, venue.postal_code, venue.city,
                    venue.country, venue.access, e.latitude, e.longitude,
                ),
            )  # fmt: skip
            assert cursor.lastrowid is not None
            self.venues[key] = cursor.lastrowid
            self.new_venues.add(cursor.lastrowid)
            self.report.venues_created.append(venue.name)

    def _resolve_communities(self, events: Sequence[ImportedEvent]) -> None:
        """Communities by name (case-insensitive, beyond ASCII), a new one for a name no
        community has: our own export names the event's community (X-CMPLANNER-COMMUNITY)."""
        from cmplanner.interop.contacts.bulk import new_uid  # not the model's: no SQLAlchemy

        wanted = {e.community.casefold(): e.community for e in events if e.community}
        if not wanted:
            return
        for row_id, name in self.con.execute("SELECT id, name FROM community ORDER BY id"):
            self.communities.setdefault(str(name).casefold(), int(row_id))
        for key, name in wanted.items():
            if key in self.communities:
                continue
            cursor = self.con.execute(
                "INSERT INTO community (created_at, updated_at, name, objective,"
                " target_population, description, launch_date, pace_days, uid)"
                " VALUES (?, ?, ?, '', '', '', NULL, NULL, ?)",
                (self.now, self.now, name, new_uid()),
            )
            assert cursor.lastrowid is not None
            self.communities[key] = cursor.lastrowid
            self.new_communities.add(cursor.lastrowid)
            self.report.communities_created.append(name)

    def _resolve_contacts(self, events: Sequence[ImportedEvent]) -> None:
        wanted: dict[str, ImportedGuest] = {}
        for e in events:
            for g in e.guests:
                wanted.setdefault(g.email, g)
            for o in e.overrides:
                for g in o.guests:
                    wanted.setdefault(g.email, g)
        emails = list(wanted)
        for chunk, marks in in_chunks(emails):
            for contact_id, address in self.con.execute(
                "SELECT min(contact_id), lower(address) FROM contact_email"
                f" WHERE lower(address) IN ({marks}) GROUP BY lower(address)",
                chunk,
            ):
                self.contacts[str(address)] = int(contact_id)
        missing = [wanted[e] for e in emails if e not in self.contacts]
        if not missing:
            return
        new_ids = ContactWriter(self.con).insert([guest_card(g.name, g.email) for g in missing])
        for guest, contact_id in zip(missing, new_ids, strict=True):
            self.contacts[guest.email] = contact_id
            self.new_contacts.add(contact_id)
            label = f"{guest.name} <{guest.email}>" if guest.name else guest.email
            self.report.contacts_created.append(label)

    def _overrides(self, todo: list[PlannedEvent], ids: list[int]) -> None:
        # A series changed by messages for some of its dates keeps its other exceptions.
        updated = [
            i
            for p, i in zip(todo, ids, strict=True)
            if p.action == "update" and not p.occurrences_only
        ]
        keep: dict[int, set[str]] = {}
        rows: list[tuple[Any, ...]] = []
        for item, event_id in zip(todo, ids, strict=True):
            for o in item.event.overrides:
                rid = sql_datetime(o.recurrence_id)
                keep.setdefault(event_id, set()).add(str(rid))
                rows.append(
                    (
                        self.now, self.now, event_id, rid, int(o.cancelled),
                        sql_datetime(o.start_local), sql_datetime(o.end_local), o.status, o.title,
                    )
                )  # fmt: skip
        # A re-imported series: occurrences the file no longer skips or moves are back to
        # normal, unless a note was written on them here.
        for chunk, marks in in_chunks(updated):
            stale = [
                row_id
                for row_id, event_id, rid in self.con.execute(
                    "SELECT id, event_id, recurrence_id FROM occurrence_exception"
                    f" WHERE notes = '' AND event_id IN ({marks})",
                    chunk,
                )
                if str(rid) not in keep.get(int(event_id), set())
            ]
            self.con.executemany(
                "DELETE FROM occurrence_exception WHERE id = ?", [(r,) for r in stale]
            )
        self.con.executemany(
            "INSERT INTO occurrence_exception (created_at, updated_at, event_id, recurrence_id,"
            " cancelled, start_local, end_local, status, title, notes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '')"
            " ON CONFLICT (event_id, recurrence_id) DO UPDATE SET updated_at = excluded.updated_at,"
            " cancelled = excluded.cancelled, start_local = excluded.start_local,"
            " end_local = excluded.end_local, status = excluded.status, title = excluded.title",
            rows,
        )

    def _guests(self, todo: list[PlannedEvent], ids: list[int]) -> None:
        updated = [i for p, i in zip(todo, ids, strict=True) if p.action == "update"]
        existing: dict[tuple[int, int, str | None], tuple[int, str]] = {}
        for chunk, marks in in_chunks(updated):
            for row_id, event_id, contact_id, occurrence, rsvp in self.con.execute(
                "SELECT id, event_id, contact_id, occurrence, rsvp FROM invitation"
                f" WHERE contact_id IS NOT NULL AND event_id IN ({marks})",
                chunk,
            ):
                existing[(int(event_id), int(contact_id), occurrence)] = (int(row_id), str(rsvp))
        inserts: list[tuple[Any, ...]] = []
        changes: list[tuple[Any, ...]] = []
        touched_contacts: set[int] = set()
        for item, event_id in zip(todo, ids, strict=True):
            lists: list[tuple[str | None, Sequence[ImportedGuest]]] = []
            if not item.occurrences_only:  # else its guests are the database's own
                lists.append((None, item.event.guests))
            lists += [(sql_datetime(o.recurrence_id), o.guests) for o in item.event.overrides]
            for occurrence, guests in lists:
                for g in guests:
                    contact_id = self.contacts[g.email]
                    found = existing.get((event_id, contact_id, occurrence))
                    if found is None:
                        inserts.append(
                            (self.now, self.now, event_id, contact_id, occurrence, g.rsvp)
                        )
                        existing[(event_id, contact_id, occurrence)] = (0, g.rsvp)
                        touched_contacts.add(contact_id)
                        if occurrence is None:
                            self.report.guests_added += 1
                    elif found[1] != g.rsvp and g.rsvp != "needs-action" and found[0]:
                        changes.append((self.now, g.rsvp, found[0]))
                        touched_contacts.add(contact_id)
        self.con.executemany(
            "INSERT INTO invitation (created_at, updated_at, event_id, contact_id, occurrence,"
            " role, rsvp, plus_ones, waitlist_position, attended, checked_in_at, notes)"
            " VALUES (?, ?, ?, ?, ?, 'guest', ?, 0, NULL, NULL, NULL, '')",
            inserts,
        )
        self.con.executemany("UPDATE invitation SET updated_at = ?, rsvp = ? WHERE id = ?", changes)
        self.new_contacts |= touched_contacts


def guest_card(name: str, email: str) -> ContactData:
    """A new contact for an attendee nobody has the address of: their CN as given and family
    name (the first word, then the rest), else the address's local part as nickname."""
    given, _sep, family = name.partition(" ")
    return ContactData(
        given_name=given[:200],
        family_name=family[:200],
        nickname="" if name else email.split("@")[0][:200],
        emails=(Labelled(email),),
    )
