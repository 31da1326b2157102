"""The outbox: every e-mail the platform sends is stored here first, then delivered by the
task worker. Writes go through these functions.

Delivery is at most once: a message is *claimed* (queued → sending) by a conditional update
before it is handed to the server, so two tasks for the same message (a double enqueue, two
workers) never both send it; every later write checks that the claim is still the one it made
(``attempts``: the claim and its outcome, run by ``tasks.deliver_message``, which these
functions enqueue).
A worker that dies while sending leaves the message in ``sending``: the server may or may not
have accepted it. ``interrupt_stale`` (``deepdive outbox_recover``) shows such messages to the
secretariat as *interrupted*; they are never resent silently. The secretariat checks (with the
recipient, or the mail server's log) and sends it again (``resend_interrupted``) or marks it
sent (``mark_interrupted_sent``). Where the SMTP conversation tells, no one has to: a message
whose worker died before DATA (``attempts.start_handover`` never ran) is queued again.

A message can also be drafted for approval (``hold=True``): it is stored *held*, with no
delivery task, until the secretariat approves it (``approve``, ``approve_batch``), having
perhaps edited it (``edit_held``), or discards it (``discard_held``). The worker only ever
claims queued messages, so nothing held can leave.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import nh3
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape

from deepdive.core import audit, changes
from deepdive.core.permissions import Actor, require_secretariat
from deepdive.core.refusals import Refused
from deepdive.reference.models import ActionGroup

from . import consent
from .actions import OutboxAction

# The worker's side, in ``attempts`` (run by ``tasks.deliver_message``): named here too.
from .attempts import MAX_ATTEMPTS as MAX_ATTEMPTS
from .attempts import claim as claim
from .attempts import mark_failed as mark_failed
from .attempts import mark_sent as mark_sent
from .models import OutboxMessage
from .tasks import enqueue_delivery

# A message left in "sending" this long was being sent by a worker that died: a live worker
# ends an attempt well within this (the mail server's time-out is 30 seconds).
INTERRUPTED_AFTER = timedelta(minutes=2)
# A queued message whose time came this long ago has lost its task.
STALE_AFTER = timedelta(minutes=10)


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
    hold: bool = False,
    batch: str = "",
    attachments: list[dict[str, str]] | None = None,
    category: str = "",
    action_group: ActionGroup | None = None,
) -> OutboxMessage:
    """Store one message and have the worker deliver it once the transaction commits.

    With ``hold`` the message waits for the secretariat's approval instead (status held, no
    task). ``batch`` is a short label grouping the messages drafted together, e.g.
    "Decisions — call 2027"; the secretariat approves a batch on its page (``outbox:batch``).
    ``attachments`` are text files (a calendar invitation): dicts with ``filename``,
    ``content_type`` (e.g. "text/calendar; method=REQUEST") and ``content``.

    ``category``: empty for a transactional message (verification, decisions, registrations:
    always sent); "invitation" or "newsletter" otherwise (``consent``): the message then
    carries ``List-Unsubscribe`` and ``List-Unsubscribe-Post``, and when the address is
    suppressed for it (unsubscribed or bounced) it is still stored, with status
    ``suppressed`` and no task, and never sent: callers count ``status == SUPPRESSED``.
    ``action_group``: the Action Group a non-transactional message is sent for (a campaign's
    series' group): an address that stopped that group's invitations gets none of them.
    Raises ValueError for an unknown category.

    Side effects: one OutboxMessage row; unless held or suppressed, one delivery task
    enqueued on commit.
    """
    consent.check_category(category)
    group = action_group.code if action_group is not None else consent.EVERY_GROUP
    suppressed = consent.why_suppressed(to, category, group)
    if suppressed:
        status = OutboxMessage.Status.SUPPRESSED
    else:
        status = OutboxMessage.Status.HELD if hold else OutboxMessage.Status.QUEUED
    with transaction.atomic():
        message = OutboxMessage.objects.create(
            to_email=to,
            subject=" ".join(str(subject).split())[:300],
            body_text=text,
            body_html=html,
            language=language or translation.get_language() or settings.LANGUAGE_CODE,
            kind=kind,
            from_email=from_email or settings.DEFAULT_FROM_EMAIL,
            headers={**(headers or {}), **consent.headers(to, category, group)},
            attachments=attachments or [],
            content_type=(
                ContentType.objects.get_for_model(related) if related is not None else None
            ),
            object_id=str(related.pk) if related is not None else "",
            status=status,
            batch=" ".join(batch.split())[:120],
            category=category,
            action_group=group,
            last_error=suppressed,
        )
        if status == OutboxMessage.Status.QUEUED:
            transaction.on_commit(lambda: enqueue_delivery(message.pk))
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
    hold: bool = False,
    batch: str = "",
    attachments: list[dict[str, str]] | None = None,
    category: str = "",
    action_group: ActionGroup | None = None,
) -> OutboxMessage:
    """Render a message in the recipient's language and queue it, or hold it for approval
    (see ``queue_email``).

    For a non-transactional ``category`` the templates also get ``unsubscribe_url`` (one
    click, RFC 8058) and ``preferences_url`` (what the recipient receives), for the footer:
    ``{% include "outbox/email/_consent_footer.html" %}`` at the end of the HTML template and
    ``{% include "outbox/email/_consent_footer.txt" %}`` at the end of the text one (both
    empty for a transactional message).
    """
    subject, text, html = render_email(
        template_prefix=template_prefix,
        context={
            **context,
            **consent.links(
                to, category, action_group.code if action_group else consent.EVERY_GROUP
            ),
        },
        language=language,
    )
    return queue_email(
        to=to,
        subject=subject,
        text=text,
        html=html,
        language=language,
        kind=kind,
        related=related,
        hold=hold,
        batch=batch,
        attachments=attachments,
        category=category,
        action_group=action_group,
    )


def interrupt_stale(
    *, now: datetime | None = None, stale_after: timedelta = INTERRUPTED_AFTER
) -> int:
    """Settle the messages a dead worker left half-way: those in ``sending`` claimed at least
    ``stale_after`` ago. Returns the number shown to the secretariat.

    A message the attempt had not yet begun to hand to the mail server (``handed_over``
    False: the worker died while connecting or giving the sender and the recipient, before
    SMTP DATA) cannot have reached it: it is queued again, and sent by the worker, unless it
    has used up its attempts (a message that kills its worker every time waits for a person).
    The others (handed over, or not known) may have been accepted before the worker died, so
    they are never resent silently: they become ``interrupted``, and the secretariat sends
    them again or marks them sent.

    Give ``stale_after`` zero only when no worker is running: a live worker's message would
    be settled too (should that worker then reach DATA, it finds its claim taken and stops;
    should it finish after DATA, its answer still records the message sent or queued again).
    Side effects: statuses; for the messages queued again, one delivery task each on commit;
    one audit entry when anything was found ("outbox.interrupted", or "outbox.requeue" when
    every one was queued again).
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Locked, so that a slow worker's handing over waits and then finds its claim taken.
        stale = OutboxMessage.objects.select_for_update().filter(
            status=OutboxMessage.Status.SENDING, claimed_at__lte=now - stale_after
        )
        never_handed_over = list(
            stale.filter(handed_over=False, attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True)
        )
        interrupted = list(stale.exclude(pk__in=never_handed_over).values_list("pk", flat=True))
        sending = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING)
        sending.filter(pk__in=never_handed_over).update(
            status=OutboxMessage.Status.QUEUED, next_attempt_at=None
        )
        sending.filter(pk__in=interrupted).update(status=OutboxMessage.Status.INTERRUPTED)
        requeued = (
            f"{len(never_handed_over)} queued again (never handed to the mail server)"
            if never_handed_over
            else ""
        )
        if interrupted:
            audit.record(
                actor=None,
                action=OutboxAction.INTERRUPTED,
                summary=f"{len(interrupted)} interrupted while sending, shown to the secretariat"
                + (f"; {requeued}" if requeued else ""),
                changes={"interrupted": interrupted}
                | ({"queued": never_handed_over} if never_handed_over else {}),
            )
        elif never_handed_over:
            audit.record(
                actor=None,
                action=OutboxAction.REQUEUED,
                summary=f"{requeued} after a worker died",
                changes={"queued": never_handed_over},
            )
        if never_handed_over:
            transaction.on_commit(lambda: [enqueue_delivery(pk) for pk in never_handed_over])
    return len(interrupted)


