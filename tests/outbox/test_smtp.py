"""Delivery through a real SMTP server (aiosmtpd on 127.0.0.1) and the real database task
worker (`db_worker`), as in production."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.mail import send_mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from deepdive.outbox import operations
from deepdive.outbox.models import OutboxMessage
from deepdive.outbox.tasks import deliver_message

from .conftest import free_port, point_delivery_at

pytestmark = pytest.mark.django_db(transaction=True)


def queue_one(**kwargs) -> OutboxMessage:
    return operations.queue_email(
        to=kwargs.get("to", "member@example.org"),
        subject=kwargs.get("subject", "Call for proposals: deep dive"),
        text="Plain text body.\n",
        html="<p>HTML <strong>body</strong>.</p>",
        language="en",
        kind="test",
    )


def pending_tasks():
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY)


def make_due() -> None:
    """Jump past the back-off: the next attempt and its task are due now."""
    past = timezone.now() - timedelta(seconds=1)
    OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED).update(next_attempt_at=past)
    pending_tasks().update(run_after=past)


def test_a_message_is_delivered_over_smtp_with_text_and_html(smtp, run_worker):
    message = queue_one()
    assert pending_tasks().filter(queue_name="email").count() == 1
    assert smtp.envelopes == []  # stored, not sent, until the worker runs

    run_worker()

    [received] = smtp.messages
    assert received["From"] == "Deep Dive <deepdive@example.org>"
    assert received["To"] == "member@example.org"
    assert received["Subject"] == "Call for proposals: deep dive"
    assert received["X-Deepdive-Message"] == str(message.pk)
    assert smtp.envelopes[0].rcpt_tos == ["member@example.org"]
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode().replace("\r\n", "\n")
        for part in received.walk()
        if not part.is_multipart()
    }
    assert parts["text/plain"] == "Plain text body.\n"
    assert parts["text/html"] == "<p>HTML <strong>body</strong>.</p>"
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.sent_at is not None
    assert message.attempts == 1
    assert not pending_tasks().exists()


def test_djangos_send_mail_goes_into_the_outbox_not_straight_out(smtp, run_worker):
    send_mail("Password reset", "Follow the link.", None, ["someone@example.org"])

    message = OutboxMessage.objects.get()
    assert (message.to_email, message.subject) == ("someone@example.org", "Password reset")
    assert message.status == OutboxMessage.Status.QUEUED
    assert smtp.envelopes == []

    run_worker()
    assert [m["To"] for m in smtp.messages] == ["someone@example.org"]
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_a_refused_message_is_kept_and_retried_with_back_off(settings, smtp, run_worker):
    smtp.refuse = True
    message = queue_one()

    run_worker()

    message.refresh_from_db()
    assert smtp.envelopes == []
    assert message.status == OutboxMessage.Status.QUEUED
    assert message.attempts == 1
    assert "550" in message.last_error
    assert message.next_attempt_at > timezone.now()
    [retry_task] = pending_tasks()
    assert retry_task.run_after > timezone.now()
    assert retry_task.args_kwargs["kwargs"] == {"message_id": message.pk}

    run_worker()  # the retry is not due yet: nothing happens
    message.refresh_from_db()
    assert message.attempts == 1

    smtp.refuse = False
    make_due()
    run_worker()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.last_error == ""
    assert len(smtp.envelopes) == 1


def test_no_server_then_failed_after_max_attempts_then_retry_from_the_page(
    settings, db_tasks, smtp_server, run_worker, secretariat_client
):
    point_delivery_at(settings, free_port())  # nothing listens there
    message = queue_one()

    run_worker()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED
    assert message.attempts == 1
    assert "Connection" in message.last_error or "refused" in message.last_error.lower()

    for _ in range(operations.MAX_ATTEMPTS - 1):
        make_due()
        run_worker()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == operations.MAX_ATTEMPTS
    assert message.last_error
    assert not pending_tasks().exists()  # given up: no further task

    # The secretariat sees it failed, fixes the server, and retries from the page.
    page = secretariat_client.get(reverse("outbox:detail", args=[message.pk]))
    assert reverse("outbox:retry", args=[message.pk]) in page.content.decode()
    point_delivery_at(settings, smtp_server.port)
    response = secretariat_client.post(reverse("outbox:retry", args=[message.pk]))
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.QUEUED, 0)

    run_worker()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert len(smtp_server.handler.envelopes) == 1


def left_sending(subject="Stuck", claimed_ago=timedelta(minutes=3)) -> OutboxMessage:
    """A message a worker claimed, then died before recording the server's answer."""
    return OutboxMessage.objects.create(
        to_email="member@example.org",
        subject=subject,
        body_text="Text",
        from_email="deepdive@example.org",
        status=OutboxMessage.Status.SENDING,
        attempts=1,
        claimed_at=timezone.now() - claimed_ago,
    )


