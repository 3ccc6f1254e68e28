"""`cmplanner dashboard [--json] [--pdf FILE]`: the morning digest in a terminal.

The figures come from `cmplanner.services.dashboard.compute`, the same function the home
screen uses; this module only lays them out. The arguments are declared in cli/main.py: this
module, and the service with it, is imported only when the command runs."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from cmplanner.cli.common import print_json, reading
from cmplanner.errors import CMPlannerError
from cmplanner.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from cmplanner.services.dashboard import (
        CommunityVitality,
        Dashboard,
        Due,
        InPersonRatio,
        UpcomingEvent,
    )
    from cmplanner.storage import Database

PDF_MODULE = "cmplanner.documents.dashboard"  # provides render(db) -> bytes

LIGHT_NAMES = {
    "green": N_("green"),
    "amber": N_("amber"),
    "red": N_("red"),
    "unknown": N_("no data yet"),
}


# --- the command and its digest -----------------------------------------------------------


def cmd_dashboard(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services import dashboard as service

    with reading(args) as db:
        if args.pdf:
            _write_pdf(db, Path(args.pdf).expanduser())
            print(_("Dashboard written to {path}").format(path=args.pdf))
            return 0
        board = service.compute(db)
    if args.json:
        print_json(service.to_json(board))
        return 0
    print(digest(board))
    return 0


def _write_pdf(db: Database, target: Path) -> None:
    try:
        module = importlib.import_module(PDF_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != PDF_MODULE:
            raise
        raise CMPlannerError(
            _("The dashboard cannot be exported as a PDF in this version.")
        ) from None
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.documents.base import write_pdf

    data: bytes = module.render(db)
    write_pdf(target, data)  # atomically: an interrupted export leaves no half file


# --- the text digest --------------------------------------------------------------------------


def _day(day: dt.date) -> str:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.formats import day_text

    return day_text(day, "MMMEd")


def _when(start: dt.datetime, all_day: bool = False) -> str:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.formats import time_text

    return _day(start.date()) if all_day else f"{_day(start.date())} {time_text(start)}"


def _long_day(day: dt.date) -> str:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.formats import day_text

    return day_text(day)


def _percent(value: float | None, target: float | None = None) -> str:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.formats import percent_text

    return percent_text(value, target)


def digest(board: Dashboard) -> str:
    """The dashboard as plain text, in the interface language."""
    lines = [_("Dashboard — {day}").format(day=_long_day(board.today)), ""]
    lines += _upcoming(board.upcoming)
    if board.notes:  # a series with more dates than are shown
        lines[-1:] = [*("  " + note for note in board.notes), ""]
    lines += _due(board.due)
    lines.append(_("Communities"))
    if not board.communities:
        lines += ["  " + _("No community yet."), ""]
    for community in board.communities:
        lines += _community(community)
    lines += _drifting(board)
    lines += _ratio(board.ratio)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _upcoming(events: tuple[UpcomingEvent, ...]) -> list[str]:
    lines = [_("Next 14 days")]
    if not events:
        lines.append("  " + _("Nothing planned."))
    whens = [_when(e.start, e.all_day) for e in events]
    width = max(map(len, whens), default=0)
    for e, when in zip(events, whens, strict=True):
        answers = _(
            "{accepted} yes, {tentative} maybe, {declined} no, {no_answer} no answer"
        ).format(
            accepted=e.accepted, tentative=e.tentative, declined=e.declined, no_answer=e.no_answer
        )
        where = f" ({e.community})" if e.community else ""
        online = "" if e.in_person else " — " + _("online")
        lines.append(f"  {when:<{width}}  {e.title}{where}{online}")
        lines.append(f"  {'':<{width}}  {answers}")
    lines.append("")
    return lines


def _due(due: Due) -> list[str]:
    lines = [_("Tasks")]
    if not due.tasks:
        lines.append("  " + _("Nothing due this week."))
    for t in due.tasks:
        if t.overdue:
            when = _("overdue since {day}").format(day=_day(t.due_date))
        else:
            when = _("due {day}").format(day=_day(t.due_date))
        extra = [x for x in (t.event_title, t.assignee) if x]
        suffix = f" ({', '.join(extra)})" if extra else ""
        lines.append("  " + _("{when}: {what}").format(when=when, what=t.title + suffix))
    lines += ["", _("Commitments")]
    if not due.commitments:
        lines.append("  " + _("No open commitment."))
    for c in due.commitments:
        if c.due_date is None:
            when = _("no date")
        elif c.overdue:
            when = _("overdue since {day}").format(day=_day(c.due_date))
        else:
            when = _("by {day}").format(day=_day(c.due_date))
        to = [x for x in (c.contact, c.community, c.event_title) if x]
        suffix = f" ({', '.join(to)})" if to else ""
        lines.append("  " + _("{when}: {what}").format(when=when, what=c.description + suffix))
    lines += ["", _("Dates to confirm")]
    if not due.unconfirmed:
        lines.append("  " + _("Nothing to confirm."))
    for u in due.unconfirmed:
        where = f" ({u.community})" if u.community else ""
        lines.append(f"  {_when(u.start)}  {u.title}{where}")
    lines.append("")
    return lines


def _community(c: CommunityVitality) -> list[str]:
    light = _(LIGHT_NAMES.get(str(c.light), LIGHT_NAMES["unknown"]))
    if c.vitality is None:
        head = _("{name}: vitality unknown").format(name=c.name)
    else:
        head = _("{name}: vitality {vitality}/100 ({light})").format(
            name=c.name, vitality=c.vitality, light=light
        )
    members = ngettext("{n} member", "{n} members", c.members).format(n=c.members)
    lines = [f"  {head} — {members}"]
    pace = ngettext("every {n} day", "every {n} days", c.target_pace_days).format(
        n=c.target_pace_days
    )
    if c.pace_is_default:
        pace = _("{pace}, by default").format(pace=pace)
    pace_light = _(LIGHT_NAMES.get(str(c.pace_light), LIGHT_NAMES["unknown"]))
    if c.days_since_last_in_person_event is None:
        met = _("never met in person (target: {pace})").format(pace=pace)
    else:
        met = ngettext(
            "last in-person event {n} day ago (target: {pace})",
            "last in-person event {n} days ago (target: {pace})",
            c.days_since_last_in_person_event,
        ).format(n=c.days_since_last_in_person_event, pace=pace)
    lines.append(f"    {met} — {pace_light}")
    lines.append(
        "    "
        + _(
            "attendance {attendance}, returning {returning}, seen in person in 90 days {seen}"
        ).format(
            attendance=_percent(c.attendance_rate),
            returning=_percent(c.returning_rate),
            seen=_percent(c.seen_in_person_90d),
        )
    )
    if c.next_event is not None:
        e = c.next_event
        lines.append(
            "    " + _("next: {day} {title}").format(day=_when(e.start, e.all_day), title=e.title)
        )
    missing = [item for item in c.readiness if not item.ok]
    if not missing:
        lines.append("    " + _("ready: every launch prerequisite is met"))
    else:
        lines.append("    " + _("launch readiness, missing:"))
        for item in missing:
            detail = f" ({item.detail})" if item.detail else ""
            lines.append(f"      - {item.label}{detail}")
    lines.append("")
    return lines


def _drifting(board: Dashboard) -> list[str]:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.dashboard import by_person, more_people

    people = by_person(board.drifting)
    total = board.drifting_total
    lines = [
        ngettext("Drifting away ({n} person)", "Drifting away ({n} people)", total).format(n=total)
    ]
    if not people:
        lines.append("  " + _("Nobody: everyone was seen recently."))
    for p in people:
        where = f" [{p.community}]" if p.community else ""
        lines.append("  " + _("{when}: {what}").format(when=p.name + where, what=p.reason_text))
    more = more_people(board, people)
    if more:
        lines.append(
            "  "
            + ngettext(
                "… and {n} more (the {shown} most overdue are listed)",
                "… and {n} more (the {shown} most overdue are listed)",
                more,
            ).format(n=more, shown=len(people))
        )
    lines.append("")
    return lines


def _ratio(r: InPersonRatio) -> list[str]:
    verdict = ""
    if r.value is not None:
        verdict = " — " + (_("on target") if r.value >= r.target else _("below target"))
    lines = [
        _("In-person ratio, last 90 days: {value} (target {target}){verdict}").format(
            value=_percent(r.value, r.target), target=_percent(r.target), verdict=verdict
        ),
        "  "
        + _("{in_person} in person, {online} online").format(
            in_person=_hours(r.in_person_minutes), online=_hours(r.online_minutes)
        ),
    ]
    months = [m for m in r.months if m.value is not None][-6:]
    if months:
        lines.append(
            "  "
            + _("by month: {months}").format(
                months=", ".join(f"{m.label} {_percent(m.value)}" for m in months)
            )
        )
    return lines


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"
