"""Checklists: tasks with an absolute due date or one relative to their event (J-21, J+2),
and the templates per event kind that fill a new event's checklist.

A relative task stores only its offset, so moving an event moves its relative tasks.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from cmplanner import clock
from cmplanner.bus import Changes, Written
from cmplanner.errors import NotFound, ValidationError
from cmplanner.i18n import _
from cmplanner.model.enums import DEFAULT_EVENT_KINDS
from cmplanner.recurrence import dates_around, is_occurrence
from cmplanner.services import preferences
from cmplanner.services.contact_records import contact_names
from cmplanner.services.event_dates import dates_of
from cmplanner.storage import Database
from cmplanner.storage.sql import get_or_raise, missing

if TYPE_CHECKING:
    from sqlmodel import Session

    from cmplanner.model import Event, Task

# The lists (`list_tasks`, `checklist`) read on sqlite3; SQLModel and the tables are imported
# by the writing functions only, for start-up time: a printed checklist loads neither.

TEMPLATES_KEY = "task_templates"

Template = list[tuple[str, int]]  # (title, days from the event's start day)

# Shipped in French: they become the CM's own tasks, editable like any other.
_COMMON: Template = [
    ("Réserver la salle", -30),
    ("Envoyer les invitations", -21),
    ("Relancer les invités", -2),
    ("Acheter les fournitures", -1),
    ("Remercier les partenaires", 1),
    ("Partager les photos", 3),
    ("Faire le débrief", 7),
]
_INTERVIEW: Template = [
    ("Confirmer le rendez-vous", -7),
    ("Préparer les questions", -3),
    ("Relancer la personne interviewée", -1),
    ("Remercier la personne interviewée", 1),
    ("Faire le débrief", 7),
]
_PRODUCT_TEST: Template = [
    *_COMMON[:3],
    ("Préparer les produits à tester", -7),
    *_COMMON[3:6],
    ("Envoyer le questionnaire aux testeurs", 1),
    _COMMON[6],
]


def default_templates() -> dict[str, Template]:
    shipped = {kind: list(_COMMON) for kind in DEFAULT_EVENT_KINDS}
    shipped["interview"] = list(_INTERVIEW)
    shipped["product_test"] = sorted(_PRODUCT_TEST, key=lambda item: item[1])
    return shipped


@dataclass(frozen=True)
class TaskData:
    """What the task editor edits. Give `due_date` or `due_offset_days`, not both."""

    title: str
    notes: str = ""
    event_id: int | None = None
    due_date: dt.date | None = None
    due_offset_days: int | None = None
    assignee_id: int | None = None
    occurrence: dt.datetime | None = None  # a series: the date it is for (original start)


@dataclass(frozen=True)
class TaskRead:
    id: int
    title: str
    notes: str
    event_id: int | None
    event_title: str
    due_date: dt.date | None  # the absolute date if one was set
    due_offset_days: int | None
    due: dt.date | None  # when it is due, relative ones computed from the event
    assignee_id: int | None
    assignee: str
    done: bool
    done_at: dt.datetime | None
    position: int
    overdue: bool
    occurrence: dt.datetime | None = None  # a series: the date it is for (original start)


def _tid(task: Task) -> int:
    assert task.id is not None
    return int(task.id)


# --- templates --------------------------------------------------------------------------------


# How far from its event a relative task may be: ten years either way.
MAX_OFFSET_DAYS = 3650
_OFFSET = re.compile(r"^(?:(?:J|D)(?:OUR|AY)?\s*)?([+-]?)\s*(\d*)$")


def format_offset(days: int) -> str:
    """A day relative to the event as the CM writes it: J-21, J+2, J (D-21… in English)."""
    if days == 0:
        return _("D-day")
    if days < 0:
        return _("D-{n}").format(n=-days)
    return _("D+{n}").format(n=days)


def _not_an_offset(text: str) -> ValidationError:
    return ValidationError(
        _(
            "“{text}” is not a day relative to the event: write D-21 (21 days before),"
            " D+2 (2 days after) or D (the day itself)."
        ).format(text=text.strip())
    )


def parse_offset(text: str) -> int:
    """Days from the event's start day, from "J-21", "J+2", "J", "D-7", "-21" or "3"."""
    cleaned = " ".join(text.split()).upper().replace("−", "-").replace("–", "-")
    cleaned = cleaned.replace("JOUR J", "J").replace("D-DAY", "D")
    match = _OFFSET.match(cleaned)
    if not cleaned or match is None:
        raise _not_an_offset(text)
    sign, digits = match.groups()
    if not digits:
        if sign or cleaned[0] not in "JD":
            raise _not_an_offset(text)
        return 0
    days = int(digits) * (-1 if sign == "-" else 1)
    if abs(days) > MAX_OFFSET_DAYS:
        raise ValidationError(
            _("“{text}” is too far from the event (at most {n} days).").format(
                text=text.strip(), n=MAX_OFFSET_DAYS
            )
        )
    return days


