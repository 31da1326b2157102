"""The default audience: half to the members' time zones, half to the countries of action."""

import pytest

from deepdive.webinars.audience import audience_of, default_audience, whole_per_cents
from tests.proposals.factories import OrganisationFactory, action_group, country

from .conftest import make_webinar

pytestmark = pytest.mark.django_db


def member_in(*codes, group=None):
    organisation = OrganisationFactory(is_member=True, countries=[country(c) for c in codes])
    organisation.action_groups.add(group or action_group())
    return organisation


def test_half_to_members_half_to_the_countries_of_action(call):
    for _ in range(3):
        member_in("FR")
    member_in("GH")
    webinar = make_webinar(call, countries=["NP"])

    audience = default_audience(webinar)

    # members: Paris 3/4, Accra 1/4 of one half; Kathmandu the other half
    assert audience == {"Asia/Kathmandu": 50, "Africa/Accra": 13, "Europe/Paris": 37}
    assert sum(audience.values()) == 100
    assert list(audience) == ["Asia/Kathmandu", "Europe/Paris", "Africa/Accra"]


def test_weighted_towards_the_countries_even_when_members_are_elsewhere(call):
    for _ in range(10):
        member_in("FR")
    webinar = make_webinar(call, countries=["GH", "PE"])

    audience = default_audience(webinar)

    assert audience == {"Europe/Paris": 50, "Africa/Accra": 25, "America/Lima": 25}
    # a country of action weighs more than its share of the members would give it
    assert audience["Africa/Accra"] > 0


def test_only_the_series_action_group_counts_unless_it_has_no_member(call):
    member_in("FR")
    member_in("PE", group=action_group("migration", "Migration"))
    webinar = make_webinar(call)
    assert default_audience(webinar) == {"Europe/Paris": 100}

    other_call_group = action_group("rule_of_law", "Rule of Law")
    call.series.action_group = other_call_group
    call.series.save()
    webinar.call.refresh_from_db()
    # nobody in that group: all member organisations count
    assert default_audience(webinar) == {"America/Lima": 50, "Europe/Paris": 50}


def test_an_organisation_in_several_countries_is_split_and_non_members_do_not_count(call):
    member_in("FR", "GH")
    member_in("FR")
    outsider = OrganisationFactory(is_member=False, countries=[country("NP")])
    outsider.action_groups.add(action_group())
    webinar = make_webinar(call)

    assert default_audience(webinar) == {"Europe/Paris": 75, "Africa/Accra": 25}


def test_nobody_anywhere_falls_back_to_the_calls_zone(call):
    webinar = make_webinar(call)
    assert default_audience(webinar) == {call.timezone: 100}


def test_zones_under_one_per_cent_are_dropped_and_the_rest_still_sum_to_100():
    shares = {"Europe/Paris": 60.0, "Africa/Accra": 39.5, "Asia/Kathmandu": 0.5}
    result = whole_per_cents(shares)
    assert "Asia/Kathmandu" not in result
    assert sum(result.values()) == 100
    assert result == {"Europe/Paris": 60, "Africa/Accra": 40}


def test_a_hand_made_audience_replaces_the_default(call):
    member_in("FR")
    webinar = make_webinar(call, countries=["GH"], audience={"Asia/Tokyo": 100})
    assert audience_of(webinar) == {"Asia/Tokyo": 100}
    webinar.audience_edited = False
    assert audience_of(webinar) == {"Africa/Accra": 50, "Europe/Paris": 50}


def test_main_zones_leave_out_small_shares_but_keep_the_heaviest():
    from deepdive.webinars.audience import main_zones

    assert main_zones({"Africa/Abidjan": 64, "Asia/Dhaka": 4, "Europe/Paris": 32}) == [
        ("Africa/Abidjan", 64),
        ("Europe/Paris", 32),
    ]
    spread = {f"Zone/{i}": 5 for i in range(20)}
    assert main_zones(spread) == [("Zone/0", 5)]
    assert main_zones({"A/a": 40, "B/b": 30, "C/c": 20, "D/d": 10}) == [
        ("A/a", 40),
        ("B/b", 30),
        ("C/c", 20),
    ]
