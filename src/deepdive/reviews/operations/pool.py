"""The reviewer pool of a call: the round's settings, invitations, expertise, loads, removal
and declared conflicts.

Each function takes keyword arguments only, runs in one transaction, re-checks the actor's
right on the server and records an audit entry with what changed (subject: the reviewer, the
round, or the proposal for conflicts so they show in the proposal's history). Refusals raise a
``PoolError`` (a ``core.refusals.Refused``) whose message is for the person and whose ``field``
names the form field it belongs beside (empty: the whole form).
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any, NamedTuple

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deepdive.accounts.models import User
from deepdive.accounts.operations import language_of
from deepdive.core import audit, changes, permissions
from deepdive.core.refusals import Refused
from deepdive.outbox.operations import queue_templated_email
from deepdive.proposals.models import Proposal
from deepdive.reference.models import Sector, Theme
from deepdive.reference.regions import IloRegion
from deepdive.series.models import Call

from ..actions import ReviewsAction
from ..models import Assignment, DeclaredConflict, Review, Reviewer, ReviewRound
from ..queries_pool import verified_addresses

# Statuses of a pool member who still counts as in the pool (an address can be added again
# once its holder declined or was removed).
IN_POOL = (Reviewer.Status.INVITED, Reviewer.Status.ACTIVE)
ROUND_FIELDS = [
    "reviewers_per_proposal",
    "default_max_load",
    "opens_at",
    "closes_at",
    "timezone",
    "objective",
    "others_visible_after_submit",
]


# --- Refusals -------------------------------------------------------------------------------


class PoolError(Refused):
    """A write the rules refuse: the message (by default the class's) is for the person and
    ``field`` names the form field it belongs beside (empty: the whole form); ``show_on`` puts
    it there."""

    message: Any = ""
    field: str = ""

    def __init__(self, message: Any = None, *, field: str | None = None):
        text = str(type(self).message if message is None else message)
        if field is not None:
            self.field = field
        if self.field:
            super().__init__(errors={self.field: [text]})
        else:
            super().__init__(text)


class NotAllowed(PoolError):
    message = _("You may not do this.")


class AlreadyInPool(PoolError):
    field = "email"

    def __init__(self, email: str):
        super().__init__(_("%(email)s is already in this call's reviewer pool.") % {"email": email})


class WrongAddress(PoolError):
    message = _(
        "This invitation was sent to another e-mail address. Add and verify that address in "
        "your account, then accept."
    )


class NotWaiting(PoolError):
    message = _("This invitation is no longer waiting for an answer.")


class InvalidLoads(PoolError):
    field = "max_load"


class ReasonRequired(PoolError):
    message = _("Give a reason.")
    field = "reason"


class InvalidValue(PoolError):
    pass


# --- The round ------------------------------------------------------------------------------


def ensure_round(*, call: Call) -> ReviewRound:
    """The call's review round, created with the defaults when it has none.

    Side effects: a ReviewRound row and an audit entry "reviews.round_created" the first time.
    """
    with transaction.atomic():
        review_round, created = ReviewRound.objects.get_or_create(call=call)
        if created:
            audit.record(
                actor=None,
                action=ReviewsAction.ROUND_CREATED,
                subject=review_round,
                summary=f"Review round of {call} created with the defaults",
                changes={
                    "reviewers_per_proposal": ["", str(review_round.reviewers_per_proposal)],
                    "default_max_load": ["", str(review_round.default_max_load)],
                },
            )
    return review_round


def update_round(
    *,
    actor: User,
    review_round: ReviewRound,
    reviewers_per_proposal: int,
    default_max_load: int,
    opens_at: datetime | None,
    closes_at: datetime | None,
    timezone: str,
    objective: str,
    others_visible_after_submit: bool,
) -> dict[str, list[str]]:
    """Change the round's settings (secretariat). ``opens_at``/``closes_at`` are aware
    instants (the form converts the local times of ``timezone``); both or neither.

    Raises NotAllowed, InvalidValue. Returns what changed ({field: [old, new]}).
    Side effects: the ReviewRound row; audit entry "reviews.round_updated" when anything
    changed.
    """
    _require_secretariat(actor)
    if reviewers_per_proposal < 1:
        raise InvalidValue(_("At least one reviewer per proposal."), field="reviewers_per_proposal")
    if default_max_load < 1:
        raise InvalidValue(_("The maximum load is at least 1."), field="default_max_load")
    if (opens_at is None) != (closes_at is None):
        raise InvalidValue(
            _("Give both the opening and the closing of the review, or neither."),
            field="closes_local",
        )
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        raise InvalidValue(_("The review must close after it opens."), field="closes_local")
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidValue(_("Unknown time zone."), field="timezone") from exc
    if objective not in ReviewRound.Objective.values:
        raise InvalidValue(_("Unknown objective."), field="objective")
    with transaction.atomic():
        locked = changes.locked(ReviewRound, pk=review_round.pk)
        changed = changes.update(
            locked,
            actor=actor,
            action=ReviewsAction.ROUND_UPDATED,
            summary=f"Review settings of {locked.call} changed",
            reviewers_per_proposal=reviewers_per_proposal,
            default_max_load=default_max_load,
            opens_at=opens_at,
            closes_at=closes_at,
            timezone=timezone,
            objective=objective,
            others_visible_after_submit=others_visible_after_submit,
        )
    _copy(review_round, locked, ROUND_FIELDS)
    return changed


# --- Adding reviewers -----------------------------------------------------------------------


def _account_for(email: str) -> User | None:
    """The account whose login address or verified address is ``email``."""
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is not None:
        return user
    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    return address.user if address else None


def _check_loads(min_load: int, max_load: int | None, review_round: ReviewRound | None) -> None:
    if min_load < 0:
        raise InvalidLoads(_("The minimum load cannot be negative."), field="min_load")
    if max_load is not None and max_load < 1:
        raise InvalidLoads(_("The maximum load is at least 1 (empty: the round's default)."))
    if max_load is not None and min_load > max_load:
        raise InvalidLoads(
            _("The maximum load (%(max)s) must be at least the minimum load (%(min)s).")
            % {"max": max_load, "min": min_load}
        )
    if max_load is None and review_round is not None and min_load > review_round.default_max_load:
        raise InvalidLoads(
            _(
                "The minimum load (%(min)s) is above the round's default maximum "
                "(%(max)s): give a maximum load for this reviewer."
            )
            % {"min": min_load, "max": review_round.default_max_load}
        )


def _invite(*, reviewer: Reviewer, actor: User, account: User | None) -> None:
    """The invitation e-mail, in the invitee's language when they have an account."""
    call = reviewer.call
    review_round = ReviewRound.objects.filter(call=call).first()
    queue_templated_email(
        to=reviewer.email,
        template_prefix="reviews/email/invitation",
        context={
            "reviewer": reviewer,
            "call": call,
            "series": call.series,
            "review_round": review_round,
            "invited_by": actor,
            "recipient": account,
            "invitations_url": settings.SITE_URL.rstrip("/") + reverse("reviews:invitations"),
        },
        language=language_of(account) if account is not None else settings.LANGUAGE_CODE,
        kind="reviews.invitation",
        related=reviewer,
    )


def add_reviewer(
    *,
    actor: User,
    call: Call,
    email: str,
    min_load: int = 0,
    max_load: int | None = None,
) -> Reviewer:
    """Add ``email`` to the call's reviewer pool (secretariat).

    Secretariat staff (an account with ``is_secretariat``) join active at once; anyone else is
    invited. An address whose holder declined or was removed is invited again.
    Raises NotAllowed, AlreadyInPool (field "email"), InvalidLoads.
    Side effects: a Reviewer row (or the old one re-opened); audit entry
    "reviews.reviewer_added"; for an invitee, an invitation e-mail through the outbox, in
    their language when they have an account, linking to the invitations page.
    """
    _require_secretariat(actor)
    email = email.strip().lower()
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).first()  # one add at a time
        review_round = ReviewRound.objects.filter(call=call).first()
        _check_loads(min_load, max_load, review_round)
        account = _account_for(email)
        existing = Reviewer.objects.filter(call=call, email__iexact=email).first()
        if existing is not None and existing.status in IN_POOL:
            raise AlreadyInPool(email)
        if account is not None:
            taken = Reviewer.objects.filter(call=call, user=account, status__in=IN_POOL)
            if taken.exists():
                raise AlreadyInPool(email)
        staff = account is not None and permissions.is_secretariat(account)
        now = timezone.now()
        reviewer = existing or Reviewer(call=call, email=email)
        before = reviewer.status if existing else ""
        reviewer.status = Reviewer.Status.ACTIVE if staff else Reviewer.Status.INVITED
        reviewer.user = account if staff else None
        reviewer.accepted_at = now if staff else None
        reviewer.removed_at = None
        reviewer.min_load, reviewer.max_load = min_load, max_load
        reviewer.invited_by = actor
        if existing:
            reviewer.invited_at = now
        try:
            with transaction.atomic():
                reviewer.save()
        except IntegrityError as exc:  # the same address added by someone else meanwhile
            raise AlreadyInPool(email) from exc
        audit.record(
            actor=actor,
            action=ReviewsAction.REVIEWER_ADDED,
            subject=reviewer,
            summary=f"{email} added to the reviewer pool of {call}"
            + (" (secretariat, active)" if staff else " (invited)"),
            changes={
                "status": [before, reviewer.status],
                "min_load": ["", str(min_load)],
                "max_load": ["", "" if max_load is None else str(max_load)],
            },
        )
        if not staff:
            _invite(reviewer=reviewer, actor=actor, account=account)
    return reviewer


