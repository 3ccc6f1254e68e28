"""Wall-clock time in an IANA zone ⇄ UTC, honest across daylight-saving changes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cmplanner.errors import ValidationError
from cmplanner.i18n import _


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
