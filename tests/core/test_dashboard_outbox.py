"""The secretariat's dashboard counts the e-mails held for approval and links to them."""

import html

import pytest
from django.urls import reverse

from deepdive.outbox.operations import queue_email
from tests.accounts.factories import SecretariatFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_counts_and_links_the_held_emails(client):
    for n in range(3):
        queue_email(
            to=f"host{n}@example.net",
            subject=f"Your proposal {n} is selected",
            text="Dear host",
            kind="decision",
            hold=True,
            batch="Decisions — call 2027",
        )
    client.force_login(SecretariatFactory())

    page = html.unescape(client.get(reverse("core:dashboard")).content.decode())

    held_url = reverse("outbox:list") + "?status=held"
    assert f'<a href="{held_url}">3 e-mails waiting for approval</a>' in page
    listed = html.unescape(client.get(held_url).content.decode())
    assert "Your proposal 0 is selected" in listed
    assert "Your proposal 2 is selected" in listed


def test_without_held_emails_the_dashboard_says_nothing_of_approval(client):
    client.force_login(SecretariatFactory())
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "waiting for approval" not in page