def add_secretariat_staff(*, actor: User, call: Call) -> list[Reviewer]:
    """Add every active secretariat account not yet in the pool, active at once.

    Raises NotAllowed. Side effects: as ``add_reviewer`` for each (no e-mail).
    """
    _require_secretariat(actor)
    added = []
    with transaction.atomic():
        in_pool = Reviewer.objects.filter(call=call, status__in=IN_POOL)
        taken_emails = {e.lower() for e in in_pool.values_list("email", flat=True)}
        taken_users = set(in_pool.exclude(user=None).values_list("user_id", flat=True))
        for staff in User.objects.filter(is_secretariat=True, is_active=True).order_by("email"):
            if staff.pk in taken_users or staff.email.lower() in taken_emails:
                continue
            added.append(add_reviewer(actor=actor, call=call, email=staff.email))
    return added


# --- The invitee's answer -------------------------------------------------------------------


def _lock_invitation(actor: User, reviewer: Reviewer) -> Reviewer:
    locked = Reviewer.objects.select_for_update().select_related("call").get(pk=reviewer.pk)
    if locked.email.lower() not in verified_addresses(actor):
        raise WrongAddress
    return locked


def accept_invitation(*, actor: User, reviewer: Reviewer) -> Reviewer:
    """The invitee accepts: only when one of their verified addresses is the invited one.

    Accepting again changes nothing. Raises WrongAddress, NotWaiting, AlreadyInPool.
    Side effects: the reviewer's user, status active, accepted_at; audit entry
    "reviews.invitation_accepted".
    """
    with transaction.atomic():
        locked = _lock_invitation(actor, reviewer)
        if locked.status == Reviewer.Status.ACTIVE and locked.user_id == actor.pk:
            return locked
        if locked.status != Reviewer.Status.INVITED:
            raise NotWaiting
        other = Reviewer.objects.filter(call=locked.call, user=actor, status__in=IN_POOL)
        if other.exclude(pk=locked.pk).exists():
            raise AlreadyInPool(actor.email)
        before = locked.status
        locked.user = actor
        locked.status = Reviewer.Status.ACTIVE
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["user", "status", "accepted_at"])
        audit.record(
            actor=actor,
            action=ReviewsAction.INVITATION_ACCEPTED,
            subject=locked,
            summary=f"{locked.email} joined the reviewer pool of {locked.call}",
            changes={"status": [before, locked.status], "user": ["", str(actor)]},
        )
    _copy(reviewer, locked, ["user", "status", "accepted_at"])
    return locked


