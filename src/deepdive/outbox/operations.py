"""The outbox: every e-mail the platform sends is stored here first, then delivered by the
task worker. Writes go through these functions."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboxMessage

# A message left in "sending" this long was dropped by a worker that died.
STALE_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 5


def queue_email(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    language: str = "",
    kind: str = "",
    related: models.Model | None = None,
    from_email: str | None = None,
    headers: dict[str, str] | None = None,
) -> OutboxMessage:
    """Store one message and have the worker deliver it once the transaction commits.

    Side effects: one OutboxMessage row; one delivery task enqueued on commit.
    """
    message = OutboxMessage.objects.create(
        to_email=to,
        subject=" ".join(subject.split())[:300],
        body_text=text,
        body_html=html,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        kind=kind,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        headers=headers or {},
        content_type=ContentType.objects.get_for_model(related) if related is not None else None,
        object_id=str(related.pk) if related is not None else "",
    )
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def render_email(
    *, template_prefix: str, context: dict[str, Any], language: str
) -> tuple[str, str, str]:
    """Subject, text and HTML of ``<prefix>_subject.txt``, ``<prefix>.txt``, ``<prefix>.html``
    rendered in ``language``."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"{template_prefix}_subject.txt", context).strip()
        text = render_to_string(f"{template_prefix}.txt", context)
        html = render_to_string(f"{template_prefix}.html", context)
    return subject, text, html


def queue_templated_email(
    *,
    to: str,
    template_prefix: str,
    context: dict[str, Any],
    language: str,
    kind: str,
    related: models.Model | None = None,
) -> OutboxMessage:
    """Render a message in the recipient's language and queue it (see ``queue_email``)."""
    subject, text, html = render_email(
        template_prefix=template_prefix, context=context, language=language
    )
    return queue_email(
        to=to, subject=subject, text=text, html=html, language=language, kind=kind,
        related=related,
    )


def _enqueue(message_id: int) -> None:
    from .tasks import deliver_message

    deliver_message.enqueue(message_id=message_id)


def claim(message_id: int) -> OutboxMessage | None:
    """Take a queued message for delivery; None when another worker has it or it is done."""
    now = timezone.now()
    taken = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxMessage.Status.QUEUED
    ).update(status=OutboxMessage.Status.SENDING, claimed_at=now, attempts=models.F("attempts") + 1)
    return OutboxMessage.objects.get(pk=message_id) if taken else None


def mark_sent(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error=""
    )


def mark_failed(message: OutboxMessage, error: str) -> bool:
    """Record a failed attempt. Returns True when the message should be tried again."""
    retry = message.attempts < MAX_ATTEMPTS
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.QUEUED if retry else OutboxMessage.Status.FAILED,
        last_error=error[:2000],
    )
    return retry


def requeue_stale(*, now=None) -> int:
    """Put back messages a dead worker left in ``sending``, and enqueue them again.

    A message interrupted after the server accepted it may be sent twice; one lost is worse.
    """
    now = now or timezone.now()
    stale = list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.SENDING, claimed_at__lt=now - STALE_AFTER
        ).values_list("pk", flat=True)
    )
    OutboxMessage.objects.filter(pk__in=stale, status=OutboxMessage.Status.SENDING).update(
        status=OutboxMessage.Status.QUEUED
    )
    for pk in stale:
        _enqueue(pk)
    return len(stale)


def retry(*, actor, message: OutboxMessage) -> None:
    """Send a failed message again (secretariat). Side effects: audit entry, task enqueued."""
    from deepdive.core import audit

    with transaction.atomic():
        updated = OutboxMessage.objects.filter(
            pk=message.pk, status=OutboxMessage.Status.FAILED
        ).update(status=OutboxMessage.Status.QUEUED, attempts=0)
        if updated:
            audit.record(actor=actor, action="outbox.retry", subject=message,
                         summary=f"Retry {message.to_email}: {message.subject}")
            transaction.on_commit(lambda: _enqueue(message.pk))
