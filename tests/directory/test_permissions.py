import pytest
from django.urls import reverse

from .factories import AffiliationFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def manage_urls():
    org = OrganisationFactory(slug="some-org")
    return [
        reverse("directory:create"),
        reverse("directory:edit", kwargs={"slug": org.slug}),
        reverse("directory:merge"),
        reverse("directory:import"),
        reverse("directory:import_template"),
        reverse("directory:export") + "?format=csv",
        reverse("directory:export") + "?format=xlsx",
    ]


def test_every_manage_page_sends_anonymous_readers_to_log_in(client):
    for url in manage_urls():
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("account_login")), url


def test_every_manage_page_refuses_other_users(client):
    member = UserFactory()
    AffiliationFactory(user=member)  # even a verified member contact
    client.force_login(member)
    for url in manage_urls():
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url


def test_secretariat_opens_every_manage_page(secretariat_client):
    for url in manage_urls():
        assert secretariat_client.get(url).status_code == 200, url
