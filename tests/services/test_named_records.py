"""Organizations, communities, tags and venues renamed, merged into another and deleted;
`restore` puts the database back exactly as it was (ids included)."""

from __future__ import annotations

import sqlite3

import pytest

from cmplanner.errors import NotFound, ValidationError
from cmplanner.i18n import set_language
from cmplanner.services import named_records, vocabulary
from cmplanner.services.named_records import KINDS, NameTaken, Usage
from cmplanner.storage import Database
from tests.rows import dump


def rows(db: Database, sql: str, *params: object) -> list[tuple[object, ...]]:
    with db.read() as con:
        return [tuple(r) for r in con.execute(sql, params)]


def add_partners(db: Database) -> None:
    """Organizations 12 and 13 both partner event 1 (the demo has no partners)."""
    with db.engine.begin() as con:
        for org, what in ((12, "Logo on the sheet"), (13, "Drinks offered")):
            con.exec_driver_sql(
                "INSERT INTO event_partner (created_at, updated_at, event_id, organization_id,"
                " obligations) VALUES ('2026-01-01 00:00:00.000000',"
                " '2026-01-01 00:00:00.000000', 1, ?, ?)",
                (org, what),
            )
        con.exec_driver_sql(
            "INSERT INTO event_partner (created_at, updated_at, event_id, organization_id,"
            " obligations) VALUES ('2026-01-01 00:00:00.000000',"
            " '2026-01-01 00:00:00.000000', 2, 13, '')"
        )


