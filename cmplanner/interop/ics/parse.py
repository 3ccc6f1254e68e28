"""Reading a calendar (.ics): bytes or text in, plain values out; never the database.

A cheap check of the content lines first (BEGIN/END balance, ``NAME;PARAM=…:VALUE`` shape),
mapped back to the file's physical line numbers, then icalendar. A malformed file raises
`IcsRefused` naming the line. `parse_bytes` returns a `ParsedCalendar`: one `ImportedEvent` per
UID (the series with its skipped and moved occurrences), and warnings naming the event.

Decisions (reported to the user as warnings where they apply):
- an unknown TZID (no VTIMEZONE, not an IANA or Windows name) is read as the calendar's zone
  (X-WR-TIMEZONE, else the computer's): the event is imported and the warning says so;
- a custom VTIMEZONE with a non-IANA TZID is mapped to the IANA zone with the same UTC offsets
  over the event's years (the computer's zone first when it fits);
- DATE-TIMEs in UTC and floating ones are converted to / read in the calendar's zone, except
  the start of a series in UTC: it keeps the zone "UTC" (RFC 5545 expands it in UTC: the same
  UTC time every week across daylight-saving changes; export writes it back in UTC).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import warnings
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from cmplanner import clock
from cmplanner.errors import ValidationError
from cmplanner.i18n import _, ngettext
from cmplanner.interop import without_controls
from cmplanner.interop.ics import export as x
from cmplanner.interop.ics.export import STATUS, STATUS_PROPERTY
from cmplanner.model.enums import _LABELS, DEFAULT_EVENT_KINDS, kind_label
from cmplanner.services.events import normalize_rrule, one_line
from cmplanner.timezones import FIRST_DAY, LAST_DAY, check_day

_RSVP = {
    "ACCEPTED": "accepted",
    "DECLINED": "declined",
    "TENTATIVE": "tentative",
    "NEEDS-ACTION": "needs-action",
}
_STATUS = {"TENTATIVE": "planned", "CONFIRMED": "confirmed", "CANCELLED": "cancelled"}
_OUR_STATUSES = frozenset(("idea", "planned", "confirmed", "done", "cancelled"))


class IcsRefused(ValidationError):
    """The calendar cannot be imported as it is; the message says where and why (`line` and
    `reason` apart, when it is about one line)."""

    def __init__(self, message: str, line: int | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.reason = reason or message


def _refused(line: int, why: str) -> IcsRefused:
    return IcsRefused(_line_message(line, why), line, why)


@dataclass(frozen=True)
class Skipped:
    """A component left out by `skip_invalid`: where it is, and what is wrong in which line."""

    line: int  # the line found wrong
    where: str  # the component: "“Title” (line 12)", "VTIMEZONE (line 4)", or the line
    reason: str

    def text(self) -> str:
        return _("{where}: line {line}: {why}").format(
            where=self.where, line=self.line, why=self.reason
        )


# --- the line-level check --------------------------------------------------------------------

_NAME = r"[A-Za-z0-9_-]+"
_PARAM_VALUE = r'(?:"[^"]*"|[^";:,]*)'
_LINE = re.compile(rf"({_NAME})((?:;{_NAME}={_PARAM_VALUE}(?:,{_PARAM_VALUE})*)*):(.*)", re.DOTALL)
_NAME_ONLY = re.compile(_NAME)
_BREAK = re.compile(r"\r\n|\n|\r")
_BEGIN_END = re.compile(r"(BEGIN|END):(.*)", re.IGNORECASE | re.DOTALL)
_EXTENSION = re.compile(r"X-[A-Za-z0-9_-]*", re.IGNORECASE)
# The components CM Planner reads, under their parent: any other (VTODO, VJOURNAL, VFREEBUSY,
# VALARM, a vendor's X-…) is only checked for its BEGIN/END, its lines never read: a broken
# one beside good events never refuses a file.
_READ = {
    None: "VCALENDAR",
    "VCALENDAR": ("VEVENT", "VTIMEZONE"),
    "VTIMEZONE": ("STANDARD", "DAYLIGHT"),
}


@dataclass
class Block:
    """A component of the file (VEVENT, VTIMEZONE…) as the line check saw it."""

    name: str
    line: int  # its BEGIN line
    calendar: int = 0  # which VCALENDAR of the file holds it
    # Its own properties as read: NAME → (parameters text, raw value, physical line).
    raw: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    read: bool = True  # False: a component CM Planner does not import (structure only)
    invalid: tuple[int, str] | None = None  # skip_invalid: the first wrong line, and why

    @property
    def properties(self) -> dict[str, list[int]]:
        """NAME → the physical lines of its own properties."""
        return {name: [entry[2] for entry in found] for name, found in self.raw.items()}

    def where(self) -> str:
        if self.name == "VEVENT":
            summary = self.raw.get("SUMMARY")
            title = one_line(_icalendar().unescape(summary[0][1])) if summary else ""
            return _("“{title}” (line {line})").format(
                title=title or _("(no title)"), line=self.line
            )
        return f"{self.name} (" + _("line {line}").format(line=self.line) + ")"


@dataclass
class _Scan:
    blocks: list[Block]
    # The calendars' own lines and their time zones' (what icalendar parses), each with the
    # top-level VTIMEZONE it belongs to.
    outside: list[tuple[Block | None, str]]
    notes: list[tuple[str, str]]  # warnings: (where, message)
    skipped: list[Skipped]

    def frame(self) -> str:
        """The calendars and their time zones, but the invalid ones."""
        kept = [line for zone, line in self.outside if zone is None or zone.invalid is None]
        return "\r\n".join(kept) + "\r\n"

    def zones(self) -> list[tuple[Block, list[str]]]:
        """Each top-level VTIMEZONE with its lines."""
        found: dict[int, tuple[Block, list[str]]] = {}
        for zone, line in self.outside:
            if zone is not None:
                found.setdefault(zone.line, (zone, []))[1].append(line)
        return list(found.values())


def check_lines(text: str) -> list[Block]:
    """The file's components in order, each with the lines of its own properties; raises
    `IcsRefused` naming the first malformed line."""
    return _scan(text).blocks


def _scan(text: str, skip_invalid: bool = False, events: bool = True) -> _Scan:
    """check_lines, plus the file without its VEVENTs (calendars and time zones: what
    icalendar still parses; the events' values are parsed one by one, when read).
    `events=False`: without the VEVENTs (`_events` reads them again, one at a time: a big
    file's events are never all in memory)."""
    walk = _walk(text, skip_invalid, events, events)
    while True:
        try:
            next(walk)
        except StopIteration as done:
            scan: _Scan = done.value
            return scan


def _events(text: str, skip_invalid: bool) -> Iterator[Block]:
    """Each VEVENT of the calendar with its properties, as soon as its END is read (the
    file passed `_scan` already: nothing new is refused)."""
    yield from _walk(text, skip_invalid, True, False)


def _walk(
    text: str, skip_invalid: bool, events: bool, listed: bool
) -> Generator[Block, None, _Scan]:
    """`_scan`, yielding each VEVENT's block as it closes; `listed`: the VEVENTs are in the
    scan's blocks too.

    Tolerated always: text after the last END:VCALENDAR, an unreadable X- line (an
    extension nobody reads), anything inside a component we do not import. With
    `skip_invalid`, a malformed line makes its VEVENT or VTIMEZONE skipped (a calendar-level
    line: that line) instead of refusing the file; a broken structure (BEGIN/END) still
    refuses it."""
    blocks: list[Block] = []
    stack: list[Block] = []
    seen_calendar = False
    calendars = -1
    outside: list[tuple[Block | None, str]] = []  # (the top-level VTIMEZONE it is in, line)
    notes: list[tuple[str, str]] = []
    skipped: list[Skipped] = []
    trailing: list[int] = []
    for number, line in _logical_lines(text):
        head = _BEGIN_END.fullmatch(line.strip())
        if not stack and seen_calendar and (head is None or head.group(1).upper() == "END"):
            trailing.append(number)  # a producer's comment after the calendar
            continue
        if stack and not stack[-1].read:  # inside a component we do not import
            _structure(head, number, stack, blocks, calendars)
            continue
        if head is not None:
            in_event = any(b.name == "VEVENT" for b in stack)
            if head.group(1).upper() == "BEGIN":
                if not stack:
                    calendars += 1
                    seen_calendar = True
                _structure(head, number, stack, blocks, calendars)
                opened = stack[-1]
                if not listed and opened.name == "VEVENT" and blocks and blocks[-1] is opened:
                    blocks.pop()  # yielded when it closes: nobody needs the list of them
                if opened.read and not in_event and opened.name != "VEVENT":
                    outside.append((_zone_of(stack), line))
            else:
                closed, zone = (stack[-1], _zone_of(stack)) if stack else (None, None)
                _structure(head, number, stack, blocks, calendars)
                if closed is not None and closed.read and not in_event:
                    outside.append((zone, line))
                if closed is not None and closed.read and closed.name == "VEVENT":
                    yield closed
            continue
        m = _LINE.fullmatch(line)
        if m is None:
            _unreadable(number, line, stack, notes, skipped, skip_invalid)
            continue
        name, _params, raw_value = m.groups()
        if not stack or name.upper() in ("BEGIN", "END"):
            raise _refused(number, _("“{text}” outside BEGIN:VCALENDAR").format(text=_cut(line)))
        if not any(b.name == "VEVENT" for b in stack):
            outside.append((_zone_of(stack), line))
        elif not events:
            continue
        stack[-1].raw.setdefault(name.upper(), []).append((_params[1:], raw_value, number))
    if stack:
        raise _refused(
            stack[-1].line,
            _("BEGIN:{name} is never closed (END:{name} is missing)").format(name=stack[-1].name),
        )
    if not seen_calendar:
        raise IcsRefused(_("This is not an iCalendar file: it has no BEGIN:VCALENDAR."))
    if trailing:
        notes.append(
            (
                _("line {line}").format(line=trailing[0]),
                ngettext(
                    "text after END:VCALENDAR is ignored ({n} line)",
                    "text after END:VCALENDAR is ignored ({n} lines)",
                    len(trailing),
                ).format(n=len(trailing)),
            )
        )
    return _Scan(blocks, outside, notes, skipped)


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """The unfolded content lines, each with its first physical line's number, one at a
    time (a big file's lines are never all in memory)."""
    first = 0
    parts: list[str] = []  # joined once: a line folded 100,000 times was copied 100,000 times
    for number, raw in enumerate(_physical_lines(text), start=1):
        if raw[:1] in (" ", "\t") and parts:
            parts.append(raw[1:])
        elif raw.strip():
            if parts:
                yield first, "".join(parts)
            first, parts = number, [raw]
    if parts:
        yield first, "".join(parts)


def _physical_lines(text: str, chunk: int = 1 << 20) -> Iterator[str]:
    """`_BREAK.split(text)`, a `chunk` of the text at a time (cut after a line break, never
    inside a CR LF): at most that much of the file is split into lines at once."""
    start = 0
    while len(text) - start > chunk:
        end = start + chunk
        cut = max(text.rfind("\n", start, end), text.rfind("\r", start, end))
        if cut < start:  # one line longer than a chunk: up to its end
            found = _BREAK.search(text, end)
            if found is None:
                break
            cut = found.end() - 1
        elif text[cut] == "\r" and text[cut + 1 : cut + 2] == "\n":
            cut += 1
        lines = _BREAK.split(text[start : cut + 1])
        lines.pop()  # the empty text after the chunk's last line break
        yield from lines
        start = cut + 1
    yield from _BREAK.split(text[start:])


def _unreadable(
    number: int,
    line: str,
    stack: list[Block],
    notes: list[tuple[str, str]],
    skipped: list[Skipped],
    skip_invalid: bool,
) -> None:
    """A malformed line: an X- one is ignored with a note; with `skip_invalid` its VEVENT or
    VTIMEZONE (or, at the calendar's level, the line) is skipped; else the file is refused."""
    why = _malformed(line)
    if stack and _EXTENSION.match(line):
        notes.append(
            (
                _("line {line}").format(line=number),
                _("the unreadable line “{text}” is ignored ({why})").format(
                    text=_cut(line), why=why
                ),
            )
        )
        return
    if not skip_invalid or not stack:
        raise _refused(number, why)
    owner = next((b for b in stack if b.name in ("VEVENT", "VTIMEZONE")), None)
    if owner is None:  # a line of the calendar itself: only that line
        skipped.append(Skipped(number, stack[0].where(), why))
    elif owner.invalid is None:
        owner.invalid = (number, why)


def _malformed(line: str) -> str:
    if ":" not in line:
        return _("“{text}” has no “:” between a name and a value").format(text=_cut(line))
    return _("“{text}” is not a NAME:VALUE line (bad name or parameter)").format(text=_cut(line))


def _zone_of(stack: list[Block]) -> Block | None:
    """The top-level VTIMEZONE the current line is in, if any."""
    return stack[1] if len(stack) > 1 and stack[1].name == "VTIMEZONE" else None


def _structure(
    head: re.Match[str] | None,
    number: int,
    stack: list[Block],
    blocks: list[Block],
    calendar: int,
) -> None:
    """A BEGIN or END line (anything else is ignored: the caller is inside a component we
    do not read): the stack follows, a broken structure refuses the file."""
    if head is None:
        return
    kind, value = head.group(1).upper(), head.group(2).strip()
    if kind == "BEGIN":
        if not _NAME_ONLY.fullmatch(value):
            raise _refused(number, _("bad component name “{name}”").format(name=_cut(value)))
        value = value.upper()
        if not stack and value != "VCALENDAR":
            raise _refused(number, _("“BEGIN:{name}” outside BEGIN:VCALENDAR").format(name=value))
        parent = stack[-1] if stack else None
        wanted = _READ.get(parent.name if parent is not None else None, ())
        read = (parent is None or parent.read) and value in wanted
        block = Block(value, number, calendar=calendar, read=read)
        if read:
            blocks.append(block)
        stack.append(block)
        return
    if not stack:
        raise _refused(number, _("“END:{name}” without its BEGIN").format(name=value))
    if value.upper() != stack[-1].name:
        raise _refused(
            number,
            _("“END:{name}” where END:{expected} was expected").format(
                name=_cut(value), expected=stack[-1].name
            ),
        )
    stack.pop()


def _cut(text: str, size: int = 40) -> str:
    """`text` (a line of the file, a library's message) as a message quotes it: on one line,
    its control characters as spaces, at most `size` characters."""
    text = one_line(text)
    return text if len(text) <= size else text[: size - 1] + "…"


def error_text(exc: Exception) -> str:
    """icalendar's message on one short line: it quotes the value it could not read, which
    may be a megabyte of anything (a run of carriage returns, a pasted file)."""
    return _cut(str(exc), 200) or type(exc).__name__


def _line_message(line: int, why: str) -> str:
    return _("The calendar was not imported: line {line}: {why}.").format(line=line, why=why)


def decode_text(data: bytes) -> str:
    if not data.strip():
        raise IcsRefused(_("The file is empty."))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return without_controls(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise IcsRefused(_("The file is not readable text.")) from exc
    if b"\x00" in data:
        raise IcsRefused(_("This is a binary file, not a calendar (.ics)."))
    try:
        return without_controls(data.decode("utf-8"))
    except UnicodeDecodeError:
        return without_controls(data.decode("cp1252", errors="replace"))


# --- parsed events ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedGuest:
    email: str  # lower case
    name: str
    rsvp: str


@dataclass(frozen=True)
class ImportedOverride:
    """A skipped (EXDATE, STATUS:CANCELLED) or moved (RECURRENCE-ID) occurrence."""

    recurrence_id: dt.datetime  # the original local start, in the series' zone
    cancelled: bool
    start_local: dt.datetime | None = None
    end_local: dt.datetime | None = None
    status: str = ""
    guests: tuple[ImportedGuest, ...] = ()  # answers for this occurrence only
    title: str = ""  # its own SUMMARY, "" when it is the series'


@dataclass(frozen=True)
class Venue:
    name: str
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""
    access: str = ""

    @staticmethod
    def from_location(location: str) -> Venue | None:
        if not location:
            return None
        name, street, postal_code, city = _venue_name(location)
        return Venue(name, street, postal_code, city)


@dataclass
class ImportedEvent:
    uid: str
    line: int
    sequence: int
    title: str
    kind: str | None  # None: no category matched a kind
    status: str
    start_local: dt.datetime
    end_local: dt.datetime
    timezone: str
    all_day: bool
    rrule: str
    description: str
    url: str
    location: str
    latitude: float | None
    longitude: float | None
    guests: tuple[ImportedGuest, ...]
    overrides: list[ImportedOverride] = field(default_factory=list)
    # What only CM Planner's own files say (X-CMPLANNER-…); None: the file does not say, an
    # update keeps the database's value.
    objective: str | None = None
    capacity: int | None = None
    community: str | None = None
    in_person: bool | None = None
    venue: Venue | None = None  # the venue's own fields; None: from LOCATION
    ours: bool = False  # written by CM Planner: the fields above say all (None = none)

    def venue_fields(self) -> Venue | None:
        if self.venue is None and not self.ours and self.location:
            self.venue = Venue.from_location(self.location)  # once: LOCATION is read twice
        return self.venue

    def where(self) -> str:
        return _("“{title}” (line {line})").format(title=self.title, line=self.line)


@dataclass
class ParsedCalendar:
    events: list[ImportedEvent]
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (where, message)
    zone: str = "UTC"  # the calendar's zone: X-WR-TIMEZONE or the computer's
    # RECURRENCE-IDs whose series is not in the file: UID → their lines
    orphans: dict[str, list[int]] = field(default_factory=dict)
    # …each to be read against its series when the database has it (plan_import)
    occurrence_messages: list[OccurrenceMessage] = field(default_factory=list)
    # METHOD:CANCEL of a whole event: (UID, line, SEQUENCE); it only cancels the event here
    cancellations: list[tuple[str, int, int]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # skip_invalid: what was left out


@dataclass(frozen=True)
class OccurrenceMessage:
    """A component about one occurrence (RECURRENCE-ID) whose series is not in the file: a
    CANCEL or REQUEST for one date, as calendar programs send it. `read(series)` adds its
    override to `series.overrides` (its warnings go to the parsed calendar's)."""

    uid: str
    line: int
    sequence: int
    read: Callable[[ImportedEvent], None]


# --- time zones ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _iana(name: str) -> str | None:
    """`name` if it is an IANA zone, else its Windows equivalent's IANA name, else None."""
    # imported on use, not at the top: keeps it off the start-up path
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    name = name.strip().strip('"')
    if not name:
        return None
    if "/" in name and name.startswith("/"):  # a vendor's globally unique prefix
        name = name.split("/", 3)[-1] if name.count("/") >= 3 else name.lstrip("/")
    try:
        ZoneInfo(name)
        return name
    except (ValueError, KeyError, OSError):
        pass
    except Exception:  # ZoneInfoNotFoundError
        pass
    found = WINDOWS_TO_OLSON.get(name)
    return str(found) if found else None


class _Zones:
    """Finds the IANA zone of a custom VTIMEZONE by its UTC offsets; remembers answers."""

    def __init__(self, preferred: str) -> None:
        self.preferred = preferred
        self._found: dict[tuple[str, int], str | None] = {}
        self._all: list[str] | None = None

    def match(self, tzinfo: dt.tzinfo, tzid: str, year: int) -> str | None:
        key = (tzid, year)
        if key not in self._found:
            self._found[key] = self._search(tzinfo, tzid, year)
        return self._found[key]

    def _search(self, tzinfo: dt.tzinfo, tzid: str, year: int) -> str | None:
        instants = [
            dt.datetime(year, 1, 1, 12, tzinfo=dt.UTC) + dt.timedelta(days=i) for i in range(366)
        ]
        try:
            wanted = [i.astimezone(tzinfo).utcoffset() for i in instants]
        except Exception:
            return None
        if self._all is None:
            self._all = sorted(available_timezones(), key=_canonical_first)
        spoken = " ".join(re.findall(r"[a-z]+", tzid.lower()))
        candidates = [c for c in (_iana(tzid), self.preferred) if c]
        # "Heure de New York" names America/New_York: the zone's city in the TZID's words.
        candidates += [
            z
            for z in self._all
            if "/" in z and z.rsplit("/", 1)[1].lower().replace("_", " ") in spoken
        ]
        candidates += self._all
        sample = list(range(0, len(instants), 15))  # a quick look before the whole year
        for name in dict.fromkeys(candidates):
            try:
                zone = ZoneInfo(name)
            except Exception:
                continue
            if all(instants[k].astimezone(zone).utcoffset() == wanted[k] for k in sample) and all(
                i.astimezone(zone).utcoffset() == w for i, w in zip(instants, wanted, strict=True)
            ):
                return name
        return None


_UTC_NAMES = frozenset(("UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Zulu", "Zulu", "Z", "GMT",
                        "Etc/GMT", "Etc/GMT0", "GMT0", "Etc/Universal", "Universal"))  # fmt: skip
_REGIONS = ("Europe", "America", "Africa", "Asia", "Australia", "Pacific", "Atlantic", "Indian")


def _canonical_first(name: str) -> tuple[int, str]:
    """Zones under a continent first: "America/Vancouver" before its alias "Canada/Pacific"."""
    return (0 if name.split("/")[0] in _REGIONS else 1, name)


# --- parsing ---------------------------------------------------------------------------------


def parse_file(
    path: Path | str,
    *,
    zone: str | None = None,
    kinds: Sequence[str] = (),
    own_email: str = "",
    skip_invalid: bool = False,
) -> ParsedCalendar:
    try:
        text = decode_text(Path(path).read_bytes())  # the bytes freed once decoded
    except OSError as exc:
        raise IcsRefused(
            _("Cannot read {path}: {error}").format(path=path, error=exc.strerror or exc)
        ) from exc
    return _parse_text(text, zone, kinds, own_email, skip_invalid)


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value) if value is not None else ""


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def parse_bytes(
    data: bytes,
    *,
    zone: str | None = None,
    kinds: Sequence[str] = (),
    own_email: str = "",
    skip_invalid: bool = False,
) -> ParsedCalendar:
    """Read a calendar into events (nothing is written). `zone` is the computer's zone (the
    system's by default); `kinds` the kinds CATEGORIES may name besides the default ones;
    `own_email` the CM's address, never made a guest. With `skip_invalid`, an event or time
    zone that cannot be read is left out and listed in `skipped` instead of refusing the
    whole file."""
    return _parse_text(decode_text(data), zone, kinds, own_email, skip_invalid)


def _parse_text(
    text: str, zone: str | None, kinds: Sequence[str], own_email: str, skip_invalid: bool
) -> ParsedCalendar:
    scan = _scan(text, skip_invalid, events=False)
    calendars = _calendars(scan, text, skip_invalid)
    system = zone or clock.local_zone_name()
    reader = _Reader(system, kinds, own_email.strip().lower())
    reader.warnings += scan.notes
    masters: dict[str, ImportedEvent] = {}
    overrides: list[tuple[Any, Block, bool]] = []
    skipped = scan.skipped
    with warnings.catch_warnings():  # icalendar's, about values it reads anyway
        warnings.simplefilter("ignore")
        cancellations: list[tuple[str, int, int]] = []
        _read_events(
            _events(text, skip_invalid),
            calendars,
            reader,
            masters,
            overrides,
            skipped,
            skip_invalid,
            cancellations,
        )
        parsed = ParsedCalendar(list(masters.values()), reader.warnings, reader.zone)
        parsed.cancellations = cancellations
        parsed.skipped = skipped
        for component, block, cancel in overrides:
            uid = _text(component.get("UID")).strip()
            master = masters.get(uid)
            if master is None:
                parsed.orphans.setdefault(uid, []).append(block.line)
                parsed.occurrence_messages.append(
                    OccurrenceMessage(
                        uid,
                        block.line,
                        _int(component.get("SEQUENCE")),
                        functools.partial(
                            _read_override,
                            reader,
                            component,
                            block,
                            cancel,
                            skipped if skip_invalid else None,
                        ),
                    )
                )
                continue
            _read_override(
                reader, component, block, cancel, skipped if skip_invalid else None, master
            )
    return parsed


def _calendars(scan: _Scan, text: str, skip_invalid: bool) -> list[Any]:
    """The calendars and their VTIMEZONEs, parsed by icalendar (which keeps the zones for
    the TZIDs the events name). With `skip_invalid`, a time zone icalendar cannot read is
    left out (its events are read in the calendar's zone, with a warning)."""
    # imported on use, not at the top: keeps it off the start-up path
    import icalendar

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return list(icalendar.Calendar.from_ical(scan.frame(), multiple=True))
        except Exception as exc:  # icalendar raises ValueError and others, without a line
            if not skip_invalid:
                raise IcsRefused(_locate_error(scan.blocks, text, exc)) from exc
            error = exc
        for zone, lines in scan.zones():
            try:
                body = "\r\n".join(["BEGIN:VCALENDAR", *lines, "END:VCALENDAR", ""])
                icalendar.Calendar.from_ical(body)
            except Exception as exc:
                zone.invalid = (zone.line, _cut(str(exc), 80) or type(exc).__name__)
                scan.skipped.append(Skipped(zone.line, zone.where(), zone.invalid[1]))
        try:
            return list(icalendar.Calendar.from_ical(scan.frame(), multiple=True))
        except Exception:
            raise IcsRefused(_locate_error(scan.blocks, text, error)) from error


def _read_override(
    reader: _Reader,
    component: Any,
    block: Block,
    cancel: bool,
    skipped: list[Skipped] | None,
    master: ImportedEvent,
) -> None:
    """An override into its series; with a `skipped` list (skip_invalid), one that cannot
    be read is listed there instead of refusing the file."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            try:
                reader.override(master, component, block, cancel)
            except OverflowError:
                raise _beyond_calendar(block) from None
        except IcsRefused as exc:
            if skipped is None:
                raise
            skipped.append(Skipped(exc.line or block.line, block.where(), exc.reason))


def _beyond_calendar(block: Block) -> IcsRefused:
    """A date (or a date shifted by its time zone) beyond any Python can hold."""
    return _refused(
        block.line,
        _("a date of {where} is out of the calendar's range ({first} to {last})").format(
            where=block.where(), first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat()
        ),
    )


def _read_events(
    blocks: Iterable[Block],
    calendars: list[Any],
    reader: _Reader,
    masters: dict[str, ImportedEvent],
    overrides: list[tuple[Any, Block, bool]],
    skipped: list[Skipped],
    skip_invalid: bool,
    cancellations: list[tuple[str, int, int]],
) -> None:
    """Each VEVENT in file order, read with its calendar's zone: series and single events
    into `masters` (by UID), RECURRENCE-ID overrides into `overrides` (read after, with
    whether their calendar is a METHOD:CANCEL), a METHOD:CANCEL of a whole event into
    `cancellations` (it says little else: no title, often no end). With `skip_invalid`, an
    event that cannot be read goes to `skipped` instead of refusing the file."""
    current = -1
    cancel = False
    for block in blocks:
        if block.name != "VEVENT":
            continue
        if block.calendar != current:
            current = block.calendar
            calendar = calendars[current] if current < len(calendars) else {}
            reader.calendar_zone(_text(calendar.get("X-WR-TIMEZONE")))
            cancel = _text(calendar.get("METHOD")).strip().upper() == "CANCEL"
        if block.invalid is not None:
            skipped.append(Skipped(block.invalid[0], block.where(), block.invalid[1]))
            continue
        component = _Component(block)
        try:
            if component.get("RECURRENCE-ID") is not None:
                overrides.append((component, block, cancel))
                continue
            if cancel:
                uid = _text(component.get("UID")).strip()
                cancellations.append((uid, block.line, _int(component.get("SEQUENCE"))))
                continue
            try:
                event = reader.event(component, block)
            except OverflowError:
                raise _beyond_calendar(block) from None
        except IcsRefused as exc:
            if not skip_invalid:
                raise
            skipped.append(Skipped(exc.line or block.line, block.where(), exc.reason))
            continue
        block.raw = {}  # read: its lines need not stay in memory
        if event is None:
            continue
        if event.uid in masters:
            reader.warn(
                event,
                _(
                    "the same UID appears twice in the file (line {line}): the last one is kept"
                ).format(line=masters[event.uid].line),
            )
        masters[event.uid] = event


def _locate_error(blocks: list[Block], text: str, exc: Exception) -> str:
    """icalendar's error, with the line it is about when the message quotes a property."""
    message, whole = error_text(exc), str(exc)  # the line is looked for with all it quotes
    needles = [a or b for a, b in re.findall(r"'([^']{3,})'|\"([^\"]{3,})\"", whole)]
    needles += [t for t in re.findall(r"[^\s,;:'\"]*\d[^\s,;:'\"]*", whole) if len(t) >= 4]
    lines = _BREAK.split(text)
    for needle in needles:
        for number, line in enumerate(lines, start=1):
            if needle in line:
                return _line_message(number, message)
    return _("The calendar was not imported: {error}").format(error=message)


class _Component:
    """A VEVENT as the line check read it. A property is parsed (by icalendar's own value
    types, as icalendar.Calendar.from_ical would) only when the reader asks for it: most of a
    file's lines (DTSTAMP, CREATED, alarms…) are never needed, and splitting every line with
    icalendar was most of an import's time. A value that cannot be read refuses the file,
    naming its line."""

    __slots__ = ("_block", "_parsed")

    def __init__(self, block: Block) -> None:
        self._block = block
        self._parsed: dict[str, Any] = {}

    def get(self, name: str, default: Any = None) -> Any:
        name = name.upper()
        if name in self._parsed:
            return self._parsed[name]
        entries = self._block.raw.get(name)
        if not entries:
            return default
        values: list[Any] = []
        for params, value, line in entries:
            values.extend(_property(name, params, value, line))
        found = (values[0] if len(values) == 1 else values) if values else default
        self._parsed[name] = found
        return found

    def __getitem__(self, name: str) -> Any:
        found = self.get(name)
        if found is None:
            raise KeyError(name)
        return found

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.upper() in self._block.raw


class _Time:
    """A DTSTART, DTEND, RECURRENCE-ID or DURATION value: what icalendar's vDDDTypes holds,
    without building one for each (the reader reads `dt` and `params`)."""

    __slots__ = ("dt", "params")

    def __init__(self, value: Any, params: Any) -> None:
        self.dt = value
        self.params = params

    def to_ical(self) -> bytes:
        # imported on use, not at the top: keeps it off the start-up path
        from icalendar import vDDDTypes

        data: bytes = vDDDTypes(self.dt).to_ical()
        return data


# Values that are lists without spaces, which some producers put after the commas anyway.
_LISTS = frozenset(("RRULE", "EXRULE", "EXDATE", "RDATE"))
_DATETIME_NAMES = frozenset(("DTSTART", "DTEND", "RECURRENCE-ID", "DUE", "RDATE", "EXDATE"))


@functools.lru_cache(maxsize=512)
def _parameters(text: str) -> Any:
    """The parameters of a content line (shared between the lines that have the same text,
    most often TZID=…: read only)."""
    # imported on use, not at the top: keeps it off the start-up path
    from icalendar.parser import Contentline

    return Contentline(f"X;{text}:").parts()[1]  # type: ignore[no-untyped-call]


@functools.cache
def _icalendar() -> Any:
    """icalendar's pieces the property parser uses, imported once (on first use: a cold
    start of the CLI does not pay for them)."""
    # imported on use, not at the top: keeps it off the start-up path
    from icalendar import Parameters

    # imported on use, not at the top: keeps it off the start-up path
    from icalendar.cal.component import Component

    # imported on use, not at the top: keeps it off the start-up path
    from icalendar.parser import Contentline, unescape_backslash

    # imported on use, not at the top: keeps it off the start-up path
    from icalendar.parser.property import split_on_unescaped_comma

    return SimpleNamespace(
        Parameters=Parameters,
        empty=Parameters(),  # shared by every property without parameters: read only
        types=Component.types_factory,
        factories={},  # (name, VALUE) → value type
        text=Component.types_factory["text"],
        time=Component.types_factory["date-time"],
        Contentline=Contentline,
        unescape=unescape_backslash,
        split_commas=split_on_unescaped_comma,
    )


def _property(name: str, params_text: str, value: str, line: int) -> list[Any]:
    """One content line's value(s), as icalendar's parser makes them."""
    ical = _icalendar()
    if name in _LISTS:
        value = "".join(value.split())  # "BYDAY=MO, TU", "…T100000, …T100000"
    try:
        params = _parameters(params_text) if params_text else ical.empty
        kind = params.value if params_text else None
        factory = ical.factories.get((name, kind))
        if factory is None:
            factory = ical.factories[(name, kind)] = ical.types.for_property(name, kind)
        if name == "CATEGORIES":
            instance = factory(ical.split_commas(value))
            instance.params = params
            return [instance]
        if name.startswith("X-"):
            factory = ical.text  # ours are TEXT; others are not read
        if factory is ical.text and not params_text:
            return [ical.unescape(value)]  # what vText would hold; the reader wants the text
        if getattr(factory, "get_value_from_content_line", None) is not None:
            head = f"{name};{params_text}" if params_text else name
            value = factory.get_value_from_content_line(ical.Contentline(f"{head}:{value}"))
        else:
            value = ical.unescape(value)
        if name in ("RDATE", "EXDATE") and value == "":
            return []  # "EXDATE;VALUE=DATE:" — no date
        tzid = params.get("TZID") if params_text and name in _DATETIME_NAMES else None
        parsed = factory.from_ical(value, tzid) if tzid else factory.from_ical(value)
        if factory is ical.time:
            return [_Time(parsed, params)]
        instance = factory(parsed)
        instance.params = params
    except (ValueError, TypeError) as exc:
        raise _refused(line, _("{name}: {why}").format(name=name, why=_cut(str(exc), 80))) from exc
    return [instance]


class _Reader:
    def __init__(self, system: str, kinds: Sequence[str], own_email: str) -> None:
        self.system = system
        self.zone = system
        self.own_email = own_email
        self.warnings: list[tuple[str, str]] = []
        self._said: set[tuple[str, str]] = set()
        self.zones = _Zones(system)
        self.kinds: dict[str, str] = {}
        for kind in (*DEFAULT_EVENT_KINDS, *kinds):
            self.kinds.setdefault(kind.casefold(), kind)
            self.kinds.setdefault(kind_label(kind).casefold(), kind)
            self.kinds.setdefault(kind.replace("_", " ").casefold(), kind)

        for kind in DEFAULT_EVENT_KINDS:  # the English names too, whatever the language
            if kind in _LABELS:
                self.kinds.setdefault(_LABELS[kind].casefold(), kind)

    def calendar_zone(self, name: str) -> None:
        self.zone = (_iana(name) if name else None) or self.system

    def warn(self, event: ImportedEvent | str, message: str) -> None:
        where = event.where() if isinstance(event, ImportedEvent) else event
        if (where, message) not in self._said:
            self._said.add((where, message))
            self.warnings.append((where, message))

    # -- one time value -----------------------------------------------------------------------

    def when(
        self,
        component: Any,
        name: str,
        block: Block,
        title: str,
        zone: str | None,
        series: bool = False,
    ) -> tuple[dt.datetime | dt.date, str]:
        """(naive local value or date, IANA zone) of a DTSTART/DTEND/RECURRENCE-ID; `zone`
        forces the result into that zone (a series' own). A time in UTC is shown in the
        calendar's zone, except a `series`' start: a series expands in the time its DTSTART
        is written in (RFC 5545), so one in UTC stays in the zone "UTC" (same UTC time every
        week, whatever the clocks do)."""
        prop = _first(component.get(name))
        value = prop.dt
        if not isinstance(value, dt.datetime):
            return value, zone or self.zone
        tzid = str(prop.params.get("TZID", "")) if hasattr(prop, "params") else ""
        where = _("“{title}” (line {line})").format(title=title, line=block.line)
        if value.tzinfo is None:
            target = zone or self.zone
            if tzid and (known := _iana(tzid)):
                if zone is None:
                    return value, known
                aware = value.replace(tzinfo=ZoneInfo(known)).astimezone(ZoneInfo(zone))
                return aware.replace(tzinfo=None), zone
            if tzid:
                self.warn(
                    where,
                    _(
                        "unknown time zone “{tzid}” (no VTIMEZONE describes it): its times are"
                        " read as {zone} time"
                    ).format(tzid=tzid, zone=target),
                )
            return value, target
        key = getattr(value.tzinfo, "key", None)
        if key is None or _iana(str(key)) is None:
            found = self.zones.match(value.tzinfo, tzid or str(value.tzinfo), value.year)
            if found is None:
                found = zone or self.zone
                self.warn(
                    where,
                    _(
                        "the time zone “{tzid}” matches no known zone: its times are converted"
                        " to {zone}"
                    ).format(tzid=tzid or str(value.tzinfo), zone=found),
                )
            key = found
        if key in _UTC_NAMES and zone is None:
            key = "UTC" if series else self.zone
        target = zone or str(key)
        return value.astimezone(ZoneInfo(target)).replace(tzinfo=None), target

    # -- a master event ------------------------------------------------------------------------

    def event(self, component: Any, block: Block) -> ImportedEvent | None:
        """The event, or None (with a warning) when it has no start."""
        uid = _text(component.get("UID")).strip()
        title = one_line(_text(component.get("SUMMARY"))) or _("(no title)")
        if component.get("DTSTART") is None:
            self.warn(
                _("“{title}” (line {line})").format(title=title, line=block.line),
                _("it has no start (DTSTART): not imported"),
            )
            return None
        if not uid:
            # No UID (RFC 5545 wants one): one made from what the event is, so that
            # importing the same file again finds it.
            seed = "\x1f".join(
                (title, component["DTSTART"].to_ical().decode(), _text(component.get("LOCATION")))
            )
            uid = "cmplanner-import-" + hashlib.sha1(seed.encode()).hexdigest()[:20]

        own_zone = _iana(_text(component.get(x.TIMEZONE_PROPERTY)))  # ours: the event's zone
        series = component.get("RRULE") is not None
        start, zone = self.when(component, "DTSTART", block, title, own_zone, series)
        all_day = not isinstance(start, dt.datetime)
        start_local, end_local = self.span(component, block, title, start, zone)
        event = ImportedEvent(
            uid=uid,
            line=block.line,
            sequence=_int(component.get("SEQUENCE")),
            title=title[:300],
            kind=self.kind(component),
            status=_STATUS.get(_text(component.get("STATUS")).upper(), "planned"),
            start_local=start_local.replace(microsecond=0),
            end_local=end_local.replace(microsecond=0),
            timezone=zone,
            all_day=all_day,
            rrule="",
            description=_text(component.get("DESCRIPTION")).strip(),
            url=_text(component.get("URL")).strip()[:500],
            location=" ".join(_text(component.get("LOCATION")).split()),
            latitude=None,
            longitude=None,
            guests=self.guests(component),
        )
        geo = component.get("GEO")
        if geo is not None and hasattr(geo, "latitude"):
            event.latitude, event.longitude = float(geo.latitude), float(geo.longitude)
        self.our_fields(component, event, own_zone is not None)
        self.repetition(component, event, block)
        return event

    def span(
        self, component: Any, block: Block, title: str, start: dt.datetime | dt.date, zone: str
    ) -> tuple[dt.datetime, dt.datetime]:
        """The stored start and end: for an all-day event its first and last day (DTEND is
        exclusive); an end before the start refuses the event."""
        all_day = not isinstance(start, dt.datetime)
        end: dt.datetime | dt.date
        if component.get("DTEND") is not None:
            end, _zone = self.when(component, "DTEND", block, title, zone)
        elif component.get("DURATION") is not None:
            duration = _first(component.get("DURATION")).dt
            end = start + duration
        else:
            end = start + dt.timedelta(days=1) if all_day else start
        if all_day:
            first = dt.datetime.combine(start, dt.time())
            # DTEND is exclusive; CM Planner stores the last day (DTEND = DTSTART: that day).
            end_day = end.date() if isinstance(end, dt.datetime) else end
            _check_end(block, title, first, dt.datetime.combine(end_day, dt.time()))
            last_day = end_day - dt.timedelta(days=1)
            return first, dt.datetime.combine(max(last_day, start), dt.time())
        assert isinstance(start, dt.datetime)
        end_local = end if isinstance(end, dt.datetime) else dt.datetime.combine(end, dt.time())
        _check_end(block, title, start, end_local)
        return start, end_local

    def repetition(self, component: Any, event: ImportedEvent, block: Block) -> None:
        """RRULE (the first one), and EXDATEs as skipped occurrences; RDATEs are not kept."""
        rules = component.get("RRULE")
        if rules is not None:
            if isinstance(rules, list):
                if len(rules) > 1:
                    self.warn(event, _("only the first of its RRULEs is imported"))
                rules = rules[0]
            event.rrule = self.rrule(rules, event, block, normalize_rrule)
        if component.get("RDATE") is not None:
            self.warn(event, _("its extra dates (RDATE) are not imported"))
        for exdates in _list(component.get("EXDATE")):
            for item in getattr(exdates, "dts", []):
                original = self.original(item.dt, event)
                event.overrides.append(ImportedOverride(original, cancelled=True))

    def our_fields(self, component: Any, event: ImportedEvent, ours: bool) -> None:
        """What CM Planner's own export adds (X-CMPLANNER-…), read before the standard
        properties: a re-import gives back the same event, not the composite DESCRIPTION
        as its description, nor "planned" for an idea."""

        def text(name: str) -> str | None:
            value = component.get(name)
            return None if value is None else _text(value).strip()

        kind = text(x.KIND_PROPERTY)
        if kind:
            event.kind = kind[:60]
        status = _our_status(component)
        if status:
            event.status = status
        description = text(x.DESCRIPTION_PROPERTY)
        objective = text(x.OBJECTIVE_PROPERTY)
        ours = ours or description is not None
        if description is not None:
            event.description = description
        event.objective = objective if objective is not None else ("" if ours else None)
        capacity = text(x.CAPACITY_PROPERTY)
        if capacity and capacity.isdigit():
            event.capacity = int(capacity)
        event.community = (text(x.COMMUNITY_PROPERTY) or "")[:200] or None
        online = text(x.ONLINE_PROPERTY)
        if online is not None or ours:
            event.in_person = (online or "").upper() != "TRUE"
        name = text(x.VENUE_PROPERTY)
        if name is not None:
            fields = [text(f"{x.VENUE_PROPERTY}-{f}") or "" for f in x.VENUE_FIELDS]
            street, postal_code, city, country, access = fields
            event.venue = Venue(
                name[:300], street, postal_code[:20], city[:120], country[:120], access
            )
        event.ours = ours

    def rrule(self, rule: Any, event: ImportedEvent, block: Block, normalize: Any) -> str:
        line = next((entry[2] for entry in block.raw.get("RRULE", ())), block.line)
        rule = dict(rule)
        until = rule.get("UNTIL")
        if until:
            value = until[0] if isinstance(until, list) else until
            if isinstance(value, dt.datetime):
                if value.tzinfo is not None:
                    value = value.astimezone(ZoneInfo(event.timezone)).replace(tzinfo=None)
                if event.all_day:
                    value = value.date()
            elif not event.all_day and isinstance(value, dt.date):
                value = dt.datetime.combine(value, dt.time(23, 59, 59))
            rule["UNTIL"] = [value]
        # imported on use, not at the top: keeps it off the start-up path
        import icalendar

        # Part by part: the file's order is kept (vRecur would sort them).
        text = ";".join(
            icalendar.vRecur({k: v}).to_ical().decode()  # type: ignore[no-untyped-call]
            for k, v in rule.items()
        )
        try:
            return str(normalize(text, event.start_local, event.timezone))
        except ValidationError as exc:
            raise _refused(line, str(exc).rstrip(".")) from exc

    def original(self, value: Any, event: ImportedEvent) -> dt.datetime:
        """An EXDATE or RECURRENCE-ID value as the series' original local start."""
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                value = value.astimezone(ZoneInfo(event.timezone)).replace(tzinfo=None)
            return dt.datetime.combine(value.date(), value.time().replace(microsecond=0))
        return dt.datetime.combine(value, event.start_local.time())

    def kind(self, component: Any) -> str | None:
        for categories in _list(component.get("CATEGORIES")):
            for name in getattr(categories, "cats", [categories]):
                found = self.kinds.get(str(name).strip().casefold())
                if found:
                    return found
        return None

    def guests(self, component: Any) -> tuple[ImportedGuest, ...]:
        found: dict[str, ImportedGuest] = {}
        for attendee in _list(component.get("ATTENDEE")):
            address = str(attendee).strip()
            if address.lower().startswith("mailto:"):
                address = address[7:]
            email = address.strip().lower()
            params = getattr(attendee, "params", {})
            if "@" not in email or email == self.own_email:
                continue
            if str(params.get("CUTYPE", "INDIVIDUAL")).upper() in ("ROOM", "RESOURCE"):
                continue
            rsvp = _RSVP.get(str(params.get("PARTSTAT", "")).upper(), "needs-action")
            name = " ".join(str(params.get("CN", "")).strip().strip('"').split())
            found[email] = ImportedGuest(email, name, rsvp)
        return tuple(found.values())

    # -- a moved or cancelled occurrence ---------------------------------------------------------

    def override(
        self, master: ImportedEvent, component: Any, block: Block, cancel: bool = False
    ) -> None:
        """A RECURRENCE-ID component into `master.overrides`: skipped (STATUS:CANCELLED, or
        any in a METHOD:CANCEL calendar), moved, with its own status, title or answers."""
        if not master.rrule:
            self.warn(master, _("a RECURRENCE-ID for an event that does not repeat is ignored"))
            return
        prop = _first(component.get("RECURRENCE-ID"))
        if str(getattr(prop, "params", {}).get("RANGE", "")).upper() == "THISANDFUTURE":
            self.warn(
                master,
                _("a change “this and future occurrences” is imported for one occurrence only"),
            )
        original = self.original(prop.dt, master)
        status = _text(component.get("STATUS")).upper()
        ours = _our_status(component)
        master.overrides = [o for o in master.overrides if o.recurrence_id != original]
        if cancel or (status == "CANCELLED" and not ours):  # ours skips by EXDATE
            master.overrides.append(ImportedOverride(original, cancelled=True))
            return
        title = one_line(_text(component.get("SUMMARY")))[:300]
        own_title = title if title and title != master.title else ""
        start_local = end_local = None
        if component.get("DTSTART") is not None:
            start, _zone = self.when(component, "DTSTART", block, master.title, master.timezone)
            duration = master.end_local - master.start_local
            if isinstance(start, dt.datetime):
                start_local = start.replace(microsecond=0)
            else:
                start_local = dt.datetime.combine(start, dt.time())
            if component.get("DTEND") is not None:
                end, _zone = self.when(component, "DTEND", block, master.title, master.timezone)
                if isinstance(end, dt.datetime):
                    end_local = end.replace(microsecond=0)
                else:
                    end_local = dt.datetime.combine(end, dt.time()) - (
                        dt.timedelta(days=1) if master.all_day else dt.timedelta()
                    )
            elif component.get("DURATION") is not None:
                end_local = start_local + _first(component.get("DURATION")).dt
            else:
                end_local = start_local + duration
            _check_end(block, own_title or master.title, start_local, end_local)
            if start_local == original and end_local == original + duration:
                start_local = end_local = None
        own_status = ours or _STATUS.get(status, "")
        if own_status == master.status:
            own_status = ""
        master_answers = {g.email: g.rsvp for g in master.guests}
        answers = tuple(
            g for g in self.guests(component) if master_answers.get(g.email) not in (None, g.rsvp)
        )
        if start_local is None and not own_status and not answers and not own_title:
            return
        master.overrides.append(
            ImportedOverride(
                original, False, start_local, end_local, own_status, answers, own_title
            )
        )


def _check_end(block: Block, title: str, start: dt.datetime, end: dt.datetime) -> None:
    """Refuse an event (or a moved occurrence) that ends before it starts, as the app and
    `events add` do; or one beyond the calendar's range. The line named is its DTEND (or
    DURATION), its DTSTART for a date out of range."""
    lines = block.properties
    for line, day in ((lines.get("DTSTART", [block.line])[0], start), (_end_line(block), end)):
        try:
            check_day(day.date())
        except ValidationError as exc:
            raise _refused(line, str(exc).rstrip(".")) from None
    if end < start:
        raise _refused(
            _end_line(block),
            _("“{title}” ends ({end}) before it starts ({start})").format(
                title=title, end=f"{end:%Y-%m-%d %H:%M}", start=f"{start:%Y-%m-%d %H:%M}"
            ),
        )


def _end_line(block: Block) -> int:
    lines = block.properties
    return (lines.get("DTEND") or lines.get("DURATION") or lines.get("DTSTART") or [block.line])[0]


def _our_status(component: Any) -> str:
    """X-CMPLANNER-STATUS ("idea", "done"… which STATUS cannot say) when it agrees with
    STATUS; "" if absent or if another program changed STATUS since (STATUS wins)."""
    ours = _text(component.get(STATUS_PROPERTY)).strip().lower()
    if ours not in _OUR_STATUSES:
        return ""
    return ours if STATUS[ours] == _text(component.get("STATUS")).strip().upper() else ""


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _int(value: Any) -> int:
    try:
        return max(0, int(_first(value) or 0))
    except (TypeError, ValueError):
        return 0


# --- venues from LOCATION --------------------------------------------------------------------

_POSTAL = re.compile(r"^\s*(\d{4,5})\s+(.+)$")


def _venue_name(location: str) -> tuple[str, str, str, str]:
    """LOCATION → (name, street, postal code, city): "Le Comptoir, 12 rue X, 75011 Paris"."""
    parts = [p.strip() for p in location.split(",") if p.strip()]
    if not parts:
        return "", "", "", ""
    name, rest = parts[0], parts[1:]
    postal = city = ""
    if rest and (m := _POSTAL.match(rest[-1])):
        postal, city = m.group(1), m.group(2).strip()
        rest = rest[:-1]
    return name[:300], ", ".join(rest), postal, city[:120]
