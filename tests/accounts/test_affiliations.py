import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.db import IntegrityError
from django.urls import reverse

from deepdive.accounts import operations
from deepdive.core.models import AuditEntry
from deepdive.directory.models import Affiliation
from deepdive.outbox.models import OutboxMessage

from .factories import (
    AffiliationFactory,
    OrganisationDomainFactory,
    OrganisationFactory,
    SecretariatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _state(client, organisation, position=""):
    return client.post(
        reverse("accounts:affiliations"),
        {"organisation": organisation.pk, "position": position},
    )


def test_affiliations_page_lists_only_active_organisations(client):
    active = OrganisationFactory(name="Active org")
    OrganisationFactory(name="Merged org", merged_into=active)
    client.force_login(UserFactory())
    html = client.get(reverse("accounts:affiliations")).content.decode()
    assert "Active org" in html
    assert "Merged org" not in html


def test_affiliation_verified_automatically_by_email_domain(client):
    domain = OrganisationDomainFactory(domain="ilo.org")
    user = UserFactory(email="someone@ilo.org")
    SecretariatFactory()
    client.force_login(user)
    response = _state(client, domain.organisation, "Officer")
    assert response.status_code == 302
    affiliation = Affiliation.objects.get(user=user)
    assert affiliation.status == Affiliation.Status.VERIFIED
    assert affiliation.verified_automatically
    assert affiliation.decided_at is not None
    assert affiliation.position == "Officer"
    assert not OutboxMessage.objects.exists()  # nobody needs to verify it
    assert AuditEntry.objects.filter(action="accounts.affiliation_stated").count() == 1
    html = client.get(reverse("accounts:affiliations")).content.decode()
    assert "verified" in html


def test_subdomain_counts_but_a_lookalike_does_not():
    organisation = OrganisationDomainFactory(domain="ilo.org").organisation
    sub = UserFactory(email="a@geneva.ilo.org")
    lookalike = UserFactory(email="b@notilo.org")
    assert (
        operations.state_affiliation(actor=sub, user=sub, organisation=organisation).status
        == Affiliation.Status.VERIFIED
    )
    assert (
        operations.state_affiliation(
            actor=lookalike, user=lookalike, organisation=organisation
        ).status
        == Affiliation.Status.PENDING
    )


def test_unverified_address_at_the_domain_does_not_verify():
    organisation = OrganisationDomainFactory(domain="ilo.org").organisation
    user = UserFactory(email="x@ilo.org", verified_email=False)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    affiliation = operations.state_affiliation(actor=user, user=user, organisation=organisation)
    assert affiliation.status == Affiliation.Status.PENDING


def test_pending_affiliation_notifies_every_secretariat_user_in_their_language(client):
    organisation = OrganisationFactory(name="Workers United")
    english = SecretariatFactory(language="en")
    french = SecretariatFactory(language="fr")
    SecretariatFactory(is_active=False)
    user = UserFactory(name="Ana Ruiz")
    client.force_login(user)
    response = _state(client, organisation, "Coordinator")
    assert response.status_code == 302
    affiliation = Affiliation.objects.get(user=user)
    assert affiliation.status == Affiliation.Status.PENDING
    assert not affiliation.verified_automatically
    messages = {m.to_email: m for m in OutboxMessage.objects.all()}
    assert set(messages) == {english.email, french.email}
    for message in messages.values():
        assert message.kind == "affiliation"
        assert "Ana Ruiz" in message.body_text
        assert "Workers United" in message.subject
        assert reverse("accounts:affiliations_to_verify") in message.body_text
        assert message.related == affiliation
    assert messages[french.email].language == "fr"
    assert messages[english.email].language == "en"


def test_second_statement_for_the_same_organisation_is_refused(client):
    organisation = OrganisationFactory()
    user = UserFactory()
    client.force_login(user)
    _state(client, organisation)
    response = _state(client, organisation)
    assert response.status_code == 200
    assert "already stated an affiliation" in response.content.decode()
    assert Affiliation.objects.filter(user=user).count() == 1


def test_race_on_the_unique_constraint_is_reported_as_a_duplicate(monkeypatch):
    organisation = OrganisationFactory()
    user = UserFactory()

    def racing_create(**kwargs):
        raise IntegrityError("UNIQUE constraint failed")

    monkeypatch.setattr(Affiliation.objects, "create", racing_create)
    with pytest.raises(operations.AffiliationExists):
        operations.state_affiliation(actor=user, user=user, organisation=organisation)


def test_confirming_an_address_verifies_matching_pending_affiliations():
    matching = OrganisationDomainFactory(domain="unicef.org").organisation
    other = OrganisationFactory()
    user = UserFactory(email="me@gmail.example")
    first = operations.state_affiliation(actor=user, user=user, organisation=matching)
    second = operations.state_affiliation(actor=user, user=user, organisation=other)
    assert first.status == second.status == Affiliation.Status.PENDING
    address = EmailAddress.objects.create(user=user, email="me@nyc.unicef.org", verified=True)
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Affiliation.Status.VERIFIED
    assert first.verified_automatically
    assert second.status == Affiliation.Status.PENDING
    assert OutboxMessage.objects.filter(to_email=user.email, kind="affiliation").count() == 1


# The secretariat's page and decisions


def test_manage_page_is_for_the_secretariat_only(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:affiliations_to_verify")).status_code == 403


def test_decide_post_is_for_the_secretariat_only(client):
    affiliation = AffiliationFactory()
    client.force_login(UserFactory())
    response = client.post(
        reverse("accounts:decide_affiliation", args=[affiliation.pk]), {"decision": "verify"}
    )
    assert response.status_code == 403
    affiliation.refresh_from_db()
    assert affiliation.status == Affiliation.Status.PENDING


def test_manage_page_lists_pending_with_details(client):
    affiliation = AffiliationFactory(
        user=UserFactory(name="Kofi Boateng", email="kofi@example.net"),
        organisation=OrganisationFactory(name="Cocoa Coop"),
        position="Chair",
    )
    reader = SecretariatFactory(timezone="Asia/Kathmandu")
    client.force_login(reader)
    html = client.get(reverse("accounts:affiliations_to_verify")).content.decode()
    for text in ("Kofi Boateng", "kofi@example.net", "Cocoa Coop", "Chair", "Kathmandu"):
        assert text in html
    assert reverse("accounts:decide_affiliation", args=[affiliation.pk]) in html
    assert 'name="reason"' in html


def test_secretariat_verifies_and_the_person_is_told(client):
    person = UserFactory(language="es")
    affiliation = AffiliationFactory(user=person)
    reader = SecretariatFactory()
    client.force_login(reader)
    response = client.post(
        reverse("accounts:decide_affiliation", args=[affiliation.pk]), {"decision": "verify"}
    )
    assert response.status_code == 302
    affiliation.refresh_from_db()
    assert affiliation.status == Affiliation.Status.VERIFIED
    assert affiliation.decided_by == reader
    assert affiliation.decided_at is not None
    assert not affiliation.verified_automatically
    message = OutboxMessage.objects.get(to_email=person.email)
    assert message.language == "es"
    assert message.related == affiliation
    entry = AuditEntry.objects.get(action="accounts.affiliation_verified")
    assert entry.actor == reader
    html = client.get(reverse("accounts:affiliations_to_verify")).content.decode()
    assert "Recently decided" in html and person.email in html


def test_secretariat_rejects_with_a_reason_sent_to_the_person(client):
    person = UserFactory()
    affiliation = AffiliationFactory(user=person)
    client.force_login(SecretariatFactory())
    client.post(
        reverse("accounts:decide_affiliation", args=[affiliation.pk]),
        {"decision": "reject", "reason": "Not listed as staff."},
    )
    affiliation.refresh_from_db()
    assert affiliation.status == Affiliation.Status.REJECTED
    assert affiliation.reason == "Not listed as staff."
    message = OutboxMessage.objects.get(to_email=person.email)
    assert "Not listed as staff." in message.body_text
    assert "not verified" in message.subject
    assert AuditEntry.objects.filter(action="accounts.affiliation_rejected").exists()


def test_deciding_twice_is_refused_with_a_message(client):
    affiliation = AffiliationFactory()
    client.force_login(SecretariatFactory())
    url = reverse("accounts:decide_affiliation", args=[affiliation.pk])
    client.post(url, {"decision": "verify"})
    response = client.post(url, {"decision": "reject", "reason": "x"}, follow=True)
    assert "already decided" in response.content.decode()
    affiliation.refresh_from_db()
    assert affiliation.status == Affiliation.Status.VERIFIED
    assert OutboxMessage.objects.filter(to_email=affiliation.user.email).count() == 1


def test_invalid_decision_changes_nothing(client):
    affiliation = AffiliationFactory()
    client.force_login(SecretariatFactory())
    response = client.post(
        reverse("accounts:decide_affiliation", args=[affiliation.pk]), {"decision": "maybe"}
    )
    assert response.status_code == 302
    affiliation.refresh_from_db()
    assert affiliation.status == Affiliation.Status.PENDING