def decline_invitation(*, actor: User, reviewer: Reviewer) -> Reviewer:
    """The invitee declines (same address check as accepting). Declining again changes nothing.

    Raises WrongAddress, NotWaiting.
    Side effects: status declined; audit entry "reviews.invitation_declined".
    """
    with transaction.atomic():
        locked = _lock_invitation(actor, reviewer)
        if locked.status == Reviewer.Status.DECLINED:
            return locked
        if locked.status != Reviewer.Status.INVITED:
            raise NotWaiting
        changes.update(
            locked,
            actor=actor,
            action=ReviewsAction.INVITATION_DECLINED,
            summary=f"{locked.email} declined to review for {locked.call}",
            status=Reviewer.Status.DECLINED,
        )
    _copy(reviewer, locked, ["status"])
    return locked


# --- Expertise and loads --------------------------------------------------------------------


def update_expertise(
    *,
    actor: User,
    reviewer: Reviewer,
    themes: list[Theme],
    sectors: list[Sector],
    regions: list[str],
    languages: list[str],
) -> dict[str, list[str]]:
    """The reviewer's expertise profile, by themself or the secretariat. ``regions`` are ILO
    region codes, ``languages`` language codes of the platform.

    Raises NotAllowed, InvalidValue. Returns what changed.
    Side effects: the reviewer's themes, sectors, regions, languages; audit entry
    "reviews.expertise_updated" when anything changed.
    """
    if not _is_self_or_secretariat(actor, reviewer):
        raise NotAllowed
    region_codes = [code for code in IloRegion.values if code in set(regions)]
    if len(region_codes) != len(set(regions)):
        raise InvalidValue(_("Unknown region."), field="regions")
    language_codes = [code for code, _name in settings.LANGUAGES if code in set(languages)]
    if len(language_codes) != len(set(languages)):
        raise InvalidValue(_("Unknown language."), field="languages")
    with transaction.atomic():
        locked = Reviewer.objects.select_for_update().get(pk=reviewer.pk)
        if locked.status == Reviewer.Status.REMOVED and not permissions.is_secretariat(actor):
            raise NotAllowed
        before = {
            "themes": sorted(locked.themes.values_list("code", flat=True)),
            "sectors": sorted(locked.sectors.values_list("code", flat=True)),
            "regions": sorted(locked.regions or []),
            "languages": sorted(locked.languages or []),
        }
        after = {
            "themes": sorted(t.code for t in themes),
            "sectors": sorted(s.code for s in sectors),
            "regions": sorted(region_codes),
            "languages": sorted(language_codes),
        }
        changed = {
            name: [", ".join(before[name]), ", ".join(after[name])]
            for name in before
            if before[name] != after[name]
        }
        if changed:
            locked.themes.set(themes)
            locked.sectors.set(sectors)
            locked.regions, locked.languages = region_codes, language_codes
            locked.save(update_fields=["regions", "languages"])
            audit.record(
                actor=actor,
                action=ReviewsAction.EXPERTISE_UPDATED,
                subject=locked,
                summary=f"Expertise of {locked} changed",
                changes=changed,
            )
    _copy(reviewer, locked, ["regions", "languages"])
    return changed


