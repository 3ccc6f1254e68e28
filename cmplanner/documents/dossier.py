"""The community handover dossier: what a CM taking over a community needs on paper.

`gather(db, community_id)` collects it through the services (plain data, testable alone);
`render(db, community_id)` lays it out as PDF bytes: objective, pace, core team, ambassadors,
key partners and their contacts, the last events with attendance, upcoming events, open
commitments and tasks, and the members drifting away.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
)

from cmplanner import clock
from cmplanner.documents.base import (
    build_pdf,
    date_text,
    day_time_text,
    italic_fonts,
    para_text,
    paragraph,
    styles,
    table,
)
from cmplanner.formats import day_text, decimal_text
from cmplanner.i18n import _, ngettext
from cmplanner.interop.ics.export import load_events
from cmplanner.model.enums import EventStatus, MemberRole, OrganizationKind
from cmplanner.services.commitments import CommitmentRead, open_commitments
from cmplanner.services.communities import get_community
from cmplanner.services.contact_records import contact_records
from cmplanner.services.contacts import get_contact
from cmplanner.services.event_dates import OccurrenceRead, occurrences_between
from cmplanner.services.event_extras import read_extras
from cmplanner.services.organizations import get_organization
from cmplanner.services.tasks import TaskRead, list_tasks
from cmplanner.storage import Database
from cmplanner.timezones import utc_to_local

if TYPE_CHECKING:
    from cmplanner.services.communities import Member

LAST_EVENTS = 10
UPCOMING_DAYS = 366
UPCOMING_MAX = 12  # listed in the dossier; the pack's .ics has them all
HISTORY_YEARS = 10
DRIFT_DAYS = 90  # a member not seen for this long (or 3 × the target pace) is drifting away
DRIFT_MAX = 40  # named in the dossier; the rest are counted


@dataclass(frozen=True)
class Person:
    contact_id: int
    name: str
    role: str  # a community role, or a role in an organization
    email: str
    phone: str
    last_seen: dt.datetime | None = None


@dataclass(frozen=True)
class Partner:
    organization_id: int
    name: str
    kind: str
    email: str
    phone: str
    obligations: tuple[str, ...]  # what it promised, per event (latest first, distinct)
    people: tuple[Person, ...]


@dataclass(frozen=True)
class Dossier:
    community_id: int
    name: str
    objective: str
    target_population: str
    description: str
    launch_date: dt.date | None
    pace_days: int | None  # the target
    met_every_days: float | None  # measured: mean days between the last events
    events_last_year: int
    member_count: int
    core_team: tuple[Person, ...]
    ambassadors: tuple[Person, ...]
    partners: tuple[Partner, ...]
    last_events: tuple[OccurrenceRead, ...]  # newest first
    upcoming: tuple[OccurrenceRead, ...]
    commitments: tuple[CommitmentRead, ...]
    tasks: tuple[TaskRead, ...]
    drifting: tuple[Person, ...]  # longest unseen first (never seen first of all)
    drifting_total: int
    drift_days: int
    generated: dt.datetime


def _people(
    db: Database, rows: Iterable[tuple[int, str, str, dt.datetime | None]]
) -> tuple[Person, ...]:
    """(contact id, name, role, last seen) as Persons with their first e-mail and phone, read
    for all of them at once."""
    wanted = list(rows)
    records = {r["id"]: r for r in contact_records(db, sorted({row[0] for row in wanted}))}

    def first(contact_id: int, key: str) -> str:
        values = records.get(contact_id, {}).get(key) or [""]
        return str(values[0])

    return tuple(
        Person(cid, name, role, first(cid, "emails"), first(cid, "phones"), seen)
        for cid, name, role, seen in wanted
    )


def community_event_ids(db: Database, community_id: int) -> set[int]:
    return {e.id for e in load_events(db, community=community_id, guests=False)}


def _partners(
    db: Database, community_id: int, event_ids: list[int], members: list[Person]
) -> tuple[Partner, ...]:
    """Organizations that partnered its events (most recent first) and the organizations of
    its members with a partner or sponsor role."""
    promised: dict[int, list[str]] = {}
    for event_id in event_ids:
        for partner in read_extras(db, event_id).partners:
            said = promised.setdefault(partner.organization_id, [])
            text = partner.obligations.strip()
            if text and text not in said:
                said.append(text)
    for member in members:
        for link in get_contact(db, member.contact_id).data.affiliations:
            if link.organization_id is not None:
                promised.setdefault(link.organization_id, [])
    found = []
    for org_id, obligations in promised.items():
        org = get_organization(db, org_id)
        people = _people(
            db,
            (
                (p.contact_id, p.name, p.role, None)
                for p in sorted(org.people, key=lambda p: p.name.casefold())
            ),
        )
        found.append(
            Partner(
                org_id,
                org.data.name,
                org.data.kind,
                org.data.email,
                org.data.phone,
                tuple(obligations),
                people,
            )
        )
    return tuple(found)


def gather(db: Database, community_id: int) -> Dossier:
    details = get_community(db, community_id)
    data = details.data
    ours = community_event_ids(db, community_id)
    now = clock.now_utc()
    past, upcoming = _occurrences(db, data.name, ours, now)
    last = past[-LAST_EVENTS:]
    gaps = [(b.start - a.start).total_seconds() / 86400 for a, b in itertools.pairwise(last)]
    year_ago = now - dt.timedelta(days=365)

    def people(members: Iterable[Member]) -> tuple[Person, ...]:
        return _people(db, ((m.contact_id, m.name, m.role, m.last_seen) for m in members))

    partner_members = people(
        m for m in details.members if m.role in (MemberRole.PARTNER.value, MemberRole.SPONSOR.value)
    )
    recent_first = [o.event_id for o in reversed(past)] + [o.event_id for o in upcoming]
    event_order = list(dict.fromkeys(recent_first)) + sorted(ours - set(recent_first))
    drift_days = max(DRIFT_DAYS, 3 * (data.pace_days or 0))
    drifting_members = _drifting(details.members, now - dt.timedelta(days=drift_days))
    return Dossier(
        community_id=community_id,
        name=data.name,
        objective=data.objective,
        target_population=data.target_population,
        description=data.description,
        launch_date=data.launch_date,
        pace_days=data.pace_days,
        met_every_days=sum(gaps) / len(gaps) if gaps else None,
        events_last_year=sum(1 for o in past if o.start >= year_ago),
        member_count=len({m.contact_id for m in details.members}),  # people, not roles
        core_team=people(details.by_role(MemberRole.CORE_TEAM.value)),
        ambassadors=people(details.by_role(MemberRole.AMBASSADOR.value)),
        partners=_partners(db, community_id, event_order, list(partner_members)),
        last_events=tuple(reversed(last)),
        upcoming=tuple(upcoming),
        commitments=_open_commitments(db, community_id, ours),
        tasks=tuple(t for t in list_tasks(db) if t.event_id in ours),
        drifting=people(drifting_members[:DRIFT_MAX]),
        drifting_total=len(drifting_members),
        drift_days=drift_days,
        generated=now,
    )


def _occurrences(
    db: Database, community: str, ours: set[int], now: dt.datetime
) -> tuple[list[OccurrenceRead], list[OccurrenceRead]]:
    """The community's occurrences that were not cancelled: the past ones (over the last
    HISTORY_YEARS) and the upcoming ones."""
    past = [
        o
        for o in occurrences_between(
            db, now - dt.timedelta(days=365 * HISTORY_YEARS), now, community=community
        )
        if o.event_id in ours and o.status != "cancelled"
    ]
    upcoming = [
        o
        for o in occurrences_between(db, now, now + dt.timedelta(days=UPCOMING_DAYS), community)
        if o.event_id in ours and o.status != "cancelled"
    ]
    return past, upcoming


def _open_commitments(
    db: Database, community_id: int, ours: set[int]
) -> tuple[CommitmentRead, ...]:
    """Made for the community or one of its events, soonest due first (no date last)."""
    commitments = {c.id: c for c in open_commitments(db, community_id=community_id)}
    for event_id in sorted(ours):
        for c in open_commitments(db, event_id=event_id):
            commitments.setdefault(c.id, c)
    return tuple(
        sorted(
            commitments.values(),
            key=lambda c: (c.due_date is None, c.due_date or dt.date.min, c.id),
        )
    )


def _drifting(members: Iterable[Member], limit: dt.datetime) -> list[Member]:
    """The members not seen since `limit`: longest unseen first (never seen first of all)."""
    return sorted(
        (m for m in members if m.last_seen is None or m.last_seen.replace(tzinfo=dt.UTC) < limit),
        key=lambda m: (m.last_seen is not None, m.last_seen or dt.datetime.min, m.name.casefold()),
    )


# --- layout ---------------------------------------------------------------------------------


def _label(enum: Any, value: str) -> str:
    return str(enum(value).label) if value in {m.value for m in enum} else value


_SHORT_DATE = "yMMMEd"  # « jeu. 3 déc. 2026 », "Thu, Dec 3, 2026" (en_US)


def _short_date(day: dt.date) -> str:
    return day_text(day, _SHORT_DATE)


def _when(o: OccurrenceRead) -> str:
    return day_time_text(o.start, _SHORT_DATE, all_day=o.all_day)


def _seen(moment: dt.datetime | None) -> str:
    if moment is None:
        return _("never")

    return _short_date(utc_to_local(moment.replace(tzinfo=None), clock.local_zone_name()).date())


def _reach(person: Person) -> str:
    return "\n".join(part for part in (person.email, person.phone) if part)


def render(db: Database, community_id: int, *, page: str = "A4") -> bytes:
    """The handover dossier of a community, as PDF bytes."""
    return layout(gather(db, community_id), page=page)


def layout(dossier: Dossier, *, page: str = "A4") -> bytes:
    italic_fonts()  # its "nothing yet" lines are in italics
    title = _("Handover dossier — {name}").format(name=dossier.name)
    return build_pdf(
        lambda doc: _Pages(dossier, doc.width).flowables(title), page=page, title=title
    )


class _Pages:
    """The dossier's flowables, one method per section of the page."""

    def __init__(self, dossier: Dossier, width: float) -> None:
        self.dossier = dossier
        self.w = width
        self.st = styles()
        # A heading stays with at least a few lines of its table, but a long table starts on
        # the same page (keepWithNext would move the whole table to the next page).
        self.heading_style = ParagraphStyle(
            "dossier_heading", parent=self.st.heading, keepWithNext=False
        )

    def none(self, text: str) -> Paragraph:
        return Paragraph(f"<i>{para_text(text)}</i>", self.st.small)

    def section(self, heading: str, body: list[Flowable]) -> list[Flowable]:
        return [CondPageBreak(32 * mm), Paragraph(para_text(heading), self.heading_style), *body]

    def flowables(self, title: str) -> list[Flowable]:
        out: list[Flowable] = [Paragraph(para_text(title), self.st.title)]
        out += self.facts()
        out += self.objective()
        out += self.pace()
        out += self.people()
        out += self.partners()
        out += self.last_events()
        out += self.upcoming()
        out += self.commitments()
        out += self.tasks()
        out += self.drifting()
        return out

    def facts(self) -> list[Flowable]:
        dossier = self.dossier
        facts = [
            ngettext("{n} member", "{n} members", dossier.member_count).format(
                n=dossier.member_count
            )
        ]
        if dossier.launch_date is not None:
            facts.insert(0, _("launched on {date}").format(date=date_text(dossier.launch_date)))
        return [Paragraph(para_text(" · ".join(facts)), self.st.subtitle)]

    def objective(self) -> list[Flowable]:
        dossier = self.dossier
        about: list[Flowable] = []
        if dossier.objective.strip():
            about.append(paragraph(dossier.objective))
        if dossier.target_population.strip():
            about.append(
                Paragraph(
                    "<b>"
                    + para_text(_("Who it is for:"))
                    + "</b> "
                    + para_text(dossier.target_population),
                    self.st.body,
                )
            )
        if dossier.description.strip():
            about.append(paragraph(dossier.description))
        return self.section(_("Objective"), about or [self.none(_("No objective written yet."))])

    def pace(self) -> list[Flowable]:
        dossier = self.dossier
        pace: list[str] = []
        if dossier.pace_days:
            pace.append(
                ngettext(
                    "Target: an event every day.",
                    "Target: an event every {n} days.",
                    dossier.pace_days,
                ).format(n=dossier.pace_days)
            )
        if dossier.met_every_days is not None:
            pace.append(
                _("It met every {days} days on average over its last {n} events.").format(
                    days=decimal_text(dossier.met_every_days), n=len(dossier.last_events)
                )
            )
        pace.append(
            ngettext(
                "{n} event in the last 12 months.",
                "{n} events in the last 12 months.",
                dossier.events_last_year,
            ).format(n=dossier.events_last_year)
        )
        if dossier.upcoming:
            pace.append(
                _("Next event: {title}, {when}.").format(
                    title=dossier.upcoming[0].title,
                    when=date_text(dossier.upcoming[0].start.date()),
                )
            )
        else:
            pace.append(_("No event is planned yet."))
        return self.section(_("Pace"), [paragraph(" ".join(pace))])

    def people(self) -> list[Flowable]:
        w = self.w
        header = [_("Name"), _("E-mail"), _("Phone"), _("Last seen")]
        widths = [w * 0.27, w * 0.33, w * 0.21, w * 0.19]

        def listed(rows: tuple[Person, ...], empty: str) -> list[Flowable]:
            if not rows:
                return [self.none(empty)]
            return [
                table(
                    [[p.name, p.email, p.phone, _seen(p.last_seen)] for p in rows],
                    header,
                    widths,
                )
            ]

        return self.section(
            _("Core team"), listed(self.dossier.core_team, _("No core team member."))
        ) + self.section(_("Ambassadors"), listed(self.dossier.ambassadors, _("No ambassador.")))

    def partners(self) -> list[Flowable]:
        w, cell = self.w, self.st.cell
        rows = []
        for partner in self.dossier.partners:
            head = f"<b>{para_text(partner.name)}</b>"
            kind = _label(OrganizationKind, partner.kind)
            lines = [head, para_text(kind)]
            lines += [para_text(x) for x in (partner.email, partner.phone) if x]
            contacts = [
                "<br/>".join(
                    [f"<b>{para_text(p.name)}</b>" + (f" — {para_text(p.role)}" if p.role else "")]
                    + [para_text(x) for x in (p.email, p.phone) if x]
                )
                for p in partner.people
            ]
            rows.append(
                [
                    Paragraph("<br/>".join(lines), cell),
                    Paragraph("<br/>".join(para_text(o) for o in partner.obligations) or "—", cell),
                    Paragraph("<br/><br/>".join(contacts) or "—", cell),
                ]
            )
        return self.section(
            _("Key partners"),
            [
                table(
                    rows,
                    [_("Organization"), _("What they committed to"), _("Contacts")],
                    [w * 0.28, w * 0.36, w * 0.36],
                )
            ]
            if rows
            else [self.none(_("No partner yet."))],
        )

    def last_events(self) -> list[Flowable]:
        w = self.w
        if self.dossier.last_events:
            rows = []
            for o in self.dossier.last_events:
                invited = o.counts.get("invited", 0)
                came = o.counts.get("attended", 0)
                recorded = came or o.status == "done"
                rate = f"{round(100 * came / invited)} %" if invited and recorded else "—"
                rows.append(
                    [
                        _when(o),
                        o.title,
                        o.venue,
                        str(invited),
                        str(o.counts.get("accepted", 0)),
                        str(came) if recorded else "—",
                        rate,
                    ]
                )
            right = [("ALIGN", (3, 0), (-1, -1), "RIGHT")]
            body: list[Flowable] = [
                table(
                    rows,
                    [_("When"), _("Event"), _("Venue"), _("Invited"), _("Yes"), _("Came"), "%"],
                    [w * 0.27, w * 0.25, w * 0.16, w * 0.10, w * 0.07, w * 0.08, w * 0.07],
                    extra_style=right,
                )
            ]
        else:
            body = [self.none(_("No past event."))]
        return self.section(
            ngettext("The last event", "The last {n} events", LAST_EVENTS).format(n=LAST_EVENTS),
            body,
        )

    def upcoming(self) -> list[Flowable]:
        w, upcoming = self.w, self.dossier.upcoming
        out = self.section(
            _("Upcoming events"),
            [
                table(
                    [
                        [
                            _when(o),
                            o.title,
                            o.venue,
                            _label(EventStatus, o.status),
                            str(o.counts.get("accepted", 0)),
                        ]
                        for o in upcoming[:UPCOMING_MAX]
                    ],
                    [_("When"), _("Event"), _("Venue"), _("Status"), _("Yes")],
                    [w * 0.27, w * 0.33, w * 0.20, w * 0.12, w * 0.08],
                    extra_style=[("ALIGN", (4, 0), (4, -1), "RIGHT")],
                )
            ]
            if upcoming
            else [self.none(_("No event is planned yet."))],
        )
        later = len(upcoming) - UPCOMING_MAX
        if later > 0:
            out.append(
                self.none(
                    ngettext(
                        "and {n} more in the next 12 months",
                        "and {n} more in the next 12 months",
                        later,
                    ).format(n=later)
                )
            )
        return out

    def commitments(self) -> list[Flowable]:
        """What is owed."""
        w, overdue = self.w, _("overdue")
        return self.section(
            _("Open commitments"),
            [
                table(
                    [
                        [
                            _short_date(c.due_date) + (f" ({overdue})" if c.overdue else "")
                            if c.due_date
                            else "—",
                            c.description,
                            c.contact or c.event or c.community,
                        ]
                        for c in self.dossier.commitments
                    ],
                    [_("Due"), _("Commitment"), _("Made to")],
                    [w * 0.24, w * 0.50, w * 0.26],
                )
            ]
            if self.dossier.commitments
            else [self.none(_("No open commitment."))],
        )

    def tasks(self) -> list[Flowable]:
        """What is to do."""
        w, overdue = self.w, _("overdue")
        return self.section(
            _("Open tasks"),
            [
                table(
                    [
                        [
                            _short_date(t.due) + (f" ({overdue})" if t.overdue else "")
                            if t.due
                            else "—",
                            t.title,
                            t.event_title,
                            t.assignee or "—",
                        ]
                        for t in self.dossier.tasks
                    ],
                    [_("Due"), _("Task"), _("Event"), _("Owner")],
                    [w * 0.22, w * 0.34, w * 0.26, w * 0.18],
                )
            ]
            if self.dossier.tasks
            else [self.none(_("No open task."))],
        )

    def drifting(self) -> list[Flowable]:
        dossier, w = self.dossier, self.w
        heading = ngettext(
            "Members drifting away (not seen for {n} day)",
            "Members drifting away (not seen for {n} days)",
            dossier.drift_days,
        ).format(n=dossier.drift_days)
        body: list[Flowable] = []
        if dossier.drifting:
            body.append(
                table(
                    [
                        [p.name, _label(MemberRole, p.role), _seen(p.last_seen), _reach(p)]
                        for p in dossier.drifting
                    ],
                    [_("Name"), _("Role"), _("Last seen"), _("Contact")],
                    [w * 0.30, w * 0.18, w * 0.18, w * 0.34],
                )
            )
            more = dossier.drifting_total - len(dossier.drifting)
            if more:
                body.append(Spacer(1, 2 * mm))
                body.append(
                    self.none(
                        ngettext("and {n} more member", "and {n} more members", more).format(n=more)
                    )
                )
        else:
            body.append(self.none(_("Nobody: every member was seen recently.")))
        return [KeepTogether(self.section(heading, body[:1])), *body[1:]]
