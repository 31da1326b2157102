"""The public API's answers: each valid against the API's own schema; what the public pages
show and nothing more (no e-mail address, no joining link, nothing unpublished or not
public); filters, pages, ETags, the throttle, and GET only."""

import json
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.webinars.factories import ProposalFactory, PublishedWebinarFactory

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def get(client, url: str, **params):
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content[:500]
    return response.json()


def titles(answer) -> list[str]:
    return [row["title"] for row in answer["results"]]


def every_answer(client, programme) -> dict[str, tuple[str, object]]:
    """Each endpoint's answer: {url: (path in the schema, answer)}."""
    slug = programme.series.slug
    urls = {
        "/api/series/": "/api/series/",
        f"/api/series/{slug}/": "/api/series/{slug}/",
        f"/api/series/{slug}/calls/": "/api/series/{slug}/calls/",
        f"/api/series/{slug}/coverage/": "/api/series/{slug}/coverage/",
        "/api/webinars/": "/api/webinars/",
        "/api/recordings/": "/api/recordings/",
        "/api/materials/": "/api/materials/",
        "/api/themes/": "/api/themes/",
        "/api/outcomes/": "/api/outcomes/",
        "/api/languages/": "/api/languages/",
        "/api/organisations/": "/api/organisations/",
    }
    for webinar in (programme.cocoa, programme.fisheries, programme.cancelled, programme.members):
        urls[f"/api/webinars/{webinar.pk}/"] = "/api/webinars/{id}/"
    return {url: (path, get(client, url)) for url, path in urls.items()}


def test_every_answer_matches_the_schema(client, programme, check_schema):
    for _url, (path, answer) in every_answer(client, programme).items():
        check_schema(path, answer)


def test_no_answer_carries_an_email_address_or_a_joining_link(client, programme):
    answers = every_answer(client, programme)
    text = json.dumps([answer for _path, answer in answers.values()])
    assert len(programme.emails) > 10
    for address in programme.emails:
        assert address not in text
    assert EMAIL.findall(text) == []
    for link in programme.joining_links:
        assert link and link not in text
    assert "meet.example.org" not in text
    for word in ("Registrant", "Attendee", "Hidden Person", "Contact ", "woman"):
        assert word not in text


def test_lists_only_what_the_public_pages_show(client, programme):
    webinars = get(client, "/api/webinars/")
    assert titles(webinars) == [
        "Members' briefing",
        "Child labour in West African cocoa",
        "Forced labour at sea",
        "Cancelled webinar",
    ]
    response = client.get(f"/api/webinars/{programme.hidden.pk}/")
    assert response.status_code == 404
    [recording] = get(client, "/api/recordings/")["results"]
    assert recording["language"] == "en"
    assert recording["captions"][0]["transcript_url"].endswith("/transcript/")
    materials = get(client, "/api/materials/")["results"]
    assert [m["title"] for m in materials] == ["Slides for public"]
    members = get(client, f"/api/webinars/{programme.members.pk}/")
    assert members["members_only"] is True
    assert [m["title"] for m in members["materials"]] == ["Slides for public"]
    assert members["speakers"] == []  # the workspace speaker did not agree to be listed
    cancelled = get(client, f"/api/webinars/{programme.cancelled.pk}/")
    assert cancelled["cancelled"] is True
    names = [row["name"] for row in get(client, "/api/organisations/")["results"]]
    assert "Cocoa Workers' Union" in names and "Fair Cocoa Network" in names
    hidden_lead = programme.hidden.proposal.lead_organisation.name
    assert hidden_lead not in names


def test_a_webinar_in_utc_and_in_the_series_zone(client, programme):
    cocoa = get(client, f"/api/webinars/{programme.cocoa.pk}/")
    year = programme.cocoa.starts_at.year
    assert cocoa["starts_at"] == f"{year}-01-12T13:00:00Z"
    assert cocoa["ends_at"] == f"{year}-01-12T14:00:00Z"
    assert cocoa["series_time"] == {
        "zone": "Europe/Paris",
        "start": f"{year}-01-12T14:00:00+01:00",
        "end": f"{year}-01-12T15:00:00+01:00",
        "offset": "UTC+01:00",
    }
    assert cocoa["repeat_session"]["starts_at"] == f"{year}-01-12T23:00:00Z"
    assert cocoa["repeat_session"]["series_time"]["start"] == f"{year}-01-13T00:00:00+01:00"
    assert cocoa["language"] == "en" and cocoa["interpretation"] == ["fr"]
    assert [h["name"] for h in cocoa["hosts"]] == ["Cocoa Workers' Union", "Fair Cocoa Network"]
    assert cocoa["speakers"] == [
        {
            "name": "Ama Mensah",
            "role": "Programme officer",
            "organisation": "Organisation of the speaker",
        }
    ]
    assert cocoa["url"].endswith(programme.cocoa.get_absolute_url())
    fisheries = get(client, f"/api/webinars/{programme.fisheries.pk}/")
    assert fisheries["description"] == {"text": "Fishing fleets and their crews.", "language": "en"}


