"""One place that knows what time it is, so tests can freeze it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

_frozen: dt.datetime | None = None


def now_utc() -> dt.datetime:
    """Aware UTC now (or the frozen instant)."""
    if _frozen is not None:
        return _frozen
    return dt.datetime.now(dt.UTC)


def utc_now() -> dt.datetime:
    """Aware UTC now to the second: the form timestamps are stored in."""
    return now_utc().replace(microsecond=0)


def local_zone_name() -> str:
    """The system's IANA time zone name (tzlocal), UTC if it cannot be told."""
    import tzlocal  # 15 ms: only when a zone name is needed

    try:
        name = tzlocal.get_localzone_name()
    except Exception:
        name = None
    if name and _valid_zone(name):
        return str(name)
    return "UTC"


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except Exception:
        return False
    return True


def today(zone: str | None = None) -> dt.date:
    """Today in `zone`, or in the computer's local time."""
    now = now_utc()
    return (now.astimezone(ZoneInfo(zone)) if zone else now.astimezone()).date()


def freeze(instant: dt.datetime | None) -> None:
    """Freeze the clock at an aware instant (None thaws it). For tests and demos."""
    global _frozen
    if instant is not None and instant.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen = instant
