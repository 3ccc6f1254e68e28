"""Read-only listings for the big lists: ids in display order first, then rows by batches.

A view keeps only the ids and asks for the rows it shows (Anki's browser model), so 100,000
contacts cost one id query and a few small row queries. Written in plain SQL over the
standard `sqlite3` module: the first view of a cold start is filled from here, before
SQLAlchemy has even been imported.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from cmplanner import clock
from cmplanner.i18n import N_
from cmplanner.model.names import display_name
from cmplanner.services.partial_dates import MONTH_SQL, month_number
from cmplanner.services.preferences import phone_region
from cmplanner.storage.search_index import TABLE as SEARCH_TABLE
from cmplanner.storage.search_index import is_national_number, looks_like_phone, match_query
from cmplanner.storage.sql import in_chunks, sql_instant

if TYPE_CHECKING:
    from cmplanner.recurrence import Occurrence, Override
    from cmplanner.storage import Database

Row = tuple[Any, ...]
Params = list[Any]
Filter = tuple[str, Params]  # an SQL condition and its parameters


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # msgid, translated where shown
    kind: str = (
        "text"  # text | int | date | datetime (wall clock) | instant (UTC) | bool | enum | kind
    )
    sql: str = ""  # the expression that gives the value


@dataclass(frozen=True)
class _Order:
    version: int  # PRAGMA data_version of the connection it was read on
    # That connection itself: an id() can be reused by a later connection to another file.
    connection: sqlite3.Connection
    position: dict[int, int]  # contact id → its place in the list


@dataclass(frozen=True)
class Listing:
    """One browsable list: its columns, how to order its ids, how to fetch its rows."""

    name: str
    columns: tuple[Column, ...]
    source: str  # FROM … JOINs; the listed table is aliased `t`
    sort: dict[str, tuple[str, ...]]  # column key → ORDER BY expressions
    search: Callable[[str, Database], Filter] | None = None
    scope: Callable[[], Filter] | None = None  # a fixed filter (e.g. "the next 14 days")
    # Named filters a view or the CLI can combine: name → (value, all chosen filters) → SQL.
    filters: dict[str, Callable[[Any, Mapping[str, Any]], Filter]] = field(default_factory=dict)
    # Python-side steps for what SQL cannot say (e.g. a series' next occurrence):
    refine: Callable[[Database, list[int], str | None, bool], list[int]] | None = None
    adjust: Callable[[Database, dict[int, Row]], None] | None = None
    # The ids matching a search, in no order (a keystroke's fast path: see `ids`).
    search_ids: Callable[[str, Database], list[int]] | None = None
    _orders: dict[Hashable, _Order] = field(default_factory=dict, repr=False, compare=False)

    def column_keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def ids(
        self,
        db: Database,
        sort_key: str | None = None,
        descending: bool = False,
        text: str = "",
        filters: Mapping[str, Any] | None = None,
    ) -> list[int]:
        """Ids in display order; `filters` maps names of `self.filters` to their values
        (None or "" leaves a filter out).

        A search keystroke does not sort in SQL: the unfiltered order (which the view loaded
        first) is kept per connection and data version, and the matches are put in that
        order — as cheap as the full-text query itself."""
        chosen = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
        key = (sort_key or self.columns[0].key, descending, tuple(sorted(chosen.items())))
        text = text.strip()
        if text and self.search_ids is not None:
            order = self._order(db, key, chosen)
            if order is not None:
                position = order.position
                hits = [i for i in self.search_ids(text, db) if i in position]
                hits.sort(key=position.__getitem__)
                return hits
        ids = self._query_ids(db, key[0], descending, text, chosen)
        if not text:
            self._remember(db, key, ids)
        return ids

    def query_ids(
        self,
        db: Database,
        sort_key: str | None = None,
        descending: bool = False,
        text: str = "",
        filters: Mapping[str, Any] | None = None,
    ) -> list[int]:
        """The same ids as `ids`, from one query that sorts only the matches and keeps
        nothing: for a one-shot reader (a CLI command), which will not search again, so the
        whole list's order `ids` keeps for the next keystroke would be paid for nothing."""
        chosen = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
        return self._query_ids(
            db, sort_key or self.columns[0].key, descending, text.strip(), chosen
        )

    def _query_ids(
        self, db: Database, sort_key: str, descending: bool, text: str, filters: Mapping[str, Any]
    ) -> list[int]:
        conditions, params = self._conditions(db, text, filters)
        order = self.sort.get(sort_key) or self.sort[self.columns[0].key]
        direction = " DESC" if descending else ""
        order_sql = ", ".join(f"{expr}{direction}" for expr in order)
        sql = f"SELECT t.id {self.source}{conditions} ORDER BY {order_sql}, t.id{direction}"
        with db.read() as con:
            ids = [r[0] for r in con.execute(sql, params)]
        return self.refine(db, ids, sort_key, descending) if self.refine else ids

    def _order(self, db: Database, key: Hashable, filters: Mapping[str, Any]) -> _Order | None:
        """The unfiltered display order for `key`, if still true of the database."""
        with db.read() as con:
            version = con.execute("PRAGMA data_version").fetchone()[0]
            slot = (id(con), key)
        order = self._orders.get(slot)
        if order is not None and order.connection is con and order.version == version:
            return order
        if self.scope is not None:
            return None  # time-dependent lists are not cached
        ids = self._query_ids(db, key[0], key[1], "", filters)  # type: ignore[index]
        return self._remember(db, key, ids, version)

    def _remember(
        self, db: Database, key: Hashable, ids: list[int], version: int | None = None
    ) -> _Order | None:
        if self.search_ids is None or self.scope is not None:
            return None
        with db.read() as con:
            if version is None:
                version = con.execute("PRAGMA data_version").fetchone()[0]
            slot = (id(con), key)
        order = _Order(version, con, {cid: n for n, cid in enumerate(ids)})
        self._orders[slot] = order
        while len(self._orders) > 8:
            self._orders.pop(next(iter(self._orders)))
        return order

    def rows(self, db: Database, ids: Sequence[int]) -> dict[int, Row]:
        out: dict[int, Row] = {}
        if not ids:
            return out
        select = ", ".join(c.sql for c in self.columns)
        converters = [_CONVERTERS.get(c.kind) for c in self.columns]
        with db.read() as con:
            for chunk, marks in in_chunks(ids):
                sql = f"SELECT t.id, {select} {self.source} WHERE t.id IN ({marks})"
                for raw in con.execute(sql, chunk):
                    out[raw[0]] = tuple(
                        conv(v) if conv and v is not None else v
                        for conv, v in zip(converters, raw[1:], strict=True)
                    )
        if self.adjust:
            self.adjust(db, out)
        return out

    def _conditions(self, db: Database, text: str, filters: Mapping[str, Any]) -> Filter:
        parts: list[str] = []
        params: Params = []
        scope = self.scope() if self.scope else None
        search = self.search(text.strip(), db) if self.search and text.strip() else None
        chosen = []
        for name, value in filters.items():
            if name not in self.filters:
                raise KeyError(f"{self.name} has no filter {name!r}")
            if value not in (None, ""):
                chosen.append(self.filters[name](value, filters))
        for condition in (scope, search, *chosen):
            if condition is not None:
                parts.append(f"({condition[0]})")
                params.extend(condition[1])
        return (" WHERE " + " AND ".join(parts) if parts else "", params)


