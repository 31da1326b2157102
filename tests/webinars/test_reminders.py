"""Reminders to registrants 7 days and 1 hour before, in their language and zone, each sent
exactly once per registration and kind: a rerun, two workers at once, never after the start.
One goes through a real SMTP conversation (aiosmtpd) and the real task worker."""

from datetime import timedelta
from email.header import decode_header, make_header
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deepdive.core.scheduling import periodic
from deepdive.outbox.models import OutboxMessage
from deepdive.webinars import reminders
from deepdive.webinars.models import Registration, ReminderSent, Webinar
from tests.outbox.conftest import db_tasks, run_worker, smtp, smtp_server  # noqa: F401
from tests.races import database_on_disk, race

from .factories import (
    PublishedWebinarFactory,
    ReaderFactory,
    RegistrationFactory,
    RepeatSessionFactory,
    rules_for,
)


def webinar_in(delta: timedelta) -> Webinar:
    start = (timezone.now() + delta).replace(microsecond=0)
    webinar = PublishedWebinarFactory(starts_at=start, planned_start=start)
    rules_for(webinar.call)
    return webinar


def registered(webinar: Webinar, email: str, *, days_before: int = 10, **kwargs) -> Registration:
    registration = RegistrationFactory(webinar=webinar, user=ReaderFactory(email=email, **kwargs))
    Registration.objects.filter(pk=registration.pk).update(
        created_at=webinar.starts_at - timedelta(days=days_before)
    )
    return registration


@pytest.mark.django_db
def test_the_job_is_registered_every_5_minutes():
    [job] = [job for job in periodic.jobs() if job.name == "webinars.reminders"]
    assert job.every == timedelta(minutes=5)


@pytest.mark.django_db
def test_each_reminder_once_in_the_registrants_language_and_zone():
    week = webinar_in(timedelta(days=7) - timedelta(minutes=3))
    hour = webinar_in(timedelta(minutes=40))
    later = webinar_in(timedelta(days=9))
    ana = registered(week, "ana@example.net", language="es", timezone="America/Lima")
    registered(hour, "kofi@example.net", language="fr", timezone="Asia/Tokyo")
    registered(later, "later@example.net")
    registered(week, "late@example.net", days_before=2)  # registered after the 7-day mark
    RegistrationFactory(
        webinar=hour,
        user=ReaderFactory(email="gone@example.net"),
        status=Registration.Status.CANCELLED,
    )

    assert reminders.send_reminders() == 2
    assert reminders.send_reminders() == 0  # a rerun sends nothing more

    sent = OutboxMessage.objects.filter(kind__startswith="registrant.").order_by("to_email")
    assert [(m.to_email, m.kind) for m in sent] == [
        ("ana@example.net", "registrant.7d"),
        ("kofi@example.net", "registrant.1h"),
    ]
    week_mail, hour_mail = sent
    assert week_mail.language == "es"
    assert "America/Lima" in week_mail.body_text
    assert hour_mail.language == "fr"
    assert "Asia/Tokyo" in hour_mail.body_text
    assert hour.joining_url in hour_mail.body_text
    assert ReminderSent.objects.get(registration=ana).kind == "registrant.7d"


@pytest.mark.django_db
def test_no_reminder_after_the_start_or_for_a_cancelled_webinar():
    started = webinar_in(-timedelta(minutes=1))
    registered(started, "late@example.net")
    cancelled = webinar_in(timedelta(minutes=30))
    Webinar.objects.filter(pk=cancelled.pk).update(state=Webinar.State.CANCELLED)
    registered(cancelled, "told@example.net")

    assert reminders.send_reminders() == 0
    assert not OutboxMessage.objects.exists()


@pytest.fixture
def two_due(transactional_db, tmp_path):
    hour = webinar_in(timedelta(minutes=30))
    for n in range(5):
        registered(hour, f"person{n}@example.net")
    with database_on_disk(tmp_path):
        yield hour


def test_two_workers_at_once_send_each_reminder_once(two_due):
    results = race(reminders.send_reminders, reminders.send_reminders)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 5
    assert OutboxMessage.objects.filter(kind="registrant.1h").count() == 5
    assert ReminderSent.objects.count() == 5
    assert reminders.send_reminders() == 0


@pytest.mark.django_db(transaction=True)
def test_a_reminder_arrives_through_smtp(smtp, run_worker):  # noqa: F811
    hour = webinar_in(timedelta(minutes=50))
    registered(hour, "ana@example.net", language="en", timezone="America/Lima")

    assert reminders.send_reminders() == 1
    run_worker()
    assert reminders.send_reminders() == 0
    run_worker()

    [envelope] = smtp.envelopes
    assert envelope.rcpt_tos == ["ana@example.net"]
    [message] = smtp.messages
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == f"In an hour: “{hour.title}”"
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    body = text.get_payload(decode=True).decode()
    assert "starts in an hour" in body
    assert "America/Lima" in body
    assert OutboxMessage.objects.get(kind="registrant.1h").status == "sent"


@pytest.mark.django_db
def test_a_reminder_names_the_session_when_the_webinar_has_a_published_repeat():
    now = timezone.now().replace(microsecond=0)
    webinar = PublishedWebinarFactory(starts_at=now - timedelta(hours=9, minutes=30))
    rules_for(webinar.call)
    repeat = RepeatSessionFactory(webinar=webinar, starts_at=now + timedelta(minutes=30))
    RegistrationFactory(
        webinar=webinar,
        user=ReaderFactory(email="again@example.net", timezone="Pacific/Fiji"),
        repeat=repeat,
    )
    alone = webinar_in(timedelta(minutes=40))
    registered(alone, "alone@example.net", timezone="Pacific/Fiji")

    assert reminders.send_reminders(now=now) == 2

    again = OutboxMessage.objects.get(to_email="again@example.net", kind="registrant.1h")
    local = repeat.starts_at.astimezone(ZoneInfo("Pacific/Fiji"))
    expected = (
        f"Your session: Repeat session, {local:%A} {local.day} {local:%B %Y}, {local:%H:%M}–"
        f"{local + timedelta(hours=1):%H:%M} (Pacific/Fiji, UTC+"
    )
    assert expected in again.body_text
    assert "Your session: Repeat session," in again.body_html
    only = OutboxMessage.objects.get(to_email="alone@example.net", kind="registrant.1h")
    assert "Your session" not in only.body_text and "When: " in only.body_text


@pytest.mark.django_db
def test_a_batch_of_reminders_reads_the_same_for_1_or_20_registrants():
    ContentType.objects.get_for_model(Registration)  # cached once per process, not per batch

    def batch(size: int) -> int:
        now = timezone.now().replace(microsecond=0)
        webinar = PublishedWebinarFactory(starts_at=now - timedelta(hours=9, minutes=30))
        rules_for(webinar.call)
        repeat = RepeatSessionFactory(webinar=webinar, starts_at=now + timedelta(minutes=30))
        for _ in range(size):  # no zone of their own: the series' zone is read
            RegistrationFactory(webinar=webinar, user=ReaderFactory(timezone=""), repeat=repeat)
        with CaptureQueriesContext(connection) as queries:
            assert reminders.send_reminders(now=now) == size
        Registration.objects.all().delete()
        return sum(1 for query in queries.captured_queries if query["sql"].startswith("SELECT"))

    assert batch(1) == batch(20)
