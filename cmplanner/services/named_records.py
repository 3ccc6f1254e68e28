"""Organizations, communities, tags and venues: the names people pick from lists. Each can be
renamed, merged into another (everything that pointed at it moves over) or deleted, and each
of these writes returns a `Snapshot` that puts back exactly what it changed (undo).

What points at each kind is listed in `KINDS`; a test checks the list against the database's
foreign keys, so a new table that refers to one of them cannot be forgotten by a merge.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cmplanner import clock
from cmplanner.bus import Changes, Written
from cmplanner.errors import NotFound, ValidationError
from cmplanner.i18n import N_, _, babel_locale, ngettext
from cmplanner.model.matching import fold
from cmplanner.storage import Database
from cmplanner.storage.sql import missing, sql_instant

Row = dict[str, Any]


@dataclass(frozen=True)
class Reference:
    """A column that points at a named record. `one_per`: the columns with which it makes a
    row unique (a contact is in a community once per role): when both records of a merge
    have such a row, the target's stays and the source's goes. `counts`: what a row of it
    stands for in "used by…" (a contact, an event…) and how to count them."""

    table: str
    column: str
    counts: str  # a Usage field
    count_sql: str = "count(*)"
    one_per: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    table: str
    changes: str  # the Changes field of this kind
    references: tuple[Reference, ...]
    no_name: str  # msgid
    after_delete: str  # msgid: what becomes of what used a deleted one


KINDS: dict[str, Kind] = {
    "organization": Kind(
        "organization",
        "organizations",
        (
            Reference(
                "affiliation",
                "organization_id",
                "contacts",
                "count(DISTINCT contact_id)",
                ("contact_id", "role"),
            ),
            Reference(
                "event_partner",
                "organization_id",
                "events",
                "count(DISTINCT event_id)",
                ("event_id",),
            ),
        ),
        N_("An organization needs a name."),
        N_("Its people and events stay; they are no longer linked to this organization."),
    ),
    "community": Kind(
        "community",
        "communities",
        (
            Reference(
                "community_member",
                "community_id",
                "contacts",
                "count(DISTINCT contact_id)",
                ("contact_id", "role"),
            ),
            Reference("event", "community_id", "events"),
            Reference("commitment", "community_id", "promises"),
            Reference("work_entry", "community_id", "work_entries"),
        ),
        N_("A community needs a name."),
        N_(
            "Its members, events, promises and logged work stay; they are no longer linked to"
            " this community."
        ),
    ),
    "tag": Kind(
        "tag",
        "tags",
        (Reference("contact_tag", "tag_id", "contacts", "count(*)", ("contact_id",)),),
        N_("A tag needs a name."),
        N_("The contacts stay; they no longer carry this tag."),
    ),
    "venue": Kind(
        "venue",
        "venues",
        (Reference("event", "venue_id", "events"),),
        N_("A venue needs a name."),
        N_("The events stay, with no venue."),
    ),
}


@dataclass(frozen=True)
class Usage:
    """How many records point at a named record, by what they are."""

    contacts: int = 0
    events: int = 0
    promises: int = 0
    work_entries: int = 0

    def __bool__(self) -> bool:
        return any((self.contacts, self.events, self.promises, self.work_entries))

    def what(self) -> str:
        """ "12 contacts and 3 events" ("" when nothing uses it)."""
        # imported on use, not at the top: keeps it off the start-up path
        from babel.lists import format_list

        parts = [
            text.format(n=n)
            for n, text in (
                (self.contacts, ngettext("{n} contact", "{n} contacts", self.contacts)),
                (self.events, ngettext("{n} event", "{n} events", self.events)),
                (self.promises, ngettext("{n} promise", "{n} promises", self.promises)),
                (
                    self.work_entries,
                    ngettext(
                        "{n} entry of logged work", "{n} entries of logged work", self.work_entries
                    ),
                ),
            )
            if n
        ]
        return format_list(parts, locale=babel_locale()) if parts else ""

    def text(self) -> str:
        """ "12 contacts and 3 events use it." """
        total = self.contacts + self.events + self.promises + self.work_entries
        if not total:
            return _("Nothing uses it.")
        return ngettext("{what} uses it.", "{what} use it.", total).format(what=self.what())


@dataclass(frozen=True)
class NamedRecord:
    id: int
    name: str
    usage: Usage


class NameTaken(ValidationError):
    """Another record of the kind already has that name (or one a person would call so)."""

    def __init__(self, message: str, existing_id: int, existing_name: str) -> None:
        super().__init__(message)
        self.existing_id = existing_id
        self.existing_name = existing_name


@dataclass(frozen=True)
class Snapshot:
    """Rows as they were before a write: what `restore` puts back. `rows` holds, per table
    and in the order to restore them, each row's key and the columns the write changed (all
    of them for a row it deleted)."""

    kind: str
    rows: dict[str, list[Row]] = field(default_factory=dict)
    changes: Changes = field(default_factory=Changes)
    # Rows the write made (keys): a tag moved to another is a new (contact, tag) row.
    created: dict[str, list[Row]] = field(default_factory=dict)
    # Rows that `restore` clears first (table → the column and value they match): the rows a
    # record owns, put back as they were whatever was added meanwhile (`take`).
    owned: dict[str, tuple[str, int]] = field(default_factory=dict)


def _kind(kind: str) -> Kind:
    found = KINDS.get(kind)
    if found is None:
        raise ValueError(f"not a named record kind: {kind}")
    return found


def _keys(con: Any, table: str) -> list[str]:
    """The primary key columns of a table."""
    info = con.exec_driver_sql(f'PRAGMA table_info("{table}")').fetchall()
    return [str(r[1]) for r in sorted(info, key=lambda r: r[5]) if r[5]]


def _rows(con: Any, sql: str, params: Sequence[Any] = ()) -> list[Row]:
    return [dict(r._mapping) for r in con.exec_driver_sql(sql, tuple(params))]


def _record(con: Any, kind: Kind, record_id: int) -> Row:
    found = _rows(con, f"SELECT * FROM {kind.table} WHERE id = ?", (record_id,))
    if not found:
        raise NotFound(missing(kind.table, record_id))
    return found[0]


def _touched(kind: Kind, ids: set[int], rows: dict[str, list[Row]]) -> Changes:
    """What views must refresh after rows of these tables changed."""
    contacts: set[int] = set()
    events: set[int] = set()
    own: dict[str, set[int]] = {"commitment": set(), "work_entry": set()}
    for table, table_rows in rows.items():
        for row in table_rows:
            if row.get("contact_id") is not None:
                contacts.add(int(row["contact_id"]))
            if row.get("event_id") is not None:
                events.add(int(row["event_id"]))
            if table == "event":
                events.add(int(row["id"]))
            elif table in own:
                own[table].add(int(row["id"]))
    changes = Changes(
        contacts=frozenset(contacts),
        events=frozenset(events),
        commitments=frozenset(own["commitment"]),
        work_entries=frozenset(own["work_entry"]),
    )
    own_kind: dict[str, Any] = {kind.changes: frozenset(ids)}
    return dataclasses.replace(changes, **own_kind)


# --- reading --------------------------------------------------------------------------------


def records(db: Database, kind: str) -> tuple[NamedRecord, ...]:
    """Every record of a kind, by name, with what uses it."""
    spec = _kind(kind)
    counts: dict[int, dict[str, int]] = {}
    with db.read() as con:
        names = con.execute(
            f"SELECT id, name FROM {spec.table} ORDER BY name COLLATE NOCASE, id"
        ).fetchall()
        for ref in spec.references:
            for record_id, n in con.execute(
                f"SELECT {ref.column}, {ref.count_sql} FROM {ref.table}"
                f" WHERE {ref.column} IS NOT NULL GROUP BY {ref.column}"
            ):
                by_what = counts.setdefault(int(record_id), {})
                by_what[ref.counts] = by_what.get(ref.counts, 0) + int(n)
    found = [NamedRecord(int(i), str(n), Usage(**counts.get(int(i), {}))) for i, n in names]
    return tuple(sorted(found, key=lambda r: (fold(r.name), r.id)))


def usage(db: Database, kind: str, record_id: int) -> Usage:
    spec = _kind(kind)
    by_what: dict[str, int] = {}
    with db.read() as con:
        for ref in spec.references:
            row = con.execute(
                f"SELECT {ref.count_sql} FROM {ref.table} WHERE {ref.column} = ?", (record_id,)
            ).fetchone()
            by_what[ref.counts] = by_what.get(ref.counts, 0) + int(row[0])
    return Usage(**by_what)


def name_of(db: Database, kind: str, record_id: int) -> str:
    spec = _kind(kind)
    with db.read() as con:
        row = con.execute(f"SELECT name FROM {spec.table} WHERE id = ?", (record_id,)).fetchone()
    if row is None:
        raise NotFound(missing(spec.table, record_id))
    return str(row[0])


def same_name(
    db: Database, kind: str, name: str, record_id: int | None = None
) -> NamedRecord | None:
    """Another record of the kind that `name` names (case, accents and spaces aside)."""
    key = fold(name)
    for record in records(db, kind):
        if record.id != record_id and fold(record.name) == key:
            return record
    return None


# --- writing --------------------------------------------------------------------------------


def rename(db: Database, kind: str, record_id: int, name: str) -> Written[Snapshot]:
    """Give a record a new name; refused (`NameTaken`) when another record has it."""
    spec = _kind(kind)
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_(spec.no_name))
    taken = same_name(db, kind, name, record_id)
    if taken is not None:
        raise NameTaken(_("“{name}” already exists.").format(name=taken.name), taken.id, taken.name)
    with db.engine.begin() as con:
        old = _record(con, spec, record_id)
        before = {
            spec.table: [{"id": record_id, "name": old["name"], "updated_at": old["updated_at"]}]
        }
        con.exec_driver_sql(
            f"UPDATE {spec.table} SET name = ?, updated_at = ? WHERE id = ?",
            (name, sql_instant(clock.utc_now()), record_id),
        )
        pointing = _pointing(con, spec, record_id)
    changes = _touched(spec, {record_id}, pointing)
    return Written(Snapshot(kind, before, changes), changes)


def merge(db: Database, kind: str, source_id: int, target_id: int) -> Written[Snapshot]:
    """Everything that points at `source` points at `target` instead, then `source` goes. A
    row both had (a contact tagged with both tags, a member of both communities in the same
    role) is kept once, the target's, with the earlier join date."""
    spec = _kind(kind)
    if source_id == target_id:
        raise ValidationError(_("Merging into itself is not possible: choose another one."))
    before: dict[str, list[Row]] = {}
    created: dict[str, list[Row]] = {}
    with db.engine.begin() as con:
        source = _record(con, spec, source_id)
        _record(con, spec, target_id)
        moved: dict[str, list[Row]] = {}
        for ref in spec.references:
            keys = _keys(con, ref.table)
            for row in _rows(
                con, f"SELECT * FROM {ref.table} WHERE {ref.column} = ?", (source_id,)
            ):
                moved.setdefault(ref.table, []).append(row)
                key = {k: row[k] for k in keys}
                twin = _twin(con, ref, row, target_id)
                if twin is None and ref.column in keys:
                    # The column is part of the row's key: the row is another one now.
                    new = {**row, ref.column: target_id}
                    _delete(con, ref.table, key)
                    _insert(con, ref.table, new)
                    before.setdefault(ref.table, []).append(row)
                    created.setdefault(ref.table, []).append({k: new[k] for k in keys})
                    continue
                if twin is None:
                    before.setdefault(ref.table, []).append({**key, ref.column: source_id})
                    _update(con, ref.table, key, {ref.column: target_id})
                    continue
                # Both had it: the target's row stays, completed by the source's.
                kept = {k: twin[k] for k in keys}
                completed = _COMBINE.get(ref.table, _nothing)(twin, row)
                if completed:
                    before.setdefault(ref.table, []).append(
                        {**kept, **{c: twin[c] for c in completed}}
                    )
                    _update(con, ref.table, kept, completed)
                before.setdefault(ref.table, []).append(row)
                _delete(con, ref.table, key)
        con.exec_driver_sql(f"DELETE FROM {spec.table} WHERE id = ?", (source_id,))
    rows = {spec.table: [source], **before}
    changes = _touched(spec, {source_id, target_id}, moved)
    return Written(Snapshot(kind, rows, changes, created), changes)


