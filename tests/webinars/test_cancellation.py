"""Cancelling a webinar: the secretariat only, before it is held, with a reason; every
registrant told in their language, METHOD:CANCEL to those who had the invitation; the page
says it is cancelled."""

import html

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from icalendar import Calendar

from deepdive.core.models import AuditEntry
from deepdive.outbox.models import OutboxMessage
from deepdive.webinars import invitations
from deepdive.webinars.cancellation import CancellationRefused, cancel_webinar
from deepdive.webinars.models import Registration, Webinar
from tests.reviews.factories import SecretariatFactory

from .factories import PublishedWebinarFactory, ReaderFactory, RegistrationFactory, rules_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return SecretariatFactory()


@pytest.fixture
def webinar():
    webinar = PublishedWebinarFactory()
    rules_for(webinar.call)
    return webinar


def person(email, **kwargs):
    return ReaderFactory(email=email, **kwargs)


def test_only_the_secretariat_may_cancel(webinar):
    with pytest.raises(PermissionDenied):
        cancel_webinar(actor=person("host@example.net"), webinar=webinar, reason="Host ill")
    webinar.refresh_from_db()
    assert webinar.state == Webinar.State.PREPARING


def test_a_reason_is_required_beside_its_field(secretariat, webinar):
    with pytest.raises(CancellationRefused) as refused:
        cancel_webinar(actor=secretariat, webinar=webinar, reason="   ")
    assert list(refused.value.errors) == ["reason"]
    webinar.refresh_from_db()
    assert webinar.state == Webinar.State.PREPARING


def test_a_held_webinar_cannot_be_cancelled(secretariat, webinar):
    Webinar.objects.filter(pk=webinar.pk).update(state=Webinar.State.HELD)
    with pytest.raises(CancellationRefused):
        cancel_webinar(actor=secretariat, webinar=webinar, reason="Too late")
    webinar.refresh_from_db()
    assert webinar.state == Webinar.State.HELD


def test_every_registrant_is_told_and_the_invited_get_a_cancel(secretariat, webinar):
    registered = RegistrationFactory(
        webinar=webinar, user=person("ana@example.net", language="es", timezone="America/Lima")
    )
    invitations.send_invitation(registration=registered)
    waiting = RegistrationFactory(
        webinar=webinar, user=person("wen@example.net"), status=Registration.Status.WAITING
    )
    RegistrationFactory(
        webinar=webinar, user=person("gone@example.net"), status=Registration.Status.CANCELLED
    )

    cancel_webinar(actor=secretariat, webinar=webinar, reason="The host is ill.")

    webinar.refresh_from_db()
    assert webinar.state == Webinar.State.CANCELLED
    assert webinar.cancelled_at is not None
    assert webinar.cancel_reason == "The host is ill."
    assert webinar.sequence == 1
    told = OutboxMessage.objects.filter(kind="webinar_cancelled").order_by("to_email")
    assert [m.to_email for m in told] == ["ana@example.net", "wen@example.net"]
    ana, wen = told
    assert ana.language == "es"
    assert "The host is ill." in ana.body_text
    [attachment] = ana.attachments
    assert attachment["content_type"] == "text/calendar; method=CANCEL"
    calendar = Calendar.from_ical(attachment["content"])
    assert calendar["METHOD"] == "CANCEL"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == webinar.uid
    assert event["SEQUENCE"] == 1
    assert wen.attachments == []  # never had the invitation
    assert AuditEntry.objects.filter(action="webinars.cancelled").count() == 1

    # cancelling again sends nothing more
    cancel_webinar(actor=secretariat, webinar=webinar, reason="Again")
    assert OutboxMessage.objects.filter(kind="webinar_cancelled").count() == 2
    assert waiting.webinar_id == webinar.pk


def test_the_secretariat_cancels_from_the_webinar_page(client, secretariat, webinar):
    RegistrationFactory(webinar=webinar, user=person("ana@example.net"))
    client.force_login(secretariat)
    page = client.get(webinar.get_absolute_url()).content.decode()
    url = reverse("webinars:cancel_webinar", args=[webinar.pk])
    assert url in page

    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Say why the webinar is cancelled: every registrant reads it." in page
    assert "1 person registered or waiting will be told" in page

    response = client.post(url, {"reason": "The host is ill."}, follow=True)
    page = html.unescape(response.content.decode())
    assert "The webinar is cancelled; its registrants are told." in page
    assert "This webinar is cancelled." in page
    assert "The reason: The host is ill." in page
    assert OutboxMessage.objects.filter(kind="webinar_cancelled").count() == 1

    programme = client.get(reverse("webinars:programme", args=[webinar.call.series.slug]))
    assert webinar.title in programme.content.decode()


def test_others_may_not_open_the_cancellation_page(client, webinar):
    client.force_login(person("member@example.net"))
    response = client.get(reverse("webinars:cancel_webinar", args=[webinar.pk]))
    assert response.status_code in (302, 403)