def _instant(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "datetime": dt.datetime.fromisoformat,
    "instant": _instant,
    "date": lambda v: dt.date.fromisoformat(v[:10]),
    "bool": bool,
}


def _like(text: str, *columns: str) -> Filter:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return (
        " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in columns),
        [pattern] * len(columns),
    )


def _fts_match(text: str, db: Database) -> str | None:
    """The FTS5 query for `text`: every word a prefix, accents ignored; "06 12" also finds
    "+33 6 12…" (national numbers read in the default phone region)."""
    country_code = None
    compact = "".join(ch for ch in text if ch.isdigit()) if looks_like_phone(text) else ""
    if is_national_number(compact) or any(is_national_number(w) for w in text.split()):
        # imported on use, not at the top: keeps it off the start-up path
        import phonenumbers

        country_code = phonenumbers.country_code_for_region(phone_region(db)) or None
    return match_query(text, country_code)


_FTS_IDS = f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ?"


def contact_search(text: str, db: Database) -> Filter:
    """Contacts whose index row matches every word of `text` as a prefix."""
    query = _fts_match(text, db)
    return ("1", []) if query is None else (f"t.id IN ({_FTS_IDS})", [query])


def _matching_contact_ids(text: str, db: Database) -> list[int]:
    query = _fts_match(text, db)
    with db.read() as con:
        if query is None:
            return [r[0] for r in con.execute("SELECT id FROM contact")]
        return [r[0] for r in con.execute(_FTS_IDS, (query,))]


