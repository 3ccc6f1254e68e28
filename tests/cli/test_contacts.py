"""`cmplanner contacts …` and `organizations …`, as a person and a script use them."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from cmplanner.cli.main import main

KEYS = {
    "id", "uid", "display_name", "given_name", "family_name", "emails", "phones",
    "organizations", "tags", "communities", "city", "last_seen",
}  # fmt: skip


@pytest.fixture
def book(demo_path: Path) -> list[str]:
    return ["--db", str(demo_path)]


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_list_search_is_accent_insensitive_and_json_has_the_promised_keys(
    book: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    found = run_json(capsys, *book, "contacts", "list", "--search", "benoit")
    assert isinstance(found, list) and found
    assert all("Beno" in r["display_name"] for r in found)
    assert set(found[0]) >= KEYS
    assert isinstance(found[0]["emails"], list) and isinstance(found[0]["organizations"], list)


def test_list_filters(book: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    ambassadors = run_json(
        capsys, *book, "contacts", "list", "--community", "Apéros du jeudi", "--role", "ambassador"
    )
    assert len(ambassadors) == 2
    assert all(
        {"name": "Apéros du jeudi", "role": "ambassador"} in r["communities"] for r in ambassadors
    )
    vip = run_json(capsys, *book, "contacts", "list", "--tag", "VIP")
    assert vip and all("VIP" in r["tags"] for r in vip)


def test_show_human_and_json(book: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    record = run_json(capsys, *book, "contacts", "show", "1")
    assert isinstance(record, dict) and set(record) >= KEYS | {"interactions", "upcoming"}
    assert main([*book, "contacts", "show", "1"]) == 0
    assert record["display_name"] in capsys.readouterr().out
    assert main([*book, "contacts", "show", "99999"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_show_gives_the_whole_name_the_notes_and_the_whole_address(
    empty_db, capsys: pytest.CaptureFixture[str]
) -> None:
    from cmplanner.services import contacts
    from cmplanner.services.contact_data import AddressData, ContactData

    data = ContactData(
        given_name="小明",
        family_name="王",
        name_prefix="Dr",
        addresses=(AddressData("work", "Calle Mayor 1", "28013", "Madrid", "", "España"),),
        notes="Rencontré au forum\nParle espagnol",
    )
    contact_id = contacts.create_contact(empty_db, data)[0]
    path = empty_db.path
    empty_db.close()
    assert main(["--db", str(path), "contacts", "show", str(contact_id)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "王小明"
    assert "  Name: Dr 王小明" in out  # its parts in the order the name is written
    assert "  Address: Calle Mayor 1, 28013, Madrid, España" in out
    assert out[-2:] == ["  Notes: Rencontré au forum", "    Parle espagnol"]


def test_merge_erase_and_export_person(
    book: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = run_json(capsys, *book, "contacts", "show", "1")
    second = run_json(capsys, *book, "contacts", "show", "2")
    assert main([*book, "contacts", "merge", "1", "2"]) == 0
    assert "merged" in capsys.readouterr().out
    merged = run_json(capsys, *book, "contacts", "show", "1")
    assert set(first["emails"]) | set(second["emails"]) <= set(merged["emails"])
    assert main([*book, "contacts", "show", "2"]) == 2

    assert main([*book, "contacts", "export-person", "1", str(tmp_path / "p.zip")]) == 0
    with zipfile.ZipFile(tmp_path / "p.zip") as bundle:
        assert sorted(n.rsplit(".", 1)[1] for n in bundle.namelist()) == ["json", "vcf"]

    capsys.readouterr()
    assert main([*book, "contacts", "erase", "1"]) == 2  # refuses without --yes
    assert "--yes" in capsys.readouterr().err
    assert main([*book, "contacts", "erase", "1", "--yes"]) == 0
    assert "erased" in capsys.readouterr().out
    assert main([*book, "contacts", "show", "1"]) == 2


def test_organizations_list(book: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    orgs = run_json(capsys, *book, "organizations", "list", "--search", "radio")
    assert [o["name"] for o in orgs] == ["Radio Canut"]
    assert orgs[0]["kind"] == "media"
    assert main([*book, "organizations", "list"]) == 0
    assert "Radio Canut" in capsys.readouterr().out


def test_group_without_command_prints_its_help(
    book: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*book, "contacts"]) == 2
    assert "export-person" in capsys.readouterr().err


def test_duplicates(book: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from cmplanner.services.contact_data import ContactData, Labelled
    from cmplanner.services.contacts import create_contact
    from cmplanner.storage import Database

    with Database.open(book[1]) as db:
        a, _ = create_contact(db, ContactData(given_name="Benoît", family_name="Dupuis"))
        b, _ = create_contact(
            db, ContactData(given_name="benoit", family_name="DUPUIS", emails=(Labelled("b@d.fr"),))
        )
    pairs = run_json(capsys, *book, "contacts", "duplicates")
    assert {"first": a, "second": b, "reason": "same name"} in pairs


def test_a_pair_said_to_be_two_people_is_not_suggested_again(
    book: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from cmplanner.services import duplicates, preferences
    from cmplanner.services.contact_data import ContactData
    from cmplanner.services.contacts import create_contact
    from cmplanner.storage import Database

    with Database.open(book[1]) as db:
        a, _ = create_contact(db, ContactData(given_name="Benoît", family_name="Dupuis"))
        b, _ = create_contact(db, ContactData(given_name="benoit", family_name="DUPUIS"))
        duplicates.set_not_the_same(db, b, a)  # either order
        assert duplicates.not_the_same(db) == {(a, b)}
    pairs = run_json(capsys, *book, "contacts", "duplicates")
    assert not any({p["first"], p["second"]} == {a, b} for p in pairs)
    with Database.open(book[1]) as db:
        duplicates.set_not_the_same(db, a, b, apart=False)  # undo
        assert duplicates.not_the_same(db) == set()
        assert any({d.first, d.second} == {a, b} for d in duplicates.find_duplicates(db))
        preferences.put(db, duplicates.NOT_THE_SAME, "[[1, 2")  # damaged: forgotten, no crash
        assert duplicates.not_the_same(db) == set()
