"""The community handover dossier: what a CM taking over a community needs on paper.

`gather(db, community_id)` collects it through the services (plain data, testable alone);
`render(db, community_id)` lays it out as PDF bytes: objective, pace, core team, ambassadors,
key partners and their contacts, the last events with attendance, upcoming events, open
commitments and tasks, and the members drifting away.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

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
from cmplanner.i18n import _, ngettext
from cmplanner.services.commitments import CommitmentRead
from cmplanner.services.events import OccurrenceRead
from cmplanner.services.tasks import TaskRead
from cmplanner.storage import Database

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


def _person(
    db: Database, contact_id: int, name: str, role: str, seen: dt.datetime | None
) -> Person:
    from cmplanner.services.contacts import get_contact

    data = get_contact(db, contact_id).data
    return Person(
        contact_id,
        name,
        role,
        data.emails[0].value if data.emails else "",
        data.phones[0].value if data.phones else "",
        seen,
    )


def community_event_ids(db: Database, community_id: int) -> set[int]:
    from cmplanner.interop.ics.export import load_events

    return {e.id for e in load_events(db, community=community_id, guests=False)}


def _partners(
    db: Database, community_id: int, event_ids: list[int], members: list[Person]
) -> tuple[Partner, ...]:
    """Organizations that partnered its events (most recent first) and the organizations of
    its members with a partner or sponsor role."""
    from cmplanner.services.contacts import get_contact
    from cmplanner.services.event_extras import read_extras
    from cmplanner.services.organizations import get_organization

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
        people = tuple(
            _person(db, p.contact_id, p.name, p.role, None)
            for p in sorted(org.people, key=lambda p: p.name.casefold())
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
    from cmplanner.model.enums import MemberRole
    from cmplanner.services.commitments import open_commitments
    from cmplanner.services.communities import get_community
    from cmplanner.services.events import occurrences_between
    from cmplanner.services.tasks import list_tasks

    details = get_community(db, community_id)
    data = details.data
    ours = community_event_ids(db, community_id)
    now = clock.now_utc()
    past = [
        o
        for o in occurrences_between(
            db, now - dt.timedelta(days=365 * HISTORY_YEARS), now, community=data.name
        )
        if o.event_id in ours and o.status != "cancelled"
    ]
    upcoming = [
        o
        for o in occurrences_between(db, now, now + dt.timedelta(days=UPCOMING_DAYS), data.name)
        if o.event_id in ours and o.status != "cancelled"
    ]
    last = past[-LAST_EVENTS:]
    gaps = [(b.start - a.start).total_seconds() / 86400 for a, b in itertools.pairwise(last)]
    year_ago = now - dt.timedelta(days=365)
    core = tuple(
        _person(db, m.contact_id, m.name, m.role, m.last_seen)
        for m in details.by_role(MemberRole.CORE_TEAM.value)
    )
    ambassadors = tuple(
        _person(db, m.contact_id, m.name, m.role, m.last_seen)
        for m in details.by_role(MemberRole.AMBASSADOR.value)
    )
    partner_members = [
        _person(db, m.contact_id, m.name, m.role, m.last_seen)
        for m in details.members
        if m.role in (MemberRole.PARTNER.value, MemberRole.SPONSOR.value)
    ]
    recent_first = [o.event_id for o in reversed(past)] + [o.event_id for o in upcoming]
    event_order = list(dict.fromkeys(recent_first)) + sorted(ours - set(recent_first))

    commitments = {c.id: c for c in open_commitments(db, community_id=community_id)}
    for event_id in sorted(ours):
        for c in open_commitments(db, event_id=event_id):
            commitments.setdefault(c.id, c)
    ordered_commitments = sorted(
        commitments.values(), key=lambda c: (c.due_date is None, c.due_date or dt.date.min, c.id)
    )
    tasks = tuple(t for t in list_tasks(db) if t.event_id in ours)

    drift_days = max(DRIFT_DAYS, 3 * (data.pace_days or 0))
    limit = now - dt.timedelta(days=drift_days)
    drifting_members = sorted(
        (
            m
            for m in details.members
            if m.last_seen is None or m.last_seen.replace(tzinfo=dt.UTC) < limit
        ),
        key=lambda m: (m.last_seen is not None, m.last_seen or dt.datetime.min, m.name.casefold()),
    )
    drifting = tuple(
        _person(db, m.contact_id, m.name, m.role, m.last_seen) for m in drifting_members[:DRIFT_MAX]
    )
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
        core_team=core,
        ambassadors=ambassadors,
        partners=_partners(db, community_id, event_order, partner_members),
        last_events=tuple(reversed(last)),
        upcoming=tuple(upcoming),
        commitments=tuple(ordered_commitments),
        tasks=tasks,
        drifting=drifting,
        drifting_total=len(drifting_members),
        drift_days=drift_days,
        generated=now,
    )


# --- layout ---------------------------------------------------------------------------------


def _label(enum: Any, value: str) -> str:
    return str(enum(value).label) if value in {m.value for m in enum} else value


_SHORT_DATE = "yMMMEd"  # « jeu. 3 déc. 2026 », "Thu, Dec 3, 2026" (en_US)


def _short_date(day: dt.date) -> str:
    from cmplanner.dates_text import day_text

    return day_text(day, _SHORT_DATE)


def _when(o: OccurrenceRead) -> str:
    from cmplanner.documents.base import day_time_text

    return day_time_text(o.start, _SHORT_DATE, all_day=o.all_day)


def _seen(moment: dt.datetime | None) -> str:
    if moment is None:
        return _("never")
    from cmplanner.timezones import utc_to_local

    return _short_date(utc_to_local(moment.replace(tzinfo=None), clock.local_zone_name()).date())


def _days(value: float) -> str:
    from babel.numbers import format_decimal

    from cmplanner.i18n import current_language

    return str(format_decimal(round(value, 1), "#,##0.#", locale=current_language() or "fr"))


def _reach(person: Person) -> str:
    return "\n".join(part for part in (person.email, person.phone) if part)


def render(db: Database, community_id: int, *, page: str = "A4") -> bytes:
    """The handover dossier of a community, as PDF bytes."""
    return layout(gather(db, community_id), page=page)


def layout(dossier: Dossier, *, page: str = "A4") -> bytes:
    from cmplanner.documents.base import (
        DocTemplate,
        build_pdf,
        date_text,
        para_text,
        paragraph,
        styles,
        table,
    )
    from cmplanner.model.enums import EventStatus, MemberRole, OrganizationKind

    st = styles()
    title = _("Handover dossier — {name}").format(name=dossier.name)

    def none(text: str) -> Paragraph:
        return Paragraph(f"<i>{para_text(text)}</i>", st.small)

    # A heading stays with at least a few lines of its table, but a long table starts on the
    # same page (keepWithNext would move the whole table to the next page).
    heading_style = ParagraphStyle("dossier_heading", parent=st.heading, keepWithNext=False)

    def section(heading: str, body: list[Flowable]) -> list[Flowable]:
        return [CondPageBreak(32 * mm), Paragraph(para_text(heading), heading_style), *body]

    def build(doc: DocTemplate) -> list[Flowable]:
        w = doc.width
        out: list[Flowable] = [Paragraph(para_text(title), st.title)]
        facts = [
            ngettext("{n} member", "{n} members", dossier.member_count).format(
                n=dossier.member_count
            )
        ]
        if dossier.launch_date is not None:
            facts.insert(0, _("launched on {date}").format(date=date_text(dossier.launch_date)))
        out.append(Paragraph(para_text(" · ".join(facts)), st.subtitle))

        # Objective.
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
                    st.body,
                )
            )
        if dossier.description.strip():
            about.append(paragraph(dossier.description))
        out += section(_("Objective"), about or [none(_("No objective written yet."))])

        # Pace.
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
                    days=_days(dossier.met_every_days), n=len(dossier.last_events)
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
        out += section(_("Pace"), [paragraph(" ".join(pace))])

        # People.
        people_header = [_("Name"), _("E-mail"), _("Phone"), _("Last seen")]
        people_widths = [w * 0.27, w * 0.33, w * 0.21, w * 0.19]

        def people(rows: tuple[Person, ...], empty: str) -> list[Flowable]:
            if not rows:
                return [none(empty)]
            return [
                table(
                    [[p.name, p.email, p.phone, _seen(p.last_seen)] for p in rows],
                    people_header,
                    people_widths,
                )
            ]

        out += section(_("Core team"), people(dossier.core_team, _("No core team member.")))
        out += section(_("Ambassadors"), people(dossier.ambassadors, _("No ambassador.")))

        # Partners.
        partner_rows = []
        for partner in dossier.partners:
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
            partner_rows.append(
                [
                    Paragraph("<br/>".join(lines), st.cell),
                    Paragraph(
                        "<br/>".join(para_text(o) for o in partner.obligations) or "—", st.cell
                    ),
                    Paragraph("<br/><br/>".join(contacts) or "—", st.cell),
                ]
            )
        out += section(
            _("Key partners"),
            [
                table(
                    partner_rows,
                    [_("Organization"), _("What they committed to"), _("Contacts")],
                    [w * 0.28, w * 0.36, w * 0.36],
                )
            ]
            if partner_rows
            else [none(_("No partner yet."))],
        )

        # Events.
        if dossier.last_events:
            rows = []
            for o in dossier.last_events:
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
            events_body: list[Flowable] = [
                table(
                    rows,
                    [_("When"), _("Event"), _("Venue"), _("Invited"), _("Yes"), _("Came"), "%"],
                    [w * 0.27, w * 0.25, w * 0.16, w * 0.10, w * 0.07, w * 0.08, w * 0.07],
                    extra_style=right,
                )
            ]
        else:
            events_body = [none(_("No past event."))]
        out += section(
            ngettext("The last event", "The last {n} events", LAST_EVENTS).format(n=LAST_EVENTS),
            events_body,
        )
        out += section(
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
                        for o in dossier.upcoming[:UPCOMING_MAX]
                    ],
                    [_("When"), _("Event"), _("Venue"), _("Status"), _("Yes")],
                    [w * 0.27, w * 0.33, w * 0.20, w * 0.12, w * 0.08],
                    extra_style=[("ALIGN", (4, 0), (4, -1), "RIGHT")],
                )
            ]
            if dossier.upcoming
            else [none(_("No event is planned yet."))],
        )
        later = len(dossier.upcoming) - UPCOMING_MAX
        if later > 0:
            out.append(
                none(
                    ngettext(
                        "and {n} more in the next 12 months",
                        "and {n} more in the next 12 months",
                        later,
                    ).format(n=later)
                )
            )

        # What is owed and what is to do.
        overdue = _("overdue")
        out += section(
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
                        for c in dossier.commitments
                    ],
                    [_("Due"), _("Commitment"), _("Made to")],
                    [w * 0.24, w * 0.50, w * 0.26],
                )
            ]
            if dossier.commitments
            else [none(_("No open commitment."))],
        )
        out += section(
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
                        for t in dossier.tasks
                    ],
                    [_("Due"), _("Task"), _("Event"), _("Owner")],
                    [w * 0.22, w * 0.34, w * 0.26, w * 0.18],
                )
            ]
            if dossier.tasks
            else [none(_("No open task."))],
        )

        # Drifting away.
        drift_heading = ngettext(
            "Members drifting away (not seen for {n} day)",
            "Members drifting away (not seen for {n} days)",
            dossier.drift_days,
        ).format(n=dossier.drift_days)
        drift_body: list[Flowable] = []
        if dossier.drifting:
            drift_body.append(
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
                drift_body.append(Spacer(1, 2 * mm))
                drift_body.append(
                    none(
                        ngettext("and {n} more member", "and {n} more members", more).format(n=more)
                    )
                )
        else:
            drift_body.append(none(_("Nobody: every member was seen recently.")))
        out.append(KeepTogether(section(drift_heading, drift_body[:1])))
        out += drift_body[1:]
        return out

    return build_pdf(build, page=page, title=title)
