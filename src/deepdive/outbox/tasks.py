"""The outbox's task: deliver one message. ``operations`` enqueues it (``enqueue_delivery``)
whenever a message is ready to leave; it runs ``attempts``, ``consent`` and ``delivery``, which
know nothing of the operations."""

import logging
from datetime import datetime

from django_tasks import task

from . import attempts, consent, delivery

log = logging.getLogger(__name__)


@task(queue_name="email")
def deliver_message(message_id: int) -> str:
    """Deliver one outbox message.

    Only the task that claims the message sends it (a second task for the same message
    returns "skipped"). Just before DATA the attempt records that it hands the message over
    (``attempts.start_handover``); if its claim was taken meanwhile (queued again after it was
    believed dead) it stops there ("skipped"). A failure is recorded on the message and
    retried by a new task deferred with back-off (``Task.using(run_after=...)``, which the
    database backend supports); after MAX_ATTEMPTS the message is failed and waits for the
    secretariat.

    Consent (``consent``): a non-transactional message whose address was suppressed since it
    was queued is not sent ("suppressed"). A permanent refusal (5xx on RCPT or DATA) marks the
    address bounced; a non-transactional message is then given up at once ("bounced", status
    suppressed), a transactional one is retried as any failure.
    """
    message = attempts.claim(message_id=message_id)
    if message is None:
        return "skipped"
    # Checked again here, just before the server: the recipient may have unsubscribed since.
    suppressed = consent.why_suppressed(message.to_email, message.category, message.action_group)
    if suppressed:
        attempts.mark_suppressed(message=message, reason=suppressed)
        return "suppressed"
    try:
        delivery.send(message, before_handover=lambda: attempts.start_handover(message=message))
    except attempts.ClaimLost:
        # Believed dead and queued again before DATA: the new attempt sends it, not this one.
        log.warning("Outbox message %s was taken from this attempt before DATA.", message_id)
        return "skipped"
    except Exception as exc:  # any failure of the mail server must be kept, not lost
        refusal = attempts.permanent_refusal(exc)
        if refusal:
            consent.mark_bounced(address=message.to_email, error=refusal)
            if message.category:
                attempts.mark_suppressed(
                    message=message, reason=f"Not sent: the address bounced ({refusal})"
                )
                return "bounced"
        log.warning("Outbox message %s failed (attempt %s): %s", message_id, message.attempts, exc)
        next_attempt = attempts.mark_failed(message=message, error=f"{type(exc).__name__}: {exc}")
        if next_attempt is not None and not enqueue_delivery(message_id, run_after=next_attempt):
            log.warning(
                "Task backend cannot defer; outbox_recover will retry message %s.", message_id
            )
        return "failed"
    if not attempts.mark_sent(message=message):
        log.warning("Outbox message %s was sent after its claim was taken over.", message_id)
    return "sent"


def enqueue_delivery(message_id: int, *, run_after: datetime | None = None) -> bool:
    """Enqueue a delivery task, now or at ``run_after`` (the next attempt of a failed one).
    False when the backend cannot defer and ``run_after`` is set: the message then waits for
    ``operations.requeue_stale`` (``deepdive outbox_recover``)."""
    task = deliver_message
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return False
        task = task.using(run_after=run_after)
    task.enqueue(message_id=message_id)
    return True
