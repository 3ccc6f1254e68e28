"""CSV export for the program that reads it: a spreadsheet (formulas guarded, BOM), Google
Contacts and Outlook (their own columns and labels, values as they import them). CM Planner
reads each back; a tag holding a comma comes back as one tag, from CSV and vCard alike."""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from cmplanner.cli import contact_files as commands
from cmplanner.errors import CMPlannerError
from cmplanner.i18n import set_language
from cmplanner.interop.contacts.export import (
    DIALECTS,
    OUTLOOK_HEADERS,
    export_csv,
    export_vcard,
)
from cmplanner.interop.contacts.parse import parse_bytes, parse_file
from cmplanner.services import contacts
from cmplanner.services.contact_data import AddressData, AffiliationData, ContactData, Labelled
from cmplanner.storage import Database

TAG = "vélo, rando"
ZOE = ContactData(
    given_name="Zoé",
    family_name="Zimmer",
    nickname="Zizou",
    name_prefix="Dr",
    birthday="1985-04-12",
    anniversary="2015-06-20",
    emails=(Labelled("zoe@example.org", "work"), Labelled("zoe@maison.fr", "home")),
    phones=(Labelled("+33 6 12 34 56 78", "mobile"), Labelled("+33 4 78 00 00 00", "work")),
    addresses=(
        AddressData("work", "1 rue du Port", "69001", "Lyon", "", "France"),
        AddressData("home", "2 place Bellecour", "69002", "Lyon", "", "France"),
    ),
    affiliations=(AffiliationData("Vélo Club", "Trésorière", department="Compta"),),
    tags=("presse", TAG),
    notes="=SUM(A1) n'est pas une formule",
)


@pytest.fixture
def zoe(empty_db: Database) -> ContactData:
    contact_id = contacts.create_contact(empty_db, ZOE)[0]
    return contacts.get_contact(empty_db, contact_id).data


def export(db: Database, path: Path, dialect: str, **kwargs: object) -> tuple[bytes, list[dict]]:
    export_csv(db, None, path, dialect=dialect, **kwargs)  # type: ignore[arg-type]
    raw = path.read_bytes()
    return raw, list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def without_ids(card: ContactData) -> ContactData:
    return dataclasses.replace(
        card,
        affiliations=tuple(dataclasses.replace(a, organization_id=None) for a in card.affiliations),
        communities=(),
    )


def test_the_dialects(zoe: ContactData) -> None:
    assert DIALECTS == commands.CSV_DIALECTS  # the CLI's choices, kept without an import


def test_spreadsheet_header_row_bom_and_formula_guard(
    empty_db: Database, zoe: ContactData, tmp_path: Path
) -> None:
    raw, (row,) = export(empty_db, tmp_path / "out.csv", "spreadsheet")
    assert raw.startswith(
        b"\xef\xbb\xbfName,Name Prefix,First Name,Last Name,Name Suffix,Nickname,Birthday,"
        b"Event 1 - Label,Event 1 - Value,E-mail 1 - Label,"
    )
    assert raw.rstrip(b"\r\n").split(b"\r\n")[0].endswith(b",Labels,Notes,UID")
    assert row["First Name"] == "Zoé" and row["E-mail 1 - Value"] == "zoe@example.org"
    assert (row["Name Prefix"], row["Birthday"]) == ("Dr", "1985-04-12")
    assert (row["Event 1 - Label"], row["Event 1 - Value"]) == ("Anniversary", "2015-06-20")
    assert row["Organization 1 - Department"] == "Compta"
    assert row["Phone 1 - Value"] == "'+33 6 12 34 56 78"  # guarded: no formula
    assert row["Notes"] == "'=SUM(A1) n'est pas une formule"
    assert row["Labels"] == f"presse ::: {TAG}"
    assert row["Organization 1 - Name"] == "Vélo Club" and row["UID"] == zoe.uid
    # Without a BOM on request.
    raw, _rows = export(empty_db, tmp_path / "plain.csv", "spreadsheet", bom=False)
    assert raw.startswith(b"Name,")


