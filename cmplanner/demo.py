"""A realistic French demo database: the data in resources/demo/lyon.toml, seeded here. It is
deterministic for a given day, with dates relative to today so the dashboard always has
something to say."""

from __future__ import annotations

import datetime as dt
import random
import tomllib
import unicodedata
from pathlib import Path
from typing import Any, TypeVar

from sqlmodel import Session

from cmplanner import clock
from cmplanner.errors import CMPlannerError
from cmplanner.i18n import _
from cmplanner.model import (
    Affiliation,
    Commitment,
    Community,
    CommunityMember,
    Contact,
    ContactAddress,
    ContactEmail,
    ContactPhone,
    ContactTag,
    Event,
    EventCreate,
    Interaction,
    Invitation,
    OccurrenceException,
    Organization,
    Setting,
    Tag,
    Task,
    Venue,
    WorkEntry,
)
from cmplanner.paths import resources_dir
from cmplanner.services.events import event_from
from cmplanner.services.stats import is_empty
from cmplanner.storage import Database
from cmplanner.storage.database import acquire_lock
from cmplanner.timezones import local_to_utc

_T = TypeVar("_T")
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
            seeder = _Seeder(session, data, clock.today(data["zone"]))
            seeder.seed()
            _Stories(seeder).tell()
        db.checkpoint()


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


def _seen(contact: Contact, when: dt.datetime) -> None:
    if contact.last_seen is None or contact.last_seen < when:
        contact.last_seen = when


def _saturday_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - 5) % 7)


