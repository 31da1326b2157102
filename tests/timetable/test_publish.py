"""Publishing the timetable: hosts notified once with a calendar invitation (SEQUENCE 0); a
later change raises SEQUENCE and notifies hosts and registrants with the old and new times in
their own zones; a second publish sends nothing."""

import html
from datetime import datetime

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from deepdive.core.models import AuditEntry
from deepdive.outbox.models import OutboxMessage
from deepdive.series.times import local_to_utc
from deepdive.timetable import operations
from deepdive.webinars.models import Registration
from tests.accounts.factories import UserFactory as AccountFactory

from .conftest import make_webinar, verified_contact

pytestmark = pytest.mark.django_db


def paris(*args) -> datetime:
    return local_to_utc(datetime(*args), "Europe/Paris")


def invitation(message: OutboxMessage):
    [attachment] = message.attachments
    assert attachment["content_type"] == "text/calendar; method=REQUEST"
    calendar = Calendar.from_ical(attachment["content"])
    [event] = calendar.walk("VEVENT")
    return calendar, event


@pytest.fixture
def hosts():
    return {
        "creator": AccountFactory(
            email="amara@example.net", name="Amara", timezone="Africa/Abidjan", language="fr"
        ),
    }


@pytest.fixture
def planned(call, rules, hosts):
    webinar = make_webinar(call, title="Cocoa in West Africa", host=hosts["creator"])
    colleague = verified_contact(
        webinar.proposal.lead_organisation,
        email="kofi@example.net",
        name="Kofi",
        timezone="Asia/Tokyo",
        language="en",
    )
    # a pending contact of the organisation is not a host
    from deepdive.directory.models import Affiliation
    from tests.accounts.factories import AffiliationFactory

    AffiliationFactory(
        user=AccountFactory(email="pending@example.net"),
        organisation=webinar.proposal.lead_organisation,
        status=Affiliation.Status.PENDING,
    )
    webinar.planned_start = paris(2027, 1, 12, 14, 0)
    webinar.save()
    hosts["colleague"] = colleague
    return webinar


