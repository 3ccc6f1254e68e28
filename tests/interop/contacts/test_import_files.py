"""Each quirk of real exports, from a fixture file, read with its content exact."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmplanner.interop.contacts.csv_files import guess_mapping, parse_csv
from cmplanner.interop.contacts.items import ImportRefused
from cmplanner.interop.contacts.parse import parse_bytes, parse_file
from cmplanner.services.contact_data import (
    AddressData,
    AffiliationData,
    ContactData,
    Labelled,
    OrganizationData,
)

FIXTURES = Path(__file__).parents[1] / "fixtures"
PNG_SIZE = 70


def cards(name: str) -> list[ContactData]:
    parsed = parse_file(FIXTURES / name)
    assert all(item.valid for item in parsed.items), [i.problem_text() for i in parsed.items]
    out = [item.data for item in parsed.items]
    assert all(isinstance(c, ContactData) for c in out)
    return out  # type: ignore[return-value]


def test_vcard30_accents_and_fields_survive_exactly() -> None:
    benoit, zoe, greek, russian, japanese = cards("vcard30_accents.vcf")
    assert (benoit.given_name, benoit.family_name, benoit.nickname) == ("Benoît", "Müller", "Ben")
    assert benoit.uid == "accent-1"
    assert benoit.emails == (Labelled("benoit.muller@exemple.fr", "work"),)
    assert benoit.phones == (
        Labelled("+33 6 12 34 56 78", "mobile"),
        Labelled("+33 1 23 45 67 89", "home"),
    )
    assert benoit.addresses == (
        AddressData("work", "12 rue de l'Église", "42000", "Saint-Étienne", "", "France"),
    )
    # ORG's second part is the department (it was dropped without a word).
    assert benoit.affiliations == (
        AffiliationData("Café Associatif", "Trésorier", department="Bénévoles"),
    )
    assert benoit.tags == ("bénévoles", "Ambassadeurs")
    assert benoit.notes == "Rencontré à la fête, très motivé.\nDeuxième ligne."
    assert (zoe.given_name, zoe.addresses[0].city) == ("Zoë", "Łódź")
    assert (greek.given_name, greek.family_name) == ("Γιώργος", "Παπαδόπουλος")
    assert (russian.given_name, russian.family_name) == ("Анна", "Иванова")
    assert (japanese.given_name, japanese.family_name) == ("太郎", "山田")


def test_byte_order_mark_is_ignored() -> None:
    (helene,) = cards("vcard_bom.vcf")
    assert (helene.given_name, helene.family_name) == ("Hélène", "Faverial")


def test_lf_only_and_mixed_line_endings_with_folding() -> None:
    amelie, lea = cards("vcard_lf_only.vcf")
    assert (
        amelie.notes == "Une note assez longue pour être pliée sur deux lignes par l'exportateur."
    )
    assert (lea.given_name, lea.emails[0].value) == ("Léa", "lea@exemple.fr")


def test_vcard21_quoted_printable_with_charsets_and_soft_breaks() -> None:
    benoit, noemie = cards("vcard21_qp.vcf")
    assert (benoit.given_name, benoit.family_name) == ("Benoît", "Müller")
    assert benoit.notes == (
        "Première ligne d'une note qui est longue, très longue\nSeconde ligne à Zürich et Łódź"
    )
    assert benoit.phones == (
        Labelled("+33 6 12 34 56 78", "mobile"),
        Labelled("+33 1 23 45 67 89", "work fax"),
    )
    assert (noemie.given_name, noemie.family_name) == ("Noémie", "Gaël")  # ISO-8859-1


def test_apple_groups_give_labels() -> None:
    (chloe,) = cards("vcard_apple_groups.vcf")
    assert chloe.family_name == "Lefèvre"
    assert chloe.emails == (
        Labelled("chloe@bureau.fr", "work"),
        Labelled("chloe@asso.org", "Association"),
    )
    assert chloe.phones[0] == Labelled("+33 6 98 76 54 32", "mobile")


def test_photos_in_base64_and_data_uri() -> None:
    ines, theo = cards("vcard_photo_base64.vcf")
    (maelle,) = cards("vcard40_photo_uri.vcf")
    for person in (ines, theo, maelle):
        assert person.photo is not None
        assert person.photo.startswith(b"\x89PNG") and len(person.photo) == PNG_SIZE
    assert maelle.uid == "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    assert maelle.given_name == "Maëlle"


def test_categories_become_tags_without_system_groups() -> None:
    (noe,) = cards("vcard_categories.vcf")
    assert noe.tags == ("Sponsors", "Presse régionale", "Médias")


def test_kind_org_and_show_as_company_are_organizations() -> None:
    items = parse_file(FIXTURES / "vcard40_kind_org.vcf").items
    mda, fabrique = (item.data for item in items)
    assert isinstance(mda, OrganizationData) and isinstance(fabrique, OrganizationData)
    assert mda.name == "Maison des Associations de Saint-Étienne"
    assert (mda.email, mda.phone, mda.website) == (
        "contact@mda.fr",
        "+33 4 77 00 00 00",
        "https://mda.example.fr",
    )
    assert (mda.city, mda.uid) == ("Saint-Étienne", "urn:uuid:org-1")
    assert fabrique.name == "Fabrique Numérique"


def test_google_current_headers() -> None:
    parsed = parse_file(FIXTURES / "google_current.csv")
    assert parsed.format == "google"
    benoit, zoe = (i.data for i in parsed.items)
    assert isinstance(benoit, ContactData) and isinstance(zoe, ContactData)
    assert benoit.emails == (
        Labelled("benoit@bureau.fr", "work"),
        Labelled("benoit.m@bureau.fr", "work"),
        Labelled("benoit@maison.fr", "home"),
    )
    assert benoit.tags == ("Bénévoles",)  # "* myContacts" and "* starred" dropped
    assert benoit.affiliations == (AffiliationData("Café Associatif", "Trésorier"),)
    assert benoit.addresses[0].city == "Saint-Étienne"
    assert (zoe.family_name, zoe.nickname, zoe.tags) == ("Łukasiewicz", "Zozo", ())
    assert benoit.birthday == "1980-03-02" and not parsed.items[0].warnings  # kept now


def test_google_legacy_headers() -> None:
    parsed = parse_file(FIXTURES / "google_legacy.csv")
    assert parsed.format == "google"
    (helene,) = (i.data for i in parsed.items)
    assert isinstance(helene, ContactData)
    assert helene.tags == ("Presse", "Partenaires")
    assert [p.value for p in helene.phones] == [
        "+33 6 11 22 33 44",
        "+33 7 55 66 77 88",
        "+33 1 40 00 00 00",
    ]
    assert helene.affiliations == (AffiliationData("Le Journal", "Rédactrice"),)


@pytest.mark.parametrize(
    ("name", "given", "family", "organization", "role"),
    [
        ("outlook_en_utf8.csv", "Benoît", "Müller", "Café Associatif", "Trésorier"),
        ("outlook_fr_cp1252.csv", "Zoë", "Lefèvre", "Mairie d'Évry", "Chargée de mission"),
        ("outlook_fr_bom.csv", "Benoît", "Müller", "Café Associatif", "Trésorier"),
        ("outlook_de_cp1252.csv", "Jürgen", "Größmann", "Bürgerverein Köln", "Vorstand"),
    ],
)
def test_outlook_languages_encodings_and_separators(
    name: str, given: str, family: str, organization: str, role: str
) -> None:
    parsed = parse_file(FIXTURES / name)
    assert parsed.format == "outlook"
    (person,) = (i.data for i in parsed.items)
    assert isinstance(person, ContactData)
    assert (person.given_name, person.family_name) == (given, family)
    assert person.affiliations == (AffiliationData(organization, role),)
    assert any(p.label == "mobile" for p in person.phones)


def test_outlook_labels_and_categories() -> None:
    (benoit,) = cards("outlook_en_utf8.csv")
    assert benoit.phones == (
        Labelled("+33 2 40 00 00 00", "work"),
        Labelled("+33 6 12 34 56 78", "mobile"),
    )
    assert benoit.tags == ("Bénévoles", "Sponsors")
    assert benoit.addresses == (
        AddressData("work", "1 rue du Port", "44000", "Nantes", "", "France"),
    )
    assert [e.value for e in benoit.emails] == ["benoit@cafe.fr", "benoit@maison.fr"]


def test_generic_csv_guessed_mapping() -> None:
    data = (FIXTURES / "generic.csv").read_bytes()
    parsed = parse_bytes(data)
    assert parsed.format == "csv"
    assert parsed.ignored_columns == ("Couleur préférée",)
    amelie, lea = (i.data for i in parsed.items)
    assert isinstance(amelie, ContactData) and isinstance(lea, ContactData)
    assert (amelie.given_name, amelie.family_name, amelie.addresses[0].city) == (
        "Amélie",
        "Dubois",
        "Lyon",
    )
    assert amelie.affiliations == (AffiliationData("Les Petits Débrouillards", "Animatrice"),)
    assert parsed.items[1].number == 3  # the blank row still counts


def test_explicit_mapping() -> None:
    headers = ["Qui", "Mél", "Ville"]
    assert guess_mapping(headers) == {0: "ignore", 1: "ignore", 2: "city"}
    items = parse_csv(
        "Qui;Mél;Ville\nZoë Kowalska;zoe@exemple.pl;Łódź\n", {0: "full_name", 1: "email", 2: "city"}
    )
    (zoe,) = (i.data for i in items)
    assert isinstance(zoe, ContactData)
    assert (zoe.given_name, zoe.family_name, zoe.emails[0].value) == (
        "Zoë",
        "Kowalska",
        "zoe@exemple.pl",
    )


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"Lorem ipsum dolor sit amet.\nConsectetur.", "neither"),
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:cut", None),
    ],
)
def test_garbage_gets_a_clear_message(data: bytes, words: str | None) -> None:
    if words is None:  # a cut file: the card is reported, not a traceback
        (item,) = parse_bytes(data).items
        assert not item.valid and "END:VCARD" in item.problem_text()
        return
    with pytest.raises(ImportRefused, match=words):
        parse_bytes(data)


def test_invalid_card_names_number_line_and_field() -> None:
    items = parse_file(FIXTURES / "vcard_invalid_card.vcf").items
    assert [i.valid for i in items] == [True, False, True]
    assert items[1].where() == "card 2, line 6"
    assert items[1].problem_text().startswith("name: ")


def test_only_b_and_e_upper_case_to_the_start_of_begin_and_end() -> None:
    """The card splitter looks only at lines starting with b/B/e/E (after white space)."""
    import re
    import sys

    from cmplanner.interop.contacts.vcard import _EDGE_STARTS

    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        assert ch.isspace() == bool(re.fullmatch(r"\s", ch)), hex(code)
        if ch.upper()[:1] in ("B", "E"):
            assert ch in _EDGE_STARTS, hex(code)


@given(st.text(alphabet=st.sampled_from(["a", "é", " ", "\r", "\n"]), max_size=60))
@settings(max_examples=300, derandomize=True, deadline=None)
def test_line_breaks_split_like_the_regular_expression(text: str) -> None:
    import re

    from cmplanner.interop.contacts.vcard import unix_lines

    assert unix_lines(text) == re.sub(r"\r*\n|\r+", "\n", text)