def requeue_stale(*, now: datetime | None = None) -> int:
    """Give back to the worker the queued messages whose task was lost, and return their
    number: due for longer than STALE_AFTER (a crash between commit and enqueue, a backend
    that cannot defer retries). Messages caught while sending are not here (``interrupt_stale``).

    Enqueuing a message that still has its task is harmless: the claim lets one task send it.
    Side effects: one delivery task per message, enqueued on commit; one audit entry when
    anything was found.
    """
    now = now or timezone.now()
    cutoff = now - STALE_AFTER
    with transaction.atomic():
        lost = list(
            OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED)
            .filter(
                Q(next_attempt_at__lt=cutoff)
                | Q(next_attempt_at__isnull=True, created_at__lt=cutoff)
            )
            .values_list("pk", flat=True)
        )
        if lost:
            audit.record(
                actor=None,
                action=OutboxAction.REQUEUED,
                summary=f"{len(lost)} without a task",
                changes={"queued": lost},
            )
            transaction.on_commit(lambda: [enqueue_delivery(pk) for pk in lost])
    return len(lost)


# The secretariat's steps -----------------------------------------------------------------------
#
# Each one moves a message on from one status only, by a conditional update: of two
# simultaneous requests (a double submit, two people) the database lets one through, and the
# other finds the message moved on and does nothing. That is what keeps a message from being
# sent twice; never replace it with a read, a check and a save.