def _first(value: str, table: str, order: str = "position, id") -> str:
    return f"(SELECT {value} FROM {table} x WHERE x.contact_id = t.id ORDER BY {order} LIMIT 1)"


def _in_community(community: Any, chosen: Mapping[str, Any]) -> Filter:
    """Members of a community (by name or id), in the chosen role if one is."""
    role = chosen.get("role")
    sql = (
        "t.id IN (SELECT m.contact_id FROM community_member m JOIN community c"
        " ON c.id = m.community_id WHERE (c.name = ? COLLATE NOCASE OR CAST(c.id AS TEXT) = ?)"
    )
    params: Params = [str(community), str(community)]
    if role not in (None, ""):
        sql += " AND m.role = ?"
        params.append(str(role))
    return (sql + ")", params)


# --- contacts -------------------------------------------------------------------------------

# The name's parts; `_whole_names` writes the whole name in Python, by the one rule.
_NAME_PARTS = "json_array(t.given_name, t.family_name, t.nickname, t.language, t.formatted_name)"


def _whole_name(parts: str | None) -> str:
    if parts is None:
        return ""
    given, family, nickname, language, formatted = (str(p or "") for p in json.loads(parts))
    if not (given.strip() or family.strip() or nickname.strip() or formatted.strip()):
        return ""
    return display_name(given, family, nickname, language, formatted)


def _whole_names(_db: Database, rows: dict[int, Row]) -> None:
    """The name column's parts → the whole name as it is written ("王小明", "Nagy János");
    a contact with no name shows its e-mail, else its phone."""
    keys = CONTACTS.column_keys()
    name, email, phone = keys.index("name"), keys.index("email"), keys.index("phone")
    for contact_id, row in rows.items():
        whole = _whole_name(row[name]) or row[email] or row[phone] or ""
        rows[contact_id] = (*row[:name], whole, *row[name + 1 :])


