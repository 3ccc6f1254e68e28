"""What was sent to each guest of an event: invitations, updates and cancellations (iTIP).

One row per recipient and sending, kept even when it failed (with the error), so the
Invitations dialog can say who has the latest version, who needs an update and who has not
answered yet. Erasing a contact deletes their rows (the foreign key cascades)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cmplanner import clock
from cmplanner.bus import Changes
from cmplanner.model import SentMessage
from cmplanner.storage import Database

REQUEST = "REQUEST"
CANCEL = "CANCEL"
SMTP = "smtp"
EML = "eml"


@dataclass(frozen=True)
class SentRecord:
    """One message to one guest, as logged."""

    contact_id: int | None
    email: str
    method: str  # REQUEST or CANCEL
    sequence: int
    channel: str  # "smtp" or "eml"
    error: str = ""  # "" when it went out
    occurrence: dt.datetime | None = None  # one occurrence's cancellation
    sent_at: dt.datetime | None = None  # filled when logged

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass(frozen=True)
class GuestMailState:
    """Where one guest stands, for the Invitations dialog and `resend`."""

    contact_id: int
    last_sent_at: dt.datetime | None  # last message that went out (any method)
    last_sequence: int | None  # highest SEQUENCE that went out to them (any method)
    last_method: str  # method of the last message that went out, "" if none
    last_error: str  # error of the latest attempt if it failed, else ""
    needs_update: bool  # was sent an older SEQUENCE than the event's
    not_answered: bool  # was sent the invitation and has not answered (RSVP needs-action)

    @property
    def never_sent(self) -> bool:
        return self.last_sent_at is None


def record(db: Database, event_id: int, records: Sequence[SentRecord]) -> Changes:
    """Log these messages (sent or failed) for the event, at the current time."""
    if not records:
        return Changes()
    now = clock.utc_now()
    with db.transaction() as session:
        for r in records:
            session.add(
                SentMessage(
                    event_id=event_id,
                    contact_id=r.contact_id,
                    email=r.email,
                    method=r.method,
                    sequence=r.sequence,
                    occurrence=r.occurrence,
                    sent_at=r.sent_at or now,
                    channel=r.channel,
                    error=r.error,
                )
            )
    changes = Changes(events=frozenset({event_id}))
    return changes


def _utc(value: str | dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def history(db: Database, event_id: int, contact_id: int | None = None) -> list[SentRecord]:
    """Every message logged for the event (or for one guest of it), oldest first."""
    sql = (
        "SELECT contact_id, email, method, sequence, channel, error, occurrence, sent_at"
        " FROM sent_message WHERE event_id = ?"
    )
    params: list[object] = [event_id]
    if contact_id is not None:
        sql += " AND contact_id = ?"
        params.append(contact_id)
    with db.read() as con:
        rows = con.execute(sql + " ORDER BY sent_at, id", params).fetchall()
    return [
        SentRecord(
            contact_id=None if r[0] is None else int(r[0]),
            email=str(r[1]),
            method=str(r[2]),
            sequence=int(r[3]),
            channel=str(r[4]),
            error=str(r[5] or ""),
            occurrence=None if r[6] is None else dt.datetime.fromisoformat(str(r[6])),
            sent_at=_utc(r[7]),
        )
        for r in rows
    ]


def sent_sequences(db: Database, event_id: int) -> dict[int, int]:
    """For each guest (contact id) who was sent the invitation, the highest SEQUENCE that
    went out to them (invitation, update or cancellation of a date): below the event's,
    the next invitation is an update."""
    with db.read() as con:
        rows = con.execute(
            "SELECT contact_id, MAX(sequence) FROM sent_message"
            " WHERE event_id = ? AND error = '' AND contact_id IN"
            " (SELECT contact_id FROM sent_message"
            "  WHERE event_id = ? AND method = ? AND error = '')"
            " GROUP BY contact_id",
            (event_id, event_id, REQUEST),
        ).fetchall()
    return {int(c): int(s) for c, s in rows}


def guest_states(db: Database, event_id: int) -> dict[int, GuestMailState]:
    """Each guest of the event's shared list (by contact id): last sent, needs an update,
    not answered. Guests never sent anything are included (never_sent)."""
    with db.read() as con:
        row = con.execute("SELECT sequence FROM event WHERE id = ?", (event_id,)).fetchone()
        if row is None:
            return {}
        current = int(row[0])
        guests = con.execute(
            "SELECT contact_id, rsvp FROM invitation"
            " WHERE event_id = ? AND occurrence IS NULL AND contact_id IS NOT NULL",
            (event_id,),
        ).fetchall()
    by_guest: dict[int, list[SentRecord]] = {}
    for r in history(db, event_id):
        if r.contact_id is not None:
            by_guest.setdefault(r.contact_id, []).append(r)
    states: dict[int, GuestMailState] = {}
    for contact_id, rsvp in guests:
        sent = by_guest.get(int(contact_id), [])
        went_out = [r for r in sent if r.ok]
        invited = any(r.method == REQUEST for r in went_out)
        last = went_out[-1] if went_out else None
        latest = sent[-1] if sent else None
        last_sequence = max((r.sequence for r in went_out), default=None)
        states[int(contact_id)] = GuestMailState(
            contact_id=int(contact_id),
            last_sent_at=last.sent_at if last else None,
            last_sequence=last_sequence,
            last_method=last.method if last else "",
            last_error=latest.error if latest and not latest.ok else "",
            needs_update=last_sequence is not None and current > last_sequence,
            not_answered=invited and rsvp == "needs-action",
        )
    return states
