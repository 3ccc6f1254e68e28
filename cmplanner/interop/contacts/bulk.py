"""New contacts written in bulk: what `services.contacts.insert_card` writes, row for row,
for thousands of cards at once (an import).

The ORM path costs a flush, a few look-ups and a search-index rebuild per child row; here
every table gets one `executemany` a batch, tags, organizations and communities are looked
up once, and the search index is paused for the batch (inside the transaction, so a rollback
un-pauses it) and then fills the batch's rows in one statement. The caller's transaction
holds it all: foreign keys are deferred to its commit, so a batch may write each contact's
e-mails, phones, addresses and links before the contact row. Ids are given in advance, as
SQLite would (one past the largest).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from cmplanner import clock
from cmplanner.model.matching import fold
from cmplanner.services.contact_data import ContactData
from cmplanner.storage import search_index
from cmplanner.storage.sql import in_chunks, sql_instant

# The columns (beyond name and timestamps) of a tag, organization or community made from a
# name alone, with the models' defaults; a test checks them against the ORM's rows.
_NEW_TAG: dict[str, Any] = {"color": ""}
_NEW_ORGANIZATION: dict[str, Any] = {
    "kind": "other",
    "website": "",
    "email": "",
    "phone": "",
    "street": "",
    "postal_code": "",
    "city": "",
    "country": "",
    "notes": "",
}
_NEW_COMMUNITY: dict[str, Any] = {
    "objective": "",
    "target_population": "",
    "description": "",
    "launch_date": None,
    "pace_days": None,
}


def new_uid() -> str:
    """As `cmplanner.model.new_uid` (not imported: the model needs SQLAlchemy)."""
    return str(uuid.uuid4())


@contextlib.contextmanager
def plain_transaction(path: Path) -> Iterator[sqlite3.Connection]:
    """One write transaction on a plain connection set up as the app's (foreign keys on,
    synchronous=FULL): committed when the block ends, rolled back on any exception. For an
    import of new contacts only, which then needs no ORM (nor its import time)."""
    con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("PRAGMA synchronous = FULL")
        con.execute("PRAGMA busy_timeout = 5000")
        # The search index's segments stay in memory while they are merged (2 MB otherwise).
        con.execute("PRAGMA cache_size = -32000")
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
            con.execute("COMMIT")  # deferred foreign keys are checked here
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
    finally:
        con.close()


# A batch's statements, table by table, in the order they run: a contact's rows before the
# contact row is fine, foreign keys being deferred to the commit.
_INSERTS = {
    "contact_email": "INSERT INTO contact_email (created_at, updated_at, contact_id, label,"
    " address, position) VALUES (?, ?, ?, ?, ?, ?)",
    "contact_phone": "INSERT INTO contact_phone (created_at, updated_at, contact_id, label,"
    " number, position) VALUES (?, ?, ?, ?, ?, ?)",
    "contact_address": "INSERT INTO contact_address (created_at, updated_at, contact_id, label,"
    " street, postal_code, city, region, country, position)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "affiliation": "INSERT INTO affiliation (created_at, updated_at, contact_id,"
    " organization_id, role, department) VALUES (?, ?, ?, ?, ?, ?)",
    "contact_tag": "INSERT INTO contact_tag (created_at, updated_at, contact_id, tag_id)"
    " VALUES (?, ?, ?, ?)",
    "community_member": "INSERT INTO community_member (created_at, updated_at, community_id,"
    " contact_id, role, joined_on) VALUES (?, ?, ?, ?, ?, ?)",
    "contact": "INSERT INTO contact (created_at, updated_at, given_name, family_name, nickname,"
    " name_prefix, name_suffix, formatted_name, birthday, anniversary,"
    " preferred_channel, language, notes, cadence_days, consent_date, consent_source,"
    " consent_scope, id, uid, photo, last_seen)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
}


class ContactWriter:
    """Writes new contacts inside the open transaction of `con`: a `plain_transaction`, or
    the connection of an ORM transaction (`session.connection()`), whose pending rows must
    be flushed before each `insert`. One commit or one rollback covers it all."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        if not con.in_transaction:
            con.execute("BEGIN IMMEDIATE")
        # Cleared by SQLite at COMMIT or ROLLBACK: it covers this transaction only.
        con.execute("PRAGMA defer_foreign_keys = ON")
        self._tags: dict[str, int] = {}
        self._organizations: dict[str, int] = {}
        self._communities: dict[str, int] = {}
        self._uids: set[str] = set()  # the UIDs this import has given out

    def insert(self, cards: Sequence[ContactData]) -> list[int]:
        """Insert validated cards as new contacts; their ids, in order."""
        if not cards:
            return []
        self._resolve(cards)
        now = sql_instant(clock.utc_now())
        today = clock.today()
        (last,) = self.con.execute("SELECT coalesce(max(id), 0) FROM contact").fetchone()
        ids = list(range(int(last) + 1, int(last) + 1 + len(cards)))
        taken = self._taken_uids(c.uid for c in cards if c.uid)
        rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in _INSERTS}
        for cid, card in zip(ids, cards, strict=True):
            self._child_rows(rows, cid, card, now, today)
            rows["contact"].append(self._contact_row(cid, card, now, taken))
        # Paused inside this transaction only: a rollback un-pauses it too.
        self.con.execute(search_index.PAUSE)
        for table, sql in _INSERTS.items():
            self.con.executemany(sql, rows[table])
        # The new contacts' search rows, in one statement; the triggers were paused above.
        self.con.execute(search_index.populate_range_sql(), (ids[0], ids[-1]))
        self.con.execute(search_index.RESUME)
        return ids

    def _child_rows(
        self,
        rows: dict[str, list[tuple[Any, ...]]],
        cid: int,
        card: ContactData,
        now: str,
        today: dt.date,
    ) -> None:
        """The card's e-mails, phones, addresses, affiliations, tags and memberships."""
        for n, email in enumerate(card.emails):
            rows["contact_email"].append((now, now, cid, email.label, email.value, n))
        for n, phone in enumerate(card.phones):
            rows["contact_phone"].append((now, now, cid, phone.label, phone.value, n))
        for n, a in enumerate(card.addresses):
            rows["contact_address"].append(
                (now, now, cid, a.label, a.street, a.postal_code, a.city, a.region, a.country, n)
            )
        for link in card.affiliations:
            org_id = link.organization_id
            if org_id is None:
                org_id = self._organizations[link.organization]
            rows["affiliation"].append((now, now, cid, org_id, link.role, link.department))
        for tag_id in dict.fromkeys(self._tags[name] for name in card.tags):
            rows["contact_tag"].append((now, now, cid, tag_id))
        seen: set[tuple[int, str]] = set()
        for m in card.communities:
            community_id = m.community_id
            if community_id is None:
                community_id = self._communities[m.community]
            key = (community_id, m.role or "member")
            if key not in seen:
                seen.add(key)
                joined = (m.joined_on or today).isoformat()  # as insert_card: joins today
                rows["community_member"].append((now, now, key[0], cid, key[1], joined))

    def _contact_row(
        self, cid: int, card: ContactData, now: str, taken: set[str]
    ) -> tuple[Any, ...]:
        uid = card.uid
        if not uid or uid in taken or uid in self._uids:
            uid = new_uid()  # none, or the same card twice: a new identity
        self._uids.add(uid)
        return (
            now,
            now,
            card.given_name,
            card.family_name,
            card.nickname,
            card.name_prefix,
            card.name_suffix,
            card.formatted_name,
            card.birthday,
            card.anniversary,
            card.preferred_channel,
            card.language,
            card.notes,
            card.cadence_days,
            card.consent_date.isoformat() if card.consent_date else None,
            card.consent_source,
            card.consent_scope,
            cid,
            uid,
            card.photo,
            None,
        )

    # -- tags, organizations, communities: looked up once, created like the ORM does --------

    def _resolve(self, cards: Sequence[ContactData]) -> None:
        # In the order insert_card meets them, so new ones get the ids it would give.
        orgs: dict[str, None] = {}
        tags: dict[str, None] = {}
        communities: dict[str, None] = {}
        for card in cards:
            orgs.update(
                (a.organization, None) for a in card.affiliations if a.organization_id is None
            )
            tags.update((t, None) for t in card.tags)
            communities.update(
                (m.community, None) for m in card.communities if m.community_id is None
            )
        now = sql_instant(clock.utc_now())
        self._known(self._organizations, "organization", orgs, now, _NEW_ORGANIZATION)
        self._known(self._tags, "tag", tags, now, _NEW_TAG)
        self._known(self._communities, "community", communities, now, _NEW_COMMUNITY)

    def _known(
        self,
        cache: dict[str, int],
        table: str,
        wanted: Iterable[str],
        now: str,
        columns: dict[str, Any],
    ) -> None:
        missing = [name for name in wanted if name not in cache]
        for chunk, marks in in_chunks(missing):
            # The lowest id of a name, as the ORM's `.first()` on a rowid-ordered table.
            for row_id, name in self.con.execute(
                f"SELECT min(id), name FROM {table} WHERE name IN ({marks}) GROUP BY name", chunk
            ):
                cache[name] = int(row_id)
        # A name that differs only by case, accents or spaces is the same one (insert_card's
        # `named_id`): the existing row with the lowest id, or the first new one of the batch.
        unknown = [name for name in missing if name not in cache]
        if unknown:
            folded: dict[str, int] = {}
            for row_id, other in self.con.execute(f"SELECT id, name FROM {table} ORDER BY id"):
                folded.setdefault(fold(other), int(row_id))
            for name in unknown:
                if fold(name) in folded:
                    cache[name] = folded[fold(name)]
        # The rest is new: a row as the model's defaults make it (Tag(name=…) and so on).
        names = [name for name in missing if name not in cache]
        if not names:
            return
        fields = ["created_at", "updated_at", "name", *columns]
        if table != "tag":
            fields.append("uid")
        sql = f"INSERT INTO {table} ({', '.join(fields)}) VALUES ({', '.join('?' * len(fields))})"
        new: dict[str, int] = {}
        for name in names:
            if fold(name) in new:
                cache[name] = new[fold(name)]
                continue
            values = [now, now, name, *columns.values()]
            if table != "tag":
                values.append(new_uid())
            cursor = self.con.execute(sql, values)
            assert cursor.lastrowid is not None
            cache[name] = new[fold(name)] = cursor.lastrowid

    def _taken_uids(self, uids: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(uids))
        taken: set[str] = set()
        for chunk, marks in in_chunks(wanted):
            taken.update(
                r[0]
                for r in self.con.execute(f"SELECT uid FROM contact WHERE uid IN ({marks})", chunk)
            )
        return taken
