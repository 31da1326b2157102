"""A webinar's repeat session, seen by attendees: registering chooses a session, each session
has its own seats and waiting list, its own calendar event (UID, SEQUENCE), reminders by its
own start; the change of session from the signed link; held once the repeat has ended; the
webinar page, the programme and the public feed show both sessions."""

from datetime import UTC, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from deepdive.directory.models import Affiliation
from deepdive.outbox.models import OutboxMessage
from deepdive.webinars import invitations, preparation, reminders
from deepdive.webinars import registration as registrations
from deepdive.webinars.cancellation import cancel_webinar
from deepdive.webinars.models import Registration, Webinar
from tests.accounts.factories import AffiliationFactory
from tests.reviews.factories import SecretariatFactory

from .factories import (
    PublishedWebinarFactory,
    ReaderFactory,
    RegistrationFactory,
    RepeatSessionFactory,
    rules_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def after_commit(monkeypatch):
    """The e-mails sent after the commit, sent at once (the test's transaction never
    commits)."""
    monkeypatch.setattr(registrations.transaction, "on_commit", lambda run, *a, **k: run())


Status = Registration.Status


def calendar_of(message: OutboxMessage, method: str):
    [attachment] = message.attachments
    assert attachment["content_type"] == f"text/calendar; method={method}"
    calendar = Calendar.from_ical(attachment["content"])
    assert calendar["METHOD"] == method
    [event] = calendar.walk("VEVENT")
    return event


@pytest.fixture
def webinar():
    webinar = PublishedWebinarFactory(capacity=1, members_only=False)
    rules_for(webinar.call)
    return webinar


@pytest.fixture
def repeat(webinar):
    return RepeatSessionFactory(webinar=webinar)


def reader(email: str):
    return ReaderFactory(email=email)  # with a verified address


def test_the_capacity_applies_to_each_session(webinar, repeat):
    ana = registrations.register(actor=reader("ana@example.net"), webinar=webinar)
    ben = registrations.register(actor=reader("ben@example.net"), webinar=webinar, repeat=repeat)
    cleo = registrations.register(actor=reader("cleo@example.net"), webinar=webinar, repeat=repeat)

    assert (ana.status, ana.repeat) == (Status.REGISTERED, None)
    assert (ben.status, ben.repeat) == (Status.REGISTERED, repeat)
    assert (cleo.status, cleo.repeat) == (Status.WAITING, repeat)
    invitation = OutboxMessage.objects.get(to_email="ben@example.net", kind="registered")
    event = calendar_of(invitation, "REQUEST")
    assert str(event["UID"]) == repeat.uid
    assert event.decoded("DTSTART") == repeat.starts_at

    # ben's seat freed in the repeat goes to cleo, first in the repeat's line
    registrations.cancel(actor=ben.user, registration=ben)
    cleo.refresh_from_db()
    assert cleo.status == Status.OFFERED
    assert cleo.offer_expires_at <= repeat.starts_at


def test_registration_for_a_session_that_started_is_refused(webinar, repeat):
    Webinar.objects.filter(pk=webinar.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    webinar.refresh_from_db()

    with pytest.raises(registrations.RegistrationRefused) as refused:
        registrations.register(actor=reader("late@example.net"), webinar=webinar)
    assert refused.value.errors == {
        "session": ["This session has started: registration is closed."]
    }
    late = registrations.register(actor=reader("late2@example.net"), webinar=webinar, repeat=repeat)
    assert late.status == Status.REGISTERED


def test_changing_session_cancels_the_old_event_and_invites_to_the_new(webinar, repeat):
    Webinar.objects.filter(pk=webinar.pk).update(capacity=None)
    ana = registrations.register(actor=reader("ana@example.net"), webinar=webinar, repeat=repeat)
    OutboxMessage.objects.all().delete()

    moved = registrations.change_session(token=registrations.manage_token(ana), repeat=None)

    assert (moved.status, moved.repeat) == (Status.REGISTERED, None)
    cancel = OutboxMessage.objects.get(kind="session_changed")
    event = calendar_of(cancel, "CANCEL")
    assert str(event["UID"]) == repeat.uid
    invite = OutboxMessage.objects.get(kind="registered")
    event = calendar_of(invite, "REQUEST")
    assert str(event["UID"]) == webinar.uid
    assert event.decoded("DTSTART") == webinar.starts_at
    assert cancel.pk < invite.pk


def test_changing_to_a_full_session_joins_its_waiting_list(webinar, repeat):
    registrations.register(actor=reader("ana@example.net"), webinar=webinar)
    ben = registrations.register(actor=reader("ben@example.net"), webinar=webinar, repeat=repeat)
    cleo = registrations.register(actor=reader("cleo@example.net"), webinar=webinar, repeat=repeat)

    moved = registrations.change_session(token=registrations.manage_token(ben), repeat=None)

    assert (moved.status, moved.repeat) == (Status.WAITING, None)
    cleo.refresh_from_db()
    assert cleo.status == Status.OFFERED  # the seat ben left in the repeat


def test_updates_go_to_each_sessions_registrants_with_its_sequence(webinar, repeat):
    first = RegistrationFactory(webinar=webinar, user=ReaderFactory(email="first@example.net"))
    again = RegistrationFactory(
        webinar=webinar, user=ReaderFactory(email="again@example.net"), repeat=repeat
    )
    Webinar.objects.filter(pk=webinar.pk).update(sequence=3)
    webinar.refresh_from_db()
    repeat.sequence = 5
    repeat.save()

    assert invitations.send_updates(webinar=webinar) == 1
    [message] = OutboxMessage.objects.filter(kind="time_changed")
    assert message.to_email == first.user.email
    assert calendar_of(message, "REQUEST")["SEQUENCE"] == 3

    assert invitations.send_updates(webinar=webinar, repeat=repeat) == 1
    message = OutboxMessage.objects.filter(kind="time_changed").latest("pk")
    assert message.to_email == again.user.email
    event = calendar_of(message, "REQUEST")
    assert (str(event["UID"]), event["SEQUENCE"]) == (repeat.uid, 5)


def test_a_cancellation_uses_the_sessions_uid(webinar, repeat):
    again = RegistrationFactory(webinar=webinar, user=ReaderFactory(), repeat=repeat)

    invitations.send_cancellation(registration=again)

    event = calendar_of(OutboxMessage.objects.get(to_email=again.user.email), "CANCEL")
    assert str(event["UID"]) == repeat.uid


def test_reminders_follow_the_registrations_own_session():
    now = timezone.now().replace(microsecond=0)
    webinar = PublishedWebinarFactory(starts_at=now - timedelta(hours=9, minutes=30))
    rules_for(webinar.call)
    repeat = RepeatSessionFactory(webinar=webinar, starts_at=now + timedelta(minutes=30))
    RegistrationFactory(webinar=webinar, user=ReaderFactory(email="first@example.net"))
    RegistrationFactory(
        webinar=webinar, user=ReaderFactory(email="again@example.net"), repeat=repeat
    )

    assert reminders.send_reminders(now=now) == 1
    [message] = OutboxMessage.objects.filter(kind="registrant.1h")
    assert message.to_email == "again@example.net"


def test_held_once_the_repeat_session_has_ended():
    now = timezone.now()
    webinar = PublishedWebinarFactory(starts_at=now - timedelta(hours=3))
    RepeatSessionFactory(webinar=webinar, starts_at=now + timedelta(hours=1))

    assert preparation.mark_held(now=now) == 0
    assert preparation.mark_held(now=now + timedelta(hours=2, minutes=1)) == 1
    webinar.refresh_from_db()
    assert webinar.state == Webinar.State.HELD


def test_the_programme_and_the_feed_show_both_sessions(client, webinar, repeat):
    page = client.get(reverse("webinars:programme", kwargs={"slug": webinar.call.series.slug}))
    text = page.content.decode()
    assert "First session" in text
    assert "Repeat session" in text

    feed = client.get(reverse("webinars:feed", kwargs={"slug": webinar.call.series.slug}))
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert sorted(str(e["UID"]) for e in events) == sorted([webinar.uid, repeat.uid])


def test_a_cancelled_repeat_is_not_shown(client, webinar, repeat):
    repeat.cancelled_at = timezone.now()
    repeat.save()

    page = client.get(webinar.get_absolute_url())
    assert "Repeat session" not in page.content.decode()
    feed = client.get(reverse("webinars:feed", kwargs={"slug": webinar.call.series.slug}))
    assert [str(e["UID"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")] == [webinar.uid]


def test_the_webinar_page_asks_which_session_suits(client, webinar, repeat):
    person = reader("ana@example.net")
    client.force_login(person)

    page = client.get(webinar.get_absolute_url())
    text = page.content.decode()
    assert "Which session suits you?" in text
    assert "First session" in text and "Repeat session" in text

    missing = client.post(reverse("webinars:register", kwargs={"pk": webinar.pk}))
    assert missing.status_code == 422
    assert "Choose the session that suits you." in missing.content.decode()

    client.post(reverse("webinars:register", kwargs={"pk": webinar.pk}), {"session": "repeat"})
    assert Registration.objects.get(user=person).repeat == repeat


def test_a_new_link_updates_both_sessions_each_with_its_raised_sequence(webinar, repeat):
    host = ReaderFactory()
    AffiliationFactory(
        user=host,
        organisation=webinar.proposal.lead_organisation,
        status=Affiliation.Status.VERIFIED,
    )
    RegistrationFactory(webinar=webinar, user=ReaderFactory(email="first@example.net"))
    RegistrationFactory(
        webinar=webinar, user=ReaderFactory(email="again@example.net"), repeat=repeat
    )

    preparation.save_technical(
        actor=host,
        webinar=webinar,
        platform="zoom",
        joining_url="https://zoom.example.org/j/new",
        dial_in="",
        test_call_on=None,
    )

    repeat.refresh_from_db()
    assert repeat.sequence == 1
    updates = {m.to_email: m for m in OutboxMessage.objects.filter(kind="time_changed")}
    first = calendar_of(updates["first@example.net"], "REQUEST")
    again = calendar_of(updates["again@example.net"], "REQUEST")
    assert (str(first["UID"]), first["SEQUENCE"]) == (webinar.uid, 1)
    assert (str(again["UID"]), again["SEQUENCE"]) == (repeat.uid, 1)
    assert "https://zoom.example.org/j/new" in str(again["DESCRIPTION"])


def test_a_cancelled_webinar_cancels_both_sessions_events(webinar, repeat):
    RegistrationFactory(webinar=webinar, user=ReaderFactory(email="first@example.net"))
    again = RegistrationFactory(
        webinar=webinar, user=ReaderFactory(email="again@example.net"), repeat=repeat
    )
    invitations.send_invitation(registration=again)

    cancel_webinar(actor=SecretariatFactory(), webinar=webinar, reason="The host is ill")

    told = OutboxMessage.objects.get(to_email="again@example.net", kind="webinar_cancelled")
    assert str(calendar_of(told, "CANCEL")["UID"]) == repeat.uid


def test_each_session_has_its_calendar_file(client, webinar, repeat):
    url = reverse("webinars:ics", kwargs={"pk": webinar.pk})

    [first] = Calendar.from_ical(client.get(url).content).walk("VEVENT")
    [again] = Calendar.from_ical(client.get(url + "?session=repeat").content).walk("VEVENT")

    assert (str(first["UID"]), str(again["UID"])) == (webinar.uid, repeat.uid)
    assert again.decoded("DTSTART") == repeat.starts_at
    assert client.get(url + "?session=other").status_code == 404


def test_the_webinar_page_shows_each_sessions_time_around_the_world_and_calendar_links(
    client, webinar, repeat
):
    client.force_login(ReaderFactory(timezone="Pacific/Fiji"))

    response = client.get(webinar.get_absolute_url())
    assert len(response.content) < 60 * 1024  # a public page's budget, with both tables
    page = response.content.decode()

    world = page.split("The time around the world", 1)[1]
    tables = {
        key: world.split(f'data-session="{key}"', 1)[1].split("</table>", 1)[0]
        for key in ("first", "repeat")
    }
    for key, start in (("first", webinar.starts_at), ("repeat", repeat.starts_at)):
        fiji = start.astimezone(ZoneInfo("Pacific/Fiji"))
        paris = start.astimezone(ZoneInfo("Europe/Paris"))
        assert fiji.strftime("%H:%M") in tables[key]  # the reader's row
        assert paris.strftime("%H:%M") in tables[key]  # the series' zone
    assert "First session: its time in the audience's main time zones" in world
    assert "Repeat session: its time in the audience's main time zones" in world
    # Each session in the reader's zone before its table.
    heading = world.split('id="convert-repeat"', 1)[1].split("</h3>", 1)[0]
    assert repeat.starts_at.astimezone(ZoneInfo("Pacific/Fiji")).strftime("%H:%M") in heading

    stamp = "{:%Y%m%dT%H%M%SZ}"
    for start in (webinar.starts_at, repeat.starts_at):
        dates = stamp.format(start.astimezone(UTC)) + "%2F"
        assert "calendar.google.com/calendar/render?action=TEMPLATE" in page
        assert dates in page  # Google's link for that session
        assert quote(start.astimezone(UTC).isoformat().replace("+00:00", "Z")) in page  # Outlook
    ics = reverse("webinars:ics", kwargs={"pk": webinar.pk})
    assert f'href="{ics}?session=repeat"' in page and f'href="{ics}"' in page
