"""A national phone number is read in the region of the card's own address country, else the
preference's; one that is not a number of that region is kept as written, never rewritten
into another country's number."""

from __future__ import annotations

import pytest

from cmplanner.interop.contacts.parse import parse_bytes
from cmplanner.services.contact_data import AddressData, ContactData, Labelled, OrganizationData
from cmplanner.services.validation import (
    check_contact,
    check_imported,
    phone_digits,
    region_of_country,
)


@pytest.mark.parametrize(
    ("country", "region"),
    [
        ("Belgique", "BE"),
        ("België", "BE"),
        ("Belgium", "BE"),
        ("be", "BE"),
        ("BEL", "BE"),
        ("España", "ES"),
        ("Espagne", "ES"),
        ("Deutschland", "DE"),
        ("Royaume-Uni", "GB"),
        ("UK", "GB"),
        ("Schweiz", "CH"),
        ("côte d’ivoire", "CI"),
        ("Polska", "PL"),
        ("Lyon", None),
        ("", None),
    ],
)
def test_country_names_in_any_language(country: str, region: str | None) -> None:
    assert region_of_country(country) == region


def person(phone: str, country: str = "") -> ContactData:
    addresses = (AddressData("home", city="X", country=country),) if country else ()
    return ContactData(given_name="Ana", phones=(Labelled(phone),), addresses=addresses)


@pytest.mark.parametrize(
    ("phone", "country", "stored"),
    [
        ("612 345 678", "España", "+34 612 34 56 78"),
        ("0470 12 34 56", "Belgique", "+32 470 12 34 56"),
        ("0470 12 34 56", "België", "+32 470 12 34 56"),
        ("06 12 34 56 78", "", "+33 6 12 34 56 78"),  # no country: the preference (FR)
        ("06 12 34 56 78", "Lyon", "+33 6 12 34 56 78"),  # not a country: the preference
        ("+34 612 345 678", "France", "+34 612 34 56 78"),  # its own country code wins
    ],
)
def test_the_region_comes_from_the_cards_address(phone: str, country: str, stored: str) -> None:
    cleaned, problems = check_contact(person(phone, country), "FR")
    assert not problems
    assert cleaned.phones[0].value == stored


@pytest.mark.parametrize("phone", ["612 345 678", "6 12 34 56 78"])
def test_a_number_not_of_the_region_is_never_rewritten(phone: str) -> None:
    """A Spanish mobile without its country code on a card with no address: not +33."""
    cleaned, problems, warnings = check_imported(person(phone), "FR")
    assert not problems
    assert cleaned.phones[0].value == phone  # exactly as written
    assert warnings == [
        f"Phone “{phone}” kept as written: “{phone}” is not a phone number of France as"
        " written; add its country code (+…)."
    ]
    # Typed in the editor, the same number is a problem to fix, not a silent +33.
    _cleaned, editor_problems = check_contact(person(phone), "FR")
    assert [p.field for p in editor_problems] == ["phones[0]"]
    assert phone_digits(phone, "FR") == ""  # not matched as a French number either


def test_a_vcard_reads_its_numbers_in_its_own_country() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Peeters;Lotte;;;\r\nTEL;TYPE=CELL:0470 12 34 56\r\n"
        "ADR;TYPE=HOME:;;Rue Neuve 1;Bruxelles;;1000;Belgique\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:García;Lucía;;;\r\nTEL;TYPE=CELL:612 345 678\r\n"
        "END:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nFN:Fietsbond\r\nORG:Fietsbond\r\n"
        "TEL:02 511 22 33\r\nADR:;;Rue Neuve 2;Bruxelles;;1000;BE\r\nEND:VCARD\r\n"
    )
    lotte, lucia, org = parse_bytes(text.encode(), region="FR").items
    assert isinstance(lotte.data, ContactData) and isinstance(lucia.data, ContactData)
    assert lotte.data.phones[0].value == "+32 470 12 34 56" and not lotte.warnings
    assert lucia.valid and lucia.data.phones[0].value == "612 345 678"
    assert "kept as written" in lucia.warnings[0]
    assert isinstance(org.data, OrganizationData) and org.data.phone == "+32 2 511 22 33"


def test_the_quick_validity_check_answers_as_phonenumbers() -> None:
    """`_valid` tries a mobile or a landline first: the same answer as is_valid_number."""
    import random

    import phonenumbers

    from cmplanner.services.validation import _valid

    rng = random.Random(13)
    regions = ("FR", "BE", "ES", "DE", "GB", "US", "CA", "IT", "CH", "MA", "SN", "JP", "BR")
    checked = 0
    for region in regions:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        for _n in range(800):
            digits = "".join(rng.choice("0123456789") for _d in range(rng.randint(6, 11)))
            try:
                number = phonenumbers.parse(digits, region)
            except phonenumbers.NumberParseException:
                continue
            national = phonenumbers.national_significant_number(number)
            assert _valid(number, national, metadata) == phonenumbers.is_valid_number(number)
            checked += 1
    assert checked > 8000