def test_publishing_notifies_the_hosts_once_with_an_invitation(
    secretariat, call, planned, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        count = operations.publish(actor=secretariat, call=call)

    assert count == 1
    planned.refresh_from_db()
    assert planned.starts_at == paris(2027, 1, 12, 14, 0)
    assert planned.published_at is not None
    assert planned.sequence == 0
    messages = OutboxMessage.objects.filter(kind="published").order_by("to_email")
    assert [m.to_email for m in messages] == ["amara@example.net", "kofi@example.net"]
    amara, kofi = messages
    _calendar, event = invitation(amara)
    assert event["SEQUENCE"] == 0
    assert event["UID"] == planned.uid
    assert event.decoded("DTSTART") == paris(2027, 1, 12, 14, 0)
    assert str(event["ATTENDEE"]) == "mailto:amara@example.net"
    # each in their language and their zone
    assert amara.language == "fr"
    assert "13:00 (Africa/Abidjan, UTC+00:00)" in amara.body_text
    assert kofi.language == "en"
    assert "Tue 12 Jan 2027, 22:00 (Asia/Tokyo, UTC+09:00)" in kofi.body_text
    assert "Cocoa in West Africa" in kofi.subject
    # delivered, with the invitation as text/calendar
    assert sorted(m.to[0] for m in mail.outbox) == ["amara@example.net", "kofi@example.net"]
    sent = mail.outbox[0].message()
    parts = [p for p in sent.walk() if p.get_content_type() == "text/calendar"]
    assert parts and parts[0].get_param("method") == "REQUEST"
    assert AuditEntry.objects.filter(action="timetable.published").count() == 1

    # a second publish (a double submit) sends nothing more
    assert operations.publish(actor=secretariat, call=call) == 0
    assert OutboxMessage.objects.count() == 2
    assert AuditEntry.objects.filter(action__startswith="timetable.publ").count() == 1


def test_a_change_of_time_raises_the_sequence_and_tells_hosts_and_registrants(
    client, secretariat, call, planned
):
    operations.publish(actor=secretariat, call=call)
    registrant = AccountFactory(
        email="lucia@example.net", name="Lucía", timezone="America/Lima", language="es"
    )
    Registration.objects.create(webinar=planned, user=registrant)
    Registration.objects.create(
        webinar=planned,
        user=AccountFactory(email="gone@example.net"),
        status=Registration.Status.CANCELLED,
    )

    client.force_login(secretariat)
    client.post(
        reverse("timetable:move", args=[planned.pk]), {"date": "2027-01-14", "time": "15:30"}
    )
    planned.refresh_from_db()
    assert planned.has_unpublished_change
    page = html.unescape(client.get(reverse("timetable:plan", args=[call.pk])).content.decode())
    assert "unpublished change" in page
    assert "1 changed time: its hosts and 1 registrants will get an updated invitation." in page
    assert OutboxMessage.objects.filter(kind="time_changed").count() == 0  # not before publish

    response = client.post(reverse("timetable:publish", args=[call.pk]), follow=True)
    assert "The timetable is published" in response.content.decode()

    planned.refresh_from_db()
    assert planned.sequence == 1
    assert planned.starts_at == paris(2027, 1, 14, 15, 30)
    assert not planned.has_unpublished_change
    changed = OutboxMessage.objects.filter(kind="time_changed").order_by("to_email")
    assert [m.to_email for m in changed] == [
        "amara@example.net",
        "kofi@example.net",
        "lucia@example.net",
    ]
    for message in changed:
        _calendar, event = invitation(message)
        assert event["SEQUENCE"] == 1
        assert event["UID"] == planned.uid
        assert event.decoded("DTSTART") == paris(2027, 1, 14, 15, 30)
    lucia = changed.get(to_email="lucia@example.net")
    assert lucia.language == "es"
    # old and new times in Lima (UTC-5): 08:00 on the 12th, 09:30 on the 14th
    assert "08:00 (America/Lima, UTC-05:00)" in lucia.body_text
    assert "09:30 (America/Lima, UTC-05:00)" in lucia.body_text
    kofi = changed.get(to_email="kofi@example.net")
    assert "Was: Tue 12 Jan 2027, 22:00 (Asia/Tokyo, UTC+09:00)" in kofi.body_text
    assert "Now: Thu 14 Jan 2027, 23:30 (Asia/Tokyo, UTC+09:00)" in kofi.body_text
    assert "The time of your webinar" in kofi.body_text
    assert AuditEntry.objects.filter(action="timetable.time_changed").count() == 1

    # publishing again sends nothing more
    response = client.post(reverse("timetable:publish", args=[call.pk]), follow=True)
    assert "Nothing new to publish" in response.content.decode()
    assert OutboxMessage.objects.filter(kind="time_changed").count() == 3
    assert planned.sequence == 1


def test_publishing_is_refused_while_a_webinar_has_no_time(client, secretariat, call, planned):
    make_webinar(call, title="Not placed yet")
    client.force_login(secretariat)
    page = html.unescape(client.get(reverse("timetable:plan", args=[call.pk])).content.decode())
    assert "1 webinar has no planned time yet" in page
    assert "Publish the timetable" not in page

    response = client.post(reverse("timetable:publish", args=[call.pk]), follow=True)
    assert "Some webinars have no planned time yet: “Not placed yet”" in html.unescape(
        response.content.decode()
    )
    planned.refresh_from_db()
    assert not planned.is_published
    assert not OutboxMessage.objects.exists()


def test_the_plan_says_what_publishing_will_do_then_shows_the_published_times(
    client, secretariat, call, planned
):
    client.force_login(secretariat)
    url = reverse("timetable:plan", args=[call.pk])
    page = client.get(url).content.decode()
    assert "1 webinar will be published and its hosts notified." in page

    client.post(reverse("timetable:publish", args=[call.pk]))
    page = client.get(url).content.decode()
    assert "Everything is published as planned" in page
    assert "Tue 12 Jan 2027, 14:00 (Europe/Paris, UTC+01:00)" in page
    assert "published" in page
