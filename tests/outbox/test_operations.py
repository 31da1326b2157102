"""The outbox's writes, with the test settings' immediate tasks and Django's mailbox."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives, send_mail
from django.core.management import call_command
from django.utils import timezone

from deepdive.core.models import AuditEntry
from deepdive.outbox import attempts, delivery, operations
from deepdive.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def make(**fields) -> OutboxMessage:
    defaults = {
        "to_email": "a@example.org",
        "subject": "S",
        "body_text": "T",
        "from_email": "deepdive@example.org",
    }
    return OutboxMessage.objects.create(**{**defaults, **fields})


def test_send_mail_is_stored_then_delivered_by_the_task(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_mail(
            "Hello", "Body", None, ["x@example.org", "y@example.org"], html_message="<p>Body</p>"
        )
    messages = OutboxMessage.objects.order_by("to_email")
    assert [m.to_email for m in messages] == ["x@example.org", "y@example.org"]
    assert all(m.status == OutboxMessage.Status.SENT for m in messages)
    assert all(m.body_html == "<p>Body</p>" for m in messages)
    # Delivered through the outbox's worker, one message per recipient, with its id.
    assert sorted(m.to[0] for m in mail.outbox) == ["x@example.org", "y@example.org"]
    assert {m.extra_headers["X-Deepdive-Message"] for m in mail.outbox} == {
        str(m.pk) for m in messages
    }


def test_nothing_is_enqueued_before_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = operations.queue_email(to="a@example.org", subject="S", text="T")
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED
    assert mail.outbox == []


def test_backend_keeps_kind_reply_to_and_headers(django_capture_on_commit_callbacks):
    email = EmailMultiAlternatives(
        "Subject\nwith  breaks",
        "Text",
        "Sender <s@example.org>",
        ["to@example.org"],
        reply_to=["secretariat@example.org"],
        headers={"X-Deepdive-Kind": "reminder", "X-Campaign": "42"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        email.send()
    message = OutboxMessage.objects.get()
    assert message.kind == "reminder"
    assert message.subject == "Subject with breaks"
    assert message.from_email == "Sender <s@example.org>"
    assert message.headers == {"X-Campaign": "42", "Reply-To": "secretariat@example.org"}
    [sent] = mail.outbox
    assert sent.extra_headers["Reply-To"] == "secretariat@example.org"


def test_message_id_is_the_same_at_every_attempt():
    message = make(from_email="Deep Dive <deepdive@example.org>")
    assert delivery.message_id(message) == delivery.message_id(message)
    assert delivery.message_id(message).endswith("@example.org>")


def test_claim_is_taken_once():
    message = make()
    first = operations.claim(message_id=message.pk)
    assert first is not None and first.status == OutboxMessage.Status.SENDING
    assert first.attempts == 1
    assert operations.claim(message_id=message.pk) is None


def test_claim_waits_for_the_next_attempt():
    now = timezone.now()
    message = make(next_attempt_at=now + timedelta(minutes=1))
    assert operations.claim(message_id=message.pk, now=now) is None
    assert operations.claim(message_id=message.pk, now=now + timedelta(minutes=2)) is not None


def test_mark_failed_backs_off_then_gives_up():
    now = timezone.now()
    message = make()
    delays = []
    for _ in range(operations.MAX_ATTEMPTS):
        claimed = operations.claim(message_id=message.pk, now=now)
        next_attempt = operations.mark_failed(message=claimed, error="boom", now=now)
        delays.append(next_attempt and next_attempt - now)
        now = next_attempt or now
    assert delays == [timedelta(minutes=m) for m in (1, 2, 4, 8)] + [None]
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.last_error == "boom"


def test_a_lost_claim_is_not_overwritten():
    message = make()
    claimed = operations.claim(message_id=message.pk)
    # requeue_stale gave it to another task, which claimed it again.
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.QUEUED)
    operations.claim(message_id=message.pk, now=timezone.now() + timedelta(seconds=1))
    assert operations.mark_sent(message=claimed) is False
    assert operations.mark_failed(message=claimed, error="late") is None
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENDING
    assert message.last_error == ""


def test_failure_with_a_backend_that_cannot_defer_waits_for_recovery(
    settings, django_capture_on_commit_callbacks
):
    """The immediate backend has no run_after: the message stays queued, nothing raises,
    and `outbox_recover` delivers it once its attempt is long overdue."""
    settings.OUTBOX_DELIVERY = {
        **settings.OUTBOX_DELIVERY,
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "HOST": "127.0.0.1",
        "PORT": 9,
        "TIMEOUT": 2,
    }
    with django_capture_on_commit_callbacks(execute=True):
        message = operations.queue_email(to="a@example.org", subject="S", text="T")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.QUEUED, 1)
    assert message.last_error

    settings.OUTBOX_DELIVERY = {
        **settings.OUTBOX_DELIVERY,
        "BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    assert operations.requeue_stale() == 0  # not overdue yet
    OutboxMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - operations.STALE_AFTER - timedelta(seconds=1)
    )
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("outbox_recover", stdout=out)
    assert out.getvalue().splitlines()[-1] == "1 outbox message queued for delivery again."
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action="outbox.requeue").exists()


def test_a_queued_message_whose_task_was_lost_is_found():
    message = make()
    later = timezone.now() + operations.STALE_AFTER + timedelta(minutes=1)
    assert operations.requeue_stale(now=timezone.now()) == 0
    assert operations.requeue_stale(now=later) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED


def test_retry_only_a_failed_message(secretariat):
    sent = make(status=OutboxMessage.Status.SENT)
    failed = make(status=OutboxMessage.Status.FAILED, attempts=5, last_error="550")
    assert operations.retry(actor=secretariat, message=sent) is False
    assert operations.retry(actor=secretariat, message=failed) is True
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (OutboxMessage.Status.QUEUED, 0)
    entry = AuditEntry.objects.get(action="outbox.retry")
    assert entry.actor == secretariat


# --- Interrupted while sending ---------------------------------------------------------------


def sending(claimed_ago: timedelta, **fields) -> OutboxMessage:
    return make(
        status=OutboxMessage.Status.SENDING,
        attempts=1,
        claimed_at=timezone.now() - claimed_ago,
        **fields,
    )


def test_a_message_a_dead_worker_left_sending_is_interrupted_after_a_short_while():
    recent = sending(timedelta(seconds=30))
    old = sending(operations.INTERRUPTED_AFTER + timedelta(seconds=1))

    assert operations.interrupt_stale() == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == ("interrupted", "sending")
    assert old.get_status_display() == "interrupted: may or may not have been sent"
    assert operations.requeue_stale(now=timezone.now() + 2 * operations.STALE_AFTER) == 0
    assert AuditEntry.objects.get(action="outbox.interrupted").changes == {"interrupted": [old.pk]}
    assert mail.outbox == []


def test_a_slow_worker_that_finishes_after_all_settles_its_message():
    message = make()
    claimed = operations.claim(message_id=message.pk)
    attempts.start_handover(message=claimed)  # in the middle of DATA
    assert operations.interrupt_stale(stale_after=timedelta(0)) == 1

    assert operations.mark_sent(message=claimed) is True

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_send_again_once_and_only_by_the_secretariat(
    secretariat, django_user_model, django_capture_on_commit_callbacks
):
    message = sending(timedelta(hours=1))
    operations.interrupt_stale()
    member = django_user_model.objects.create_user(email="m@example.org", password="x-12345-y")
    with pytest.raises(PermissionDenied):
        operations.resend_interrupted(actor=member, message=message)

    with django_capture_on_commit_callbacks(execute=True):
        assert operations.resend_interrupted(actor=secretariat, message=message) is True
        assert operations.resend_interrupted(actor=secretariat, message=message) is False

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT  # the immediate backend delivered it
    assert len(mail.outbox) == 1
    [entry] = AuditEntry.objects.filter(action="outbox.resend")
    assert entry.actor == secretariat


def test_mark_as_sent_once_and_only_by_the_secretariat(secretariat, django_user_model):
    message = sending(timedelta(hours=1))
    operations.interrupt_stale()
    member = django_user_model.objects.create_user(email="m@example.org", password="x-12345-y")
    with pytest.raises(PermissionDenied):
        operations.mark_interrupted_sent(actor=member, message=message)

    assert operations.mark_interrupted_sent(actor=secretariat, message=message) is True
    assert operations.mark_interrupted_sent(actor=secretariat, message=message) is False
    assert operations.resend_interrupted(actor=secretariat, message=message) is False

    message.refresh_from_db()
    assert (message.status, message.sent_at) == ("sent", message.claimed_at)
    assert mail.outbox == []
    assert AuditEntry.objects.filter(action="outbox.mark_sent", actor=secretariat).count() == 1