def recover(*args) -> list[str]:
    out = StringIO()
    call_command("outbox_recover", *args, stdout=out)
    return out.getvalue().splitlines()


def test_a_message_left_sending_by_a_crashed_worker_is_shown_not_resent(
    smtp, run_worker, secretariat_client
):
    message = left_sending()

    assert recover()[0].startswith("1 outbox message interrupted while sending")
    run_worker()
    assert smtp.envelopes == []  # it may have reached the server: never resent silently
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.INTERRUPTED
    assert recover()[0].startswith("0 ")
    run_worker()
    assert smtp.envelopes == []

    # The secretariat sees it first on the outbox page and sends it again, once.
    page = secretariat_client.get(reverse("outbox:list")).content.decode()
    assert "1 message interrupted while sending" in page
    assert page.index("Stuck") < page.index("Filter the messages")
    for _ in range(2):  # a double click
        secretariat_client.post(
            reverse("outbox:resend", args=[message.pk]), {"back": reverse("outbox:list")}
        )
    run_worker()
    assert [m["Subject"] for m in smtp.messages] == ["Stuck"]
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_interrupted_at_once_with_stale_after_zero(smtp, run_worker):
    message = left_sending(claimed_ago=timedelta(0))
    assert recover()[0].startswith("0 ")  # a live worker may still be sending it

    assert recover("--stale-after", "0")[0].startswith("1 ")

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.INTERRUPTED
    run_worker()
    assert smtp.envelopes == []


def test_a_recent_sending_message_is_left_alone(smtp, run_worker):
    OutboxMessage.objects.create(
        to_email="member@example.org",
        subject="In flight",
        body_text="Text",
        from_email="deepdive@example.org",
        status=OutboxMessage.Status.SENDING,
        attempts=1,
        claimed_at=timezone.now(),
    )
    assert operations.requeue_stale() == 0
    run_worker()
    assert smtp.envelopes == []


def test_two_tasks_for_the_same_message_send_it_once(smtp, run_worker):
    message = queue_one()
    deliver_message.enqueue(message_id=message.pk)  # a double enqueue
    assert pending_tasks().count() == 2

    run_worker()

    assert len(smtp.envelopes) == 1
    results = sorted(DBTaskResult.objects.values_list("return_value", flat=True))
    assert results == ["sent", "skipped"]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.SENT, 1)


def test_a_duplicate_task_does_not_skip_the_back_off(smtp, run_worker):
    """After a failure, a second task for the message must wait for the next attempt too."""
    smtp.refuse = True
    message = queue_one()
    run_worker()
    smtp.refuse = False
    deliver_message.enqueue(message_id=message.pk)  # due now, but the message is not

    run_worker()

    message.refresh_from_db()
    assert message.attempts == 1
    assert smtp.envelopes == []
    assert message.status == OutboxMessage.Status.QUEUED


def test_a_held_message_never_reaches_the_server_until_approved(
    smtp, run_worker, secretariat, secretariat_client
):
    batch = "Decisions — call 2027"
    held = [
        operations.queue_email(
            to=f"contact{i}@example.org",
            subject="Decision on your proposal",
            text="Text\n",
            language="en",
            hold=True,
            batch=batch,
        )
        for i in range(2)
    ]
    assert not pending_tasks().exists()  # no task for a held message
    deliver_message.enqueue(message_id=held[0].pk)  # and a stray one is not obeyed
    run_worker()
    assert smtp.envelopes == []
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"held"}
    assert operations.requeue_stale(now=timezone.now() + 2 * operations.STALE_AFTER) == 0

    operations.discard_held(actor=secretariat, message=held[1])
    url = reverse("outbox:approve_batch", args=[held[0].batch_key])
    for _ in range(2):  # a double click
        secretariat_client.post(url, {"expected": 1})
    assert pending_tasks().count() == 1
    run_worker()

    assert [m["To"] for m in smtp.messages] == ["contact0@example.org"]
    statuses = dict(OutboxMessage.objects.values_list("to_email", "status"))
    assert statuses == {"contact0@example.org": "sent", "contact1@example.org": "discarded"}
    run_worker()
    assert len(smtp.envelopes) == 1