def update_loads(
    *, actor: User, reviewer: Reviewer, min_load: int, max_load: int | None
) -> dict[str, list[str]]:
    """A reviewer's minimum and maximum number of proposals (secretariat); ``max_load`` None
    means the round's default.

    Raises NotAllowed, InvalidLoads (field "max_load" or "min_load"). Returns what changed.
    Side effects: the reviewer's loads; audit entry "reviews.loads_updated" when changed.
    """
    _require_secretariat(actor)
    with transaction.atomic():
        locked = changes.locked(Reviewer, pk=reviewer.pk)
        _check_loads(min_load, max_load, ReviewRound.objects.filter(call=locked.call_id).first())
        changed = changes.update(
            locked,
            actor=actor,
            action=ReviewsAction.LOADS_UPDATED,
            summary=f"Loads of {locked} changed",
            min_load=min_load,
            max_load=max_load,
        )
    _copy(reviewer, locked, ["min_load", "max_load"])
    return changed


# --- Removal --------------------------------------------------------------------------------


class Removal(NamedTuple):
    reviewer: Reviewer
    flagged: int  # assignments now waiting for reassignment


def remove_reviewer(*, actor: User, reviewer: Reviewer) -> Removal:
    """Take a reviewer out of the pool (secretariat), even in the middle of the review.

    Their active assignments on proposals they have not submitted a review of become "to be
    reassigned"; their reviews (submitted or draft) are never deleted. Removing again changes
    nothing. Raises NotAllowed.
    Side effects: status removed, removed_at; Assignment statuses; audit entry
    "reviews.reviewer_removed" listing the flagged proposals.
    """
    _require_secretariat(actor)
    with transaction.atomic():
        locked = Reviewer.objects.select_for_update().select_related("call").get(pk=reviewer.pk)
        if locked.status == Reviewer.Status.REMOVED:
            return Removal(locked, 0)
        done = Review.objects.filter(reviewer=locked, status=Review.Status.SUBMITTED).values(
            "proposal_id"
        )
        open_assignments = Assignment.objects.filter(
            reviewer=locked, status=Assignment.Status.ACTIVE
        ).exclude(proposal_id__in=done)
        flagged = sorted(open_assignments.values_list("proposal_id", flat=True))
        open_assignments.update(status=Assignment.Status.NEEDS_REASSIGNMENT)
        before = locked.status
        locked.status = Reviewer.Status.REMOVED
        locked.removed_at = timezone.now()
        locked.save(update_fields=["status", "removed_at"])
        audit.record(
            actor=actor,
            action=ReviewsAction.REVIEWER_REMOVED,
            subject=locked,
            summary=f"{locked} removed from the reviewer pool of {locked.call}; "
            f"{len(flagged)} assignment(s) to reassign",
            changes={
                "status": [before, locked.status],
                "to_reassign": ["", ", ".join(str(pk) for pk in flagged)],
            },
        )
    _copy(reviewer, locked, ["status", "removed_at"])
    return Removal(locked, len(flagged))


