"""The public audience of the pilot's held webinars (issue 15): some thirty people each, the
same on every load, varied enough for the participation report to show groups of five and more
by sex, region, Pathfinder Country, partner type, language and time zone."""

import re
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from deepdive.demo.audience import audiences
from deepdive.demo.workspaces import MEMBERS, PUBLIC
from deepdive.reference.data.seed import PATHFINDER_COUNTRIES
from deepdive.reference.operations import country_rows
from deepdive.webinars.attendance.samples import UNREGISTERED
from deepdive.webinars.models import Registration

COUNTRIES = {row["code"]: row for row in country_rows()}
PATHFINDERS = {row["country"] for row in PATHFINDER_COUNTRIES}


def test_each_pilot_webinar_has_its_own_audience_of_25_to_40_some_coming_twice():
    found = audiences()
    assert [len(people) for people in found] == [32, 27, 37]
    for people in found:
        assert len({p.email for p in people}) == len(people)  # one registration per address
    came = Counter(p.email for people in found for p in people)
    assert 5 <= sum(1 for n in came.values() if n == 2) and max(came.values()) == 2
    assert audiences() == found  # the same on every load


def test_the_audience_is_varied_and_believable():
    people = {p.email: p for group in audiences() for p in group}.values()
    assert {p.sex for p in people} == set(Registration.Sex.values)
    for group in audiences():  # women and men, neither under a third, at each webinar
        sexes = Counter(p.sex for p in group)
        assert min(sexes["female"], sexes["male"]) * 3 >= len(group)
    regions = Counter(COUNTRIES[p.country]["ilo_region"] for p in people)
    assert set(regions) == {
        "africa",
        "americas",
        "arab_states",
        "asia_pacific",
        "europe_central_asia",
    }
    assert all(n >= 5 for n in regions.values())
    assert sum(1 for p in people if p.country in PATHFINDERS) >= 20
    assert {p.language for p in people} == {"en", "fr", "es"}
    assert len({p.partner_type for p in people}) >= 9
    for p in people:
        # The zone is the country's own, between UTC-6 and UTC+12 in January and July.
        assert p.zone == COUNTRIES[p.country]["timezone"]
        for month in (1, 7):
            offset = datetime(2026, month, 15, tzinfo=ZoneInfo(p.zone)).utcoffset()
            assert offset is not None and -6 <= offset.total_seconds() / 3600 <= 12
        assert re.fullmatch(r"[a-z0-9.-]+@example\.(org|net|com)", p.email), p.email
        assert bool(p.organisation) == bool(p.partner_type)


def test_no_one_of_the_audience_is_mistaken_for_someone_else():
    """The import matches people by address, then by name: the audience shares neither with
    the named registrants nor with the reports' unregistered attendees."""
    people = {p.email: p for group in audiences() for p in group}.values()
    others = [(m.name, m.email) for m in [*MEMBERS.values(), *PUBLIC.values()]] + list(UNREGISTERED)
    names = {name.casefold() for name, _ in others}
    addresses = {email for _, email in others if email}
    assert not [p for p in people if p.name.casefold() in names or p.email in addresses]
    assert len({p.name for p in people}) == len(people)
