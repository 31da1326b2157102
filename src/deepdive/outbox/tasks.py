import logging

from django_tasks import task

from . import delivery, operations

log = logging.getLogger(__name__)


@task(queue_name="email")
def deliver_message(message_id: int) -> str:
    """Deliver one outbox message.

    Only the task that claims the message sends it (a second task for the same message
    returns "skipped"). A failure is recorded on the message and retried by a new task
    deferred with back-off (``Task.using(run_after=...)``, which the database backend
    supports); after MAX_ATTEMPTS the message is failed and waits for the secretariat.
    """
    message = operations.claim(message_id=message_id)
    if message is None:
        return "skipped"
    try:
        delivery.send(message)
    except Exception as exc:  # any failure of the mail server must be kept, not lost
        log.warning("Outbox message %s failed (attempt %s): %s", message_id, message.attempts, exc)
        next_attempt = operations.mark_failed(message=message, error=f"{type(exc).__name__}: {exc}")
        if next_attempt is not None and not operations.schedule_retry(
            message_id=message_id, at=next_attempt
        ):
            log.warning(
                "Task backend cannot defer; outbox_recover will retry message %s.", message_id
            )
        return "failed"
    if not operations.mark_sent(message=message):
        log.warning("Outbox message %s was sent after its claim was taken over.", message_id)
    return "sent"