def delete(db: Database, kind: str, record_id: int) -> Written[Snapshot]:
    """Delete a record. What pointed at it stays, without it: a contact loses the tag, an
    event its venue or community (the database's ON DELETE rules); undo puts it all back."""
    spec = _kind(kind)
    with db.engine.begin() as con:
        record = _record(con, spec, record_id)
        pointing = _pointing(con, spec, record_id)
        before: dict[str, list[Row]] = {spec.table: [record]}
        for ref in spec.references:
            keys = _keys(con, ref.table)
            for row in pointing.get(ref.table, []):
                if row[ref.column] != record_id:
                    continue
                if _on_delete(con, ref) == "CASCADE":
                    before.setdefault(ref.table, []).append(row)
                else:
                    before.setdefault(ref.table, []).append(
                        {**{k: row[k] for k in keys}, ref.column: record_id}
                    )
        con.exec_driver_sql(f"DELETE FROM {spec.table} WHERE id = ?", (record_id,))
    changes = _touched(spec, {record_id}, pointing)
    return Written(Snapshot(kind, before, changes), changes)


def take(db: Database, kind: str, record_id: int) -> Snapshot:
    """A record and the rows it owns (a community's members, an organization's people) as
    they are now: `restore` then gives it exactly these again (the undo of an edit)."""
    spec = _kind(kind)
    with db.engine.connect() as con:
        rows = {spec.table: [_record(con, spec, record_id)]}
        owned: dict[str, tuple[str, int]] = {}
        for ref in spec.references:
            if _on_delete(con, ref) == "CASCADE":
                owned[ref.table] = (ref.column, record_id)
                rows.setdefault(ref.table, []).extend(
                    _rows(con, f'SELECT * FROM "{ref.table}" WHERE "{ref.column}" = ?',
                          (record_id,))
                )  # fmt: skip
    return Snapshot(kind, rows, _touched(spec, {record_id}, rows), owned=owned)