def test_filters_as_on_the_programme_page(client, programme):
    assert titles(get(client, "/api/webinars/", theme="child_labour")) == [
        "Child labour in West African cocoa"
    ]
    slug = programme.series.slug
    assert titles(get(client, "/api/webinars/", series=slug, outcome=2)) == ["Forced labour at sea"]
    # Spoken or interpreted into.
    assert titles(get(client, "/api/webinars/", language="fr")) == [
        "Child labour in West African cocoa",
        "Cancelled webinar",
    ]
    year = programme.cocoa.starts_at.year
    assert titles(
        get(client, "/api/webinars/", **{"from": f"{year}-01-12", "to": f"{year}-02-09"})
    ) == ["Child labour in West African cocoa", "Forced labour at sea"]
    assert titles(get(client, "/api/webinars/", q="AT SEA")) == ["Forced labour at sea"]
    response = client.get("/api/webinars/", {"from": "not a date", "region": "nowhere"})
    assert response.status_code == 400
    assert set(response.json()) == {"from", "region"}
    assert client.get("/api/webinars/", {"series": "no-such-series"}).status_code == 404


def test_calls_open_and_past(client, programme):
    url = f"/api/series/{programme.series.slug}/calls/"
    [open_call] = get(client, url, status="open")["results"]
    assert open_call["slug"] == "second-call" and open_call["status"] == "open"
    assert open_call["timezone"] == "America/Mexico_City"
    assert open_call["closes_at"].endswith("Z")
    assert open_call["closes_local"].endswith("-06:00") or open_call["closes_local"].endswith(
        "-05:00"
    )
    [past] = get(client, url, status="past")["results"]
    assert past["slug"] == "first-call" and past["status"] == "closed"
    assert client.get("/api/series/nothing/calls/").status_code == 404


def test_the_public_workplan_coverage(client, programme):
    slug = programme.series.slug
    answer = get(client, f"/api/series/{slug}/coverage/")
    first = answer["outputs"][0]
    assert (first["outcome"], first["number"]) == (1, 1)
    # Published webinars only: the unpublished one linked to the same Output is not counted.
    assert first["webinars_linked"] == 1 and first["gap"] is False
    assert [w["title"] for w in first["webinars"]] == ["Child labour in West African cocoa"]
    assert all(row["gap"] for row in answer["outputs"][1:])
    other = get(client, f"/api/series/{slug}/coverage/", call="second-call")
    assert other["call"] == "second-call" and other["outputs"][0]["gap"] is True
    assert client.get(f"/api/series/{slug}/coverage/", {"call": "nope"}).status_code == 404


def test_reference_lists(client, programme):
    themes = [row["code"] for row in get(client, "/api/themes/", page_size=100)["results"]]
    assert "child_labour" in themes
    outcomes = get(client, "/api/outcomes/", page_size=100)["results"]
    assert outcomes and all("outputs" in row for row in outcomes)
    assert [row["code"] for row in get(client, "/api/languages/")] == ["en", "fr", "es", "other"]
    french = client.get("/api/languages/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert french[1]["name"] == "Français" or french[1]["name"].lower() == "français"


def test_pages(client, programme):
    first = get(client, "/api/webinars/", page_size=3)
    assert first["count"] == 4 and len(first["results"]) == 3
    assert "page=2" in first["next"] and first["previous"] is None
    second = get(client, "/api/webinars/", page_size=3, page=2)
    assert titles(second) == ["Cancelled webinar"]
    capped = get(client, "/api/themes/", page_size=5000)
    assert len(capped["results"]) <= 100


def test_an_unchanged_answer_is_not_sent_again(client, programme):
    first = client.get("/api/webinars/")
    assert first.status_code == 200 and first.has_header("ETag")
    assert not first.cookies  # no session, no CSRF token
    again = client.get("/api/webinars/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    programme.fisheries.proposal.title = "Forced labour on fishing vessels"
    programme.fisheries.proposal.save()
    changed = client.get("/api/webinars/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200


@override_settings(
    REST_FRAMEWORK={
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/min"},
    }
)
def test_each_client_is_throttled(client, programme):
    for _ in range(3):
        assert client.get("/api/themes/").status_code == 200
    refused = client.get("/api/themes/")
    assert refused.status_code == 429
    assert refused.has_header("Retry-After")
    # A client's own X-Forwarded-For is not believed (no trusted proxy here).
    assert client.get("/api/themes/", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    other = client.get("/api/themes/", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_read_only(client, programme):
    for url in ("/api/webinars/", f"/api/webinars/{programme.cocoa.pk}/", "/api/themes/"):
        for method in (client.post, client.put, client.patch, client.delete):
            assert method(url, {}).status_code == 405


def test_the_schema_is_served(client, programme):
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    assert "/api/webinars/" in response.json()["paths"]


def test_a_list_takes_the_same_queries_whatever_its_rows(client, programme):
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    urls = ("/api/webinars/", "/api/series/", "/api/organisations/", "/api/outcomes/")
    before = {url: queries(url) for url in urls}
    for n in range(3):
        PublishedWebinarFactory(
            proposal=ProposalFactory(
                call=programme.open_call, title=f"More {n}", themes=["child_labour"]
            )
        )
    assert {url: queries(url) for url in urls} == before
