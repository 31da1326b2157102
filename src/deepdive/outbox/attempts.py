"""One delivery attempt of a stored message: claimed, then sent or failed.

The worker's side of the outbox (``tasks.deliver_message`` runs these); the rest of the
outbox's writes are in ``operations``. Delivery is at most once: a message is *claimed*
(queued → sending) by a conditional update before it is handed to the server, so two tasks for
the same message (a double enqueue, two workers) never both send it; every later write checks
that the claim is still the one it made.

A worker may die at any point. Just before the message itself goes to the mail server (SMTP
DATA), the attempt records that it is handing it over (``start_handover``, committed at once):
a dead worker's message not yet handed over never reached the server and is queued again
(``operations.interrupt_stale``); one handed over may have arrived and waits for the
secretariat. The handing over checks the claim too: a worker believed dead whose message was
queued again stops there, before DATA, so the message is sent once.
"""

import smtplib
from datetime import datetime, timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .models import OutboxMessage

MAX_ATTEMPTS = 5


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4, 8 … minutes."""
    return timedelta(minutes=2 ** max(attempts - 1, 0))


def claim(*, message_id: int, now: datetime | None = None) -> OutboxMessage | None:
    """Take a queued message that is due for delivery (queued → sending, one more attempt).

    Returns None when another task has it, it is done, or its next attempt is not due yet.
    Side effects: the message's status, claimed_at, attempts and handed_over (False).
    """
    now = now or timezone.now()
    taken = (
        OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(
            status=OutboxMessage.Status.SENDING,
            claimed_at=now,
            attempts=models.F("attempts") + 1,
            handed_over=False,
        )
    )
    return OutboxMessage.objects.get(pk=message_id) if taken else None


class ClaimLost(Exception):
    """The attempt's claim was taken away before the message was handed over (its worker was
    believed dead and the message queued again): the attempt stops without sending."""


def start_handover(*, message: OutboxMessage) -> None:
    """Record, just before the message goes to the mail server, that the attempt is handing
    it over. Runs outside any transaction, so it is committed before the server sees DATA.

    Raises ClaimLost, and records nothing, when the message is no longer in the hands of this
    attempt's claim. Side effects: handed_over True.
    """
    updated = OutboxMessage.objects.filter(
        pk=message.pk, status=OutboxMessage.Status.SENDING, claimed_at=message.claimed_at
    ).update(handed_over=True)
    if not updated:
        raise ClaimLost(f"Outbox message {message.pk} was taken from this attempt")
    message.handed_over = True


def _still_claimed(message: OutboxMessage) -> models.QuerySet[OutboxMessage]:
    """The message, if it is still in the hands of the claim that loaded it. A claim whose
    worker was believed dead (interrupted) still counts: its answer settles the question."""
    return OutboxMessage.objects.filter(
        pk=message.pk,
        status__in=[OutboxMessage.Status.SENDING, OutboxMessage.Status.INTERRUPTED],
        claimed_at=message.claimed_at,
    )


def mark_sent(*, message: OutboxMessage) -> bool:
    """Record that the mail server accepted a claimed message (also when it was marked
    interrupted meanwhile: it was not). False when the claim was lost (the secretariat sent
    it again or marked it sent meanwhile).

    Side effects: status sent, sent_at, last error cleared.
    """
    return bool(
        _still_claimed(message).update(
            status=OutboxMessage.Status.SENT,
            sent_at=timezone.now(),
            last_error="",
            next_attempt_at=None,
        )
    )


def mark_failed(
    *, message: OutboxMessage, error: str, now: datetime | None = None
) -> datetime | None:
    """Record a failed attempt of a claimed message.

    Returns the time of the next attempt, or None when the message is given up (failed after
    MAX_ATTEMPTS attempts) or the claim was lost. Side effects: status (queued again, or
    failed), last_error, next_attempt_at; the caller schedules the next attempt.
    """
    now = now or timezone.now()
    give_up = message.attempts >= MAX_ATTEMPTS
    next_attempt = None if give_up else now + retry_delay(message.attempts)
    updated = _still_claimed(message).update(
        status=OutboxMessage.Status.FAILED if give_up else OutboxMessage.Status.QUEUED,
        last_error=error[:2000],
        next_attempt_at=next_attempt,
    )
    return next_attempt if updated else None


def mark_suppressed(*, message: OutboxMessage, reason: str) -> bool:
    """Record that a claimed message is not sent: its address was suppressed (unsubscribed or
    bounced) after it was queued, or the mail server refused it for good. False when the
    claim was lost.

    Side effects: status suppressed, last_error ``reason``.
    """
    return bool(
        _still_claimed(message).update(
            status=OutboxMessage.Status.SUPPRESSED,
            last_error=reason[:2000],
            next_attempt_at=None,
        )
    )


def permanent_refusal(exc: BaseException) -> str:
    """The mail server's answer when it refused the recipient or the message for good (a 5xx
    reply to RCPT TO or to DATA), e.g. "550 5.1.1 No such user"; empty for anything else
    (a 4xx, a lost connection, our own login or sender refused), which is worth a retry or is
    not the recipient's doing."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = list(exc.recipients.values())
        if answers and all(code >= 500 for code, _ in answers):
            return "; ".join(f"{code} {_text(reply)}" for code, reply in answers)
        return ""
    if isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500:
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return ""


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