def restore(db: Database, snapshot: Snapshot) -> Changes:
    """Put back the rows a rename, merge, delete or edit changed, exactly as they were (ids
    included): a row that is gone is inserted again, one that is there gets its old values."""
    with db.engine.begin() as con:
        for table, (column, value) in snapshot.owned.items():
            con.exec_driver_sql(f'DELETE FROM "{table}" WHERE "{column}" = ?', (value,))
        for table, keys_made in snapshot.created.items():
            for key in keys_made:
                _delete(con, table, key)
        for table, rows in snapshot.rows.items():
            keys = _keys(con, table)
            for row in rows:
                key = {k: row[k] for k in keys}
                where = " AND ".join(f'"{k}" = ?' for k in keys)
                there = con.exec_driver_sql(
                    f'SELECT 1 FROM "{table}" WHERE {where}', tuple(key.values())
                ).fetchone()
                if there:
                    _update(con, table, key, {c: v for c, v in row.items() if c not in key})
                else:
                    _insert(con, table, row)
    return snapshot.changes


# --- helpers --------------------------------------------------------------------------------


def _pointing(con: Any, kind: Kind, record_id: int) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for ref in kind.references:
        out.setdefault(ref.table, []).extend(
            _rows(con, f"SELECT * FROM {ref.table} WHERE {ref.column} = ?", (record_id,))
        )
    return out


