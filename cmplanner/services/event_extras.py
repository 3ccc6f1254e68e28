"""An event's budget lines, partner organizations (and what was promised to them) and core
team on site: read and written as one set, amounts typed and shown in the user's locale."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from babel.numbers import NumberFormatError, parse_decimal

from cmplanner import clock
from cmplanner.bus import Changes
from cmplanner.errors import NotFound, ValidationError
from cmplanner.formats import DEFAULT_CURRENCY, money_text
from cmplanner.i18n import _, current_language
from cmplanner.model.names import contact_name_sql, display_name
from cmplanner.services.browse import contact_search
from cmplanner.storage import Database
from cmplanner.storage.sql import get_or_raise, missing

if TYPE_CHECKING:
    from sqlmodel import Session

    from cmplanner.model.tables import EventPartner, EventTeamMember

# SQLModel and the tables are imported by the writing functions only, for start-up time: the
# documents read through `read_extras` (sqlite3) and load neither.

MAX_CENTS = 10**13  # a hundred billion: more is a typing slip, and SQLite's integers end
LABEL_MAX = 300
ROLE_MAX = 100


@dataclass(frozen=True)
class BudgetLineData:
    label: str
    amount_cents: int = 0
    paid: bool = False
    # The stored line's id: kept on edit, and given back on undo so the line is the same one.
    id: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class PartnerData:
    organization_id: int
    obligations: str = ""
    name: str = field(default="", compare=False)  # shown, never written


@dataclass(frozen=True)
class TeamMemberData:
    contact_id: int
    role: str = ""
    name: str = field(default="", compare=False)  # shown, never written


@dataclass(frozen=True)
class EventExtras:
    budget: tuple[BudgetLineData, ...] = ()
    partners: tuple[PartnerData, ...] = ()
    team: tuple[TeamMemberData, ...] = ()

    def team_ids(self) -> tuple[int, ...]:
        return tuple(m.contact_id for m in self.team)


@dataclass(frozen=True)
class Totals:
    planned_cents: int
    paid_cents: int

    @property
    def left_cents(self) -> int:
        return self.planned_cents - self.paid_cents


@dataclass(frozen=True)
class ContactChoice:
    id: int
    name: str
    detail: str  # an e-mail or organization that tells two people of the same name apart

    @property
    def label(self) -> str:
        return f"{self.name} — {self.detail}" if self.detail else self.name


# --- amounts ---------------------------------------------------------------------------------


def _language(language: str | None) -> str:
    return language or current_language()


def parse_amount(text: str, language: str | None = None, currency: str = DEFAULT_CURRENCY) -> int:
    """Cents from what a user typed: "12,50", "12.50 €", "1 234,50" (fr), "€1,234.50" (en).

    The locale's own rules (babel) decide what the comma and the dot mean; a currency sign
    or code is ignored. Empty text is zero."""
    original = text
    cleaned = text.strip()
    for code in {currency, currency.upper(), currency.lower()}:
        cleaned = cleaned.replace(code, "")
    # Currency signs, and any space (French groups thousands with narrow no-break spaces).
    cleaned = "".join(ch for ch in cleaned if unicodedata.category(ch) != "Sc" and not ch.isspace())
    if not cleaned:
        return 0
    try:
        value = parse_decimal(cleaned, locale=_language(language), strict=True)
    except NumberFormatError:
        raise ValidationError(
            _("“{text}” is not an amount (for example {example}).").format(
                text=original.strip(), example=money_text(1250, language, currency)
            )
        ) from None
    if value < 0:
        raise ValidationError(_("An amount cannot be negative."))
    cents = value * 100
    if cents != cents.to_integral_value():
        raise ValidationError(
            _("“{text}” has more than two decimals.").format(text=original.strip())
        )
    if cents >= MAX_CENTS:
        raise ValidationError(_("“{text}” is too large an amount.").format(text=original.strip()))
    return int(cents)


def totals(lines: Iterable[BudgetLineData]) -> Totals:
    planned = paid = 0
    for line in lines:
        planned += line.amount_cents
        if line.paid:
            paid += line.amount_cents
    return Totals(planned, paid)


# --- reading -----------------------------------------------------------------------------------


def read_extras(db: Database, event_id: int) -> EventExtras:
    """Budget lines in their order; partners and team by name (as the contact lists sort)."""
    with db.read() as con:
        if con.execute("SELECT 1 FROM event WHERE id = ?", (event_id,)).fetchone() is None:
            raise NotFound(missing("event", event_id))
        budget = tuple(
            BudgetLineData(str(label), int(cents), bool(paid), int(line_id))
            for line_id, label, cents, paid in con.execute(
                "SELECT id, label, amount_cents, paid FROM budget_line WHERE event_id = ?"
                " ORDER BY position, id",
                (event_id,),
            )
        )
        partners = tuple(
            PartnerData(int(org_id), str(obligations), str(name))
            for org_id, obligations, name in con.execute(
                "SELECT p.organization_id, p.obligations, o.name FROM event_partner p"
                " JOIN organization o ON o.id = p.organization_id WHERE p.event_id = ?"
                " ORDER BY o.name COLLATE NOCASE, o.id",
                (event_id,),
            )
        )
        team = tuple(
            TeamMemberData(int(contact_id), str(role), display_name(*name))
            for contact_id, role, *name in con.execute(
                f"SELECT t.contact_id, t.role, {contact_name_sql('c')}"
                " FROM event_team t JOIN contact c ON c.id = t.contact_id WHERE t.event_id = ?"
                " ORDER BY c.family_name COLLATE NOCASE, c.given_name COLLATE NOCASE, c.id",
                (event_id,),
            )
        )
    return EventExtras(budget, partners, team)


def find_contacts(db: Database, text: str, limit: int = 20) -> list[ContactChoice]:
    """Contacts matching `text` (every word a prefix, as the contact search does), by name;
    only the first `limit`: a picker's completion, not a listing."""
    if not text.strip():
        return []
    where, params = contact_search(text.strip(), db)
    with db.read() as con:
        rows = con.execute(
            f"SELECT t.id, {contact_name_sql('t')},"
            " (SELECT o.name FROM affiliation a JOIN organization o ON o.id = a.organization_id"
            "  WHERE a.contact_id = t.id ORDER BY a.id LIMIT 1)"
            f" FROM contact t WHERE {where}"
            " ORDER BY t.family_name COLLATE NOCASE, t.given_name COLLATE NOCASE, t.id LIMIT ?",
            [*params, limit],
        ).fetchall()
    return [
        ContactChoice(int(i), display_name(*name), str(name[5] or org or ""))
        for i, *name, org in rows
    ]


