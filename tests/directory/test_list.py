from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from .factories import OrganisationFactory, action_group, partner_type, sector, theme

pytestmark = pytest.mark.django_db
URL = reverse("directory:list")


def names(response) -> list[str]:
    return [o.name for o in response.context["page"].object_list]


@pytest.fixture
def directory():
    supply = action_group("supply_chains", "Supply Chains")
    migration = action_group("migration", "Migration")
    child, forced = theme("child_labour", "Child labour"), theme("forced_labour", "Forced labour")
    mining, cocoa = sector("mining", "Mining"), sector("cocoa", "Cocoa")
    return {
        "fair": OrganisationFactory(
            name="Fair Cocoa Alliance",
            acronym="FCA",
            countries=["GH"],
            partner_type=partner_type("civil_society"),
            action_groups=[supply],
            themes=[child],
            sectors=[cocoa],
            description="Works with cocoa farmers.",
        ),
        "miners": OrganisationFactory(
            name="Miners Union",
            acronym="MU",
            countries=["PE"],
            partner_type=partner_type("workers_organisation"),
            action_groups=[supply],
            themes=[forced],
            sectors=[mining],
        ),
        "bank": OrganisationFactory(
            name="Paris Bank",
            countries=["FR", "MA"],
            partner_type=partner_type("business"),
            action_groups=[migration],
            themes=[forced],
        ),
        "research": OrganisationFactory(
            name="Kathmandu Research Centre",
            countries=["NP"],
            partner_type=partner_type("academic"),
            themes=[child, forced],
        ),
    }


def test_lists_every_active_organisation_with_count(client, directory):
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == sorted(o.name for o in directory.values())
    assert "4 organisations" in response.content.decode()


def test_merged_organisations_are_hidden(client, directory):
    OrganisationFactory(name="Old Miners Union", merged_into=directory["miners"])
    response = client.get(URL)
    assert "Old Miners Union" not in names(response)
    assert "Miners Union" in names(response)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("cocoa", ["Fair Cocoa Alliance"]),  # name and description
        ("MU", ["Miners Union"]),  # acronym (and name words containing "mu")
        ("farmers", ["Fair Cocoa Alliance"]),  # description
        ("Morocco", ["Paris Bank"]),  # a country's name
        ("nepal research", ["Kathmandu Research Centre"]),  # every word must match
        ("nothing-like-this", []),
    ],
)
def test_search(client, directory, q, expected):
    assert names(client.get(URL, {"q": q})) == expected


def test_search_finds_country_names_in_the_readers_language(client, directory):
    # "Maroc" is Morocco in French.
    response = client.get(URL, {"q": "Maroc"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert names(response) == ["Paris Bank"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "business"}, ["Paris Bank"]),
        ({"type": ["business", "academic"]}, ["Kathmandu Research Centre", "Paris Bank"]),
        ({"country": "GH"}, ["Fair Cocoa Alliance"]),
        ({"country": ["GH", "FR"]}, ["Fair Cocoa Alliance", "Paris Bank"]),
        ({"region": "africa"}, ["Fair Cocoa Alliance", "Paris Bank"]),  # Morocco is in Africa
        ({"region": "americas"}, ["Miners Union"]),
        ({"action_group": "migration"}, ["Paris Bank"]),
        ({"theme": "child_labour"}, ["Fair Cocoa Alliance", "Kathmandu Research Centre"]),
        ({"sector": "mining"}, ["Miners Union"]),
        ({"sector": ["mining", "cocoa"]}, ["Fair Cocoa Alliance", "Miners Union"]),
    ],
)
def test_each_filter(client, directory, params, expected):
    assert names(client.get(URL, params)) == expected


def test_filters_combine(client, directory):
    response = client.get(URL, {"theme": "forced_labour", "action_group": "supply_chains"})
    assert names(response) == ["Miners Union"]
    response = client.get(URL, {"region": "africa", "type": "business", "q": "bank"})
    assert names(response) == ["Paris Bank"]
    response = client.get(URL, {"region": "africa", "type": "workers_organisation"})
    assert names(response) == []
    assert "0 organisations" in response.content.decode()


def test_organisation_with_two_matching_countries_listed_once(client, directory):
    response = client.get(URL, {"country": ["FR", "MA"], "region": "africa"})
    assert names(response) == ["Paris Bank"]


def test_filter_form_keeps_the_choices_and_offers_clear_link(client, directory):
    response = client.get(URL, {"theme": "child_labour", "q": "cocoa"})
    html = response.content.decode()
    assert 'value="child_labour" id="id_theme_0" checked' in html
    assert 'value="cocoa"' in html
    assert "Clear filters" in html
    assert "Clear filters" not in client.get(URL).content.decode()


def test_country_options_show_localized_names(client, directory):
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "> Maroc</label>" in html
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "> Morocco</label>" in html


def test_unknown_filter_value_does_not_break_the_page(client, directory):
    response = client.get(URL, {"type": "nonsense", "page": "abc"})
    assert response.status_code == 200


def test_pagination_keeps_the_filters(client):
    cocoa = sector("cocoa", "Cocoa")
    for n in range(45):
        OrganisationFactory(name=f"Cocoa partner {n:02d}", sectors=[cocoa])
    OrganisationFactory(name="Unrelated")
    response = client.get(URL, {"sector": "cocoa"})
    page = response.context["page"]
    assert len(page.object_list) == 20
    assert page.paginator.count == 45
    assert page.paginator.num_pages == 3
    html = response.content.decode()
    assert "45 organisations" in html
    assert 'href="?sector=cocoa&amp;page=2"' in html

    response = client.get(URL, {"sector": "cocoa", "page": 3})
    assert names(response) == [f"Cocoa partner {n:02d}" for n in range(40, 45)]
    html = response.content.decode()
    assert 'href="?sector=cocoa&amp;page=2"' in html
    assert 'aria-current="page"' in html


def test_url_round_trips(client, directory):
    """Submitting the filter form gives a URL that, opened again, shows the same results."""
    params = {"q": "a", "type": ["business", "civil_society"], "region": ["africa"]}
    first = client.get(URL, params)
    next_link = f"{URL}?{first.context['query']}"
    query = parse_qs(urlsplit(next_link).query)
    assert query == {"q": ["a"], "type": ["business", "civil_society"], "region": ["africa"]}
    second = client.get(next_link)
    assert names(second) == names(first) == ["Fair Cocoa Alliance", "Paris Bank"]


def test_secretariat_sees_export_links_with_the_filters(secretariat_client, directory):
    html = secretariat_client.get(URL, {"theme": "child_labour"}).content.decode()
    assert f"{reverse('directory:export')}?theme=child_labour&amp;format=csv" in html
    assert reverse("directory:create") in html