def _move(
    *,
    actor: Actor | None,
    message: OutboxMessage,
    source: str,
    action: OutboxAction,
    summary: str,
    enqueue: bool = False,
    status_change: bool = False,
    **values: Any,
) -> bool:
    """Move ``message`` on from status ``source`` by one conditional update (``values``
    include the new status), and only when it moved: record one audit entry (with the status
    change when ``status_change``), set the new status on ``message`` and, with ``enqueue``,
    enqueue a delivery task on commit. Returns whether it moved."""
    with transaction.atomic():
        updated = OutboxMessage.objects.filter(pk=message.pk, status=source).update(**values)
        if updated:
            message.status = values["status"]
            audit.record(
                actor=actor,
                action=action,
                subject=message,
                summary=summary,
                changes={"status": [source, message.status]} if status_change else None,
            )
            if enqueue:
                transaction.on_commit(lambda: enqueue_delivery(message.pk))
    return bool(updated)


def _locked_held(*, only: tuple[str, ...] = (), **lookup: Any) -> list[OutboxMessage]:
    """The messages matching ``lookup`` that are still held, locked until the transaction
    ends (a concurrent approval, edit or discard waits, then finds them moved on), by pk;
    ``only``: the fields to load, when the bodies are not needed (a campaign's thousands)."""
    held = OutboxMessage.objects.select_for_update().filter(
        status=OutboxMessage.Status.HELD, **lookup
    )
    return list((held.only(*only) if only else held).order_by("pk"))


def resend_interrupted(*, actor: Actor | None, message: OutboxMessage) -> bool:
    """Send again a message interrupted while sending (secretariat: the recipient did not get
    it), with a fresh set of attempts.

    Idempotent: returns False, doing nothing, when the message is no longer interrupted (a
    double submit, or already dealt with). Raises PermissionDenied for anyone but the
    secretariat. Side effects: status queued, attempts reset; audit entry "outbox.resend";
    a delivery task enqueued on commit.
    """
    require_secretariat(actor)
    return _move(
        actor=actor,
        message=message,
        source=OutboxMessage.Status.INTERRUPTED,
        action=OutboxAction.RESENT,
        summary=f"Send again after an interruption {message.to_email}: {message.subject}",
        status_change=True,
        enqueue=True,
        status=OutboxMessage.Status.QUEUED,
        attempts=0,
        next_attempt_at=None,
    )