def templates(db: Database) -> dict[str, Template]:
    """Checklist templates per event kind: the saved ones, the shipped ones for other kinds."""
    found = default_templates()
    raw = preferences.get(db, TEMPLATES_KEY)
    if raw:
        saved = json.loads(raw)
        for kind, items in saved.items():
            found[str(kind)] = [(str(title), int(offset)) for title, offset in items]
    return found


def set_templates(db: Database, by_kind: Mapping[str, Sequence[tuple[str, int]]]) -> Changes:
    """Save the templates of the kinds given (the other kinds keep theirs)."""
    current = templates(db)
    for kind, items in by_kind.items():
        cleaned: Template = []
        for title, offset in items:
            if not title.strip():
                raise ValidationError(_("A task needs a title."))
            if abs(int(offset)) > MAX_OFFSET_DAYS:
                raise ValidationError(
                    _("“{text}” is too far from the event (at most {n} days).").format(
                        text=title.strip(), n=MAX_OFFSET_DAYS
                    )
                )
            cleaned.append((title.strip(), int(offset)))
        current[kind] = cleaned
    stored = {kind: [[t, o] for t, o in items] for kind, items in current.items()}
    return preferences.put(db, TEMPLATES_KEY, json.dumps(stored, ensure_ascii=False))


def apply_template(
    db: Database, event_id: int, occurrence: dt.datetime | None = None, kind: str | None = None
) -> Changes:
    """Add a kind's template tasks (the event's kind unless `kind` is given), relative to the
    event — or, for a series, to its date `occurrence`; titles already on that checklist are
    not added twice."""
    # imported on use, not at the top: keeps it off the start-up path
    from sqlmodel import select

    from cmplanner.model import Event, Task

    by_kind = templates(db)
    created: list[Task] = []
    with db.transaction() as session:
        event = get_or_raise(session, Event, event_id)
        _check_occurrence(event, occurrence)
        chosen = kind or event.kind
        template = by_kind.get(chosen, by_kind.get("other", []))
        existing = list(session.exec(select(Task).where(Task.event_id == event_id)).all())
        have = {t.title.casefold() for t in existing if t.occurrence == occurrence}
        position = max((t.position for t in existing), default=-1) + 1
        for title, offset in template:
            if title.casefold() in have:
                continue
            task = Task(
                title=title,
                event_id=event_id,
                due_offset_days=offset,
                position=position,
                occurrence=occurrence,
            )
            position += 1
            session.add(task)
            created.append(task)
        session.flush()
        ids = frozenset(_tid(t) for t in created)
    return Changes(tasks=ids, events=frozenset({event_id}))


# --- tasks ------------------------------------------------------------------------------------


def due_date(task: Task | TaskData, event: Event | None) -> dt.date | None:
    """The day a task is due: its own date, or its event's start day (its series date's)
    plus its offset."""
    return _due(
        task.due_date,
        task.due_offset_days,
        task.occurrence,
        event.start_local if event is not None else None,
    )


def _due(
    own: dt.date | None,
    offset: int | None,
    occurrence: dt.datetime | None,
    event_start: dt.datetime | None,
) -> dt.date | None:
    if own is not None:
        return own
    if offset is not None and event_start is not None:
        base = occurrence or event_start
        return base.date() + dt.timedelta(days=offset)
    return None


