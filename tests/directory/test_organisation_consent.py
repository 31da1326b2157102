"""Issue 14: on an organisation's page the secretariat sees which contacts unsubscribed or
bounced; other members see the contacts without it."""

import pytest

from deepdive.outbox import consent

from .factories import AffiliationFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    org = OrganisationFactory(name="Fair Cocoa Alliance")
    for name, email in [
        ("Ama Mensah", "Ama@fca.example.org"),
        ("Kofi Boateng", "kofi@fca.example.org"),
        ("Efua Owusu", "efua@fca.example.org"),
    ]:
        AffiliationFactory(organisation=org, user=UserFactory(name=name, email=email))
    consent.unsubscribe(address="ama@fca.example.org", scope="invitation")
    consent.mark_bounced(address="kofi@fca.example.org", error="550 5.1.1 No such user")
    return org


def notes_of(html: str, email: str) -> str:
    """What the contact's row shows after the address."""
    return html.split(email, 1)[1].split("</tr>", 1)[0]


def test_the_secretariat_sees_who_unsubscribed_or_bounced(secretariat_client, organisation):
    html = secretariat_client.get(organisation.get_absolute_url()).content.decode()

    assert "unsubscribed from invitations" in notes_of(html, "Ama@fca.example.org")
    assert "bounced" in notes_of(html, "kofi@fca.example.org")
    efua = notes_of(html, "efua@fca.example.org")
    assert "unsubscribed" not in efua and "bounced" not in efua


def test_other_members_see_the_contacts_but_not_their_e_mail_choices(client, organisation):
    member = UserFactory()
    AffiliationFactory(user=member)
    client.force_login(member)

    html = client.get(organisation.get_absolute_url()).content.decode()

    assert "kofi@fca.example.org" in html
    assert "unsubscribed from" not in html
    assert "bounced" not in html
