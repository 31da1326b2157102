"""Time zones: valid names, and the zone a request should see times in."""

import zoneinfo
from datetime import datetime
from functools import cache
from importlib import resources

from django.utils import timezone
from django.utils.formats import date_format

TZ_COOKIE = "deepdive_tz"


def moment_text(value: datetime, zone_name: str | None = None) -> str:
    """A moment as plain text in ``zone_name`` (by default the reader's current zone), with
    the zone named and its offset (its UTC offset at that moment). The
    template filter ``when`` shows the same; services use it in their messages."""
    if zone_name:
        local = value.astimezone(zoneinfo.ZoneInfo(zone_name))
    else:
        local = timezone.localtime(value)
        zone_name = str(timezone.get_current_timezone())
    offset = local.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    return f"{date_format(local, 'DATETIME_FORMAT')} ({zone_name.replace('_', ' ')}, {offset})"


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


@cache
def _zone_countries() -> dict[str, str]:
    """Zone → ISO country code, from the IANA database's ``zone.tab`` (shipped by ``tzdata``):
    one line per zone of a country, under its current name (Asia/Kathmandu, Europe/Kyiv,
    Africa/Accra), never an old one; empty when ``tzdata`` is not there."""
    try:
        text = resources.files("tzdata").joinpath("zoneinfo/zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return {}
    countries = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, zone = line.split("\t")[:3]
            countries[zone] = code
    return countries


@cache
def current_zones() -> tuple[str, ...]:
    """The zones to offer: UTC and the zones of ``zone.tab``, without the old names kept as
    links (Asia/Katmandu, US/Eastern) nor the Etc/GMT+3 kind. Without ``tzdata``, the
    Area/City names of ``zoneinfo``."""
    names = set(_zone_countries()) or {
        z for z in valid_zones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))
    }
    return ("UTC", *sorted(name for name in names if name in valid_zones()))


_UTC_NAMES = frozenset(
    "UTC Etc/UTC Etc/UCT Etc/Universal Etc/Zulu UCT Universal Zulu GMT Etc/GMT".split()
)


def current_zone(name: str) -> str | None:
    """The current zone ``name`` stands for: itself, or the first current zone its links lead
    to (Asia/Katmandu → Asia/Kathmandu, US/Eastern → America/New_York); else None."""
    if not is_valid_zone(name):
        return None
    if name in _UTC_NAMES:
        return "UTC"
    current, links, seen = set(current_zones()), zone_links(), set()
    while name not in current and name in links and name not in seen:
        seen.add(name)
        name = links[name]
    return name if name in current else None


@cache
def zone_labels(language: str) -> tuple[tuple[str, str], ...]:
    """(zone, "City, Country") for every current zone, in ``language`` (a Django language
    code), sorted by label; "Knox, Indiana, United States" where CLDR names a region."""
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global
    from babel.dates import get_timezone_location

    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    territories = {**get_global("zone_territories"), **_zone_countries()}
    labels = []
    for zone in current_zones():
        if zone == "UTC":
            labels.append((zone, "UTC"))
            continue
        try:
            city = get_timezone_location(zone, locale=locale, return_city=True)
        except LookupError:
            city = ""
        # Babel falls back to the name's tail ("Argentina/Buenos Aires") when CLDR has none.
        city = (city or zone).rsplit("/", 1)[-1].replace("_", " ")
        code = territories.get(zone, "")
        country = locale.territories.get(code, "") if code and code != "001" else ""
        labels.append((zone, f"{city}, {country}" if country else city))
    return tuple(sorted(labels, key=lambda pair: pair[1].casefold()))


def zone_from_text(text: str, language: str) -> str | None:
    """The current zone meant by what someone typed: an IANA name (an old one is mapped to its
    current name, letter case ignored), or a label of the list ("Paris, France"), or a city
    only one zone is named after ("Paris"). None when it is none of these."""
    text = " ".join(text.split())
    if not text:
        return None
    zone = current_zone(text) or current_zone(text.replace(" ", "_"))
    if zone:
        return zone
    folded = text.casefold()
    by_name = {name.casefold(): name for name in valid_zones()}
    if folded in by_name or folded.replace(" ", "_") in by_name:
        return current_zone(by_name.get(folded) or by_name[folded.replace(" ", "_")])
    # The reader's language first, then English: a label copied from another page still works.
    for labels in dict.fromkeys((zone_labels(language), zone_labels("en"))):
        for zone, label in labels:
            if label.casefold() == folded:
                return zone
        cities = [zone for zone, label in labels if label.split(",")[0].casefold() == folded]
        if len(cities) == 1:
            return cities[0]
    return None