def test_google_contacts_header_and_row(
    empty_db: Database, zoe: ContactData, tmp_path: Path
) -> None:
    raw, (row,) = export(empty_db, tmp_path / "google.csv", "google")
    assert raw.startswith(b"Name Prefix,First Name,")  # no BOM: Google reads UTF-8
    assert list(row) == [
        "Name Prefix",
        "First Name",
        "Last Name",
        "Name Suffix",
        "Nickname",
        "Birthday",
        "Organization Name",
        "Organization Title",
        "Organization Department",
        "Notes",
        "Labels",
        "Event 1 - Label",
        "Event 1 - Value",
        "E-mail 1 - Label",
        "E-mail 1 - Value",
        "E-mail 2 - Label",
        "E-mail 2 - Value",
        "Phone 1 - Label",
        "Phone 1 - Value",
        "Phone 2 - Label",
        "Phone 2 - Value",
        *(
            f"Address {n} - {part}"
            for n in (1, 2)
            for part in ("Label", "Street", "City", "Region", "Postal Code", "Country")
        ),
    ]
    assert row == {
        "Name Prefix": "Dr",
        "First Name": "Zoé",
        "Last Name": "Zimmer",
        "Name Suffix": "",
        "Nickname": "Zizou",
        "Birthday": "1985-04-12",
        "Organization Name": "Vélo Club",
        "Organization Title": "Trésorière",
        "Organization Department": "Compta",
        "Notes": "=SUM(A1) n'est pas une formule",  # as written: Google runs no formula
        "Labels": f"* myContacts ::: presse ::: {TAG}",
        "Event 1 - Label": "Anniversary",
        "Event 1 - Value": "2015-06-20",
        "E-mail 1 - Label": "Work",
        "E-mail 1 - Value": "zoe@example.org",
        "E-mail 2 - Label": "Home",
        "E-mail 2 - Value": "zoe@maison.fr",
        "Phone 1 - Label": "Mobile",
        "Phone 1 - Value": "+33 6 12 34 56 78",  # no apostrophe
        "Phone 2 - Label": "Work",
        "Phone 2 - Value": "+33 4 78 00 00 00",
        "Address 1 - Label": "Work",
        "Address 1 - Street": "1 rue du Port",
        "Address 1 - City": "Lyon",
        "Address 1 - Region": "",
        "Address 1 - Postal Code": "69001",
        "Address 1 - Country": "France",
        "Address 2 - Label": "Home",
        "Address 2 - Street": "2 place Bellecour",
        "Address 2 - City": "Lyon",
        "Address 2 - Region": "",
        "Address 2 - Postal Code": "69002",
        "Address 2 - Country": "France",
    }


def test_outlook_header_and_row(empty_db: Database, zoe: ContactData, tmp_path: Path) -> None:
    raw, (row,) = export(empty_db, tmp_path / "outlook.csv", "outlook")
    assert raw.startswith(b"\xef\xbb\xbfTitle,First Name,Last Name,")  # Outlook needs the BOM
    assert list(row) == list(OUTLOOK_HEADERS)
    filled = {k: v for k, v in row.items() if v}
    assert filled == {
        "Title": "Dr",
        "First Name": "Zoé",
        "Last Name": "Zimmer",
        "Nickname": "Zizou",
        "Company": "Vélo Club",
        "Department": "Compta",
        "Job Title": "Trésorière",
        "Birthday": "1985-04-12",
        "Anniversary": "2015-06-20",
        "Business Street": "1 rue du Port",
        "Business City": "Lyon",
        "Business Postal Code": "69001",
        "Business Country/Region": "France",
        "Home Street": "2 place Bellecour",
        "Home City": "Lyon",
        "Home Postal Code": "69002",
        "Home Country/Region": "France",
        "Mobile Phone": "+33 6 12 34 56 78",  # no apostrophe
        "Business Phone": "+33 4 78 00 00 00",
        "Categories": f"presse;{TAG}",
        "E-mail Address": "zoe@example.org",
        "E-mail 2 Address": "zoe@maison.fr",
        "Notes": "=SUM(A1) n'est pas une formule",
    }


def test_google_round_trip(empty_db: Database, zoe: ContactData, tmp_path: Path) -> None:
    export_csv(empty_db, None, tmp_path / "google.csv", dialect="google")
    parsed = parse_file(tmp_path / "google.csv")
    assert parsed.format == "google"
    (item,) = parsed.items
    assert item.valid and not item.warnings
    assert item.data == dataclasses.replace(without_ids(zoe), uid=None)  # Google has no UID


def test_outlook_round_trip(empty_db: Database, zoe: ContactData, tmp_path: Path) -> None:
    export_csv(empty_db, None, tmp_path / "outlook.csv", dialect="outlook")
    parsed = parse_file(tmp_path / "outlook.csv")
    assert parsed.format == "outlook"
    (item,) = parsed.items
    assert item.valid and not item.warnings
    back = item.data
    assert isinstance(back, ContactData)
    expected = without_ids(zoe)
    # Outlook's e-mails have no labels; its columns put phones in its own order.
    assert back.emails == tuple(Labelled(e.value) for e in expected.emails)
    assert sorted(back.phones, key=str) == sorted(expected.phones, key=str)
    assert dataclasses.replace(back, emails=(), phones=()) == dataclasses.replace(
        expected, emails=(), phones=(), uid=None
    )


