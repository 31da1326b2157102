import pytest
from django.urls import reverse

from deepdive.directory import operations
from deepdive.directory.models import Affiliation

from .factories import AffiliationFactory, OrganisationFactory, UserFactory, action_group, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    org = OrganisationFactory(
        name="Fair Cocoa Alliance",
        acronym="FCA",
        countries=["GH", "FR"],
        website="https://fca.example.org",
        description="Works with cocoa farmers.",
        action_groups=[action_group()],
        themes=[theme()],
    )
    AffiliationFactory(
        organisation=org,
        user=UserFactory(name="Ama Mensah", email="ama@fca.example.org"),
        position="Director",
    )
    AffiliationFactory(
        organisation=org,
        user=UserFactory(name="Pending Person", email="pending@example.net"),
        status=Affiliation.Status.PENDING,
    )
    return org


def test_public_page_shows_the_organisation_without_personal_data(client, organisation):
    response = client.get(organisation.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Fair Cocoa Alliance",
        "FCA",
        "Civil society organisation",
        "Ghana",
        "France",
        "https://fca.example.org",
        "Supply Chains",
        "Child labour",
        "Works with cocoa farmers.",
    ]:
        assert text in html
    assert "ama@fca.example.org" not in html
    assert "Ama Mensah" not in html
    assert "Edit" not in html
    assert "History" not in html


def test_unverified_user_does_not_see_contacts(client, organisation):
    pending = UserFactory()
    AffiliationFactory(user=pending, status=Affiliation.Status.PENDING)
    rejected = UserFactory()
    AffiliationFactory(user=rejected, status=Affiliation.Status.REJECTED)
    for user in (UserFactory(), pending, rejected):
        client.force_login(user)
        html = client.get(organisation.get_absolute_url()).content.decode()
        assert "ama@fca.example.org" not in html
        assert "Ama Mensah" not in html


def test_verified_member_of_any_organisation_sees_verified_contacts(client, organisation):
    member = UserFactory()
    AffiliationFactory(user=member)  # verified, at another organisation
    client.force_login(member)
    response = client.get(organisation.get_absolute_url())
    html = response.content.decode()
    assert "Ama Mensah" in html
    assert "ama@fca.example.org" in html
    assert "Director" in html
    assert "pending@example.net" not in html  # only verified contacts
    assert [c.user.email for c in response.context["contacts"]] == ["ama@fca.example.org"]


def test_secretariat_sees_contacts_edit_link_and_history(
    secretariat_client, secretariat, organisation
):
    operations.update_organisation(
        actor=secretariat, organisation=organisation, fields={"acronym": "FCAL"}
    )
    html = secretariat_client.get(organisation.get_absolute_url()).content.decode()
    assert "ama@fca.example.org" in html
    assert reverse("directory:edit", kwargs={"slug": organisation.slug}) in html
    assert "History" in html
    assert "changed: acronym" in html


def test_merged_organisation_redirects_permanently(client, organisation):
    old = OrganisationFactory(name="FCA old", merged_into=organisation)
    older = OrganisationFactory(name="FCA older", merged_into=old)
    response = client.get(old.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"] == organisation.get_absolute_url()
    response = client.get(older.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"] == organisation.get_absolute_url()


def test_unknown_slug_is_404(client, db):
    assert client.get(reverse("directory:organisation", kwargs={"slug": "nope"})).status_code == 404
