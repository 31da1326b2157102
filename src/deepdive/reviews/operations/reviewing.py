"""A reviewer's review of one proposal: drafts, submission, edits until the window closes.

Every write re-checks on the server that the actor is the reviewer and may see the proposal
(``access.reviewable``), that the round's window is open and that the form was opened at the
review's current version. Reviews are never deleted: a submitted review stays submitted (an
edit is a resubmission) and is kept when the reviewer leaves the pool or the proposal is
withdrawn; the ranking decides what counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deepdive.accounts.models import User
from deepdive.core import audit
from deepdive.core.refusals import Refused
from deepdive.core.timezones import moment_text
from deepdive.proposals.models import Proposal
from deepdive.reference.models import Criterion

from .. import access
from ..actions import ReviewsAction
from ..models import Review, Reviewer, ReviewRound

SCORE_RANGE = range(1, 6)
CONFIDENCE_RANGE = range(1, 4)


@dataclass(frozen=True)
class ReviewData:
    """What the review form hands over, already parsed: ``scores`` {criterion code: 1..5 or
    None}, ``comments`` {criterion code: text}."""

    scores: dict[str, int | None] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    overall_comment: str = ""
    recommendation: str = ""
    confidence: int | None = None


# --- Refusals -------------------------------------------------------------------------------


class ReviewError(Refused):
    """A write the rules refuse; ``message`` (by default the class's) is for the person."""

    message: Any = ""

    def __init__(
        self, message: Any = None, *, errors: dict[str | None, list[str]] | None = None
    ) -> None:
        super().__init__(type(self).message if message is None else message, errors=errors)


class NotAllowed(ReviewError):
    """Not the actor's review to write, or a proposal they may not see: the view answers 404."""

    message = _("You may not review this proposal.")


class WindowClosed(ReviewError):
    def __init__(self, round_: ReviewRound | None):
        self.round = round_
        now = timezone.now()
        if round_ is None or round_.opens_at is None or round_.closes_at is None:
            message = str(
                _(
                    "The review window is not set yet. Your review was not saved; copy what you "
                    "typed if you want to keep it."
                )
            )
        elif now < round_.opens_at:
            message = _(
                "Reviewing opens on %(when)s. Your review was not saved; copy what you typed if "
                "you want to keep it."
            ) % {"when": moment_text(round_.opens_at, round_.timezone)}
        else:
            message = _(
                "Reviewing closed on %(when)s. Your review was not saved; what you saved before "
                "is kept."
            ) % {"when": moment_text(round_.closes_at, round_.timezone)}
        super().__init__(message)


class ProposalWithdrawn(ReviewError):
    message = _(
        "The proposers withdrew this proposal: it needs no review any more. What you saved "
        "before is kept."
    )


class StaleVersion(ReviewError):
    """The form was opened at an older version of the review (another tab or device)."""

    def __init__(self, review: Review):
        self.review = review
        super().__init__(
            _(
                "This review was saved elsewhere at %(time)s (another tab or device); your "
                "changes were not saved. They are still in the form below: check them and save "
                "again."
            )
            % {"time": timezone.localtime(review.updated_at).strftime("%H:%M")}
        )


class Invalid(ReviewError):
    """Values the form must correct: ``problems`` is {form field name: [messages]} (score
    fields are ``score_<code>``)."""

    message = _("The review was not saved: correct the fields marked below.")

    def __init__(self, problems: dict[str, list[str]], message: Any = None):
        self.problems = problems
        errors: dict[str | None, list[str]] = {name: texts for name, texts in problems.items()}
        super().__init__(message, errors=errors)


# --- Rules ----------------------------------------------------------------------------------


def criterion_codes() -> list[str]:
    return list(Criterion.objects.values_list("code", flat=True))


def value_problems(data: ReviewData, codes: list[str]) -> dict[str, list[str]]:
    """Values out of range, whatever the status: scores 1..5, confidence 1..3, a known
    recommendation."""
    problems: dict[str, list[str]] = {}
    for code in codes:
        value = data.scores.get(code)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value not in SCORE_RANGE
        ):
            problems[f"score_{code}"] = [str(_("Choose a score from 1 to 5."))]
    unknown = set(data.scores) - set(codes)
    if unknown:
        problems.setdefault("__all__", []).append(
            str(_("Unknown criteria: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
        )
    if data.recommendation and data.recommendation not in Review.Recommendation.values:
        problems["recommendation"] = [str(_("Choose one of the recommendations."))]
    if data.confidence is not None and data.confidence not in CONFIDENCE_RANGE:
        problems["confidence"] = [str(_("Choose low, medium or high."))]
    return problems


def submission_problems(data: ReviewData, codes: list[str]) -> dict[str, list[str]]:
    """What submitting still needs: every criterion scored, a recommendation, a confidence."""
    problems: dict[str, list[str]] = {}
    for code in codes:
        if data.scores.get(code) is None:
            problems[f"score_{code}"] = [str(_("Score this criterion before submitting."))]
    if not data.recommendation:
        problems["recommendation"] = [str(_("Give your recommendation before submitting."))]
    if data.confidence is None:
        problems["confidence"] = [str(_("Say how confident you are before submitting."))]
    return problems


def review_round(proposal: Proposal) -> ReviewRound | None:
    return ReviewRound.objects.filter(call_id=proposal.call_id).first()


def _values(data: ReviewData, codes: list[str]) -> dict[str, Any]:
    return {
        "scores": {c: data.scores[c] for c in codes if data.scores.get(c) is not None},
        "comments": {
            c: data.comments[c].strip() for c in codes if (data.comments.get(c) or "").strip()
        },
        "overall_comment": data.overall_comment.strip(),
        "recommendation": data.recommendation,
        "confidence": data.confidence,
    }


def _current(review: Review) -> dict[str, Any]:
    return {
        "scores": dict(review.scores or {}),
        "comments": dict(review.comments or {}),
        "overall_comment": review.overall_comment,
        "recommendation": review.recommendation,
        "confidence": review.confidence,
    }


def _readable(values: dict[str, Any], status: str) -> dict[str, str]:
    """The review as the audit trail shows it (to the secretariat)."""
    return {
        "status": status,
        **{f"score {code}": str(score) for code, score in sorted(values["scores"].items())},
        **{f"comment {code}": text for code, text in sorted(values["comments"].items())},
        "overall_comment": values["overall_comment"],
        "recommendation": values["recommendation"],
        "confidence": "" if values["confidence"] is None else str(values["confidence"]),
    }


def _changes(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    keys = list(dict.fromkeys([*before, *after]))
    return {
        key: [before.get(key, ""), after.get(key, "")]
        for key in keys
        if before.get(key, "") != after.get(key, "")
    }


# --- The write ------------------------------------------------------------------------------


def save_review(
    *,
    actor: User,
    reviewer: Reviewer,
    proposal: Proposal,
    expected_version: int,
    data: ReviewData,
    submit: bool,
) -> Review:
    """Save ``reviewer``'s review of ``proposal`` as typed in a form opened at
    ``expected_version`` (0 when there was no review yet); submit it when ``submit``.

    A draft may be partial; submitting needs every criterion scored (1 to 5), a recommendation
    and a confidence. A submitted review stays submitted: saving it again is an edit of the
    submitted review (it must stay complete), allowed until the window closes. A post from an
    older version is refused unless it says exactly what is saved (a double click), in which
    case nothing changes.

    Raises NotAllowed (→ 404), WindowClosed, ProposalWithdrawn, StaleVersion, Invalid.
    Side effects: the Review row (created at version 1, then version + 1 at every change;
    ``submitted_at`` set at the first submission); audit entry "reviews.save",
    "reviews.submit" or "reviews.resubmit" about the review (not the proposal, whose history
    its proposers see), with the changed values for the secretariat.
    """
    with transaction.atomic():
        if actor is None or actor.pk is None or actor.pk != reviewer.user_id:
            raise NotAllowed
        # Lock the pool membership: one writer at a time for this reviewer's reviews.
        locked = Reviewer.objects.select_for_update().filter(pk=reviewer.pk).first()
        allowed = access.reviewable(actor, proposal)
        if locked is None or allowed is None or allowed.pk != reviewer.pk:
            raise NotAllowed
        round_ = review_round(proposal)
        if round_ is None or not round_.is_open_at(timezone.now()):
            raise WindowClosed(round_)
        proposal.refresh_from_db(fields=["status"])
        if proposal.status == Proposal.Status.WITHDRAWN:
            raise ProposalWithdrawn
        codes = criterion_codes()
        problems = value_problems(data, codes)
        if problems:
            raise Invalid(problems)
        review = (
            Review.objects.select_for_update().filter(reviewer=reviewer, proposal=proposal).first()
        )
        values = _values(data, codes)
        before_status = review.status if review else ""
        target = (
            Review.Status.SUBMITTED
            if submit or before_status == Review.Status.SUBMITTED
            else Review.Status.DRAFT
        )
        identical = review is not None and _current(review) == values
        if review is not None and review.version != expected_version and not identical:
            raise StaleVersion(review)
        if target == Review.Status.SUBMITTED:
            problems = submission_problems(data, codes)
            if problems:
                raise Invalid(
                    problems,
                    message=_(
                        "The review cannot be submitted yet: complete the fields marked below."
                    )
                    if before_status != Review.Status.SUBMITTED
                    else _(
                        "A submitted review must stay complete: complete the fields marked "
                        "below. Your submitted review is unchanged."
                    ),
                )
        if review is not None and identical and review.status == target:
            return review
        before = _readable(_current(review), before_status) if review else {}
        if review is None:
            review = Review(reviewer=reviewer, proposal=proposal, version=1)
        else:
            review.version += 1
        for name, value in values.items():
            setattr(review, name, value)
        review.status = target
        if target == Review.Status.SUBMITTED and review.submitted_at is None:
            review.submitted_at = timezone.now()
        review.save()
        if target == Review.Status.DRAFT:
            action, summary = ReviewsAction.DRAFT_SAVED, "Review draft saved by {who} on “{what}”"
        elif before_status == Review.Status.SUBMITTED:
            action, summary = (
                ReviewsAction.RESUBMITTED,
                "Submitted review edited by {who} on “{what}”",
            )
        else:
            action, summary = ReviewsAction.SUBMITTED, "Review submitted by {who} on “{what}”"
        audit.record(
            actor=actor,
            action=action,
            subject=review,
            summary=summary.format(who=reviewer, what=proposal) + f" (version {review.version})",
            changes=_changes(before, _readable(values, target)),
        )
    return review
