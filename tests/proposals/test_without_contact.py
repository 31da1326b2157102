"""A co-submitting organisation with no verified contact: the lead and the secretariat are
warned; the secretariat invites someone by e-mail; once that person is verified, the
organisation is asked like the others."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deepdive.accounts.operations import decide_affiliation, state_affiliation
from deepdive.core.models import AuditEntry
from deepdive.outbox.models import OutboxMessage
from deepdive.proposals import operations
from deepdive.proposals.models import CoSubmitter
from deepdive.proposals.queries import co_submitters_without_contact
from tests.accounts.factories import SecretariatFactory, UserFactory

from .conftest import complete_data, make_organisation

pytestmark = pytest.mark.django_db

WARNING = (
    "Andes Coffee Cooperative has no verified contact on Deep Dive, so nobody can confirm its part."
)


@pytest.fixture
def lonely(group):
    return make_organisation("Andes Coffee Cooperative", group)


@pytest.fixture
def proposal(call, organisation, member, lonely):
    call.co_submitters_must_confirm = True
    call.save()
    data = complete_data(organisation, co_organisations=[lonely])
    return operations.create_draft(actor=member, call=call, data=data, submit=True).proposal


def page(client, url) -> str:
    return html.unescape(client.get(url).content.decode())


def test_the_lead_is_warned_on_the_proposal_page(member_client, proposal):
    assert WARNING in page(member_client, reverse("proposals:view", kwargs={"pk": proposal.pk}))


def test_the_secretariat_is_warned_and_invites_a_contact(client, proposal, lonely):
    client.force_login(SecretariatFactory())
    detail = reverse("proposals:manage_detail", kwargs={"pk": proposal.pk})
    assert WARNING in page(client, detail)
    co = CoSubmitter.objects.get(organisation=lonely)
    invite = reverse("proposals:invite_contact", kwargs={"pk": co.pk})

    refused = client.post(invite, {f"{co.pk}-email": "not an address"})
    assert refused.status_code == 400
    assert 'value="not an address"' in refused.content.decode()
    assert "Enter a valid email address." in html.unescape(refused.content.decode())

    response = client.post(invite, {f"{co.pk}-email": "rosa@andes.example"}, follow=True)
    assert "rosa@andes.example is invited to be the contact of Andes Coffee Cooperative" in (
        html.unescape(response.content.decode())
    )
    client.post(invite, {f"{co.pk}-email": "rosa@andes.example"})  # a double submit
    [message] = OutboxMessage.objects.filter(kind="proposals.contact_invitation")
    assert message.to_email == "rosa@andes.example"
    assert "http://testserver" + reverse("account_signup") in message.body_text
    assert "http://testserver" + reverse("accounts:affiliations") in message.body_text
    assert "Andes Coffee Cooperative" in message.body_text
    co.refresh_from_db()
    assert co.contact_invited_email == "rosa@andes.example"
    assert AuditEntry.objects.filter(action="proposals.contact_invited").count() == 1


def test_only_the_secretariat_invites(member, proposal, lonely):
    co = CoSubmitter.objects.get(organisation=lonely)
    with pytest.raises(operations.NotAllowed):
        operations.invite_contact(actor=member, co_submitter=co, email="rosa@andes.example")


def test_the_invited_contact_is_asked_as_soon_as_verified(
    proposal, lonely, django_capture_on_commit_callbacks
):
    co = CoSubmitter.objects.get(organisation=lonely)
    secretariat = SecretariatFactory()
    operations.invite_contact(actor=secretariat, co_submitter=co, email="rosa@andes.example")
    rosa = UserFactory(email="rosa@andes.example", name="Rosa Quispe")
    affiliation = state_affiliation(actor=rosa, user=rosa, organisation=lonely)
    assert not OutboxMessage.objects.filter(kind="proposals.invitation").exists()

    with django_capture_on_commit_callbacks(execute=True):
        decide_affiliation(actor=secretariat, affiliation=affiliation, verified=True)

    [request] = OutboxMessage.objects.filter(kind="proposals.invitation")
    assert request.to_email == "rosa@andes.example"
    co.refresh_from_db()
    assert co.invited_at is not None


def test_the_invited_contact_once_verified_gets_the_request(proposal, lonely):
    co = CoSubmitter.objects.get(organisation=lonely)
    assert co.invited_at is None  # nobody could be asked
    assert not OutboxMessage.objects.filter(kind="proposals.invitation").exists()
    secretariat = SecretariatFactory()
    operations.invite_contact(actor=secretariat, co_submitter=co, email="rosa@andes.example")

    rosa = UserFactory(email="rosa@andes.example", name="Rosa Quispe")
    affiliation = state_affiliation(actor=rosa, user=rosa, organisation=lonely)
    decide_affiliation(actor=secretariat, affiliation=affiliation, verified=True)
    operations.send_participation_reminders(now=timezone.now() + timedelta(hours=1))

    [request] = OutboxMessage.objects.filter(kind="proposals.invitation")
    assert request.to_email == "rosa@andes.example"
    assert "please confirm or decline" in request.body_text
    co.refresh_from_db()
    assert co.invited_at is not None
    # asked once only
    operations.send_participation_reminders(now=timezone.now() + timedelta(hours=2))
    assert OutboxMessage.objects.filter(kind="proposals.invitation").count() == 1
    assert co_submitters_without_contact(proposal) == []