def test_what_outlook_has_no_column_for_goes_to_the_notes(
    empty_db: Database, tmp_path: Path, region: Callable[[str], None]
) -> None:
    region("en_US")  # the birthday in the notes: "April 12"
    many = ContactData(
        given_name="Ana",
        family_name="Lima",
        emails=tuple(Labelled(f"ana{n}@example.org") for n in range(4)),
        phones=tuple(Labelled(f"+33 6 12 34 56 7{n}", "mobile") for n in range(3)),
        addresses=(
            AddressData("work", "1 rue A", "69001", "Lyon"),
            AddressData("work", "2 rue B", "69002", "Lyon"),
            AddressData("work", "3 rue C", "69003", "Lyon", "", "France"),
        ),
        affiliations=(AffiliationData("A"), AffiliationData("B", "Présidente")),
        notes="Vue au forum",
        birthday="--04-12",  # no year: Outlook's date column cannot hold it
    )
    contacts.create_contact(empty_db, many)
    _raw, (row,) = export(empty_db, tmp_path / "outlook.csv", "outlook")
    assert (row["Mobile Phone"], row["Other Phone"]) == ("+33 6 12 34 56 70", "+33 6 12 34 56 71")
    assert (row["Business Street"], row["Other Street"]) == ("1 rue A", "2 rue B")
    assert row["E-mail 3 Address"] == "ana2@example.org" and row["Company"] == "A"
    assert row["Birthday"] == ""
    assert row["Notes"].splitlines() == [
        "Vue au forum",
        "Birthday: April 12",
        "Organization (Présidente): B",
        "Address (work): 3 rue C, 69003, Lyon, France",
        "Phone (mobile): +33 6 12 34 56 72",
        "E-mail: ana3@example.org",
    ]


def test_google_labels_and_outlook_categories_keep_a_comma(empty_db: Database) -> None:
    google = (
        "First Name,Last Name,Labels,E-mail 1 - Label,E-mail 1 - Value\r\n"
        f'Zoé,Zimmer,"* myContacts ::: {TAG} ::: presse",* Work Fax,zoe@example.org\r\n'
    ).encode()
    (item,) = parse_bytes(google).items
    assert isinstance(item.data, ContactData)
    assert item.data.tags == (TAG, "presse")
    assert item.data.emails == (Labelled("zoe@example.org", "work fax"),)
    outlook = (
        "First Name,Last Name,Company,Job Title,Categories,E-mail Address\r\n"
        f'Zoé,Zimmer,Vélo Club,Trésorière,"{TAG};presse",zoe@example.org\r\n'
    ).encode()
    parsed = parse_bytes(outlook)
    assert parsed.format == "outlook"
    assert parsed.items[0].data.tags == (TAG, "presse")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("suffix", "write"),
    [
        ("vcf", lambda db, path: export_vcard(db, None, path, "4.0")),
        ("vcf", lambda db, path: export_vcard(db, None, path, "3.0")),
        *(
            ("csv", lambda db, path, d=dialect: export_csv(db, None, path, dialect=d))
            for dialect in DIALECTS
        ),
    ],
)
def test_a_tag_with_a_comma_survives_a_round_trip(
    empty_db: Database, zoe: ContactData, tmp_path: Path, suffix: str, write: object
) -> None:
    path = tmp_path / f"out.{suffix}"
    write(empty_db, path)  # type: ignore[operator]
    (item,) = parse_file(path).items
    assert item.data.tags == ("presse", TAG)  # type: ignore[union-attr]


def cli(db: Database, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--demo", action="store_true")
    commands.register(parser.add_subparsers())
    args = parser.parse_args(["--db", str(db.path), *argv])
    db.close()
    return int(args.handler(args))


def test_cli_dialects_and_bom(
    empty_db: Database, zoe: ContactData, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = empty_db.path
    empty_db.close()  # each command opens it

    def run(*argv: str) -> bytes:
        assert cli(Database.open(path), "export", *argv) == 0
        return Path(argv[0]).read_bytes()

    assert run(str(tmp_path / "a.csv")).startswith(b"\xef\xbb\xbfName,")  # spreadsheet
    assert run(str(tmp_path / "b.csv"), "--no-bom").startswith(b"Name,")
    google = run(str(tmp_path / "c.txt"), "--dialect", "google")  # --dialect: a CSV
    assert google.startswith(b"Name Prefix,First Name,Last Name,Name Suffix,Nickname,")
    assert b"+33 6 12 34 56 78" in google and b"'+33" not in google
    assert run(str(tmp_path / "d.csv"), "--dialect", "google", "--bom").startswith(b"\xef\xbb\xbf")
    outlook = run(str(tmp_path / "e.csv"), "--dialect", "outlook", "--no-bom")
    assert outlook.startswith(b"Title,First Name,Last Name,Suffix,Nickname,Company,")
    capsys.readouterr()
    assert (
        cli(
            Database.open(path), "export", str(tmp_path / "f.csv"), "--dialect", "outlook", "--json"
        )
        == 0
    )
    said = json.loads(capsys.readouterr().out)
    assert (said["format"], said["dialect"], said["count"]) == ("csv", "outlook", 1)
    with pytest.raises(CMPlannerError, match="--dialect"):
        cli(
            Database.open(path),
            "export",
            str(tmp_path / "g.vcf"),
            "--format",
            "vcard",
            "--dialect",
            "google",
        )
    assert not (tmp_path / "g.vcf").exists()


def test_what_goes_to_the_notes_is_written_in_the_interface_language(
    empty_db: Database, tmp_path: Path
) -> None:
    set_language("fr")
    phones = tuple(Labelled(f"+33 1 23 45 67 8{n}", "work") for n in range(4))
    contacts.create_contact(empty_db, ContactData(given_name="Ana", phones=phones))
    _raw, (row,) = export(empty_db, tmp_path / "outlook.csv", "outlook")
    assert row["Notes"] == "Téléphone (travail)\u00a0: +33 1 23 45 67 83"
