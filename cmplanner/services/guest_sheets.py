"""The guests as the printed sheets list them (the sign-in sheet, the badges): who is
expected, in register order, each with the short code typed back at the door; and the date
at the door of a series. Read on sqlite3 only: a printed document loads no SQLModel."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from cmplanner import clock
from cmplanner.errors import NotFound, ValidationError
from cmplanner.i18n import _
from cmplanner.model.enums import Rsvp
from cmplanner.model.names import contact_name_sql, display_name
from cmplanner.services.event_dates import OccurrenceRead, occurrences_between
from cmplanner.storage import Database
from cmplanner.storage.sql import missing, sql_datetime


def check_occurrence(title: str, rrule: str, occurrence: dt.datetime | None) -> None:
    """A guest list of one date needs a series."""
    if occurrence is not None and not rrule:
        raise ValidationError(
            _("“{title}” is not a recurring event: it has no occurrences.").format(title=title)
        )


@dataclass(frozen=True)
class Person:
    given: str
    family: str
    nickname: str
    language: str  # decides the order of the name's parts
    formatted: str  # the name the person chose to be shown, if any
    email: str  # the first one
    phone: str  # the first one
    organization: str  # the first one

    @property
    def name(self) -> str:
        return display_name(
            self.given,
            self.family,
            self.nickname,
            self.language,
            self.formatted,
            self.email,
            self.phone,
        )


def people(db: Database, ids: Sequence[int]) -> dict[int, Person]:
    """Names, first e-mail, phone and organization of contacts, by id (missing ones left
    out)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    sql = (
        f"SELECT c.id, {contact_name_sql('c')},"
        " (SELECT o.name FROM affiliation a JOIN organization o ON o.id = a.organization_id"
        "  WHERE a.contact_id = c.id ORDER BY a.id LIMIT 1)"
        f" FROM contact c WHERE c.id IN ({marks})"
    )
    with db.read() as con:
        return {
            int(r[0]): Person(*(value or "" for value in r[1:9]))
            for r in con.execute(sql, list(ids))
        }


def door_occurrence(
    db: Database, event_id: int, occurrence: dt.datetime | None = None
) -> OccurrenceRead | None:
    """For a series, the date at the door: the occurrence asked for (its original local
    start), else today's (even if it began yesterday evening) or the next one. None for a
    single event, or a series with no date in the coming year."""
    now = clock.now_utc()
    begin = dt.datetime.combine(clock.today(), dt.time()).astimezone(dt.UTC)
    found = [
        o
        for o in occurrences_between(db, begin - dt.timedelta(days=1), now + dt.timedelta(days=400))
        if o.event_id == event_id and o.recurrence_id is not None
    ]
    if occurrence is not None:
        found = [o for o in found if o.recurrence_id == occurrence] or found
    else:
        found = [o for o in found if o.end >= now or o.start.date() == clock.today()] or found
    return found[0] if found else None


# The short code printed on the sign-in sheet, typed back at the door. No 0/O, 1/I: a code
# copied from paper is never ambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_BASE = len(CODE_ALPHABET)  # 32
_SCRAMBLE = 0x9E3B5  # odd: a bijection modulo any power of two, so codes never collide


def _check_character(digits: Sequence[int]) -> int:
    """Luhn mod N over the code's digits: catches any one character mistyped and most swaps
    of two neighbours."""
    factor, total = 2, 0
    for digit in reversed(digits):
        addend = factor * digit
        factor = 1 if factor == 2 else 2
        total += addend // _BASE + addend % _BASE
    return (_BASE - total % _BASE) % _BASE


def invitation_code(invitation_id: int) -> str:
    """A stable short code for an invitation: 4 characters and a check character (more for
    ids past a million), scrambled so neighbouring guests' codes look nothing alike."""
    if invitation_id < 0:
        raise ValidationError(missing("invitation", invitation_id))
    width = 4
    while invitation_id >= _BASE**width:
        width += 2
    modulus = _BASE**width
    value = (invitation_id * _SCRAMBLE) % modulus
    digits = []
    for _position in range(width):
        value, digit = divmod(value, _BASE)
        digits.append(digit)
    digits.reverse()
    digits.append(_check_character(digits))
    return "".join(CODE_ALPHABET[d] for d in digits)


def invitation_from_code(text: str) -> int | None:
    """The invitation id a typed code stands for (case, spaces and dashes ignored), or None
    when `text` is not a valid code."""
    typed = "".join(text.split()).replace("-", "").upper()
    if len(typed) < 5 or len(typed) % 2 == 0 or any(c not in CODE_ALPHABET for c in typed):
        return None
    digits = [CODE_ALPHABET.index(c) for c in typed]
    if _check_character(digits[:-1]) != digits[-1]:
        return None
    modulus = _BASE ** (len(digits) - 1)
    value = 0
    for digit in digits[:-1]:
        value = value * _BASE + digit
    invitation_id = (value * pow(_SCRAMBLE, -1, modulus)) % modulus
    return invitation_id if invitation_code(invitation_id) == typed else None


def fold(text: str) -> str:
    """A sort key ignoring case and accents (Émile with the Es)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class PrintedGuest:
    """One guest as the sign-in sheet and the badges print them."""

    invitation_id: int
    contact_id: int
    given_name: str
    family_name: str
    name: str  # as the app shows it: "Benoît Garcia"
    organization: str
    role: str
    code: str


def printed_guests(
    db: Database, event_id: int, occurrence: dt.datetime | None = None
) -> list[PrintedGuest]:
    """The guests expected (not declined, not erased) for the event or one occurrence of a
    series, sorted by family name then given name, accents and case ignored; each with their
    first organization and the short code the check-in screen accepts."""
    sql = "SELECT id, contact_id, role, rsvp, occurrence FROM invitation WHERE event_id = ?"
    params: list[object] = [event_id]
    if occurrence is None:
        sql += " AND occurrence IS NULL"
    else:
        sql += " AND (occurrence IS NULL OR occurrence = ?)"
        params.append(sql_datetime(occurrence))
    with db.read() as con:
        event = con.execute("SELECT title, rrule FROM event WHERE id = ?", (event_id,)).fetchone()
        if event is None:
            raise NotFound(missing("event", event_id))
        check_occurrence(event[0], event[1], occurrence)
        rows = con.execute(sql + " ORDER BY id", params).fetchall()
    if occurrence is not None:
        # A guest of that date replaces their line of the series' own list.
        own = {
            contact for _i, contact, _r, _a, at in rows if at is not None and contact is not None
        }
        rows = [r for r in rows if r[4] is not None or r[1] not in own]
    rows = [r for r in rows if r[1] is not None and r[3] != Rsvp.DECLINED]
    found_people = people(db, [r[1] for r in rows])
    found = []
    for invitation_id, contact_id, role, _rsvp, _at in rows:
        person = found_people[contact_id]
        found.append(
            PrintedGuest(
                invitation_id=invitation_id,
                contact_id=contact_id,
                given_name=person.given,
                family_name=person.family,
                name=person.name,
                organization=person.organization,
                role=role,
                code=invitation_code(invitation_id),
            )
        )
    found.sort(key=lambda g: (fold(g.family_name or g.name), fold(g.given_name), g.invitation_id))
    return found
