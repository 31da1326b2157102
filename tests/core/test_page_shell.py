"""What every page carries: a Content-Security-Policy, compression only where no secret is in
the page (BREACH), and an icon."""

import gzip
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.directory.factories import UserFactory
from tests.proposals.factories import CallFactory

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "deepdive"


def test_every_page_sends_the_content_security_policy(client):
    assert client.get("/")["Content-Security-Policy"] == POLICY
    assert client.get("/no/such/page/")["Content-Security-Policy"] == POLICY
    assert client.get("/accounts/login/")["Content-Security-Policy"] == POLICY


def test_the_admin_keeps_its_scripts_from_self_only(client):
    policy = client.get("/admin/login/")["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy


def test_no_template_has_inline_script_or_style():
    """Inline code would be refused by the policy: scripts and styles live in static files
    (e-mail templates are not pages and keep their inline style)."""
    found = []
    for path in TEMPLATES.glob("**/templates/**/*.html"):
        if "/email/" in str(path):
            continue
        text = path.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"<style\b", r"\sstyle=", r"\son\w+="):
            if re.search(pattern, text):
                found.append(f"{path.relative_to(TEMPLATES)}: {pattern}")
    assert found == []


def test_an_anonymous_programme_page_is_compressed(client, reference_data):
    call = CallFactory()
    response = client.get(call.series.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert call.series.title in gzip.decompress(response.content).decode()


def test_a_signed_in_page_with_a_form_is_not_compressed(client):
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:profile"), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.text
    assert not response.has_header("Content-Encoding")


def test_an_anonymous_page_with_a_csrf_token_is_not_compressed(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.text
    assert not response.has_header("Content-Encoding")


def test_the_site_has_an_icon(client):
    page = client.get("/").text
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/img/favicon.svg"
    icon = client.get("/static/img/favicon.svg")
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)
