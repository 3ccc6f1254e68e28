"""Guests: waitlist, counts, check-in at the door, walk-ins and no-shows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from cmplanner.errors import ValidationError
from cmplanner.model import Contact, EventCreate, Invitation
from cmplanner.services import contacts, events, guest_sheets, guests
from cmplanner.services.contact_data import ContactData, Labelled
from cmplanner.storage import Database


def _event(db: Database, capacity: int | None = None, rrule: str = "") -> int:
    read, _ = events.create_event(
        db,
        EventCreate(
            title="Apéro",
            start_local=dt.datetime(2026, 12, 3, 19, 0),
            end_local=dt.datetime(2026, 12, 3, 22, 0),
            timezone="Europe/Paris",
            capacity=capacity,
            rrule=rrule,
        ),
    )
    return read.id


def _people(db: Database, *names: str) -> list[int]:
    ids = []
    for name in names:
        given, _, family = name.partition(" ")
        ids.append(
            contacts.create_contact(db, ContactData(given_name=given, family_name=family))[0]
        )
    return ids


def _invitations(db: Database, event_id: int) -> dict[int, Invitation]:
    with db.session() as session:
        rows = session.exec(select(Invitation).where(Invitation.event_id == event_id)).all()
    return {r.contact_id: r for r in rows if r.contact_id is not None}


def test_capacity_fills_then_waitlist_and_a_decline_promotes(empty_db: Database) -> None:
    event_id = _event(empty_db, capacity=2)
    ana, bob, cleo, dan = _people(empty_db, "Ana A", "Bob B", "Cléo C", "Dan D")
    guests.add_guests(empty_db, event_id, [ana, bob, cleo, dan])
    guests.add_guests(empty_db, event_id, [ana])  # already invited: skipped
    rows = _invitations(empty_db, event_id)
    assert len(rows) == 4
    assert rows[ana].waitlist_position is None and rows[bob].waitlist_position is None
    assert (rows[cleo].waitlist_position, rows[dan].waitlist_position) == (1, 2)
    assert guests.counts(empty_db, event_id)["waitlist"] == 2

    bob_row, cleo_row = rows[bob].id, rows[cleo].id
    assert bob_row is not None and cleo_row is not None
    changes = guests.set_rsvp(empty_db, bob_row, "declined")
    assert cleo_row in changes.invitations  # the promotion is reported
    rows = _invitations(empty_db, event_id)
    assert rows[cleo].waitlist_position is None
    assert rows[cleo].rsvp == "needs-action"  # offered the seat, still has to answer
    assert rows[dan].waitlist_position == 2
    counts = guests.counts(empty_db, event_id)
    assert counts["waitlist"] == 1 and counts["declined"] == 1 and counts["invited"] == 3


def test_counts_include_plus_ones_of_those_who_accept(empty_db: Database) -> None:
    event_id = _event(empty_db)
    ana, bob, cleo, dan = _people(empty_db, "Ana A", "Bob B", "Cléo C", "Dan D")
    guests.add_guests(empty_db, event_id, [ana, bob, cleo, dan], role="guest")
    rows = _invitations(empty_db, event_id)
    with empty_db.transaction() as session:
        row = session.get(Invitation, rows[ana].id)
        assert row is not None
        row.plus_ones = 2
        session.add(row)
    for who, answer in ((ana, "accepted"), (bob, "tentative"), (cleo, "declined")):
        invitation_id = rows[who].id
        assert invitation_id is not None
        guests.set_rsvp(empty_db, invitation_id, answer)
    assert guests.counts(empty_db, event_id) == {
        "invited": 4,
        "accepted": 1,
        "declined": 1,
        "tentative": 1,
        "needs_action": 1,
        "waitlist": 0,
        "attended": 0,
        "plus_ones": 2,
    }
    with pytest.raises(ValidationError):
        guests.set_rsvp(empty_db, rows[dan].id or 0, "maybe")


def test_prefix_search_ignores_accents_and_case(empty_db: Database) -> None:
    event_id = _event(empty_db)
    benoit, bea, zoe = _people(empty_db, "Benoît Martin", "Béatrice Petit", "Zoé Benoist")
    outsider = _people(empty_db, "Benoît Dupont")[0]
    guests.add_guests(empty_db, event_id, [benoit, bea, zoe])
    found = guests.check_in_by_text(empty_db, event_id, "beno")
    assert [c.name for c in found] == ["Benoît Martin", "Zoé Benoist"]
    assert outsider not in {c.contact_id for c in found}  # not a guest of this event
    assert [c.name for c in guests.check_in_by_text(empty_db, event_id, "BÉA")] == [
        "Béatrice Petit"
    ]


def test_check_in_updates_last_seen(empty_db: Database, frozen_clock: dt.datetime) -> None:
    event_id = _event(empty_db)
    (ana,) = _people(empty_db, "Ana A")
    guests.add_guests(empty_db, event_id, [ana])
    (candidate,) = guests.check_in_by_text(empty_db, event_id, "an")
    changes = guests.check_in(empty_db, candidate.invitation_id)
    assert ana in changes.contacts
    with empty_db.session() as session:
        contact = session.get(Contact, ana)
        invitation = session.get(Invitation, candidate.invitation_id)
    assert contact is not None and invitation is not None
    assert contact.last_seen is not None
    assert contact.last_seen.replace(tzinfo=dt.UTC) == frozen_clock
    assert invitation.attended is True and invitation.checked_in_at is not None
    assert guests.counts(empty_db, event_id)["attended"] == 1


def test_series_check_in_is_per_occurrence(empty_db: Database, frozen_clock: dt.datetime) -> None:
    event_id = _event(empty_db, rrule="FREQ=WEEKLY;BYDAY=TH")
    ana, bob = _people(empty_db, "Ana A", "Bob B")
    guests.add_guests(empty_db, event_id, [ana, bob])
    for who in (ana, bob):
        shared = _invitations(empty_db, event_id)[who].id
        assert shared is not None
        guests.set_rsvp(empty_db, shared, "accepted")
    first = dt.datetime(2026, 12, 3, 19, 0)
    second = dt.datetime(2026, 12, 10, 19, 0)
    shared_ana = _invitations(empty_db, event_id)[ana].id
    assert shared_ana is not None
    guests.check_in(empty_db, shared_ana, occurrence=first)
    guests.check_in(empty_db, shared_ana, occurrence=first)  # twice: still one row
    assert guests.counts(empty_db, event_id, first)["attended"] == 1
    assert guests.counts(empty_db, event_id, second)["attended"] == 0
    assert guests.counts(empty_db, event_id)["invited"] == 2  # the shared list is unchanged
    guests.record_no_shows(empty_db, event_id, first)
    with empty_db.session() as session:
        rows = session.exec(
            select(Invitation).where(
                Invitation.event_id == event_id, Invitation.occurrence == first
            )
        ).all()
    assert {(r.contact_id, r.attended) for r in rows} == {(ana, True), (bob, False)}
    one_off = _event(empty_db)
    guests.add_guests(empty_db, one_off, [ana])
    with pytest.raises(ValidationError):
        guests.record_no_shows(empty_db, one_off, first)


def test_walk_in_becomes_a_contact_checked_in(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    event_id = _event(empty_db, capacity=0)  # full: a walk-in is here all the same
    invitation_id, changes = guests.walk_in(empty_db, event_id, " Zoé ", "Nouvelle")
    assert invitation_id in changes.invitations
    (candidate,) = guests.check_in_by_text(empty_db, event_id, "zoe nou")
    assert candidate.invitation_id == invitation_id
    assert candidate.attended is True and candidate.rsvp == "accepted"
    details = contacts.get_details(empty_db, candidate.contact_id)
    assert details.data.given_name == "Zoé"
    assert guests.counts(empty_db, event_id)["attended"] == 1


def test_no_shows_recorded_for_those_who_said_yes_or_maybe(empty_db: Database) -> None:
    event_id = _event(empty_db)
    ana, bob, cleo, dan = _people(empty_db, "Ana A", "Bob B", "Cléo C", "Dan D")
    guests.add_guests(empty_db, event_id, [ana, bob, cleo, dan])
    rows = _invitations(empty_db, event_id)
    for who, answer in ((ana, "accepted"), (bob, "tentative"), (cleo, "accepted")):
        guests.set_rsvp(empty_db, rows[who].id or 0, answer)
    guests.check_in(empty_db, rows[ana].id or 0)
    changes = guests.record_no_shows(empty_db, event_id)
    assert changes.invitations == {rows[bob].id, rows[cleo].id}
    after = _invitations(empty_db, event_id)
    assert [after[w].attended for w in (ana, bob, cleo, dan)] == [True, False, False, None]


def test_people_of_community_tag_and_organization(empty_db: Database) -> None:
    from cmplanner.services import communities, organizations
    from cmplanner.services.communities import CommunityData
    from cmplanner.services.contact_data import OrganizationData

    ana, bob, cleo = _people(empty_db, "Ana A", "Bob B", "Cléo C")
    community_id, _ = communities.create_community(empty_db, CommunityData(name="Apéros"))
    contacts.add_members(empty_db, community_id, [cleo, ana])
    contacts.add_members(empty_db, community_id, [ana], role="ambassador")
    assert guests.people_of_community(empty_db, community_id) == [ana, cleo]
    assert guests.people_of_community(empty_db, community_id, "ambassador") == [ana]
    contacts.tag_contacts(empty_db, [bob, cleo], "Bénévole")
    assert guests.people_with_tag(empty_db, "bénévole") == [bob, cleo]
    org_id, _ = organizations.create_organization(empty_db, OrganizationData(name="Radio"))
    organizations.set_people(empty_db, org_id, [(bob, "")])
    assert guests.people_of_organization(empty_db, org_id) == [bob]
    event_id = _event(empty_db)
    guests.add_guests(empty_db, event_id, guests.people_of_community(empty_db, community_id))
    assert guests.counts(empty_db, event_id)["invited"] == 2


def test_restore_invitations_undoes_an_addition_exactly(empty_db: Database) -> None:
    event_id = _event(empty_db, capacity=1)
    ana, bob = _people(empty_db, "Ana A", "Bob B")
    guests.add_guests(empty_db, event_id, [ana])
    before = guests.invitation_states(empty_db, event_id)
    changes = guests.add_guests(empty_db, event_id, [ana, bob])  # Ana already there
    assert len(changes.invitations) == 1
    guests.restore_invitations(empty_db, before, changes.invitations)
    assert set(_invitations(empty_db, event_id)) == {ana}


def test_guest_rows_show_the_shared_list_with_e_mail(empty_db: Database) -> None:
    event_id = _event(empty_db, capacity=1)
    ana = contacts.create_contact(
        empty_db,
        ContactData(given_name="Ana", family_name="A", emails=(Labelled("ana@example.org"),)),
    )[0]
    (bob,) = _people(empty_db, "Bob B")
    guests.add_guests(empty_db, event_id, [bob, ana], role="speaker")
    rows = guests.guest_rows(empty_db, event_id)
    assert [(r.name, r.email, r.role, r.waitlist_position) for r in rows] == [
        ("Ana A", "ana@example.org", "speaker", 1),
        ("Bob B", "", "speaker", None),
    ]


def test_removing_a_guest_frees_the_seat_and_restoring_sends_the_next_back(
    empty_db: Database,
) -> None:
    event_id = _event(empty_db, capacity=1)
    ana, bob = _people(empty_db, "Ana A", "Bob B")
    guests.add_guests(empty_db, event_id, [ana, bob])
    rows = _invitations(empty_db, event_id)
    assert rows[bob].waitlist_position == 1
    before = guests.invitation_states(empty_db, event_id)
    ana_row = rows[ana].id
    assert ana_row is not None
    changes = guests.remove_guests(empty_db, [ana_row])
    assert changes.invitations == {ana_row, rows[bob].id}
    assert set(_invitations(empty_db, event_id)) == {bob}
    assert _invitations(empty_db, event_id)[bob].waitlist_position is None

    guests.restore_invitations(empty_db, before, changes.invitations)
    again = _invitations(empty_db, event_id)
    assert again[ana].id == ana_row and again[ana].waitlist_position is None
    assert again[bob].waitlist_position == 1


def test_undo_of_a_decline_puts_the_promoted_guest_back_on_the_waitlist(
    empty_db: Database,
) -> None:
    event_id = _event(empty_db, capacity=1)
    ana, bob = _people(empty_db, "Ana A", "Bob B")
    guests.add_guests(empty_db, event_id, [ana, bob])
    rows = _invitations(empty_db, event_id)
    ana_row = rows[ana].id
    assert ana_row is not None
    before = guests.invitation_states(empty_db, event_id)
    changes = guests.set_rsvp(empty_db, ana_row, "declined")
    assert _invitations(empty_db, event_id)[bob].waitlist_position is None
    guests.restore_invitations(empty_db, before, changes.invitations)
    rows = _invitations(empty_db, event_id)
    assert (rows[ana].rsvp, rows[bob].waitlist_position) == ("needs-action", 1)


def test_removing_a_series_guest_removes_their_attendance_too(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    event_id = _event(empty_db, rrule="FREQ=WEEKLY;BYDAY=TH")
    (ana,) = _people(empty_db, "Ana A")
    guests.add_guests(empty_db, event_id, [ana])
    (row,) = guests.guest_rows(empty_db, event_id)
    guests.check_in(empty_db, row.invitation_id, occurrence=dt.datetime(2026, 12, 3, 19, 0))
    guests.check_in(empty_db, row.invitation_id, occurrence=dt.datetime(2026, 12, 10, 19, 0))
    (row,) = guests.guest_rows(empty_db, event_id)
    assert row.times_attended == 2
    listing = guests.guest_list(empty_db, event_id)
    assert listing.series and listing.counts["attended"] == 1  # one person came, twice
    guests.remove_guests(empty_db, [row.invitation_id])
    assert _invitations(empty_db, event_id) == {}


def test_role_plus_ones_and_notes(empty_db: Database) -> None:
    event_id = _event(empty_db, capacity=3)
    ana, bob = _people(empty_db, "Ana A", "Bob B")
    guests.add_guests(empty_db, event_id, [ana])
    (row,) = guests.guest_rows(empty_db, event_id)
    guests.set_role(empty_db, row.invitation_id, "speaker")
    guests.set_plus_ones(empty_db, row.invitation_id, 2)
    guests.set_notes(empty_db, row.invitation_id, "  vegetarian ")
    with pytest.raises(ValidationError):
        guests.set_plus_ones(empty_db, row.invitation_id, -1)
    with pytest.raises(ValidationError):
        guests.set_role(empty_db, row.invitation_id, "king")
    guests.add_guests(empty_db, event_id, [bob])  # the three seats are taken
    listing = guests.guest_list(empty_db, event_id)
    assert (listing.seats_taken, listing.capacity) == (3, 3)
    ana_row, bob_row = listing.rows
    assert (ana_row.role, ana_row.plus_ones, ana_row.notes) == ("speaker", 2, "vegetarian")
    assert bob_row.waitlist_position == 1
    changes = guests.set_plus_ones(empty_db, ana_row.invitation_id, 1)  # Bob gets a seat
    assert bob_row.invitation_id in changes.invitations
    assert guests.guest_rows(empty_db, event_id)[1].waitlist_position is None


def test_draft_rows_name_the_chosen_contacts(empty_db: Database) -> None:
    ana, bob = _people(empty_db, "Ana A", "Bob B")
    rows = guests.draft_rows(empty_db, [(bob, "press"), (ana, "guest"), (999, "guest")])
    assert [(r.contact_id, r.name, r.role) for r in rows] == [
        (bob, "Bob B", "press"),
        (ana, "Ana A", "guest"),
    ]


# --- the short codes of the sign-in sheet -----------------------------------------------------


def test_check_in_by_text_takes_a_code(empty_db: Database, frozen_clock: dt.datetime) -> None:
    event_id = _event(empty_db)
    other = _event(empty_db)
    ids = _people(empty_db, "Anne Alpha", "Bruno Beta", "Chloé Gamma")
    guests.add_guests(empty_db, event_id, ids)
    guests.add_guests(empty_db, other, ids[:1])
    printed = guest_sheets.printed_guests(empty_db, event_id)
    bruno = next(g for g in printed if g.given_name == "Bruno")
    found = guests.check_in_by_text(empty_db, event_id, bruno.code.lower())
    assert [c.name for c in found] == ["Bruno Beta"]
    # A code from another event's sheet finds nobody here.
    anne_elsewhere = guest_sheets.printed_guests(empty_db, other)[0]
    assert guests.check_in_by_text(empty_db, event_id, anne_elsewhere.code) == []
    # For one occurrence of a series, the shared list's code still finds the guest.
    series = _event(empty_db, rrule="FREQ=WEEKLY;BYDAY=TH")
    guests.add_guests(empty_db, series, ids)
    chloe = next(
        g for g in guest_sheets.printed_guests(empty_db, series) if g.given_name == "Chloé"
    )
    day = dt.datetime(2026, 12, 10, 19, 0)
    guests.check_in(empty_db, chloe.invitation_id, occurrence=day)  # her own row exists now
    found = guests.check_in_by_text(empty_db, series, chloe.code, day)
    assert [(c.name, c.attended) for c in found] == [("Chloé Gamma", True)]


def test_the_door_lists_names_accents_ignored(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    event_id = _event(empty_db)
    guests.add_guests(empty_db, event_id, _people(empty_db, "Élodie Roy", "Zoé Roy", "Emma Roy"))
    names = [c.name for c in guests.check_in_by_text(empty_db, event_id, "")]
    assert names == ["Élodie Roy", "Emma Roy", "Zoé Roy"]


def test_the_door_of_a_series_with_no_date_today_offers_past_dates_only(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    """Today is Thursday 19 November 2026; the series meets on Tuesdays."""
    read, _ = events.create_event(
        empty_db,
        EventCreate(
            title="Atelier du mardi",
            start_local=dt.datetime(2026, 10, 6, 18),
            end_local=dt.datetime(2026, 10, 6, 20),
            timezone="Europe/Paris",
            rrule="FREQ=WEEKLY;BYDAY=TU",
        ),
    )
    door = guests.door(empty_db, read.id)
    assert door.date is None and door.series
    starts = [h.start.replace(tzinfo=None) for h in door.held]
    assert starts[:2] == [dt.datetime(2026, 11, 17, 18), dt.datetime(2026, 11, 10, 18)]
    assert starts == sorted(starts, reverse=True) and starts[-1] == dt.datetime(2026, 10, 6, 18)
    asked = guests.door(empty_db, read.id, dt.datetime(2026, 11, 24, 18))
    assert asked.date is None and asked.asked_future == dt.datetime(2026, 11, 24, 18)

    # A walk-in who is a contact, on Tuesday's date: invited to it and present from its start.
    ana, _ = contacts.create_contact(empty_db, ContactData(given_name="Ana"))
    tuesday = door.held[0]
    row, _changes = guests.check_in_contact(
        empty_db, read.id, ana, tuesday.occurrence, door.when(tuesday)
    )
    [here] = guests.check_in_by_text(empty_db, read.id, "ana", tuesday.occurrence)
    assert here.attended and here.checked_in_at is not None
    assert here.checked_in_at.replace(tzinfo=None) == dt.datetime(2026, 11, 17, 17)  # UTC
    assert guests.check_in_by_text(empty_db, read.id, "ana") == []  # not the series' list
    again, _changes = guests.check_in_contact(empty_db, read.id, ana, tuesday.occurrence)
    assert again == row  # never a second invitation
