"""A realistic French demo database: the data in resources/demo/lyon.toml, seeded here
through the services, so it holds what the app itself would write (checked cards, the search
index, answers stamped, check-ins that move `last_seen`…). It is deterministic for a given
day, with dates relative to today so the dashboard always has something to say."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import sqlite3
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event as orm_events
from sqlmodel import Session, col, select

from cmplanner import clock
from cmplanner.errors import CMPlannerError
from cmplanner.i18n import _
from cmplanner.interop.contacts.bulk import ContactWriter
from cmplanner.model import Contact, Event, EventCreate, Invitation, VenueCreate
from cmplanner.model.enums import Rsvp
from cmplanner.paths import resources_dir
from cmplanner.services import preferences
from cmplanner.services.commitments import add_commitment_in, set_status_in
from cmplanner.services.communities import CommunityData, create_community_in
from cmplanner.services.contact_data import (
    AddressData,
    AffiliationData,
    ContactData,
    Labelled,
    MembershipData,
    OrganizationData,
)
from cmplanner.services.contacts import (
    add_members_in,
    log_interaction_in,
    tag_id_in,
    validated_card,
)
from cmplanner.services.event_records import create_venue_in
from cmplanner.services.events import add_event_in, move_occurrence_in, skip_occurrence_in
from cmplanner.services.guests import (
    add_guests_in,
    check_in_in,
    mark_no_shows,
    set_plus_ones_in,
    set_rsvps_in,
)
from cmplanner.services.organizations import create_organization_in
from cmplanner.services.stats import is_empty
from cmplanner.services.tasks import TaskData, add_task_in, set_done_in
from cmplanner.services.work_log import WorkData, add_work_in
from cmplanner.storage import Database
from cmplanner.storage.database import acquire_lock
from cmplanner.timezones import local_to_utc

Data = dict[str, Any]


def demo_data() -> Data:
    """The demo's data as written in its resource file."""
    with (resources_dir() / "demo" / "lyon.toml").open("rb") as file:
        return tomllib.load(file)


def create_demo_database(path: Path, force: bool = False) -> None:
    """Seed the database at `path` (created if needed). Refuses one holding data unless
    `force`, in which case the file is replaced by a fresh demo."""
    path = Path(path)
    if force and path.exists():
        lock = acquire_lock(path.resolve())  # refuse while another process has it open
        try:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        finally:
            lock.release()
    data = demo_data()
    with Database.open(path, backup=False) as db:
        if not is_empty(db):
            raise CMPlannerError(
                _("{path} already holds data; use --force to replace it with the demo.").format(
                    path=path
                )
            )
        with db.transaction() as session:
            _hold_rows(session)
            seeder = _Seeder(session, data, clock.today(data["zone"]))
            seeder.seed()
            _Stories(seeder).tell()
        db.checkpoint()


def _hold_rows(session: Session) -> None:
    """Keep every row the seeding writes or reads until it ends. The services look rows up by
    id again and again (the event, the guest, the contact), and a session holds them only
    weakly: each look-up of a row let go would be a query."""
    held: list[Any] = []
    session.info["demo_rows"] = held

    @orm_events.listens_for(session, "pending_to_persistent")
    @orm_events.listens_for(session, "loaded_as_persistent")
    def hold(_session: Session, row: Any) -> None:
        held.append(row)


def pk(row: Any) -> int:
    """The primary key of a flushed row."""
    assert row.id is not None
    return int(row.id)


def _ascii(text: str) -> str:
    return (
        unicodedata.normalize("NFKD", text)
        .encode("ascii", "ignore")
        .decode()
        .lower()
        .replace(" ", "")
        .replace("'", "")
    )


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def _at_time(day: dt.date, time: dt.time) -> dt.datetime:
    return _at(day, time.hour, time.minute)


def _saturday_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - 5) % 7)


@dataclass
class _Guest:
    """One guest of an event as the demo draws them: their answer and whether they came."""

    contact_id: int
    rsvp: str = Rsvp.NEEDS_ACTION
    role: str = "guest"
    plus_ones: int = 0
    checked_in_at: dt.datetime | None = None  # came, and was checked in at the door
    online: bool = False  # came to an online event: no door, no check-in


