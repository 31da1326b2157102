"""Forgetting public registrations whose address was never confirmed.

A public registrant is ``pending`` until they follow the link e-mailed to them; a pending
registration holds no seat (``registration.SEATED``) and gets no invitation. Kept beyond its
use it is only personal data nobody asked us to keep, so it is deleted once the link has
expired (``registration.CONFIRM_DAYS`` after it was sent) or once the webinar has started,
whichever comes first. Run by the scheduler (``periodic``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from deepdive.core import audit, changes

from .actions import WebinarAction
from .models import Registration, Webinar
from .registration import CONFIRM_DAYS

Status = Registration.Status


def _due(now: datetime) -> Q:
    """Pending registrations past their use. ``updated_at`` is when the confirmation link was
    last sent: a cancelled registration re-opened by the same address is pending again from
    then, with a new link."""
    return Q(status=Status.PENDING) & (
        Q(updated_at__lte=now - timedelta(days=CONFIRM_DAYS)) | Q(webinar__starts_at__lte=now)
    )


def forget_unconfirmed(*, now: datetime | None = None) -> int:
    """Delete every pending (never confirmed) public registration whose confirmation link
    has expired or whose webinar has started; returns how many. Running it again deletes
    nothing more. Registrations that were confirmed (any other status) are never touched.

    Side effects: the registrations deleted (each webinar's row locked, as a confirmation
    locks it, so a confirmation in progress finishes first); one audit entry
    "webinars.unconfirmed_forgotten" with the count when any was deleted (no names or
    addresses)."""
    now = now or timezone.now()
    webinar_pks = sorted(
        set(Registration.objects.filter(_due(now)).values_list("webinar", flat=True))
    )
    count = 0
    with transaction.atomic():
        for pk in webinar_pks:
            changes.locked(Webinar, pk=pk)
            due = Registration.objects.select_for_update().filter(_due(now), webinar_id=pk)
            count += due.delete()[1].get(Registration._meta.label, 0)
        if count:
            audit.record(
                actor=None,
                action=WebinarAction.UNCONFIRMED_FORGOTTEN,
                summary=f"{count} unconfirmed public registration(s) deleted",
            )
    return count
