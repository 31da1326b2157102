"""A webinar's repeat session (``webinars.repeats``): the secretariat adds, moves and removes
it; the timetable publishes it with its webinar; its registrants get their own updates and
cancellation, with the repeat's UID."""

from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied
from icalendar import Calendar

from deepdive.core.models import AuditEntry
from deepdive.outbox.models import OutboxMessage
from deepdive.series.times import local_to_utc
from deepdive.timetable import operations as timetable
from deepdive.webinars import repeats
from deepdive.webinars.models import Registration, RepeatSession, Webinar
from deepdive.webinars.repeats import RepeatRefused
from tests.accounts.factories import SecretariatFactory
from tests.accounts.factories import UserFactory as AccountFactory
from tests.proposals.factories import CallFactory
from tests.timetable.conftest import make_webinar

from .factories import RegistrationFactory, rules_for

pytestmark = pytest.mark.django_db


def paris(*args) -> datetime:
    return local_to_utc(datetime(*args), "Europe/Paris")


@pytest.fixture
def secretariat():
    return SecretariatFactory()


@pytest.fixture
def host():
    return AccountFactory(email="host@example.net", name="Sione", timezone="Pacific/Apia")


@pytest.fixture
def webinar(host):
    call = CallFactory(seats=4)
    rules_for(call)
    webinar = make_webinar(call, title="Fair recruitment in the Pacific", host=host)
    webinar.planned_start = paris(2027, 1, 13, 17, 0)
    webinar.save()
    return webinar


def calendar_of(message: OutboxMessage):
    [attachment] = message.attachments
    [event] = Calendar.from_ical(attachment["content"]).walk("VEVENT")
    return attachment["content_type"], event


def test_only_the_secretariat_adds_a_repeat(webinar, host):
    with pytest.raises(PermissionDenied):
        repeats.add_repeat(actor=host, webinar=webinar, start=paris(2027, 1, 13, 21, 0))
    assert not RepeatSession.objects.exists()


def test_the_secretariat_adds_a_repeat_to_the_plan(secretariat, webinar):
    repeat = repeats.add_repeat(actor=secretariat, webinar=webinar, start=paris(2027, 1, 13, 21))

    assert repeat.planned_start == paris(2027, 1, 13, 21, 0)
    assert repeat.starts_at is None
    assert not repeat.is_published
    entry = AuditEntry.objects.get(action="webinars.repeat_added")
    assert entry.changes == {"repeat_planned_start": [None, paris(2027, 1, 13, 21).isoformat()]}


def test_a_second_repeat_is_refused(secretariat, webinar):
    repeats.add_repeat(actor=secretariat, webinar=webinar, start=paris(2027, 1, 13, 21, 0))
    with pytest.raises(RepeatRefused) as refused:
        repeats.add_repeat(actor=secretariat, webinar=webinar, start=paris(2027, 1, 14, 21, 0))
    assert "already has a repeat session" in str(refused.value)
    assert RepeatSession.objects.count() == 1


def test_a_repeat_overlapping_the_first_session_is_refused_beside_the_time(secretariat, webinar):
    with pytest.raises(RepeatRefused) as refused:
        repeats.add_repeat(actor=secretariat, webinar=webinar, start=paris(2027, 1, 13, 17, 30))
    assert list(refused.value.errors) == ["time"]
    assert not RepeatSession.objects.exists()


def test_a_cancelled_or_unconfirmed_webinar_gets_no_repeat(secretariat, webinar):
    Webinar.objects.filter(pk=webinar.pk).update(state=Webinar.State.CANCELLED)
    with pytest.raises(RepeatRefused):
        repeats.add_repeat(actor=secretariat, webinar=webinar, start=paris(2027, 1, 13, 21, 0))

    unconfirmed = make_webinar(webinar.call, host_status="invited")
    unconfirmed.planned_start = paris(2027, 1, 20, 10, 0)
    unconfirmed.save()
    with pytest.raises(RepeatRefused):
        repeats.add_repeat(actor=secretariat, webinar=unconfirmed, start=paris(2027, 1, 20, 21))
    assert not RepeatSession.objects.exists()


def test_moving_a_repeat_changes_the_plan_only(secretariat, webinar):
    repeat = repeats.add_repeat(actor=secretariat, webinar=webinar, start=paris(2027, 1, 13, 21))
    RepeatSession.objects.filter(pk=repeat.pk).update(starts_at=repeat.planned_start)
    repeat.refresh_from_db()

    repeats.move_repeat(actor=secretariat, repeat=repeat, start=paris(2027, 1, 14, 21, 0))

    repeat.refresh_from_db()
    assert repeat.planned_start == paris(2027, 1, 14, 21, 0)
    assert repeat.starts_at == paris(2027, 1, 13, 21, 0)
    assert AuditEntry.objects.filter(action="webinars.repeat_moved").count() == 1
    with pytest.raises(RepeatRefused):
        repeats.move_repeat(actor=secretariat, repeat=repeat, start=paris(2027, 1, 13, 17, 0))


def test_removing_an_unpublished_repeat_deletes_it(secretariat, webinar):
    repeat = repeats.add_repeat(actor=secretariat, webinar=webinar, start=paris(2027, 1, 13, 21))

    assert repeats.remove_repeat(actor=secretariat, repeat=repeat) is None

    assert not RepeatSession.objects.exists()
    assert AuditEntry.objects.filter(action="webinars.repeat_removed").count() == 1