@dataclass
class _GuestList:
    event: Event
    guests: Sequence[_Guest]
    closed: bool  # the event was closed: its no-shows are recorded
    invitations: dict[int, int] = field(default_factory=dict)  # by contact


@dataclass
class _Venue:
    id: int
    capacity: int | None


class _Seeder:
    """Writes the demo's records through the services, section by section, in the order (and
    with the random draws) that give the same database for the same day."""

    def __init__(self, session: Session, data: Data, today: dt.date) -> None:
        self.session = session
        self.data = data
        self.today = today
        self.zone: str = data["zone"]
        region = preferences.PHONE_REGION
        self.region: str = data["settings"].get(region) or preferences.DEFAULTS[region]
        self.rng = random.Random(data["seed"])
        self.communities: dict[str, int] = {}
        self.launch_dates: dict[str, dt.date] = {}
        self.venues: dict[str, _Venue] = {}
        self.orgs: list[tuple[int, str]] = []  # (id, name)
        self.contacts: list[int] = []
        self.with_email: set[int] = set()
        self.events: list[Event] = []  # the weekly series first
        self.first_thursday = today
        self.guest_lists: list[_GuestList] = []  # invited, not yet written

    def days(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)

    def utc(self, local: dt.datetime) -> dt.datetime:
        return local_to_utc(local, self.zone)

    def between(self, bounds: list[int]) -> list[int]:
        """The contacts from `bounds[0]` up to `bounds[1]`."""
        return self.contacts[bounds[0] : bounds[1]]

    def seed(self) -> None:
        for key, value in self.data["settings"].items():
            preferences.put_in(self.session, key, value)
        self._communities()
        for name in self.data["tags"]["names"]:
            tag_id_in(self.session, name)
        self._organizations_and_venues()
        self._contacts()
        self._memberships()
        self._events()
        self._guests()
        self.write_guests()
        self._weekly_attendance()
        self._tasks()
        self._commitments()
        self._interactions()

    def _communities(self) -> None:
        for spec in self.data["communities"]:
            launch = self.days(spec["launch"])
            self.communities[spec["key"]] = create_community_in(
                self.session,
                CommunityData(
                    name=spec["name"],
                    objective=spec["objective"],
                    target_population=spec["target_population"],
                    launch_date=launch,
                    pace_days=spec["pace_days"],
                ),
            )
            self.launch_dates[spec["key"]] = launch

    def _organizations_and_venues(self) -> None:
        rng, places = self.rng, self.data["places"]
        for spec in self.data["organizations"]:
            city, postal = rng.choice(places["cities"])
            street = f"{rng.randint(1, 90)} {rng.choice(places['streets'])}"
            org_id = create_organization_in(
                self.session,
                OrganizationData(
                    name=spec["name"],
                    kind=spec["kind"],
                    city=city,
                    postal_code=postal,
                    country="France",
                    street=street,
                    website=f"https://www.{_ascii(spec['name'])[:18]}.example",
                ),
            )
            self.orgs.append((org_id, spec["name"]))
        for spec in self.data["venues"]:
            venue_id = create_venue_in(self.session, VenueCreate(**spec))
            self.venues[spec["name"]] = _Venue(venue_id, spec.get("capacity"))

    def insert(self, cards: Sequence[ContactData]) -> list[int]:
        """New contacts, validated as the contact editor does, written by the importers' bulk
        path (row for row what the editor writes); their ids."""
        checked = [validated_card(card, self.region) for card in cards]
        self.session.flush()  # the bulk writer works on the connection, under the ORM
        con = self.session.connection().connection.driver_connection
        assert isinstance(con, sqlite3.Connection)
        ids = ContactWriter(con).insert(checked)
        # Loaded in one query (and held): the services then find them without one each.
        self.session.exec(select(Contact).where(col(Contact.id).in_(ids))).all()
        return ids

    def _contacts(self) -> None:
        rng, people = self.rng, self.data["people"]
        used: set[tuple[str, str]] = set()
        cards: list[ContactData] = []
        while len(cards) < people["count"]:
            given, family = rng.choice(people["given"]), rng.choice(people["family"])
            if (given, family) in used:
                continue
            used.add((given, family))
            card = ContactData(
                given_name=given,
                family_name=family,
                preferred_channel=rng.choice(people["channels"]),
                language="fr" if rng.random() < 0.9 else "en",
                consent_date=self.today - dt.timedelta(days=rng.randint(30, 700)),
                consent_source=rng.choice(people["consent_sources"]),
                consent_scope=rng.choice(people["consent_scopes"]),
            )
            cards.append(self._contact_details(card))
        # A few organization people.
        first = len(cards) - len(self.orgs)
        for n, (org_id, name) in enumerate(self.orgs, start=first):
            role = rng.choice(people["roles_in_organizations"])
            link = AffiliationData(name, role=role, organization_id=org_id)
            cards[n] = dataclasses.replace(cards[n], affiliations=(link,))
        # Ambassadors and the sponsor keep a cadence (when they were last seen: _interactions).
        for spec in self.data["cadences"]:
            n = spec["contact"] % len(cards)
            cards[n] = dataclasses.replace(cards[n], cadence_days=spec["cadence_days"])
        self.contacts = self.insert(cards)
        self.with_email = {cid for cid, c in zip(self.contacts, cards, strict=True) if c.emails}

    def _contact_details(self, card: ContactData) -> ContactData:
        rng, places, people = self.rng, self.data["places"], self.data["people"]
        city, postal = rng.choice(places["cities"])
        emails: tuple[Labelled, ...] = ()
        phones: tuple[Labelled, ...] = ()
        if rng.random() < 0.92:
            domain = rng.choice(people["email_domains"])
            address = f"{_ascii(card.given_name)}.{_ascii(card.family_name)}@{domain}"
            emails = (Labelled(address, "perso"),)
        if rng.random() < 0.8:
            digits = " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4))
            phones = (Labelled(f"+33 6 {digits}", "mobile"),)
        home = AddressData(
            label="domicile",
            city=city,
            postal_code=postal,
            country="France",
            street=f"{rng.randint(1, 120)} {rng.choice(places['streets'])}",
        )
        tags = rng.sample(self.data["tags"]["names"], k=rng.choice(people["tags_per_person"]))
        return dataclasses.replace(
            card, emails=emails, phones=phones, addresses=(home,), tags=tuple(tags)
        )

    def member(self, community: int, contact: int, role: str, days_ago: int) -> None:
        self.join([(community, contact, role, days_ago)])

    def join(self, memberships: Sequence[tuple[int, int, str, int]]) -> None:
        """(community, contact, role, joined days ago), in order: a run of the same role in
        the same community is given in one go."""
        run: list[tuple[int, int, str, int]] = []
        for membership in [*memberships, (0, 0, "", 0)]:  # the last one ends the last run
            if run and membership[0::2] != run[0][0::2]:
                community, _contact, role, _days = run[0]
                joined = {m[1]: self.today - dt.timedelta(days=m[3]) for m in run}
                add_members_in(self.session, community, list(joined), role, joined)
                run = []
            run.append(membership)

    def _memberships(self) -> None:
        memberships: list[tuple[int, int, str, int]] = []
        for spec in self.data["communities"]:
            community = self.communities[spec["key"]]
            first_roles = spec.get("first_roles", [])
            for i, contact in enumerate(self.between(spec["members"])):
                days_ago = self.rng.randint(*spec["joined"])
                memberships.append((community, contact, "member", days_ago))
                if i < len(first_roles):
                    memberships.append((community, contact, *first_roles[i]))
            for index, role, days_ago in spec.get("roles", []):
                memberships.append((community, self.contacts[index], role, days_ago))
        for key, index, days_ago in self.data["membership"]["sponsors"]:
            memberships.append((self.communities[key], self.contacts[index], "sponsor", days_ago))
        self.join(memberships)

    def event(self, spec: Data, day: dt.date, **extra: Any) -> Event:
        venue = self.venues[spec["venue"]] if "venue" in spec else None
        begin = _at_time(day, spec["start"])
        data = EventCreate(
            title=spec["title"],
            kind=spec["kind"],
            community_id=self.communities[spec["community"]],
            venue_id=venue.id if venue else None,
            start_local=begin,
            end_local=begin + dt.timedelta(hours=spec["hours"]),
            timezone=self.zone,
            status=spec["status"],
            **extra,
        )
        return add_event_in(self.session, data)

    def _events(self) -> None:
        weekly = self.data["weekly"]
        today = self.today
        first_thursday = today - dt.timedelta(
            days=(today.weekday() - 3) % 7 + 7 * weekly["weeks_ago"]
        )
        self.first_thursday = first_thursday
        series = self.event(
            weekly,
            first_thursday,
            rrule=weekly["rrule"],
            capacity=weekly["capacity"],
            objective=weekly["objective"],
            description=weekly["description"],
        )
        start, end = weekly["start"], _at_time(first_thursday, weekly["start"])
        end += dt.timedelta(hours=weekly["hours"])
        skipped = first_thursday + dt.timedelta(weeks=weekly["skipped_week"])
        # Dates of the series as it is written: no calendar holds it yet to be told.
        skip_occurrence_in(self.session, pk(series), _at_time(skipped, start), keep_sequence=True)
        moved = first_thursday + dt.timedelta(weeks=weekly["moved_week"])
        to = moved + dt.timedelta(days=1)
        move_occurrence_in(
            self.session,
            pk(series),
            _at_time(moved, start),
            _at_time(to, start),
            _at_time(to, end.time()),
            notes=weekly["moved_notes"],
            keep_sequence=True,
        )
        self.events = [series]
        for spec in self.data["events"]:
            venue = self.venues[spec["venue"]] if "venue" in spec else None
            self.events.append(
                self.event(
                    spec,
                    self.days(spec["day"]),
                    capacity=venue.capacity if venue else None,
                    objective=self.data["event_defaults"]["objective"],
                )
            )

    def invite(self, event: Event, guests: Sequence[_Guest], closed: bool = False) -> None:
        """The guest list as the CM keeps it: invited (in order), their answers, companions,
        check-ins at the door; a `closed` event records its no-shows. Written by
        `write_guests`, with the other lists invited meanwhile."""
        self.guest_lists.append(_GuestList(event, guests, closed))

    def write_guests(self) -> None:
        """The guest lists invited since the last call, step by step for all of them: every
        list, then every answer, then the door, then the no-shows. (List by list, each step's
        reads made the session write the last one's changes, one row at a time.)"""
        session, lists = self.session, self.guest_lists
        self.guest_lists = []
        for gl in lists:
            for role in dict.fromkeys(g.role for g in gl.guests):
                ids = [g.contact_id for g in gl.guests if g.role == role]
                gl.invitations |= add_guests_in(session, pk(gl.event), ids, role)
        for gl in lists:
            answers: dict[str, list[int]] = {}
            for guest in gl.guests:
                if guest.rsvp != Rsvp.NEEDS_ACTION:  # the answer of someone just invited
                    answers.setdefault(guest.rsvp, []).append(gl.invitations[guest.contact_id])
            for rsvp, ids in answers.items():
                set_rsvps_in(session, ids, rsvp)
        for gl in lists:
            for guest in gl.guests:
                invitation_id = gl.invitations[guest.contact_id]
                if guest.plus_ones:
                    set_plus_ones_in(session, invitation_id, guest.plus_ones)
                if guest.checked_in_at is not None:
                    check_in_in(session, invitation_id, guest.checked_in_at)
                if guest.online:
                    _attended_online(session, invitation_id)
        for gl in lists:
            if gl.closed:
                mark_no_shows(session, pk(gl.event), None)

    def _guests(self) -> None:
        rng = self.rng
        pool = {
            self.communities[spec["key"]]: self.between(spec["members"])
            for spec in self.data["communities"]
        }
        rsvps = self.data["event_defaults"]["rsvps"]
        for ev in self.events[1:]:
            past = ev.start_utc < clock.now_utc()
            if ev.status in ("idea",):
                continue
            members = pool[ev.community_id or 0]
            contacts = rng.sample(members, k=min(12, len(members)))
            # People with an e-mail come first, so every event has guests who can get an invite.
            contacts.sort(key=lambda c: c not in self.with_email)
            guests: list[_Guest] = []
            for n, contact in enumerate(contacts):
                rsvp = rsvps[n % len(rsvps)] if n >= 3 else "accepted"
                checked = None
                if past and ev.status == "done":
                    attended = rsvp == "accepted" and rng.random() < 0.85
                    checked = (
                        ev.start_utc + dt.timedelta(minutes=rng.randint(0, 40))
                        if attended
                        else None
                    )
                guests.append(
                    _Guest(
                        contact,
                        rsvp,
                        role="speaker" if n == 0 and ev.kind == "workshop" else "guest",
                        checked_in_at=checked,
                        plus_ones=1 if n == 4 else 0,
                    )
                )
            self.invite(ev, guests, closed=past and ev.status == "done")

    def _weekly_attendance(self) -> None:
        """The weekly series: a shared list, attendance per past occurrence."""
        weekly, series = self.data["weekly"], self.events[0]
        regulars = self.contacts[: weekly["regulars"]]
        shared = add_guests_in(self.session, pk(series), regulars)
        set_rsvps_in(self.session, list(shared.values()), Rsvp.ACCEPTED)
        for week in range(weekly["weeks_ago"]):
            day = self.first_thursday + dt.timedelta(weeks=week)
            if week == weekly["skipped_week"]:
                continue
            occurrence = _at_time(day, weekly["start"])
            for guest in regulars:
                present = self.rng.random() < (0.8 if guest % 3 else 0.35)
                when = self.utc(occurrence) + dt.timedelta(minutes=self.rng.randint(0, 50))
                if present:
                    check_in_in(self.session, shared[guest], when, occurrence)
            mark_no_shows(self.session, pk(series), occurrence)

    def _tasks(self) -> None:
        checklist = self.data["checklist"]
        colleagues = self.contacts[: checklist["assignees"]]
        for ev in self.events[1:]:
            if ev.status in ("idea", "cancelled"):
                continue
            start_day = ev.start_local.date()
            for title, offset in checklist["tasks"]:
                due = start_day + dt.timedelta(days=offset)
                task_id = add_task_in(
                    self.session,
                    TaskData(
                        title=title,
                        event_id=pk(ev),
                        due_offset_days=offset,
                        assignee_id=self.rng.choice(colleagues),
                    ),
                )
                if due < self.today - dt.timedelta(days=1) and self.rng.random() < 0.8:
                    set_done_in(self.session, task_id, True)
        for spec in self.data["tasks"]:
            add_task_in(
                self.session, TaskData(title=spec["title"], due_date=self.days(spec["due"]))
            )

    def _commitments(self) -> None:
        for spec in self.data["commitments"]:
            commitment_id = add_commitment_in(
                self.session,
                spec["description"],
                due_date=self.days(spec["due"]),
                contact_id=self.contacts[spec["contact"]] if "contact" in spec else None,
                community_id=self.communities[spec["community"]] if "community" in spec else None,
                event_id=pk(self.events[spec["event"]]) if "event" in spec else None,
            )
            if "status" in spec:
                set_status_in(self.session, commitment_id, spec["status"])

    def _interactions(self) -> None:
        """Interactions, cadence, people drifting away."""
        rng, spec = self.rng, self.data["interactions"]
        for contact in rng.sample(self.contacts, k=spec["count"]):
            days_ago = rng.randint(1, 150)
            in_person = rng.random() < 0.4
            when = self.utc(_at(self.days(-days_ago), rng.randint(9, 18)))
            channel = "in_person" if in_person else rng.choice(["phone", "email", "video"])
            log_interaction_in(
                self.session,
                contact,
                when,
                channel=channel,
                in_person=in_person,
                duration_minutes=rng.choice([15, 30, 60]),
                notes=rng.choice(spec["notes"]),
            )
        for cadence in self.data["cadences"]:
            when = self.utc(_at(self.days(-cadence["days_ago"]), 19))
            _last_seen(self.session, self.contacts[cadence["contact"]], when)


