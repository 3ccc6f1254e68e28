"""The names pickers and filters offer (tags, communities, organizations, cities), and the
small look-ups that let a tag or membership change be undone exactly."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cmplanner.model.matching import same_name
from cmplanner.model.names import contact_name_sql, display_name
from cmplanner.storage import Database

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


@dataclass(frozen=True)
class Vocabulary:
    tags: tuple[Choice, ...]
    communities: tuple[Choice, ...]
    organizations: tuple[Choice, ...]
    cities: tuple[str, ...]


def tags_text(tags: Sequence[str]) -> str:
    """Tags as one line, separated by ", "; a tag holding a comma (or a double quote) in
    double quotes, as a CSV cell: `"vélo, rando", presse`."""
    return ", ".join(
        '"' + tag.replace('"', '""') + '"' if "," in tag or '"' in tag else tag for tag in tags
    )


def parse_tags(text: str) -> list[str]:
    """The tags of a line `tags_text` wrote or a person typed; an unclosed quote runs to the
    end of the line."""
    fields = next(csv.reader([text.replace("\n", " ")], skipinitialspace=True), [])
    return [f.strip() for f in fields if f.strip()]


def _choices(db: Database, table: str) -> tuple[Choice, ...]:
    with db.read() as con:
        rows = con.execute(f"SELECT id, name FROM {table} ORDER BY name COLLATE NOCASE, id")
        return tuple(Choice(int(i), str(n)) for i, n in rows)


def tags(db: Database) -> tuple[Choice, ...]:
    return _choices(db, "tag")


def communities(db: Database) -> tuple[Choice, ...]:
    return _choices(db, "community")


def organizations(db: Database) -> tuple[Choice, ...]:
    return _choices(db, "organization")


def cities(db: Database) -> tuple[str, ...]:
    """The distinct cities of contacts' addresses, in alphabetical order."""
    with db.read() as con:
        rows = con.execute(
            "SELECT DISTINCT city FROM contact_address WHERE city <> ''"
            " ORDER BY city COLLATE NOCASE"
        )
        return tuple(dict.fromkeys(str(r[0]) for r in rows))


def vocabulary(db: Database) -> Vocabulary:
    return Vocabulary(tags(db), communities(db), organizations(db), cities(db))


def _marks(ids: Sequence[int]) -> str:
    return ",".join("?" * len(ids))


def tagged(db: Database, tag: str, contact_ids: Sequence[int]) -> set[int]:
    """Which of `contact_ids` already carry the tag named `tag` (or « Tag » for « tag »)."""
    ids = list(contact_ids)
    found = tag_id(db, tag)
    if not ids or found is None:
        return set()
    with db.read() as con:
        rows = con.execute(
            "SELECT contact_id FROM contact_tag"
            f" WHERE tag_id = ? AND contact_id IN ({_marks(ids)})",
            [found, *ids],
        )
        return {int(r[0]) for r in rows}


def tag_id(db: Database, tag: str) -> int | None:
    """The tag called `tag`, or one a person would call so (see `named_id`)."""
    return named_id(db, "tag", tag)


def named_id(db: Database, table: str, name: str) -> int | None:
    """The tag, organization, community or venue called `name` or, failing that, one whose
    name differs only by case, accents or spaces: the lowest id; None when there is none."""
    name = name.strip()
    with db.read() as con:
        row = con.execute(f"SELECT min(id) FROM {table} WHERE name = ?", (name,)).fetchone()
        if row and row[0] is not None:
            return int(row[0])
        return same_name(con.execute(f"SELECT id, name FROM {table} ORDER BY id"), name)


def named_id_in(session: Session, model: Any, name: str) -> int | None:
    """`named_id` inside a write's session, so rows added in it count: the tag,
    organization, community or venue (`model`) called `name`, or one a person would call so
    (« vélo lyon » is « Vélo Lyon »): the lowest id; None when there is none."""
    # SQLModel loads with the first write, not with the lists that import this module.
    from sqlmodel import col, select

    exact = session.exec(select(model.id).where(model.name == name).order_by(col(model.id))).first()
    if exact is not None:
        return int(exact)
    return same_name(session.exec(select(model.id, model.name).order_by(col(model.id))), name)


def members(db: Database, community_id: int, contact_ids: Sequence[int], role: str) -> set[int]:
    """Which of `contact_ids` already hold `role` in the community."""
    ids = list(contact_ids)
    if not ids:
        return set()
    with db.read() as con:
        rows = con.execute(
            "SELECT contact_id FROM community_member WHERE community_id = ? AND role = ?"
            f" AND contact_id IN ({_marks(ids)})",
            [community_id, role, *ids],
        )
        return {int(r[0]) for r in rows}


def contact_names(db: Database, contact_ids: Sequence[int]) -> dict[int, str]:
    """Display names of contacts (as `display_name` writes them: the name shown, else the
    whole name, nickname, first e-mail or phone; else "#id")."""
    ids = list(dict.fromkeys(contact_ids))
    out: dict[int, str] = {}
    if not ids:
        return out
    with db.read() as con:
        rows = con.execute(
            f"SELECT t.id, {contact_name_sql('t')} FROM contact t WHERE t.id IN ({_marks(ids)})",
            ids,
        )
        for cid, *name in rows:
            shown = display_name(*(str(part or "") for part in name))
            out[int(cid)] = shown if shown != "?" else f"#{cid}"
    return out
