"""Writes of a webinar's repeat session (``RepeatSession``): the secretariat adds one for the
audience the webinar's start leaves outside their hours, moves it and removes it; the
timetable publishes it with its webinar (``publish_repeat``, called by
``timetable.operations.publish`` in its transaction).

Like the webinar, a repeat has a working plan (``planned_start``) and a published start
(``starts_at``): a move changes the plan, and registrants hear of it only on publication.

Each function takes keyword arguments only, checks the actor (the secretariat), writes in one
transaction and records one audit entry (``actions.WebinarAction``). Refusals raise
``RepeatRefused`` (a ``core.refusals.Refused``), with the message beside the form's "time"
field when the start is at fault.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deepdive.accounts.models import User
from deepdive.core import audit, changes
from deepdive.core.permissions import require_secretariat
from deepdive.core.refusals import Refused

from . import invitations, sessions
from .actions import WebinarAction
from .models import Registration, RepeatSession, Webinar

# The webinar states in which a repeat may be added or moved: before it is held, not cancelled.
OPEN_STATES = (Webinar.State.PREPARING, Webinar.State.READY)
# The registrations a cancelled repeat cancels (everyone but those already cancelled), and
# those of them who are told (an unconfirmed address is not written to).
LIVE = (
    Registration.Status.PENDING,
    Registration.Status.REGISTERED,
    Registration.Status.WAITING,
    Registration.Status.OFFERED,
)
TOLD = (
    Registration.Status.REGISTERED,
    Registration.Status.WAITING,
    Registration.Status.OFFERED,
)


class RepeatRefused(Refused):
    """The repeat session cannot be added, moved or removed; the message says why."""


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def _aware(start: datetime) -> datetime:
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime")
    return start.astimezone(UTC)


def _check_start(webinar: Webinar, start: datetime) -> None:
    """The repeat must not run while the webinar's first session (its planned time) runs."""
    first = webinar.planned_start
    if first is None:
        raise RepeatRefused(
            _("Place “%(title)s” in the plan first: the repeat is planned around it.")
            % {"title": webinar.title}
        )
    errors = sessions.clash(webinar, first=first, repeat=start, moving=sessions.REPEAT)
    if errors:
        raise RepeatRefused(errors=errors)


def _check_open(webinar: Webinar) -> None:
    if webinar.state not in OPEN_STATES:
        raise RepeatRefused(
            _("“%(title)s” is %(state)s: it can have no repeat session.")
            % {"title": webinar.title, "state": webinar.get_state_display()}
        )


def _in_timetable(webinar: Webinar) -> bool:
    """Whether the webinar's proposal is still selected with its host confirmed: the
    decision's own rule (``Decision.hosting_confirmed``), read through the proposal because
    selection stands above this app (as ``operations.create_webinar`` reads it)."""
    try:
        decision = webinar.proposal.decision
    except ObjectDoesNotExist:
        return False
    return bool(decision.hosting_confirmed)


def add_repeat(*, actor: User, webinar: Webinar, start: datetime) -> RepeatSession:
    """Add a repeat session of ``webinar`` at ``start`` (aware) to the working plan.

    Refused: anyone but the secretariat (PermissionDenied); a naive ``start`` (ValueError);
    (``RepeatRefused``) a webinar whose host has not confirmed (or no longer selected), that is
    cancelled or held; a webinar that already has a repeat (move it instead; a cancelled one
    stays on record); a webinar not placed yet; a start overlapping the first session's
    planned time.

    Side effects: one ``RepeatSession`` (planned, not published: registrants see it once the
    timetable is published); one audit entry ("webinars.repeat_added") with its start.
    """
    require_secretariat(actor)
    start = _aware(start)
    with transaction.atomic():
        locked = changes.locked(Webinar, pk=webinar.pk)
        if not _in_timetable(locked):
            raise RepeatRefused(
                _("This webinar is not in the timetable: its host has not confirmed.")
            )
        _check_open(locked)
        existing = RepeatSession.objects.filter(webinar=locked).first()
        if existing is not None:
            raise RepeatRefused(
                _("“%(title)s” already has a repeat session: move it rather than add another.")
                % {"title": locked.title}
                if existing.cancelled_at is None
                else _("The repeat session of “%(title)s” was cancelled; it cannot have another.")
                % {"title": locked.title}
            )
        _check_start(locked, start)
        repeat = RepeatSession.objects.create(webinar=locked, planned_start=start)
        audit.record(
            actor=actor,
            action=WebinarAction.REPEAT_ADDED,
            subject=locked,
            summary=f"Repeat session of “{locked.title}” added",
            changes={"repeat_planned_start": [None, _iso(start)]},
        )
    return repeat


