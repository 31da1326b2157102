"""Registering for a webinar and cancelling: who may, the e-mail with the invitation in the
registrant's language and zone, double submits, registering again."""

from datetime import timedelta

import pytest
import vobject
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from deepdive.core.models import AuditEntry
from deepdive.directory.models import Affiliation
from deepdive.outbox.models import OutboxMessage
from deepdive.webinars import registration as registrations
from deepdive.webinars.models import Registration
from tests.accounts.factories import AffiliationFactory
from tests.webinars.factories import (
    OrganisationFactory,
    ProposalFactory,
    PublishedWebinarFactory,
    ReaderFactory,
    RegistrationFactory,
    WebinarFactory,
    member,
    paris,
)

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.now().year + 1


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """The test client, each request's after-commit work (the e-mails) run as if committed."""
    send = client.request

    def request(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return send(**kwargs)

    client.request = request
    return client


@pytest.fixture
def webinar():
    """Public, 12 January next year, 14:00 Paris (13:00 UTC)."""
    return PublishedWebinarFactory(
        proposal=ProposalFactory(title="Cocoa and child labour"),
        starts_at=paris(NEXT_YEAR, 1, 12, 14, 0),
        members_only=False,
    )


@pytest.fixture
def members_webinar():
    return PublishedWebinarFactory(
        proposal=ProposalFactory(title="Members' webinar"),
        starts_at=paris(NEXT_YEAR, 1, 19, 10, 0),
        members_only=True,
    )


def register_url(webinar) -> str:
    return reverse("webinars:register", args=[webinar.pk])


def messages_to(person, kind: str = "registered"):
    return OutboxMessage.objects.filter(to_email=person.email, kind=kind)


def test_a_reader_registers_and_gets_the_invitation(client, webinar):
    reader = ReaderFactory(timezone="Asia/Kathmandu")
    client.force_login(reader)
    response = client.post(register_url(webinar), follow=True)
    page = response.content.decode()
    assert "You are registered. An e-mail with the calendar invitation" in page
    assert "Cancel my registration" in page
    assert webinar.joining_url in page

    registration = Registration.objects.get(webinar=webinar, user=reader)
    assert registration.status == "registered"
    [message] = messages_to(reader)
    assert message.subject == "You are registered: “Cocoa and child labour”"
    assert message.language == "en"
    # In the registrant's zone: 13:00 UTC is 18:45 in Kathmandu.
    assert f"12 January {NEXT_YEAR}, 18:45–19:45 (Asia/Kathmandu, UTC+05:45)" in (message.body_text)
    assert webinar.joining_url in message.body_text
    assert f"http://testserver/webinars/{webinar.pk}/" in message.body_text
    assert "18:45–19:45" in message.body_html

    [attachment] = message.attachments
    assert attachment["content_type"] == "text/calendar; method=REQUEST"
    cal = vobject.readOne(attachment["content"])
    assert cal.method.value == "REQUEST"
    assert cal.vevent.uid.value == webinar.uid
    assert cal.vevent.sequence.value == "0"
    assert cal.vevent.attendee.value == f"mailto:{reader.email}"
    assert cal.vevent.dtstart.value.isoformat() == f"{NEXT_YEAR}-01-12T13:00:00+00:00"

    entry = AuditEntry.objects.get(action="webinars.registered")
    assert entry.actor == reader and entry.object_id == str(registration.pk)


def test_the_email_is_in_the_registrants_language(
    client, webinar, django_capture_on_commit_callbacks
):
    reader = ReaderFactory(language="fr", timezone="America/Mexico_City")
    with django_capture_on_commit_callbacks(execute=True):
        registrations.register(actor=reader, webinar=webinar)
    [message] = messages_to(reader)
    assert message.language == "fr"
    days = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    weekday = days[webinar.starts_at.weekday()]  # the same date in Mexico City (07:00)
    assert f"{weekday} 12 janvier {NEXT_YEAR}" in message.body_text
    assert "07:00–08:00 (America/Mexico City, UTC-06:00)" in message.body_text


def test_a_double_submit_makes_one_registration_and_one_email(client, webinar):
    reader = ReaderFactory()
    client.force_login(reader)
    client.post(register_url(webinar))
    client.post(register_url(webinar))
    assert Registration.objects.filter(webinar=webinar, user=reader).count() == 1
    assert messages_to(reader).count() == 1
    assert AuditEntry.objects.filter(action="webinars.registered").count() == 1


def test_cancel_then_register_again_reactivates(client, webinar):
    reader = ReaderFactory()
    client.force_login(reader)
    client.post(register_url(webinar))
    first = Registration.objects.get(webinar=webinar, user=reader)

    response = client.post(reverse("webinars:cancel", args=[webinar.pk]), follow=True)
    page = response.content.decode()
    assert "Your registration is cancelled." in page
    assert "You cancelled your registration. You can register again." in page
    assert webinar.joining_url not in page
    first.refresh_from_db()
    assert first.status == "cancelled"
    [cancelled] = messages_to(reader, "cancelled")
    assert "Registration cancelled" in cancelled.subject
    # Issue 12: a cancellation carries METHOD:CANCEL (it used to carry no attachment).
    [part] = cancelled.attachments
    assert part["content_type"] == "text/calendar; method=CANCEL"
    assert AuditEntry.objects.filter(action="webinars.registration_cancelled").count() == 1

    client.post(register_url(webinar))
    again = Registration.objects.get(webinar=webinar, user=reader)
    assert again.pk == first.pk and again.status == "registered"
    assert messages_to(reader).count() == 2


def test_anonymous_readers_are_asked_to_log_in(client, webinar):
    page = client.get(webinar.get_absolute_url()).content.decode()
    assert "Log in to register" in page
    assert f"/accounts/login/?next=/webinars/{webinar.pk}/" in page
    response = client.post(register_url(webinar))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Registration.objects.exists()


def test_an_unverified_email_cannot_register(client, webinar):
    reader = ReaderFactory(verified_email=False)
    EmailAddress.objects.create(user=reader, email=reader.email, verified=False, primary=True)
    client.force_login(reader)
    page = client.get(webinar.get_absolute_url()).content.decode()
    assert "Please verify your e-mail address first" in page
    assert 'action="/webinars/' not in page.split("Take part", 1)[1].split("</section>", 1)[0]
    response = client.post(register_url(webinar), follow=True)
    assert "Please verify your e-mail address first" in response.content.decode()
    assert not Registration.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_members_only_needs_a_verified_affiliation(client, members_webinar):
    outsider = ReaderFactory()
    AffiliationFactory(
        user=outsider, organisation=OrganisationFactory(), status=Affiliation.Status.PENDING
    )
    client.force_login(outsider)
    page = client.get(members_webinar.get_absolute_url()).content.decode()
    assert "This webinar is for Alliance 8.7 members only" in page
    client.post(register_url(members_webinar))
    assert not Registration.objects.exists()
    with pytest.raises(registrations.RegistrationRefused):
        registrations.register(actor=outsider, webinar=members_webinar)

    # A verified contact of an organisation that is not an Alliance partner is no member.
    partner_not = ReaderFactory()
    AffiliationFactory(
        user=partner_not,
        organisation=OrganisationFactory(is_member=False),
        status=Affiliation.Status.VERIFIED,
    )
    with pytest.raises(registrations.RegistrationRefused):
        registrations.register(actor=partner_not, webinar=members_webinar)

    insider = member()
    client.force_login(insider)
    response = client.post(register_url(members_webinar), follow=True)
    assert members_webinar.joining_url in response.content.decode()
    assert Registration.objects.get().user == insider
    [message] = messages_to(insider)
    assert members_webinar.joining_url in message.body_text


def test_no_registration_for_a_past_or_unpublished_webinar(client):
    reader = ReaderFactory()
    client.force_login(reader)
    past = PublishedWebinarFactory(starts_at=timezone.now() - timedelta(days=3))
    page = client.get(past.get_absolute_url()).content.decode()
    assert "This webinar has taken place." in page
    assert "Log in to register" not in page and ">Register<" not in page
    client.post(register_url(past))
    unpublished = WebinarFactory()
    assert client.post(register_url(unpublished)).status_code == 404
    assert not Registration.objects.exists()


def test_only_the_registrant_cancels(client, webinar):
    registration = RegistrationFactory(webinar=webinar)
    other = ReaderFactory()
    client.force_login(other)
    assert client.post(reverse("webinars:cancel", args=[webinar.pk])).status_code == 404
    with pytest.raises(registrations.RegistrationRefused):
        registrations.cancel(actor=other, registration=registration)
    registration.refresh_from_db()
    assert registration.status == "registered"


def test_registering_needs_post(client, webinar):
    client.force_login(ReaderFactory())
    assert client.get(register_url(webinar)).status_code == 405
    assert client.get(reverse("webinars:cancel", args=[webinar.pk])).status_code == 405


def test_a_member_takes_over_their_unconfirmed_registration_without_an_account(client, webinar):
    pending = registrations.register_public(
        webinar=webinar,
        name="Ana without an account",
        email="Ana@Example.net",
        answers={"organisation_name": "Cocoa Growers", "consents_to_contact": True},
    )
    assert pending.status == "pending"
    reader = ReaderFactory(email="ana@example.net", timezone="Asia/Kathmandu")
    client.force_login(reader)

    response = client.post(register_url(webinar), follow=True)

    assert "You are registered." in response.content.decode()
    [registration] = Registration.objects.filter(webinar=webinar)
    assert registration.pk == pending.pk
    assert registration.user == reader
    assert registration.status == "registered"
    assert registration.email_verified_at is not None
    assert (registration.organisation_name, registration.consents_to_contact) == (
        "Cocoa Growers",
        True,
    )
    [message] = messages_to(reader)
    assert "18:45–19:45 (Asia/Kathmandu, UTC+05:45)" in message.body_text
    assert vobject.readOne(message.attachments[0]["content"]).method.value == "REQUEST"
    entry = AuditEntry.objects.get(action="webinars.registered")
    assert entry.actor == reader and "without an account, unconfirmed" in entry.summary

    client.post(register_url(webinar))  # a double submit changes nothing more
    assert messages_to(reader).count() == 1


def test_a_member_taking_over_a_full_webinars_registration_joins_the_waiting_list(client, webinar):
    webinar.capacity = 1
    webinar.save()
    RegistrationFactory(webinar=webinar, user=ReaderFactory())
    registrations.register_public(webinar=webinar, name="Ana", email="ana@example.net")
    reader = ReaderFactory(email="ana@example.net")
    client.force_login(reader)

    client.post(register_url(webinar))

    registration = Registration.objects.get(webinar=webinar, email="ana@example.net")
    assert (registration.user, registration.status) == (reader, "waiting")
    assert messages_to(reader, "waiting_list").count() == 1
    assert not messages_to(reader).exists()
