"""The library: published recordings and the materials a reader may see, of every series;
search and each filter in the address; no player on the page; a fixed number of queries;
under 60 KB."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deepdive.directory.models import Affiliation
from deepdive.reference.models import Output
from deepdive.webinars.models import Material, Recording, Webinar
from tests.accounts.factories import AffiliationFactory, SecretariatFactory
from tests.proposals.factories import outcome
from tests.webinars.factories import (
    CallFactory,
    ProposalFactory,
    PublishedWebinarFactory,
    ReaderFactory,
    SeriesFactory,
    member,
)

pytestmark = pytest.mark.django_db

URL = reverse("webinars:library")


def held(title: str, *, when: datetime | None = None, **proposal) -> Webinar:
    start = when or timezone.now() - timedelta(days=10)
    return PublishedWebinarFactory(
        proposal=ProposalFactory(title=title, **proposal),
        starts_at=start,
        planned_start=start,
        state=Webinar.State.RECORDING_PUBLISHED,
    )


def recorded(webinar: Webinar, language: str = "en", *, published: bool = True) -> Recording:
    return Recording.objects.create(
        webinar=webinar,
        url=f"https://www.youtube.com/watch?v=abcdefghij{webinar.pk % 10}",
        provider="youtube",
        video_id="abcdefghijk",
        language=language,
        published_at=timezone.now() if published else None,
    )


def material(webinar: Webinar, title: str, visibility: str) -> Material:
    return Material.objects.create(
        webinar=webinar,
        title=title,
        content_type="application/pdf",
        size=2048,
        visibility=visibility,
    )


def titles(response) -> list[str]:
    return [entry.webinar.title for entry in response.context["library"].entries]


def test_lists_published_recordings_and_public_materials_only(client):
    recorded(held("Cocoa and child labour"))
    recorded(held("Unpublished recording"), published=False)
    material(held("Slides only"), "Public slides", "public")
    material(held("Members' slides"), "Members file", "members")
    response = client.get(URL)
    assert response.status_code == 200
    assert sorted(titles(response)) == ["Cocoa and child labour", "Slides only"]
    page = response.content.decode()
    assert "<iframe" not in page and "youtube" not in page  # no player: links to the pages


def test_members_and_secretariat_see_more_materials(client):
    material(held("Members' slides"), "Members file", "members")
    material(held("Hosts' notes"), "Notes", "hosts")
    client.force_login(member())
    assert titles(client.get(URL)) == ["Members' slides"]
    client.force_login(SecretariatFactory())
    assert sorted(titles(client.get(URL))) == ["Hosts' notes", "Members' slides"]


def test_search_and_filters_in_the_address(client):
    other_series = SeriesFactory(title="Migration series")
    mining = held(
        "Mining supply chains",
        themes=["forced_labour"],
        sectors=["mining"],
        outcomes=[outcome(2)],
        countries=["GH"],
        call=CallFactory(series=other_series),
        when=datetime(2025, 3, 10, 13, tzinfo=UTC),
    )
    recorded(mining, "fr")
    cocoa = held(
        "Cocoa and child labour",
        themes=["child_labour"],
        sectors=["agriculture"],
        outcomes=[outcome(1)],
        countries=["PE"],
        when=datetime(2026, 2, 10, 13, tzinfo=UTC),
    )
    recorded(cocoa, "en")
    material(cocoa, "Due diligence toolkit", "public")
    output = Output.objects.create(outcome=outcome(2), number=1, text="Research on trends")

    def shown(**query) -> list[str]:
        return titles(client.get(URL, query))

    assert shown(q="toolkit") == ["Cocoa and child labour"]
    assert shown(q="MINING") == ["Mining supply chains"]
    assert shown(series=other_series.slug) == ["Mining supply chains"]
    assert shown(theme="child_labour") == ["Cocoa and child labour"]
    assert shown(outcome=outcome(2).pk) == ["Mining supply chains"]
    assert shown(output=output.pk) == ["Mining supply chains"]
    assert shown(sector="agriculture") == ["Cocoa and child labour"]
    assert shown(region="africa") == ["Mining supply chains"]
    assert shown(language="fr") == ["Mining supply chains"]
    assert shown(year="2025") == ["Mining supply chains"]
    assert shown(year="2026", theme="forced_labour") == []
    assert shown() == ["Cocoa and child labour", "Mining supply chains"]  # newest first


def test_unknown_filter_value_is_ignored_beside_its_field(client):
    recorded(held("Cocoa and child labour"))
    response = client.get(URL, {"theme": "no-such-theme"})
    assert titles(response) == ["Cocoa and child labour"]
    assert response.context["form"].errors["theme"]


def test_same_number_of_queries_whatever_the_rows_and_light(client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        assert response.status_code == 200
        assert len(response.content) < 60 * 1024
        return len(queries)

    webinar = held("First")
    recorded(webinar)
    material(webinar, "Slides", "public")
    few = count()
    for n in range(15):
        webinar = held(f"Webinar {n}")
        recorded(webinar)
        recorded(webinar, "fr")
        material(webinar, f"Slides {n}", "public")
    assert count() == few


def test_linked_from_the_main_navigation(client):
    page = client.get(reverse("directory:list")).content.decode()
    assert f'href="{URL}"' in page


def _host_of(webinar: Webinar):
    person = ReaderFactory()
    AffiliationFactory(
        user=person,
        organisation=webinar.proposal.lead_organisation,
        status=Affiliation.Status.VERIFIED,
    )
    return person


def test_a_host_sees_their_own_hosts_only_materials_not_another_webinars(client):
    own = held("Our webinar")
    material(own, "Our run sheet", "hosts")
    material(held("Another webinar"), "Their run sheet", "hosts")
    client.force_login(_host_of(own))

    response = client.get(URL)

    assert titles(response) == ["Our webinar"]
    [entry] = response.context["library"].entries
    assert [m.title for m in entry.materials] == ["Our run sheet"]


def test_a_hosts_library_takes_the_same_number_of_queries_whatever_the_rows(client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    own = held("Our webinar")
    material(own, "Our run sheet", "hosts")
    client.force_login(_host_of(own))
    few = count()
    for n in range(10):
        webinar = held(f"Webinar {n}")
        material(webinar, f"Run sheet {n}", "hosts")
        material(own, f"Our notes {n}", "hosts")
        recorded(webinar)
    assert count() == few
