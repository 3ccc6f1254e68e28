"""Privacy: everything about one person can be exported, and erased without a trace."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest
from sqlmodel import select

from cmplanner.interop.contacts import person
from cmplanner.model import (
    Affiliation,
    Commitment,
    Community,
    CommunityMember,
    ContactAddress,
    Event,
    EventTeamMember,
    Invitation,
    Organization,
    Task,
)
from cmplanner.services import contacts, privacy, sent_log
from cmplanner.services.browse import CONTACTS, EVENTS
from cmplanner.services.contact_data import ContactData, Labelled
from cmplanner.storage import Database
from cmplanner.storage.backup import create_backup, list_backups

NAME = ("Zéphyrine", "Quasimodo-Xylophone")
EMAIL = "zephyrine.quasimodo@example.org"


def add_person(db: Database) -> tuple[int, int]:
    contact_id, _ = contacts.create_contact(
        db,
        ContactData(
            given_name=NAME[0], family_name=NAME[1], emails=(Labelled(EMAIL, "perso"),),
            phones=(Labelled("+33 6 98 76 54 32"),), notes="Allergique aux noix",
            tags=("VIP",),
        ),
    )  # fmt: skip
    with db.transaction() as session:
        event = session.exec(select(Event).where(Event.rrule == "")).first()
        assert event is not None and event.id is not None
        session.add(
            Invitation(event_id=event.id, contact_id=contact_id, rsvp="accepted", attended=True)
        )
        event_id = event.id
    contacts.log_interaction(
        db, contact_id, dt.datetime(2026, 11, 1, 18, tzinfo=dt.UTC), notes="Café"
    )
    return contact_id, event_id


def test_export_person_holds_everything(demo_db: Database, tmp_path: Path) -> None:
    contact_id, _event = add_person(demo_db)
    path = person.export_person(demo_db, contact_id, tmp_path / "zephyrine")
    assert path.suffix == ".zip"
    with zipfile.ZipFile(path) as bundle:
        names = bundle.namelist()
        data = json.loads(bundle.read(next(n for n in names if n.endswith(".json"))))
        card = bundle.read(next(n for n in names if n.endswith(".vcf"))).decode()
    assert data["summary"]["emails"] == [EMAIL]
    assert data["contact"]["notes"] == "Allergique aux noix"
    assert data["invitations"][0]["rsvp"] == "accepted"
    assert data["interactions"][0]["notes"] == "Café"
    assert NAME[1] in card and EMAIL in card


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_export_person_is_a_file_like_any_other(demo_db: Database, tmp_path: Path) -> None:
    """The mode the umask gives (it was mkstemp's private 0600), and nothing left beside it."""
    contact_id, _event = add_person(demo_db)
    folder = tmp_path / "exports"
    folder.mkdir()
    previous = os.umask(0o022)
    try:
        path = person.export_person(demo_db, contact_id, folder / "person.zip")
    finally:
        os.umask(previous)
    assert path.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in folder.iterdir()] == ["person.zip"]


def test_erase_leaves_no_trace_but_keeps_the_head_count(demo_db: Database) -> None:
    contact_id, event_id = add_person(demo_db)
    guests_before = EVENTS.rows(demo_db, [event_id])[event_id][-1]
    old_backup = create_backup(demo_db.path, reason="manual")
    assert privacy.backups_holding(demo_db, contact_id) == [old_backup]

    report = privacy.erase_contact(demo_db, contact_id)

    assert report.backups_holding == (old_backup,) and report.purged == ()
    assert CONTACTS.ids(demo_db, text="zephyrine") == []
    assert EVENTS.rows(demo_db, [event_id])[event_id][-1] == guests_before
    with demo_db.session() as session:
        anonymous = session.exec(select(Invitation).where(Invitation.contact_id == None)).all()  # noqa: E711
    assert [i.event_id for i in anonymous] == [event_id]
    for suffix in ("", "-wal"):
        file = Path(str(demo_db.path) + suffix)
        if file.exists():
            raw = file.read_bytes()
            for secret in (NAME[0], NAME[1], EMAIL, "Allergique"):
                assert secret.encode() not in raw, (file.name, secret)


def test_erase_can_purge_the_backups_that_hold_the_person(demo_db: Database) -> None:
    contact_id, _event = add_person(demo_db)
    holding = create_backup(demo_db.path, reason="manual")
    report = privacy.erase_contact(demo_db, contact_id, purge_backups=True)
    assert report.purged == (holding,)
    assert not holding.exists()
    assert holding not in [b.path for b in list_backups(demo_db.path)]


# --- every table that references a person is in the export ---------------------------------


def _foreign_keys(con: sqlite3.Connection) -> dict[str, list[tuple[str, str, str]]]:
    """Each table's foreign keys as (column, referenced table, ON DELETE), from the file."""
    tables = [
        str(r[0])
        for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    ]
    return {
        table: [
            (str(fk[3]), str(fk[2]), str(fk[6]).upper())
            for fk in con.execute(f"PRAGMA foreign_key_list('{table}')")
        ]
        for table in tables
    }


