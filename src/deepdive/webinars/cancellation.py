"""Cancelling a webinar (the secretariat), from any state before it is held, with a reason
every registrant reads.

The cancelled webinar stays on the programme marked "cancelled" (a reader who saved the date
finds out rather than seeing it vanish); it takes no registration and sends no reminder.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deepdive.accounts.models import User
from deepdive.core import changes
from deepdive.core.permissions import require_secretariat
from deepdive.core.refusals import Refused

from . import invitations
from .actions import WebinarAction
from .models import Registration, Webinar

# Registrations that are told: everyone holding or waiting for a seat.
TOLD = (
    Registration.Status.REGISTERED,
    Registration.Status.WAITING,
    Registration.Status.OFFERED,
)
CANCELLABLE = (Webinar.State.PREPARING, Webinar.State.READY)


class CancellationRefused(Refused):
    """The webinar cannot be cancelled; the message (or ``errors["reason"]``) says why."""


def may_cancel(webinar: Webinar) -> bool:
    """Whether the webinar's state allows cancelling (before it is held)."""
    return webinar.state in CANCELLABLE


def cancel_webinar(*, actor: User, webinar: Webinar, reason: str) -> Webinar:
    """Cancel ``webinar`` for ``reason`` (the secretariat). Cancelling it again changes
    nothing and sends nothing.

    Refused: anyone but the secretariat (PermissionDenied); (``CancellationRefused``) no
    reason (beside the field "reason"); a webinar held or with its recording published.

    Side effects: ``state`` cancelled, ``cancelled_at``, ``cancel_reason`` and ``sequence``
    raised by one (calendars replace the event); one audit entry ("webinars.cancelled"); one
    e-mail to every registrant registered, waiting or offered a seat, in their language with
    the time in their zone and the reason, with METHOD:CANCEL (same UID, raised SEQUENCE) for
    those who had the invitation. The e-mails are queued in the transaction and delivered once
    it commits.
    """
    require_secretariat(actor)
    reason = (reason or "").strip()
    if not reason:
        raise CancellationRefused(
            errors={"reason": [_("Say why the webinar is cancelled: every registrant reads it.")]}
        )
    with transaction.atomic():
        locked = changes.locked(Webinar, pk=webinar.pk)
        if locked.state == Webinar.State.CANCELLED:
            return locked
        if not may_cancel(locked):
            raise CancellationRefused(_("A webinar that was held cannot be cancelled."))
        told = list(
            locked.registrations.filter(status__in=TOLD)
            .select_related("user")
            .select_for_update(of=("self",))
            .order_by("pk")
        )
        invited = {r.pk for r in told if invitations.had_invitation(r)}
        changes.update(
            locked,
            actor=actor,
            action=WebinarAction.CANCELLED,
            summary=f"“{locked.title}” cancelled; {len(told)} registrants told",
            state=Webinar.State.CANCELLED,
            cancelled_at=timezone.now(),
            cancel_reason=reason,
            sequence=locked.sequence + 1,
        )
        for registration in told:
            registration.webinar = locked
            with_calendar = registration.pk in invited and locked.starts_at is not None
            invitations.email(
                registration,
                prefix="webinar_cancelled",
                kind="webinar_cancelled",
                attachment=invitations.cancellation_part(registration) if with_calendar else None,
                reason=reason,
                with_calendar=with_calendar,
            )
    webinar.state, webinar.cancelled_at = locked.state, locked.cancelled_at
    webinar.cancel_reason, webinar.sequence = locked.cancel_reason, locked.sequence
    return locked
