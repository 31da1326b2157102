"""A webinar's audience: time zone → weight in per cent (issue 6: "by default the time zones of
the invited Alliance members' organisations, weighted towards the proposal's countries of
action").

The default, worked out from the directory and the proposal:

- Half the weight goes to the members: the active member organisations of the directory that
  belong to the series' Action Group (all active member organisations when the group has none),
  in proportion to how many are in each zone. An organisation counts once; one with several
  countries is split equally over the main time zones (``Country.timezone``) of its countries;
  one with no country does not count.
- The series' past audience weighs in beside the members (issue 15, "the next call's default
  audience learns from it"): the zones of the registrants and attendees of the series'
  webinars already held (``queries.past_audience_zones``) take ``PAST_SHARE`` of the members'
  half, the directory's members the rest; when either has nothing, the other takes it all.
- The other half is spread equally over the main time zones of the proposal's countries of
  action (a country sharing a zone with another adds to it).
- When one half has nothing to go to, the other takes all; when both have nothing, the whole
  audience is the call's time zone.
- Zones under 1 % are dropped, then the shares are rounded to whole per cents summing to 100 by
  the largest remainder (ties by zone name); listed by weight, highest first, then by name.

A weight set by hand (``Webinar.audience_edited``) replaces the default: ``audience_of``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime
from typing import Any

from deepdive.directory.models import Organisation

from . import queries

MEMBERS_SHARE = 0.5
# Of the members' half, the part that goes to the series' past registrants and attendees.
PAST_SHARE = 0.5


def _member_zones(action_group_id: int | None) -> dict[str, float]:
    """Zone → number of organisations (fractional for several countries)."""
    organisations = Organisation.objects.active().filter(is_member=True)
    in_group = organisations.filter(action_groups=action_group_id) if action_group_id else None
    if in_group is not None and in_group.exists():
        organisations = in_group
    zones_of: dict[int, set[str]] = defaultdict(set)
    for pk, zone in organisations.values_list("pk", "countries__timezone"):
        if zone:
            zones_of[pk].add(zone)
    counts: dict[str, float] = defaultdict(float)
    for zones in zones_of.values():
        for zone in zones:
            counts[zone] += 1 / len(zones)
    return dict(counts)


def _country_zones(proposal: Any) -> dict[str, float]:
    counts: dict[str, float] = defaultdict(float)
    for country in proposal.countries.all():  # prefetched by ``webinars_of``
        if country.timezone:
            counts[country.timezone] += 1
    return dict(counts)


def _shares(counts: dict[str, float]) -> dict[str, float]:
    total = sum(counts.values())
    return {zone: value / total for zone, value in counts.items()} if total > 0 else {}


def whole_per_cents(shares: dict[str, float]) -> dict[str, int]:
    """Shares (any positive numbers) as whole per cents summing to 100: zones under 1 % are
    dropped, the rest rounded by the largest remainder (ties by name), then listed by weight
    (highest first) and name."""
    total = sum(v for v in shares.values() if v > 0)
    if total <= 0:
        return {}
    kept = {z: v / total * 100 for z, v in shares.items() if v / total * 100 >= 1}
    kept_total = sum(kept.values())
    exact = {z: v / kept_total * 100 for z, v in kept.items()}
    floors = {z: math.floor(v) for z, v in exact.items()}
    missing = 100 - sum(floors.values())
    by_remainder = sorted(exact, key=lambda z: (-(exact[z] - floors[z]), z))
    for zone in by_remainder[:missing]:
        floors[zone] += 1
    return dict(sorted(floors.items(), key=lambda item: (-item[1], item[0])))


def member_shares(call: Any, *, before: datetime | None = None) -> dict[str, float]:
    """The members' half of every default audience of ``call``: zone → share, the directory's
    members with the series' past audience (of the webinars started before ``before``, by
    default now). The same for all its webinars, so a page or a run over many webinars works
    it out once."""
    members = _shares(_member_zones(call.series.action_group_id))
    zones = queries.past_audience_zones(call.series, before=before)
    past = _shares({zone: float(n) for zone, n in zones.items()})
    if not (members and past):
        return members or past
    combined: dict[str, float] = defaultdict(float)
    for zone, share in members.items():
        combined[zone] += (1 - PAST_SHARE) * share
    for zone, share in past.items():
        combined[zone] += PAST_SHARE * share
    return dict(combined)


def default_audience(webinar: Any, *, members: dict[str, float] | None = None) -> dict[str, int]:
    """The default audience of ``webinar`` (see the module): {zone: per cent}, summing to 100.
    ``members`` is ``member_shares(webinar.call)``, when already known."""
    call = webinar.call
    members = member_shares(call) if members is None else members
    countries = _shares(_country_zones(webinar.proposal))
    if members and countries:
        combined: dict[str, float] = defaultdict(float)
        for zone, share in members.items():
            combined[zone] += MEMBERS_SHARE * share
        for zone, share in countries.items():
            combined[zone] += (1 - MEMBERS_SHARE) * share
        return whole_per_cents(combined)
    if members or countries:
        return whole_per_cents(members or countries)
    return {call.timezone: 100}


def audience_of(webinar: Any, *, members: dict[str, float] | None = None) -> dict[str, int]:
    """The audience the timetable uses: the one set by hand, else the default."""
    if webinar.audience_edited:
        return dict(webinar.audience)
    return default_audience(webinar, members=members)


def audiences_of(webinars: list[Any]) -> dict[int, dict[str, int]]:
    """Webinar pk → ``audience_of``, for webinars of one call."""
    if not webinars:
        return {}
    members = member_shares(webinars[0].call)
    return {webinar.pk: audience_of(webinar, members=members) for webinar in webinars}


MAIN_SHARE = 0.1  # a zone with less of the audience is not "main"


def main_zones(audience: dict[str, float], count: int = 3) -> list[tuple[str, float]]:
    """The heaviest zones, (zone, weight), highest first then by name: at most ``count``, each
    with at least a tenth of the audience, and always the heaviest one. The members' half of a
    default audience is spread over many zones; listing a zone with 4% of it beside one with
    64% would tell the secretariat nothing."""
    items = sorted(
        ((z, w) for z, w in audience.items() if w > 0), key=lambda item: (-item[1], item[0])
    )
    total = sum(w for _, w in items)
    main = [item for item in items[:count] if item[1] >= MAIN_SHARE * total]
    return main or items[:1]