class _Series(Protocol):
    """What `_check_occurrence` reads of an event (a table row, or `_EventDates`)."""

    @property
    def title(self) -> str: ...
    @property
    def rrule(self) -> str: ...
    @property
    def start_local(self) -> dt.datetime: ...


@dataclass(frozen=True)
class _EventDates:
    title: str
    rrule: str
    start_local: dt.datetime


def _check_occurrence(event: _Series, occurrence: dt.datetime | None) -> None:
    """A task's date of a series must be one of the series' dates."""
    if occurrence is None:
        return

    if not event.rrule or not is_occurrence(event.rrule, event.start_local, occurrence):
        raise ValidationError(
            _("“{title}” has no occurrence on {when}.").format(
                title=event.title, when=f"{occurrence:%Y-%m-%d %H:%M}"
            )
        )


def _check(session: Session, data: TaskData) -> TaskData:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.model import Contact, Event

    if not data.title.strip():
        raise ValidationError(_("A task needs a title."))
    if data.due_date is not None and data.due_offset_days is not None:
        raise ValidationError(_("A task is due on a date or relative to its event, not both."))
    if data.due_offset_days is not None and data.event_id is None:
        raise ValidationError(_("A due date relative to the event needs an event."))
    if data.occurrence is not None and data.event_id is None:
        raise ValidationError(_("A date of a series needs its event."))
    if data.event_id is not None:
        _check_occurrence(get_or_raise(session, Event, data.event_id), data.occurrence)
    if data.assignee_id is not None:
        get_or_raise(session, Contact, data.assignee_id)
    return data


def _write(task: Task, data: TaskData) -> None:
    task.title = data.title.strip()
    task.notes = data.notes
    task.event_id = data.event_id
    task.due_date = data.due_date
    task.due_offset_days = data.due_offset_days
    task.assignee_id = data.assignee_id
    task.occurrence = data.occurrence
    task.updated_at = clock.utc_now()


def add_task(db: Database, data: TaskData) -> Written[int]:
    with db.transaction() as session:
        task_id = add_task_in(session, data)
    events = frozenset({data.event_id} if data.event_id is not None else ())
    return Written(task_id, Changes(tasks=frozenset({task_id}), events=events))


def add_task_in(session: Session, data: TaskData) -> int:
    """`add_task` inside the caller's transaction; the new task's id."""
    # imported on use, not at the top: keeps them off the start-up path
    from sqlmodel import col, select

    from cmplanner.model import Task

    _check(session, data)
    last = session.exec(
        select(Task.position)
        .where(Task.event_id == data.event_id)
        .order_by(col(Task.position).desc())
    ).first()
    task = Task(title=data.title.strip(), position=(last + 1) if last is not None else 0)
    _write(task, data)
    session.add(task)
    session.flush()
    return _tid(task)


def update_task(db: Database, task_id: int, data: TaskData) -> Changes:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.model import Task

    with db.transaction() as session:
        task = get_or_raise(session, Task, task_id)
        _check(session, data)
        touched = {e for e in (task.event_id, data.event_id) if e is not None}
        _write(task, data)
        session.add(task)
    return Changes(tasks=frozenset({task_id}), events=frozenset(touched))


def set_done(db: Database, task_id: int, done: bool) -> Changes:
    with db.transaction() as session:
        return set_done_in(session, task_id, done)


def set_done_in(session: Session, task_id: int, done: bool) -> Changes:
    """`set_done` inside the caller's transaction."""
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.model import Task

    task = get_or_raise(session, Task, task_id)
    if task.done != done:
        task.done = done
        task.done_at = clock.utc_now() if done else None
        task.updated_at = clock.utc_now()
        session.add(task)
    events = frozenset({task.event_id} if task.event_id is not None else ())
    return Changes(tasks=frozenset({task_id}), events=events)


def delete_task(db: Database, task_id: int) -> Changes:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.model import Task

    with db.transaction() as session:
        task = get_or_raise(session, Task, task_id)
        events = frozenset({task.event_id} if task.event_id is not None else ())
        session.delete(task)
    return Changes(tasks=frozenset({task_id}), events=events)


