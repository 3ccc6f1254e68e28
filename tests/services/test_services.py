"""Services: validation, what they return, and the `Changes` they return (never publish)."""

from __future__ import annotations

import datetime as dt

import pytest

from cmplanner.bus import Changes, bus, changes_of
from cmplanner.errors import ValidationError
from cmplanner.model import EventCreate
from cmplanner.services import contacts, events, guests
from cmplanner.services.browse import CONTACTS, EVENTS, LISTINGS, TASKS, UPCOMING
from cmplanner.services.contact_data import (
    AffiliationData,
    ContactData,
    Labelled,
    MembershipData,
)
from cmplanner.storage import Database
from cmplanner.timezones import local_to_utc


class Recorder:
    def __init__(self) -> None:
        self.changes: list[Changes] = []

    def __call__(self, changes: Changes) -> None:
        self.changes.append(changes)


@pytest.fixture
def recorder() -> Recorder:
    rec = Recorder()
    bus.subscribe(rec)
    return rec


def test_create_contact_normalises_and_returns_its_changes(
    empty_db: Database, recorder: Recorder
) -> None:
    written = contacts.create_contact(
        empty_db,
        ContactData(
            given_name=" Hélène ",
            family_name="Müller",
            emails=(Labelled("Helene@Example.org", "work"),),
            phones=(Labelled("06 12 34 56 78", "mobile"),),
            tags=("VIP", "VIP", " presse "),
            affiliations=(AffiliationData("Radio Canut", "Chroniqueuse"),),
            communities=(MembershipData("Club des testeurs", "ambassador"),),
        ),
    )
    contact_id, changes = written
    assert changes == Changes(contacts=frozenset({contact_id}))
    assert changes_of(written) == changes  # what the job runner publishes
    assert recorder.changes == []  # a service never publishes
    card = contacts.get_details(empty_db, contact_id).data
    assert card.display_name == "Hélène Müller"
    assert card.emails == (Labelled("Helene@example.org", "work"),)
    assert card.phones == (Labelled("+33 6 12 34 56 78", "mobile"),)
    assert card.tags == ("VIP", "presse")
    assert card.affiliations[0].organization == "Radio Canut"
    assert card.communities[0].role == "ambassador"
    # Searchable at once, accent- and case-insensitive, by prefix, through the index triggers.
    for text in ("muller", "HELE", "helene@example", "+33612", "06 12 34", "0612", "radio can"):
        assert CONTACTS.ids(empty_db, text=text) == [contact_id], text


def test_contact_problems_are_all_reported_and_nothing_is_written(empty_db: Database) -> None:
    with pytest.raises(ValidationError) as error:
        contacts.create_contact(
            empty_db,
            ContactData(
                emails=(Labelled("not an address"),),
                phones=(Labelled("12"),),
            ),
        )
    message = str(error.value)
    assert "not a valid e-mail address" in message
    assert "phone number" in message
    assert CONTACTS.ids(empty_db) == []


def test_update_replaces_the_card(empty_db: Database) -> None:
    contact_id, _ = contacts.create_contact(
        empty_db, ContactData(given_name="Jade", emails=(Labelled("jade@example.org"),))
    )
    contacts.update_contact(
        empty_db, contact_id, ContactData(given_name="Jade", family_name="Roux", tags=("fidèle",))
    )
    card = contacts.get_details(empty_db, contact_id).data
    assert (card.family_name, card.emails, card.tags) == ("Roux", (), ("fidèle",))
    assert CONTACTS.ids(empty_db, text="jade@example") == []


def test_in_person_interaction_updates_last_seen(empty_db: Database) -> None:
    contact_id, _ = contacts.create_contact(empty_db, ContactData(given_name="Jade"))
    when = dt.datetime(2026, 10, 1, 18, tzinfo=dt.UTC)
    contacts.log_interaction(empty_db, contact_id, when, channel="phone", in_person=False)
    assert contacts.get_contact(empty_db, contact_id).last_seen is None
    contacts.log_interaction(empty_db, contact_id, when, duration_minutes=45)
    assert contacts.get_contact(empty_db, contact_id).last_seen == when
    # An older touchpoint never moves last_seen backward.
    contacts.log_interaction(empty_db, contact_id, when - dt.timedelta(days=30))
    details = contacts.get_details(empty_db, contact_id)
    assert details.last_seen == when
    assert len(details.interactions) == 3


