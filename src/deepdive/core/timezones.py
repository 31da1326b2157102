"""Time zones: valid names, and the zone a request should see times in."""

import zoneinfo
from functools import cache

TZ_COOKIE = "deepdive_tz"


@cache
def valid_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_valid_zone(name: str | None) -> bool:
    return bool(name) and name in valid_zones()


@cache
def zone_choices() -> list[tuple[str, str]]:
    """Choices for a select: the canonical zones (Area/City), sorted, plus UTC."""
    names = sorted(z for z in valid_zones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return [("UTC", "UTC")] + [(z, z.replace("_", " ")) for z in names]
