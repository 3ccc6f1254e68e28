"""Nothing a user typed is dropped on import: birthday and anniversary (with or without the
year), name prefix and suffix, a formatted name of its own, the organization's department;
stored, exported in vCard 3.0, 4.0 and CSV, and read back the same."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from cmplanner.cli.main import main
from cmplanner.interop.contacts.export import export_csv, export_vcard, vcard_text
from cmplanner.interop.contacts.parse import parse_bytes, parse_file
from cmplanner.interop.contacts.write import apply_import
from cmplanner.services.contact_data import AffiliationData, ContactData, Labelled
from cmplanner.services.contacts import create_contact, get_contact
from cmplanner.services.partial_dates import format_partial_date, parse_partial_date
from cmplanner.storage import Database

VCARD40 = """BEGIN:VCARD
VERSION:4.0
N:Curie;Marie;Salomea;Dr;PhD
FN:Maria Skłodowska-Curie
BDAY:18671107
ANNIVERSARY:--0726
EMAIL:marie@example.org
ORG:Institut du Radium;Laboratoire Curie
TITLE:Directrice
END:VCARD
BEGIN:VCARD
VERSION:4.0
N:Bernard;Léon;;;
FN:Léon Bernard
BDAY:--0412
END:VCARD
"""
VCARD30 = """BEGIN:VCARD
VERSION:3.0
N:Martin;Anne;;Me;
FN:Me Anne Martin
BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29
item1.X-ABDATE:2010-06-20
item1.X-ABLabel:_$!<Anniversary>!$_
EMAIL:anne@example.org
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:Roux;Paul;;;
FN:Paul Roux
BDAY:le printemps
END:VCARD
"""


def read(text: str) -> list[ContactData]:
    items = parse_bytes(text.replace("\n", "\r\n").encode()).items
    assert all(i.valid for i in items)
    return [i.data for i in items]  # type: ignore[misc]


def test_vcard40_fields_are_read() -> None:
    marie, leon = read(VCARD40)
    assert (marie.name_prefix, marie.given_name, marie.family_name, marie.name_suffix) == (
        "Dr",
        "Marie Salomea",
        "Curie",
        "PhD",
    )
    assert marie.formatted_name == "Maria Skłodowska-Curie"  # not just given + family
    assert marie.display_name == "Maria Skłodowska-Curie"
    assert (marie.birthday, marie.anniversary) == ("1867-11-07", "--07-26")
    assert marie.affiliations == (
        AffiliationData("Institut du Radium", "Directrice", department="Laboratoire Curie"),
    )
    assert (leon.birthday, leon.formatted_name) == ("--04-12", "")  # FN = given + family


def test_vcard30_apple_dates_and_a_date_that_is_not_one() -> None:
    parsed = parse_bytes(VCARD30.replace("\n", "\r\n").encode())
    anne, paul = (i.data for i in parsed.items)
    assert isinstance(anne, ContactData) and isinstance(paul, ContactData)
    assert (anne.birthday, anne.anniversary) == ("--02-29", "2010-06-20")
    assert (anne.name_prefix, anne.formatted_name) == ("Me", "")  # "Me Anne Martin" is plain
    assert paul.birthday == "" and paul.notes == "Birthday as written: le printemps"
    assert parsed.items[1].warnings == [
        "Birthday “le printemps” is not a date; it was kept in the notes."
    ]
    assert not parsed.items[0].warnings  # nothing said to be dropped


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_vcard_round_trip_with_dates_and_names(
    empty_db: Database, tmp_path: Path, version: str
) -> None:
    report = apply_import(empty_db, parse_bytes((VCARD40 + VCARD30).encode()).items)
    before = [get_contact(empty_db, i).data for i in report.created]
    assert before[0].birthday == "1867-11-07" and before[2].anniversary == "2010-06-20"
    target = tmp_path / "out.vcf"
    export_vcard(empty_db, report.created, target, version)
    text = target.read_text(encoding="utf-8")
    if version == "4.0":
        assert "BDAY:18671107" in text and "BDAY:--0412" in text and "ANNIVERSARY:--0726" in text
    else:
        assert "BDAY:1867-11-07" in text and "X-ANNIVERSARY:--07-26" in text
    assert "ORG:Institut du Radium;Laboratoire Curie" in text
    assert "N:Curie;Marie Salomea;;Dr;PhD" in text and "FN:Maria Skłodowska-Curie" in text
    back = [i.data for i in parse_file(target).items]

    def comparable(c: ContactData) -> ContactData:
        links = tuple(
            AffiliationData(a.organization, a.role, None, a.department) for a in c.affiliations
        )
        return ContactData(**{**c.__dict__, "affiliations": links, "communities": ()})

    assert [comparable(c) for c in back] == [comparable(c) for c in before]  # type: ignore[arg-type]


def test_csv_round_trip_with_dates_and_names(empty_db: Database, tmp_path: Path) -> None:
    report = apply_import(empty_db, parse_bytes((VCARD40 + VCARD30).encode()).items)
    target = tmp_path / "out.csv"
    export_csv(empty_db, report.created, target)
    header = target.read_text(encoding="utf-8").splitlines()[0]
    assert "Birthday" in header and "Organization 1 - Department" in header
    back = [i.data for i in parse_file(target).items]
    assert isinstance(back[0], ContactData)
    marie = back[0]
    assert (marie.name_prefix, marie.name_suffix, marie.formatted_name) == (
        "Dr",
        "PhD",
        "Maria Skłodowska-Curie",
    )
    assert (marie.birthday, marie.anniversary) == ("1867-11-07", "--07-26")
    assert marie.affiliations[0].department == "Laboratoire Curie"
    assert [c.birthday for c in back] == ["1867-11-07", "--04-12", "--02-29", ""]


def test_outlook_and_google_csv_dates_prefix_suffix_department() -> None:
    outlook = (
        "Title,First Name,Last Name,Suffix,Company,Department,Job Title,E-mail Address,"
        "Birthday,Anniversary\r\n"
        "Dr.,Marie,Curie,PhD,Institut du Radium,Laboratoire,Directrice,marie@example.org,"
        "11/7/1867,0/0/00\r\n"
    )
    (marie,) = (i.data for i in parse_bytes(outlook.encode()).items)
    assert isinstance(marie, ContactData)
    assert (marie.name_prefix, marie.name_suffix, marie.birthday, marie.anniversary) == (
        "Dr.",
        "PhD",
        "1867-11-07",  # English Outlook: month first
        "",  # 0/0/00: none
    )
    assert marie.affiliations == (
        AffiliationData("Institut du Radium", "Directrice", department="Laboratoire"),
    )
    google = (
        "First Name,Last Name,Name Prefix,Birthday,Event 1 - Label,Event 1 - Value,"
        "Event 2 - Label,Event 2 - Value,Organization 1 - Name,Organization 1 - Department,"
        "E-mail 1 - Value\r\n"
        "Léon,Bernard,Pr,--04-12,Anniversary,2001-09-08,Rencontre,2019-05-01,Inserm,Neuro,"
        "leon@example.org\r\n"
    )
    (leon,) = (i.data for i in parse_bytes(google.encode()).items)
    assert isinstance(leon, ContactData)
    assert (leon.name_prefix, leon.birthday, leon.anniversary) == ("Pr", "--04-12", "2001-09-08")
    assert leon.affiliations[0].department == "Neuro"
    assert leon.notes == "Rencontre: 2019-05-01"  # another event: kept in the notes


@pytest.mark.parametrize(
    ("text", "day_first", "stored"),
    [
        ("1985-04-12", True, "1985-04-12"),
        ("19850412", True, "1985-04-12"),
        ("--0412", True, "--04-12"),
        ("1985-04-12T00:00:00Z", True, "1985-04-12"),
        ("12/04/1985", True, "1985-04-12"),
        ("12/04/1985", False, "1985-12-04"),
        ("25/12", False, "--12-25"),  # 25 cannot be a month
        ("29/02", True, "--02-29"),
        ("31/02", True, None),
        ("demain", True, None),
    ],
)
def test_partial_dates(text: str, day_first: bool, stored: str | None) -> None:
    assert parse_partial_date(text, day_first) == stored


def test_partial_dates_for_people() -> None:
    assert format_partial_date("1985-04-12", "fr") == "12 avril 1985"
    assert format_partial_date("--04-12", "fr") == "12 avril"
    assert format_partial_date("--04-12", "en_US") == "April 12"
    assert format_partial_date("--04-12", "en") == "12 April"  # no region said: en_GB's order


def cli(db: Database, *argv: str) -> int:
    db.close()  # the command opens the database itself
    return main(["--db", str(db.path), *argv])


def test_birthdays_this_month(
    empty_db: Database, frozen_clock: dt.datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    month = frozen_clock.month
    other = month % 12 + 1
    for name, birthday in (
        ("Avec Année", f"1990-{month:02d}-03"),
        ("Sans Année", f"--{month:02d}-28"),
        ("Autre Mois", f"1990-{other:02d}-03"),
        ("Sans Date", ""),
    ):
        given, family = name.split()
        create_contact(
            empty_db, ContactData(given_name=given, family_name=family, birthday=birthday)
        )
    path = empty_db.path
    assert cli(empty_db, "contacts", "list", "--birthday-month", "this", "--json") == 0
    found = json.loads(capsys.readouterr().out)
    assert sorted(r["display_name"] for r in found) == ["Avec Année", "Sans Année"]
    assert {r["birthday"] for r in found} == {f"1990-{month:02d}-03", f"--{month:02d}-28"}
    with Database.open(path) as db:
        assert cli(db, "contacts", "list", "--birthday-month", str(other)) == 0
    out = capsys.readouterr().out
    assert "Autre Mois" in out and "Avec" not in out
    with Database.open(path) as db:
        assert cli(db, "contacts", "show", "1") == 0
    assert "Birthday: " in capsys.readouterr().out
    with Database.open(path) as db:
        assert cli(db, "contacts", "list", "--birthday-month", "13") == 2
    assert "a month from 1 to 12" in capsys.readouterr().err


def test_only_an_email_or_only_a_phone_is_shown_never_a_question_mark(
    empty_db: Database,
) -> None:
    from cmplanner.services.contact_records import contact_names, contact_records
    from cmplanner.services.event_extras import find_contacts

    mail_id, _c = create_contact(empty_db, ContactData(emails=(Labelled("seule@x.fr"),)))
    phone_id, _c = create_contact(empty_db, ContactData(phones=(Labelled("06 12 34 56 78"),)))
    with empty_db.read() as con:
        names = contact_names(con, [mail_id, phone_id])
    assert names == {mail_id: "seule@x.fr", phone_id: "+33 6 12 34 56 78"}
    assert [r["display_name"] for r in contact_records(empty_db, [mail_id, phone_id])] == [
        "seule@x.fr",
        "+33 6 12 34 56 78",
    ]
    assert [c.name for c in find_contacts(empty_db, "seule")] == ["seule@x.fr"]
    assert get_contact(empty_db, phone_id).data.display_name == "+33 6 12 34 56 78"
    text, _n = vcard_text(empty_db, [mail_id, phone_id])
    assert "FN:seule@x.fr" in text and "FN:+33 6 12 34 56 78" in text and "FN:?" not in text