def move_repeat(*, actor: User, repeat: RepeatSession, start: datetime) -> RepeatSession:
    """Move ``repeat`` to ``start`` (aware) in the working plan; like the webinar, a published
    repeat's registrants hear of it when the timetable is published (``publish_repeat``).

    Refused: anyone but the secretariat (PermissionDenied); a naive ``start`` (ValueError);
    (``RepeatRefused``) a cancelled repeat; a webinar cancelled or held; a start overlapping
    the first session's planned time.

    Side effects: the repeat's ``planned_start``; one audit entry ("webinars.repeat_moved")
    with the old and new start, when it changed.
    """
    require_secretariat(actor)
    start = _aware(start)
    with transaction.atomic():
        webinar = changes.locked(Webinar, pk=repeat.webinar_id)
        locked = changes.locked(RepeatSession, pk=repeat.pk)
        if locked.cancelled_at is not None:
            raise RepeatRefused(_("This repeat session is cancelled."))
        _check_open(webinar)
        _check_start(webinar, start)
        changes.update(
            locked,
            actor=actor,
            action=WebinarAction.REPEAT_MOVED,
            summary=f"Repeat session of “{webinar.title}” moved",
            planned_start=start,
        )
    repeat.planned_start = locked.planned_start
    return locked


def remove_repeat(*, actor: User, repeat: RepeatSession) -> RepeatSession | None:
    """Remove ``repeat``: deleted while it is not published (returns None); once published it
    is cancelled (kept on record, returned). Removing a cancelled repeat changes nothing.

    Refused: anyone but the secretariat (PermissionDenied).

    Side effects: unpublished: the row deleted, one audit entry ("webinars.repeat_removed",
    about the webinar). Published: ``cancelled_at`` set; its live registrations (registered,
    waiting, offered a seat, waiting for e-mail confirmation) cancelled; one audit entry
    ("webinars.repeat_cancelled") with how many; after the commit, each of them but the
    unconfirmed addresses gets the cancellation e-mail with METHOD:CANCEL for the repeat's
    UID (``invitations.send_cancellation``).
    """
    require_secretariat(actor)
    with transaction.atomic():
        webinar = changes.locked(Webinar, pk=repeat.webinar_id)
        locked = RepeatSession.objects.select_for_update().filter(pk=repeat.pk).first()
        if locked is None or locked.cancelled_at is not None:
            return locked
        registrations = list(
            Registration.objects.select_for_update()
            .filter(repeat=locked, status__in=LIVE)
            .order_by("pk")
        )
        if locked.starts_at is None and not Registration.objects.filter(repeat=locked).exists():
            planned = locked.planned_start
            locked.delete()
            audit.record(
                actor=actor,
                action=WebinarAction.REPEAT_REMOVED,
                subject=webinar,
                summary=f"Repeat session of “{webinar.title}” removed before publication",
                changes={"repeat_planned_start": [_iso(planned), None]},
            )
            return None
        changes.update(
            locked,
            actor=actor,
            action=WebinarAction.REPEAT_CANCELLED,
            summary=f"Repeat session of “{webinar.title}” cancelled; "
            f"{len(registrations)} registrations cancelled",
            cancelled_at=timezone.now(),
        )
        for registration in registrations:
            was = registration.status
            registration.status = Registration.Status.CANCELLED
            registration.offer_expires_at = None
            registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
            registration.webinar = webinar
            registration.repeat = locked
            if was in TOLD:
                transaction.on_commit(
                    partial(invitations.send_cancellation, registration=registration)
                )
    repeat.cancelled_at = locked.cancelled_at
    return locked


def publish_repeat(*, actor: User, repeat: RepeatSession) -> str:
    """Publish the planned start of ``repeat`` with its webinar (called by
    ``timetable.operations.publish`` in its transaction, once the webinar is published).
    Returns what happened: "published" (first time), "changed" (a new time) or "" (nothing:
    unchanged, or cancelled).

    Refused: anyone but the secretariat (PermissionDenied).

    Side effects: first time: ``starts_at`` set to the planned start, one audit entry
    ("webinars.repeat_published"). A changed time: ``starts_at`` set, ``sequence`` raised by
    one, one audit entry ("webinars.repeat_time_changed"), and after the commit its
    registrants get the updated invitation (``invitations.send_updates`` with ``repeat``:
    that session's registrants, its raised SEQUENCE, the old time beside the new).
    """
    require_secretariat(actor)
    with transaction.atomic():
        webinar = changes.locked(Webinar, pk=repeat.webinar_id)
        locked = changes.locked(RepeatSession, pk=repeat.pk)
        if locked.cancelled_at is not None or locked.starts_at == locked.planned_start:
            return ""
        if locked.starts_at is None:
            changes.update(
                locked,
                actor=actor,
                action=WebinarAction.REPEAT_PUBLISHED,
                summary=f"Repeat session of “{webinar.title}” published",
                starts_at=locked.planned_start,
            )
            outcome = "published"
        else:
            old_start = locked.starts_at
            changes.update(
                locked,
                actor=actor,
                action=WebinarAction.REPEAT_TIME_CHANGED,
                summary=f"Time of the repeat session of “{webinar.title}” changed and published",
                starts_at=locked.planned_start,
                sequence=locked.sequence + 1,
            )
            transaction.on_commit(
                partial(
                    invitations.send_updates, webinar=webinar, repeat=locked, old_start=old_start
                )
            )
            outcome = "changed"
    repeat.starts_at, repeat.sequence = locked.starts_at, locked.sequence
    return outcome
