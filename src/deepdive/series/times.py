"""Wall-clock times in a named zone ⇄ instants in UTC. Pure functions, no Django."""

import zoneinfo
from datetime import UTC, datetime


class UnknownZone(ValueError):
    """The name is not a time zone of the IANA database."""


class NonexistentLocalTime(ValueError):
    """A local time skipped by the zone (the spring daylight-saving gap)."""

    def __init__(self, naive: datetime, zone_name: str):
        self.naive, self.zone_name = naive, zone_name
        super().__init__(f"{naive.isoformat()} does not exist in {zone_name}")


def zone(zone_name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise UnknownZone(f"unknown time zone: {zone_name!r}") from exc


def local_to_utc(naive: datetime, zone_name: str) -> datetime:
    """The UTC instant of a wall-clock date and time in ``zone_name``.

    A time that occurs twice (the autumn change) is taken at its first occurrence (fold=0);
    one that does not occur (the spring gap) raises ``NonexistentLocalTime``.
    """
    if naive.tzinfo is not None:
        raise ValueError("expected a naive date and time (a wall-clock time)")
    tz = zone(zone_name)
    instant = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != naive:
        raise NonexistentLocalTime(naive, zone_name)
    return instant


def utc_to_local(instant: datetime, zone_name: str) -> datetime:
    """The wall-clock date and time (naive) of an aware instant in ``zone_name``."""
    return instant.astimezone(zone(zone_name)).replace(tzinfo=None)