def mark_interrupted_sent(*, actor: Actor | None, message: OutboxMessage) -> bool:
    """Record that a message interrupted while sending did arrive (secretariat): it is sent,
    at the time of its interrupted attempt, and never sent again.

    Idempotent: returns False, doing nothing, when the message is no longer interrupted.
    Raises PermissionDenied for anyone but the secretariat. Side effects: status sent,
    sent_at; audit entry "outbox.mark_sent".
    """
    require_secretariat(actor)
    return _move(
        actor=actor,
        message=message,
        source=OutboxMessage.Status.INTERRUPTED,
        action=OutboxAction.MARKED_SENT,
        summary=f"Marked as sent after an interruption {message.to_email}: {message.subject}",
        status_change=True,
        status=OutboxMessage.Status.SENT,
        sent_at=models.F("claimed_at"),
        last_error="",
        next_attempt_at=None,
    )


def retry(*, actor: Actor | None, message: OutboxMessage) -> bool:
    """Send a failed message again (secretariat), with a fresh set of attempts.

    Returns False when the message was not failed (nothing done). Raises PermissionDenied for
    anyone but the secretariat. Side effects: status queued, attempts reset, audit entry
    "outbox.retry", delivery task enqueued on commit.
    """
    require_secretariat(actor)
    return _move(
        actor=actor,
        message=message,
        source=OutboxMessage.Status.FAILED,
        action=OutboxAction.RETRIED,
        summary=f"Retry {message.to_email}: {message.subject}",
        enqueue=True,
        status=OutboxMessage.Status.QUEUED,
        attempts=0,
        next_attempt_at=None,
    )


# Approval of held messages -------------------------------------------------------------------

# What an edited HTML body may keep: ammonia's (nh3's) allow-list of harmless tags and
# attributes, links only to the web and to addresses; scripts, styles, event handlers, forms
# and other URL schemes go.
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str, *, language: str = "") -> str:
    """The HTML body kept after an edit: cleaned by nh3 (see URL_SCHEMES), wrapped in a
    document in ``language`` as the templates write it; empty when nothing is left."""
    cleaned = nh3.clean(html, url_schemes=URL_SCHEMES).strip()
    if not cleaned:
        return ""
    lang = f' lang="{escape(language)}"' if language else ""
    return f"<!doctype html>\n<html{lang}><body>\n{cleaned}\n</body></html>\n"


def edit_held(
    *,
    actor: Actor | None,
    message: OutboxMessage,
    subject: str,
    body_text: str,
    body_html: str,
) -> bool:
    """Change the subject and bodies of a message waiting for approval (secretariat).

    The subject is put on one line; the HTML is sanitised (``sanitize_html``). Returns False
    when the message is no longer held (approved or discarded meanwhile: nothing saved).
    Raises PermissionDenied for anyone but the secretariat.
    Side effects: the message's subject, body_text, body_html, edited_by, edited_at; an audit
    entry "outbox.edit" with the old and new values of what changed.
    """
    require_secretariat(actor)
    subject = " ".join(str(subject).split())[:300]
    body_html = sanitize_html(body_html, language=message.language)
    with transaction.atomic():
        held = _locked_held(pk=message.pk)
        if not held:
            return False
        current = held[0]
        changed = changes.update(
            current,
            actor=actor,
            action=OutboxAction.EDITED,
            summary=f"Edited {current.to_email}: {subject}",
            subject=subject,
            body_text=body_text,
            body_html=body_html,
        )
        if changed:
            current.edited_by_id = actor.pk if actor is not None else None
            current.edited_at = timezone.now()
            current.save(update_fields=["edited_by", "edited_at"])
            for name in ("subject", "body_text", "body_html", "edited_by_id", "edited_at"):
                setattr(message, name, getattr(current, name))
    return True