def test_publishing_publishes_the_repeat_and_names_it_to_the_hosts(
    secretariat, webinar, django_capture_on_commit_callbacks
):
    repeat = repeats.add_repeat(actor=secretariat, webinar=webinar, start=paris(2027, 1, 13, 21))

    with django_capture_on_commit_callbacks(execute=True):
        assert timetable.publish(actor=secretariat, call=webinar.call) == 1

    repeat.refresh_from_db()
    assert repeat.starts_at == paris(2027, 1, 13, 21, 0)
    assert repeat.sequence == 0
    assert repeat.is_published
    [message] = OutboxMessage.objects.filter(to_email="host@example.net")
    # 21:00 Paris is 09:00 the next morning in Samoa, the host's zone
    repeat_line = next(line for line in message.body_text.splitlines() if "repeat" in line)
    assert "Thu 14 Jan 2027" in repeat_line
    assert "09:00" in repeat_line

    with django_capture_on_commit_callbacks(execute=True):
        assert timetable.publish(actor=secretariat, call=webinar.call) == 0


def test_a_changed_repeat_time_updates_only_its_registrants(
    secretariat, webinar, django_capture_on_commit_callbacks
):
    repeat = repeats.add_repeat(actor=secretariat, webinar=webinar, start=paris(2027, 1, 13, 21))
    with django_capture_on_commit_callbacks(execute=True):
        timetable.publish(actor=secretariat, call=webinar.call)
    repeat.refresh_from_db()
    first = RegistrationFactory(webinar=webinar, user=AccountFactory(email="first@example.org"))
    later = RegistrationFactory(
        webinar=webinar, repeat=repeat, user=AccountFactory(email="later@example.org")
    )
    OutboxMessage.objects.all().delete()

    repeats.move_repeat(actor=secretariat, repeat=repeat, start=paris(2027, 1, 14, 21, 0))
    with django_capture_on_commit_callbacks(execute=True):
        assert timetable.publish(actor=secretariat, call=webinar.call) == 1

    repeat.refresh_from_db()
    assert repeat.starts_at == paris(2027, 1, 14, 21, 0)
    assert repeat.sequence == 1
    assert not OutboxMessage.objects.filter(to_email="first@example.org").exists()
    [update] = OutboxMessage.objects.filter(to_email="later@example.org")
    content_type, event = calendar_of(update)
    assert content_type == "text/calendar; method=REQUEST"
    assert str(event["UID"]) == repeat.uid
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == paris(2027, 1, 14, 21, 0)
    later.refresh_from_db()
    assert later.sequence_sent == 1
    assert first.status == Registration.Status.REGISTERED
    assert AuditEntry.objects.filter(action="webinars.repeat_time_changed").count() == 1


def test_removing_a_published_repeat_cancels_it_and_its_registrations(
    secretariat, webinar, django_capture_on_commit_callbacks
):
    repeat = repeats.add_repeat(actor=secretariat, webinar=webinar, start=paris(2027, 1, 13, 21))
    with django_capture_on_commit_callbacks(execute=True):
        timetable.publish(actor=secretariat, call=webinar.call)
    repeat.refresh_from_db()
    first = RegistrationFactory(webinar=webinar, user=AccountFactory(email="first@example.org"))
    later = RegistrationFactory(
        webinar=webinar, repeat=repeat, user=AccountFactory(email="later@example.org")
    )
    OutboxMessage.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        kept = repeats.remove_repeat(actor=secretariat, repeat=repeat)

    assert kept is not None
    repeat.refresh_from_db()
    assert repeat.cancelled_at is not None
    assert not repeat.is_published
    later.refresh_from_db()
    first.refresh_from_db()
    assert later.status == Registration.Status.CANCELLED
    assert first.status == Registration.Status.REGISTERED
    [message] = OutboxMessage.objects.filter(to_email="later@example.org")
    content_type, event = calendar_of(message)
    assert content_type == "text/calendar; method=CANCEL"
    assert str(event["UID"]) == repeat.uid
    assert not OutboxMessage.objects.filter(to_email="first@example.org").exists()
    assert AuditEntry.objects.filter(action="webinars.repeat_cancelled").count() == 1

    # removing it again changes nothing and tells nobody again
    with django_capture_on_commit_callbacks(execute=True):
        repeats.remove_repeat(actor=secretariat, repeat=repeat)
    assert OutboxMessage.objects.filter(to_email="later@example.org").count() == 1


def test_a_repeat_added_after_publication_is_published_and_told_to_the_hosts(
    secretariat, webinar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        timetable.publish(actor=secretariat, call=webinar.call)
    OutboxMessage.objects.all().delete()
    repeat = repeats.add_repeat(actor=secretariat, webinar=webinar, start=paris(2027, 1, 13, 21))

    with django_capture_on_commit_callbacks(execute=True):
        assert timetable.publish(actor=secretariat, call=webinar.call) == 1

    repeat.refresh_from_db()
    assert repeat.is_published
    webinar.refresh_from_db()
    assert webinar.sequence == 0  # the first session did not change
    [message] = OutboxMessage.objects.filter(to_email="host@example.net")
    assert "Its repeat session" in message.body_text