def test_event_times_are_stored_local_with_zone_and_utc(empty_db: Database) -> None:
    # 29 March 2026: Paris switches to summer time at 02:00.
    data = EventCreate(
        title="Apéro de printemps",
        start_local=dt.datetime(2026, 3, 29, 19, 0),
        end_local=dt.datetime(2026, 3, 29, 21, 0),
        timezone="Europe/Paris",
    )
    read, changes = events.create_event(empty_db, data)
    assert read.start_local == dt.datetime(2026, 3, 29, 19, 0)
    assert read.start_utc == dt.datetime(2026, 3, 29, 17, 0, tzinfo=dt.UTC)  # UTC+2 now
    assert changes.events == frozenset({read.id})
    assert local_to_utc(dt.datetime(2026, 3, 28, 19), "Europe/Paris").hour == 18  # UTC+1


def test_event_validation(empty_db: Database) -> None:
    start = dt.datetime(2026, 12, 3, 19)
    with pytest.raises(ValidationError, match="ends before it starts"):
        events.create_event(
            empty_db,
            EventCreate(title="Oops", start_local=start, end_local=start - dt.timedelta(hours=1)),
        )
    with pytest.raises(ValidationError, match="Unknown time zone"):
        events.create_event(
            empty_db,
            EventCreate(title="Oops", start_local=start, end_local=start, timezone="UTC+02:00"),
        )
    assert EVENTS.ids(empty_db) == []


def test_check_in_marks_attendance_and_last_seen(
    demo_db: Database, frozen_clock: dt.datetime
) -> None:
    from sqlmodel import select

    from cmplanner.model import Contact, Invitation

    with demo_db.session() as s:
        invitation = s.exec(select(Invitation).where(Invitation.attended == None)).first()  # noqa: E711
        assert invitation is not None and invitation.id is not None
    changes = guests.check_in(demo_db, invitation.id)
    assert changes.contacts == frozenset({invitation.contact_id})
    with demo_db.session() as s:
        assert s.get(Invitation, invitation.id).attended is True  # type: ignore[union-attr]
        assert s.get(Contact, invitation.contact_id).last_seen == frozen_clock.replace(  # type: ignore[union-attr]
            microsecond=0
        )


def test_every_listing_sorts_searches_and_fetches(demo_db: Database) -> None:
    for listing in LISTINGS.values():
        ids = listing.ids(demo_db)
        assert ids, listing.name
        rows = listing.rows(demo_db, ids)
        assert set(rows) == set(ids)
        assert all(len(row) == len(listing.columns) for row in rows.values())
        for key in listing.sort:
            forward = listing.ids(demo_db, key)
            backward = listing.ids(demo_db, key, descending=True)
            assert sorted(forward) == sorted(ids)
            assert forward != backward or len(set(forward)) <= 1


def test_contacts_sorted_by_last_name(demo_db: Database) -> None:
    ids = CONTACTS.ids(demo_db, "family_name")
    rows = CONTACTS.rows(demo_db, ids)
    names = [rows[i][1].casefold() for i in ids]
    assert names == sorted(names)


def test_upcoming_lists_only_the_next_two_weeks(
    demo_db: Database, frozen_clock: dt.datetime
) -> None:
    rows = UPCOMING.rows(demo_db, UPCOMING.ids(demo_db))
    titles = {row[1] for row in rows.values()}
    assert "Apéro du jeudi" in titles  # the weekly series always has a next date
    assert "Concert de lancement" not in titles  # 40 days away
    assert "Atelier « retours utilisateurs »" in titles  # in 6 days


def test_task_due_dates_follow_their_event(demo_db: Database) -> None:
    rows = TASKS.rows(demo_db, TASKS.ids(demo_db))
    for due, title, event_title, _assignee, _done in rows.values():
        assert due, (title, event_title)