# --- checking and writing --------------------------------------------------------------------


def check_extras(extras: EventExtras) -> None:
    """What can be checked without the database: labels, amounts, lengths, duplicates."""
    for n, line in enumerate(extras.budget, start=1):
        label = line.label.strip()
        if not label:
            raise ValidationError(_("Budget line {n} has no label.").format(n=n))
        if len(label) > LABEL_MAX:
            raise ValidationError(
                _("Budget line {n}: the label is longer than {max} characters.").format(
                    n=n, max=LABEL_MAX
                )
            )
        if line.amount_cents < 0:
            raise ValidationError(
                _("Budget line “{label}”: an amount cannot be negative.").format(label=label)
            )
        if line.amount_cents >= MAX_CENTS:
            raise ValidationError(
                _("Budget line “{label}”: the amount is too large.").format(label=label)
            )
    seen: set[int] = set()
    for partner in extras.partners:
        if partner.organization_id in seen:
            raise ValidationError(
                _("{name} is a partner twice.").format(
                    name=partner.name or f"#{partner.organization_id}"
                )
            )
        seen.add(partner.organization_id)
    seen = set()
    for member in extras.team:
        name = member.name or f"#{member.contact_id}"
        if member.contact_id in seen:
            raise ValidationError(_("{name} is on the team twice.").format(name=name))
        if len(member.role.strip()) > ROLE_MAX:
            raise ValidationError(
                _("The role of {name} is longer than {max} characters.").format(
                    name=name, max=ROLE_MAX
                )
            )
        seen.add(member.contact_id)