CONTACTS = Listing(
    name="contacts",
    columns=(
        Column("given_name", N_("First name"), sql="t.given_name"),
        Column("family_name", N_("Last name"), sql="t.family_name"),
        Column("email", N_("E-mail"), sql=_first("address", "contact_email")),
        Column("phone", N_("Phone"), sql=_first("number", "contact_phone")),
        Column(
            "organization",
            N_("Organization"),
            sql="(SELECT o.name FROM affiliation a JOIN organization o ON o.id = a.organization_id"
            " WHERE a.contact_id = t.id ORDER BY a.id LIMIT 1)",
        ),
        Column("city", N_("City"), sql=_first("city", "contact_address")),
        Column("last_seen", N_("Last seen"), "instant", sql="t.last_seen"),
        # Last, so the columns before keep their places; views show it first. "Full name":
        # in French "Name" and "Last name" are both "Nom".
        Column("name", N_("Full name"), sql=_NAME_PARTS),
    ),
    source="FROM contact t",
    sort={
        "name": ("t.family_name COLLATE NOCASE", "t.given_name COLLATE NOCASE"),
        "given_name": ("t.given_name COLLATE NOCASE", "t.family_name COLLATE NOCASE"),
        "family_name": ("t.family_name COLLATE NOCASE", "t.given_name COLLATE NOCASE"),
        "last_seen": ("t.last_seen",),
    },
    search=contact_search,
    search_ids=_matching_contact_ids,
    adjust=_whole_names,
    filters={
        "tag": lambda tag, _all: (
            "t.id IN (SELECT ct.contact_id FROM contact_tag ct JOIN tag g ON g.id = ct.tag_id"
            " WHERE g.name = ? COLLATE NOCASE OR CAST(g.id AS TEXT) = ?)",
            [str(tag), str(tag)],
        ),
        "community": _in_community,
        # A role alone: that role in any community (with "community": in that one).
        "role": lambda role, chosen: (
            ("1", [])
            if chosen.get("community") not in (None, "")
            else ("t.id IN (SELECT m.contact_id FROM community_member m WHERE m.role = ?)", [role])
        ),
        "organization_kind": lambda kind, _all: (
            "t.id IN (SELECT a.contact_id FROM affiliation a JOIN organization o"
            " ON o.id = a.organization_id WHERE o.kind = ?)",
            [str(kind)],
        ),
        "city": lambda city, _all: (
            "t.id IN (SELECT x.contact_id FROM contact_address x WHERE x.city = ? COLLATE NOCASE)",
            [str(city)],
        ),
        # Birthdays in a month (1-12, or "this"), with or without their year.
        "birthday_month": lambda month, _all: (
            MONTH_SQL.format(column="t.birthday") + " = ?",
            [f"{month_number(month):02d}"],
        ),
        "not_seen_days": lambda days, _all: (
            "(t.last_seen IS NULL OR t.last_seen < ?)",
            [sql_instant(clock.now_utc() - dt.timedelta(days=int(days)))],
        ),
    },
)

# --- organizations --------------------------------------------------------------------------

_ORG_PEOPLE = "(SELECT count(*) FROM affiliation a WHERE a.organization_id = t.id)"

ORGANIZATIONS = Listing(
    name="organizations",
    columns=(
        Column("name", N_("Name"), sql="t.name"),
        Column("kind", N_("Kind"), "enum", sql="t.kind"),
        Column("city", N_("City"), sql="t.city"),
        Column("website", N_("Website"), sql="t.website"),
        Column("people", N_("People"), "int", sql=_ORG_PEOPLE),
    ),
    source="FROM organization t",
    sort={
        "name": ("t.name COLLATE NOCASE",),
        "kind": ("t.kind", "t.name COLLATE NOCASE"),
        "city": ("t.city COLLATE NOCASE", "t.name COLLATE NOCASE"),
        "people": (_ORG_PEOPLE, "t.name COLLATE NOCASE"),
    },
    search=lambda text, _db: _like(text, "t.name", "t.city", "t.notes"),
)

# --- communities ----------------------------------------------------------------------------

_MEMBERS = (
    "(SELECT count(DISTINCT m.contact_id) FROM community_member m WHERE m.community_id = t.id)"
)

COMMUNITIES = Listing(
    name="communities",
    columns=(
        Column("name", N_("Name"), sql="t.name"),
        Column("objective", N_("Objective"), sql="t.objective"),
        Column("pace_days", N_("Target pace (days)"), "int", sql="t.pace_days"),
        Column("members", N_("Members"), "int", sql=_MEMBERS),
        Column("launch_date", N_("Launch"), "date", sql="t.launch_date"),
    ),
    source="FROM community t",
    sort={
        "name": ("t.name COLLATE NOCASE",),
        "pace_days": ("t.pace_days", "t.name COLLATE NOCASE"),
        "members": (_MEMBERS, "t.name COLLATE NOCASE"),
        "launch_date": ("t.launch_date", "t.name COLLATE NOCASE"),
    },
    search=lambda text, _db: _like(text, "t.name", "t.objective"),
)

