"""The API's documentation page: made from the schema, every endpoint with its parameters
and an example address, served by the platform (no third-party host, no script), small."""

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