def person_references(con: sqlite3.Connection) -> set[tuple[str, str, str]]:
    """(table, column, referenced table) for every column that points at a person: at
    `contact`, or at a table whose rows are the person's own (deleted with them, however
    many steps away)."""
    keys = _foreign_keys(con)
    owned = {"contact"}
    grew = True
    while grew:
        grew = False
        for table, fks in keys.items():
            if table not in owned and any(
                target in owned and action == "CASCADE" for _c, target, action in fks
            ):
                owned.add(table)
                grew = True
    return {
        (table, column, target)
        for table, fks in keys.items()
        for column, target, _action in fks
        if target in owned
    }


def _person_rows(con: sqlite3.Connection, contact_id: int) -> dict[tuple[str, str], int]:
    """How many rows each referencing (table, column) holds for the person."""
    references = person_references(con)
    ids: dict[str, set[int]] = {"contact": {contact_id}}
    counts: dict[tuple[str, str], int] = {}
    pending = sorted(references)
    while pending:  # a table's rows are known once every reference to it is counted
        ready = [r for r in pending if not any(t == r[2] != "contact" for t, _c, _x in pending)]
        assert ready, pending
        for table, column, target in ready:
            wanted = sorted(ids[target])
            marks = ",".join("?" * len(wanted))
            rows = [
                int(r[0])
                for r in con.execute(
                    f"SELECT rowid FROM {table} WHERE {column} IN ({marks})", wanted
                )
            ]
            counts[(table, column)] = len(rows)
            if table != "contact":  # other people pointing at them: not theirs
                ids.setdefault(table, set()).update(rows)
        pending = [r for r in pending if r not in ready]
    return counts


def test_the_foreign_key_walk_finds_what_points_at_a_person(empty_db: Database) -> None:
    """The walk itself: the tables known today, a person-owned table's dependant too."""
    con = sqlite3.connect(empty_db.path)
    try:
        con.execute(
            "CREATE TABLE fake_note (id INTEGER PRIMARY KEY,"
            " invitation_id INTEGER REFERENCES invitation(id) ON DELETE SET NULL)"
        )
        found = {(t, c) for t, c, _target in person_references(con)}
    finally:
        con.close()
    assert {
        ("contact_email", "contact_id"),
        ("event_team", "contact_id"),
        ("sent_message", "contact_id"),
        ("task", "assignee_id"),
        ("fake_note", "invitation_id"),  # through the guest's own invitation
    } <= found
    assert ("budget_line", "event_id") not in found and ("event", "venue_id") not in found


def test_every_table_that_references_a_person_is_in_their_export(
    demo_db: Database, tmp_path: Path
) -> None:
    """Walks the schema's foreign keys: a table added later that points at a contact (or at
    a row of theirs) fails here until the export holds it."""
    contact_id, event_id = add_person(demo_db)
    with demo_db.transaction() as session:
        organization = session.exec(select(Organization)).first()
        community = session.exec(select(Community)).first()
        assert organization is not None and community is not None
        session.add(Affiliation(contact_id=contact_id, organization_id=organization.id,
                                role="Trésorière"))  # fmt: skip
        session.add(CommunityMember(community_id=community.id, contact_id=contact_id))
        session.add(ContactAddress(contact_id=contact_id, city="Lyon"))
        session.add(EventTeamMember(event_id=event_id, contact_id=contact_id, role="Photographe"))
        session.add(Task(title="Apporter les badges", event_id=event_id, assignee_id=contact_id))
        session.add(Commitment(description="Envoyer les photos", contact_id=contact_id))
    sent_log.record(
        demo_db,
        event_id,
        [sent_log.SentRecord(contact_id, EMAIL, sent_log.REQUEST, 2, sent_log.EML)],
    )
    con = sqlite3.connect(demo_db.path)
    try:
        counts = _person_rows(con, contact_id)
    finally:
        con.close()
    empty = sorted(key for key, n in counts.items() if n == 0)
    assert not empty, f"give the person a row in {empty} (a table this test does not fill)"

    path = person.export_person(demo_db, contact_id, tmp_path / "person.zip")
    with zipfile.ZipFile(path) as bundle:
        data = json.loads(bundle.read(next(n for n in bundle.namelist() if n.endswith(".json"))))
    sections = {(s.table, s.column): s.key for s in privacy.SECTIONS}
    missing = sorted(set(counts) - set(sections))
    assert not missing, f"the person's export leaves out {missing}"
    for reference, count in counts.items():
        assert len(data[sections[reference]]) == count, reference
    (team,) = data["event_team"]
    assert team["role"] == "Photographe" and team["event"] and team["start_local"]
    assert [(m["email"], m["method"], m["sequence"]) for m in data["messages_sent"]] == [
        (EMAIL, "REQUEST", 2)
    ]
    assert data["tags"] == [{"tag": "VIP"}]
