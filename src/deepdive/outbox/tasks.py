import logging
from datetime import timedelta

from django.utils import timezone

from django_tasks import task

from . import delivery, operations

log = logging.getLogger(__name__)


@task(queue_name="email")
def deliver_message(message_id: int) -> str:
    """Deliver one outbox message; a failure is recorded and retried by a new task."""
    message = operations.claim(message_id)
    if message is None:
        return "skipped"
    try:
        delivery.send(message)
    except Exception as exc:  # any failure of the mail server must be kept, not lost
        log.warning("Outbox message %s failed: %s", message_id, exc)
        if operations.mark_failed(message, f"{type(exc).__name__}: {exc}"):
            # Back off: 1, 2, 4, 8 minutes.
            delay = timedelta(minutes=2 ** (message.attempts - 1))
            deliver_message.using(run_after=timezone.now() + delay).enqueue(message_id=message_id)
        return "failed"
    operations.mark_sent(message)
    return "sent"