# --- events ---------------------------------------------------------------------------------

_EVENT_SOURCE = (
    "FROM event t LEFT JOIN community c ON c.id = t.community_id "
    "LEFT JOIN venue v ON v.id = t.venue_id"
)
_EVENT_COLUMNS = (
    Column("start", N_("Start"), "datetime", sql="t.start_local"),
    Column("title", N_("Title"), sql="t.title"),
    Column("kind", N_("Kind"), "kind", sql="t.kind"),
    Column("community", N_("Community"), sql="c.name"),
    Column("timezone", N_("Time zone"), sql="t.timezone"),
    Column("venue", N_("Venue"), sql="v.name"),
    Column("status", N_("Status"), "enum", sql="t.status"),
    Column("recurring", N_("Recurring"), "bool", sql="t.rrule != ''"),
    Column(
        "guests",
        N_("Guests"),
        "int",
        # People on the list, erased guests (no contact any more) counted anonymously.
        sql="(SELECT count(DISTINCT i.contact_id)"
        " + count(*) FILTER (WHERE i.contact_id IS NULL AND i.occurrence IS NULL)"
        " FROM invitation i WHERE i.event_id = t.id)",
    ),
)
_EVENT_SORT = {
    "start": ("t.start_utc",),
    "title": ("t.title COLLATE NOCASE",),
    "kind": ("t.kind", "t.start_utc"),
    "community": ("c.name COLLATE NOCASE", "t.start_utc"),
    "venue": ("v.name COLLATE NOCASE", "t.start_utc"),
    "status": ("t.status", "t.start_utc"),
}


def _event_search(text: str, _db: Database) -> Filter:
    return _like(text, "t.title", "t.description", "c.name", "v.name")


def _day_start_utc(value: Any) -> str:
    """Midnight of a day (a date or "YYYY-MM-DD") in the computer's zone, as stored."""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    midnight = dt.datetime.combine(day, dt.time()).replace(tzinfo=ZoneInfo(clock.local_zone_name()))
    return sql_instant(midnight)


def _events_from(value: Any, _all: Mapping[str, Any]) -> Filter:
    # A series begun earlier may still have occurrences from that day on.
    return ("(t.start_utc >= ? OR t.rrule != '')", [_day_start_utc(value)])


def _events_to(value: Any, _all: Mapping[str, Any]) -> Filter:
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return ("t.start_utc < ?", [_day_start_utc(day + dt.timedelta(days=1))])


# How far ahead the events list looks for a series' next date.
_SERIES_NEXT_HORIZON = dt.timedelta(days=800)


def _next_dates(db: Database, ids: Sequence[int]) -> dict[int, Occurrence]:
    """The series among `ids` that have a date to come, with that date."""
    found = _next_in_window(db, ids, _SERIES_NEXT_HORIZON)
    return {i: o for i, o in found.items() if o is not None}


def _refine_events(
    db: Database, ids: list[int], sort_key: str | None, descending: bool
) -> list[int]:
    """Sorted by date, a series takes the place of its next date (the date the list shows)."""
    if sort_key not in (None, "start"):
        return ids
    coming = _next_dates(db, ids)
    if not coming:
        return ids
    starts: dict[int, str] = {}
    with db.read() as con:
        for chunk, marks in in_chunks(ids):
            starts.update(
                con.execute(f"SELECT id, start_utc FROM event WHERE id IN ({marks})", chunk)
            )
    for event_id, occurrence in coming.items():
        starts[event_id] = sql_instant(occurrence.start_utc)
    return sorted(ids, key=lambda i: (starts[i], i), reverse=descending)


def _adjust_events(db: Database, rows: dict[int, Row]) -> None:
    """A series shows its next date; one with no date to come, the date it began."""
    for event_id, occurrence in _next_dates(db, list(rows)).items():
        rows[event_id] = (occurrence.start_local, *rows[event_id][1:])