class _Seeder:
    """Adds the demo's records, section by section, in the order (and with the random draws)
    that give the same database for the same day."""

    def __init__(self, session: Session, data: Data, today: dt.date) -> None:
        self.session = session
        self.data = data
        self.today = today
        self.zone: str = data["zone"]
        self.rng = random.Random(data["seed"])
        self.communities: dict[str, Community] = {}
        self.venues: dict[str, Venue] = {}
        self.orgs: list[Organization] = []
        self.contacts: list[Contact] = []
        self.with_email: set[int] = set()
        self.events: list[Event] = []  # the weekly series first
        self.first_thursday = today

    def add(self, obj: _T) -> _T:
        self.session.add(obj)
        self.session.flush()
        return obj

    def days(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)

    def utc(self, local: dt.datetime) -> dt.datetime:
        return local_to_utc(local, self.zone)

    def between(self, bounds: list[int]) -> list[Contact]:
        """The contacts from `bounds[0]` up to `bounds[1]`."""
        return self.contacts[bounds[0] : bounds[1]]

    def seed(self) -> None:
        for key, value in self.data["settings"].items():
            self.session.add(Setting(key=key, value=value))
        self._communities()
        tags = [self.add(Tag(name=name)) for name in self.data["tags"]["names"]]
        self._organizations_and_venues()
        self._contacts(tags)
        self._memberships()
        self._events()
        self._guests()
        self._weekly_attendance()
        self._tasks()
        self._commitments()
        self._interactions()

    def _communities(self) -> None:
        for spec in self.data["communities"]:
            self.communities[spec["key"]] = self.add(
                Community(
                    name=spec["name"],
                    objective=spec["objective"],
                    target_population=spec["target_population"],
                    launch_date=self.days(spec["launch"]),
                    pace_days=spec["pace_days"],
                )
            )

    def _organizations_and_venues(self) -> None:
        rng, places = self.rng, self.data["places"]
        for spec in self.data["organizations"]:
            city, postal = rng.choice(places["cities"])
            self.orgs.append(
                self.add(
                    Organization(
                        name=spec["name"],
                        kind=spec["kind"],
                        city=city,
                        postal_code=postal,
                        country="France",
                        street=f"{rng.randint(1, 90)} {rng.choice(places['streets'])}",
                        website=f"https://www.{_ascii(spec['name'])[:18]}.example",
                    )
                )
            )
        for spec in self.data["venues"]:
            self.venues[spec["name"]] = self.add(Venue(**spec))

    def _contacts(self, tags: list[Tag]) -> None:
        rng, people = self.rng, self.data["people"]
        used: set[tuple[str, str]] = set()
        while len(self.contacts) < people["count"]:
            given, family = rng.choice(people["given"]), rng.choice(people["family"])
            if (given, family) in used:
                continue
            used.add((given, family))
            contact = self.add(
                Contact(
                    given_name=given,
                    family_name=family,
                    preferred_channel=rng.choice(people["channels"]),
                    language="fr" if rng.random() < 0.9 else "en",
                    consent_date=self.today - dt.timedelta(days=rng.randint(30, 700)),
                    consent_source=rng.choice(people["consent_sources"]),
                    consent_scope=rng.choice(people["consent_scopes"]),
                )
            )
            self._contact_details(contact, tags)
            self.contacts.append(contact)
        # A few organization people.
        for org, person in zip(self.orgs, self.contacts[-len(self.orgs) :], strict=True):
            self.session.add(
                Affiliation(
                    contact_id=pk(person),
                    organization_id=pk(org),
                    role=rng.choice(people["roles_in_organizations"]),
                )
            )

    def _contact_details(self, contact: Contact, tags: list[Tag]) -> None:
        rng, session, places = self.rng, self.session, self.data["places"]
        city, postal = rng.choice(places["cities"])
        if rng.random() < 0.92:
            self.with_email.add(pk(contact))
            domain = rng.choice(self.data["people"]["email_domains"])
            session.add(
                ContactEmail(
                    contact_id=pk(contact),
                    label="perso",
                    address=f"{_ascii(contact.given_name)}.{_ascii(contact.family_name)}@{domain}",
                )
            )
        if rng.random() < 0.8:
            digits = " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4))
            session.add(
                ContactPhone(contact_id=pk(contact), label="mobile", number=f"+33 6 {digits}")
            )
        session.add(
            ContactAddress(
                contact_id=pk(contact),
                label="domicile",
                city=city,
                postal_code=postal,
                country="France",
                street=f"{rng.randint(1, 120)} {rng.choice(places['streets'])}",
            )
        )
        for tag in rng.sample(tags, k=rng.choice(self.data["people"]["tags_per_person"])):
            session.add(ContactTag(contact_id=pk(contact), tag_id=pk(tag)))

    def member(self, community: Community, contact: Contact, role: str, days_ago: int) -> None:
        self.session.add(
            CommunityMember(
                community_id=pk(community),
                contact_id=pk(contact),
                role=role,
                joined_on=self.today - dt.timedelta(days=days_ago),
            )
        )

    def _memberships(self) -> None:
        for spec in self.data["communities"]:
            community = self.communities[spec["key"]]
            first_roles = spec.get("first_roles", [])
            for i, contact in enumerate(self.between(spec["members"])):
                self.member(community, contact, "member", self.rng.randint(*spec["joined"]))
                if i < len(first_roles):
                    self.member(community, contact, *first_roles[i])
            for index, role, days_ago in spec.get("roles", []):
                self.member(community, self.contacts[index], role, days_ago)
        for key, index, days_ago in self.data["membership"]["sponsors"]:
            self.member(self.communities[key], self.contacts[index], "sponsor", days_ago)

    def event(self, spec: Data, day: dt.date, **extra: Any) -> Event:
        venue = self.venues[spec["venue"]] if "venue" in spec else None
        begin = _at_time(day, spec["start"])
        data = EventCreate(
            title=spec["title"],
            kind=spec["kind"],
            community_id=pk(self.communities[spec["community"]]),
            venue_id=pk(venue) if venue else None,
            start_local=begin,
            end_local=begin + dt.timedelta(hours=spec["hours"]),
            timezone=self.zone,
            status=spec["status"],
            **extra,
        )
        return self.add(event_from(data))

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
        self.session.add(
            OccurrenceException(
                event_id=pk(series), cancelled=True, recurrence_id=_at_time(skipped, start)
            )
        )
        moved = first_thursday + dt.timedelta(weeks=weekly["moved_week"])
        to = moved + dt.timedelta(days=1)
        self.session.add(
            OccurrenceException(
                event_id=pk(series),
                recurrence_id=_at_time(moved, start),
                start_local=_at_time(to, start),
                end_local=_at_time(to, end.time()),
                notes=weekly["moved_notes"],
            )
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

    def _guests(self) -> None:
        rng = self.rng
        pool = {
            pk(self.communities[spec["key"]]): self.between(spec["members"])
            for spec in self.data["communities"]
        }
        rsvps = self.data["event_defaults"]["rsvps"]
        for ev in self.events[1:]:
            past = ev.start_utc < clock.now_utc()
            if ev.status in ("idea",):
                continue
            members = pool[ev.community_id or 0]
            guests = rng.sample(members, k=min(12, len(members)))
            # People with an e-mail come first, so every event has guests who can get an invite.
            guests.sort(key=lambda c: pk(c) not in self.with_email)
            for n, guest in enumerate(guests):
                rsvp = rsvps[n % len(rsvps)] if n >= 3 else "accepted"
                attended = None
                checked = None
                if past and ev.status == "done":
                    attended = rsvp == "accepted" and rng.random() < 0.85
                    checked = (
                        ev.start_utc + dt.timedelta(minutes=rng.randint(0, 40))
                        if attended
                        else None
                    )
                self.session.add(
                    Invitation(
                        event_id=pk(ev),
                        contact_id=pk(guest),
                        rsvp=rsvp,
                        role="speaker" if n == 0 and ev.kind == "workshop" else "guest",
                        attended=attended,
                        checked_in_at=checked,
                        plus_ones=1 if n == 4 else 0,
                    )
                )
                if attended and checked:
                    _seen(guest, checked)

    def _weekly_attendance(self) -> None:
        """The weekly series: a shared list, attendance per past occurrence."""
        weekly, series = self.data["weekly"], self.events[0]
        regulars = self.contacts[: weekly["regulars"]]
        for guest in regulars:
            self.session.add(Invitation(event_id=pk(series), contact_id=pk(guest), rsvp="accepted"))
        for week in range(weekly["weeks_ago"]):
            day = self.first_thursday + dt.timedelta(weeks=week)
            if week == weekly["skipped_week"]:
                continue
            occurrence = _at_time(day, weekly["start"])
            for guest in regulars:
                present = self.rng.random() < (0.8 if pk(guest) % 3 else 0.35)
                when = self.utc(occurrence) + dt.timedelta(minutes=self.rng.randint(0, 50))
                self.session.add(
                    Invitation(
                        event_id=pk(series),
                        contact_id=pk(guest),
                        occurrence=occurrence,
                        rsvp="accepted",
                        attended=present,
                        checked_in_at=when if present else None,
                    )
                )
                if present:
                    _seen(guest, when)

    def _tasks(self) -> None:
        checklist = self.data["checklist"]
        colleagues = self.contacts[: checklist["assignees"]]
        for ev in self.events[1:]:
            if ev.status in ("idea", "cancelled"):
                continue
            start_day = ev.start_local.date()
            for position, (title, offset) in enumerate(checklist["tasks"]):
                due = start_day + dt.timedelta(days=offset)
                self.session.add(
                    Task(
                        title=title,
                        event_id=pk(ev),
                        due_offset_days=offset,
                        assignee_id=pk(self.rng.choice(colleagues)),
                        position=position,
                        done=due < self.today - dt.timedelta(days=1) and self.rng.random() < 0.8,
                    )
                )
        for spec in self.data["tasks"]:
            self.session.add(Task(title=spec["title"], due_date=self.days(spec["due"])))

    def _commitments(self) -> None:
        for spec in self.data["commitments"]:
            links: Data = {}
            if "community" in spec:
                links["community_id"] = pk(self.communities[spec["community"]])
            if "event" in spec:
                links["event_id"] = pk(self.events[spec["event"]])
            if "contact" in spec:
                links["contact_id"] = pk(self.contacts[spec["contact"]])
            if "status" in spec:
                links["status"] = spec["status"]
            self.session.add(
                Commitment(
                    description=spec["description"], due_date=self.days(spec["due"]), **links
                )
            )

    def _interactions(self) -> None:
        """Interactions, cadence, people drifting away."""
        rng, spec = self.rng, self.data["interactions"]
        for contact in rng.sample(self.contacts, k=spec["count"]):
            days_ago = rng.randint(1, 150)
            in_person = rng.random() < 0.4
            when = self.utc(_at(self.days(-days_ago), rng.randint(9, 18)))
            self.session.add(
                Interaction(
                    contact_id=pk(contact),
                    occurred_at=when,
                    channel="in_person" if in_person else rng.choice(["phone", "email", "video"]),
                    in_person=in_person,
                    duration_minutes=rng.choice([15, 30, 60]),
                    notes=rng.choice(spec["notes"]),
                )
            )
            if in_person:
                _seen(contact, when)
        for cadence in self.data["cadences"]:
            contact = self.contacts[cadence["contact"]]
            contact.cadence_days = cadence["cadence_days"]
            contact.last_seen = self.utc(_at(self.days(-cadence["days_ago"]), 19))
            self.session.add(contact)


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
        self.repair: Community | None = None
        self.people: list[Contact] = []

    def tell(self) -> None:
        repair = self.repair = self._repair_cafe()
        self._repair_sessions(repair)
        self._repair_online_and_relaunch(repair)
        self._launches()
        self._online_events()
        self._scene_launch()
        self._touches()
        self._work_entries(repair)

    def one_off(self, spec: Data, begin: dt.datetime, community: Community | None = None) -> Event:
        """An event of the stories; `community` defaults to the one `spec` names."""
        s = self.s
        community = community or s.communities[spec["community"]]
        venue = s.venues[spec["venue"]] if "venue" in spec else None
        online_url = spec.get("online_url", "")
        data = EventCreate(
            title=spec["title"],
            kind=spec["kind"],
            community_id=pk(community),
            venue_id=pk(venue) if venue else None,
            start_local=begin,
            end_local=begin + dt.timedelta(minutes=spec["minutes"]),
            timezone=s.zone,
            status=spec.get("status", "done"),
            capacity=venue.capacity if venue else None,
            in_person=not online_url,
            online_url=online_url,
            objective=self.data["repair"]["objective_of_sessions"]
            if community is self.repair
            else self.data["stories"]["objective"],
        )
        return s.add(event_from(data))

    def invite(self, event: Event, person: Contact, rsvp: str, **extra: Any) -> None:
        self.session.add(Invitation(event_id=pk(event), contact_id=pk(person), rsvp=rsvp, **extra))

    def _repair_cafe(self) -> Community:
        """A fading community: the Repair café."""
        rng, spec, first = self.rng, self.data["repair"], self.first
        repair = self.s.add(
            Community(
                name=spec["name"],
                objective=spec["objective"],
                target_population=spec["target_population"],
                description=spec["description"],
                launch_date=first,
                pace_days=spec["pace_days"],
            )
        )
        for n, (given, family, role, cadence) in enumerate(spec["people"]):
            person = self.s.add(
                Contact(
                    given_name=given,
                    family_name=family,
                    preferred_channel="phone" if n % 3 == 0 else "email",
                    language="fr",
                    cadence_days=cadence or None,
                    consent_date=first - dt.timedelta(days=rng.randint(0, 20)),
                    consent_source=spec["consent_source"],
                    consent_scope="contact",
                )
            )
            self._repair_details(person)
            joined = first - dt.timedelta(days=rng.randint(0, 30))
            for as_role in ("member", role) if role != "member" else ("member",):
                self.session.add(
                    CommunityMember(
                        community_id=pk(repair),
                        contact_id=pk(person),
                        role=as_role,
                        joined_on=joined,
                    )
                )
            self.people.append(person)
        soude = next(o for o in self.s.orgs if o.name == spec["sponsor_organization"])
        self.session.add(
            Affiliation(
                contact_id=pk(self.people[spec["sponsor"]]),
                organization_id=pk(soude),
                role=spec["sponsor_role"],
            )
        )
        return repair

    def _repair_details(self, person: Contact) -> None:
        rng, spec, session = self.rng, self.data["repair"], self.session
        given, family = _ascii(person.given_name), _ascii(person.family_name)
        session.add(
            ContactEmail(
                contact_id=pk(person),
                label="perso",
                address=f"{given}.{family}@{rng.choice(spec['email_domains'])}",
            )
        )
        digits = " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4))
        session.add(ContactPhone(contact_id=pk(person), label="mobile", number=f"+33 6 {digits}"))
        session.add(
            ContactAddress(
                contact_id=pk(person),
                label="domicile",
                street=f"{rng.randint(1, 60)} {spec['street']}",
                postal_code=spec["postal_code"],
                city=spec["city"],
                country="France",
            )
        )

    def _repair_sessions(self, repair: Community) -> None:
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
            for n, person in enumerate(self.people[: spec["invited"]]):
                attended = n in came
                checked = (
                    self.s.utc(_at(day, start.hour, self.rng.randint(0, 45))) if attended else None
                )
                self.invite(
                    event,
                    person,
                    "accepted" if attended or n < 6 else "needs-action",
                    attended=attended,
                    checked_in_at=checked,
                )
                if attended and checked:
                    _seen(person, checked)

    def _repair_online_and_relaunch(self, repair: Community) -> None:
        """The sessions moved online; a relaunch is on the calendar."""
        spec = self.data["repair"]
        common = {"kind": spec["kind"], "venue": spec["venue"]}
        visio = {"kind": spec["kind"], **spec["visio"]}
        event = self.one_off(visio, _at_time(self.s.days(visio["day"]), visio["start"]), repair)
        for n in visio["attended"]:
            self.invite(event, self.people[n], "accepted", attended=True)
        relaunch = {**common, **spec["relaunch"]}
        day = _saturday_before(self.s.days(relaunch["saturday_before"]))
        event = self.one_off(relaunch, _at_time(day, relaunch["start"]), repair)
        rsvps = relaunch["rsvps"]
        for n, person in enumerate(self.people[: spec["invited"]]):
            self.invite(event, person, rsvps[n % len(rsvps)])
        self.session.add(
            Commitment(
                description=spec["commitment"]["description"],
                community_id=pk(repair),
                contact_id=pk(self.people[spec["sponsor"]]),
                due_date=self.s.days(spec["commitment"]["due"]),
            )
        )

    def held(self, event: Event, day: dt.date, guests: list[Contact], show: float) -> None:
        for guest in guests:
            present = self.rng.random() < show
            checked = self.s.utc(_at(day, event.start_local.hour, self.rng.randint(0, 40)))
            self.invite(
                event,
                guest,
                "accepted",
                attended=present,
                checked_in_at=checked if present else None,
            )
            if present:
                _seen(guest, checked)

    def _launches(self) -> None:
        """How the Apéros and the Club des testeurs were launched."""
        s, launches = self.s, self.data["launches"]
        party = launches["party"]
        launch_day = s.communities[party["community"]].launch_date or self.today
        event = self.one_off(party, _at_time(launch_day, party["start"]))
        self.held(event, launch_day, s.between(party["guests"]), party["show"])
        apero = launches["apero"]
        for week in range(1, apero["weeks_before_series"] + 1):
            day = s.first_thursday - dt.timedelta(weeks=week)
            event = self.one_off(apero, _at_time(day, apero["start"]))
            self.held(event, day, s.between(apero["guests"]), apero["show"])
        club = launches["testeurs"]
        testeurs = s.communities[club["community"]]
        club_day = testeurs.launch_date or self.today
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
        for index in call["attended"]:
            self.invite(event, self.contacts[index], "accepted", attended=True)
        event = self.one_off(demo, _at_time(s.days(demo["day"]), demo["start"]))
        rsvps = demo["rsvps"]
        for n, person in enumerate(s.between(demo["guests"])):
            self.invite(event, person, rsvps[n % len(rsvps)])

    def _scene_launch(self) -> None:
        """A community being launched: one ambassador of two, no sponsor."""
        s, spec = self.s, self.data["scene_launch"]
        scene = s.communities[spec["community"]]
        index, days_ago = spec["ambassador"]
        s.member(scene, self.contacts[index], "ambassador", days_ago)
        launch = scene.launch_date or self.today
        day = launch + dt.timedelta(days=spec["days_after_launch"])
        self.one_off(spec, _at_time(day, spec["start"]))

    def touch(
        self,
        person: Contact,
        days_ago: int,
        channel: str,
        minutes: int | None,
        notes: str,
        hour: int = 10,
    ) -> None:
        in_person = channel == "in_person"
        when = self.s.utc(_at(self.s.days(-days_ago), hour))
        self.session.add(
            Interaction(
                contact_id=pk(person),
                occurred_at=when,
                channel=channel,
                in_person=in_person,
                duration_minutes=minutes,
                notes=notes,
            )
        )
        if in_person:
            _seen(person, when)

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
        quiet = {pk(self.contacts[index]) for index in background["quiet"]}
        pool = [c for c in self.contacts[: background["pool"]] if pk(c) not in quiet]
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

    def _work_entries(self, repair: Community) -> None:
        """A year of "online work" (see the resource file)."""
        s, spec, today = self.s, self.data["online_work"], self.today
        since_when = {
            key: (pk(community), community.launch_date or today)
            for key, community in s.communities.items()
        }
        since_when["repair"] = (pk(repair), self.first)
        preparing = today - dt.timedelta(weeks=spec["scene_preparation_weeks"])
        since_when["scene"] = (pk(s.communities["scene"]), preparing)  # its preparation
        monday = today - dt.timedelta(days=today.weekday())
        for week in range(spec["weeks"]):
            start = monday - dt.timedelta(weeks=week)
            for what, minutes, weekday, key in spec["week"]:
                day = start + dt.timedelta(days=weekday)
                community, since = since_when[key] if key else (None, dt.date.min)
                if since <= day < today:
                    self.session.add(
                        WorkEntry(day=day, minutes=minutes, community_id=community, notes=what)
                    )
