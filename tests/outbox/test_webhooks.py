"""Bounces and complaints reported later by an e-mail service (issue 14): Postmark's tracking
webhook, as django-anymail receives it (JSON, HTTP basic auth with WEBHOOK_SECRET), marks the
address; events that are not a permanent failure change nothing; a wrong or missing secret is
refused; without a secret set the webhook does not exist."""

import base64
import json

import pytest
from django.test import Client
from django.urls import reverse

from deepdive.core.models import AuditEntry
from deepdive.outbox import consent
from deepdive.outbox.models import Suppression

pytestmark = pytest.mark.django_db

SECRET = "postmark:s3cret-webhook-pass"
ADDRESS = "john@example.com"

# Postmark's payloads, as its webhook documentation shows them.
HARD_BOUNCE = {
    "RecordType": "Bounce",
    "MessageStream": "broadcast",
    "ID": 4323372036854775807,
    "Type": "HardBounce",
    "TypeCode": 1,
    "Name": "Hard bounce",
    "Tag": "campaign_invitation",
    "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
    "Metadata": {},
    "ServerID": 23,
    "Description": "The server was unable to deliver your message (ex: unknown user, mailbox "
    "not found).",
    "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
    "Email": "John@Example.com",
    "From": "deepdive@example.org",
    "BouncedAt": "2026-11-05T16:33:54.9070259Z",
    "DumpAvailable": True,
    "Inactive": True,
    "CanActivate": True,
    "Subject": "Invitation: decent work in supply chains",
}
TRANSIENT = {**HARD_BOUNCE, "Type": "Transient", "TypeCode": 2, "Name": "Message delayed"}
SPAM_COMPLAINT = {
    **HARD_BOUNCE,
    "RecordType": "SpamComplaint",
    "Type": "SpamComplaint",
    "TypeCode": 512,
    "Name": "Spam complaint",
    "Description": "The subscriber explicitly marked this message as spam.",
    "Details": "Test spam complaint details",
}
DELIVERY = {
    "RecordType": "Delivery",
    "ServerID": 23,
    "MessageStream": "broadcast",
    "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
    "Recipient": ADDRESS,
    "Tag": "campaign_invitation",
    "DeliveredAt": "2026-11-05T16:33:54.9070259Z",
    "Details": "Test delivery webhook details",
    "Metadata": {},
}
SUBSCRIPTION_CHANGE = {
    "RecordType": "SubscriptionChange",
    "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
    "ServerID": 23,
    "MessageStream": "broadcast",
    "ChangedAt": "2026-11-05T16:33:54.9070259Z",
    "Recipient": ADDRESS,
    "Origin": "Recipient",
    "SuppressSending": True,
    "SuppressionReason": "ManualSuppression",
    "Tag": "campaign_invitation",
    "Metadata": {},
}


@pytest.fixture
def client():
    """The e-mail service: no session, no CSRF token."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}


def post(client, payload: dict, auth: str | None = SECRET):
    headers = {}
    if auth is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    return client.post(
        reverse("anymail:postmark_tracking_webhook"),
        data=json.dumps(payload),
        content_type="application/json",
        headers=headers,
    )


def test_the_webhook_lives_under_anymail():
    assert reverse("anymail:postmark_tracking_webhook") == "/anymail/postmark/tracking/"


def test_a_hard_bounce_marks_the_address(client, secret):
    assert post(client, HARD_BOUNCE).status_code == 200

    [row] = Suppression.objects.all()
    assert (row.address, row.scope, row.action_group, row.reason) == (
        ADDRESS,
        "all",
        "",
        "bounced",
    )
    assert consent.is_suppressed(ADDRESS, "invitation", "supply_chains")
    assert not consent.is_suppressed(ADDRESS, "")  # what they register for still comes
    entry = AuditEntry.objects.get(action="outbox.bounce")
    assert entry.changes["error"] == "Postmark: " + HARD_BOUNCE["Details"]

    assert post(client, HARD_BOUNCE).status_code == 200  # the service retries: harmless
    assert Suppression.objects.count() == 1
    assert AuditEntry.objects.filter(action="outbox.bounce").count() == 1


def test_a_spam_complaint_marks_the_address(client, secret):
    assert post(client, SPAM_COMPLAINT).status_code == 200

    [row] = Suppression.objects.all()
    assert (row.address, row.scope, row.reason) == (ADDRESS, "all", "complained")
    assert consent.has_bounced(ADDRESS)  # the preferences page does not lift it
    assert AuditEntry.objects.filter(action="outbox.complaint").count() == 1


def test_a_complaint_after_unsubscribing_from_everything_cannot_be_lifted(client, secret):
    consent.unsubscribe(address=ADDRESS, scope="all")

    post(client, SPAM_COMPLAINT)

    [row] = Suppression.objects.all()
    assert row.reason == "complained"
    consent.set_preferences(address=ADDRESS, invitation=True, newsletter=True, all_mail=True)
    assert consent.is_suppressed(ADDRESS, "newsletter")


def test_an_unsubscription_at_the_service_stops_every_non_transactional_message(client, secret):
    assert post(client, SUBSCRIPTION_CHANGE).status_code == 200

    [row] = Suppression.objects.all()
    assert (row.address, row.scope, row.reason) == (ADDRESS, "all", "unsubscribed")


@pytest.mark.parametrize("payload", [DELIVERY, TRANSIENT], ids=["delivered", "deferred"])
def test_an_event_that_is_not_a_permanent_failure_changes_nothing(client, secret, payload):
    assert post(client, payload).status_code == 200

    assert not Suppression.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="outbox.").exists()


@pytest.mark.parametrize("auth", ["postmark:wrong", None], ids=["wrong", "missing"])
def test_a_wrong_secret_is_refused_and_changes_nothing(client, secret, auth):
    assert post(client, HARD_BOUNCE, auth=auth).status_code == 403

    assert not Suppression.objects.exists()


def test_without_a_secret_the_webhook_is_not_there(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": ""}

    assert post(client, HARD_BOUNCE).status_code == 404
    assert post(client, HARD_BOUNCE, auth=None).status_code == 404

    assert not Suppression.objects.exists()