EVENTS = Listing(
    name="events",
    columns=_EVENT_COLUMNS,
    source=_EVENT_SOURCE,
    sort=_EVENT_SORT,
    search=_event_search,
    refine=_refine_events,
    adjust=_adjust_events,
    filters={
        "status": lambda status, _all: ("t.status = ?", [str(status)]),
        "kind": lambda kind, _all: ("t.kind = ?", [str(kind)]),
        "community": lambda community, _all: (
            "(c.name = ? COLLATE NOCASE OR CAST(c.id AS TEXT) = ?)",
            [str(community), str(community)],
        ),
        "from": _events_from,  # a day, inclusive
        "to": _events_to,  # a day, inclusive
    },
)


def _next_two_weeks() -> Filter:
    now = clock.now_utc()
    horizon = sql_instant(now + dt.timedelta(days=14))
    # A series that started before the horizon has occurrences in it until issue 4 expands
    # recurrences properly; one-off events must start inside the window.
    return (
        "t.status != 'cancelled' AND t.start_utc < ? AND (t.start_utc >= ? OR t.rrule != '')",
        [horizon, sql_instant(now)],
    )


def _next_in_window(
    db: Database, ids: Sequence[int], horizon: dt.timedelta = dt.timedelta(days=14)
) -> dict[int, Occurrence | None]:
    """For the recurring events among `ids`: their next occurrence within `horizon`."""
    # imported on use, not at the top: the contact lists (and `contacts list`) do without
    from cmplanner.recurrence import Override

    now = clock.now_utc().replace(second=0, microsecond=0)
    found: dict[int, Occurrence | None] = {}
    if not ids:
        return found
    marks = ",".join("?" * len(ids))
    overrides: dict[int, list[Override]] = {}
    with db.read() as con:
        series = con.execute(
            "SELECT id, start_local, end_local, timezone, rrule FROM event"
            f" WHERE rrule != '' AND id IN ({marks})",
            list(ids),
        ).fetchall()
        for event_id, rid, cancelled, begin, end in con.execute(
            "SELECT event_id, recurrence_id, cancelled, start_local, end_local"
            f" FROM occurrence_exception WHERE event_id IN ({marks})",
            list(ids),
        ):
            overrides.setdefault(event_id, []).append(
                Override(
                    dt.datetime.fromisoformat(rid),
                    bool(cancelled),
                    dt.datetime.fromisoformat(begin) if begin else None,
                    dt.datetime.fromisoformat(end) if end else None,
                )
            )
    for event_id, begin, end, zone, rule in series:
        found[event_id] = _next_cached(
            begin, end, zone, rule, tuple(overrides.get(event_id, ())), now, horizon
        )
    return found


@functools.lru_cache(maxsize=4096)
def _next_cached(
    begin: str,
    end: str,
    zone: str,
    rule: str,
    overrides: tuple[Override, ...],
    now: dt.datetime,
    horizon: dt.timedelta,
) -> Occurrence | None:
    """Pure, so cached: the ids query and the rows query of one refresh share the work."""
    # imported on use, not at the top: the contact lists (and `contacts list`) do without
    from cmplanner.recurrence import next_occurrence

    return next_occurrence(
        dt.datetime.fromisoformat(begin),
        dt.datetime.fromisoformat(end),
        zone,
        rule,
        overrides,
        after_utc=now,
        horizon=horizon,
    )


def _refine_upcoming(
    db: Database, ids: list[int], sort_key: str | None, descending: bool
) -> list[int]:
    """Drop series with no occurrence in the window; order series by their next date."""
    upcoming = _next_in_window(db, ids)
    kept = [i for i in ids if upcoming.get(i, True) is not None]
    if sort_key not in (None, "start"):
        return kept
    with db.read() as con:
        marks = ",".join("?" * len(kept))
        starts = dict(
            con.execute(f"SELECT id, start_utc FROM event WHERE id IN ({marks})", kept).fetchall()
        )
    for event_id, occurrence in upcoming.items():
        if occurrence is not None:
            starts[event_id] = sql_instant(occurrence.start_utc)
    return sorted(kept, key=lambda i: (starts[i], i), reverse=descending)