def list_tasks(
    db: Database,
    assignee: int | None = None,
    event_id: int | None = None,
    due_before: dt.date | None = None,
    due_after: dt.date | None = None,
    include_done: bool = False,
) -> list[TaskRead]:
    """Tasks by due day (undated ones last), with `overdue` against today. The due window
    is inclusive and leaves out undated tasks."""
    today = clock.today()
    sql = (
        "SELECT t.id, t.title, t.notes, t.event_id, t.due_date, t.due_offset_days,"
        " t.assignee_id, t.done, t.done_at, t.position, t.occurrence, e.title, e.start_local"
        " FROM task t LEFT JOIN event e ON e.id = t.event_id WHERE 1"
    )
    params: list[object] = []
    if assignee is not None:
        sql += " AND t.assignee_id = ?"
        params.append(assignee)
    if event_id is not None:
        sql += " AND t.event_id = ?"
        params.append(event_id)
    if not include_done:
        sql += " AND t.done = 0"
    with db.read() as con:
        rows = con.execute(sql, params).fetchall()
        people = contact_names(con, [r[6] for r in rows if r[6] is not None])
    found = []
    for (
        task_id, title, notes, task_event, own, offset, assignee_id, done, done_at, position,
        occurrence, event_title, event_start,
    ) in rows:  # fmt: skip
        own_date = dt.date.fromisoformat(own) if own else None
        occurrence_at = dt.datetime.fromisoformat(occurrence) if occurrence else None
        start = dt.datetime.fromisoformat(event_start) if event_start else None
        due = _due(own_date, offset, occurrence_at, start)
        if (due_before is not None or due_after is not None) and due is None:
            continue
        if due is not None and (
            (due_before is not None and due > due_before)
            or (due_after is not None and due < due_after)
        ):
            continue
        found.append(
            TaskRead(
                id=int(task_id),
                title=title,
                notes=notes,
                event_id=task_event,
                event_title=event_title or "",
                due_date=own_date,
                due_offset_days=offset,
                due=due,
                assignee_id=assignee_id,
                assignee=people.get(assignee_id, "") if assignee_id else "",
                done=bool(done),
                done_at=_instant(done_at),
                position=position,
                overdue=not done and due is not None and due < today,
                occurrence=occurrence_at,
            )
        )
    found.sort(key=lambda t: (t.due is None, t.due or dt.date.min, t.position, t.id))
    return found


def _instant(stored: str | None) -> dt.datetime | None:
    """A stored instant (naive UTC text) as the aware UTC datetime the tables give."""
    return dt.datetime.fromisoformat(stored).replace(tzinfo=dt.UTC) if stored else None


def checklist(db: Database, event_id: int, occurrence: dt.datetime | None = None) -> list[TaskRead]:
    """An event's checklist, done tasks included. For a series and one of its dates
    (`occurrence`, its original local start): the tasks of that date, and the series' own
    tasks that fall to it — an undated one always, a dated one when that date is the nearest
    to its due day (a tie goes to the earlier date, whose follow-up it likely is). For a
    series without a date: the series' own tasks."""
    every = list_tasks(db, event_id=event_id, include_done=True)
    if occurrence is None:
        return [t for t in every if t.occurrence is None]
    with db.read() as con:
        row = con.execute(
            "SELECT title, rrule, start_local FROM event WHERE id = ?", (event_id,)
        ).fetchone()
    if row is None:
        raise NotFound(missing("event", event_id))
    event = _EventDates(row[0], row[1], dt.datetime.fromisoformat(row[2]))
    _check_occurrence(event, occurrence)
    rule = event.rrule
    first = event.start_local

    before, after = dates_around(rule, first, occurrence)

    def falls_here(due: dt.date | None) -> bool:
        if due is None:
            return True
        here = occurrence.date()
        if before is not None and (due - before.date()).days <= (here - due).days:
            return False
        return after is None or (due - here).days <= (after.date() - due).days

    return [
        t
        for t in every
        if t.occurrence == occurrence or (t.occurrence is None and falls_here(t.due))
    ]


# The dates of a series its checklist tab offers: from a quarter back to a year ahead.
_DATES_BACK = dt.timedelta(days=92)
_DATES_AHEAD = dt.timedelta(days=366)


