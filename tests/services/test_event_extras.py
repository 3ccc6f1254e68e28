"""An event's budget, partners and core team: amounts typed the French or English way,
the whole set replaced in one go (and given back exactly), clear refusals, totals."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cmplanner.bus import Changes, bus
from cmplanner.errors import NotFound, ValidationError
from cmplanner.formats import amount_text, money_text
from cmplanner.model import Contact, EventCreate, Organization
from cmplanner.services import event_records, events
from cmplanner.services.event_extras import (
    BudgetLineData,
    EventExtras,
    PartnerData,
    TeamMemberData,
    check_extras,
    find_contacts,
    parse_amount,
    read_extras,
    replace_extras,
    totals,
)
from cmplanner.storage import Database


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12,50", 1250),
        ("12.50", 1250),
        ("12,50 €", 1250),
        ("12,5", 1250),
        ("1 234,50", 123450),
        ("1\u202f234,50 €", 123450),
        ("1234", 123400),
        ("0,05", 5),
        ("EUR 40", 4000),
        ("", 0),
        ("  ", 0),
    ],
)
def test_french_amounts(text: str, cents: int) -> None:
    assert parse_amount(text, "fr") == cents


@pytest.mark.parametrize(
    ("text", "cents"),
    [("12.50", 1250), ("€12.50", 1250), ("1,234.50", 123450), ("12.50 €", 1250), ("7", 700)],
)
def test_english_amounts(text: str, cents: int) -> None:
    assert parse_amount(text, "en") == cents


@pytest.mark.parametrize(
    ("text", "language", "message"),
    [
        ("douze", "fr", "“douze” is not an amount (for example 12,50\xa0€)."),
        ("1.234,50", "fr", "is not an amount"),
        ("12,50", "en", "“12,50” is not an amount (for example €12.50)."),
        ("-5", "fr", "An amount cannot be negative."),
        ("12,505", "fr", "“12,505” has more than two decimals."),
        ("99999999999999", "fr", "too large"),
    ],
)
def test_amounts_that_are_refused_say_why(text: str, language: str, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        parse_amount(text, language)


def test_amounts_are_shown_in_the_locale() -> None:
    assert money_text(123450, "fr") == "1\u202f234,50\xa0€"
    assert money_text(123450, "en") == "€1,234.50"
    assert money_text(500, "fr", "CHF") == "5,00\xa0CHF"
    assert amount_text(123450, "fr") == "1\u202f234,50"
    assert amount_text(5, "en") == "0.05"
    # What is shown can be typed back.
    for language in ("fr", "en"):
        assert parse_amount(money_text(123456, language), language) == 123456
        assert parse_amount(amount_text(123456, language), language) == 123456


def test_totals() -> None:
    lines = [
        BudgetLineData("Salle", 30000, paid=True),
        BudgetLineData("Boissons", 12550),
        BudgetLineData("Affiches", 1999, paid=True),
    ]
    found = totals(lines)
    assert (found.planned_cents, found.paid_cents, found.left_cents) == (44549, 31999, 12550)
    assert totals([]).left_cents == 0


# --- the database ------------------------------------------------------------------------------


@pytest.fixture
def setup(empty_db: Database) -> tuple[Database, int, list[int], list[int]]:
    db = empty_db
    start = dt.datetime(2026, 12, 3, 19)
    read, _ = events.create_event(
        db,
        EventCreate(
            title="Apéro",
            start_local=start,
            end_local=start + dt.timedelta(hours=2),
            timezone="Europe/Paris",
        ),
    )
    with db.transaction() as session:
        orgs = [Organization(name="Brasserie du Parc"), Organization(name="La Fabrique")]
        people = [
            Contact(given_name="Léa", family_name="Martin"),
            Contact(given_name="Karim", family_name="Benali"),
            Contact(given_name="Léa", family_name="Morel"),
        ]
        session.add_all([*orgs, *people])
        session.flush()
        org_ids = [o.id for o in orgs if o.id is not None]
        contact_ids = [c.id for c in people if c.id is not None]
    return db, read.id, org_ids, contact_ids


def sample(org_ids: list[int], contact_ids: list[int]) -> EventExtras:
    return EventExtras(
        budget=(
            BudgetLineData("Salle", 30000, paid=True),
            BudgetLineData("Boissons", 12550),
        ),
        partners=(
            PartnerData(org_ids[0], "Boissons offertes"),
            PartnerData(org_ids[1], "Logo sur la feuille"),
        ),
        team=(TeamMemberData(contact_ids[1], ""), TeamMemberData(contact_ids[0], "Accueil")),
    )


def test_a_new_event_has_nothing(setup) -> None:
    db, event_id, _orgs, _people = setup
    assert read_extras(db, event_id) == EventExtras()
    with pytest.raises(NotFound):
        read_extras(db, 999)


def test_replace_then_read_back_in_order_with_names(setup) -> None:
    db, event_id, orgs, people = setup
    heard: list[Changes] = []

    def listen(changes: Changes) -> None:
        heard.append(changes)

    bus.subscribe(listen)
    try:
        changes = replace_extras(db, event_id, sample(orgs, people))
    finally:
        bus.unsubscribe(listen)
    assert changes.events == {event_id}
    assert heard == []  # returned for the job runner to publish, never published here
    got = read_extras(db, event_id)
    assert got == sample(orgs, people)
    assert [line.label for line in got.budget] == ["Salle", "Boissons"]
    assert all(line.id is not None for line in got.budget)
    assert [p.name for p in got.partners] == ["Brasserie du Parc", "La Fabrique"]
    # The team by family name, as contact lists are.
    assert [(m.name, m.role) for m in got.team] == [("Karim Benali", ""), ("Léa Martin", "Accueil")]
    assert got.team_ids() == (people[1], people[0])


def test_edits_keep_line_ids_and_undo_gives_the_same_lines_back(setup) -> None:
    db, event_id, orgs, people = setup
    replace_extras(db, event_id, sample(orgs, people))
    before = read_extras(db, event_id)
    salle, boissons = before.budget
    edited = EventExtras(
        budget=(
            BudgetLineData("Boissons et snacks", 15000, True, boissons.id),  # moved up, edited
            BudgetLineData("Affiches", 2000),
        ),
        partners=(PartnerData(orgs[1], "Logo sur la feuille et l'affiche"),),
        team=(TeamMemberData(people[0], "Bar"), TeamMemberData(people[2], "Photos")),
    )
    replace_extras(db, event_id, edited)
    after = read_extras(db, event_id)
    assert after == edited
    assert after.budget[0].id == boissons.id  # edited in place
    assert after.budget[1].id not in (salle.id, boissons.id)
    # Undo: the previous set, the same line ids.
    replace_extras(db, event_id, before)
    back = read_extras(db, event_id)
    assert back == before
    assert [line.id for line in back.budget] == [salle.id, boissons.id]
    replace_extras(db, event_id, EventExtras())
    assert read_extras(db, event_id) == EventExtras()


def test_labels_and_roles_are_trimmed(setup) -> None:
    db, event_id, orgs, people = setup
    replace_extras(
        db,
        event_id,
        EventExtras(
            budget=(BudgetLineData("  Salle  ", 100),),
            partners=(PartnerData(orgs[0], " Boissons \n"),),
            team=(TeamMemberData(people[0], "  Accueil "),),
        ),
    )
    got = read_extras(db, event_id)
    assert got.budget[0].label == "Salle"
    assert got.partners[0].obligations == "Boissons"
    assert got.team[0].role == "Accueil"


LEA, FAB = "Léa Martin", "La Fabrique"


@pytest.mark.parametrize(
    ("extras", "message"),
    [
        (
            EventExtras(budget=(BudgetLineData("Salle", 1), BudgetLineData("  ", 5))),
            "line 2 has no label",
        ),
        (
            EventExtras(budget=(BudgetLineData("Salle", -100),)),
            "“Salle”: an amount cannot be negative",
        ),
        (EventExtras(budget=(BudgetLineData("x" * 301, 1),)), "longer than 300 characters"),
        (
            EventExtras(team=(TeamMemberData(1, "", LEA), TeamMemberData(1, "Bar", LEA))),
            "Léa Martin is on the team twice",
        ),
        (
            EventExtras(partners=(PartnerData(1, "", FAB), PartnerData(1, "", FAB))),
            "La Fabrique is a partner twice",
        ),
        (EventExtras(team=(TeamMemberData(1, "r" * 101, "Léa"),)), "role of Léa is longer"),
    ],
)
def test_bad_sets_are_refused_with_the_reason(extras: EventExtras, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        check_extras(extras)


def test_unknown_organization_or_contact_writes_nothing(setup) -> None:
    db, event_id, orgs, people = setup
    replace_extras(db, event_id, sample(orgs, people))
    before = read_extras(db, event_id)
    bad_org = EventExtras(budget=(BudgetLineData("Autre", 1),), partners=(PartnerData(9999),))
    with pytest.raises(ValidationError, match="Organization 9999 does not exist"):
        replace_extras(db, event_id, bad_org)
    bad_contact = EventExtras(team=(TeamMemberData(people[0]), TeamMemberData(8888)))
    with pytest.raises(ValidationError, match="Contact 8888 does not exist"):
        replace_extras(db, event_id, bad_contact)
    duplicate = EventExtras(team=(TeamMemberData(people[0]), TeamMemberData(people[0])))
    with pytest.raises(ValidationError, match="on the team twice"):
        replace_extras(db, event_id, duplicate)
    assert read_extras(db, event_id) == before
    with pytest.raises(NotFound):
        replace_extras(db, 999, EventExtras())


def test_replace_inside_a_callers_transaction(setup) -> None:
    db, event_id, orgs, people = setup
    with pytest.raises(RuntimeError), db.transaction() as session:
        replace_extras(session, event_id, sample(orgs, people))
        raise RuntimeError("the rest of the save failed")
    assert read_extras(db, event_id) == EventExtras()  # rolled back with it
    with db.transaction() as session:
        changes = replace_extras(session, event_id, sample(orgs, people))
    assert changes.events == {event_id}
    assert read_extras(db, event_id) == sample(orgs, people)


def test_deleting_the_event_and_restoring_it_keeps_its_extras(setup) -> None:
    db, event_id, orgs, people = setup
    replace_extras(db, event_id, sample(orgs, people))
    before = read_extras(db, event_id)
    snapshot, _ = event_records.delete_event(db, event_id)
    event_records.restore_event(db, snapshot)
    after = read_extras(db, event_id)
    assert after == before and [b.id for b in after.budget] == [b.id for b in before.budget]


def test_the_editor_input_carries_extras_and_organizations(setup) -> None:
    db, event_id, orgs, people = setup
    replace_extras(db, event_id, sample(orgs, people))
    data = event_records.editor_input(db, event_id)
    assert data.extras == sample(orgs, people)
    assert [o.name for o in data.organizations] == ["Brasserie du Parc", "La Fabrique"]
    assert event_records.editor_input(db, None).extras == EventExtras()


def test_find_contacts_searches_by_name_and_stops_at_the_limit(setup) -> None:
    db, _event_id, _orgs, people = setup
    found = find_contacts(db, "léa")
    assert [(c.id, c.name) for c in found] == [(people[0], "Léa Martin"), (people[2], "Léa Morel")]
    assert [c.id for c in find_contacts(db, "lea mor")] == [people[2]]
    assert len(find_contacts(db, "lé", limit=1)) == 1
    assert find_contacts(db, "  ") == []


def test_the_team_being_edited_is_checked_for_conflicts(setup) -> None:
    db, event_id, _orgs, people = setup
    replace_extras(db, event_id, EventExtras(team=(TeamMemberData(people[0], "Accueil"),)))
    start = dt.datetime(2026, 12, 3, 20)
    draft = EventCreate(
        title="Atelier",
        start_local=start,
        end_local=start + dt.timedelta(hours=1),
        timezone="Europe/Paris",
    )
    assert events.conflicts(db, draft, [people[1]]) == []
    found = events.conflicts(db, draft, [people[1], people[0]])
    assert [(c.reason, c.contact_id, c.title) for c in found] == [("team", people[0], "Apéro")]
    assert "Léa Martin is on the team of “Apéro”" in found[0].message
