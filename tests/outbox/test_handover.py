"""A worker that dies before the message itself goes to the mail server (SMTP DATA): the
server cannot have it, so recovery queues it again instead of asking the secretariat; one
that dies after may have delivered it, and the secretariat decides. Real SMTP server (aiosmtpd
on 127.0.0.1) and the real database task worker, as in production."""

from datetime import timedelta

import pytest
from django.utils import timezone

from deepdive.core.models import AuditEntry
from deepdive.outbox import attempts, delivery, operations
from deepdive.outbox.models import OutboxMessage
from deepdive.outbox.tasks import deliver_message

pytestmark = pytest.mark.django_db(transaction=True)

STATUS = OutboxMessage.Status


def waiting(subject: str = "Invitation", **fields) -> OutboxMessage:
    """A queued message whose delivery task is not written (the test runs the attempt)."""
    return OutboxMessage.objects.create(
        to_email="member@example.org",
        subject=subject,
        body_text="Text",
        from_email="deepdive@example.org",
        **fields,
    )


def died_after_claim(subject: str = "Invitation", *, handed_over: bool, **fields):
    """A message a worker claimed three minutes ago and died with: before DATA
    (``handed_over`` False) or during it (True)."""
    message = waiting(subject, **fields)
    claimed = attempts.claim(message_id=message.pk, now=timezone.now() - timedelta(minutes=3))
    assert claimed is not None
    if handed_over:
        attempts.start_handover(message=claimed)
    return claimed


def test_a_message_delivered_records_that_it_was_handed_over(smtp):
    message = waiting()
    assert deliver_message.call(message_id=message.pk) == "sent"

    message.refresh_from_db()
    assert (message.status, message.handed_over) == (STATUS.SENT, True)
    assert len(smtp.envelopes) == 1


def test_a_message_refused_at_data_was_handed_over_and_is_retried(smtp):
    smtp.refuse = True  # 550 at the end of DATA
    message = waiting()
    deliver_message.call(message_id=message.pk)

    message.refresh_from_db()
    assert message.handed_over is True
    assert message.status in (STATUS.QUEUED, STATUS.FAILED)


def test_a_message_a_worker_died_with_before_data_is_sent_by_the_next_without_anyone(
    smtp, run_worker
):
    before = died_after_claim("Before DATA", handed_over=False)
    during = died_after_claim("During DATA", handed_over=True)

    # Only the one that may have reached the server is shown to the secretariat.
    assert operations.interrupt_stale() == 1
    before.refresh_from_db()
    during.refresh_from_db()
    assert (before.status, during.status) == (STATUS.QUEUED, STATUS.INTERRUPTED)
    entry = AuditEntry.objects.get(action="outbox.interrupted")
    assert entry.changes == {"interrupted": [during.pk], "queued": [before.pk]}

    run_worker()
    assert [m["Subject"] for m in smtp.messages] == ["Before DATA"]
    before.refresh_from_db()
    assert (before.status, before.attempts) == (STATUS.SENT, 2)
    assert operations.interrupt_stale() == 0
    run_worker()
    assert len(smtp.envelopes) == 1  # nothing sent twice, the interrupted one not at all


def test_only_queued_again_is_recorded_as_such(smtp):
    message = died_after_claim(handed_over=False)
    assert operations.interrupt_stale() == 0

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.changes) == ("outbox.requeue", {"queued": [message.pk]})
    message.refresh_from_db()
    assert message.status == STATUS.QUEUED


def test_a_message_that_kills_its_worker_every_time_waits_for_a_person(smtp, run_worker):
    message = died_after_claim(handed_over=False, attempts=attempts.MAX_ATTEMPTS - 1)
    assert message.attempts == attempts.MAX_ATTEMPTS

    assert operations.interrupt_stale() == 1
    message.refresh_from_db()
    assert message.status == STATUS.INTERRUPTED
    run_worker()
    assert smtp.envelopes == []


def test_a_message_whose_stage_is_not_known_is_shown_not_resent(smtp, run_worker):
    # Left "sending" before attempts recorded their handing over.
    message = waiting(
        status=STATUS.SENDING, attempts=1, claimed_at=timezone.now() - timedelta(minutes=3)
    )
    assert message.handed_over is None

    assert operations.interrupt_stale() == 1
    run_worker()
    assert smtp.envelopes == []
    message.refresh_from_db()
    assert message.status == STATUS.INTERRUPTED


def test_a_slow_worker_whose_message_was_queued_again_stops_before_data(smtp, run_worker):
    message = waiting("Slow")
    claimed = attempts.claim(message_id=message.pk)

    def recovered_meanwhile() -> None:
        # The worker was believed dead while it talked to the server (stale_after 0).
        assert operations.interrupt_stale(stale_after=timedelta(0)) == 0
        attempts.start_handover(message=claimed)

    with pytest.raises(attempts.ClaimLost):
        delivery.send(claimed, before_handover=recovered_meanwhile)
    assert smtp.envelopes == []  # the server never got DATA

    run_worker()  # the task the recovery wrote
    assert [m["Subject"] for m in smtp.messages] == ["Slow"]
    message.refresh_from_db()
    assert (message.status, message.handed_over) == (STATUS.SENT, True)


def test_the_task_of_a_worker_that_lost_its_claim_before_data_sends_nothing(smtp):
    message = waiting("Taken")
    claimed = attempts.claim(message_id=message.pk)
    # Queued again and claimed by another attempt, which is now sending it.
    OutboxMessage.objects.filter(pk=message.pk).update(status=STATUS.SENDING, claimed_at=None)

    with pytest.raises(attempts.ClaimLost):
        attempts.start_handover(message=claimed)
    assert smtp.envelopes == []
