"""The baseline of bench/cli_lists.py's month figure: a bare Python script listing the
occurrences of a period, as one would write it with sqlite3 and dateutil.

    python bench/bare_events.py DB FIRST LAST ZONE

The same work as `cmplanner events list --from FIRST --to LAST` in ZONE: the single events
starting in the period and every series that may reach it (one query), each series expanded
from its RRULE in its own time zone (dateutil), its skipped dates left out and its moved ones
at their new time, each occurrence's own status and title; the guest counts of each
occurrence (a series' shared guest list, each guest's own row for that date taking
precedence); in order of start, then one line per occurrence in the layout of the CLI.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

UTC = dt.UTC
FMT = "%Y-%m-%d %H:%M:%S.%f"


def main(database: str, first_text: str, last_text: str, zone_name: str) -> int:
    here = ZoneInfo(zone_name)
    first, last = dt.date.fromisoformat(first_text), dt.date.fromisoformat(last_text)
    lo = dt.datetime.combine(first, dt.time(), here).astimezone(UTC).replace(tzinfo=None)
    hi = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), here)
    hi = hi.astimezone(UTC).replace(tzinfo=None)
    con = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    rows = con.execute(
        "SELECT e.id, e.title, e.status, e.start_local, e.end_local, e.timezone, e.all_day,"
        " e.rrule, COALESCE(v.name, '') FROM event e LEFT JOIN venue v ON v.id = e.venue_id"
        " WHERE (e.rrule = '' AND e.start_utc < ? AND e.start_utc >= ?)"
        " OR (e.rrule != '' AND e.start_utc < ?)",
        (hi.strftime(FMT), lo.strftime(FMT), (hi + dt.timedelta(days=366)).strftime(FMT)),
    ).fetchall()
    series = [r[0] for r in rows if r[7]]
    overrides: dict[int, dict[dt.datetime, tuple]] = {}
    if series:
        marks = ",".join("?" * len(series))
        for eid, rid, cancelled, begin, end, status, title in con.execute(
            "SELECT event_id, recurrence_id, cancelled, start_local, end_local, status, title"
            f" FROM occurrence_exception WHERE event_id IN ({marks})",
            series,
        ):
            overrides.setdefault(eid, {})[dt.datetime.fromisoformat(rid)] = (
                cancelled,
                begin,
                end,
                status,
                title,
            )
    found = []  # (utc start, event id, local start, title, status, all day, venue, occurrence)
    for eid, title, status, begin, _end, zone, all_day, rule, venue in rows:
        tz = ZoneInfo(zone)
        start = dt.datetime.fromisoformat(begin)

        def utc(local: dt.datetime, tz: ZoneInfo = tz) -> dt.datetime:
            return local.replace(tzinfo=tz).astimezone(UTC).replace(tzinfo=None)

        if not rule:
            found.append((utc(start), eid, start, title, status, all_day, venue, None))
            continue
        own = overrides.get(eid, {})
        local_lo = lo.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None)
        local_hi = hi.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None)
        dates = rrulestr(rule, dtstart=start).between(
            local_lo - dt.timedelta(days=1), local_hi + dt.timedelta(days=1), inc=True
        )
        moved_in = [rid for rid, o in own.items() if o[1] and rid not in dates]
        for original in [*dates, *moved_in]:
            o = own.get(original)
            if o is not None and o[0]:
                continue  # skipped
            when = dt.datetime.fromisoformat(o[1]) if o is not None and o[1] else original
            if not lo <= utc(when) < hi:
                continue
            title_here = (o[4] if o is not None else "") or title
            status_here = (o[3] if o is not None else "") or status
            found.append((utc(when), eid, when, title_here, status_here, all_day, venue, original))
    found.sort(key=lambda f: (f[0], f[1]))
    ids = sorted({f[1] for f in found})
    shared: dict[int, dict] = {}
    own_rows: dict[tuple, dict] = {}
    for n in range(0, len(ids), 900):
        chunk = ids[n : n + 900]
        marks = ",".join("?" * len(chunk))
        for row_id, eid, contact, occurrence, rsvp, waitlist in con.execute(
            "SELECT id, event_id, contact_id, occurrence, rsvp, waitlist_position"
            f" FROM invitation WHERE event_id IN ({marks})",
            chunk,
        ):
            who = contact if contact is not None else ("row", row_id)
            if occurrence is None:
                shared.setdefault(eid, {})[who] = (rsvp, waitlist)
            else:
                key = (eid, dt.datetime.fromisoformat(occurrence))
                own_rows.setdefault(key, {})[who] = (rsvp, waitlist)
    con.close()
    lines = []
    for _utc, eid, local, title, status, all_day, venue, original in found:
        guests = dict(shared.get(eid, {}))
        if original is not None:
            guests.update(own_rows.get((eid, original), {}))
        coming = sum(1 for rsvp, wait in guests.values() if wait is None and rsvp == "accepted")
        when = f"{local:%Y-%m-%d}" if all_day else f"{local:%Y-%m-%d %H:%M}"
        where = f"  @ {venue}" if venue else ""
        counts = f"{coming}/{len(guests)} coming"
        lines.append(f"{eid:>6}  {when:<16}  {title[:40]:<40}  {status:<9}  {counts}{where}")
    if lines:
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:5]))