@dataclass(frozen=True)
class ChecklistDates:
    """The dates of a series whose checklist can be shown, and the one shown first."""

    dates: tuple[tuple[dt.datetime, dt.datetime], ...]  # (original start, local start)
    current: dt.datetime | None  # today's or the next date (original start)


def checklist_dates(db: Database, event_id: int) -> ChecklistDates:
    """A series' dates around now (skipped ones left out, moved ones at their new time)."""
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.model import Event

    now = clock.now_utc()
    with db.session() as session:
        event = get_or_raise(session, Event, event_id)
        if not event.rrule:
            return ChecklistDates((), None)
        found = dates_of(session, event, now - _DATES_BACK, now + _DATES_AHEAD)
    today = clock.today()
    current = next((o.recurrence_id for o in found if o.start_local.date() >= today), None)
    if current is None and found:
        current = found[-1].recurrence_id
    return ChecklistDates(tuple((o.recurrence_id, o.start_local) for o in found), current)


# Task rows as they were, for an undo to write back (with their ids).
TaskStates = list[dict[str, Any]]


def task_states(db: Database, task_ids: Sequence[int]) -> TaskStates:
    # imported on use, not at the top: keeps it off the start-up path
    from sqlmodel import col, select

    from cmplanner.model import Task

    with db.session() as session:
        rows = session.exec(select(Task).where(col(Task.id).in_(list(task_ids)))).all()
        return [r.model_dump() for r in rows]


def delete_tasks(db: Database, task_ids: Sequence[int]) -> Changes:
    """Delete tasks (one transaction); those already gone are skipped."""
    # imported on use, not at the top: keeps it off the start-up path
    from sqlmodel import col, select

    from cmplanner.model import Task

    events: set[int] = set()
    with db.transaction() as session:
        for task in session.exec(select(Task).where(col(Task.id).in_(list(task_ids)))).all():
            if task.event_id is not None:
                events.add(task.event_id)
            session.delete(task)
    return Changes(tasks=frozenset(task_ids), events=frozenset(events))


def restore_tasks(db: Database, states: TaskStates) -> Changes:
    """Put tasks back as they were (same ids): the undo of a removal."""
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.model import Task

    events: set[int] = set()
    with db.transaction() as session:
        for state in states:
            task = session.get(Task, state["id"]) or Task(**state)
            for key, value in state.items():
                setattr(task, key, value)
            session.add(task)
            if task.event_id is not None:
                events.add(task.event_id)
    ids = frozenset(int(str(s["id"])) for s in states)
    return Changes(tasks=ids, events=frozenset(events))


def task_data(task: TaskRead) -> TaskData:
    """What the task editor edits, from a listed task."""
    return TaskData(
        title=task.title,
        notes=task.notes,
        event_id=task.event_id,
        due_date=task.due_date,
        due_offset_days=task.due_offset_days,
        assignee_id=task.assignee_id,
        occurrence=task.occurrence,
    )


@dataclass(frozen=True)
class TaskFilterChoices:
    """What the task list can be filtered by: (id, name) pairs, by name."""

    assignees: list[tuple[int, str]]
    events: list[tuple[int, str]]


def filter_choices(db: Database) -> TaskFilterChoices:
    """The people who have tasks and the events with tasks (their soonest first).

    Only ids and names, read with plain `sqlite3`: it runs after every change to an event,
    a task or a contact, and loading thousands of ORM objects for two names lists made
    enough garbage to set off full collections that stop the GUI thread too."""
    with db.read() as con:
        assigned = con.execute("SELECT assignee_id FROM task WHERE assignee_id IS NOT NULL")
        people = contact_names(con, [r[0] for r in assigned])
        events = con.execute(
            "SELECT id, title FROM event"
            " WHERE id IN (SELECT event_id FROM task WHERE event_id IS NOT NULL)"
            " ORDER BY start_local, id"
        ).fetchall()
    assignees = sorted(people.items(), key=lambda item: (item[1].casefold(), item[0]))
    return TaskFilterChoices(
        assignees=assignees,
        events=[(int(eid), str(title)) for eid, title in events],
    )