def _on_delete(con: Any, ref: Reference) -> str:
    for fk in con.exec_driver_sql(f'PRAGMA foreign_key_list("{ref.table}")'):
        if fk[3] == ref.column:
            return str(fk[6]).upper()
    return "NO ACTION"


def _twin(con: Any, ref: Reference, row: Row, target_id: int) -> Row | None:
    """The target's row that is the same as `row` (same contact and role…), if any."""
    if not ref.one_per:
        return None
    where = " AND ".join(f'"{c}" IS ?' for c in ref.one_per)
    found = _rows(
        con,
        f'SELECT * FROM "{ref.table}" WHERE "{ref.column}" = ? AND {where} LIMIT 1',
        (target_id, *(row[c] for c in ref.one_per)),
    )
    return found[0] if found else None


def _update(con: Any, table: str, key: Row, values: Row) -> None:
    if not values:
        return
    sets = ", ".join(f'"{c}" = ?' for c in values)
    where = " AND ".join(f'"{k}" = ?' for k in key)
    con.exec_driver_sql(
        f'UPDATE "{table}" SET {sets} WHERE {where}', (*values.values(), *key.values())
    )


def _insert(con: Any, table: str, row: Row) -> None:
    names = ", ".join(f'"{c}"' for c in row)
    marks = ", ".join("?" * len(row))
    con.exec_driver_sql(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', tuple(row.values()))


def _delete(con: Any, table: str, key: Row) -> None:
    where = " AND ".join(f'"{k}" = ?' for k in key)
    con.exec_driver_sql(f'DELETE FROM "{table}" WHERE {where}', tuple(key.values()))


def _nothing(_kept: Row, _gone: Row) -> Row:
    return {}


def _earlier_join(kept: Row, gone: Row) -> Row:
    """A member of both communities: member since the earlier of the two dates."""
    if gone["joined_on"] is not None and (
        kept["joined_on"] is None or gone["joined_on"] < kept["joined_on"]
    ):
        return {"joined_on": gone["joined_on"]}
    return {}


def _both_obligations(kept: Row, gone: Row) -> Row:
    """A partner of the event twice: what was agreed with both."""
    theirs = (gone["obligations"] or "").strip()
    mine = (kept["obligations"] or "").strip()
    if theirs and theirs not in mine:
        return {"obligations": f"{mine}\n{theirs}".strip()}
    return {}


_COMBINE: dict[str, Callable[[Row, Row], Row]] = {
    "community_member": _earlier_join,
    "event_partner": _both_obligations,
}
