"""Planning an import matches the whole file at once, with `likely_matches`'s answers."""

from __future__ import annotations

from cmplanner.services.contact_data import ContactData, Labelled
from cmplanner.services.duplicates import BookMatcher, likely_matches
from cmplanner.storage import Database


def test_book_matcher_answers_as_likely_matches(demo_db: Database) -> None:
    with demo_db.read() as con:
        people = con.execute(
            "SELECT c.id, c.given_name, c.family_name,"
            " (SELECT address FROM contact_email WHERE contact_id = c.id LIMIT 1),"
            " (SELECT number FROM contact_phone WHERE contact_id = c.id LIMIT 1)"
            " FROM contact c ORDER BY c.id LIMIT 40"
        ).fetchall()
    assert people
    cards = [ContactData(given_name="Personne", family_name="Inconnue")]
    for _cid, given, family, email, phone in people:
        cards += [
            ContactData(given_name=family.upper(), family_name=given.lower()),  # order, case
            ContactData(given_name=given, emails=(Labelled(email.upper()),) if email else ()),
            ContactData(family_name="X", phones=(Labelled(phone),) if phone else ()),
            ContactData(given_name=" ", family_name=family + " "),
        ]
        if phone and phone.startswith("+33 "):
            national = "0" + phone[4:]  # the same number written the French way
            cards.append(ContactData(given_name="Y", phones=(Labelled(national),)))
    with demo_db.read() as con:
        book = BookMatcher(con, "FR")
        answers = [book.likely_matches(card) for card in cards]
    assert answers == [likely_matches(demo_db, card, "FR") for card in cards]
    reasons = {reason for found in answers for _cid, reason in found}
    assert reasons == {"same e-mail", "same phone number", "same name"}
