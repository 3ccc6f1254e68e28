"""Contacts as plain records (dicts) for `--json` output and data exports, read in bulk with
plain SQL so `cmplanner contacts list` stays quick on a large book."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from cmplanner.model.names import contact_name_sql, display_name
from cmplanner.storage import Database
from cmplanner.storage.sql import in_chunks


def contact_names(con: Any, ids: Iterable[int]) -> dict[int, str]:
    """Each contact's name as the lists show it (`display_name`: never "?" for a contact with
    an e-mail or a phone), read on a sqlite3 connection or inside an ORM session."""
    if not isinstance(con, sqlite3.Connection):  # a Session: its own connection, same transaction
        con = con.connection().connection.driver_connection
    wanted = sorted(set(ids))
    out: dict[int, str] = {}
    for chunk, marks in in_chunks(wanted):
        for cid, *name in con.execute(
            f"SELECT c.id, {contact_name_sql('c')} FROM contact c WHERE c.id IN ({marks})",
            chunk,
        ):
            out[int(cid)] = display_name(*name)
    return out


def _iso_day(value: str | None) -> str | None:
    """A stored UTC timestamp → the ISO date of it (in UTC)."""
    return dt.datetime.fromisoformat(value).date().isoformat() if value else None


def contact_records(db: Database, ids: Sequence[int]) -> list[dict[str, Any]]:
    """One record per id, in the order given: the fields `contacts list --json` promises."""
    out: dict[int, dict[str, Any]] = {}
    with db.read() as con:
        for chunk, marks in in_chunks(ids):
            emails: dict[int, list[str]] = defaultdict(list)
            phones: dict[int, list[str]] = defaultdict(list)
            orgs: dict[int, list[dict[str, str]]] = defaultdict(list)
            tags: dict[int, list[str]] = defaultdict(list)
            groups: dict[int, list[dict[str, str]]] = defaultdict(list)
            cities: dict[int, str] = {}
            for cid, value in con.execute(
                f"SELECT contact_id, address FROM contact_email WHERE contact_id IN ({marks})"
                " ORDER BY position, id",
                chunk,
            ):
                emails[cid].append(value)
            for cid, value in con.execute(
                f"SELECT contact_id, number FROM contact_phone WHERE contact_id IN ({marks})"
                " ORDER BY position, id",
                chunk,
            ):
                phones[cid].append(value)
            for cid, name, role, department in con.execute(
                "SELECT a.contact_id, o.name, a.role, a.department FROM affiliation a"
                f" JOIN organization o ON o.id = a.organization_id WHERE a.contact_id IN ({marks})"
                " ORDER BY a.id",
                chunk,
            ):
                orgs[cid].append({"name": name, "role": role, "department": department})
            for cid, name in con.execute(
                f"SELECT ct.contact_id, g.name FROM contact_tag ct JOIN tag g ON g.id = ct.tag_id"
                f" WHERE ct.contact_id IN ({marks}) ORDER BY g.name",
                chunk,
            ):
                tags[cid].append(name)
            for cid, name, role in con.execute(
                "SELECT m.contact_id, c.name, m.role FROM community_member m"
                f" JOIN community c ON c.id = m.community_id WHERE m.contact_id IN ({marks})"
                " ORDER BY c.name, m.role",
                chunk,
            ):
                groups[cid].append({"name": name, "role": role})
            for cid, city in con.execute(
                f"SELECT contact_id, city FROM contact_address WHERE contact_id IN ({marks})"
                " AND city != '' ORDER BY position DESC, id DESC",
                chunk,
            ):
                cities[cid] = city  # the first address wins (rows come last-first)
            for cid, uid, given, family, nickname, language, formatted, *more in con.execute(
                "SELECT id, uid, given_name, family_name, nickname, language, formatted_name,"
                " name_prefix, name_suffix, birthday, anniversary, last_seen FROM contact"
                f" WHERE id IN ({marks})",
                chunk,
            ):
                prefix, suffix, birthday, anniversary, last_seen = more
                first_email = emails[cid][0] if emails[cid] else ""
                first_phone = phones[cid][0] if phones[cid] else ""
                out[cid] = {
                    "id": cid,
                    "uid": uid,
                    "display_name": display_name(
                        given, family, nickname, language, formatted, first_email, first_phone
                    ),
                    "given_name": given,
                    "family_name": family,
                    "name_prefix": prefix,
                    "name_suffix": suffix,
                    "birthday": birthday or None,
                    "anniversary": anniversary or None,
                    "emails": emails[cid],
                    "phones": phones[cid],
                    "organizations": orgs[cid],
                    "tags": tags[cid],
                    "communities": groups[cid],
                    "city": cities.get(cid, ""),
                    "last_seen": _iso_day(last_seen),
                }
    return [out[i] for i in ids if i in out]