def test_every_foreign_key_to_a_named_record_is_known(demo_db: Database) -> None:
    """A table that points at an organization, community, tag or venue and is not in KINDS
    would keep pointing at a merged-away record (or lose its rows)."""
    con = sqlite3.connect(demo_db.path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        found = {
            (fk[2], table, fk[3])
            for table in tables
            for fk in con.execute(f'PRAGMA foreign_key_list("{table}")')
            if fk[2] in KINDS
        }
    finally:
        con.close()
    known = {(kind, ref.table, ref.column) for kind, k in KINDS.items() for ref in k.references}
    assert found == known


@pytest.mark.parametrize(
    ("kind", "record_id", "taken"),
    [
        ("organization", 12, "brasserie georges"),
        ("community", 2, "APEROS DU JEUDI"),
        ("tag", 3, "Presse"),
        ("venue", 4, "le periscope"),
    ],
)
def test_rename_refuses_a_taken_name_and_restores(
    demo_db: Database, kind: str, record_id: int, taken: str
) -> None:
    before = dump(demo_db)
    with pytest.raises(NameTaken) as refused:
        named_records.rename(demo_db, kind, record_id, taken)
    assert refused.value.existing_id != record_id
    assert str(refused.value).endswith("” already exists.")
    with pytest.raises(ValidationError):
        named_records.rename(demo_db, kind, record_id, "   ")
    assert dump(demo_db) == before

    snapshot, changes = named_records.rename(demo_db, kind, record_id, "  Nouveau   nom ")
    assert rows(demo_db, f"SELECT name FROM {kind} WHERE id = ?", record_id) == [("Nouveau nom",)]
    assert record_id in getattr(changes, KINDS[kind].changes)
    named_records.restore(demo_db, snapshot)
    assert dump(demo_db) == before
    # Only the case changes: it is still its own name, not another's.
    named_records.rename(demo_db, kind, record_id, "NOUVEAU NOM")


def test_merge_communities_moves_everything_and_keeps_the_earlier_join_date(
    demo_db: Database,
) -> None:
    before = dump(demo_db)
    source, target = 1, 2
    both = rows(
        demo_db,
        "SELECT a.contact_id, a.joined_on, b.joined_on FROM community_member a"
        " JOIN community_member b ON a.contact_id = b.contact_id AND a.role = b.role"
        " WHERE a.community_id = ? AND b.community_id = ?",
        source,
        target,
    )
    assert both
    members = set(
        rows(demo_db, "SELECT contact_id, role FROM community_member WHERE community_id IN (1, 2)")
    )
    events = rows(demo_db, "SELECT id FROM event WHERE community_id IN (1, 2) ORDER BY id")
    usage = named_records.usage(demo_db, "community", source)
    assert usage.contacts and usage.events and usage.promises and usage.work_entries

    snapshot, changes = named_records.merge(demo_db, "community", source, target)

    assert rows(demo_db, "SELECT id FROM community WHERE id = ?", source) == []
    for table in ("community_member", "event", "commitment", "work_entry"):
        assert rows(demo_db, f"SELECT 1 FROM {table} WHERE community_id = ?", source) == []
    assert (
        set(rows(demo_db, "SELECT contact_id, role FROM community_member WHERE community_id = 2"))
        == members
    )
    assert rows(demo_db, "SELECT id FROM event WHERE community_id = 2 ORDER BY id") == events
    for contact_id, joined_source, joined_target in both:
        kept = rows(
            demo_db,
            "SELECT joined_on FROM community_member WHERE community_id = 2 AND contact_id = ?"
            " AND role = 'member'",
            contact_id,
        )
        assert kept == [(min(d for d in (joined_source, joined_target) if d),)]
    assert changes.communities == {source, target} and changes.contacts and changes.events

    named_records.restore(demo_db, snapshot)
    assert dump(demo_db) == before


def test_merge_tags_organizations_and_venues_then_restore(demo_db: Database) -> None:
    add_partners(demo_db)
    before = dump(demo_db)

    tagged = set(rows(demo_db, "SELECT contact_id FROM contact_tag WHERE tag_id IN (4, 5)"))
    snapshot, _c = named_records.merge(demo_db, "tag", 4, 5)  # they share two contacts
    assert set(rows(demo_db, "SELECT contact_id FROM contact_tag WHERE tag_id = 5")) == tagged
    assert vocabulary.tag_id(demo_db, "musicien") is None
    named_records.restore(demo_db, snapshot)
    assert dump(demo_db) == before

    snapshot, _c = named_records.merge(demo_db, "organization", 12, 13)
    assert rows(demo_db, "SELECT event_id, obligations FROM event_partner ORDER BY event_id") == [
        (1, "Drinks offered\nLogo on the sheet"),
        (2, ""),
    ]
    assert set(rows(demo_db, "SELECT contact_id FROM affiliation WHERE organization_id = 13")) == {
        (60,),
        (74,),
        (61,),
    }
    named_records.restore(demo_db, snapshot)
    assert dump(demo_db) == before

    at_venues = rows(demo_db, "SELECT id FROM event WHERE venue_id IN (1, 2) ORDER BY id")
    snapshot, changes = named_records.merge(demo_db, "venue", 2, 1)
    assert rows(demo_db, "SELECT id FROM event WHERE venue_id = 1 ORDER BY id") == at_venues
    assert changes.venues == {1, 2} and changes.events
    named_records.restore(demo_db, snapshot)
    assert dump(demo_db) == before

    with pytest.raises(ValidationError):
        named_records.merge(demo_db, "venue", 1, 1)
    with pytest.raises(NotFound):
        named_records.merge(demo_db, "venue", 1, 999)
    assert dump(demo_db) == before


@pytest.mark.parametrize(
    ("kind", "record_id"), [("organization", 13), ("community", 1), ("tag", 5), ("venue", 1)]
)
def test_delete_keeps_what_used_it_and_restore_puts_everything_back(
    demo_db: Database, kind: str, record_id: int
) -> None:
    add_partners(demo_db)
    before = dump(demo_db)
    usage = named_records.usage(demo_db, kind, record_id)
    assert usage
    events = rows(demo_db, "SELECT count(*) FROM event")
    contacts = rows(demo_db, "SELECT count(*) FROM contact")

    snapshot, changes = named_records.delete(demo_db, kind, record_id)

    assert rows(demo_db, f"SELECT id FROM {kind} WHERE id = ?", record_id) == []
    assert rows(demo_db, "SELECT count(*) FROM event") == events  # events stay
    assert rows(demo_db, "SELECT count(*) FROM contact") == contacts  # people stay
    for ref in KINDS[kind].references:
        assert rows(demo_db, f"SELECT 1 FROM {ref.table} WHERE {ref.column} = ?", record_id) == []
    assert record_id in getattr(changes, KINDS[kind].changes)

    named_records.restore(demo_db, snapshot)
    assert dump(demo_db) == before
    assert named_records.usage(demo_db, kind, record_id) == usage


def test_usage_in_words_in_english_and_french(demo_db: Database) -> None:
    assert Usage(contacts=12, events=3).text() == "12 contacts and 3 events use it."
    assert Usage(contacts=1).text() == "1 contact uses it."
    assert Usage().text() == "Nothing uses it."
    set_language("fr")
    try:
        assert Usage(contacts=12, events=3, promises=1).text() == (
            "12 contacts, 3 événements et 1 promesse l'utilisent."
        )
    finally:
        set_language("en")
    listed = {r.id: r for r in named_records.records(demo_db, "venue")}
    assert listed[1].usage == Usage(events=11) and listed[1].name == "Brasserie Georges"
    assert named_records.same_name(demo_db, "venue", "brasserie  GEORGES").id == 1  # type: ignore[union-attr]


def test_command_line_rename_merge_delete(demo_path, capsys) -> None:
    from cmplanner.cli.main import main

    db = ["--db", str(demo_path)]
    assert main([*db, "tags", "rename", "4", "PRESSE"]) == 2
    err = capsys.readouterr().err
    assert "“presse” already exists." in err and "cmplanner tags merge 4 2" in err
    assert main([*db, "tags", "merge", "4", "2"]) == 0
    assert capsys.readouterr().out == "“musicien” was merged into “presse”.\n"
    assert main([*db, "venues", "delete", "1"]) == 0
    assert main([*db, "organizations", "rename", "12", "Atelier  Soudé & Co"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Renamed “Atelier Soudé” to “Atelier Soudé & Co”."
    )
    assert main([*db, "communities", "merge", "1", "99"]) == 2
    assert capsys.readouterr().err == "cmplanner: Community 99 does not exist.\n"
    assert main([*db, "venues", "list", "--json"]) == 0
    listed = capsys.readouterr().out
    assert "Brasserie Georges" not in listed and '"events": 16' in listed
    opened = Database.open(demo_path)
    try:
        assert [t.name for t in vocabulary.tags(opened)] == ["bénévole", "fidèle", "presse", "VIP"]
        assert "Atelier Soudé & Co" in {o.name for o in vocabulary.organizations(opened)}
    finally:
        opened.close()
