"""The API's documentation page: made from the schema, every endpoint with its parameters
and an example address, served by the platform (no third-party host, no script), small; what
a reader checks: plain words (no markdown left over), each endpoint saying what it lists, its
filters and its order, and the rules of use (pages, filters, ETag, rate limit, privacy) on top."""

import html
import re

import pytest
from django.urls import reverse

from deepdive.api import docs

pytestmark = pytest.mark.django_db

URL = reverse("api:docs")


def test_lists_every_endpoint_with_its_parameters_and_an_example(client, reference_data):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    for path in docs.schema()["paths"]:
        assert f"GET {path}" in page
    assert "http://testserver/api/webinars/?theme=child_labour" in page
    assert "http://testserver/api/webinars/1/" in page
    for name in ("series", "theme", "outcome", "language", "from", "to", "q", "page_size"):
        assert f"<code>{name}</code>" in page
    assert "Starting on or after this date (UTC)." in page
    assert 'href="/api/schema/"' in page


def test_no_third_party_host_no_script_and_small(client, reference_data):
    response = client.get(URL)
    page = response.content.decode()
    assert "<script" not in page.split("</footer>")[0].split("<body")[1]
    hosts = set(re.findall(r'(?:src|href)="https?://([^/"]+)', page))
    assert hosts <= {"testserver"}
    assert len(response.content) < 60 * 1024


def test_linked_from_the_footer(client, reference_data):
    assert f'href="{URL}"' in client.get("/").content.decode()


def test_in_each_language(client, reference_data):
    for language in ("en", "fr", "es"):
        response = client.get(URL, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        assert f'lang="{language}"' in response.content.decode()


def _text(page: str) -> str:
    """The page's text as a reader sees it (tags taken out, entities read)."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_allowed_values_in_plain_words_no_markdown(client, reference_data):
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    text = _text(page)
    assert "* `" not in page
    assert "`" not in text
    assert (
        "Spoken, or interpreted into. One of: English (en), French (fr), Spanish (es), "
        "Another language (other)."
    ) in text
    assert "One of: Africa (africa), Americas (americas)," in text
    assert "Which calls: open (taking proposals now), past (closed) or scheduled" in text


def test_every_choice_in_the_schema_is_described_in_words(reference_data):
    schema = docs.schema()
    for path, operations in schema["paths"].items():
        for parameter in operations["get"].get("parameters", []):
            description = parameter.get("description", "")
            assert "`" not in description, (path, parameter["name"])
            for value in parameter["schema"].get("enum", []):
                assert f"{value} (" in description or f"({value})" in description, (
                    path,
                    parameter["name"],
                    value,
                )
    assert "`" not in str(schema["components"])


def test_every_endpoint_says_what_it_lists_its_filters_and_its_order(reference_data):
    found = docs.schema()["paths"]
    descriptions = [operations["get"].get("description", "") for operations in found.values()]
    assert all(descriptions), "an endpoint has no description"
    assert len(set(descriptions)) == len(descriptions), "two endpoints share a description"
    assert not any("A paginated list" in text for text in descriptions)
    for path, operations in found.items():
        operation = operations["get"]
        description = operation["description"]
        filters = [
            p["name"]
            for p in operation.get("parameters", [])
            if p["in"] == "query" and p["name"] not in ("page", "page_size")
        ]
        if filters:
            examples = re.findall(r"e\.g\. (/api/\S+\?(\w+)=)", description)
            assert any(name in filters for _address, name in examples), path
        elif "{" not in path:
            assert "Takes no filters" in description, path
    order = {
        "/api/series/": "Newest series first",
        "/api/webinars/": "Earliest first",
        "/api/recordings/": "Newest webinar first",
        "/api/themes/": "In the list's own order",
        "/api/outcomes/": "By Action Group, then by number",
        "/api/organisations/": "By name",
        "/api/languages/": "In a fixed order",
    }
    for path, words in order.items():
        assert words in found[path]["get"]["description"], path


def test_the_rules_of_use_come_first(client, reference_data):
    text = _text(client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    top = text.split("Endpoints")[0]
    assert "A list comes in pages of 20" in top
    assert "/api/webinars/?page=2&page_size=50" in top
    assert "Filters combine (all must match), e.g. /api/webinars/?theme=child_labour" in top
    assert "Send it back in an If-None-Match header" in top
    assert "304 Not Modified" in top
    assert "Each client (an address) may make up to 120 requests a minute." in top
    assert "429 Too Many Requests" in top
    assert "Never personal data" in top
    assert "never a joining link" in top


def test_every_example_address_answers(client, programme):
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    examples = re.findall(r'<a href="(http://testserver/api/[^"]+)">', page)
    assert len(examples) >= len(docs.schema()["paths"])
    for example in examples:
        address = html.unescape(example).removeprefix("http://testserver")
        assert client.get(address).status_code == 200, address
    assert f"/api/series/{programme.series.slug}/coverage/?call=" in page
