"""Contacts as plain records (dicts) for `--json` output and data exports, read in bulk with
plain SQL so `cmplanner contacts list` stays quick on a large book."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from cmplanner.model.names import display_name
from cmplanner.storage import Database

_BATCH = 500


def _iso_day(value: str | None) -> str | None:
    """A stored UTC timestamp → the ISO date of it (in UTC)."""
    return dt.datetime.fromisoformat(value).date().isoformat() if value else None


def contact_records(db: Database, ids: Sequence[int]) -> list[dict[str, Any]]:
    """One record per id, in the order given: the fields `contacts list --json` promises."""
    out: dict[int, dict[str, Any]] = {}
    with db.read() as con:
        for start in range(0, len(ids), _BATCH):
            chunk = list(ids[start : start + _BATCH])
            marks = ",".join("?" * len(chunk))
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
            for cid, name, role in con.execute(
                "SELECT a.contact_id, o.name, a.role FROM affiliation a"
                f" JOIN organization o ON o.id = a.organization_id WHERE a.contact_id IN ({marks})"
                " ORDER BY a.id",
                chunk,
            ):
                orgs[cid].append({"name": name, "role": role})
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
            for cid, uid, given, family, nickname, last_seen, language in con.execute(
                "SELECT id, uid, given_name, family_name, nickname, last_seen, language"
                " FROM contact"
                f" WHERE id IN ({marks})",
                chunk,
            ):
                out[cid] = {
                    "id": cid,
                    "uid": uid,
                    "display_name": display_name(given, family, nickname, language),
                    "given_name": given,
                    "family_name": family,
                    "emails": emails[cid],
                    "phones": phones[cid],
                    "organizations": orgs[cid],
                    "tags": tags[cid],
                    "communities": groups[cid],
                    "city": cities.get(cid, ""),
                    "last_seen": _iso_day(last_seen),
                }
    return [out[i] for i in ids if i in out]