def _check_known(session: Session, extras: EventExtras) -> None:
    from sqlmodel import col, select  # for start-up time (see the imports)

    from cmplanner.model.tables import Contact, Organization

    wanted = [p.organization_id for p in extras.partners]
    if wanted:
        known = set(
            session.exec(select(Organization.id).where(col(Organization.id).in_(wanted))).all()
        )
        for partner in extras.partners:
            if partner.organization_id not in known:
                raise ValidationError(missing("organization", partner.organization_id))
    wanted = [m.contact_id for m in extras.team]
    if wanted:
        known = set(session.exec(select(Contact.id).where(col(Contact.id).in_(wanted))).all())
        for member in extras.team:
            if member.contact_id not in known:
                raise ValidationError(missing("contact", member.contact_id))


def _write(session: Session, event_id: int, extras: EventExtras) -> None:
    from sqlmodel import select  # for start-up time (see the imports)

    from cmplanner.model.tables import BudgetLine, Event, EventPartner, EventTeamMember

    get_or_raise(session, Event, event_id)
    check_extras(extras)
    _check_known(session, extras)
    now = clock.utc_now()

    # Budget: lines keep their ids (edited in place); a line given back by undo gets its old
    # id again when no other line took it.
    lines = {
        line.id: line
        for line in session.exec(select(BudgetLine).where(BudgetLine.event_id == event_id))
    }
    keep = {line.id for line in extras.budget if line.id in lines}
    for line_id, line in lines.items():
        if line_id not in keep:
            session.delete(line)
    session.flush()
    for position, data in enumerate(extras.budget):
        values: dict[str, Any] = {
            "label": data.label.strip(),
            "amount_cents": data.amount_cents,
            "paid": data.paid,
            "position": position,
        }
        row = lines.get(data.id) if data.id is not None else None
        if row is not None:
            if any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                row.updated_at = now
            continue
        reuse = (
            data.id if data.id is not None and session.get(BudgetLine, data.id) is None else None
        )
        session.add(BudgetLine(id=reuse, event_id=event_id, **values))

    # Partners and team: one row per organization / contact, updated in place.
    _sync_rows(
        session,
        EventPartner,
        event_id,
        ("organization_id", "obligations"),
        {p.organization_id: p.obligations.strip() for p in extras.partners},
        now,
    )
    _sync_rows(
        session,
        EventTeamMember,
        event_id,
        ("contact_id", "role"),
        {m.contact_id: m.role.strip() for m in extras.team},
        now,
    )
    session.flush()


def _sync_rows(
    session: Session,
    table: type[EventPartner] | type[EventTeamMember],
    event_id: int,
    names: tuple[str, str],
    wanted: dict[int, str],
    now: Any,
) -> None:
    """The event's rows of `table` become one per key of `wanted` (an organization, a
    contact), its text (obligations, role) the value: rows no longer wanted are deleted,
    the others updated in place (stamped `now` when their text changes), new ones added."""
    from sqlmodel import select  # for start-up time (see the imports)

    key, text = names
    rows: dict[int, Any] = {
        getattr(row, key): row
        for row in session.exec(select(table).where(table.event_id == event_id))
    }
    for found, row in rows.items():
        if found not in wanted:
            session.delete(row)
    for wanted_key, value in wanted.items():
        existing = rows.get(wanted_key)
        if existing is None:
            values: dict[str, Any] = {key: wanted_key, text: value}
            session.add(table(event_id=event_id, **values))
        elif getattr(existing, text) != value:
            setattr(existing, text, value)
            existing.updated_at = now


def replace_extras(
    session_or_db: Session | Database, event_id: int, extras: EventExtras
) -> Changes:
    """Make the event's budget, partners and team exactly `extras`, in one transaction.

    Given a Database, commits. Given a Session (a larger transaction of the caller's),
    writes into it without committing. Either way, returns the Changes."""
    from sqlmodel import Session  # for start-up time (see the imports)

    changes = Changes(events=frozenset({event_id}))
    if isinstance(session_or_db, Session):
        _write(session_or_db, event_id, extras)
        return changes
    with session_or_db.transaction() as session:
        _write(session, event_id, extras)
    return changes
