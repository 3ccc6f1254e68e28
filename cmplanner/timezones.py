"""Wall-clock time in an IANA zone ⇄ UTC, honest across daylight-saving changes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cmplanner.errors import ValidationError
from cmplanner.i18n import _

# The days an event may fall on: from the year 1000, so that every date is written with four
# digits (ISO 8601, iCalendar, strftime) as it is read back; and two years short of the last
# date Python holds, so that what is computed around a date (a time zone's shift, the year a
# listing or an export looks beyond its period, the 400 days a brief looks either side of its
# event, a zone's rules for the next year) is still a date.
FIRST_DAY = dt.date(1000, 1, 1)
LAST_DAY = dt.date(9997, 12, 31)


def check_day(day: dt.date) -> None:
    """Refuse a day outside FIRST_DAY…LAST_DAY, saying the range."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(
            _("{day} is out of the calendar's range ({first} to {last}).").format(
                day=day.isoformat(), first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat()
            )
        )


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("Unknown time zone: {name}").format(name=name)) from exc


def local_to_utc(local: dt.datetime, zone_name: str) -> dt.datetime:
    """A naive wall-clock time in `zone_name` → aware UTC (fold=0 for ambiguous times)."""
    if local.tzinfo is not None:
        raise ValueError("local_to_utc expects a naive wall-clock time")
    return local.replace(tzinfo=zone(zone_name)).astimezone(dt.UTC)


def utc_to_local(instant: dt.datetime, zone_name: str) -> dt.datetime:
    """Aware UTC → naive wall-clock time in `zone_name`."""
    return instant.astimezone(zone(zone_name)).replace(tzinfo=None)