def _attended_online(session: Session, invitation_id: int) -> None:
    """A guest who came to an online event. Raw, as no service says it: the app records
    attendance by a check-in at the door, which stamps a time and moves the contact's
    `last_seen` (an in-person meeting); the dashboard's stories rely on neither."""
    invitation = session.get(Invitation, invitation_id)
    assert invitation is not None
    invitation.attended = True
    session.add(invitation)


def _last_seen(session: Session, contact_id: int, when: dt.datetime) -> None:
    """The demo says when someone keeping a cadence was last seen, earlier than their
    attendance may say. Raw, as no service moves `last_seen` back (`mark_seen` only moves it
    forward): the dashboard's "drifting away" card needs its overdue people."""
    contact = session.get(Contact, contact_id)
    assert contact is not None
    contact.last_seen = when
    session.add(contact)


class _Stories:
    """What makes each dashboard card tell a story (see the resource file): added after
    everything else, with a random generator of its own."""

    def __init__(self, seeder: _Seeder) -> None:
        self.s = seeder
        self.data = seeder.data
        self.session = seeder.session
        self.today = seeder.today
        self.contacts = seeder.contacts
        self.rng = random.Random(self.data["stories"]["seed"])
        spec = self.data["repair"]
        self.first = _saturday_before(self.s.days(spec["launch_saturday_before"]))
        self.repair: int | None = None
        self.people: list[int] = []

    def tell(self) -> None:
        repair = self.repair = self._repair_cafe()
        self._repair_sessions(repair)
        self._repair_online_and_relaunch(repair)
        self._launches()
        self._online_events()
        self.s.write_guests()
        self._scene_launch()
        self._touches()
        self._work_entries(repair)

    def one_off(self, spec: Data, begin: dt.datetime, community: int | None = None) -> Event:
        """An event of the stories; `community` defaults to the one `spec` names."""
        s = self.s
        community = community or s.communities[spec["community"]]
        venue = s.venues[spec["venue"]] if "venue" in spec else None
        online_url = spec.get("online_url", "")
        data = EventCreate(
            title=spec["title"],
            kind=spec["kind"],
            community_id=community,
            venue_id=venue.id if venue else None,
            start_local=begin,
            end_local=begin + dt.timedelta(minutes=spec["minutes"]),
            timezone=s.zone,
            status=spec.get("status", "done"),
            capacity=venue.capacity if venue else None,
            in_person=not online_url,
            online_url=online_url,
            objective=self.data["repair"]["objective_of_sessions"]
            if community == self.repair
            else self.data["stories"]["objective"],
        )
        return add_event_in(self.session, data)

    def _repair_cafe(self) -> int:
        """A fading community: the Repair café."""
        rng, spec, first = self.rng, self.data["repair"], self.first
        repair = create_community_in(
            self.session,
            CommunityData(
                name=spec["name"],
                objective=spec["objective"],
                target_population=spec["target_population"],
                description=spec["description"],
                launch_date=first,
                pace_days=spec["pace_days"],
            ),
        )
        soude = next(org for org, name in self.s.orgs if name == spec["sponsor_organization"])
        cards: list[ContactData] = []
        for n, (given, family, role, cadence) in enumerate(spec["people"]):
            consent_date = first - dt.timedelta(days=rng.randint(0, 20))
            emails, phones, home = self._repair_details(given, family)
            joined = first - dt.timedelta(days=rng.randint(0, 30))
            roles = ("member", role) if role != "member" else ("member",)
            sponsor = n == spec["sponsor"]
            cards.append(
                ContactData(
                    given_name=given,
                    family_name=family,
                    preferred_channel="phone" if n % 3 == 0 else "email",
                    language="fr",
                    cadence_days=cadence or None,
                    consent_date=consent_date,
                    consent_source=spec["consent_source"],
                    consent_scope="contact",
                    emails=emails,
                    phones=phones,
                    addresses=(home,),
                    communities=tuple(
                        MembershipData(spec["name"], r, community_id=repair, joined_on=joined)
                        for r in roles
                    ),
                    affiliations=(
                        AffiliationData(
                            spec["sponsor_organization"],
                            role=spec["sponsor_role"],
                            organization_id=soude,
                        ),
                    )
                    if sponsor
                    else (),
                )
            )
        self.people = self.s.insert(cards)
        return repair

    def _repair_details(
        self, given: str, family: str
    ) -> tuple[tuple[Labelled, ...], tuple[Labelled, ...], AddressData]:
        rng, spec = self.rng, self.data["repair"]
        email = f"{_ascii(given)}.{_ascii(family)}@{rng.choice(spec['email_domains'])}"
        digits = " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4))
        home = AddressData(
            label="domicile",
            street=f"{rng.randint(1, 60)} {spec['street']}",
            postal_code=spec["postal_code"],
            city=spec["city"],
            country="France",
        )
        return (Labelled(email, "perso"),), (Labelled(f"+33 6 {digits}", "mobile"),), home

    def _repair_sessions(self, repair: int) -> None:
        spec = self.data["repair"]
        session_spec = {
            "kind": spec["kind"],
            "venue": spec["venue"],
            "minutes": spec["session_minutes"],
            "status": "done",
        }
        start = spec["session_start"]
        weeks_and_who = zip(spec["session_weeks"], spec["attendance"], strict=True)
        for number, (weeks, came) in enumerate(weeks_and_who):
            day = self.first + dt.timedelta(weeks=weeks)
            title = spec["session_title"].format(number=number + 1)
            event = self.one_off({**session_spec, "title": title}, _at_time(day, start), repair)
            guests = []
            for n, person in enumerate(self.people[: spec["invited"]]):
                attended = n in came
                checked = (
                    self.s.utc(_at(day, start.hour, self.rng.randint(0, 45))) if attended else None
                )
                rsvp = "accepted" if attended or n < 6 else "needs-action"
                guests.append(_Guest(person, rsvp, checked_in_at=checked))
            self.s.invite(event, guests, closed=True)

    def _repair_online_and_relaunch(self, repair: int) -> None:
        """The sessions moved online; a relaunch is on the calendar."""
        spec = self.data["repair"]
        common = {"kind": spec["kind"], "venue": spec["venue"]}
        visio = {"kind": spec["kind"], **spec["visio"]}
        event = self.one_off(visio, _at_time(self.s.days(visio["day"]), visio["start"]), repair)
        came = [_Guest(self.people[n], "accepted", online=True) for n in visio["attended"]]
        self.s.invite(event, came)
        relaunch = {**common, **spec["relaunch"]}
        day = _saturday_before(self.s.days(relaunch["saturday_before"]))
        event = self.one_off(relaunch, _at_time(day, relaunch["start"]), repair)
        rsvps = relaunch["rsvps"]
        people = self.people[: spec["invited"]]
        self.s.invite(event, [_Guest(p, rsvps[n % len(rsvps)]) for n, p in enumerate(people)])
        add_commitment_in(
            self.session,
            spec["commitment"]["description"],
            due_date=self.s.days(spec["commitment"]["due"]),
            contact_id=self.people[spec["sponsor"]],
            community_id=repair,
        )

    def held(self, event: Event, day: dt.date, guests: list[int], show: float) -> None:
        came = []
        for guest in guests:
            present = self.rng.random() < show
            checked = self.s.utc(_at(day, event.start_local.hour, self.rng.randint(0, 40)))
            came.append(_Guest(guest, "accepted", checked_in_at=checked if present else None))
        self.s.invite(event, came, closed=True)

    def _launches(self) -> None:
        """How the Apéros and the Club des testeurs were launched."""
        s, launches = self.s, self.data["launches"]
        party = launches["party"]
        launch_day = s.launch_dates[party["community"]]
        event = self.one_off(party, _at_time(launch_day, party["start"]))
        self.held(event, launch_day, s.between(party["guests"]), party["show"])
        apero = launches["apero"]
        for week in range(1, apero["weeks_before_series"] + 1):
            day = s.first_thursday - dt.timedelta(weeks=week)
            event = self.one_off(apero, _at_time(day, apero["start"]))
            self.held(event, day, s.between(apero["guests"]), apero["show"])
        club = launches["testeurs"]
        testeurs = s.communities[club["community"]]
        club_day = s.launch_dates[club["community"]]
        for weeks, title in club["sessions"]:
            day = club_day + dt.timedelta(weeks=weeks)
            event = self.one_off({**club, "title": title}, _at_time(day, club["start"]))
            self.held(event, day, s.between(club["guests"]), club["show"])
        index, days_ago = club["ambassador"]
        s.member(testeurs, self.contacts[index], "ambassador", days_ago)

    def _online_events(self) -> None:
        """Online events of the other communities."""
        s, call, demo = self.s, self.data["testers_call"], self.data["online_demo"]
        event = self.one_off(call, _at_time(s.days(call["day"]), call["start"]))
        came = [_Guest(self.contacts[i], "accepted", online=True) for i in call["attended"]]
        s.invite(event, came)
        event = self.one_off(demo, _at_time(s.days(demo["day"]), demo["start"]))
        rsvps = demo["rsvps"]
        guests = s.between(demo["guests"])
        s.invite(event, [_Guest(p, rsvps[n % len(rsvps)]) for n, p in enumerate(guests)])

    def _scene_launch(self) -> None:
        """A community being launched: one ambassador of two, no sponsor."""
        s, spec = self.s, self.data["scene_launch"]
        scene = s.communities[spec["community"]]
        index, days_ago = spec["ambassador"]
        s.member(scene, self.contacts[index], "ambassador", days_ago)
        day = s.launch_dates[spec["community"]] + dt.timedelta(days=spec["days_after_launch"])
        self.one_off(spec, _at_time(day, spec["start"]))

    def touch(
        self,
        person: int,
        days_ago: int,
        channel: str,
        minutes: int | None,
        notes: str,
        hour: int = 10,
    ) -> None:
        when = self.s.utc(_at(self.s.days(-days_ago), hour))
        log_interaction_in(
            self.session,
            person,
            when,
            channel=channel,
            in_person=channel == "in_person",
            duration_minutes=minutes,
            notes=notes,
        )

    def _touches(self) -> None:
        """The CM's own interactions: coffees, calls, video calls."""
        rng = self.rng
        for spec in self.data["touches"]:
            if "repair" in spec:
                person = self.people[spec["repair"]]
            else:
                person = self.contacts[spec["contact"]]
            self.touch(person, spec["days_ago"], spec["channel"], spec["minutes"], spec["notes"])
        background = self.data["background"]
        quiet = {self.contacts[index] for index in background["quiet"]}
        pool = [c for c in self.contacts[: background["pool"]] if c not in quiet]
        for week in range(background["weeks"]):
            days = 7 * week
            for kind in background["kinds"]:
                notes = kind["notes"]
                self.touch(
                    rng.choice(pool),
                    days + rng.randint(1, 6),
                    kind["channel"],
                    rng.choice(kind["minutes"]),
                    notes if isinstance(notes, str) else rng.choice(notes),
                    hour=kind["hour"],
                )
            if week % 2:
                notes = background["emails"]["notes"]
                self.touch(rng.choice(pool), days + rng.randint(1, 6), "email", None, notes)

    def _work_entries(self, repair: int) -> None:
        """A year of "online work" (see the resource file)."""
        s, spec, today = self.s, self.data["online_work"], self.today
        since_when = {key: (s.communities[key], s.launch_dates[key]) for key in s.communities}
        since_when["repair"] = (repair, self.first)
        preparing = today - dt.timedelta(weeks=spec["scene_preparation_weeks"])
        since_when["scene"] = (s.communities["scene"], preparing)  # its preparation
        monday = today - dt.timedelta(days=today.weekday())
        for week in range(spec["weeks"]):
            start = monday - dt.timedelta(weeks=week)
            for what, minutes, weekday, key in spec["week"]:
                day = start + dt.timedelta(days=weekday)
                community, since = since_when[key] if key else (None, dt.date.min)
                if since <= day < today:  # written in one go, at the transaction's end
                    add_work_in(
                        self.session,
                        WorkData(day=day, minutes=minutes, community_id=community, notes=what),
                    )