def _adjust_upcoming(db: Database, rows: dict[int, Row]) -> None:
    """A series shows the date of its next occurrence, not the date it began."""
    for event_id, occurrence in _next_in_window(db, list(rows)).items():
        if occurrence is not None:
            rows[event_id] = (occurrence.start_local, *rows[event_id][1:])


UPCOMING = Listing(
    name="upcoming",
    columns=_EVENT_COLUMNS,
    source=_EVENT_SOURCE,
    sort=_EVENT_SORT,
    search=_event_search,
    scope=_next_two_weeks,
    refine=_refine_upcoming,
    adjust=_adjust_upcoming,
)

# --- tasks ----------------------------------------------------------------------------------

_TASK_DUE = (
    "coalesce(t.due_date,"
    " date(coalesce(t.occurrence, e.start_local), printf('%+d days', t.due_offset_days)))"
)
# The assignee's name parts; `_name_assignees` writes the whole name (one rule, in Python).
_ASSIGNEE = (
    "(SELECT json_array(a.given_name, a.family_name, a.nickname, a.language, a.formatted_name)"
    " FROM contact a"
    " WHERE a.id = t.assignee_id)"
)
# Sorting only: family name, then given name.
_ASSIGNEE_ORDER = (
    "(SELECT a.family_name || ' ' || a.given_name FROM contact a WHERE a.id = t.assignee_id)"
)

TASK_WINDOWS = ("overdue", "today", "week")


def _name_assignees(_db: Database, rows: dict[int, Row]) -> None:
    """The assignee column's name parts → the whole name, as `display_name` writes it."""
    column = TASKS.column_keys().index("assignee")
    for task_id, row in rows.items():
        if row[column] is not None:
            rows[task_id] = (*row[:column], _whole_name(row[column]), *row[column + 1 :])


def _task_window(window: str) -> Filter:
    """Tasks due in a window against today: overdue (not done), today, the next 7 days."""
    today = clock.today()
    if window == "overdue":
        return (f"t.done = 0 AND {_TASK_DUE} < ?", [today.isoformat()])
    if window == "today":
        return (f"{_TASK_DUE} = ?", [today.isoformat()])
    if window == "week":
        end = today + dt.timedelta(days=7)
        return (f"{_TASK_DUE} BETWEEN ? AND ?", [today.isoformat(), end.isoformat()])
    raise KeyError(f"no due window {window!r}")


TASKS = Listing(
    name="tasks",
    columns=(
        Column("due", N_("Due"), "date", sql=_TASK_DUE),
        Column("title", N_("Task"), sql="t.title"),
        Column("event", N_("Event"), sql="e.title"),
        Column("assignee", N_("Assignee"), sql=_ASSIGNEE),
        Column("done", N_("Done"), "bool", sql="t.done"),
    ),
    source="FROM task t LEFT JOIN event e ON e.id = t.event_id",
    sort={
        "due": ("t.done", _TASK_DUE),
        "title": ("t.title COLLATE NOCASE",),
        "event": ("e.title COLLATE NOCASE", _TASK_DUE),
        "assignee": (f"{_ASSIGNEE_ORDER} COLLATE NOCASE", _TASK_DUE),
        "done": ("t.done", _TASK_DUE),
    },
    search=lambda text, _db: _like(text, "t.title", "t.notes", "e.title"),
    filters={
        "assignee": lambda assignee, _all: ("t.assignee_id = ?", [int(assignee)]),
        "event": lambda event, _all: ("t.event_id = ?", [int(event)]),
        "due": lambda window, _all: _task_window(str(window)),
    },
    adjust=_name_assignees,
)

LISTINGS: dict[str, Listing] = {
    listing.name: listing
    for listing in (CONTACTS, ORGANIZATIONS, COMMUNITIES, EVENTS, UPCOMING, TASKS)
}
