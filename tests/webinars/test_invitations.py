"""Each registrant's own calendar e-mail: the invitation (METHOD:REQUEST, their ATTENDEE line,
UID and SEQUENCE, times in UTC), an update with a raised SEQUENCE after a time change, and
METHOD:CANCEL; in their language and zone."""

from datetime import UTC, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from deepdive.outbox.models import OutboxMessage
from deepdive.webinars import invitations, operations
from deepdive.webinars.models import Registration, Webinar
from tests.reviews.factories import SecretariatFactory

from .factories import (
    PublishedWebinarFactory,
    ReaderFactory,
    RegistrationFactory,
    RepeatSessionFactory,
    rules_for,
)

pytestmark = pytest.mark.django_db


def calendar_of(message: OutboxMessage, method: str):
    [attachment] = message.attachments
    assert attachment["content_type"] == f"text/calendar; method={method}"
    calendar = Calendar.from_ical(attachment["content"])
    assert calendar["METHOD"] == method
    [event] = calendar.walk("VEVENT")
    return event


@pytest.fixture
def webinar():
    webinar = PublishedWebinarFactory(joining_url="https://meet.example.org/j/4242")
    rules_for(webinar.call, "Europe/Paris")
    return webinar


@pytest.fixture
def registration(webinar):
    person = ReaderFactory(
        email="lucia@example.net", name="Lucía", timezone="America/Lima", language="es"
    )
    return RegistrationFactory(webinar=webinar, user=person)


def test_an_invitation_is_a_request_for_the_registrant_in_utc(webinar, registration):
    invitations.send_invitation(registration=registration)

    [message] = OutboxMessage.objects.filter(to_email="lucia@example.net")
    event = calendar_of(message, "REQUEST")
    assert str(event["UID"]) == webinar.uid
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == webinar.starts_at
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event["DTSTART"].to_ical().decode().endswith("Z")
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:lucia@example.net"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert attendee.params["RSVP"] == "TRUE"
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert "https://meet.example.org/j/4242" in str(event["DESCRIPTION"])
    # in her language, the time in her zone (Lima, UTC-5)
    assert message.language == "es"
    local = webinar.starts_at.astimezone(UTC) - timedelta(hours=5)
    assert f"{local:%H:%M}" in message.body_text
    assert "America/Lima" in message.body_text
    registration.refresh_from_db()
    assert registration.sequence_sent == 0


def test_a_public_registrant_without_an_account_gets_their_own_invitation(webinar):
    registration = Registration.objects.create(
        webinar=webinar,
        name="Tomás",
        email="tomas@example.org",
        language="fr",
        timezone="Pacific/Fiji",
    )
    invitations.send_invitation(registration=registration)

    [message] = OutboxMessage.objects.filter(to_email="tomas@example.org")
    assert message.language == "fr"
    assert "Pacific/Fiji" in message.body_text
    event = calendar_of(message, "REQUEST")
    assert str(event["ATTENDEE"]) == "mailto:tomas@example.org"
    assert event["ATTENDEE"].params["CN"] == "Tomás"


def test_an_update_after_a_time_change_has_a_higher_sequence(webinar, registration):
    invitations.send_invitation(registration=registration)
    cancelled = RegistrationFactory(webinar=webinar, status=Registration.Status.CANCELLED)
    secretariat = SecretariatFactory()
    new_start = webinar.starts_at + timedelta(days=1, hours=2)
    operations.move(actor=secretariat, webinar=webinar, start=new_start)
    old_start = webinar.starts_at
    operations.publish_new_time(actor=secretariat, webinar=webinar, notified=1)

    assert invitations.send_updates(webinar=webinar, old_start=old_start) == 1

    [update] = OutboxMessage.objects.filter(to_email="lucia@example.net", kind="time_changed")
    event = calendar_of(update, "REQUEST")
    assert str(event["UID"]) == webinar.uid
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == new_start.astimezone(UTC)
    assert "America/Lima" in update.body_text
    assert not OutboxMessage.objects.filter(to_email=cancelled.user.email).exists()
    registration.refresh_from_db()
    assert registration.sequence_sent == 1


def test_a_cancellation_is_a_cancel_with_the_same_uid_and_a_raised_sequence(webinar, registration):
    invitations.send_invitation(registration=registration)
    invitations.send_cancellation(registration=registration)

    message = OutboxMessage.objects.get(to_email="lucia@example.net", kind="cancelled")
    event = calendar_of(message, "CANCEL")
    assert str(event["UID"]) == webinar.uid
    assert event["SEQUENCE"] == 1
    assert event["STATUS"] == "CANCELLED"
    assert str(event["ATTENDEE"]) == "mailto:lucia@example.net"
    registration.refresh_from_db()
    assert registration.sequence_sent == 1

    # registering again: the new invitation is not older than the cancellation
    invitations.send_invitation(registration=registration)
    latest = OutboxMessage.objects.filter(to_email="lucia@example.net").order_by("-pk")[0]
    assert calendar_of(latest, "REQUEST")["SEQUENCE"] == 1


def reads_of(run) -> int:
    """How many SELECTs ``run`` makes (the writes, one e-mail and its SEQUENCE per registrant,
    are left out)."""
    with CaptureQueriesContext(connection) as queries:
        run()
    return sum(1 for query in queries.captured_queries if query["sql"].startswith("SELECT"))


@pytest.mark.parametrize("session", ["first", "repeat"])
def test_a_batch_of_updates_reads_the_same_for_1_or_20_registrants(session):
    def batch(size: int) -> int:
        webinar = PublishedWebinarFactory()
        rules_for(webinar.call, "Europe/Paris")
        repeat = RepeatSessionFactory(webinar=webinar)
        chosen = repeat if session == "repeat" else None
        for _ in range(size):  # no zone of their own: the series' zone is read
            RegistrationFactory(webinar=webinar, user=ReaderFactory(timezone=""), repeat=chosen)
        fresh = Webinar.objects.get(pk=webinar.pk)
        reads = reads_of(lambda: invitations.send_updates(webinar=fresh, repeat=chosen))
        assert OutboxMessage.objects.filter(kind="time_changed").count() == size
        OutboxMessage.objects.all().delete()
        return reads

    ContentType.objects.get_for_model(Registration)  # cached once per process, not per batch
    assert batch(1) == batch(20)
