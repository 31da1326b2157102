"""Reminders to registrants, 7 days and 1 hour before the start of their own session (the
webinar's first session or its repeat), in their language and zone (``invitations``), each
sent exactly once per registration and kind.

Exactly once: the ``ReminderSent`` row (unique per registration and kind) is inserted in the
same transaction as the e-mail is queued. A second worker, a restart or a rerun of the
scheduler meets the constraint (IntegrityError) and sends nothing; a rolled-back transaction
leaves neither the row nor the e-mail. Never after the start: only sessions that have not
started are read, each reminder within its window:

- "registrant.7d": from 7 days before until 6 days before (a scheduler that was down for less
  than a day catches up; later, the 1-hour reminder is enough), to people registered before
  the 7-day mark (the others just got their invitation);
- "registrant.1h": from 1 hour before until the start.

Run every 5 minutes by ``deepdive scheduler`` (``periodic.py``). A batch reads the due
registrations with their webinar and session in one query, never one per registration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, QuerySet, When
from django.utils import timezone

from . import invitations
from .models import Registration, ReminderSent, Webinar


@dataclass(frozen=True)
class Kind:
    name: str
    before: timedelta  # the window opens this long before the start
    until: timedelta  # and closes this long before it
    soon: bool  # the e-mail says "in an hour" rather than "in a week"


WEEK = Kind("registrant.7d", timedelta(days=7), timedelta(days=6), soon=False)
HOUR = Kind("registrant.1h", timedelta(hours=1), timedelta(0), soon=True)
KINDS = (WEEK, HOUR)

# Webinars whose registrants are reminded: on the programme, neither cancelled nor held.
REMINDED_STATES = (Webinar.State.PREPARING, Webinar.State.READY)


def due(kind: Kind, *, now: datetime) -> QuerySet[Registration]:
    """The registrations whose ``kind`` reminder is due at ``now`` and not sent yet, by the
    start of their own session (a cancelled repeat's registrants get none), with their
    webinar and session."""
    session_start = Case(
        When(repeat__isnull=True, then=F("webinar__starts_at")), default=F("repeat__starts_at")
    )
    due_now = (
        Registration.objects.alias(session_start=session_start)
        .filter(
            status=Registration.Status.REGISTERED,
            webinar__published_at__isnull=False,
            webinar__state__in=REMINDED_STATES,
            session_start__gt=now + kind.until,
            session_start__lte=now + kind.before,
        )
        .filter(Q(repeat__isnull=True) | Q(repeat__cancelled_at__isnull=True))
        .filter(Q(user__isnull=True) | Q(user__is_active=True))
        .exclude(pk__in=ReminderSent.objects.filter(kind=kind.name).values("registration_id"))
    )
    if kind is WEEK:
        due_now = due_now.filter(created_at__lte=F("session_start") - kind.before)
    # With the webinar's own repeat (does it have one? the e-mail names the session) and the
    # series' zone (for a registrant without one): no read per registration.
    return due_now.select_related(
        "user",
        "webinar__proposal__call__timetable_rules",
        "webinar__repeat",
        "repeat",
    ).order_by("pk")


def send_one(registration: Registration, kind: Kind, *, now: datetime) -> bool:
    """Send ``registration`` its ``kind`` reminder unless it was sent: True when this call
    sent it. The row and the e-mail are written in one transaction. ``registration`` comes
    with its webinar and session as ``due`` read them in this batch (no read per
    registration)."""
    webinar = registration.webinar
    start = registration.session.starts_at
    if (
        start is None
        or start <= now  # never after the start
        or webinar.state not in REMINDED_STATES
        or registration.status != Registration.Status.REGISTERED
    ):
        return False
    try:
        with transaction.atomic():
            ReminderSent.objects.create(webinar=webinar, registration=registration, kind=kind.name)
            invitations.email(registration, prefix="reminder", kind=kind.name, soon=kind.soon)
    except IntegrityError:
        return False  # already sent, by another worker or an earlier run
    return True


def send_reminders(*, now: datetime | None = None) -> int:
    """Send every due reminder of every kind; returns how many were sent by this call.

    Side effects: per reminder, one ``ReminderSent`` row and one e-mail (kind
    "registrant.7d" or "registrant.1h") to the registrant, in their language and zone."""
    now = now or timezone.now()
    sent = 0
    for kind in KINDS:
        for registration in due(kind, now=now):
            sent += send_one(registration, kind, now=now)
    return sent
