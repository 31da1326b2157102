"""Time zones: valid names, and the zone a request should see times in."""

import zoneinfo
from functools import cache
from importlib import resources

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


@cache
def zone_links() -> dict[str, str]:
    """Alias → zone of the IANA database's links ("L Asia/Kathmandu Asia/Katmandu"), from the
    ``tzdata`` package; empty when it is not there."""
    try:
        text = resources.files("tzdata").joinpath("zoneinfo/tzdata.zi").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return {}
    links = {}
    for line in text.splitlines():
        if line.startswith("L "):
            _, target, alias = line.split()[:3]
            links[alias] = target
    return links


def canonical_zone(zone: str) -> str:
    """The zone an alias links to: browsers still report old names such as Asia/Katmandu or
    Asia/Calcutta, which must not show as a second row beside Asia/Kathmandu."""
    if zone == "UTC":
        return zone
    links = zone_links()
    seen = set()
    while zone in links and zone not in seen:
        seen.add(zone)
        zone = links[zone]
    return zone
