"""The import's bulk writer writes exactly what `insert_card` writes, and search finds it."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest

from cmplanner.interop.contacts.bulk import ContactWriter, plain_transaction
from cmplanner.interop.contacts.parse import parse_bytes
from cmplanner.interop.contacts.plan import plan_import
from cmplanner.interop.contacts.write import apply_import
from cmplanner.services.contact_data import (
    AddressData,
    AffiliationData,
    ContactData,
    Labelled,
    MembershipData,
)
from cmplanner.services.contacts import create_contact, insert_card
from cmplanner.storage import Database

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))


def sample_cards(existing_org_id: int) -> list[ContactData]:
    return [
        ContactData(
            given_name="Benoît",
            family_name="Müller",
            nickname="Ben",
            name_prefix="Dr",
            name_suffix="Jr.",
            formatted_name="Ben Müller de Lyon",
            birthday="1985-04-12",
            anniversary="--06-20",
            emails=(Labelled("benoit@exemple.fr", "work"), Labelled("ben@perso.fr", "")),
            phones=(Labelled("+33 6 12 34 56 78", "mobile"), Labelled("+33 1 23 45 67 89")),
            addresses=(
                AddressData("home", "3 rue Haute", "42000", "Saint-Étienne", "", "France"),
                AddressData("work", "", "69001", "Lyon", "ARA", "France"),
            ),
            affiliations=(
                AffiliationData("Café Associatif", "Trésorier", department="Bénévoles"),
                AffiliationData("Existing org", ""),
                AffiliationData("Café Associatif", "Membre"),
            ),
            tags=("bénévoles", "Ambassadeurs", "déjà là"),
            communities=(
                MembershipData("Zéro déchet", "member"),
                MembershipData("Zéro déchet", ""),  # the same membership twice: one row
                MembershipData("Zéro déchet", "organizer"),
            ),
            notes="Deux lignes\nde notes",
            uid="card-1",
        ),
        ContactData(
            given_name="Zoë",
            emails=(Labelled("zoe@exemple.pl"),),
            tags=("Ambassadeurs", "Ambassadeurs", "nouveau"),
            affiliations=(AffiliationData("ignored name", "par id", existing_org_id),),
            preferred_channel="phone",
            language="pl",
            photo=PNG,
            cadence_days=30,
            consent_date=dt.date(2025, 3, 1),
            consent_source="formulaire",
            consent_scope="contact",
            uid="taken-uid",  # already in the book: a new one is made
        ),
        ContactData(family_name="Sans Prénom", uid="card-1"),  # twice in the file
        # Names a person would call the same as earlier ones link to them (next batch too).
        ContactData(
            family_name="Mêmes Noms",
            tags=("DEJA LA", "ambassadeurs", "Nouveau"),
            affiliations=(AffiliationData("existing  ORG", ""), AffiliationData("cafe associatif")),
            communities=(MembershipData("zero dechet", "member"),),
        ),
        ContactData(emails=(Labelled("seulement@exemple.fr"),)),
        ContactData(
            given_name="Léa",
            family_name="Faverial",
            phones=(Labelled("905-555-1234", "kept as written"),),
            communities=(MembershipData("Ateliers", "member"),),
            affiliations=(AffiliationData("Existing org", "Présidente"),),
        ),
    ]


def book(path: Path) -> tuple[Database, int]:
    """A book with a contact (UID "taken-uid"), a tag and an organization already there."""
    db = Database.open(path)
    create_contact(db, ContactData(given_name="Déjà", uid="taken-uid", tags=("déjà là",)))
    with db.transaction() as session:
        from cmplanner.model import Organization

        org = Organization(name="Existing org", kind="association")
        session.add(org)
        session.flush()
        org_id = int(org.id or 0)
    return db, org_id


CHILD_TABLES = {
    "contact_email": "contact_id, label, address, position",
    "contact_phone": "contact_id, label, number, position",
    "contact_address": "contact_id, label, street, postal_code, city, region, country, position",
    "affiliation": "contact_id, organization_id, role, department",
    "contact_tag": "contact_id, tag_id",
    "community_member": "contact_id, community_id, role, joined_on",
}


def snapshot(path: Path) -> dict[str, Any]:
    """Every contact-related row, minus child-row ids and generated UIDs."""
    con = sqlite3.connect(path)
    try:
        out: dict[str, Any] = {}
        rows = con.execute("SELECT * FROM contact ORDER BY id").fetchall()
        names = [d[0] for d in con.execute("SELECT * FROM contact").description]
        uid = names.index("uid")
        # A UID the card did not bring is a fresh uuid4; compare that it is one, not its value.
        out["contact"] = [
            tuple("<uuid4>" if i == uid and _is_uuid4(v) else v for i, v in enumerate(row))
            for row in rows
        ]
        for table, columns in CHILD_TABLES.items():
            out[table] = sorted(
                con.execute(f"SELECT created_at, updated_at, {columns} FROM {table}").fetchall(),
                key=repr,
            )
        for table in ("tag", "organization", "community"):
            rows = con.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            names = [d[0] for d in con.execute(f"SELECT * FROM {table}").description]
            out[table] = [
                tuple(
                    "<uuid4>" if n == "uid" and _is_uuid4(v) else v
                    for n, v in zip(names, row, strict=True)
                )
                for row in rows
            ]
        out["contact_search"] = con.execute(
            "SELECT rowid, * FROM contact_search ORDER BY rowid"
        ).fetchall()
        uids = [r[0] for r in con.execute("SELECT uid FROM contact")]
        assert len(set(uids)) == len(uids)
        return out
    finally:
        con.close()


def _is_uuid4(value: Any) -> bool:
    try:
        return isinstance(value, str) and uuid.UUID(value).version == 4
    except ValueError:
        return False


def test_bulk_rows_are_exactly_insert_card_rows(tmp_path: Path, frozen_clock: dt.datetime) -> None:
    orm_db, org_id = book(tmp_path / "orm.cmplanner")
    orm_db.close()
    shutil.copyfile(tmp_path / "orm.cmplanner", tmp_path / "bulk.cmplanner")
    cards = sample_cards(org_id)

    orm_db = Database.open(tmp_path / "orm.cmplanner")
    from sqlmodel import select

    from cmplanner.model import Contact

    orm_ids = []
    with orm_db.transaction() as session:
        for card in cards:  # what apply_import did before, card by card
            if card.uid and session.exec(select(Contact.id).where(Contact.uid == card.uid)).first():
                card = ContactData(**{**card.__dict__, "uid": None})
            orm_ids.append(insert_card(session, card))
    orm_db.close()

    with plain_transaction(tmp_path / "bulk.cmplanner") as con:
        writer = ContactWriter(con)
        bulk_ids = writer.insert(cards[:2]) + writer.insert(cards[2:])  # two batches

    assert bulk_ids == orm_ids
    orm, bulk = snapshot(tmp_path / "orm.cmplanner"), snapshot(tmp_path / "bulk.cmplanner")
    for table in orm:
        assert bulk[table] == orm[table], table
    with sqlite3.connect(tmp_path / "bulk.cmplanner") as con:
        uid = [d[0] for d in con.execute("SELECT * FROM contact").description].index("uid")
    assert [row[uid] for row in bulk["contact"]] == [
        "taken-uid",
        "card-1",
        "<uuid4>",
        "<uuid4>",
        "<uuid4>",
        "<uuid4>",
        "<uuid4>",
    ]
    for table, names in (
        ("tag", ["déjà là", "bénévoles", "Ambassadeurs", "nouveau"]),
        ("organization", ["Existing org", "Café Associatif"]),
        ("community", ["Zéro déchet", "Ateliers"]),
    ):
        assert [row[3 if table == "tag" else 2] for row in bulk[table]] == names, table


def test_a_failed_batch_leaves_nothing(tmp_path: Path) -> None:
    db, _org = book(tmp_path / "book.cmplanner")
    db.close()
    path = tmp_path / "book.cmplanner"
    before = snapshot(path)
    with pytest.raises(sqlite3.IntegrityError), plain_transaction(path) as con:
        writer = ContactWriter(con)
        writer.insert([ContactData(given_name="Un")])
        # Organization 999 does not exist: seen when the transaction commits.
        writer.insert(
            [ContactData(given_name="Deux", affiliations=(AffiliationData("x", "", 999),))]
        )
    assert snapshot(path) == before


VCARDS = """BEGIN:VCARD
VERSION:3.0
N:Faverial;Hélène;;;
FN:Hélène Faverial
EMAIL;TYPE=INTERNET:helene.faverial@asso-exemple.org
TEL;TYPE=CELL:06 98 76 54 32
ORG:Collectif Zéro Déchet
ADR;TYPE=HOME:;;4 place Bellecour;Villeurbanne;;69100;France
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:Dubois;Benoît;;;
FN:Benoît Dubois
EMAIL:benoit@exemple.fr
END:VCARD
"""


@pytest.mark.parametrize(
    "term",
    ["helene", "faverial", "asso-exemple", "0698765432", "33698", "zero dechet", "villeurbanne"],
)
def test_search_finds_imported_contacts(empty_db: Database, term: str) -> None:
    from cmplanner.services.browse import CONTACTS

    items = parse_bytes(VCARDS.encode()).items
    report = apply_import(empty_db, items)
    assert CONTACTS.ids(empty_db, "family_name", False, term) == [report.created[0]]


def test_merges_and_new_contacts_in_one_import(empty_db: Database) -> None:
    """Merges take the ORM path, new contacts the bulk one, in one transaction."""
    first = apply_import(empty_db, parse_bytes(VCARDS.encode()).items)
    others = (
        VCARDS.replace("Faverial", "Favre")
        .replace("helene.faverial", "h.favre")
        .replace("06 98", "06 11")
        .replace("Dubois", "Durand")
        .replace("benoit@", "bd@")
    )
    again = VCARDS + others
    items = parse_bytes(again.encode()).items
    plans = plan_import(empty_db, items)
    assert [p.decision for p in plans] == [("merge", i) for i in first.created] + ["create"] * 2
    report = apply_import(empty_db, items, [p.decision for p in plans])
    assert report.merged == first.created and len(report.created) == 2
    assert report.created[0] == max(first.created) + 1
    with empty_db.read() as con:
        assert con.execute("SELECT count(*) FROM contact").fetchone()[0] == 4
        assert con.execute("SELECT count(*) FROM contact_search").fetchone()[0] == 4