def approve(*, actor: Actor | None, messages: Iterable[OutboxMessage]) -> int:
    """Approve messages waiting for approval (secretariat): they are queued and delivered.

    Idempotent: a message no longer held (already approved, discarded, never held) is left
    as it is, so a double submit approves once. Returns the number approved. Raises
    PermissionDenied for anyone but the secretariat.
    Side effects: status queued, approved_by, approved_at; one delivery task per approved
    message, enqueued on commit; one audit entry "outbox.approve" (about the message when
    there is one).
    """
    require_secretariat(actor)
    ids = [m.pk for m in messages]
    with transaction.atomic():
        held = _locked_held(pk__in=ids, only=("pk", "batch", "to_email", "subject"))
        if not held:
            return 0
        approved = [m.pk for m in held]
        OutboxMessage.objects.filter(pk__in=approved, status=OutboxMessage.Status.HELD).update(
            status=OutboxMessage.Status.QUEUED,
            approved_by_id=actor.pk if actor is not None else None,
            approved_at=timezone.now(),
        )
        batches = sorted({m.batch for m in held if m.batch})
        audit.record(
            actor=actor,
            action=OutboxAction.APPROVED,
            subject=held[0] if len(held) == 1 else None,
            summary=(
                f"Approved {held[0].to_email}: {held[0].subject}"
                if len(held) == 1
                else f"Approved {len(held)} messages"
                + (f" of {', '.join(batches)}" if batches else "")
            ),
            changes={"messages": approved, "batches": batches},
        )
        transaction.on_commit(lambda: [enqueue_delivery(pk) for pk in approved])
    return len(approved)


class BatchChanged(Refused):
    """The batch does not hold the number of messages the approver saw."""

    def __init__(self, held: int):
        super().__init__(f"{held} messages are waiting for approval in this batch")
        self.held = held


def approve_batch(*, actor: Actor | None, batch: str, expected: int | None = None) -> int:
    """Approve every held message of ``batch`` (see ``approve``); returns the number approved,
    0 when nothing is left to approve (a double submit).

    With ``expected`` (the number the approver was shown), raises BatchChanged, approving
    nothing, when another number of messages is waiting (drafted, edited away or discarded
    meanwhile). Raises PermissionDenied for anyone but the secretariat. Side effects: those
    of ``approve``.
    """
    require_secretariat(actor)
    if not batch:
        raise ValueError("approve_batch needs a batch label")
    with transaction.atomic():
        held = _locked_held(batch=batch, only=("pk",))
        if expected is not None and held and len(held) != expected:
            raise BatchChanged(len(held))
        return approve(actor=actor, messages=held)


def withdraw_held(*, actor: Actor | None, message: OutboxMessage, reason: str) -> bool:
    """The service that drafted a held message takes it back because it is no longer true
    (e.g. "what you missed" to someone a later attendance report shows came): it is never
    sent, and kept, as with ``discard_held``. The caller has checked that ``actor`` may draft
    such messages (a host, the secretariat, or None for the platform's own command line), so
    no secretariat check here: withdrawing never sends anything.

    Returns False when the message was no longer held (approved or sent meanwhile: nothing
    done). Side effects: status discarded, audit entry "outbox.discard" with ``reason``.
    """
    return _discard(actor=actor, message=message, summary=f"Withdrawn {message.to_email}: {reason}")


def discard_held(*, actor: Actor | None, message: OutboxMessage) -> bool:
    """Drop a message waiting for approval (secretariat): it is never sent, and kept.

    Returns False when the message was not held (nothing done). Raises PermissionDenied for
    anyone but the secretariat. Side effects: status discarded, audit entry "outbox.discard".
    """
    require_secretariat(actor)
    summary = f"Discarded {message.to_email}: {message.subject}"
    return _discard(actor=actor, message=message, summary=summary)


def _discard(*, actor: Actor | None, message: OutboxMessage, summary: str) -> bool:
    return _move(
        actor=actor,
        message=message,
        source=OutboxMessage.Status.HELD,
        action=OutboxAction.DISCARDED,
        summary=summary,
        status=OutboxMessage.Status.DISCARDED,
    )