def test_upcoming_shows_a_series_at_its_next_occurrence(
    demo_db: Database, frozen_clock: dt.datetime
) -> None:
    ids = UPCOMING.ids(demo_db)
    rows = UPCOMING.rows(demo_db, ids)
    starts = {row[1]: row[0] for row in rows.values()}
    # Frozen "now" is Thursday 19 November 2026, 18:30 in Paris: tonight's apéro is next.
    assert starts["Apéro du jeudi"] == dt.datetime(2026, 11, 19, 19, 0)
    ordered = [rows[i][0] for i in ids]
    assert ordered == sorted(ordered)


def test_contact_filters_combine(demo_db: Database, frozen_clock: dt.datetime) -> None:
    everyone = set(CONTACTS.ids(demo_db))
    vip = set(CONTACTS.ids(demo_db, filters={"tag": "VIP"}))
    apero = set(CONTACTS.ids(demo_db, filters={"community": "Apéros du jeudi"}))
    ambassadors = set(
        CONTACTS.ids(demo_db, filters={"community": "Apéros du jeudi", "role": "ambassador"})
    )
    lyon = set(CONTACTS.ids(demo_db, filters={"city": "lyon"}))
    away = set(CONTACTS.ids(demo_db, filters={"not_seen_days": 60}))
    media = set(CONTACTS.ids(demo_db, filters={"organization_kind": "media"}))
    assert vip and apero and lyon and away and media
    assert vip < everyone and ambassadors < apero and len(ambassadors) == 2
    assert set(CONTACTS.ids(demo_db, filters={"tag": "VIP", "city": "Lyon"})) == vip & lyon
    assert CONTACTS.ids(demo_db, filters={"tag": None}) == CONTACTS.ids(demo_db)
    seen = CONTACTS.column_keys().index("last_seen")
    for cid, row in CONTACTS.rows(demo_db, list(away)).items():
        last_seen = row[seen]
        assert last_seen is None or frozen_clock - last_seen > dt.timedelta(days=60), cid
    with pytest.raises(KeyError):
        CONTACTS.ids(demo_db, filters={"colour": "red"})


def test_search_keeps_the_list_order_and_sees_new_writes(demo_db: Database) -> None:
    for sort, descending in (("family_name", False), ("given_name", True), ("last_seen", False)):
        everyone = CONTACTS.ids(demo_db, sort, descending)  # the view's first load
        found = CONTACTS.ids(demo_db, sort, descending, "a")
        assert found == [i for i in everyone if i in set(found)]
        # The SQL path (no cached order) gives the same answer.
        assert found == CONTACTS._query_ids(demo_db, sort, descending, "a", {})
    before = CONTACTS.ids(demo_db, "family_name", text="zoé")
    new_id, _ = contacts.create_contact(demo_db, ContactData(given_name="Zoé", family_name="Aaron"))
    after = CONTACTS.ids(demo_db, "family_name", text="zoé")
    assert after[0] == new_id and after[1:] == before  # "Aaron" sorts first
    vip = CONTACTS.ids(demo_db, "family_name", filters={"tag": "VIP"})
    assert set(CONTACTS.ids(demo_db, "family_name", text="a", filters={"tag": "VIP"})) <= set(vip)


def test_a_one_shot_query_lists_what_the_view_lists_and_keeps_nothing(demo_db: Database) -> None:
    CONTACTS._orders.clear()
    cases: list[tuple[str, bool, str, dict[str, object]]] = [
        ("family_name", False, "a", {}),
        ("given_name", True, "ma", {}),
        ("last_seen", False, "!!", {}),  # no word: every contact
        ("family_name", False, "a", {"tag": "VIP", "city": None}),
        ("family_name", False, "", {"community": "Apéros du jeudi"}),
    ]
    for sort, descending, text, filters in cases:
        once = CONTACTS.query_ids(demo_db, sort, descending, text, filters)
        assert not CONTACTS._orders  # nothing kept for a next keystroke
        assert once == CONTACTS.ids(demo_db, sort, descending, text, filters)
        CONTACTS._orders.clear()
    with pytest.raises(KeyError):
        CONTACTS.query_ids(demo_db, filters={"colour": "red"})
