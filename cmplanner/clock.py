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
    """The system's IANA time zone name, UTC if it cannot be told."""
    try:
        from tzlocal import get_localzone_name  # optional, more reliable on Windows

        name = get_localzone_name()
        if name:
            return str(name)
    except Exception:  # noqa: BLE001 - tzlocal is optional
        pass
    import os

    env = os.environ.get("TZ")
    if env and _valid_zone(env):
        return env
    try:
        from pathlib import Path

        link = Path("/etc/localtime").resolve()
        parts = link.parts
        if "zoneinfo" in parts:
            name = "/".join(parts[parts.index("zoneinfo") + 1 :])
            if _valid_zone(name):
                return name
        tz_file = Path("/etc/timezone")
        if tz_file.exists():
            name = tz_file.read_text().strip()
            if _valid_zone(name):
                return name
    except OSError:
        pass
    return "UTC"


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except Exception:  # noqa: BLE001 - any failure means "not a zone"
        return False
    return True


def today(zone: str | None = None) -> dt.date:
    return now_utc().astimezone(ZoneInfo(zone or local_zone_name())).date()


def freeze(instant: dt.datetime | None) -> None:
    """Freeze the clock at an aware instant (None thaws it). For tests and demos."""
    global _frozen
    if instant is not None and instant.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen = instant
