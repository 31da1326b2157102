"""Helpers of the reviewing tests, on top of the shared factories (tests/reviews/factories.py)."""

from datetime import timedelta

from django.utils import timezone

from deepdive.reviews.models import ReviewRound
from deepdive.reviews.operations.reviewing import ReviewData
from tests.reviews.factories import (
    CRITERIA,
    AssignmentFactory,
    ProposalFactory,
    ReviewerFactory,
    ReviewRoundFactory,
)

__all__ = ["CRITERIA", "assigned", "close_round", "complete", "form_post", "new_round"]


def new_round(**fields) -> ReviewRound:
    """A call with a review round open now."""
    return ReviewRoundFactory(**fields)


def assigned(round_: ReviewRound, reviewer=None, proposal=None, **proposal_fields):
    """An active assignment of a (new) submitted proposal of the round's call to ``reviewer``
    (a new active reviewer of the call when None). Returns (reviewer, proposal)."""
    reviewer = reviewer or ReviewerFactory(call=round_.call)
    proposal = proposal or ProposalFactory(call=round_.call, **proposal_fields)
    AssignmentFactory(reviewer=reviewer, proposal=proposal)
    return reviewer, proposal


def close_round(round_: ReviewRound) -> None:
    now = timezone.now()
    round_.opens_at = now - timedelta(days=10)
    round_.closes_at = now - timedelta(minutes=1)
    round_.save()


def complete(score: int = 4, **changes) -> ReviewData:
    values = {
        "scores": {code: score for code in CRITERIA},
        "comments": {"root_causes": "Addresses wages."},
        "overall_comment": "A strong proposal.",
        "recommendation": "select",
        "confidence": 3,
    }
    values.update(changes)
    return ReviewData(**values)


def form_post(*, version: int = 0, action: str = "draft", scores=None, **changes) -> dict:
    """What the review form posts."""
    data = {"version": str(version), "action": action}
    for code, value in (scores or {}).items():
        data[f"score_{code}"] = str(value)
    data.update({k: str(v) for k, v in changes.items()})
    return data
