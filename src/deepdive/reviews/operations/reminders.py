"""Reminding the reviewers whose window closes soon of what they have left.

``send_review_reminders`` is what the task ``tasks.send_review_reminders`` runs (scheduled by
``assignment`` when an assignment is saved), what the scheduler runs every hour and what the
``send_review_reminders`` command runs: this module does not import the task.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from deepdive.core import audit
from deepdive.proposals.models import Proposal

from .. import access
from ..actions import ReviewsAction
from ..assignment_input import review_round
from ..models import Assignment, Review, Reviewer
from .emails import email_reviewer

REMIND_BEFORE = timedelta(days=3)


def send_review_reminders(*, now: datetime | None = None) -> int:
    """Remind reviewers whose window closes within three days of what they have left, once.

    Due: an ACTIVE assignment of an active reviewer, on a proposal still submitted, with no
    submitted review, not in conflict, in a round open at ``now`` that closes within three days,
    and not reminded yet. Returns how many reviewers were written to; safe to run any number of
    times. Side effects: one e-mail per reviewer listing the due proposals; the assignments'
    ``reminded_at``; audit entry "reviews.reminders" when any were sent.
    """
    now = now or timezone.now()
    with transaction.atomic():
        submitted_review = Review.objects.filter(
            reviewer=OuterRef("reviewer"),
            proposal=OuterRef("proposal"),
            status=Review.Status.SUBMITTED,
        )
        due = list(
            Assignment.objects.select_for_update(of=("self",))
            .filter(
                status=Assignment.Status.ACTIVE,
                reminded_at__isnull=True,
                reviewer__status=Reviewer.Status.ACTIVE,
                proposal__status=Proposal.Status.SUBMITTED,
                proposal__call__review_round__opens_at__lte=now,
                proposal__call__review_round__closes_at__gt=now,
                proposal__call__review_round__closes_at__lte=now + REMIND_BEFORE,
            )
            .exclude(Exists(submitted_review))
            .select_related("reviewer", "reviewer__user", "proposal", "proposal__call")
            .order_by("reviewer_id", "proposal__title", "proposal_id")
        )
        conflicts_by_call: dict[int, set[tuple[int, int]]] = {}
        by_reviewer: dict[int, list[Assignment]] = defaultdict(list)
        for row in due:
            call = row.proposal.call
            if call.pk not in conflicts_by_call:
                conflicts_by_call[call.pk] = access.conflict_pairs(call)
            if (row.reviewer_id, row.proposal_id) in conflicts_by_call[call.pk]:
                continue
            by_reviewer[row.reviewer_id].append(row)
        for rows in by_reviewer.values():
            reviewer = rows[0].reviewer
            email_reviewer(
                reviewer=reviewer,
                prefix="reviews/email/reminder",
                kind="reviews.reminder",
                round_=review_round(reviewer.call),
                proposals=[row.proposal for row in rows],
            )
        reminded = [row.pk for rows in by_reviewer.values() for row in rows]
        Assignment.objects.filter(pk__in=reminded).update(reminded_at=now)
        if reminded:
            audit.record(
                actor=None,
                action=ReviewsAction.REMINDERS_SENT,
                summary=(
                    f"Review reminders sent to {len(by_reviewer)} reviewer(s) "
                    f"for {len(reminded)} assignment(s)"
                ),
                changes={"assignments": [str(pk) for pk in reminded]},
            )
    return len(by_reviewer)
