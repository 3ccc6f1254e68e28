"""The guests as the printed sheets list them: register order, check-in codes."""

from __future__ import annotations

import datetime as dt

from cmplanner.services import guest_sheets, guests
from cmplanner.storage import Database
from tests.services.test_guests import _event, _people


def test_invitation_codes_are_short_unambiguous_and_round_trip() -> None:
    codes = {guest_sheets.invitation_code(n) for n in range(0, 5000)}
    assert len(codes) == 5000  # never two guests with one code
    for code in codes:
        assert len(code) == 5
        assert not set(code) & set("01OI")
    for n in (1, 2, 37, 4999, 32**4 - 1, 32**4, 10**7):
        code = guest_sheets.invitation_code(n)
        assert guest_sheets.invitation_from_code(code) == n
        assert guest_sheets.invitation_from_code(code.lower()) == n
        assert guest_sheets.invitation_from_code(f" {code[:2]}-{code[2:]} ") == n
    assert len(guest_sheets.invitation_code(10**7)) == 7
    # neighbours look nothing alike
    seven, eight = guest_sheets.invitation_code(7), guest_sheets.invitation_code(8)
    assert sum(a != b for a, b in zip(seven, eight, strict=True)) >= 3


def test_a_mistyped_code_is_refused() -> None:
    code = guest_sheets.invitation_code(123)
    alphabet = guest_sheets.CODE_ALPHABET
    for position in range(len(code)):
        for other in alphabet:
            if other != code[position]:
                typo = code[:position] + other + code[position + 1 :]
                assert guest_sheets.invitation_from_code(typo) is None
    for position in range(len(code) - 1):
        swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
        if swapped != code:
            assert guest_sheets.invitation_from_code(swapped) is None
    for text in ("", "Benoît", "ABCD", "0OIL1", "garcia"):
        assert guest_sheets.invitation_from_code(text) is None


def test_printed_guests_skip_declined_and_sort_by_family_name(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    event_id = _event(empty_db)
    ids = _people(empty_db, "Zoé Éclair", "Anne Zola", "Marc eau", "Paul Dupont")
    guests.add_guests(empty_db, event_id, ids)
    paul = next(
        g for g in guest_sheets.printed_guests(empty_db, event_id) if g.given_name == "Paul"
    )
    guests.set_rsvp(empty_db, paul.invitation_id, "declined")
    printed = guest_sheets.printed_guests(empty_db, event_id)
    assert [g.family_name for g in printed] == ["eau", "Éclair", "Zola"]
    assert all(guest_sheets.invitation_from_code(g.code) == g.invitation_id for g in printed)