# --- Declared conflicts ---------------------------------------------------------------------


def declare_conflict(
    *, actor: User, reviewer: Reviewer, proposal: Proposal, reason: str
) -> DeclaredConflict:
    """Declare that ``reviewer`` is in conflict with ``proposal``: by the reviewer themself or
    by the secretariat. An active declaration already there is returned unchanged.

    Raises NotAllowed, ReasonRequired.
    Side effects: a DeclaredConflict row; the reviewer's active assignment of the proposal, if
    any, becomes "to be reassigned"; audit entry "reviews.conflict_declared" on the proposal.
    """
    if not _is_self_or_secretariat(actor, reviewer):
        raise NotAllowed
    if reviewer.call_id != proposal.call_id:
        raise NotAllowed
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired
    with transaction.atomic():
        Reviewer.objects.select_for_update().filter(pk=reviewer.pk).first()
        existing = DeclaredConflict.objects.filter(
            reviewer=reviewer, proposal=proposal, lifted_at__isnull=True
        ).first()
        if existing is not None:
            return existing
        conflict = DeclaredConflict.objects.create(
            reviewer=reviewer, proposal=proposal, reason=reason, declared_by=actor
        )
        flagged = Assignment.objects.filter(
            reviewer=reviewer, proposal=proposal, status=Assignment.Status.ACTIVE
        ).update(status=Assignment.Status.NEEDS_REASSIGNMENT)
        by_self = reviewer.user_id == actor.pk
        audit.record(
            actor=actor,
            action=ReviewsAction.CONFLICT_DECLARED,
            subject=proposal,
            summary=f"Conflict of interest declared for reviewer {reviewer}"
            + (" by themself" if by_self else " by the secretariat"),
            changes={
                "declared_conflict": ["", str(reviewer)],
                "reason": ["", reason],
                **({"assignment": ["active", "reassign"]} if flagged else {}),
            },
        )
    return conflict


def lift_conflict(*, actor: User, conflict: DeclaredConflict, reason: str) -> DeclaredConflict:
    """Lift a declared conflict (secretariat), with a reason; the row stays in the history.
    Lifting again changes nothing. The assignment is not restored: assign again if needed.

    Raises NotAllowed, ReasonRequired.
    Side effects: lifted_at, lifted_by, lift_reason; audit entry "reviews.conflict_lifted" on
    the proposal.
    """
    _require_secretariat(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired
    with transaction.atomic():
        locked = (
            DeclaredConflict.objects.select_for_update(of=("self",))
            .select_related("reviewer", "proposal")
            .get(pk=conflict.pk)
        )
        if locked.lifted_at is not None:
            return locked
        locked.lifted_at = timezone.now()
        locked.lifted_by = actor
        locked.lift_reason = reason
        locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        audit.record(
            actor=actor,
            action=ReviewsAction.CONFLICT_LIFTED,
            subject=locked.proposal,
            summary=f"Declared conflict of reviewer {locked.reviewer} lifted",
            changes={
                "declared_conflict": [str(locked.reviewer), ""],
                "lift_reason": ["", reason],
            },
        )
    _copy(conflict, locked, ["lifted_at", "lifted_by", "lift_reason"])
    return locked


# --- Helpers --------------------------------------------------------------------------------


def _require_secretariat(actor: User) -> None:
    """The named check, refused as this module's NotAllowed (shown beside the form)."""
    if not permissions.is_secretariat(actor):
        raise NotAllowed


def _is_self_or_secretariat(actor: User, reviewer: Reviewer) -> bool:
    """The reviewer themself (their account) or the secretariat."""
    return permissions.is_secretariat(actor) or bool(
        permissions.is_signed_in(actor) and reviewer.user_id and actor.pk == reviewer.user_id
    )


def _copy(target: Any, source: Any, fields: list[str]) -> None:
    for name in fields:
        setattr(target, name, getattr(source, name))


__all__ = [
    "AlreadyInPool",
    "InvalidLoads",
    "InvalidValue",
    "NotAllowed",
    "NotWaiting",
    "PoolError",
    "ReasonRequired",
    "Removal",
    "WrongAddress",
    "accept_invitation",
    "add_reviewer",
    "add_secretariat_staff",
    "decline_invitation",
    "declare_conflict",
    "ensure_round",
    "lift_conflict",
    "remove_reviewer",
    "update_expertise",
    "update_loads",
    "update_round",
]
